"""Grouping documents by subject (accord.subjects)."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.ingest import read_text
from accord.subjects import common_subject, dominant_entity, subject_for, subject_key


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Treaty of Paris (1763)", "Treaty of Paris (1783)"),
        ("Treaty of Paris 1763", "Treaty of Paris 1783"),
        ("Battle of Hastings", "Battle of Stamford Bridge"),
    ],
)
def test_subject_key_keeps_similar_names_apart(left: str, right: str) -> None:
    assert subject_key(left) != subject_key(right)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("The Treaty of Paris (1783)", "treaty of paris (1783)"),
        ("Anglo–Soviet Agreement", "Anglo-Soviet  Agreement."),
    ],
)
def test_subject_key_merges_spellings_of_one_name(left: str, right: str) -> None:
    assert subject_key(left) == subject_key(right)


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("Treaty of Paris (1783)\n\nThe treaty was signed in Paris.\n", "Treaty of Paris (1783)"),
        ("Treaty of Paris (1763)\n\nThe treaty was signed in Paris.\n", "Treaty of Paris (1763)"),
    ],
)
def test_subject_for_uses_the_document_title(text: str, subject: str) -> None:
    assert subject_for(read_text(text, name="report.txt")).name == subject


@pytest.mark.parametrize("override", ["Valdoria border war", "  Valdoria border war "])
def test_subject_for_override_wins(override: str) -> None:
    doc = read_text("Treaty of Paris (1783)\n\nThe treaty was signed in Paris.\n")
    found = subject_for(doc, override)
    assert (found.name, found.key) == ("Valdoria border war", "valdoria border war")


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        (
            "yesterday the Lenne Bridge fell. engineers had warned that the Lenne Bridge was "
            "weak. the mayor of Castelmar spoke.",
            "Lenne Bridge",
        ),
        ("nothing here is named twice, not Castelmar nor Ostrheim.", None),
    ],
)
def test_dominant_entity_is_the_most_repeated_name(text: str, entity: str | None) -> None:
    assert dominant_entity(text) == entity


@pytest.mark.parametrize(
    "text",
    ["yesterday the Lenne Bridge fell into the river. the Lenne Bridge was old. it fell.\n"],
)
def test_subject_for_falls_back_to_the_dominant_entity(text: str) -> None:
    doc = read_text(text, name="bridge_report_17.txt")
    assert doc.title == "Bridge report 17"  # ingest found no title of its own
    assert subject_for(doc).name == "Lenne Bridge"


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Versailles Treaty", "Treaty of Versailles"),
        ("the Treaty of Versailles", "Versailles Treaty"),
        ("TREATY OF VERSAILLES", "treaty of versailles"),
        ("Battle of the Somme", "Somme Battle"),
        ("Versailles Treaty (1919)", "Treaty of Versailles (1919)"),
        ("USSR", "Soviet Union"),
        ("the Soviet Union", "U.S.S.R."),
        ("Britain", "United Kingdom"),
    ],
)
def test_subject_key_merges_aliases_of_one_subject(left: str, right: str) -> None:
    assert subject_key(left) == subject_key(right)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Treaty of Paris (1763)", "Paris Treaty (1783)"),
        ("Versailles Treaty (1919)", "Treaty of Versailles (1756)"),
        ("Treaty of Versailles", "Treaty of Versailles (1756)"),
        ("Soviet Union", "Soviet Union (1922)"),
        ("Alder County Courthouse", "Alder County Jail"),
    ],
)
def test_subject_key_keeps_qualified_aliases_apart(left: str, right: str) -> None:
    assert subject_key(left) != subject_key(right)


COURTHOUSE = [
    "The Alder County Courthouse stands on the central square of Millbrook. The courthouse "
    "was completed in 1891.",
    "Alder County Courthouse\n\nConstruction of the courthouse began in 1888.",
    "Visitors to Millbrook should not miss the Alder County Courthouse and its clock tower.",
    "A restoration of the Alder County Courthouse finished in 2012.",
]


@pytest.mark.parametrize(
    ("texts", "names", "subject"),
    [
        (COURTHOUSE, ["source_1.txt", "source_2.txt", "n.txt", "d.txt"], "Alder County Courthouse"),
        (COURTHOUSE[2:], ["source_1.txt", "source_2.txt"], "Alder County Courthouse"),
        (
            ["Treaty of Valdoria\n\nSigned in 1852.\n", "Treaty of Valdoria\n\nIt ended a war.\n"],
            ["a.txt", "b.txt"],
            "Treaty of Valdoria",
        ),
    ],
)
def test_common_subject_is_the_name_the_documents_share(
    texts: list[str], names: list[str], subject: str
) -> None:
    documents = [read_text(t, name=n) for t, n in zip(texts, names, strict=True)]
    assert common_subject(documents) == subject


@pytest.mark.parametrize(
    ("texts", "names"),
    [(["Nothing named twice here.", "Nor here, at all."], ["source_1.txt", "source_2.txt"])],
)
def test_common_subject_is_never_a_file_name(texts: list[str], names: list[str]) -> None:
    documents = [read_text(t, name=n) for t, n in zip(texts, names, strict=True)]
    assert common_subject(documents) is None


@pytest.mark.parametrize("name", ["Anglo-Soviet Agreement"])
def test_common_subject_names_the_seed_example(name: str) -> None:
    from accord.ingest import read_document

    examples = Path(__file__).resolve().parents[1] / "examples"
    documents = [read_document(p) for p in sorted(examples.glob("*.txt"))]
    assert common_subject(documents) == name
