"""The two seed documents come out as a careful reader would clean them."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.ingest import read_document, read_text
from accord.model import DocKind, Document

FAN = "fanwiki_anglo_soviet_agreement.txt"
WIKI = "wikipedia_anglo_soviet_agreement.txt"


def _read(seeds_dir: Path, name: str) -> Document:
    return read_document(seeds_dir / name)


# The fan wiki's page text says it is a wiki ("Wikia is a free-to-use site..."); nothing in
# the Wikipedia copy's text says what it is, and its file name is no evidence.
@pytest.mark.parametrize(
    ("name", "kind", "origin"),
    [(FAN, DocKind.WIKI, "page: text 'wikia is'"), (WIKI, DocKind.UNKNOWN, "default")],
)
def test_seed_title_and_kind(seeds_dir: Path, name: str, kind: DocKind, origin: str) -> None:
    doc = _read(seeds_dir, name)
    assert doc.title == "Anglo-Soviet Agreement"
    assert doc.kind is kind
    assert doc.kind_origin == origin
    assert doc.source == str(seeds_dir / name)


@pytest.mark.parametrize("name", [FAN], ids=["fanwiki"])
def test_seed_fanwiki_head(seeds_dir: Path, name: str) -> None:
    doc = _read(seeds_dir, name)
    assert doc.aliases == (
        "Mutual Assistance Agreement Between the United Kingdom and the Union of Soviet "
        "Socialist Republics",
    )
    kinds = [s.kind for s in doc.sections]
    assert kinds[:2] == ["title", "infobox"]
    infobox = doc.sections[1]
    assert doc.text[infobox.start : infobox.end].split("\n") == [
        doc.aliases[0],
        "Type of treaty Military alliance",
        "July 25, 1939",
        "London, United Kingdom",
        "Signatories United Kingdom",
        "Soviet Union",
        "Languages English",
    ]
    assert [r.text for r in doc.removed if r.reason == "image caption"] == [
        "Flag of the United Kingdom",
        "Flag of the Soviet Union (1923-1955)",
    ]


@pytest.mark.parametrize("heading", ["Terms of the Agreement"], ids=["terms"])
def test_seed_fanwiki_plain_heading(seeds_dir: Path, heading: str) -> None:
    doc = _read(seeds_dir, FAN)
    (section,) = [s for s in doc.sections if s.title == heading]
    assert section.kind == "body" and section.level == 2
    assert doc.text[section.start : section.heading_end] == heading
    assert section.end == len(doc.text)


@pytest.mark.parametrize("needle", ["Ad blocker", "Wikia", "advertising"], ids=str)
def test_seed_fanwiki_ad_blocker_notice_removed(seeds_dir: Path, needle: str) -> None:
    doc = _read(seeds_dir, FAN)
    assert needle not in doc.text
    notices = [r for r in doc.removed if r.reason == "ad-blocker notice"]
    assert len(notices) == 3
    assert notices[0].text == "Ad blocker interference detected!"
    assert all(r.at == len(doc.text) for r in notices)


@pytest.mark.parametrize("item", ["Refrainment from hostile actions", "Direct or indirect"])
def test_seed_fanwiki_list_items_are_lines(seeds_dir: Path, item: str) -> None:
    doc = _read(seeds_dir, FAN)
    assert any(line.startswith(item) for line in doc.text.split("\n"))
    assert "•" not in doc.text and "\n1. " not in doc.text


@pytest.mark.parametrize("fmt", [None, "text", "mediawiki"], ids=["sniffed", "text", "mediawiki"])
def test_seed_wikipedia_sections(seeds_dir: Path, fmt: str | None) -> None:
    raw = (seeds_dir / WIKI).read_text(encoding="utf-8")
    doc = read_text(raw, name=WIKI, format=fmt)
    body = [s for s in doc.sections if s.kind == "body"]
    assert [(s.title, s.level) for s in body] == [
        ("", 0),
        ("Background", 2),
        ("Negotiations", 2),
        ("Text", 2),
        ("Effect", 2),
        ("Reactions", 2),
    ]
    for section in body[1:]:
        assert doc.text[section.start : section.heading_end] == section.title
    assert [r.reason for r in doc.removed] == [
        "reference section: See also",
        "reference section: Notes",
        "reference section: References",
        "reference section: External links",
    ]
    assert "Avalon Project" not in doc.text and "Atlantic Charter" not in doc.text


@pytest.mark.parametrize("name", [FAN, WIKI])
def test_seed_lines_have_no_hard_wraps_or_blank_runs(seeds_dir: Path, name: str) -> None:
    doc = _read(seeds_dir, name)
    assert "\n\n\n" not in doc.text
    assert doc.text == doc.text.strip()
    assert all(line == line.strip() for line in doc.text.split("\n"))
