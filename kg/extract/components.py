"""spaCy components: find mentions in a line, then relations between them.

Both are rule-based and read their patterns from `pipelines/`, so they run on
`spacy.blank("en")` with nothing downloaded.

- `kg_mentions` writes `doc.spans["kg"]`: tracker keys, handles and wiki links,
  teams, products, customers, and capitalised names (people or not-yet-typed).
- `kg_relations` writes `doc._.kg_facts`: cue phrases (`blocked by`, `promoted
  to`, `raised a concern about`) joined to the mentions around them.
"""

from __future__ import annotations

import calendar
import json
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

import numpy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..errors import NoteTooDense
from .lexicon import Lexicon, load, pipelines_dir

SPANS_KEY = "kg"
#: Span labels kg_mentions assigns.
PERSON, NAME, TEAM, PRODUCT, CUSTOMER, TICKET, INCIDENT = (
    "PERSON", "NAME", "TEAM", "PRODUCT", "CUSTOMER", "TICKET", "INCIDENT")
#: Graph labels a relation rule may ask for, and the span labels that can fill them.
_FILLERS = {
    "Person": {PERSON, NAME}, "Team": {TEAM}, "Product": {PRODUCT}, "Customer": {CUSTOMER},
    "Ticket": {TICKET}, "Incident": {INCIDENT}, "Name": {NAME, PERSON},
}
_NEGATIONS = {"not", "n't", "no", "never", "longer", "without", "nothing"}
_FIRST_PERSON = {"i", "i'm", "im", "my", "we", "we're", "our", "me", "'m"}
_HANDLE = re.compile(
    r"(?<![\w@/])@(?P<h>[A-Za-z][\w.'-]*[A-Za-z0-9](?:[ \t]+[A-Z](?:[\w'-]+)?\b)?)")
_WIKILINK = re.compile(r"\[\[(?P<h>[^\[\]|#\n]{1,80})(?:[|#][^\[\]\n]*)?\]\]")
_CAMEL = re.compile(r"^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+$|^[A-Z][a-z]+[A-Z]{2,}$")
_NAME_TOKEN = re.compile(r"^[A-ZÀ-Þ][\w'’.-]*$")
#: Calendar words are capitalised but never names ("March", "Friday", "Today").
_CALENDAR = frozenset(
    [n for n in (*calendar.month_name, *calendar.month_abbr, *calendar.day_name,
                 *calendar.day_abbr) if n] + ["Sept", "Today", "Tomorrow", "Yesterday", "Tonight"])
#: Tokens after which a word opens a sentence, so its capital says nothing.
_OPENERS = frozenset({".", "!", "?", ":", ";", "—", "–", "-", "(", "[", "\"", "“", "‘", "'", "*",
                      "•", ">", "|"})

if not Doc.has_extension("kg_facts"):
    Doc.set_extension("kg_facts", default=None)
if not Span.has_extension("kg_possessive"):
    Span.set_extension("kg_possessive", default=False)


@Language.factory("kg_mentions", default_config={"incident_prefixes": None},
                  assigns=["doc.spans"])
def make_mentions(nlp: Language, name: str, incident_prefixes: list[str] | None):
    return MentionTagger(nlp, load(), incident_prefixes)


@Language.factory("kg_relations", default_config={}, requires=["doc.spans"],
                  assigns=["doc._.kg_facts"])
def make_relations(nlp: Language, name: str):
    return RelationMatcher(nlp, load())


class MentionTagger:
    """Mark every mention in a line of a note as a span in `doc.spans["kg"]`."""

    def __init__(self, nlp: Language, lex: Lexicon, incident_prefixes: list[str] | None = None):
        self.keys = lex.keys
        self.incident_prefixes = (frozenset(p.upper() for p in incident_prefixes)
                                  if incident_prefixes else lex.keys.incident_prefixes)
        self.first_names = lex.first_names
        self.not_names = frozenset(lex.lexicon["acronyms"]) | _CALENDAR
        self.common = lex.common_words | frozenset(
            w.casefold() for w in lex.lexicon["structure_words"])
        self.not_handles = frozenset(w.casefold() for w in lex.lexicon["group_owner_words"]) | {
            w.casefold() for w in _CALENDAR}
        self.leading_words = frozenset(w.casefold() for w in lex.lexicon["team_stop_words"])
        self.matcher = Matcher(nlp.vocab)
        suffixes = lex.lexicon["company_suffixes"]
        path = pipelines_dir() / "entity_patterns.jsonl"
        anchors: dict[str, set[int]] = {}  # token attribute -> hashes of anchor values
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            spec = json.loads(line.replace('"$company_suffixes"', json.dumps(suffixes)))
            self.matcher.add(spec["label"], [spec["pattern"]], greedy="LONGEST")
            for attr, values in spec["pattern"][-1].items():
                if isinstance(values, dict) and "IN" in values:
                    anchors.setdefault("ORTH" if attr == "TEXT" else attr, set()).update(
                        nlp.vocab.strings.add(v) for v in values["IN"])
        self.anchor_attrs = sorted(anchors)
        self.anchor_values = [numpy.array(sorted(anchors[a]), dtype="uint64")
                              for a in self.anchor_attrs]

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        taken: set[int] = set()

        def add(span: Span | None, label: str, kb: str = "") -> None:
            if span is None or any(i in taken for i in range(span.start, span.end)):
                return
            new = Span(doc, span.start, span.end, label=label, kb_id=kb or span.text)
            spans.append(new)
            taken.update(range(span.start, span.end))

        # doc.text is rebuilt from the tokens on every access; the caller may hand it over.
        text = doc.user_data.get("kg_text") or doc.text
        # Token texts without making a spaCy Token object per token (the hot spot).
        strings = doc.vocab.strings
        words = [strings[o] for o in doc.to_array("ORTH").tolist()]
        for start, end, key, incident in self.keys.find(text, self.incident_prefixes):
            add(doc.char_span(start, end, alignment_mode="expand"),
                INCIDENT if incident else TICKET, key)
        for rx, label in ((_HANDLE, PERSON), (_WIKILINK, NAME)):
            for m in rx.finditer(text):
                handle = m.group("h").strip()
                if rx is _HANDLE and handle.split()[0].casefold() in self.not_handles:
                    continue  # "@all" is a group, "@November 22" a Notion date
                add(doc.char_span(m.start(), m.end(), alignment_mode="expand"), label,
                    ("@" if rx is _HANDLE else "[[") + handle)
        matched = [Span(doc, w.start + s, w.start + e, label=lab)
                   for w in self._windows(doc) for lab, s, e in self.matcher(w)]
        for span in filter_spans(matched):
            label = doc.vocab.strings[span.label]
            span = self._trim(span, words, product=label == PRODUCT)
            if span is not None:
                add(span, label)
        self._declared_short_names(doc, text, words, add)
        self._declared_full_names(doc, words, add)
        self._names(doc, words, add, taken)
        spans.sort(key=lambda s: s.start)
        for s in spans:
            nxt = words[s.end].lower() if s.end < len(words) else ""
            s._.kg_possessive = nxt in ("'s", "’s", "'")
        doc.spans[SPANS_KEY] = spans
        return doc

    def _windows(self, doc: Doc) -> list[Span]:
        """Stretches of the doc around the patterns' anchor tokens ("Team", "Inc", "2.4.1").

        Every entity pattern ends in an anchor; running the Matcher only near
        anchors, not over the whole note, halves the time of this component.
        """
        if not len(doc):
            return []
        arr = doc.to_array(self.anchor_attrs)
        hits = sorted({int(i) for col, values in enumerate(self.anchor_values)
                       for i in numpy.nonzero(numpy.isin(arr[:, col], values))[0]})
        windows: list[list[int]] = []
        for i in hits:
            start, end = max(0, i - _ANCHOR_REACH), i + 2
            if windows and start <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], end)
            else:
                windows.append([start, end])
        return [doc[s:min(e, len(doc))] for s, e in windows]

    def _declared_short_names(self, doc: Doc, text: str, words: list[str], add) -> None:
        """Initials and handles the note declares ("Tomás Ferreira (TF)", a roster's
        "tsato") are people in its prose."""
        short = doc.user_data.get("kg_short")
        if not short or not any(s in text for s in short):
            return
        for i, word in enumerate(words):
            if word in short:
                add(doc[i:i + 1], PERSON)

    def _declared_full_names(self, doc: Doc, words: list[str], add) -> None:
        """People the note declares are marked where written, exactly: a name run must
        not run on into the next word ("[Omar Said](mailto:…) Draft the FAQ").

        One pass over the tokens, names indexed by their first word.
        """
        by_first = doc.user_data.get("kg_people")
        if not by_first:
            return
        for i, word in enumerate(words):
            for name in by_first.get(word, ()):
                n = len(name)
                if tuple(words[i:i + n]) == name:
                    add(doc[i:i + n], PERSON)
                    break

    def _trim(self, span: Span, words: list[str], product: bool = False) -> Span | None:
        """Drop leading words like "The" or "Our" from a matched name.

        A product is a name and a version ("GraphSync 2.4"): a sentence's common
        first word or a label word before a version ("Once 4.1 lands") is none.
        """
        start = span.start
        while start < span.end - 1 and span.doc[start].lower_ in self.leading_words:
            start += 1
        if product and (words[start] in self.not_names or words[start].casefold() in self.common
                        and (start == 0 or words[start - 1] in _OPENERS
                             or "\n" in words[start - 1])):
            return None
        return span.doc[start:span.end] if start < span.end else None

    def _names(self, doc: Doc, words: list[str], add, taken: set[int]) -> None:
        """Capitalised runs: a person when they start with a given name, else a Name.

        A sentence's first word is capitalised anyway: when it is also a common
        word ("Will sync …", "Once 4.1 lands") it opens no name, unless the note
        declares someone by it or it is a given name followed by a surname.
        """
        declared = doc.user_data.get("kg_declared") or frozenset()
        cap = [_capitalised(w) and w not in self.not_names for w in words]
        n = len(words)
        alone = [False] * n  # a sentence's common first word: a Name of its own at most
        for i in range(n):
            if cap[i] and (i == 0 or words[i - 1] in _OPENERS or "\n" in words[i - 1]) \
                    and words[i].casefold() in self.common and words[i] not in declared \
                    and not (words[i] in self.first_names and i + 1 < n and cap[i + 1]):
                alone[i] = True
        i = 0
        while i < n:
            if i in taken or not cap[i]:
                i += 1
                continue
            if alone[i]:
                add(doc[i:i + 1], NAME)  # "Umbrella saw errors" may still name a customer
                i += 1
                continue
            j = i + 1
            while j < n and j not in taken and j - i < 4:
                if cap[j]:
                    j += 1
                elif words[j].lower() in _PARTICLES and j + 1 < n and cap[j + 1]:
                    j += 2
                else:
                    break
            first = words[i]
            if first in self.first_names:
                add(doc[i:min(j, i + 3)], PERSON)
            else:
                # Even a capitalised first word may be a name the corpus types elsewhere.
                add(doc[i:j], NAME)
            i = j


_PARTICLES = {"de", "da", "del", "der", "van", "von", "la", "le", "di", "du", "bin", "al", "dos"}


@lru_cache(maxsize=1 << 15)
def _capitalised(text: str) -> bool:
    return bool(_NAME_TOKEN.match(text)) and not text.isupper() or bool(_CAMEL.match(text))


#: How many tokens before an anchor an entity pattern may start ("Customer Success Team").
_ANCHOR_REACH = 6
_MAX_SENT = 80
#: Most objects one cue may take ("concerns about A, B, C …"): a list, not a log dump.
_MAX_OBJECTS = 20
_SENT_END = frozenset({".", "!", "?", ";"})


def sentence_breaks(doc: Doc) -> tuple[list[int], list[int]]:
    """Token indices of line breaks and of sentence-ending punctuation (. ! ? ;)."""
    strings = doc.vocab.strings
    lines, stops = [], []
    for i, orth in enumerate(doc.to_array("ORTH").tolist()):
        word = strings[orth]
        if word in _SENT_END:
            stops.append(i)
        elif "\n" in word:
            lines.append(i)
    return lines, stops


def sentence_of(doc: Doc, i: int, breaks: tuple[list[int], list[int]] | None = None) -> Span:
    """The sentence around token `i`: bounded by a line break or . ! ? ;

    A note's lines share one Doc, so a newline always ends a sentence. A
    "sentence" that runs on (a pasted log line) is cut _MAX_SENT tokens either
    side of `i`, so cues on one huge line stay cheap.
    """
    lines, stops = breaks or sentence_breaks(doc)
    start = max(0, i - _MAX_SENT)
    for marks in (lines, stops):  # the sentence starts after the last break before i
        k = bisect_left(marks, i)
        if k:
            start = max(start, marks[k - 1] + 1)
    end = min(len(doc), i + _MAX_SENT)
    k = bisect_left(lines, i + 1)
    if k < len(lines):
        end = min(end, lines[k])  # the line break itself is not in the sentence
    k = bisect_left(stops, i)
    if k < len(stops):
        end = min(end, stops[k] + 1)  # the full stop is
    return doc[start:end]


@dataclass(frozen=True)
class Arg:
    """A relation argument: a mention span, a role phrase, or a fallback."""

    span: int | None = None  # index into doc.spans["kg"]
    text: str | None = None  # a role phrase (promotions)
    fallback: str | None = None  # "speaker" or "note_incident"
    weak: bool = False  # the cue alone does not type a bare name ("INC-7 at Berlin")


def _clause_break(tokens) -> bool:
    return any(t.text in (",", ";", ":", "—", "–", "(", ")") for t in tokens)


class RelationMatcher:
    """Find cue phrases and join them to the mentions on either side."""

    def __init__(self, nlp: Language, lex: Lexicon):
        self.rules = lex.relation_rules
        self.role_stops = frozenset(lex.lexicon["role_stop_words"])
        self.hedges = frozenset(lex.lexicon["hedge_words"])
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.rules_by_cue: dict[str, list[dict]] = {}
        for rule in self.rules:
            for cue in rule["cues"]:
                self.rules_by_cue.setdefault(cue, []).append(rule)
        for cue in self.rules_by_cue:
            self.matcher.add(cue, [nlp.make_doc(cue)])

    def __call__(self, doc: Doc) -> Doc:
        facts: list[tuple[str, Arg, Arg, int]] = []
        spans = list(doc.spans[SPANS_KEY]) if SPANS_KEY in doc.spans else []
        matches = [Span(doc, s, e, label=m) for m, s, e in self.matcher(doc)]
        budget = doc.user_data.get("kg_max_cues")
        if budget is not None and len(matches) > budget:
            raise NoteTooDense(f"{len(matches):,} relation cues in one stretch of text is more "
                               f"than kg reads in one note ({budget:,}); split the note")
        # A cue inside a real mention is part of a name; a capitalised first word
        # ("Worried about …") is only a NAME candidate and may still be a cue.
        in_mention = {t for sp in spans if sp.label_ != NAME for t in range(sp.start, sp.end)}
        starts = [s.start for s in spans]
        breaks = sentence_breaks(doc) if matches else ([], [])
        for cue in filter_spans(matches):
            if cue.start in in_mention:
                continue
            sent = sentence_of(doc, cue.start, breaks)
            # Only the mentions in the cue's sentence can be its arguments.
            lo, hi = bisect_left(starts, sent.start), bisect_left(starts, sent.end)
            local = [(lo + k, s) for k, s in enumerate(spans[lo:hi])]
            for rule in self.rules_by_cue[doc.vocab.strings[cue.label]]:
                fact = self._apply(rule, doc, cue, local, sent)
                for rel, a, b in (fact if isinstance(fact, list) else [fact] if fact else []):
                    facts.append((rel, a, b, cue.start))
        doc._.kg_facts = facts
        return doc

    def _apply(self, rule: dict, doc: Doc, cue: Span, spans, sent: Span):
        before = [t.lower_ for t in doc[sent.start:cue.start]]
        if "requires_before" in rule:
            if not any(w in before or w in " ".join(before) for w in rule["requires_before"]):
                return None
        elif any(w in _NEGATIONS for w in before[-3:]):
            return None
        subj = self._pick(rule["subject"], doc, cue, spans, sent)
        obj = self._pick(rule["object"], doc, cue, spans, sent)
        if subj is None or obj is None:
            return None
        if not rule.get("hedged_ok") and self._hedged(doc, cue, sent):
            return None  # "could be promoted to", "if … we promote", "proposed: X leads Y"
        many = subj if isinstance(subj, list) else obj if isinstance(obj, list) else None
        if many is not None:
            one = obj if many is subj else subj
            return [(rule["rel"], a, one) if many is subj else (rule["rel"], one, a)
                    for a in many] or None
        return (rule["rel"], subj, obj)

    def _hedged(self, doc: Doc, cue: Span, sent: Span) -> bool:
        if sent[-1].text == "?":
            return True
        # A capitalised "May" inside a sentence is the month, not a hedge.
        return any(t.lower_ in self.hedges and (t.i == sent.start or not t.text[:1].isupper())
                   for t in doc[sent.start:cue.start])

    def _pick(self, spec: dict, doc: Doc, cue: Span, spans, sent: Span):
        if spec.get("role_phrase"):
            return self._role(doc, cue, sent, spec.get("capitalized", False))
        fill = set().union(*(_FILLERS[label] for label in spec["labels"]))
        person = spec["labels"] == ["Person"]
        gap = spec.get("max_gap", 99)
        if spec["side"] == "left":
            cands = [(i, s) for i, s in spans
                     if s.end <= cue.start and s.label_ in fill
                     and not (person and s._.kg_possessive)]
            if cands and cue.start - cands[-1][1].end <= gap and not (
                    spec.get("same_clause") and _clause_break(doc[cands[-1][1].end:cue.start])):
                return Arg(span=cands[-1][0], weak=spec.get("weak", False))
            if spec.get("speaker_fallback"):
                words = {t.lower_ for t in doc[sent.start:cue.end]}
                # "I'm worried about X", or a speaker's "Worried about X" with no subject.
                if words & _FIRST_PERSON or cue.start == sent.start:
                    return Arg(fallback="speaker")
            return Arg(fallback="note_incident") if spec.get("note_incident_fallback") else None
        cands = [(i, s) for i, s in spans
                 if s.start >= cue.end and s.end <= sent.end and s.label_ in fill]
        if not cands or cands[0][1].start - cue.end > gap:
            return Arg(fallback="note_incident") if spec.get("note_incident_fallback") else None
        if spec.get("same_clause") and _clause_break(doc[cue.end:cands[0][1].start]):
            return None
        if spec.get("many"):
            return [Arg(span=i) for i, _ in cands[:_MAX_OBJECTS]]
        return Arg(span=cands[0][0], weak=spec.get("weak", False))

    def _role(self, doc: Doc, cue: Span, sent: Span, capitalized: bool) -> Arg | None:
        """The role after a promotion cue: "Senior SRE", "staff engineer".

        Loose cues ("became", "is now a") only count a capitalised title, so
        "is now responsible" is not a role.
        """
        words = []
        for tok in doc[cue.end:min(sent.end, cue.end + 6)]:
            if tok.is_punct or tok.lower_ in self.role_stops or tok.like_num:
                break
            if tok.lower_ in ("a", "an", "the") and not words:
                continue
            if capitalized and not tok.text[:1].isupper():
                break
            words.append(tok.text)
        return Arg(text=" ".join(words)) if words else None
