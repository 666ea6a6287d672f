"""``accord batch --kind INPUT=KIND``: a kind for what an input holds, never over what a
document declares itself, and a clear error for an INPUT that is not given."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

import accord.testing.fakes  # noqa: F401 - registers accord.fake.v1
from accord.batch import BatchOptions, run_batch
from accord.errors import ConfigError
from accord.pipeline import Settings

FAKE = Settings(extractor="accord.fake.v1")


def _documents(out: Path) -> dict[str, tuple[str, str]]:
    rows = [json.loads(line) for line in (out / "documents.jsonl").read_text().splitlines()]
    return {row["source"]: (row["kind"], row["kind_origin"]) for row in rows}


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Treaty of Valdoria\n\nThe treaty was signed at Castelmar on 1852-05-03.\n"
    )
    (folder / "b.txt").write_text(
        "Treaty of Valdoria\n\nThe treaty was signed at Castelmar on 1849-06-09.\n"
    )
    (folder / "b.txt.meta.json").write_text(json.dumps({"kind": "wiki"}))
    return folder


@pytest.mark.parametrize("kind", ["encyclopedia"])
def test_kind_applies_to_an_input_but_not_over_a_declared_kind(
    batch_jsonl: Path, tmp_path: Path, kind: str
) -> None:
    folder = _folder(tmp_path)
    out = tmp_path / "out"
    options = BatchOptions(workers=1, output=out, kinds=((str(batch_jsonl), kind),))
    run_batch([batch_jsonl, folder], FAKE, options)
    documents = _documents(out)
    assert documents["v1"] == (kind, "declared")  # no kind of its own: the input's
    assert documents["v3"] == ("news", "declared")  # the line's own kind wins
    # the folder was not named: its files keep the default, or their sidecar's kind
    folder_rows = {name: value for name, value in documents.items() if name.endswith(".txt")}
    assert sorted(folder_rows.values()) == [("unknown", "default"), ("wiki", "declared")]


@pytest.mark.parametrize("kind", ["news"])
def test_kind_names_a_directory_by_any_spelling_of_its_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    folder = _folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    run_batch(
        ["papers"], FAKE, BatchOptions(workers=1, output=out, kinds=((f"./{folder.name}/", kind),))
    )
    assert sorted(_documents(out).values()) == [(kind, "declared"), ("wiki", "declared")]


@pytest.mark.parametrize(
    ("kinds", "message"),
    [
        (
            (("elsewhere.jsonl", "news"),),
            "--kind names elsewhere.jsonl, which is not one of the inputs",
        ),
        ((("{input}", "blog"),), "unknown DocKind 'blog'"),
    ],
)
def test_bad_kind_fails_before_any_work(
    batch_jsonl: Path, tmp_path: Path, kinds: Any, message: str
) -> None:
    out = tmp_path / "out"
    given = tuple((name.replace("{input}", str(batch_jsonl)), kind) for name, kind in kinds)
    with pytest.raises(ConfigError, match=message):
        run_batch([batch_jsonl], FAKE, BatchOptions(workers=1, output=out, kinds=given))
    assert not out.exists()


@pytest.mark.parametrize(
    ("kind", "code", "message"),
    [
        ("{input}=news", 0, ""),
        ("{input}", 2, "give INPUT=KIND"),
        ("other.jsonl=news", 2, "which is not one of the inputs given"),
    ],
)
def test_batch_cli_kind(
    batch_argv: list[str],
    batch_env: dict[str, str],
    batch_jsonl: Path,
    tmp_path: Path,
    kind: str,
    code: int,
    message: str,
) -> None:
    out = tmp_path / "out"
    done = subprocess.run(
        [
            *batch_argv,
            "batch",
            str(batch_jsonl),
            "--kind",
            kind.replace("{input}", str(batch_jsonl)),
            "--extractor",
            "accord.fake.v1",
            "--workers",
            "1",
            "--output",
            str(out),
        ],
        env=batch_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == code, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    if code == 0:
        assert _documents(out)["v1"] == ("news", "declared")


@pytest.mark.parametrize("kind", ["news"])
def test_kind_overrides_what_a_dump_says_of_its_site(
    tmp_path: Path, write_dump: Any, kind: str
) -> None:
    dump = write_dump(
        tmp_path / "dump.xml",
        [{"title": "Treaty of Valdoria", "text": "The treaty was signed on 3 May 1852."}],
    )
    dump.write_bytes(dump.read_bytes().replace(b"Testpedia", b"Wikipedia"))
    run_batch([dump], FAKE, BatchOptions(workers=1, output=tmp_path / "site"))
    assert list(_documents(tmp_path / "site").values()) == [
        ("encyclopedia", "page: dump sitename 'Wikipedia'")
    ]
    options = BatchOptions(workers=1, output=tmp_path / "declared", kinds=((str(dump), kind),))
    run_batch([dump], FAKE, options)
    assert list(_documents(tmp_path / "declared").values()) == [(kind, "declared")]


@pytest.mark.parametrize("kind", ["encyclopedia"])
def test_kind_naming_one_file_wins_over_its_sidecar(tmp_path: Path, kind: str) -> None:
    folder = _folder(tmp_path)
    out = tmp_path / "out"
    named = folder / "b.txt"  # its sidecar says wiki
    run_batch([named], FAKE, BatchOptions(workers=1, output=out, kinds=((str(named), kind),)))
    assert list(_documents(out).values()) == [(kind, "declared")]
