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
from .layout import norm, split_label


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
    common_words: frozenset[str]
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
        """"Action items", "Next steps", "Resolutions / Actions", "Action Items (AIs)"."""
        hit = self._section_cache.get(title)
        if hit is None:
            hit = any(p in self._action_sections or any(
                p.startswith(s + " ") for s in self._action_sections if len(s) > 3)
                for p in split_label(norm_key(title)))
            self._section_cache[title] = hit
        return hit

    @cached_property
    def _section_cache(self) -> dict[str, bool]:
        return {}

    @cached_property
    def _action_sections(self) -> frozenset[str]:
        return frozenset(norm_key(s) for s in self.structure["action_sections"])

    def person_list(self, label: str) -> str | None:
        """The kind of people a heading or label lists, by the words in it, or None.

        "Voting member attendance" -> "attendees", "Apologies" -> "absent",
        "Participants" -> "members"; "Roles for next meeting" -> None (a later meeting's).
        """
        key = norm_key(re.sub(r"\([^)]*\)", " ", label))
        if not key or len(key.split()) > 6 or self.mentions_any(key, "future_section_words"):
            return None
        exact = self.meta_field(key)
        if exact in ("attendees", "members", "absent", "host", "notetaker"):
            return exact
        words = self.structure["person_list_words"]
        for field_name in ("absent", "attendees", "members"):
            if self.mentions_any(key, field_name, words):
                return field_name
        return None

    def mentions_any(self, text: str, list_name: str, table: dict | None = None) -> bool:
        """Does `text` contain, as whole words, a phrase of the named word list?"""
        phrases = (table or self.structure)[list_name]
        padded = f" {norm_key(text)} "
        return any(f" {p} " in padded for p in phrases)

    def opens_section(self, text: str) -> bool:
        """A bare line that opens a section: "Action items", "Next steps", "Other Attendees"."""
        if any(part in self.section_names for part in split_label(text)):
            return True
        return self.person_list(text) in ("attendees", "members", "absent")

    def is_action_prefix(self, key: str) -> bool:
        """"ACTION", "Action item", "ACTION ALL", "ACTION 14.3", "AI-7": an action label."""
        k = norm_key(key)
        return k in self._action_prefixes or bool(re.match(
            r"^(?:action(?: item| point)?s?|ai|ap)(?:[\s#-]*\d[\d. ]*| all| [a-z]{1,4})?$", k))

    @cached_property
    def _action_prefixes(self) -> frozenset[str]:
        return frozenset(norm_key(p) for p in self.structure["action_prefixes"])

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
        common_words=frozenset(_read_lines("common_words.txt")),
        keys=KeyPatterns(
            patterns=patterns,
            requires=requires,
            incident_prefixes=frozenset(p.upper() for p in keys["incident_prefixes"]),
            not_keys=frozenset(k.upper() for k in keys["not_keys"]),
            not_key_prefixes=frozenset(k.upper() for k in keys["not_key_prefixes"]),
        ),
        relation_rules=tuple(_read_jsonl("relations.jsonl")),
    )
