"""The extractor's declarative parts, loaded from `pipelines/`.

Everything a team might want to tune (meta keys, section names, cue phrases,
name lists, tracker key patterns) is data; this module only reads it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ..datafiles import pipelines_dir
from .structure import norm


def _read_json(name: str) -> dict:
    return json.loads((pipelines_dir() / name).read_text(encoding="utf-8"))


def _read_lines(name: str) -> list[str]:
    text = (pipelines_dir() / name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _read_jsonl(name: str) -> list[dict]:
    return [json.loads(ln) for ln in _read_lines(name)]


@dataclass(frozen=True)
class KeyPatterns:
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    requires: tuple[tuple[str, ...], ...]  # per pattern: strings a text must contain
    incident_prefixes: frozenset[str]
    not_keys: frozenset[str]
    not_key_prefixes: frozenset[str]

    def find(self, text: str, incident_prefixes: frozenset[str] | None = None):
        """(start, end, key, is_incident) of every tracker key written in `text`.

        Patterns whose literals (`requires`) are absent are not tried. The
        incident prefixes default to the configured ones.
        """
        prefixes = incident_prefixes if incident_prefixes is not None else self.incident_prefixes
        for (_name, rx), needed in zip(self.patterns, self.requires, strict=True):
            if not all(s in text for s in needed):
                continue
            for m in rx.finditer(text):
                key = _key_text(m)
                if key and self.is_key(key):
                    yield m.start(), m.end(), key, key.split("-", 1)[0].upper() in prefixes

    def is_key(self, key: str) -> bool:
        upper = key.upper()
        return upper not in self.not_keys and upper.split("-", 1)[0] not in self.not_key_prefixes


def _key_text(m: re.Match[str]) -> str | None:
    """The key a pattern matched: its `key` group, or `repo#num` for an issue URL."""
    groups = m.groupdict()
    if groups.get("num") and groups.get("repo"):
        return f"{groups['repo']}#{groups['num']}"
    return groups.get("key")


@dataclass(frozen=True)
class Lexicon:
    structure: dict
    lexicon: dict
    first_names: frozenset[str]
    keys: KeyPatterns
    relation_rules: tuple[dict, ...]

    def meta_field(self, key: str) -> str | None:
        """The meta field a `Key:` label names ("Present" -> "attendees"), or None."""
        k = norm_key(key)
        return self._meta_index.get(k)

    @cached_property
    def _meta_index(self) -> dict[str, str]:
        index = {}
        for field_name, names in self.structure["meta_keys"].items():
            for n in names:
                index.setdefault(norm_key(n), field_name)
        return index

    def is_action_section(self, title: str) -> bool:
        hit = self._section_cache.get(title)
        if hit is None:
            t = norm_key(title)
            parts = [p.strip() for p in re.split(r"\s*(?:/|&|\+|,|\band\b)\s*", t) if p.strip()]
            hit = any(p in self._action_sections or any(
                p.startswith(s + " ") for s in self._action_sections if len(s) > 3)
                for p in [t, *parts])
            self._section_cache[title] = hit
        return hit

    @cached_property
    def _section_cache(self) -> dict[str, bool]:
        return {}

    @cached_property
    def _action_sections(self) -> frozenset[str]:
        return frozenset(norm_key(s) for s in self.structure["action_sections"])

    @cached_property
    def section_names(self) -> frozenset[str]:
        """Bare lines that open a section: "Action items", "Next steps", "Notes"."""
        names = self.structure["action_sections"] + self.structure["plain_section_names"]
        return frozenset(norm(n) for n in names)

    def column_role(self, header: str) -> str | None:
        h = norm_key(header)
        for role, names in self.structure["table_columns"].items():
            if h in names:
                return role
        return None


def norm_key(text: str) -> str:
    """Normalise a label for lookup: `**Action Items:**` -> `action items`."""
    text = re.sub(r"[*_`#:]+", " ", text)
    text = re.sub(r"[^\w\s/&+'-]", " ", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


@lru_cache(maxsize=1)
def load() -> Lexicon:
    keys = _read_json("keys.json")
    patterns = tuple((p["name"], re.compile(p["regex"])) for p in keys["patterns"])
    requires = tuple(tuple(p.get("requires", ())) for p in keys["patterns"])
    return Lexicon(
        structure=_read_json("structure.json"),
        lexicon=_read_json("lexicon.json"),
        first_names=frozenset(_read_lines("first_names.txt")),
        keys=KeyPatterns(
            patterns=patterns,
            requires=requires,
            incident_prefixes=frozenset(p.upper() for p in keys["incident_prefixes"]),
            not_keys=frozenset(k.upper() for k in keys["not_keys"]),
            not_key_prefixes=frozenset(k.upper() for k in keys["not_key_prefixes"]),
        ),
        relation_rules=tuple(_read_jsonl("relations.jsonl")),
    )
