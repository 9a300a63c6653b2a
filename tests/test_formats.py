"""Transcripts, Word documents and web pages: each built from a small file the test writes."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import textwrap

import docx
import pytest
from click.testing import CliRunner
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from conftest import names, triples
from kg.build import BuildOptions, build
from kg.cli import main
from kg.formats.transcripts import vtt_to_lines
from kg.notes import scan

build_module = importlib.import_module("kg.build")

VTT = """\
WEBVTT

1
00:00:01.000 --> 00:00:04.000
<v Priya Raman>Morning all, let's start
with the launch.</v>

2
00:00:09.000 --> 00:00:12.000
Tom Becker: The schema registry is still blocked on legal.

3
00:01:15.500 --> 00:01:18.000
<v Priya Raman>I'll send the draft by Monday.

4
00:01:21.000 --> 00:01:24.000
<v.loud Tom Becker>I will review the <b>migration plan</b> on Friday.
"""

SRT = """\
1
00:00:01,000 --> 00:00:03,000
Ana Lobo: Welcome everyone.

2
01:02:05,250 --> 01:02:08,000
Bo Lind: I'll write up the rollout notes
by Thursday.

3
01:02:09,000 --> 01:02:10,000
- Ana Lobo: Thanks.
- Bo Lind: Sure.
"""


def _build(tmp_path, files: dict[str, str | bytes], **options):
    notes = tmp_path / "notes"
    for name, content in files.items():
        path = notes / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return build([notes], tmp_path / "out", BuildOptions(workers=1, **options))


def _items(graph) -> dict[str, dict]:
    return {a["name"]: a for _, a in graph.nodes(data=True) if a["label"] == "ActionItem"}


def _evidence(graph, rel: str, owner: str) -> list[dict]:
    return [e for s, _t, d in graph.edges(data=True) if d["type"] == rel
            and graph.nodes[s]["name"] == owner for e in d["evidence"]]


def test_vtt_voice_tags_and_cue_prefixes_are_speakers_who_own_their_promises(tmp_path):
    g = _build(tmp_path, {"2024-03-04-sync.vtt": VTT}).graph
    assert {"Priya Raman", "Tom Becker"} <= names(g, "Person")
    assert {("Priya Raman", "2024-03-04-sync.vtt"), ("Tom Becker", "2024-03-04-sync.vtt")} \
        <= triples(g, "ATTENDED")
    owns = triples(g, "OWNS")
    assert ("Priya Raman", "I'll send the draft") in owns
    assert ("Tom Becker", "I will review the migration plan") in owns
    assert _items(g)["I'll send the draft"]["due"] == "2024-03-11"
    # The evidence line is the line of the .vtt file the words stand on, with the time.
    [evidence] = _evidence(g, "OWNS", "Priya Raman")
    assert evidence["line"] == 14 and VTT.split("\n")[13].endswith("by Monday.")
    assert evidence["text"] == "[00:01:15] Priya Raman: I'll send the draft by Monday."


def test_vtt_cue_on_several_lines_is_one_turn_on_its_first_line():
    lines = vtt_to_lines(VTT).split("\n")
    assert lines[4] == "[00:00:01] Priya Raman: Morning all, let's start with the launch."
    assert lines[5] == "" and len(lines) == len(VTT.split("\n"))
    assert lines[17] == "[00:01:21] Tom Becker: I will review the migration plan on Friday."


def test_srt_speakers_hours_and_dialogue_dashes(tmp_path):
    g = _build(tmp_path, {"2024-03-05-call.srt": SRT}).graph
    owns = triples(g, "OWNS")
    assert ("Bo Lind", "I'll write up the rollout notes") in owns
    [evidence] = _evidence(g, "OWNS", "Bo Lind")
    assert evidence["line"] == 7
    assert evidence["text"].startswith("[01:02:05] Bo Lind: I'll write up the rollout notes")
    assert {("Ana Lobo", "2024-03-05-call.srt"), ("Bo Lind", "2024-03-05-call.srt")} \
        <= triples(g, "ATTENDED")


def test_a_promise_without_a_date_is_not_an_item(tmp_path):
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Priya Raman>I'll look into it.\n"
    assert not _items(_build(tmp_path, {"2024-03-04-a.vtt": vtt}).graph)


def _checkbox(paragraph, checked: bool) -> None:
    """A Word checkbox content control, as Word writes it, at the start of `paragraph`."""
    glyph, val = ("☒", "1") if checked else ("☐", "0")
    paragraph._p.append(parse_xml(
        f'<w:sdt {nsdecls("w", "w14")}><w:sdtPr><w14:checkbox><w14:checked w14:val="{val}"/>'
        f'</w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>{glyph}</w:t></w:r></w:sdtContent>'
        '</w:sdt>'))


def _docx_bytes(tmp_path) -> bytes:
    d = docx.Document()
    d.add_heading("Platform sync", level=1)
    p = d.add_paragraph()
    p.add_run("Attendees:").bold = True
    p.add_run(" Priya Raman, Tom Becker")
    d.add_paragraph()
    d.add_heading("Discussion", level=2)
    d.add_paragraph("The schema registry is blocked on legal.", style="List Bullet")
    d.add_paragraph("Legal replies next week.", style="List Bullet 2")
    d.add_heading("Action items", level=2)
    p = d.add_paragraph(style="List Bullet")
    _checkbox(p, True)
    p.add_run(" Tom Becker to update the runbook")
    p = d.add_paragraph(style="List Bullet")
    _checkbox(p, False)
    p.add_run(" Priya Raman to send the draft by Friday")
    table = d.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Owner", "Action", "Due"], strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["Tom Becker", "Book the venue", "2024-03-20"],
                          strict=True):
        cell.text = text
    path = tmp_path / "made.docx"
    d.save(path)
    return path.read_bytes()


def test_docx_headings_lists_checkboxes_and_tables_keep_their_structure(tmp_path):
    result = _build(tmp_path, {"2024-03-06-platform.docx": _docx_bytes(tmp_path)})
    g = result.graph
    meeting = g.nodes["meeting:2024-03-06-platform.docx"]
    assert meeting["title"] == "Platform sync"  # the Heading 1
    assert {("Priya Raman", "2024-03-06-platform.docx"),
            ("Tom Becker", "2024-03-06-platform.docx")} <= triples(g, "ATTENDED")
    items = _items(g)
    assert items["update the runbook"]["status"] == "done"  # the ticked checkbox
    assert items["send the draft"]["status"] == "open"
    assert items["send the draft"]["due"] == "2024-03-08"
    assert items["Book the venue"]["due"] == "2024-03-20"  # a row of the Owner/Action table
    assert {("Tom Becker", "update the runbook"), ("Priya Raman", "send the draft"),
            ("Tom Becker", "Book the venue")} <= triples(g, "OWNS")
    # "Legal replies next week" sits under Discussion, not under Action items: no task.
    assert not any("Legal" in name for name in items)
    # line = paragraph number (empty paragraphs count), so line 4 is the Heading 2.
    [evidence] = [e for e in _evidence(g, "OWNS", "Priya Raman")]
    assert evidence["line"] == 9 and evidence["text"].startswith("- [ ] Priya Raman")


def test_binary_docx_is_cached_by_content(tmp_path, monkeypatch):
    files = {"2024-03-06-platform.docx": _docx_bytes(tmp_path)}
    first = _build(tmp_path, files)
    calls: list[str] = []
    real = build_module.extract_file
    monkeypatch.setattr(build_module, "extract_file",
                        lambda nf, options: calls.append(nf.source) or real(nf, options))
    again = _build(tmp_path, files)
    assert calls == [] and again.read == first.read
    assert (tmp_path / "out" / "graph.json").read_bytes()


HTML = """\
<!DOCTYPE html>
<html><head><title>ENG : Release review</title><style>p {color: red}</style>
<script>document.write("Mallory Evil to wipe the disk by Friday")</script></head>
<body>
<h1>Release review</h1>
<p><strong>Attendees:</strong> <a class="confluence-userlink user-mention"
  data-username="praman" href="/display/~praman">Priya Raman</a>,
  <a href="mailto:tom@example.com">Tom Becker</a></p>
<h2>Notes</h2>
<ul><li>The schema registry is blocked on legal.<ul><li>Legal replies next week.</li></ul></li>
</ul>
<h2>Action items</h2>
<ul class="inline-task-list">
<li class="checked" data-inline-task-id="1">Tom Becker to update the runbook</li>
<li data-inline-task-id="2"><span class="user">@Priya Raman</span> to send the draft by Friday</li>
</ul>
<ul class="to-do-list"><li><div class="checkbox checkbox-on"></div>
<span class="to-do-children-checked">Priya Raman to file the ticket by Monday</span></li></ul>
<table><tr><th>Owner</th><th>Action</th><th>Due</th></tr>
<tr><td>Tom Becker</td><td>Book the venue</td><td>2024-03-20</td></tr></table>
</body></html>
"""


def test_html_export_headings_lists_chips_tasks_and_tables(tmp_path):
    g = _build(tmp_path, {"2024-03-07-review.html": HTML}).graph
    assert g.nodes["meeting:2024-03-07-review.html"]["title"] == "Release review"
    # A Confluence @mention chip and a mailto link are people who attended.
    assert {("Priya Raman", "2024-03-07-review.html"),
            ("Tom Becker", "2024-03-07-review.html")} <= triples(g, "ATTENDED")
    items = _items(g)
    assert items["update the runbook"]["status"] == "done"  # Confluence task, checked
    assert items["send the draft"]["status"] == "open"
    assert items["file the ticket"]["status"] == "done"  # Notion to-do, ticked
    assert {("Tom Becker", "update the runbook"), ("Priya Raman", "send the draft"),
            ("Priya Raman", "file the ticket"), ("Tom Becker", "Book the venue")} \
        <= triples(g, "OWNS")
    assert "Mallory Evil" not in names(g, "Person")  # a script is not content
    assert not any("Legal" in name for name in items)


def test_google_docs_flat_lists_nest_by_their_class():
    from kg.formats.html import html_to_lines
    page = ('<h2>Notes</h2><ul class="lst-kix_ab12-0"><li>Top</li></ul>'
            '<ul class="lst-kix_ab12-1"><li>Under it</li></ul><p>Done &amp; dusted</p>')
    assert html_to_lines(page).split("\n") == ["## Notes", "- Top", "  - Under it",
                                               "Done & dusted"]


def test_unreadable_and_unknown_files_are_reported_by_name_with_the_reason(tmp_path):
    result = _build(tmp_path, {
        "2024-03-04-sync.vtt": VTT,
        "broken.docx": b"PK\x03\x04 this is not really a zip",
        "not-a-transcript.vtt": "hello\nthere\n",
        "slides.pdf": b"%PDF-1.4 binary",
        "sub/photo.png": b"\x89PNG\r\n",
    })
    reasons = {s.source: s.reason for s in result.skipped}
    assert "not a readable Word document" in reasons["broken.docx"]
    assert "not a valid WebVTT transcript" in reasons["not-a-transcript.vtt"]
    assert "not a kind of file kg reads" in reasons["slides.pdf"]
    assert "--exclude" in reasons["sub/photo.png"]
    assert result.read == ["2024-03-04-sync.vtt"]


def test_include_and_exclude_globs(tmp_path):
    notes = tmp_path / "n"
    for name in ("a.md", "b.vtt", "drafts/c.md", "drafts/d.vtt", "e.pdf"):
        (notes / name).parent.mkdir(parents=True, exist_ok=True)
        (notes / name).write_text("x")

    def sources(include=(), exclude=()):
        found = scan([notes], include, exclude)
        return [f.source for f in found.files], [s.source for s in found.skipped]

    assert sources(include=("*.vtt",)) == (["b.vtt", "drafts/d.vtt"], [])
    assert sources(exclude=("drafts/*", "*.pdf")) == (["a.md", "b.vtt"], [])
    assert sources(include=("drafts/*",), exclude=("*.vtt",)) == (["drafts/c.md"], [])
    assert sources() == (["a.md", "b.vtt", "drafts/c.md", "drafts/d.vtt"], ["e.pdf"])


def test_build_cli_takes_include_and_exclude(tmp_path):
    notes = tmp_path / "n"
    notes.mkdir()
    (notes / "2024-03-04-sync.vtt").write_text(VTT, encoding="utf-8")
    (notes / "2024-03-05-call.srt").write_text(SRT, encoding="utf-8")
    res = CliRunner().invoke(main, ["build", str(notes), "--out", str(tmp_path / "o"),
                                    "--exclude", "*.srt", "--format", "json", "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert '"files_read": 1' in res.output and "Ana Lobo" not in res.output
    res = CliRunner().invoke(main, ["build", str(notes), "--out", str(tmp_path / "o"),
                                    "--include", "*.pdf"])
    assert res.exit_code == 2 and "no readable notes" in res.output


def test_kg_open_opens_the_page_with_the_browser_the_user_chose(tmp_path):
    page = tmp_path / "graph.html"
    page.write_text("<html></html>")
    seen = tmp_path / "seen.txt"
    browser = tmp_path / "browser.py"
    browser.write_text(f"import sys; open({str(seen)!r}, 'w').write(sys.argv[1])\n")
    env = {**os.environ, "BROWSER": f"{sys.executable} {browser} %s"}
    kg = [sys.executable, "-m", "kg.cli"]
    done = subprocess.run(kg + ["open", str(page)], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert seen.read_text() == page.resolve().as_uri()
    missing = subprocess.run(kg + ["open", str(tmp_path / "none.html")], env=env,
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "no such page" in missing.stderr


@pytest.mark.parametrize("platform, command", [("darwin", "open"), ("linux", "xdg-open"),
                                               ("win32", 'start ""')])
def test_build_says_how_to_open_the_page_on_each_platform(monkeypatch, platform, command):
    from pathlib import Path

    from kg import cli_open
    monkeypatch.setattr(cli_open.sys, "platform", platform)
    assert cli_open.open_command(Path("kg-out/graph.html")) == f"{command} kg-out/graph.html"


def test_a_build_into_the_notes_folder_does_not_read_its_own_page(tmp_path):
    notes = tmp_path / "n"
    notes.mkdir()
    (notes / "2024-03-04-sync.vtt").write_text(VTT, encoding="utf-8")
    build([notes], notes / "kg-out", BuildOptions(workers=1, html=True))
    assert (notes / "kg-out" / "graph.html").exists()
    again = build([notes], notes / "kg-out", BuildOptions(workers=1, html=True))
    assert again.read == ["2024-03-04-sync.vtt"]
    assert not [s.source for s in again.skipped if s.source.startswith("kg-out")]
