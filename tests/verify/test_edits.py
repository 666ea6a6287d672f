"""One sentence edited in two documents that copy each other (``accord.verify.edits``): the
value changed is a contradiction whatever its role in the parse; a word of meaning added,
a qualifying year changed with its count, or a sentence of namesakes' pages is none."""

from __future__ import annotations

from typing import Any

import pytest

from accord.model import Label
from accord.testing.fakes import text_claim
from accord.verify.edits import edited_value
from accord.verify.masked import alike_names, copied_pairs

# Two sentences both documents copy word for word, so that the pair counts as copies.
SHARED = (
    "The company opened a maintenance base at the county airport in its sixth year of "
    "service. Throughout its history the company operated a fleet of small turboprop "
    "aircraft on routes along the northern shore of the lake."
)
TITLE = "Lakeshore Air"


def _edit(left: str, right: str) -> Any:
    return edited_value(text_claim(left, "a"), text_claim(right, "b"), alike_names)


@pytest.mark.parametrize(
    ("left", "right", "kind", "shown"),
    [
        # a place in apposition to another: two values changed together
        ("Airways International was an airline based in Miami, Florida",
         "Airways International was an airline based in Anchorage, Alaska", "name",
         ("Miami, Florida", "Anchorage, Alaska")),
        # a life span's first date, read by the parser as neither birth nor anything
        ("Roland Almon Ritchie (June 19, 1910 – June 5, 1988) was a Canadian lawyer",
         "Roland Almon Ritchie (January 1, 1900 – June 5, 1988) was a Canadian lawyer", "date",
         ("June 19, 1910", "January 1, 1900")),
        # two counts of the same censuses, both changed
        ("The population was 1,294 at the 2010 census, down from 1,418 at the 2000 census",
         "The population was 5,000 at the 2010 census, down from 5,200 at the 2000 census",
         "number", ("1,294", "5,000")),
        # citation marks, spaced punctuation and page junk before the sentence are not edits
        ("Lakeshore Air (1978–1996) was a regional airline based in Duluth, Minnesota",
         "Explore Fan Central Lakeshore Air Lakeshore Air ( 1976 – 1996 ) was a regional "
         "airline based in Duluth , Minnesota . [ 2 ]", "date", ("1978", "1976")),
        # an ordinary word for another: kept apart as its own kind
        ("A defender, he began his career with Manchester City before moving to Cardiff City",
         "A forward, he began his career with Manchester City before moving to Cardiff City",
         "word", ("defender", "forward")),
    ],
)  # fmt: skip
def test_edited_value_found(left: str, right: str, kind: str, shown: tuple[str, str]) -> None:
    edit = _edit(left, right)
    assert edit is not None
    assert (edit.kind, edit.left, edit.right) == (kind, *shown)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # the year changed with the count: passengers of two years
        ("In 1989 the airline carried 212,000 passengers on routes to Minneapolis",
         "In 1991 the airline carried 248,000 passengers on routes to Minneapolis"),
        # a word of meaning added: scheduled jet service is another beginning
        ("The airline began scheduled service in 1981 from its base in Duluth",
         "The airline began scheduled jet service in 1987 from its base in Duluth"),
        # a date added: the value made precise or qualified, not changed
        ("The album was released in 1976 by A&M Records in the United States",
         "The album was released in June 1976 by A&M Records in the United States"),
        # the same name written otherwise, or in part
        ("The station is licensed to Bayamón, Puerto Rico, and serves the whole island",
         "The station is licensed to Bayamon, Puerto Rico, and serves the whole island"),
        ("The mill was run in conjunction with Wandle Mill on the River Rother by Alan Laws",
         "The mill was run in conjunction with Wandle Mill on the River Rother by Alan"),
        # one spelling for another, not another word
        ("He re-established the congregation in France after its suppression",
         "He reestablished the congregation in France after its suppression"),
        # too little around the value to be one sentence copied
        ("Born 1990 in Oslo", "Born 1991 in Oslo"),
        # entries of a reference list cite two sources
        ("^ Arturo Sandoval Chart History (Top Jazz Albums). Billboard",
         "^ Arturo Sandoval Chart History (Top Country Albums). Billboard"),
        # a number where the other has only function words
        ("Of the residents, one alone who was 65 years of age or older lived in the town",
         "Of the residents, 25.6 % were 65 years of age or older lived in the town"),
    ],
)  # fmt: skip
def test_edited_value_none(left: str, right: str) -> None:
    assert _edit(left, right) is None


def test_copied_pairs_needs_shared_text() -> None:
    shared = [text_claim(s, doc) for s in SHARED.split(". ") for doc in ("a", "b")]
    lone = [text_claim("The airline was based in Duluth, Minnesota, for its whole life", "c")]
    found = copied_pairs([*shared, *lone])
    assert found == {frozenset(("a", "b"))}


def test_copied_pairs_long_sentences_nearly_alike() -> None:
    """Two long sentences with a name changed in each of two documents copy each other."""
    first = (
        "Talk Show is the first and only album by R&B singer Shae Jones, released on January "
        "26, 1999 through Uptown Records and distributed by Universal"
    )
    second = (
        "The album featured heavy input from Jones' mentor Montell Jordan, who served as an "
        "executive producer, producer, song writer and arranger on it"
    )
    a = [text_claim(first, "a"), text_claim(second, "a")]
    b = [text_claim(first.replace("Shae Jones", "Beyoncé"), "b"),
         text_claim(second.replace("Jones'", "Beyoncé's"), "b")]  # fmt: skip
    pairs = [(x, y) for x in a for y in b]
    assert copied_pairs([*a, *b]) == set()  # no claim word for word
    assert copied_pairs([*a, *b], pairs) == {frozenset(("a", "b"))}


def _page(*sentences: str) -> str:
    return f"{TITLE}\n\n" + " ".join(sentences) + " " + SHARED


def test_edit_in_copies_contradicts(slot_verdicts: Any) -> None:
    left = _page("Lakeshore Air Lakeshore Air was a regional airline based in Duluth, Minnesota.")
    right = _page("Lakeshore Air was a regional airline based in Anchorage, Alaska.")
    found = [v for v in slot_verdicts(left, right, TITLE) if v.label is Label.CONTRADICTS]
    assert [v.method for v in found] == ["slots:edited-name"]
    assert "Duluth, Minnesota vs Anchorage, Alaska" in found[0].reason


def test_edit_needs_copies(slot_verdicts: Any) -> None:
    """Without shared passages, the sentence alone is a template of namesakes' pages."""
    left = f"{TITLE}\n\nLakeshore Air Lakeshore Air was a regional airline based in Duluth."
    right = f"{TITLE}\n\nLakeshore Air was a regional airline based in Anchorage."
    edited = [v for v in slot_verdicts(left, right, TITLE) if v.method.startswith("slots:edited")]
    assert edited == []


def test_word_edit_is_a_possible_conflict(slot_verdicts: Any) -> None:
    """An ordinary word for another stays under the contradiction threshold: it may be a
    paraphrase (calibrated on development data)."""
    left = _page("A defender, he began his career with Manchester City before moving on.")
    right = _page("A forward, he began his career with Manchester City before moving on.")
    verdicts = [v for v in slot_verdicts(left, right, TITLE) if v.method == "slots:edited-word"]
    assert verdicts
    assert all(v.label is not Label.CONTRADICTS and v.possible_conflict for v in verdicts)
