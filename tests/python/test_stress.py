"""``llmc stress``: llvm-stress modules through the plugin, with the model and with
forced table entries: exit 0, no crash report, output that verifies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pybridge.tools import stress
from pybridge.tools.difftest import table_entries

SUMMARY = Path(__file__).resolve().parents[1] / "bench" / "results" / "stress" / "summary.json"


def test_five_seeds_three_entries(tmp_path: Path) -> None:
    entries = table_entries("")[:3]
    report = stress.run(range(1, 6), [100], 3, tmp_path, entries=entries, jobs=2)
    assert report.modules == 5
    assert report.failures == [], report.failures
    summary = report.summary([100], list(range(1, 6)))
    assert summary["model_runs"] == 5
    assert summary["forced_trials"] == 15 and summary["forced_entries"] == 3
    assert summary["ok"] + len(report.of("not-applied")) == 20


def test_a_crash_and_invalid_output_are_failures(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def fake_run_plugin(source: Path, out: Path, env: dict, log: Path, timeout: float) -> str:
        forced = Path(env["LLMC_PIPELINES"]).read_text().strip() if "LLMC_FORCE" in env else ""
        if forced == "crash":
            return "exit -11: Stack dump:"
        out.write_bytes(source.read_bytes())
        # A decision record as DecisionLog.cpp writes it.
        record: dict = {
            "module": "in.bc", "tool": "opt", "level": "Oz", "metric": "object",
            "source": "list" if forced else "model", "model": "", "ranker": "",
            "baseline": {"pipeline": "default<Oz>", "size": 10}, "candidates": [],
            "winner": forced or "default<Oz>", "winner_size": 10, "fallback": "",
            "notes": [], "us": {"rank": 0, "trials": 0, "total": 0},
        }  # fmt: skip
        if forced == "contained":  # its trial crashed in the child: -Oz was kept
            trial = {"pipeline": forced, "status": "crashed", "size": None, "reason": "signal 11"}
            record |= {"winner": "default<Oz>", "candidates": [trial], "fallback": "no winner"}
        log.write_text(json.dumps(record) + "\n")
        return ""

    monkeypatch.setattr(stress, "run_plugin", fake_run_plugin)
    monkeypatch.setattr(stress, "verify", lambda path: "")
    entries = ["crash", "contained", "function(sroa)"]
    report = stress.run([1], [20], 3, tmp_path, entries=entries)
    statuses = {o.variant: o.status for o in report.outcomes}
    assert statuses == {
        "model": "ok",
        "crash": "FAILED",
        "contained": "not-applied",
        "function(sroa)": "ok",
    }
    assert report.summary([20], [1])["not_applied"] == {"crashed": 1}

    monkeypatch.setattr(stress, "verify", lambda path: "Instruction does not dominate all uses!")
    report = stress.run([2], [20], 1, tmp_path, entries=["function(sroa)"])
    assert {o.status for o in report.outcomes} == {"INVALID"}


def test_committed_full_run_found_no_failure() -> None:
    summary = json.loads(SUMMARY.read_text())
    assert summary["modules"] >= 300 and len(summary["sizes"]) >= 3
    assert summary["forced_entries"] == len(table_entries(""))
    assert summary["crashes_or_rc"] == 0 and summary["verifier_failures"] == 0
    assert summary["failures"] == []


@pytest.mark.slow
def test_full_stress_run(tmp_path: Path) -> None:
    seeds = range(1, 101)
    report = stress.run(seeds, [100, 500, 2000], 6, tmp_path, jobs=2)
    assert report.failures == [], report.failures[:5]
