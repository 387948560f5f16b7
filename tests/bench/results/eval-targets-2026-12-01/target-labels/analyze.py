"""Does labelling on the target help? No-model lists chosen from train labels of
each target, evaluated on the test rows each eval measured (table_sizes per module).

    python analyze.py LABELS_DIR EVAL_ROWS_DIR... > lists.md
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np

from pybridge import allowlist
from pybridge.advisor import cover_order
from pybridge.training import table as T

FAILED = 1.05
table = [c["pipeline"] for c in json.loads(T.CANDIDATES_FILE.read_text())["candidates"]]
usable = [i for i, p in enumerate(table) if allowlist.check(p) is None]
labels_dir = Path(sys.argv[1])


def load_labels(target: str) -> dict[str, list[float]]:
    out = {}
    for line in (labels_dir / f"labels-{target}.jsonl").open():
        r = json.loads(line)
        if not r["baseline"]:
            continue
        out[r["key"]] = [FAILED if s is None else s / r["baseline"] for s in r["sizes"]]
    return out


def order_from(rows: dict[str, list[float]], keys: list[str]) -> list[int]:
    R = np.array([rows[k] for k in keys])
    R[:, [i for i in range(len(table)) if i not in usable]] = FAILED  # refused: never first
    projects = [k.split("/")[0] for k in keys]
    n = {p: projects.count(p) for p in set(projects)}
    w = np.array([1 / (len(n) * n[p]) for p in projects])  # each project weighs alike
    return [i for i in cover_order(w, R) if i in usable]


lab = {t: load_labels(t) for t in ("cortex-m4", "x86-64")}
common = sorted(set(lab["cortex-m4"]) & set(lab["x86-64"]))
projects = sorted({k.split("/")[0] for k in common})
lists = {
    "shipped list (1,040 x86-64 train modules)": None,
    f"list from x86-64 labels of the {len(common)}": order_from(lab["x86-64"], common),
    f"list from cortex-m4 labels of the {len(common)}": order_from(lab["cortex-m4"], common),
}
print(f"Train modules labelled on both targets: {len(common)} of {', '.join(projects)}\n")
for name, order in lists.items():
    print(f"- {name}: {order[:4] if order else 'from eval.json'}")
for rows_dir in map(Path, sys.argv[2:]):
    report = json.loads((rows_dir / "eval.json").read_text())
    shipped = report["no_model_list"]
    rows = [json.loads(line) for line in (rows_dir / "rows.jsonl").open()]
    rows = [r for r in rows if r.get("oz") and r.get("table_sizes")]
    print(f"\n## {report['target']} test rows ({rows_dir.name}, {len(rows)} modules)\n")
    print("| list | k=1 | k=2 | k=3 | k=4 |\n|---|---:|---:|---:|---:|")
    for name, order in lists.items():
        order = order or shipped
        cells = []
        for k in (1, 2, 3, 4):
            best = []
            for r in rows:
                base = r.get("plugin_baseline") or r["oz"]
                s = [r["table_sizes"][i] for i in order[:k] if r["table_sizes"][i] is not None]
                best.append((r["oz"], min([base, *s])))
            g = 100 * (math.exp(sum(math.log(b / a) for a, b in best) / len(best)) - 1)
            t = 100 * (sum(b for _, b in best) / sum(a for a, _ in best) - 1)
            cells.append(f"{g:+.2f}% / {t:+.2f}%")
        print(f"| {name} | " + " | ".join(cells) + " |")
