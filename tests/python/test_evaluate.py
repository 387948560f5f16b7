"""Tests of ``llmc eval``: the arithmetic offline, one real run when the plugin is built."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from conftest import corpus_argv
from test_search import corpus  # noqa: F401 - a fixture

from pybridge import toolchain
from pybridge.training import evaluate as E


def test_methods_keep_oz_and_take_prefix_minimum() -> None:
    row = {
        "oz": 100,
        "plugin_baseline": 100,
        "model_sizes": [105, 90, None],
        "table_sizes": [99, None, 80],
        "plugin_object": 90,
    }
    m = E.methods(row, 3, search_best=70)
    assert (m["model_k1"], m["model_k2"], m["model_k3"]) == (100, 90, 90)
    assert (m["list_k1"], m["list_k2"], m["list_k3"]) == (99, 99, 80)
    assert m["oracle"] == 80 and m["search"] == 70 and m["plugin_object_k3"] == 90
    # The no-model list in another order than the table's.
    m = E.methods(row, 3, search_best=None, list_order=[2, 0, 1])
    assert (m["list_k1"], m["list_k2"], m["list_k3"]) == (80, 80, 80)
    assert "search" not in m


def test_summarize_geomean_and_shares() -> None:
    s = E.summarize([{"oz": 100, "x": 50}, {"oz": 100, "x": 200}, {"oz": 10, "x": 10}])["x"]
    assert s["geomean_change_pct"] == pytest.approx(0.0, abs=1e-9)
    assert s["total_change_pct"] == pytest.approx(100 * (260 / 210 - 1), abs=1e-3)
    assert (s["improved"], s["equal"], s["worse"]) == (pytest.approx(1 / 3, abs=1e-3),) * 3


@pytest.mark.skipif(not toolchain.plugin_path().is_file(), reason="libllmc.so not built")
def test_eval_run(corpus, tmp_path: Path) -> None:  # noqa: F811 - the fixture
    """Without a usable model the plugin keeps -Oz; the table pass still measures."""
    from distributed import Client

    modules, manifest, split = corpus
    candidates = tmp_path / "candidates.json"
    candidates.write_text(
        json.dumps(
            {
                "candidates": [
                    {"id": 0, "pipeline": "scc-oz-module-inliner"},
                    {
                        "id": 1,
                        "pipeline": "function(sroa<modify-cfg>,instcombine<no-verify-fixpoint>)",
                    },
                ]
            }
        )
    )
    parser = argparse.ArgumentParser()
    E.configure(parser)
    args = parser.parse_args(
        [
            *corpus_argv(modules, manifest, split),
            "--split",
            "test",
            "train",
            "--candidates",
            str(candidates),
            "--model",
            str(tmp_path / "missing.onnx"),
            "--k-max",
            "2",
            "--out",
            str(tmp_path / "out"),
            "--dataset",
            str(tmp_path / "dataset"),
        ]
    )
    with Client(
        processes=False, n_workers=1, threads_per_worker=1, dashboard_address=":0"
    ) as client:
        assert E.main(args, client=client) == 0
    report = json.loads((tmp_path / "out" / "eval.json").read_text())
    assert report["evaluated"] == 3, report["error_examples"]
    assert report["plugin_baseline_differs_from_plain_Oz"] == 0
    methods = report["methods"]
    assert methods["model_k2"]["worse"] == 0  # min with -Oz: never worse
    assert methods["oracle"]["geomean_change_pct"] <= methods["list_k1"]["geomean_change_pct"]
    assert (tmp_path / "out" / "reduction_vs_k.png").stat().st_size > 0
    assert (tmp_path / "out" / "ratios_hist.png").stat().st_size > 0


def test_refused_entries_take_no_place_among_the_k() -> None:
    from pybridge import decisionlog

    def cand(pipeline: str, status: str, size: int | None) -> decisionlog.Candidate:
        return decisionlog.Candidate(pipeline, status, size, "")

    record = decisionlog.Decision(
        module="m", tool="clang", level="Oz", metric="object", source="model", model="x",
        ranker="server", baseline_pipeline="default<Oz>", baseline_size=100,
        candidates=(cand("function(gvn-sink)", "rejected", None), cand("a", "ok", 90),
                    cand("b", "crashed", None), cand("c", "ok", 95)),
        winner="a", winner_size=90, fallback="",
    )  # fmt: skip
    assert E.model_trials(record) == (["a", "b", "c"], [90, None, 95])
    assert E.best_of(100, E.model_trials(record)[1], 1) == 90
