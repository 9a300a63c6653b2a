"""The alias file is checked before use: a mistake is one line naming the file and key, exit 2."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import write_notes
from kg.cli import main

NOTE = {"2024-01-01-a.md": "# A\nDate: 2024-01-01\nAttendees: Katherine Moss, Emily Watson\n"}


def _build_with(tmp_path, aliases: str):
    notes = write_notes(tmp_path / "notes", NOTE)
    (notes / "kg-aliases.toml").write_text(aliases, encoding="utf-8")
    return CliRunner().invoke(main, ["build", str(notes), "--out", str(tmp_path / "out"),
                                     "--no-html"])


@pytest.mark.parametrize("aliases, key, problem", [
    ('[people]\n"Katherine Moss" = "Kate M"\n', '[people] "Katherine Moss"',
     'must be a list of names, e.g. ["Kate M"]'),
    ('[people]\n"Katherine Moss" = [1, 2]\n', '[people] "Katherine Moss"', "list of names"),
    ('[people]\n"" = ["Kate M"]\n', '[people] ""', "empty name"),
    ('[people]\n"Katherine Moss" = ["Kate M", " "]\n', '[people] "Katherine Moss"',
     "lists an empty name"),
    ('people = "Katherine Moss"\n', "[people]", "must be a table"),
    ('[people.Katherine.Moss]\nx = ["Kate"]\n', '[people] "Katherine"', "list of names"),
    ("[entities]\nGlobalBank = 7\n", '[entities] "GlobalBank"', "unknown label a int"),
    ('[entities]\nGlobalBank = "Bank"\n', '[entities] "GlobalBank"', "unknown label 'Bank'"),
    ('[peopel]\n"Katherine Moss" = ["Kate"]\n', "peopel", "is not a table kg knows"),
    ('[people]\n"Katherine Moss" = ["Kate M"]\n"Kate Moss" = ["kate m"]\n',
     '[people] "Kate Moss"', 'also gives to "Katherine Moss"'),
    ('[people]\n"Katherine Moss" = ["Kate"]\n"Katherine moss" = ["KM"]\n',
     '[people] "Katherine moss"', "listed twice"),
    ('[people]\n"Katherine Moss" = ["Emily Watson"]\n"Emily Watson" = ["Em"]\n',
     '[people] "Katherine Moss"', "another person in [people]"),
    ('[people]\n"Emily Watson" = ["Emily"]\n[never]\nEmily = ["Emily Watson"]\n',
     '[never] "Emily"', "forces that merge"),
    ("x = " + "[" * 5000 + "]" * 5000 + "\n", "", "nested too deeply"),
])
def test_a_bad_alias_file_is_one_line_naming_file_and_key(tmp_path, aliases, key, problem):
    result = _build_with(tmp_path, aliases)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("Error: ") and "kg-aliases.toml: " in lines[0]
    assert key in lines[0] and problem in lines[0]
    assert not (tmp_path / "out" / "graph.json").exists()


def test_a_good_alias_file_still_builds(tmp_path):
    result = _build_with(tmp_path, '[people]\n"Katherine Moss" = ["Kate M", "@kmoss"]\n'
                                   '[never]\nEmily = ["Emily Watson"]\n'
                                   '[entities]\nUmbrella = "Customer"\n')
    assert result.exit_code == 0, result.output


def test_aliases_still_importable_from_resolve():
    from kg.aliases import Aliases
    from kg.resolve import Aliases as FromResolve
    assert FromResolve is Aliases
