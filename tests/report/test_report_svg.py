"""Tests for the report's inline SVG pictures and the views they draw: who agrees with whom,
and the dates each source gives."""

from __future__ import annotations

import html as html_lib
import re
import xml.etree.ElementTree as ET

import pytest

from accord.model import DateValue, Precision, Report
from accord.report import to_html
from accord.report.svg import (
    MATRIX_KEYS,
    SELF_FILL,
    TIMELINE_KEYS,
    agreement_matrix,
    date_timeline,
    matrix_cell_size,
    swatch,
)
from accord.report.views import (
    DateField,
    DatePoint,
    SourceRelation,
    date_fields,
    date_span,
    source_relations,
)
from accord.testing.reports import NEIGHBOURS, many_source_report

HOSTILE_LABEL = "[1] <script>alert(1)</script> \"quoted\" & 'single' ]]> <!-- x"


def _parse(svg: str) -> ET.Element:
    """The SVG as XML: it only parses if every piece of text was escaped."""
    return ET.fromstring(svg)


def _cells(root: ET.Element) -> list[ET.Element]:
    return [el for el in root.iter("rect") if "cell" in el.get("class", "").split()]


@pytest.mark.parametrize("sources", [2, 5, 40, 100])
def test_agreement_matrix_has_one_cell_per_ordered_pair(sources: int) -> None:
    labels = [f"[{n}] Source {n}" for n in range(1, sources + 1)]
    root = _parse(agreement_matrix(labels, {}))
    cells = _cells(root)
    assert len(cells) == sources * sources
    assert sum("cell-self" in cell.get("class", "") for cell in cells) == sources
    assert sum("cell-silent" in cell.get("class", "") for cell in cells) == sources * (sources - 1)
    # Never smaller than a pointer can hit; wider than the page means it scrolls, not shrinks.
    assert all(int(cell.get("width", "0")) >= 14 for cell in cells)
    assert int(root.get("width", "0")) >= sources * matrix_cell_size(sources)


@pytest.mark.parametrize(
    ("relation", "state"),
    [
        (SourceRelation(agreements=2), "agree"),
        (SourceRelation(contradictions=1), "contradict"),
        (SourceRelation(agreements=1, contradictions=1), "mixed"),
        (SourceRelation(possible=1), "possible"),
        (SourceRelation(agreements=1, possible=3), "agree"),
        (SourceRelation(), "silent"),
    ],
)
def test_agreement_matrix_colours_cells_by_verdict(relation: SourceRelation, state: str) -> None:
    assert relation.state == state
    root = _parse(agreement_matrix(["[1] a", "[2] b", "[3] c"], {(0, 2): relation}))
    by_place = {(cell.get("data-row"), cell.get("data-col")): cell for cell in _cells(root)}
    for place in (("0", "2"), ("2", "0")):  # the matrix is symmetric
        cell = by_place[place]
        assert cell.get("fill") == MATRIX_KEYS[state].fill
        assert f"cell-{state}" in cell.get("class", "")
    assert by_place[("1", "1")].get("fill") == SELF_FILL
    assert by_place[("0", "1")].get("fill") == MATRIX_KEYS["silent"].fill
    # the tooltip names both sources and says what they share
    title = by_place[("0", "2")].find("title")
    assert title is not None and title.text is not None
    named = "[1] and [3]: " if state == "silent" else "[1] a and [3] c: "
    assert title.text.startswith(named)


@pytest.mark.parametrize("label", [HOSTILE_LABEL])
def test_agreement_matrix_escapes_labels(label: str) -> None:
    svg = agreement_matrix([label, "[2] b"], {(0, 1): SourceRelation(agreements=1)})
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    root = _parse(svg)
    assert not [el for el in root.iter() if el.tag in ("script", "foreignObject", "a")]
    texts = {"".join(el.itertext()) for el in root.iter("title")}
    assert any(label in text for text in texts)  # the full label, as text


@pytest.mark.parametrize("chart_id", ['m" onload="alert(1)'])
def test_agreement_matrix_escapes_its_id(chart_id: str) -> None:
    root = _parse(agreement_matrix(["[1] a", "[2] b"], {}, chart_id=chart_id))
    assert root.get("id") == chart_id
    assert root.get("onload") is None


@pytest.mark.parametrize("glyph", ["<", "&"])
def test_swatch_escapes_its_glyph(glyph: str) -> None:
    root = _parse(swatch("#000000", glyph, "#ffffff"))
    assert root.get("aria-hidden") == "true"
    assert "".join(root.itertext()) == glyph


@pytest.mark.parametrize("fixture", ["sample_report"])
def test_source_relations_count_each_field_once(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    report: Report = request.getfixturevalue(fixture)
    relations = source_relations(report)
    assert relations == {(0, 1): SourceRelation(agreements=1, contradictions=1)}
    assert relations[(0, 1)].state == "mixed"


@pytest.mark.parametrize("fixture", ["possible_report"])
def test_source_relations_count_possible_conflicts_between_documents_only(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    relations = source_relations(request.getfixturevalue(fixture))
    # one possible conflict between the documents; the one within the encyclopedia is left out
    assert relations[(0, 1)] == SourceRelation(agreements=1, contradictions=1, possible=1)


@pytest.mark.parametrize("sources", [5, 40])
def test_source_relations_of_many_sources_leave_far_pairs_silent(sources: int) -> None:
    relations = source_relations(many_source_report(sources))
    # the first and last sources share only a possible conflict; the others their neighbours
    assert relations.pop((0, sources - 1)).state == "possible"
    assert all(0 < second - first <= NEIGHBOURS for first, second in relations)
    states = {relation.state for relation in relations.values()}
    assert {"agree", "mixed"} <= states


@pytest.mark.parametrize(
    ("value", "span"),
    [
        (DateValue(year=1941, precision=Precision.YEAR), (1941.0, 1942.0)),
        (DateValue(year=1941, month=7, precision=Precision.MONTH), (1941.5, 1941.5 + 1 / 12)),
        (DateValue(year=1930, precision=Precision.DECADE, year_end=1939), (1930.0, 1940.0)),
    ],
)
def test_date_span_covers_the_precision(value: DateValue, span: tuple[float, float]) -> None:
    assert date_span(value) == pytest.approx(span)


@pytest.mark.parametrize("fixture", ["sample_report"])
def test_date_fields_take_dates_from_the_claims_slots(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    fields = date_fields(request.getfixturevalue(fixture))
    assert [field.name for field in fields] == ["date_signed"]  # signatories are no dates
    points = fields[0].points
    assert [(p.value, p.documents, p.consensus, p.contradicted) for p in points] == [
        ("1939-07-25", (1,), False, True),
        ("1941-07-12", (0,), True, True),
    ]


@pytest.mark.parametrize("sources", [40])
def test_date_timeline_marks_each_distinct_date_once(sources: int) -> None:
    report = many_source_report(sources)
    fields = date_fields(report)
    labels = [f"[{n}] <b>source</b>" for n in range(1, sources + 1)]
    root = _parse(date_timeline(fields, labels))
    groups = [el for el in root.iter("g") if el.get("class") == "timeline-field"]
    assert [group.get("data-field") for group in groups] == ["signed on", "ratified"]
    marks = [el for el in root.iter("rect") if "mark" in el.get("class", "").split()]
    assert len(marks) == sum(len(field.points) for field in fields)
    # every source that dates the signing is counted on one of its marks
    signed = [mark for mark in marks[: len(fields[0].points)]]
    assert sum(int(mark.get("data-sources", "0")) for mark in signed) == sources
    kinds = {mark.get("class", "").split()[1]: mark.get("fill") for mark in marks}
    assert kinds["mark-consensus"] == TIMELINE_KEYS["consensus"].fill
    assert kinds["mark-other"] == TIMELINE_KEYS["other"].fill  # 1849 is contradicted
    assert kinds["mark-compatible"] == TIMELINE_KEYS["compatible"].fill  # May 1852 is not
    assert "<b>" not in date_timeline(fields, labels)


@pytest.mark.parametrize("fields", [[]])
def test_date_timeline_is_empty_without_dates(fields: list[DateField]) -> None:
    assert date_timeline(fields, ["[1] a"]) == ""


@pytest.mark.parametrize("name", ['<img src=x onerror="alert(1)">'])
def test_date_timeline_escapes_field_names(name: str) -> None:
    point = DatePoint(
        value="1941", start=1941.0, end=1942.0, documents=(0,), consensus=True, contradicted=False
    )
    svg = date_timeline([DateField(name=name, status="single_source", points=(point,))], ["[1]"])
    root = _parse(svg)
    assert not list(root.iter("img"))
    assert root.find("g") is not None
    assert root.find("g").get("data-field") == name  # type: ignore[union-attr]


@pytest.mark.parametrize("sources", [2, 5, 40])
def test_html_draws_matrix_and_lists_agreements_and_only_in(sources: int) -> None:
    report = many_source_report(sources)
    page = to_html(report)
    matrix = re.search(r'<svg class="chart matrix".*?</svg>', page, re.S)
    assert matrix is not None
    assert len(_cells(_parse(matrix.group(0)))) == sources * sources
    assert '<svg class="chart timeline"' in page
    text = html_lib.unescape(re.sub(r"<[^>]*>", " ", page))
    assert "Agreements (" in text and "No agreements found." not in text
    assert text.count("Only in [") == sources
    assert f"Source {sources} also notes that {sources + 2} envoys attended." in text
    # every source header carries its whole title, cut only on screen
    assert page.count('<th scope="col" class="src"') == sources
    assert f"[{sources}] Source {sources}: the Treaty of Valdoria as the regional" in text
    # few sources start open; many start folded
    assert ('<details class="doc-body" open>' in page) is (sources <= 6)
