"""The plugin's small-module threshold is what bench_threshold.py measures (fast:
it reads the committed dataset), and the measurement itself on known rows."""

from __future__ import annotations

import bench_threshold as B


def test_plugin_default_is_the_measured_choice() -> None:
    table = B.sweep(B.rows_with_gain(B.mods.DATASET_DIR / "labels.parquet"))
    assert B.plugin_default() == B.choose(table, B.MAX_LOSS)


def test_sweep_counts_skipped_modules_and_lost_bytes() -> None:
    # (instructions, -Oz bytes, bytes saved): the small module saves 1 of 100 bytes.
    rows = [(10, 50, 1), (40, 500, 0), (5000, 9000, 99)]
    by_threshold = {r["threshold"]: r for r in B.sweep(rows)}
    assert by_threshold[8] == {"threshold": 8, "skipped_modules": 0.0, "lost_gain": 0.0}
    assert by_threshold[16]["skipped_modules"] == 1 / 3
    assert by_threshold[16]["lost_gain"] == 0.01
    assert by_threshold[64]["skipped_modules"] == 2 / 3
    assert B.choose(B.sweep(rows), 0.01) == 1024
    assert B.choose(B.sweep(rows), 0.005) == 8
