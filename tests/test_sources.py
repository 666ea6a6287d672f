"""Where a document's kind and metadata come from: declared, the page's own, or the default.

A kind is never read from a file name: renaming a file changes no kind and no score.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import accord
from accord.cli import cli
from accord.errors import ConfigError
from accord.model import DocKind, Report
from accord.sources import Source, check_published

FAN = "fanwiki_anglo_soviet_agreement.txt"
WIKI = "wikipedia_anglo_soviet_agreement.txt"
TEXTS = (
    "The Treaty of Vell was signed in Lisbon on 4 May 1820.",
    "The Treaty of Vell was signed in Lisbon on 4 May 1821.",
)


@pytest.fixture(autouse=True)
def _restore_accord_logger() -> Iterator[None]:
    """The CLI configures the ``accord`` logger; give other tests theirs back."""
    logger = logging.getLogger("accord")
    saved = (logger.level, list(logger.handlers), logger.propagate)
    yield
    logger.setLevel(saved[0])
    logger.handlers[:] = saved[1]
    logger.propagate = saved[2]


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _by_name(report: Report) -> dict[str, Any]:
    return {Path(doc.source).name: doc for doc in report.documents}


def _scores(report: Report) -> dict[str, float]:
    names = {doc.id: Path(doc.source).name for doc in report.documents}
    return {names[r.doc_id]: r.score for r in report.record.reliability}


@pytest.mark.parametrize("new_name", ["britannica_a.txt", "reuters_news.txt"])
def test_sources_renaming_a_file_changes_no_kind_and_no_score(
    seeds_dir: Path, tmp_path: Path, new_name: str
) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    before.mkdir()
    after.mkdir()
    for name in (FAN, WIKI):
        shutil.copy(seeds_dir / name, before / name)
    shutil.copy(seeds_dir / FAN, after / new_name)
    shutil.copy(seeds_dir / WIKI, after / WIKI)
    first, second = accord.check([before]), accord.check([after])
    old, new = _by_name(first), _by_name(second)
    assert (old[FAN].kind, old[FAN].kind_origin) == (new[new_name].kind, new[new_name].kind_origin)
    assert old[WIKI].kind is new[WIKI].kind is DocKind.UNKNOWN  # the name says Wikipedia
    assert old[WIKI].kind_origin == "default"
    scores_old, scores_new = _scores(first), _scores(second)
    assert scores_old[FAN] == scores_new[new_name]
    assert scores_old[WIKI] == scores_new[WIKI]


@pytest.mark.parametrize("case", ["fan wiki text"])
def test_sources_page_text_sets_a_kind_visibly(seeds_dir: Path, case: str) -> None:
    (doc,) = accord.pipeline.load_documents([seeds_dir / FAN], accord.pipeline.Settings())
    assert doc.kind is DocKind.WIKI
    assert doc.kind_origin.startswith("page: text ")
    assert "wikia is" in doc.kind_origin


@pytest.mark.parametrize("kind", ["news", DocKind.NEWS])
def test_sources_check_takes_source_objects_and_dicts_mixed(
    seeds_dir: Path, kind: str | DocKind
) -> None:
    report = accord.check(
        [
            Source(
                text=TEXTS[0],
                id="p1",
                title="Vell (first account)",
                url="https://example.org/vell",
                kind=kind,
                published="2020-05-04",
                metadata={"lang": "en"},
            ),
            {"text": TEXTS[1], "id": "p2", "kind": "encyclopedia"},
            TEXTS[0] + " It was ratified later.",
            seeds_dir / FAN,
        ]
    )
    docs = report.documents
    assert [d.source for d in docs][:3] == ["p1", "p2", "<text 3>"]
    first = docs[0]
    assert (first.source_id, first.title, first.url) == (
        "p1",
        "Vell (first account)",
        "https://example.org/vell",
    )
    assert (first.kind, first.kind_origin) == (DocKind.NEWS, "declared")
    assert (first.published, first.metadata) == ("2020-05-04", (("lang", "en"),))
    assert (docs[1].kind, docs[1].kind_origin) == (DocKind.ENCYCLOPEDIA, "declared")
    assert (docs[2].kind, docs[2].kind_origin, docs[2].source_id) == (
        DocKind.UNKNOWN,
        "default",
        None,
    )
    assert docs[3].kind is DocKind.WIKI
    assert "contradicts" in {v.label.value for v in report.verdicts}


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"text": TEXTS[0], "kind": "blog"}, "unknown DocKind 'blog'; valid: encyclopedia"),
        ({"text": TEXTS[0], "published": "4 May 2020"}, "not an ISO 8601 date"),
        ({"text": TEXTS[0], "published": "2020-13-01"}, "not an ISO 8601 date"),
        ({"text": TEXTS[0], "path": "a.txt"}, "exactly one of text and path"),
        ({"title": "nothing"}, "exactly one of text and path"),
        ({"text": TEXTS[0], "colour": "red"}, "unknown key 'colour'"),
        ({"text": TEXTS[0], "metadata": {"n": 3}}, "metadata"),
        ({"text": TEXTS[0], "url": 7}, "url"),
    ],
)
def test_sources_bad_values_are_config_errors(given: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        accord.check([given, TEXTS[1]])


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2020", True),
        ("2020-05", True),
        ("2020-05-04", True),
        ("2020-05-04T10:30:00Z", True),
        ("2020-05-04T10:30:00+02:00", True),
        ("2020-02-30", False),
        ("May 2020", False),
        ("", False),
    ],
)
def test_sources_check_published(value: str, ok: bool) -> None:
    if ok:
        assert check_published(value) == value
    else:
        with pytest.raises(ConfigError):
            check_published(value)


def _copy_seeds(seeds_dir: Path, to: Path) -> Path:
    to.mkdir()
    for name in (FAN, WIKI):
        shutil.copy(seeds_dir / name, to / name)
    return to


@pytest.mark.parametrize("fmt", ["json"])
def test_sources_cli_kind_flag_declares_a_kind(seeds_dir: Path, tmp_path: Path, fmt: str) -> None:
    docs = _copy_seeds(seeds_dir, tmp_path / "docs")
    result = _invoke("check", str(docs), "--kind", f"{docs / WIKI}=encyclopedia", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    kinds = {Path(d["source"]).name: (d["kind"], d["kind_origin"]) for d in data["documents"]}
    assert kinds[WIKI] == ("encyclopedia", "declared")
    assert kinds[FAN][0] == "wiki" and kinds[FAN][1].startswith("page: ")


@pytest.mark.parametrize("fmt", ["text", "md"])
def test_sources_cli_sidecar_declares_metadata(seeds_dir: Path, tmp_path: Path, fmt: str) -> None:
    docs = _copy_seeds(seeds_dir, tmp_path / "docs")
    sidecar = {
        "kind": "news",
        "title": "Pact report",
        "url": "https://news.example/pact",
        "published": "1941-07-13",
        "metadata": {"desk": "foreign"},
    }
    (docs / f"{WIKI}.meta.json").write_text(json.dumps(sidecar), "utf-8")
    result = _invoke("check", str(docs), "--format", fmt)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "news (declared)" in out
    assert "unknown" not in out or "not declared" in out
    assert "https://news.example/pact" in out
    assert "1941-07-13" in out
    assert "desk" in out and "foreign" in out
    assert "Pact report" in out
    assert "meta.json" not in out.replace(".meta.json sidecar", "")  # never a document


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"kind": "blog"}', "unknown DocKind 'blog'"),
        ('{"published": "yesterday"}', "not an ISO 8601 date"),
        ('{"kind": "news", "extra": 1}', "unknown key 'extra'"),
        ('["news"]', "a JSON object"),
        ('{"metadata": {"a": [1]}}', "metadata"),
    ],
)
def test_sources_cli_bad_sidecar_is_a_clear_error(
    seeds_dir: Path, tmp_path: Path, content: str, message: str
) -> None:
    docs = _copy_seeds(seeds_dir, tmp_path / "docs")
    (docs / f"{FAN}.meta.json").write_text(content, "utf-8")
    result = _invoke("check", str(docs))
    assert result.exit_code == 2, result.stdout
    assert "Traceback" not in result.stderr
    assert message in result.stderr
    assert f"{FAN}.meta.json" in result.stderr


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        ("nofile=news", "is not among the documents"),
        ("{docs}/" + FAN + "=blog", "unknown DocKind 'blog'"),
        ("just-a-kind", "FILE=KIND"),
    ],
)
def test_sources_cli_bad_kind_flag_is_a_usage_error(
    seeds_dir: Path, tmp_path: Path, flag: str, message: str
) -> None:
    docs = _copy_seeds(seeds_dir, tmp_path / "docs")
    result = _invoke("check", str(docs), "--kind", flag.format(docs=docs))
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert message in result.stderr


@pytest.mark.parametrize("case", ["explicit"])
def test_sources_sidecar_given_as_a_file_is_not_a_document(
    seeds_dir: Path, tmp_path: Path, case: str
) -> None:
    docs = _copy_seeds(seeds_dir, tmp_path / "docs")
    (docs / f"{FAN}.meta.json").write_text('{"kind": "news"}', "utf-8")
    report = accord.check(sorted(docs.iterdir()))
    assert len(report.documents) == 2
    assert _by_name(report)[FAN].kind is DocKind.NEWS
    assert not report.run.failures


@pytest.mark.parametrize("case", ["good and bad sidecar"])
def test_sources_batch_inputs_read_sidecars(seeds_dir: Path, tmp_path: Path, case: str) -> None:
    from accord.batch.inputs import iter_inputs
    from accord.ingest.passages import Passage
    from accord.model import Failure

    docs = _copy_seeds(seeds_dir, tmp_path / "docs")
    (docs / f"{WIKI}.meta.json").write_text(
        '{"kind": "encyclopedia", "url": "https://en.wikipedia.org/wiki/Anglo-Soviet_Agreement"}',
        "utf-8",
    )
    (docs / f"{FAN}.meta.json").write_text('{"kind": "blog"}', "utf-8")
    items = list(iter_inputs([docs, docs / f"{WIKI}.meta.json"], max_bytes=10**6))
    assert len(items) == 2  # the sidecar named on its own is no document
    failure, passage = items
    assert isinstance(failure, Failure) and "unknown DocKind 'blog'" in failure.message
    assert isinstance(passage, Passage)
    assert (passage.kind, passage.kind_origin) == (DocKind.ENCYCLOPEDIA, "declared")
    assert passage.url == "https://en.wikipedia.org/wiki/Anglo-Soviet_Agreement"


@pytest.mark.parametrize("case", ["add"])
def test_sources_cli_add_keeps_declared_kinds_in_the_store(
    seeds_dir: Path, tmp_path: Path, case: str
) -> None:
    from accord.store import SQLiteStore

    docs = _copy_seeds(seeds_dir, tmp_path / "docs")
    (docs / f"{FAN}.meta.json").write_text('{"published": "2015-01-02"}', "utf-8")
    db = tmp_path / "c.db"
    result = _invoke("add", str(docs), "--store", str(db), "--kind", f"{docs / WIKI}=news")
    assert result.exit_code == 0, result.stderr
    with SQLiteStore(db) as store:
        stored = {Path(doc.source).name: doc for doc in store.documents()}
    assert (stored[WIKI].kind, stored[WIKI].kind_origin) == (DocKind.NEWS, "declared")
    assert stored[FAN].published == "2015-01-02"
    assert stored[FAN].kind_origin.startswith("page: ")


@pytest.mark.parametrize("kind", ["news"])
def test_sources_directory_source_declares_each_file(
    seeds_dir: Path, tmp_path: Path, kind: str
) -> None:
    from accord.pipeline import Settings, load_documents

    docs = _copy_seeds(seeds_dir, tmp_path / "docs")
    read = load_documents([Source(path=docs, kind=kind, metadata={"batch": "1"})], Settings())
    assert [(d.kind.value, d.kind_origin, d.metadata) for d in read] == [
        (kind, "declared", (("batch", "1"),))
    ] * 2
    with pytest.raises(ConfigError, match="is a directory"):
        load_documents([Source(path=docs, id="one")], Settings())
