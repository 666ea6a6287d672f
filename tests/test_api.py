"""The one-call Python API."""

from __future__ import annotations

from pathlib import Path

import pytest

import accord
from accord.errors import SourceNotFoundError


def test_api_public_names_match_all() -> None:
    public = {name for name in dir(accord) if not name.startswith("_")}
    assert set(accord.__all__) <= public | {"__version__"}
    assert "check" in accord.__all__
    assert "Source" in accord.__all__
    assert accord.Source is accord.sources.Source


@pytest.mark.parametrize(
    "texts",
    [
        [
            "The Treaty of Vell was signed in Lisbon on 4 May 1820.",
            "The Treaty of Vell was signed in Lisbon on 4 May 1821.",
        ]
    ],
)
def test_api_check_takes_texts(texts: list[str]) -> None:
    report = accord.check(texts)
    assert len(report.documents) == 2
    labels = {v.label.value for v in report.verdicts}
    assert "contradicts" in labels


@pytest.mark.parametrize("missing", ["no-such-file.txt"])
def test_api_check_short_missing_path_is_an_error(missing: str, tmp_path: Path) -> None:
    with pytest.raises(SourceNotFoundError):
        accord.check([str(tmp_path / missing)])
