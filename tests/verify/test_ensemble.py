"""Tests for the ensemble rule and for what a run says it used, end to end through the CLI."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from accord.cli import cli
from accord.errors import ConfigError
from accord.model import SUBJECT_KEY, Label, Pair, Report
from accord.pipeline import Settings
from accord.testing.chat import ChatReply, user_prompt
from accord.testing.nli_model import save_tiny_nli_model
from accord.verify import verifiers
from accord.verify.base import describe_verifier
from accord.verify.ensemble import EnsembleVerifier
from accord.verify.judges import skipped_judges, verifier_options

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
_SENTENCE = re.compile(r"^Sentence in document ([AB]): (.*)$", re.MULTILINE)


def _pairs(report: Report) -> list[Pair]:
    """The sample's date pair (slots about the subject, so slot comparison decides it) and
    its unrelated pair (which slot comparison leaves open)."""
    date = report.verdicts[0].pair
    left = replace(date.left, slots=tuple(replace(s, about=SUBJECT_KEY) for s in date.left.slots))
    right = replace(
        date.right, slots=tuple(replace(s, about=SUBJECT_KEY) for s in date.right.slots)
    )
    return [replace(date, left=left, right=right), report.verdicts[2].pair]


def _quoting(label: str, confidence: float) -> Any:
    """A reply that quotes the first three words of each sentence it was given."""

    def reply(body: dict[str, Any]) -> ChatReply:
        sentences = dict(_SENTENCE.findall(user_prompt(body)))
        quotes = [" ".join(sentences[side].split()[:3]) for side in "AB"]
        answer = {"label": label, "confidence": confidence, "reason": "judged", "evidence": quotes}
        return ChatReply(json.dumps(answer))

    return reply


@pytest.mark.parametrize(
    ("confidence", "method", "label"),
    [(0.95, "llm:judge-1", Label.CONTRADICTS), (0.6, "ensemble", Label.NOT_MENTIONED)],
)
def test_ensemble_verifier_asks_judge_only_where_slots_are_open(
    chat_server: Any, sample_report: Report, confidence: float, method: str, label: Label
) -> None:
    server = chat_server(_quoting("contradicts", confidence))
    ensemble = EnsembleVerifier(llm_url=server.url, llm_model="judge-1")
    ensemble.bind_documents(sample_report.documents)
    date, unrelated = ensemble.verify(_pairs(sample_report))
    assert (date.label, date.method) == (Label.CONTRADICTS, "slots:date")
    assert (unrelated.label, unrelated.method) == (label, method)
    assert len(server.requests) == 1
    assert "two articles" in user_prompt(server.requests[0])
    if label is Label.NOT_MENTIONED:
        assert "llm:judge-1: contradicts 0.60" in unrelated.reason
        assert "slots: no slot of the same event" in unrelated.reason


@pytest.mark.parametrize(("favour", "llm_calls"), [(2, 0), (None, 1)])
def test_ensemble_verifier_passes_nli_leftovers_to_llm(
    chat_server: Any, sample_report: Report, tmp_path: Path, favour: int | None, llm_calls: int
) -> None:
    labels = {0: "entailment", 1: "neutral", 2: "contradiction"}
    model_dir = save_tiny_nli_model(tmp_path / "nli", labels, favour=favour)
    server = chat_server(_quoting("supports", 0.9))
    ensemble = EnsembleVerifier(nli_model=model_dir, llm_url=server.url, llm_model="judge-1")
    ensemble.bind_documents(sample_report.documents)
    _, unrelated = ensemble.verify(_pairs(sample_report))
    assert len(server.requests) == llm_calls
    assert unrelated.method == ("nli:nli" if llm_calls == 0 else "llm:judge-1")


@pytest.mark.parametrize(
    ("options", "verify", "skipped"),
    [
        (
            {},
            "accord.slots.v1",
            ("neural NLI not configured (slot", "own model", "LLM judge not configured"),
        ),
        (
            {
                "verifier": "accord.ensemble.v1",
                "llm_url": "http://127.0.0.1:9/v1",
                "llm_model": "m",
            },
            "http://127.0.0.1:9/v1, model m",
            ("neural NLI not configured", "own model"),
        ),
        (
            {"verifier": "accord.nli.v1", "nli_model": Path("/models/x")},
            "accord.nli.v1 (model /models/x)",
            ("own model", "LLM judge not configured", "slot comparison not used"),
        ),
        (
            {"verifier": "accord.ensemble.v1", "minilm_judge": True},
            "accord.minilm.v1",
            ("neural NLI not configured", "LLM judge not configured"),
        ),
    ],
)
def test_run_info_names_verifier_and_skipped_judges(
    options: dict[str, Any], verify: str, skipped: tuple[str, ...]
) -> None:
    settings = Settings(**options)
    lines = skipped_judges(settings)
    assert verify in describe_verifier(settings, verifiers.build(settings.verifier, settings))
    assert all(any(s in line for line in lines) for s in skipped)
    assert len(lines) == len(skipped)


@pytest.mark.parametrize(
    ("verifier", "nli", "url", "model", "expected"),
    [
        (None, False, None, None, "accord.slots.v1"),
        (None, False, "http://h/v1", "m", "accord.ensemble.v1"),
        (None, True, None, None, "accord.ensemble.v1"),
        ("accord.llm.v1", False, "http://h/v1", "m", "accord.llm.v1"),
    ],
)
def test_verifier_options_pick_ensemble_when_judge_given(
    tiny_nli_dir: Path,
    verifier: str | None,
    nli: bool,
    url: str | None,
    model: str | None,
    expected: str,
) -> None:
    model_dir = tiny_nli_dir if nli else None
    options = verifier_options(verifier, model_dir, url, model, 30.0, None)
    assert options["verifier"] == expected


@pytest.mark.parametrize("name", ["missing-dir"])
def test_verifier_options_check_nli_dir_early(tmp_path: Path, name: str) -> None:
    with pytest.raises(ConfigError, match="NLI model directory not found"):
        verifier_options(None, tmp_path / name, None, None, 30.0, None)


@pytest.mark.parametrize(("url", "model"), [("http://h/v1", None), (None, "m")])
def test_verifier_options_need_url_and_model(url: str | None, model: str | None) -> None:
    with pytest.raises(ConfigError, match="needs --llm"):
        verifier_options(None, None, url, model, 30.0, None)


@pytest.mark.integration
@pytest.mark.parametrize("key", ["sk-test-not-shown"])
def test_check_cli_ensemble_keeps_slot_date_contradiction(
    chat_server: Any, restore_accord_logger: Any, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    monkeypatch.setenv("ACCORD_LLM_API_KEY", key)
    server = chat_server(_quoting("contradicts", 0.95))
    args = ["check", str(EXAMPLES), "--verifier", "accord.ensemble.v1", "--llm-url", server.url]
    args += ["--llm-model", "judge-1", "--format", "json", "--all-verdicts"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    verdicts = [report["findings"][v["finding"]] | v for v in report["verdicts"]]
    dates = [v for v in verdicts if v["label"] == "contradicts" and "1941" in v["reason"]]
    assert dates and {v["method"] for v in dates} == {"slots:date"}
    assert any(v["method"] == "llm:judge-1" for v in verdicts)
    assert server.requests
    assert server.headers[0]["Authorization"] == f"Bearer {key}"
    verify = report["run"]["backends"]["verify"]
    assert server.url in verify["description"] and verify["options"]["llm_url"] == server.url
    assert verify["name"] == "accord.ensemble.v1"
    assert "verify: LLM judge not configured" not in report["run"]["skipped"]
    assert key not in result.stdout


@pytest.mark.parametrize(
    ("minilm", "verifier"), [(True, "accord.ensemble.v1"), (False, "accord.slots.v1")]
)
def test_verifier_options_minilm_selects_the_ensemble(minilm: bool, verifier: str) -> None:
    from accord.verify.judges import verifier_options

    options = verifier_options(None, None, None, None, 30.0, None, minilm)
    assert (options["verifier"], options["minilm_judge"]) == (verifier, minilm)


class _AlwaysContradicts:
    """A judge that calls every pair a contradiction, sure of it."""

    name = "test.always.v1"
    method = "test:always"

    def warm_up(self) -> None:
        return None

    def describe(self) -> str:
        return "always contradicts"

    def verify(self, pairs: Any) -> list[Any]:
        from accord.model import Label, Verdict

        return [
            Verdict(pair=p, label=Label.CONTRADICTS, confidence=0.99, method=self.method,
                    reason="says so", evidence=(p.left.span, p.right.span))
            for p in pairs
        ]  # fmt: skip


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        # documents of several claims that share nothing: the judge's clashes are set aside
        ("Cats purr. Dogs bark. Birds sing. Fish swim.",
         "Trains run. Ships sail. Planes fly. Cars drive.", set()),
        # a claim and its evidence, one sentence each: the judge decides
        ("Cats purr loudly.", "Dogs bark loudly.", {"contradicts"}),
    ],
)  # fmt: skip
def test_ensemble_judges_contradictions_pass_the_namesake_guards(
    left: str, right: str, expected: set[str]
) -> None:
    from accord.claims import extractors
    from accord.evaluate import compare_texts
    from accord.verify.ensemble import EnsembleVerifier

    ensemble = EnsembleVerifier()
    ensemble.judges.append(_AlwaysContradicts())  # type: ignore[arg-type]
    verdicts = compare_texts(left, right, extractors.get("accord.spacy.v1")(), ensemble)
    assert {v.label.value for v in verdicts} - {"not_mentioned"} == expected


def _claim(doc: str, text: str, year: int | None, **kw: Any) -> Any:
    """A claim of ``text``; with ``year``, a date slot of the event ``kw['event']``."""
    from accord.model import Claim, DateValue, Precision, Slot, Span, TextValue, content_id

    event = kw.pop("event", "sign")
    slots = [
        Slot(role="date", value=DateValue(year=year, precision=Precision.YEAR), event=event,
             surface=str(year), span=Span(doc_id=doc, start=0, end=4), about=SUBJECT_KEY)
    ] if year is not None else []  # fmt: skip
    if "kind" in kw:  # what the document calls the thing ("a novel")
        kind = kw.pop("kind")
        slots.append(
            Slot(role="type", value=TextValue(text=kind), event="be", surface=kind,
                 span=Span(doc_id=doc, start=0, end=len(kind)), about="talk show")
        )  # fmt: skip
    return Claim(
        id=content_id(doc, text), doc_id=doc, span=Span(doc_id=doc, start=0, end=len(text)),
        text=text, subject="agreement", predicate=event, slots=tuple(slots),
        terms=("agreement", event), **kw,
    )  # fmt: skip


_SIGNED = _claim("doc-a", "The agreement was signed in 1941.", 1941)
_NOVEL = _claim("doc-a", "The agreement was signed in 1941.", 1941, kind="novel")


@pytest.mark.parametrize(
    ("left", "right", "label", "method", "possible"),
    [
        # a date of another event: slot comparison leaves it open, the model's clash stands
        (_SIGNED, _claim("doc-b", "The agreement came into force in 1939.", 1939, event="enter"),
         Label.CONTRADICTS, "model:accord-minilm-1", False),
        # a denial: set aside, the pair stays undecided with the model's reason among the votes
        (_SIGNED,
         _claim("doc-b", "The agreement never came into force in 1939.", 1939, event="enter"),
         Label.NOT_MENTIONED, "ensemble", False),
        # hedged with a typed difference: no judge decides, the possible conflict is kept
        (_SIGNED, _claim("doc-b", "It may have come into force in 1939.", 1939, event="enter",
                         hedged=True), Label.NOT_MENTIONED, "model:accord-minilm-1", True),
        # ... unless the two documents call the thing different kinds of thing (namesakes)
        (_NOVEL, _claim("doc-b", "It may have come into force in 1939.", 1939, event="enter",
                        hedged=True, kind="album"),
         Label.NOT_MENTIONED, "model:accord-minilm-1", False),
    ],
)  # fmt: skip
def test_ensemble_minilm_judge_contradicts_only_where_its_restriction_allows(
    monkeypatch: pytest.MonkeyPatch,
    left: Any,
    right: Any,
    label: Label,
    method: str,
    possible: bool,
) -> None:
    ensemble = EnsembleVerifier(minilm=True)
    (judge,) = ensemble.judges
    monkeypatch.setattr(judge, "warm_up", lambda: None)
    monkeypatch.setattr(judge, "probabilities", lambda texts: [[0.03, 0.95, 0.02] for _ in texts])
    (verdict,) = ensemble.verify([Pair(left=left, right=right, score=1.0, retriever="test")])
    assert (verdict.label, verdict.method, verdict.possible_conflict) == (label, method, possible)
    assert "contradicts 0.95" in verdict.reason
    if method == "ensemble":
        assert "set aside as no contradiction: one claim denies" in verdict.reason


@pytest.mark.parametrize(
    "case",
    [
        "c02_lady_ardmore_steamer",  # documents that name their subject alike: clashes kept
        "c37_rv_halcyon_two_ships",  # two ships of one name, years apart: the clash set aside
    ],
)
def test_ensemble_verifier_without_judges_gives_slot_comparisons_contradictions(
    case: str,
) -> None:
    import accord
    from accord.cases import load_case

    folder = Path(__file__).resolve().parents[1] / "fixtures" / "cases" / case
    paths = [folder / name for name in load_case(folder).documents]

    def clashes(report: Report) -> list[tuple[str, str]]:
        return sorted(
            (v.pair.left.id, v.pair.right.id)
            for v in report.verdicts
            if v.label is Label.CONTRADICTS
        )

    alone = clashes(accord.check(paths))
    assert clashes(accord.check(paths, verifier="accord.ensemble.v1")) == alone
