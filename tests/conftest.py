"""Shared fixtures (the only place fixtures live; see STYLE.md section 8)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from accord.model import (
    Claim,
    DateValue,
    DocKind,
    Document,
    EntityKind,
    EntityRef,
    Field,
    FieldValue,
    Label,
    Pair,
    Precision,
    Quantity,
    Record,
    Reliability,
    Removed,
    Report,
    RunInfo,
    Section,
    Slot,
    Span,
    Verdict,
)

_WIKI_TEXT = (
    "The Anglo-Soviet Agreement was signed on 12 July 1941 in Moscow.\n"
    "It was signed by the United Kingdom and the Soviet Union.\n"
    "The agreement had two articles.\n"
    "Background\n"
    "Germany invaded the Soviet Union on 22 June 1941.\n"
)
_FAN_TEXT = (
    "The Anglo-Soviet Agreement was signed on July 25, 1939.\n"
    "The UK and the USSR signed the agreement.\n"
    "The treaty was popular with about 3 million readers.\n"
)


def _span(doc: Document, needle: str) -> Span:
    start = doc.text.index(needle)
    return Span(doc_id=doc.id, start=start, end=start + len(needle))


def _claim(doc: Document, cid: str, text: str, predicate: str, *slots: Slot, **kw: object) -> Claim:
    return Claim(
        id=cid,
        doc_id=doc.id,
        span=_span(doc, text),
        text=text,
        subject="Anglo-Soviet Agreement",
        predicate=predicate,
        slots=slots,
        extractor="test.v1",
        **kw,  # type: ignore[arg-type]
    )


@pytest.fixture
def sample_report() -> Report:
    """A hand-built report: two documents, one date contradiction, one agreement."""
    wiki = Document(
        id="doc-wiki",
        source="examples/wikipedia.txt",
        title="Wikipedia: Anglo-Soviet Agreement",
        kind=DocKind.ENCYCLOPEDIA,
        format="text",
        text=_WIKI_TEXT,
        sections=(
            Section(title="", level=1, start=0, end=_WIKI_TEXT.index("Background")),
            Section(
                title="Background",
                level=2,
                start=_WIKI_TEXT.index("Background"),
                end=len(_WIKI_TEXT),
                heading_end=_WIKI_TEXT.index("Background") + len("Background"),
            ),
        ),
        removed=(Removed(text="Jump to navigation Jump to search", reason="navigation", at=0),),
    )
    fan = Document(
        id="doc-fan",
        source="examples/fanwiki.txt",
        title="Fanwiki: Anglo-Soviet Agreement",
        kind=DocKind.WIKI,
        format="text",
        text=_FAN_TEXT,
        encoding="cp1252",
        removed=(
            Removed(text="Advertisement " * 20, reason="advertisement", at=10),
            Removed(text="Community content is available under CC-BY-SA", reason="footer", at=120),
        ),
    )
    w_date_text = "The Anglo-Soviet Agreement was signed on 12 July 1941 in Moscow."
    f_date_text = "The Anglo-Soviet Agreement was signed on July 25, 1939."
    w_date = _claim(
        wiki,
        "c-w-date",
        w_date_text,
        "sign",
        Slot(
            role="date",
            value=DateValue(year=1941, month=7, day=12, precision=Precision.DAY),
            event="sign",
            surface="12 July 1941",
            span=_span(wiki, "12 July 1941"),
        ),
        Slot(
            role="place",
            value=EntityRef(name="Moscow", kind=EntityKind.PLACE, part_of=("Soviet Union",)),
            event="sign",
            surface="Moscow",
            span=_span(wiki, "Moscow"),
        ),
    )
    f_date = _claim(
        fan,
        "c-f-date",
        f_date_text,
        "sign",
        Slot(
            role="date",
            value=DateValue(
                year=1939,
                month=7,
                day=25,
                precision=Precision.DAY,
                inferred_from=Span(doc_id="doc-fan", start=0, end=10),
            ),
            event="sign",
            surface="July 25, 1939",
            span=_span(fan, "July 25, 1939"),
        ),
    )
    parties = EntityRef(name="United Kingdom", kind=EntityKind.PLACE)
    w_parties = _claim(
        wiki,
        "c-w-parties",
        "It was signed by the United Kingdom and the Soviet Union.",
        "sign",
        Slot(
            role="agent",
            value=parties,
            event="sign",
            surface="United Kingdom",
            span=_span(wiki, "United Kingdom"),
        ),
    )
    f_parties = _claim(
        fan,
        "c-f-parties",
        "The UK and the USSR signed the agreement.",
        "sign",
        Slot(role="agent", value=parties, event="sign", surface="UK", span=_span(fan, "UK")),
    )
    w_articles = _claim(wiki, "c-w-articles", "The agreement had two articles.", "have")
    w_heading = _claim(wiki, "c-w-heading", "Background", "heading", kind="heading")
    w_invasion = _claim(
        wiki,
        "c-w-invasion",
        "Germany invaded the Soviet Union on 22 June 1941.",
        "invade",
        section="Background",
    )
    f_readers = _claim(
        fan,
        "c-f-readers",
        "The treaty was popular with about 3 million readers.",
        "be",
        Slot(
            role="theme",
            value=Quantity(amount=Decimal("3000000"), unit="readers", approximate=True),
            event="be",
            surface="about 3 million readers",
            span=_span(fan, "about 3 million readers"),
        ),
        hedged=True,
    )
    contradiction = Verdict(
        pair=Pair(left=w_date, right=f_date, score=12.5, retriever="accord.bm25.v1"),
        label=Label.CONTRADICTS,
        confidence=0.95,
        method="slots:date",
        reason="signed on 1941-07-12 vs 1939-07-25",
        evidence=(w_date.span, f_date.span),
        field="date_signed",
    )
    agreement = Verdict(
        pair=Pair(left=w_parties, right=f_parties, score=8.0, retriever="accord.bm25.v1"),
        label=Label.SUPPORTS,
        confidence=0.9,
        method="slots:agent",
        reason="both name the United Kingdom as a signatory",
        evidence=(w_parties.span, f_parties.span),
        field="signatories",
    )
    unrelated = Verdict(
        pair=Pair(left=w_articles, right=f_readers, score=1.0, retriever="accord.bm25.v1"),
        label=Label.NOT_MENTIONED,
        confidence=0.5,
        method="slots",
        reason="no shared event to compare",
    )
    record = Record(
        subject="Anglo-Soviet Agreement",
        fields=(
            Field(
                name="date_signed",
                values=(
                    FieldValue(
                        doc_id=wiki.id, value="1941-07-12", claim_id=w_date.id, span=w_date.span
                    ),
                    FieldValue(
                        doc_id=fan.id, value="1939-07-25", claim_id=f_date.id, span=f_date.span
                    ),
                ),
                consensus="1941-07-12",
                status="contradicted",
                reason="the encyclopedia outweighs the fan wiki",
            ),
            Field(
                name="signatories",
                values=(
                    FieldValue(
                        doc_id=wiki.id,
                        value="United Kingdom",
                        claim_id=w_parties.id,
                        span=w_parties.span,
                    ),
                    FieldValue(
                        doc_id=fan.id,
                        value="United Kingdom",
                        claim_id=f_parties.id,
                        span=f_parties.span,
                    ),
                ),
                consensus="United Kingdom",
                status="agreed",
            ),
        ),
        reliability=(
            Reliability(doc_id=wiki.id, score=0.8, reasons=("agrees on 1 of 2 fields",)),
            Reliability(
                doc_id=fan.id,
                score=0.4,
                reasons=("contradicts the consensus on date_signed", "fan wiki prior"),
            ),
        ),
    )
    run = RunInfo(
        version="0.1.0",
        backends={"claims": "test.v1", "verify": "accord.slots.v1"},
        skipped=("verify: neural NLI not configured (slot comparison only)",),
        timings_s={"ingest": 0.01, "claims": 0.2},
    )
    return Report(
        documents=(wiki, fan),
        claims=(w_date, w_parties, w_articles, w_heading, w_invasion, f_date, f_parties, f_readers),
        verdicts=(contradiction, agreement, unrelated),
        record=record,
        run=run,
    )


HOSTILE = "[bold red]x[/] <script>alert(1)</script> :smile: *em* \x1b[31mred"
"""Text that would be markup, HTML, emoji, Markdown and an ANSI escape if not escaped."""


@pytest.fixture
def hostile_report(sample_report: Report) -> Report:
    """``sample_report`` with ``HOSTILE`` in titles, claim text, reasons and record values."""
    from dataclasses import replace

    documents = tuple(
        replace(
            doc,
            title=f"{HOSTILE} {doc.title}",
            removed=tuple(replace(r, text=HOSTILE, reason=HOSTILE) for r in doc.removed),
        )
        for doc in sample_report.documents
    )
    claims = tuple(
        replace(claim, text=HOSTILE) if claim.id == "c-w-articles" else claim
        for claim in sample_report.claims
    )
    verdicts = tuple(replace(v, reason=f"{HOSTILE} {v.reason}") for v in sample_report.verdicts)
    record = replace(
        sample_report.record,
        subject=HOSTILE,
        fields=tuple(replace(f, consensus=HOSTILE) for f in sample_report.record.fields),
        reliability=tuple(replace(r, reasons=(HOSTILE,)) for r in sample_report.record.reliability),
    )
    return replace(
        sample_report, documents=documents, claims=claims, verdicts=verdicts, record=record
    )


@pytest.fixture
def seeds_dir() -> Path:
    """The seed documents (examples/), falling back to the shared seeds folder."""
    root = Path(__file__).resolve().parents[1]
    for candidate in (root / "examples", root.parent / "shared" / "seeds"):
        if (candidate / "fanwiki_anglo_soviet_agreement.txt").is_file():
            return candidate
    pytest.fail("seed documents not found in examples/ or ../shared/seeds")


@pytest.fixture(scope="session")
def seed_report() -> Report:
    """The full pipeline run once on the two bundled example documents."""
    import accord

    examples = Path(__file__).resolve().parents[1] / "examples"
    return accord.check([examples])


@pytest.fixture(scope="session")
def seed_output(seed_report: Report) -> dict[str, Any]:
    """The seed report as its JSON document (what `accord check --format json` prints)."""
    from accord.report.json import to_json

    output: dict[str, Any] = json.loads(to_json(seed_report))
    return output


@pytest.fixture(scope="session")
def extract() -> Any:
    """Extract claims from a text with the default extractor (spaCy loads once)."""
    from accord.claims import extractors
    from accord.ingest import read_text

    extractor = extractors.get("accord.spacy.v1")()

    def run(text: str, name: str = "doc.txt") -> tuple[Any, list[Claim]]:
        document = read_text(text, name=name)
        return document, extractor.extract([document])

    return run
