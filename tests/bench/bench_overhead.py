"""Build overhead of llmc on a real project: ``make -j2`` three ways, in one run.

plain ``-Oz``; llmc with a cold decision cache (a new, empty cache directory
per build); llmc with a warm cache (a directory a previous build filled).
Medians of ``--runs`` builds each, interleaved so machine noise hits all
three alike; ratios against plain -Oz. Also checks that the three builds'
llmc objects are byte-identical (cold vs warm) and reports the cache hit
rate of the warm builds.

Every llmc build starts its own ranking server (a new ``LLMC_SERVER``
directory), so "cold" includes starting Python once, as a first build of the
day does.

``--sweep`` adds cold builds with other settings (``LLMC_CANDIDATES``,
``LLMC_METRIC``, ``LLMC_SERVER=off``...), interleaved with the rest, and
prints each one's time ratio and total object size against -Oz: the
trade-off curve behind the defaults.

``--effort N`` runs the cold and warm llmc builds at ``LLMC_EFFORT=N``.

``--lending`` adds a cold build whose make lends its jobserver to every compile:
Debian 12's make 4.3 hands its job tokens only to recipes it sees as recursive,
which a ``+`` in front of the expanded command makes them (``make CC=+clang-19``),
as make 4.4's fifo jobserver reaches every recipe. Its objects must be the cold
build's, byte for byte (the trials' parallelism never changes the result).

usage: python tests/bench/bench_overhead.py [--project zlib] [--runs 3] [--effort N]
         [--lending] [--sweep candidates=1,metric=object candidates=2,metric=ir ...]
"""

from __future__ import annotations

import argparse
import dataclasses
import filecmp
import statistics
import sys
import tempfile
from pathlib import Path

from pybridge import decisionlog, toolchain
from pybridge.tools import buildcompare


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", default="zlib", choices=sorted(buildcompare.PROJECTS))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--effort", type=int, default=0, help="LLMC_EFFORT of cold and warm")
    parser.add_argument(
        "--lending", action="store_true", help="also a cold build under a lending jobserver"
    )
    parser.add_argument(
        "--sweep",
        nargs="*",
        default=[],
        metavar="SETTINGS",
        help="extra cold builds, each with comma-separated option=value llmc settings",
    )
    args = parser.parse_args(argv)
    sweeps = {s: settings_env(s) for s in args.sweep}
    recipe = buildcompare.PROJECTS[args.project]
    source = buildcompare.fetch_source(recipe.package)
    plugin_flags = f"-Oz -fpass-plugin={toolchain.plugin_path()}"
    times: dict[str, list[float]] = {"-Oz": [], "llmc cold": [], "llmc warm": []}
    times.update({name: [] for name in sweeps})
    lending = dataclasses.replace(
        recipe,
        steps=tuple(
            step.replace("make -j{jobs}", 'make -j{jobs} CC="+$CC"', 1) for step in recipe.steps
        ),
    )
    if args.lending:
        times["llmc cold, lending"] = []
    sizes: dict[str, int] = {}
    hits = decided = served = asked = 0
    identical = True
    with tempfile.TemporaryDirectory(prefix="llmc-overhead-") as tmp:
        root = Path(tmp)
        for run in range(args.runs):
            cache = root / f"cache{run}"
            log = root / f"warm{run}.jsonl"
            oz = buildcompare.build(source, recipe, "-Oz", {}, args.jobs, 1, root / "oz")
            times["-Oz"] += oz.seconds
            sizes["-Oz"] = sum(oz.sizes.values())
            cold = buildcompare.build(
                source,
                recipe,
                plugin_flags,
                {
                    "LLMC_CACHE_DIR": str(cache),
                    "LLMC_SERVER": str(root / f"server-cold{run}"),
                    "LLMC_LOG": str(root / f"cold{run}.jsonl"),
                    "LLMC_EFFORT": str(args.effort),
                },
                args.jobs,
                1,
                root / "cold",
            )
            ranked = [r.ranker for r in decisionlog.read(root / f"cold{run}.jsonl")]
            served += ranked.count("server")
            asked += len([r for r in ranked if r])
            times["llmc cold"] += cold.seconds
            sizes["llmc cold"] = sizes["llmc warm"] = sum(cold.sizes.values())
            cold_tree = root / "cold-objects"
            (root / "cold" / "tree").rename(cold_tree)
            warm = buildcompare.build(
                source,
                recipe,
                plugin_flags,
                {
                    "LLMC_CACHE_DIR": str(cache),
                    "LLMC_SERVER": str(root / f"server-warm{run}"),
                    "LLMC_LOG": str(log),
                    "LLMC_EFFORT": str(args.effort),
                },
                args.jobs,
                1,
                root / "warm",
            )
            times["llmc warm"] += warm.seconds
            for name in cold.sizes:
                identical &= filecmp.cmp(
                    cold_tree / name, root / "warm" / "tree" / name, shallow=False
                )
            records = decisionlog.read(log)
            decided += sum(1 for r in records if r.source in ("cache", "model"))
            hits += sum(1 for r in records if r.source == "cache")
            if args.lending:
                lent = buildcompare.build(
                    source,
                    lending,
                    plugin_flags,
                    {
                        "LLMC_CACHE_DIR": str(root / f"cache-lent{run}"),
                        "LLMC_SERVER": str(root / f"server-lent{run}"),
                        "LLMC_EFFORT": str(args.effort),
                    },
                    args.jobs,
                    1,
                    root / "lent",
                )
                times["llmc cold, lending"] += lent.seconds
                sizes["llmc cold, lending"] = sum(lent.sizes.values())
                for name in cold.sizes:
                    identical &= filecmp.cmp(
                        cold_tree / name, root / "lent" / "tree" / name, shallow=False
                    )
            cold_tree.rename(root / f"done{run}")
            for index, (name, env) in enumerate(sweeps.items()):
                env = {"LLMC_SERVER": str(root / f"server-sweep{index}-{run}"), **env}
                other = buildcompare.build(
                    source, recipe, plugin_flags, env, args.jobs, 1, root / "sweep"
                )
                times[name] += other.seconds
                sizes[name] = sum(other.sizes.values())
    base = statistics.median(times["-Oz"])
    effort = f", LLMC_EFFORT={args.effort}" if args.effort else ""
    print(f"{args.project}: make -j{args.jobs}{effort}, median of {args.runs} builds each")
    width = max(len(name) for name in times)
    for name, values in times.items():
        median = statistics.median(values)
        change = 100.0 * (sizes[name] - sizes["-Oz"]) / sizes["-Oz"]
        print(
            f"  {name:<{width}} {median:7.2f} s  {median / base:5.2f}x"
            f"  {sizes[name]:>9,} bytes  {change:+6.2f}%"
        )
    print(f"  warm-cache hit rate: {hits}/{decided} modules that reached a decision")
    print(f"  cold builds: {served}/{asked} rankings answered by the ranking server")
    also = " and lending" if args.lending else ""
    print(f"  cold{also} and warm objects byte-identical: {identical}")
    return 0 if identical else 1


def settings_env(spec: str) -> dict[str, str]:
    """``candidates=2,metric=ir`` -> {"LLMC_CANDIDATES": "2", "LLMC_METRIC": "ir", ...}.

    Sweep builds never use a cache: each one decides every module.
    """
    env = {"LLMC_CACHE_DIR": "off"}
    for item in filter(None, spec.split(",")):
        name, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"bench_overhead: {item!r} is not option=value")
        env["LLMC_" + name.strip().upper().replace("-", "_")] = value.strip()
    return env


if __name__ == "__main__":
    sys.exit(main())
