"""The extractor's declarative parts, loaded from `pipelines/`.

Everything a team might want to tune (meta keys, section names, cue phrases,
name lists, tracker key patterns) is data; this module only reads it.
"""

from __future__ import annotations

import bisect
import json
import re
import string
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


@dataclass(frozen=True, slots=True)
class KeyRule:
    """One pattern of `pipelines/keys.json`, compiled, with its filters and checks."""

    name: str
    rx: re.Pattern[str]
    key: str = "{key}"                      # template over the match's named groups
    requires: tuple[str, ...] = ()          # all of these must be in the line
    any_of: re.Pattern[str] | None = None   # `requires_any`: one of them must be in the line
    nocase: bool = False                    # the literals match the line in any case
    url: bool = False                       # may match inside a URL or an e-mail address
    checks: frozenset[str] = frozenset()

    def wanted(self, text: str, lowered: str) -> bool:
        """Whether the line holds the literals the pattern needs (far cheaper than trying it)."""
        hay = lowered if self.nocase else text
        for s in self.requires:
            if s not in hay:
                return False
        return self.any_of is None or self.any_of.search(hay) is not None


@dataclass(frozen=True)
class KeyPatterns:
    rules: tuple[KeyRule, ...]
    opaque: tuple[KeyRule, ...]  # URLs and e-mail addresses: only `url` rules read inside them
    incident_prefixes: frozenset[str]
    not_keys: frozenset[str]
    not_key_prefixes: frozenset[str]
    counter_nouns: frozenset[str] = frozenset()
    colour_words: frozenset[str] = frozenset()
    number_units: frozenset[str] = frozenset()

    @classmethod
    def from_json(cls, spec: dict) -> KeyPatterns:
        """Compile `pipelines/keys.json`; `$name` in a regex is a fragment or the series list."""
        series = "|".join(re.escape(s) for s in sorted(spec.get("standard_series", ()), key=len,
                                                       reverse=True))
        subs = {**spec.get("fragments", {}), "standard_series": series}

        def expand(name: str, regex: str) -> str:
            def sub(m: re.Match[str]) -> str:
                if m.group(1) not in subs:
                    raise ValueError(f"keys.json pattern {name!r}: no fragment ${m.group(1)}")
                return subs[m.group(1)]
            return re.sub(r"\$([A-Za-z_]\w*)", sub, regex)

        def literals(value) -> tuple[str, ...]:
            if value == "$standard_series":
                return tuple(spec.get("standard_series", ()))
            return tuple(value or ())

        def rule(p: dict, keyed: bool = True) -> KeyRule:
            nocase = bool(p.get("nocase"))
            fold = str.lower if nocase else str
            rx, key = re.compile(expand(p["name"], p["regex"])), p.get("key", "{key}")
            fields = {f for _lit, f, _spec, _conv in string.Formatter().parse(key) if f}
            if keyed and not fields <= set(rx.groupindex) | {"sigil"}:
                raise ValueError(f"keys.json pattern {p['name']!r}: its key {key!r} names "
                                 f"groups the regex lacks: {sorted(fields - set(rx.groupindex))}")
            if not set(p.get("checks", ())) <= _CHECKS:
                raise ValueError(f"keys.json pattern {p['name']!r}: unknown checks "
                                 f"{sorted(set(p['checks']) - _CHECKS)}; known: {sorted(_CHECKS)}")
            any_of = literals(p.get("requires_any"))
            return KeyRule(
                name=p["name"], rx=rx, key=key,
                requires=tuple(fold(s) for s in literals(p.get("requires"))),
                any_of=re.compile("|".join(re.escape(fold(s)) for s in any_of)) if any_of else None,
                nocase=nocase, url=bool(p.get("url")), checks=frozenset(p.get("checks", ())))

        def upper(name: str) -> frozenset[str]:
            return frozenset(k.upper() for k in spec.get(name, ()))

        def lower(name: str) -> frozenset[str]:
            return frozenset(k.lower() for k in spec.get(name, ()))

        return cls(
            rules=tuple(rule(p) for p in spec["patterns"]),
            opaque=tuple(rule(p, keyed=False) for p in spec.get("opaque", ())),
            incident_prefixes=upper("incident_prefixes"),
            not_keys=upper("not_keys"),
            not_key_prefixes=upper("not_key_prefixes"),
            counter_nouns=lower("counter_nouns"),
            colour_words=lower("colour_words"),
            number_units=lower("number_units"),
        )

    def find(self, text: str, incident_prefixes: frozenset[str] | None = None):
        """(start, end, key, is_incident) of every tracker key written in `text`, in text order.

        Rules are tried in order and an earlier rule wins the characters it
        matched, so a URL is read whole before a later rule sees a piece of it.
        Rules whose literals (`requires`) are absent are not tried, and a line
        without a digit holds no key at all. The incident prefixes default to
        the configured ones.

        >>> [k for _s, _e, k, _i in load().keys.find("PR 379 fixes EIP 4242, see #12")]
        ['#379', 'EIP-4242', '#12']
        """
        if _DIGIT.search(text) is None:
            return
        prefixes = incident_prefixes if incident_prefixes is not None else self.incident_prefixes
        lowered = text.lower()
        taken = _Spans()  # what earlier rules matched: a later rule may not read inside it
        opaque: _Spans | None = None  # URLs and e-mail addresses, found when first needed
        for rule in self.rules:
            hay = lowered if rule.nocase else text
            # `rule.wanted`, inlined: this loop runs for every line of every note.
            for literal in rule.requires:
                if literal not in hay:
                    break
            else:
                if rule.any_of is not None and rule.any_of.search(hay) is None:
                    continue
                for m in rule.rx.finditer(text):
                    start, end = m.span()
                    if taken.overlaps(start, end):
                        continue
                    if not rule.url:
                        if opaque is None:
                            opaque = self._opaque_spans(text, lowered)
                        if opaque.overlaps(start, end):
                            continue
                    key = _key_text(m, rule.key)
                    if key and self._plausible(rule, m, key):
                        taken.add(start, end, key)
        found = _qualify_link_texts(text, list(taken))
        for start, end, key in found:
            yield start, end, key, _plain(key) and key.split("-", 1)[0].upper() in prefixes

    def is_key(self, key: str) -> bool:
        upper = key.upper()
        return upper not in self.not_keys and upper.split("-", 1)[0] not in self.not_key_prefixes

    def _opaque_spans(self, text: str, lowered: str) -> _Spans:
        """Where `text` holds a URL or an e-mail address."""
        spans = _Spans()
        for rule in self.opaque:
            if rule.wanted(text, lowered):
                for m in rule.rx.finditer(text):
                    spans.add(*m.span())
        return spans

    def _plausible(self, rule: KeyRule, m: re.Match[str], key: str) -> bool:
        """Whether a match is a key: not a lookalike (UTF-8), an ordinal, a colour or a quantity."""
        if _plain(key) and not self.is_key(key):
            return False
        if not rule.checks:
            return True
        text = m.string
        if "unit" in rule.checks:
            after = _UNIT_AFTER.match(text, m.end())
            if after and after.group(1).lower() in self.number_units:
                return False
        hash_at = m.start("num") - 1 if "num" in m.re.groupindex else -1
        if hash_at < 0 or text[hash_at] != "#":
            return True
        window = max(0, hash_at - 40)  # a counter noun or a colour word sits just before the `#`
        if "counter" in rule.checks:
            word = _WORD_BEFORE.search(text, window, hash_at)
            if word and word.group(1).lower() in self.counter_nouns:
                return False
        digits = m.group("num")
        if "colour" in rule.checks and len(digits) in (3, 6):
            before = _WORDS.findall(text[window:hash_at].lower())
            if (len(set(digits)) == 1 or _HEX_COLOUR.search(text)
                    or self.colour_words.intersection(before)):
                return False
        return True


class _Spans:
    """Disjoint stretches of a line, in order, tested for overlap by bisection.

    A line may hold thousands of keys (a pasted log): no scan of all of them per match.
    """

    __slots__ = ("starts", "items")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.items: list[tuple[int, int, str]] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start)
        return (i > 0 and self.items[i - 1][1] > start) or (
            i < len(self.starts) and self.starts[i] < end)

    def add(self, start: int, end: int, value: str = "") -> None:
        """Record a stretch; stretches it overlaps (a URL holding an address) merge into it."""
        i = bisect.bisect_right(self.starts, start)
        if i > 0 and self.items[i - 1][1] > start:
            i -= 1
        j = i
        while j < len(self.items) and self.items[j][0] < end:
            j += 1
        if j > i:
            start, end = min(start, self.items[i][0]), max(end, self.items[j - 1][1])
        self.starts[i:j] = [start]
        self.items[i:j] = [(start, end, value)]

    def __iter__(self):
        return iter(self.items)


def _qualify_link_texts(text: str, found: list[tuple[int, int, str]]):
    """`[#630](https://github.com/o/r/issues/630)`: the link's text takes its target's key.

    A bare `#N` (or `!N`) is only qualified where the text says which
    repository it means: the Markdown link around it points at `o/r#N`.
    """
    for i in range(len(found) - 1):
        start, end, key = found[i]
        target_start, _end, target = found[i + 1]
        if (key[0] in "#!" and target.endswith(key) and target != key
                and _LINK_MIDDLE.fullmatch(text, end, target_start)
                and _LINK_OPEN.search(text, max(0, start - 200), start)):
            found[i] = (start, end, target)
    return found


def _plain(key: str) -> bool:
    """A PREFIX-N key (`NEXUS-1542`), as opposed to `#12`, `o/r#12`, `g/p!7` or `p/+/12`."""
    return not any(c in key for c in "#!/")


_CHECKS = frozenset({"counter", "colour", "unit"})
_DIGIT = re.compile(r"\d")
# From a key in a Markdown link's text to where its target starts: "](", "](<".
_LINK_MIDDLE = re.compile(r"[^\[\]()\n]*\]\([ \t]*<?")
_LINK_OPEN = re.compile(r"\[[^\[\]\n]*\Z")
# The word written just before a `#`: "Sprint #14", "No. #3", "Sprint#14"; not "acme/sprint#14".
_WORD_BEFORE = re.compile(r"(?<![\w/.-])([A-Za-z]+)\.?[ \t\u00a0]*\Z")
_UNIT_AFTER = re.compile(r"[ \t\u00a0]*(%|[A-Za-z]+)")
# A hex colour with a letter in it (#ff0000, #1a73e8, #fff): the line talks about colours.
_HEX_COLOUR = re.compile(
    r"(?<![\w&#])#(?=[0-9]*[a-fA-F])(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})(?![\w-])")
_WORDS = re.compile(r"[a-z]+")


def _key_text(m: re.Match[str], template: str = "{key}") -> str | None:
    """The key a rule's match names, from its template over the named groups.

    `num` loses its leading zeros, `series` is upper-cased and `sigil` is `!`
    for a merge request (a group named `mr` took part), `#` otherwise:
    `("{repo}{sigil}{num}", repo="acme/cache", num="009")` -> `acme/cache#9`.
    """
    groups = {k: v or "" for k, v in m.groupdict().items()}
    if groups.get("num"):
        groups["num"] = str(int(groups["num"]))
    groups["series"] = groups.get("series", "").upper()
    groups["sigil"] = "!" if groups.get("mr") else "#"
    return template.format_map(groups) or None


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

    def is_review_section(self, title: str) -> bool:
        """"Review of last week's actions", "Open actions from last time": how earlier
        actions stand."""
        return self.mentions_any(title, "review_section_words") and (
            self.is_action_section(title) or self.mentions_any(title, "action_sections"))

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
        key = (text, list_name, table is not None)
        hit = self._mentions_cache.get(key)
        if hit is None:
            phrases = (table or self.structure)[list_name]
            padded = f" {norm_key(text)} "
            hit = any(f" {p} " in padded for p in phrases)
            self._mentions_cache[key] = hit
        return hit

    @cached_property
    def _mentions_cache(self) -> dict[tuple[str, str, bool], bool]:
        return {}

    def decision_kind(self, label: str) -> str | None:
        """The kind of decision a label records ("RESOLVED" -> "resolution"), or None."""
        return self._decision_index.get(norm_key(label).lstrip("#"))

    @cached_property
    def _decision_index(self) -> dict[str, str]:
        return {norm_key(w).lstrip("#"): kind
                for kind, words in self.structure["decision_labels"].items()
                if not kind.startswith("_") for w in words}

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


@lru_cache(maxsize=1 << 14)
def norm_key(text: str) -> str:
    """Normalise a label for lookup: `**Action Items:**` -> `action items`."""
    text = re.sub(r"[*_`#:]+", " ", text)
    text = re.sub(r"[^\w\s/&+'-]", " ", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


@lru_cache(maxsize=1)
def load() -> Lexicon:
    return Lexicon(
        structure=_read_json("structure.json"),
        lexicon=_read_json("lexicon.json"),
        first_names=frozenset(_read_lines("first_names.txt")),
        common_words=frozenset(_read_lines("common_words.txt")),
        keys=KeyPatterns.from_json(_read_json("keys.json")),
        relation_rules=tuple(_read_jsonl("relations.jsonl")),
    )
