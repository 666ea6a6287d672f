"""JSON (de)serialisers that round-trip the model's records exactly, for the store.

The report's JSON (``accord.report.json``) is for readers and drops what a reader does not
need; the store must give back the very records it was given. This codec is generic over
the frozen dataclasses of ``accord.model``: it follows their type hints, so a field added
to a record is stored without a change here (and a field missing from older rows takes its
default). Records in a union (slot values) carry their class name under ``"$type"``.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import json
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from accord import model
from accord.model import Claim, Removed, Section, Span, Value

__all__ = [
    "claim_from_dict",
    "claim_to_dict",
    "decode",
    "dumps",
    "encode",
    "loads",
    "record_from_dict",
    "record_to_dict",
    "removed_from_dict",
    "removed_to_dict",
    "section_from_dict",
    "section_to_dict",
    "span_from_dict",
    "span_to_dict",
    "value_from_dict",
    "value_to_dict",
]

_TYPE_KEY = "$type"
R = TypeVar("R")


def dumps(data: Any) -> str:
    """Serialise plain data as compact, key-sorted JSON (so equal data gives equal text)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> Any:
    """Parse JSON text written by :func:`dumps`."""
    return json.loads(text)


def encode(obj: Any) -> Any:
    """A model record (or any value inside one) as JSON-able data.

    Decimals become strings (exact, trailing zeros kept), enums their values, tuples lists.
    """
    if obj is None or isinstance(obj, bool | int | float | str):
        return obj
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, Decimal):
        return str(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return _encode_record(obj, ())
    if isinstance(obj, tuple | list):
        return [encode(item) for item in obj]
    if isinstance(obj, dict):
        return {str(key): encode(value) for key, value in obj.items()}
    raise TypeError(f"cannot encode {type(obj).__name__} for the store")


def _encode_record(record: Any, leave_out: tuple[str, ...]) -> dict[str, Any]:
    cls: type = type(record)
    data = {
        name: encode(getattr(record, name)) for name in _field_names(cls) if name not in leave_out
    }
    data[_TYPE_KEY] = cls.__name__
    return data


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def decode(data: Any, hint: Any) -> Any:
    """Rebuild a value of type ``hint`` from what :func:`encode` gave.

    Raises:
        ValueError: the data names a record type that is not one of ``hint``'s.
    """
    return _decoder(hint)(data)


Decoder = Callable[[Any], Any]


def _same(data: Any) -> Any:
    return data


@functools.cache
def _decoder(hint: Any) -> Decoder:
    """A function that decodes data of type ``hint``, built once per type (decoding is hot:
    a stored subject's report rebuilds every verdict)."""
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        return _union_decoder(hint)
    if origin is tuple or origin is list:
        item = _decoder(typing.get_args(hint)[0])
        build = tuple if origin is tuple else list
        return lambda data: build(item(x) for x in data)
    if origin is dict:
        value = _decoder(typing.get_args(hint)[1])
        return lambda data: {key: value(x) for key, x in data.items()}
    if hint is Span:  # the commonest record by far (every claim, slot and evidence has one)
        return lambda data: Span(doc_id=data["doc_id"], start=data["start"], end=data["end"])
    if isinstance(hint, type):
        if dataclasses.is_dataclass(hint):
            return lambda data: _record(data, hint)
        if issubclass(hint, enum.Enum):
            return hint
        if hint is Decimal:
            return Decimal
        if hint is float:
            return lambda data: float(data) if isinstance(data, int) else data
    return _same


def _union_decoder(hint: Any) -> Decoder:
    options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    records = {
        o.__name__: o for o in options if isinstance(o, type) and dataclasses.is_dataclass(o)
    }
    single = _decoder(options[0]) if len(options) == 1 else None

    def decode_union(data: Any) -> Any:
        if data is None:
            return None
        if isinstance(data, dict) and _TYPE_KEY in data:
            cls = records.get(data[_TYPE_KEY])
            if cls is None:
                raise ValueError(f"unknown value type {data[_TYPE_KEY]!r} for {hint}")
            return _record(data, cls)
        if single is None:
            raise ValueError(f"unknown value type in {data!r}; valid: {', '.join(records)}")
        return single(data)

    return decode_union


def _record_class(name: str) -> type:
    cls = getattr(model, str(name), None)
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise ValueError(f"unknown record type {name!r} in the store")
    return cls


@functools.cache
def _fields(cls: type) -> tuple[tuple[str, Decoder], ...]:
    hints = typing.get_type_hints(cls, vars(model))
    return tuple((f.name, _decoder(hints[f.name])) for f in dataclasses.fields(cls))


def _record(data: dict[str, Any], cls: Any, given: dict[str, Any] | None = None) -> Any:
    if data.get(_TYPE_KEY, cls.__name__) != cls.__name__:
        cls = _record_class(data[_TYPE_KEY])
    values = {name: dec(data[name]) for name, dec in _fields(cls) if name in data}
    if given:
        values.update(given)
    return cls(**values)


def record_to_dict(record: Any, *, leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    """A model record as plain data, without the fields in ``leave_out`` (stored apart:
    they are not encoded at all, which matters for a verdict's pair and its two claims)."""
    if not dataclasses.is_dataclass(record) or isinstance(record, type):
        raise TypeError(f"cannot encode {type(record).__name__} as a record for the store")
    return _encode_record(record, leave_out)


def record_from_dict(data: dict[str, Any], cls: type[R], **given: Any) -> R:
    """The record of class ``cls`` :func:`record_to_dict` wrote; ``given`` supplies the
    fields that were left out."""
    result: R = _record(data, cls, given)
    return result


def span_to_dict(span: Span) -> dict[str, Any]:
    """A span as plain data."""
    return dict(encode(span))


def span_from_dict(data: dict[str, Any]) -> Span:
    """The span :func:`span_to_dict` wrote."""
    result: Span = _record(data, Span)
    return result


def value_to_dict(value: Value) -> dict[str, Any]:
    """A slot value as plain data, tagged with its type."""
    return dict(encode(value))


def value_from_dict(data: dict[str, Any]) -> Value:
    """The value :func:`value_to_dict` wrote.

    Raises:
        ValueError: an unknown type tag.
    """
    result: Value = decode(data, Value)
    return result


def claim_to_dict(claim: Claim) -> dict[str, Any]:
    """A claim as plain data, slots included."""
    return dict(encode(claim))


def claim_from_dict(data: dict[str, Any]) -> Claim:
    """The claim :func:`claim_to_dict` wrote."""
    result: Claim = _record(data, Claim)
    return result


def section_to_dict(section: Section) -> dict[str, Any]:
    """A document section as plain data."""
    return dict(encode(section))


def section_from_dict(data: dict[str, Any]) -> Section:
    """The section :func:`section_to_dict` wrote."""
    result: Section = _record(data, Section)
    return result


def removed_to_dict(removed: Removed) -> dict[str, Any]:
    """A removed span as plain data."""
    return dict(encode(removed))


def removed_from_dict(data: dict[str, Any]) -> Removed:
    """The removed span :func:`removed_to_dict` wrote."""
    result: Removed = _record(data, Removed)
    return result
