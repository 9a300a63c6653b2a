import datetime as dt

import pytest

from kg.extract.items import ItemParser
from kg.extract.lexicon import load
from kg.extract.names import Names

REF = dt.date(2024, 10, 1)
PARSER = ItemParser(load(), Names(load()))


def parse_item(text, ref, _lex=None):
    return PARSER.parse(text, ref)


@pytest.mark.parametrize("line, text, owners, due", [
    ("Nina Patel: split NEXUS-2000 into sub-tasks — due Oct 8",
     "split NEXUS-2000 into sub-tasks", ["Nina Patel"], "2024-10-08"),
    ("Michael Brown to release GraphSync 2.4.1 by Oct 28",
     "release GraphSync 2.4.1", ["Michael Brown"], "2024-10-28"),
    ("Emily - get the fix merged by Oct 31", "get the fix merged", ["Emily"], "2024-10-31"),
    ("Write the runbook @Kwame Mensah (due Nov 3)", "Write the runbook", ["@Kwame Mensah"],
     "2024-11-03"),
    ("Update the dashboard — Tom Harris — Oct 20", "Update the dashboard", ["Tom Harris"],
     "2024-10-20"),
    ("ACTION: TF to send the contract by Friday", "send the contract", ["TF"], "2024-10-04"),
    ("OS and KM to review the budget by Nov 1", "review the budget", ["OS", "KM"], "2024-11-01"),
    ("Ship it 📅 2024-11-01", "Ship it", [], "2024-11-01"),
    ("Fix login [[Kwame Mensah]]", "Fix login", ["Kwame Mensah"], None),
    ("Prepare demo (owner: Lisa Park)", "Prepare demo", ["Lisa Park"], None),
    ("Better capacity planning process needed", "Better capacity planning process needed", [],
     None),
])
def test_action_item_shapes(line, text, owners, due):
    item = parse_item(line, REF, load())
    assert (item.text, item.owners, item.due) == (text, owners, due)


def test_done_marker():
    assert parse_item("Rotate the key ✅", REF, load()).done
