"""Every report shows each document's title, id, URL, kind and where its kind came from,
its published date and its metadata; the HTML report escapes all of it."""

from __future__ import annotations

import dataclasses

import pytest
from jsonschema import Draft202012Validator

from accord.model import DocKind, Report
from accord.report import load_schema, reporters, to_dict

HOSTILE_URL = 'https://x.example/"><script>alert(1)</script>'


def _declared(report: Report) -> Report:
    fan, wiki = report.documents
    fan = dataclasses.replace(
        fan,
        kind=DocKind.NEWS,
        kind_origin="declared",
        source_id="fan-1",
        url="https://fan.example/pact",
        published="1941-07-13",
        metadata=(("desk", "foreign"),),
    )
    wiki = dataclasses.replace(wiki, kind=DocKind.UNKNOWN, kind_origin="default")
    return dataclasses.replace(report, documents=(fan, wiki))


@pytest.mark.parametrize("name", ["accord.terminal.v1", "accord.markdown.v1", "accord.html.v1"])
def test_reports_show_where_each_kind_came_from(sample_report: Report, name: str) -> None:
    text = reporters.get(name)().render(_declared(sample_report))
    assert "news (declared)" in text
    assert "unknown (not declared; neutral prior)" in text
    assert "https://fan.example/pact" in text
    assert "1941-07-13" in text
    assert "fan-1" in text
    assert "desk" in text and "foreign" in text


@pytest.mark.parametrize("case", ["page"])
def test_reports_show_a_kind_from_the_page(sample_report: Report, case: str) -> None:
    fan = dataclasses.replace(
        sample_report.documents[0], kind=DocKind.WIKI, kind_origin="page: text 'wikia is'"
    )
    report = dataclasses.replace(sample_report, documents=(fan, *sample_report.documents[1:]))
    for name in ("accord.terminal.v1", "accord.markdown.v1"):
        assert "wiki (page: text 'wikia is')" in reporters.get(name)().render(report)


@pytest.mark.parametrize("case", ["json"])
def test_json_report_has_the_source_fields(sample_report: Report, case: str) -> None:
    data = to_dict(_declared(sample_report))
    fan = data["documents"][0]
    assert fan["kind"] == "news"
    assert fan["kind_origin"] == "declared"
    assert fan["source_id"] == "fan-1"
    assert fan["url"] == "https://fan.example/pact"
    assert fan["published"] == "1941-07-13"
    assert fan["metadata"] == {"desk": "foreign"}
    wiki = data["documents"][1]
    assert (wiki["kind_origin"], wiki["url"], wiki["metadata"]) == ("default", None, {})
    assert data["schema_version"] == "3.1"
    assert not list(Draft202012Validator(load_schema()).iter_errors(data))


@pytest.mark.parametrize("case", ["hostile"])
def test_html_report_escapes_source_metadata(sample_report: Report, case: str) -> None:
    fan = dataclasses.replace(
        sample_report.documents[0],
        url=HOSTILE_URL,
        source_id="<b>id</b>",
        metadata=(("<i>k</i>", "<script>alert(2)</script>"),),
        kind_origin="page: og:site_name '<script>alert(3)</script>'",
    )
    report = dataclasses.replace(sample_report, documents=(fan, *sample_report.documents[1:]))
    page = reporters.get("accord.html.v1")().render(report)
    assert "<script>alert(" not in page
    assert "<b>id</b>" not in page and "<i>k</i>" not in page
    assert "&lt;script&gt;alert(2)" in page
