"""Each format on small crafted inputs: sections with exact offsets, one line per block."""

from __future__ import annotations

import pytest

from accord.ingest import ingesters, read_document, read_text
from accord.model import Document

HTML = b"""<!doctype html><html><head><title>Pact of Steel - Example History</title>
<script>var leaked = "SCRIPT-LEAK";</script></head>
<body onload="alert('HANDLER-LEAK')"><nav><a href="/">Home</a> <a href="/topics">Topics</a></nav>
<article><h1>Pact of Steel</h1>
<p>The <b>Pact of Steel</b> was a military alliance signed on 22 May 1939 in Berlin.</p>
<h2>Terms<span class="edit">[edit]</span></h2>
<p onclick="alert('CLICK-LEAK')">The two powers promised to support each other in war.</p>
<script>document.write("INLINE-LEAK")</script>
<ul><li>Mutual military support in any war.</li><li>Consultation on common interests.</li></ul>
</article><footer>Copyright 2024 Example History</footer></body></html>"""

MEDIAWIKI = """{{Short description|Alliance}}
The '''Pact of Steel''' (also '''Pact of Friendship and Alliance''') was signed on \
{{start date|1939|5|22}} in [[Berlin|the German capital]].<ref>{{cite web|title=X}}</ref>
[[File:Pact.jpg|thumb|Signing of the pact]]

== Terms ==
The parties agreed on {{date|22 May 1939}} to support each other.
* Mutual [[military]] support.
* Consultation with [http://example.org partners].

=== Secret protocol ===
A secret protocol covered further cooperation.

== References ==
{{reflist}}
[[Category:Treaties]]
"""

MARKDOWN = """# Pact of Steel

The **Pact of Steel** was signed on 22 May 1939 in [Berlin](https://example.org/berlin).

## Terms

- Mutual military support.
- Consultation on common interests.
  1. A nested point.

```
code that must not appear
```

## Later

It lapsed in 1943.
"""

PLAIN = """Pact of Steel

The Pact of Steel was a military alliance
between Italy and Germany, signed on 22 May
1939 in Berlin by the two foreign ministers.

Terms of the Pact

The parties promised mutual support.

  1. Mutual military support in any war.
  • Consultation on common interests.
"""


def _heading_titles_match(doc: Document) -> None:
    for section in doc.sections:
        if section.kind == "body" and section.title:
            assert doc.text[section.start : section.heading_end] == section.title
            assert section.end <= len(doc.text)


@pytest.mark.parametrize(
    ("data", "name", "fmt", "headings"),
    [
        (HTML, "page.html", "html", [("Terms", 2)]),
        (MEDIAWIKI.encode(), "page.wiki", "mediawiki", [("Terms", 2), ("Secret protocol", 3)]),
        (MARKDOWN.encode(), "page.md", "markdown", [("Terms", 2), ("Later", 2)]),
        (PLAIN.encode(), "page.txt", "text", [("Terms of the Pact", 2)]),
    ],
    ids=["html", "mediawiki", "markdown", "text"],
)
def test_ingester_headings_become_sections(
    data: bytes, name: str, fmt: str, headings: list[tuple[str, int]]
) -> None:
    doc = read_document(data, name=name)
    assert doc.format == fmt
    assert doc.title == "Pact of Steel"
    body = [(s.title, s.level) for s in doc.sections if s.kind == "body" and s.title]
    assert body == headings
    _heading_titles_match(doc)


@pytest.mark.parametrize(
    ("data", "name", "items"),
    [
        (
            HTML,
            "page.html",
            ["Mutual military support in any war.", "Consultation on common interests."],
        ),
        (
            MEDIAWIKI.encode(),
            "page.wiki",
            ["Mutual military support.", "Consultation with partners."],
        ),
        (MARKDOWN.encode(), "page.md", ["Mutual military support.", "A nested point."]),
        (
            PLAIN.encode(),
            "page.txt",
            ["Mutual military support in any war.", "Consultation on common interests."],
        ),
    ],
    ids=["html", "mediawiki", "markdown", "text"],
)
def test_ingester_list_items_are_lines_without_markers(
    data: bytes, name: str, items: list[str]
) -> None:
    lines = read_document(data, name=name).text.split("\n")
    for item in items:
        assert item in lines


@pytest.mark.parametrize(
    "leak", ["LEAK", "alert", "document.write"], ids=["text", "alert", "write"]
)
def test_html_ingester_never_leaks_script_text(leak: str) -> None:
    doc = read_document(HTML, name="page.html")
    assert leak not in doc.text
    assert all(leak not in r.text for r in doc.removed)


@pytest.mark.parametrize("reason", ["navigation", "page footer", "edit link"], ids=str)
def test_html_ingester_records_page_chrome(reason: str) -> None:
    doc = read_document(HTML, name="page.html")
    assert reason in {r.reason for r in doc.removed}
    assert "Home Topics" not in doc.text and "[edit]" not in doc.text


@pytest.mark.parametrize(
    "html", [b"<html><body><p>Short text here.</p></body></html>"], ids=["tiny"]
)
def test_html_ingester_falls_back_when_extraction_is_empty(html: bytes) -> None:
    assert read_document(html, name="x.html").text == "Short text here."


@pytest.mark.parametrize(
    ("needle", "present"),
    [
        ("22 May 1939", True),
        ("the German capital", True),
        ("cite web", False),
        ("Signing of the pact", False),
        ("Category", False),
        ("Short description", False),
    ],
    ids=["date-template", "link-text", "ref", "file", "category", "template"],
)
def test_mediawiki_ingester_renders_and_drops_markup(needle: str, present: bool) -> None:
    doc = read_document(MEDIAWIKI.encode(), name="page.wiki")
    assert (needle in doc.text) is present


@pytest.mark.parametrize("reason", ["reference", "image caption", "reference section: References"])
def test_mediawiki_ingester_records_removed_markup(reason: str) -> None:
    doc = read_document(MEDIAWIKI.encode(), name="page.wiki")
    assert reason in {r.reason for r in doc.removed}


@pytest.mark.parametrize("alias", ["Pact of Friendship and Alliance"], ids=["bold"])
def test_mediawiki_ingester_bold_names_are_aliases(alias: str) -> None:
    doc = read_document(MEDIAWIKI.encode(), name="page.wiki")
    assert doc.aliases == (alias,)


@pytest.mark.parametrize(
    ("markup", "line"),
    [
        (
            "{{Infobox treaty\n| name = X\n| date_signed = {{start date|1941|7|12}}\n}}\n"
            "The X was a pact.",
            "Date signed 12 July 1941",
        ),
    ],
    ids=["infobox"],
)
def test_mediawiki_ingester_infobox_template_becomes_lines(markup: str, line: str) -> None:
    doc = read_text(markup, format="mediawiki")
    infobox = [s for s in doc.sections if s.kind == "infobox"]
    assert len(infobox) == 1
    assert doc.text[infobox[0].start : infobox[0].end] == line


@pytest.mark.parametrize("needle", ["code that must not appear", "https://", "**"], ids=str)
def test_markdown_ingester_drops_code_and_markup(needle: str) -> None:
    doc = read_document(MARKDOWN.encode(), name="page.md")
    assert needle not in doc.text


@pytest.mark.parametrize("text", [PLAIN], ids=["wrapped"])
def test_text_ingester_joins_hard_wrapped_lines(text: str) -> None:
    doc = read_text(text, name="pact.txt")
    assert (
        "The Pact of Steel was a military alliance between Italy and Germany, signed on 22 May "
        "1939 in Berlin by the two foreign ministers."
    ) in doc.text.split("\n")


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("The Treaty of Rapallo was signed in 1922. It normalised relations.", "Treaty of Rapallo"),
        ("it was signed in 1922 and normalised relations between them.", "Rapallo notes"),
    ],
    ids=["lead-subject", "stem"],
)
def test_text_ingester_title_fallbacks(text: str, title: str) -> None:
    assert read_text(text, name="rapallo_notes.txt").title == title


@pytest.mark.parametrize(
    "name", ["accord.text.v1", "accord.html.v1", "accord.mediawiki.v1", "accord.markdown.v1"]
)
def test_ingesters_registry_has_builtins(name: str) -> None:
    ingester = ingesters.get(name)()
    assert ingester.name == name
    assert name == f"accord.{ingester.format}.v1"


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("The Treaty of Vell was signed in 1820.", "Treaty of Vell"),
        ("The Treaty of Vell, signed in Lisbon in May 1820, ended a war.", "Treaty of Vell"),
        ("Sir Peter Hale, a diplomat, wrote the text.", "Sir Peter Hale"),
        ("In 1820, the treaty was signed in Lisbon.", None),
        ("However, it was signed in Lisbon.", None),
        ("It was signed in Lisbon in 1820.", None),
    ],
)
def test_lead_subject_reads_the_name_before_verb_or_appositive(
    paragraph: str, expected: str | None
) -> None:
    from accord.ingest.layout import lead_subject

    assert lead_subject(paragraph) == expected
