"""The table before and after ``llmc table --extend``, on the same labelled modules.

    python ceiling.py OLD_CANDIDATES.json [LABELS.parquet] > ceiling.md

Every row of the labels (measured with the extended table) has a size for every
entry of both tables, so both are judged on the same sizes without another
compile: per split, the table's ceiling (each module's best allowed entry, or
-Oz) and the no-model list at k = 1..4 (chosen on the train split, as ``llmc
train`` does), as geomean / total change against -Oz.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from pybridge.training import modules as mods
from pybridge.training import table as T
from pybridge.training import train as TR
from pybridge.training import trials

old_table = trials.allowed_entries(Path(sys.argv[1]))
labels = Path(sys.argv[2]) if len(sys.argv) > 2 else mods.DATASET_DIR / "labels.parquet"
data = TR.load_dataset(labels, T.CANDIDATES_FILE)
table = data["table"]
R, split = data["R"], data["split"]
base = np.array([r["baseline_size"] for r in data["rows"]], dtype=np.float64)
new_cols = data["usable"]
old_cols = np.array([table.index(p) for p in old_table])
assert set(old_cols) <= set(new_cols), "the old table's allowed entries must be in the new one"


def change(ratios: np.ndarray, rows: np.ndarray) -> str:
    geo = 100 * (np.exp(np.mean(np.log(ratios))) - 1)
    total = 100 * (np.sum(ratios * base[rows]) / np.sum(base[rows]) - 1)
    return f"{geo:+.2f}% / {total:+.2f}%"


print(
    f"{labels}: {len(R)} modules; old table {len(old_cols)} allowed entries, new {len(new_cols)}\n"
)
print("| split | modules | table | ceiling | list k=1 | k=2 | k=3 | k=4 |")
print("|---|---:|---|---:|---:|---:|---:|---:|")
train = split == "train"
for name in ("train", "valid"):
    rows = np.flatnonzero(split == name)
    for label, cols in (("old", old_cols), ("new", new_cols)):
        sub = R[:, cols]
        ceiling = np.minimum(1.0, sub[rows].min(axis=1))
        order = TR.no_model_order(sub[train], len(rows))
        cells = [change(TR.topk_ratio(sub[rows], order, k), rows) for k in (1, 2, 3, 4)]
        print(
            f"| {name} | {len(rows)} | {label} | {change(ceiling, rows)} | "
            + " | ".join(cells)
            + " |"
        )
