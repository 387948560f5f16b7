"""plugin/Options.def is the one definition of llmc's options: pybridge.options
reads it, the README's table follows it, and no Python file names a variable
that is not one of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pybridge import options

ROOT = Path(__file__).resolve().parents[2]


def test_every_row_is_read() -> None:
    text = (ROOT / "plugin" / "Options.def").read_text()
    parsed = options.parse(text)
    assert len(parsed) == text.count("\nLLMC_OPTION(") > 10
    assert parsed["MinInstructions"] == options.Option(
        "unsigned",
        "MinInstructions",
        "llmc-min-instructions",
        "LLMC_MIN_INSTRUCTIONS",
        64,
        "Modules with fewer IR instructions get -Oz without asking the model",
    )
    assert parsed["Strict"].default is False and parsed["Levels"].default == "Os,Oz"


def test_installed_copy_is_the_source() -> None:
    assert options.load() == options.parse((ROOT / "plugin" / "Options.def").read_text())


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
    assert sorted(rows) == sorted(o.env for o in options.load().values())
    for o in options.load().values():
        flag_cell, default_cell = rows[o.env]
        assert flag_cell.startswith(f"`-{o.flag}"), o.env
        if o.kind == "unsigned":
            assert default_cell == str(o.default), o.env
        elif o.kind == "bool":
            assert default_cell == ("on" if o.default else "off"), o.env
        elif o.default:
            assert str(o.default) in default_cell, o.env


def test_variables_and_flags_are_named_alike() -> None:
    for o in options.load().values():
        assert o.env == o.flag.upper().replace("-", "_"), o.env


def test_every_variable_python_names_exists() -> None:
    """A misspelt LLMC_* in Python would be silently ignored by the plugin."""
    known = {o.env for o in options.load().values()} | set(options.PYBRIDGE_VARIABLES)
    known.add("LLMC_OPTION")  # Options.def's macro
    files = [*(ROOT / "pybridge").rglob("*.py"), *(ROOT / "tests").rglob("*.py")]
    unknown = {
        (f.relative_to(ROOT).as_posix(), name)
        for f in files
        if "Output" not in f.parts
        for name in re.findall(r"\bLLMC_[A-Z][A-Z0-9_]*[A-Z0-9]\b", f.read_text())
        if name not in known
    }
    assert not unknown


def test_plugin_env_sets_by_id_and_drops_the_rest() -> None:
    base = {"PATH": "/bin", "LLMC_LOG": "/elsewhere", "LLMC_PLUGIN": "/p.so"}
    env = options.plugin_env(base, Candidates=2, Force=True)
    assert env == {
        "PATH": "/bin",
        "LLMC_PLUGIN": "/p.so",
        "LLMC_CANDIDATES": "2",
        "LLMC_FORCE": "1",
    }
    with pytest.raises(KeyError):
        options.plugin_env(base, Candiates=2)
