"""Resolve entity surface forms ("USSR", "the Soviets", "Britain") to canonical entities.

The bundled table is ``accord/data/entities.json``; user files extend or override it.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from accord.errors import ConfigError, NotAFileError
from accord.model import EntityKind, EntityRef

logger = logging.getLogger(__name__)


def _words(text: str) -> list[str]:
    """Split a space-separated word table (kept as prose so it stays readable)."""
    return text.split()


__all__ = ["EntityIndex", "acronym", "same_name"]

DATA_VERSION = 1  # the entities.json schema this module reads
_KINDS = ("place", "organisation", "person", "group", "language")
_FIELDS = frozenset({"name", "kind", "level", "aliases", "demonyms", "part_of", "capital_of", "id"})
# Surfaces whose lower-case form is an English word ("us", "who", "turkey", "allies") match
# only in the case the table writes them: a lower-case "us" is a pronoun, not the United States.
_WORDS = frozenset(
    _words(
        "a am an as at be by do go he hi i id if in is it me my no of oh ok on or so to up us we "
        "un au car cat who was all and are can may man men new one our out see she sir the use "
        "aid sis ss icc fed chad china turkey jordan cork nice rio reading guinea niger victoria "
        "allies allied axis league commonwealth confederacy confederate pacific atlantic arctic "
        "gaza perth ruhr english soviet"
    )
) | {"security council", "general assembly", "red cross"}
_DASHES = re.compile(r"[\u2010-\u2015\u2212-]")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    kind: EntityKind
    level: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    part_of: tuple[str, ...]
    kb_id: str


def _is_cased(entry: _Entry) -> bool:
    """Cities taken in bulk from GeoNames match only as written: many are also English
    words or surnames ("Split", "Mobile", "Reading") that must not match in lower case."""
    return entry.level == "city" and entry.kb_id.startswith("geonames:")


def _key(surface: str) -> str:
    """Normalise a surface form: quotes, leading "the", possessive, dots, dashes, spaces."""
    text = unicodedata.normalize("NFKC", surface).translate(_QUOTES).strip()
    text = text.strip('"()[],;:!? ')
    text = re.sub(r"^(?i:the)\s+", "", text)
    text = re.sub(r"(?:'s|')$", "", text)
    text = text.replace(".", "")
    text = _DASHES.sub(" ", text)
    return " ".join(text.split())


class EntityIndex:
    """Canonical entities by alias, demonym and containment.

    Build one with ``EntityIndex.load()``; the bundled table is parsed once per process.
    An alias that two entities of the same layer share ("Congolese", "Brest") resolves to
    neither; an alias from a user file wins over the bundled one.
    """

    def __init__(self, layers: Sequence[Sequence[_Entry]]) -> None:
        """Index ``layers`` of entries; later layers override earlier ones."""
        self._entries: dict[str, _Entry] = {}
        self._exact: dict[str, str] = {}
        self._folded: dict[str, str] = {}
        self._demonyms: dict[str, str] = {}
        for layer in layers:
            for entry in layer:
                self._entries[entry.name] = _merge(self._entries.get(entry.name), entry)
        for layer in layers:
            exact, folded, demonyms = _layer_maps(layer)
            self._exact.update(exact)
            self._folded.update(folded)
            self._demonyms.update(demonyms)
        for entry in self._entries.values():  # a canonical name always names its own entity
            self._exact[_key(entry.name)] = entry.name
            if _key(entry.name).lower() not in _WORDS and not _is_cased(entry):
                self._folded[_key(entry.name).lower()] = entry.name
        self._refs = {
            e.name: EntityRef(name=e.name, kind=e.kind, kb_id=e.kb_id, part_of=e.part_of)
            for e in self._entries.values()
        }

    @classmethod
    def load(cls, extra: Sequence[Path] = ()) -> EntityIndex:
        """Load the bundled table, extended by ``extra`` user files in order.

        A user entry with a canonical name already known merges into it: its aliases,
        demonyms and containers are added and its kind and level replace the old ones.

        Args:
            extra: JSON files in the bundled format (``{"version": 1, "entities": [...]}``).

        Returns:
            The index; without ``extra`` it is a shared, cached instance.

        Raises:
            ConfigError: A user file is missing, not valid JSON or not in the format; the
                message names the file and the problem.
        """
        if not extra:
            return _bundled_index()
        layers = [_bundled_entries()]
        known = {e.name for e in layers[0]}
        for path in extra:
            entries = _read_user_file(Path(path), known)
            known |= {e.name for e in entries}
            layers.append(entries)
        return cls(layers)

    def lookup(self, surface: str) -> EntityRef | None:
        """Return the entity ``surface`` names exactly (after normalising), or None.

        Example:
            >>> EntityIndex.load().lookup("the U.S.S.R.").name
            'Soviet Union'
        """
        key = _key(surface)
        name = self._exact.get(key)
        if name is None:
            name = self._folded.get(key.lower())
        return self._refs[name] if name else None

    def demonym(self, word: str) -> EntityRef | None:
        """Return the entity a demonym ("Soviet", "British", "Germans") refers to, or None."""
        key = _key(word).lower()
        name = self._demonyms.get(key)
        if name is None and key.endswith("s"):
            name = self._demonyms.get(key[:-1])
        return self._refs[name] if name else None

    def is_part_of(self, inner: str, outer: str) -> bool:
        """True when ``inner`` lies within ``outer``, directly or through containers.

        Names are canonical names or any alias; an entity is not part of itself.
        """
        a, b = self._canonical(inner), self._canonical(outer)
        if a is None or b is None or a == b:
            return False
        seen: set[str] = set()
        todo = list(self._refs[a].part_of)
        while todo:
            name = todo.pop()
            if name == b:
                return True
            if name not in seen and name in self._refs:
                seen.add(name)
                todo.extend(self._refs[name].part_of)
        return False

    def aliases(self) -> Iterator[tuple[str, EntityRef]]:
        """Yield every surface form that resolves, with its entity, for phrase matching."""
        for entry in self._entries.values():
            for surface in (entry.name, *entry.aliases):
                ref = self.lookup(surface)
                if ref is not None and ref.name == entry.name:
                    yield surface, ref

    def is_cased(self, surface: str) -> bool:
        """True when ``surface`` names its entity only in the case it is written."""
        entry = self._entries.get(self._exact.get(_key(surface), ""))
        return entry is not None and _is_cased(entry)

    def __len__(self) -> int:
        """The number of canonical entities."""
        return len(self._entries)

    def _canonical(self, name: str) -> str | None:
        if name in self._refs:
            return name
        ref = self.lookup(name)
        return ref.name if ref else None


def _layer_maps(layer: Sequence[_Entry]) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Alias and demonym maps for one layer, leaving out forms two entities share."""
    exact: dict[str, str | None] = {}
    folded: dict[str, str | None] = {}
    demonyms: dict[str, str | None] = {}

    def put(table: dict[str, str | None], key: str, name: str) -> None:
        if key in table and table[key] != name:
            logger.debug("%r names more than one entity; it will resolve to none", key)
            table[key] = None
        elif key not in table:
            table[key] = name

    for entry in layer:
        for surface in (entry.name, *entry.aliases):
            key = _key(surface)
            put(exact, key, entry.name)
            if key.lower() not in _WORDS and not _is_cased(entry):
                put(folded, key.lower(), entry.name)
        for word in entry.demonyms:
            put(demonyms, _key(word).lower(), entry.name)

    # An ambiguous key maps to "" so that it still hides a lower layer's answer.
    return (
        {k: v or "" for k, v in exact.items()},
        {k: v or "" for k, v in folded.items()},
        {k: v or "" for k, v in demonyms.items()},
    )


def _merge(old: _Entry | None, new: _Entry) -> _Entry:
    if old is None:
        return new
    return _Entry(
        name=new.name,
        kind=new.kind,
        level=new.level or old.level,
        aliases=tuple(dict.fromkeys((*old.aliases, *new.aliases))),
        demonyms=tuple(dict.fromkeys((*old.demonyms, *new.demonyms))),
        part_of=tuple(dict.fromkeys((*old.part_of, *new.part_of))),
        kb_id=old.kb_id,
    )


@functools.lru_cache(maxsize=1)
def _bundled_entries() -> tuple[_Entry, ...]:
    raw = resources.files("accord.data").joinpath("entities.json").read_text("utf-8")
    entries = _parse(json.loads(raw), "accord/data/entities.json")
    logger.debug("loaded %d bundled entities", len(entries))
    return entries


@functools.lru_cache(maxsize=1)
def _bundled_index() -> EntityIndex:
    return EntityIndex([_bundled_entries()])


def _read_user_file(path: Path, known: set[str]) -> tuple[_Entry, ...]:
    from accord.ingest.files import open_regular

    try:
        with open_regular(path, f"entity file {path}") as handle:
            raw = handle.read().decode("utf-8")
    except NotAFileError as exc:
        raise ConfigError(str(exc)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else None
        raise ConfigError(f"cannot read entity file {path}: {reason or exc}") from exc
    try:
        doc = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"entity file {path} is not valid JSON: {exc.msg} at line {exc.lineno} "
            f"column {exc.colno}"
        ) from exc
    entries = _parse(doc, str(path))
    names = known | {e.name for e in entries}
    for entry in entries:
        missing = [p for p in entry.part_of if p not in names]
        if missing:
            raise ConfigError(
                f"entity file {path}: {entry.name!r} is part_of unknown entity "
                f"{missing[0]!r}; define it in the file or use a canonical name"
            )
    return entries


def _parse(doc: Any, source: str) -> tuple[_Entry, ...]:
    """Validate a decoded entities document and turn it into entries."""
    if not isinstance(doc, dict):
        raise ConfigError(f"entity file {source}: expected a JSON object with 'entities'")
    if doc.get("version") != DATA_VERSION:
        raise ConfigError(
            f"entity file {source}: unsupported version {doc.get('version')!r}; "
            f'set "version": {DATA_VERSION}'
        )
    items = doc.get("entities")
    if not isinstance(items, list):
        raise ConfigError(f"entity file {source}: 'entities' must be a list of objects")
    return tuple(_parse_entry(item, f"{source}: entities[{i}]") for i, item in enumerate(items))


def _parse_entry(item: Any, where: str) -> _Entry:
    if not isinstance(item, Mapping):
        raise ConfigError(f"entity file {where} must be an object")
    unknown = sorted(set(item) - _FIELDS)
    if unknown:
        raise ConfigError(
            f"entity file {where} has unknown key {unknown[0]!r}; "
            f"valid: {', '.join(sorted(_FIELDS))}"
        )
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"entity file {where} needs a non-empty string 'name'")
    kind = item.get("kind", "place")
    if kind not in _KINDS:
        raise ConfigError(
            f"entity file {where} ({name}): unknown kind {kind!r}; valid: {', '.join(_KINDS)}"
        )
    lists = {}
    for key in ("aliases", "demonyms", "part_of"):
        value = item.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ConfigError(f"entity file {where} ({name}): {key!r} must be a list of strings")
        lists[key] = tuple(value)
    level = item.get("level", "")
    if not isinstance(level, str):
        raise ConfigError(f"entity file {where} ({name}): 'level' must be a string")
    slug = re.sub(r"[^a-z0-9]+", "-", _key(name).lower()).strip("-")
    kb_id = item.get("id") or f"accord:{kind}/{slug}"
    return _Entry(
        name=name,
        kind=EntityKind.from_str(kind),
        level=level,
        aliases=lists["aliases"],
        demonyms=lists["demonyms"],
        part_of=lists["part_of"],
        kb_id=str(kb_id),
    )


# Words left out of an organisation's initials: "Organisation of the Petroleum ..." is OPEC.
_MINOR_WORDS = frozenset(_words("of the and for on in to a an &"))


def acronym(name: str) -> str:
    """The initials of a name's significant words: "North Atlantic Treaty Organization" ->
    "NATO"; "" for a name of one word."""
    words = [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in _MINOR_WORDS]
    return "".join(w[0].upper() for w in words if w[0].isalpha()) if len(words) > 1 else ""


def same_name(x: EntityRef, y: EntityRef) -> bool:
    """True when two entity references of one kind name the same entity.

    People match by full name, by surname alone ("Cripps" and "Stafford Cripps") and by
    a name whose words all stand in the other, surname last ("Stafford Cripps" and
    "Richard Stafford Cripps"); organisations also by acronym
    ("NATO"). Titles and honorifics are already gone from the names.
    """
    if x.kind is not y.kind:
        return False
    if x.name == y.name:
        return True
    if x.kind is EntityKind.PERSON:
        a, b = x.name.split(), y.name.split()
        if not a or not b or a[-1] != b[-1]:
            return False
        short, long = sorted((a, b), key=len)
        return set(short) <= set(long)
    if x.kind is EntityKind.ORGANISATION:
        return x.name == acronym(y.name) or y.name == acronym(x.name)
    return False


_NAME_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_NAME_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=8192)  # asked for every noun of every clause; names repeat
def normalize_name(text: str) -> str:
    """Case-fold a name and drop a leading article, possessive and dash variants."""
    text = _NAME_DASHES.sub("-", text).strip().lower()
    text = re.sub(r"^(the|a|an)\s+", "", text)
    text = re.sub(r"['’]s$", "", text)
    return _NAME_SPACES.sub(" ", text).strip(" .,;:")


_NAME_QUALIFIER = re.compile(r"\s*\(([^)]*)\)\s*$")
_PARTICLES = frozenset({"of", "the", "and", "de", "la", "le", "du", "von", "van", "on", "at"})
_CAPITAL_RUN = re.compile(
    r"(?<![\w'’])(?:[A-Z][\w'’-]+ (?:(?:of|the|de|la|von|van) )?){1,4}[A-Z][\w'’-]+"
)


def name_forms(name: str) -> list[str]:
    """A title and the shorter names it holds: without its qualifier ("Lady Ardmore" of
    "Lady Ardmore (1911)"), before a colon ("Orvsjön" of "Orvsjön: paddling, char and
    midnight swims"), and its leading capitalised words ("Marrowby Athletic" of "Marrowby
    Athletic Football Club", "Hexley Athletic" of "Hexley Athletic fan blog")."""
    name = name.strip()
    forms = [name, _NAME_QUALIFIER.sub("", name).strip()]
    if ":" in name:
        forms.append(name.split(":", 1)[0].strip())
    words = _NAME_QUALIFIER.sub("", name).split()
    lead: list[str] = []
    for word in words:
        if not word[:1].isupper() and word not in _PARTICLES:
            break
        lead.append(word.strip(",;:"))
    for n in range(len(lead), 1, -1):
        prefix = lead[:n]
        if prefix[-1] not in _PARTICLES:
            forms.append(" ".join(prefix))
    # capitalised runs inside a headline: "Hexley Athletic" of "a Hexley Athletic fan blog"
    for run in _CAPITAL_RUN.findall(_NAME_QUALIFIER.sub("", name)):
        forms.append(run.strip())
    return list(dict.fromkeys(f for f in forms if f))


def qualifier(name: str) -> str:
    """The qualifier of a name in brackets, folded ("Belorusskaya (Koltsevaya line)" ->
    "koltsevaya line"), or ""."""
    match = _NAME_QUALIFIER.search(name)
    return " ".join(match.group(1).casefold().split()) if match else ""
