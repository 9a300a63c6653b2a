"""Decisions: what a meeting decided, who moved and seconded it, what it undoes.

- labels: `Decision:`, `**Decided:**`, `RESOLVED:`, `AGREED:` / `#agreed`,
  `Consensus:`, `**Conclusion**:`, `Outcome:`, `Resolution:`; also
  `ACTION: Consensus is that …`, which records a decision, not a task;
- the lines of a Decisions / Resolutions / Outcomes / Agreements section, and
  a Decision or Outcome column of a table;
- motions: "Motion to adopt the charter (moved by Ana, seconded by Kai).
  Carried 7–0." — or a motion over several lines, up to "Motion carries";
  a failed or withdrawn motion is no decision;
- prose: "we decided to …", "it was agreed …", "there was consensus on …".

Not decisions: "decision needed", "to be decided", "TBD", "deferred",
"Decision: none", questions, and a decision recalled from a last meeting.
The words are data (`decision_labels` and `decisions` in structure.json).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ... import vocab as V
from ..context import Context, Found
from ..facts import DECLARED, Decision, Ref
from ..layout import Line
from .items import named_by

_KINDS = ("bullet", "text", "table", "label")
_URL = re.compile(r"<?https?://\S+>?")
#: How far above "Motion carries" the motion itself may have been written.
_MOTION_REACH = 8


def read(ctx: Context) -> Found:
    found = Found()
    phrases, cheap = _phrase_rx(tuple(ctx.lex.structure["decisions"]["phrases"]))
    used: set[int] = set()
    for ln in ctx.layout.lines:
        if ln.kind not in _KINDS or ln.no in ctx.consumed or ln.no in used or not ln.text:
            continue
        shape = _shape(ctx, ln, phrases, cheap)
        if shape is None:
            continue
        kind, text = shape
        lines = _with_continuations(ctx, [ln])
        if len(lines) > 1:
            text = " ".join([text] + [x.text for x in lines[1:]])
        if kind == "vote" or _mentions(ctx, ln.text, "motion_passed") and "motion" in \
                ln.text.casefold():
            motion = _motion(ctx, ln)
            if motion is None:
                continue
            kind, lines = "vote", _with_continuations(ctx, motion)
            text = " ... ".join(x.text for x in motion) + "".join(
                " " + x.text for x in lines if x not in motion)
        if not _is_decision(ctx, text, kind):
            continue
        used.update(x.no for x in lines)
        found.decisions.append(_decision(ctx, lines, kind, text))
    return found


def _shape(ctx: Context, ln: Line, phrases: re.Pattern[str],
           cheap: re.Pattern[str]) -> tuple[str, str] | None:
    """Why `ln` may record a decision, as (kind, text); None when it does not."""
    lex = ctx.lex
    if ln.key is not None and ln.value:
        kind = lex.decision_kind(ln.key)
        if kind:
            return kind, ln.value
        if lex.is_action_prefix(ln.key):
            first = ln.value.split(" ", 1)[0]
            kind = lex.decision_kind(first)
            return (kind, ln.value) if kind else None  # "ACTION: Consensus is that …"
    if ln.kind == "table":
        for header, cell in ln.cells:
            if cell and lex.decision_kind(header) and not lex.is_action_section(header):
                return lex.decision_kind(header), cell
        return None
    folded = ln.text.casefold()
    if "motion" in folded and _mentions(ctx, ln.text, "motion_passed"):
        return "vote", ln.text  # "Motion carries", "Motion to adopt … Carried 7-0"
    if folded.startswith("#agreed"):
        return "agreement", ln.text[7:].strip(" :")
    section = next((lex.decision_kind(p.key or p.text) for p in ctx.openers(ln)), None)
    if section and ln.kind == "bullet" and not _under_bullet(ctx, ln) \
            and not ctx.in_actions(ln):
        return section, ln.text
    m = phrases.search(ln.text) if cheap.search(folded) else None
    if m and not _hedged(ctx, ln.text[:m.start()]):
        kind = "consensus" if "consensus" in m.group(0).casefold() else (
            "agreement" if "agree" in m.group(0).casefold() else "decision")
        return kind, _sentence(ln.text, m.start(), m.end())
    return None


def _hedged(ctx: Context, before: str) -> bool:
    """"could …, but we decided against it", "if … we agreed": not a decision taken here."""
    words = re.findall(r"[a-z']+", before.casefold())
    return any(w in ctx.names.hedges_of_proposal for w in words)


def _under_bullet(ctx: Context, ln: Line) -> bool:
    return any(p.kind == "bullet" for p in ctx.layout.scope(ln))


def _is_decision(ctx: Context, text: str, kind: str) -> bool:
    t = _URL.sub("", text).strip(" .…:-")
    if not re.search(r"\w", t) or t.endswith("?"):
        return False  # "Decision: Is this a valid MVP?" asks; it does not decide
    if _mentions(ctx, t, "not_decisions") and len(t.split()) <= 6:
        return False  # "Decision: none", "to be decided", "deferred to next week"
    if _mentions(ctx, t, "recap") and kind != "vote":
        return False  # "Decided last meeting to …" recalls an older decision
    return not (kind == "vote" and _mentions(ctx, t, "motion_failed"))


def _motion(ctx: Context, outcome: Line) -> list[Line] | None:
    """The lines from a motion to its outcome, or None when it failed or never passed."""
    if _mentions(ctx, outcome.text, "motion_failed"):
        return None
    if _mentions(ctx, outcome.text, "motion_passed") and (
            _mentions(ctx, outcome.text, "proposer_before") or "motion to" in
            outcome.text.casefold()):
        return [outcome]  # "Motion to adopt X (moved by A, seconded by B). Carried 7-0."
    if not _mentions(ctx, outcome.text, "motion_passed"):
        return None
    lines = ctx.layout.lines
    start = outcome.no
    for back in range(1, _MOTION_REACH + 1):
        k = outcome.no - back
        ln = lines[k - 1] if k >= 1 else None
        if ln is None or ln.kind in ("heading", "blank") or ln.parents != outcome.parents or (
                _mentions(ctx, ln.text, "motion_passed")
                or _mentions(ctx, ln.text, "motion_failed")):
            break  # a motion is read within its own block, back to the last one decided
        if "motion" in ln.text.casefold() or _mentions(ctx, ln.text, "proposer_after"):
            start = k  # the earliest line that speaks of the motion opens it
    return [x for x in lines[start - 1:outcome.no] if x.kind in _KINDS and x.text]


def _with_continuations(ctx: Context, lines: list[Line]) -> list[Line]:
    """A numbered or bulleted decision continues on the indented lines below it."""
    out = []
    for ln in lines:
        out.append(ln)
        out += [c for c in ctx.layout.children.get(ln.no, ()) if c.kind == "text"]
    return out


def _decision(ctx: Context, lines: list[Line], kind: str, text: str) -> Decision:
    first, last = lines[0], lines[-1]
    uniq = named_by(ctx, lines, people=True)
    joined = " ".join(x.text for x in lines)
    proposers = _roles(ctx, joined, "proposer")
    if kind == "vote" and not proposers and ctx.speakers.get(first.no):
        proposers = [Ref(V.PERSON, ctx.speakers[first.no], DECLARED)]  # "Carol: motion for …"
    seconders = _roles(ctx, joined, "seconder")
    # The people who speak, move or second are not what the decision is about.
    voices = {ctx.speakers[x.no].casefold() for x in lines if x.no in ctx.speakers}
    voices |= {r.text.casefold() for r in proposers + seconders}
    uniq = [t for t in uniq if t.label != V.PERSON or t.text.casefold() not in voices]
    undoes = "reversed" if _mentions(ctx, text, "reversed") else (
        "superseded" if _mentions(ctx, text, "superseded") else None)
    if undoes and not (_mentions(ctx, text, "undo_reference")
                       or _mentions(ctx, text, "undo_alone")):
        undoes = None  # "Revert the cache change" reverts code, not a decision
    return Decision(last.no if kind == "vote" else first.no, text.strip(), kind, uniq,
                    proposers, seconders, _roles(ctx, joined, "objector"),
                    undoes, [x.no for x in lines if x.no != (last.no if kind == "vote"
                                                             else first.no)])


def _roles(ctx: Context, text: str, role: str) -> list[Ref]:
    """People the text gives a role in a motion: "moved by Ana", "Kai seconds"."""
    words = ctx.lex.structure["decisions"]
    before, after = _role_rx(tuple(words[f"{role}_before"]), tuple(words[f"{role}_after"]))
    found = [m.group(1) for m in before.finditer(text)]
    found += [m.group(1) for m in after.finditer(text)]
    out = []
    for n in found:
        n = n.strip()
        if ctx.names.in_slot(n, ctx.roster) and n.casefold() not in {o.casefold() for o in out}:
            out.append(n)
    return [Ref(V.PERSON, n.lstrip("@"), DECLARED) for n in out]


@lru_cache(maxsize=8)
def _role_rx(before: tuple[str, ...], after: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    name = r"(@?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})"
    words_before = "|".join(re.escape(w) for w in before)
    words_after = "|".join(re.escape(w) for w in after)
    return (re.compile(rf"\b(?:{words_before})\s*:?\s+{name}", re.IGNORECASE),
            re.compile(rf"{name}\s+(?:{words_after})\b"))


def _mentions(ctx: Context, text: str, list_name: str) -> bool:
    return ctx.lex.mentions_any(text, list_name, ctx.lex.structure["decisions"])


@lru_cache(maxsize=4)
def _phrase_rx(phrases: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The phrases as one pattern, and their longest words as another: a line holding
    none of those words holds no phrase, so most lines skip the big pattern."""
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    longest = sorted({max(p.casefold().split(), key=len) for p in phrases})
    return (re.compile(rf"(?<![\w'])(?:{alternatives})(?![\w'])", re.IGNORECASE),
            re.compile("|".join(re.escape(w) for w in longest)))


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence of `text` around [start, end)."""
    marks = (". ", "; ", "? ", "! ")
    left = max(text.rfind(m, 0, start) for m in marks)
    right = min((i for i in (text.find(m, end) for m in marks) if i != -1), default=len(text))
    return text[left + 2 if left != -1 else 0:right + 1].strip()
