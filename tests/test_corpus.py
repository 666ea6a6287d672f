"""Corpora end to end: add, incremental check, show (accord.corpus and the CLI commands).

The reports (tests/conftest.py, ``CORPUS_REPORTS``) were written for these tests and run
through the real stages.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from accord.cli import cli
from accord.corpus import add_sources, check_store, resolve_subject, stored_report
from accord.model import Label, Report
from accord.pipeline import Settings
from accord.store import SQLiteStore
from accord.testing.contracts import sample_claims, sample_document, sample_verdicts

pytestmark = pytest.mark.integration


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _check(db: Path, subject: str, **settings: Any) -> tuple[Report, int, int]:
    with SQLiteStore(db) as store:
        (row,) = resolve_subject(store, subject)
        result = check_store(store, Settings(**settings), row)
    return result.report, result.pairs_verified, result.document_pairs_aligned


def _by_source(report: Report) -> dict[str, float]:
    names = {doc.id: Path(doc.source).name for doc in report.documents}
    return {names[r.doc_id]: r.score for r in report.record.reliability}


def _field(report: Report, name: str) -> Any:
    (item,) = [f for f in report.record.fields if f.name == name]
    return item


@pytest.mark.parametrize(
    "expected",
    [{"Treaty of Paris (1763)": 1, "Treaty of Paris (1783)": 4, "Treaty of Valdoria": 4}],
)
def test_corpus_add_groups_documents_by_subject(corpus_db: Path, expected: dict[str, int]) -> None:
    with SQLiteStore(corpus_db) as store:
        assert {row.name: row.documents for row in store.subjects()} == expected


VERSAILLES = {
    "a.txt": "Treaty of Versailles\n\nThe treaty was signed on 28 June 1919.\n",
    "b.txt": "Versailles Treaty\n\nThe treaty was signed on 28 June 1919.\n",
    "c.txt": "The Treaty of Versailles\n\nThe treaty was signed on 28 June 1920.\n",
    "d.txt": "Treaty of Versailles (1756)\n\nThe treaty was signed on 1 May 1756.\n",
}


@pytest.mark.parametrize(
    ("files", "expected"),
    [(VERSAILLES, {"Treaty of Versailles": 3, "Treaty of Versailles (1756)": 1})],
)
def test_corpus_add_files_aliases_of_a_name_under_one_subject(
    tmp_path: Path, files: dict[str, str], expected: dict[str, int]
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    db = tmp_path / "c.db"
    result = _invoke("add", *(str(tmp_path / n) for n in files), "--store", str(db))
    assert result.exit_code == 0, result.output
    with SQLiteStore(db) as store:
        assert {row.name: row.documents for row in store.subjects()} == expected
        found = store.find_subject("versailles treaty")
    assert found is not None and found.name == "Treaty of Versailles"


COURTHOUSE = {
    "n.txt": "N\n\nThe Alder County Courthouse was completed in 1891 in Millbrook.\n",
    "source_2.txt": "The Alder County Courthouse was completed in 1891. It has a tower.\n",
    "source_3.txt": "Visitors admire the Alder County Courthouse. It was completed in 1893.\n",
}


@pytest.mark.parametrize(
    ("files", "flags", "expected"),
    [
        (COURTHOUSE, ["--one-subject"], {"Alder County Courthouse": 3}),
        (COURTHOUSE, ["--subject", "Millbrook courthouse"], {"Millbrook courthouse": 3}),
    ],
)
def test_cli_add_one_subject_files_the_documents_together(
    tmp_path: Path, files: dict[str, str], flags: list[str], expected: dict[str, int]
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    db = tmp_path / "c.db"
    result = _invoke("add", *(str(tmp_path / n) for n in files), "--store", str(db), *flags)
    assert result.exit_code == 0, result.output
    with SQLiteStore(db) as store:
        assert {row.name: row.documents for row in store.subjects()} == expected


@pytest.mark.parametrize("subject", ["Treaty of Valdoria"])
def test_corpus_majority_wins_and_outlier_is_least_reliable(
    corpus_copy: Path, subject: str
) -> None:
    report, _, _ = _check(corpus_copy, subject)
    field = _field(report, "signed on")
    assert (field.consensus, field.status) == ("1852-05-03", "contradicted")
    assert "3 of 4 sources give 1852-05-03" in field.reason
    scores = _by_source(report)
    assert min(scores, key=scores.__getitem__) == "valdoria_d_news.txt"
    assert all(scores["valdoria_d_news.txt"] < s for n, s in scores.items() if "_d_" not in n)


@pytest.mark.parametrize("subject", ["treaty of paris (1783)"])
def test_corpus_even_split_is_reported(corpus_copy: Path, subject: str) -> None:
    report, _, _ = _check(corpus_copy, subject)
    field = _field(report, "signed on")
    assert field.consensus is None
    assert field.reason.startswith("the sources split evenly (4 sources, no majority")
    assert len(set(_by_source(report).values())) == 1  # nobody is outvoted
    assert {Path(d.source).name for d in report.documents} == {
        f"paris_1783_{c}.txt" for c in "abcd"
    }


@pytest.mark.parametrize("subject", ["Treaty of Valdoria"])
def test_corpus_check_only_verifies_what_is_new(
    corpus_copy: Path, corpus_new_report: Path, subject: str
) -> None:
    _, first, aligned = _check(corpus_copy, subject)
    assert first > 0 and aligned == 6  # four documents: six pairs
    _, again, aligned = _check(corpus_copy, subject)
    assert (again, aligned) == (0, 0)
    with SQLiteStore(corpus_copy) as store:
        before = {
            (v.pair.left.id, v.pair.right.id)
            for v in store.verdicts([d.id for d in store.documents()])
        }
        result = add_sources(store, [corpus_new_report], Settings())
    (new_doc,) = result.documents
    report, third, aligned = _check(corpus_copy, subject)
    assert aligned == 4 and third > 0  # the new document against each stored one
    after = {(v.pair.left.id, v.pair.right.id): v for v in report.verdicts}
    fresh = [v for key, v in after.items() if key not in before]
    assert len(fresh) == third
    assert all(new_doc.doc_id in (v.pair.left.doc_id, v.pair.right.doc_id) for v in fresh)
    assert _field(report, "signed on").reason.startswith(
        "the sources contradict each other; 4 of 5"
    )


@pytest.mark.parametrize("subject", ["Treaty of Valdoria", "Treaty of Paris (1783)"])
def test_corpus_report_equals_a_plain_check(
    corpus_copy: Path, corpus_dir: Path, subject: str
) -> None:
    stored = _invoke("check", "--store", str(corpus_copy), "--subject", subject, "--format", "json")
    assert stored.exit_code == 0, stored.output
    prefix = "valdoria_" if "Valdoria" in subject else "paris_1783_"
    files = sorted(str(p) for p in corpus_dir.glob(f"{prefix}*"))
    plain = _invoke("check", *files, "--format", "json")
    assert plain.exit_code == 0, plain.output
    left, right = json.loads(stored.stdout), json.loads(plain.stdout)
    for key in ("documents", "claims", "verdicts", "summary", "record"):
        assert left[key] == right[key], key


@pytest.mark.parametrize("flag", ["--subject", None])
def test_cli_add_twice_says_already_stored(
    corpus_copy: Path, corpus_dir: Path, flag: str | None
) -> None:
    extra = [flag, "Somewhere else"] if flag else []
    result = _invoke("add", str(corpus_dir), "--store", str(corpus_copy), *extra)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 9 and all(line.startswith("already stored") for line in lines)
    listing = _invoke("show", "--store", str(corpus_copy))
    assert "Somewhere else" not in listing.stdout


@pytest.mark.parametrize("subject", ["Treaty of Valdoria"])
def test_cli_show_lists_subjects_and_prints_the_record(corpus_copy: Path, subject: str) -> None:
    listing = _invoke("show", "--store", str(corpus_copy))
    assert listing.exit_code == 0
    assert listing.stdout.splitlines() == [
        "1  Treaty of Paris (1763)",
        "4  Treaty of Paris (1783)",
        "4  Treaty of Valdoria",
    ]
    checked = _invoke("check", "--store", str(corpus_copy), "--subject", subject)
    assert checked.exit_code == 0
    shown = _invoke("show", "--store", str(corpus_copy), subject)
    assert shown.exit_code == 0
    assert "signed on: 1852-05-03  [contradicted]" in shown.stdout
    assert "Reliability:" in shown.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--store", "{db}", "--format", "json"],  # three subjects, one output
        ["check", "--store", "{db}", "--subject", "Treaty of Atlantis"],
        ["show", "--store", "{db}", "Treaty of Atlantis"],
        ["check", "--store", "{db}", "--subject", "Treaty of Valdoria", "x.txt"],
        ["check", "--store", "{db}", "--prior", "blog=0.5"],
        ["check", "--store", "{db}", "--prior", "news"],
        ["show", "--store", "{missing}"],
    ],
)
def test_cli_corpus_usage_errors_exit_2(corpus_copy: Path, args: list[str]) -> None:
    missing = corpus_copy.parent / "missing.db"
    filled = [a.format(db=corpus_copy, missing=missing) for a in args]
    result = _invoke(*filled)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert not missing.exists()


# The corpus's reports are named valdoria_*_news.txt, but nothing in them says they are
# news, so they are of unknown kind: the prior for unknown is the one that applies.
@pytest.mark.parametrize("prior", ["unknown=0.1"])
def test_cli_check_prior_flag_changes_reliability(corpus_copy: Path, prior: str) -> None:
    args = ["check", "--store", str(corpus_copy), "--subject", "Treaty of Valdoria"]
    default = json.loads(_invoke(*args, "--format", "json").stdout)
    custom = json.loads(_invoke(*args, "--format", "json", "--prior", prior).stdout)
    before = {r["doc_id"]: r["score"] for r in default["record"]["reliability"]}
    after = {r["doc_id"]: r["score"] for r in custom["record"]["reliability"]}
    assert all(after[d] < before[d] for d in before)
    kind = prior.split("=")[0]
    assert any(
        f"prior for source kind '{kind}': 0.10" in r
        for x in custom["record"]["reliability"]
        for r in x["reasons"]
    )


@pytest.mark.parametrize("threshold", ["0.99"])
def test_cli_check_store_reports_possible_conflicts_like_a_plain_check(
    corpus_copy: Path, corpus_dir: Path, threshold: str
) -> None:
    args = ["--min-confidence", threshold]
    stored = _invoke(
        "check",
        "--store",
        str(corpus_copy),
        "--subject",
        "Treaty of Valdoria",
        *args,
        "--format",
        "json",
    )
    assert stored.exit_code == 0, stored.output
    files = sorted(str(p) for p in corpus_dir.glob("valdoria_*"))
    plain = _invoke("check", *files, *args, "--format", "json")
    assert plain.exit_code == 0, plain.output
    left, right = json.loads(stored.stdout), json.loads(plain.stdout)
    for key in ("verdicts", "summary"):
        assert left[key] == right[key], key
    counts = left["summary"]["counts"]
    assert counts["contradictions"] == 0 and counts["possible_conflicts"] >= 1
    assert left["run"]["min_confidence"] == float(threshold)
    text = _invoke("check", "--store", str(corpus_copy), "--subject", "Treaty of Valdoria", *args)
    assert "Possible conflicts (" in text.stdout
    assert "No contradictions found" not in text.stdout


@pytest.mark.parametrize(("threshold", "possible"), [(0.95, True), (0.7, False)])
def test_stored_report_marks_stored_clashes_under_the_threshold(
    tmp_path: Path, threshold: float, possible: bool
) -> None:
    # Verdicts stored before possible conflicts existed (or under a lower threshold) are
    # read as a check at this threshold would label them.
    docs = [sample_document("Treaty of Valdoria\nsigned 1852."), sample_document("Other.")]
    claims = [sample_claims(doc) for doc in docs]
    with SQLiteStore(tmp_path / "c.db") as store:
        for doc, doc_claims in zip(docs, claims, strict=True):
            store.add_document(
                doc, subject_key="t", subject_name="T", claims=doc_claims, extractor="test.v1"
            )
        (stored,) = sample_verdicts(claims[0][:1], claims[1][:1])  # CONTRADICTS at 0.9
        store.save_alignment(docs[0].id, docs[1].id, [stored])
        (row,) = resolve_subject(store, "T")
        report = stored_report(store, Settings(min_confidence=threshold), row)
    (verdict,) = report.verdicts
    assert verdict.possible_conflict is possible
    assert verdict.label is (Label.NOT_MENTIONED if possible else Label.CONTRADICTS)
    assert verdict.confidence == stored.confidence
    assert report.run.min_confidence == threshold
