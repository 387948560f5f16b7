"""The held-out test split, all four targets: this model against the one before it.

    python heldout.py TARGET [RUN] > TARGET.md   (after eval.sh; from the repository root)

``TARGET/RUN/rows.jsonl`` (RUN: new by default) holds this model's trials;
``../table-2026-12-07/TARGET/new/`` the previous model's (1d113f7: x86-64's
modules decide every target) on the same modules, with every table entry's size
on every module (the table is unchanged), from which the no-model list and the
table's ceiling are judged through ``evaluate``'s own arithmetic.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pybridge.training import evaluate as E
from pybridge.training import modules as mods
from pybridge.training import table as T
from pybridge.training import train as TR

here = Path(__file__).resolve().parent
target = sys.argv[1]
run = sys.argv[2] if len(sys.argv) > 2 else "new"


def rows(path: Path) -> dict[str, dict]:
    out = {}
    for line in path.read_text().splitlines():
        r = json.loads(line)
        if not r["error"] and r.get("oz"):
            out[f"{r['project']}/{r['file']}"] = r
    return out


new = rows(here / target / run / "rows.jsonl")
before = rows(here.parent / "table-2026-12-07" / target / "new" / "rows.jsonl")
keys = [k for k in new if k in before and "table_sizes" in before[k]]
shipped_list = TR.no_model_list(mods.DATASET_DIR / "labels.parquet", T.CANDIDATES_FILE)
per_module = []
for key in keys:
    if new[key]["oz"] != before[key]["oz"]:
        raise SystemExit(
            f"{key}: -Oz differs between the runs ({new[key]['oz']}, {before[key]['oz']})"
        )
    m = E.methods(before[key], 4, None, shipped_list)
    m = {n: v for n, v in m.items() if not n.startswith("model")}
    m.update(
        {f"old_{n}": v for n, v in E.methods(before[key], 4, None).items() if n.startswith("model")}
    )
    m.update({n: v for n, v in E.methods(new[key], 4, None).items() if n.startswith("model")})
    per_module.append(m)
s = E.summarize(per_module)


def cell(name: str) -> str:
    return E.change_cell(s[name])


print(f"{target}, {len(keys)} held-out modules (geomean / total against -Oz)\n")
print("| k | model now (target input) | model of 1d113f7 (x86-64's modules) | no-model list |")
print("|---:|---:|---:|---:|")
for k in range(1, 5):
    names = (f"model_k{k}", f"old_model_k{k}", f"list_k{k}")
    print(f"| {k} | " + " | ".join(cell(n) for n in names) + " |")
print(f"| ceiling | {cell('oracle')} | | |")
worse = {n: c["worse"] for n, c in s.items() if c["worse"]}
print(f"\nmodules larger than -Oz: {worse or 'none'}")
