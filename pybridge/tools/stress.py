"""``llmc stress``: llvm-stress modules through the plugin, which must never break a build.

Each ``llvm-stress-19`` module (one per seed and size) goes through
``opt-19 -load-pass-plugin=libllmc.so -passes=llmc-autotune`` once with the
model's choice and once per forced table entry (``LLMC_PIPELINES`` with one
pipeline, ``LLMC_FORCE``). Program *i* forces entries ``i*per, ...,
i*per + per - 1`` (mod table size), as ``llmc difftest`` does, so N modules
cover each entry about ``N * per / size`` times.

Every run must exit 0 without a crash report, and its output must pass
``opt-19 -passes=verify``. A forced entry that the plugin did not apply (its
trial crashed, timed out or gave invalid IR in the forked child, and the
plugin fell back) is contained, not a failure: it is counted as
``not-applied`` with the trial's status, because a crash there means the
entry is useless on such modules.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pybridge import decisionlog, options, toolchain
from pybridge.tools.difftest import table_entries

CRASH_MARKS = ("PLEASE submit a bug report", "Stack dump:", "LLVM ERROR", "Assertion")
BAD = ("FAILED", "INVALID")


@dataclass
class Outcome:
    seed: int
    size: int
    variant: str  # "model" or the forced pipeline
    status: str  # "ok", "not-applied", "FAILED" (rc, crash) or "INVALID" (verifier)
    detail: str = ""


@dataclass
class Report:
    modules: int = 0
    outcomes: list[Outcome] = field(default_factory=list)

    def of(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status in BAD]

    def summary(self, sizes: Sequence[int], seeds: Sequence[int]) -> dict:
        forced = [o for o in self.outcomes if o.variant != "model"]
        model = [o for o in self.outcomes if o.variant == "model"]
        not_applied = Counter(o.detail.split(":")[0] for o in self.of("not-applied"))
        per_entry = Counter(o.variant for o in forced)
        return {
            "modules": self.modules,
            "sizes": list(sizes),
            "seeds": [min(seeds), max(seeds)] if seeds else [],
            "runs": len(self.outcomes),
            "model_runs": len(model),
            "forced_trials": len(forced),
            "forced_entries": len(per_entry),
            "forced_min_per_entry": min(per_entry.values(), default=0),
            "ok": len(self.of("ok")),
            "crashes_or_rc": len(self.of("FAILED")),
            "verifier_failures": len(self.of("INVALID")),
            "not_applied": dict(sorted(not_applied.items())),
            "not_applied_by_entry": dict(
                sorted(Counter(o.variant for o in self.of("not-applied")).items())
            ),
            "model_winners": dict(
                Counter(o.detail or "default<Oz>" for o in model if o.status == "ok").most_common(
                    10
                )
            ),
            "failures": [asdict(o) for o in self.failures],
        }


def generate(seed: int, size: int, out: Path) -> None:
    """An llvm-stress module as bitcode."""
    text = subprocess.run(
        [toolchain.tool("llvm-stress"), f"-seed={seed}", f"-size={size}"],
        check=True,
        capture_output=True,
        timeout=60,
    ).stdout
    subprocess.run(
        [toolchain.tool("llvm-as"), "-", "-o", str(out)], input=text, check=True, timeout=60
    )


def verify(path: Path) -> str:
    """'' when ``path`` passes the verifier, else the first line of the complaint."""
    proc = subprocess.run(
        [toolchain.tool("opt"), "-passes=verify", str(path), "-disable-output"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if proc.returncode == 0:
        return ""
    return (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[0][:300]


def run_plugin(source: Path, out: Path, env: dict[str, str], log: Path, timeout: float) -> str:
    """Run opt with the plugin; '' when it exited 0 cleanly, else what went wrong."""
    command = [
        toolchain.tool("opt"),
        f"-load-pass-plugin={toolchain.plugin_path()}",
        "-passes=llmc-autotune",
        str(source),
        "-o",
        str(out),
    ]
    try:
        proc = subprocess.run(
            command,
            env={**env, **options.plugin_env({}, Log=log)},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"timeout after {timeout:g} s"
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-1:] or [""]
        return f"exit {proc.returncode}: {tail[0][:200]}"
    mark = next((m for m in CRASH_MARKS if m in proc.stderr), None)
    if mark:
        return f"exit 0 but stderr has {mark!r}"
    if not out.is_file() or out.stat().st_size == 0:
        return "no output"
    return ""


def check_module(
    index: int,
    seed: int,
    size: int,
    entries: Sequence[str],
    per_program: int,
    base_env: dict[str, str],
    timeout: float,
    workdir: Path,
) -> list[Outcome]:
    """The model's run and ``per_program`` forced entries on one llvm-stress module."""
    work = workdir / f"s{seed}-n{size}"
    work.mkdir()
    source = work / "in.bc"
    generate(seed, size, source)
    variants: list[tuple[str, dict[str, str]]] = [("model", base_env)]
    for j in range(min(per_program, len(entries))):
        entry = entries[(index * per_program + j) % len(entries)]
        listing = work / f"force{j}.txt"
        listing.write_text(entry + "\n")
        variants.append(
            (entry, {**base_env, **options.plugin_env({}, Pipelines=listing, Force=True)})
        )
    outcomes = []
    for k, (name, env) in enumerate(variants):
        out, log = work / f"out{k}.bc", work / f"log{k}.jsonl"
        problem = run_plugin(source, out, env, log, timeout)
        if problem:
            outcomes.append(Outcome(seed, size, name, "FAILED", problem))
            continue
        complaint = verify(out)
        if complaint:
            outcomes.append(Outcome(seed, size, name, "INVALID", complaint))
            continue
        records = decisionlog.read(log)
        if not records:
            outcomes.append(Outcome(seed, size, name, "FAILED", "no decision logged"))
            continue
        record = records[-1]
        if name == "model":
            outcomes.append(Outcome(seed, size, name, "ok", record.winner))
            continue
        if record.winner == name:
            outcomes.append(Outcome(seed, size, name, "ok"))
            continue
        trial = next((c for c in record.candidates if c.pipeline == name), None)
        why = f"{trial.status}: {trial.reason}".strip() if trial else "not tried"
        outcomes.append(Outcome(seed, size, name, "not-applied", why or record.fallback))
    for path in work.iterdir():
        path.unlink()
    work.rmdir()
    return outcomes


def run(
    seeds: Sequence[int],
    sizes: Sequence[int],
    per_program: int,
    workdir: Path,
    *,
    model: str = "",
    entries: Sequence[str] | None = None,
    jobs: int = 1,
    timeout: float = 600.0,
    progress: bool = False,
) -> Report:
    entries = list(entries if entries is not None else table_entries(model))
    server = workdir / "server"  # a server of this run's own, not a shared one
    server.mkdir(mode=0o700, exist_ok=True)
    # The model decides even small modules; nothing replayed from a cache.
    base_env = options.plugin_env(
        CacheDir="off", MinInstructions=0, Server=server, Model=model or ""
    )
    work = [(seed, size) for size in sizes for seed in seeds]
    report = Report()
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:  # each job is subprocesses
        futures = [
            pool.submit(
                check_module, i, seed, size, entries, per_program, base_env, timeout, workdir
            )
            for i, (seed, size) in enumerate(work)
        ]
        for done, future in enumerate(futures, 1):
            report.outcomes += future.result()
            report.modules += 1
            if progress and (done % 10 == 0 or done == len(work)):
                print(
                    f"llmc stress: {done}/{len(work)} modules, {len(report.failures)} failures, "
                    f"{len(report.of('not-applied'))} forced entries not applied",
                    file=sys.stderr,
                    flush=True,
                )
    return report


def _main(args: argparse.Namespace) -> int:
    seeds = list(range(args.seed, args.seed + args.seeds))
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="llmc-stress-") as tmp:
        report = run(
            seeds,
            args.size,
            args.per_program,
            Path(tmp),
            model=args.model,
            jobs=args.jobs,
            timeout=args.timeout,
            progress=True,
        )
    summary = report.summary(args.size, seeds)
    summary["seconds"] = round(time.perf_counter() - start)
    print(
        f"{summary['modules']} llvm-stress modules (sizes {', '.join(map(str, args.size))}), "
        f"{summary['model_runs']} model runs, {summary['forced_trials']} forced trials over "
        f"{summary['forced_entries']} entries (each at least {summary['forced_min_per_entry']}), "
        f"{summary['crashes_or_rc']} crashes or non-zero exits, "
        f"{summary['verifier_failures']} verifier failures, "
        f"{len(report.of('not-applied'))} forced entries not applied"
    )
    for o in report.failures:
        print(f"{o.status} seed={o.seed} size={o.size} pipeline={o.variant}: {o.detail}")
    for reason, count in summary["not_applied"].items():
        print(f"not applied ({reason}): {count}")
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=1) + "\n")
    return 1 if report.failures else 0


def configure(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = __doc__.split("\n\n", 1)[1]
    parser.add_argument("--seeds", type=int, default=100, help="seeds per size (default 100)")
    parser.add_argument("--seed", type=int, default=1, help="first llvm-stress seed")
    parser.add_argument(
        "--size",
        type=int,
        nargs="+",
        default=[100, 500, 2000],
        help="llvm-stress -size values (default 100 500 2000)",
    )
    parser.add_argument(
        "--per-program", type=int, default=9, help="table entries forced per module (default 9)"
    )
    parser.add_argument("--model", default="", help="ranker whose table is tested")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds one opt run may take")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="parallel modules (default 1)")
    parser.add_argument("--json", help="write the summary here")
    parser.set_defaults(func=_main)
