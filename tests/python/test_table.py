"""Tests of ``llmc table``: greedy coverage, stable ids, and a whole run on tiny modules."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from test_search import corpus, standin_evaluator  # noqa: F401 - corpus is a fixture

from pybridge.training import search as S
from pybridge.training import table as T
from pybridge.training import vocabulary as V


def test_greedy_cover_picks_complementary_pipelines() -> None:
    # p0 is good on module 0, p1 on module 1, p2 a little on both: p0 + p1 covers best.
    ratios = [[0.5, 1.0, 0.8], [1.0, 0.6, 0.8], [1.0, 1.0, 1.2]]
    chosen, objective = T.greedy_cover(ratios, 3)
    assert chosen == [0, 1]  # p2 adds nothing once p0 and p1 are in
    assert objective == pytest.approx([2.5, 2.1])


def test_assign_ids_are_stable(tmp_path: Path) -> None:
    previous = tmp_path / "candidates.json"
    previous.write_text(
        json.dumps(
            {
                "candidates": [{"id": 0, "pipeline": "a"}, {"id": 1, "pipeline": "b"}],
                "retired": [{"id": 2, "pipeline": "c"}],
            }
        )
    )
    got = T.assign_ids(["b", "d", "c"], previous)
    assert got == [
        {"id": 1, "pipeline": "b"},
        {"id": 3, "pipeline": "d"},
        {"id": 2, "pipeline": "c"},
    ]


def test_table_run(corpus, tmp_path: Path) -> None:  # noqa: F811 - the fixture
    modules, manifest, split = corpus
    results = tmp_path / "results"
    evaluate = standin_evaluator(tmp_path / "w")
    vocab = [t for t, _ in V.TOKENS]
    for spec in S.load_modules(modules, manifest, split_file=split, splits=["train"]):
        record = S.search_module(spec, S.SearchConfig(budget=8, batch=8, seed=1), evaluate, vocab)
        S.write_json_atomic(S.checkpoint_path(results, spec), record)
    parser = argparse.ArgumentParser()
    T.configure(parser)
    args = parser.parse_args(
        [
            "--results",
            str(results),
            "--corpus",
            str(modules),
            "--manifest",
            str(manifest),
            "--split-file",
            str(split),
            "--size",
            "4",
            "--candidates",
            str(tmp_path / "candidates.json"),
            "--dataset",
            str(tmp_path / "dataset"),
        ]
    )
    assert T.main(args, evaluate=evaluate) == 0
    candidates = json.loads((tmp_path / "candidates.json").read_text())["candidates"]
    assert 1 <= len(candidates) <= 4
    assert [c["id"] for c in candidates] == list(range(len(candidates)))
    rows = T.load_labels(tmp_path / "dataset" / "labels.parquet")
    assert {r["project"] for r in rows} == {"alpha", "beta", "gamma"}  # gamma: test, unsearched
    for r in rows:
        assert len(r["sizes"]) == len(candidates)
        assert all(s is None or s > 0 for s in r["sizes"])
    report = json.loads((results / "table_report.json").read_text())
    kept = report["by_split"]["train"]["share_of_search_gain_kept"]
    assert kept is None or 0 <= kept <= 1.0 + 1e-9
