"""Boilerplate removal in every format: notices, captions, reference sections, edit links."""

from __future__ import annotations

import pytest

from accord.ingest import read_document, read_text

NOTICE = "Ad blocker interference detected!"
MONEY = (
    "Wikia is a free-to-use site that makes money from advertising. We have a modified "
    "experience for viewers using ad blockers"
)
PROSE = "The Treaty of Kars was signed on 13 October 1921 in Kars by four states."

DOCS = {
    "text": f"{PROSE}\n\n{NOTICE}\n\n{MONEY}\n",
    "html": (
        f"<html><body><article><p>{PROSE}</p><p>{NOTICE}</p><p>{MONEY}</p></article></body></html>"
    ),
    "markdown": f"# Treaty of Kars\n\n{PROSE}\n\n**{NOTICE}**\n\n{MONEY}\n",
    "mediawiki": f"'''Treaty''' text. {PROSE}\n\n{NOTICE}\n\n{MONEY}\n",
}


@pytest.mark.parametrize("fmt", sorted(DOCS), ids=str)
def test_boilerplate_ad_blocker_notice_removed_in_every_format(fmt: str) -> None:
    doc = read_text(DOCS[fmt], name=f"kars.{fmt}", format=fmt)
    assert NOTICE not in doc.text and "makes money" not in doc.text
    assert PROSE in doc.text
    reasons = [r for r in doc.removed if r.reason == "ad-blocker notice"]
    assert [r.text for r in reasons] == [NOTICE, MONEY]
    assert all(0 <= r.at <= len(doc.text) for r in doc.removed)


@pytest.mark.parametrize(
    "text",
    [
        (
            "Advertising is a form of marketing communication. Many websites make money "
            "from advertising, and some readers install an ad blocker to hide it.\n\n"
            "Critics argue that ad blockers interfere with the revenue of free sites. We use "
            "cookies as an example of tracking in this essay."
        ),
        ("Ad blockers were first detected by publishers in the 2000s, who measured them." * 8),
    ],
    ids=["article-about-advertising", "long-paragraph"],
)
def test_boilerplate_keeps_articles_about_advertising(text: str) -> None:
    doc = read_text(text, name="advertising.txt")
    assert not doc.removed
    assert "Many websites make money from advertising" in doc.text or "detected" in doc.text


@pytest.mark.parametrize(
    ("text", "notice", "reason"),
    [
        (
            "This site uses cookies to give you a better experience.",
            "uses cookies",
            "cookie notice",
        ),
        ("Subscribe to our newsletter for weekly updates!", "newsletter", "subscribe banner"),
    ],
    ids=["cookie", "newsletter"],
)
def test_boilerplate_banners_removed(text: str, notice: str, reason: str) -> None:
    doc = read_text(f"{PROSE}\n\n{text}\n", name="x.txt")
    assert notice not in doc.text
    assert [r.reason for r in doc.removed] == [reason]


@pytest.mark.parametrize(
    ("line", "kept", "caption"),
    [
        (
            "Signatories Flag of the United Kingdom United Kingdom",
            "Signatories United Kingdom",
            "Flag of the United Kingdom",
        ),
        (
            "Flag of the Soviet Union (1923-1955) Soviet Union",
            "Soviet Union",
            "Flag of the Soviet Union (1923-1955)",
        ),
        ("Parties Flag of France France and Italy", "Parties France and Italy", "Flag of France"),
    ],
    ids=["uk", "ussr-years", "france"],
)
def test_boilerplate_flag_captions_cut_from_lines(line: str, kept: str, caption: str) -> None:
    doc = read_text(f"Some Treaty\n{line}\n\n{PROSE}\n", name="x.txt")
    assert kept in doc.text.split("\n")
    removed = [r for r in doc.removed if r.reason == "image caption"]
    assert [r.text for r in removed] == [caption]
    assert doc.text[removed[0].at :].startswith(
        kept.split()[-2] if "Parties" not in kept else "France"
    )


@pytest.mark.parametrize(
    "sentence",
    ["The Flag of the United Kingdom is the Union Jack, adopted in 1801."],
    ids=["prose"],
)
def test_boilerplate_keeps_flag_in_prose(sentence: str) -> None:
    assert sentence in read_text(sentence, name="flags.txt").text


@pytest.mark.parametrize(
    "heading",
    [
        "See also",
        "Notes",
        "References",
        "External links",
        "Further reading",
        "Bibliography",
        "Sources",
        "Citations",
    ],
    ids=str,
)
@pytest.mark.parametrize("fmt", ["mediawiki", "markdown", "html"], ids=str)
def test_boilerplate_reference_sections_removed(heading: str, fmt: str) -> None:
    if fmt == "mediawiki":
        text = f"{PROSE}\n\n== History ==\nIt held.\n\n== {heading} ==\n* Some link\n"
    elif fmt == "markdown":
        text = f"{PROSE}\n\n## History\n\nIt held.\n\n## {heading}\n\n- Some link\n"
    else:
        text = (
            f"<html><body><article><p>{PROSE}</p><h2>History</h2><p>It held for years.</p>"
            f"<h2>{heading}</h2><ul><li>Some link</li></ul></article></body></html>"
        )
    doc = read_text(text, name=f"x.{fmt}", format=fmt)
    assert "Some link" not in doc.text and heading not in doc.text.split("\n")
    assert f"reference section: {heading}" in {r.reason for r in doc.removed}
    assert [s.title for s in doc.sections if s.title] == ["History"]


@pytest.mark.parametrize("text", ["== Background [edit] ==\nIt began in 1939.\n"], ids=["edit"])
def test_boilerplate_edit_links_cut(text: str) -> None:
    doc = read_document(f"{PROSE}\n\n{text}".encode(), name="x.wiki")
    assert "[edit]" not in doc.text
    assert "Background" in doc.text.split("\n")
    assert "edit link" in {r.reason for r in doc.removed}
