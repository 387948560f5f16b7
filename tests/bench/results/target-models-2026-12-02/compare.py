"""Shipped model, a model trained on the target's labels, both lists and the oracle,
on the valid split of the target's labels (the sizes label.py measured).

    python compare.py WORKDIR DATASET_DIR NAME=MODEL.onnx... > comparison.md

Each model's order is the advisor's: ``advisor.rank_module`` on the module's .bc
(IR reader -> features -> beliefs -> cover order over the entries the allow-list
accepts), timed per module (model loaded once, before). The lists are
``train.no_model_list`` of the committed x86-64 dataset (what ``llmc eval``
reports as the no-model list) and ``train.no_model_order`` of the target's train
labels, both without the entries the allow-list refuses, as the plugin tries
them. A module's result at k is min(-Oz, best of the first k), so none can be
larger; the geomean and total are against the plugin's own -Oz of the module.
Also writes comparison.json beside this file.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

from pybridge import advisor, allowlist
from pybridge.model import load_model
from pybridge.training import modules as mods
from pybridge.training import table as T
from pybridge.training import train as TR

KS = (1, 2, 3, 4)
work, dataset = Path(sys.argv[1]), Path(sys.argv[2])
models = dict(a.split("=", 1) for a in sys.argv[3:])
data = TR.load_dataset(dataset / "labels.parquet", T.CANDIDATES_FILE)
target = data["target"]
table = data["table"]
usable = [i for i, p in enumerate(table) if allowlist.check(p) is None]
R, split, rows = data["R"], data["split"], data["rows"]
tr, va = split == "train", split == "valid"
Rv = R[va]
valid_rows = [r for r, v in zip(rows, va, strict=True) if v]
corpus = mods.corpus_for(target, work)


def summary(order: np.ndarray) -> dict:
    """geomean / total change and modules smaller / larger than -Oz at each k."""
    out = {}
    base = np.array([r["baseline_size"] for r in valid_rows], dtype=np.float64)
    for k in KS:
        ratio = TR.topk_ratio(Rv, order, k)
        out[k] = {
            "geomean_pct": round(TR.geomean_change_pct(ratio), 3),
            "total_pct": round(100 * ((ratio * base).sum() / base.sum() - 1), 3),
            "smaller": int((ratio < 1).sum()),
            "larger": int((ratio > 1).sum()),
        }
    return out


def model_orders(path: str) -> tuple[np.ndarray, list[float], float]:
    """The advisor's order on each valid module, its seconds per module, and the share
    of modules whose order from the dataset's features (train.cover_orders over the
    accepted entries) is the same: the features the model was trained on are the
    advisor's."""
    model = load_model(path)  # loading is once per compiler process; not per module
    bitcodes = [mods.resolve(corpus, r["project"], r["file"]).read_bytes() for r in valid_rows]
    advisor.rank_module(bitcodes[0], len(table), path)  # onnxruntime's first run warms up
    orders, seconds = [], []
    for bitcode in bitcodes:
        t0 = time.perf_counter()
        ranked, _ = advisor.rank_module(bitcode, len(table), path)
        seconds.append(time.perf_counter() - t0)
        orders.append([table.index(p) for p in ranked.pipelines])
    onnx_ms = []  # the model alone: one module's features in, its beliefs out
    for vector in data["X"][va]:
        t0 = time.perf_counter()
        model.beliefs(vector)
        onnx_ms.append(1000 * (time.perf_counter() - t0))
    ONNX_MS[path] = onnx_ms
    weights, scenarios = model.beliefs(data["X"][va])
    allowed = np.array(model.allowed)
    same = allowed[TR.cover_orders(weights, scenarios[:, :, allowed])] == np.array(orders)
    return np.array(orders), seconds, float(same.all(axis=1).mean())


ONNX_MS: dict[str, list[float]] = {}
results: dict[str, dict] = {}
timing: dict[str, dict] = {}
for name, path in models.items():
    order, seconds, agree = model_orders(path)
    results[name] = summary(order)
    ms = 1000 * np.array(seconds)
    timing[name] = {
        "path": path,
        "bytes": Path(path).stat().st_size,
        "targets": list(load_model(path).targets),
        "rank_ms_median": round(float(np.median(ms)), 3),
        "rank_ms_p95": round(float(np.percentile(ms, 95)), 3),
        "rank_ms_max": round(float(ms.max()), 3),
        "beliefs_ms_median": round(float(np.median(ONNX_MS[path])), 3),
        "beliefs_ms_p95": round(float(np.percentile(ONNX_MS[path], 95)), 3),
        "same_order_from_dataset_features": agree,
    }
shipped_list = [
    i for i in TR.no_model_list(mods.DATASET_DIR / "labels.parquet", T.CANDIDATES_FILE)
    if i in usable
]  # fmt: skip
target_list = [i for i in TR.no_model_order(R[tr], 1)[0].tolist() if i in usable]
lists = {
    "shipped no-model list (x86-64 train labels)": shipped_list,
    f"no-model list re-chosen from {target} train labels": target_list,
}
for name, order in lists.items():
    results[name] = summary(np.tile(np.array(order), (len(Rv), 1)))
oracle = TR.topk_ratio(Rv, np.tile(np.array(usable), (len(Rv), 1)), len(usable))
report = {
    "target": target,
    "modules": {"train": int(tr.sum()), "valid": int(va.sum())},
    "valid_projects": sorted({r["project"] for r in valid_rows}),
    "lists": lists,
    "oracle_geomean_pct": round(TR.geomean_change_pct(oracle), 3),
    "oracle_smaller": int((oracle < 1).sum()),
    "methods": results,
    "models": timing,
}
(Path(__file__).parent / "comparison.json").write_text(json.dumps(report, indent=1) + "\n")
print(f"{target} valid split: {int(va.sum())} modules of {len(report['valid_projects'])} projects")
print(f"(train labels: {int(tr.sum())} modules); geomean / total change against -Oz\n")
print("| method | k=1 | k=2 | k=3 | k=4 | larger at k=4 |\n|---|---:|---:|---:|---:|---:|")
for name, by_k in results.items():
    cells = [f"{by_k[k]['geomean_pct']:+.2f}% / {by_k[k]['total_pct']:+.2f}%" for k in KS]
    print(f"| {name} | " + " | ".join(cells) + f" | {by_k[4]['larger']} |")
total = (oracle * [r["baseline_size"] for r in valid_rows]).sum()
total_pct = 100 * (total / sum(r["baseline_size"] for r in valid_rows) - 1)
print(
    f"| table oracle ({len(usable)} usable entries) | "
    + " | ".join([f"{report['oracle_geomean_pct']:+.2f}% / {total_pct:+.2f}%"] * 4)
    + " | 0 |"
)
print(
    "\n| model | bytes | targets | rank ms median / p95 / max | model alone ms median / p95 "
    "| same order from dataset features |\n|---|---:|---|---:|---:|---:|"
)
for name, t in timing.items():
    print(
        f"| {name} | {t['bytes']:,} | {','.join(t['targets'])} "
        f"| {t['rank_ms_median']} / {t['rank_ms_p95']} / {t['rank_ms_max']} "
        f"| {t['beliefs_ms_median']} / {t['beliefs_ms_p95']} "
        f"| {t['same_order_from_dataset_features']:.0%} |"
    )
print("\nlists (table indices, first 4):")
for name, order in lists.items():
    print(f"- {name}: {order[:4]}")
