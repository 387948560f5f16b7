"""Shipped ONNX models side by side on one target's valid split (a labels dataset).

    python compare_valid.py DATASET_DIR [--unseen-by OLD_DATASET] NAME=MODEL.onnx...

``--unseen-by``: only valid modules of projects OLD_DATASET's labels do not hold
(projects no model fitted on that dataset has seen).

Each model ranks every valid module from the dataset's features (the advisor's
features) by ``RankerModel.beliefs`` for the dataset's target (its own block, or
the first target's when it has none) and ``cover_order`` over the entries the
allow-list accepts, as the plugin does; the no-model list is the dataset's train
split's (``train.no_model_order``, accepted entries only). A module's result at k
is min(-Oz, best of the first k): geomean and total change against -Oz.

A model refitted on train+valid holds the valid modules as its own scenarios:
compare such models only on valid projects none of them was fitted on.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from pybridge.model import load_model
from pybridge.training import table as T
from pybridge.training import train as TR

KS = (1, 2, 3, 4)
args = sys.argv[1:]
dataset = Path(args.pop(0))
seen: set[str] = set()
if args and args[0] == "--unseen-by":
    args.pop(0)
    seen = {r["project"] for r in T.load_labels(Path(args.pop(0)) / "labels.parquet")}
data = TR.load_dataset(dataset / "labels.parquet", T.CANDIDATES_FILE)
U, target = data["usable"], data["target"]
split = TR.holdout_split(data["split"], data["project"])
tr = split == "train"
va = (split == "valid") & ~np.isin(data["project"], sorted(seen))
Rv = data["R"][va][:, U]
base = np.array([r["baseline_size"] for r, v in zip(data["rows"], va, strict=True) if v], float)


def cells(order: np.ndarray) -> str:
    out = []
    for k in KS:
        ratio = TR.topk_ratio(Rv, order, k)
        total = 100 * ((ratio * base).sum() / base.sum() - 1)
        out.append(f"{TR.geomean_change_pct(ratio):+.2f}% / {total:+.2f}%")
    return " | ".join(out)


projects = sorted(set(data["project"][va]))
print(f"{target} valid split: {int(va.sum())} modules of {len(projects)} projects")
print(f"({', '.join(projects)}); train labels: {int(tr.sum())} modules.")
print("Geomean / total change against -Oz, accepted entries only.\n")
print("| method | k=1 | k=2 | k=3 | k=4 |\n|---|---:|---:|---:|---:|")
for arg in args:
    name, path = arg.split("=", 1)
    model = load_model(path)
    weights, scenarios = model.beliefs(data["X"][va], target)
    allowed = np.array(model.allowed)
    if not np.array_equal(allowed, U):
        raise SystemExit(f"{path}: another table or allow-list than {dataset}")
    order = TR.cover_orders(weights, scenarios[..., allowed])
    blocks = "+".join(model.targets)
    print(f"| {name} ({blocks}) | {cells(order)} |")
print(
    f"| no-model list ({target} train) | {cells(TR.no_model_order(data['R'][tr][:, U], len(Rv)))} |"
)
ratio = np.minimum(1, Rv.min(axis=1))
total = 100 * ((ratio * base).sum() / base.sum() - 1)
print(
    f"| table oracle ({len(U)} entries) | {TR.geomean_change_pct(ratio):+.2f}% / {total:+.2f}% |||"
)
