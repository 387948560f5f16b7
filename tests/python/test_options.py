"""plugin/Options.def is the one definition of llmc's options; the README's table follows it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OPTION = re.compile(
    r'LLMC_OPTION\(\s*(\w+),\s*(\w+),\s*"([\w-]+)",\s*"(\w+)",\s*("[^"]*"|\w+),', re.S
)


def options() -> list[tuple[str, str, str, str]]:
    """(kind, flag, variable, default) of every option, in Options.def's order."""
    text = (ROOT / "plugin" / "Options.def").read_text()
    found = [(k, f, v, d.strip('"')) for k, _, f, v, d in OPTION.findall(text)]
    assert len(found) == text.count("\nLLMC_OPTION("), "an option the pattern missed"
    return found


def readme_rows() -> dict[str, tuple[str, str]]:
    """variable -> (flag cell, default cell) of the README's option table."""
    rows = {}
    for line in (ROOT / "README.md").read_text().splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        if len(cells) >= 4 and re.fullmatch(r"`LLMC_\w+`", cells[1]):
            rows[cells[1].strip("`")] = (cells[0], cells[2])
    return rows


def test_readme_lists_every_option_once_with_its_default() -> None:
    rows = readme_rows()
    assert sorted(rows) == sorted(v for _, _, v, _ in options())
    for kind, flag, variable, default in options():
        flag_cell, default_cell = rows[variable]
        assert flag_cell.startswith(f"`-{flag}"), variable
        if kind == "unsigned":
            assert default_cell == default, variable
        elif kind == "bool":
            assert default_cell == ("on" if default == "true" else "off"), variable
        elif default:
            assert default in default_cell, variable


def test_variables_and_flags_are_named_alike() -> None:
    for _, flag, variable, _ in options():
        assert variable == flag.upper().replace("-", "_"), variable
