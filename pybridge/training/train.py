"""``llmc train``: fit the ranker on the committed dataset and export it to ONNX.

Input: ``pybridge/data/dataset/labels.parquet`` (features and the size of every
table entry on every module, from ``llmc table``) and ``candidates.json``. Target:
for each table entry the log size ratio against -Oz (lower is better; a failed
entry counts as slightly worse than -Oz, since the plugin then keeps -Oz).

Model families, fitted on the train split and compared on the valid split by what
the plugin will actually get: the size when trying the first k entries of
:func:`pybridge.advisor.cover_order` and keeping the smallest (or -Oz), k = 1..4,
against the no-model list (the same greedy order with every train module weighed
alike: the k entries that do best on the train split together).

- ``proximity_*``: a random forest / extra-trees regressor whose leaves say which
  train modules resemble the input (forest proximity); the model outputs those
  weights and, as a constant, the train modules' measured ratios (schema 2 of
  :mod:`pybridge.model`). Choosing k entries that do best on the resembling
  modules *together* is what beats a fixed list: sorting by predicted mean ratio
  picks near-copies (measured: below the no-model list at every k).
- ``extra_trees``: a multi-output regressor of each entry's log ratio (schema 1).

Targets: the labels of other targets (``dataset-<target>/``, ``llmc label
--target``) are fitted together with the first's, the target's one-hot as an
input (the model's ``target`` input), and every family is judged on each
target's valid split. Measured on the committed labels (2026-12-08, five seeds,
``tests/bench/results/target-input-2026-12-08/``): one forest over every
target's modules beats deciding the other targets by x86-64's modules alone,
and beats one block of scenarios per target.

The winner is refitted on train+valid, exported (proximity forests by
:func:`proximity_onnx`, regressors by skl2onnx), stamped by
:func:`pybridge.model.export_ranker` and checked against sklearn. Everything is
seeded: the same dataset gives the same model file.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from pybridge import targets, toolchain
from pybridge.training import modules as mods
from pybridge.training import table as T
from pybridge.training import trials

FAILED_RATIO = 1.05  # a failed entry: a bit worse than -Oz, so it ranks below neutral ones
CLIP = (-1.0, math.log(2.0))  # log-ratio bounds: one outlier module must not dominate a fit
MAX_MODEL_BYTES = 5 * 1024 * 1024
KS = (1, 2, 3, 4)


# --------------------------------------------------------------------------- data


def load_dataset(labels: Path, candidates: Path) -> dict[str, Any]:
    """X, Y (log ratios), raw ratios, splits and the table, checked against each other."""
    from pybridge import allowlist, features
    from pybridge.training.corpus import benchmark_code

    table = trials.table_of(candidates)
    measured_with = T.label_pipelines(labels)
    if measured_with and measured_with != table:
        raise SystemExit(
            f"llmc train: {labels} was measured with another table than "
            f"{candidates}: llmc label --dataset {labels.parent} measures the new entries"
        )
    rows = [r for r in T.load_labels(labels) if r["features"] is not None]
    benchmark = sorted({r["project"] for r in rows if benchmark_code(r["project"])})
    if benchmark:
        # Public benchmark code is how generalization is judged: never fitted or chosen on.
        print(
            f"llmc train: {labels}: rows of {', '.join(benchmark)} left out (public benchmark "
            "code, corpus.BENCHMARK_CODE)",
            file=sys.stderr,
        )
        rows = [r for r in rows if not benchmark_code(r["project"])]
    stale = {r["feature_hash"] for r in rows} - {features.FEATURE_HASH}
    if stale:
        raise SystemExit(
            f"llmc train: features in {labels} have hash {sorted(stale)}, "
            f"features.py has {features.FEATURE_HASH}: rerun llmc table"
        )
    ratios = np.array(
        [[s / r["baseline_size"] if s else FAILED_RATIO for s in r["sizes"]] for r in rows],
        dtype=np.float64,
    )
    return {
        "X": np.array([r["features"] for r in rows], dtype=np.float32),
        # The entries the plugin tries (the allow-list refuses the others at load):
        # every k, list and oracle is judged on these only.
        "usable": np.array([i for i, p in enumerate(table) if allowlist.check(p) is None]),
        "R": ratios,
        "Y": np.clip(np.log(ratios), *CLIP),
        "split": np.array([r["split"] for r in rows]),
        "project": np.array([r["project"] for r in rows]),
        "table": table,
        "rows": rows,
        "target": T.label_target(labels),
    }


def holdout_split(split: np.ndarray, project: np.ndarray, fraction: float = 0.2) -> np.ndarray:
    """Train/valid by project when the split file gives no valid module."""
    split = split.copy()
    if (split == "valid").any():
        return split
    train_projects = sorted(set(project[split == "train"]))
    rng = np.random.default_rng(0)
    n = max(1, round(fraction * len(train_projects)))
    held = set(rng.permutation(train_projects)[:n].tolist())
    split[(split == "train") & np.isin(project, list(held))] = "valid"
    return split


# --------------------------------------------------------------------------- metric


def topk_ratio(R: np.ndarray, order: np.ndarray, k: int) -> np.ndarray:
    """Per module: min(1, ratio of the best of the first k entries of ``order``)."""
    picked = np.take_along_axis(R, order[:, :k], axis=1)
    return np.minimum(1.0, picked.min(axis=1))


def geomean_change_pct(ratios: np.ndarray) -> float:
    return float(100 * (np.exp(np.log(ratios).mean()) - 1)) if len(ratios) else float("nan")


def no_model_order(R_train: np.ndarray, n_modules: int) -> np.ndarray:
    """The no-model list: the table entries that do best together on the train split.

    The greedy order of :func:`pybridge.advisor.cover_order` with every train module
    weighed alike, the same for every module; ``llmc eval`` reports the same list.
    """
    from pybridge.advisor import cover_order

    order = cover_order(np.full(len(R_train), 1 / len(R_train)), R_train)
    return np.tile(np.array(order), (n_modules, 1))


def no_model_list(labels: Path, candidates: Path) -> list[int]:
    """The no-model list of the committed dataset: table indices of the entries the
    allow-list accepts, best set first."""
    data = load_dataset(labels, candidates)
    usable = data["usable"]
    train = data["R"][data["split"] == "train"][:, usable]
    if not len(train):
        return usable.tolist()
    return usable[no_model_order(train, 1)[0]].tolist()


def usable_orders(model: Any, X: np.ndarray, usable: np.ndarray) -> np.ndarray:
    """The model's cover order of each row over the usable entries (column indices
    into ``usable``), as the plugin ranks them: refused entries take no place."""
    weights, scenarios = model.beliefs(X)
    return cover_orders(weights, scenarios[..., usable])


def cover_orders(weights: np.ndarray, scenarios: np.ndarray) -> np.ndarray:
    """cover_order of every module: weights [N, S], scenarios [N, S, C] or [S, C]."""
    from pybridge.advisor import cover_order

    if scenarios.ndim == 2:
        return np.array([cover_order(w, scenarios) for w in weights])
    return np.array([cover_order(w, sc) for w, sc in zip(weights, scenarios, strict=True)])


def evaluate_order(R: np.ndarray, order: np.ndarray, ks: Sequence[int] = KS) -> dict[int, float]:
    return {k: round(geomean_change_pct(topk_ratio(R, order, k)), 4) for k in ks}


def rank_families(report: dict[str, Any]) -> list[str]:
    """Families in the order they are tried for export: those that beat the lists at
    every k on every target first (a ranker that loses to a fixed list somewhere is
    not worth its inference there), then by valid mean over targets and k. Marks
    each family's ``beats_lists_everywhere`` and ``mean_over_targets``."""
    families = report["families"]
    for scores in families.values():
        by_target = scores["targets"].values()
        scores["beats_lists_everywhere"] = all(t["beats_lists"] for t in by_target)
        scores["mean_over_targets"] = round(
            float(np.mean([np.mean(list(t["valid"].values())) for t in by_target])), 4
        )
    return sorted(
        families,
        key=lambda n: (
            not families[n]["beats_lists_everywhere"],
            families[n]["mean_over_targets"],
            n,
        ),
    )


def with_target(X: np.ndarray, index: int, n_targets: int) -> np.ndarray:
    """``X`` with the model's ``target`` input appended: the one-hot of target
    ``index`` of ``n_targets`` (nothing appended for a one-target model)."""
    if n_targets < 2:
        return X
    onehot = np.zeros((len(X), n_targets), dtype=X.dtype)
    onehot[:, index] = 1
    return np.hstack([X, onehot])


def target_scores(model: Any, sets: Sequence[dict[str, Any]]) -> dict:
    """Each target's valid split decided by ``model`` (its target input set), against
    the no-model list (the first target's: what the plugin tries without a model)
    and that target's own list: geomean change by k, and whether the model beats both
    at every k."""
    out = {}
    for i, s in enumerate(sets):
        va, U = s["fit_split"] == "valid", s["usable"]
        if not va.any():
            continue
        Rv = s["R"][va][:, U]
        scores = evaluate_order(Rv, usable_orders(model, with_target(s["X"][va], i, len(sets)), U))
        lists = [s["valid_lists"]["no_model"], s["valid_lists"]["own_list"]]
        out[s["target"]] = {
            "valid": scores,
            "beats_lists": all(scores[k] < lst[k] for lst in lists for k in scores),
        }
    return out


# --------------------------------------------------------------------------- models


@dataclass
class Proximity:
    """A forest used for its leaves: which measured modules resemble an input.

    Fitted on the train modules of every target at once, with the target as an
    input (:func:`with_target`): a tree may split a target's modules from the
    others' where their measurements differ, and they share leaves where not.
    """

    forest: Any
    # Empty until fit():
    scenarios: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # [S, C] ratios
    leaves: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # [S, T] leaf ids

    def fit(self, X: np.ndarray, Y: np.ndarray, R: np.ndarray) -> Proximity:
        self.forest.fit(X, Y)
        self.scenarios = np.minimum(R, FAILED_RATIO).astype(np.float32)
        self.leaves = self.forest.apply(X)
        return self

    def beliefs(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(weights [N, S], scenarios [S, C]): mean over trees of 1/|leaf| for the
        input's leaf-mates, normalized as :meth:`RankerModel.beliefs` does."""
        leaves = self.forest.apply(X)
        weights = np.zeros((len(X), len(self.leaves)))
        for t in range(leaves.shape[1]):
            same = leaves[:, t][:, np.newaxis] == self.leaves[:, t][np.newaxis, :]
            weights += same / np.maximum(same.sum(axis=1, keepdims=True), 1)
        weights = np.where(weights.sum(axis=1, keepdims=True) > 0, weights, 1.0)
        return weights / weights.sum(axis=1, keepdims=True), self.scenarios


@dataclass
class Regressor:
    """A multi-output regressor of each entry's log ratio (schema 1)."""

    model: Any

    def fit(self, X: np.ndarray, Y: np.ndarray, R: np.ndarray) -> Regressor:
        self.model.fit(X, Y)
        return self

    def beliefs(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        ratios = np.exp(self.model.predict(X))
        return np.ones((len(X), 1)), ratios[:, np.newaxis, :]


def families() -> dict[str, Any]:
    """The candidate model families, all seeded and exportable to ONNX.

    Hyper-parameters were picked on the valid split of the committed dataset
    (1,040 train modules; leaf sizes 3-80, feature shares 0.3-1.0 tried); the
    held-out test projects judge them.
    """
    from sklearn.ensemble import ExtraTreesRegressor, RandomForestRegressor

    return {
        "proximity_random_forest": Proximity(
            RandomForestRegressor(
                n_estimators=64, min_samples_leaf=10, max_features=0.3, random_state=0, n_jobs=1
            )
        ),
        "proximity_extra_trees": Proximity(
            ExtraTreesRegressor(
                n_estimators=64, min_samples_leaf=5, max_features=0.3, random_state=0, n_jobs=1
            )
        ),
        "extra_trees": Regressor(
            ExtraTreesRegressor(
                n_estimators=48, min_samples_leaf=5, max_features=0.3, random_state=0, n_jobs=1
            )
        ),
    }


def proximity_onnx(model: Proximity, n_features: int) -> Any:
    """A fitted :class:`Proximity` as ONNX: ``features`` -> ``weights``, ``scenarios``.

    A TreeEnsembleRegressor gives the leaf of the input in every tree (target t =
    tree t, a leaf's value = its node id); the fitted modules' leaves ``[S, T]``
    are a constant tensor, and so is 1/(trees * |leaf|) by tree and node id
    ``[T, nodes]``, looked up for the input's leaves (one entry per scenario and
    tree cost as many bytes as the leaves), so weights = sum over trees of [same
    leaf] * 1/(trees * |leaf|). ``n_features`` counts the target input's
    columns too (:func:`take_target_input` splits them off). Constants load as
    raw bytes: three times faster than one ensemble target per (tree, module),
    which every compiler process would pay. Thresholds are rounded down to
    float32, so that a float32 input goes the way sklearn sends it.
    """
    from onnx import TensorProto, helper, numpy_helper

    trees = model.forest.estimators_
    n_trees, n_scenarios = len(trees), len(model.leaves)
    attrs: dict[str, Any] = {
        k: []
        for k in (
            "nodes_treeids",
            "nodes_nodeids",
            "nodes_featureids",
            "nodes_values",
            "nodes_modes",
            "nodes_truenodeids",
            "nodes_falsenodeids",
            "target_treeids",
            "target_nodeids",
            "target_ids",
            "target_weights",
        )
    }
    # [tree, node]: 1/(trees * |leaf|) for the nodes that are leaves with scenarios.
    inverse = np.zeros((n_trees, max(e.tree_.node_count for e in trees)), dtype=np.float32)
    for t, estimator in enumerate(trees):
        tree = estimator.tree_
        leaf_ids, counts = np.unique(model.leaves[:, t], return_counts=True)
        inverse[t, leaf_ids.astype(np.int64)] = 1.0 / (n_trees * counts)
        for node in range(tree.node_count):
            leaf = tree.children_left[node] == -1
            threshold = np.float32(tree.threshold[node])
            if not leaf and threshold > tree.threshold[node]:
                threshold = np.nextafter(threshold, np.float32(-np.inf))
            attrs["nodes_treeids"].append(t)
            attrs["nodes_nodeids"].append(node)
            attrs["nodes_featureids"].append(0 if leaf else int(tree.feature[node]))
            attrs["nodes_values"].append(0.0 if leaf else float(threshold))
            attrs["nodes_modes"].append("LEAF" if leaf else "BRANCH_LEQ")
            attrs["nodes_truenodeids"].append(0 if leaf else int(tree.children_left[node]))
            attrs["nodes_falsenodeids"].append(0 if leaf else int(tree.children_right[node]))
            if leaf:
                attrs["target_treeids"].append(t)
                attrs["target_nodeids"].append(node)
                attrs["target_ids"].append(t)
                attrs["target_weights"].append(float(node))  # exact in float32 below 2**24
    nodes = [
        helper.make_node(
            "TreeEnsembleRegressor",
            ["features"],
            ["leaf"],
            domain="ai.onnx.ml",
            n_targets=n_trees,
            aggregate_function="SUM",
            post_transform="NONE",
            **attrs,
        ),
        helper.make_node("Unsqueeze", ["leaf", "axis_1"], ["leaf_n1t"]),
        helper.make_node("Equal", ["leaf_n1t", "module_leaves"], ["same_leaf"]),
        helper.make_node("Cast", ["same_leaf"], ["same_leaf_f"], to=TensorProto.FLOAT),
        # 1/(trees * |leaf|) of the input's leaf in each tree, looked up by node id.
        helper.make_node("Cast", ["leaf"], ["leaf_i"], to=TensorProto.INT64),
        helper.make_node("Transpose", ["leaf_i"], ["leaf_tn"], perm=[1, 0]),
        helper.make_node("GatherElements", ["inverse_leaf_sizes", "leaf_tn"], ["inv_tn"], axis=1),
        helper.make_node("Transpose", ["inv_tn"], ["inv_nt"], perm=[1, 0]),
        helper.make_node("Unsqueeze", ["inv_nt", "axis_1"], ["inv_n1t"]),
        helper.make_node("Mul", ["same_leaf_f", "inv_n1t"], ["weight_nst"]),
        helper.make_node("ReduceSum", ["weight_nst", "axis_2"], ["weights"], keepdims=0),
        helper.make_node(
            "Constant",
            [],
            ["scenarios"],
            value=numpy_helper.from_array(model.scenarios.astype(np.float32), "scenario_ratios"),
        ),
    ]
    graph = helper.make_graph(
        nodes,
        "llmc_proximity_ranker",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, [None, n_features])],
        [
            helper.make_tensor_value_info("weights", TensorProto.FLOAT, [None, n_scenarios]),
            helper.make_tensor_value_info(
                "scenarios", TensorProto.FLOAT, list(model.scenarios.shape)
            ),
        ],
        [
            numpy_helper.from_array(model.leaves.astype(np.float32), "module_leaves"),
            numpy_helper.from_array(inverse, "inverse_leaf_sizes"),
            numpy_helper.from_array(np.array([1], dtype=np.int64), "axis_1"),
            numpy_helper.from_array(np.array([2], dtype=np.int64), "axis_2"),
        ],
    )
    return helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 3)],
        producer_name="llmc train",
        ir_version=8,  # what opset 17 needs; onnx's default can be newer than onnxruntime reads
    )


def onnx_beliefs(model: Any, X: np.ndarray, target: str | None) -> tuple[np.ndarray, np.ndarray]:
    """An exported model's beliefs on many rows, a batch at a time: one inference of a
    proximity model holds rows x scenarios x trees floats, and runs under the
    plugin's time bound (:data:`pybridge.model.INFERENCE_SECONDS`)."""
    parts = [model.beliefs(X[i : i + 32], target) for i in range(0, len(X), 32)]
    return np.concatenate([w for w, _ in parts]), np.concatenate([s for _, s in parts])


def take_target_input(proto: Any, n_features: int, n_targets: int) -> Any:
    """A graph whose one input ``features`` holds the module's features and then the
    target's one-hot, made to take them as llmc's two inputs (``features`` [N, F],
    ``target`` [N, T], :mod:`pybridge.model`) joined by a Concat in front."""
    from onnx import TensorProto, helper

    from pybridge.model import INPUT, TARGET_INPUT

    joined = "features_and_target"
    for node in proto.graph.node:
        node.input[:] = [joined if name == INPUT else name for name in node.input]
    proto.graph.node.insert(0, helper.make_node("Concat", [INPUT, TARGET_INPUT], [joined], axis=1))
    del proto.graph.input[:]
    proto.graph.input.extend(
        [
            helper.make_tensor_value_info(INPUT, TensorProto.FLOAT, [None, n_features]),
            helper.make_tensor_value_info(TARGET_INPUT, TensorProto.FLOAT, [None, n_targets]),
        ]
    )
    return proto


def to_onnx(model: Any, n_features: int, n_outputs: int) -> Any:
    """sklearn -> ONNX with llmc's signature: ``features`` [N, F] -> ``scores`` [N, C]."""
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType

    proto = convert_sklearn(
        model,
        initial_types=[("features", FloatTensorType([None, n_features]))],
        final_types=[("scores", FloatTensorType([None, n_outputs]))],
        target_opset={"": 17, "ai.onnx.ml": 3},
    )
    proto.graph.name = "llmc_ranker"  # skl2onnx names graphs by uuid: keep files reproducible
    # Some converters (MLPRegressor) declare [N, 1] whatever the real width: state it.
    dims = proto.graph.output[0].type.tensor_type.shape.dim
    if len(dims) == 2:
        dims[1].Clear()
        dims[1].dim_value = n_outputs
    return proto


# --------------------------------------------------------------------------- command


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dataset", type=Path, default=mods.DATASET_DIR)
    parser.add_argument("--candidates", type=Path, default=T.CANDIDATES_FILE)
    parser.add_argument("--out", type=Path, default=toolchain.DEFAULT_MODEL)
    parser.add_argument("--families", nargs="*", help="only these model families")
    parser.add_argument(
        "--no-refit",
        action="store_true",
        help="export the train-split fit instead of refitting on train+valid",
    )
    parser.add_argument("--report", type=Path, help="default: DATASET/train_report.json")
    parser.add_argument(
        "--target-labels",
        type=Path,
        nargs="*",
        metavar="DATASET",
        help="datasets of other targets (llmc label --target T --dataset DIR), fitted "
        "with --dataset's, the target as an input (default: each DATASET-<target>/ beside "
        "--dataset, as pybridge/data/ ships them; give the option alone for none)",
    )
    parser.set_defaults(func=main)


def target_datasets(dataset: Path, candidates: Path, tool: str) -> list[Path]:
    """The datasets of the other targets beside ``dataset`` (``DATASET-<target>/``, as
    pybridge/data/ ships them) that were measured with ``candidates``' table. One
    found but measured with another table is left out, and named: never mixed in."""
    found = [
        d
        for t in targets.TARGETS
        if (d := dataset.parent / targets.per_target(dataset.name, t)) != dataset
        and (d / "labels.parquet").is_file()
    ]
    table = trials.table_of(candidates)
    kept = []
    for d in found:
        if T.label_pipelines(d / "labels.parquet") == table:
            kept.append(d)
        else:
            print(
                f"{tool}: {d} was measured with another table: left out "
                f"(llmc label --target ... --dataset {d} brings it up to the table)",
                file=sys.stderr,
            )
    return kept


def main(args: argparse.Namespace) -> int:
    start = time.monotonic()
    data = load_dataset(args.dataset / "labels.parquet", args.candidates)
    other_dirs = args.target_labels
    if other_dirs is None:
        other_dirs = target_datasets(args.dataset, args.candidates, "llmc train")
    others = [load_dataset(d / "labels.parquet", args.candidates) for d in other_dirs]
    targets_seen = [data["target"], *(o["target"] for o in others)]
    if len(set(targets_seen)) != len(targets_seen):
        print(f"llmc train: one dataset per target, got {targets_seen}", file=sys.stderr)
        return 2
    code, report = fit_and_export(
        data, args.out, only=args.families, refit=not args.no_refit, others=others
    )
    if code:
        return code
    report["seconds"] = round(time.monotonic() - start, 1)
    report_path = args.report or args.dataset / "train_report.json"
    report_path.write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps(report, indent=1))
    size = report["export"]["bytes"]
    if size > MAX_MODEL_BYTES:
        print(f"llmc train: model is {size} bytes, over {MAX_MODEL_BYTES}", file=sys.stderr)
        return 1
    return 0


def fit_and_export(
    data: dict[str, Any],
    out: Path,
    *,
    only: Sequence[str] | None = None,
    refit: bool = True,
    others: Sequence[dict[str, Any]] = (),
) -> tuple[int, dict[str, Any]]:
    """Fit every family on the train split, export the best on valid to ``out``.

    ``data`` is :func:`load_dataset`'s; returns (0, report) when a family was
    exported, (2, {}) when there are too few modules, (1, report) when no
    family exported. ``llmc train`` and ``llmc learn`` share it.

    ``others``: datasets of other targets (same table). Every family is then
    fitted on the train modules of all targets, with the target's one-hot as an
    input (:func:`with_target`; the ONNX ``target`` input), and judged on each
    target's own valid split: it must beat there, at every k, both the no-model
    list (``data``'s train split: what the plugin tries without a model) and
    that target's own list. The report gives each target's figures.
    """
    # Copies that carry each target's fit split and lists; the callers' data stays as given.
    sets = [{**s, "fit_split": holdout_split(s["split"], s["project"])} for s in (data, *others)]
    n_targets = len(sets)
    data = sets[0]
    split = data["fit_split"]
    tr, va = split == "train", split == "valid"
    if tr.sum() < 4 or va.sum() < 1:
        print(
            f"llmc train: {tr.sum()} train and {va.sum()} valid modules: too few", file=sys.stderr
        )
        return 2, {}
    U = data["usable"]
    first_train = data["R"][tr][:, U]
    for s in sets:
        sva = s["fit_split"] == "valid"
        Rv = s["R"][sva][:, U]
        s["valid_lists"] = {
            "oracle": round(geomean_change_pct(np.minimum(1, Rv.min(axis=1))), 4),
            "no_model": evaluate_order(Rv, no_model_order(first_train, len(Rv))),
            "own_list": evaluate_order(
                Rv, no_model_order(s["R"][s["fit_split"] == "train"][:, U], len(Rv))
            ),
        }

    def pooled(splits: tuple[str, ...]) -> tuple[np.ndarray, ...]:
        """X (with the target input), Y, R of every target's rows in ``splits``."""
        masks = [np.isin(s["fit_split"], splits) for s in sets]
        return tuple(
            np.concatenate(parts)
            for parts in zip(
                *[
                    (with_target(s["X"][m], i, n_targets), s["Y"][m], s["R"][m])
                    for i, (s, m) in enumerate(zip(sets, masks, strict=True))
                ],
                strict=True,
            )
        )

    report: dict[str, Any] = {
        "modules": {
            "train": int(tr.sum()),
            "valid": int(va.sum()),
            "test": int((split == "test").sum()),
        },
        "features": int(data["X"].shape[1]),
        "candidates": len(data["table"]),
        "usable_entries": len(U),
        "valid": {
            "oracle": data["valid_lists"]["oracle"],
            "no_model": data["valid_lists"]["no_model"],
        },
        "targets_fitted": {
            s["target"]: {
                "train": int((s["fit_split"] == "train").sum()),
                "valid": int((s["fit_split"] == "valid").sum()),
                **s["valid_lists"],
            }
            for s in sets
        },
        "families": {},
    }
    X_tr, Y_tr, R_tr = pooled(("train",))
    for name, model in families().items():
        if only and name not in only:
            continue
        t0 = time.monotonic()
        model.fit(X_tr, Y_tr, R_tr)
        by_target = target_scores(model, sets)
        scores = by_target[data["target"]]["valid"]
        report["families"][name] = {
            "valid": scores,
            "mean": round(float(np.mean(list(scores.values()))), 4),
            "fit_seconds": round(time.monotonic() - t0, 2),
            "targets": by_target,
        }
        print(f"llmc train: {name}: valid geomean change by k {scores}", file=sys.stderr)
    from pybridge.model import ModelError, export_ranker

    # A family whose export fails gives way to the next.
    ranking = rank_families(report)
    out.parent.mkdir(parents=True, exist_ok=True)
    report["export_failures"] = {}
    names = [s["target"] for s in sets]
    X_fit, Y_fit, R_fit = pooled(("train", "valid") if refit else ("train",))
    n_inputs = X_fit.shape[1]
    # (valid rows, target): ONNX must agree with sklearn on each target's valid split
    checks = [(s["X"][s["fit_split"] == "valid"], i) for i, s in enumerate(sets)]
    checks = [(x, i) for x, i in checks if len(x)]
    for best in ranking:
        model = families()[best].fit(X_fit, Y_fit, R_fit)
        try:
            proto = (
                proximity_onnx(model, n_inputs)
                if isinstance(model, Proximity)
                else to_onnx(model.model, n_inputs, Y_fit.shape[1])
            )
            if n_targets > 1:
                proto = take_target_input(proto, data["X"].shape[1], n_targets)
            exported = export_ranker(proto, out, list(data["table"]), names)
            ours = [onnx_beliefs(exported, x, names[i]) for x, i in checks]
        except (ModelError, ValueError, RuntimeError) as exc:
            report["export_failures"][best] = str(exc).splitlines()[0][:200]
            continue
        theirs = [model.beliefs(with_target(x, i, n_targets)) for x, i in checks]
        diff = max(
            max(
                float(np.abs(ow - tw).max()),
                float(np.abs(os_ - np.broadcast_to(ts, os_.shape)).max()),
            )
            for (ow, os_), (tw, ts) in zip(ours, theirs, strict=True)
        )
        if diff > 1e-3:
            report["export_failures"][best] = f"ONNX and sklearn differ by {diff}"
            continue
        break
    else:
        print(f"llmc train: no family exported: {report['export_failures']}", file=sys.stderr)
        return 1, report
    report["chosen"] = best
    report["targets"] = names
    size = out.stat().st_size
    agree = float(
        np.mean(
            [
                (cover_orders(*o)[:, 0] == cover_orders(*t)[:, 0]).mean()
                for o, t in zip(ours, theirs, strict=True)
            ]
        )
    )
    report["export"] = {
        "path": str(out),
        "bytes": size,
        "max_abs_diff_valid": diff,
        "top1_agreement_valid": agree,
        "refit_on_train_valid": refit,
    }
    return 0, report
