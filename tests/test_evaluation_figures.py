"""The published figure tables are the rendering of docs/figures/evaluation.json, untouched."""

from __future__ import annotations

import functools
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "evaluation_figures.py"


@functools.cache
def _figures() -> ModuleType:
    """The script as a module (it is not part of the package)."""
    spec = importlib.util.spec_from_file_location("evaluation_figures", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _metrics(correct: int, given: int, gold: int) -> dict[str, Any]:
    precision = round(correct / given, 3) if given else None
    recall = round(correct / gold, 3) if gold else None
    return {"given": given, "correct": correct, "gold": gold, "precision": precision,
            "recall": recall, "f1": None, "coverage": None}  # fmt: skip


def _fake_results() -> dict[str, Any]:
    """Two runs: slots on FM2 and RAMDocs in full, the model on FM2 with --limit 50."""

    def entry(run: str, items: int, con: tuple[int, int, int], rate: float) -> dict[str, Any]:
        return {
            "run": run,
            "backends": {},
            "seconds": 1.0,
            "score": {
                "items": items,
                "contradicts": _metrics(*con),
                "supports": _metrics(1, 2, 4),
                "not_mentioned": _metrics(0, 0, 0),
                "decided": 0.25,
                "pairs_per_s": rate,
                "reliability": None,
            },
        }

    ramdocs = entry("r1", 40, (3, 5, 10), 67572.4)
    ramdocs["score"]["reliability"] = {
        "items": 12, "skipped": 1, "least_reliable_is_misinfo": 0.25,
        "least_reliable_is_misinfo_items": 3, "counting_ties": 0.3, "random_ranking": 0.2,
        "tied_lowest_items": 7, "seconds": 3.0,
        "agreement_ceiling": {"noise_set_aside": 0.6, "noise_unsupported": 0.4},
    }  # fmt: skip
    ramdocs["score"]["contradicts_any_conflict"] = _metrics(4, 8, 10)
    run = {"accord_version": "9.9", "commit": "0123456789abcdef", "uncommitted_changes": False}
    return {
        "runs": {
            "r1": {**run, "date": "2030-01-02T03:04:05Z", "command": "python s.py run",
                   "limit": None},
            "r2": {**run, "date": "2030-01-03T00:00:00Z", "command": "python s.py run --limit 50",
                   "limit": 50},
        },
        "results": {
            "slots": {"fm2-test": entry("r1", 1380, (10, 10, 700), 17074.2),
                      "ramdocs-heldout": ramdocs},
            "minilm": {"fm2-test": entry("r2", 50, (2, 4, 25), 339.0)},
        },
    }  # fmt: skip


@pytest.mark.parametrize(
    ("set_key", "expected"),
    [
        ("fm2-test", [
            "Slots: run 2030-01-02 03:04:05 UTC (accord 9.9, commit `0123456789`) by "
            "`python s.py run`; 1,380 items.",
            "Model alone: run 2030-01-03 00:00:00 UTC (accord 9.9, commit `0123456789`) by "
            "`python s.py run --limit 50`; the first 50 items only (a partial run).",
            "",
            "| backends | CONTRADICTS P / R / F1 (correct/given) | SUPPORTS P / R / F1 "
            "(correct/given) | NOT_MENTIONED P / R / F1 | pairs/s |",
            "|---|---|---|---|---|",
            "| slot comparison (`accord.slots.v1`, every claim pair) | 1.000 / 0.014 / - "
            "(10/10) | 0.500 / 0.250 / - (1/2) | - / - / - | 17,074 |",
            "| accord's model alone (`--verifier accord.minilm.v1`) | 0.500 / 0.080 / - (2/4) "
            "| 0.500 / 0.250 / - (1/2) | - / - / - | 339 |",
        ]),
        ("ramdocs-heldout", [
            "Run 2030-01-02 03:04:05 UTC (accord 9.9, commit `0123456789`) by "
            "`python s.py run`; 40 document pairs.",
            "",
            "| backends | CONTRADICTS P / R / F1 (correct/given) | SUPPORTS P / R / F1 "
            "(correct/given) | NOT_MENTIONED P / R / F1 | pairs/s |",
            "|---|---|---|---|---|",
            "| slot comparison (`accord.slots.v1`, every claim pair) | 0.600 / 0.300 / - "
            "(3/5) | 0.500 / 0.250 / - (1/2) | - / - / - | 67,572 |",
            "",
            "A pair's label answers its question, so CONTRADICTS above counts a contradiction "
            "whose values are of the kind the question asks for (`bears_on`). Counting any "
            "contradiction between the two documents instead:",
            "",
            "| backends | CONTRADICTS P / R (correct/given), any conflict |",
            "|---|---|",
            "| slot comparison (`accord.slots.v1`, every claim pair) | 0.500 / 0.400 (4/8) |",
            "",
            "Reliability score, over the questions with misinformation and at least two "
            "documents:",
            "",
            "| backends | questions (skipped) | least reliable is misinfo | … counting ties "
            "| random ranking | gold answers' agreement (noise set aside / unsupported) |",
            "|---|---|---|---|---|---|",
            "| slot comparison (`accord.slots.v1`, every claim pair) | 12 (1) | 0.250 (3/12) "
            "| 0.300 | 0.200 | 0.600 / 0.400 |",
        ]),
        ("vitaminc-test", ["No figures yet: run `python scripts/evaluation_figures.py run`.",
                           "", "| backends | CONTRADICTS P / R / F1 (correct/given) | SUPPORTS "
                           "P / R / F1 (correct/given) | NOT_MENTIONED P / R / F1 | pairs/s |",
                           "|---|---|---|---|---|"]),
    ],
)  # fmt: skip
def test_render_set_table_on_fake_results(set_key: str, expected: list[str]) -> None:
    assert _figures().render_set_table(_fake_results(), set_key).split("\n") == expected


@pytest.mark.parametrize(
    "expected_row",
    ["| FM2 test | 1.000 / 0.014 | - | 0.500 / 0.080 |", "| VitaminC sample test | - | - | - |"],
)
def test_render_verifiers_table_on_fake_results(expected_row: str) -> None:
    assert expected_row in _figures().render_verifiers_table(_fake_results()).split("\n")


@pytest.mark.parametrize(
    "text",
    ["Before.\n\n<!-- figures:fm2-test -->\nold table\n<!-- /figures -->\n\nAfter, kept.\n"],
)
def test_replace_sections_changes_only_marked_content(text: str) -> None:
    figures = _figures()
    new = figures.replace_sections(text, {"fm2-test": "| new |"})
    assert new == (
        "Before.\n\n<!-- figures:fm2-test -->\n\n| new |\n\n<!-- /figures -->\n\nAfter, kept.\n"
    )
    assert figures.marked_sections(new) == {"fm2-test": "\n| new |\n\n"}


@pytest.mark.parametrize("document", list(_figures().DOCUMENTS))
def test_published_tables_are_the_rendering_of_the_committed_results(document: str) -> None:
    figures = _figures()
    results = json.loads((ROOT / "docs" / "figures" / "evaluation.json").read_text("utf-8"))
    rendered = figures.rendered_sections(results)
    text = (ROOT / document).read_text(encoding="utf-8")
    keys = figures.DOCUMENTS[document]
    assert figures.marked_sections(text) == {k: figures.section_body(rendered[k]) for k in keys}, (
        f"{document}: a marked table differs from docs/figures/evaluation.json; refresh it "
        "with: python scripts/evaluation_figures.py render"
    )
