"""Find cardinal quantities ("6,650 km", "about two thousand men", "$5 million") in text.

Compares two quantities after unit conversion, with a tolerance when either is approximate.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from accord.model import Quantity
from accord.normalize.dates import find_dates
from accord.normalize.units import convert

logger = logging.getLogger(__name__)


def _words(text: str) -> list[str]:
    """Split a space-separated word table (kept as prose so it stays readable)."""
    return text.split()


__all__ = [
    "QuantityMatch",
    "compare_quantities",
    "find_quantities",
    "find_unparsed_quantities",
    "unit_code",
]

QuantityRelation = Literal["equal", "compatible", "incompatible", "incomparable"]
Bound = Literal["lower", "upper"]

APPROX_TOLERANCE = Decimal("0.10")  # "about 6,650" stays true within 10% either way
# Converted figures are rounded by the writer ("6,650 km (4,130 mi)"): 1% absorbs that.
CONVERSION_TOLERANCE = Decimal("0.01")

_UNITS: dict[str, str] = {
    "%": "%", "percent": "%", "per cent": "%", "pct": "%",
    "km": "km", "kms": "km", "kilometre": "km", "kilometer": "km",
    "mi": "mi", "mile": "mi", "m": "m", "metre": "m", "meter": "m", "cm": "cm",
    "centimetre": "cm", "centimeter": "cm", "ft": "ft", "foot": "ft", "feet": "ft",
    "kg": "kg", "kilogram": "kg", "kilo": "kg", "g": "g", "gram": "g",
    "tonne": "t", "t": "t", "metric ton": "t", "lb": "lb", "lbs": "lb",
    "year": "year", "yr": "year", "month": "month", "week": "week", "day": "day",
    "hour": "hour", "hr": "hour", "minute": "minute", "min": "minute",
    "dollar": "USD", "us dollar": "USD", "pound sterling": "GBP",
    "pounds sterling": "GBP", "euro": "EUR",
    "rouble": "RUB", "ruble": "RUB", "yen": "JPY",
    "mm": "mm", "millimetre": "mm", "millimeter": "mm", "inch": "inch", "yard": "yd",
    "yd": "yd", "nautical mile": "nmi", "hectare": "ha", "acre": "acre",
    "litre": "l", "liter": "l", "gallon": "gal", "mph": "mph", "km/h": "km/h",
    "kph": "km/h", "second": "second", "sec": "second",
}  # fmt: skip
_CURRENCY_SYMBOLS = {"US$": "USD", "$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY"}
_SCALES = {
    "hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12
}  # fmt: skip
_SMALL = _words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_TENS = _words("twenty thirty forty fifty sixty seventy eighty ninety")
_WORD_VALUES = {w: i for i, w in enumerate(_SMALL)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
_NUMBER_WORD = "|".join(sorted([*_WORD_VALUES, *_SCALES], key=len, reverse=True))
_APPROX = (
    "about|around|nearly|approximately|approx\\.|almost|roughly|some|an estimated|estimated|"
    "c\\.|circa|over|more than|at least|upwards of|up to|under|less than|fewer than|at most"
)
_LOWER = frozenset({"over", "more than", "at least", "upwards of"})
_UPPER = frozenset({"up to", "under", "less than", "fewer than", "at most"})
_QTY_RE = re.compile(
    rf"(?:\b(?P<approx>(?i:{_APPROX}))\s+)?"
    r"(?:(?P<cur>US\$|[$£€¥])\s?)?"
    rf"(?:(?<![\w.,/-])(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d,]\d|[.]\d)"
    r"(?:\s*(?P<scale>(?i:hundred|thousand|million|billion|trillion))\b|(?P<short>m|bn)\b)?"
    rf"|\b(?P<words>(?i:{_NUMBER_WORD})(?:(?:[\s-]+|\s+and\s+)(?i:{_NUMBER_WORD}))*)\b)"
    r"(?P<pct>\s*%|\s+(?i:per\s?cent)\b)?"
)
_NEXT_WORD = re.compile(r"\s*([A-Za-z]+(?:[\s-](?:sterling|dollars?|tons?))?)")
# Words after a number that are not what it counts ("two of the", "one another").
_NOT_UNITS = frozenset(
    _words(
        "of the a an and or to in on at by for with from as than that which who whom whose this "
        "these those it its their his her our we they he she i you was were is are be been had "
        "have has will would could should may might another other others more less per each "
        "times time"
    )
)
_PRONOUN_ONE_BEFORE = frozenset(_words("no any every each some the this that which"))
_IRREGULAR = {"men": "man", "women": "woman", "people": "person", "children": "child",
              "feet": "ft", "teeth": "tooth", "mice": "mouse", "geese": "goose"}  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class QuantityMatch:
    """A cardinal quantity found in text, with offsets into the searched string.

    ``bound`` is ``"lower"`` for "over 5,000" and ``"upper"`` for "up to 5,000": the value
    is then a limit, not a point, and ``compare_quantities`` should be told so.
    """

    start: int
    end: int
    text: str
    value: Quantity
    bound: Bound | None = None


def find_quantities(text: str) -> list[QuantityMatch]:
    """Return the cardinal quantities in ``text``, in order; dates and years are skipped.

    The unit is a known unit's symbol ("km", "t", "USD", "%"), else the singular of the
    noun after the number ("20 years" -> "year", "two Governments" -> "government"), else
    None. List markers such as "(1)" are not quantities.
    """
    date_spans = [(d.start, d.end) for d in find_dates(text)]
    out: list[QuantityMatch] = _fractions_and_dozens(text)
    special = [(q.start, q.end) for q in out]
    pos = 0
    while (m := _QTY_RE.search(text, pos)) is not None:
        pos = m.end() if m.end() > m.start() else m.start() + 1
        if m["num"] is None and m["words"] is None:
            continue
        if any(s < m.end() and m.start() < e for s, e in special):
            continue
        num_start = m.start("num") if m["num"] is not None else m.start("words")
        num_end = m.end("num") if m["num"] is not None else m.end("words")
        if any(s < num_end and num_start < e for s, e in date_spans):
            continue
        if m["num"] is not None and _is_list_marker(text, num_start, num_end):
            continue
        if m["words"] is not None:
            amount, used = _parse_words(m["words"])
            if used < len(m["words"]):  # "one and two": keep "one", rescan from "two"
                pos = m.start("words") + used
                end = pos
                if amount is None:
                    continue
                out.append(_make(text, m, amount, end, allow_pct=False))
                continue
            if amount is None:
                continue
            end = m.end()
        else:
            amount = Decimal(m["num"].replace(",", ""))
            end = m.end()
            if m["scale"]:
                amount *= _SCALES[m["scale"].lower()]
            elif m["short"] and m["cur"]:  # "$5m", "£2bn"; a bare "5m" is five metres
                amount *= 10**6 if m["short"] == "m" else 10**9
            elif m["short"]:
                end = num_end
        match = _make(text, m, amount, end, allow_pct=True)
        if m["words"] and m["words"].lower() == "one" and _is_pronoun_one(text, m, match):
            continue
        out.append(match)
    out.sort(key=lambda q: q.start)
    logger.debug("found %d quantities in %d characters", len(out), len(text))
    return out


_COUNT = r"an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+"
_SPECIAL_RE = re.compile(
    rf"(?:\b(?P<approx>(?i:{_APPROX}))\s+)?\b(?:"
    rf"(?P<n>(?i:{_COUNT}))\s+and\s+a\s+half\s+(?P<scale>(?i:hundred|thousand|million|billion))"
    rf"|(?i:half\s+an?)\s+(?P<half>(?i:hundred|thousand|million|billion|dozen))"
    rf"|(?P<k>(?i:{_COUNT}))\s+dozen)\b"
)


def unit_code(word: str) -> str | None:
    """accord's code for a unit word ("metre" -> "m", "percent" -> "%"), or None for a
    word that is no unit."""
    return _UNITS.get(word.lower())


def _count_value(word: str) -> Decimal:
    word = word.lower()
    if word in ("a", "an"):
        return Decimal(1)
    return Decimal(word) if word.isdigit() else Decimal(_WORD_VALUES[word])


def _fractions_and_dozens(text: str) -> list[QuantityMatch]:
    """ "one and a half thousand" (1,500), "half a million", "two dozen" (24), "a dozen"."""
    out: list[QuantityMatch] = []
    lowered = text.lower()
    if "dozen" not in lowered and "half" not in lowered:
        return out  # the common case, without running the pattern
    for m in _SPECIAL_RE.finditer(text):
        if m["scale"]:
            amount = (_count_value(m["n"]) + Decimal("0.5")) * _SCALES[m["scale"].lower()]
        elif m["half"]:
            amount = Decimal("0.5") * (
                12 if m["half"].lower() == "dozen" else _SCALES[m["half"].lower()]
            )
        else:
            amount = _count_value(m["k"]) * 12
        out.append(_make(text, m, amount, m.end(), allow_pct=False))
    return out


def compare_quantities(
    a: Quantity, b: Quantity, *, a_bound: Bound | None = None, b_bound: Bound | None = None
) -> QuantityRelation:
    """Compare two quantities, converting units where the table allows.

    Args:
        a: The first quantity.
        b: The second quantity.
        a_bound: ``"lower"``/``"upper"`` when ``a`` is a limit ("over 5,000").
        b_bound: The same for ``b``.

    Returns:
        ``"incomparable"`` for units that do not convert (or one unit missing),
        ``"equal"`` for the same amount in the same unit, ``"compatible"`` within
        ``APPROX_TOLERANCE`` when either is approximate (``CONVERSION_TOLERANCE`` after a
        unit conversion) or when a bound admits the other value, else ``"incompatible"``.
    """
    converted = _convert(b.amount, b.unit, a.unit)
    if converted is None:
        return "incomparable"
    x, y = a.amount, converted
    if a.unit == b.unit and x == y and a_bound == b_bound:
        return "equal"
    tol = APPROX_TOLERANCE if (a.approximate or b.approximate) else Decimal(0)
    if a.unit != b.unit:
        tol = max(tol, CONVERSION_TOLERANCE)
    if a_bound and b_bound:
        if a_bound == b_bound:
            return "compatible"  # two lower (or two upper) limits never exclude each other
        low, high = (x, y) if a_bound == "lower" else (y, x)
        return "compatible" if low * (1 - tol) <= high else "incompatible"
    if _within_bound(x, y, a_bound, tol) and _within_bound(y, x, b_bound, tol):
        if a_bound or b_bound:
            return "compatible"
        scale = max(abs(x), abs(y))
        if scale == 0 or abs(x - y) <= tol * scale:
            return "equal" if x == y and not tol else "compatible"
    return "incompatible"


def _within_bound(limit: Decimal, other: Decimal, bound: Bound | None, tol: Decimal) -> bool:
    """True when ``other`` satisfies ``limit`` read as a lower or upper bound."""
    if bound == "lower":
        return other >= limit * (1 - tol)
    if bound == "upper":
        return other <= limit * (1 + tol)
    return True


def _convert(amount: Decimal, unit: str | None, target: str | None) -> Decimal | None:
    return convert(amount, unit, target)


def _make(
    text: str, m: re.Match[str], amount: Decimal, end: int, *, allow_pct: bool
) -> QuantityMatch:
    groups = m.groupdict()
    approx = (groups.get("approx") or "").lower()
    unit: str | None = None
    if groups.get("cur"):
        unit = _CURRENCY_SYMBOLS[groups["cur"]]
    if allow_pct and groups.get("pct"):
        unit = "%"
    if unit is None:
        unit, end = _unit_after(text, end)
    start = m.start()
    value = Quantity(amount=amount, unit=unit, approximate=bool(approx))
    bound: Bound | None = "lower" if approx in _LOWER else "upper" if approx in _UPPER else None
    return QuantityMatch(start=start, end=end, text=text[start:end], value=value, bound=bound)


def _unit_after(text: str, end: int) -> tuple[str | None, int]:
    """The unit named by the word after a number, and where that word ends."""
    nxt = _NEXT_WORD.match(text, end)
    if nxt is None or (nxt.start(1) > end and text[end] not in " \t-"):
        return None, end
    phrase = nxt.group(1).lower().replace("-", " ")
    for candidate in (phrase, phrase.split()[0]):
        lemma = _singular(candidate)
        if candidate in _UNITS or lemma in _UNITS:
            unit = _UNITS.get(candidate) or _UNITS[lemma]
            stop = nxt.end(1) if candidate == phrase else nxt.start(1) + len(candidate)
            return unit, stop
    word = phrase.split()[0]
    if word in _NOT_UNITS or nxt.start(1) > end + 2:
        return None, end
    return _singular(word), nxt.start(1) + len(word)


def _singular(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _parse_words(words: str) -> tuple[Decimal | None, int]:
    """Read number words; return the value of the longest valid prefix and its length."""
    total = current = 0
    last = ""  # category of the previous word: small, ten, hundred, scale
    used = 0
    for tok in re.finditer(r"[A-Za-z]+", words):
        w = tok.group().lower()
        if w == "and":
            if last not in ("hundred", "scale"):
                break
            continue
        if w in _WORD_VALUES:
            v = _WORD_VALUES[w]
            kind = "ten" if w in _TENS else "small"
            if last == "small" or (last == "ten" and (kind == "ten" or v >= 10)):
                break
            current += v
            last = kind
        elif w == "hundred":
            if last not in ("small", "ten") or current >= 100:
                break
            current *= 100
            last = "hundred"
        else:
            if last == "" or last == "scale":
                break
            total += current * _SCALES[w]
            current = 0
            last = "scale"
        used = tok.end()
    if used == 0:
        return None, len(words) if not words else max(1, len(words.split()[0]))
    return Decimal(total + current), used


def _is_pronoun_one(text: str, m: re.Match[str], match: QuantityMatch) -> bool:
    """ "no one", "the one", "one another": "one" here is a pronoun, not a count."""
    before = re.search(r"([A-Za-z]+)\s+$", text[max(0, m.start() - 20) : m.start()])
    prev = before.group(1).lower() if before else ""
    return match.value.unit is None or prev in _PRONOUN_ONE_BEFORE


def _is_list_marker(text: str, start: int, end: int) -> bool:
    """ "(1)" or a line-initial "1." / "1)" numbers a list item, it counts nothing."""
    if text[start - 1 : start] == "(" and text[end : end + 1] == ")":
        return True
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip() and text[end : end + 1] in (".", ")")


# "¾ of a million", "2½ miles": fractions in one character are left unread, with a reason.
_VULGAR = re.compile(
    r"(?:\d+\s?)?[\u00bc-\u00be\u2150-\u215e](?:\s+of\s+an?\s+(?i:hundred|thousand|million|billion))?"
)
# A number run into letters of another script ("12 кm" with a Cyrillic k): a spoof or an
# encoding slip, so no unit is guessed.
_MIXED = re.compile(r"\b\d[\d,.]*\s?(?=\w*[A-Za-z])(?=\w*[^\W\d_A-Za-z])\w+")


def find_unparsed_quantities(text: str) -> list[tuple[int, int, str, str]]:
    """Number-shaped strings accord does not read, as ``(start, end, surface, reason)``."""
    found = [
        (m.start(), m.end(), m.group(), "a fraction written as one character is not read")
        for m in _VULGAR.finditer(text)
    ]
    found += [
        (m.start(), m.end(), m.group(), "the unit mixes letters of different scripts")
        for m in _MIXED.finditer(text)
    ]
    return sorted(found)
