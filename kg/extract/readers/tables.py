"""Tables, read by their headers: Owner / Item / Due / Ticket / Status columns.

Owner + Ticket columns make OWNS. A table is a list of action items when it
sits in an action section or has an Action / Task column; a row is a task
when it has text in its item column. A cell may hold several labelled actions
(`ACTION: Bo to draft<br>- Ann to review`): each is its own item.
"""

from __future__ import annotations

import re

from ... import vocab as V
from ..context import Context, Found
from ..dates import parse_date
from ..facts import DECLARED, Ref
from ..items import ItemParser
from ..layout import Line, Table, clean_inline
from ..lexicon import norm_key
from ..progress import DONE
from .items import add_item, item_status, owner_refs

_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_LABELLED_CELL = re.compile(r"\b(?:action(?:\s+items?)?|todo|ai)\b\s*[\d.]*\s*[:-]", re.IGNORECASE)


def read(ctx: Context) -> Found:
    found = Found()
    parser = ItemParser(ctx.lex, ctx.names)
    for table in ctx.layout.tables:
        if not table.rows or table.rows[0].no in ctx.consumed:
            continue
        _table(ctx, parser, table, found)
    return found


def _table(ctx: Context, parser: ItemParser, table: Table, found: Found) -> None:
    lex = ctx.lex
    roles = {h: lex.column_role(h) for h in table.header}
    by_role = {r: h for h, r in roles.items() if r and r != "item"}
    item_col = next((h for h, r in roles.items() if r == "item"), None)
    is_action = ctx.in_actions(table.rows[0]) or any(
        norm_key(h) in lex.structure["item_columns_make_actions"] for h in roles)
    for row in table.rows:
        owners = _owners(ctx, row.cell(by_role.get("owner")))
        tickets = ctx.keys(row.cell(by_role.get("ticket")))
        for o in owners:
            for t in tickets:
                found.fact(V.OWNS, o, t, row)
        labelled = _labelled_cells(row)
        if labelled:
            for piece in labelled:
                parsed = parser.parse(piece, ctx.ref_date(row.no), ctx.roster)
                add_item(ctx, found, row, parsed.text, owner_refs(parsed) or owners,
                         parsed.due, item_status(parsed), tickets, ref=parsed.ref)
        elif is_action and item_col and row.cell(item_col):
            _row_item(ctx, parser, row, item_col, by_role, owners, tickets, found)


def _row_item(ctx: Context, parser: ItemParser, row: Line, item_col: str, by_role: dict,
              owners: list[Ref], tickets: list[Ref], found: Found) -> None:
    text = row.cell(item_col)
    ref = ctx.ref_date(row.no)
    parsed = parser.parse(text, ref, ctx.roster)
    due_cell = row.cell(by_role.get("due"))
    due = parse_date(due_cell, ref) if due_cell else parsed.due
    cell = row.cell(by_role.get("status"))
    status = item_status(parsed)
    if norm_key(cell) in ctx.lex.structure["done_words"]:
        status = DONE
    elif cell:  # "Blocked (legal)", "In progress", "Dropped"
        status = parser.progress.read(cell, ref)[1].status or status
    ident = row.cell(by_role.get("id")) or parsed.ref
    add_item(ctx, found, row, parsed.text or text, owners or owner_refs(parsed), due, status,
             tickets, ref=ident or None, shift_days=parsed.progress.shift_days)


def _labelled_cells(row: Line) -> list[str]:
    """Labelled actions written inside a cell, one per `<br>` or bullet."""
    pieces = []
    for raw in row.raw.strip().strip("|").split("|"):
        if not _LABELLED_CELL.search(raw):
            continue
        for piece in _BR.split(raw):
            piece = clean_inline(piece).lstrip("-*• ").strip()
            if piece:
                pieces.append(piece)
    return pieces


def _owners(ctx: Context, cell: str) -> list[Ref]:
    return [Ref(V.PERSON, n.lstrip("@"), DECLARED) for n in ctx.names.split_people(cell)]


