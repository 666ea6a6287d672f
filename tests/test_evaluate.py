"""``accord eval``: items read from the public sets' formats, labels and their scores."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from accord.cli import cli
from accord.errors import ConfigError
from accord.evaluate import Item, SetScore, load_items, untokenize
from accord.model import Label

FM2_ROW = {
    "id": "x1",
    "text": "The Treaty of Hollin was signed in 1939.",
    "label": "REFUTES",
    "gold_evidence": [{"section_header": "", "text": "The treaty was signed on 12 July 1941."}],
    "wikipedia_page": "Treaty_of_Hollin",
}
FEVER_ROW = {
    "id": "7",
    "claim": "The Treaty of Hollin was signed in 1941 .",
    "evidence": "The treaty -LRB- a pact -RRB- was signed on 12 July 1941 .",
    "label": "SUPPORTS",
}
VITC_ROW = {"id": "v_1", "claim": "It sold 5 copies.", "evidence": "x", "label": "not enough info"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("signed in 1941 .", "signed in 1941."),
        ("-LRB- a pact -RRB- , then", "(a pact), then"),
        ("Stalin 's pact", "Stalin's pact"),
        ("it did n't", "it didn't"),
        ("50 % of -LSB- the -RSB- votes", "50% of [the] votes"),
    ],
)
def test_untokenize_undoes_treebank_spacing(text: str, expected: str) -> None:
    assert untokenize(text) == expected


@pytest.mark.parametrize(
    ("row", "gold", "title"),
    [
        (FM2_ROW, Label.CONTRADICTS, "Treaty of Hollin"),
        (FEVER_ROW, Label.SUPPORTS, ""),
        (VITC_ROW, Label.NOT_MENTIONED, ""),
    ],
)
def test_load_items_reads_each_format(
    tmp_path: Path, row: dict[str, Any], gold: Label, title: str
) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps(row) + "\n\n", encoding="utf-8")
    (item,) = load_items(path)
    assert (item.gold, item.title) == (gold, title)
    assert "-LRB-" not in item.evidence


@pytest.mark.parametrize("line", ['{"id": 1}', "not json"])
def test_load_items_rejects_unknown_lines(tmp_path: Path, line: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.jsonl:1"):
        list(load_items(path))


@pytest.mark.parametrize(
    ("outcomes", "precision", "recall", "coverage"),
    [
        ([(Label.CONTRADICTS, Label.CONTRADICTS), (Label.CONTRADICTS, None)], 1.0, 0.5, 0.5),
        ([(Label.SUPPORTS, Label.CONTRADICTS), (Label.CONTRADICTS, Label.CONTRADICTS)], 0.5,
         1.0, 1.0),
        ([(Label.SUPPORTS, None)], None, None, 0.0),
    ],
)  # fmt: skip
def test_set_score_metrics(
    outcomes: list[tuple[Label, Label | None]],
    precision: float | None,
    recall: float | None,
    coverage: float,
) -> None:
    score = SetScore(name="t")
    for gold, given in outcomes:
        score.add(Item(id="i", claim="c", evidence="e", gold=gold), given, "r")
    metrics = score.metrics(Label.CONTRADICTS)
    assert (metrics["precision"], metrics["recall"], metrics["coverage"]) == (
        precision,
        recall,
        coverage,
    )


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_cli_eval_scores_a_file(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "fm2.jsonl"
    path.write_text(json.dumps(FM2_ROW) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "--format", fmt, str(path)])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        (row,) = json.loads(result.output)["sets"]
        assert row["items"] == 1
        assert row["contradicts"]["given"] == 1 and row["contradicts"]["precision"] == 1.0
    else:
        assert "contradicts" in result.output and "1.000" in result.output
