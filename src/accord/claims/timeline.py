"""Dates that need context: bare days ("On July 25") and relative dates ("the following
month", "two years later", "that day", "one month before 1 September 1939").

A ``Timeline`` remembers the last explicit date of the section; every value it resolves is
marked ``inferred_from`` the span of the date it was computed from.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from accord.model import DateValue, EntityRef, Precision, Span
from accord.normalize import DateMatch, find_dates
from accord.normalize.entities import same_name

logger = logging.getLogger(__name__)

__all__ = ["People", "RelativeMatch", "TimedDate", "Timeline", "find_relative", "shift"]

_UNIT_PRECISION = {"day": Precision.DAY, "month": Precision.MONTH, "year": Precision.YEAR}
_COUNT_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_COUNT = r"(?P<n>\d{1,2}|" + "|".join(_COUNT_WORDS) + r")"
_UNIT = r"(?P<unit>day|week|month|year)s?"
# Longest forms first: "one month before <date>" must win over "one month".
_RELATIVE = re.compile(
    rf"\b(?i:{_COUNT}\s+{_UNIT}\s+(?P<dir>later|afterwards?|earlier|before|after|prior\s+to))"
    r"|\b(?i:(?:the|that)\s+(?P<which>following|next|previous|preceding|same)\s+"
    r"(?P<unit2>day|month|year))"
    # "this year" is left out: in news it means the year of writing, not of the context.
    r"|\b(?i:that\s+(?P<unit4>day|month|year))\b"
)
# How far after a relative phrase its anchor date may stand ("one month before the
# invasion of Poland on 1 September 1939"): past this the date belongs to something else.
ANCHOR_WINDOW_CHARS = 80


@dataclass(frozen=True, slots=True, kw_only=True)
class RelativeMatch:
    """A relative date phrase: its offsets, the step it takes and what it is relative to.

    ``months``/``days`` is the signed step from the anchor; ``unit`` the precision of the
    result; ``anchored_after`` True when the anchor follows in the same sentence ("one
    month before <date>"), False when it comes from earlier text.
    """

    start: int
    end: int
    text: str
    unit: str
    months: int = 0
    days: int = 0
    anchored_after: bool = False
    approximate: bool = False


def find_relative(text: str) -> list[RelativeMatch]:
    """Return the relative date phrases of ``text`` in order.

    Example:
        >>> [m.months for m in find_relative("Two years later, it was renewed.")]
        [24]
    """
    out: list[RelativeMatch] = []
    for m in _RELATIVE.finditer(text):
        start, end = m.span()
        if m["n"] is not None:
            count = _count(m["n"])
            unit = m["unit"].lower()
            direction = re.sub(r"\s+", " ", m["dir"].lower())
            sign = -1 if direction in {"earlier", "before", "prior to"} else 1
            anchored_after = direction in {"before", "after", "prior to"}
            out.append(_step(start, end, text, unit, sign * count, anchored_after, True))
        elif m["which"] is not None:
            unit = m["unit2"].lower()
            which = m["which"].lower()
            step = 0 if which == "same" else -1 if which in {"previous", "preceding"} else 1
            out.append(_step(start, end, text, unit, step, False, False))
        else:
            out.append(_step(start, end, text, m["unit4"].lower(), 0, False, False))
    return out


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _COUNT_WORDS[word.lower()]


def _step(
    start: int, end: int, text: str, unit: str, n: int, anchored_after: bool, approx: bool
) -> RelativeMatch:
    months = days = 0
    if unit == "year":
        months = 12 * n
    elif unit == "month":
        months = n
    elif unit == "week":
        days, unit = 7 * n, "day"
    else:
        days = n
    return RelativeMatch(
        start=start,
        end=end,
        text=text[start:end],
        unit=unit,
        months=months,
        days=days,
        anchored_after=anchored_after,
        approximate=approx,
    )


def shift(anchor: DateValue, match: RelativeMatch, source: Span) -> DateValue | None:
    """The date ``match`` names, counted from ``anchor``; None when the anchor is too coarse.

    A day step needs a day anchor, a month step a month anchor; the result is never more
    precise than its anchor and is marked ``inferred_from`` ``source``.
    """
    precision = _UNIT_PRECISION[match.unit]
    if anchor.year_end is not None or anchor.month_end is not None or anchor.day_end is not None:
        return None  # a range has no single point to count from
    if anchor.precision > precision:
        return None  # "the following day" after "in 1941" names no day
    year, month, day = anchor.year, anchor.month, anchor.day
    if precision == Precision.DAY:
        if month is None or day is None or anchor.precision != Precision.DAY:
            return None
        if not 1 <= year <= 9999:
            return None
        try:
            moved = date(year, month, day) + timedelta(days=match.days)
        except (OverflowError, ValueError):
            return None
        return DateValue(
            year=moved.year,
            month=moved.month,
            day=moved.day,
            precision=Precision.DAY,
            approximate=match.approximate or anchor.approximate,
            inferred_from=source,
        )
    if precision == Precision.MONTH:
        if month is None:
            return None
        index = year * 12 + (month - 1) + match.months
        return DateValue(
            year=index // 12,
            month=index % 12 + 1,
            precision=Precision.MONTH,
            approximate=match.approximate or anchor.approximate,
            inferred_from=source,
        )
    return DateValue(
        year=year + match.months // 12,
        precision=Precision.YEAR,
        approximate=match.approximate or anchor.approximate,
        inferred_from=source,
    )


@dataclass(frozen=True, slots=True)
class TimedDate:
    """A date of a sentence with document offsets.

    ``kind`` is ``explicit`` (written out, or a bare day completed with a year),
    ``relative`` ("the following month") or ``anchor`` (the date a "one month before ..."
    counts from: it is the date of another event, not of the clause's verb).
    """

    start: int
    end: int
    surface: str
    value: DateValue
    kind: str


@dataclass(slots=True)
class People:
    """The people a document has named in full, so that a later bare surname ("Cripps")
    resolves to the full name ("Stafford Cripps") when only one person has it."""

    by_surname: dict[str, str | None] = field(default_factory=dict)

    def resolve(self, ref: EntityRef) -> EntityRef:
        """Return ``ref`` under the full name its surname stands for, and remember full
        names; a surname two people share resolves to neither."""
        words = ref.name.split()
        if len(words) == 1:
            full = self.by_surname.get(words[0])
            return replace(ref, name=full) if full else ref
        surname = words[-1]
        if surname not in self.by_surname:
            self.by_surname[surname] = ref.name
            return ref
        known = self.by_surname[surname]
        if known is not None and same_name(replace(ref, name=known), ref):
            self.by_surname[surname] = max(known, ref.name, key=len)
        else:
            self.by_surname[surname] = None  # two people share the surname
        return ref


@dataclass(slots=True)
class Timeline:
    """The dates a section has given so far, for resolving the ones that need context,
    and the people the document has named (which outlive a section).

    Call ``resolve`` once per sentence in text order; call ``reset`` at a new section.
    """

    last: DateValue | None = None
    last_span: Span | None = None
    people: People = field(default_factory=People)

    def reset(self) -> None:
        """Forget the context (a new section starts)."""
        self.last, self.last_span = None, None

    def resolve(self, text: str, base: int, doc_id: str) -> list[TimedDate]:
        """Return the dates of one sentence, with document offsets, resolving bare and
        relative dates, and advance the context.

        Args:
            text: The sentence.
            base: The document offset where the sentence starts.
            doc_id: The document's id, for provenance spans.
        """
        matches = find_dates(text)
        explicit = [m for m in matches if m.value is not None]
        found: list[TimedDate] = []
        taken = [(m.start, m.end) for m in matches]
        anchors: set[int] = set()
        for rel in find_relative(text):
            if any(rel.start < e and s < rel.end for s, e in taken):
                continue
            resolved = self._relative(rel, explicit, base, doc_id)
            if resolved is not None:
                value, anchor = resolved
                if rel.anchored_after and anchor is not None:
                    anchors.add(anchor.start)
                found.append(
                    TimedDate(base + rel.start, base + rel.end, rel.text, value, "relative")
                )
                taken.append((rel.start, rel.end))
        for match in matches:
            full = match.value
            if full is None:
                full = self._bare(match, explicit, base, doc_id)
            if full is not None:
                kind = "anchor" if match.start in anchors else "explicit"
                found.append(
                    TimedDate(base + match.start, base + match.end, match.text, full, kind)
                )
        if explicit:
            last = explicit[-1]
            assert last.value is not None
            self.last = last.value
            self.last_span = Span(doc_id=doc_id, start=base + last.start, end=base + last.end)
        found.sort(key=lambda f: f.start)
        return found

    def _bare(
        self, match: DateMatch, explicit: Sequence[DateMatch], base: int, doc_id: str
    ) -> DateValue | None:
        """A day and month with no year: the year of the nearest date in the sentence,
        else of the last date before it in the section."""
        source = _nearest(explicit, match.start)
        try:
            if source is not None and source.value is not None:
                span = Span(doc_id=doc_id, start=base + source.start, end=base + source.end)
                return match.with_year(source.value.year, span)
            if self.last is not None and self.last_span is not None:
                return match.with_year(self.last.year, self.last_span)
        except ValueError as exc:  # 29 February of a common year: no date, not an error
            logger.debug("bare date left unresolved: %s", exc)
        return None

    def _relative(
        self, rel: RelativeMatch, explicit: Sequence[DateMatch], base: int, doc_id: str
    ) -> tuple[DateValue, DateMatch | None] | None:
        """The value of a relative date and the date of the sentence it counts from."""
        if rel.anchored_after:
            after = [
                m
                for m in explicit
                if m.start >= rel.end and m.start - rel.end <= ANCHOR_WINDOW_CHARS
            ]
            if not after or after[0].value is None:
                return None
            anchor, source = after[0].value, after[0]
        else:
            before = [m for m in explicit if m.end <= rel.start]
            if before and before[-1].value is not None:
                anchor, source = before[-1].value, before[-1]
            elif self.last is not None and self.last_span is not None:
                value = shift(self.last, rel, self.last_span)
                return None if value is None else (value, None)
            else:
                return None
        span = Span(doc_id=doc_id, start=base + source.start, end=base + source.end)
        value = shift(replace(anchor, inferred_from=None), rel, span)
        return None if value is None else (value, source)


def _nearest(matches: Sequence[DateMatch], position: int) -> DateMatch | None:
    before = [m for m in matches if m.start < position]
    if before:
        return before[-1]
    after = [m for m in matches if m.start > position]
    return after[0] if after else None
