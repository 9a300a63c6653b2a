"""Incremental builds: the cache re-extracts only what changed, output stays identical."""

from __future__ import annotations

import importlib
import shutil

from test_generated_corpus import generate

from kg.build import BuildOptions, build
from kg.cache import CACHE_DIR, CACHE_FILE

# `kg.build` the attribute is the function; the module is needed to patch it.
build_module = importlib.import_module("kg.build")


def _counting(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = build_module.extract_file

    def counted(nf, options):
        calls.append(nf.source)
        return real(nf, options)
    monkeypatch.setattr(build_module, "extract_file", counted)
    return calls


def _clean(notes, out):
    build([notes], out, BuildOptions(workers=1, cache=False))
    return (out / "graph.json").read_bytes()


def test_rebuild_matches_clean_build_after_edit_and_delete(tmp_path, monkeypatch):
    generate.generate(21, tmp_path / "c", seed=2)
    notes = tmp_path / "c" / "notes"
    inc = tmp_path / "inc"
    build([notes], inc, BuildOptions(workers=1))
    assert (inc / CACHE_DIR / CACHE_FILE).exists()

    files = sorted(notes.iterdir())
    edited = files[3]
    edited.write_text(edited.read_text(encoding="utf-8").replace("Attendees:", "Attendees:", 1)
                      + "\nNew line about nothing in particular.\n", encoding="utf-8")
    files[5].unlink()
    calls = _counting(monkeypatch)
    build([notes], inc, BuildOptions(workers=1))
    assert calls == [edited.name]
    monkeypatch.undo()
    assert (inc / "graph.json").read_bytes() == _clean(notes, tmp_path / "clean")


def test_unchanged_rebuild_extracts_nothing_and_new_file_is_picked_up(tmp_path, monkeypatch):
    generate.generate(8, tmp_path / "c", seed=4)
    notes = tmp_path / "c" / "notes"
    build([notes], tmp_path / "inc", BuildOptions(workers=1))
    calls = _counting(monkeypatch)
    build([notes], tmp_path / "inc", BuildOptions(workers=1))
    assert calls == []
    src = sorted(notes.iterdir())[0]
    shutil.copy(src, notes / ("z-copy-" + src.name))
    build([notes], tmp_path / "inc", BuildOptions(workers=1))
    assert calls == ["z-copy-" + src.name]
    monkeypatch.undo()
    assert (tmp_path / "inc" / "graph.json").read_bytes() == _clean(notes, tmp_path / "clean")


def test_no_cache_writes_no_cache_and_a_bad_cache_is_ignored(tmp_path):
    generate.generate(5, tmp_path / "c", seed=4)
    notes = tmp_path / "c" / "notes"
    build([notes], tmp_path / "nc", BuildOptions(workers=1, cache=False))
    assert not (tmp_path / "nc" / CACHE_DIR).exists()
    bad = tmp_path / "inc" / CACHE_DIR / CACHE_FILE
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"not a pickle")
    build([notes], tmp_path / "inc", BuildOptions(workers=1))
    assert (tmp_path / "inc" / "graph.json").read_bytes() == \
        (tmp_path / "nc" / "graph.json").read_bytes()


def test_cache_key_changes_with_incident_prefixes():
    from kg.cache import cache_key
    assert cache_key(None) != cache_key(("INC", "SEV"))
    assert cache_key(None) == cache_key(None)
