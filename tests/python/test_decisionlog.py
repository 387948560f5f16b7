"""The decision log as the plugin writes it, read into typed records in one place."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from pybridge import decisionlog, options, toolchain

LOOPS = Path(__file__).resolve().parents[1] / "lit" / "Inputs" / "loops.c"


def test_a_real_line_reads_completely(tmp_path: Path) -> None:
    """Every field the plugin writes is read, and nothing it writes is left over."""
    log = tmp_path / "log.jsonl"
    env = options.plugin_env(Log=log, Server="off", CacheDir="off", MinInstructions=0)
    subprocess.run(
        [toolchain.tool("clang"), "-Oz", f"-fpass-plugin={toolchain.plugin_path()}", "-c",
         str(LOOPS), "-o", str(tmp_path / "loops.o")],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    (record,) = decisionlog.read(log)
    assert record.tool == "clang" and record.level == "Oz" and record.source == "model"
    assert record.baseline_pipeline == "default<Oz>" and record.baseline_size
    assert record.candidates and all(c.status in decisionlog.STATUSES for c in record.candidates)
    assert set(record.micros) == {"rank", "trials", "total"}
    raw = json.loads(log.read_text())
    assert set(raw) == {
        "module", "tool", "level", "metric", "source", "model", "ranker", "baseline",
        "candidates", "winner", "winner_size", "fallback", "notes", "us",
    }  # fmt: skip
    assert record.won == (record.winner != "default<Oz>")


@pytest.mark.parametrize(
    "line",
    ["", "not json", "[]", '{"module": "m"}', '{"baseline": {"size": "big"}}'],
)
def test_anything_else_is_a_format_error(line: str) -> None:
    with pytest.raises(decisionlog.LogFormatError):
        decisionlog.parse(line)


def test_no_log_is_no_records(tmp_path: Path) -> None:
    assert decisionlog.read(tmp_path / "missing.jsonl") == []
