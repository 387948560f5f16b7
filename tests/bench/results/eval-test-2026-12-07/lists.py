"""The eval's measured rows again, with the no-model list of the committed dataset.

    python lists.py shipped/rows.jsonl > lists.md

``llmc eval`` (the installed package of the run) chose its list from the dataset
it was installed with; every table entry's size on every module is in rows.jsonl
(the list-mode pass), so any list is judged on the same sizes without another
compile: here ``train.no_model_list`` of the committed dataset (1,409 train
modules, allow-listed entries only), through ``evaluate.methods``/``summarize``,
the eval's own arithmetic.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pybridge.training import evaluate as E
from pybridge.training import modules as mods
from pybridge.training import table as T
from pybridge.training import train as TR

rows = [json.loads(line) for line in Path(sys.argv[1]).read_text().splitlines()]
good = [r for r in rows if not r["error"] and r.get("oz") and "table_sizes" in r]
order = TR.no_model_list(mods.DATASET_DIR / "labels.parquet", T.CANDIDATES_FILE)
summary = E.summarize([E.methods(r, 4, None, order) for r in good])
print(f"{len(good)} modules; list (table indices): {order[:4]}\n")
print("| method | k=1 | k=2 | k=3 | k=4 |\n|---|---:|---:|---:|---:|")
for method in ("model", "list"):
    cells = [summary[f"{method}_k{k}"] for k in range(1, 5)]
    text = [f"{c['geomean_change_pct']:+.2f}% / {c['total_change_pct']:+.2f}%" for c in cells]
    print(f"| {method} | " + " | ".join(text) + " |")
o = summary["oracle"]
print(f"| oracle | {o['geomean_change_pct']:+.2f}% / {o['total_change_pct']:+.2f}% | | | |")
