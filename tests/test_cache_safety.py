"""The facts cache holds data, never code; a bad cache is a warning, never a crash or a lie."""

from __future__ import annotations

import dataclasses
import enum
import json
import os
import pickle
import sys

import pytest
from click.testing import CliRunner

from conftest import REPO, RunsCode, run_unprivileged, write_notes
from kg.build import BuildOptions, build
from kg.cache import CACHE_DIR, CACHE_FILE, OLD_CACHE_FILE, content_hash
from kg.cache_codec import CodecError, decoder, encode
from kg.cli import main
from kg.extract.facts import Fact, Item, NoteFacts, Ref

NOTES = {
    "2024-01-01-sync.md": "# Sync\nDate: 2024-01-01\nAttendees: Ann Lee, Bo Chen\n\n"
                          "- Ann Lee raised a concern about NEXUS-1\n"
                          "## Action items\n- Bo Chen to fix NEXUS-1 by Jan 5\n",
    "2024-01-02-sync.md": "# Sync 2\nDate: 2024-01-02\nAttendees: Ann Lee\n\n"
                          "- NEXUS-1 depends on NEXUS-2\n",
}


def _kg_build(notes, out, *extra):
    return CliRunner().invoke(main, ["build", str(notes), "--out", str(out), "--no-html",
                                     *extra])


def _clean_graph(notes, tmp_path) -> bytes:
    return build([notes], tmp_path / "clean", BuildOptions(cache=False)).out_path.read_bytes()


@pytest.mark.parametrize("name", [OLD_CACHE_FILE, CACHE_FILE])
def test_a_pickle_in_the_cache_folder_never_runs(tmp_path, name):
    notes = write_notes(tmp_path / "notes", NOTES)
    marker = tmp_path / "MARKER"
    cache = tmp_path / "kg-out" / CACHE_DIR
    cache.mkdir(parents=True)
    (cache / name).write_bytes(pickle.dumps(RunsCode(marker)))
    result = _kg_build(notes, tmp_path / "kg-out")
    assert result.exit_code == 0, result.output
    assert not marker.exists(), "the cache ran code"
    assert not (cache / OLD_CACHE_FILE).exists(), "the old pickle should be removed"
    assert (cache / CACHE_FILE).read_bytes().startswith(b'{"format"')
    if name == CACHE_FILE:  # a pickle where the JSON cache belongs is damage
        assert "damaged cache ignored" in result.output


def _valid_cache(tmp_path, notes) -> bytes:
    build([notes], tmp_path / "seed", BuildOptions())
    return (tmp_path / "seed" / CACHE_DIR / CACHE_FILE).read_bytes()


@pytest.mark.parametrize("damage", ["truncated", "random", "huge-number", "deep", "bad-record",
                                    "not-utf8"])
def test_a_corrupt_cache_is_discarded_with_a_warning(tmp_path, damage):
    notes = write_notes(tmp_path / "notes", NOTES)
    good = _valid_cache(tmp_path, notes)
    header, first, *_ = good.split(b"\n")
    head, _, facts = first.partition(b"\t")
    bad = {
        "truncated": good[: len(good) // 2 + 7],
        "random": os.urandom(4096),
        "huge-number": header + b"\n" + head + b'\t{"source": ' + b"9" * 50_000 + b"}\n",
        "deep": header + b"\n" + head + b"\t" + b"[" * 100_000 + b"]" * 100_000 + b"\n",
        "bad-record": header + b"\n" + head + b'\t{"source": 5, "title": [], "date": null}\n',
        "not-utf8": header + b"\n" + head + b"\t\xff\xfe" + facts + b"\n",
    }[damage]
    out = tmp_path / "out"
    (out / CACHE_DIR).mkdir(parents=True)
    (out / CACHE_DIR / CACHE_FILE).write_bytes(bad)
    result = _kg_build(notes, out)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "warning:" in result.output and "damaged" in result.output
    assert (out / "graph.json").read_bytes() == _clean_graph(notes, tmp_path)


@pytest.mark.parametrize("blocker", ["a file", "read-only"])
def test_a_cache_that_cannot_be_written_is_a_warning_and_the_graph_is_written(tmp_path,
                                                                                blocker):
    notes = write_notes(tmp_path / "notes", NOTES)
    out = tmp_path / "out"
    out.mkdir()
    if blocker == "a file":
        (out / CACHE_DIR).write_text("not a folder")
    else:
        (out / CACHE_DIR).mkdir()
        os.chmod(out / CACHE_DIR, 0o555)
    result = run_unprivileged([sys.executable, "-m", "kg.cli", "build", str(notes),
                               "--out", str(out), "--no-html"])
    assert result.returncode == 0, result.stderr
    assert "could not write the cache" in result.stdout
    assert (out / "graph.json").read_bytes() == _clean_graph(notes, tmp_path)


def test_an_edit_during_a_build_is_cached_with_the_bytes_extracted(tmp_path):
    notes = write_notes(tmp_path / "notes", NOTES)
    target = notes / "2024-01-02-sync.md"
    original = target.read_bytes()
    out = tmp_path / "out"
    build([notes], out, BuildOptions(workers=1))
    target.write_bytes(original + b"- NEXUS-2 depends on NEXUS-3\n")

    def edit_while_extracting(files):
        # The progress hook runs just before each file is extracted: edit it then.
        for nf in files:
            if nf.source == target.name:
                target.write_bytes(original + b"- NEXUS-2 depends on NEXUS-7\n")
            yield nf

    build([notes], out, BuildOptions(workers=1), progress=edit_while_extracting)
    entries = dict(_cache_heads(out))
    assert entries[target.name] == content_hash(target.read_bytes())
    target.write_bytes(original + b"- NEXUS-2 depends on NEXUS-3\n")
    rebuilt = build([notes], out, BuildOptions(workers=1)).out_path.read_bytes()
    assert rebuilt == _clean_graph(notes, tmp_path)


def _cache_heads(out):
    lines = (out / CACHE_DIR / CACHE_FILE).read_text(encoding="utf-8").splitlines()[1:]
    return [json.loads(line.partition("\t")[0]) for line in lines]


def test_the_cache_respects_max_file_mb(tmp_path):
    notes = write_notes(tmp_path / "notes", NOTES)
    big = notes / "2024-01-03-big.md"
    big.write_text("# Big\nDate: 2024-01-03\nAttendees: Cy Dee\n" + "words " * 3000 + "\n")
    out = tmp_path / "out"
    assert _kg_build(notes, out).exit_code == 0
    result = _kg_build(notes, out, "--max-file-mb", "0.01")
    assert result.exit_code == 0, result.output
    assert "skipped 2024-01-03-big.md: 0.017 MB is over the 0.01 MB limit" in result.output
    assert "Cy Dee" not in (out / "graph.json").read_text(encoding="utf-8")


# -- the codec: generic over dataclass fields ---------------------------------------------


def _facts() -> NoteFacts:
    ann = Ref("Person", "Ann Lee", 2)
    return NoteFacts(source="a/b.md", title="T", date=None, location="Zoom", people=[ann],
                     aliases={"AL": "Ann Lee"}, mentions=[(ann, 3), (Ref("Ticket", "X-1"), 4)],
                     facts=[Fact("OWNS", ann, Ref("Ticket", "X-1", 1), 4)],
                     items=[Item(5, "Fix X-1", [ann], "2024-01-05", "open",
                                 [Ref("Ticket", "X-1")])],
                     lines={3: "Ann", 4: "Ann owns X-1"}, warnings=["w"])


def test_codec_round_trips_note_facts_through_json():
    facts = _facts()
    again = decoder(NoteFacts)(json.loads(json.dumps(encode(facts))))
    assert again == facts
    assert isinstance(again.mentions[0], tuple) and isinstance(next(iter(again.lines)), int)


def test_a_field_added_later_with_a_default_round_trips_without_codec_changes():
    later = dataclasses.make_dataclass(
        "NoteFactsLater", [("topics", list[Ref], dataclasses.field(default_factory=list)),
                           ("score", float | None, None), ("tone", Tone, Tone.CALM)],
        bases=(NoteFacts,))
    known = {f.name: getattr(_facts(), f.name) for f in dataclasses.fields(NoteFacts)}
    facts = later(**known, topics=[Ref("Team", "Core")], score=0.5, tone=Tone.TENSE)
    plain = json.loads(json.dumps(encode(facts)))
    assert decoder(later)(plain) == facts
    del plain["topics"], plain["score"], plain["tone"]  # written before the fields existed
    assert decoder(later)(plain) == later(**known)


class Tone(enum.Enum):
    CALM = "calm"
    TENSE = "tense"


@pytest.mark.parametrize("plain", [
    [], {"source": "x"}, {"source": "x", "title": "t", "date": None, "people": [{"label": 1}]},
    {"source": "x", "title": "t", "date": None, "lines": [["3", "not an int key"]]},
    {"source": "x", "title": "t", "date": None, "mentions": [[{"label": "P", "text": "A"}]]},
    {"source": "x", "title": "t", "date": True},
    {"source": "x", "title": "t", "date": None, "__class__": "os.system"},
])
def test_codec_refuses_what_does_not_fit(plain):
    with pytest.raises(CodecError):
        decoder(NoteFacts)(plain)


def test_the_cache_modules_never_import_pickle():
    source = (REPO / "kg" / "cache.py").read_text() + (REPO / "kg" / "cache_codec.py").read_text()
    assert "import pickle" not in source and "marshal" not in source
