"""The web app's JSON API through a real HTTP client against the app served by uvicorn."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from accord.report import load_schema
from accord.web.runs import stored_name
from accord.web.uploads import MAX_DOCUMENT_BYTES, MAX_DOCUMENTS, MAX_REQUEST_BYTES, display_name

pytestmark = pytest.mark.integration

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
TEXT = b"The bridge was opened on 19 March 1932 in Sydney.\n"
POLL_S = 0.1
RUN_TIMEOUT_S = 60  # the seed check takes a few seconds; the English model loads once


def _seed_files(seeds_dir: Path) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [
        ("files", (path.name, path.read_bytes(), "text/plain"))
        for path in sorted(seeds_dir.glob("*_anglo_soviet_agreement.txt"))
    ]


def _wait(http: Any, run_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while True:
        data: dict[str, Any] = http.get(f"/runs/{run_id}").json()
        if data["status"] in ("done", "failed") or time.monotonic() > deadline:
            return data
        time.sleep(POLL_S)


@pytest.mark.parametrize("traversal", ["../../../../tmp/", "..\\..\\..\\"])
def test_web_check_returns_json_report(
    http: Any, seeds_dir: Path, seed_output: dict[str, Any], traversal: str
) -> None:
    files = _seed_files(seeds_dir)
    name = f"accord-traversal-{uuid.uuid4().hex}.txt"
    _, data, media = files[0][1]
    files[0] = ("files", (traversal + name, data, media))
    response = http.post("/check", files=files)
    assert response.status_code == 200, response.text
    report = response.json()
    Draft202012Validator(load_schema()).validate(report)
    assert {d["source"] for d in report["documents"]} == {name, files[1][1][0]}
    assert report["summary"]["counts"] == seed_output["summary"]["counts"]
    for folder in (Path("/tmp"), Path.cwd(), Path.cwd().parent):
        assert not (folder / name).exists()


@pytest.mark.parametrize(
    "fields", [{"texts": ["It was signed in 1941.", "It was signed in 1939."]}]
)
def test_web_runs_report_progress_then_report(http: Any, fields: dict[str, Any]) -> None:
    response = http.post("/runs", data=fields)
    assert response.status_code == 202, response.text
    run = response.json()
    assert response.headers["location"] == f"/runs/{run['id']}"
    assert run["documents"] == ["text 1", "text 2"]
    assert 0 <= run["progress"]["fraction"] <= 1
    done = _wait(http, run["id"])
    assert done["status"] == "done", done
    assert done["progress"]["fraction"] == 1
    assert done["report"]["summary"]["counts"]["documents"] == 2
    page = http.get(done["links"]["report_html"])
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "It was signed in 1941." in re.sub(r"<[^>]*>", "", page.text)
    listed = {r["id"]: r for r in http.get("/runs").json()}
    assert run["id"] in listed
    assert run["finished_at"] is None and done["finished_at"] == listed[run["id"]]["finished_at"]
    created = datetime.datetime.fromisoformat(done["created_at"])
    finished = datetime.datetime.fromisoformat(done["finished_at"])
    assert done["created_at"].endswith("Z") and created <= finished


_BIG = b"a" * (MAX_DOCUMENT_BYTES + 1)


@pytest.mark.parametrize(
    ("kwargs", "status", "words"),
    [
        ({"files": [("files", ("empty.txt", b"", "text/plain"))]}, 422, "empty.txt is empty"),
        ({"files": [("files", ("blank.txt", b"  \n\t ", "text/plain"))]}, 422, "empty"),
        ({"data": {"texts": ["   "]}}, 422, "text 1 is empty"),
        ({"files": [("files", ("x.txt", PNG, "text/plain"))]}, 415, "binary"),
        ({"files": [("files", ("x.png", TEXT, "image/png"))]}, 415, "image/png"),
        ({"files": [("files", ("x.pdf", TEXT, "application/pdf"))]}, 415, "application/pdf"),
        ({"files": [("files", ("big.txt", _BIG, "text/plain"))]}, 413, "over the limit"),
        ({"json": {"texts": ["It was signed in 1941."]}}, 415, "multipart/form-data"),
        ({"content": b"texts=x", "headers": {"content-type": "text/plain"}}, 415, "multipart"),
        ({"data": {"other": "x"}}, 422, "no documents"),
        ({}, 415, "multipart/form-data"),
        (
            {
                "files": [
                    ("files", (f"{i}.txt", TEXT, "text/plain")) for i in range(MAX_DOCUMENTS + 1)
                ]
            },
            422,
            f"{MAX_DOCUMENTS + 1} documents given, over the limit of {MAX_DOCUMENTS}",
        ),
        (
            {"content": b"--x\r\ngarbage", "headers": {"content-type": "multipart/form-data"}},
            400,
            "",
        ),
    ],
    ids=[
        "empty",
        "whitespace",
        "empty-text",
        "binary",
        "image-type",
        "pdf-type",
        "oversized-document",
        "json-body",
        "plain-body",
        "nothing",
        "no-body",
        "too-many",
        "bad-multipart",
    ],
)
@pytest.mark.parametrize("path", ["/check", "/runs"])
def test_web_bad_upload_is_refused_with_clear_4xx(
    http: Any, kwargs: dict[str, Any], status: int, words: str, path: str
) -> None:
    response = http.post(path, **kwargs)
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    assert words in detail


@pytest.mark.parametrize("size", [MAX_REQUEST_BYTES + 1])
def test_web_oversized_request_is_refused_before_reading(http: Any, size: int) -> None:
    body = b"x" * size
    response = http.post(
        "/check", content=body, headers={"content-type": "multipart/form-data; boundary=x"}
    )
    assert response.status_code == 413
    assert "over the limit" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/", "/openapi.json", "/runs", "/runs/0123456789abcdef"])
def test_web_every_response_has_strict_csp(http: Any, path: str) -> None:
    response = http.get(path)
    assert response.status_code in (200, 404)
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'sha256-" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/runs/0123456789abcdef", 404),
        ("/runs/../../etc/passwd", 404),
        ("/runs/x/report.html", 404),
    ],
)
def test_web_unknown_run_is_404(http: Any, path: str, status: int) -> None:
    response = http.get(path)
    assert response.status_code == status
    assert isinstance(response.json()["detail"], str)


@pytest.mark.parametrize(
    "path", ["/check", "/runs", "/runs/{run_id}", "/runs/{run_id}/report.html"]
)
def test_web_openapi_lists_api(http: Any, path: str) -> None:
    schema = http.get("/openapi.json").json()
    assert path in schema["paths"]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("/abs/path/a.txt", "a.txt"),
        (".hidden", "hidden"),
        ("..", "fallback"),
        ("", "fallback"),
        (None, "fallback"),
        ("a\x00b\u202ec.txt", "abc.txt"),
    ],
)
def test_display_name_keeps_last_part_only(given: str | None, expected: str) -> None:
    assert display_name(given, "fallback") == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("wikipedia_anglo.txt", "wikipedia_anglo.txt"),
        ("../../etc/passwd", "etc_passwd"),
        ("a b/c.HTML", "a_b_c.html"),
        ("...", "document"),
        ("x.tar.gz", "x_tar.gz"),
        ("évian.md", "vian.md"),
        ("..txt", "document.txt"),
    ],
)
def test_stored_name_is_safe(name: str, expected: str) -> None:
    stored = stored_name(name)
    assert stored == expected
    assert "/" not in stored and "\\" not in stored and not stored.startswith(".")


@pytest.mark.parametrize("args", [["serve", "--help"], ["stages"]])
def test_cli_serve_and_html_reporter_are_listed(args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "accord", *args], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert ("--port" if args[0] == "serve" else "accord.html.v1") in result.stdout


@pytest.mark.parametrize(
    ("fields", "subject"),
    [
        (
            {
                "texts": ["It was signed in 1941.", "It was signed in 1939."],
                "subject": "Pact of Vell",
            },
            "Pact of Vell",
        )
    ],
)
def test_web_check_takes_the_subject(http: Any, fields: dict[str, Any], subject: str) -> None:
    response = http.post("/check", data=fields)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["subject"] == report["record"]["subject"] == subject


@pytest.mark.parametrize("question", ["When was the Pact of Vell signed?"])
def test_web_check_weighs_the_question_and_marks_the_conflicts_on_it(
    http: Any, question: str
) -> None:
    texts = [
        "The Pact of Vell was signed on 12 July 1941 in Moscow.",
        "The Pact of Vell was signed on 25 July 1939 in London.",
    ]
    asked = http.post("/check", data={"texts": texts, "question": f"  {question}\n"})
    plain = http.post("/check", data={"texts": texts})
    assert asked.status_code == plain.status_code == 200, asked.text
    with_question, without = asked.json(), plain.json()
    assert with_question["run"]["question"] == question and without["run"]["question"] is None
    marks = [c["on_question"] for c in with_question["summary"]["contradictions"]]
    assert marks and all(marks)
    assert [c["on_question"] for c in without["summary"]["contradictions"]] == [None] * len(marks)


@pytest.mark.parametrize("question", ["x" * 1001, "When was it\x00 signed?"])
def test_web_refuses_a_question_that_is_not_one(http: Any, question: str) -> None:
    response = http.post("/runs", data={"texts": ["It was signed in 1941."], "question": question})
    assert response.status_code == 422
    assert "question is not a question" in response.json()["detail"]
