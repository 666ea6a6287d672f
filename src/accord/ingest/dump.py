"""MediaWiki XML dumps (``pages-articles.xml``, optionally ``.bz2``/``.gz``), read as a stream.

The dump is parsed incrementally (``iterparse``) and each page is cleared from the tree as
soon as it is read, so memory stays flat in the size of the dump: it holds one page at a
time. Each article becomes a ``Passage`` in MediaWiki format with the page title as its
title; ``read_passage`` then ingests it like any MediaWiki file (templates, references and
boilerplate handled, hostile-input guards applied). Redirects and pages outside the article
namespace are skipped. A page over ``max_bytes`` becomes a ``Failure``; malformed XML ends
the dump with a ``Failure`` naming where, keeping the pages read before it.

The parser is the standard library's expat, which refuses entity-expansion bombs and never
fetches external entities.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

from accord.errors import IngestError, InputTooLargeError
from accord.ingest.guard import display_name
from accord.ingest.kinds import page_kind
from accord.ingest.passages import COMPRESSED_SUFFIXES, Passage, open_maybe_compressed, to_failure
from accord.limits import DEFAULT_MAX_BYTES
from accord.model import DocKind, Failure

logger = logging.getLogger(__name__)

__all__ = ["ARTICLE_NAMESPACE", "is_dump_file", "iter_dump"]

ARTICLE_NAMESPACE = "0"  # the main (article) namespace; talk, user, file... pages are skipped
DUMP_SUFFIXES = (".xml",)
_HEAD_BYTES = 4096  # the <mediawiki> root opens within the first few hundred bytes
_REDIRECT_PREFIX = "#redirect"


def _local(tag: str) -> str:
    """An element's name without its namespace (dumps use export-0.10, 0.11...)."""
    return tag.rsplit("}", 1)[-1]


def is_dump_file(path: Path) -> bool:
    """Whether ``path`` is a MediaWiki XML dump: named ``.xml`` (maybe ``.gz``/``.bz2``) and
    opening with a ``<mediawiki`` root element."""
    name = path.name.lower()
    for suffix in COMPRESSED_SUFFIXES:
        name = name.removesuffix(suffix)
    if not name.endswith(DUMP_SUFFIXES):
        return False
    try:
        with open_maybe_compressed(path) as handle:
            head = handle.read(_HEAD_BYTES)
    except (OSError, EOFError, IngestError):  # a pipe or device is refused when read
        return False
    return b"<mediawiki" in head


def iter_dump(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Passage | Failure]:
    """Stream the articles of a MediaWiki XML dump, one page at a time.

    Args:
        path: the dump (``.bz2`` and ``.gz`` are decompressed as a stream).
        max_bytes: the largest page text accepted, in bytes of UTF-8.

    Yields:
        A ``Passage`` per article (the latest revision's text) and a ``Failure`` per page
        over the limit, in dump order; a ``Failure`` for the dump itself when it cannot be
        read to its end.
    """
    given = display_name(str(path))
    try:
        handle = open_maybe_compressed(path)
    except IngestError as exc:
        yield to_failure(given, exc)
        return
    except OSError as exc:
        yield to_failure(given, IngestError(f"cannot read {given}: {exc.strerror or exc}"))
        return
    pages = skipped = 0
    with handle:
        root: ElementTree.Element | None = None
        kind: DocKind | None = None
        kind_origin = ""
        text: str | None = None
        try:
            for event, element in ElementTree.iterparse(handle, events=("start", "end")):
                if root is None:
                    root = element
                if event != "end":
                    continue
                tag = _local(element.tag)
                if tag == "revision":
                    # Full-history dumps list every revision: keep the latest text only.
                    text = _child_text(element, "text")
                    element.clear()
                elif tag == "siteinfo":
                    site = [
                        (f"dump {name}", (_child_text(element, name) or "").strip())
                        for name in ("sitename", "base")
                    ]
                    found, kind_origin = page_kind(site, "")
                    kind = None if found is DocKind.UNKNOWN else found
                    root.clear()
                elif tag == "page":
                    item = _page(element, text, given, (kind, kind_origin), max_bytes)
                    text = None
                    root.clear()  # drop the page just read (and anything before it)
                    if item is None:
                        skipped += 1
                        continue
                    pages += 1
                    yield item
        except ElementTree.ParseError as exc:
            line, column = getattr(exc, "position", (0, 0))
            yield to_failure(
                given,
                IngestError(
                    f"{given} is not well-formed XML at line {line}, column {column} ({exc}); "
                    f"the {pages:,} pages before it were read"
                ),
            )
        except (OSError, EOFError) as exc:  # a truncated or corrupt .bz2/.gz
            yield to_failure(
                given,
                IngestError(
                    f"cannot read {given} to its end ({exc}); the {pages:,} pages before it "
                    "were read"
                ),
            )
    logger.info(
        "%s: %d pages read, %d skipped (redirects, other namespaces)", given, pages, skipped
    )


def _child_text(element: ElementTree.Element, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name:
            return child.text or ""
    return None


def _has_child(element: ElementTree.Element, name: str) -> bool:
    return any(_local(child.tag) == name for child in element)


def _page(
    page: ElementTree.Element,
    text: str | None,
    given: str,
    kind: tuple[DocKind | None, str],
    max_bytes: int,
) -> Passage | Failure | None:
    """The passage of one page, a failure when it is over the limit, ``None`` when skipped."""
    title = (_child_text(page, "title") or "").strip()
    namespace = (_child_text(page, "ns") or ARTICLE_NAMESPACE).strip()
    if namespace != ARTICLE_NAMESPACE or _has_child(page, "redirect"):
        return None
    if text is None or text.lstrip()[: len(_REDIRECT_PREFIX)].lower() == _REDIRECT_PREFIX:
        return None
    source = f"{given}#{title}" if title else f"{given}#page"
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        return to_failure(
            source,
            InputTooLargeError(
                f"page {title!r} of {given} is {size:,} bytes, over the limit of "
                f"{max_bytes:,} bytes; accord refuses it rather than check a cut-off part; "
                "raise the limit with --max-bytes"
            ),
        )
    return Passage(
        source=source,
        text=text,
        title=title or None,
        kind=kind[0],
        kind_origin=kind[1],
        format="mediawiki",
    )
