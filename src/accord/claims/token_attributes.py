"""What the English model's attribute ruler sets, by table lookup instead of a matcher.

The model's ``attribute_ruler`` maps each token's tag, word and dependency to its
coarse part of speech, morphology and a few lemmas, with 179 matcher rules run over every
token: a tenth of the pipeline's time. Almost all of them test one token, so their outcome
depends only on that token's (lower-case form, tag, dependency, is-space) and is looked up
once per distinct combination; the few rules of two tokens are checked where their first
token fits. The rules are the model's own; the result is the ruler's, token by token
(``tests/claims/test_pipeline_ops.py``).

Semantics kept from spaCy's ``AttributeRuler``: every rule is matched against the tokens
as the tagger and parser left them, then the matches are applied in rule order, so a later
rule's value of an attribute wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["FACTORY", "TokenAttributes", "replace_attribute_ruler"]

FACTORY = "accord_token_attributes"
_CACHE_LIMIT = 200_000  # distinct token keys remembered; the table is cleared beyond this
_FIELDS = ("LOWER", "TAG", "DEP", "IS_SPACE")  # what the rules test, in key order

Key = tuple[int, int, int, int]  # hashes of lower, tag, dep; is_space as 0/1
Test = Callable[[Any], bool]
Attrs = Mapping[int, int]


@dataclass(frozen=True, slots=True)
class _Rule:
    order: int  # the ruler's rule number: later rules win
    tokens: tuple[tuple[tuple[int, Test], ...], ...]  # per token: (field index, test)
    attrs: Attrs  # attribute id -> value, as the ruler normalised them
    index: int  # which token of the match gets the attributes (may be negative)


class TokenAttributes:
    """A pipeline component doing what a spaCy ``AttributeRuler`` with the same rules does."""

    def __init__(self, vocab: Any) -> None:
        self.vocab = vocab
        self._single: list[_Rule] = []
        self._multi: list[_Rule] = []
        self._columns: list[int] = []
        self._table: dict[Key, tuple[Attrs, frozenset[tuple[int, int]]]] = {}

    def take_rules(self, ruler: Any) -> None:
        """Copy the rules of ``ruler`` (a spaCy ``AttributeRuler``), in its order."""
        rules = []
        for order, (attrs, index) in enumerate(zip(ruler.attrs, ruler.indices, strict=True)):
            _, patterns = ruler.matcher.get(self.vocab.strings[str(order)])
            for pattern in patterns:
                tokens = tuple(_compile_token(spec) for spec in pattern)
                rules.append(_Rule(order, tokens, dict(attrs), index))
        self._single = [r for r in rules if len(r.tokens) == 1]
        self._multi = [r for r in rules if len(r.tokens) > 1]
        self._columns = sorted({attr for r in rules for attr in r.attrs})
        self._table.clear()

    def __call__(self, doc: Doc) -> Doc:
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        if not len(doc) or not self._columns:
            return doc
        fields: list[int | str] = [LOWER, TAG, DEP, IS_SPACE]
        keys = [cast(Key, tuple(row)) for row in doc.to_array(fields).tolist()]
        looked_up = [self._look_up(key) for key in keys]
        extra = self._multi_token_matches(looked_up)
        columns: list[int | str] = list(self._columns)
        values: Any = doc.to_array(columns)
        position = {attr: col for col, attr in enumerate(self._columns)}
        for i, (attrs, _) in enumerate(looked_up):
            if i in extra:
                attrs = _merge(self._matched_single(keys[i]) + extra[i])
            for attr, value in attrs.items():
                values[i, position[attr]] = value
        doc.from_array(columns, values)
        return doc

    # -- matching ---------------------------------------------------------------------

    def _look_up(self, key: Key) -> tuple[Attrs, frozenset[tuple[int, int]]]:
        """The merged attributes of the one-token rules for ``key``, and which tokens of
        which multi-token rules it fits."""
        found = self._table.get(key)
        if found is None:
            if len(self._table) >= _CACHE_LIMIT:
                self._table.clear()
            fields = self._fields(key)
            fits = frozenset(
                (n, t)
                for n, rule in enumerate(self._multi)
                for t, tests in enumerate(rule.tokens)
                if _fits(tests, fields)
            )
            found = (_merge(self._matched_single(key, fields)), fits)
            self._table[key] = found
        return found

    def _matched_single(
        self, key: Key, fields: Sequence[Any] | None = None
    ) -> list[tuple[int, Attrs]]:
        fields = fields if fields is not None else self._fields(key)
        return [(r.order, r.attrs) for r in self._single if _fits(r.tokens[0], fields)]

    def _fields(self, key: Key) -> tuple[str, str, str, bool]:
        strings = self.vocab.strings
        lower, tag, dep, space = key
        return strings[lower], strings[tag], strings[dep], bool(space)

    def _multi_token_matches(
        self, looked_up: Sequence[tuple[Attrs, frozenset[tuple[int, int]]]]
    ) -> dict[int, list[tuple[int, Attrs]]]:
        """Token position -> (rule order, attributes) of the multi-token rules matched."""
        extra: dict[int, list[tuple[int, Attrs]]] = {}
        n = len(looked_up)
        for start, (_, fits) in enumerate(looked_up):
            if not fits:  # nearly every token: it fits no token of any multi-token rule
                continue
            for r, rule in enumerate(self._multi):
                width = len(rule.tokens)
                if (r, 0) not in fits or start + width > n:
                    continue
                if all((r, t) in looked_up[start + t][1] for t in range(1, width)):
                    target = start + (rule.index if rule.index >= 0 else width + rule.index)
                    extra.setdefault(target, []).append((rule.order, rule.attrs))
        return extra


def _merge(matched: list[tuple[int, Attrs]]) -> Attrs:
    """Apply matched rules in rule order (stable for one rule matched twice)."""
    merged: dict[int, int] = {}
    for _, attrs in sorted(matched, key=lambda m: m[0]):
        merged.update(attrs)
    return merged


def _fits(tests: tuple[tuple[int, Test], ...], fields: Sequence[Any]) -> bool:
    return all(test(fields[field]) for field, test in tests)


def _compile_token(spec: Mapping[str, Any]) -> tuple[tuple[int, Test], ...]:
    """The tests of one token pattern, as (field index, test) pairs."""
    tests = []
    for name, value in spec.items():
        if name not in _FIELDS:
            raise ValueError(f"attribute rule tests {name}, which is not supported")
        tests.append((_FIELDS.index(name), _compile_value(value)))
    return tuple(tests)


def _compile_value(value: Any) -> Test:
    if isinstance(value, bool | str):
        expected: bool | str = value
        return lambda field: bool(field == expected)
    if isinstance(value, dict) and len(value) == 1:
        ((op, operand),) = value.items()
        if op == "IN":
            members = frozenset(operand)
            return lambda field: field in members
        if op == "NOT_IN":
            excluded = frozenset(operand)
            return lambda field: field not in excluded
        if op == "REGEX":
            pattern = re.compile(operand)
            return lambda field: bool(pattern.search(field))
    raise ValueError(f"attribute rule value {value!r} is not supported")


def replace_attribute_ruler(nlp: Any) -> None:
    """Swap the pipeline's ``attribute_ruler`` for a ``TokenAttributes`` with its rules."""
    from spacy.language import Language

    if "attribute_ruler" not in nlp.component_names:
        return
    if not Language.has_factory(FACTORY):
        Language.factory(FACTORY, func=lambda nlp, name: TokenAttributes(nlp.vocab))
    names = nlp.component_names
    following = names[names.index("attribute_ruler") + 1 :]
    _, ruler = nlp.remove_pipe("attribute_ruler")
    place = {"before": following[0]} if following else {"last": True}
    component = nlp.add_pipe(FACTORY, name="token_attributes", **place)
    component.take_rules(ruler)
