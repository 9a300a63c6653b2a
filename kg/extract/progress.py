"""What an item line says about the action's progress, rather than the action itself.

Teams restate open actions every week with a word on how they stand:
"sizing guide: still open, moved to Nov 20", "Rachel — export script — done",
"DONE: rotate the keys", "budget review (blocked on finance)", "slipped a week".
The status lives in a short segment of the line, set off by ":", ",", "—" or
brackets; the segment opens with a phrase from pipelines/structure.json's
`item_progress`. A segment read as progress leaves the item's text.

Only plain statements count. "probably done", "might be blocked" state nothing
(a hedge is not a fact); "not done yet" says the action is still open.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .dates import find_dates

OPEN, DONE, BLOCKED, DROPPED = "open", "done", "blocked", "dropped"
_STATUSES = (DONE, OPEN, BLOCKED, DROPPED)
#: Where a segment starts: after ":", ";", ",", "|", a bracket, or a spaced dash.
_SEPARATOR = re.compile(r"\s*(?:[:;,|()\[\]]|\s[-–—]\s|—|–)\s*")
_DECORATION = " \t*_`.!~✅✔☑️"
_AMOUNT = re.compile(r"\b(?P<n>a|an|one|two|three|four|five|six|\d{1,2})\s+"
                     r"(?P<unit>day|week|month)s?\b")
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_DAYS = {"day": 1, "week": 7, "month": 30}
#: The first segment is usually the action itself ("Closed the loop with legal"): it is
#: progress only when it is nothing but the phrase and perhaps a date ("Done", "DONE 11/3").
_MAX_WORDS = 7


@dataclass
class Progress:
    status: str | None = None  # done, open, blocked or dropped
    due: str | None = None  # a new due date: "moved to Nov 20"
    shift_days: int | None = None  # "slipped a week": the last due date moves by this much

    def __bool__(self) -> bool:
        return self.status is not None or self.due is not None or self.shift_days is not None


class ProgressReader:
    def __init__(self, spec: dict):
        def phrases(name: str) -> tuple[str, ...]:
            # Longest first, so "still open" wins over "open" and "pushed back by" over "pushed".
            return tuple(sorted((p.casefold() for p in spec[name]), key=len, reverse=True))

        self.status = {s: phrases(s) for s in _STATUSES}
        self.moved = phrases("due_moved")
        self.slipped = phrases("due_slipped")
        self.negations = phrases("negations")
        self.hedges = phrases("hedges")
        self.leads = phrases("lead_words")

    def read(self, text: str, ref: dt.date | None) -> tuple[str, Progress]:
        """The line's text without its progress segments, and what they said."""
        progress = Progress()
        spans = _segments(text)
        kept: list[int] = []
        for k, (start, end) in enumerate(spans):
            said = self._segment(text[start:end], ref, first=k == 0)
            if said is None:
                kept.append(k)
                continue
            progress.status = said.status or progress.status
            progress.due = said.due or progress.due
            progress.shift_days = said.shift_days or progress.shift_days
        if len(kept) == len(spans):
            return text, progress
        if not kept:
            return "", progress
        # A segment that stays keeps the separator before it: "a — b, done" becomes "a — b".
        first = spans[kept[0]]
        out = text[first[0]:first[1]]
        for k in kept[1:]:
            out += text[spans[k - 1][1]:spans[k][0]] + text[spans[k][0]:spans[k][1]]
        for opening, closing in ("()", "[]"):
            if out.count(opening) > out.count(closing):
                out += closing  # "staging keys (KEY-1) — done": the bracket stays closed
        return out.strip(" \t-–—:;,|"), progress

    def _segment(self, seg: str, ref: dt.date | None, first: bool) -> Progress | None:
        """What one segment says, or None when it is part of the action, not its progress."""
        words = _strip_leads(seg.casefold().strip(_DECORATION), self.leads)
        if not words or (first and len(_words(words)) > 4) \
                or len(_words(words)) > _MAX_WORDS:
            return None
        hedge = _opening(words, self.hedges)
        if hedge is not None:
            # "probably done by Friday": talk about progress that states nothing, not even
            # the date; it leaves the action's text.
            rest = words[len(hedge):].strip()
            return Progress() if self._status_of(rest) or _opening(rest, self.moved) else None
        negation = _opening(words, self.negations)
        if negation is not None and self._status_of(words) is None:  # "no longer needed"
            rest = _strip_leads(words[len(negation):].strip(), ("yet", "been", "be"))
            status = self._status_of(rest)
            if status is None:
                return None
            return Progress(OPEN if status == DONE else None)
        moved = _opening(words, self.moved)
        if moved is not None:
            dates = find_dates(seg, ref)
            return Progress(due=dates[0].iso) if dates else None
        slipped = _opening(words, self.slipped)
        if slipped is not None:
            dates = find_dates(seg, ref)
            if dates and re.search(r"\b(?:to|until|till)\b", words):
                return Progress(due=dates[0].iso)  # "slipped to Friday"
            amount = _AMOUNT.search(words[len(slipped):])
            if amount:
                n = int(amount["n"]) if amount["n"].isdigit() else _NUMBERS[amount["n"]]
                return Progress(shift_days=n * _DAYS[amount["unit"]])
            return None
        status = self._status_of(words)
        if status is None:
            return None
        if first and not _only_phrase_and_date(words, seg, ref, self.status[status]):
            return None
        return Progress(status)

    def _status_of(self, words: str) -> str | None:
        for status in _STATUSES:
            if _opening(words, self.status[status]) is not None:
                return status
        return None


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'’]+", text)


def _segments(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SEPARATOR.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _opening(words: str, phrases: tuple[str, ...]) -> str | None:
    """The phrase `words` opens with (whole words only), or None."""
    for p in phrases:
        if words == p or words.startswith(p) and not words[len(p)].isalnum():
            return p
    return None


def _strip_leads(words: str, leads) -> str:
    changed = True
    while changed:
        changed = False
        for lead in leads:
            if words.startswith(lead + " "):
                words, changed = words[len(lead) + 1:].lstrip(), True
    return words


def _only_phrase_and_date(words: str, seg: str, ref: dt.date | None,
                          phrases: tuple[str, ...]) -> bool:
    rest = words[len(_opening(words, phrases) or ""):]
    for d in find_dates(seg, ref):
        rest = rest.replace(d.text.casefold(), " ")
    return not re.sub(r"\b(?:on|at|since|as of)\b", " ", rest).strip(" \t.,:;-–—")
