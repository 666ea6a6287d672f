"""The end-to-end case scorer (accord.cases) and the case folders it scores."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from accord.cases import Case, evidence_matches, find_cases, load_case, score_case
from accord.errors import ConfigError
from accord.ingest import read_document
from accord.model import (
    Claim,
    DocKind,
    Document,
    Label,
    Pair,
    Record,
    Report,
    RunInfo,
    Span,
    Verdict,
)

CASES = Path(__file__).resolve().parent / "fixtures" / "cases"
CASE_FOLDERS = find_cases(CASES)


# -- evidence_matches -----------------------------------------------------------------------

CLAIM = (
    "The Kestrel Ferry Bridge was opened on 3 September 1971 by the Minister of Transport, "
    "after four years of work"
)


@pytest.mark.parametrize(
    "evidence",
    [
        CLAIM,
        # the first 60 characters are enough, whatever follows
        CLAIM[:60] + " and words the claim never had, such as 1999",
        # typography, case and spacing do not count
        CLAIM.replace("'", "’").upper().replace(" ", "  \n") + ".",
        # 90 % of the words and every number, in another order
        "After four years of work the Kestrel Ferry Bridge was opened on 3 September 1971 "
        "by the Minister of Transport",
        # 9 of its 10 words of three letters or more
        "Kestrel Ferry Bridge opened 1971 September after four years since work",
    ],
)
def test_evidence_matches_the_claim_holding_it(evidence: str) -> None:
    assert evidence_matches(evidence, CLAIM)


@pytest.mark.parametrize(
    "evidence",
    [
        # another number: another statement, however alike the words
        "After four years of work the Kestrel Ferry Bridge was opened on 3 September 1972 "
        "by the Minister of Transport",
        "After four years of work the Kestrel Ferry Bridge was opened on 13 September 1971 "
        "by the Minister of Transport",
        # 8 of its 10 words
        "Kestrel Ferry Bridge opened 1971 September after four years since repairs",
        # no words to share, and not in the claim
        "1971-09-03",
    ],
)
def test_evidence_matches_fails_on_other_statements(evidence: str) -> None:
    assert not evidence_matches(evidence, CLAIM)


@pytest.mark.parametrize("evidence", ["The Kestrel Ferry Bridge"])
def test_evidence_matches_needs_the_prefix_in_the_claim(evidence: str) -> None:
    assert evidence_matches(evidence, CLAIM)
    assert not evidence_matches(evidence, "The Kestrel Ferry")


# -- score_case -----------------------------------------------------------------------------

OPEN_A = "The bridge opened on 3 September 1971 after four years of work."
OPEN_B = "The bridge was opened on 9 September 1972 by the mayor."
PAINT_A = "The bridge is painted green every summer."
RIVER_B = "The river is wide at this point."
FERRY_A = "The first ferry ran across the estuary in 1850."
FERRY_B = "The last ferry ran across the estuary in 1971."
LENGTH_A = "The bridge is 412 m long."
LONGEST_A = "At 450 m, the bridge is the longest in the county."
DESIGN_A = "The designer was Margaret Olufsen of Bergen."
DESIGN_B = "The designer was Harald Munk of Oslo."
TOLL_A = "The tolls on the bridge ended in 1990."
TOLL_B = "Tolls on the bridge were abolished in 1990."
LANES_A = "The bridge carries two lanes of traffic."
LANES_B = "Two lanes of traffic cross the bridge."

GOLD: dict[str, Any] = {
    "documents": ["a.txt", "b.txt"],
    "contradictions": [
        {"field": "opening date", "type": "date", "tags": ["date"],
         "values": {"a.txt": "3 September 1971", "b.txt": "9 September 1972"},
         "evidence": {"a.txt": OPEN_A, "b.txt": OPEN_B}},
        {"field": "length", "type": "quantity", "internal": True,
         "evidence": {"a.txt": [LENGTH_A, LONGEST_A]}},
        {"field": "designer", "type": "person",
         "values": {"a.txt": "Margaret Olufsen", "b.txt": "Harald Munk"},
         "evidence": {"a.txt": DESIGN_A, "b.txt": DESIGN_B}},
    ],
    "agreements": [{"field": "lanes", "evidence": {"a.txt": LANES_A, "b.txt": LANES_B}}],
    "must_not_flag": [
        {"why": "two ferries", "evidence": {"a.txt": FERRY_A, "b.txt": FERRY_B}},
        {"why": "one end of tolls", "evidence": {"a.txt": TOLL_A, "b.txt": TOLL_B}},
    ],
}  # fmt: skip


def _documents(texts: dict[str, list[str]]) -> dict[str, Document]:
    return {
        name: Document(
            id=f"doc-{name}",
            source=f"/cases/bridge/{name}",
            title="Kestrel Ferry Bridge",
            kind=DocKind.UNKNOWN,
            format="text",
            text=" ".join(lines),
        )
        for name, lines in texts.items()
    }


def _claims(documents: dict[str, Document], texts: dict[str, list[str]]) -> dict[str, Claim]:
    out = {}
    for name, lines in texts.items():
        document = documents[name]
        for line in lines:
            start = document.text.index(line)
            out[line] = Claim(
                id=f"{name}:{start}",
                doc_id=document.id,
                span=Span(doc_id=document.id, start=start, end=start + len(line)),
                text=line,
                subject="Kestrel Ferry Bridge",
                predicate="open",
            )
    return out


def _verdict(
    claims: dict[str, Claim], left: str, right: str, label: Label, possible: bool = False
) -> Verdict:
    return Verdict(
        pair=Pair(left=claims[left], right=claims[right], score=1.0, retriever="test"),
        label=label,
        confidence=0.6 if possible else 0.9,
        method="slots:test",
        reason=f"{left[:12]} vs {right[:12]}",
        possible_conflict=possible,
    )


def _report(texts: dict[str, list[str]], pairs: list[tuple[str, str, Label, bool]]) -> Report:
    documents = _documents(texts)
    claims = _claims(documents, texts)
    return Report(
        documents=tuple(documents.values()),
        claims=tuple(claims.values()),
        verdicts=tuple(_verdict(claims, *pair) for pair in pairs),
        record=Record(subject="Kestrel Ferry Bridge", fields=(), reliability=()),
        run=RunInfo(version="0", backends={}),
    )


TEXTS = {
    "a.txt": [OPEN_A, PAINT_A, FERRY_A, LENGTH_A, LONGEST_A, DESIGN_A, TOLL_A, LANES_A],
    "b.txt": [OPEN_B, RIVER_B, FERRY_B, DESIGN_B, TOLL_B, LANES_B],
}
C, S, N = Label.CONTRADICTS, Label.SUPPORTS, Label.NOT_MENTIONED


@pytest.mark.parametrize(
    "pairs",
    [
        [
            (OPEN_B, OPEN_A, C, False),  # right, either way round
            (PAINT_A, RIVER_B, C, False),  # false
            (FERRY_A, FERRY_B, C, False),  # a trap flagged (and false)
            (LENGTH_A, LONGEST_A, C, False),  # internal, right
            (DESIGN_A, DESIGN_B, N, True),  # a possible conflict on a gold contradiction
            (LANES_A, LANES_B, S, False),  # a right agreement
            (OPEN_A, OPEN_B, S, False),  # agreement on a gold contradiction: wrong
            (TOLL_A, TOLL_B, S, False),  # agreement no gold decides
        ]
    ],
)
def test_score_case_counts_right_false_traps_internal_and_possible(
    pairs: list[tuple[str, str, Label, bool]],
) -> None:
    case = Case("bridge", Path("/cases/bridge"), ("a.txt", "b.txt"), GOLD)
    score = score_case(case, _report(TEXTS, pairs))
    assert (score.contradicts_given, score.contradicts_right) == (4, 2)
    assert len(score.false_contradictions) == 2
    assert (score.traps_flagged, score.traps) == (1, 2)
    assert (score.contradictions.found, score.contradictions.gold) == (2, 3)
    assert (score.possible_given, score.possible_right) == (1, 1)
    assert (score.possible.found, score.possible.gold) == (3, 3)
    assert score.missed == ["designer (person)"]
    assert {k: (t.found, t.gold) for k, t in score.by_type.items()} == {
        "date": (1, 1),
        "quantity": (1, 1),
        "person": (0, 1),
    }
    assert {k: (t.found, t.gold) for k, t in score.by_tag.items()} == {
        "date": (1, 1),
        "internal": (1, 1),
    }
    assert (score.supports_given, score.supports_right, score.supports_wrong) == (3, 1, 1)
    assert score.supports_unjudged == 1
    assert (score.agreements.found, score.agreements.gold) == (1, 1)


def test_score_case_a_right_verdict_flags_no_trap_on_the_same_sentences() -> None:
    """Two sentences may hold a trap on one value and a contradiction on another (a month
    compatible with a day, two different venues): the right verdict flags no trap; a wrong
    one on the trap's sentences does."""
    gold = {
        **GOLD,
        "must_not_flag": [
            {"why": "a day and its month", "evidence": {"a.txt": OPEN_A, "b.txt": OPEN_B}},
        ],
    }
    case = Case("bridge", Path("/cases/bridge"), ("a.txt", "b.txt"), gold)
    right = score_case(case, _report(TEXTS, [(OPEN_A, OPEN_B, C, False)]))
    assert (right.contradicts_right, right.traps_flagged) == (1, 0)
    trap_only = {**gold, "contradictions": []}
    case = Case("bridge", Path("/cases/bridge"), ("a.txt", "b.txt"), trap_only)
    wrong = score_case(case, _report(TEXTS, [(OPEN_A, OPEN_B, C, False)]))
    assert (wrong.contradicts_right, wrong.traps_flagged) == (0, 1)


@pytest.mark.parametrize(
    ("outlier", "left", "right", "right_verdict"),
    [
        ("c.txt", "a.txt", "c.txt", True),  # the outlier against one of the others
        ("c.txt", "b.txt", "c.txt", True),
        ("c.txt", "a.txt", "b.txt", False),  # two documents that agree
        (None, "a.txt", "c.txt", True),
        (None, "a.txt", "b.txt", False),  # equal values, even with no outlier named
    ],
)
def test_score_case_pairs_only_differing_values(
    outlier: str | None, left: str, right: str, right_verdict: bool
) -> None:
    lines = {
        "a.txt": "The bridge opened on 3 September 1971.",
        "b.txt": "It was opened on 3 September 1971 by the mayor.",
        "c.txt": "The bridge opened on 9 September 1972.",
    }
    gold = {
        "documents": list(lines),
        "contradictions": [
            {"field": "opening date", "type": "date", "outlier": outlier,
             "values": {"a.txt": "1971", "b.txt": "1971", "c.txt": "1972"},
             "evidence": lines},
        ],
    }  # fmt: skip
    texts = {name: [line] for name, line in lines.items()}
    report = _report(texts, [(lines[left], lines[right], C, False)])
    score = score_case(Case("x", Path("/cases/x"), tuple(lines), gold), report)
    assert score.contradicts_right == int(right_verdict)
    assert score.contradictions.found == int(right_verdict)


# -- load_case ------------------------------------------------------------------------------


def _write_case(folder: Path, gold: str | None, files: tuple[str, ...]) -> Path:
    folder.mkdir()
    if gold is not None:
        (folder / "gold.json").write_text(gold, encoding="utf-8")
    for name in files:
        (folder / name).write_text("The bridge opened in 1971.\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("gold", "files", "message"),
    [
        (None, (), "cannot read"),
        ("{not json", ("a.txt", "b.txt"), "cannot read"),
        ('{"documents": ["a.txt"]}', ("a.txt",), "two or more"),
        ('{"documents": "a.txt b.txt"}', ("a.txt", "b.txt"), "two or more"),
        ('{"contradictions": []}', ("a.txt", "b.txt"), "two or more"),
        ('{"documents": ["a.txt", "b.txt"]}', ("a.txt",), "'b.txt' is not in"),
    ],
)
def test_load_case_refuses_a_broken_case(
    tmp_path: Path, gold: str | None, files: tuple[str, ...], message: str
) -> None:
    folder = _write_case(tmp_path / "broken", gold, files)
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_case(folder)


@pytest.mark.parametrize("names", [("a.txt", "b.txt")])
def test_load_case_reads_a_case(tmp_path: Path, names: tuple[str, str]) -> None:
    gold = json.dumps({"documents": list(names), "contradictions": []})
    case = load_case(_write_case(tmp_path / "c99_bridge", gold, names))
    assert (case.name, case.documents, case.gold["contradictions"]) == ("c99_bridge", names, [])
    assert find_cases(tmp_path) == [case.folder]
    assert find_cases(case.folder) == [case.folder]


# -- the case folders -----------------------------------------------------------------------

_SPACE = re.compile(r"\s+")
_WIKI_LINK = re.compile(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]")


def _flat(text: str) -> str:
    """Whitespace collapsed, wiki links by their shown text, "label = value" spaced alike."""
    text = _SPACE.sub(" ", _WIKI_LINK.sub(r"\1", text))
    return re.sub(r" ?= ?", " = ", text).strip()


def _statements(evidence: Any) -> list[str]:
    return [evidence] if isinstance(evidence, str) else list(evidence)


@pytest.mark.parametrize("folder", CASE_FOLDERS, ids=[f.name for f in CASE_FOLDERS])
def test_case_folder_is_valid(folder: Path) -> None:
    case = load_case(folder)
    documents = set(case.documents)
    assert len(case.gold.get("must_not_flag", [])) >= 2, "fewer than two traps"
    texts: dict[str, tuple[str, str]] = {}
    for item in case.gold.get("contradictions", []):
        evidence = item["evidence"]
        assert set(evidence) <= documents, item.get("field")
        if item.get("internal"):
            (statements,) = evidence.values()
            assert len(_statements(statements)) >= 2, item.get("field")
        else:
            values = item["values"]
            assert len(evidence) >= 2 and set(evidence) <= set(values), item.get("field")
            assert len({values[name] for name in evidence}) >= 2, item.get("field")
            assert item.get("outlier") in (None, *evidence), item.get("field")
        for name, statements in evidence.items():
            if name not in texts:
                raw = (folder / name).read_text(encoding="utf-8")
                texts[name] = (_flat(raw), _flat(read_document(folder / name).text))
            for statement in _statements(statements):
                assert any(_flat(statement) in text for text in texts[name]), (name, statement)
    for trap in case.gold.get("must_not_flag", []):
        assert set(trap["evidence"]) <= documents, trap.get("why")


@pytest.mark.parametrize("minimum", [40])
def test_case_folders_are_found(minimum: int) -> None:
    assert len(CASE_FOLDERS) >= minimum
