"""``accord eval`` on end-to-end cases: a case folder or a folder of them is checked and
scored against its gold, and ``--curve`` re-thresholds one run's clashes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import accord
from accord.case_runs import CURVE_THRESHOLDS
from accord.cli import cli
from accord.model import Label

pytestmark = pytest.mark.integration

SIGNED_A = "The Treaty of Hollin was signed on 12 July 1941 in the town of Hollin."
SIGNED_B = "The Treaty of Hollin was signed on 25 July 1939."
RATIFIED_B = "The treaty was ratified on 3 March 1942 by both parliaments."
DOCUMENTS = {
    "treaty_a.txt": f"{SIGNED_A} It ended the long border dispute between Arland and Bervia.\n",
    "treaty_b.txt": f"{SIGNED_B} {RATIFIED_B}\n",
}
# One contradiction (two signing dates) and one trap (a signing and a ratification are
# different events, so their dates differ without contradicting each other).
GOLD = {
    "subject": "Treaty of Hollin",
    "documents": list(DOCUMENTS),
    "contradictions": [
        {
            "field": "signing date",
            "type": "date",
            "tags": ["date"],
            "values": {"treaty_a.txt": "12 July 1941", "treaty_b.txt": "25 July 1939"},
            "evidence": {"treaty_a.txt": SIGNED_A, "treaty_b.txt": SIGNED_B},
        }
    ],
    "must_not_flag": [
        {
            "why": "signing and ratification are different events",
            "evidence": {"treaty_a.txt": SIGNED_A, "treaty_b.txt": RATIFIED_B},
        }
    ],
}
JSONL_ROW = {
    "claim": "The Treaty of Hollin was signed in 1941.",
    "evidence": "The treaty was signed on 12 July 1939.",
    "label": "REFUTES",
}


def _write_case(root: Path) -> Path:
    """The tiny case, as folder ``hollin`` of ``root``."""
    folder = root / "hollin"
    folder.mkdir(parents=True)
    for name, text in DOCUMENTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "gold.json").write_text(json.dumps(GOLD), encoding="utf-8")
    return folder


def _clash_confidence(folder: Path) -> float:
    """The confidence of the tiny case's one clash, read from a check that keeps every clash."""
    report = accord.check([folder / name for name in DOCUMENTS], min_confidence=0.0)
    (confidence,) = [v.confidence for v in report.verdicts if v.label is Label.CONTRADICTS]
    return confidence


def _eval(*args: str) -> Any:
    return CliRunner().invoke(cli, ["eval", *args])


@pytest.mark.parametrize("given", ["folder of cases", "case folder"])
def test_eval_cases_json_scores_the_contradiction_and_spares_the_trap(
    tmp_path: Path, given: str
) -> None:
    folder = _write_case(tmp_path / "cases")
    path = folder.parent if given == "folder of cases" else folder
    result = _eval("--format", "json", str(path))
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["backends"]["verify"] == "accord.slots.v1"
    assert figures["cases"] == 1 and figures["errors"] == []
    contradicts = figures["contradicts"]
    assert (contradicts["found"], contradicts["gold"]) == (1, 1)
    assert contradicts["given"] >= 1 and contradicts["correct"] == contradicts["given"]
    assert figures["traps"] == {"flagged": 0, "total": 1}
    assert figures["by_type"]["date"] == {"found": 1, "gold": 1, "recall": 1.0}


@pytest.mark.parametrize(("verbose", "per_case"), [([], False), (["-v"], True)])
def test_eval_cases_text_renders_the_scores_and_with_verbose_each_case(
    tmp_path: Path, verbose: list[str], per_case: bool
) -> None:
    folder = _write_case(tmp_path)
    result = _eval(*verbose, str(folder))
    assert result.exit_code == 0, result.output
    assert "verify: accord.slots.v1" in result.stdout
    assert "recall 1.000 (1/1)" in result.stdout
    assert "traps flagged: 0/1" in result.stdout
    assert ("hollin: contradicts" in result.stdout) is per_case


@pytest.mark.parametrize("min_confidence", [0.5, 1.0])
def test_eval_cases_min_confidence_decides_contradiction_or_possible_conflict(
    tmp_path: Path, min_confidence: float
) -> None:
    folder = _write_case(tmp_path)
    contradiction = _clash_confidence(folder) >= min_confidence
    result = _eval("--format", "json", "--min-confidence", str(min_confidence), str(folder))
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["contradicts"]["found"] == int(contradiction)
    assert figures["possible_conflicts"]["given"] == int(not contradiction)
    assert figures["possible_conflicts"]["recall_with_possible"] == 1.0


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_eval_cases_next_to_a_jsonl_file_scores_both(tmp_path: Path, fmt: str) -> None:
    folder = _write_case(tmp_path / "cases")
    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps(JSONL_ROW) + "\n", encoding="utf-8")
    result = _eval("--format", fmt, str(path), str(folder.parent))
    assert result.exit_code == 0, result.output
    if fmt == "json":
        figures = json.loads(result.stdout)
        assert [row["items"] for row in figures["sets"]] == [1]
        assert figures["cases"]["contradicts"]["found"] == 1
    else:
        assert "gold \\ given" in result.stdout and "1 cases" in result.stdout


@pytest.mark.parametrize("fmt", ["json"])
def test_eval_curve_rethresholds_one_run_of_the_cases(tmp_path: Path, fmt: str) -> None:
    folder = _write_case(tmp_path)
    confidence = _clash_confidence(folder)
    result = _eval("--curve", "--format", fmt, str(folder))
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["min_confidence"] == 0.0
    curve = figures["curve"]
    assert [point["threshold"] for point in curve] == list(CURVE_THRESHOLDS)
    for point in curve:
        kept = int(confidence >= point["threshold"])
        assert (point["given"], point["correct"], point["found"], point["gold"]) == (
            kept,
            kept,
            kept,
            1,
        )
        assert point["precision"] == (1.0 if kept else None)
        assert point["recall"] == float(kept)


@pytest.mark.parametrize("fmt", ["text"])
def test_eval_curve_text_prints_a_line_per_threshold(tmp_path: Path, fmt: str) -> None:
    folder = _write_case(tmp_path)
    result = _eval("--curve", "--format", fmt, str(folder))
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.stdout.splitlines()]
    thresholds = [float(row[0]) for row in rows if row and re.fullmatch(r"\d\.\d\d", row[0])]
    assert thresholds == list(CURVE_THRESHOLDS)
    assert any(row[:3] == ["0.50", "1.000", "1.000"] for row in rows)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--curve", "ITEMS"], "--curve scores case directories"),
        (["--curve", "--min-confidence", "0.5", "CASES"], "leave out --min-confidence"),
        (["EMPTY"], "no case folders"),
    ],
    ids=["curve-without-cases", "curve-with-threshold", "folder-without-cases"],
)
def test_eval_cases_misuse_is_a_usage_error(tmp_path: Path, args: list[str], message: str) -> None:
    folder = _write_case(tmp_path / "cases")
    items = tmp_path / "items.jsonl"
    items.write_text(json.dumps(JSONL_ROW) + "\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    paths = {"ITEMS": str(items), "CASES": str(folder), "EMPTY": str(tmp_path / "empty")}
    result = _eval(*[paths.get(arg, arg) for arg in args])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "cases"),
    [(["--limit", "1", "ROOT"], 1), (["ROOT", "ROOT/hollin"], 2)],
    ids=["limit-per-directory", "each-case-once"],
)
def test_eval_cases_takes_each_case_once_and_limit_per_directory(
    tmp_path: Path, args: list[str], cases: int
) -> None:
    folder = _write_case(tmp_path)
    twin = tmp_path / "hollin_again"
    twin.mkdir()
    for path in folder.iterdir():
        (twin / path.name).write_bytes(path.read_bytes())
    paths = [arg.replace("ROOT", str(tmp_path)) for arg in args]
    result = _eval("--format", "json", *paths)
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["cases"] == cases
    assert figures["contradicts"]["gold"] == cases
