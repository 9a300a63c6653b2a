"""Extract one note: layout first (metadata, speakers, tables, team sections,
action items), then the prose, line by line, through the spaCy pipeline."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from pathlib import PurePosixPath

from spacy.tokens import Span

from .. import vocab as V
from ..notes import Note
from . import components as C
from .dates import find_dates, parse_date, to_date
from .facts import CUE, DECLARED, GUESS, NAME, Fact, Item, NoteFacts, Ref
from .items import looks_like_name, parse_item, split_names
from .lexicon import Lexicon, load, norm_key
from .nlp import pipeline
from .structure import Layout, Line, clean_inline, parse

_FILE_DATE = re.compile(r"(?<!\d)(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")
_PAREN = re.compile(r"\(([^)]*)\)")
_VERSION = re.compile(r"\s+v?\d+(?:\.\d+)*$")
_PROSE_KINDS = ("text", "bullet", "table", "heading", "label")
_MAX_EVIDENCE = 300
#: Characters of prose per spaCy Doc: big enough to amortise a Doc, small enough for memory.
_CHUNK_CHARS = 100_000
#: Longest run without a space kept as written: spaCy's affix splitting is quadratic in it.
_MAX_RUN = 200
_LONG_RUN = re.compile(rf"\S{{{_MAX_RUN + 1},}}")
_TEAMS_HEADING = re.compile(r"\bteams?\b", re.IGNORECASE)
_CHILD_TEAM = re.compile(r"^(?P<team>[A-Z][\w&' -]{0,40}?)\s*"
                         r"(?:\((?P<lead>[^)]*)\)|[-–—:|]\s*(?P<lead2>.+))$")
_LINE_JOIN = " \n "
_SEGMENT_SEP = re.compile(r"\s+[|·•]\s+")
_META_SEGMENT = re.compile(r"^\s*([A-Za-z][A-Za-z /'-]{0,30}?)\s*:\s*(.+)$")
_EMAIL = re.compile(r"<[^<>@\s]+@[^<>\s]+>|\b[\w.+-]+@[\w-]+\.[\w.]+\b")
# "(Platform lead)", "(lead, Platform)", "(EM, Payments team)" in an attendee list
_LEAD_NOTE = re.compile(r"^(?:(?:tech |team )?lead|em|manager|head)?\s*,?\s*(?:of\s+)?"
                        r"([a-z][\w&-]*(?: [a-z][\w&-]*)?) (?:team )?(?:lead|tl|em|manager)$"
                        r"|^(?:lead|tl|em|manager|head)(?: of|,)? (?:the )?([a-z][\w&-]*) team$")
_CAMEL = C._CAMEL


def extract(note: Note, incident_prefixes: tuple[str, ...] | None = None) -> NoteFacts:
    """Everything one note says, as unresolved mentions and facts with lines."""
    return _NoteExtractor(note, load(), pipeline(incident_prefixes)).run()


class _NoteExtractor:
    def __init__(self, note: Note, lex: Lexicon, nlp):
        self.note = note
        self.lex = lex
        self.nlp = nlp
        self.layout: Layout = parse(note.text, lex.section_names)
        self.meeting = Ref(V.MEETING, note.source, DECLARED)
        self.out = NoteFacts(source=note.source, title="", date=None)
        self.absent: set[str] = set()
        self.ref_date: dt.date | None = None
        self.line_spans: dict[int, list[Span]] = {}  # line number -> its mentions
        self.line_start: dict[int, int] = {}  # line number -> first char in its Doc
        self.line_facts: dict[int, list] = {}  # line number -> kg_relations facts
        self._customer_words = frozenset(lex.lexicon["customer_cue_words"])

    # -- driver ---------------------------------------------------------------
    def run(self) -> NoteFacts:
        self._metadata()
        self._prose()
        self._speakers()
        self._tables()
        self._teams()
        self._items()
        self._relations()
        return self.out

    def _evidence(self, ln: Line, span: Span | None = None) -> None:
        """Keep the line (or, for a very long line, the sentence) as evidence text."""
        if ln.no in self.out.lines:
            return  # called per mention: never re-read a long line
        text = ln.raw.strip()
        if len(text) > _MAX_EVIDENCE and span is not None:
            text = C.sentence_of(span.doc, span.start).text.strip()
        self.out.lines[ln.no] = text[:_MAX_EVIDENCE]

    def _fact(self, rel: str, subj: Ref, obj: Ref, ln: Line, span: Span | None = None) -> None:
        self.out.facts.append(Fact(rel, subj, obj, ln.no))
        self._evidence(ln, span)

    def _mention(self, ref: Ref, ln: Line) -> None:
        self.out.mentions.append((ref, ln.no))
        self._evidence(ln)

    # -- metadata -------------------------------------------------------------
    def _metadata(self) -> None:
        fm = self.layout.front_matter
        lines = self.layout.lines
        meta: dict[str, list[tuple[str, Line]]] = {}
        first = next((ln for ln in lines if ln.kind != "frontmatter"), lines[0])
        for key, value in fm.items():
            field = self.lex.meta_field(key)
            if field:
                values = value if isinstance(value, list) else [value]
                meta.setdefault(field, []).extend((str(v), lines[0]) for v in values)
        section_field = None
        listing = False  # right under an "Attendees" heading or label, before a blank line
        for ln in lines:
            if ln.kind in ("heading", "label"):
                section_field = self.lex.meta_field(ln.key or ln.text)
                if section_field not in ("attendees", "absent", "host"):
                    section_field = None
                listing = section_field is not None
                continue
            if ln.kind == "blank":
                listing = False
            if ln.kind == "text" and not ln.speaker and _SEGMENT_SEP.search(ln.text):
                # "Date: Nov 20 | Attendees: Sam, Julia" or "20/11/2024 · In attendance: …"
                segments = [_META_SEGMENT.match(s) for s in _SEGMENT_SEP.split(ln.text)]
                fields = [(self.lex.meta_field(m.group(1)), m.group(2)) for m in segments if m]
                if any(f for f, _ in fields):
                    for f, value in fields:
                        if f:
                            meta.setdefault(f, []).append((value, ln))
                    ln.kind = "meta"
                    continue
            if ln.key is not None and ln.value and not ln.speaker:
                field = self.lex.meta_field(ln.key)
                if field and not self.lex.is_action_section(ln.section):
                    meta.setdefault(field, []).append((ln.value, ln))
                    ln.kind = "meta"
                    continue
            if section_field and (ln.kind == "bullet" or (
                    listing and ln.kind == "text" and not ln.key and not ln.speaker)):
                # Bulleted, or one name (or a comma list) per line right under the label.
                meta.setdefault(section_field, []).append((ln.text, ln))
                ln.kind = "meta"
        self.out.title = self._title(fm, first)
        self.out.date = self._date(meta)
        self.ref_date = to_date(self.out.date)
        if self.out.date is None:
            self.out.warnings.append("no meeting date found; dates without a year are left empty")
        if meta.get("location"):
            self.out.location = meta["location"][0][0]
        for value, _ln in meta.get("absent", []):
            for name in split_names(value, self.lex):
                self.absent.add(name.casefold())
        for field in ("host", "attendees"):
            for value, ln in meta.get(field, []):
                self._people(value, ln, host=field == "host")
        for value, ln in meta.get("customer_affected", []):
            for name in re.split(r"\s*(?:,|;|\band\b|&)\s*", value):
                name = clean_inline(_PAREN.sub("", name)).strip(" .")
                if name and name[0].isupper() and name.casefold() not in ("none", "n/a"):
                    customer = Ref(V.CUSTOMER, name, DECLARED)
                    for incident in self._note_incidents():
                        self._fact(V.AFFECTED, incident, customer, ln)
                    self._mention(customer, ln)
        for value, ln in meta.get("owner", []):
            for name in split_names(value, self.lex):
                for incident in self._note_incidents():
                    self._fact(V.OWNS, Ref(V.PERSON, name, DECLARED), incident, ln)

    def _people(self, value: str, ln: Line, host: bool) -> None:
        host_words = {norm_key(w) for w in self.lex.structure["meta_keys"]["host"]}
        host_words |= {"host", "facilitator", "chair", "lead", "organizer", "ic"}
        owns_incident = {norm_key(w) for w in self.lex.structure["host_owns_incident"]}
        for raw in re.split(r"\s*(?:,|;|\band\b|&)\s*(?![^()]*\))", value):
            raw = _EMAIL.sub("", raw)
            notes = [norm_key(p) for p in _PAREN.findall(raw)]
            name = clean_inline(_PAREN.sub("", raw)).strip(" .:-")
            name = re.sub(r"^\[\[|\]\]$", "", name).strip()
            name = re.split(r"\s+[-–—]\s+", name)[0]
            if not name or not looks_like_name(name, self.lex):
                continue
            if name.casefold() in self.absent:
                continue
            for note in notes:
                if re.fullmatch(r"[a-z]{2,4}", note) and note.upper() == "".join(
                        w[0] for w in name.split() if w[0].isupper()):
                    self.out.initials[note.upper()] = name
            person = Ref(V.PERSON, name.lstrip("@"), DECLARED)
            self.out.people.append(person)
            self._fact(V.ATTENDED, person, self.meeting, ln)
            for note in notes:
                team = _LEAD_NOTE.match(note)
                if team and (team.group(1) or team.group(2)):
                    name_of_team = _team_name((team.group(1) or team.group(2)) + " team")
                    self._fact(V.LEADS, person, Ref(V.TEAM, name_of_team, CUE), ln)
            if host or any(n in host_words for n in notes):
                self._fact(V.HOSTED, person, self.meeting, ln)
                if host and ln.key and norm_key(ln.key) in owns_incident:
                    for incident in self._note_incidents():
                        self._fact(V.OWNS, person, incident, ln)

    def _title(self, fm: dict, first: Line) -> str:
        if isinstance(fm.get("title"), str) and fm["title"]:
            return fm["title"]
        heading = next((ln for ln in self.layout.lines if ln.kind == "heading"), None)
        if heading is not None and (heading.level == 1 or heading is first):
            return heading.text
        if first.kind in ("text", "label") and not first.speaker and len(first.text) < 120:
            return re.sub(r"\s*[-–—|:,]\s*$", "", _strip_dates(first.text)) or first.text
        if heading is not None:
            return heading.text
        return PurePosixPath(self.note.source).stem.replace("-", " ").replace("_", " ")

    def _date(self, meta: dict) -> str | None:
        for value, _ in meta.get("date", []):
            iso = parse_date(value)
            if iso:
                return iso
        iso = parse_date(self.out.title)
        if iso:
            return iso
        m = _FILE_DATE.search(PurePosixPath(self.note.source).name)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
            except ValueError:
                pass
        for ln in self.layout.lines[:8]:
            iso = parse_date(ln.text)
            if iso:
                return iso
        return None

    def _note_incidents(self) -> list[Ref]:
        """The incidents a note is about: those its title names."""
        return [ref for ref in self._keys(self.out.title) if ref.label == V.INCIDENT]

    # -- speakers -------------------------------------------------------------
    def _speakers(self) -> None:
        dialogue = self._dialogue_names()
        for ln in self.layout.lines:
            if ln.speaker and not ln.turn and not self.lex.is_action_section(ln.section):
                if norm_key(ln.speaker) in self.lex.structure["not_speakers"]:
                    ln.speaker = None
                    continue
                if self.lex.meta_field(ln.speaker):
                    ln.speaker = None
                    continue
                name = ln.speaker.lstrip("@")
                if name.casefold() in self.absent or not looks_like_name(name, self.lex):
                    continue
                person = Ref(V.PERSON, name, DECLARED)
                self._fact(V.ATTENDED, person, self.meeting, ln)
            elif ln.key and ln.value and ln.kind in ("text",) and not self.lex.meta_field(ln.key):
                # "Emily: text" lines: a speaker when the label is a declared person.
                name = ln.key.lstrip("@")
                not_speaker = norm_key(name) in self.lex.structure["not_speakers"]
                if (self._declared(name) or name in dialogue) and not not_speaker:
                    ln.speaker = name
                    self._fact(V.ATTENDED, Ref(V.PERSON, name, DECLARED), self.meeting, ln)

    def _dialogue_names(self) -> set[str]:
        """Given names that label two or more different lines' speakers: "Emily:" / "Tom:"."""
        labels = {ln.key for ln in self.layout.lines
                  if ln.kind == "text" and ln.key and ln.value and ln.key in self.lex.first_names}
        return labels if len(labels) >= 2 else set()

    def _declared(self, name: str) -> bool:
        folded = name.casefold()
        for p in self.out.people:
            words = p.text.casefold().split()
            if folded == p.text.casefold() or (words and folded == words[0]):
                return True
        return looks_like_name(name, self.lex) and len(name.split()) >= 2 and (
            name.split()[0] in self.lex.first_names)

    # -- prose ----------------------------------------------------------------
    def _prose(self) -> None:
        todo = [ln for ln in self.layout.lines
                if ln.kind in _PROSE_KINDS or (ln.kind == "meta" and ln.key is None)]
        todo += [ln for ln in self.layout.lines if ln.kind == "text" and ln.speaker]
        todo = sorted({ln.no: ln for ln in todo}.values(), key=lambda x: x.no)
        initials = self._initials()
        for chunk in _chunks(todo):
            self._prose_chunk(chunk, initials)

    def _prose_chunk(self, todo: list[Line], initials: frozenset[str]) -> None:
        """Run the pipeline over consecutive lines as one Doc: its fixed cost is paid once.

        Spaces around each newline keep words apart from it: spaCy's tokenizer
        caches space-delimited chunks, and "end.\nNext" chunks never repeat (8x slower).
        """
        texts = [_tame(ln.text) for ln in todo]
        starts, pos = [], 0
        for ln, text in zip(todo, texts, strict=True):
            starts.append(pos)
            self.line_start[ln.no] = pos
            pos += len(text) + len(_LINE_JOIN)
        text = _LINE_JOIN.join(texts)
        doc = self.nlp.make_doc(text)
        doc.user_data["kg_text"] = text
        if initials:
            doc.user_data["kg_initials"] = initials
        doc = self.nlp(doc)
        spans = list(doc.spans[C.SPANS_KEY])

        def line_at(char: int) -> Line:
            return todo[bisect_right(starts, char) - 1]

        for span in spans:
            ln = line_at(span.start_char)
            self.line_spans.setdefault(ln.no, []).append(span)
            ref = self.span_ref(span)
            if ref is not None:
                self._mention(ref, ln)
        for fact in doc._.kg_facts:
            self.line_facts.setdefault(line_at(doc[fact[3]].idx).no, []).append((fact, spans))

    def _spans(self, ln: Line) -> list[Span]:
        return self.line_spans.get(ln.no, [])

    def _opens_line(self, span: Span, ln: Line) -> bool:
        return span.start_char == self.line_start.get(ln.no)

    def _initials(self) -> frozenset[str]:
        """Initials this note defines or that its declared people's names give, uniquely."""
        derived: dict[str, set[str]] = {}
        for p in self.out.people:
            words = [w for w in p.text.split() if w[:1].isupper()]
            if len(words) >= 2:
                derived.setdefault("".join(w[0] for w in words), set()).add(p.text)
        unique = {k for k, v in derived.items() if len(v) == 1 and 2 <= len(k) <= 3}
        return frozenset(unique | set(self.out.initials))

    def span_ref(self, span: Span) -> Ref | None:
        label, text = span.label_, span.kb_id_ or span.text
        if label in (C.TICKET, C.INCIDENT):
            return Ref(V.TICKET if label == C.TICKET else V.INCIDENT, text, DECLARED)
        if label == C.PERSON:
            if text.startswith("@"):
                return Ref(V.PERSON, text[1:].strip(), CUE)
            return Ref(V.PERSON, span.text, GUESS)
        if label == C.TEAM:
            return Ref(V.TEAM, _team_name(span.text), CUE)
        if label == C.CUSTOMER:
            return Ref(V.CUSTOMER, span.text, CUE)
        if label == C.PRODUCT:
            return Ref(V.PRODUCT, _VERSION.sub("", span.text), GUESS)
        if label == C.NAME and self._customer_cue(span):
            return Ref(V.CUSTOMER, span.text, CUE)
        if text.startswith("[["):
            inner = text[2:].rstrip("]").strip()
            if looks_like_name(inner, self.lex) and len(inner.split()) >= 2:
                return Ref(V.PERSON, inner, CUE)
            return Ref(NAME, inner, GUESS)
        if _CAMEL.match(span.text):
            return Ref(V.PRODUCT, span.text, GUESS)
        return Ref(NAME, span.text, GUESS)

    def _customer_cue(self, span: Span) -> bool:
        """"our customer Initech", "client Globex", "Initech (customer)"."""
        cues = self._customer_words
        doc = span.doc
        before = doc[span.start - 1].lower_ if span.start > 0 else ""
        after = doc[span.end:span.end + 3].text.lower() if span.end < len(doc) else ""
        return before in cues or any(after.startswith(f"( {w} )") or after.startswith(f"({w})")
                                     for w in cues)

    def _relations(self) -> None:
        for ln in self.layout.lines:
            for (rel, a, b, _cue), spans in self.line_facts.get(ln.no, ()):
                subj, obj = self._arg(a, spans, ln, rel, 0), self._arg(b, spans, ln, rel, 1)
                if subj is None or obj is None:
                    continue
                for s in subj:
                    for o in obj:
                        self._fact(rel, s, o, ln, spans[a.span] if a.span is not None else None)

    def _arg(self, arg, spans: list[Span], ln: Line, rel: str, pos: int) -> list[Ref] | None:
        if arg.text is not None:
            return [Ref(V.ROLE, _role_name(arg.text), CUE)]
        if arg.fallback == "speaker":
            return [Ref(V.PERSON, ln.speaker, DECLARED)] if ln.speaker else None
        if arg.fallback == "note_incident":
            return self._note_incidents() or None
        ref = self.span_ref(spans[arg.span])
        if ref is None:
            return None
        allowed = V.RELATIONS[rel][pos]
        if ref.label == NAME or (ref.label == V.PRODUCT and ref.strength == GUESS):
            # The relation itself says what the name is ("INC-7 at GlobalBank": a customer).
            typed = [lab for lab in (V.CUSTOMER, V.PERSON, V.TEAM, V.PRODUCT) if lab in allowed]
            if typed == [V.PERSON]:
                # Still a guess: resolution decides whether the name is a person.
                return [Ref(V.PERSON, ref.text, GUESS)] if ref.label == NAME else None
            if len(typed) == 1:
                return [Ref(typed[0], ref.text, CUE)]
        return [ref] if ref.label in allowed or ref.label == NAME else None

    # -- tables ---------------------------------------------------------------
    def _tables(self) -> None:
        for rows in self.layout.tables:
            if not rows:
                continue
            roles = {h: self.lex.column_role(h) for h in rows[0].cells}
            by_role = {r: h for h, r in roles.items() if r and r not in ("item",)}
            item_col = next((h for h, r in roles.items() if r == "item"), None)
            is_action = self.lex.is_action_section(rows[0].section) or any(
                norm_key(h) in self.lex.structure["item_columns_make_actions"] for h in roles)
            for row in rows:
                owners = self._owner_refs(row.cells.get(by_role.get("owner", ""), ""))
                tickets = self._keys(row.cells.get(by_role.get("ticket", ""), ""))
                for o in owners:
                    for t in tickets:
                        self._fact(V.OWNS, o, t, row)
                if is_action and item_col and row.cells.get(item_col):
                    self._table_item(row, item_col, by_role, owners, tickets)

    def _table_item(self, row: Line, item_col: str, by_role: dict, owners, tickets) -> None:
        text = row.cells[item_col]
        parsed = parse_item(text, self.ref_date, self.lex)
        due_cell = row.cells.get(by_role.get("due", ""), "")
        due = parse_date(due_cell, self.ref_date) if due_cell else parsed.due
        status_cell = norm_key(row.cells.get(by_role.get("status", ""), ""))
        done = parsed.done or status_cell in self.lex.structure["done_words"]
        owners = owners or [Ref(V.PERSON, n, DECLARED) for n in parsed.owners]
        self._add_item(row, parsed.text or text, owners, due, done, tickets)

    def _owner_refs(self, cell: str) -> list[Ref]:
        return [Ref(V.PERSON, n.lstrip("@"), DECLARED) for n in split_names(cell, self.lex)
                if not re.search(r"\bteam\b", n, re.IGNORECASE)]

    def _keys(self, text: str) -> list[Ref]:
        prefixes = self.nlp.get_pipe("kg_mentions").incident_prefixes
        return [Ref(V.INCIDENT if incident else V.TICKET, key, DECLARED)
                for _s, _e, key, incident in self.lex.keys.find(text, prefixes)]

    # -- teams ----------------------------------------------------------------
    def _teams(self) -> None:
        words = self.lex.structure["team_section_words"]
        team_rx = re.compile(
            r"^(?P<team>[A-Z][\w&' -]*?\b(?:" + "|".join(words) + r"))\b\s*"
            r"(?:\((?P<lead>[^)]*)\)|[-–—:|]\s*(?P<lead2>.+))?\s*$", re.IGNORECASE)
        current: tuple[Ref, int] | None = None
        container = 0  # level of a "## Team updates" heading whose children are teams
        for ln in self.layout.lines:
            if ln.kind == "heading":
                current = None
                if container and ln.level <= container:
                    container = 0
                m = team_rx.match(ln.text)
                if not m and container:
                    # "### Platform (Emily Watson)" under "## Team updates"
                    m = _CHILD_TEAM.match(ln.text)
                    if m and not split_names(m.group("lead") or m.group("lead2") or "",
                                             self.lex):
                        m = None
                if not m:
                    if _TEAMS_HEADING.search(ln.text):
                        container = ln.level
                    continue
                name = m.group("team")
                if not re.search(r"\b(?:" + "|".join(words) + r")$", name, re.IGNORECASE):
                    name += " Team"
                team = Ref(V.TEAM, _team_name(name), DECLARED)
                current = (team, ln.level)
                self._mention(team, ln)
                lead = m.group("lead") or m.group("lead2") or ""
                lead = re.sub(r"\b(?:lead|leads|led by|manager|em|head|tl)\b\s*:?", "", lead,
                              flags=re.IGNORECASE)
                for name in split_names(lead, self.lex):
                    self._fact(V.LEADS, Ref(V.PERSON, name, DECLARED), team, ln)
                continue
            if current is None or ln.section_line == 0:
                continue
            team = current[0]
            if ln.key and ln.value and norm_key(ln.key) in self.lex.structure["lead_words"]:
                for name in split_names(ln.value, self.lex):
                    self._fact(V.LEADS, Ref(V.PERSON, name, DECLARED), team, ln)
                continue
            if ln.key and ln.value and norm_key(ln.key) in ("members", "member", "team"):
                for name in split_names(ln.value, self.lex):
                    self._fact(V.MEMBER_OF, Ref(V.PERSON, name, DECLARED), team, ln)
                continue
            if ln.kind == "bullet":
                spans = self._spans(ln)
                if spans and self._opens_line(spans[0], ln) and spans[0].label_ in (
                        C.PERSON, C.NAME):
                    ref = self.span_ref(spans[0])
                    if ref is not None and ref.label in (V.PERSON, NAME):
                        self._fact(V.MEMBER_OF, Ref(V.PERSON, ref.text, ref.strength), team, ln)

    # -- action items -----------------------------------------------------------
    def _items(self) -> None:
        prefixes = {norm_key(p) for p in self.lex.structure["action_prefixes"]}
        for ln in self.layout.lines:
            if ln.kind not in ("bullet", "text", "meta") or not ln.text:
                continue
            in_section = self.lex.is_action_section(ln.section)
            prefixed = bool(ln.key and norm_key(ln.key) in prefixes)
            if not (in_section or ln.checkbox or prefixed):
                continue
            if ln.kind == "meta" and not in_section:
                continue
            text = ln.text
            if ln.speaker and in_section:
                text = f"{ln.speaker}: {ln.text}"
            parsed = parse_item(text, self.ref_date, self.lex)
            if not parsed.text:
                continue
            if not (parsed.owners or ln.checkbox or parsed.has_due_text or prefixed):
                continue  # a remark in an action section, not an assigned task
            owners = [Ref(V.PERSON, o.lstrip("@"), DECLARED) for o in parsed.owners]
            if not owners:
                owners = self._leading_person(ln)
            done = parsed.done or ln.checkbox == "done" or bool(re.match(r"^~~.*~~$", ln.text))
            self._add_item(ln, parsed.text, owners, parsed.due, done, [])

    def _leading_person(self, ln: Line) -> list[Ref]:
        """"Chloé Dubois shared the deck": an item that opens with a person is theirs."""
        spans = self._spans(ln)
        if spans and self._opens_line(spans[0], ln) and spans[0].label_ == C.PERSON:
            ref = self.span_ref(spans[0])
            if ref is not None and not spans[0]._.kg_possessive:
                return [Ref(V.PERSON, ref.text, CUE)]
        return []

    def _add_item(self, ln: Line, text: str, owners: list[Ref], due: str | None, done: bool,
                  extra_targets: list[Ref]) -> None:
        targets = list(extra_targets)
        for span in self._spans(ln):
            ref = self.span_ref(span)
            if ref is not None and ref.label in (V.TICKET, V.INCIDENT, V.PRODUCT,
                                                 V.CUSTOMER, NAME):
                if ref.label in (V.TICKET, V.INCIDENT) or span.text in text:
                    targets.append(ref)
        seen, uniq = set(), []
        for t in targets:
            if (t.label, t.text) not in seen:
                seen.add((t.label, t.text))
                uniq.append(t)
        self.out.items.append(Item(ln.no, clean_inline(text), owners, due,
                                   "done" if done else "open", uniq))
        self._evidence(ln)


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
    return out


def _tame(text: str) -> str:
    """Cut runs of 200+ characters without a space ("[[[[…", base64): no name is that long."""
    return _LONG_RUN.sub(lambda m: m.group(0)[:_MAX_RUN], text) if len(text) > _MAX_RUN else text


def _strip_dates(text: str) -> str:
    for d in reversed(find_dates(text, None)):
        text = text[: d.start] + text[d.end:]
    return re.sub(r"\s+", " ", text).strip()


def _team_name(text: str) -> str:
    words = text.split()
    return " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in words)


def _role_name(text: str) -> str:
    return " ".join(w if any(c.isupper() for c in w[1:]) or w.isupper() else w.capitalize()
                    for w in text.split())
