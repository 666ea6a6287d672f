"""Names that mean one entity (people by surname, organisations by acronym) and the bundled
place table built from GeoNames."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.model import EntityKind, EntityRef
from accord.normalize import EntityIndex
from accord.normalize.entities import acronym, same_name

_DATA = Path(__file__).resolve().parents[2] / "src" / "accord" / "data" / "entities.json"
MAX_DATA_BYTES = 3_000_000  # the committed table stays a few megabytes at most

PER, ORG, LOC = EntityKind.PERSON, EntityKind.ORGANISATION, EntityKind.PLACE


@pytest.mark.parametrize(
    ("a", "b", "kind", "same"),
    [
        ("Stafford Cripps", "Cripps", PER, True),
        ("Cripps", "Stafford Cripps", PER, True),
        ("Stafford Cripps", "Richard Stafford Cripps", PER, True),
        ("Vyacheslav Molotov", "Molotov", PER, True),
        ("Stafford Cripps", "Isobel Cripps", PER, False),
        ("Stafford Cripps", "Stafford Smith", PER, False),
        ("Cripps", "Molotov", PER, False),
        ("North Atlantic Treaty Organization", "NATO", ORG, True),
        ("NATO", "North Atlantic Treaty Organization", ORG, True),
        ("Organization of the Petroleum Exporting Countries", "OPEC", ORG, True),
        ("United Nations", "UN", ORG, True),
        ("United Nations", "NATO", ORG, False),
        ("London", "London", LOC, True),
        ("London", "LDN", LOC, False),
    ],
)
def test_same_name_table(a: str, b: str, kind: EntityKind, same: bool) -> None:
    x, y = EntityRef(name=a, kind=kind), EntityRef(name=b, kind=kind)
    assert same_name(x, y) is same
    assert same_name(y, x) is same


@pytest.mark.parametrize("kind", [PER, ORG])
def test_same_name_never_across_kinds(kind: EntityKind) -> None:
    other = ORG if kind is PER else PER
    assert not same_name(EntityRef(name="Cripps", kind=kind), EntityRef(name="Cripps", kind=other))


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("North Atlantic Treaty Organization", "NATO"),
        ("European Union", "EU"),
        ("Union of Soviet Socialist Republics", "USSR"),
        ("Red-Cross Society", "RCS"),
        ("Oxfam", ""),
    ],
)
def test_acronym_from_significant_words(name: str, initials: str) -> None:
    assert acronym(name) == initials


@pytest.mark.parametrize(
    ("inner", "outer", "inside"),
    [
        ("London", "United Kingdom", True),
        ("Lyon", "France", True),
        ("Osaka", "Japan", True),
        ("Curitiba", "Brazil", True),
        ("Surabaya", "Indonesia", True),
        ("Nairobi", "Kenya", True),
        ("Leningrad", "Soviet Union", True),
        ("Moscow", "USSR", True),
        ("Paris", "Germany", False),
        ("Curitiba", "Argentina", False),
        ("United Kingdom", "London", False),
    ],
)
def test_bundled_table_containment(inner: str, outer: str, inside: bool) -> None:
    assert EntityIndex.load().is_part_of(inner, outer) is inside


@pytest.mark.parametrize(("surface", "cased"), [("Curitiba", True), ("London", False)])
def test_bulk_cities_match_only_as_written(surface: str, cased: bool) -> None:
    index = EntityIndex.load()
    assert index.is_cased(surface) is cased
    assert (index.lookup(surface.lower()) is None) is cased


@pytest.mark.parametrize("key", ["data_version", "licence", "sources"])
def test_bundled_table_records_source_and_licence(key: str) -> None:
    doc = json.loads(_DATA.read_text(encoding="utf-8"))
    assert doc[key]
    assert "GeoNames" in doc["licence"] and "CC BY 4.0" in doc["licence"]
    assert any("geonames" in str(s).lower() for s in doc["sources"])
    assert _DATA.stat().st_size < MAX_DATA_BYTES
