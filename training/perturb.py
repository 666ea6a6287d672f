"""Seeded perturbations of evidence sentences into labelled (premise, hypothesis) pairs.

Each function takes one sentence (and a ``random.Random``) and returns the changed sentence,
or ``None`` when the sentence offers nothing to change. ``make_pairs`` turns a sentence into
labelled pairs. The labels follow one rule: the premise is the evidence, the hypothesis the
claim, and the label says what the premise makes of the claim.

Contradictions (CONTRADICTS):

- ``date``: a day, month or year moved ("12 July 1941" -> "25 July 1939");
- ``number``: a quantity changed by at least 20 % ("1,500" -> "3,000"; "three" -> "seven");
- ``negation``: "was" <-> "was not", "can" <-> "cannot", "never" dropped;
- ``antonym``: before/after, first/last, largest/smallest, north/south, won/lost ...;
- ``entity``: a place, nationality, organisation or person replaced by another of its kind.

Paraphrases and subsets (SUPPORTS):

- ``date-format``: the same date rewritten ("12 July 1941" -> "July 12, 1941");
- ``number-format``: the same number rewritten ("1,500" -> "1500"; "3" -> "three");
- ``drop``: the claim leaves out a clause (holding a name or number) the evidence has.

Unsupported additions (NOT_MENTIONED):

- ``add``: the claim says a clause the evidence leaves out (the ``drop`` pair reversed);
- ``unrelated``: the claim is another sentence from the same source (made by the builder).

Known noise: swapping a person in a non-exclusive relation ("worked with X" vs "worked with
Y") or moving a number after "at least" is not a strict contradiction; FM2's own refuted
claims make the same kind of change, so the labels follow that convention.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

SUPPORTS = "SUPPORTS"
CONTRADICTS = "CONTRADICTS"
NOT_MENTIONED = "NOT_MENTIONED"

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH = "(" + "|".join(MONTHS) + ")"
_DMY = re.compile(rf"\b(\d{{1,2}}) {_MONTH},? (\d{{3,4}})\b")
_MDY = re.compile(rf"\b{_MONTH} (\d{{1,2}}),? (\d{{3,4}})\b")
_MY = re.compile(rf"\b{_MONTH} (\d{{3,4}})\b")
# a bare year: four digits 1000-2099 not inside a longer number or a decimal
_YEAR = re.compile(r"(?<![\d,.])(1\d{3}|20\d{2})(?![\d,]|\.\d)")
# an integer (with optional thousands commas) or decimal, not a bare year, not glued to letters
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w]|[.,]\d)")
_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven")
_WORD_NUMBER = re.compile(r"\b(" + "|".join(_WORDS) + r")\b", re.IGNORECASE)
_DIGIT_WORD = re.compile(r"(?<![\w.,$])([2-9]|10|11)(?![\w%.,]|\.\d) (?=[a-z])")

_AUX = "is|are|was|were|has|have|had|can|could|will|would|should|must|may|might|does|do|did"
_NEGATED = re.compile(rf"\b({_AUX}) not\b", re.IGNORECASE)
_CONTRACTED = re.compile(
    r"\b(is|are|was|were|has|have|had|could|would|should|does|do|did)n't\b", re.IGNORECASE
)
_SPECIAL_NEGATION = {"cannot": "can", "can't": "can", "won't": "will"}
_NEVER = re.compile(r"\bnever ", re.IGNORECASE)
# an auxiliary followed by a word that is not already a negation: where "not" can go
_AFFIRMATIVE = re.compile(rf"\b({_AUX})\b(?= (?!not\b|never\b|n't)[a-z])")

ANTONYMS = (
    ("before", "after"),
    ("first", "last"),
    ("largest", "smallest"),
    ("highest", "lowest"),
    ("biggest", "smallest"),
    ("oldest", "youngest"),
    ("older", "younger"),
    ("earlier", "later"),
    ("increased", "decreased"),
    ("north", "south"),
    ("northern", "southern"),
    ("east", "west"),
    ("eastern", "western"),
    ("won", "lost"),
    ("above", "below"),
    ("more than", "less than"),
    ("male", "female"),
    ("began", "ended"),
    ("opened", "closed"),
    ("success", "failure"),
    ("successful", "unsuccessful"),
    ("positive", "negative"),
    ("private", "public"),
    ("legal", "illegal"),
    ("maximum", "minimum"),
)
_ANTONYM = {a: b for a, b in ANTONYMS} | {b: a for a, b in ANTONYMS}
_ANTONYM_RE = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _ANTONYM), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
# entity kinds whose swap makes a false claim (spaCy's NER labels)
SWAP_KINDS = ("GPE", "LOC", "NORP", "ORG", "PERSON")

_PAREN = re.compile(r" \([^()]{3,}\)")
# a trailing clause that can go without breaking the sentence
_TAIL = re.compile(
    r"(?:;|,) (?:which|where|while|although|including|and|but|who|whose|making|becoming)\b"
    r"[^;]*?(?=[.!?]?$)"
)
_CONTENT = re.compile(r"\d|\b[A-Z][a-z]")


@dataclass(frozen=True)
class Example:
    """One labelled pair: the evidence (premise), the claim (hypothesis) and the label."""

    premise: str
    hypothesis: str
    label: str
    kind: str


def _case_like(word: str, model: str) -> str:
    """``word`` with the capitalisation of ``model``."""
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _other_year(year: int, rng: random.Random) -> int:
    shift = rng.choice((-1, 1)) * rng.randint(1, 12)
    return year + shift


def change_date(sentence: str, rng: random.Random) -> str | None:
    """Move one date: its day, month or year ("12 July 1941" -> "25 July 1939")."""
    for pattern in (_DMY, _MDY, _MY):
        match = pattern.search(sentence)
        if match is None:
            continue
        parts = list(match.groups())
        month_at = 1 if pattern is _DMY else 0
        day_at = 0 if pattern is _DMY else (1 if pattern is _MDY else None)
        year_at = len(parts) - 1
        choices = ["year", "month"] + (["day"] if day_at is not None else [])
        what = rng.choice(choices)
        if what == "year":
            parts[year_at] = str(_other_year(int(parts[year_at]), rng))
        elif what == "month":
            month = MONTHS.index(parts[month_at])
            parts[month_at] = MONTHS[(month + rng.randint(1, 11)) % 12]
        else:
            assert day_at is not None
            day = int(parts[day_at])
            parts[day_at] = str(rng.choice([d for d in range(1, 29) if abs(d - day) >= 2]))
        if pattern is _DMY:
            new = f"{parts[0]} {parts[1]} {parts[2]}"
        elif pattern is _MDY:
            new = f"{parts[0]} {parts[1]}, {parts[2]}"
        else:
            new = f"{parts[0]} {parts[1]}"
        return sentence[: match.start()] + new + sentence[match.end() :]
    match = _YEAR.search(sentence)
    if match is None:
        return None
    year = str(_other_year(int(match.group(1)), rng))
    return sentence[: match.start()] + year + sentence[match.end() :]


def reformat_date(sentence: str, rng: random.Random) -> str | None:
    """Write one full date the other way round ("12 July 1941" <-> "July 12, 1941")."""
    match = _DMY.search(sentence)
    if match is not None:
        day, month, year = match.groups()
        return sentence[: match.start()] + f"{month} {day}, {year}" + sentence[match.end() :]
    match = _MDY.search(sentence)
    if match is not None:
        month, day, year = match.groups()
        return sentence[: match.start()] + f"{day} {month} {year}" + sentence[match.end() :]
    return None


def _numbers(sentence: str) -> list[re.Match[str]]:
    """Numbers that are not bare years and not inside a full date."""
    dates = [m.span() for p in (_DMY, _MDY, _MY) for m in p.finditer(sentence)]
    found = []
    for match in _NUMBER.finditer(sentence):
        if any(s <= match.start() < e for s, e in dates):
            continue
        if match.group(2) is None and _YEAR.fullmatch(match.group(1)):
            continue
        found.append(match)
    return found


def _format_like(value: float, integer: str, decimals: str | None) -> str:
    places = len(decimals) - 1 if decimals else 0
    text = f"{value:,.{places}f}" if "," in integer else f"{value:.{places}f}"
    return text


def change_number(sentence: str, rng: random.Random) -> str | None:
    """Change one quantity by at least 20 %, keeping its format ("1,500" -> "3,000")."""
    found = _numbers(sentence)
    if found:
        match = rng.choice(found)
        integer, decimals = match.group(1), match.group(2)
        old = float(integer.replace(",", "") + (decimals or ""))
        if old < 12 and not decimals:
            new = float(rng.choice([n for n in range(2, 16) if abs(n - old) >= 2]))
        else:
            factor = rng.choice((0.25, 0.4, 0.5, 0.6, 0.75, 1.3, 1.5, 2.0, 2.5, 3.0, 4.0))
            new = old * factor
            if not decimals:
                new = float(round(new))
        text = _format_like(new, integer, decimals)
        if text == match.group(0) or abs(new - old) < 0.2 * max(abs(old), 1e-9):
            return None
        return sentence[: match.start()] + text + sentence[match.end() :]
    word = _WORD_NUMBER.search(sentence)
    if word is None:
        return None
    old_word = word.group(1).lower()
    new_word = rng.choice([w for w in _WORDS if abs(_WORDS.index(w) - _WORDS.index(old_word)) >= 2])
    return sentence[: word.start()] + _case_like(new_word, word.group(1)) + sentence[word.end() :]


def reformat_number(sentence: str, rng: random.Random) -> str | None:
    """Write one number another way with the same value ("1,500" <-> "1500", "3" <-> "three")."""
    options: list[str] = []
    for match in _numbers(sentence):
        integer = match.group(1)
        if "," in integer:
            plain = integer.replace(",", "")
            options.append(sentence[: match.start(1)] + plain + sentence[match.end(1) :])
        elif len(integer) >= 5:
            grouped = f"{int(integer):,}"
            options.append(sentence[: match.start(1)] + grouped + sentence[match.end(1) :])
    digit = _DIGIT_WORD.search(sentence)
    if digit is not None:
        word = _WORDS[int(digit.group(1)) - 2]
        options.append(sentence[: digit.start(1)] + word + sentence[digit.end(1) :])
    word_match = _WORD_NUMBER.search(sentence)
    if word_match is not None and word_match.group(1).islower():
        number = str(_WORDS.index(word_match.group(1)) + 2)
        options.append(sentence[: word_match.start()] + number + sentence[word_match.end() :])
    return rng.choice(options) if options else None


def negate(sentence: str, rng: random.Random) -> str | None:
    """Flip the polarity of the first auxiliary: add "not", or take a negation away."""
    for special, plain in _SPECIAL_NEGATION.items():
        at = re.search(rf"\b{re.escape(special)}\b", sentence, re.IGNORECASE)
        if at is not None:
            return sentence[: at.start()] + _case_like(plain, at.group(0)) + sentence[at.end() :]
    match = _NEGATED.search(sentence)
    if match is not None:
        return sentence[: match.start()] + match.group(1) + sentence[match.end() :]
    match = _CONTRACTED.search(sentence)
    if match is not None:
        return sentence[: match.start()] + match.group(1) + sentence[match.end() :]
    match = _NEVER.search(sentence)
    if match is not None and match.start() > 0:
        return sentence[: match.start()] + sentence[match.end() :]
    match = _AFFIRMATIVE.search(sentence)
    if match is None:
        return None
    word = match.group(1)
    negated = "cannot" if word.lower() == "can" else f"{word} not"
    return sentence[: match.start()] + _case_like(negated, word) + sentence[match.end() :]


def swap_antonym(sentence: str, rng: random.Random) -> str | None:
    """Replace one word by its opposite (before/after, first/last, won/lost ...)."""
    found = list(_ANTONYM_RE.finditer(sentence))
    if not found:
        return None
    match = rng.choice(found)
    opposite = _ANTONYM[match.group(1).lower()]
    return (
        sentence[: match.start()] + _case_like(opposite, match.group(1)) + sentence[match.end() :]
    )


def swap_entity(
    sentence: str,
    entities: Sequence[tuple[int, int, str]],
    pool: Mapping[str, Sequence[str]],
    rng: random.Random,
) -> str | None:
    """Replace one named entity by another of the same kind taken from ``pool``.

    Args:
        sentence: the sentence.
        entities: ``(start, end, kind)`` of its named entities (spaCy's labels).
        pool: for each kind, names seen elsewhere in the data.
        rng: the random source.
    """
    usable = [e for e in entities if e[2] in SWAP_KINDS and pool.get(e[2])]
    rng.shuffle(usable)
    lowered = sentence.lower()
    for start, end, kind in usable:
        old = sentence[start:end]
        old_words = set(old.lower().split())
        candidates = [
            name
            for name in rng.sample(list(pool[kind]), min(20, len(pool[kind])))
            if name.lower() not in lowered and not old_words & set(name.lower().split())
        ]
        if candidates:
            return sentence[:start] + candidates[0] + sentence[end:]
    return None


def drop_clause(sentence: str, rng: random.Random) -> str | None:
    """Leave out a parenthesis or a trailing clause that holds some content (a name, a
    number), keeping a sentence of at least five words."""
    options = []
    for pattern in (_PAREN, _TAIL):
        for match in pattern.finditer(sentence):
            if not _CONTENT.search(match.group(0)):
                continue
            shorter = sentence[: match.start()] + sentence[match.end() :]
            if len(shorter.split()) >= 5:
                options.append(shorter)
    return rng.choice(options) if options else None


CONTRADICTIONS = {
    "date": change_date,
    "number": change_number,
    "negation": negate,
    "antonym": swap_antonym,
}
PARAPHRASES = {"date-format": reformat_date, "number-format": reformat_number}


def make_pairs(
    sentence: str,
    rng: random.Random,
    *,
    entities: Sequence[tuple[int, int, str]] = (),
    pool: Mapping[str, Sequence[str]] | None = None,
    per_sentence: int = 3,
    contradict: bool = True,
) -> list[Example]:
    """Labelled pairs made from ``sentence``: at most ``per_sentence`` of them.

    At most one contradiction (the first kind, in shuffled order, that applies) always comes
    first; paraphrases, a clause drop or an addition fill the rest. Half the time a
    contradiction's claim is first shortened by a clause drop, so that claims, like real
    ones, are often shorter than the evidence; half the time premise and hypothesis swap
    sides (a contradiction is symmetric). With ``contradict=False`` no contradiction is made
    (the builder uses it to balance the labels).
    """
    made: list[Example] = []
    shorter = drop_clause(sentence, rng)
    kinds = list(CONTRADICTIONS) if contradict else []
    if contradict and entities and pool:
        kinds.append("entity")
    rng.shuffle(kinds)
    contradiction: Example | None = None
    for kind in kinds:
        base = shorter if shorter is not None and rng.random() < 0.5 else sentence
        if kind == "entity":
            assert pool is not None
            if base is not sentence:  # entity offsets are into the full sentence
                base = sentence
            changed = swap_entity(base, entities, pool, rng)
        else:
            changed = CONTRADICTIONS[kind](base, rng)
        if changed is None or changed == base:
            continue
        premise, hypothesis = sentence, changed
        if base is sentence and rng.random() < 0.5:
            premise, hypothesis = changed, sentence
        contradiction = Example(premise, hypothesis, CONTRADICTS, kind)
        break
    for kind, paraphrase in PARAPHRASES.items():
        changed = paraphrase(sentence, rng)
        if changed is not None and changed != sentence:
            made.append(Example(sentence, changed, SUPPORTS, kind))
    if shorter is not None:  # both directions: the pair teaches which way entailment runs
        made.append(Example(sentence, shorter, SUPPORTS, "drop"))
        made.append(Example(shorter, sentence, NOT_MENTIONED, "add"))
    rng.shuffle(made)
    if contradiction is not None:  # the scarcest label: always kept
        made.insert(0, contradiction)
    return made[:per_sentence]
