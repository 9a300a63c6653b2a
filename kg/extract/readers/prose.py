"""The prose: every line not read as structure goes through the spaCy pipeline.

`kg_mentions` marks keys, handles, teams, products, customers and names;
`kg_relations` joins cue phrases to the mentions around them. This reader
turns both into mentions and facts, and hands later readers (teams, items)
an index of the mentions on each line. Link targets are read too: the
tracker key behind `[the cache fix](…/pull/9)` is a mention of its line.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.tokens import Span

from ... import vocab as V
from .. import components as C
from ..context import Context, Found
from ..facts import CUE, DECLARED, GUESS, NAME, Ref
from ..layout import Line

_KINDS = ("text", "bullet", "table", "heading", "label")
_MAX_EVIDENCE = 300
#: Characters of prose per spaCy Doc: big enough to amortise a Doc, small enough for memory.
_CHUNK_CHARS = 100_000
#: Longest run without a space kept as written: spaCy's affix splitting is quadratic in it.
_MAX_RUN = 200
_LONG_RUN = re.compile(rf"\S{{{_MAX_RUN + 1},}}")
_LINE_JOIN = " \n "
_VERSION = re.compile(r"\s+v?\d+(?:\.\d+)*$")
_BARE_NUMBER = re.compile(r"#(\d+)$")
#: Work one note may cause: relation cues read, and facts kept from one line.
MAX_CUES = 20_000
_MAX_FACTS_PER_LINE = 100


class ProseIndex:
    """The mentions spaCy found on each line, for the readers that run after prose."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.spans: dict[int, list[Span]] = {}
        self.starts: dict[int, int] = {}  # line -> its first character in its Doc
        self._customer_words = frozenset(ctx.lex.lexicon["customer_cue_words"])
        self._refs: dict[tuple[int, int, int], Ref | None] = {}
        #: Spans in title-cased text (headings, field labels), where capitals say nothing.
        self.titled: set[tuple[int, int, int]] = set()

    def on(self, ln: Line) -> list[Span]:
        return self.spans.get(ln.no, [])

    def opens_line(self, span: Span, ln: Line) -> bool:
        return span.start_char == self.starts.get(ln.no)

    def ref(self, span: Span) -> Ref | None:
        """What a mention span names, as a Ref to resolve (once per span)."""
        key = (id(span.doc), span.start_char, span.label)
        if key not in self._refs:
            self._refs[key] = self._ref(span)
        return self._refs[key]

    def _ref(self, span: Span) -> Ref | None:
        label, text = span.label_, span.kb_id_ or span.text
        if label in (C.TICKET, C.INCIDENT):
            return Ref(V.TICKET if label == C.TICKET else V.INCIDENT, text, DECLARED)
        if label == C.PERSON:
            if text.startswith("@"):
                return Ref(V.PERSON, text[1:].strip(), CUE)
            if (id(span.doc), span.start_char, span.label) in self.titled:
                return Ref(NAME, span.text, GUESS)  # "## Grant Access Review" is no person
            return Ref(V.PERSON, span.text, GUESS)
        if label == C.TEAM:
            return Ref(V.TEAM, team_name(span.text), CUE)
        if label == C.CUSTOMER:
            return Ref(V.CUSTOMER, span.text, CUE)
        if label == C.PRODUCT:
            return Ref(V.PRODUCT, _VERSION.sub("", span.text), GUESS)
        if label == C.NAME and self._customer_cue(span):
            return Ref(V.CUSTOMER, span.text, CUE)
        if text.startswith("[["):
            inner = text[2:].rstrip("]").strip()
            if self.ctx.names.person_name(inner) and len(inner.split()) >= 2:
                return Ref(V.PERSON, inner, CUE)
            return Ref(NAME, inner, GUESS)
        if C._CAMEL.match(span.text):
            return Ref(V.PRODUCT, span.text, GUESS)
        return Ref(NAME, span.text, GUESS)

    def _customer_cue(self, span: Span) -> bool:
        """"our customer Initech", "client Globex", "Initech (customer)"."""
        cues = self._customer_words
        doc = span.doc
        if span.start > 0 and doc[span.start - 1].lower_ in cues:
            return True
        return span.end + 2 < len(doc) and doc[span.end].text == "(" \
            and doc[span.end + 1].lower_ in cues and doc[span.end + 2].text == ")"


def read(ctx: Context) -> Found:
    found = Found()
    index = ProseIndex(ctx)
    found.prose = index
    todo = [ln for ln in ctx.layout.lines
            if ln.kind in _KINDS and ln.text and ln.no not in ctx.consumed]
    initials = frozenset(a for a in ctx.roster.aliases if a.isupper() and len(a) <= 4) | frozenset(
        "".join(w[0] for w in p.split() if w[:1].isupper()) for p in ctx.roster.people
        if len(p.split()) >= 2)
    initials -= frozenset(ctx.lex.lexicon["acronyms"])
    handles = frozenset(p for p in ctx.roster.people if p.islower() and " " not in p)
    handles |= frozenset(a for a in ctx.roster.aliases if a.islower() and " " not in a
                         and not ctx.names.is_common(a))
    declared = frozenset(w for p in ctx.roster.people for w in p.split()[:1]) | frozenset(
        ctx.roster.aliases)
    chips = frozenset(t for ln in todo for t, url in ln.links if url.startswith("mailto:") and t)
    by_first: dict[str, list[tuple[str, ...]]] = {}  # declared full names by first token
    for name in sorted({p for p in ctx.roster.people if " " in p} | chips,
                       key=lambda p: (-len(p.split()), p)):
        words = tuple(t.text for t in ctx.nlp.tokenizer(name))
        by_first.setdefault(words[0], []).append(words)
    line_facts: dict[int, list] = {}
    for chunk in _chunks(todo):
        _chunk(ctx, chunk, index, initials | handles, declared, found, line_facts, by_first)
    for ln in todo:
        stated = line_facts.get(ln.no, ())
        if len(stated) > _MAX_FACTS_PER_LINE:
            found.warnings.append(f"line {ln.no}: {len(stated):,} relation cues on one line; "
                                  f"kept the first {_MAX_FACTS_PER_LINE}")
            stated = stated[:_MAX_FACTS_PER_LINE]
        for (rel, a, b, _cue), spans in stated:
            subj, obj = _arg(ctx, index, a, spans, ln, rel, 0), _arg(ctx, index, b, spans, ln,
                                                                      rel, 1)
            for s in subj or ():
                for o in obj or ():
                    found.fact(rel, s, o, ln)
                    if a.span is not None and ln.no not in found.evidence \
                            and len(ln.raw.strip()) > _MAX_EVIDENCE:
                        # A very long line's evidence is the sentence that states the fact.
                        sent = C.sentence_of(spans[a.span].doc, spans[a.span].start)
                        found.evidence[ln.no] = sent.text.strip()[:_MAX_EVIDENCE]
        _links(ctx, ln, found)
    found.key_aliases.update(_bare_keys_behind_links(ctx, found))
    return found


def _chunk(ctx: Context, todo: list[Line], index: ProseIndex, short, declared, found: Found,
           line_facts: dict, people: dict[str, list[tuple[str, ...]]]) -> None:
    """Run the pipeline over consecutive lines as one Doc: its fixed cost is paid once.

    Spaces around each newline keep words apart from it: spaCy's tokenizer
    caches space-delimited chunks, and "end.\\nNext" chunks never repeat (8x slower).
    """
    texts = [_tame(ln.text) for ln in todo]
    starts, pos = [], 0
    for ln, text in zip(todo, texts, strict=True):
        starts.append(pos)
        index.starts[ln.no] = pos
        pos += len(text) + len(_LINE_JOIN)
    text = _LINE_JOIN.join(texts)
    doc = ctx.nlp.make_doc(text)
    doc.user_data["kg_text"] = text
    if short:
        doc.user_data["kg_short"] = short
    doc.user_data["kg_declared"] = declared
    doc.user_data["kg_max_cues"] = MAX_CUES
    doc.user_data["kg_people"] = people
    doc = ctx.nlp(doc)
    spans = list(doc.spans[C.SPANS_KEY])

    def line_at(char: int) -> Line:
        return todo[bisect_right(starts, char) - 1]

    for span in spans:
        ln = line_at(span.start_char)
        index.spans.setdefault(ln.no, []).append(span)
        offset = span.start_char - index.starts[ln.no]
        if ln.kind == "heading" or (ln.key is not None and ln.no not in ctx.speakers
                                    and offset < len(ln.key)):
            index.titled.add((id(span.doc), span.start_char, span.label))
        ref = index.ref(span)
        if ref is not None:
            found.mention(ref, ln)
    for fact in doc._.kg_facts:
        line_facts.setdefault(line_at(doc[fact[3]].idx).no, []).append((fact, spans))


def _arg(ctx: Context, index: ProseIndex, arg, spans, ln: Line, rel: str, pos: int):
    if arg.text is not None:
        return [Ref(V.ROLE, _role_name(arg.text), CUE)]
    if arg.fallback == "speaker":
        who = ctx.speakers.get(ln.no)
        return [Ref(V.PERSON, who, DECLARED)] if who else None
    if arg.fallback == "note_incident":
        return ctx.note_incidents() or None
    ref = index.ref(spans[arg.span])
    if ref is None:
        return None
    allowed = V.RELATIONS[rel][pos]
    if ref.label == NAME or (ref.label == V.PRODUCT and ref.strength == GUESS):
        # The relation itself says what the name is ("INC-7 saw GlobalBank down": a customer).
        typed = [lab for lab in (V.CUSTOMER, V.PERSON, V.TEAM, V.PRODUCT) if lab in allowed]
        if typed == [V.PERSON]:
            # Still a guess: resolution decides whether the name is a person.
            return [Ref(V.PERSON, ref.text, GUESS)] if ref.label == NAME else None
        if len(typed) == 1:
            # A weak cue ("INC-7 at Berlin") types only a name shaped like a company.
            sure = not arg.weak or bool(C._CAMEL.match(ref.text))
            return [Ref(typed[0], ref.text, CUE if sure else GUESS)]
    return [ref] if ref.label in allowed or ref.label == NAME else None


def _links(ctx: Context, ln: Line, found: Found) -> None:
    """A tracker key behind a link, and a person behind a mailto link, are mentions."""
    if not ln.links:
        return
    for text, url in ln.links:
        if url.startswith("mailto:"):
            if text and ctx.names.person_name(text):
                found.mention(Ref(V.PERSON, text, CUE), ln)
            continue
        for ref in ctx.keys(url):
            found.mention(ref, ln)


def _bare_keys_behind_links(ctx: Context, found: Found) -> dict[str, str]:
    """"#630" means "acme/web#630" when that is the only repository with a #630 in the note."""
    keys = {ref.text for ref, _ in found.mentions if ref.label == V.TICKET}
    by_number: dict[str, set[str]] = {}
    for key in keys:
        if "#" in key and not key.startswith("#"):
            by_number.setdefault(key.rsplit("#", 1)[1], set()).add(key)
    out = {}
    for key in keys:
        m = _BARE_NUMBER.match(key)
        if m and len(by_number.get(m.group(1), ())) == 1:
            out[key] = next(iter(by_number[m.group(1)]))
    return out


def _chunks(lines: list[Line]) -> list[list[Line]]:
    """Consecutive lines in groups of about _CHUNK_CHARS characters."""
    out: list[list[Line]] = [[]]
    size = 0
    for ln in lines:
        if out[-1] and size + len(ln.text) > _CHUNK_CHARS:
            out.append([])
            size = 0
        out[-1].append(ln)
        size += len(ln.text) + len(_LINE_JOIN)
    return [c for c in out if c]


def _tame(text: str) -> str:
    """Cut runs of 200+ characters without a space ("[[[[…", base64): no name is that long."""
    return _LONG_RUN.sub(lambda m: m.group(0)[:_MAX_RUN], text) if len(text) > _MAX_RUN else text


def team_name(text: str) -> str:
    words = text.split()
    return " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in words)


def _role_name(text: str) -> str:
    return " ".join(w if any(c.isupper() for c in w[1:]) or w.isupper() else w.capitalize()
                    for w in text.split())
