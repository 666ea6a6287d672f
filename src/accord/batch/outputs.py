"""``accord batch --output DIR``: the results as tables, in JSONL or Parquet.

One file per table, written subject by subject as each is finished (so no more than one
subject's rows are held), each to a temporary file in ``DIR`` renamed into place only when
the batch completes: an interrupted or failed batch leaves the previous files as they were.
Subjects come in key order and rows within a subject are sorted, so two runs (on two
engines) give the same files, row for row. Parquet needs pyarrow (the ``ray`` extra).

Tables and their columns are listed in ``TABLES`` and in docs/batch.md.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Iterable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import IO, Any, ClassVar, Protocol

from accord.errors import AccordError, ConfigError, MissingExtraError
from accord.model import Failure, Label, Report

logger = logging.getLogger(__name__)

__all__ = ["FORMATS", "TABLES", "BatchOutputs", "failure_rows", "subject_rows", "write_summary"]

FORMATS = ("jsonl", "parquet")
PARQUET_ROWS_PER_GROUP = 5_000  # rows buffered before a Parquet row group is written

# Column name -> type: str, int, float, bool, "str?" (may be null), "list[str]", "values".
TABLES: dict[str, dict[str, str]] = {
    "subjects": {
        "subject_key": "str",
        "subject": "str",
        "documents": "int",
        "claims": "int",
        "verdicts": "int",
        "contradictions": "int",
        "agreements": "int",
        "fields": "int",
        "possible_conflicts": "int",
        "not_mentioned": "int",
    },
    "documents": {
        "subject_key": "str",
        "doc_id": "str",
        "source": "str",
        "title": "str",
        "kind": "str",
        "kind_origin": "str",
        "source_id": "str?",
        "url": "str?",
        "published": "str?",
        "format": "str",
        "chars": "int",
        "claims": "int",
        "removed": "int",
    },
    "verdicts": {
        "subject_key": "str",
        "left_doc": "str",
        "left_claim": "str",
        "right_doc": "str",
        "right_claim": "str",
        "label": "str",
        "confidence": "float",
        "method": "str",
        "field": "str?",
        "reason": "str",
        "left_text": "str",
        "right_text": "str",
        "possible_conflict": "bool",
    },
    "records": {
        "subject_key": "str",
        "field": "str",
        "status": "str",
        "consensus": "str?",
        "reason": "str",
        "values": "values",
    },
    "reliability": {
        "subject_key": "str",
        "doc_id": "str",
        "score": "float",
        "reasons": "list[str]",
    },
    "failures": {"source": "str", "error": "str", "message": "str"},
}

Row = dict[str, Any]


def subject_rows(
    key: str, name: str, report: Report, *, all_verdicts: bool = False
) -> dict[str, list[Row]]:
    """The rows of every table but ``failures`` for one subject's report, sorted.

    Args:
        key: the subject's key.
        name: the subject's name as stored (the ``--subject`` given, or the first title).
        report: the subject's report (``accord.corpus.stored_report``).
        all_verdicts: give NOT_MENTIONED verdicts rows too; by default the ``verdicts``
            table has the decided ones and the possible conflicts, as the JSON report lists
            them, and ``subjects.not_mentioned`` counts the others.
    """
    from accord.report.json import is_listed

    claims_per_doc: dict[str, int] = {}
    for claim in report.claims:
        claims_per_doc[claim.doc_id] = claims_per_doc.get(claim.doc_id, 0) + 1
    documents = [
        {
            "subject_key": key,
            "doc_id": doc.id,
            "source": doc.source,
            "title": doc.title,
            "kind": doc.kind.value,
            "kind_origin": doc.kind_origin,
            "source_id": doc.source_id,
            "url": doc.url,
            "published": doc.published,
            "format": doc.format,
            "chars": len(doc.text),
            "claims": claims_per_doc.get(doc.id, 0),
            "removed": len(doc.removed),
        }
        for doc in report.documents
    ]
    verdicts = [
        {
            "subject_key": key,
            "left_doc": v.pair.left.doc_id,
            "left_claim": v.pair.left.id,
            "right_doc": v.pair.right.doc_id,
            "right_claim": v.pair.right.id,
            "label": v.label.value,
            "confidence": v.confidence,
            "method": v.method,
            "field": v.field,
            "reason": v.reason,
            "left_text": v.pair.left.text,
            "right_text": v.pair.right.text,
            "possible_conflict": v.possible_conflict,
        }
        for v in report.verdicts
        if is_listed(v, all_verdicts=all_verdicts)
    ]
    records = [
        {
            "subject_key": key,
            "field": f.name,
            "status": f.status,
            "consensus": f.consensus,
            "reason": f.reason,
            "values": [
                {"doc_id": v.doc_id, "value": v.value, "claim_id": v.claim_id}
                for v in sorted(f.values, key=lambda v: (v.doc_id, v.claim_id, v.value))
            ],
        }
        for f in report.record.fields
    ]
    reliability = [
        {"subject_key": key, "doc_id": r.doc_id, "score": r.score, "reasons": list(r.reasons)}
        for r in report.record.reliability
    ]
    labels = [v.label for v in report.verdicts]
    subject = {
        "subject_key": key,
        "subject": name,
        "documents": len(report.documents),
        "claims": len(report.claims),
        "verdicts": len(report.verdicts),
        "contradictions": labels.count(Label.CONTRADICTS),
        "agreements": labels.count(Label.SUPPORTS),
        "fields": len(report.record.fields),
        # verdicts, as contradictions are: a possible conflict is one claim pair
        "possible_conflicts": sum(1 for v in report.verdicts if v.possible_conflict),
        "not_mentioned": labels.count(Label.NOT_MENTIONED),
    }
    return {
        "subjects": [subject],
        "documents": sorted(documents, key=lambda r: r["doc_id"]),
        "verdicts": sorted(verdicts, key=lambda r: (r["left_claim"], r["right_claim"])),
        "records": sorted(records, key=lambda r: (r["field"], r["status"], r["consensus"] or "")),
        "reliability": sorted(reliability, key=lambda r: r["doc_id"]),
    }


def failure_rows(failures: Iterable[Failure]) -> list[Row]:
    """The ``failures`` table, sorted."""
    rows = [{"source": f.source, "error": f.error, "message": f.message} for f in failures]
    return sorted(rows, key=lambda r: (r["source"], r["error"], r["message"]))


class _Table(Protocol):
    path: Path

    def write(self, rows: Sequence[Row]) -> None: ...

    def commit(self) -> None: ...

    def abort(self) -> None: ...


def _temp_in(directory: Path, name: str) -> tuple[int, str]:
    try:
        return tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
    except OSError as exc:
        raise AccordError(f"cannot write in {directory}: {exc.strerror or exc}") from exc


def _publish(temp: str, path: Path) -> None:
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(temp, 0o666 & ~umask)  # mkstemp makes 0600; results are ordinary files
        os.replace(temp, path)
    except OSError as exc:
        raise AccordError(f"cannot write {path}: {exc.strerror or exc}") from exc


class _JsonlTable:
    """One JSON object per line, UTF-8."""

    suffix: ClassVar[str] = ".jsonl"

    def __init__(self, directory: Path, name: str) -> None:
        self.path = directory / f"{name}{self.suffix}"
        fd, self._temp = _temp_in(directory, self.path.name)
        self._handle: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline="\n")

    def write(self, rows: Sequence[Row]) -> None:
        for row in rows:
            self._handle.write(json.dumps(row, ensure_ascii=False) + "\n")

    def commit(self) -> None:
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        _publish(self._temp, self.path)

    def abort(self) -> None:
        with suppress(OSError):
            self._handle.close()
        with suppress(OSError):
            os.unlink(self._temp)


def _arrow_schema(columns: dict[str, str]) -> Any:
    import pyarrow as pa

    types = {
        "str": (pa.string(), False),
        "str?": (pa.string(), True),
        "int": (pa.int64(), False),
        "float": (pa.float64(), False),
        "bool": (pa.bool_(), False),
        "list[str]": (pa.list_(pa.string()), False),
        "values": (
            pa.list_(
                pa.struct(
                    [
                        pa.field("doc_id", pa.string(), nullable=False),
                        pa.field("value", pa.string(), nullable=False),
                        pa.field("claim_id", pa.string(), nullable=False),
                    ]
                )
            ),
            False,
        ),
    }
    return pa.schema(
        [pa.field(name, types[kind][0], nullable=types[kind][1]) for name, kind in columns.items()]
    )


class _ParquetTable:
    """A Parquet file with a fixed schema, written in row groups."""

    suffix: ClassVar[str] = ".parquet"

    def __init__(self, directory: Path, name: str) -> None:
        import pyarrow.parquet as pq

        self.path = directory / f"{name}{self.suffix}"
        self._schema = _arrow_schema(TABLES[name])
        fd, self._temp = _temp_in(directory, self.path.name)
        os.close(fd)
        self._writer = pq.ParquetWriter(self._temp, self._schema)
        self._rows: list[Row] = []

    def write(self, rows: Sequence[Row]) -> None:
        self._rows.extend(rows)
        if len(self._rows) >= PARQUET_ROWS_PER_GROUP:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._rows:
            self._writer.write_table(pa.Table.from_pylist(self._rows, schema=self._schema))
            self._rows = []

    def commit(self) -> None:
        self._flush()
        self._writer.close()
        _publish(self._temp, self.path)

    def abort(self) -> None:
        with suppress(Exception):
            self._writer.close()
        with suppress(OSError):
            os.unlink(self._temp)


class BatchOutputs:
    """The output tables of one batch, written as it goes and published at the end.

    Use as a context manager: leaving it without ``commit`` (an error, an interrupt)
    removes the temporary files and leaves ``directory`` as it was.

    Args:
        directory: where the files go (created if missing).
        fmt: ``jsonl`` or ``parquet``.

    Raises:
        ConfigError: an unknown format, or a directory that cannot be made.
        MissingExtraError: Parquet without pyarrow installed.
    """

    def __init__(self, directory: Path, fmt: str) -> None:
        if fmt not in FORMATS:
            raise ConfigError(f"unknown output format {fmt!r}; valid: {', '.join(FORMATS)}")
        if fmt == "parquet":
            try:
                import pyarrow.parquet  # noqa: F401
            except ImportError as exc:
                raise MissingExtraError(
                    f'--format parquet needs pyarrow: pip install "accord[ray]" ({exc})'
                ) from exc
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"cannot make the output directory {directory}: {exc.strerror or exc}"
            ) from exc
        self.directory = directory
        self.format = fmt
        self._tables: dict[str, _Table] = {}
        factory = _ParquetTable if fmt == "parquet" else _JsonlTable
        try:
            for name in TABLES:
                self._tables[name] = factory(directory, name)
        except BaseException:
            self.abort()
            raise
        self._done = False

    def __enter__(self) -> BatchOutputs:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._done:
            self.abort()

    def write(self, table: str, rows: Sequence[Row]) -> None:
        """Append rows to a table."""
        self._tables[table].write(rows)

    def write_subject(self, rows: dict[str, list[Row]]) -> None:
        """Append one subject's rows (from :func:`subject_rows`)."""
        for table, table_rows in rows.items():
            self.write(table, table_rows)

    def commit(self) -> list[Path]:
        """Finish every file and rename it into place; return their paths."""
        paths = []
        for table in self._tables.values():
            table.commit()
            paths.append(table.path)
        self._done = True
        return paths

    def abort(self) -> None:
        """Remove every temporary file; the directory keeps its previous files."""
        for table in self._tables.values():
            table.abort()
        self._done = True


def write_summary(directory: Path, summary: dict[str, Any]) -> Path:
    """Write ``summary.json`` (counts, engine, timings) atomically; return its path."""
    path = directory / "summary.json"
    fd, temp = _temp_in(directory, path.name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        _publish(temp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise
    return path
