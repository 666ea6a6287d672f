"""Regular expressions, word tables and value builders behind ``accord.normalize.dates``.

Kept apart so the date module holds the search and comparison, this one the English forms.
"""

from __future__ import annotations

import calendar
import re

from accord.model import DateValue, Precision


def _words(text: str) -> list[str]:
    """Split a space-separated word table (kept as prose so it stays readable)."""
    return text.split()


MIN_YEAR = 1000  # a bare four-digit number below this is a count, not a year
MAX_YEAR = 2999  # well past any document accord reads; keeps "4000" a count

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

_FULL = [n for n in MONTHS if len(n) > 4 or n in {"may", "june", "july"}]
_ABBR = sorted((n for n in MONTHS if n not in _FULL), key=len, reverse=True)


def _alts(names: list[str]) -> str:
    # Month names are matched only Capitalised or UPPER: "march", "may" in lower case are words.
    return "|".join(alt for name in names for alt in (name.capitalize(), name.upper()))


MONTH = rf"(?P<mon>(?:{_alts(_FULL)}|{_alts(_ABBR)})\b\.?)"
# A month that may stand without a year: a full name, or an abbreviation with its dot.
MONTH_ALONE = rf"(?P<mon>(?:{_alts(_FULL)})\b|(?:{_alts(_ABBR)})\.)"
DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d\w])"
ERA = r"(?:BCE|BC|B\.C\.E\.|B\.C\.|AD|CE|A\.D\.|C\.E\.)(?!\w)"
# Four digits, or one to three digits only when an era marker follows ("500 BC").
YEAR = rf"(?P<year>(?:\d{{4}}|\d{{1,3}}(?=\s*{ERA}))(?:\s*{ERA})?)(?![\w%]|[.,]\d)"
YEAR4 = r"(?P<year>\d{4})(?![\w%]|[.,]\d)"
NUM_START = r"(?<![\w.,/$£€¥–—-])"  # not inside a word, a larger number or an amount
QUAL = r"(?:(?P<qual>[Ee]arly|[Mm]id|[Ll]ate)[\s-]+)"
THE = r"(?:(?:[Tt]he)\s+)?"

_ORDINAL_WORDS = _words(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
)
ORDINAL_WORDS: dict[str, int] = {w: i + 1 for i, w in enumerate(_ORDINAL_WORDS)}
ORDINAL_WORDS["twenty-first"] = 21
_ORDINAL_ALTS = "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True))

SEASONS: dict[str, tuple[int, int]] = {
    "spring": (3, 5),
    "summer": (6, 8),
    "autumn": (9, 11),
    "fall": (9, 11),
    "winter": (12, 2),
}

# Words after which a bare four-digit number reads as a year. "to" and "for" are left out:
# "rose to 1945" and "for 1941 men" are counts far more often than dates.
YEAR_CONTEXT = (
    "in|on|of|by|since|until|till|from|during|before|after|circa|c\\.|ca\\.|year|born|died|"
    "around|throughout|early|mid|late|spring|summer|autumn|fall|winter|up to|as of|prior to|"
    "end of|start of|beginning of|middle of"
)

# The qualifier before a date that makes it a bound rather than the date itself.
RELATIONS: dict[str, str] = {
    "before": "before",
    "prior to": "before",
    "after": "after",
    "since": "since",
    "until": "until",
    "till": "until",
    "up to": "until",
    "by": "by",
    "from": "from",
    "as of": "by",
}
RELATION_RE = re.compile(
    r"(?i:\b(?P<rel>prior to|up to|as of|before|after|since|until|till|by|from))\s+$"
)

# Nouns before "of" that make the number after it a count: "a total of 1941".
COUNT_HEADS = frozenset(
    _words(
        "total number sum population maximum minimum average count crew force strength out group "
        "team garrison army fleet budget cost price loss losses casualties toll estimate figure "
        "height length depth altitude distance weight elevation area score tally some"
    )
)
# Words after a number that make it a count or measure, not a year.
UNIT_WORDS = frozenset(
    _words(
    "km kilometres kilometers miles mile metres meters m ft feet kg kilograms tonnes tons "
    "pounds lb men women people troops soldiers years days months weeks hours minutes ships "
    "aircraft planes tanks guns dollars euros pounds casualties dead killed wounded prisoners "
    "of were are have persons votes seats copies units"
    )
)  # fmt: skip
# Words ending in "s" that are not plural nouns, so do not mark a count.
NOT_PLURAL = frozenset(
    _words(
        "was is has as its his this thus us yes less unless whereas across perhaps plus does "
        "goes always besides afterwards towards nevertheless sometimes various famous serious "
        "whose whereas alongside"
    )
)


def compile_all() -> dict[str, re.Pattern[str]]:
    """Compile every date pattern, keyed by the rule name ``dates._build`` dispatches on."""
    patterns = {
        "iso": rf"{NUM_START}(?P<y>\d{{4}})-(?P<m>\d{{2}})-(?P<d>\d{{2}})(?![\w/-]|\.\d)",
        "ymd": rf"{NUM_START}(?P<y>\d{{4}})/(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})(?![\w/-]|\.\d)",
        "numeric": rf"{NUM_START}(?P<a>\d{{1,2}})(?P<sep>[/.])(?P<b>\d{{1,2}})(?P=sep)"
        r"(?P<y>\d{4})(?![\w/-]|\.\d)",
        "dmy": rf"{NUM_START}{DAY}(?:\s+of)?\s+{MONTH},?\s+{YEAR}",
        "mdy": rf"\b{MONTH}\s+{DAY}(?:\s*,\s*|\s+){YEAR}",
        "dmy_range": rf"{NUM_START}(?P<d1>[12]\d|3[01]|0?[1-9])\s*[–—-]\s*{DAY}\s+{MONTH},?\s+"
        rf"{YEAR}",
        "mdy_range": rf"\b{MONTH}\s+(?P<d1>[12]\d|3[01]|0?[1-9])\s*[–—-]\s*{DAY},?\s+{YEAR}",
        "dm": rf"{NUM_START}{DAY}(?:\s+of)?\s+{MONTH_ALONE}",
        "md": rf"\b{MONTH_ALONE}\s+{DAY}(?![–—-]\d|[,.]\d|:)",
        "my": rf"\b{QUAL}?{MONTH},?\s+{YEAR}",
        # "opened in May", "by late June": a month with no year, after a preposition (a
        # capitalised "May" alone is as often the verb or a name)
        "month_alone": r"\b(?i:in|of|by|until|till|since|from|during|before|after)\s+"
        rf"(?P<bare>{QUAL}?{MONTH_ALONE})(?!\s*,?\s*\d|\s+of\s+\d)",
        "decade": rf"\b{THE}{QUAL}?(?P<dec>\d{{3}}0)'?s\b",
        "century": rf"\b{THE}{QUAL}?(?:(?P<cn>\d{{1,2}})(?:st|nd|rd|th)|"
        rf"(?i:(?P<cw>{_ORDINAL_ALTS})))[\s-]+(?i:century)(?:\s+(?P<era>{ERA}))?",
        "season": rf"\b{THE}{QUAL}?(?i:(?P<season>spring|summer|autumn|fall|winter))"
        rf"(?:\s+of)?,?\s+{YEAR4}",
        "qual_year": rf"\b{QUAL}{YEAR4}",
        "circa": rf"(?:\b(?i:circa|around|approximately)\s+|\b(?i:c\.|ca\.)\s*){YEAR}",
        "about_year": rf"\b(?i:about)\s+{YEAR4}",
        "year_range": rf"(?:\b(?P<kw>(?i:between|from))\s+)?{NUM_START}(?P<y1>\d{{4}})"
        r"(?P<sep>\s*[–—-]\s*|\s+(?i:and|to|until|till)\s+)(?P<y2>\d{4}|\d{2})(?![\w%]|[.,]\d)",
        "era_year": rf"{NUM_START}{YEAR}(?<=[A-Z.])",
        "ad_year": r"\b(?P<era>AD|A\.D\.)\s*(?P<year>\d{1,4})(?![\w%]|[.,]\d)",
        "paren_year": r"\((?P<year>\d{4})\)",
        "context_year": rf"\b(?i:(?P<ctx>{YEAR_CONTEXT}))\s+{YEAR4}",
    }
    return {name: re.compile(p) for name, p in patterns.items()}


def parse_year(token: str | None) -> int | None:
    """Read "1941", "500 BC", "AD 800" as a year (BC negative), None when out of range."""
    if token is None:
        return None
    digits = int(re.match(r"\d+", token.strip()).group())  # type: ignore[union-attr]
    era = re.sub(r"[\d\s.]", "", token).upper()
    if era in ("BC", "BCE"):
        return -digits if digits > 0 else None
    if era in ("AD", "CE"):
        return digits if digits > 0 else None
    return digits if MIN_YEAR <= digits <= MAX_YEAR else None


def month_number(token: str) -> int:
    """The number of a month name or abbreviation ("Jul." -> 7)."""
    return MONTHS[token.rstrip(".").lower()]


def day_exists(year: int, month: int, day: int) -> bool:
    """True when the day is on the calendar (29 February only in leap years)."""
    return 1 <= month <= 12 and 1 <= day <= month_length(year, month)


def month_length(year: int, month: int) -> int:
    """Days in a month; outside 1..9999 every fourth year is a leap year."""
    if 1 <= year <= 9999:
        return calendar.monthrange(year, month)[1]
    return (
        29
        if month == 2 and year % 4 == 0
        else (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    )


def day_value(year: int | None, month: int, day: int) -> DateValue | None:
    """A day-precision value, or None when the year is missing or the day does not exist."""
    if year is None or not day_exists(year, month, day):
        return None
    return DateValue(year=year, month=month, day=day)


def numeric(a: int, b: int, year: int, dayfirst: bool | None) -> DateValue | None:
    """Apply the numeric-date rule described in ``find_dates``."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if a > 12 or b > 12 or a == b or dayfirst is not None:
        day_first = a > 12 or (b <= 12 and dayfirst is not False)
        if a > 12 and b > 12:
            return None
        day, month = (a, b) if day_first else (b, a)
        return day_value(year, month, day)
    if a < 1 or b < 1:
        return None
    return DateValue(year=year, precision=Precision.YEAR, approximate=True)


def span_value(first: int, last: int, qual: str | None, precision: Precision) -> DateValue:
    """A year span, narrowed to its first, middle or last third by early/mid/late."""
    if qual is None:
        return DateValue(year=first, year_end=last, precision=precision)
    third = (last - first + 1) // 3
    lo, hi = {
        "early": (first, first + third),
        "mid": (first + third, last - third),
        "late": (last - third, last),
    }[qual.lower()]
    return DateValue(year=lo, year_end=hi, precision=precision, approximate=True)


def century(m: re.Match[str]) -> DateValue | None:
    """Read "the 19th century" as 1800-1899, the reading most writers mean; BC runs backwards.

    Strict usage (1801-1900) differs only in the first and the last year.
    """
    n = int(m["cn"]) if m["cn"] else ORDINAL_WORDS[m["cw"].lower()]
    if not 1 <= n <= 30:
        return None
    era = re.sub(r"[.\s]", "", m["era"] or "").upper()
    if era in ("BC", "BCE"):
        return span_value(-n * 100, -(n - 1) * 100 - 1, m["qual"], Precision.CENTURY)
    return span_value(max(1, (n - 1) * 100), n * 100 - 1, m["qual"], Precision.CENTURY)


def season(name: str, year: int) -> DateValue | None:
    """A season's months; winter is left open to both readings (Jan this year to Feb next)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    lo, hi = SEASONS[name]
    if lo > hi:
        return DateValue(
            year=year, month=1, year_end=year + 1, month_end=hi,
            precision=Precision.SEASON, approximate=True,
        )  # fmt: skip
    return DateValue(
        year=year, month=lo, month_end=hi, precision=Precision.SEASON, approximate=True
    )
