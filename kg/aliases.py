"""The alias file (`kg-aliases.toml`): merges a user forces or forbids, checked before use.

A mistake in this file silently changes who is who in the graph, so anything
kg cannot read one way only is refused with the file, the key and the fix:
a wrong type, an empty name, a string where a list belongs, nesting, an
unknown table, and merges that contradict each other.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from . import vocab as V
from .errors import AliasFileError

ALIAS_FILE = "kg-aliases.toml"
_TABLES = ("people", "never", "entities")
#: A hand-written alias file is a few kilobytes; past this it is not one.
_MAX_BYTES = 1024 * 1024


@dataclass
class Aliases:
    """Merges a user forces or forbids, from `kg-aliases.toml`."""

    people: dict[str, list[str]] = field(default_factory=dict)  # canonical -> written forms
    never: dict[str, list[str]] = field(default_factory=dict)  # written form -> not these
    entities: dict[str, str] = field(default_factory=dict)  # name -> label

    @classmethod
    def read(cls, path: Path) -> Aliases:
        """The aliases in `path`, or an AliasFileError naming the file and the key."""
        data = _parse(path)
        check = _Checker(path)
        unknown = sorted(set(data) - set(_TABLES))
        if unknown:
            check.fail(unknown[0], "is not a table kg knows; use [people], [never] or [entities]")
        people = check.lists(data, "people")
        never = check.lists(data, "never")
        entities = check.labels(data)
        check.consistent(people, never)
        return cls(people=people, never={V.fold(k): v for k, v in never.items()},
                   entities=entities)


def _parse(path: Path) -> dict:
    try:
        if path.stat().st_size > _MAX_BYTES:
            raise AliasFileError(f"{path}: over {_MAX_BYTES // 1024} KB, which is not a "
                                 "hand-written alias file; check --aliases")
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise AliasFileError(f"{path}: cannot read alias file: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise AliasFileError(f"{path}: not valid TOML: {exc}") from exc
    except RecursionError:
        raise AliasFileError(f"{path}: nested too deeply to be an alias file") from None


class _Checker:
    """Checks one alias file's values, failing with the file and the key at fault."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, problem: str):
        raise AliasFileError(f"{self.path}: {key} {problem}")

    def _table(self, data: dict, table: str) -> dict:
        value = data.get(table, {})
        if not isinstance(value, dict):
            self.fail(f"[{table}]", "must be a table of \"name\" = ... lines")
        return value

    def _name(self, table: str, key: str) -> str:
        if not key.strip():
            self.fail(f"[{table}] \"{key}\"", "is an empty name; write the name in the quotes")
        return key.strip()

    def lists(self, data: dict, table: str) -> dict[str, list[str]]:
        """A table of name = [names] (`[people]`, `[never]`)."""
        out: dict[str, list[str]] = {}
        for key, value in self._table(data, table).items():
            where = f"[{table}] \"{key}\""
            name = self._name(table, key)
            if isinstance(value, str):
                self.fail(where, f"must be a list of names, e.g. [\"{value}\"], not a string")
            if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
                self.fail(where, "must be a list of names in quotes, e.g. [\"Tom F\"]")
            if any(not x.strip() for x in value):
                self.fail(where, "lists an empty name")
            if any(V.fold(name) == V.fold(k) for k in out):
                self.fail(where, "is listed twice (names compare ignoring case and accents)")
            out[name] = [x.strip() for x in value]
        return out

    def labels(self, data: dict) -> dict[str, str]:
        """`[entities]`: name = label."""
        out: dict[str, str] = {}
        for key, value in self._table(data, "entities").items():
            name = self._name("entities", key)
            if value not in V.ENTITY_LABELS:
                shown = repr(value) if isinstance(value, str) else f"a {type(value).__name__}"
                self.fail(f"[entities] \"{key}\"", f"has unknown label {shown}; use one of "
                          f"{', '.join(V.ENTITY_LABELS)}")
            out[name] = value
        return out

    def consistent(self, people: dict[str, list[str]], never: dict[str, list[str]]) -> None:
        """Refuse a written form forced onto two people, or both forced and forbidden."""
        forced: dict[str, str] = {}  # fold(written form) -> canonical
        canonical = {V.fold(c): c for c in people}
        for person, forms in people.items():
            for form in forms:
                key = V.fold(form.lstrip("@"))
                where = f"[people] \"{person}\""
                if key in canonical and canonical[key] != person:
                    self.fail(where, f"lists \"{form}\", which is another person in [people]")
                if forced.get(key, person) != person:
                    self.fail(where, f"lists \"{form}\", which [people] also gives to "
                                     f"\"{forced[key]}\"")
                forced[key] = person
        for form, forbidden in never.items():
            key = V.fold(form.lstrip("@"))
            for person in forbidden:
                if V.fold(forced.get(key, "")) == V.fold(person) or \
                        (key == V.fold(person) and V.fold(person) in canonical):
                    self.fail(f"[never] \"{form}\"", f"forbids \"{person}\", but [people] "
                              "forces that merge; keep one of the two")
