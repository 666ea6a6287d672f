"""JSONL lines that are valid JSON but hostile (nested thousands deep, escaped lone
surrogates, integers of thousands of digits, wrong types at any depth) fail alone: each is
that line's failure, the other lines are still read, and no run ends in an internal error.
Sidecars (``FILE.meta.json``) holding such JSON are a one-line ``ConfigError``."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import ConfigError, IngestError
from accord.ingest.passages import Passage, iter_passages, read_passage
from accord.model import Failure
from accord.sources import read_sidecar

GOOD = "The Harbour Bridge was opened on 19 March 1932 in Sydney. It has eight lanes."
DEEP = 100_000
HOSTILE_LINES = {
    "deep_array": '{"text": ' + "[" * DEEP + "]" * DEEP + "}",
    "deep_object": '{"text": "x", "metadata": ' + '{"a": ' * DEEP + "1" + "}" * DEEP + "}",
    "deep_top": "[" * DEEP + "]" * DEEP,
    "huge_int_id": '{"text": "' + GOOD + '", "id": ' + "9" * 5000 + "}",
    "huge_int_text": '{"text": ' + "1" * 5000 + "}",
    "text_list": '{"text": ["' + GOOD + '"]}',
    "title_object": '{"text": "' + GOOD + '", "title": {"a": [1, {"b": null}]}}',
    "metadata_nested": '{"text": "' + GOOD + '", "metadata": {"desk": {"x": [1, 2]}}}',
    "metadata_number": '{"text": "' + GOOD + '", "metadata": {"desk": 1e999}}',
    "id_float": '{"text": "' + GOOD + '", "id": 1.5e308}',
    "id_bool": '{"text": "' + GOOD + '", "id": true}',
    "kind_list": '{"text": "' + GOOD + '", "kind": ["news"]}',
    "published_surrogate": '{"text": "' + GOOD + '", "published": "\\udc80"}',
    "not_object": '"just a string"',
    "null": "null",
}
# Valid lines whose strings hold escaped lone surrogates: read, with U+FFFD in their place.
SURROGATE_LINES = {
    "text": '{"text": "\\udc80' + GOOD + '"}',
    "title": '{"text": "' + GOOD + '", "title": "Bridge \\ud800"}',
    "subject": '{"text": "' + GOOD + '", "subject": "Harbour \\udfff Bridge"}',
    "id": '{"text": "' + GOOD + '", "id": "p\\udc801"}',
    "metadata": '{"text": "' + GOOD + '", "metadata": {"desk\\udc80": "w\\ud800"}}',
}


def _read(lines: list[str]) -> list[Passage | Failure]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lines.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
        return list(iter_passages(path, max_bytes=10_000_000))


def _assert_line_outcome(item: Passage | Failure) -> None:
    """A failure is a deliberate one (never an internal error); a passage reads as a
    document or fails with an ``IngestError``; every text is valid UTF-8."""
    if isinstance(item, Failure):
        assert not item.message.startswith("internal error"), item
        json.dumps(item.message, ensure_ascii=False).encode("utf-8")
        return
    for value in (item.text, item.title, item.subject, item.source, item.source_id):
        if value is not None:
            value.encode("utf-8")
    for key, value in item.metadata:
        (key + value).encode("utf-8")
    try:
        document = read_passage(item, max_bytes=1_000_000)
    except IngestError:
        return
    document.text.encode("utf-8")
    document.title.encode("utf-8")


@pytest.mark.parametrize("case", sorted(HOSTILE_LINES))
def test_hostile_jsonl_line_fails_alone(case: str) -> None:
    good = json.dumps({"text": GOOD, "id": "good"})
    found = _read([good, HOSTILE_LINES[case], good])
    assert [type(item) for item in found] == [Passage, Failure, Passage]
    failure = found[1]
    assert isinstance(failure, Failure)
    assert failure.source.endswith("lines.jsonl:2")
    assert failure.error in ("IngestError", "ConfigError"), failure
    _assert_line_outcome(failure)


@pytest.mark.parametrize("field", sorted(SURROGATE_LINES))
def test_escaped_lone_surrogate_in_a_line_is_replaced(field: str) -> None:
    (item,) = _read([SURROGATE_LINES[field]])
    assert isinstance(item, Passage), item
    _assert_line_outcome(item)
    held = [item.text, item.title, item.subject, item.source_id, *dict(item.metadata).items()]
    assert any("\ufffd" in str(value) for value in held)


@pytest.mark.parametrize("case", ["every_hostile_line"])
def test_batch_cli_lists_hostile_lines_and_checks_the_rest(
    batch_argv: list[str], batch_env: dict[str, str], tmp_path: Path, case: str
) -> None:
    corpus = tmp_path / "hostile.jsonl"
    lines = [
        json.dumps({"text": GOOD, "id": "first"}),
        *HOSTILE_LINES.values(),
        *SURROGATE_LINES.values(),
        json.dumps({"text": GOOD.replace("1932", "1933"), "id": "last"}),
    ]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run(
        [
            *batch_argv,
            "batch",
            str(corpus),
            "--extractor",
            "accord.fake.v1",
            "--workers",
            "1",
            "--store",
            str(tmp_path / "corpus.db"),
        ],
        env=batch_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    failed = [line for line in done.stderr.splitlines() if line.startswith("failed: ")]
    numbers = sorted(int(line.split(":")[2]) for line in failed)
    assert numbers == list(range(2, 2 + len(HOSTILE_LINES)))
    read = 2 + len(SURROGATE_LINES)
    assert f"documents: {read} read" in done.stdout
    assert f"{len(HOSTILE_LINES)} failed" in done.stdout


@pytest.mark.parametrize(
    "sidecar",
    [
        '{"metadata": ' + '{"a": ' * DEEP + '"x"' + "}" * DEEP + "}",
        "[" * DEEP + "]" * DEEP,
        '{"id": ' + "9" * 5000 + "}",
        '{"title": ["x"]}',
        '{"metadata": {"desk": {"x": 1}}}',
    ],
    ids=["deep_metadata", "deep_array", "huge_int_id", "title_list", "metadata_nested"],
)
def test_hostile_sidecar_json_is_a_config_error(tmp_path: Path, sidecar: str) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "a.txt.meta.json").write_text(sidecar, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"a\.txt\.meta\.json"):
        read_sidecar(tmp_path / "a.txt")


@pytest.mark.parametrize("sidecar", ['{"title": "Bridge \\udc80", "metadata": {"k": "\\ud800"}}'])
def test_sidecar_lone_surrogates_are_replaced(tmp_path: Path, sidecar: str) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "a.txt.meta.json").write_text(sidecar, encoding="utf-8")
    source = read_sidecar(tmp_path / "a.txt")
    assert source is not None
    assert source.title == "Bridge \ufffd"
    assert dict(source.metadata) == {"k": "\ufffd"}


# -- property: whatever a line holds, the reader gives that line's passage or failure -------

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(st.characters(codec=None), max_size=20),
)
_JSON_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
_FIELDS = ("text", "title", "subject", "id", "source", "kind", "format", "url", "published")


def _json_text(value: object) -> str:
    """``value`` as JSON, lone surrogates written as escapes (as a hostile file would)."""
    return json.dumps(value, ensure_ascii=True)


@st.composite
def _hostile_line(draw: st.DrawFn) -> str:
    """A line of JSON built to hurt: an object of good and bad fields, or deep, huge or
    broken JSON."""
    shape = draw(st.sampled_from(["object", "deep", "huge_int", "bytes"]))
    if shape == "deep":
        depth = draw(st.integers(1_000, 60_000))
        opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
        inner = opener * depth + "1" + closer * depth
        return draw(st.sampled_from([inner, '{"text": ' + inner + "}"]))
    if shape == "huge_int":
        digits = "7" * draw(st.integers(4_000, 9_000))
        field = draw(st.sampled_from(_FIELDS))
        return '{"text": "' + GOOD + '", "' + field + '": ' + digits + "}"
    if shape == "bytes":
        return draw(st.binary(max_size=80)).decode("latin-1")
    item: dict[str, object] = {}
    for field in draw(st.lists(st.sampled_from([*_FIELDS, "metadata"]), max_size=5)):
        item[field] = draw(_JSON_VALUES)
    if draw(st.booleans()):
        item["text"] = draw(st.one_of(st.just(GOOD), st.text(st.characters(codec=None))))
    return _json_text(item)


@pytest.mark.parametrize("case", ["jsonl_lines"])
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(lines=st.lists(_hostile_line(), min_size=1, max_size=4))
def test_fuzz_jsonl_reader_gives_one_outcome_per_line(case: str, lines: list[str]) -> None:
    lines = [line.replace("\n", " ").replace("\r", " ") for line in lines]
    kept = [line for line in lines if line.encode("utf-8", "surrogatepass").strip()]
    found = _read([*lines, json.dumps({"text": GOOD})])
    assert len(found) == len(kept) + 1
    assert isinstance(found[-1], Passage)
    for item in found:
        _assert_line_outcome(item)
