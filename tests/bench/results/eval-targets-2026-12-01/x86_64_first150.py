"""x86-64 at --limit 150 from the committed 200-module run (no new measurement).

``llmc eval --limit N`` takes the first N modules of one seeded round-robin
order, so the first 150 of tests/bench/results/eval-test-2026-12-01 are exactly
the modules ``--limit 150`` evaluates; this recomputes their summary with
evaluate.summarize. Run from the repository root:

    python tests/bench/results/eval-targets-2026-12-01/x86_64_first150.py \
        /work/llmc-data-eval > tests/bench/results/eval-targets-2026-12-01/x86-64/eval.json
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from pybridge.training import evaluate as E
from pybridge.training import modules as mods

workdir = Path(sys.argv[1])
committed = Path("tests/bench/results/eval-test-2026-12-01")
order = mods.load_modules(
    mods.corpus_for("x86-64", workdir),
    mods.manifest_for("x86-64", workdir),
    splits=["test"],
    split_file=mods.DEFAULT_SPLIT,
)
first = [s.key for s in order[:150]]
with (committed / "modules.csv").open() as fh:
    rows = {f"{r['project']}/{r['file']}": r for r in csv.DictReader(fh)}
assert set(first) <= set(rows), "not the committed run's modules"
skip = {"project", "file", "fallback"}
per_module = [
    {k: int(v) for k, v in rows[key].items() if k not in skip and v != ""} for key in first
]
report = {
    "target": "x86-64",
    "evaluated": len(per_module),
    "derived_from": str(committed / "modules.csv"),
    "methods": E.summarize(per_module),
}
print(json.dumps(report, indent=1))
