"""Find English date expressions in text and normalise them to ``DateValue`` intervals.

Also compares two dates as day intervals: equal, compatible (one holds the other) or not.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
import re
from dataclasses import dataclass, replace
from typing import Literal

from accord.model import DateValue, Precision, Span
from accord.normalize import _datepatterns as pat

logger = logging.getLogger(__name__)

__all__ = [
    "DateMatch",
    "calendar_name",
    "compare_dates",
    "date_bounds",
    "find_dates",
    "find_unparsed_dates",
    "parse_date",
]

DateRelation = Literal["equal", "compatible", "incompatible"]

MAX_RANGE_YEARS = 300  # "1923-1955" is a span of years; "1200-1900" is likely something else
DAYS_PER_YEAR = 365.2425  # mean Gregorian year, for the linear fallback outside 1..9999
# How far an approximate date may stray, by precision: "c. 1066" covers a couple of years
# either side, "early 1942" a month or so past its third of the year.
APPROX_PAD_DAYS: dict[Precision, int] = {
    Precision.DAY: 3,
    Precision.MONTH: 31,
    Precision.SEASON: 45,
    Precision.YEAR: 2 * 365,
    Precision.DECADE: 5 * 365,
    Precision.CENTURY: 25 * 365,
}
_PATTERNS = pat.compile_all()
# Order breaks ties between candidates of equal length: explicit forms beat context guesses.
_RULE_ORDER = {name: i for i, name in enumerate(_PATTERNS)}
_RANGE_GAP = re.compile(r"\s*(?:(?P<dash>[–—-])|(?P<word>to|until|till|through|and))\s*")
_QUAL_MONTHS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}


@dataclass(frozen=True, slots=True, kw_only=True)
class DateMatch:
    """One date expression found in text.

    ``value`` is None when the text gives no year ("On July 25"); ``month`` and ``day`` then
    hold what it does give, for ``with_year`` to complete from context. ``relation`` is the
    word before the date that makes it a bound ("before", "after", "since", "until", "by",
    "from"), so callers do not read "before 1941" as "in 1941".
    """

    start: int
    end: int
    text: str
    value: DateValue | None
    month: int | None
    day: int | None
    relation: str | None = None

    def with_year(self, year: int, inferred_from: Span | None) -> DateValue:
        """Complete a year-less day and month (or month: "in May") with ``year`` taken from
        elsewhere.

        Args:
            year: The year to assume.
            inferred_from: Where that year was read, kept on the value as provenance.

        Returns:
            A day-precision ``DateValue``.

        Raises:
            ValueError: If the match has no month and day, or the day does not exist in
                that year (29 February of a common year).
        """
        if self.month is None:
            raise ValueError(f"{self.text!r} has no month to complete with a year")
        if self.day is None:  # "in May"
            return DateValue(
                year=year, month=self.month, precision=Precision.MONTH, inferred_from=inferred_from
            )
        if not pat.day_exists(year, self.month, self.day):
            raise ValueError(f"{self.text!r} does not exist in the year {year}")
        return DateValue(year=year, month=self.month, day=self.day, inferred_from=inferred_from)


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    rule: str
    value: DateValue | None  # None with month/day unset: a form that reads as no date
    month: int | None = None
    day: int | None = None


def find_dates(text: str, *, dayfirst: bool | None = None) -> list[DateMatch]:
    """Return every date expression in ``text``, in order and non-overlapping.

    Numeric dates ("12/07/1941", "12.07.1941") follow one rule: a number above 12 is the
    day; when both are 12 or less and differ, the date is ambiguous and comes back at YEAR
    precision, flagged approximate, unless ``dayfirst`` says which order the source uses.

    Args:
        text: The text to search.
        dayfirst: True for day/month/year sources, False for month/day/year, None to
            decide per date as above.

    Returns:
        The matches, with offsets into ``text``.
    """
    if len(text) > _CACHED_TEXT_LIMIT:
        return list(_find_dates.__wrapped__(text, dayfirst))
    return list(_find_dates(text, dayfirst))


_CACHED_TEXT_LIMIT = 4_000  # characters: sentences are cached, whole documents are not


@functools.lru_cache(maxsize=64)  # claims ask for a sentence's dates, then its amounts
def _find_dates(text: str, dayfirst: bool | None) -> tuple[DateMatch, ...]:
    candidates: list[_Candidate] = []
    for rule, pattern in _PATTERNS.items():
        for m in pattern.finditer(text):
            cand = _build(rule, m, text, dayfirst)
            if cand is not None:
                candidates.append(cand)
    chosen: list[_Candidate] = []
    taken: list[tuple[int, int]] = []
    for cand in sorted(candidates, key=lambda c: (c.start - c.end, _RULE_ORDER[c.rule], c.start)):
        if all(cand.end <= s or cand.start >= e for s, e in taken):
            taken.append((cand.start, cand.end))
            chosen.append(cand)
    chosen.sort(key=lambda c: c.start)
    chosen = _join_ranges(text, chosen)
    matches = []
    for cand in chosen:
        if cand.value is None and cand.month is None:
            continue  # a date-shaped string that is no valid date: it yields nothing
        rel = pat.RELATION_RE.search(text, max(0, cand.start - 12), cand.start)
        month = cand.month if cand.value is None else cand.value.month
        day = cand.day if cand.value is None else cand.value.day
        matches.append(
            DateMatch(
                start=cand.start,
                end=cand.end,
                text=text[cand.start : cand.end],
                value=cand.value,
                month=month,
                day=day,
                relation=pat.RELATIONS[rel.group("rel").lower()] if rel else None,
            )
        )
    logger.debug("found %d dates in %d characters", len(matches), len(text))
    return tuple(matches)


def parse_date(text: str, *, dayfirst: bool | None = None) -> DateValue | None:
    """Parse ``text`` as exactly one date expression.

    A leading preposition ("in July 1941") and trailing punctuation are allowed; a bare
    four-digit year is a date here because the whole string is one.

    Args:
        text: The string to parse.
        dayfirst: As for ``find_dates``.

    Returns:
        The value, or None when the string is not one complete date (or has no year).
    """
    body = re.sub(r"^(?i:in|on|of|during|dated|the)\s+", "", text.strip()).rstrip(",;: ")
    if body.startswith("(") and body.endswith(")"):
        body = body[1:-1].strip()
    if re.fullmatch(r"\d{4}", body) and pat.MIN_YEAR <= int(body) <= pat.MAX_YEAR:
        return DateValue(year=int(body), precision=Precision.YEAR)
    for candidate in (body, body.rstrip(".")):
        found = find_dates(candidate, dayfirst=dayfirst)
        if len(found) == 1 and found[0].start == 0 and found[0].end == len(candidate):
            return found[0].value
    return None


def date_bounds(v: DateValue) -> tuple[int, int]:
    """Return the proleptic Gregorian ordinals of the first and last day ``v`` covers.

    Years 1..9999 use ``datetime.date``; other years (BC as negative numbers) use a linear
    365.2425-day year, which keeps order and rough length.
    """
    coarse = v.precision >= Precision.YEAR
    month = None if coarse else v.month
    day = None if coarse or v.precision > Precision.DAY else v.day
    first = _ordinal(v.year, month or 1, day or 1)
    end_year = v.year_end if v.year_end is not None else v.year
    end_month = None if coarse else v.month_end
    if end_month is None and v.year_end in (None, v.year):
        end_month = month
    end_day = None if day is None else v.day_end
    if end_day is None and end_month == month and v.month_end is None and v.year_end is None:
        end_day = day
    end_month = end_month or 12
    last = _ordinal(end_year, end_month, end_day or pat.month_length(end_year, end_month))
    return first, last


def compare_dates(a: DateValue, b: DateValue) -> DateRelation:
    """Compare two dates as day intervals.

    Returns ``"equal"`` for the same interval, ``"compatible"`` when one holds the other or
    they overlap (and, when either is approximate, when they come within its margin of
    each other), else ``"incompatible"``. Partial overlap counts as compatible: a
    contradiction needs disjoint dates. Symmetric, and ``compare_dates(v, v) == "equal"``.
    """
    a0, a1 = date_bounds(a)
    b0, b1 = date_bounds(b)
    if (a0, a1) == (b0, b1):
        return "equal"
    pad = max(
        APPROX_PAD_DAYS[a.precision] if a.approximate else 0,
        APPROX_PAD_DAYS[b.precision] if b.approximate else 0,
    )
    if a0 - pad <= b1 and b0 - pad <= a1:
        return "compatible"
    return "incompatible"


def _build(rule: str, m: re.Match[str], text: str, dayfirst: bool | None) -> _Candidate | None:
    """Turn one regex match into a candidate, or None when the form does not apply here."""
    start, end = m.span()
    if rule in ("iso", "ymd"):
        return _Candidate(start, end, rule, pat.day_value(int(m["y"]), int(m["m"]), int(m["d"])))
    if rule == "numeric":
        return _Candidate(
            start, end, rule, pat.numeric(int(m["a"]), int(m["b"]), int(m["y"]), dayfirst)
        )
    if rule in ("dmy", "mdy"):
        value = pat.day_value(pat.parse_year(m["year"]), pat.month_number(m["mon"]), int(m["day"]))
        return _Candidate(start, end, rule, value)
    if rule in ("dmy_range", "mdy_range"):
        year, month = pat.parse_year(m["year"]), pat.month_number(m["mon"])
        d1, d2 = int(m["d1"]), int(m["day"])
        first, last = pat.day_value(year, month, d1), pat.day_value(year, month, d2)
        ok = first is not None and last is not None and d1 < d2
        return _Candidate(start, end, rule, replace(first, day_end=d2) if ok and first else None)
    if rule in ("dm", "md"):
        month, day = pat.month_number(m["mon"]), int(m["day"])
        if not pat.day_exists(2000, month, day):  # 2000 is a leap year: 29 February may stand
            return _Candidate(start, end, rule, None)
        return _Candidate(start, end, rule, None, month, day)
    if rule == "month_alone":
        start, end = m.span("bare")
        return _Candidate(start, end, rule, None, pat.month_number(m["mon"]), None)
    if rule == "my":
        year = pat.parse_year(m["year"])
        if year is None:
            return _Candidate(start, end, rule, None)
        value = DateValue(
            year=year,
            month=pat.month_number(m["mon"]),
            precision=Precision.MONTH,
            approximate=m["qual"] is not None,
        )
        return _Candidate(start, end, rule, value)
    if rule == "decade":
        lo = int(m["dec"])
        width = 100 if lo % 100 == 0 else 10  # "the 1800s" is the century, not 1800-1809
        value = pat.span_value(lo, lo + width - 1, m["qual"], Precision.DECADE)
        if width == 100:
            value = replace(value, precision=Precision.CENTURY, approximate=True)
        return _Candidate(start, end, rule, value)
    if rule == "century":
        return _Candidate(start, end, rule, pat.century(m))
    if rule == "season":
        return _Candidate(start, end, rule, pat.season(m["season"].lower(), int(m["year"])))
    if rule == "qual_year":
        lo, hi = _QUAL_MONTHS[m["qual"].lower()]
        year = int(m["year"])
        if not pat.MIN_YEAR <= year <= pat.MAX_YEAR or _is_count(text, m.end()):
            return None
        value = DateValue(
            year=year, month=lo, month_end=hi, precision=Precision.SEASON, approximate=True
        )
        return _Candidate(start, end, rule, value)
    if rule == "circa":
        year = pat.parse_year(m["year"])
        if year is None or _is_count(text, m.end()):
            return None
        value = DateValue(year=year, precision=Precision.YEAR, approximate=True)
        return _Candidate(start, end, rule, value)
    if rule == "about_year":
        # "built about 1835": a year only where nothing follows that it could count
        year = int(m["year"])
        if not pat.MIN_YEAR <= year <= pat.MAX_YEAR or not _year_alone(text, m.end()):
            return None
        value = DateValue(year=year, precision=Precision.YEAR, approximate=True)
        return _Candidate(start, end, rule, value)
    if rule == "year_range":
        return _year_range(m, text)
    if rule in ("era_year", "ad_year"):
        era = m.groupdict().get("era") or ""
        year = pat.parse_year(m["year"] + " " + era)
        value = None if year is None else DateValue(year=year, precision=Precision.YEAR)
        return _Candidate(start, end, rule, value)
    if rule == "paren_year" or rule == "context_year":
        year = int(m["year"])
        if not pat.MIN_YEAR <= year <= pat.MAX_YEAR or _is_count(text, m.end()):
            return None
        if rule == "context_year" and m["ctx"].lower() == "of" and _count_head_before(text, m):
            return None
        s, e = m.span("year")
        return _Candidate(s, e, rule, DateValue(year=year, precision=Precision.YEAR))
    raise ValueError(f"no builder for date rule {rule!r}")  # pragma: no cover


def _year_range(m: re.Match[str], text: str) -> _Candidate | None:
    kw = (m["kw"] or "").lower()
    sep = m["sep"].strip().lower()
    if (sep == "and" and kw != "between") or (sep in ("to", "until", "till") and kw != "from"):
        return None
    y1 = int(m["y1"])
    y2 = int(m["y2"]) if len(m["y2"]) == 4 else y1 // 100 * 100 + int(m["y2"])
    if not (pat.MIN_YEAR <= y1 < y2 <= pat.MAX_YEAR and y2 - y1 <= MAX_RANGE_YEARS):
        return None
    if _is_count(text, m.end()):
        return None
    value = DateValue(year=y1, year_end=y2, precision=Precision.YEAR)
    start = m.start() if kw else m.start("y1")
    return _Candidate(start, m.end(), "year_range", value)


def _is_count(text: str, end: int) -> bool:
    """True when the word after a number makes it a count or a measure ("1941 tonnes")."""
    nxt = re.match(r"\s*([A-Za-z]+)", text[end : end + 40])
    if nxt is None:
        return False
    word = nxt.group(1)
    if word != word.lower():
        return False
    if word in pat.UNIT_WORDS:
        return True
    return (
        len(word) >= 4
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is"))
        and word not in pat.NOT_PLURAL
    )


# Words that may follow a year ending its phrase ("built about 1835 for a tanner", "about 1835
# and 1840"); after "about N" any other word may be what N counts ("about 1500 people").
_AFTER_YEAR = frozenset(
    "for and by in on at when as but from to with after before under until or it he she they "
    "its his her their was were is which that".split()
)


def _year_alone(text: str, end: int) -> bool:
    """True when a number is followed by nothing it could count: the text's end, a mark of
    punctuation, or a word that ends a phrase (``_AFTER_YEAR``)."""
    nxt = re.match(r"\s*([A-Za-z]+)", text[end : end + 40])
    return nxt is None or nxt.group(1).lower() in _AFTER_YEAR


def _count_head_before(text: str, m: re.Match[str]) -> bool:
    before = re.search(r"([A-Za-z]+)\s+$", text[max(0, m.start() - 30) : m.start()])
    return before is not None and before.group(1).lower() in pat.COUNT_HEADS


def _join_ranges(text: str, chosen: list[_Candidate]) -> list[_Candidate]:
    """Join "12 July 1941 – 3 March 1942" and "from July 1941 to May 1942" into one range."""
    out: list[_Candidate] = []
    for cand in chosen:
        prev = out[-1] if out else None
        joined = _join(text, prev, cand) if prev is not None else None
        if joined is not None:
            out[-1] = joined
        else:
            out.append(cand)
    return out


def _join(text: str, a: _Candidate, b: _Candidate) -> _Candidate | None:
    gap = _RANGE_GAP.fullmatch(text, a.end, b.start)
    if gap is None or b.value is None or b.value.year_end is not None:
        return None
    kw = re.search(r"(?i:\b(between|from))\s+$", text[max(0, a.start - 10) : a.start])
    word = (gap["word"] or "").lower()
    between = kw is not None and kw.group(1).lower() == "between"
    if (word and not kw) or (word == "and") != between:
        return None
    start_value = a.value
    if start_value is None:  # "12 July – 3 August 1941": the first date takes the second's year
        if a.month is None or a.day is None or b.value.month is None:
            return None
        year = b.value.year - (1 if a.month > b.value.month else 0)
        start_value = pat.day_value(year, a.month, a.day)
    if start_value is None or start_value.year_end is not None:
        return None
    end = b.value
    same_year = end.year == start_value.year
    value = replace(
        start_value,
        precision=max(start_value.precision, end.precision),
        approximate=start_value.approximate or end.approximate,
        year_end=None if same_year else end.year,
        month_end=end.month if not same_year or end.month != start_value.month else None,
        day_end=end.day,
    )
    if date_bounds(value)[0] >= date_bounds(end)[1]:
        return None
    return _Candidate(a.start - (len(kw.group(0)) if kw else 0), b.end, "range", value)


def _ordinal(year: int, month: int, day: int) -> int:
    if 1 <= year <= 9999:
        return dt.date(year, month, day).toordinal()
    astro = year + 1 if year < 0 else year  # 1 BC is astronomical year 0
    day_of_year = sum(pat.month_length(year, m) for m in range(1, month)) + day
    return math.floor((astro - 1) * DAYS_PER_YEAR) + day_of_year


# A month name or day-month with a number of five or more digits where the year goes.
_LONG_YEAR = re.compile(rf"{pat.MONTH},?\s+(?P<year>\d{{5,}})\b")


def find_unparsed_dates(text: str) -> list[tuple[int, int, str, str]]:
    """Date-shaped strings that name no date, as ``(start, end, surface, reason)``.

    "31 February 1918" has no such day; "March 99999" has a year out of range. They are
    reported so that a reader sees why no date was taken, never guessed into one.
    """
    found: list[tuple[int, int, str, str]] = []
    for rule in ("dmy", "mdy", "dm", "md"):
        for m in _PATTERNS[rule].finditer(text):
            month = pat.month_number(m["mon"])
            day = int(m["day"])
            year_text = m.groupdict().get("year")
            year = pat.parse_year(year_text) if year_text else 2000  # 2000 is a leap year
            if year is not None and not pat.day_exists(year, month, day):
                when = f"{calendar_name(month)} {year}" if year_text else calendar_name(month)
                found.append((m.start(), m.end(), m.group(), f"there is no day {day} in {when}"))
    for m in _LONG_YEAR.finditer(text):
        reason = f"year {m['year']} is out of range ({pat.MIN_YEAR}-{pat.MAX_YEAR})"
        found.append((m.start(), m.end(), m.group(), reason))
    found.sort(key=lambda f: (f[0], -f[1]))
    unique: list[tuple[int, int, str, str]] = []
    for item in found:
        if not unique or item[0] >= unique[-1][1]:
            unique.append(item)
    return unique


def calendar_name(month: int) -> str:
    """The English name of month ``month`` (1-12)."""
    return dt.date(2000, month, 1).strftime("%B")
