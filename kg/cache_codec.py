"""Dataclass records <-> plain JSON values, so the cache holds data and never code.

Generic over dataclass fields: `encode` walks `dataclasses.fields`, and
`decoder(cls)` builds, once per class, a function that rebuilds an instance
from what `encode` made, checking every value against the field's type hint
(str, int, float, bool, None, enums, unions, list, tuple, set, dict,
nested dataclasses). A field added later to NoteFacts is cached with no change here;
one missing from the data takes its default. Anything that does not fit is a
CodecError: a damaged or foreign cache entry is re-extracted, never trusted.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Callable
from functools import cache

Decode = Callable[[object], object]


class CodecError(ValueError):
    """Data that does not fit the record type it should decode to."""


def encode(value):
    """A plain JSON-able value for a dataclass record (dicts become [key, value] pairs)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return [encode(v) for v in _sorted(value)]
    if isinstance(value, dict):
        # Pairs, not an object: JSON object keys are text, and `lines` has int keys.
        return [[encode(k), encode(v)] for k, v in value.items()]
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _sorted(values):
    try:
        return sorted(values)
    except TypeError:
        return list(values)


@cache
def decoder(tp) -> Decode:
    """A function turning `encode`'s output back into a value of type `tp`."""
    if dataclasses.is_dataclass(tp):
        return _record(tp)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return _union(tuple(decoder(a) for a in args), type(None) in args)
    if origin is list or origin in (set, frozenset):
        return _sequence(decoder(args[0]) if args else _any, origin)
    if origin is tuple:
        return _tuple(args)
    if origin is dict:
        return _mapping(decoder(args[0]), decoder(args[1]))
    if tp in (str, int, float, bool, type(None)):
        return _scalar(tp)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return _enum(tp)
    return _any  # a hint this module does not know: take the plain value as it is


def _scalar(tp) -> Decode:
    def check(value):
        # type() rather than isinstance: True must not pass for an int.
        if type(value) is tp:
            return value
        if tp is float and type(value) is int:
            return float(value)
        raise CodecError(f"expected {tp.__name__}, got {type(value).__name__}")
    return check


def _any(value):
    return value


def _enum(tp) -> Decode:
    def check(value):
        try:
            return tp(value)
        except ValueError:
            raise CodecError(f"{value!r} is not a {tp.__name__}") from None
    return check


def _union(options: tuple[Decode, ...], optional: bool) -> Decode:
    def check(value):
        if value is None and optional:
            return None
        for option in options:
            try:
                return option(value)
            except CodecError:
                continue
        raise CodecError(f"{type(value).__name__} fits none of the allowed types")
    return check


def _list(value) -> list:
    if not isinstance(value, list):
        raise CodecError(f"expected a list, got {type(value).__name__}")
    return value


def _sequence(item: Decode, kind) -> Decode:
    def check(value):
        items = [item(v) for v in _list(value)]
        return items if kind is list else kind(items)
    return check


def _tuple(args: tuple) -> Decode:
    if len(args) == 2 and args[1] is Ellipsis:
        item = decoder(args[0])
        return lambda value: tuple(item(v) for v in _list(value))
    items = tuple(decoder(a) for a in args)

    def check(value):
        value = _list(value)
        if len(value) != len(items):
            raise CodecError(f"expected {len(items)} values, got {len(value)}")
        return tuple(d(v) for d, v in zip(items, value, strict=True))
    return check


def _mapping(key: Decode, val: Decode) -> Decode:
    def check(value):
        out = {}
        for pair in _list(value):
            if not isinstance(pair, list) or len(pair) != 2:
                raise CodecError("expected [key, value] pairs")
            out[key(pair[0])] = val(pair[1])
        return out
    return check


def _record(cls) -> Decode:
    hints = typing.get_type_hints(cls)
    fields = {f.name: decoder(hints[f.name]) for f in dataclasses.fields(cls) if f.init}

    def build(value):
        if type(value) is not dict:
            raise CodecError(f"expected a {cls.__name__} record, got {type(value).__name__}")
        try:
            # A field missing from `value` takes its default; one without a default
            # makes the constructor raise TypeError, as does an unknown one.
            return cls(**{name: fields[name](v) for name, v in value.items()})
        except (KeyError, TypeError) as exc:
            raise CodecError(f"not a {cls.__name__} record ({exc})") from None
    return build
