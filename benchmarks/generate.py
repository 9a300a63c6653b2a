"""Write a deterministic corpus of N meeting notes, and the facts planted in it.

    python benchmarks/generate.py 1000 --out /tmp/corpus --seed 7

writes `/tmp/corpus/notes/*.{md,txt}` and `/tmp/corpus/expected.json`. The
notes cover every style the extractor reads (all-hands with team sections,
roadmap tables, postmortems, plain-text weeklies with first names only,
timestamped transcripts, minutes with initials, Obsidian exports with front
matter). People, teams, tickets, incidents and customers come from pools that
grow with N, so a 10,000-note corpus is not 10,000 copies of one team.

`expected.json` lists every planted fact as `[subject, TYPE, object]`: people,
teams, roles, customers by name, tickets and incidents by key, meetings as
`meeting:<source>` and action items as `item:<source>:<line>` (the graph's own
ids for those two). Only the relationship types in `CHECKED` are planted;
the rest (MENTIONS, TIED_TO, HOSTED, ...) are left to the extractor.

Names: full names are unique. First names are unique only for the people a
first-name-only style (the weeklies) writes about; everyone else draws from a
separate list of first names that may repeat, so "Emily" in a weekly always
means one person.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

CHECKED = ("ATTENDED", "LEADS", "MEMBER_OF", "OWNS", "DEPENDS_ON", "PROMOTED_TO", "AFFECTED",
           "RAISED_CONCERN_ABOUT")

# First names a weekly may use alone: each belongs to exactly one person.
UNIQUE_FIRST = """Emily Nina Tom Rachel Priya Kwame Aiko Marcus Olivia Harold Sofia Lisa
James Alex Michael Jennifer Daniel Laura Grace Oscar Hannah Ethan Chloe Lucas Mia Noah
Zara Leo Ivy Felix Ruby Hugo Elena Omar Julia Victor Maya Samuel Clara Adam Nora Isaac
Alice Ben Diana Frank Helen Ian Karen Lionel Monica Nathan Paula Quinn Rosa Simon Tara
Ursula Vera Wendy Xavier Yasmin Zoe""".split()
# First names that may be shared by several people (never written alone).
SHARED_FIRST = """David Sarah John Maria Robert Anna Carlos Mei Ahmed Fatima Lars Ingrid
Pedro Lucia Kenji Yuki Raj Anita Peter Olga Tomás Ines Jonas Greta Mateo Amara Kofi Leila
Dmitri Svetlana Hiroshi Ravi Susan Erik Astrid Diego Camila Andrei Irina""".split()
SURNAMES = """Watson Patel Harris Green Raman Mensah Tanaka Webb Santos Larsen Reyes Park
Rodriguez Chen Brown Kim Liu Ferreira Novak Okafor Schmidt Rossi Dubois Nakamura Silva
Kowalski Jensen Haddad Moreau Fischer Costa Ibrahim Lindqvist Moretti Adeyemi Suzuki
Petrov Varga Horvat Byrne Walsh Murphy Duarte Castillo Herrera Navarro Molina Ortega
Bauer Keller Vogel Lehmann Hansen Berg Nilsson Eriksson Virtanen Kaur Singh Gupta Iyer
Mehta Rao Nguyen Tran Pham Hoang Lim Tan Wong Ong Yilmaz Demir Aydin Sato Ito Mori""".split()
TEAM_WORDS = """Platform Infrastructure Product Security Payments Data Storage Search Mobile
Billing Identity Observability Networking Compute Growth Analytics Messaging Reliability
Frontend Integrations Compliance Tooling Ingestion Streaming Catalog Pricing Checkout
Ledger Routing Scheduling""".split()
TICKET_PREFIXES = """NEXUS GS INFRA QS PAY STOR SEC DATA OPS API MOB BILL IDN OBS NET""".split()
CUSTOMER_A = """Acme Northwind Contoso Globex Initech Umbrella Stark Oscorp
Cyberdyne Hooli Vandelay Wonka Soylent Aperture Massive Dunder Prestige Gringotts""".split()
CUSTOMER_B = """Retail Bank Health Logistics Insurance Energy Foods Media Telecom Airlines
Pharma Motors""".split()
ROLES = ["Senior SRE", "Staff Engineer", "Principal Engineer", "Senior Engineer",
         "Engineering Manager"]
PRODUCTS = ["NexusDB", "GraphSync", "QueryStudio"]

# Neutral prose: realistic bulk with no names, keys or cue phrases in it.
FILLER = [
    "the rollout went smoothly on the staging fleet and the error rate stayed flat",
    "we looked at the latency dashboards and the p99 numbers are within budget",
    "the migration scripts were reviewed and the dry run finished without surprises",
    "there was a long discussion about alert fatigue and how to tune the thresholds",
    "most of the remaining work is documentation and a final round of load testing",
    "the team agreed to revisit the capacity model at the end of the quarter",
    "on-call was quiet this week apart from two noisy disk alerts overnight",
    "the new dashboards make it much easier to see where requests spend their time",
    "we need a clearer runbook for failover before the next game day",
    "the benchmark suite now runs nightly and posts a summary to the channel",
    "hiring is going well and two more interviews are booked for next week",
    "the design doc got good feedback and the open questions are listed at the end",
    "the cost report shows cloud spend slightly down compared with last month",
    "retries with jitter removed most of the thundering herd after deploys",
    "the schema change is backwards compatible so clients can upgrade at their own pace",
    "the flaky integration tests were quarantined and a fix is in review",
]
DESCRIPTIONS = ["query planner rewrite", "HA mode", "multi-region support", "audit logging",
                "token rotation", "bulk import speedups", "dashboard sharing", "cost reports",
                "schema registry", "retry queue", "rate limiting", "backup verification"]
TASKS = ["write the rollout plan", "update the runbook", "review the patch",
         "schedule a load test", "draft the design doc", "publish the release notes",
         "rerun the benchmarks", "set up the alert", "clean up the dashboards",
         "write the migration guide"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass
class Person:
    first: str
    last: str
    team: int

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def initials(self) -> str:
        return self.first[0] + self.last[0]


@dataclass
class Pools:
    people: list[Person]
    unique_first: list[Person]  # people a weekly may name by first name alone
    teams: list[str]
    leads: list[Person]
    customers: list[str]


@dataclass
class Note:
    source: str
    lines: list[str] = field(default_factory=list)
    facts: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def meeting(self) -> str:
        return f"meeting:{self.source}"

    def add(self, line: str) -> int:
        """Append a line; return its 1-based line number."""
        self.lines.append(line)
        return len(self.lines)

    def fact(self, subj: str, rel: str, obj: str) -> None:
        self.facts.append((subj, rel, obj))

    def item(self, line: str, owner: Person) -> None:
        self.fact(owner.name, "OWNS", f"item:{self.source}:{self.add(line)}")


def make_pools(n: int, rng: random.Random) -> Pools:
    n_teams = min(len(TEAM_WORDS), 4 + n // 300)
    teams = [f"{w} Team" for w in TEAM_WORDS[:n_teams]]
    n_people = min(len(SHARED_FIRST) * len(SURNAMES), 24 + n // 8)
    names = _full_names(n_people, rng)
    people = [Person(f, last, i % n_teams) for i, (f, last) in enumerate(names)]
    unique = [p for p in people if p.first in UNIQUE_FIRST]
    leads = [next(p for p in people if p.team == t) for t in range(n_teams)]
    n_customers = min(len(CUSTOMER_A) * len(CUSTOMER_B), 6 + n // 40)
    combos = [f"{a} {b}" for a in CUSTOMER_A for b in CUSTOMER_B]
    rng.shuffle(combos)
    return Pools(people, unique, teams, leads, sorted(combos[:n_customers]))


def _full_names(n: int, rng: random.Random) -> list[tuple[str, str]]:
    """`n` unique full names; each UNIQUE_FIRST name is used by exactly one person."""
    surnames = SURNAMES[:]
    rng.shuffle(surnames)
    names = [(f, surnames[i % len(surnames)]) for i, f in enumerate(UNIQUE_FIRST)]
    shared = sorted({(f, s) for f in SHARED_FIRST for s in SURNAMES})
    rng.shuffle(shared)
    names += shared[: max(0, n - len(names))]
    names = names[:n] if n < len(UNIQUE_FIRST) else names
    rng.shuffle(names)
    return names


class Generator:
    def __init__(self, n: int, seed: int = 7):
        self.n = n
        self.rng = random.Random(seed)
        self.pools = make_pools(n, self.rng)
        self.ticket_no: dict[str, int] = {}
        self.incident_no = 0
        self.start = dt.date(2024, 1, 8)

    # -- pools --------------------------------------------------------------------------
    def ticket(self) -> str:
        prefix = self.rng.choice(TICKET_PREFIXES)
        self.ticket_no[prefix] = self.ticket_no.get(prefix, 100) + self.rng.randint(1, 9)
        return f"{prefix}-{self.ticket_no[prefix]}"

    def incident(self, year: int) -> str:
        self.incident_no += 1
        return f"INC-{year}-{self.incident_no:03d}"

    def people(self, k: int, pool: list[Person] | None = None) -> list[Person]:
        pool = pool or self.pools.people
        return self.rng.sample(pool, min(k, len(pool)))

    def customer(self) -> str:
        return self.rng.choice(self.pools.customers)

    def filler(self, k: int) -> list[str]:
        picks = [self.rng.choice(FILLER) for _ in range(k)]
        return [p[0].upper() + p[1:] + "." for p in picks]

    def due(self, day: dt.date) -> dt.date:
        return day + dt.timedelta(days=self.rng.randint(3, 30))

    def items_by(self, note: Note, people: list, day: dt.date, lead) -> None:
        """One "<lead> <task> by <Mon D>" action item per person, planted as theirs."""
        for p in people:
            due = self.due(day)
            note.item(f"{lead(p)} {self.rng.choice(TASKS)} by {MONTHS[due.month - 1]} {due.day}",
                      p)

    # -- notes --------------------------------------------------------------------------
    STYLES = ("all_hands", "roadmap", "postmortem", "weekly", "transcript", "minutes",
              "obsidian")

    def note(self, i: int) -> Note:
        day = self.start + dt.timedelta(days=i // 4)
        style = self.STYLES[i % len(self.STYLES)]
        ext = "txt" if style == "weekly" else "md"
        note = Note(f"{day.isoformat()}-{style.replace('_', '-')}-{i:05d}.{ext}")
        getattr(self, style)(note, day)
        return note

    def attendees(self, note: Note, people: list[Person]) -> str:
        for p in people:
            note.fact(p.name, "ATTENDED", note.meeting)
        return ", ".join(p.name for p in people)

    def prose(self, note: Note, k: int) -> None:
        note.add("")
        for sentence in self.filler(k):
            note.add(sentence)

    def all_hands(self, note: Note, day: dt.date) -> None:
        host, *rest = self.people(6)
        note.add("# Engineering All-Hands Meeting Notes")
        note.add("")
        note.add(f"**Date:** {day:%B} {day.day}, {day.year}")
        note.add(f"**Host:** {host.name}")
        note.add(f"**Attendees:** {self.attendees(note, [host, *rest])}")
        note.add("")
        note.add("## Team Updates")
        teams = self.rng.sample(range(len(self.pools.teams)), min(3, len(self.pools.teams)))
        for t in teams:
            self.team_section(note, t)
        note.add("")
        note.add("## Incidents")
        inc, cust = self.incident(day.year), self.customer()
        note.add(f"- {inc} at {cust} was painful")
        note.fact(inc, "AFFECTED", cust)
        note.add("")
        note.add("## Discussion")
        who, key = self.rng.choice(rest), self.ticket()
        note.add(f"- {who.name} raised a concern about {key}")
        note.fact(who.name, "RAISED_CONCERN_ABOUT", key)
        self.prose(note, 45)

    def team_section(self, note: Note, t: int) -> None:
        team, lead = self.pools.teams[t], self.pools.leads[t]
        members = [p for p in self.pools.people if p.team == t and p is not lead]
        note.add("")
        note.add(f"### {team} ({lead.name})")
        note.fact(lead.name, "LEADS", team)
        for p in self.rng.sample(members, min(2, len(members))):
            note.add(f"- {p.name} shipped the {self.rng.choice(DESCRIPTIONS)} work")
            note.fact(p.name, "MEMBER_OF", team)
        if members and self.rng.random() < 0.5:
            p, role = self.rng.choice(members), self.rng.choice(ROLES)
            note.add(f"- {p.name} promoted to {role}")
            note.fact(p.name, "MEMBER_OF", team)
            note.fact(p.name, "PROMOTED_TO", role)

    def roadmap(self, note: Note, day: dt.date) -> None:
        chair, *rest = self.people(5)
        note.add(f"# Q{(day.month - 1) // 3 + 1} Roadmap Review")
        note.add("")
        note.add(f"**Date:** {day:%B} {day.day}, {day.year}")
        note.add(f"**Facilitator:** {chair.name}")
        note.add(f"**Attendees:** {self.attendees(note, [chair, *rest])}")
        note.add("")
        note.add("## Priorities")
        note.add("")
        note.add("| # | Initiative | Ticket | Owner | Target |")
        note.add("|---|------------|--------|-------|--------|")
        keys = []
        for k, owner in enumerate(self.people(3, rest), 1):
            key = self.ticket()
            keys.append(key)
            target = self.due(day)
            note.add(f"| {k} | {self.rng.choice(DESCRIPTIONS).capitalize()} | {key} | "
                     f"{owner.name} | {MONTHS[target.month - 1]} {target.day} |")
            note.fact(owner.name, "OWNS", key)
        note.add("")
        note.add("## Discussion")
        note.add("")
        dep = self.ticket()
        note.add(f"**{rest[0].name}:** {keys[0]} depends on {dep}. We should sequence it.")
        note.fact(keys[0], "DEPENDS_ON", dep)
        blocker = self.ticket()
        note.add("")
        note.add(f"**{rest[1].name}:** {keys[1]} is blocked by {blocker} for now.")
        note.fact(keys[1], "DEPENDS_ON", blocker)
        self.prose(note, 45)

    def postmortem(self, note: Note, day: dt.date) -> None:
        inc, cust = self.incident(day.year), self.customer()
        ic, *rest = self.people(4)
        note.add(f"# Postmortem: {inc} — cluster ran out of disk")
        note.add("")
        note.add(f"- **Date of review:** {day.isoformat()}")
        note.add("- **Severity:** P2")
        note.add(f"- **Customer affected:** {cust}")
        note.add(f"- **Incident commander:** {ic.name}")
        note.add(f"- **Participants:** {self.attendees(note, [ic, *rest])}")
        note.fact(inc, "AFFECTED", cust)
        note.fact(ic.name, "OWNS", inc)
        note.add("")
        note.add("## Summary")
        self.prose(note, 30)
        note.add("")
        note.add("## Action items")
        note.add("")
        note.add("| Action | Owner | Due | Ticket |")
        note.add("|--------|-------|-----|--------|")
        for owner in [ic, *rest][:3]:
            key = self.ticket()
            note.item(f"| {self.rng.choice(TASKS).capitalize()} | {owner.name} | "
                      f"{self.due(day).isoformat()} | {key} |", owner)
            note.fact(owner.name, "OWNS", key)

    def weekly(self, note: Note, day: dt.date) -> None:
        crew = self.people(3, self.pools.unique_first)
        note.add(f"Weekly sync - {day.isoformat()}")
        note.add(f"Attendees: {', '.join(p.first for p in crew)}")
        for p in crew:
            note.fact(p.name, "ATTENDED", note.meeting)
        note.add("")
        a, b = self.ticket(), self.ticket()
        note.add(f"{crew[0].first}: {a} root cause found. {' '.join(self.filler(2))}")
        note.add("")
        note.add(f"{crew[1].first}: {a} is blocked by {b}. {' '.join(self.filler(2))}")
        note.fact(a, "DEPENDS_ON", b)
        note.add("")
        note.add(f"{crew[2].first} raised a concern about {b}.")
        note.fact(crew[2].name, "RAISED_CONCERN_ABOUT", b)
        self.prose(note, 30)
        note.add("")
        note.add("Action items:")
        self.items_by(note, crew, day, lambda p: f"* {p.first} -")

    def transcript(self, note: Note, day: dt.date) -> None:
        people = self.people(3)
        key = self.ticket()
        note.add(f"# {key} review sync")
        note.add("")
        note.add(f"Date: {day.isoformat()}")
        note.add(f"Present: {self.attendees(note, people)}")
        note.add("")
        for k, sentence in enumerate(self.filler(18)):
            note.add(f"[00:{k * 3 + 1:02d}] {people[k % 3].name}: {sentence}")
        note.add("")
        note.add("Action items:")
        self.items_by(note, people[:2], day, lambda p: f"- {p.name} to")

    def minutes(self, note: Note, day: dt.date) -> None:
        people = self.people(4)
        chair = people[0]
        if len({p.initials for p in people}) < len(people):
            people = [chair]  # initials must be unambiguous inside the note
        note.add("# Design Review — Minutes")
        note.add("")
        note.add(f"Date: {day.day} {day:%B} {day.year}")
        note.add(f"Chair: {chair.name}")
        note.add("Attendees: " + ", ".join(f"{p.name} ({p.initials})" for p in people))
        for p in people:
            note.fact(p.name, "ATTENDED", note.meeting)
        note.add("")
        note.add("## Discussion")
        note.add("")
        a, b = self.ticket(), self.ticket()
        note.add(f"1. {chair.initials} presented the redesign ({a}).")
        note.add(f"2. {a} depends on {b}.")
        note.fact(a, "DEPENDS_ON", b)
        self.prose(note, 25)
        note.add("")
        note.add("## Actions")
        note.add("")
        self.items_by(note, people[:3], day, lambda p: f"- ACTION: {p.initials} to")

    def obsidian(self, note: Note, day: dt.date) -> None:
        people = self.people(3)
        note.add("---")
        note.add("title: Team standup")
        note.add(f"date: {day.isoformat()}")
        note.add("attendees:")
        for p in people:
            note.add(f'  - "[[{p.name}]]"')
            note.fact(p.name, "ATTENDED", note.meeting)
        note.add("tags: [standup]")
        note.add("---")
        note.add("")
        note.add("## Updates")
        self.prose(note, 25)
        note.add("")
        note.add("## Tasks")
        note.add("")
        for p in people:
            due = self.due(day)
            box = "x" if self.rng.random() < 0.3 else " "
            note.item(f"- [{box}] {self.rng.choice(TASKS).capitalize()} [[{p.name}]] "
                      f"📅 {due.isoformat()}", p)


def generate(n: int, out: str | Path, seed: int = 7) -> dict:
    """Write `n` notes under `out/notes/` and `out/expected.json`; return the expectation."""
    out = Path(out)
    notes_dir = out / "notes"
    notes_dir.mkdir(parents=True, exist_ok=True)
    gen = Generator(n, seed)
    facts: set[tuple[str, str, str]] = set()
    words = 0
    for i in range(n):
        note = gen.note(i)
        text = "\n".join(note.lines) + "\n"
        (notes_dir / note.source).write_text(text, encoding="utf-8")
        facts.update(note.facts)
        words += len(text.split())
    expected = {"n": n, "seed": seed, "words": words, "checked": list(CHECKED),
                "facts": sorted(list(f) for f in facts)}
    (out / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False),
                                       encoding="utf-8")
    return expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    exp = generate(args.n, args.out, args.seed)
    print(f"{args.n} notes, {exp['words']} words, {len(exp['facts'])} facts -> {args.out}")


if __name__ == "__main__":
    main()
