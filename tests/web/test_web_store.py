"""The web app over a store (``accord serve --store``), through a real HTTP client."""

from __future__ import annotations

import datetime
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from jsonschema import Draft202012Validator

from accord.report import load_schema
from accord.store import SQLiteStore, WebRunRow

pytestmark = pytest.mark.integration

SIGNED_1852 = b"Treaty of Valdoria\n\nThe treaty was signed on 1852-05-03 in Castelmar.\n"
SIGNED_1849 = b"Treaty of Valdoria\n\nThe treaty was signed on 1849-06-09 in Castelmar.\n"
OTHER_SUBJECT = b"Siege of Castelmar\n\nThe siege ended on 1850-01-02.\n"
POLL_S = 0.05
RUN_TIMEOUT_S = 30  # a fake-extractor run takes well under a second


def _file(name: str, data: bytes) -> tuple[str, tuple[str, bytes, str]]:
    return ("files", (name, data, "text/plain"))


def _wait(http: httpx.Client, run_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while True:
        data: dict[str, Any] = http.get(f"/runs/{run_id}").json()
        if data["status"] in ("done", "failed") or time.monotonic() > deadline:
            return data
        time.sleep(POLL_S)


def _documents(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize("subject_id", ["treaty of valdoria", "Treaty of Valdoria"])
def test_web_store_two_uploads_make_one_subject_with_contradiction(
    store_web: tuple[str, Path], subject_id: str
) -> None:
    url, _ = store_web
    with httpx.Client(base_url=url, timeout=60) as http:
        files = [_file("a.txt", SIGNED_1852), _file("b.txt", SIGNED_1849)]
        response = http.post("/check", files=files)
        assert response.status_code == 200, response.text
        assert response.json()["summary"]["counts"]["contradictions"] == 1
        subjects = http.get("/subjects").json()
        assert [(s["key"], s["name"], s["documents"]) for s in subjects] == [
            ("valdoria treaty", "Treaty of Valdoria", 2)
        ]
        record = http.get(f"/subjects/{quote(subject_id, safe='')}")
    assert record.status_code == 200, record.text
    data = record.json()
    assert data["documents"] == 2
    report = data["report"]
    Draft202012Validator(load_schema()).validate(report)
    assert sorted(d["source"] for d in report["documents"]) == ["a.txt", "b.txt"]
    assert report["summary"]["counts"]["contradictions"] == 1
    statuses = {field["name"]: field["status"] for field in report["record"]["fields"]}
    assert "contradicted" in statuses.values()
    values = {v["value"] for f in report["record"]["fields"] for v in f["values"]}
    assert {"1852-05-03", "1849-06-09"} <= values


@pytest.mark.parametrize("second_name", ["a.txt", "renamed copy.txt"])
def test_web_store_reupload_adds_no_document(store_web: tuple[str, Path], second_name: str) -> None:
    url, db = store_web
    with httpx.Client(base_url=url, timeout=60) as http:
        first = _wait(http, http.post("/runs", files=[_file("a.txt", SIGNED_1852)]).json()["id"])
        assert first["status"] == "done", first
        assert _documents(db) == 1
        again = http.post("/runs", files=[_file(second_name, SIGNED_1852)])
        assert again.status_code == 202, again.text
        second = _wait(http, again.json()["id"])
        logged = http.get("/runs").json()
        subjects = http.get("/subjects").json()
    assert second["status"] == "done", second
    assert _documents(db) == 1
    assert [s["documents"] for s in subjects] == [1]
    assert [s["key"] for s in second["subjects"]] == ["valdoria treaty"]
    adds = [run for run in logged if run["command"] == "add"]
    assert [run["stats"]["added"] for run in adds] == [0, 1]  # newest first
    assert adds[0]["stats"]["already_stored"] == 1
    assert adds[0]["id"] in second["store_runs"]


@pytest.mark.parametrize(
    "subject_id",
    ["treaty of nowhere", "..%2F..%2Fetc%2Fpasswd", "a/../b", "x" * 400, "%00", ""],
)
@pytest.mark.parametrize("prefix", ["/subjects/", "/ui/subjects/"])
def test_web_store_unknown_subject_is_404(
    store_web: tuple[str, Path], subject_id: str, prefix: str
) -> None:
    url, _ = store_web
    with httpx.Client(base_url=url, timeout=60) as http:
        assert http.post("/check", files=[_file("a.txt", SIGNED_1852)]).status_code == 200
        response = http.get(prefix + subject_id)
    assert response.status_code == 404, response.text
    assert "subject" in response.json()["detail"]


@pytest.mark.parametrize("missing", ["999999", "abc", "-1"])
def test_web_store_runs_are_logged_in_the_store(store_web: tuple[str, Path], missing: str) -> None:
    url, _ = store_web
    with httpx.Client(base_url=url, timeout=60) as http:
        files = [_file("a.txt", SIGNED_1852), _file("s.txt", OTHER_SUBJECT)]
        job = _wait(http, http.post("/runs", files=files, data={"split": "true"}).json()["id"])
        logged = http.get("/runs").json()
        one = http.get(f"/runs/{logged[-1]['id']}")
        unknown = http.get(f"/runs/{missing}")
    assert job["status"] == "done", job
    assert {s["name"] for s in job["subjects"]} == {"Treaty of Valdoria", "Siege of Castelmar"}
    assert sorted(run["command"] for run in logged) == ["add", "check", "check"]
    assert sorted(run["id"] for run in logged) == sorted(job["store_runs"])
    assert all(run["status"] == "done" for run in logged)
    for run in logged:  # ISO 8601 in UTC, in order
        started = datetime.datetime.fromisoformat(run["started_at"])
        finished = datetime.datetime.fromisoformat(run["finished_at"])
        assert run["started_at"].endswith("Z") and started.utcoffset() == datetime.timedelta(0)
        assert started <= finished
    assert one.status_code == 200 and one.json()["command"] == "add"
    assert unknown.status_code == 404
    assert "no run" in unknown.json()["detail"]


@pytest.mark.parametrize(
    "path", ["/subjects", "/subjects/{subject_id}", "/runs", "/runs/{run_id}", "/check"]
)
def test_web_store_openapi_lists_store_routes(store_web: tuple[str, Path], path: str) -> None:
    url, _ = store_web
    schema = httpx.get(url + "/openapi.json", timeout=60).json()
    assert path in schema["paths"]


@pytest.mark.parametrize("page", ["/", "/ui/subjects"])
def test_web_store_pages_carry_csp_and_escape_names(store_web: tuple[str, Path], page: str) -> None:
    url, _ = store_web
    hostile = b'<img src=x onerror="alert(1)"> Treaty\n\nIt was signed on 1852-05-03.\n'
    with httpx.Client(base_url=url, timeout=60) as http:
        assert http.post("/check", files=[_file("<b>h</b>.txt", hostile)]).status_code == 200
        response = http.get(page)
    assert response.status_code == 200
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "<img src=x" not in response.text
    assert "<b>h</b>" not in response.text


@pytest.mark.parametrize("flag", ["--store"])
def test_web_store_serve_command_offers_store(flag: str) -> None:
    from click.testing import CliRunner

    from accord.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert flag in result.output


@pytest.mark.parametrize("threshold", [0.99])
def test_web_store_reports_possible_conflicts_apart(tmp_path: Path, threshold: float) -> None:
    import accord.testing.fakes  # noqa: F401 - registers accord.fake.v1
    from accord.pipeline import Settings
    from accord.testing.server import serve_in_thread
    from accord.web import create_app

    settings = Settings(extractor="accord.fake.v1", min_confidence=threshold)
    app = create_app(store=str(tmp_path / "corpus.db"), settings=settings)
    with serve_in_thread(app) as url, httpx.Client(base_url=url, timeout=60) as http:
        files = [_file("a.txt", SIGNED_1852), _file("b.txt", SIGNED_1849)]
        response = http.post("/check", files=files)
        assert response.status_code == 200, response.text
        report = response.json()
        subject = http.get(f"/subjects/{quote('treaty of valdoria', safe='')}").json()["report"]
        page = http.get(f"/ui/subjects/{quote('treaty of valdoria', safe='')}")
    for data in (report, subject):
        Draft202012Validator(load_schema()).validate(data)
        counts = data["summary"]["counts"]
        assert (counts["contradictions"], counts["possible_conflicts"]) == (0, 1)
        (flagged,) = [v for v in data["verdicts"] if v.get("possible_conflict")]
        assert flagged["label"] == "not_mentioned"
        assert flagged["confidence"] < threshold
        assert data["run"]["min_confidence"] == threshold
    assert page.status_code == 200, page.text
    assert "Possible conflicts (1)" in page.text
    assert "No contradictions found between the documents." not in page.text


# Five passages about one building, as five people might paste them: titled or not, each
# naming it its own way; one gives another completion date.
COURTHOUSE = {
    "n.txt": b"N\n\nThe Alder County Courthouse was completed on 1891-06-01 in Millbrook.\n",
    "source_2.txt": b"The Alder County Courthouse opened on 1891-06-01. Its tower is 46 m tall.\n",
    "source_3.txt": b"Alder County Courthouse\n\nIt was completed on 1891-06-01 by Henry Voss.\n",
    "source_4.txt": b"Visitors to the Alder County Courthouse learn it was done on 1893-06-01.\n",
    "source_5.txt": b"The restoration of the Alder County Courthouse finished in 2012.\n",
}


@pytest.mark.parametrize(
    ("fields", "subject"),
    [
        ({}, "Alder County Courthouse"),
        ({"subject": "Millbrook courthouse"}, "Millbrook courthouse"),
    ],
)
@pytest.mark.parametrize("path", ["/check", "/runs"])
def test_web_store_one_upload_is_one_subject(
    store_web: tuple[str, Path], fields: dict[str, str], subject: str, path: str
) -> None:
    url, _ = store_web
    with httpx.Client(base_url=url, timeout=60) as http:
        files = [_file(name, data) for name, data in COURTHOUSE.items()]
        response = http.post(path, files=files, data=fields)
        assert response.status_code in (200, 202), response.text
        report = response.json()
        if path == "/runs":
            job = _wait(http, report["id"])
            assert job["status"] == "done", job
            assert [(s["name"], s["documents"]) for s in job["subjects"]] == [(subject, 5)]
            report = job["report"]
        subjects = http.get("/subjects").json()
    assert [(s["name"], s["documents"]) for s in subjects] == [(subject, 5)]
    assert report["subject"] == report["record"]["subject"] == subject
    assert len(report["documents"]) == 5
    assert report["summary"]["counts"]["contradictions"] >= 1
    for clash in report["summary"]["contradictions"]:
        assert "1891-06-01" in clash["reason"] and "1893-06-01" in clash["reason"]


@pytest.mark.parametrize("split", ["true", "on"])
def test_web_store_split_upload_files_each_document_apart(
    store_web: tuple[str, Path], split: str
) -> None:
    url, _ = store_web
    with httpx.Client(base_url=url, timeout=60) as http:
        files = [_file("a.txt", SIGNED_1852), _file("s.txt", OTHER_SUBJECT)]
        together = http.post("/check", files=files)
        assert together.status_code == 200, together.text
        assert [s["name"] for s in http.get("/subjects").json()] == ["Treaty of Valdoria"]
        files = [_file("b.txt", SIGNED_1849), _file("t.txt", OTHER_SUBJECT + b"Again.\n")]
        apart = http.post("/check", files=files, data={"split": split})
        assert apart.status_code == 200, apart.text
        subjects = http.get("/subjects").json()
    assert sorted((s["name"], s["documents"]) for s in subjects) == [
        ("Siege of Castelmar", 1),
        ("Treaty of Valdoria", 3),
    ]


@pytest.mark.parametrize("status", ["queued", "running"])
def test_web_store_run_of_a_stopped_process_reads_as_failed(
    store_web: tuple[str, Path], status: str
) -> None:
    url, path = store_web
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    row = WebRunRow(
        id="00112233aabbccdd",
        status=status,
        created_at=time.time(),
        updated_at=time.time(),
        state={"names": ["a.txt"], "process": {"host": socket.gethostname(), "pid": gone.pid}},
    )
    with SQLiteStore(path) as store:
        store.save_web_run(row)
    with httpx.Client(base_url=url, timeout=60) as http:
        data = http.get(f"/runs/{row.id}").json()
        missing = http.get("/runs/0123456789abcdef")
    assert (data["status"], data["documents"]) == ("failed", ["a.txt"])
    assert "stopped before it finished" in data["error"]
    assert missing.status_code == 404 and "kept in the store" in missing.json()["detail"]


@pytest.mark.parametrize("route", ["/check", "/runs"])
def test_web_store_refuses_a_question_and_adds_nothing(
    store_web: tuple[str, Path], route: str
) -> None:
    url, db = store_web
    before = _documents(db)
    with httpx.Client(base_url=url, timeout=60) as http:
        files = [_file("a.txt", SIGNED_1852)]
        response = http.post(route, files=files, data={"question": "When was it signed?"})
    assert response.status_code == 422, response.text
    assert "leave the question out" in response.json()["detail"]
    assert _documents(db) == before
