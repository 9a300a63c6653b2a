"""Reading notes: odd encodings and broken files are read or skipped with a reason."""

import codecs

import pytest

from kg.errors import InputError
from kg.notes import NoteFile, Skipped, discover, read


def nf(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return NoteFile(p, name)


@pytest.mark.parametrize("data, encoding", [
    (codecs.BOM_UTF8 + "Café sync\n".encode(), "utf-8-sig"),
    ("Café sync\n".encode("latin-1"), "cp1252"),
    (codecs.BOM_UTF16_LE + "Café sync\n".encode("utf-16-le"), "utf-16"),
    ("Café sync\r\n".encode(), "utf-8"),
])
def test_encodings_are_read_not_lost(tmp_path, data, encoding):
    note = read(nf(tmp_path, "a.md", data))
    assert note.text == "Café sync\n" and note.encoding == encoding


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"  \n\n", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary file"),
])
def test_unreadable_files_are_skipped_with_a_reason(tmp_path, data, reason):
    result = read(nf(tmp_path, "a.md", data))
    assert isinstance(result, Skipped) and reason in result.reason


def test_huge_file_is_skipped_with_the_limit_and_the_option(tmp_path):
    result = read(nf(tmp_path, "a.md", b"x" * 2048), max_bytes=1024)
    assert isinstance(result, Skipped) and "--max-file-mb" in result.reason


def test_discover_recurses_sorted_and_skips_hidden(tmp_path):
    for name in ("b.md", "a/c.txt", "a/d.markdown", ".git/e.md", "f.pdf"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert [f.source for f in discover([tmp_path])] == ["a/c.txt", "a/d.markdown", "b.md"]


def test_missing_path_names_the_path():
    with pytest.raises(InputError, match="nope: no such file or folder"):
        discover(["nope"])


def test_a_file_named_directly_must_be_a_note(tmp_path):
    result = read(nf(tmp_path, "graph.json", b'{"nodes": []}'))
    assert isinstance(result, Skipped) and "not a kind of file kg reads" in result.reason
