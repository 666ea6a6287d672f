"""The names a document's subject goes by: the shorter forms of a title, the names several
documents share, slots about those names made about the subject, and the pronouns that
stand for it."""

from __future__ import annotations

from typing import Any

import pytest

from accord.claims.subject import shared_names, unify_subjects, with_shared_names
from accord.model import (
    SUBJECT_KEY,
    Claim,
    DateValue,
    DocKind,
    Document,
    Slot,
    Span,
    TextValue,
)
from accord.normalize.entities import name_forms


def _document(doc_id: str, title: str, text: str, aliases: tuple[str, ...] = ()) -> Document:
    return Document(
        id=doc_id,
        source=f"{doc_id}.txt",
        title=title,
        kind=DocKind.UNKNOWN,
        format="text",
        text=text,
        aliases=aliases,
    )


def _claim(doc_id: str, *slots: Slot) -> Claim:
    return Claim(
        id=f"{doc_id}-{len(slots)}-{slots[0].about}",
        doc_id=doc_id,
        span=Span(doc_id=doc_id, start=0, end=10),
        text="a statement",
        subject=None,
        predicate=slots[0].event,
        slots=slots,
    )


def _slot(doc_id: str, about: str | None, role: str = "date", event: str = "open") -> Slot:
    value: Any = DateValue(year=1901) if role == "date" else TextValue(text="largest lake")
    return Slot(
        role=role,
        value=value,
        event=event,
        surface="x",
        span=Span(doc_id=doc_id, start=0, end=1),
        about=about,
    )


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("Lady Ardmore (1911)", "Lady Ardmore"),  # without its qualifier
        ("Orvsjön: paddling, char and midnight swims", "Orvsjön"),  # before a colon
        ("Marrowby Athletic Football Club", "Marrowby Athletic"),  # leading capitalised words
        ("Hexley Athletic fan blog", "Hexley Athletic"),
        ("a Hexley Athletic fan blog", "Hexley Athletic"),  # a capitalised run in a headline
    ],
)
def test_name_forms_holds_the_shorter_name(name: str, form: str) -> None:
    forms = name_forms(name)
    assert forms[0] == name
    assert form in forms


@pytest.mark.parametrize(
    ("name", "not_a_form"),
    [
        ("Treaty of Paris", "Treaty of"),  # a run never ends on a particle
        ("Marrowby Athletic Football Club", "Marrowby"),  # one word is no leading run
        ("Hexley Athletic fan blog", "Hexley Athletic fan"),
    ],
)
def test_name_forms_stops_where_the_name_does(name: str, not_a_form: str) -> None:
    assert not_a_form not in name_forms(name)


@pytest.mark.parametrize("name", ["Lady Ardmore (1911)", "Orvsjön: paddling, char and swims"])
def test_name_forms_lists_each_form_once(name: str) -> None:
    forms = name_forms(name)
    assert len(forms) == len(set(forms)) and all(forms)


@pytest.mark.parametrize(
    ("titles", "texts", "expected"),
    [
        # one document's headline title, another's name: the name both texts use is shared
        (("About us", "Ellery Textile Museum"),
         ("The Ellery Textile Museum opened in 1901.", "Ellery Textile Museum reopens."),
         ("Ellery Textile Museum",)),
        # the shorter form of a qualified title
        (("Lady Ardmore (1911)", "TSS Lady Ardmore"),
         ("Lady Ardmore was a steamer.", "The Lady Ardmore sailed in 1911."),
         ("Lady Ardmore",)),
        # a name only one text uses is not shared
        (("About us", "Ellery Textile Museum"),
         ("We opened in 1901.", "Ellery Textile Museum reopens."), ()),
        # part of a longer word is no mention of the name
        (("Orvsjön", "Lake guide"), ("Orvsjön is a lake.", "The Orvsjönsee is cold."), ()),
    ],
)  # fmt: skip
def test_shared_names_are_the_names_two_texts_use(
    titles: tuple[str, str], texts: tuple[str, str], expected: tuple[str, ...]
) -> None:
    documents = [
        _document(f"d{i}", t, x) for i, (t, x) in enumerate(zip(titles, texts, strict=True))
    ]
    found = shared_names(documents)
    if expected:
        assert set(expected) <= set(found)
    else:
        assert found == ()
    assert titles[0] not in found


@pytest.mark.parametrize("title", ["Ellery Textile Museum"])
def test_shared_names_need_two_documents(title: str) -> None:
    assert shared_names([_document("d0", title, f"{title} opened in 1901.")]) == ()


@pytest.mark.parametrize(
    "headline",
    ["Nine things you never knew about the old Ellery Textile Museum on Mill Street"],
)
def test_shared_names_skip_headlines(headline: str) -> None:
    documents = [_document("d0", headline, headline), _document("d1", "Guide", headline)]
    assert headline not in shared_names(documents)


@pytest.mark.parametrize("name", ["Ellery Textile Museum"])
def test_with_shared_names_adds_the_name_as_an_alias(name: str) -> None:
    about = _document("d0", "About us", f"The {name} opened in 1901.")
    named = _document("d1", name, f"{name} reopens.")
    out = with_shared_names([about, named])
    assert name in out[0].aliases and "About us" not in out[0].aliases
    assert name not in out[1].aliases  # its title is the name already


@pytest.mark.parametrize("titles", [("About us", "Visit")])
def test_with_shared_names_keeps_documents_without_shared_names(titles: tuple[str, str]) -> None:
    documents = [_document(f"d{i}", t, "Nothing in common here.") for i, t in enumerate(titles)]
    assert with_shared_names(documents) == documents


@pytest.mark.parametrize(
    ("title", "about", "unified"),
    [
        ("Ellery Textile Museum", "ellery textile museum", True),  # the title
        ("Lady Ardmore (1911)", "lady ardmore", True),  # the title without its qualifier
        ("Ellery Textile Museum", "museum", True),  # the head noun of a name
        ("Ellery Textile Museum", "lenne institute", False),
        ("About us", "us", False),  # a heading has no head noun that names the subject
    ],
)
def test_unify_subjects_makes_the_subjects_names_the_subject(
    title: str, about: str, unified: bool
) -> None:
    document = _document("d0", title, "text")
    claim = _claim("d0", _slot("d0", about))
    (out,) = unify_subjects([claim], [document])
    assert out.slots[0].about == (SUBJECT_KEY if unified else about)


@pytest.mark.parametrize("noun", ["lake"])
def test_unify_subjects_takes_the_kind_another_document_calls_the_subject(noun: str) -> None:
    documents = [_document("d0", "Orvsjön", "text"), _document("d1", "Fishing guide", "text")]
    typed = _claim("d0", _slot("d0", SUBJECT_KEY, role="type", event="be"))
    other = _claim("d1", _slot("d1", noun))
    out = unify_subjects([typed, other], documents)
    assert out[1].slots[0].about == SUBJECT_KEY
    assert unify_subjects([other], documents)[0].slots[0].about == noun


@pytest.mark.parametrize(
    ("text", "about"),
    [
        # a ship is "she"
        ("Lady Ardmore\n\nLady Ardmore was a steamer. She was launched in 1911.", SUBJECT_KEY),
        # a treaty is not
        ("Treaty of Hollin\n\nThe treaty was signed in 1901. She was launched in 1911.", None),
    ],
)
def test_subject_pronoun_she_for_a_ship(extract: Any, text: str, about: str | None) -> None:
    _, claims = extract(text)
    dates = [s for c in claims for s in c.slots if s.role == "date" and s.event == "launch"]
    assert [s.about for s in dates] == [about]


@pytest.mark.parametrize(
    ("text", "about"),
    [
        ("Harwick Museum\n\nThe museum opened in 1901. This month's object is a brass bell. "
         "It came to us in 1987.", None),
        ("Harwick Museum\n\nThe museum opened in 1901. It came to us in 1987.", SUBJECT_KEY),
    ],
)  # fmt: skip
def test_subject_it_after_another_thing_is_that_thing(
    extract: Any, text: str, about: str | None
) -> None:
    _, claims = extract(text)
    dates = [s for c in claims for s in c.slots if s.role == "date" and s.event == "come"]
    assert [s.about for s in dates] == [about]
