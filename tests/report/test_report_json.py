"""Tests for the JSON report and its schema."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from accord import __version__
from accord.model import Report
from accord.report import load_schema, reporters, to_dict, to_json


def _validator() -> Draft202012Validator:
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _missing_descriptions(node: Any, path: str = "$") -> list[str]:
    missing = []
    if isinstance(node, dict):
        for name, prop in node.get("properties", {}).items():
            if "description" not in prop:
                missing.append(f"{path}.{name}")
        for key, value in node.items():
            missing += _missing_descriptions(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            missing += _missing_descriptions(value, f"{path}[{index}]")
    return missing


@pytest.mark.parametrize("include_text", [False, True])
def test_to_dict_validates_against_schema(sample_report: Report, include_text: bool) -> None:
    data = to_dict(sample_report, include_text=include_text)
    errors = sorted(_validator().iter_errors(data), key=str)
    assert not errors, errors[0]
    assert ("text" in data["documents"][0]) is include_text


@pytest.mark.parametrize("case", ["schema"])
def test_schema_describes_every_property(case: str) -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert _missing_descriptions(schema) == []


@pytest.mark.parametrize("indent", [None, 2])
def test_to_json_round_trips_as_utf8(sample_report: Report, indent: int | None) -> None:
    doc = dataclasses.replace(sample_report.documents[0], title="Англо-советское 協定 ✓")
    report = dataclasses.replace(sample_report, documents=(doc, *sample_report.documents[1:]))
    text = to_json(report, indent=indent)
    encoded = text.encode("utf-8")  # raises on lone surrogates
    assert json.loads(encoded.decode("utf-8")) == json.loads(json.dumps(to_dict(report)))
    assert "Англо-советское 協定 ✓" in text


@pytest.mark.parametrize("case", ["sample"])
def test_to_dict_layout(sample_report: Report, case: str) -> None:
    data = to_dict(sample_report)
    assert list(data) == [
        "schema_version",
        "accord_version",
        "subject",
        "documents",
        "claims",
        "findings",
        "verdicts",
        "summary",
        "record",
        "run",
    ]
    assert data["schema_version"] == "3.1"
    assert data["accord_version"] == __version__
    assert data["subject"] == "Anglo-Soviet Agreement"
    assert data["documents"][1]["encoding"] == "cp1252"
    assert data["documents"][0]["removed"][0] == {
        "reason": "navigation",
        "at": 0,
        "text": "Jump to navigation Jump to search",
    }
    claims = {claim["id"]: claim for claim in data["claims"]}
    date = claims["c-f-date"]["slots"][0]["value"]
    assert date["type"] == "date"
    assert date["iso"] == "1939-07-25"
    assert date["precision"] == "day"
    assert date["inferred_from"] == {"doc_id": "doc-fan", "start": 0, "end": 10}
    place = claims["c-w-date"]["slots"][1]["value"]
    assert place == {
        "type": "entity",
        "name": "Moscow",
        "kind": "place",
        "kb_id": None,
        "part_of": ["Soviet Union"],
    }
    amount = claims["c-f-readers"]["slots"][0]["value"]
    assert amount == {
        "type": "quantity",
        "amount": "3000000",
        "unit": "readers",
        "approximate": True,
    }


@pytest.mark.parametrize("case", ["sample"])
def test_summary_names_contradictions_agreements_only_in(sample_report: Report, case: str) -> None:
    data = to_dict(sample_report)
    verdict_ids = {v["id"] for v in data["verdicts"]}
    summary = data["summary"]
    (contradiction,) = summary["contradictions"]
    assert contradiction["field"] == "date_signed"
    assert contradiction["verdict_id"] in verdict_ids
    assert contradiction["values"] == {"left": "1941-07-12", "right": "1939-07-25"}
    assert "12 July 1941" in contradiction["left"]["quote"]
    assert "July 25, 1939" in contradiction["right"]["quote"]
    (agreement,) = summary["agreements"]
    assert agreement in verdict_ids
    only = {item["doc_id"]: [c["claim_id"] for c in item["claims"]] for item in summary["only_in"]}
    assert only == {"doc-wiki": ["c-w-articles", "c-w-invasion"], "doc-fan": ["c-f-readers"]}
    # the evidence is the two claims themselves: named by id, not written out again
    first = data["verdicts"][0]
    assert "evidence" not in first
    claims = {claim["id"]: claim for claim in data["claims"]}
    assert claims[first["left"]]["text"].startswith("The Anglo-Soviet Agreement was signed on 12")
    assert data["findings"][first["finding"]]["field"] == "date_signed"


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_non_finite_numbers_become_null(sample_report: Report, bad: float) -> None:
    verdict = dataclasses.replace(sample_report.verdicts[2], confidence=bad)
    report = dataclasses.replace(sample_report, verdicts=(*sample_report.verdicts[:2], verdict))
    data = json.loads(to_json(report, all_verdicts=True))
    assert data["verdicts"][2]["confidence"] is None
    assert not list(_validator().iter_errors(data))


@pytest.mark.parametrize("name", ["accord.json.v1"])
def test_json_reporter_registered(sample_report: Report, name: str) -> None:
    text = reporters.get(name)().render(sample_report)
    assert json.loads(text)["schema_version"] == "3.1"


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_any_claim_text_gives_valid_json(sample_report: Report, text: str) -> None:
    claim = dataclasses.replace(sample_report.claims[2], text=text)
    claims = (*sample_report.claims[:2], claim, *sample_report.claims[3:])
    report = dataclasses.replace(sample_report, claims=claims)
    data = json.loads(to_json(report).encode("utf-8"))
    assert not list(_validator().iter_errors(data))


def test_to_json_puts_each_claim_and_verdict_on_a_line(sample_report: Report) -> None:
    text = to_json(sample_report)
    lines = text.split("\n")
    assert json.loads(text) == json.loads(json.dumps(to_dict(sample_report)))
    for key in ("claims", "verdicts"):
        items = to_dict(sample_report)[key]
        assert items
        start = lines.index(f'  "{key}": [')
        block = lines[start + 1 : start + 1 + len(items)]
        assert [json.loads(line.strip().rstrip(",")) for line in block] == items
        assert lines[start + 1 + len(items)].strip() in {"]", "],"}
    assert lines[1] == '  "schema_version": "3.1",'  # the rest stays indented


def test_to_json_on_one_line_is_what_json_dumps_writes(sample_report: Report) -> None:
    from accord.report.json import _default

    data = to_dict(sample_report)
    expected = json.dumps(data, ensure_ascii=False, default=_default, separators=(",", ":"))
    assert to_json(sample_report, indent=None) == expected


@pytest.mark.parametrize("all_verdicts", [False, True])
def test_to_dict_leaves_out_not_mentioned_unless_asked(
    sample_report: Report, all_verdicts: bool
) -> None:
    data = to_dict(sample_report, all_verdicts=all_verdicts)
    labels = [v["label"] for v in data["verdicts"]]
    assert ("not_mentioned" in labels) is all_verdicts
    assert len(labels) == (3 if all_verdicts else 2)
    left_out = data["summary"]["left_out"]
    expected = {"not_mentioned": 0, "by_method": {}}
    if not all_verdicts:
        expected = {"not_mentioned": 1, "by_method": {"slots": 1}}
    assert left_out == expected
    assert data["summary"]["counts"]["not_mentioned"] == 1  # counted either way
    assert not list(_validator().iter_errors(data))


@pytest.mark.parametrize("all_verdicts", [False, True])
def test_json_reporter_passes_all_verdicts(sample_report: Report, all_verdicts: bool) -> None:
    from accord.report.json import JSONReporter

    text = JSONReporter(all_verdicts=all_verdicts).render(sample_report)
    assert ('"label":"not_mentioned"' in text) is all_verdicts


@pytest.mark.parametrize("case", ["sample"])
def test_verdicts_share_findings_by_index(sample_report: Report, case: str) -> None:
    data = to_dict(sample_report, all_verdicts=True)
    findings = data["findings"]
    assert len(findings) == len({json.dumps(f, sort_keys=True) for f in findings})
    for verdict, original in zip(data["verdicts"], sample_report.verdicts, strict=True):
        finding = findings[verdict["finding"]]
        assert (finding["method"], finding["reason"]) == (original.method, original.reason)
        assert (verdict["left"], verdict["right"]) == (
            original.pair.left.id,
            original.pair.right.id,
        )
        assert finding["retriever"] == original.pair.retriever


@pytest.mark.parametrize("indent", [None, 2])
def test_json_reporter_writes_what_it_renders(sample_report: Report, indent: int | None) -> None:
    import io

    from accord.report.json import JSONReporter

    reporter = JSONReporter(indent=indent)
    out = io.StringIO()
    reporter.write(sample_report, out)
    assert out.getvalue() == reporter.render(sample_report)


@pytest.mark.parametrize("include_text", [False, True])
def test_possible_conflicts_validate_and_count_apart(
    possible_report: Report, include_text: bool
) -> None:
    data = json.loads(to_json(possible_report, include_text=include_text))
    errors = sorted(_validator().iter_errors(data), key=str)
    assert not errors, errors[0]
    flagged = [v for v in data["verdicts"] if v.get("possible_conflict")]
    assert [(v["label"], v["confidence"]) for v in flagged] == [
        ("not_mentioned", 0.55),
        ("not_mentioned", 0.4),
    ]
    assert all("possible_conflict" not in v for v in data["verdicts"] if v not in flagged)
    summary = data["summary"]
    assert [(g["topic"], g["internal"], g["count"]) for g in summary["possible_conflicts"]] == [
        ("slots:theme", False, 1),
        ("slots:date", True, 1),
    ]
    first = summary["possible_conflicts"][0]
    assert first["verdict_id"] == flagged[0]["id"]
    assert first["left"]["quote"] == "The agreement had two articles."
    assert first["reason"].endswith("under the contradiction threshold 0.7: a possible conflict)")
    assert [g["topic"] for g in summary["contradictions"]] == ["date_signed"]
    counts = summary["counts"]
    assert (counts["possible_conflicts"], counts["contradictions"], counts["contradicts"]) == (
        2,
        1,
        1,
    )
    assert data["run"]["min_confidence"] == 0.7


@pytest.mark.parametrize("field", ["possible_conflict", "summary", "min_confidence"])
def test_schema_rejects_a_malformed_possible_conflict(possible_report: Report, field: str) -> None:
    data = to_dict(possible_report)
    if field == "possible_conflict":
        data["verdicts"][0]["possible_conflict"] = "yes"
    elif field == "summary":
        del data["summary"]["possible_conflicts"][0]["internal"]
    else:
        data["run"]["min_confidence"] = 1.5
    assert list(_validator().iter_errors(data))


@pytest.mark.parametrize("case", ["possible"])
def test_to_dict_by_default_keeps_possible_conflicts(possible_report: Report, case: str) -> None:
    decided = to_dict(possible_report)["verdicts"]
    assert [v["label"] for v in decided] == [
        "contradicts",
        "supports",
        "not_mentioned",
        "not_mentioned",
    ]
    assert [v.get("possible_conflict", False) for v in decided] == [False, False, True, True]


@pytest.mark.parametrize("case", ["schema"])
def test_schema_id_names_the_schema_version(case: str) -> None:
    from accord.report.json import SCHEMA_VERSION

    assert load_schema()["$id"] == f"https://accord.invalid/schemas/report-{SCHEMA_VERSION}.json"
