"""Tracker keys: every form teams write, one canonical key per ticket (pipelines/keys.json).

`KeyPatterns.find` is tested directly (link targets included: the URL inside
`[text](url)` is tested here because the note reader strips it before keys are
searched), then end to end through `kg build` with bare URLs and plain text.
"""

import copy
import json
import time

import pytest

from conftest import names, triples
from kg.datafiles import pipelines_dir
from kg.extract.lexicon import KeyPatterns, load

KEYS = load().keys


def keys(text: str, keys: KeyPatterns = KEYS) -> list[str]:
    return [key for _start, _end, key, _incident in keys.find(text)]


# -- what is found, and under which key -----------------------------------------

FOUND = [
    # GitHub (and Gitea) issues, pulls and discussions: owner/repo#N
    ("https://github.com/acme/cache/pull/9", ["acme/cache#9"]),
    ("https://github.com/acme/cache/pull/9/files", ["acme/cache#9"]),
    ("https://github.com/acme/cache/pull/9/commits/4f2a9c1", ["acme/cache#9"]),
    ("https://github.com/acme/cache/pull/9#issuecomment-123", ["acme/cache#9"]),
    ("https://github.com/acme/cache/pull/9#discussion_r45", ["acme/cache#9"]),
    ("Merged in https://github.com/acme/cache/issues/9.", ["acme/cache#9"]),
    ("(see https://github.com/acme/cache/issues/9)", ["acme/cache#9"]),
    ("https://github.com/acme/cache/discussions/31", ["acme/cache#31"]),
    ("github.com/acme/cache/issues/9 has the repro", ["acme/cache#9"]),
    ("https://www.github.com/acme/cache.js/pull/9", ["acme/cache.js#9"]),
    ("https://git.example.org/acme/cache/pulls/9", ["acme/cache#9"]),
    ("https://github.com/rust-lang/rfcs/pull/2753", ["rust-lang/rfcs#2753"]),
    ("[the fix](https://github.com/acme/cache/pull/9)", ["acme/cache#9"]),
    ("<https://github.com/acme/cache/issues/9>", ["acme/cache#9"]),
    # GitLab: nested groups, /-/ paths; merge requests take GitLab's own '!'
    ("https://gitlab.com/acme/platform/cache/-/issues/12", ["acme/platform/cache#12"]),
    ("https://gitlab.example.org/acme/cache/-/merge_requests/7", ["acme/cache!7"]),
    ("https://gitlab.com/acme/cache/-/merge_requests/7/diffs#note_99", ["acme/cache!7"]),
    ("https://gitlab.example.org:8443/acme/cache/-/work_items/12", ["acme/cache#12"]),
    ("http://localhost/acme/cache/-/issues/12", ["acme/cache#12"]),
    ("https://gitlab.com/acme/cache/merge_requests/7", ["acme/cache!7"]),
    # Jira, Linear and other PREFIX-N trackers
    ("https://acme.atlassian.net/browse/PAY-101", ["PAY-101"]),
    ("https://acme.atlassian.net/jira/software/projects/PAY/boards/3?selectedIssue=PAY-101",
     ["PAY-101"]),
    ("https://linear.app/acme/issue/ENG-77/fix-cache-warmup", ["ENG-77"]),
    # Gerrit changes: project/+/N
    ("https://review.example.org/c/cache/+/12345", ["cache/+/12345"]),
    ("https://review.example.org/c/tools/build/+/12345/2", ["tools/build/+/12345"]),
    ("https://review.example.org/#/c/cache/+/12345/", ["cache/+/12345"]),
    ("rebased on cache/+/12345", ["cache/+/12345"]),
    # Redmine: an issue URL and its [Tracker #N] subject form are #N
    ("https://redmine.example.org/issues/123", ["#123"]),
    ("https://redmine.example.org/issues/123#note-4", ["#123"]),
    ("[Feature #123] export to CSV", ["#123"]),
    ("Bug #124 reopened", ["#124"]),
    # forge paths without a host
    ("widget-api/issues/42 is the tracking issue", ["widget-api#42"]),
    ("acme/widget-api/pull/42 lands first", ["acme/widget-api#42"]),
    ("acme/platform/cache/-/issues/12", ["acme/platform/cache#12"]),
    # repository short forms, as written
    ("Core#512 and widget-api#42", ["Core#512", "widget-api#42"]),
    ("acme/widgets#77", ["acme/widgets#77"]),
    ("acme/platform/cache#12", ["acme/platform/cache#12"]),
    ("acme/cache!7", ["acme/cache!7"]),
    ("acme/sprint#14", ["acme/sprint#14"]),  # a repository named like a counter noun
    # listed standard series: spaced, hyphenated or run together -> SERIES-N
    ("EIP 4242, EIP-4242, EIP4242", ["EIP-4242"] * 3),
    ("PEP 8 and PEP8", ["PEP-8", "PEP-8"]),
    ("BIP-9, BIP 0009", ["BIP-9", "BIP-9"]),
    ("RFC 9110 replaces RFC-7231", ["RFC-9110", "RFC-7231"]),
    ("KEP-1234 / CEP 42 / ERC-20 / ERC20 / TEP 3 / SIP 12",
     ["KEP-1234", "CEP-42", "ERC-20", "ERC-20", "TEP-3", "SIP-12"]),
    ("RFC 9110.", ["RFC-9110"]),
    ("https://peps.python.org/pep-0008/", ["PEP-8"]),
    ("https://www.rfc-editor.org/rfc/rfc9110.html#section-3", ["RFC-9110"]),
    ("https://eips.ethereum.org/EIPS/eip-4242", ["EIP-4242"]),
    # a reference word, then a number of two digits or more
    ("PR 379 is ready", ["#379"]),
    ("PR #112 and PR#113", ["#112", "#113"]),
    ("PR379 and MR17", ["#379", "!17"]),
    ("pull request 379", ["#379"]),
    ("Pull Request 379", ["#379"]),
    ("issue 42 came back", ["#42"]),
    ("Issue #42", ["#42"]),
    ("ticket 512, bug 4711", ["#512", "#4711"]),
    ("MR !7 and MR 17", ["!7", "!17"]),
    ("merge request 17", ["!17"]),
    # what kg always found
    ("NEXUS-1542 SR-2024-001 INC-2024-007", ["NEXUS-1542", "SR-2024-001", "INC-2024-007"]),
    ("Fix #1234 and owner/repo#1234", ["#1234", "owner/repo#1234"]),
    ("#12 at the start of a line", ["#12"]),
]


@pytest.mark.parametrize(("text", "expected"), FOUND, ids=[t for t, _ in FOUND])
def test_found(text, expected):
    assert keys(text) == expected


NOT_FOUND = [
    # links that are not tracker items
    "https://github.com/acme/cache",
    "https://github.com/acme/cache#readme",
    "https://github.com/acme/cache/blob/main/x.py#L42",
    "github.com/acme/cache/blob/main/docs/issues/12.md",
    "https://github.com/acme/cache/tree/release-12",
    "https://github.com/acme/cache/issues?q=is%3Aopen+label%3Abug",
    "https://github.com/acme/cache/issues/new?template=bug.md",
    "https://github.com/alice",
    "https://github.com/orgs/acme/discussions/12",
    "https://github.com/acme/cache/commit/4f2a9c1",
    "https://github.com/acme/cache/releases/tag/v2.4.0",
    "https://docs.acme.dev/guide/install#12",
    "https://acme.zoom.us/j/98765432101?pwd=Xy-12",
    "https://www.youtube.com/watch?v=AB-12&t=42",
    "https://calendar.google.com/calendar/event?eid=QA-12",
    "https://example.org/page#12",
    "https://wiki.acme.dev/display/ENG/NEXUS-1542+design",
    # versions, dates, quarters
    "v2.4.0", "Rust 1.40.0", "Python 3.12", "2024-03-05", "Q4-2024 roadmap",
    # list indices, ordinals and counters
    "Goal #1", "item #2", "Working Session #21", "Sprint #14", "Sprint#14", "Week #3",
    "Episode #12", "Meeting #105", "No. 12", "No. #12", "Build #4521 failed",
    # published standards outside the listed series; RFC as a word
    "ECMA 427", "ISO 9001", "ECMA-262", "start the RFC period", "an RFC for caching in 2 weeks",
    "pep8 is installed",
    # inside an e-mail address
    "ops+PAY-12@acme.dev", "<INC-2024-007@alerts.acme.dev>", "release-42@lists.acme.dev",
    # colours
    "#ff0000", "#333", "text #333333 on #fafafa", "colour #123456", "background: #202",
    # a reference word with one digit, or with a quantity
    "PR 7", "issue 5", "reviewed the PR 20 minutes ago", "the issue 15 people hit",
    "PR 10:30 slot",
    # lookalikes
    "UTF-8, SHA-256, COVID-19", "C#12", "&#123;", "F#", "##12",
]


@pytest.mark.parametrize("text", NOT_FOUND)
def test_not_found(text):
    assert keys(text) == []


# -- one ticket, one key ---------------------------------------------------------

SAME_TICKET = [
    ["https://github.com/acme/cache/pull/9", "github.com/acme/cache/pull/9/files",
     "https://github.com/acme/cache/issues/9#issuecomment-1", "acme/cache/pull/9", "acme/cache#9"],
    ["https://gitlab.com/acme/platform/cache/-/merge_requests/7", "acme/platform/cache!7"],
    ["EIP 4242", "EIP-4242", "EIP4242", "https://eips.ethereum.org/EIPS/eip-4242"],
    ["PEP 8", "PEP8", "PEP-0008", "https://peps.python.org/pep-0008/"],
    ["PR 379", "PR #379", "PR#379", "pull request 379", "#379"],
    ["https://acme.atlassian.net/browse/PAY-101", "PAY-101"],
    ["https://redmine.example.org/issues/123", "[Bug #123]", "#123"],
]


@pytest.mark.parametrize("forms", SAME_TICKET, ids=[f[-1] for f in SAME_TICKET])
def test_one_ticket_written_many_ways_gives_one_key(forms):
    found = {tuple(keys(f)) for f in forms}
    assert len(found) == 1 and len(next(iter(found))) == 1, found


def test_a_link_text_takes_the_key_of_its_target():
    assert keys("issues [#630](https://github.com/acme/cache/issues/630) and #12") == [
        "acme/cache#630", "acme/cache#630", "#12"]
    assert keys("[PR #112](https://github.com/acme/tac/pull/112)") == ["acme/tac#112"] * 2
    # the text does not say which repository: a bare number stays bare
    assert keys("#12, see https://github.com/acme/cache/issues/12") == ["#12", "acme/cache#12"]
    assert keys("[#12](https://github.com/acme/cache/issues/13)") == ["#12", "acme/cache#13"]


def test_spans_cover_what_was_written_in_text_order():
    text = "Ship PR 379 after https://github.com/acme/cache/pull/9 and EIP 4242."
    assert [(text[s:e], k) for s, e, k, _i in KEYS.find(text)] == [
        ("PR 379", "#379"),
        ("https://github.com/acme/cache/pull/9", "acme/cache#9"),
        ("EIP 4242", "EIP-4242"),
    ]


def test_incidents_are_plain_keys_with_an_incident_prefix():
    found = {k: inc for _s, _e, k, inc in KEYS.find("INC-2024-007, inc-tools#3, NEXUS-1")}
    assert found == {"INC-2024-007": True, "inc-tools#3": False, "NEXUS-1": False}
    custom = {k: inc for _s, _e, k, inc in KEYS.find("SEV-12 INC-1", frozenset({"SEV"}))}
    assert custom == {"SEV-12": True, "INC-1": False}


# -- the lists are data ----------------------------------------------------------

def _spec() -> dict:
    return json.loads((pipelines_dir() / "keys.json").read_text(encoding="utf-8"))


def test_counter_nouns_standard_series_and_units_are_data():
    spec = copy.deepcopy(_spec())
    assert keys("Lap #12; ZEP 12; PR 12 laps") == ["#12", "#12"]
    spec["counter_nouns"].append("lap")
    spec["standard_series"].append("ZEP")
    spec["number_units"].append("laps")
    assert keys("Lap #12; ZEP 12; PR 12 laps", KeyPatterns.from_json(spec)) == ["ZEP-12"]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("key", "{owner}#{num}", r"lacks: \['owner'\]"),
    ("regex", r"$hots/(?P<num>\d+)", r"no fragment \$hots"),
    ("checks", ["color"], r"unknown checks \['color'\]"),
])
def test_a_broken_pattern_fails_at_load_naming_the_problem(field, value, message):
    spec = copy.deepcopy(_spec())
    spec["patterns"][0][field] = value
    with pytest.raises(ValueError, match=message):
        KeyPatterns.from_json(spec)


# -- performance -----------------------------------------------------------------

LITERALS = " /-/issues/1 /+/1 /pull/3 /browse/A-1 :// www. @ PR MR issue EIP #12 !12 "
HOSTILE = {
    "path segments": "/".join(["a", "b", "c"] * 33_400),
    "hashes": "#" * 100_000,
    "path segments and every literal": "a/" * 50_000 + LITERALS,
    "host dots and every literal": "a." * 50_000 + LITERALS,
    "one long word before an @": "a" * 100_000 + "@x" + LITERALS,
    "one long word before ://": "a" * 100_000 + "://" + LITERALS,
    "hash digits": "#1" * 50_000 + LITERALS,
    "reference words": "PR " * 33_000 + "12" + LITERALS,
    "gerrit prefixes": "/c/a" * 25_000 + "/+/1" + LITERALS,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_100_kb_hostile_line_is_read_in_linear_time(text):
    start = time.perf_counter()
    list(KEYS.find(text))
    assert time.perf_counter() - start < 1.0  # about 0.05 s here; backtracking would take minutes


def test_a_line_with_thousands_of_keys_stays_linear():
    text = "acme/cache#1 NEXUS-2 PR 33 https://github.com/a/b/pull/4 " * 2_500
    start = time.perf_counter()
    assert len(list(KEYS.find(text))) == 10_000
    assert time.perf_counter() - start < 2.0


# -- end to end ------------------------------------------------------------------

def test_tickets_in_the_forms_teams_write(build_notes):
    g = build_notes({"2024-03-05-cache-sync.md": """
        # Cache sync
        Date: 2024-03-05
        - Working Session #21: PR 379, https://github.com/acme/cache/pull/9#issuecomment-1 merged
        - EIP 4242 and PEP8 came up; widget-api#42 waits on https://acme.atlassian.net/browse/PAY-101
        - MR !7 needs a rebase, see https://gitlab.com/acme/platform/cache/-/issues/12
        - Not tickets: Sprint #14, colour #333, https://docs.acme.dev/c#12, ops-7@acme.dev, v2.4
        """}).graph
    assert names(g, "Ticket") == {"#379", "acme/cache#9", "EIP-4242", "PEP-8", "widget-api#42",
                                  "PAY-101", "!7", "acme/platform/cache#12"}


def test_one_ticket_written_two_ways_in_two_notes_is_one_node(build_notes):
    g = build_notes({
        "2024-03-05-a.md": "# A\nDate: 2024-03-05\n- acme/cache#9 is blocked by PR 379\n",
        "2024-03-12-b.md": "# B\nDate: 2024-03-12\n"
                           "- https://github.com/acme/cache/pull/9/files still waits on "
                           "pull request 379\n",
    }).graph
    tickets = {a["name"]: a["mentions"] for _, a in g.nodes(data=True) if a["label"] == "Ticket"}
    assert tickets == {"acme/cache#9": 2, "#379": 2}
    assert ("acme/cache#9", "#379") in triples(g, "DEPENDS_ON")


def test_a_ticket_column_holding_a_merge_request_url(build_notes):
    g = build_notes({"2024-03-05-owners.md": """
        # Owners
        Date: 2024-03-05

        | Owner | Ticket |
        | --- | --- |
        | Ann Lee | https://gitlab.com/acme/platform/cache/-/merge_requests/7 |
        | Raj Patel | https://review.example.org/c/cache/+/12345 |
        """}).graph
    owns = triples(g, "OWNS")
    assert {("Ann Lee", "acme/platform/cache!7"), ("Raj Patel", "cache/+/12345")} <= owns
