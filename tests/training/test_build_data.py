"""Tests for the training-data builder (training/build_data.py): splits, groups, licences."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from accord.evaluate import untokenize


@pytest.mark.parametrize(
    "name",
    ["fm2/test.jsonl", "fever_symmetric/fever_symmetric_test.jsonl", "vitaminc_sample/test.jsonl"],
)
def test_build_data_refuses_test_splits(build_data: ModuleType, tmp_path: Path, name: str) -> None:
    (tmp_path / name).parent.mkdir(parents=True)
    (tmp_path / name).write_text('{"claim": "x"}\n', encoding="utf-8")
    with pytest.raises(SystemExit, match="not a permitted training split"):
        list(build_data._read(tmp_path, name))


@pytest.mark.parametrize("groups", [2000])
def test_build_data_heldout_is_a_fixed_share_of_groups(build_data: ModuleType, groups: int) -> None:
    names = [f"fm2:Page {i}" for i in range(groups)]
    first = [build_data.is_heldout(n) for n in names]
    assert first == [build_data.is_heldout(n) for n in names]
    share = sum(first) / groups
    assert abs(share - build_data.HELDOUT_PERCENT / 100) < 0.03


@pytest.mark.parametrize(
    "text",
    [
        "Cruz has modelled for Mango , Ralph Lauren and L'Oréal .",
        "It was founded -LRB- in 1990 -RRB- by Smith 's father .",
    ],
)
def test_build_data_untokenize_matches_accord_eval(build_data: ModuleType, text: str) -> None:
    assert build_data.untokenize(text) == untokenize(text)


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


@pytest.mark.parametrize("twins", [3])
def test_build_data_read_real_groups_contrastive_twins(
    build_data: ModuleType, tmp_path: Path, twins: int
) -> None:
    fever = [
        {
            "id": "54253",
            "claim": "A is B .",
            "evidence": "A is B , they say .",
            "label": "SUPPORTS",
        },
        {"id": "542530000002", "claim": "A is C .", "evidence": "A is B .", "label": "REFUTES"},
    ]
    for i in range(twins):
        fever.append(
            {"id": f"7{i}0000003", "claim": "x", "evidence": "y", "label": "REFUTES"},
        )
    fm2 = [
        {
            "id": "f1",
            "text": "Paris is in Spain.",
            "label": "REFUTES",
            "wikipedia_page": "Paris",
            "gold_evidence": [{"text": "Paris is the capital of France."}],
            "retrieved_evidence": [{"text": "Paris has many museums and parks."}],
        }
    ]
    vitaminc = [
        {"id": "abc_1", "claim": "c", "evidence": "e", "label": "not enough info"},
    ]
    for name in build_data.ALLOWED:
        if name.startswith("fever"):
            _write(tmp_path / name, fever)
        elif name.startswith("fm2"):
            _write(tmp_path / name, fm2)
        else:
            _write(tmp_path / name, vitaminc)
    rows, sentences = build_data.read_real(tmp_path)
    groups = [r.group for r in rows if r.source == "fever_symmetric"]
    assert groups[:2] == ["fever:54253", "fever:54253"]  # a claim and its contrastive twin
    assert set(groups[2:]) == {f"fever:7{i}" for i in range(twins)}
    fm2_rows = [r for r in rows if r.source == "fm2"]
    assert [(r.label, r.group) for r in fm2_rows] == [("CONTRADICTS", "fm2:Paris")]
    assert "Paris has many museums and parks." in sentences["fm2:Paris"]
    assert {r.label for r in rows if r.source == "vitaminc_sample"} == {"NOT_MENTIONED"}
