"""The one-call Python API."""

from __future__ import annotations

from pathlib import Path

import pytest

import accord
from accord.errors import SourceNotFoundError
from accord.model import SUBJECT_KEY


def test_api_public_names_match_all() -> None:
    public = {name for name in dir(accord) if not name.startswith("_")}
    assert set(accord.__all__) <= public | {"__version__"}
    assert "check" in accord.__all__
    assert "Source" in accord.__all__
    # exactly the public API: the call, the types it takes and returns, the version
    assert set(accord.__all__) == {
        "check",
        "Settings",
        "SettingsOptions",
        "Source",
        "DocKind",
        "Report",
        "Verdict",
        "Label",
        "__version__",
    }
    assert len(accord.__all__) == len(set(accord.__all__))
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


HOUSE = [
    "The house was built in 1901 by a wool merchant. It has twelve rooms.",
    "The house was built in 1903 for a wool merchant. Its garden runs down to the river.",
]


@pytest.mark.parametrize(("texts", "subject"), [(HOUSE, "Ellery House")])
def test_api_check_takes_the_subject(texts: list[str], subject: str) -> None:
    report = accord.check(texts, subject=subject)
    assert report.record.subject == subject
    # the name is the subject's in every document: "the house" is Ellery House
    dated = [s for c in report.claims for s in c.slots if s.role == "date"]
    assert len(dated) == 2 and all(s.about == SUBJECT_KEY for s in dated)
    assert any(v.label.value == "contradicts" for v in report.verdicts)


@pytest.mark.parametrize("subject", ["", "   "])
def test_api_check_blank_subject_is_no_subject(subject: str) -> None:
    report = accord.check(HOUSE, subject=subject)
    assert report.record.subject != subject


COURTHOUSE = [
    "The Alder County Courthouse stands on the central square of Millbrook. The courthouse "
    "was completed in 1891.",
    "Construction of the Alder County Courthouse began in 1888. The courthouse was completed "
    "in 1891.",
    "The Alder County Courthouse was completed in 1893, after a fire damaged its roof.",
]


@pytest.mark.parametrize(("texts", "subject"), [(COURTHOUSE, "Alder County Courthouse")])
def test_api_check_names_the_subject_the_texts_share(texts: list[str], subject: str) -> None:
    assert accord.check(texts).record.subject == subject


@pytest.mark.parametrize(
    ("files", "subject"),
    [
        (
            {
                "source_1.txt": COURTHOUSE[0],
                "source_2.txt": COURTHOUSE[1],
                "source_3.txt": COURTHOUSE[2],
            },
            "Alder County Courthouse",
        )
    ],
)
def test_api_check_never_names_the_subject_after_a_file(
    tmp_path: Path, files: dict[str, str], subject: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    report = accord.check([tmp_path])
    assert report.record.subject == subject


def test_api_exports_the_types_a_call_takes_and_returns() -> None:
    import typing
    from dataclasses import fields

    from accord.model import DocKind, Label, Report, Verdict
    from accord.settings import Settings, SettingsOptions

    assert (accord.Settings, accord.Report, accord.Verdict, accord.Label, accord.DocKind) == (
        Settings,
        Report,
        Verdict,
        Label,
        DocKind,
    )
    # the options accord.check declares are the fields of Settings, with the same types
    # (a size in words is also taken for the memory limit)
    declared = typing.get_type_hints(SettingsOptions)
    hints = typing.get_type_hints(Settings)
    assert set(declared) == {field.name for field in fields(Settings)}
    for name, hint in declared.items():
        if name == "max_memory_per_document":
            assert hint == int | str | None
        else:
            assert hint == hints[name], name


@pytest.mark.parametrize(("subject", "top_k"), [("Ellery House", 2)])
def test_api_check_takes_whole_settings_and_options_over_them(subject: str, top_k: int) -> None:
    settings = accord.Settings(subject="Another House", top_k=top_k)
    report = accord.check(HOUSE, settings, subject=subject)
    assert report.record.subject == subject
    assert settings.subject == "Another House"  # the caller's settings are not changed
    report = accord.check(HOUSE, settings=settings)
    assert report.record.subject == "Another House"


@pytest.mark.parametrize("option", ["top_kay"])
def test_api_check_unknown_option_is_a_config_error(option: str) -> None:
    from accord.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown option"):
        accord.check(HOUSE, **{option: 3})  # type: ignore[misc]
    with pytest.raises(ConfigError, match="unknown option"):
        accord.check(HOUSE, accord.Settings(), **{option: 3})  # type: ignore[misc]
