"""Decision latency: interpreter start, first model load, one decision.

Two views, both on real modules (the .c files given, or zlib's sources):
- Python side, in a fresh interpreter per module (as every compiler process
  is): import of numpy/llvmlite/onnxruntime, model load, feature extraction,
  inference;
- plugin side: opt-19 with the plugin, per module, from the decision log:
  ``rank`` (bridge load + interpreter start + everything above), candidate
  trials, total; and plain ``opt -passes=default<Oz>`` wall time beside it.

usage: python tests/bench/bench_decision.py [--model M] [FILE.c ...]
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

from pybridge import toolchain
from pybridge.commands import load_bitcode

PROBE = r"""
import json, sys, time
t0 = time.perf_counter()
import numpy, llvmlite.binding, onnxruntime
t1 = time.perf_counter()
from pybridge import features, toolchain
from pybridge.model import load_model
m = load_model(sys.argv[2] or toolchain.DEFAULT_MODEL)
t2 = time.perf_counter()
bc = open(sys.argv[1], "rb").read()
v = features.extract(bc)
t3 = time.perf_counter()
m.scores(v)
t4 = time.perf_counter()
m.scores(v)
t5 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "model_load": t2 - t1, "features": t3 - t2,
                  "first_inference": t4 - t3, "inference": t5 - t4}))
"""


# What zlib's configure defines on Debian 12.
ZLIB_DEFINES = ["-D_LARGEFILE64_SOURCE=1", "-DHAVE_HIDDEN", "-w"]


def frontend(source: Path, out: Path) -> None:
    out.write_bytes(load_bitcode(source, ZLIB_DEFINES))


def ms(values: list[float]) -> str:
    return f"{1000 * statistics.median(values):8.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="*", type=Path)
    parser.add_argument("--model", default="")
    args = parser.parse_args(argv)
    sources = args.sources
    if not sources:
        from pybridge.buildcompare import fetch_source

        tree = fetch_source("zlib")
        sources = sorted(p for p in tree.glob("*.c") if p.name not in {"example.c", "minigzip.c"})
    probe: dict[str, list[float]] = {}
    plugin: dict[str, list[float]] = {"rank": [], "trials": [], "total": [], "opt -Oz": []}
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "log.jsonl"
        for src in sources:
            bc = Path(tmp) / (src.stem + ".bc")
            frontend(src, bc)
            out = subprocess.run(
                [sys.executable, "-c", PROBE, str(bc), args.model],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            for key, value in json.loads(out).items():
                probe.setdefault(key, []).append(value)
            env = {**os.environ, "LLMC_LOG": str(log)}
            if args.model:
                env["LLMC_MODEL"] = args.model
            start = time.perf_counter()
            subprocess.run(
                [toolchain.tool("opt"), "-passes=default<Oz>", str(bc), "-o", os.devnull],
                check=True,
            )
            plugin["opt -Oz"].append(time.perf_counter() - start)
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
        for line in log.read_text().splitlines():
            record = json.loads(line)
            for key in ("rank", "trials", "total"):
                plugin[key].append(record["us"][key] / 1e6)
    print(
        f"{len(sources)} modules; medians in ms (machine: {os.uname().machine}, "
        f"{os.cpu_count()} cores)"
    )
    for key, values in probe.items():
        print(f"  python {key:<16}{ms(values)}")
    for key, values in plugin.items():
        print(f"  plugin {key:<16}{ms(values)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
