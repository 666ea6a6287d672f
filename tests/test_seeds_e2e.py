"""End to end on the bundled example documents, asserted from the JSON output.

The code under test has no knowledge of these documents: these assertions hold only if the
general mechanisms (date normalisation, subject resolution, slot roles, alignment, slot
comparison, boilerplate removal) work.
"""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.integration


def _doc_id(output: dict[str, Any], fragment: str) -> str:
    return next(d["id"] for d in output["documents"] if fragment in d["source"])


def _claims(output: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in output["claims"]}


def _field(output: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in output["record"]["fields"] if f["name"] == name)


def _only_in(output: dict[str, Any], doc_id: str) -> list[dict[str, Any]]:
    entry = next(e for e in output["summary"]["only_in"] if e["doc_id"] == doc_id)
    claims: list[dict[str, Any]] = entry["claims"]
    return claims


def _verdicts(output: dict[str, Any]) -> list[dict[str, Any]]:
    """The listed verdicts, each with its finding's keys (method, reason, field) merged in."""
    return [output["findings"][v["finding"]] | v for v in output["verdicts"]]


def _evidence(output: dict[str, Any], verdict: dict[str, Any]) -> list[dict[str, Any]]:
    """A verdict's evidence: its own spans, or else its two claims."""
    claims = _claims(output)
    return verdict.get("evidence") or [claims[verdict[side]] for side in ("left", "right")]


def _decided_claim_ids(output: dict[str, Any]) -> set[str]:
    decided = set()
    for verdict in output["verdicts"]:
        if verdict["label"] != "not_mentioned":
            decided.update({verdict["left"], verdict["right"]})
    return decided


@pytest.mark.parametrize("field_name", ["signed on"])
def test_seeds_signing_date_contradiction_with_both_sentences(
    seed_output: dict[str, Any], field_name: str
) -> None:
    wiki, fan = _doc_id(seed_output, "wikipedia"), _doc_id(seed_output, "fanwiki")
    contradictions = [
        v for v in _verdicts(seed_output)
        if v["label"] == "contradicts" and v["field"] == field_name
    ]  # fmt: skip
    assert contradictions
    texts = {doc: "" for doc in (wiki, fan)}
    for verdict in contradictions:
        assert "1941-07-12" in verdict["reason"] and "1939-07-25" in verdict["reason"]
        assert verdict["method"] == "slots:date"
        for evidence in _evidence(seed_output, verdict):
            texts[evidence["doc_id"]] += evidence["text"]
    assert "12 July 1941" in texts[wiki]
    assert "July 25" in texts[fan]
    assert _field(seed_output, field_name)["status"] == "contradicted"


@pytest.mark.parametrize("phrase", ["separate peace"])
def test_seeds_agree_on_the_pledges(seed_output: dict[str, Any], phrase: str) -> None:
    claims = _claims(seed_output)
    agreeing = [
        (claims[v["left"]]["text"], claims[v["right"]]["text"])
        for v in seed_output["verdicts"]
        if v["label"] == "supports"
    ]
    assert any(phrase in left and phrase in right for left, right in agreeing)
    assert any("assist" in left + right and "pledge" in left + right for left, right in agreeing)


@pytest.mark.parametrize(
    ("field_name", "value"), [("signed at", "London"), ("language", "English")]
)
def test_seeds_fanwiki_only_fields(
    seed_output: dict[str, Any], field_name: str, value: str
) -> None:
    field = _field(seed_output, field_name)
    fan = _doc_id(seed_output, "fanwiki")
    assert field["status"] == "single_source"
    assert {v["doc_id"] for v in field["values"]} == {fan}
    assert value in {v["value"] for v in field["values"]}


@pytest.mark.parametrize("word", ["trade", "ships", "Passports"])
def test_seeds_fanwiki_only_terms(seed_output: dict[str, Any], word: str) -> None:
    fan = _doc_id(seed_output, "fanwiki")
    decided = _decided_claim_ids(seed_output)
    matching = [c for c in seed_output["claims"] if word in c["text"] and c["doc_id"] == fan]
    assert matching
    assert all(c["id"] not in decided for c in matching)
    assert any(word in item["text"] for item in _only_in(seed_output, fan))


@pytest.mark.parametrize("names", [("Cripps", "Molotov")])
def test_seeds_wikipedia_only_signatories(
    seed_output: dict[str, Any], names: tuple[str, ...]
) -> None:
    field = _field(seed_output, "signatories")
    wiki = _doc_id(seed_output, "wikipedia")
    assert field["status"] == "single_source"
    values = " ".join(v["value"] for v in field["values"] if v["doc_id"] == wiki)
    for name in names:
        assert name in values


@pytest.mark.parametrize("phrase", ["did not require ratification"])
def test_seeds_wikipedia_only_no_ratification(seed_output: dict[str, Any], phrase: str) -> None:
    wiki = _doc_id(seed_output, "wikipedia")
    claim = next(c for c in seed_output["claims"] if phrase in c["text"])
    assert claim["doc_id"] == wiki and claim["negated"]
    assert claim["subject"] == "Anglo-Soviet Agreement"
    assert claim["id"] not in _decided_claim_ids(seed_output)
    assert any(item["claim_id"] == claim["id"] for item in _only_in(seed_output, wiki))


@pytest.mark.parametrize("banner", ["Ad blocker interference detected!"])
def test_seeds_ad_blocker_removed_never_a_claim(seed_output: dict[str, Any], banner: str) -> None:
    fan = next(d for d in seed_output["documents"] if "fanwiki" in d["source"])
    removed = " ".join(r["text"] for r in fan["removed"])
    assert banner in removed
    assert "Wikia" in removed
    for claim in seed_output["claims"]:
        assert "ad blocker" not in claim["text"].lower()
        assert "Wikia" not in claim["text"]


@pytest.mark.parametrize("phrase", ["Poland", "22 June 1941", "January 1942", "1 September"])
def test_seeds_no_contradiction_between_different_events(
    seed_output: dict[str, Any], phrase: str
) -> None:
    claims = _claims(seed_output)
    for verdict in seed_output["verdicts"]:
        if verdict["label"] != "contradicts":
            continue
        texts = claims[verdict["left"]]["text"] + claims[verdict["right"]]["text"]
        assert phrase not in texts


def test_seeds_every_contradiction_is_about_the_signing_date(seed_output: dict[str, Any]) -> None:
    fields = {v["field"] for v in _verdicts(seed_output) if v["label"] == "contradicts"}
    assert fields == {"signed on"}


@pytest.mark.parametrize("value", ["military alliance"])
def test_seeds_both_call_it_a_military_alliance(seed_output: dict[str, Any], value: str) -> None:
    field = _field(seed_output, "type")
    by_doc: dict[str, set[str]] = {}
    for item in field["values"]:
        by_doc.setdefault(item["doc_id"], set()).add(item["value"])
    assert len(by_doc) == 2
    assert all(value in values for values in by_doc.values())


def test_seeds_wikipedia_more_reliable_than_fanwiki(seed_output: dict[str, Any]) -> None:
    scores = {r["doc_id"]: r for r in seed_output["record"]["reliability"]}
    wiki, fan = _doc_id(seed_output, "wikipedia"), _doc_id(seed_output, "fanwiki")
    assert scores[wiki]["score"] > scores[fan]["score"]
    assert any("boilerplate" in reason for reason in scores[fan]["reasons"])
