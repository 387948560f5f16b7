"""How the ranker should know the target: four ways, five seeds, every target's valid split.

Run from the repository root: ``python tests/bench/results/target-input-2026-12-08/valid.py``
(reads the committed labels: ``pybridge/data/dataset*/labels.parquet``; about 40 s).

- ``x86-64 only``: the forest and its scenarios are x86-64's train modules; every
  target is decided by them (the model shipped until 2026-12-07).
- ``blocks``: the same forest; each target's modules are decided by its own train
  modules as scenarios (``llmc.target_scenarios``, which no block ever paid for).
- ``pooled``: one forest over every target's train modules, the target unknown to it.
- ``target input``: the same, with the target's one-hot as an input (``llmc train``
  since 2026-12-08; the ONNX ``target`` input).

Each cell is the geomean change against the target's -Oz at k = 1..4 (mean and
standard deviation over forest seeds 0-4), and the mean over k; the last lines give
the lists: x86-64's (what the plugin tries without a model) and the target's own.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from sklearn.ensemble import ExtraTreesRegressor, RandomForestRegressor

from pybridge import targets
from pybridge.training import train as TR

DATA = Path("pybridge/data")
CANDIDATES = DATA / "candidates.json"
NAMES = list(targets.TARGETS)
SEEDS = range(5)

sets = [
    TR.load_dataset(DATA / targets.per_target("dataset", t) / "labels.parquet", CANDIDATES)
    for t in NAMES
]
for s in sets:
    s["fit_split"] = TR.holdout_split(s["split"], s["project"])
U = sets[0]["usable"]
n = len(sets)


def forest(family: str, seed: int):
    if family == "random forest":
        return RandomForestRegressor(
            n_estimators=64, min_samples_leaf=10, max_features=0.3, random_state=seed, n_jobs=2
        )
    return ExtraTreesRegressor(
        n_estimators=64, min_samples_leaf=5, max_features=0.3, random_state=seed, n_jobs=2
    )


def rows(i: int, split: str, with_t: bool):
    s = sets[i]
    m = s["fit_split"] == split
    X = TR.with_target(s["X"][m], i, n) if with_t else s["X"][m]
    return X, s["Y"][m], s["R"][m]


def fitted(family: str, seed: int, parts: list[int], with_t: bool) -> TR.Proximity:
    parts_rows = [rows(i, "train", with_t) for i in parts]
    X, Y, R = (np.concatenate(z) for z in zip(*parts_rows, strict=True))
    return TR.Proximity(forest(family, seed)).fit(X, Y, R)


def scores(model: TR.Proximity, i: int, with_t: bool) -> list[float]:
    X, _, R = rows(i, "valid", with_t)
    return list(TR.evaluate_order(R[:, U], TR.usable_orders(model, X, U)).values())


results: dict[tuple[str, str, str], list[list[float]]] = {}
for family in ("random forest", "extra trees"):
    for seed in SEEDS:
        first = fitted(family, seed, [0], False)
        pooled = fitted(family, seed, list(range(n)), False)
        with_input = fitted(family, seed, list(range(n)), True)
        for i, name in enumerate(NAMES):
            own = sets[i]["fit_split"] == "train"
            block = TR.Proximity(
                first.forest,
                np.minimum(sets[i]["R"][own], TR.FAILED_RATIO).astype(np.float32),
                first.forest.apply(sets[i]["X"][own]),
            )
            for variant, model, with_t in (
                ("x86-64 only", first, False),
                ("blocks", block, False),
                ("pooled", pooled, False),
                ("target input", with_input, True),
            ):
                results.setdefault((family, variant, name), []).append(scores(model, i, with_t))
        print(f"{family} seed {seed} done", file=sys.stderr)


def cell(values: list[list[float]]) -> str:
    a = np.array(values)
    mean, sd = a.mean(axis=0), a.std(axis=0)
    ks = " / ".join(f"{m:.2f}±{d:.2f}" for m, d in zip(mean, sd, strict=True))
    return f"{ks} (mean {mean.mean():.3f})"


print("| family | variant | " + " | ".join(NAMES) + " | mean over targets |")
print("|---|---|" + "---|" * (n + 1))
for family in ("random forest", "extra trees"):
    for variant in ("x86-64 only", "blocks", "pooled", "target input"):
        cells = [cell(results[(family, variant, t)]) for t in NAMES]
        overall = np.mean([np.mean(results[(family, variant, t)]) for t in NAMES])
        print(f"| {family} | {variant} | " + " | ".join(cells) + f" | {overall:.3f} |")
first_train = sets[0]["R"][sets[0]["fit_split"] == "train"][:, U]
for label, source in (("x86-64 list", lambda s: first_train), ("own list", None)):
    cells = []
    for s in sets:
        va = s["fit_split"] == "valid"
        train = first_train if source else s["R"][s["fit_split"] == "train"][:, U]
        order = TR.no_model_order(train, int(va.sum()))
        v = list(TR.evaluate_order(s["R"][va][:, U], order).values())
        cells.append(" / ".join(f"{x:.2f}" for x in v) + f" (mean {np.mean(v):.3f})")
    print(f"| {label} | | " + " | ".join(cells) + " | |")
oracle = []
for s in sets:
    Rv = s["R"][s["fit_split"] == "valid"][:, U]
    oracle.append(f"{TR.geomean_change_pct(np.minimum(1, Rv.min(axis=1))):.2f}")
print("| table ceiling | | " + " | ".join(oracle) + " | |")
