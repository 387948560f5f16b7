"""Decision latency: interpreter start, first model load, one decision.

Two views, both on real modules (the .c files given, or zlib's sources):
- Python side, in a fresh interpreter per module (as every compiler process
  is): import of numpy/llvmlite/onnxruntime, model load, feature extraction,
  inference;
- plugin side: opt-19 with the plugin, per module, from the decision log:
  ``rank`` in-process (``LLMC_SERVER=off``: bridge load + interpreter start +
  everything above) and through a warm ranking server (the default), the
  candidate trials, the totals; and plain ``opt -passes=default<Oz>`` wall
  time beside them.

A third, ``--corpus DIR``: over a round-robin sample of corpus modules, the
decision itself (features + inference + choice, in a warm interpreter) against
each module's plain ``clang -Oz -c`` time: issue 4's budget is 10% and 5 ms of
inference.

usage: python tests/bench/bench_decision.py [--model M] [FILE.c ...]
       python tests/bench/bench_decision.py --corpus DIR [--limit 200]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pybridge import decisionlog, toolchain
from pybridge.tools.commands import load_bitcode

PROBE = r"""
import json, sys, time
t0 = time.perf_counter()
import numpy, llvmlite.binding, onnxruntime
t1 = time.perf_counter()
from pybridge import features, toolchain
from itertools import islice
from pybridge.advisor import iter_cover_order
from pybridge.model import load_model
m = load_model(sys.argv[2] or toolchain.DEFAULT_MODEL)
k = int(sys.argv[3])
t2 = time.perf_counter()
bc = open(sys.argv[1], "rb").read()
v = features.extract(bc)
t3 = time.perf_counter()
m.beliefs(v)
t4 = time.perf_counter()
w, s = m.beliefs(v)
t5 = time.perf_counter()
list(islice(iter_cover_order(w[0], s[0]), k))
t6 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "model_load": t2 - t1, "features": t3 - t2,
                  "first_inference": t4 - t3, "inference": t5 - t4, "decision": t6 - t5}))
"""

# One warm process over many modules: features + inference + decision per module.
CORPUS_PROBE = r"""
import json, sys, time
import numpy
from pybridge import features, toolchain
from itertools import islice
from pybridge.advisor import iter_cover_order
from pybridge.model import load_model
m = load_model(sys.argv[1] or toolchain.DEFAULT_MODEL)
k = int(sys.argv[2])
# Warm, as the ranking server is: the first extraction also initializes LLVM.
features.extract(open(sys.argv[3], "rb").read())
for path in sys.argv[3:]:
    bc = open(path, "rb").read()
    t0 = time.perf_counter()
    v = features.extract(bc)
    t1 = time.perf_counter()
    w, s = m.beliefs(v)
    t2 = time.perf_counter()
    list(islice(iter_cover_order(w[0], s[0]), k))  # the plugin's k candidates
    t3 = time.perf_counter()
    n = round(float(numpy.expm1(v[features.FEATURE_NAMES.index("log_instructions")])))
    print(json.dumps({"features": t1 - t0, "inference": t2 - t1, "decision": t3 - t2,
                      "instructions": n}))
"""


# What zlib's configure defines on Debian 12.
ZLIB_DEFINES = ["-D_LARGEFILE64_SOURCE=1", "-DHAVE_HIDDEN", "-w"]


def frontend(source: Path, out: Path) -> None:
    out.write_bytes(load_bitcode(source, ZLIB_DEFINES))


def ms(values: list[float]) -> str:
    return f"{1000 * statistics.median(values):8.1f}"


def corpus_latency(corpus: Path, limit: int, model: str) -> int:
    """Decision cost (features + inference + choice) against each module's plain
    ``clang -Oz -c`` time, over a round-robin sample of the corpus."""
    from pybridge.training import modules as mods

    specs = mods.load_modules(corpus, mods.DEFAULT_MANIFEST, limit=limit)
    compile_s = []
    for spec in specs:
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run(
                [toolchain.tool("clang"), "-Oz", "-c", spec.path, "-o", os.devnull], check=True
            )
            runs.append(time.perf_counter() - start)
        compile_s.append(statistics.median(runs))
    out = subprocess.run(
        [sys.executable, "-c", CORPUS_PROBE, model, str(candidates()), *[s.path for s in specs]],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    # Modules under the plugin's small-module threshold get -Oz without a decision.
    from bench_threshold import plugin_default  # the threshold, as test_threshold checks it

    threshold = plugin_default()
    pairs = [
        (json.loads(line), c)
        for line, c in zip(out, compile_s, strict=True)
        if json.loads(line)["instructions"] >= threshold
    ]
    probes = [p for p, _ in pairs]
    compile_s = [c for _, c in pairs]
    decision = [p["features"] + p["inference"] + p["decision"] for p in probes]
    ratios = sorted(d / c for d, c in zip(decision, compile_s, strict=True))
    inference = sorted(p["inference"] for p in probes)
    print(
        f"{len(specs)} corpus modules ({len({s.project for s in specs})} projects), "
        f"{len(specs) - len(probes)} under the {threshold}-instruction threshold left out; "
        f"machine: {os.uname().machine}, {os.cpu_count()} cores"
    )
    print(f"  all decisions / all compiles: {sum(decision) / sum(compile_s):.1%}")
    print(f"  plain clang -Oz -c, median     {ms(compile_s)} ms")
    print(f"  decision (features + inference + choice), median {ms(decision)} ms")
    print(f"  inference alone: median {ms(inference)} ms, max {1000 * inference[-1]:.2f} ms")
    print(
        f"  decision / compile: median {statistics.median(ratios):.1%}, "
        f"p90 {ratios[int(0.9 * (len(ratios) - 1))]:.1%}, max {ratios[-1]:.1%}; "
        f"over 10%: {sum(r > 0.10 for r in ratios)} of {len(ratios)}"
    )
    over = [c for d, c in zip(decision, compile_s, strict=True) if d > 0.10 * c]
    if over:
        print(f"  those over 10% compile in at most {1000 * max(over):.1f} ms")
    return 0


def candidates() -> int:
    """The plugin's default k: the decision timed is the choice of k candidates."""
    from pybridge import options

    return int(options.default("Candidates"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="*", type=Path)
    parser.add_argument("--model", default="")
    parser.add_argument("--corpus", type=Path, help="time decisions on this corpus's modules")
    parser.add_argument("--limit", type=int, default=200, help="corpus modules (default 200)")
    args = parser.parse_args(argv)
    if args.corpus:
        return corpus_latency(args.corpus, args.limit, args.model)
    sources = args.sources
    if not sources:
        from pybridge.tools.buildcompare import fetch_source

        tree = fetch_source("zlib")
        sources = sorted(p for p in tree.glob("*.c") if p.name not in {"example.c", "minigzip.c"})
    k = str(candidates())
    probe: dict[str, list[float]] = {}
    plugin: dict[str, list[float]] = {}
    opt_oz: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        logs = {"in-process": Path(tmp) / "off.jsonl", "server": Path(tmp) / "on.jsonl"}
        servers = {"in-process": "off", "server": str(Path(tmp) / "server")}
        for src in sources:
            bc = Path(tmp) / (src.stem + ".bc")
            frontend(src, bc)
            out = subprocess.run(
                [sys.executable, "-c", PROBE, str(bc), args.model, k],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            for key, value in json.loads(out).items():
                probe.setdefault(key, []).append(value)
            start = time.perf_counter()
            subprocess.run(
                [toolchain.tool("opt"), "-passes=default<Oz>", str(bc), "-o", os.devnull],
                check=True,
            )
            opt_oz.append(time.perf_counter() - start)
            for via, log in logs.items():
                env = {**os.environ, "LLMC_LOG": str(log), "LLMC_SERVER": servers[via]}
                env["LLMC_CACHE_DIR"] = "off"
                if args.model:
                    env["LLMC_MODEL"] = args.model
                subprocess.run(
                    [
                        toolchain.tool("opt"),
                        f"-load-pass-plugin={toolchain.plugin_path()}",
                        "-passes=llmc-autotune",
                        str(bc),
                        "-o",
                        os.devnull,
                    ],
                    env=env,
                    check=True,
                )
        for via, log in logs.items():
            records = decisionlog.read(log)
            if via == "server":  # the first one started the server
                records = records[1:]
            for key in ("rank", "trials", "total"):
                plugin.setdefault(f"{key} ({via})", []).extend(
                    r.micros[key] / 1e6 for r in records if r.ranker == via
                )
        plugin["opt -Oz"] = opt_oz
    print(
        f"{len(sources)} modules; medians in ms (machine: {os.uname().machine}, "
        f"{os.cpu_count()} cores)"
    )
    for key, values in probe.items():
        print(f"  python {key:<26}{ms(values)}")
    for key, values in plugin.items():
        print(f"  plugin {key:<26}{ms(values)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
