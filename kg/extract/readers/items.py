"""Action items: which lines are tasks, and who owns them.

A line is an action item when the note says so:
- an action label (`ACTION:`, `**Action item:**`, `ACTION ALL:`, `AI-7:`, `#action`),
  even without an owner, and a speaker's "Gordon: action item for next call …";
- a line in an action section (Action items / Next steps / TODO, as a heading,
  a label or a bold bullet over a nested list), but not a note under an item,
  and not the discussion under "Follow-up on last week's actions";
- a sentence that gives an action to people ("Tobie and Chris have this action");
- a checkbox elsewhere only when it assigns the task (an owner or a due date):
  agenda checkboxes and checkbox rosters are not tasks;
- a speaker's dated promise in a transcript turn, "[00:01:05] Priya: I'll send the
  draft by Monday": the speaker owns it.
`ACTION: Consensus is that …` records a decision, not a task. The same action
stated twice in a note (a summary and the body) is one item with two lines.
"""

from __future__ import annotations

import re

from ... import vocab as V
from .. import components as C
from ..context import Context, Found
from ..facts import CUE, DECLARED, NAME, Item, Ref
from ..items import ItemParser, ParsedItem
from ..layout import Line, clean_inline
from ..progress import DONE, DROPPED, OPEN
from ..roster import Roster
from .prose import team_name

_SPOKEN_ACTION = re.compile(r"^(?:an?\s+)?action(?:\s+items?|\s+points?)?\b[\s,:]*", re.IGNORECASE)
_HAS_ACTION = re.compile(r"\bha(?:s|ve)\s+(?:an\s+|the\s+|this\s+)?action\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"^(?:I['’]ll|I will|I can|I['’]m going to|I am going to|I['’]d)\b",
                           re.IGNORECASE)
_EMPTY = frozenset({"", "none", "n/a", "na", "tbd", "...", "…", "-", "nothing", "no actions",
                    "no action items", "none this week"})
_TARGETS = (V.TICKET, V.INCIDENT, V.PRODUCT, V.CUSTOMER, NAME)


def read(ctx: Context) -> Found:
    found = Found()
    parser = ItemParser(ctx.lex, ctx.names)
    # Speakers count as declared: "Quillfeather:" earlier makes "Quillfeather to …" an owner.
    roster = Roster(ctx.roster.people + tuple(sorted(set(ctx.speakers.values()))),
                    ctx.roster.aliases)
    item_lines: set[int] = set()
    passed: set[int] = set()  # lines of an action section read as no task
    for ln in ctx.layout.lines:
        if ln.kind not in ("bullet", "text") or not ln.text or ln.no in ctx.consumed:
            continue
        if ln.key is not None and not ln.value:
            continue  # "- **Action items**:" opens a list; it is not a task
        shape = _shape(ctx, ln, item_lines, passed)
        if shape is None:
            continue
        kind, body = shape
        strict = kind == "checkbox"
        parsed = parser.parse(body, ctx.ref_date(ln.no), roster, strict=strict)
        if not (parsed.owners or parsed.groups):
            _chip_owner(ln, parsed)
        if kind == "spoken":
            parsed.labelled = True
        if kind in ("spoken", "promise") and _FIRST_PERSON.match(parsed.text) \
                and not parsed.owners:
            parsed.owners.append(ctx.speakers[ln.no])  # "Jack: action item, I'll …"
        if not _is_task(ctx, ln, kind, parsed):
            if kind.startswith("section"):
                passed.add(ln.no)
            continue
        owners = owner_refs(parsed)
        if not owners and kind in ("section", "labelled") and ctx.prose is not None:
            owners = _leading_person(ctx, ln)
        struck = bool(re.match(r"^~~.*~~$", ln.text))
        status = item_status(parsed, ln.checkbox, struck)
        if add_item(ctx, found, ln, parsed.text, owners, parsed.due, status, ref=parsed.ref,
                    update=kind == "review", shift_days=parsed.progress.shift_days):
            item_lines.add(ln.no)
    for ln in ctx.layout.lines:
        if ln.kind in ("bullet", "text") and ln.no not in item_lines and ln.no not in ctx.consumed:
            _handover(ctx, parser, roster, ln, found)
    found.consumed |= item_lines
    return found


def _shape(ctx: Context, ln: Line, item_lines: set[int],
           passed: set[int]) -> tuple[str, str] | None:
    """Why `ln` may be an action item ("labelled", "spoken", "section", "checkbox",
    "sentence"), and the text to parse; None when it is not one."""
    lex = ctx.lex
    if ln.key is not None and lex.is_action_prefix(ln.key):
        return "labelled", ln.text
    if ln.text.lower().startswith(("#action", "[action]", "[todo]", "[ai]")):
        return "labelled", ln.text
    if ln.no in ctx.speakers and ln.value and _SPOKEN_ACTION.match(ln.value) \
            and not lex.decision_kind(ln.value.split(" ", 1)[0]):
        return "spoken", _SPOKEN_ACTION.sub("", ln.value, count=1)
    if ctx.in_review(ln):
        # "Follow-up on last week's actions": how earlier tasks stand, not new ones.
        if item_lines.intersection(ln.parents) or passed.intersection(ln.parents):
            return None
        return "review", ln.text
    if ctx.in_actions(ln):
        if item_lines.intersection(ln.parents) or passed.intersection(ln.parents):
            return ("section", ln.text) if ln.checkbox else None  # a note under a line
        if ln.kind == "bullet" and ln.no in ctx.layout.children and not ln.checkbox \
                and ctx.names.in_slot(ln.text, ctx.roster):
            return None  # "* kparal" over that person's tasks ("Action items, by person")
        if ln.key is not None and not ctx.names.in_slot(ln.key, ctx.roster) \
                and not ctx.names.group_name(ln.key):
            passed.add(ln.no)
            return None  # "Question: …", "Decision: …": a field, not a task
        if ln.kind == "bullet" or ln.checkbox:
            return "section", ln.text
        return "section-text", ln.text
    said = _said(ctx, ln)
    if said and _FIRST_PERSON.match(said):
        return "promise", said
    action = _HAS_ACTION.search(ln.text)
    if action:  # only the sentence that gives the action
        start = max(ln.text.rfind(". ", 0, action.start()) + 2, 0)
        end = ln.text.find(". ", action.end())
        return "sentence", ln.text[start if start > 1 else 0:end + 1 if end != -1 else None]
    if ln.checkbox:
        return "checkbox", ln.body if ln.no in ctx.speakers else ln.text
    return None


def _said(ctx: Context, ln: Line) -> str | None:
    """What the speaker of `ln` said on it, without the label; None if no one speaks."""
    if ln.no not in ctx.speakers:
        return None
    if ln.stamped:
        return ln.text
    return ln.value if ln.key is not None else None


def _is_task(ctx: Context, ln: Line, kind: str, parsed: ParsedItem) -> bool:
    text = parsed.text.strip(" .…").casefold()
    if text in _EMPTY or not re.search(r"\w", text):
        return False
    first = text.split(" ", 1)[0]
    if ctx.lex.decision_kind(first):
        return False  # "ACTION: Consensus is that we will not …" records a decision
    has_owner = bool(parsed.owners or parsed.groups)
    if not has_owner and first in ctx.names.hedges_of_proposal:
        return False  # "Consider per-tenant quotas", "Maybe revisit …": a suggestion
    if kind == "checkbox":
        return (parsed.assigned and has_owner) or parsed.has_due_text or parsed.tracked
    if kind == "section-text":
        return has_owner or parsed.has_due_text or parsed.labelled
    if kind == "sentence":
        return has_owner
    if kind == "promise":
        return has_owner and parsed.has_due_text  # "I'll look into it" promises no date
    if kind == "review":  # a status word alone ("Done") names no action to update
        return len(re.findall(r"\w+", text)) >= 2 or has_owner
    return True


def item_status(parsed: ParsedItem, checkbox: str | None = None, struck: bool = False) -> str:
    """What the line says of the action: the words ("blocked on legal") over the box."""
    if checkbox == "cancelled":
        return DROPPED
    if parsed.done or checkbox == "done" or struck:
        return DONE
    return parsed.progress.status or OPEN


def _handover(ctx: Context, parser: ItemParser, roster: Roster, ln: Line, found: Found) -> None:
    """"Bo takes over the sizing guide from Rachel", "Sizing guide handed over to Bo":
    new owners for an action an earlier line gave, never a new action."""
    rx = _handover_patterns(ctx)
    m = rx[0].match(ln.text) or rx[1].match(ln.text)
    if not m:
        return
    new = parser.owner_list(m["new"], roster)
    old = parser.owner_list(m["old"], roster) if m["old"] else ([], [])
    if not new or not (new[0] or new[1]) or old is None:
        return
    text = re.sub(r"^(?:the|our|their|his|her)\s+", "", m["text"].strip(" :-–—"),
                  flags=re.IGNORECASE)
    if len(re.findall(r"\w+", text)) < 2 and not ctx.keys(text):
        return  # "Bo takes over from Rachel": nothing names what changes hands
    owners = owner_refs(ParsedItem(text, new[0], None, False, groups=new[1]))
    former = owner_refs(ParsedItem(text, old[0], None, False, groups=old[1]))
    if add_item(ctx, found, ln, text, owners, None, OPEN, update=True):
        found.items[-1].former_owners = former
        found.consumed.add(ln.no)


def _handover_patterns(ctx: Context) -> tuple[re.Pattern, re.Pattern]:
    lex = ctx.lex
    cached = lex.__dict__.get("_handover_patterns")
    if cached is None:
        spec = lex.structure["item_progress"]

        def alternatives(name: str) -> str:
            return "|".join(re.escape(p) for p in sorted(spec[name], key=len, reverse=True))

        names = r"[^,;:()]+?"
        cached = lex.__dict__["_handover_patterns"] = (
            re.compile(rf"^(?P<new>{names})\s+(?:{alternatives('handover_takes')})\s+"
                       rf"(?P<text>.+?)(?:\s+from\s+(?P<old>{names}))?\s*[.;!]?$", re.IGNORECASE),
            re.compile(rf"^(?P<text>.+?)\s*[:—–-]?\s*(?:is\s+|was\s+|has\s+been\s+|got\s+)?"
                       rf"(?:{alternatives('handover_gives')})\s+(?P<new>{names})"
                       rf"(?:\s+from\s+(?P<old>{names}))?\s*[.;!)]?$", re.IGNORECASE))
    return cached


def owner_refs(parsed: ParsedItem) -> list[Ref]:
    people = [Ref(V.PERSON, o.lstrip("@"), DECLARED) for o in parsed.owners]
    groups = [Ref(V.TEAM, _group_name(g), DECLARED) for g in parsed.groups]
    return people + groups


def _group_name(written: str) -> str:
    name = written.strip().lstrip("@")
    return team_name(name) if len(name.split()) > 1 else name


def _chip_owner(ln: Line, parsed: ParsedItem) -> None:
    """"☐ [Omar Said](mailto:…) Draft the FAQ": a person chip that opens the task owns it."""
    for text, url in ln.links:
        if url.startswith("mailto:") and text and parsed.text.startswith(text):
            parsed.text = parsed.text[len(text):].strip(" :-–—")
            parsed.owners.append(text)
            parsed.assigned = True
            return


def _leading_person(ctx: Context, ln: Line) -> list[Ref]:
    """"Chloé Dubois shared the deck": an item that opens with a person is theirs."""
    index = ctx.prose
    spans = index.on(ln)
    if spans and index.opens_line(spans[0], ln) and spans[0].label_ == C.PERSON:
        ref = index.ref(spans[0])
        if ref is not None and not spans[0]._.kg_possessive:
            return [Ref(V.PERSON, ref.text, CUE)]
    return []


def add_item(ctx: Context, found: Found, ln: Line, text: str, owners: list[Ref],
             due: str | None, status: str, extra_targets: list[Ref] = (),
             ref: str | None = None, update: bool = False,
             shift_days: int | None = None) -> bool:
    """Record an action item with what its line (and the line it sits under) names."""
    text = clean_inline(text)
    if not text:
        return False
    targets = named_by(ctx, [ln], text, extra=extra_targets)
    found.items.append(Item(ln.no, text, owners, due, status, targets, ref, update=update,
                            shift_days=shift_days))
    return True


def named_by(ctx: Context, lines: list[Line], text: str | None = None, people: bool = False,
             extra: list[Ref] = ()) -> list[Ref]:
    """What the lines name, and the tickets of the bullets they sit under, each once:
    an item or a decision listed under a ticket is about that ticket."""
    targets = list(extra)
    for ln in lines:
        targets += targets_of(ctx, ln, ln.text if text is None else text, people)
    for parent in ctx.layout.scope(lines[0]):
        if parent.kind == "bullet":
            targets += [t for t in targets_of(ctx, parent, "") if t.label in (V.TICKET, V.INCIDENT)]
    first: dict[tuple[str, str], Ref] = {}
    for t in targets:
        first.setdefault((t.label, t.text), t)
    return list(first.values())


def targets_of(ctx: Context, ln: Line, text: str, people: bool = False) -> list[Ref]:
    """What a line names: tickets (also behind links), products, customers, names in `text`."""
    out = []
    index = ctx.prose
    wanted = _TARGETS + ((V.PERSON, V.TEAM) if people else ())
    for span in index.on(ln) if index is not None else ():
        ref = index.ref(span)
        if ref is not None and ref.label in wanted:
            if ref.label in (V.TICKET, V.INCIDENT) or span.text in text:
                out.append(ref)
    for _text, url in ln.links:
        out += ctx.keys(url)
    return out


def merge_repeats(items: list[Item], roster: Roster) -> list[Item]:
    """One action stated twice in a note (summary and body, table and bullets) is one item:
    the same words, the same owners (as the note declares them) and the same tickets."""
    def owner(o: Ref) -> str:
        return (roster.one(o.text) if o.label == V.PERSON else None) or o.text.casefold()

    first: dict[tuple, Item] = {}
    kept = []
    for item in items:
        key = (item.update, _words(item.text), tuple(sorted(owner(o) for o in item.owners)),
               tuple(sorted((t.label, t.text) for t in item.targets
                            if t.label in (V.TICKET, V.INCIDENT))))
        if key in first:
            first[key].also.append(item.line)
            continue
        first[key] = item
        kept.append(item)
    return kept


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))
