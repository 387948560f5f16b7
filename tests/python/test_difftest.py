"""``llmc difftest``: real csmith programs through the plugin, and the verdicts
(mismatch, slow, skipped, coverage of forced table entries) on scripted runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from pybridge.tools import difftest


def test_real_programs_agree_with_oz(tmp_path: Path) -> None:
    report = difftest.run(2, 2, 1, "", 10.0, tmp_path, jobs=2)
    assert report.programs + len(report.of("skipped")) == 2
    assert report.programs >= 1, report.outcomes
    assert report.mismatches == []
    assert report.builds == 3 * report.programs  # the model's pick and 2 forced entries
    forced = report.forced_counts()
    entries = difftest.table_entries("")
    assert set(forced) <= set(entries)
    assert sum(forced.values()) + len(report.of("slow")) >= 2 * report.programs - 1


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch) -> dict[str, difftest.Run]:
    """build_and_run without compilers: -Oz prints 'checksum = 1'; llmc builds
    print what ``by_pipeline`` says for their forced pipeline (default: the same)."""
    by_pipeline: dict[str, difftest.Run] = {}

    def fake_build_and_run(source, exe, env, plugin, timeout):
        if not plugin:
            return difftest.Run("ok", "checksum = 1", 0.1)
        forced = Path(env["LLMC_PIPELINES"]).read_text().strip() if "LLMC_FORCE" in env else ""
        return by_pipeline.get(forced, difftest.Run("ok", "checksum = 1", 0.1))

    monkeypatch.setattr(difftest, "generate", lambda seed, out: out.write_text("int main;\n"))
    monkeypatch.setattr(difftest, "build_and_run", fake_build_and_run)
    return by_pipeline


def test_every_table_entry_is_forced(scripted: dict, tmp_path: Path) -> None:
    entries = difftest.table_entries("")
    programs = -(-len(entries) // 4)  # 4 forced per program
    report = difftest.run(programs, 4, 1, "", 5.0, tmp_path, jobs=2)
    assert set(report.forced_counts()) == set(entries)
    assert report.mismatches == []


def test_wrong_output_is_a_mismatch_and_a_timeout_is_slow(scripted: dict, tmp_path: Path) -> None:
    entries = difftest.table_entries("")
    scripted[entries[0]] = difftest.Run("ok", "checksum = 2", 0.1)
    scripted[entries[1]] = difftest.Run("run-failed", "timeout", 5.0)
    scripted[entries[2]] = difftest.Run("build-failed", "error: boom")
    report = difftest.run(1, 3, 7, "", 5.0, tmp_path)
    verdicts = {o.variant: o.status for o in report.outcomes}
    assert verdicts == {
        "model": "same",
        entries[0]: "MISMATCH",
        entries[1]: "slow",
        entries[2]: "MISMATCH",
    }
    assert "'checksum = 2' != 'checksum = 1'" in report.mismatches[0].detail


def test_a_slow_reference_is_skipped(scripted: dict, tmp_path: Path, monkeypatch) -> None:
    real = difftest.build_and_run

    def slow_reference(source, exe, env, plugin, timeout):
        return (
            difftest.Run("run-failed", "timeout", timeout)
            if not plugin
            else real(source, exe, env, plugin, timeout)
        )

    monkeypatch.setattr(difftest, "build_and_run", slow_reference)
    report = difftest.run(1, 2, 3, "", 5.0, tmp_path)
    assert report.programs == 0 and report.builds == 0
    assert [o.status for o in report.outcomes] == ["skipped"]
