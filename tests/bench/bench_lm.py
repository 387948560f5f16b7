"""The causal-LM backend's cost: export, start-up, tokens/s, decision latency.

On the tiny Llama of tests/python/test_lm.py (or any exported --lm-dir):
- export: ``llmc export-lm`` in a fresh process (imports and export apart), size;
- per engine (``lean``: onnxruntime + tokenizers + numpy; ``optimum``:
  ORTModelForCausalLM, which imports torch and transformers), each run in a
  fresh interpreter as every compiler process is: imports, model load, first
  decision, then each module's decision (llmc's real prompt, real IR, greedy,
  stop strings on), prefill of the longest prompt, and decode tokens/s with
  EOS and stop strings off (so every run decodes the same number of tokens).

``--ensemble PROJECT`` then builds a real project (``llmc build-compare``'s
recipes, e.g. zlib, the main job's) three ways in one run: -Oz, the ranker
alone, the ranker with this LM joining its candidates; per-file and total sizes.

usage: python tests/bench/bench_lm.py [--lm-dir DIR] [--runs N] [--tokens N]
                                      [--ensemble zlib]
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

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "python")]

PROBE = r"""
import json, sys, time
t0 = time.perf_counter()
engine, lm_dir, n_tokens = sys.argv[1], sys.argv[2], int(sys.argv[3])
irs = json.loads(open(sys.argv[4]).read())
if engine == "lean":
    import numpy, onnxruntime, tokenizers
else:
    import onnxruntime, torch, transformers
    from optimum.onnxruntime import ORTModelForCausalLM
from pybridge import lm
t1 = time.perf_counter()
runner, meta = lm.load(lm_dir, engine)
t2 = time.perf_counter()
decisions = {}
for name, ir in irs.items():
    p = lm.propose(ir, lm_dir, 600_000, engine)
    decisions[name] = {"ms": p.ms, "prompt_tokens": p.prompt_tokens, "tokens": p.tokens,
                       "reason": p.reason}
t3 = time.perf_counter()
free = lm.Meta(meta.prompt_template, meta.max_context, n_tokens, (), ())
ids = runner.encode(lm.prompt(meta, max(irs.values(), key=len)))
s = time.perf_counter(); runner.generate(ids, free, s + 600, 1); prefill = time.perf_counter() - s
s = time.perf_counter(); out, _ = runner.generate(ids, free, s + 600, n_tokens)
decode = time.perf_counter() - s - prefill
print(json.dumps({"imports_s": t1 - t0, "load_s": t2 - t1, "decisions": decisions,
                  "all_decisions_s": t3 - t2, "prefill_ms": 1000 * prefill,
                  "prompt_tokens": len(ids), "decoded": len(out),
                  "tokens_per_s": (len(out) - 1) / decode if decode > 0 else 0.0,
                  "torch_imported": "torch" in sys.modules,
                  "transformers_imported": "transformers" in sys.modules,
                  "provider": runner.provider}))
"""

EXPORT = r"""
import json, sys
from pybridge.lm import export as lm_export
print(json.dumps(lm_export.export_lm(sys.argv[1], sys.argv[2], max_new_tokens=64)))
"""


def fresh(code: str, *args: str) -> tuple[dict, float]:
    """Run ``code`` in a new interpreter; its JSON line and the process's wall time."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"probe failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1]), wall


def tiny_model(work: Path, irs: dict[str, str]) -> Path:
    from test_lm import build_tiny_llama

    hf = build_tiny_llama(work / "hf", list(irs.values()))
    report, wall = fresh(EXPORT, str(hf), str(work / "onnx"))
    print(
        f"export (fresh process): {wall:.2f} s wall, imports {report['import_s']:.2f} s, "
        f"optimum export {report['export_s']:.2f} s, "
        f"{report['bytes'] / 1e6:.2f} MB on disk"
    )
    check = report["check"]
    print(
        f"export check: lean {check['lean']['ms']:.1f} ms, optimum "
        f"{check['optimum']['ms']:.1f} ms for 8 tokens; same tokens: {check['same']}"
    )
    return work / "onnx"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lm-dir", type=Path, help="an exported model (default: the tiny one)")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per engine")
    parser.add_argument("--tokens", type=int, default=64, help="tokens decoded for tokens/s")
    parser.add_argument("--ensemble", help="a build-compare project to build with ranker + LM")
    args = parser.parse_args(argv)

    from conftest import PROGRAMS
    from test_lm import ir_of

    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        irs = {name: ir_of(source, work, name) for name, source in PROGRAMS.items()}
        lm_dir = args.lm_dir or tiny_model(work, irs)
        ir_file = work / "irs.json"
        ir_file.write_text(json.dumps(irs))
        rows = {}
        for engine in ("lean", "optimum"):
            runs = [
                fresh(PROBE, engine, str(lm_dir), str(args.tokens), str(ir_file))
                for _ in range(args.runs)
            ]
            rows[engine] = runs
            first, _ = runs[0]

            def median(key: str, runs: list = runs) -> float:
                return statistics.median(r[key] for r, _ in runs)

            per_module = {
                name: statistics.median(r["decisions"][name]["ms"] for r, _ in runs) for name in irs
            }
            print(
                f"\n{engine} ({first['provider']}; torch imported: {first['torch_imported']}, "
                f"transformers imported: {first['transformers_imported']}), "
                f"median of {args.runs} fresh processes:"
            )
            print(
                f"  process wall (python start to exit): "
                f"{statistics.median(w for _, w in runs):7.2f} s"
            )
            print(f"  imports {median('imports_s'):7.3f} s   model load {median('load_s'):7.3f} s")
            print(
                f"  prefill {median('prefill_ms'):7.1f} ms ({first['prompt_tokens']} tokens)  "
                f"decode {median('tokens_per_s'):8.0f} tokens/s ({first['decoded']} tokens)"
            )
            for name, ms in per_module.items():
                d = first["decisions"][name]
                print(
                    f"  decision {name:<11} {ms:8.1f} ms  prompt {d['prompt_tokens']:5d} "
                    f"+ {d['tokens']:3d} tokens  {d['reason'] or 'pipeline'}"
                )
        lean = statistics.median(r["imports_s"] + r["load_s"] for r, _ in rows["lean"])
        opt = statistics.median(r["imports_s"] + r["load_s"] for r, _ in rows["optimum"])
        print(
            f"\nstart-up (imports + load): lean {lean:.3f} s, optimum {opt:.3f} s "
            f"({opt / lean:.0f}x)"
        )
        if args.ensemble:
            return ensemble(args.ensemble, lm_dir)
    return 0


def ensemble(project: str, lm_dir: Path) -> int:
    """-Oz, ranker, ranker + LM on one project; 1 if the ensemble is ever larger."""
    from pybridge.tools import buildcompare

    ranker = buildcompare.compare(project)
    both = buildcompare.compare(project, extra_env={"LLMC_LM": str(lm_dir)})
    alone = {r["file"]: r["llmc"] for r in ranker["rows"]}
    worse = [r for r in both["rows"] if r["llmc"] > alone[r["file"]]]
    print(f"\nensemble on {project} ({len(alone)} objects, text + data bytes):")
    print(f"  -Oz            {ranker['total_oz']:>9,}")
    for name, total in (("ranker", ranker["total_llmc"]), ("ranker + LM", both["total_llmc"])):
        change = buildcompare.change(total, ranker["total_oz"])
        print(f"  {name:<14} {total:>9,}  {change}")
    print(
        f"  modules smaller than -Oz: ranker + LM {both['modules_improved']} of "
        f"{both['modules_decided']}, ranker alone {ranker['modules_improved']}"
    )
    print(f"  objects larger with the LM than without: {len(worse)}")
    return 1 if worse else 0


if __name__ == "__main__":
    sys.exit(main())
