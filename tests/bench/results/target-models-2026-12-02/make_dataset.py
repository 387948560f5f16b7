"""label.py's jsonl -> a dataset dir ``llmc train --dataset`` reads (labels.parquet).

    python make_dataset.py WORKDIR TARGET LABELS.jsonl DATASET_DIR

Each labelled module's .bc (the target's corpus in WORKDIR), its split from the
committed split.json, its features from :mod:`pybridge.features` and the sizes in
candidates.json's order, written by ``table.write_labels`` (so by ``save_labels``,
with the target in the metadata): the same rows ``llmc table --target`` writes.
Modules of test projects, or of no split, are refused: nothing here may see them.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from pybridge.training import modules as mods
from pybridge.training import table as T

work, target, labels, dataset = (
    Path(sys.argv[1]),
    sys.argv[2],
    Path(sys.argv[3]),
    Path(sys.argv[4]),
)
table = [c["pipeline"] for c in json.loads(T.CANDIDATES_FILE.read_text())["candidates"]]
split_of = mods.split_of_projects(mods.DEFAULT_SPLIT)
specs = {
    s.key: s
    for s in mods.load_modules(
        mods.corpus_for(target, work), mods.manifest_for(target, work), target=target
    )
}
measured: dict[str, dict] = {}
for line in labels.open():
    r = json.loads(line)
    if r["target"] != target or len(r["sizes"]) != len(table):
        raise SystemExit(f"{r['key']}: labelled on {r['target']} with {len(r['sizes'])} entries")
    project = r["key"].split("/")[0]
    if split_of.get(project) not in ("train", "valid"):
        raise SystemExit(f"{r['key']}: project {project} is not in the train or valid split")
    # Pipelines can repeat in no table (candidates.json ids are unique pipelines).
    measured[r["key"]] = {
        "baseline": r["baseline"],
        "sizes": dict(zip(table, r["sizes"], strict=True)),
    }
missing = sorted(set(measured) - set(specs))
if missing:
    raise SystemExit(f"labelled but not in {target}'s manifest: {missing[:5]}")
chosen = [specs[k] for k in measured]
rows = T.write_labels(dataset / "labels.parquet", chosen, split_of, measured, table, {}, target)
no_features = sum(r["features"] is None for r in rows)
by_split = dict(Counter(r["split"] for r in rows))
print(
    f"{len(rows)} rows ({len(measured) - len(rows)} without a baseline dropped, "
    f"{no_features} without features) -> {dataset / 'labels.parquet'}; target "
    f"{T.label_target(dataset / 'labels.parquet')}; by split {by_split}"
)
