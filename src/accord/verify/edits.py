"""One sentence, edited: two documents that copy each other hold the same sentence with a
value changed ("an airline based in Miami, Florida" / "an airline based in Anchorage,
Alaska"; "(June 19, 1910 – June 5, 1988)" / "(January 1, 1900 – June 5, 1988)"; "The
population was 1,294 at the 2010 census, down from 1,418" / "was 5,000 ..., down from 5,200").

A copy that changes a value states the same fact with another value, whatever the value's
role in the parse, so the comparison reads the words themselves: the two sentences are
aligned word by word and every stretch where they differ must be a value on both sides
(numbers and dates, or names) or words of no meaning of their own ("the", "his"). A changed
or added word of meaning ("scheduled service" / "scheduled jet service"), an added number
or date ("1.2 million" / "1.2 million in 2020"), or a year changed along with a count ("in
1989 ... 212,000 passengers" / "in 1991 ... 248,000 passengers") makes two statements, not
one edited, and nothing is said. Only claims of two documents that copy each other
elsewhere are compared (``accord.verify.masked.copied_pairs``): pages about namesakes share
sentence templates ("The population was ... at the 2010 census") but not whole passages.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from accord.model import Claim

__all__ = ["EDIT_MIN_CONTEXT", "EditedValue", "edited_value"]

# Fewest words of meaning the two sentences must share around the changed value: "born
# 1990" / "born 1991" says too little to be one sentence copied.
EDIT_MIN_CONTEXT = 4
# Most words a changed stretch may have ("Slim the Mobster" / "Jay-Z"): a longer one is a
# passage rewritten.
EDIT_MAX_WORDS = 6
# Most words of a changed stretch of ordinary words ("a defender" / "a forward"), and how
# alike two spellings of one word are at least ("centre" / "center").
EDIT_MAX_CHANGED_WORDS = 3
SPELLING_SIMILARITY = 0.8
# Share of the two sentences' words (in order) that must be the same.
EDIT_MIN_SIMILARITY = 0.6

_TOKEN = re.compile(r"[^\W_]+(?:[.,'’][^\W_]+)*", re.UNICODE)
# Citation and edit marks of copied pages: "[3]", "[ 12 ]", "[citation needed]", "[ edit ]".
_MARK = re.compile(r"\[\s*(?:\d{1,3}|[a-z]|citation needed|edit|note \d+)\s*\]", re.IGNORECASE)
_MONTHS = frozenset(
    name.casefold() for name in (*calendar.month_name[1:], *calendar.month_abbr[1:], "Sept")
)
_FOOTNOTE = re.compile(r"\s*\^")
_YEAR = re.compile(r"1\d{3}|20\d{2}")


@dataclass(frozen=True, slots=True)
class EditedValue:
    """The changed stretches of two copies of one sentence, and what kind of value they hold
    (``date``, ``number`` or ``name``)."""

    kind: str
    left: str
    right: str
    similarity: float


def _tokens(text: str) -> list[re.Match[str]]:
    """The words of ``text`` with their places (citation marks blanked, not removed)."""
    blanked = _MARK.sub(lambda m: " " * len(m.group()), text)
    return list(_TOKEN.finditer(blanked))


def _surface(text: str, words: Sequence[re.Match[str]]) -> str:
    return text[words[0].start() : words[-1].end()]


def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _word_kind(token: str, first: bool, stop: frozenset[str]) -> str:
    """``number`` (digits, a month), ``function`` (a word of no meaning of its own),
    ``name`` (capitalised, not only as a sentence's first word) or ``word``."""
    if any(c.isdigit() for c in token):
        return "number"
    folded = token.casefold()
    if folded in _MONTHS and token[:1].isupper():
        return "number"
    if folded in stop:
        return "function"
    if token[:1].isupper() and not (first and folded.isalpha() and folded in stop):
        return "name"
    return "word"


def _run_kind(tokens: Sequence[str], start: int, stop: frozenset[str]) -> str:
    """What a stretch of words holds: ``empty``, ``function``, ``number`` (numbers and
    months only), ``name`` (names, maybe with numbers: "Boeing 747") or ``word``."""
    kinds = {_word_kind(t, start + i == 0, stop) for i, t in enumerate(tokens)} - {"function"}
    if not tokens:
        return "empty"
    if not kinds:
        return "function"
    if kinds == {"number"}:
        return "number"
    if kinds <= {"name", "number"}:
        return "name"
    return "word"


def _digits(tokens: Sequence[str]) -> str:
    return " ".join(re.sub(r"[^\d]", "", t) or t.casefold() for t in tokens)


def _is_year(tokens: Sequence[str]) -> bool:
    return len(tokens) == 1 and _YEAR.fullmatch(tokens[0]) is not None


def edited_value(a: Claim, b: Claim, same_name: Callable[[str, str], bool]) -> EditedValue | None:
    """The value changed between two copies of one sentence, or ``None`` when the claims
    are not one sentence with only values changed.

    Args:
        a: A claim of one document.
        b: A claim of a document that copies it.
        same_name: Whether two names are one (written differently, in part, or a place
            and a place inside it).
    """
    if _FOOTNOTE.match(a.text) or _FOOTNOTE.match(b.text):
        return None  # a reference list's entries: two sources cited, not one fact
    left_words, right_words = _tokens(a.text), _tokens(b.text)
    if not left_words or not right_words:
        return None
    left, right = [w.group() for w in left_words], [w.group() for w in right_words]
    stop = _stop_words()
    matcher = SequenceMatcher(
        None, [t.casefold() for t in left], [t.casefold() for t in right], autojunk=False
    )
    # quick_ratio bounds ratio from above and is far cheaper: most pairs stop there
    if (
        matcher.real_quick_ratio() < EDIT_MIN_SIMILARITY
        or matcher.quick_ratio() < EDIT_MIN_SIMILARITY
    ):
        return None
    similarity = matcher.ratio()
    if similarity < EDIT_MIN_SIMILARITY:
        return None
    context = 0
    changed: list[tuple[str, list[str], list[str], str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            context += sum(
                _word_kind(t, i1 + k == 0, stop) != "function" for k, t in enumerate(left[i1:i2])
            )
            continue
        mine, theirs = left[i1:i2], right[j1:j2]
        if mine and theirs and max(len(mine), len(theirs)) > EDIT_MAX_WORDS:
            return None  # a stretch rewritten, not a value changed
        sides = _run_kind(mine, i1, stop), _run_kind(theirs, j1, stop)
        kinds = set(sides)
        if "word" in kinds:
            if sides != ("word", "word") or not _other_word(mine, theirs):
                return None  # a word of meaning added, or a name for a word: rewritten
            surfaces = (_surface(a.text, left_words[i1:i2]), _surface(b.text, right_words[j1:j2]))
            changed.append(("word", mine, theirs, *surfaces))
            continue
        kinds -= {"function", "empty"}
        if not kinds:
            continue
        if {"function", "empty"} & set(sides):
            if "number" in kinds:
                return None  # a number or date added: the value qualified or made precise
            continue  # a name added ("Banksia lemanniana"), detail rather than a change
        if len(kinds) > 1:
            # names added next to a changed number ("1978" / "Lakeshore Air 1976") are detail
            numbers = _number_stretch(mine, i1, stop), _number_stretch(theirs, j1, stop)
            if numbers[0] is None or numbers[1] is None:
                return None  # a number where the other has a name
            (i1, i2), (j1, j2) = (
                (i1 + numbers[0][0], i1 + numbers[0][1]),
                (
                    j1 + numbers[1][0],
                    j1 + numbers[1][1],
                ),
            )
            mine, theirs, kinds = left[i1:i2], right[j1:j2], {"number"}
        kind = kinds.pop()
        if kind == "number":
            if _digits(mine) == _digits(theirs):
                continue
            kind = "date" if _dated(mine, theirs) else "number"
        elif same_name(" ".join(mine), " ".join(theirs)):
            continue
        surfaces = (_surface(a.text, left_words[i1:i2]), _surface(b.text, right_words[j1:j2]))
        changed.append((kind, mine, theirs, *surfaces))
    if not changed or context < EDIT_MIN_CONTEXT:
        return None
    if any(c[0] == "word" for c in changed) and len(changed) > 1:
        return None  # a word changed along with something else: a sentence reworked
    years = [c for c in changed if c[0] == "date" and _is_year(c[1]) and _is_year(c[2])]
    if years and any(c[0] == "number" for c in changed):
        return None  # a count of another year: "in 1989 ... 212,000" / "in 1991 ... 248,000"
    kind, _, _, shown, other = changed[0]
    return EditedValue(kind, shown, other, round(similarity, 3))


def _other_word(mine: Sequence[str], theirs: Sequence[str]) -> bool:
    """True when a short stretch of words stands for another ("A defender, he began" / "A
    forward, he began"), not for the same written otherwise ("centre" / "center",
    "re-established" / "reestablished")."""
    if max(len(mine), len(theirs)) > EDIT_MAX_CHANGED_WORDS:
        return False
    x, y = "".join(mine).casefold(), "".join(theirs).casefold()
    return SequenceMatcher(None, x, y, autojunk=False).ratio() < SPELLING_SIMILARITY


def _number_stretch(
    tokens: Sequence[str], start: int, stop: frozenset[str]
) -> tuple[int, int] | None:
    """Where the one stretch of numbers in ``tokens`` lies, when everything else is names or
    words of no meaning; ``None`` otherwise."""
    kinds = [_word_kind(t, start + i == 0, stop) for i, t in enumerate(tokens)]
    at = [i for i, kind in enumerate(kinds) if kind == "number"]
    if not at or at[-1] - at[0] + 1 != len(at):
        return None
    if any(kind == "word" for kind in kinds):
        return None
    return at[0], at[-1] + 1


def _dated(mine: Sequence[str], theirs: Sequence[str]) -> bool:
    """True when both stretches read as dates: a year, or words with a month."""
    for tokens in (mine, theirs):
        has_month = any(t.casefold() in _MONTHS for t in tokens)
        if not (_is_year(tokens) or has_month):
            return False
    return True
