"""The closed vocabulary of the graph: node labels, relationship types and ids.

These are the only names that ever reach Cypher text. Note text never becomes
a label or a relationship type; it only travels as property values.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

PERSON = "Person"
TEAM = "Team"
PRODUCT = "Product"
CUSTOMER = "Customer"
ROLE = "Role"
TICKET = "Ticket"
INCIDENT = "Incident"
MEETING = "Meeting"
ACTION_ITEM = "ActionItem"
DECISION = "Decision"

#: Every node label, in the order summaries and legends list them.
LABELS: tuple[str, ...] = (
    MEETING, PERSON, TEAM, PRODUCT, CUSTOMER, ROLE, TICKET, INCIDENT, ACTION_ITEM, DECISION,
)
#: Labels whose nodes are named things found in text (everything but meetings and items).
ENTITY_LABELS: tuple[str, ...] = (PERSON, TEAM, PRODUCT, CUSTOMER, ROLE, TICKET, INCIDENT)
#: Labels keyed by a tracker key (`NEXUS-1542`) rather than a name.
KEYED_LABELS: tuple[str, ...] = (TICKET, INCIDENT)

ATTENDED = "ATTENDED"
HOSTED = "HOSTED"
LEADS = "LEADS"
MEMBER_OF = "MEMBER_OF"
OWNS = "OWNS"
TIED_TO = "TIED_TO"
RAISED_CONCERN_ABOUT = "RAISED_CONCERN_ABOUT"
PROMOTED_TO = "PROMOTED_TO"
DEPENDS_ON = "DEPENDS_ON"
PART_OF = "PART_OF"
AFFECTED = "AFFECTED"
MENTIONS = "MENTIONS"
WORKS_ON = "WORKS_ON"
DECIDED_IN = "DECIDED_IN"
ABOUT = "ABOUT"
PROPOSED = "PROPOSED"
SECONDED = "SECONDED"
OBJECTED_TO = "OBJECTED_TO"
SUPERSEDES = "SUPERSEDES"

#: Every relationship type with the (source labels, target labels) it may join.
#: The graph model refuses any edge outside this table.
RELATIONS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    ATTENDED: (frozenset({PERSON}), frozenset({MEETING})),
    HOSTED: (frozenset({PERSON}), frozenset({MEETING})),
    LEADS: (frozenset({PERSON}), frozenset({TEAM})),
    MEMBER_OF: (frozenset({PERSON}), frozenset({TEAM})),
    OWNS: (frozenset({PERSON, TEAM}), frozenset({ACTION_ITEM, TICKET, INCIDENT})),
    TIED_TO: (frozenset({ACTION_ITEM}), frozenset({TICKET, INCIDENT, PRODUCT, CUSTOMER})),
    RAISED_CONCERN_ABOUT: (frozenset({PERSON}), frozenset(ENTITY_LABELS)),
    PROMOTED_TO: (frozenset({PERSON}), frozenset({ROLE})),
    DEPENDS_ON: (frozenset({TICKET}), frozenset({TICKET})),
    PART_OF: (frozenset({TICKET}), frozenset({TICKET})),
    AFFECTED: (frozenset({INCIDENT}), frozenset({CUSTOMER})),
    MENTIONS: (frozenset({MEETING}), frozenset(ENTITY_LABELS)),
    WORKS_ON: (frozenset({PERSON}), frozenset({TICKET, PRODUCT})),
    DECIDED_IN: (frozenset({DECISION}), frozenset({MEETING})),
    ABOUT: (frozenset({DECISION}), frozenset({TICKET, INCIDENT, PRODUCT, TEAM, CUSTOMER, PERSON})),
    PROPOSED: (frozenset({PERSON}), frozenset({DECISION})),
    SECONDED: (frozenset({PERSON}), frozenset({DECISION})),
    OBJECTED_TO: (frozenset({PERSON}), frozenset({DECISION})),
    SUPERSEDES: (frozenset({DECISION}), frozenset({DECISION})),
}
REL_TYPES: tuple[str, ...] = tuple(RELATIONS)


def allowed(rel: str, source_label: str, target_label: str) -> bool:
    """True when `rel` may join a `source_label` node to a `target_label` node.

    >>> allowed("DEPENDS_ON", "Ticket", "Ticket"), allowed("DEPENDS_ON", "Ticket", "Incident")
    (True, False)
    """
    spec = RELATIONS.get(rel)
    return bool(spec) and source_label in spec[0] and target_label in spec[1]


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name, used to compare names.

    >>> fold("Tomás  Ferreira")
    'tomas ferreira'
    """
    if text.isascii():  # the common case, 5x faster; the same result
        return " ".join(text.split()).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", stripped).strip().casefold()


def slug(text: str) -> str:
    """A readable, stable id fragment that two names resolution keeps apart never share.

    Letters of any script and digits are kept, anything else becomes `-`. When
    that drops something (a hyphen, an apostrophe), six hex digits of a hash of
    the folded name are added, so `Anne-Marie Smith` is not `Anne Marie Smith`.

    >>> slug("Emily Watson"), slug("Газпром"), slug("Anne-Marie Smith")
    ('emily-watson', 'газпром', 'anne-marie-smith-9c329e')
    """
    folded = fold(text)
    base = _NOT_WORD.sub("-", folded).strip("-") or "x"
    if base.replace("-", " ") == folded:
        return base
    return f"{base}-{hashlib.blake2b(folded.encode(), digest_size=3).hexdigest()}"


_NOT_WORD = re.compile(r"[\W_]+")


def node_id(label: str, name: str) -> str:
    """The stable id of an entity node.

    Keys keep their case because trackers print them that way; names are slugged.

    >>> node_id("Ticket", "NEXUS-1542"), node_id("Person", "Emily Watson")
    ('ticket:NEXUS-1542', 'person:emily-watson')
    """
    if label in KEYED_LABELS:
        return f"{label.lower()}:{name}"
    if label in (ACTION_ITEM, DECISION):
        raise ValueError("action item and decision ids are made by item_id() and decision_id()")
    return f"{_prefix(label)}:{slug(name)}"


def meeting_id(source: str) -> str:
    return f"meeting:{source}"


def item_id(source: str, line: int, nth: int = 1) -> str:
    """An action item is identified by where it was written (the nth item of its line)."""
    return f"item:{source}:{line}" + (f".{nth}" if nth > 1 else "")


def decision_id(source: str, text: str) -> str:
    """A decision is identified by its note and its words, not its line: inserting lines
    above it keeps its id."""
    digest = hashlib.blake2b(fold(text).encode(), digest_size=6).hexdigest()
    return f"decision:{source}:{digest}"


def _prefix(label: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", label).lower()
