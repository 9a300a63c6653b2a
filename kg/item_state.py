"""What an action item's state was on a given day, from the statements the graph keeps.

An ActionItem node carries its latest `status`, `due` and `owners`, and, when notes restated
it, a `history` of every statement ({date, source, line, status, due, owners}) in date order.
The page, the queries and `kg changes` all ask this module, so "overdue" means one thing.
"""

from __future__ import annotations

#: Statuses a statement can give an item; "overdue" is derived, never stated.
OPEN, DONE, BLOCKED, DROPPED = "open", "done", "blocked", "dropped"
OVERDUE = "overdue"
#: An item in one of these still needs someone to act.
ACTIVE = frozenset({OPEN, BLOCKED})


def statement_as_of(attrs: dict, as_of: str | None) -> dict | None:
    """The latest statement about the item dated on or before `as_of` (an ISO date), or None
    if the notes had not yet stated it then. Undated statements count at any date."""
    history = attrs.get("history")
    if not history:
        history = [{"date": attrs.get("date"), "status": attrs.get("status"),
                    "due": attrs.get("due"), "owners": attrs.get("owners", [])}]
    if as_of is None:
        return history[-1]
    seen = [h for h in history if not h.get("date") or h["date"] <= as_of]
    return seen[-1] if seen else None


def state(attrs: dict, as_of: str | None) -> str | None:
    """open, blocked, done, dropped or overdue on `as_of`; None if not yet stated then.

    Overdue: still active and due before `as_of`. Without `as_of`, nothing is overdue."""
    st = statement_as_of(attrs, as_of)
    if st is None:
        return None
    status = st.get("status") or OPEN
    due = st.get("due")
    if status in ACTIVE and as_of is not None and due is not None and due < as_of:
        return OVERDUE
    return status
