"""Extract one note: read its layout once, then let each reader take what it knows.

The readers run in order, each seeing what the earlier ones found (the
declared people, who spoke which line, the mentions in the prose):

    header -> attendees -> speakers -> prose -> tables -> teams -> items -> decisions

A new note style is one new reader (or one more shape in a reader) and a test.
"""

from __future__ import annotations

from functools import lru_cache

from ..notes import Note
from .context import Context, collect
from .facts import NoteFacts
from .layout import parse
from .lexicon import load
from .names import Names
from .nlp import pipeline
from .readers import attendees, decisions, header, items, prose, speakers, tables, teams

#: The readers, in the order they run.
READERS = (header.read, attendees.read, speakers.read, prose.read, tables.read, teams.read,
           items.read, decisions.read)
_MAX_EVIDENCE = 300


def extract(note: Note, incident_prefixes: tuple[str, ...] | None = None) -> NoteFacts:
    """Everything one note says, as unresolved mentions and facts with lines."""
    lex = load()
    ctx = Context(note=note, layout=parse(note.text, lex.opens_section), lex=lex,
                  names=_names(), nlp=pipeline(incident_prefixes))
    out = NoteFacts(source=note.source, title="", date=None)
    for reader in READERS:
        found = reader(ctx)
        collect(out, found)
        ctx = ctx.with_found(found)
    out.items = items.merge_repeats(out.items, ctx.roster)
    if len(out.meetings) <= 1:
        out.meetings = []  # one meeting per file: the file is the meeting
    _evidence(ctx, out)
    return out


def _evidence(ctx: Context, out: NoteFacts) -> None:
    """Keep the text of every line a fact or mention points to (long lines cut)."""
    used = {line for _, line in out.mentions} | {f.line for f in out.facts}
    used |= {i.line for i in out.items} | {n for i in out.items for n in i.also}
    used |= {d.line for d in out.decisions} | {n for d in out.decisions for n in d.also}
    for no in sorted(used):
        if no not in out.lines and 1 <= no <= len(ctx.layout.lines):
            out.lines[no] = ctx.layout.line(no).raw.strip()[:_MAX_EVIDENCE]


@lru_cache(maxsize=1)
def _names() -> Names:
    return Names(load())
