"""Text for the corpus commands: the subjects of a store, a reconciled record, and the
``--prior KIND=VALUE`` flag."""

from __future__ import annotations

from collections.abc import Sequence

from accord.errors import ConfigError
from accord.model import Document, Record
from accord.store import SubjectRow

__all__ = ["format_record", "format_subjects", "parse_priors"]


def parse_priors(items: Sequence[str]) -> dict[str, float]:
    """Parse ``KIND=VALUE`` strings (``--prior news=0.7``) into a priors mapping.

    Raises:
        ConfigError: an item without ``=`` or with a value that is not a number.
    """
    priors: dict[str, float] = {}
    for item in items:
        kind, sep, value = item.partition("=")
        try:
            if not sep:
                raise ValueError(item)
            priors[kind.strip().lower()] = float(value)
        except ValueError:
            raise ConfigError(
                f"bad --prior {item!r}; give KIND=VALUE, e.g. news=0.7 "
                "(kinds: encyclopedia, news, wiki, unknown)"
            ) from None
    return priors


def format_subjects(rows: Sequence[SubjectRow]) -> str:
    """The subjects of a store, one per line with its document count."""
    width = max((len(str(r.documents)) for r in rows), default=1)
    return "\n".join(f"{r.documents:>{width}}  {_clean(r.name)}" for r in rows)


def format_record(record: Record, documents: Sequence[Document]) -> str:
    """The reconciled record as plain text: each field's consensus, status and values by
    source, then each source's reliability with its reasons."""
    label = {doc.id: f"[{i}] {_clean(doc.title)}" for i, doc in enumerate(documents, start=1)}
    lines = [f"Subject: {_clean(record.subject)}", ""]
    lines.append("Sources:")
    lines.extend(f"  {label[doc.id]}  ({_clean(doc.source)})" for doc in documents)
    lines += ["", "Fields:"]
    for item in record.fields:
        consensus = _clean(item.consensus) if item.consensus is not None else "(none)"
        lines.append(f"  {item.name}: {consensus}  [{item.status}] {_clean(item.reason)}")
        for value in item.values:
            where = label.get(value.doc_id, value.doc_id).split(" ", 1)[0]
            lines.append(f"    {where} {_clean(value.value)}")
    lines += ["", "Reliability:"]
    for rel in sorted(record.reliability, key=lambda r: -r.score):
        lines.append(f"  {label.get(rel.doc_id, rel.doc_id)}  {rel.score:.2f}")
        lines.extend(f"    - {_clean(reason)}" for reason in rel.reasons)
    return "\n".join(lines)


def _clean(text: str) -> str:
    """Text safe for a terminal line: control characters become spaces."""
    return "".join(" " if (ord(c) < 32 or 127 <= ord(c) < 160) else c for c in text)
