"""Coverage-guided fuzz target for accord's ingest stage (atheris / libFuzzer).

Feeds arbitrary bytes to ``read_document`` in every format (and with sniffing), asserting
that it returns a well-formed document or raises an ``IngestError`` and nothing else; and,
as ``accord batch`` reads them, to the JSONL and MediaWiki dump readers, asserting that each
line or page gives a passage (ingested as above) or a deliberate failure, never an exception.

Run it for a bounded time (``tests/hostile/test_hostile_atheris.py`` does this in CI):

    python fuzz/ingest_fuzz.py -max_total_time=60 -runs=200000 CORPUS_DIR
"""

from __future__ import annotations

import atexit
import logging
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["accord"]):
    from accord.errors import IngestError
    from accord.ingest import FORMATS, read_document
    from accord.ingest.dump import iter_dump
    from accord.ingest.passages import iter_passages, read_passage
    from accord.model import Document, Failure

MAX_BYTES = 65_536  # small inputs reach every branch; big ones only make each run slower
CORPORA = ("jsonl", "dump")  # the corpus readers, fed the payload as a file
CHOICES = (None, *FORMATS, *CORPORA)
FOLDER = Path(tempfile.mkdtemp(prefix="accord-fuzz-"))
atexit.register(shutil.rmtree, FOLDER, ignore_errors=True)


def test_one_input(data: bytes) -> None:
    """Ingest ``data`` in the format (or as the corpus) its last byte picks; raise on
    anything unexpected."""
    provider = atheris.FuzzedDataProvider(data)
    choice = CHOICES[provider.ConsumeIntInRange(0, len(CHOICES) - 1)]
    payload = provider.ConsumeBytes(provider.remaining_bytes())
    if choice in CORPORA:
        _check_corpus(payload, choice)
        return
    try:
        document = read_document(payload, name="fuzz.input", format=choice, max_bytes=MAX_BYTES)
    except IngestError:
        return
    _check_document(document)


def _check_corpus(payload: bytes, reader: str | None) -> None:
    """Read ``payload`` as a JSONL corpus or a dump; ingest each passage it gives."""
    path = FOLDER / ("corpus.jsonl" if reader == "jsonl" else "pages.xml")
    path.write_bytes(payload)
    read = iter_passages if reader == "jsonl" else iter_dump
    for item in read(path, max_bytes=MAX_BYTES):
        if isinstance(item, Failure):
            if item.message.startswith("internal error"):
                raise AssertionError(f"{item.source}: {item.message}")
            item.message.encode("utf-8")
            continue
        try:
            document = read_passage(item, max_bytes=MAX_BYTES)
        except IngestError:
            continue
        _check_document(document)


def _check_document(document: Document) -> None:
    text = document.text
    text.encode("utf-8")  # valid UTF-8: no lone surrogates reach a report
    if not text.strip():
        raise AssertionError("a document with no text")
    for section in document.sections:
        if not 0 <= section.start <= section.end <= len(text):
            raise AssertionError(f"section out of bounds: {section}")
    for removed in document.removed:
        if not 0 <= removed.at <= len(text):
            raise AssertionError(f"removed text placed out of bounds: {removed.at}")


def main() -> None:
    """Start the fuzzer with libFuzzer's command-line options."""
    logging.disable(logging.CRITICAL)  # parsers log every malformed input; that is expected
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
