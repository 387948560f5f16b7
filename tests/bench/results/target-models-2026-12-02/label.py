"""Measure every table entry on every module of one target's corpus (list mode).

    python label.py WORKDIR TARGET OUT.jsonl [PER_PROJECT [PROJECT,...]]
Resumes: modules already in OUT are skipped. With PROJECTS, only those projects'
modules, each project's sample then independent of which other projects are built
(load_modules shuffles each project with one seeded generator, in manifest order).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pybridge import targets
from pybridge.training import evaluate as E
from pybridge.training import modules as mods
from pybridge.training import table as T

work, target, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
table = [c["pipeline"] for c in json.loads(T.CANDIDATES_FILE.read_text())["candidates"]]
only = sys.argv[5].split(",") if len(sys.argv) > 5 else None
specs = mods.load_modules(
    mods.corpus_for(target, work), mods.manifest_for(target, work), projects=only, target=target
)
# At most PER_PROJECT modules of each project (the order is load_modules' seeded one),
# chosen on cortex-m4's corpus so both targets label the same modules.
PER_PROJECT = int(sys.argv[4]) if len(sys.argv) > 4 else 0
if PER_PROJECT:
    ref = mods.load_modules(
        mods.corpus_for("cortex-m4", work),
        mods.manifest_for("cortex-m4", work),
        projects=only,
        target="cortex-m4",
    )
    count: dict[str, int] = {}
    keep = set()
    for s in ref:
        count[s.project] = count.get(s.project, 0) + 1
        if count[s.project] <= PER_PROJECT:
            keep.add(s.key)
    specs = [s for s in specs if s.key in keep]
done = {json.loads(line)["key"] for line in out.open()} if out.exists() else set()
codegen = targets.get(target).codegen
with out.open("a") as fh:
    for i, spec in enumerate(specs):
        if spec.key in done:
            continue
        batch = E.table_trials(spec.path, table, 60, codegen)
        sizes = [e.size if e.status == "ok" else None for e in batch.results]
        fh.write(
            json.dumps(
                {
                    "key": spec.key,
                    "target": target,
                    "baseline": batch.baseline,
                    "sizes": sizes,
                    "error": batch.error,
                }
            )
            + "\n"
        )
        fh.flush()
        print(f"{i + 1}/{len(specs)} {spec.key} {batch.baseline}", flush=True)
