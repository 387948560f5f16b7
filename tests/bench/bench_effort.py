"""Size against effort: ``LLMC_EFFORT`` = k, 8, 16, 32, 64, 128 on held-out modules.

Each module of the corpus's test split (projects never trained on) is
compiled with plain ``clang -Oz`` and then with the plugin at every effort,
back to back, so machine noise hits all settings alike. Reports, per effort,
the geomean and total size change against -Oz (text+data, as llvm-size), how
many modules got larger (must be none), and the compile time against plain
-Oz. A warm ranking server serves every compile (one per run, as in a build).

Rows are appended to ``OUT/rows.jsonl`` as modules finish, and a rerun with
the same arguments resumes from them. Modules larger than ``--max-bytes`` of
bitcode (an amalgamation takes hours at effort 128) are left out.

usage: python tests/bench/bench_effort.py --corpus DIR --out DIR [--limit 40]
         [--efforts 0,8,16,32,64,128] [--max-bytes 1000000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pybridge import decisionlog, options, toolchain
from pybridge.training import evaluate as ev
from pybridge.training import modules as mods


def compile_once(module: str, out: Path, env: dict[str, str] | None) -> float:
    """Seconds of one ``clang -Oz`` of ``module`` (with the plugin when ``env``)."""
    cmd = [toolchain.tool("clang"), "-Oz", "-c", module, "-o", str(out)]
    if env is not None:
        cmd.insert(2, f"-fpass-plugin={toolchain.plugin_path()}")
    start = time.monotonic()
    subprocess.run(cmd, check=True, capture_output=True, env=env, timeout=3600)
    return time.monotonic() - start


def measure(specs: list[mods.ModuleSpec], efforts: list[int], work: Path, done: Path) -> list[dict]:
    rows = []
    if done.exists():
        rows = [json.loads(line) for line in done.read_text().splitlines() if line.strip()]
    finished = {r["module"] for r in rows}
    server = work / "server"
    server.mkdir(mode=0o700)
    for n, spec in enumerate(specs, 1):
        if f"{spec.project}/{spec.file}" in finished:
            continue
        row: dict = {"module": f"{spec.project}/{spec.file}", "seconds": {}, "sizes": {}}
        plain = work / "plain.o"
        row["seconds"]["oz"] = compile_once(spec.path, plain, None)
        row["sizes"]["oz"] = ev.object_size(plain)
        for effort in efforts:
            log, out = work / f"e{effort}.jsonl", work / f"e{effort}.o"
            log.unlink(missing_ok=True)
            # One trial at a time: the times are of the trials themselves, not
            # of how many CPUs were idle while the bench ran.
            env = options.plugin_env(
                Effort=effort, CacheDir="off", Log=log, Server=server, Timeout=60, Jobs=1
            )
            row["seconds"][effort] = compile_once(spec.path, out, env)
            row["sizes"][effort] = ev.object_size(out)
            decisions = decisionlog.read(log)
            row.setdefault("tried", {})[effort] = len(decisions[-1].tried) if decisions else 0
        row = json.loads(json.dumps(row))  # efforts as strings, as they come back from disk
        rows.append(row)
        with done.open("a") as fh:
            fh.write(json.dumps(row) + "\n")
        print(f"[{n}/{len(specs)}] {row['module']}: {row['sizes']}", file=sys.stderr, flush=True)
    return rows


def report(rows: list[dict], efforts: list[int], k: int) -> dict:
    per_module = [
        {"oz": r["sizes"]["oz"], **{str(e): r["sizes"][str(e)] for e in efforts}} for r in rows
    ]
    summary = ev.summarize(per_module)
    oz_seconds = sum(r["seconds"]["oz"] for r in rows)
    table = []
    for e in efforts:
        s = summary[str(e)]
        table.append(
            {
                "effort": e or k,
                "geomean_change_pct": s["geomean_change_pct"],
                "total_change_pct": s["total_change_pct"],
                "improved": s["improved"],
                "larger": round(s["worse"] * s["modules"]),
                "time_ratio": round(sum(r["seconds"][str(e)] for r in rows) / oz_seconds, 2),
                "median_seconds": round(statistics.median(r["seconds"][str(e)] for r in rows), 3),
            }
        )
    return {"modules": len(rows), "oz_seconds": round(oz_seconds, 2), "efforts": table}


def markdown(result: dict) -> str:
    lines = [
        "| effort | geomean vs -Oz | total vs -Oz | modules smaller | larger | time vs -Oz |",
        "|---|---|---|---|---|---|",
    ]
    for t in result["efforts"]:
        lines.append(
            f"| {t['effort']} | {t['geomean_change_pct']:+.2f}% | {t['total_change_pct']:+.2f}% "
            f"| {100 * t['improved']:.0f}% | {t['larger']} | {t['time_ratio']:.1f}x |"
        )
    return "\n".join(lines)


def plot(result: dict, out: Path) -> None:
    """The trade-off curve: geomean size change against compile time, one point per effort."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = result["efforts"]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot([t["time_ratio"] for t in rows], [t["geomean_change_pct"] for t in rows], marker="o")
    for t in rows:
        ax.annotate(str(t["effort"]), (t["time_ratio"], t["geomean_change_pct"]),
                    textcoords="offset points", xytext=(4, 4))  # fmt: skip
    ax.set_xscale("log")
    ax.set_xlabel("compile time vs plain -Oz (x, log scale)")
    ax.set_ylabel("geomean size change vs -Oz (%)")
    ax.set_title(f"LLMC_EFFORT on {result['modules']} test-split modules (x86-64)")
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mods.add_sample_arguments(parser, limit=40)
    parser.add_argument("--efforts", default="0,8,16,32,64,128")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--max-bytes", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    efforts = [int(e) for e in args.efforts.split(",")]
    specs = mods.load_modules(
        args.corpus,
        args.manifest,
        splits=[args.split],
        split_file=args.split_file,
        limit=args.limit,
        max_bytes=args.max_bytes,
    )
    if not specs:
        print(f"no {args.split} modules under {args.corpus}", file=sys.stderr)
        return 1
    k = int(options.default("Candidates"))
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="llmc-effort-") as tmp:
        rows = measure(specs, efforts, Path(tmp), args.out / "rows.jsonl")
    result = report(rows, efforts, k)
    print(markdown(result))
    (args.out / "effort.json").write_text(json.dumps(result, indent=1) + "\n")
    (args.out / "effort.md").write_text(markdown(result) + "\n")
    try:
        plot(result, args.out / "effort.png")
    except ImportError:
        print("matplotlib is not installed: no effort.png", file=sys.stderr)
    return 0 if all(t["larger"] == 0 for t in result["efforts"]) else 1


if __name__ == "__main__":
    sys.exit(main())
