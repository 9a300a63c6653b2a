from kg.extract.layout import clean_inline, parse


def kinds(text):
    return [(ln.kind, ln.text) for ln in parse(text).lines if ln.kind != "blank"]


def test_front_matter_lists_and_scalars():
    layout = parse("---\ntitle: Sync\nattendees: [Ann Lee, \"Bo Chen\"]\ntags:\n  - a\n---\n# X\n")
    assert layout.front_matter == {"title": "Sync", "attendees": ["Ann Lee", "Bo Chen"],
                                   "tags": ["a"]}
    assert layout.lines[6].kind == "heading"


def test_headings_labels_and_sections():
    layout = parse("# Title\n\nAction items:\n* Ann - do it\n")
    lines = layout.lines
    assert lines[0].kind == "heading" and lines[0].text == "Title"
    assert lines[2].kind == "label" and lines[2].key == "Action items"
    assert lines[3].kind == "bullet" and layout.section(lines[3]).key == "Action items"
    assert lines[3].parents == (1, 3)


def test_speaker_shapes():
    text = ("**Lisa Park:** hello\n[00:01] David Kim: hi\nHannah Okafor (00:00:05): yes\n"
            "Emily: short\n")
    layout = parse(text)
    # Timestamps make a speaker; a bare "Name:" label is decided by the note extractor,
    # which knows whether the label is a person or a field like "Date:".
    assert [ln.stamped for ln in layout.lines[1:3]] == ["David Kim", "Hannah Okafor"]
    assert (layout.lines[0].key, layout.lines[0].value) == ("Lisa Park", "hello")
    assert layout.lines[3].key == "Emily" and layout.lines[3].value == "short"


def test_checkboxes():
    layout = parse("- [ ] open one\n- [x] done one\n")
    assert [ln.checkbox for ln in layout.lines[:2]] == ["open", "done"]
    assert layout.lines[1].text == "done one"


def test_table_rows_read_by_header():
    layout = parse("| Item | Owner | Due |\n|---|---|---|\n| Fix it | Ann Lee | Oct 3 |\n")
    (table,) = layout.tables
    assert dict(table.rows[0].cells) == {"Item": "Fix it", "Owner": "Ann Lee", "Due": "Oct 3"}


def test_broken_table_without_separator_and_short_rows():
    layout = parse("| Item | Owner | Due |\n| Fix it | Ann Lee |\n")
    (table,) = layout.tables
    assert dict(table.rows[0].cells) == {"Item": "Fix it", "Owner": "Ann Lee", "Due": ""}


def test_code_blocks_are_not_read():
    layout = parse("```\nAnn Lee: not a speaker\n```\n")
    assert layout.lines[1].kind == "code"


def test_clean_inline_drops_markup():
    text = "**Bold** and *it* and [link](http://x) `code`"
    assert clean_inline(text) == "Bold and it and link code"
