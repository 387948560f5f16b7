"""The plugin's options, as ``plugin/Options.def`` defines them: read, never retyped.

``Options.def`` is the one definition (an X-macro table the plugin compiles). The
build installs it beside the package data, and this module parses it, so Python
names a plugin option by its ID: ``env("Log")`` is ``"LLMC_LOG"`` and a misspelt
ID raises ``KeyError`` where a misspelt variable would be silently ignored by the
plugin. ``plugin_env`` builds the environment of a compiler process that runs the
plugin. ``tests/python/test_options.py`` checks that every ``LLMC_*`` name in the
Python tree is an option here or one of ``PYBRIDGE_VARIABLES``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

# Variables of pybridge's own, not options of the plugin.
PYBRIDGE_VARIABLES = {
    "LLMC_PLUGIN": "libllmc.so to use instead of the installed one (development trees)",
    "LLMC_DATA_DIR": "where training work files go",
    "LLMC_PYTHONPATH": "directories the plugin's embedded Python imports first",
}

_INSTALLED = Path(__file__).resolve().parent / "data" / "Options.def"
_SOURCE = Path(__file__).resolve().parents[1] / "plugin" / "Options.def"
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


@dataclass(frozen=True)
class Option:
    kind: str  # string, unsigned or bool
    id: str  # the C++ member, e.g. MinInstructions
    flag: str  # the cl::opt, e.g. llmc-min-instructions
    env: str  # the variable, e.g. LLMC_MIN_INSTRUCTIONS
    default: str | int | bool
    doc: str


def definition_file() -> Path:
    """Options.def as installed with the package, else in the source tree."""
    return _INSTALLED if _INSTALLED.is_file() else _SOURCE


def _split_args(body: str) -> list[str]:
    """Top-level comma-separated arguments of one macro call (strings may hold commas)."""
    args, depth, start, i = [], 0, 0, 0
    while i < len(body):
        char = body[i]
        if char == '"':
            i = _STRING.match(body, i).end()  # type: ignore[union-attr]
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            args.append(body[start:i].strip())
            start = i + 1
        i += 1
    args.append(body[start:].strip())
    return args


def _default(kind: str, text: str) -> str | int | bool:
    if kind == "string":
        return "".join(_STRING.findall(text))
    if kind == "bool":
        return text == "true"
    return int(text)


def parse(text: str) -> dict[str, Option]:
    """``LLMC_OPTION(KIND, ID, NAME, ENV, DEFAULT, DESCRIPTION)`` rows, by ID, in order."""
    found: dict[str, Option] = {}
    for match in re.finditer(r"^LLMC_OPTION\(", text, re.M):
        depth, end = 1, match.end()
        while depth:
            if text[end] == '"':
                end = _STRING.match(text, end).end()  # type: ignore[union-attr]
                continue
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            end += 1
        args = _split_args(text[match.end() : end - 1])
        if len(args) != 6:
            raise ValueError(f"Options.def: bad row {text[match.start() : end]!r}")
        kind, ident, flag, env, default, doc = args
        found[ident] = Option(
            kind,
            ident,
            "".join(_STRING.findall(flag)),
            "".join(_STRING.findall(env)),
            _default(kind, default),
            "".join(_STRING.findall(doc)),
        )
    return found


@cache
def load() -> dict[str, Option]:
    """The options of the installed plugin (read once per process)."""
    return parse(definition_file().read_text())


def env(option_id: str) -> str:
    """The environment variable of an option, by its Options.def ID."""
    return load()[option_id].env


def default(option_id: str) -> str | int | bool:
    return load()[option_id].default


def plugin_env(base: Mapping[str, str] | None = None, /, **values: object) -> dict[str, str]:
    """The environment of a compiler process running the plugin.

    ``base`` (default: this process's environment) without any option variable,
    so nothing leaks in from outside, plus ``values`` by option ID
    (``plugin_env(Log=path, Candidates=4)``); bools become 1/0.
    """
    source = os.environ if base is None else base
    variables = {o.env for o in load().values()}
    out = {k: v for k, v in source.items() if k not in variables}
    for option_id, value in values.items():
        out[env(option_id)] = str(int(value)) if isinstance(value, bool) else str(value)
    return out
