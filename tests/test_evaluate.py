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
        assert "gold \\ given" in result.output


# A hand-labelled set for the fake extractor (ISO dates are signing dates): what each item
# gets is worked out by hand in the comments, so the expected scores below are computed
# independently of the code under test.
HAND_SET = [
    # dates of one signing differ -> contradicts (right)
    {"claim": "It was signed 1941-07-12.", "evidence": "It was signed 1939-07-25.",
     "label": "REFUTES"},
    # the same date -> supports (right)
    {"claim": "It was signed 1941-07-12.", "evidence": "Signed on 1941-07-12.",
     "label": "SUPPORTS"},
    # gold says supports, the dates differ -> contradicts (wrong)
    {"claim": "It was signed 1941-07-12.", "evidence": "It was signed 1940-01-02.",
     "label": "SUPPORTS"},
    # nothing in common -> undecided, counted as not_mentioned (wrong: gold refutes)
    {"claim": "The sky is blue.", "evidence": "Grass grows.", "label": "REFUTES"},
    # nothing in common -> not_mentioned (right)
    {"claim": "Rain falls.", "evidence": "The cat sleeps.", "label": "NOT ENOUGH INFO"},
]  # fmt: skip


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("contradicts", {"given": 2, "correct": 1, "gold": 2, "precision": 0.5, "recall": 0.5,
                         "f1": 0.5, "coverage": 0.4}),
        ("supports", {"given": 1, "correct": 1, "gold": 2, "precision": 1.0, "recall": 0.5,
                      "f1": 0.667, "coverage": 0.2}),
        ("not_mentioned", {"given": 2, "correct": 1, "gold": 1, "precision": 0.5,
                           "recall": 1.0, "f1": 0.667, "coverage": 0.4}),
    ],
)  # fmt: skip
def test_score_sets_metrics_on_hand_labelled_set(
    tmp_path: Path, label: str, expected: dict[str, Any]
) -> None:
    import accord.testing.fakes  # noqa: F401  (registers accord.fake.v1)
    from accord.evaluate import score_sets
    from accord.pipeline import Settings

    path = tmp_path / "hand.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in HAND_SET), encoding="utf-8")
    (row,) = score_sets([path], Settings(extractor="accord.fake.v1"))["sets"]
    assert row[label] == expected
    assert row["items"] == 5 and row["decided"] == 0.6
    assert row["confusion"] == {
        "supports": {"supports": 1, "contradicts": 1, "not_mentioned": 0},
        "contradicts": {"supports": 0, "contradicts": 1, "not_mentioned": 1},
        "not_mentioned": {"supports": 0, "contradicts": 0, "not_mentioned": 1},
    }
    assert row["pairs"] == 5 and row["pairs_per_s"] > 0


@pytest.mark.parametrize("aligner", ["accord.bm25.v1"])
def test_score_sets_with_an_aligner_verifies_only_its_pairs(tmp_path: Path, aligner: str) -> None:
    import accord.testing.fakes  # noqa: F401  (registers accord.fake.v1)
    from accord.evaluate import score_sets
    from accord.pipeline import Settings

    path = tmp_path / "hand.jsonl"
    row = {
        "claim": "It was signed 1941-07-12. Cats purr.",
        "evidence": "It was signed 1939-07-25. Dogs bark loudly.",
        "label": "REFUTES",
    }
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    settings = Settings(extractor="accord.fake.v1", aligner=aligner)
    every = score_sets([path], settings)
    aligned = score_sets([path], settings, aligned=True)
    assert every["sets"][0]["pairs"] == 4
    assert 0 < aligned["sets"][0]["pairs"] < 4
    assert aligned["sets"][0]["contradicts"]["correct"] == 1
    assert aligner in aligned["backends"]["align"] and every["backends"]["align"] == (
        "every claim pair"
    )


@pytest.mark.parametrize(
    "row",
    [{"claim": "A is B.", "evidence": "A is C.", "label": "contradiction", "title": "A"}],
)
def test_load_items_reads_the_plain_layout(tmp_path: Path, row: dict[str, Any]) -> None:
    path = tmp_path / "mine.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    (item,) = load_items(path)
    assert (item.id, item.gold, item.title) == ("1", Label.CONTRADICTS, "A")


@pytest.mark.parametrize("option", [["--verifier", "accord.nope.v1"]])
def test_cli_eval_unknown_verifier_is_one_error_line(tmp_path: Path, option: list[str]) -> None:
    path = tmp_path / "fm2.jsonl"
    path.write_text(json.dumps(FM2_ROW) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", *option, str(path)])
    assert result.exit_code == 2
    assert "accord.nope.v1" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("types", "answers", "expected"),
    [
        (["correct", "misinfo"], ["1900", "1901"], ["contradicts"]),
        (["correct", "correct"], ["1900", "1900 "], ["supports"]),
        (["correct", "correct"], ["1900", "1950"], ["not_mentioned"]),  # two namesakes
        (["correct", "noise"], ["1900", "unknown"], ["not_mentioned"]),
        (["misinfo", "misinfo"], ["1", "2"], []),  # nothing sure: left out
        (["correct", "misinfo", "noise"], ["a", "b", "unknown"],
         ["contradicts", "not_mentioned", "not_mentioned"]),
    ],
)  # fmt: skip
def test_load_items_builds_ramdocs_document_pairs(
    tmp_path: Path, types: list[str], answers: list[str], expected: list[str]
) -> None:
    row = {
        "question": "When?",
        "documents": [
            {"text": f"Text {i}.", "type": t, "answer": a}
            for i, (t, a) in enumerate(zip(types, answers, strict=True))
        ],
        "disambig_entity": [],
        "gold_answers": [],
        "wrong_answers": [],
    }
    path = tmp_path / "ram.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    items = list(load_items(path))
    assert [i.gold.value for i in items] == expected
    assert all(i.claim.startswith("Text") and i.evidence.startswith("Text") for i in items)
    assert all(i.question == "When?" for i in items)  # each pair's label answers the question


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        # strict: the misinformation is alone at the bottom in the first item only
        ([[(0.8, False), (0.5, True)], [(0.4, False), (0.9, True)]],
         {"least_reliable_is_misinfo": 0.5, "least_reliable_is_misinfo_items": 1,
          "counting_ties": 0.5, "random_ranking": 0.5, "tied_lowest_items": 0}),
        # ties: three tie for lowest, one of them misinformation -> 1/3; a tie never counts
        # as strict
        ([[(0.7, True), (0.7, False), (0.7, False), (0.9, False)]],
         {"least_reliable_is_misinfo": 0.0, "least_reliable_is_misinfo_items": 0,
          "counting_ties": 0.333, "random_ranking": 0.25, "tied_lowest_items": 1}),
        # random: 1 of 3 and 2 of 4 documents misinformation -> (1/3 + 2/4) / 2
        ([[(0.1, True), (0.5, False), (0.6, False)],
          [(0.2, True), (0.2, True), (0.3, False), (0.4, False)]],
         {"least_reliable_is_misinfo": 0.5, "least_reliable_is_misinfo_items": 1,
          "counting_ties": 1.0, "random_ranking": 0.417, "tied_lowest_items": 1}),
    ],
)  # fmt: skip
def test_reliability_figures_on_hand_built_scores(
    items: list[list[tuple[float, bool]]], expected: dict[str, Any]
) -> None:
    from accord.evaluate import reliability_figures

    figures = reliability_figures(items, skipped=2)
    assert {key: figures[key] for key in expected} == expected
    assert (figures["items"], figures["skipped"]) == (len(items), 2)


@pytest.mark.parametrize(
    "item", [[(0.5, True)], [(0.5, False), (0.4, False)]], ids=["one-document", "no-misinfo"]
)
def test_reliability_figures_rejects_items_it_cannot_score(
    item: list[tuple[float, bool]],
) -> None:
    from accord.evaluate import reliability_figures

    with pytest.raises(ValueError, match="two documents"):
        reliability_figures([item])


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("What is the population of Broken Bow?", "Broken Bow"),
        ('Who is the artist of the album "The Heat"?', "The Heat"),
        ("What is Jon Hill's profession?", "Jon Hill"),
        ("Where is the Boston and Maine Railroad Depot located?",
         "Boston and Maine Railroad Depot"),
        ("when was it built?", "when was it built"),
    ],
)  # fmt: skip
def test_question_subject_finds_the_name_asked_about(question: str, subject: str) -> None:
    from accord.evaluate import question_subject

    assert question_subject(question) == subject


def _ramdocs_doc(text: str, kind: str, answer: str = "") -> dict[str, str]:
    given = answer or ("unknown" if kind == "noise" else text[-12:])
    return {"text": text, "type": kind, "answer": given}


# Three questions, worked out by hand: in the first, two documents outvote the misinformation
# (it alone scores lowest); in the second, one against one (a tie for lowest); in the third,
# the misinformation document is blank, fails to read, and the question is skipped. So:
# strict 1 of 2, counting ties (1 + 1/2) / 2, random (1/3 + 1/2) / 2.
# Development items in the RAMDocs layout about different things of one name (README beside).
NAMESAKES = Path(__file__).resolve().parent / "fixtures" / "namesakes" / "namesakes.jsonl"

RAMDOCS_SET = [
    {"question": "When was the Treaty of Hollin signed?", "documents": [
        _ramdocs_doc("The Treaty of Hollin was signed on 12 July 1941 in Moscow.", "correct",
                     "12 July 1941"),
        _ramdocs_doc("The Treaty of Hollin was signed on 12 July 1941 by both powers.",
                     "correct", "12 July 1941"),
        _ramdocs_doc("The Treaty of Hollin was signed on 25 July 1939 in Moscow.", "misinfo",
                     "25 July 1939"),
    ]},
    {"question": "When was the Bridge of Arden opened?", "documents": [
        _ramdocs_doc("The Bridge of Arden was opened on 3 May 1902.", "correct", "3 May 1902"),
        _ramdocs_doc("The Bridge of Arden was opened on 9 June 1911.", "misinfo", "9 June 1911"),
    ]},
    {"question": "When was Fort Tessel built?", "documents": [
        _ramdocs_doc("Fort Tessel was built in 1820.", "correct"),
        _ramdocs_doc("   ", "misinfo"),
    ]},
]  # fmt: skip


@pytest.mark.integration
@pytest.mark.parametrize("fmt", ["json", "text"])
def test_cli_eval_scores_reliability_on_ramdocs(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "ramdocs.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in RAMDOCS_SET), encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "--format", fmt, str(path)])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        (row,) = json.loads(result.stdout)["sets"]
        figures = row["reliability"]
        assert {k: v for k, v in figures.items() if k != "seconds"} == {
            "items": 2,
            "skipped": 1,
            "least_reliable_is_misinfo": 0.5,
            "least_reliable_is_misinfo_items": 1,
            "counting_ties": 0.75,
            "random_ranking": 0.417,
            "tied_lowest_items": 1,
            # the gold answers rank as accord did: two against one, then one against one
            "agreement_ceiling": {"noise_set_aside": 0.75, "noise_unsupported": 0.75},
        }
    else:
        assert "reliability: 2 questions" in result.stdout and "1 skipped" in result.stdout
        assert "least reliable is misinfo  0.500  (1 of 2" in result.stdout
        assert "agreement of gold answers  0.750  (noise set aside; 0.750" in result.stdout


def _question(kinds: str, answers: str) -> Any:
    from accord.evaluate import Question

    labels = {"c": "correct", "m": "misinfo", "n": "noise"}
    return Question(
        line=1,
        question="When?",
        texts=tuple("text" for _ in kinds),
        kinds=tuple(labels[k] for k in kinds),
        answers=tuple("unknown" if k == "n" else a for k, a in zip(kinds, answers, strict=True)),
    )


@pytest.mark.parametrize(
    ("kinds", "answers", "set_aside", "unsupported"),
    [
        # two correct agree, the misinformation stands alone: found either way
        ("ccm", "AAB", 1.0, 1.0),
        # a noise document stands alone too: set aside it cannot tie with the misinformation
        ("ccmn", "AAB-", 1.0, 0.5),
        # two misinformation documents that agree outvote the one correct
        ("cmm", "ABB", 0.0, 0.0),
        # two correct answers of an ambiguous question, one misinformation: a three-way tie
        ("ccm", "ABC", 0.333, 0.333),
        # answers compare case-blind and trimmed
        ("ccm", ["1902 ", "1902", "1911"], 1.0, 1.0),
        # the misinformation is the only document with an answer
        ("mn", "A-", 1.0, 0.5),
    ],
)  # fmt: skip
def test_agreement_ceiling_ranks_by_the_gold_answers(
    kinds: str, answers: Any, set_aside: float, unsupported: float
) -> None:
    from accord.evaluate import agreement_ceiling

    ceiling = agreement_ceiling([_question(kinds, list(answers))])
    assert ceiling == {"noise_set_aside": set_aside, "noise_unsupported": unsupported}


def test_agreement_ceiling_needs_answers() -> None:
    from accord.evaluate import Question, agreement_ceiling

    bare = Question(line=1, question="When?", texts=("a", "b"), kinds=("correct", "misinfo"))
    assert agreement_ceiling([bare]) is None and agreement_ceiling([]) is None
    # a set whose lines carry no answer field reads them as blank: no ceiling either
    blank = Question(
        line=1, question="When?", texts=("a", "b"), kinds=("correct", "misinfo"), answers=("", "")
    )
    assert agreement_ceiling([blank]) is None


@pytest.mark.parametrize("rows", [RAMDOCS_SET[:1]])
def test_cli_eval_no_reliability_leaves_it_out(tmp_path: Path, rows: list[Any]) -> None:
    path = tmp_path / "ramdocs.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "--format", "json", "--no-reliability", str(path)])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)["sets"]
    assert row["reliability"] is None and row["items"] == 3


def test_with_a_question_only_a_conflict_on_it_makes_a_pair_contradict() -> None:
    from accord.evaluate import score
    from accord.model import Pair, Verdict
    from accord.testing.fakes import text_claim

    left = text_claim("Greg Boyer (born September 25, 1958) is an American trombonist", "a")
    right = text_claim("Greg Boyer (born February 5, 1958) is an American water polo player", "b")
    pair = Pair(left=left, right=right, score=1.0, retriever="all")
    verdicts = [
        Verdict(pair=pair, label=Label.CONTRADICTS, confidence=0.9, method="slots:date",
                reason="born date: 1958-09-25 vs 1958-02-05"),
        Verdict(pair=pair, label=Label.SUPPORTS, confidence=0.8, method="slots:place",
                reason="both American"),
    ]  # fmt: skip
    assert score(verdicts)[0] is Label.CONTRADICTS
    assert score(verdicts, "When was Greg Boyer born?")[0] is Label.CONTRADICTS
    # the birth dates' clash does not answer the question asked: the pair is what else it is
    assert score(verdicts, "What is Greg Boyer's profession?")[0] is Label.SUPPORTS
    result = SetScore(name="t")
    item = Item(id="i", claim="c", evidence="e", gold=Label.NOT_MENTIONED, question="What?")
    result.add(item, Label.SUPPORTS, "r")
    result.add_any_conflict(item, contradicted=True)
    row = result.as_row()
    assert row["contradicts"]["given"] == 0
    assert row["contradicts_any_conflict"] == {
        "given": 1, "correct": 0, "gold": 0, "precision": 0.0, "recall": None,
    }  # fmt: skip
    assert "contradicts_any_conflict" not in SetScore(name="u").as_row()


@pytest.mark.integration
def test_namesake_items_are_not_read_as_one_thing_in_conflict() -> None:
    from accord.evaluate import evaluate_set, load_items
    from accord.pipeline import Settings, make_stages

    items = list(load_items(NAMESAKES))
    extractor, _, verifier = make_stages(Settings())
    row = evaluate_set("namesakes", items, extractor, verifier).as_row()
    contradicts = row["contradicts"]
    # the edited near-copies are found, and few namesake pairs are read as a conflict
    assert contradicts["correct"] >= 6, contradicts
    assert contradicts["given"] - contradicts["correct"] <= 1, row["confusion"]
