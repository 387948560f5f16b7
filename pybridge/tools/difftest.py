"""``llmc difftest``: differential testing of llmc with Debian's csmith.

Each generated program is built with plain ``clang-19 -Oz`` and with llmc,
both binaries run, and their checksums compared; any difference is a
miscompile. Besides the pipeline the model picks, every entry of the candidate
table is forced (``LLMC_FORCE``) on a share of the programs, because a future
model may pick any of them: program *i* forces entries ``i*per, ..., i*per +
per - 1`` (mod table size), so N programs cover each entry about
``N * per / size`` times.

A binary that outruns ``--slowdown`` times -Oz's run time is reported as slow,
not compared: size pipelines can make code much slower without making it
wrong (seen here: 8x on a csmith program with -Oz at 2 s).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pybridge import options, toolchain

CSMITH_INCLUDE = "/usr/include/csmith"


@dataclass
class Outcome:
    seed: int
    variant: str  # "model" or the forced pipeline
    status: str  # "same", "MISMATCH", "slow" or "skipped"
    detail: str = ""


@dataclass
class Report:
    programs: int = 0
    builds: int = 0
    outcomes: list[Outcome] = field(default_factory=list)

    def of(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def mismatches(self) -> list[Outcome]:
        return self.of("MISMATCH")

    def forced_counts(self) -> dict[str, int]:
        """How often each forced pipeline was built and run to completion."""
        counts: dict[str, int] = {}
        for o in self.outcomes:
            if o.variant not in ("model", "-Oz") and o.status == "same":
                counts[o.variant] = counts.get(o.variant, 0) + 1
        return counts


def generate(seed: int, out: Path) -> None:
    with out.open("w") as f:
        subprocess.run(["csmith", "--seed", str(seed)], stdout=f, check=True, timeout=60)


@dataclass
class Run:
    status: str  # "ok", "build-failed" or "run-failed"
    output: str
    seconds: float = 0.0


def build_and_run(
    source: Path, exe: Path, env: dict[str, str], plugin: bool, timeout: float
) -> Run:
    cmd = [toolchain.tool("clang"), "-Oz", "-w", f"-I{CSMITH_INCLUDE}", str(source), "-o", str(exe)]
    if plugin:
        cmd.insert(2, f"-fpass-plugin={toolchain.plugin_path()}")
    build = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    if build.returncode != 0:
        return Run("build-failed", build.stderr.strip()[-300:])
    start = time.perf_counter()
    try:
        run = subprocess.run([str(exe)], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return Run("run-failed", "timeout", timeout)
    seconds = time.perf_counter() - start
    if run.returncode != 0:
        return Run("run-failed", f"exit {run.returncode}", seconds)
    return Run("ok", run.stdout.strip(), seconds)


def table_entries(model: str) -> list[str]:
    from pybridge.model import load_model

    return list(load_model(model or toolchain.DEFAULT_MODEL).candidates)


def check_program(
    index: int,
    seed: int,
    entries: Sequence[str],
    per_program: int,
    base_env: dict[str, str],
    timeout: float,
    slowdown: float,
    workdir: Path,
) -> tuple[int, list[Outcome]]:
    """(llmc builds, outcomes) of one csmith program: -Oz, the model's pick, forced entries."""
    work = workdir / f"p{seed}"
    work.mkdir()
    src = work / "p.c"
    generate(seed, src)
    reference = build_and_run(src, work / "oz", base_env, False, timeout)
    if reference.status != "ok":  # csmith sometimes writes a program that runs too long
        return 0, [Outcome(seed, "-Oz", "skipped", reference.output)]
    variants: list[tuple[str, dict[str, str]]] = [("model", base_env)]
    for j in range(per_program):
        entry = entries[(index * per_program + j) % len(entries)]
        listing = work / f"force{j}.txt"
        listing.write_text(entry + "\n")
        forced = options.plugin_env({}, Pipelines=listing, Force=True)
        variants.append((entry, {**base_env, **forced}))
    # A size pipeline may make a program much slower than -Oz's without being
    # wrong: allow ``slowdown`` times the reference's run time before calling
    # it slow; a slow run is reported, not compared.
    limit = max(timeout, slowdown * reference.seconds)
    outcomes = []
    for name, env in variants:
        got = build_and_run(src, work / "llmc", env, True, limit)
        if got.status == "build-failed":
            outcomes.append(Outcome(seed, name, "MISMATCH", "build failed: " + got.output))
        elif got.output == "timeout":
            outcomes.append(
                Outcome(
                    seed, name, "slow", f"over {limit:.1f} s; -Oz's ran {reference.seconds:.2f} s"
                )
            )
        elif got.output != reference.output:
            outcomes.append(
                Outcome(seed, name, "MISMATCH", f"{got.output[:80]!r} != {reference.output[:80]!r}")
            )
        else:
            outcomes.append(Outcome(seed, name, "same"))
    shutil.rmtree(work, ignore_errors=True)
    return len(variants), outcomes


def run(
    programs: int,
    per_program: int,
    first_seed: int,
    model: str,
    timeout: float,
    workdir: Path,
    *,
    jobs: int = 1,
    slowdown: float = 20.0,
    progress: bool = False,
) -> Report:
    entries = table_entries(model)
    base_env = options.plugin_env(CacheDir="off", Model=model or "")
    report = Report()
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:  # each job is subprocesses
        futures = [
            pool.submit(
                check_program,
                i,
                first_seed + i,
                entries,
                per_program,
                base_env,
                timeout,
                slowdown,
                workdir,
            )
            for i in range(programs)
        ]
        for done, future in enumerate(futures, 1):
            builds, outcomes = future.result()
            report.builds += builds
            report.programs += builds > 0
            report.outcomes += outcomes
            if progress and (done % 10 == 0 or done == programs):
                print(
                    f"llmc difftest: {done}/{programs} programs, "
                    f"{len(report.mismatches)} mismatches",
                    file=sys.stderr,
                    flush=True,
                )
    return report


def _main(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="llmc-difftest-") as tmp:
        report = run(
            args.programs,
            args.per_program,
            args.seed,
            args.model,
            args.timeout,
            Path(tmp),
            jobs=args.jobs,
            slowdown=args.slowdown,
            progress=True,
        )
    forced = report.forced_counts()
    print(
        f"{report.programs} programs ({len(report.of('skipped'))} more skipped: -Oz's binary "
        f"failed or ran over {args.timeout:g} s), {report.builds} llmc builds, "
        f"{len(report.mismatches)} mismatches, {len(report.of('slow'))} slow runs"
    )
    print(
        f"forced table entries checked: {len(forced)}, "
        f"each at least {min(forced.values(), default=0)} times"
    )
    for o in report.mismatches:
        print(f"MISMATCH seed={o.seed} pipeline={o.variant}: {o.detail}")
    for o in report.of("slow"):
        print(f"slow seed={o.seed} pipeline={o.variant}: {o.detail}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "programs": report.programs,
                    "builds": report.builds,
                    "forced": forced,
                    "outcomes": [asdict(o) for o in report.outcomes],
                },
                indent=1,
            )
            + "\n"
        )
    return 1 if report.mismatches else 0


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--programs", type=int, default=10, help="csmith programs (default 10)")
    parser.add_argument(
        "--per-program", type=int, default=4, help="table entries forced per program (default 4)"
    )
    parser.add_argument("--seed", type=int, default=1, help="first csmith seed")
    parser.add_argument("--model", default="", help="ranker whose table is tested")
    parser.add_argument(
        "--timeout", type=float, default=5.0, help="seconds -Oz's binary may run (default 5)"
    )
    parser.add_argument(
        "--slowdown",
        type=float,
        default=20.0,
        help="an llmc binary may run this many times longer than -Oz's before it "
        "counts as slow, not compared (default 20)",
    )
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", help="write every outcome here")
    parser.set_defaults(func=_main)
