"""The language check: each document's language, and a warning for one not in English."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from accord import language
from accord.ingest import read_document, read_text
from accord.language import SKIPPED, detect_language, language_warning, with_languages

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PARAGRAPHS = {
    "en": "The bridge opened to traffic in 1932 after six years of construction, and it was "
    "widened in 1959.",
    "de": "Die Brücke wurde 1932 nach sechs Jahren Bauzeit für den Verkehr freigegeben und "
    "1959 verbreitert.",
    "fr": "Le pont a été ouvert à la circulation en 1932 après six ans de travaux, puis "
    "élargi en 1959.",
    "es": "El puente se abrió al tráfico en 1932 tras seis años de obras y se amplió en 1959.",
}


@pytest.mark.parametrize("code", sorted(PARAGRAPHS))
def test_detect_language_names_a_paragraphs_language(code: str) -> None:
    assert detect_language(PARAGRAPHS[code]) == code


@pytest.mark.parametrize("text", ["Yes, it was.", "1941-07-12", ""])
def test_detect_language_leaves_too_short_a_text_undetected(text: str) -> None:
    assert detect_language(text) is None


@pytest.mark.parametrize("code", ["de"])
def test_with_languages_warns_once_for_a_german_document(code: str) -> None:
    german = read_text(PARAGRAPHS[code], name="brücke.txt")
    english = read_text(PARAGRAPHS["en"], name="bridge.txt")
    documents, warnings, skipped = with_languages([german, english])
    assert [doc.language for doc in documents] == [code, "en"]
    (warning,) = warnings
    assert warning.startswith("brücke.txt: in German (de)")
    assert "\n" not in warning
    assert skipped == ()


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.txt")))
def test_english_examples_get_no_warning(name: str) -> None:
    document = read_document(EXAMPLES / name)
    (checked,), warnings, _ = with_languages([document])
    assert checked.language == "en"
    assert warnings == ()
    assert language_warning(checked) is None


@pytest.mark.parametrize("code", ["de"])
def test_with_languages_keeps_a_language_already_known(code: str) -> None:
    document = dataclasses.replace(read_text(PARAGRAPHS["en"], name="x.txt"), language=code)
    (kept,), warnings, _ = with_languages([document])
    assert kept.language == code
    assert len(warnings) == 1


@pytest.mark.parametrize("code", ["de"])
def test_without_lingua_only_plain_english_is_told_and_the_rest_said_skipped(
    monkeypatch: pytest.MonkeyPatch, code: str
) -> None:
    monkeypatch.setattr(language, "_detector", lambda: None)
    other = read_text(PARAGRAPHS[code], name="x.txt")
    english = read_text(PARAGRAPHS["en"], name="y.txt")
    (document,), warnings, skipped = with_languages([other])
    assert document.language is None
    assert warnings == ()
    assert skipped == (SKIPPED,)
    assert 'pip install "accord[lang]"' in SKIPPED
    (checked,), warnings, skipped = with_languages([english])
    assert (checked.language, warnings, skipped) == ("en", (), ())


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.txt")))
def test_plain_english_needs_no_model(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    def no_model() -> None:
        raise AssertionError("the model was loaded for plain English")

    monkeypatch.setattr(language, "_detector", no_model)
    assert detect_language(read_document(EXAMPLES / name).text) == "en"
