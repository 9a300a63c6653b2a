"""Names as people write them. One place decides:

- whether a written form looks like a person's name (`person_name`),
- whether it names a group of people instead (`group_name`: "ALL", "Storage team"),
- how a list of names splits ("Anya, Kofi, ideally Piet and/or Bo"), in one pass,
- what a roster entry says ("DY: Dan Yeaw (@danyeaw), Anaconda").

Capitals are the main signal of a name, so a capitalised word is doubted
only where capitals carry no signal and the word is a common English word
("Note:", "Will sync …"); the word lists are data in `pipelines/`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import Lexicon

_HANDLE = re.compile(r"^@?[A-Za-z0-9][\w.-]*[A-Za-z0-9]$|^@?[A-Za-z]$")
_EMAIL = re.compile(r"<[^<>@\s]+@[^<>\s]+>|\b[\w.+-]+@[\w-]+\.[\w.]+\b")
_INITIALS = re.compile(r"^[A-Z][A-Za-z]?[A-Z]{1,2}$|^[A-Z]{2,4}$")
_INITIAL = re.compile(r"^[A-Z]\.?$")
_LEAD_INITIALS = re.compile(r"^(?P<ini>[A-Z]{2,4})\s*[:=]\s+(?P<rest>\S.*)$")
_NICKNAME = re.compile(
    r"^(?P<first>[^\s(),]+)\s+\((?P<nick>[^()\s,]+)\)\s+(?P<last>[^\s(),][^(),]*)")
_ENTRY_END = re.compile(r"\s+[-–—|]\s+|\s*[(,;<|?]|\s+@|\s+-$")
_SEPARATOR = re.compile(r"[(),;&+/]|\band/or\b|\band\b|\bor\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_AT_RUN = re.compile(r"\s+(?=@[A-Za-z])")


@dataclass(frozen=True)
class Entry:
    """One person as a roster line declares them."""

    name: str  # as written, without handle, initials or notes
    handle: str | None = None
    initials: str | None = None
    nickname: str | None = None
    notes: tuple[str, ...] = field(default=())  # "(Platform lead)", ", Anaconda", " - Chairperson"


class Names:
    """Name judgements over the word lists of one Lexicon."""

    def __init__(self, lex: Lexicon):
        words = lex.lexicon
        self.first_names = lex.first_names
        self.common = lex.common_words
        self.particles = frozenset(words["name_particles"])
        self.acronyms = frozenset(words["acronyms"])
        self.structure = frozenset(w.casefold() for w in words["structure_words"])
        self.group_words = frozenset(w.casefold() for w in words["group_owner_words"])
        self.group_suffixes = frozenset(w.casefold() for w in words["group_suffixes"])
        self.hedges = frozenset(w.casefold() for w in words["list_hedges"])
        self.hedges_of_proposal = frozenset(w.casefold() for w in words["hedge_words"])

    # -- single words ----------------------------------------------------------
    def is_common(self, word: str) -> bool:
        """A word of ordinary English (or of note structure), whatever its case.

        The word list holds stems; "welcoming", "reviewed", "notes" are found through them.
        """
        w = word.casefold().strip(".,:;!?'’\"")
        if w in self.common or w in self.structure:
            return True
        for suffix, repl in _INFLECTIONS:
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                stem = w[: len(w) - len(suffix)]
                if any(stem + r in self.common for r in repl):
                    return True
        return False

    def _name_word(self, w: str) -> bool:
        if w in self.particles:
            return True
        if _DIGIT.search(w):
            return False
        first = next((c for c in w if c.isalpha()), "")
        # Scripts without case (CJK, Arabic) have no capitals to look for.
        return bool(first) and (first.isupper() or not first.islower() and not first.isupper())

    # -- whole names -----------------------------------------------------------
    def person_name(self, text: str, declared: bool = False, listed: bool = False) -> bool:
        """Does `text` look like one person's name as written?

        `declared` is for slots that say "a person goes here" (a roster line, a
        speaker label, an owner slot): there a single capitalised word such as
        "Quillfeather" is a name, and a lower-case handle such as "pnkfelix" too,
        unless it is a common word. Elsewhere a name needs capitals and, when all
        its words are common English, a known first name ("Grace Hopper").
        """
        text = text.strip()
        if not text or len(text) > 80 or self.group_name(text):
            return False
        if text.startswith("@"):
            return bool(_HANDLE.match(text)) and "/" not in text
        words = text.split()
        if not 1 <= len(words) <= 5:
            return False
        if len(words) == 1:
            w = words[0]
            if w in self.acronyms or w.casefold() in self.structure:
                return False
            if w.islower():
                return declared and bool(_HANDLE.match(w)) and not self.is_common(w) \
                    and len(w) >= 3
            if not self._name_word(w) or _INITIAL.match(w):
                return False
            if w.isupper():
                return declared and len(w) <= 4
            # In a roster ("Present: Hugo, Pat") a capitalised word is a name even when
            # it is also a word; elsewhere it must be a given name or no common word.
            return w in self.first_names or not self.is_common(w) or (
                listed and w.istitle() and w.casefold() not in self.group_words)
        if words[0] in self.particles and len(words) < 3 or words[-1] in self.particles:
            return False
        if not all(self._name_word(w) for w in words):
            return False
        if any(w.casefold() in self.structure for w in words):
            return False
        if all(self.is_common(w) or _INITIAL.match(w) for w in words):
            return words[0] in self.first_names
        return True

    def in_slot(self, name: str, roster) -> bool:
        """Is `name`, written where a person goes (an owner slot, a speaker label), a person?

        Declared by the note, a handle, one word that is not a common word, or a
        name that starts with a given name: "Welcoming Lucas" and "GitHub Issue" are not.
        """
        if roster.match(name):
            return True
        if not self.person_name(name, declared=True):
            return False
        words = name.lstrip("@").split()
        if len(words) == 1 and not name.startswith("@") and name[:1].isupper() \
                and not name.isupper() and words[0] not in self.first_names:
            # "Kubernetes to ship 1.31": one capitalised word that is no given name is a
            # person only where the note says so elsewhere (a roster, a speaker).
            return False
        return name.startswith("@") or len(words) == 1 or words[0] in self.first_names

    def group_name(self, text: str) -> bool:
        """"ALL", "Everyone", "@all", "Storage team", "conda-forge/core": not one person.

        A named group is one to four capitalised words and a group word
        ("Release Crew", "OpenSSF Operations staff"), not a phrase that ends in one.
        """
        t = text.strip().lstrip("@")
        folded = t.casefold()
        if folded in self.group_words:
            return True
        if "/" in t and " " not in t and re.fullmatch(r"[\w.-]+/[\w.-]+", t):
            return True  # a GitHub team handle
        words = t.split()
        if words and words[0].casefold() in ("the", "our", "a"):
            words = words[1:]
        return 2 <= len(words) <= 5 and words[-1].casefold() in self.group_suffixes and all(
            w[:1].isupper() or w.isupper() for w in words[:-1])

    # -- lists -----------------------------------------------------------------
    def split(self, text: str) -> list[str]:
        """Split a written list of names in one pass, dropping hedges ("ideally", "others").

        Separators inside parentheses do not split ("Bo Lind (Acme, TAC)").
        """
        parts, start, depth = [], 0, 0
        for m in _SEPARATOR.finditer(text):
            sep = m.group(0)
            if sep == "(":
                depth += 1
                continue
            if sep == ")":
                depth = max(0, depth - 1)
                continue
            if depth:
                continue
            parts.append(text[start:m.start()])
            start = m.end()
        parts.append(text[start:])
        # "@Ann Lee @Bo Chen": Notion mentions written side by side.
        parts = [q for p in parts for q in (_AT_RUN.split(p) if p.count("@") > 1 else [p])]
        out = []
        for p in parts:
            p = _strip_hedges(p.strip(" .:*_`"), self.hedges)
            if p:
                out.append(p)
        return out

    def split_people(self, text: str, declared: bool = True) -> list[str]:
        """The person names in a written list, each without its notes."""
        out = []
        for part in self.split(text):
            name = re.sub(r"\s*\([^()]*\)?", "", part).strip(" .:;,-[]")
            if self.person_name(name, declared=declared):
                out.append(name.lstrip("@") if " " not in name else name)
        return out

    # -- roster entries ----------------------------------------------------------
    def entry(self, text: str, mailto: tuple[str, ...] = ()) -> Entry | None:
        """What one roster line says about one person, or None if it names nobody.

        "* Priya Raman @praman (Steering)", "1. PR: Priya Raman (@praman)",
        "Bo Lind (Acme, TAC) - leaves early", "VM (Vicky) Brasseur", "@mkowal",
        "[Ana Lobo](mailto:ana@x.org)".
        """
        text = _EMAIL.sub("", text.replace("\u200b", "")).strip(" \t*_")
        initials = None
        lead = _LEAD_INITIALS.match(text)
        if lead:
            initials, text = lead.group("ini"), lead.group("rest")
        nickname = None
        nick = _NICKNAME.match(text)
        if nick and nick.group("last")[:1].isupper() and not nick.group("nick").startswith("@"):
            nickname = nick.group("nick")
            text = f"{nick.group('first')} {nick.group('last')}{text[nick.end():]}"
        end = _ENTRY_END.search(text)
        name = (text[:end.start()] if end else text).strip(" .:;,-*_[]")
        tail = text[end.start():] if end else ""
        handle, notes = None, []
        for raw in re.findall(r"@[\w.-]+", tail):
            handle = handle or raw[1:].rstrip(".")
        # A parenthesis is one note ("(EM, Payments team)") and so is each part of it.
        groups = re.findall(r"\(([^()]*)\)?", tail)
        for note in [g for g in groups if "," in g] + re.split(r"[(),;]|\s[-–—|]\s", tail):
            note = note.strip(" .:*_-–—?")
            if not note or note.startswith("@"):
                continue
            if handle is None and _HANDLE.match(note) and note.islower() and len(note) >= 3 \
                    and " " not in note and not self.is_common(note):
                handle = note  # "(rromoff": a handle without its @
            elif _INITIALS.match(note) and _initials_of(name) == note.upper():
                initials = initials or note
            else:
                notes.append(note)
        if name.startswith("@"):
            handle, name = name[1:], name[1:]
        if not name and handle:
            name = handle
        if not name and mailto:
            name = mailto[0]
        if not self.person_name(name, declared=True, listed=True):
            return None
        return Entry(name, handle, initials, nickname, tuple(notes))


#: Suffixes to strip (and endings to try in their place) to find a word's stem.
_INFLECTIONS = (("ies", ("y",)), ("ing", ("", "e")), ("ed", ("", "e")), ("es", ("", "e")),
                ("s", ("",)), ("ly", ("",)), ("er", ("", "e")))


def _strip_hedges(part: str, hedges: frozenset[str]) -> str:
    """"ideally Piet" -> "Piet"; "possibly others" -> ""."""
    words = part.split()
    while words and words[0].casefold() in hedges:
        words.pop(0)
    while words and words[-1].casefold().strip(".,") in hedges:
        words.pop()
    return " ".join(words)


def _initials_of(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper()).upper()


def initials_of(name: str) -> str:
    """"Tomás Ferreira" -> "TF"; "Cheng H. Lee" -> "CHL"."""
    return _initials_of(name)
