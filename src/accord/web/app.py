"""The web app: upload or paste documents, watch the check run, read the side-by-side report.

Pages are server-side Jinja2 templates with no script of their own; the JSON API mirrors
``accord check --format json``. Every response carries a strict Content-Security-Policy.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from typing import TYPE_CHECKING, Any

import jinja2
from fastapi import FastAPI, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from accord.report.html import asset_hashes, csp_hash, to_html
from accord.report.json import to_dict
from accord.report.views import clean
from accord.version import __version__
from accord.web.form import SLOTS, form_context, form_uploads
from accord.web.guard import SLOT_KEY, Guard, busy_response
from accord.web.limits import ServeLimits
from accord.web.runs import Run, RunBusyError, Runs, iso_utc
from accord.web.uploads import (
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENTS,
    RequestError,
    Upload,
    check_uploads,
    declare,
    display_name,
)

if TYPE_CHECKING:
    from accord.settings import Settings
    from accord.web.corpus_runs import StoreRuns

logger = logging.getLogger(__name__)

__all__ = ["content_security_policy", "create_app"]

REFRESH_S = 1  # how often a run's page reloads while the check runs
FORM_FIELDS = 8 * SLOTS + 9  # the upload page's fields: six per slot, subject, question, split
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
_RUN_ID = re.compile(r"^[0-9a-f]{16}$")
_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"description": "A document or the request is over its size limit."},
    415: {"description": "Not a form upload, a binary document or a type that is not text."},
    408: {"description": "The request body did not arrive within the body timeout."},
    422: {"description": "No documents, too many, an empty one, a bad meta, or none checked."},
    503: {
        "description": "The server is full (no check free within a short wait, or the queue "
        "of background runs full), or a POST /check outlasted its limit and goes on as a "
        "background run; retry after Retry-After seconds, or use POST /runs."
    },
}


@cache
def _templates() -> jinja2.Environment:
    loader = jinja2.PackageLoader("accord.web", "templates")
    env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["clean"] = clean
    return env


@cache
def _app_css() -> str:
    from importlib import resources

    return (resources.files("accord.web") / "templates" / "app.css").read_text(encoding="utf-8")


def content_security_policy() -> str:
    """The policy every response carries: only the app's and the report's own inline assets."""
    report = asset_hashes()
    return (
        "default-src 'none'; "
        f"style-src {report['style']} {csp_hash(_app_css())}; "
        f"script-src {report['script']}; "
        "img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )


def _media(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def _form_text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _uploads(
    request: Request, files: list[UploadFile], texts: list[str], meta: str
) -> list[Upload]:
    """Collect a request's documents, with what ``meta`` declares of them, and check them.

    Raises:
        RequestError: not a form, a bad ``meta``, or a document that cannot be checked (see
            ``check_uploads``).
    """
    media = _media(request)
    if media not in _FORM_TYPES:
        raise RequestError(
            f"send documents as multipart/form-data (files in 'files', texts in 'texts'); "
            f"got content type {media or 'none'!r}",
            415,
        )
    uploads = []
    for index, upload in enumerate(files, start=1):
        data = upload.file.read(MAX_DOCUMENT_BYTES + 1)
        name = display_name(upload.filename, f"upload {index}")
        uploads.append(Upload(name=name, content_type=upload.content_type or "", data=data))
    for index, text in enumerate(texts, start=1):
        data = text.encode("utf-8", "replace")
        uploads.append(Upload(name=f"text {index}", content_type="text/plain", data=data))
    uploads = declare(uploads, meta)
    check_uploads(uploads)
    return uploads


_SUBJECT_HELP = (
    "The subject the documents are about: it names the report and, with a store, the "
    "upload is filed under it. Default: the name the documents share."
)
_SPLIT_HELP = (
    "With a store: file each document under the subject it names, not the upload under one."
)
_META_HELP = (
    "What you declare of each document, as JSON: a list with one object per document (files "
    'first, then texts), or an object keyed by document name, e.g. [{"kind": "news", '
    '"title": "…", "url": "https://…", "published": "2020-05-04"}]. kind is encyclopedia, '
    "wiki, news or unknown; a document with none declared takes what its page says, else "
    "the neutral prior."
)
_QUESTION_HELP = (
    "The question the documents were gathered for (a RAG pipeline's query): each source's "
    "trust is weighed by the claims that bear on it, and the conflicts on it come first, "
    "marked on_question in the report. Not with a store."
)
MAX_SUBJECT_CHARS = 200  # a subject's name is a title, not a text
MAX_QUESTION_CHARS = 1000  # a question is a sentence or two, not a document
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _one_line(given: str, limit: int, refusal: str) -> str | None:
    """A form field's one line of text, its white space collapsed, or ``None`` when blank.

    Raises:
        RequestError: 422 (``refusal``) for a line over ``limit`` characters or with control
            characters.
    """
    line = " ".join(given.split())
    if not line:
        return None
    if len(line) > limit or _CONTROL.search(line):
        raise RequestError(f"{refusal}: at most {limit} characters, no control characters", 422)
    return line


def _subject(given: str) -> str | None:
    """The subject a request names, or ``None`` for none.

    Raises:
        RequestError: 422 for a name over ``MAX_SUBJECT_CHARS`` or with control characters.
    """
    return _one_line(given, MAX_SUBJECT_CHARS, "subject is not a name")


def _question(given: str, *, stored: bool) -> str | None:
    """The question a request asks, or ``None`` for none.

    Raises:
        RequestError: 422 for a question over ``MAX_QUESTION_CHARS`` or with control
            characters, or for one asked of a store (its checks cover whole subjects).
    """
    question = _one_line(given, MAX_QUESTION_CHARS, "question is not a question")
    if question is not None and stored:
        raise RequestError(
            "a question weighs a check of the uploaded documents alone; this server checks "
            "them against its store's subjects, so leave the question out",
            422,
        )
    return question


def _run_json(run: Run, *, with_report: bool, stored: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": run.id,
        "status": run.status,
        "documents": list(run.names),
        "progress": run.progress(),
        "error": run.error,
        "created_at": iso_utc(run.created_s),
        "finished_at": iso_utc(run.finished_s),
        "links": {
            "self": f"/runs/{run.id}",
            "page": f"/ui/runs/{run.id}",
            "report_html": f"/runs/{run.id}/report.html",
        },
    }
    if stored:
        from accord.web.subjects import subject_url

        data["subjects"] = [
            {
                "key": key,
                "name": name,
                "documents": documents,
                "links": {"self": subject_url(key), "page": subject_url(key, page=True)},
            }
            for key, name, documents in run.subjects
        ]
        data["store_runs"] = list(run.store_runs)
    if with_report:
        data["report"] = to_dict(run.report) if run.report is not None else None
    return data


def _page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    css = Markup(_app_css())  # our own file: its exact text is what the CSP hash allows
    limits = {"max_documents": MAX_DOCUMENTS, "max_document_kb": MAX_DOCUMENT_BYTES // 1024}
    html = _templates().get_template(name).render(css=css, **limits, **context)
    return HTMLResponse(html, status_code=status)


def _stored(runs: Runs) -> StoreRuns | None:
    from accord.web.corpus_runs import StoreRuns

    return runs if isinstance(runs, StoreRuns) else None


def create_app(
    runs: Runs | None = None,
    *,
    store: str | None = None,
    settings: Settings | None = None,
    limits: ServeLimits | None = None,
) -> FastAPI:
    """Build the app.

    Args:
        runs: where runs are kept and executed; by default a fresh in-memory ``Runs``, or
            with ``store`` a ``StoreRuns`` over it, sized by ``limits``.
        store: a store (SQLite file path) that uploads are added to and checked in; it
            also turns on the subject routes, and ``GET /runs`` lists the store's run log.
        settings: what every run uses, built as the command line builds them (default:
            ``pipeline.Settings()``); a request's subject is set on them.
        limits: checks at once, queue, waits and timeouts (default: ``ServeLimits()``).

    Raises:
        StoreError: ``store`` cannot be opened or migrated.
    """
    limits = limits or ServeLimits()
    if runs is None and store is not None:
        from accord.web.corpus_runs import StoreRuns

        runs = StoreRuns(store, settings, checks=limits.checks, max_queued=limits.max_queued)
    registry = runs or Runs(checks=limits.checks, max_queued=limits.max_queued, settings=settings)
    stored = _stored(registry)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        registry.close()

    app = FastAPI(
        lifespan=lifespan,
        title="accord",
        version=__version__,
        description="Check documents about one subject against each other, claim by claim.",
        docs_url=None,  # the interactive docs load scripts from a CDN; the schema is enough
        redoc_url=None,
    )
    app.state.runs = registry
    app.add_middleware(Guard, runs=registry, limits=limits, csp=content_security_policy())

    @app.exception_handler(RequestError)
    async def _upload_error(request: Request, exc: RequestError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=exc.status)

    @app.exception_handler(RunBusyError)
    async def _busy(request: Request, exc: RunBusyError) -> JSONResponse:
        html = request.url.path.startswith("/ui/")
        return busy_response(str(exc), limits.retry_after_s, html=html)  # type: ignore[return-value]

    def _find(run_id: str) -> Run:
        run = registry.get(run_id) if _RUN_ID.match(run_id) else None
        if run is None:
            kept = "in the store" if stored is not None else "in memory, the last 50"
            raise RequestError(f"no run {run_id!r} (runs are kept {kept})", 404)
        return run

    def _json(run: Run, *, with_report: bool) -> dict[str, Any]:
        return _run_json(run, with_report=with_report, stored=stored is not None)

    @app.get("/healthz", summary="Whether this server process answers, and its load")
    def healthz() -> dict[str, Any]:
        """``ok`` with the answering process's id and its checks running (or reserved),
        background runs waiting and checks at once: with ``--workers`` each process has
        its own."""
        running, queued = registry.load()
        return {
            "status": "ok",
            "pid": os.getpid(),
            "running": running,
            "queued": queued,
            "checks": registry.checks,
        }

    @app.post("/check", summary="Check documents and wait for the report", responses=_ERRORS)
    def check(
        request: Request,
        files: list[UploadFile] = File(default=[]),  # noqa: B008 - FastAPI's way
        texts: list[str] = Form(default=[]),  # noqa: B008
        subject: str = Form(default="", description=_SUBJECT_HELP),
        split: bool = Form(default=False, description=_SPLIT_HELP),
        meta: str = Form(default="", description=_META_HELP),
        question: str = Form(default="", description=_QUESTION_HELP),
    ) -> JSONResponse:
        """Check the uploaded files and texts, about one subject; answer the JSON report
        document (as ``accord check --format json`` prints it).

        At most ``--checks`` run at once: a request that finds none free within a short wait
        answers 503 with ``Retry-After``; one whose check outlasts ``--check-timeout``
        answers 503 too, and the check goes on as a background run (``run`` in the answer).
        Long checks belong in ``POST /runs``."""
        uploads = _uploads(request, files, texts, meta)
        run = registry.check(
            uploads,
            slot=request.scope.get(SLOT_KEY),
            subject=_subject(subject),
            split=split,
            question=_question(question, stored=stored is not None),
            timeout_s=limits.check_timeout_s,
        )
        if run.status == "failed":
            raise RequestError(run.error or "the check failed", 422)
        if run.report is None:
            detail = (
                f"the check takes longer than {limits.check_timeout_s:g} s, the most POST "
                f"/check waits; it goes on in the background: follow it at GET /runs/{run.id} "
                "(start long checks with POST /runs)"
            )
            body = {"detail": detail, "runs": "/runs", "run": _json(run, with_report=False)}
            retry = {"Retry-After": str(limits.retry_after_s)}
            return JSONResponse(body, status_code=503, headers=retry)
        return JSONResponse(to_dict(run.report))

    @app.post(
        "/runs", status_code=202, summary="Start a check in the background", responses=_ERRORS
    )
    def start_run(
        request: Request,
        files: list[UploadFile] = File(default=[]),  # noqa: B008
        texts: list[str] = Form(default=[]),  # noqa: B008
        subject: str = Form(default="", description=_SUBJECT_HELP),
        split: bool = Form(default=False, description=_SPLIT_HELP),
        meta: str = Form(default="", description=_META_HELP),
        question: str = Form(default="", description=_QUESTION_HELP),
    ) -> JSONResponse:
        """Queue a check; poll ``GET /runs/{id}`` for its progress and report. Past
        ``--max-queued`` waiting runs, answers 503 with ``Retry-After``."""
        uploads = _uploads(request, files, texts, meta)
        asked = _question(question, stored=stored is not None)
        run = registry.submit(uploads, subject=_subject(subject), split=split, question=asked)
        return JSONResponse(
            _json(run, with_report=False),
            status_code=202,
            headers={"Location": f"/runs/{run.id}"},
        )

    @app.get("/runs", summary="List runs, newest first")
    def list_runs() -> list[dict[str, Any]]:
        """The runs kept in memory; with a store, the store's run log instead (``add`` and
        ``check`` runs, the app's and the command line's)."""
        if stored is not None:
            from accord.web.subjects import stored_run_json

            with stored.reading() as db:
                return [stored_run_json(row) for row in reversed(db.runs())]
        return [_json(run, with_report=False) for run in registry.recent()]

    @app.get("/runs/{run_id}", summary="A run's progress, and its report once done")
    def get_run(run_id: str) -> dict[str, Any]:
        """A run the app started (its 16-hex-digit id); with a store, also a logged run
        (its integer id, as ``GET /runs`` lists them)."""
        if stored is not None and not _RUN_ID.match(run_id):
            from accord.web.subjects import find_stored_run, stored_run_json

            with stored.reading() as db:
                row = find_stored_run(db, run_id)
            if row is None:
                raise RequestError(f"no run {run_id!r}; GET /runs lists them", 404)
            return stored_run_json(row)
        return _json(_find(run_id), with_report=True)

    @app.get("/runs/{run_id}/report.html", response_class=HTMLResponse, summary="The HTML report")
    def run_report(run_id: str) -> HTMLResponse:
        run = _find(run_id)
        if run.report is None:
            raise RequestError(f"run {run_id} is {run.status}; no report yet", 409)
        return HTMLResponse(to_html(run.report))

    if stored is not None:
        from accord.web.subjects import install_store_routes

        install_store_routes(app, stored, _page)

    def _index(status: int = 200, error: str | None = None) -> HTMLResponse:
        return _page(
            "index.html.j2",
            status,
            runs=registry.recent(),
            error=error,
            store=stored is not None,
            **form_context(),
        )

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        return _index()

    @app.post("/ui/check", include_in_schema=False)
    async def ui_check(request: Request) -> Response:
        if _media(request) != "multipart/form-data":
            return _index(415, "send the upload page's form (multipart/form-data)")
        # one more file than a check takes, so that too many get the clear 422
        form = await request.form(max_files=SLOTS + MAX_DOCUMENTS + 1, max_fields=FORM_FIELDS)
        try:
            return await run_in_threadpool(_ui_submit, form)
        finally:
            await form.close()

    def _ui_submit(form: FormData) -> Response:
        try:
            uploads = form_uploads(form)
            subject = _subject(_form_text(form.get("subject")))
            asked = _question(_form_text(form.get("question")), stored=stored is not None)
            split = _form_text(form.get("split")) in ("true", "on", "1")
            run = registry.submit(uploads, subject=subject, split=split, question=asked)
        except (RequestError, RunBusyError) as exc:
            status = exc.status if isinstance(exc, RequestError) else 503
            page = _index(status, str(exc))
            if status == 503:
                page.headers["Retry-After"] = str(limits.retry_after_s)
            return page
        return RedirectResponse(f"/ui/runs/{run.id}", status_code=303)

    @app.get("/ui/runs/{run_id}", include_in_schema=False)
    def ui_run(run_id: str) -> Response:
        run = _find(run_id)
        if run.status == "done" and stored is None:
            return RedirectResponse(f"/runs/{run.id}/report.html", status_code=303)
        # with a store, a finished run's page says which subject the upload was filed under
        data = _json(run, with_report=False)
        return _page("run.html.j2", run=run, refresh_s=REFRESH_S, subjects=data.get("subjects"))

    return app
