"""``llmc difftest``: differential testing of llmc with Debian's csmith.

Each generated program is built with plain ``clang-19 -Oz`` and with llmc,
both binaries run, and their checksums compared; any difference is a
miscompile. Besides the pipeline the model picks, every entry of the candidate
table is forced (``LLMC_FORCE``) on a share of the programs, because a future
model may pick any of them: program *i* forces entries ``i*per, ..., i*per +
per - 1`` (mod table size), so N programs cover each entry about
``N * per / size`` times.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pybridge import toolchain

CSMITH_INCLUDE = "/usr/include/csmith"


@dataclass
class Outcome:
    seed: int
    variant: str  # "model" or the forced pipeline
    status: str  # "same", "MISMATCH", "skipped"
    detail: str = ""


@dataclass
class Report:
    programs: int = 0
    builds: int = 0
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def mismatches(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "MISMATCH"]


def generate(seed: int, out: Path) -> None:
    with out.open("w") as f:
        subprocess.run(["csmith", "--seed", str(seed)], stdout=f, check=True, timeout=60)


def build_and_run(
    source: Path, exe: Path, env: dict[str, str], plugin: bool, timeout: float
) -> tuple[str, str]:
    """(status, output): status is "ok", "build-failed" or "run-failed"."""
    cmd = [toolchain.tool("clang"), "-Oz", "-w", f"-I{CSMITH_INCLUDE}", str(source), "-o", str(exe)]
    if plugin:
        cmd.insert(2, f"-fpass-plugin={toolchain.plugin_path()}")
    build = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    if build.returncode != 0:
        return "build-failed", build.stderr.strip()[-300:]
    try:
        run = subprocess.run([str(exe)], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "run-failed", "timeout"
    if run.returncode != 0:
        return "run-failed", f"exit {run.returncode}"
    return "ok", run.stdout.strip()


def table_entries(model: str) -> list[str]:
    from pybridge.model import load_model

    return list(load_model(model or toolchain.DEFAULT_MODEL).candidates)


def run(
    programs: int, per_program: int, first_seed: int, model: str, timeout: float, workdir: Path
) -> Report:
    entries = table_entries(model)
    report = Report()
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("LLMC_")}
    base_env["LLMC_CACHE_DIR"] = "off"
    if model:
        base_env["LLMC_MODEL"] = model
    for i in range(programs):
        seed = first_seed + i
        src = workdir / f"p{seed}.c"
        generate(seed, src)
        status, reference = build_and_run(src, workdir / "oz", base_env, False, timeout)
        if status != "ok":  # csmith sometimes writes a program that runs too long
            report.outcomes.append(Outcome(seed, "-Oz", "skipped", reference))
            continue
        report.programs += 1
        variants: list[tuple[str, dict[str, str]]] = [("model", base_env)]
        for j in range(per_program):
            entry = entries[(i * per_program + j) % len(entries)]
            listing = workdir / f"force{j}.txt"
            listing.write_text(entry + "\n")
            variants.append(
                (entry, {**base_env, "LLMC_PIPELINES": str(listing), "LLMC_FORCE": "1"})
            )
        for name, env in variants:
            status, output = build_and_run(src, workdir / "llmc", env, True, timeout)
            report.builds += 1
            if status == "build-failed":
                report.outcomes.append(Outcome(seed, name, "MISMATCH", "build failed: " + output))
            elif output != reference:
                report.outcomes.append(
                    Outcome(seed, name, "MISMATCH", f"{output[:80]!r} != {reference[:80]!r}")
                )
            else:
                report.outcomes.append(Outcome(seed, name, "same"))
    return report


def _main(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="llmc-difftest-") as tmp:
        report = run(
            args.programs, args.per_program, args.seed, args.model, args.timeout, Path(tmp)
        )
    print(
        f"{report.programs} programs, {report.builds} llmc builds, "
        f"{len(report.mismatches)} mismatches"
    )
    for o in report.mismatches:
        print(f"MISMATCH seed={o.seed} pipeline={o.variant}: {o.detail}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "programs": report.programs,
                    "builds": report.builds,
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
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds a program may run")
    parser.add_argument("--json", help="write every outcome here")
    parser.set_defaults(func=_main)
