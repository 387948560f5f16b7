"""Where the small-module threshold (``LLMC_MIN_INSTRUCTIONS``) should be.

A module below the threshold gets -Oz without starting Python: it saves one
decision (about a third of a second, see bench_decision.py) and gives up
whatever the table could have won on it. From the committed dataset (every
table entry measured on every labelled module), for each candidate threshold:
the share of modules skipped (of decisions, hence of the cold overhead) and the
share of the table oracle's saved bytes that is lost. The chosen threshold is
the largest one that loses at most ``--max-loss`` of the saved bytes; the
plugin's default (plugin/Options.def) is this choice at the default 0.6%.

The count is IR instructions in defined functions of the frontend's output,
which is what the plugin counts (features.py's ``log_instructions`` = log1p).

usage: python tests/bench/bench_threshold.py [--labels PARQUET] [--max-loss 0.006]
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from pybridge import features
from pybridge.training import modules as mods
from pybridge.training import table as T

MAX_LOSS = 0.006  # of the oracle's saved bytes, for about a sixth of the decisions
THRESHOLDS = (0, 8, 16, 32, 48, 64, 96, 128, 256, 512, 1024)


def rows_with_gain(labels: Path) -> list[tuple[int, int, int]]:
    """(instructions, -Oz bytes, bytes the table's best entry saves) per module."""
    column = features.FEATURE_NAMES.index("log_instructions")
    out = []
    for row in T.load_labels(labels):
        if row["features"] is None:
            continue
        instructions = round(math.expm1(row["features"][column]))
        out.append((instructions, row["baseline_size"], row["baseline_size"] - T.table_best(row)))
    return out


def sweep(rows: list[tuple[int, int, int]]) -> list[dict]:
    saved = sum(g for _, _, g in rows) or 1
    return [
        {
            "threshold": n,
            "skipped_modules": sum(1 for i, _, _ in rows if i < n) / len(rows),
            "lost_gain": sum(g for i, _, g in rows if i < n) / saved,
        }
        for n in THRESHOLDS
    ]


def plugin_default() -> int:
    """The plugin's default threshold (plugin/Options.def, through pybridge.options)."""
    from pybridge import options

    return int(options.default("MinInstructions"))


def choose(table: list[dict], max_loss: float) -> int:
    return max(r["threshold"] for r in table if r["lost_gain"] <= max_loss)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=mods.DATASET_DIR / "labels.parquet")
    parser.add_argument("--max-loss", type=float, default=MAX_LOSS)
    args = parser.parse_args(argv)
    rows = rows_with_gain(args.labels)
    table = sweep(rows)
    print(f"{len(rows)} labelled modules, {sum(g for _, _, g in rows):,} bytes saved by the oracle")
    print("  threshold  skipped modules  lost share of saved bytes")
    for r in table:
        print(f"  {r['threshold']:>9}  {r['skipped_modules']:>14.1%}  {r['lost_gain']:>24.2%}")
    print(f"chosen: {choose(table, args.max_loss)} (loses at most {args.max_loss:.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
