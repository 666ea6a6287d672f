"""Grouping documents by subject (accord.subjects)."""

from __future__ import annotations

import pytest

from accord.ingest import read_text
from accord.subjects import dominant_entity, subject_for, subject_key


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
