"""Tests of ``llmc train`` on a small synthetic dataset where features predict the winner."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pybridge import features
from pybridge.training import table as T
from pybridge.training import train as TR

TABLE = ["function(sroa<modify-cfg>)", "scc-oz-module-inliner", "function(gvn)"]


def write_dataset(root: Path, n: int = 90, target: str = "x86-64", flip: bool = False) -> None:
    """Modules whose first feature decides which entry wins (``flip``: the other way
    round, as another target's measurements might); a few failures."""
    rng = np.random.default_rng(0)
    f = len(features.FEATURE_NAMES)
    rows = []
    for i in range(n):
        x = rng.normal(size=f).astype(np.float32)
        base = 1000
        winner = 0 if x[0] < -0.4 else (1 if x[0] < 0.4 else 2)
        winner = 2 - winner if flip else winner
        sizes = [int(base * (0.9 if c == winner else 1.02)) for c in range(len(TABLE))]
        if i % 17 == 0:
            sizes[2] = None  # a failed candidate
        rows.append(
            {
                "project": f"p{i % 9}",
                "file": f"f{i}.c.bc",
                "sha256": "",
                "split": ("train", "train", "train", "train", "train", "valid", "test")[i % 7],
                "baseline_size": base,
                "search_best": None,
                "search_pipeline": None,
                "sizes": sizes,
                "features": x.tolist(),
                "feature_hash": features.FEATURE_HASH,
            }
        )
    T.save_labels(rows, TABLE, root / "dataset" / "labels.parquet", target)
    (root / "candidates.json").write_text(
        json.dumps({"candidates": [{"id": i, "pipeline": p} for i, p in enumerate(TABLE)]})
    )


def run(root: Path, *extra: str) -> int:
    parser = argparse.ArgumentParser()
    TR.configure(parser)
    args = parser.parse_args(
        [
            "--dataset",
            str(root / "dataset"),
            "--candidates",
            str(root / "candidates.json"),
            "--out",
            str(root / "model.onnx"),
            *extra,
        ]
    )
    return args.func(args)


@pytest.mark.parametrize(
    "family", ["proximity_extra_trees", "proximity_random_forest", "extra_trees"]
)
def test_train_exports_a_model_that_beats_the_list(tmp_path: Path, family: str) -> None:
    from pybridge.advisor import cover_order
    from pybridge.model import load_model

    write_dataset(tmp_path)
    assert run(tmp_path, "--families", family) == 0
    report = json.loads((tmp_path / "dataset" / "train_report.json").read_text())
    assert report["chosen"] == family
    chosen = report["families"][family]["valid"]
    # The features decide the winner: the model at k=1 beats the fixed list at k=1.
    assert chosen["1"] < report["valid"]["no_model"]["1"]
    assert report["export"]["max_abs_diff_valid"] < 1e-3
    model = load_model(tmp_path / "model.onnx")
    assert model.schema == ("1" if family == "extra_trees" else "2")
    assert list(model.candidates) == TABLE
    for first, winner in ((-2.0, 0), (0.0, 1), (2.0, 2)):
        x = np.zeros((1, len(features.FEATURE_NAMES)), dtype=np.float32)
        x[0, 0] = first
        weights, scenarios = model.beliefs(x)
        assert cover_order(weights[0], scenarios[0])[0] == winner


def test_model_names_the_target_its_labels_were_measured_on(tmp_path: Path) -> None:
    from pybridge.model import load_model

    write_dataset(tmp_path, target="rv32imc")
    assert T.label_target(tmp_path / "dataset" / "labels.parquet") == "rv32imc"
    assert run(tmp_path, "--families", "extra_trees") == 0
    assert load_model(tmp_path / "model.onnx").targets == ("rv32imc",)


def test_no_model_list_is_the_best_set_on_train() -> None:
    # Entry 2 is best alone on average, but entries 0 and 1 together cover both halves.
    R = np.array([[0.8, 1.0, 0.9]] * 5 + [[1.0, 0.8, 0.9]] * 5)
    order = TR.no_model_order(R, 3)
    assert order.shape == (3, 3)
    assert order[0].tolist() in ([0, 1, 2], [1, 0, 2])


def test_train_is_deterministic(tmp_path: Path) -> None:
    write_dataset(tmp_path)
    assert run(tmp_path, "--families", "extra_trees") == 0
    first = (tmp_path / "model.onnx").read_bytes()
    assert run(tmp_path, "--families", "extra_trees") == 0
    assert (tmp_path / "model.onnx").read_bytes() == first


def test_train_refuses_stale_features(tmp_path: Path) -> None:
    write_dataset(tmp_path)
    table = pq.read_table(tmp_path / "dataset" / "labels.parquet")
    rows = table.to_pylist()
    for r in rows:
        r["feature_hash"] = "stale"
    pq.write_table(
        pa.Table.from_pylist(rows, schema=table.schema), tmp_path / "dataset" / "labels.parquet"
    )
    with pytest.raises(SystemExit, match="rerun llmc table"):
        run(tmp_path)


def test_train_leaves_out_public_benchmark_code(tmp_path: Path, capsys) -> None:
    """Rows of a project whose code a benchmark suite carries are neither fitted on nor
    used to choose the model family, even in an older labels file."""
    write_dataset(tmp_path)
    path = tmp_path / "dataset" / "labels.parquet"
    table = pq.read_table(path)
    rows = table.to_pylist()
    for r in rows[::9]:
        r["project"] = "nettle"
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path)
    data = TR.load_dataset(path, tmp_path / "candidates.json")
    assert "nettle" not in set(data["project"])
    assert len(data["X"]) == len(rows) - len(rows[::9])
    assert "nettle left out (public benchmark code" in capsys.readouterr().err


def test_another_targets_labels_become_its_own_block_where_they_pay(tmp_path: Path) -> None:
    """cortex-m4's winners are x86-64's the other way round: its own measurements must
    decide its modules, and x86-64's modules stay decided as before."""
    from pybridge.model import load_model

    write_dataset(tmp_path)
    write_dataset(tmp_path / "cm4", target="cortex-m4", flip=True)
    family = "proximity_extra_trees"
    argv = ("--families", family, "--target-labels", str(tmp_path / "cm4" / "dataset"))
    assert run(tmp_path, *argv) == 0
    report = json.loads((tmp_path / "dataset" / "train_report.json").read_text())
    cm4 = report["families"][family]["targets"]["cortex-m4"]
    assert cm4["block_pays"] and cm4["own_block"]["1"] < cm4["first_block"]["1"] - 5
    assert report["targets"] == ["x86-64", "cortex-m4"]
    model = load_model(tmp_path / "model.onnx")
    assert model.targets == ("x86-64", "cortex-m4") and sum(model.target_scenarios) > 0
    x = np.zeros((1, len(features.FEATURE_NAMES)), dtype=np.float32)
    for x0, x86_winner in ((-2.0, 0), (2.0, 2)):
        x[0, 0] = x0
        for target, winner in (("x86-64", x86_winner), ("cortex-m4", 2 - x86_winner)):
            weights, scenarios = model.beliefs(x, target)
            assert TR.cover_orders(weights, scenarios)[0, 0] == winner, (x0, target)


def test_another_targets_labels_that_do_not_pay_are_left_out(tmp_path: Path) -> None:
    """The same winners on both targets: a block of its own adds nothing; the model
    keeps one target, and a cortex-m4 module stands in with x86-64's modules."""
    from pybridge.model import load_model

    write_dataset(tmp_path)
    write_dataset(tmp_path / "cm4", target="cortex-m4")
    argv = ("--families", "proximity_extra_trees", "--target-labels")
    assert run(tmp_path, *argv, str(tmp_path / "cm4" / "dataset")) == 0
    assert load_model(tmp_path / "model.onnx").targets == ("x86-64",)
    # Two datasets of one target are one too many.
    assert run(tmp_path, *argv, str(tmp_path / "dataset")) == 2


def test_datasets_of_other_targets_beside_the_dataset_are_used_by_default(
    tmp_path: Path,
) -> None:
    """pybridge/data/dataset-cortex-m4/ beside pybridge/data/dataset/: plain
    ``llmc train`` rebuilds the shipped model with both; the option alone, without."""
    from pybridge.model import load_model

    write_dataset(tmp_path)
    write_dataset(tmp_path / "cm4", target="cortex-m4", flip=True)
    (tmp_path / "cm4" / "dataset").rename(tmp_path / "dataset-cortex-m4")
    assert run(tmp_path, "--families", "proximity_extra_trees") == 0
    assert load_model(tmp_path / "model.onnx").targets == ("x86-64", "cortex-m4")
    assert run(tmp_path, "--families", "proximity_extra_trees", "--target-labels") == 0
    assert load_model(tmp_path / "model.onnx").targets == ("x86-64",)
    # Measured with another table (llmc table --extend, not relabelled yet): found
    # beside the dataset it is left out and named; given by name it is an error.
    cm4 = tmp_path / "dataset-cortex-m4" / "labels.parquet"
    T.save_labels(T.load_labels(cm4), [*TABLE[1:], TABLE[0]], cm4, "cortex-m4")
    assert run(tmp_path, "--families", "proximity_extra_trees") == 0
    assert load_model(tmp_path / "model.onnx").targets == ("x86-64",)
    with pytest.raises(SystemExit, match="another table"):
        run(tmp_path, "--families", "proximity_extra_trees", "--target-labels", str(cm4.parent))


def test_a_family_that_beats_the_list_at_every_k_goes_first() -> None:
    """Measured 2026-12-07 on the valid split: the regressor had the best mean over k
    but lost to the list at k = 4; the proximity forest beat it at every k."""
    report = {
        "valid": {"no_model": {1: -0.58, 2: -1.20, 3: -1.54, 4: -1.88}},
        "families": {
            "regressor": {"valid": {1: -1.44, 2: -1.67, 3: -1.79, 4: -1.87}, "mean": -1.69},
            "forest": {"valid": {1: -0.96, 2: -1.46, 3: -1.78, 4: -2.16}, "mean": -1.59},
            "worse": {"valid": {1: -0.90, 2: -1.30, 3: -1.60, 4: -1.90}, "mean": -1.43},
        },
    }
    assert TR.rank_families(report) == ["forest", "worse", "regressor"]
    assert not report["families"]["regressor"]["beats_list_at_every_k"]


def test_a_block_is_kept_only_where_it_pays_for_every_target_it_decides() -> None:
    """A block must beat the first target's on its own target by more than the valid
    split's noise, and must not make worse any target without a block of its own
    that stands in by it (cortex-m4 and rv32imc by aarch64, after each other)."""

    def k(v: float) -> dict[str, float]:
        return {str(i): v for i in range(1, 5)}

    def scores(aarch64_gain: float) -> dict[str, dict]:
        out = {
            "cortex-m4": {"own_block": k(-1.0), "first_block": k(-1.5)},
            "rv32imc": {"own_block": k(-1.0), "first_block": k(-1.5)},
            "aarch64": {"own_block": k(-1.0 - aarch64_gain), "first_block": k(-1.0)},
        }
        for s in out.values():
            s["block_pays"] = TR.mean_gain(s["own_block"], s["first_block"]) >= TR.BLOCK_MARGIN
        return out

    helps = {"cortex-m4<aarch64": k(-1.6), "rv32imc<aarch64": k(-1.5)}
    assert TR.settle_blocks("x86-64", scores(0.3), helps) == ["aarch64"]
    # Measured 2026-12-07: 0.02 points on aarch64's valid split is noise.
    assert TR.settle_blocks("x86-64", scores(0.02), helps) == []
    # A bare-metal target it would decide gets worse: no block.
    hurts = {**helps, "cortex-m4<aarch64": k(-1.4)}
    assert TR.settle_blocks("x86-64", scores(0.3), hurts) == []
    # With a block of its own, cortex-m4 decides itself and rv32imc (its nearest),
    # so aarch64's block decides no other target.
    own = scores(0.3)
    own["cortex-m4"].update(own_block=k(-1.8), block_pays=True)
    taken = {**hurts, "rv32imc<cortex-m4": k(-1.6)}
    assert TR.settle_blocks("x86-64", own, taken) == ["cortex-m4", "aarch64"]
