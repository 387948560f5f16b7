"""Both models, both tables' lists and ceilings on the same held-out modules.

    python compare.py x86-64 > x86-64.md      (after eval.sh; likewise cortex-m4)

``new/rows.jsonl`` holds every entry of the extended table measured on every
module (the eval's list-mode pass) and the new model's trials; ``before/`` the
model of cc815b0 on the same modules. The old table's 20 allowed entries are
entries of the new one, so its list (``llmc train``'s no-model list of the old
dataset) and its ceiling are judged on the same sizes, through ``evaluate``'s
own arithmetic.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from pybridge.training import evaluate as E
from pybridge.training import modules as mods
from pybridge.training import table as T
from pybridge.training import train as TR
from pybridge.training import trials

OLD = "cc815b0"
here = Path(__file__).resolve().parent
root = here.parents[3]
target = sys.argv[1]


def rows(path: Path) -> dict[str, dict]:
    out = {}
    for line in path.read_text().splitlines():
        r = json.loads(line)
        if not r["error"] and r.get("oz"):
            out[f"{r['project']}/{r['file']}"] = r
    return out


def old_file(path: str, suffix: str) -> Path:
    tmp = Path(tempfile.mkdtemp()) / f"old{suffix}"
    tmp.write_bytes(subprocess.run(["git", "-C", str(root), "show", f"{OLD}:{path}"],
                                   check=True, capture_output=True).stdout)  # fmt: skip
    return tmp


new, before = (
    rows(here / target / "new" / "rows.jsonl"),
    rows(here / target / "before" / "rows.jsonl"),
)
keys = [k for k in new if k in before and "table_sizes" in new[k]]
table = trials.table_of(T.CANDIDATES_FILE)
old_candidates = old_file("pybridge/data/candidates.json", ".json")
old_table = trials.table_of(old_candidates)
old_allowed = [table.index(p) for p in trials.allowed_entries(old_candidates)]
new_list = TR.no_model_list(mods.DATASET_DIR / "labels.parquet", T.CANDIDATES_FILE)
old_labels = old_file("pybridge/data/dataset/labels.parquet", ".parquet")
old_list = [table.index(old_table[i]) for i in TR.no_model_list(old_labels, old_candidates)]

per_module = []
for key in keys:
    m = E.methods(new[key], 4, None, new_list)
    m.update(
        {f"old_{n}": v for n, v in E.methods(before[key], 4, None).items() if n.startswith("model")}
    )
    m.update(
        {
            f"old_list_k{k}": E.best_of(m["oz"], [new[key]["table_sizes"][i] for i in old_list], k)
            for k in range(1, 5)
        }
    )
    m["old_oracle"] = E.best_of(
        m["oz"], [new[key]["table_sizes"][i] for i in old_allowed], len(old_allowed)
    )
    per_module.append(m)
s = E.summarize(per_module)


def cell(name: str) -> str:
    return E.change_cell(s[name])


print(f"{target}, {len(keys)} held-out modules (geomean / total against -Oz)\n")
print("| k | model now (32 entries) | model of cc815b0 (20) | list now | list of cc815b0 |")
print("|---:|---:|---:|---:|---:|")
for k in range(1, 5):
    names = (f"model_k{k}", f"old_model_k{k}", f"list_k{k}", f"old_list_k{k}")
    print(f"| {k} | " + " | ".join(cell(n) for n in names) + " |")
print(f"| ceiling | {cell('oracle')} | {cell('old_oracle')} | | |")
worse = {n: c["worse"] for n, c in s.items() if c["worse"]}
print(f"\nmodules larger than -Oz: {worse or 'none'}")
