"""The committed benchmarks, runnable as slow tests: pytest -m slow tests/bench."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_decision_latency() -> None:
    import bench_decision

    assert bench_decision.main([]) == 0


def test_build_compare_zlib() -> None:
    from pybridge.tools import buildcompare

    report = buildcompare.compare("zlib", runs=3)
    buildcompare.print_report(report)
    assert all(r["llmc"] <= r["oz"] for r in report["rows"] + report["linked"])


def test_build_overhead() -> None:
    import bench_overhead

    assert bench_overhead.main(["--runs", "3"]) == 0


def test_linked_images_never_larger() -> None:
    import bench_linked

    assert bench_linked.main([]) == 0


def test_lto_headroom_never_larger() -> None:
    import bench_lto_headroom

    assert bench_lto_headroom.main([]) == 0
