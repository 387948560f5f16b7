"""Round-trip metrics of ``llmc eval-lm`` on the committed sample, and time per input.

The sample is tests/python/data/lm_tasks/inputs: clang-19 -Oz -S of C sources in
this repository for x86-64 and thumbv7em-none-eabi -mcpu=cortex-m4 (disassembly)
and their IR before any pass (emulation of ``default<Oz>``). Two models:

- ``tiny``: the random tiny Llama of tests/python/test_lm.py with LLM
  Compiler's 16k context, exported by ``llmc export-lm`` and run by the lean
  engine (or any exported ``--lm-dir``): its answers are noise, so this
  measures the checks and the engine's cost;
- ``stub``: a scripted engine whose answer is the right IR (the -Oz IR of each
  assembly file, the real opt-19 output for each IR): the ceiling the checks
  allow, e.g. what textual IR cannot reproduce of clang's assembly.

usage: python tests/bench/bench_lm_tasks.py [--lm-dir DIR] [--budget-ms N]
                                             [--max-new-tokens N] [--json-out FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "python")]
DATA = ROOT / "tests" / "python" / "data" / "lm_tasks"
INPUTS = DATA / "inputs"


def stub_answer(prompt_text: str) -> str:
    from pybridge.lm import tasks as lm_tasks

    for path in sorted(INPUTS.glob("*.s")):
        if path.read_text() in prompt_text:
            return f"<code>{(DATA / 'answers' / (path.stem + '.ll')).read_text()}</code>"
    for path in sorted(INPUTS.glob("*.ll")):
        if path.read_text() in prompt_text:
            return f"<code>{lm_tasks.run_opt(path.read_text(), 'default<Oz>')}</code>"
    return "<code></code>"


def tiny_model(work: Path) -> Path:
    """The tiny Llama of test_lm.py, its tokenizer trained on IR and this sample."""
    from conftest import PROGRAMS
    from test_lm import build_tiny_llama, ir_of

    from pybridge.lm import export as lm_export
    from pybridge.lm import tasks as lm_tasks

    corpus = [ir_of(source, work, name) for name, source in PROGRAMS.items()]
    corpus += [p.read_text() for p in sorted(INPUTS.iterdir())]
    corpus += [lm_tasks.DISASM_PROMPT, lm_tasks.EMULATE_PROMPT]
    hf = build_tiny_llama(work / "hf", corpus, max_context=16384)  # LLM Compiler's context
    lm_export.export_lm(hf, work / "onnx", max_new_tokens=64, check=False)
    return work / "onnx"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lm-dir", type=Path, help="an exported model (default: the tiny one)")
    parser.add_argument("--budget-ms", type=int, default=60_000, help="per input")
    parser.add_argument(
        "--max-new-tokens", type=int, default=1024, help="answer limit of the model (not the stub)"
    )
    parser.add_argument("--json-out", type=Path, help="write both reports here")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from pybridge.lm import tasks as lm_tasks

    reports = {}
    with tempfile.TemporaryDirectory() as temporary:
        lm_dir = args.lm_dir or tiny_model(Path(temporary))
        models = {
            "tiny" if args.lm_dir is None else str(args.lm_dir): lm_tasks.open_model(lm_dir),
            "stub": lm_tasks.scripted_model(stub_answer),
        }
        for label, model in models.items():
            # The stub's tokens are characters: its answers are never cut.
            limit = None if label == "stub" else args.max_new_tokens
            report = lm_tasks.evaluate_dir(INPUTS, model, args.budget_ms, max_new_tokens=limit)
            reports[label] = report
            print(f"\n== {label} ({model.engine}, load {model.load_ms:.0f} ms) ==")
            print(lm_tasks.format_table(report))
    if args.json_out:
        args.json_out.write_text(json.dumps(reports, indent=2) + "\n")
    stub = reports["stub"]["summary"]
    # The stub's answers are right: every one must verify.
    return 0 if stub["disasm"]["valid"] == stub["disasm"]["inputs"] else 1


if __name__ == "__main__":
    sys.exit(main())
