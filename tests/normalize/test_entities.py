"""Canonical entities: aliases, demonyms, containment and user files (accord.normalize.entities)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from accord.errors import ConfigError
from accord.model import EntityKind
from accord.normalize.entities import EntityIndex


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("USSR", "Soviet Union"),
        ("U.S.S.R.", "Soviet Union"),
        ("the Soviets", "Soviet Union"),
        ("Soviet Union", "Soviet Union"),
        ("the Union of Soviet Socialist Republics", "Soviet Union"),
        ("UK", "United Kingdom"),
        ("U.K.", "United Kingdom"),
        ("Britain", "United Kingdom"),
        ("Great Britain", "United Kingdom"),
        ("the United Kingdom", "United Kingdom"),
        ("Britain's", "United Kingdom"),
        ("US", "United States"),
        ("U.S.A.", "United States"),
        ("United States of America", "United States"),
        ("Nazi Germany", "Germany"),
        ("Third Reich", "Germany"),
        ("Hitlerite Germany", "Germany"),
        ("Russian Socialist Soviet Republic", "Russian SFSR"),
        ("Austria–Hungary", "Austria-Hungary"),
        ("Leningrad", "Saint Petersburg"),
        ("UN", "United Nations"),
        ("NATO", "NATO"),
        ("Nato", "NATO"),
        ("the League of Nations", "League of Nations"),
        ("English", "English"),
        ("london", "London"),
        ("  Moscow ", "Moscow"),
    ],
)
def test_entity_index_resolves_alias(surface: str, name: str) -> None:
    ref = EntityIndex.load().lookup(surface)
    assert ref is not None
    assert ref.name == name


@pytest.mark.parametrize(
    "surface", ["us", "un", "who", "turkey", "allies", "Brest", "Congo", "Atlantis", ""]
)
def test_entity_index_leaves_word_or_ambiguous_unresolved(surface: str) -> None:
    assert EntityIndex.load().lookup(surface) is None


@pytest.mark.parametrize(
    ("surface", "kind"),
    [
        ("London", EntityKind.PLACE),
        ("UN", EntityKind.ORGANISATION),
        ("Russian", EntityKind.LANGUAGE),
        ("the Allies", EntityKind.GROUP),
    ],
)
def test_entity_index_kind(surface: str, kind: EntityKind) -> None:
    ref = EntityIndex.load().lookup(surface)
    assert ref is not None and ref.kind == kind


@pytest.mark.parametrize(
    ("word", "name"),
    [
        ("Soviet", "Soviet Union"),
        ("British", "United Kingdom"),
        ("German", "Germany"),
        ("Germans", "Germany"),
        ("Russian", "Russia"),
        ("American", "United States"),
    ],
)
def test_entity_index_demonym(word: str, name: str) -> None:
    ref = EntityIndex.load().demonym(word)
    assert ref is not None and ref.name == name


@pytest.mark.parametrize("word", ["Congolese", "Martian", "the"])
def test_entity_index_demonym_unknown_or_ambiguous(word: str) -> None:
    assert EntityIndex.load().demonym(word) is None


@pytest.mark.parametrize(
    ("inner", "outer", "expected"),
    [
        ("London", "United Kingdom", True),
        ("London", "UK", True),
        ("London", "England", True),
        ("Moscow", "Russia", True),
        ("Moscow", "USSR", True),
        ("Russian SFSR", "Soviet Union", True),
        ("Soviet Union", "Russian SFSR", False),
        ("United Kingdom", "London", False),
        ("London", "France", False),
        ("London", "London", False),
        ("Atlantis", "London", False),
    ],
)
def test_entity_index_is_part_of(inner: str, outer: str, expected: bool) -> None:
    assert EntityIndex.load().is_part_of(inner, outer) is expected


@pytest.mark.parametrize("surface", ["Russian SFSR", "RSFSR"])
def test_entity_index_rsfsr_distinct_from_soviet_union(surface: str) -> None:
    ref = EntityIndex.load().lookup(surface)
    assert ref is not None
    assert ref.name == "Russian SFSR"
    assert ref.part_of == ("Soviet Union",)


@pytest.mark.parametrize("level", ["country"])
def test_entity_index_bundled_table_is_consistent(level: str) -> None:
    path = Path(__file__).resolve().parents[2] / "src" / "accord" / "data" / "entities.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    names = [e["name"] for e in doc["entities"]]
    assert doc["version"] == 1 and "CC0" in doc["licence"]
    assert len(names) == len(set(names))
    assert sum(e["level"] == level for e in doc["entities"]) >= 193
    for entry in doc["entities"]:
        assert all(p in names for p in entry.get("part_of", []))


# ~3,000 entities once GeoNames cities are in: ~0.06 s on a quiet core, several times that
# on a busy 2-core runner; it is parsed once per process.
@pytest.mark.parametrize("limit_s", [1.0])
def test_entity_index_loads_fast(limit_s: float) -> None:
    from accord.normalize import entities

    entities._bundled_index.cache_clear()
    entities._bundled_entries.cache_clear()
    start = time.perf_counter()
    EntityIndex.load()
    assert time.perf_counter() - start < limit_s
    assert EntityIndex.load() is EntityIndex.load()


@pytest.mark.parametrize("surface", ["USSR", "London"])
def test_entity_index_aliases_iterates_resolving_forms(surface: str) -> None:
    index = EntityIndex.load()
    forms = dict(index.aliases())
    assert surface in forms
    assert all(index.lookup(s) == ref for s, ref in list(index.aliases())[:200])


def _write(tmp_path: Path, doc: object, name: str = "extra.json") -> Path:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize("alias", ["Albion"])
def test_entity_index_user_file_extends_and_overrides(tmp_path: Path, alias: str) -> None:
    path = _write(
        tmp_path,
        {
            "version": 1,
            "entities": [
                {"name": "United Kingdom", "kind": "place", "aliases": [alias]},
                {
                    "name": "Holland (region)",
                    "kind": "place",
                    "level": "region",
                    "aliases": ["Holland"],
                    "part_of": ["Netherlands"],
                },
            ],
        },
    )
    index = EntityIndex.load([path])
    albion = index.lookup(alias)
    assert albion is not None and albion.name == "United Kingdom"
    assert index.lookup("UK") == albion  # bundled aliases survive the merge
    holland = index.lookup("Holland")
    assert holland is not None and holland.name == "Holland (region)"
    assert index.is_part_of("Holland", "Netherlands")
    bundled_holland = EntityIndex.load().lookup("Holland")
    assert bundled_holland is not None and bundled_holland.name == "Netherlands"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ({"entities": []}, "unsupported version"),
        ({"version": 1, "entities": {}}, "must be a list"),
        ({"version": 1, "entities": [{"kind": "place"}]}, "'name'"),
        ({"version": 1, "entities": [{"name": "X", "kind": "planet"}]}, "unknown kind 'planet'"),
        ({"version": 1, "entities": [{"name": "X", "aliases": "Y"}]}, "'aliases' must be a list"),
        ({"version": 1, "entities": [{"name": "X", "colour": "red"}]}, "unknown key 'colour'"),
        ({"version": 1, "entities": [{"name": "X", "part_of": ["Nowhere"]}]}, "'Nowhere'"),
    ],
)
def test_entity_index_bad_user_file_raises_config_error(
    tmp_path: Path, content: object, message: str
) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(ConfigError, match=message) as info:
        EntityIndex.load([path])
    assert str(path) in str(info.value)


@pytest.mark.parametrize("name", ["missing.json"])
def test_entity_index_missing_user_file_raises_config_error(tmp_path: Path, name: str) -> None:
    with pytest.raises(ConfigError, match=name):
        EntityIndex.load([tmp_path / name])
