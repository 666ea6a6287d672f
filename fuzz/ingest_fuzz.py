"""Coverage-guided fuzz target for accord's ingest stage (atheris / libFuzzer).

Feeds arbitrary bytes to ``read_document`` in every format (and with sniffing), asserting
that it returns a well-formed document or raises an ``IngestError`` and nothing else.

Run it for a bounded time (``tests/hostile/test_hostile_atheris.py`` does this in CI):

    python fuzz/ingest_fuzz.py -max_total_time=60 -runs=200000 CORPUS_DIR
"""

from __future__ import annotations

import logging
import sys

import atheris

with atheris.instrument_imports(include=["accord"]):
    from accord.errors import IngestError
    from accord.ingest import FORMATS, read_document

MAX_BYTES = 65_536  # small inputs reach every branch; big ones only make each run slower
CHOICES = (None, *FORMATS)


def test_one_input(data: bytes) -> None:
    """Ingest ``data`` in the format its first byte picks; raise on anything unexpected."""
    provider = atheris.FuzzedDataProvider(data)
    fmt = CHOICES[provider.ConsumeIntInRange(0, len(CHOICES) - 1)]
    payload = provider.ConsumeBytes(provider.remaining_bytes())
    try:
        document = read_document(payload, name="fuzz.input", format=fmt, max_bytes=MAX_BYTES)
    except IngestError:
        return
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
