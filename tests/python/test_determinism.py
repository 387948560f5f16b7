"""``llmc determinism``: the screen tells a pass that depends on heap addresses from
one that does not, in seconds, and the committed deny-list holds every pass the
committed full report found varying."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pybridge import allowlist
from pybridge.training import determinism
from pybridge.training.determinism import CHURN, Case, Input, State, Trial

REPORT = Path(__file__).resolve().parents[1] / "bench" / "results" / "determinism" / "report.json"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Input:
    return determinism.synthetic_input(tmp_path_factory.mktemp("determinism"))


def test_screen_finds_gvn_sink_and_clears_sroa(synthetic: Input, tmp_path: Path) -> None:
    cases = [
        Case("prefix 0", CHURN, "prefix"),
        Case("gvn-sink", f"{CHURN},function(gvn-sink)", "pass", CHURN),
        Case("sroa", f"{CHURN},function(sroa)", "pass", CHURN),
    ]
    verdicts = {
        v.name: v for v in determinism.screen(cases, [synthetic], 4, jobs=2, workdir=tmp_path)
    }
    assert verdicts["gvn-sink"].nondeterministic, verdicts["gvn-sink"]
    assert verdicts["gvn-sink"].varying[0]["kind"] == "ir"
    assert not verdicts["sroa"].nondeterministic
    assert not verdicts["prefix 0"].nondeterministic
    (line,) = determinism.deny_lines(verdicts.values())
    assert line.startswith("gvn-sink  output depends on heap addresses (llmc determinism, ")
    assert line.endswith(" runs differ on synthetic-sink.c)")
    assert determinism.deny_lines(verdicts.values(), denied=["gvn-sink"]) == []


def test_a_fresh_module_hides_what_a_churned_heap_shows(synthetic: Input, tmp_path: Path) -> None:
    """Why the prefix exists: read straight from bitcode, IR sits in allocation order."""
    alone = determinism.run_trial("function(gvn-sink)", synthetic, 4, tmp_path)
    after = determinism.run_trial(f"{CHURN},function(gvn-sink)", synthetic, 4, tmp_path)
    assert alone.distinct == 1
    assert after.distinct > 1


def test_every_allowed_pass_is_screened_in_a_context_the_allow_list_accepts() -> None:
    al = allowlist.load()
    cases = determinism.pass_cases()
    assert {c.name for c in cases if c.kind == "pass"} == {
        n for n, levels in al.levels.items() if levels - {allowlist.ADAPTOR}
    }
    for case in cases:
        assert allowlist.check(case.pipeline) is None, case
        if case.prefix:
            assert case.pipeline.startswith(case.prefix + ",")
    pipelines = {c.pipeline for c in cases}
    assert "function(loop-mssa(licm))" in pipelines
    assert {"function(loop(loop-rotate))", "function(loop-mssa(loop-rotate))"} <= pipelines
    assert "function(instcombine<no-verify-fixpoint>)" in pipelines
    assert {f"default<{level}>" for level in determinism.DEFAULT_LEVELS} <= pipelines
    assert "cgscc(inline)" in pipelines


def _trial(pipeline: str, digests: list[str]) -> Trial:
    return Trial(pipeline, "m", len(digests), digests, "ir" if len(set(digests)) > 1 else "")


def test_a_pass_after_a_varying_prefix_is_not_blamed(tmp_path: Path) -> None:
    source = Input("m", tmp_path / "m.bc", "sha")
    state = State(tmp_path / "state.jsonl")
    state.put(source, 4, _trial("P", ["a", "a", "b", "a"]))
    state.put(source, 4, _trial("P,function(x)", ["c", "d", "c", "c"]))
    cases = [Case("prefix 0", "P", "prefix"), Case("x", "P,function(x)", "pass", "P")]
    verdicts = {v.name: v for v in determinism.verdicts(cases, [source], 4, state)}
    assert verdicts["prefix 0"].nondeterministic
    assert not verdicts["x"].nondeterministic and verdicts["x"].unattributed == 1


def test_state_resumes_and_shorter_screens_reuse_longer_trials(tmp_path: Path) -> None:
    source = Input("m", tmp_path / "m.bc", "sha")
    State(tmp_path / "state.jsonl").put(source, 8, _trial("p", ["a"] * 7 + ["b"]))
    again = State(tmp_path / "state.jsonl")
    assert again.get("p", source, 8).differing == 1  # type: ignore[union-attr]
    shorter = again.get("p", source, 6)
    assert shorter is not None and shorter.distinct == 1 and shorter.kind == ""
    assert again.get("p", source, 9) is None


def test_bisect_finds_the_element_that_varies(monkeypatch: pytest.MonkeyPatch) -> None:
    """An interaction: gvn-sink varies only after gvn (as in table entry 35)."""

    def varies(pipeline: str, source: Input, runs: int, workdir: Path) -> bool:
        gvn = re.search(r"[(,]gvn[),]", pipeline)
        return gvn is not None and gvn.start() < pipeline.find("gvn-sink")

    monkeypatch.setattr(determinism, "varies", varies)
    entry = (
        "function(mergeicmps,gvn,early-cse),ipsccp,function(gvn-sink,early-cse<memssa>),"
        "cgscc(argpromotion),iroutliner"
    )
    source = Input("m", Path("m.bc"), "sha")
    assert determinism.bisect(entry, source) == "function(gvn),function(gvn-sink)"


def test_explain_names_the_varying_passes_of_an_entry() -> None:
    cases = [
        Case("candidate 1", "function(gvn,gvn-sink)", "candidate"),
        Case("candidate 2", "function(sroa)", "candidate"),
    ]
    got = determinism.explain([], cases, denied=["gvn-sink"])
    assert got == {"candidate 1": ["gvn-sink"], "candidate 2": []}


def _report() -> dict:
    return json.loads(REPORT.read_text())


def test_deny_list_holds_every_pass_the_committed_report_found_varying() -> None:
    report = _report()
    al = allowlist.load()
    varying = set(report["nondeterministic_passes"])
    assert varying == {
        v["name"] for v in report["verdicts"] if v["kind"] == "pass" and v["nondeterministic"]
    }
    assert varying <= set(al.denied), varying - set(al.denied)
    assert not varying & set(al.levels)
    for name in varying:
        assert "heap addresses (llmc determinism" in al.denied[name]


def test_every_varying_entry_of_the_report_is_explained() -> None:
    """Each varying table entry names a denied pass, so the plugin rejects it."""
    al = allowlist.load()
    for v in _report()["verdicts"]:
        if v["kind"] == "candidate" and v["nondeterministic"]:
            (pipeline,) = v["pipelines"]
            assert allowlist.check(pipeline) is not None, v["name"]
            assert determinism.pass_names(pipeline) & set(al.denied), v["name"]


def test_report_covers_the_whole_allow_list_as_it_was() -> None:
    report = _report()
    screened = {v["name"] for v in report["verdicts"] if v["kind"] == "pass"}
    al = allowlist.load()
    allowed = {n for n, levels in al.levels.items() if levels - {allowlist.ADAPTOR}}
    assert allowed <= screened
    assert report["runs_per_case"] >= 6
    assert len(report["inputs"]) >= 5


@pytest.mark.slow
def test_full_screen_finds_nothing_outside_the_deny_list(tmp_path: Path) -> None:
    """The whole allow-list and table on the lit inputs, llvm-stress and the generated
    input (zlib's files need ``apt-get source``; the committed report has them)."""
    proc = subprocess.run(
        [
            sys.executable, "-m", "pybridge.tools.cli", "determinism", "--runs", "6", "-j", "2",
            "--workdir", str(tmp_path), "--out", str(tmp_path / "report.json"),
        ],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]


def test_only_names_table_entries_by_id_too() -> None:
    """``--only 54`` and ``--only "candidate 54"`` pick the same entry (the help says
    ids; only the name used to match, so ids selected nothing)."""
    cases = [
        Case("candidate 54", "function(sroa)", "candidate"),
        Case("candidate 55", "function(gvn)", "candidate"),
        Case("prefix 0", "function(gvn)", "prefix"),
        Case("licm", "function(gvn),function(loop-mssa(licm))", "pass", "function(gvn)"),
    ]
    assert determinism.select_cases(cases, ["54"]) == [cases[0]]
    assert determinism.select_cases(cases, ["candidate 54", "candidate 55"]) == cases[:2]
    assert determinism.select_cases(cases, ["licm"]) == [cases[2], cases[3]]
