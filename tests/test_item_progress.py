"""What an item line says about progress: status words, moved dates, restatements.

Notes are invented for these tests. Following one action across meetings (issue 10's
history) builds on these statements; today a restatement never makes a second item.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kg.build import BuildOptions, build
from kg.extract.lexicon import load
from kg.extract.progress import ProgressReader
from kg.queries import NetworkXBackend, get_query, run_query

REF = dt.date(2025, 3, 10)


@pytest.fixture(scope="module")
def reader():
    return ProgressReader(load().structure["item_progress"])


@pytest.mark.parametrize("line, text, status, due, shift", [
    ("runbook for the gateway: still open, moved to 2025-03-20", "runbook for the gateway",
     "open", "2025-03-20", None),
    ("DONE: rotate the staging keys", "rotate the staging keys", "done", None, None),
    ("vendor contract (blocked on finance)", "vendor contract", "blocked", None, None),
    ("old dashboard - dropped, no longer needed", "old dashboard", "dropped", None, None),
    ("export script — not done yet", "export script", "open", None, None),
    ("capacity model, slipped two weeks", "capacity model", None, None, 14),
    ("pricing page — probably done", "pricing page", None, None, None),  # a hedge states nothing
    ("audit log (KEY-9) — done", "audit log (KEY-9)", "done", None, None),
])
def test_a_progress_segment_leaves_the_text_and_says_how_it_stands(reader, line, text, status,
                                                                  due, shift):
    got_text, progress = reader.read(line, REF)
    assert (got_text, progress.status, progress.due, progress.shift_days) == (text, status, due,
                                                                              shift)


@pytest.mark.parametrize("line", [
    "Closed the loop with legal on the DPA",  # the action itself, not its state
    "Open a support case with the vendor",
    "Write the runbook, should be done by Friday",
    "Fix the flaky test, pushed to main",
])
def test_an_action_that_opens_with_a_status_word_is_left_whole(reader, line):
    got_text, progress = reader.read(line, REF)
    assert got_text == line and not progress


NOTE = """# Infra weekly — 2025-03-10
Attendees: Ines Moreau, Kwame Boateng, Lars Petersen

## Review of last week's actions
- Gateway runbook: still open
- Kwame Boateng — vendor contract — done

## Notes
- Lars Petersen takes over the capacity model from Ines Moreau.

## Action items
- [ ] Ines Moreau to write the failover drill plan — blocked on the vendor contract
- [ ] Kwame Boateng to retire the old dashboard - dropped, no longer needed
- [-] Lars Petersen to migrate the cron jobs
- [ ] Lars Petersen to size the new cluster by 2025-03-14
"""


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    root = tmp_path_factory.mktemp("progress")
    (root / "notes").mkdir()
    (root / "notes" / "2025-03-10-infra-weekly.md").write_text(NOTE, encoding="utf-8")
    return build([root / "notes"], root / "out", BuildOptions(html=False)).graph


def _items(g) -> dict[str, str]:
    return {a["text"]: a["status"] for _, a in g.nodes(data=True) if a["label"] == "ActionItem"}


def test_statuses_come_from_the_words_and_the_box(graph):
    assert _items(graph) == {
        "write the failover drill plan": "blocked",
        "retire the old dashboard": "dropped",
        "migrate the cron jobs": "dropped",  # a cancelled box
        "size the new cluster": "open"}


def test_restatements_and_handovers_make_no_new_items(graph):
    texts = set(_items(graph))
    assert not any("runbook" in t or "contract" == t or "capacity" in t for t in texts)


def test_open_items_keep_blocked_work_and_leave_out_dropped_work(graph):
    rows = run_query(get_query("open-items"), {"overdue": False, "as_of": "2025-03-20"},
                     NetworkXBackend(graph))
    assert sorted(r["item"] for r in rows) == ["size the new cluster",
                                               "write the failover drill plan"]
    overdue = run_query(get_query("open-items"), {"overdue": True, "as_of": "2025-03-20"},
                        NetworkXBackend(graph))
    assert [r["item"] for r in overdue] == ["size the new cluster"]
