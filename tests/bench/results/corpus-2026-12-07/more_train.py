"""Does the grown train split help? The shipped family (train_report.json's) fitted
on the train modules of the 16 projects trained on before 2026-12-07 and on all 32
(kissfft, libpcap and yajl relabelled after their recipes were fixed), judged on the valid
modules of the projects new to the corpus (unseen by both), and on cortex-m4's.

    python more_train.py            # from the repository root, its .venv

The old train projects are those of split.json at 109affe (bzip2, xz-utils and
nettle were valid projects then, and are in no split now).
"""

from __future__ import annotations

import json
import subprocess

import numpy as np

from pybridge import toolchain
from pybridge.training import table as T
from pybridge.training import train as TR

FAMILY = json.loads((toolchain.DATA_DIR / "dataset" / "train_report.json").read_text())["chosen"]
data_dir = toolchain.DATA_DIR
old_split = json.loads(
    subprocess.run(
        ["git", "show", "109affe:pybridge/data/corpus/split.json"],
        cwd=data_dir,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
)
old_projects = sorted(p for s in old_split.values() for p in s)
d = TR.load_dataset(data_dir / "dataset" / "labels.parquet", T.CANDIDATES_FILE)
o = TR.load_dataset(data_dir / "dataset-cortex-m4" / "labels.parquet", T.CANDIDATES_FILE)
U = d["usable"]
split = TR.holdout_split(d["split"], d["project"])
train, valid = split == "train", split == "valid"
old_train = train & np.isin(d["project"], old_projects)
new_valid = valid & ~np.isin(d["project"], old_projects)
cm4_valid = TR.holdout_split(o["split"], o["project"]) == "valid"


def cells(scores: dict) -> str:
    return " / ".join(f"{v:.2f}" for v in scores.values())


print(f"{FAMILY}; geomean change at k = 1..4, accepted entries only\n")
print("| fitted on | x86-64 valid, new projects | cortex-m4 valid |\n|---|---|---|")
for name, mask in (
    (f"old train ({int(old_train.sum())})", old_train),
    (f"all train ({int(train.sum())})", train),
):
    model = TR.families()[FAMILY].fit(d["X"][mask], d["Y"][mask], d["R"][mask])
    x86 = TR.evaluate_order(d["R"][new_valid][:, U], TR.usable_orders(model, d["X"][new_valid], U))
    cm4 = TR.evaluate_order(o["R"][cm4_valid][:, U], TR.usable_orders(model, o["X"][cm4_valid], U))
    print(f"| {name} | {cells(x86)} | {cells(cm4)} |")
for name, mask in (("list, old train", old_train), ("list, all train", train)):
    x86 = TR.evaluate_order(
        d["R"][new_valid][:, U], TR.no_model_order(d["R"][mask][:, U], int(new_valid.sum()))
    )
    cm4 = TR.evaluate_order(
        o["R"][cm4_valid][:, U], TR.no_model_order(d["R"][mask][:, U], int(cm4_valid.sum()))
    )
    print(f"| {name} | {cells(x86)} | {cells(cm4)} |")
print(
    f"\nx86-64 valid modules of new projects: {int(new_valid.sum())}; "
    f"cortex-m4 valid: {int(cm4_valid.sum())}"
)
