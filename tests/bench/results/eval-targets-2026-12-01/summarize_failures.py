"""failures.md: per target, modules built and TUs failed, by project and by cause.

    python tests/bench/results/eval-targets-2026-12-01/summarize_failures.py \
        /work/llmc-data-eval > tests/bench/results/eval-targets-2026-12-01/failures.md
"""

from __future__ import annotations

import collections
import csv
import sys
from pathlib import Path

from pybridge import targets

CAUSES = (
    ("<dirent.h> not supported", "the C library has no <dirent.h> (newlib, picolibc)"),
    ("negative size", "a configure-time sizeof check fails (array of negative size)"),
    ("only meant to be used on x86", "an x86-only intrinsics header"),
    ("'pthread.h' file not found", "no <pthread.h>"),
    ("'pnglibconf.h' file not found", "pnglibconf.h is no longer in the configured tree"),
    ("file not found", "another header not found"),
)


def cause(reason: str) -> str:
    return next((name for key, name in CAUSES if key in reason), "other compile error")


work = Path(sys.argv[1])
print("# Corpus per target (the 12 test projects fetched in the work dir)\n")
built = [t for t in targets.TARGETS if (work / targets.per_target("manifest.csv", t)).is_file()]
totals = []
for t in built:
    with (work / targets.per_target("manifest.csv", t)).open() as fh:
        modules = collections.Counter(r["project"] for r in csv.DictReader(fh))
    path = work / targets.per_target("failures.csv", t)
    with path.open() as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("stage", "build") == "build"]
    failed = collections.Counter(r["project"] for r in rows)
    totals.append((t, sum(modules.values()), sum(failed.values()), modules, failed, rows))
projects = sorted({p for *_, m, f, _ in totals for p in (*m, *f)})
print("| project | " + " | ".join(f"{t} built / failed" for t, *_ in totals) + " |")
print("|---|" + "---:|" * len(totals))
for p in projects:
    print(f"| {p} | " + " | ".join(f"{m[p]} / {f[p]}" for _, _, _, m, f, _ in totals) + " |")
print("| **total** | " + " | ".join(f"**{n} / {k}**" for _, n, k, *_ in totals) + " |")
for t, _, k, _, _, rows in totals:
    print(f"\n## {t}: {k} failures by cause\n")
    by = collections.Counter(cause(r["reason"]) for r in rows)
    example = {}
    for r in rows:
        example.setdefault(cause(r["reason"]), f"{r['project']}/{r['file']}: {r['reason'][:160]}")
    for name, n in by.most_common():
        print(f"- {n} {name} (e.g. `{example[name]}`)")
