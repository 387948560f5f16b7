"""bench_lm_tasks.py as a slow test: pytest -m slow tests/bench/test_bench_lm_tasks.py."""

from __future__ import annotations

import pytest


@pytest.mark.slow
def test_lm_tasks_benchmark() -> None:
    import bench_lm_tasks

    # 0: every answer of the stub (the right IR) verified; the tiny model's are noise.
    assert bench_lm_tasks.main(["--max-new-tokens", "256"]) == 0
