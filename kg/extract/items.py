"""Action items: who does what by when, in the shapes people write them.

`Name: text — due D`, `Name to text by D`, `Name - text by D`, `text @Name (due D)`,
`text — Name — D`, `ACTION: XX to text by D`, `ACTION ALL: text`, `**ACTION 14.3:** text`,
`AI-7: text`, `#action text`, `Anya, Kofi, ideally Piet, will text`,
`One of a, b and/or c should text`, `Staff (Jenn/Jory) to text`, `X and Y have this action`,
`… , Omar will text`, `- [ ] text 📅 2024-11-01` (`✅ 2024-11-03` is when it was done).

One owner slot decides: the words before a connector ("to", "will", ":", "—")
are owners only when every part of them is a person's or a group's name.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .dates import find_dates
from .lexicon import Lexicon
from .names import Names
from .progress import Progress, ProgressReader
from .roster import Roster

_LABEL = re.compile(
    r"^\s*(?P<p>(?:action(?:\s+items?|\s+points?)?|a\.?i\.?|a\.?p\.?|todo|to\s?do|tasks?"
    r"|follow[- ]?ups?|next\s+steps?)s?)\b(?P<id>[\s#-]*\d[\d.]*)?(?P<who>(?:\s+[^\s:]+){0,3}?)"
    r"\s*(?::|\s[-–—]\s)\s*(?P<rest>.*)$", re.IGNORECASE)
_TAGGED = re.compile(r"^\s*(?:\[(?:action|todo|ai)\]|#action\b)\s*(?P<rest>.*)$", re.IGNORECASE)
_ID_PREFIX = re.compile(
    r"^\s*(?P<id>(?:AI|AP|A)-?\d+(?:\.\d+)*|\d+(?:\.\d+)+)\s*[:.)-]\s+(?P<rest>.*)$")
_CONNECTOR = re.compile(
    r"\s*(?P<c>:|—|–|-{1,2}(?=\s)|\b(?:to|will|should|must|shall|needs?\s+to|is\s+going\s+to"
    r"|are\s+going\s+to|agreed\s+to|to\s+own|owns"
    r"|ha(?:s|ve)\s+(?:an\s+|the\s+|this\s+)?action(?:\s+items?)?(?:\s+to)?)\b|['’]ll\b)\s*",
    re.IGNORECASE)
_HAS_ACTION = re.compile(r"ha(?:s|ve)\s+(?:an\s+|the\s+|this\s+)?action", re.IGNORECASE)
_OWNER_TAG = re.compile(
    r"[(\[]\s*(?:owner|owners|assignee|who|dri)\s*[:=]\s*(?P<names>[^)\]]+)[)\]]"
    r"|\b(?:owner|owners|assignee|dri)\s*[:=]\s*(?P<names2>[^,;()\[\]]+?)"
    r"(?=\s*(?:[,;()\[\]]|$|—|–| - ))",
    re.IGNORECASE)
_AT_NAME = re.compile(r"(?<![\w@/])@(?P<h>[A-Za-z][\w.'-]*[A-Za-z0-9](?:\s+[A-Z](?:[\w'-]+)?\b)?)")
_WIKI = re.compile(r"\[\[(?P<h>[^\[\]|#]{1,80})(?:[|#][^\[\]]*)?\]\]")
_ASSIGNED = re.compile(r"\b(?:assigned to|owned by)\s+(?P<names>@?[A-Z][\w'’.-]*"
                       r"(?:\s+[A-Z][\w'’.-]*){0,2})")
_MID_OWNER = re.compile(r"(?:[,;]\s+|\b(?:then|so)\s+)(?P<n>@?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?)"
                        r"\s+(?:will|to|is going to|['’]ll)\s+(?=[a-z])")
_DUE_CUE = re.compile(
    r"(?:\b(?:due(?:\s+date)?|by|before|deadline|until|eta|target|no later than|on)\b|📅|⏳|🗓️?)"
    r"\s*[:=]?\s*$", re.IGNORECASE)
_SEGMENT = re.compile(r"\s+(?:—|–|-{1,2}|\|)\s+")
_DONE_DATE = re.compile(r"✅\s*\d{4}-\d{2}-\d{2}")
#: Emoji the Obsidian Tasks plugin writes: a checkbox that carries one is a task.
_TASK_EMOJI = re.compile(r"[📅⏳🛫➕✅🔁⏫🔼🔽]")
_DONE_MARK = re.compile(r"✅|✔️?|☑️?|\[(?:done|DONE|Done)\]|\((?:done|DONE|Done)\)|^~~.*~~$")
_TRAIL = " \t-–—:;,.|"
#: A meetbot summary line ends with who logged it and when: "(adamw, 16:20:01)".
_MEETBOT_TRAILER = re.compile(r"\s*\([\w.|-]+,\s*\d{1,2}:\d{2}(?::\d{2})?\)\s*$")
_JOINT = re.compile(r"\b(?:with|between)\s+(?P<names>@?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?"
                    r"(?:\s*(?:,|\band\b|&)\s*@?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?)*)")
_BARE_DAY = re.compile(r"(?:next\s+|this\s+)?(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?|today|tonight"
                       r"|tomorrow", re.IGNORECASE)
_LEFTOVER_CONNECTOR = re.compile(r"^\s*(?:will|to|should|must|shall|needs? to|[:—–-])\s+",
                                 re.IGNORECASE)
_TRAILING_JUNK = re.compile(r"(?:[\s.,;:)\]]+|(?:📅|⏳|🗓️?).*$)")
_GROUP_PAREN = re.compile(r"^(?P<group>[^()]+?)\s*\((?P<names>[^()]+)\)$")


@dataclass
class ParsedItem:
    text: str
    owners: list[str]  # people as written ("Emily", "@kwame", "TF")
    due: str | None
    done: bool
    has_due_text: bool = False
    groups: list[str] = field(default_factory=list)  # groups as written ("ALL", "Storage team")
    ref: str | None = None  # the note's own id for the action ("14.3", "AI-7")
    labelled: bool = False  # written with an action label ("ACTION:", "AI-7:", "#action")
    assigned: bool = False  # an owner was assigned in a strong form (not just a trailing name)
    tracked: bool = False  # written for a task tracker (Obsidian's 📅 ✅ ⏳)
    progress: Progress = field(default_factory=Progress)  # "still open", "moved to Nov 20"


class ItemParser:
    def __init__(self, lex: Lexicon, names: Names):
        self.lex = lex
        self.names = names
        self.progress = _progress_reader(lex)

    def parse(self, text: str, ref: dt.date | None, roster: Roster | None = None,
              strict: bool = False) -> ParsedItem:
        """Split an action-item line into its text, owners, due date and state.

        `strict` is for lines that are not in an action section: only strong
        owner forms count there (`X to …`, `@X`, `owner: X`), not `X: …` (a
        speaker) or a trailing name.
        """
        roster = roster or Roster()
        text = _MEETBOT_TRAILER.sub("", text)
        tracked = bool(_TASK_EMOJI.search(text))
        text = _DONE_DATE.sub("✅", text)
        done = bool(_DONE_MARK.search(text))
        text = _DONE_MARK.sub("", text).strip()
        item = ParsedItem(text="", owners=[], due=None, done=done, tracked=tracked)
        text = self._prefix(text, item, roster)
        for m in _OWNER_TAG.finditer(text):
            self._add_owners(item, m.group("names") or m.group("names2") or "", roster)
            item.assigned = True
        text = _OWNER_TAG.sub("", text)
        text = self._lead(text, item, roster, strict)
        for rx in (_AT_NAME, _WIKI):
            for m in rx.finditer(text):
                handle = m.group("h").strip()
                if rx is _WIKI and (_TRAILING_JUNK.sub("", text[m.end():]) or not
                                    self.names.person_name(handle)):
                    continue  # a [[Name]] inside the text is a mention, not the owner
                if rx is _AT_NAME and self.names.group_name(handle):
                    item.groups.append("@" + handle)
                else:
                    item.owners.append(("@" if rx is _AT_NAME else "") + handle)
                item.assigned = True
                text = text.replace(m.group(0), " ", 1)
        if item.owners or item.groups:
            # "@sam will update the runbook": the owner is gone, so is the connector.
            text = _LEFTOVER_CONNECTOR.sub("", text)
        for m in _ASSIGNED.finditer(text):
            if self._add_owners(item, m.group("names"), roster):
                item.assigned = True
        text = _ASSIGNED.sub("", text) if item.assigned else text
        text, item.progress = self.progress.read(text, ref)
        due, text, has_due = _due(text, ref)
        if item.progress.due:
            due, has_due = item.progress.due, True
        item.due, item.has_due_text = due, has_due
        if not strict:
            text = self._segments(text, item, roster)
        if not (item.owners or item.groups):
            mid = _MID_OWNER.search(text)
            if mid and self._owner_like(mid.group("n"), roster):
                item.owners.append(mid.group("n"))
                item.assigned = True
        if not (item.owners or item.groups or strict):
            # "Sync with Ana and Bo on the plan", "Call between Ana, Bo and Cy": done together.
            joint = _JOINT.search(text)
            if joint:
                self._add_owners(item, joint.group("names"), roster)
        text = re.sub(r"\s+", " ", text).strip(_TRAIL)
        item.text = re.sub(r"\(\s*\)", "", text).strip(_TRAIL)
        item.owners = _dedupe(item.owners)
        item.groups = _dedupe(item.groups)
        return item

    # -- the parts of a line -----------------------------------------------------
    def _prefix(self, text: str, item: ParsedItem, roster: Roster) -> str:
        """"ACTION:", "ACTION ALL:", "ACTION BW:", "**ACTION 14.3:**", "AI-7:", "#action"."""
        m = _TAGGED.match(text)
        if m:
            item.labelled, text = True, m.group("rest")
        m = _LABEL.match(text)
        if m:
            who = (m.group("who") or "").strip()
            if who and not self._add_owners(item, who, roster):
                return text  # "Action plan for Q3: …" is not a label
            item.labelled = True
            item.assigned = item.assigned or bool(who)
            ident = (m.group("id") or "").strip(" #-")
            abbrev = m.group("p").replace(".", "").upper()
            # "AI-7" is named with its prefix; "ACTION 14.3" by its number.
            item.ref = (f"{abbrev}-{ident}" if abbrev in ("AI", "AP") else ident) if ident \
                else None
            text = m.group("rest")
        m = _ID_PREFIX.match(text)
        if m:
            item.ref, item.labelled, text = m.group("id"), True, m.group("rest")
        return text

    def _lead(self, text: str, item: ParsedItem, roster: Roster, strict: bool) -> str:
        """"Emily, Tom and Nina to …", "Anya, Kofi, ideally Piet, will …", "X has this action"."""
        for m in _CONNECTOR.finditer(text, 0, min(len(text), 120)):
            head = text[:m.start()]
            if not head.strip():
                continue
            conn = m.group("c").casefold()
            if strict and conn in (":", "—", "–", "-", "--"):
                continue
            if conn in ("-", "--") and " - " not in text[: m.end() + 1]:
                continue
            if self._add_owners(item, head, roster):
                item.assigned = True
                given = _HAS_ACTION.match(conn)
                if given and not conn.endswith("to") or not given and self._qualified(head):
                    # "Tobie and Chris have this action", "One of a, b or c should check":
                    # the owner phrase says more than who, so the line stays whole.
                    return text
                return text[m.end():]
            if len(head.split()) > 8:
                break
        return self._leading_group(text, item)

    def _leading_group(self, text: str, item: ParsedItem) -> str:
        """"Storage team finish the migration": a group that opens the line owns it."""
        words = text.split()
        for k in range(2, min(len(words), 5)):
            head = " ".join(words[:k])
            if words[k][:1].islower() and self.names.group_name(head):
                item.groups.append(head)
                item.assigned = True
                return text
        return text

    def _segments(self, text: str, item: ParsedItem, roster: Roster) -> str:
        """"Update the dashboard — Tom Harris — Oct 20" and a trailing "(Name)" or "[Name]"."""
        segments = _SEGMENT.split(text)
        if len(segments) > 1:
            kept = []
            for seg in segments:
                if kept and self._add_owners(item, seg, roster):
                    continue
                kept.append(seg)
            text = " — ".join(kept)
        trailing = re.search(r"[(\[](?P<n>[^()\[\]]+)[)\]]\s*$", text)
        if trailing and not (item.owners or item.groups) and self._add_owners(
                item, trailing.group("n"), roster):
            text = text[: trailing.start()]
        return text

    def _add_owners(self, item: ParsedItem, written: str, roster: Roster) -> bool:
        """Add the owners `written` names if all of it names people or groups; else nothing."""
        written = written.strip().strip("*_`[]").strip()
        paren = _GROUP_PAREN.match(written)
        if paren and self.names.group_name(paren.group("group").strip()) or (
                paren and self.names.split_people(paren.group("names"))):
            inner = self._owner_list(paren.group("names"), roster)
            if inner and inner[0]:
                item.owners += inner[0]
                return True
        found = self._owner_list(written, roster)
        if not found:
            return False
        people, groups = found
        item.owners += people
        # "Brian and team": the person owns it; a generic "team" adds nothing.
        item.groups += [g for g in groups if not people or not self._generic(g)]
        return True

    def owner_list(self, written: str, roster: Roster) -> tuple[list[str], list[str]] | None:
        """The people and groups `written` names, or None if any part of it names neither."""
        return self._owner_list(written.strip().strip("*_`[]@").strip(), roster)

    def _owner_list(self, written: str, roster: Roster) -> tuple[list[str], list[str]] | None:
        parts = self.names.split(written)
        if not parts or len(written.split()) > 10:
            return None
        people, groups = [], []
        for part in parts:
            part = part.strip(" .:*_`[]")
            if self.names.group_name(part):
                groups.append(part)
            elif self._owner_like(part, roster):
                people.append(part)
            else:
                return None
        return people, groups

    def _qualified(self, phrase: str) -> bool:
        """Does an owner phrase say more than who ("ideally Piet", "one of", "Brian and team")?"""
        words = re.findall(r"[\w'’-]+", phrase.casefold())
        return any(w in self.names.hedges for w in words) or len(self.names.split(phrase)) > 1 \
            and any(w in self.names.group_words for w in words)

    def _owner_like(self, name: str, roster: Roster) -> bool:
        return self.names.in_slot(name, roster)

    def _generic(self, group: str) -> bool:
        return group.strip().lstrip("@").casefold() in self.names.group_words


def _progress_reader(lex: Lexicon) -> ProgressReader:
    # One reader per lexicon: its phrase lists are sorted once, not per line.
    reader = lex.__dict__.get("_progress_reader")
    if reader is None:
        reader = lex.__dict__["_progress_reader"] = ProgressReader(lex.structure["item_progress"])
    return reader


def _due(text: str, ref: dt.date | None) -> tuple[str | None, str, bool]:
    """The due date of an item and its text without the due phrase."""
    dates = find_dates(text, ref)
    if not dates:
        return None, text, False
    chosen = None
    cut = None
    for d in dates:
        m = _DUE_CUE.search(text[: d.start])
        if m:
            chosen, cut = d, (m.start(), d.end)
            break
    if chosen is None:
        last = dates[-1]
        tail = text[last.end:].strip(" )].;,")
        head = text[: last.start].rstrip()
        # A date that ends the item is when it is due; a bare weekday needs a cue
        # ("the meeting-free Wednesday" is part of the task).
        if not tail and not _BARE_DAY.fullmatch(last.text.strip()):
            chosen, cut = last, (len(head.rstrip("—–-|(,: ")), last.end)
    if chosen is None:
        return None, text, False
    start, end = cut
    # Drop the parenthesis around "(due Oct 3)" too.
    if start > 0 and text[start - 1] == "(" and text[end:].lstrip().startswith(")"):
        start -= 1
        end = text.index(")", end) + 1
    rest = (text[:start] + text[end:]).strip()
    return chosen.iso, rest, True


def _dedupe(names: list[str]) -> list[str]:
    seen, out = set(), []
    for n in names:
        n = n.strip()
        if n and n.casefold() not in seen:
            seen.add(n.casefold())
            out.append(n)
    return out
