"""Measuring pipelines on a module through the plugin itself (its list mode).

``LLMC_PIPELINES=list.txt LLMC_LOG=log.jsonl clang-19 -Oz -fpass-plugin=libllmc.so``
runs each listed pipeline in a child, verifies and measures it exactly as a build
would, and logs one line; :func:`plugin_evaluator` turns that into a
:class:`Batch`. Search, table and evaluation all measure this way.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pybridge import decisionlog, options, toolchain

BASELINE = "default<Oz>"
OK = "ok"
CANDIDATES_FILE = toolchain.DATA_DIR / "candidates.json"  # the committed table


def table_of(candidates: Path) -> list[str]:
    """The pipelines of a candidates.json (``llmc table``'s output), in table order."""
    return [c["pipeline"] for c in json.loads(candidates.read_text())["candidates"]]


def allowed_entries(candidates: Path) -> list[str]:
    """The entries of a table the allow-list accepts, in order: what the plugin tries
    (a denied entry, such as one with gvn-sink, is never run at build time)."""
    from pybridge import allowlist

    return [p for p in table_of(candidates) if allowlist.check(p) is None]


@dataclass
class Evaluation:
    pipeline: str
    status: str
    size: int | None
    reason: str = ""


@dataclass
class Batch:
    """What one clang run through the plugin says about one module."""

    baseline: int | None
    results: list[Evaluation] = field(default_factory=list)
    error: str = ""


Evaluator = Callable[[str, Sequence[str]], Batch]


def parse_log(line: str, pipelines: Sequence[str]) -> Batch:
    """Turn the plugin's JSON log line into a :class:`Batch` in ``pipelines`` order."""
    record = decisionlog.parse(line)
    got = record.candidates
    results: list[Evaluation] = []
    for i, pipeline in enumerate(pipelines):
        # Match by position: the plugin runs the list in order, and may print a
        # normalised spelling of the pipeline.
        c = (
            got[i]
            if i < len(got)
            else decisionlog.Candidate("", "failed", None, "missing from log")
        )
        results.append(Evaluation(pipeline, c.status, c.size, c.reason[:200]))
    return Batch(record.baseline_size, results)


def plugin_missing() -> str:
    """Why no plugin run can work here ("" when the plugin is where runs look for it)."""
    path = toolchain.plugin_path()
    return "" if path.is_file() else f"no plugin at {path} (set LLMC_PLUGIN)"


def plugin_env(**values: object) -> dict[str, str]:
    """The environment for one plugin run: these options (by Options.def ID) only,
    and every module searched, however small."""
    return options.plugin_env(**{"MinInstructions": 0, **values})


def run_plugin(
    bitcode: str, env: dict[str, str], *, timeout: float, log: Path, codegen: Sequence[str] = ()
) -> tuple[str | None, str]:
    """Compile ``bitcode`` with clang -Oz and the plugin; return (last log line, error).

    ``codegen``: the target's code-generation flags (:mod:`pybridge.targets`); clang
    replaces a bitcode module's triple with its own, so another target needs them.
    """
    plugin = toolchain.plugin_path()
    cmd = [
        toolchain.tool("clang"),
        *codegen,
        "-Oz",
        f"-fpass-plugin={plugin}",
        "-c",
        bitcode,
        "-o",
        os.devnull,
    ]
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"timeout after {timeout:.0f}s: {' '.join(cmd)}"
    lines = log.read_text().splitlines() if log.exists() else []
    if lines:
        return lines[-1], ""
    lines = proc.stderr.strip().splitlines()
    first = next((x for x in lines if "error" in x), lines[-1] if lines else "")
    return None, f"exit {proc.returncode}, no log line: {' '.join(cmd)}: {first}"[:400]


def plugin_evaluator(timeout: int = 60, codegen: Sequence[str] = ()) -> Evaluator:
    """Evaluate a list of pipelines on one module with the plugin's list mode.

    ``codegen``: the module's target's code-generation flags (none: the host).
    """

    def evaluate(bitcode: str, pipelines: Sequence[str]) -> Batch:
        with tempfile.TemporaryDirectory(prefix="llmc-search-") as tmp:
            listing, log = Path(tmp) / "list.txt", Path(tmp) / "log.jsonl"
            listing.write_text("".join(p + "\n" for p in pipelines))
            env = plugin_env(Pipelines=listing, Log=log, Timeout=timeout)
            # Bound the whole process too: every candidate can use its timeout,
            # plus the baseline and the final compile.
            limit = timeout * (len(pipelines) + 3) + 60
            line, error = run_plugin(bitcode, env, timeout=limit, log=log, codegen=codegen)
            if line is None and not error.startswith("timeout"):
                time.sleep(2)  # once: a plugin being rebuilt under us fails exactly so
                line, error = run_plugin(bitcode, env, timeout=limit, log=log, codegen=codegen)
        if line is None:
            return Batch(None, [Evaluation(p, "failed", None, error) for p in pipelines], error)
        return parse_log(line, pipelines)

    return evaluate
