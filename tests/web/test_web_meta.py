"""What a client declares of each uploaded document (kind, title, URL, published date), in
the JSON API's ``meta`` field and the upload page's slots, reaches the report."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.integration

OPENED_1932 = "The bridge was opened in 1932."
OPENED_1934 = "The bridge was opened in 1934."
NEWS = {
    "kind": "news",
    "title": "Harbour Bridge opens",
    "url": "https://news.example.org/bridge",
    "published": "1932-03-20",
}
POLL_S = 0.1
RUN_TIMEOUT_S = 60


def _by_source(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {doc["source"]: doc for doc in report["documents"]}


def _wait(http: httpx.Client, run_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while True:
        data: dict[str, Any] = http.get(f"/runs/{run_id}").json()
        if data["status"] in ("done", "failed") or time.monotonic() > deadline:
            return data
        time.sleep(POLL_S)


@pytest.mark.parametrize("meta", [[NEWS], [NEWS, None], {"text 1": NEWS}, [NEWS, {}]])
def test_web_meta_declares_each_document_in_the_report(
    http: httpx.Client, meta: list[Any] | dict[str, Any]
) -> None:
    fields = {"texts": [OPENED_1932, OPENED_1934], "meta": json.dumps(meta)}
    response = http.post("/runs", data=fields)
    assert response.status_code == 202, response.text
    run = _wait(http, response.json()["id"])
    assert run["status"] == "done", run
    documents = _by_source(run["report"])
    declared, plain = documents["text 1"], documents["text 2"]
    assert (declared["kind"], declared["kind_origin"]) == ("news", "declared")
    assert (declared["title"], declared["url"], declared["published"]) == (
        NEWS["title"],
        NEWS["url"],
        NEWS["published"],
    )
    assert (plain["kind"], plain["kind_origin"]) == ("unknown", "default")
    page = http.get(run["links"]["report_html"]).text
    assert "news (declared)" in page
    assert "unknown (not declared; neutral prior)" in page
    assert NEWS["url"] in page and NEWS["published"] in page


@pytest.mark.parametrize(("name", "kind"), [("b.txt", "encyclopedia")])
def test_web_meta_names_a_file_by_its_name(http: httpx.Client, name: str, kind: str) -> None:
    files = [
        ("files", ("a.txt", OPENED_1932.encode(), "text/plain")),
        ("files", (name, OPENED_1934.encode(), "text/plain")),
    ]
    response = http.post("/check", files=files, data={"meta": json.dumps({name: {"kind": kind}})})
    assert response.status_code == 200, response.text
    documents = _by_source(response.json())
    assert (documents[name]["kind"], documents[name]["kind_origin"]) == (kind, "declared")
    assert documents["a.txt"]["kind_origin"] == "default"


@pytest.mark.parametrize(
    ("meta", "words"),
    [
        ("{not json", "meta is not valid JSON"),
        ("3", "meta must be a JSON list"),
        ('["news"]', "meta must be a JSON list"),
        (json.dumps([{}, {}, {}]), "meta describes 3 documents, but 2 were given"),
        (json.dumps([{"author": "x"}]), "unknown key 'author'"),
        (json.dumps([{"kind": "blog"}]), "encyclopedia"),
        (json.dumps([{"published": "4 May 2020"}]), "is not an ISO 8601 date"),
        (json.dumps([{"title": 7}]), "title must be a string"),
        (json.dumps([{"title": "x" * 2001}]), "over 2000 characters"),
        (json.dumps({"c.txt": {"kind": "news"}}), "meta names 'c.txt', which is none"),
    ],
)
@pytest.mark.parametrize("path", ["/check", "/runs"])
def test_web_meta_bad_value_is_refused_with_422(
    http: httpx.Client, meta: str, words: str, path: str
) -> None:
    response = http.post(path, data={"texts": [OPENED_1932, OPENED_1934], "meta": meta})
    assert response.status_code == 422, response.text
    assert words in response.json()["detail"]


def _form(**fields: str) -> dict[str, tuple[None, str]]:
    """Form fields sent as multipart parts, as a browser sends the upload page."""
    return {name: (None, value) for name, value in fields.items()}


@pytest.mark.parametrize("kind", ["wiki"])
def test_web_form_slot_declares_its_document(http: httpx.Client, tmp_path: Path, kind: str) -> None:
    fields: dict[str, Any] = _form(
        **{"text-1": OPENED_1932, "kind-1": kind, "title-1": "Bridge wiki"}
    )
    fields["file-2"] = ("notes.txt", OPENED_1934.encode(), "text/plain")
    response = http.post("/ui/check", files=fields)
    assert response.status_code == 303, response.text
    run_id = response.headers["location"].rsplit("/", 1)[1]
    run = _wait(http, run_id)
    assert run["status"] == "done", run
    documents = _by_source(run["report"])
    assert (documents["text 1"]["kind"], documents["text 1"]["kind_origin"]) == (kind, "declared")
    assert documents["text 1"]["title"] == "Bridge wiki"
    assert documents["notes.txt"]["kind_origin"] == "default"


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"text-1": OPENED_1932, "kind-2": "news"}, "document 2: its kind is given, but no"),
        ({"text-1": OPENED_1932, "published-1": "May 1932"}, "not an ISO 8601 date"),
    ],
)
def test_web_form_bad_slot_shows_error(
    http: httpx.Client, fields: dict[str, str], words: str
) -> None:
    response = http.post("/ui/check", files=_form(**fields))
    assert response.status_code == 422
    assert words in response.text


@pytest.mark.parametrize("slot", [1])
def test_web_form_slot_takes_a_file_or_a_text_not_both(http: httpx.Client, slot: int) -> None:
    files: dict[str, Any] = _form(**{f"text-{slot}": OPENED_1932})
    files[f"file-{slot}"] = ("a.txt", OPENED_1934.encode(), "text/plain")
    response = http.post("/ui/check", files=files)
    assert response.status_code == 422
    assert f"document {slot}: choose a file or paste a text, not both" in response.text


@pytest.mark.parametrize("titles", [("Treaty of Valdoria", "Siege of Castelmar")])
def test_web_store_declared_upload_stays_one_subject_with_its_kinds(
    store_web: tuple[str, Path], titles: tuple[str, str]
) -> None:
    url, _ = store_web
    meta = [{"kind": "encyclopedia", "title": titles[0]}, {"kind": "news", "title": titles[1]}]
    texts = ["The treaty was signed on 1852-05-03.", "The treaty was signed on 1849-06-09."]
    with httpx.Client(base_url=url, timeout=60) as http:
        response = http.post("/check", data={"texts": texts, "meta": json.dumps(meta)})
        assert response.status_code == 200, response.text
        subjects = http.get("/subjects").json()
        stored = http.get(subjects[0]["links"]["self"]).json()
    assert len(subjects) == 1 and subjects[0]["documents"] == 2
    for report in (response.json(), stored["report"]):
        kinds = {doc["title"]: (doc["kind"], doc["kind_origin"]) for doc in report["documents"]}
        assert kinds == {titles[0]: ("encyclopedia", "declared"), titles[1]: ("news", "declared")}
