"""Action items: who does what by when, in the shapes people write them.

`Name: text — due D`, `Name to text by D`, `Name - text by D`,
`text @Name (due D)`, `text — Name — D`, `ACTION: XX to text by D`,
`- [ ] text 📅 2024-11-01`, and table rows read by their headers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .dates import find_dates
from .lexicon import Lexicon, norm_key

_NAME_WORD = r"(?:[A-ZÀ-Þ][\w'’.-]*|(?:de|da|del|van|von|der|la|le|di|du|bin|al|dos))"
_NAME = rf"@?[A-ZÀ-Þ][\w'’.-]*(?:\s+{_NAME_WORD}){{0,3}}"
_NAMES = rf"(?P<names>{_NAME}(?:\s*(?:,|&|/|\+|\band\b)\s*{_NAME})*)"
_LEAD = re.compile(
    rf"^{_NAMES}\s*(?:(?P<conn>:|—|–|-{{1,2}}|\bto\b|\bwill\b|\bshould\b|\bmust\b|\bshall\b"
    rf"|\bneeds? to\b|\bis going to\b|\bagreed to\b|\bto\s+own\b|\bowns\b)\s*)(?P<rest>.+)$")
_OWNER_TAG = re.compile(
    r"[(\[]\s*(?:owner|owners|assignee|who|dri)\s*[:=]\s*(?P<names>[^)\]]+)[)\]]"
    r"|\b(?:owner|owners|assignee|dri)\s*[:=]\s*(?P<names2>[^,;()\[\]]+?)"
    r"(?=\s*(?:[,;()\[\]]|$|—|–| - ))",
    re.IGNORECASE)
_AT_NAME = re.compile(r"(?<![\w@])@(?P<h>[A-Za-z][\w.'-]*[A-Za-z0-9](?:\s+[A-Z][\w'-]+)?)")
_WIKI = re.compile(r"\[\[(?P<h>[^\[\]|#]{1,80})(?:[|#][^\[\]]*)?\]\]")
_ASSIGNED = re.compile(rf"\b(?:assigned to|owned by)\s+(?P<names>{_NAME})")
_DUE_CUE = re.compile(
    r"(?:\b(?:due(?:\s+date)?|by|before|deadline|until|eta|target|no later than|on)\b|📅|⏳|🗓️?)"
    r"\s*[:=]?\s*$", re.IGNORECASE)
_SEGMENT = re.compile(r"\s+(?:—|–|-{1,2}|\|)\s+")
_DONE_MARK = re.compile(r"✅|✔️?|☑️?|\[(?:done|DONE|Done)\]|\((?:done|DONE|Done)\)|^~~.*~~$")
_TRAIL = " \t-–—:;,.|"
_LEFTOVER_CONNECTOR = re.compile(r"^\s*(?:will|to|should|must|shall|needs? to|[:—–-])\s+",
                                 re.IGNORECASE)


@dataclass
class ParsedItem:
    text: str
    owners: list[str]
    due: str | None
    done: bool
    has_due_text: bool = False


def split_names(text: str, lex: Lexicon) -> list[str]:
    """Split "Emily, Tom and Nina" into names, keeping only name-like parts."""
    parts = re.split(r"\s*(?:,|;|&|/|\+|\band\b)\s*", text)
    return [p for p in (_clean_name(p) for p in parts) if p and looks_like_name(p, lex)]


def _clean_name(text: str) -> str:
    text = re.sub(r"\([^)]*\)", "", text)
    text = text.strip().strip("*_`").strip()
    text = re.sub(r"^\[\[|\]\]$", "", text)
    return text.strip(" .:;,-")


def looks_like_name(text: str, lex: Lexicon) -> bool:
    """A person's name as written: "Emily Watson", "Emily", "TF", "@kwame"."""
    if text.startswith("@"):
        return len(text) > 1
    words = text.split()
    if not 1 <= len(words) <= 4:
        return False
    if len(words) == 1 and re.fullmatch(r"[A-Z]{2,3}", words[0]):
        return True
    not_names = lex.lexicon["not_names"]
    if words[0] in not_names:
        return False
    return all(re.fullmatch(_NAME_WORD, w) for w in words) and not any(
        ch.isdigit() for ch in text)


def parse_item(text: str, ref: dt.date | None, lex: Lexicon,
               speaker: str | None = None) -> ParsedItem:
    """Split an action-item line into its text, owners, due date and state."""
    done = bool(_DONE_MARK.search(text))
    text = _DONE_MARK.sub("", text).strip()
    text = _strip_prefix(text, lex)
    owners: list[str] = []
    for m in _OWNER_TAG.finditer(text):
        owners += split_names(m.group("names") or m.group("names2") or "", lex)
    text = _OWNER_TAG.sub("", text)
    lead = _LEAD.match(text)
    if lead and (lead.group("conn") != "-" or " - " in text[: lead.end("names") + 3]):
        names = split_names(lead.group("names"), lex)
        if names and _whole(lead.group("names"), names):
            owners += names
            text = lead.group("rest")
    for rx in (_AT_NAME, _WIKI):
        for m in rx.finditer(text):
            owners.append(("@" if rx is _AT_NAME else "") + m.group("h"))
        text = rx.sub("", text)
    if owners:
        # "@sam will update the runbook": the owner is gone, so is the connector.
        text = _LEFTOVER_CONNECTOR.sub("", text)
    for m in _ASSIGNED.finditer(text):
        owners += split_names(m.group("names"), lex)
    text = _ASSIGNED.sub("", text)
    due, text, has_due = _due(text, ref)
    segments = _SEGMENT.split(text)
    if len(segments) > 1:
        kept = []
        for seg in segments:
            names = split_names(seg, lex)
            if names and _whole(seg, names) and kept:
                owners += names
            else:
                kept.append(seg)
        text = " — ".join(kept)
    trailing = re.search(r"[(\[](?P<n>[^()\[\]]+)[)\]]\s*$", text)
    if trailing and not owners:
        names = split_names(trailing.group("n"), lex)
        if names and _whole(trailing.group("n"), names):
            owners += names
            text = text[: trailing.start()]
    text = re.sub(r"\s+", " ", text).strip(_TRAIL)
    text = re.sub(r"\(\s*\)", "", text).strip(_TRAIL)
    return ParsedItem(text=text, owners=_dedupe(owners), due=due, done=done, has_due_text=has_due)


def _whole(text: str, names: list[str]) -> bool:
    """True when `text` is nothing but the names (and separators)."""
    rest = text
    for n in names:
        rest = rest.replace(n, " ", 1)
    rest = re.sub(r"[\s,;&/+@()\[\]*_]|\band\b", "", rest)
    return not rest


def _strip_prefix(text: str, lex: Lexicon) -> str:
    m = re.match(r"^\s*(?P<p>[A-Za-z][A-Za-z -]{0,14})\s*:\s*(?P<rest>.*)$", text)
    if m and norm_key(m.group("p")) in {norm_key(p) for p in lex.structure["action_prefixes"]}:
        return m.group("rest")
    m = re.match(r"^\s*\[(?:action|todo|ai)\]\s*(?P<rest>.*)$", text, re.IGNORECASE)
    return m.group("rest") if m else text


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
        if not tail:  # a date that ends the item is when it is due
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
