"""same-modules.md: each bare-metal target against x86-64 on the modules both measured.

x86-64-same-modules/ is ``llmc eval`` on exactly the modules the cortex-m4 and
rv32imc runs evaluated (their union, 190); this prints, per target, model / list /
oracle at k = 1..4 on the modules both have, side by side. From the repository root:

    python tests/bench/results/eval-targets-2026-12-01/same_modules.py \
        > tests/bench/results/eval-targets-2026-12-01/same-modules.md
"""

from __future__ import annotations

import csv
from pathlib import Path

from pybridge.training import evaluate as E

here = Path(__file__).parent


def per_module(name: str) -> dict[str, dict[str, int]]:
    with (here / name / "modules.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    skip = {"project", "file", "fallback"}
    return {
        f"{r['project']}/{r['file']}": {k: int(v) for k, v in r.items() if k not in skip and v}
        for r in rows
    }


x86 = per_module("x86-64-same-modules")
for target in ("cortex-m4", "rv32imc"):
    other = per_module(target)
    common = sorted(k for k in other if k in x86 and other[k]["oz"] and x86[k]["oz"])
    reports = {
        f"x86-64 ({target}'s modules)": {"methods": E.summarize([x86[k] for k in common])},
        target: {"methods": E.summarize([other[k] for k in common])},
    }
    print(f"## {target} and x86-64 on the same {len(common)} modules\n")
    print(E.side_by_side(reports))
