"""The web app's routes over a store: subjects with their reports, and the store's run log.

Mirrors the CLI: ``GET /subjects`` is ``accord show --store DB``, ``GET /subjects/{id}`` is
``accord check --store DB --subject ID --format json`` without new work (``stored_report``).
Handlers only read, each through a store connection of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response

from accord.report.html import to_html
from accord.report.json import to_dict
from accord.store import RunRow, Store, SubjectRow
from accord.web.corpus_runs import StoreRuns
from accord.web.runs import iso_utc
from accord.web.uploads import RequestError

__all__ = [
    "MAX_SUBJECT_ID_CHARS",
    "find_stored_run",
    "find_subject",
    "install_store_routes",
    "stored_run_json",
    "subject_json",
    "subject_url",
]

MAX_SUBJECT_ID_CHARS = 300  # subject names are titles; longer is no subject's id
_UNSAFE_ID = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_STORED_RUN_ID = re.compile(r"^[0-9]{1,18}$")
_SUBJECT_404: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such subject in the store."}
}


def subject_url(key: str, *, page: bool = False) -> str:
    """The URL of a subject's JSON record, or of its report page."""
    return f"{'/ui' if page else ''}/subjects/{quote(key, safe='')}"


def subject_json(row: SubjectRow) -> dict[str, Any]:
    """A subject as the API lists it: key, name, document count and links."""
    return {
        "key": row.key,
        "name": row.name,
        "documents": row.documents,
        "links": {"self": subject_url(row.key), "page": subject_url(row.key, page=True)},
    }


def stored_run_json(row: RunRow) -> dict[str, Any]:
    """A run from the store's log (``accord add``, ``accord check --store`` or the app's)."""
    links = {"self": f"/runs/{row.id}"}
    if row.subject is not None:
        links["subject"] = subject_url(row.subject)
        links["subject_page"] = subject_url(row.subject, page=True)
    return {
        "id": row.id,
        "command": row.command,
        "subject": row.subject,
        "status": "done" if row.finished_at is not None else "unfinished",
        "started_at": iso_utc(row.started_at),
        "finished_at": iso_utc(row.finished_at),
        "stats": row.stats,
        "links": links,
    }


def find_subject(store: Store, subject_id: str) -> SubjectRow:
    """The subject whose key or name is ``subject_id``.

    Raises:
        RequestError: 404 for an id that is malformed or names no stored subject.
    """
    if len(subject_id) > MAX_SUBJECT_ID_CHARS or _UNSAFE_ID.search(subject_id):
        raise RequestError(
            f"not a subject id (at most {MAX_SUBJECT_ID_CHARS} characters, no control "
            "characters); GET /subjects lists the subjects",
            404,
        )
    row = store.find_subject(subject_id) if subject_id.strip() else None
    if row is None:
        raise RequestError(
            f"no subject {subject_id!r} in the store; GET /subjects lists the subjects", 404
        )
    return row


def find_stored_run(store: Store, run_id: str) -> RunRow | None:
    """The logged run with this integer id, or ``None`` (also for an id that is no integer)."""
    if not _STORED_RUN_ID.match(run_id):
        return None
    wanted = int(run_id)
    return next((row for row in store.runs() if row.id == wanted), None)


def install_store_routes(app: FastAPI, runs: StoreRuns, page: Callable[..., HTMLResponse]) -> None:
    """Add the subject routes to ``app``.

    Args:
        app: the app.
        runs: the store-backed runs; their store is read per request.
        page: renders one of the app's templates (``page(name, status, **context)``).
    """
    from accord.corpus import stored_report

    @app.get("/subjects", summary="Subjects in the store with their document counts")
    def list_subjects() -> list[dict[str, Any]]:
        """Every subject, by key (as ``accord show --store DB`` lists them)."""
        with runs.reading() as store:
            return [subject_json(row) for row in store.subjects()]

    @app.get(
        "/subjects/{subject_id:path}",
        summary="A subject's record and report from the store",
        responses=_SUBJECT_404,
    )
    def get_subject(subject_id: str) -> dict[str, Any]:
        """The subject (by key or name) with its JSON report document built from what the
        store holds, as ``accord check --store DB --subject ID --format json`` prints it
        once the subject is checked; nothing is verified anew."""
        with runs.reading() as store:
            row = find_subject(store, subject_id)
            report = stored_report(store, runs.settings, row)
        return {**subject_json(row), "report": to_dict(report)}

    @app.get("/ui/subjects", response_class=HTMLResponse, include_in_schema=False)
    def ui_subjects() -> HTMLResponse:
        with runs.reading() as store:
            subjects = [subject_json(row) for row in store.subjects()]
            logged = [stored_run_json(row) for row in reversed(store.runs())]
        return page("subjects.html.j2", subjects=subjects, stored_runs=logged)

    @app.get("/ui/subjects/{subject_id:path}", include_in_schema=False)
    def ui_subject(subject_id: str) -> Response:
        with runs.reading() as store:
            row = find_subject(store, subject_id)
            report = stored_report(store, runs.settings, row)
        return HTMLResponse(to_html(report))
