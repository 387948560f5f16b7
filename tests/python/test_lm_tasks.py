"""LLM Compiler's disassembly and compiler-emulation tasks, checked (pybridge.lm.tasks).

Two models: the tiny random Llama of test_lm.py (real ONNX graph, real lean
engine; its answers are noise, so it exercises every failure path: invalid IR,
no answer within the budget, input longer than the context) and a scripted
stand-in whose answer is the right IR (the success paths: valid, BLEU 1.0).
The sample is tests/python/data/lm_tasks (clang-19 output of the repo's own C).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

import pytest
from conftest import PROGRAMS
from test_lm import build_tiny_llama, ir_of, run_cli

from pybridge import lm
from pybridge.lm import tasks as lm_tasks
from pybridge.tools import cli

DATA = Path(__file__).parent / "data" / "lm_tasks"
INPUTS = DATA / "inputs"
ANSWERS = DATA / "answers"
ASM = sorted(INPUTS.glob("*.s"))
TINY_NEW = 32


def answer_for(prompt_text: str) -> str:
    """The stub model: the right IR for whichever sample the prompt holds."""
    for path in ASM:
        if path.read_text() in prompt_text:
            return f"<code>{(ANSWERS / (path.stem + '.ll')).read_text()}</code>"
    for path in INPUTS.glob("*.ll"):
        if path.read_text() in prompt_text:
            return f"<code>{lm_tasks.run_opt(path.read_text(), 'default<Oz>')}</code>"
    return "<code>not IR</code>"


@pytest.fixture(scope="module")
def stub() -> lm_tasks.Model:
    return lm_tasks.scripted_model(answer_for)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny Llama of test_lm.py, its tokenizer also trained on the sample."""
    work = tmp_path_factory.mktemp("tiny-tasks")
    corpus = [ir_of(source, work, name) for name, source in PROGRAMS.items()]
    corpus += [p.read_text() for p in sorted(INPUTS.iterdir())]
    corpus += [lm_tasks.DISASM_PROMPT, lm_tasks.EMULATE_PROMPT]
    hf = build_tiny_llama(work / "hf", corpus)
    out = work / "onnx"
    assert run_cli(str(hf), str(out), "--max-new-tokens", "64") == 0
    return out


def llmc(*argv: str) -> int:
    args = cli.build_parser().parse_args(list(argv))
    return int(args.func(args) or 0)


def one_line(err: str, command: str) -> str:
    assert err.startswith(f"llmc: {command}: "), err
    assert err.count("\n") == 1, err
    return err


# --- prompts, targets, metrics ------------------------------------------------------


def test_prompts_are_the_demo_scripts() -> None:
    assert lm_tasks.DISASM_PROMPT == (
        "[INST] Disassemble this code to LLVM-IR:\n\n<code>{asm}</code> [/INST]"
    )
    assert lm_tasks.EMULATE_PROMPT == (
        "[INST] Give the LLVM-IR for the following code when optimized using opt -p "
        "'{passes}':\n\n<code>{ir}</code>\n\nThe input code has instruction count "
        "{ir_count} and binary size {bin_size} bytes. [/INST]"
    )


def test_targets_are_detected_from_directives() -> None:
    x86 = lm_tasks.detect_target((INPUTS / "crc.x86_64.s").read_text())
    arm = lm_tasks.detect_target((INPUTS / "crc.cortex-m4.s").read_text())
    assert x86 == lm_tasks.Target("x86_64-linux-gnu")
    assert arm == lm_tasks.Target("thumbv7em-none-eabi", "cortex-m4")
    assert str(arm) == "thumbv7em-none-eabi -mcpu=cortex-m4"
    assert lm_tasks.parse_target("thumbv7em-none-eabi -mcpu=cortex-m4") == arm
    assert "--relocation-model=static" in arm.llc_args()
    assert "--relocation-model=pic" in x86.llc_args()
    assert lm_tasks.detect_target("\t.arch armv8-a\n\tret\n").triple == "aarch64-linux-gnu"


def test_normalize_and_bleu() -> None:
    asm = '\t.section\t".note#x","",@progbits  # tail\n# only a comment\n\n\tretq\n'
    assert lm_tasks.normalize_asm(asm) == ['.section ".note#x","",@progbits', "retq"]
    assert lm_tasks.normalize_asm("\tbx lr @ return\n", "@") == ["bx lr"]
    text = (INPUTS / "loops.x86_64.s").read_text()
    assert lm_tasks.bleu(text, text) == 1.0
    assert 0.0 < lm_tasks.bleu(text.replace("%eax", "%ebx"), text) < 1.0
    assert lm_tasks.bleu("", "") == 1.0 and lm_tasks.bleu("retq", "") == 0.0
    assert lm_tasks.extract_code("x <code>define</code> rest") == "define\n"
    assert lm_tasks.extract_code("define void @f()") == "define void @f()\n"


def test_tools_errors_are_one_line_values() -> None:
    with pytest.raises(lm_tasks.ToolError, match=r"^<stdin>:1:1: error: expected top-level"):
        lm_tasks.verify_ir("garbage")
    with pytest.raises(lm_tasks.ToolError, match="timed out"):
        lm_tasks.verify_ir((ANSWERS / "crc.x86_64.ll").read_text(), timeout=1e-6)
    with pytest.raises(lm_tasks.ToolError, match="empty answer"):
        lm_tasks.verify_ir("\n")


# --- the stub: success paths ------------------------------------------------------------


@pytest.mark.parametrize("path", ASM, ids=[p.stem for p in ASM])
def test_stub_disassembly_round_trips(path: Path, stub: lm_tasks.Model) -> None:
    result = lm_tasks.disassemble(path.read_text(), stub, 30_000, name=path.name)
    assert result.status == "ok" and result.valid and result.reason == "", result.line()
    assert result.ir == (ANSWERS / (path.stem + ".ll")).read_text()
    if path.stem == "matrix.x86_64":
        # The exact -Oz IR, yet other registers: textual IR carries no use-list order.
        assert 0.9 < result.bleu < 1.0 and not result.exact
    else:
        assert result.bleu == 1.0 and result.exact, result.line()
    assert "BLEU" in result.line() and "\n" not in result.line()


@pytest.mark.parametrize("name", ["matrix.x86_64", "crc.cortex-m4"])
def test_stub_is_exact_on_its_own_round_trip(name: str, stub: lm_tasks.Model) -> None:
    ir = (ANSWERS / f"{name}.ll").read_text()
    target = lm_tasks.detect_target((INPUTS / f"{name}.s").read_text())
    asm = lm_tasks._tool("llc", [*target.llc_args(ir), "-o", "-", "-"], ir, 60)
    model = lm_tasks.scripted_model(lambda prompt: f"<code>{ir}</code>")
    result = lm_tasks.disassemble(asm, model, 30_000, target=target)
    assert result.valid and result.bleu == 1.0 and result.exact


def test_stub_emulation_is_exact_and_predicts_the_size(stub: lm_tasks.Model) -> None:
    ir = (INPUTS / "crc.x86_64.ll").read_text()
    result = lm_tasks.emulate(ir, "default<Oz>", stub, 30_000, name="crc.x86_64.ll")
    assert result.status == "ok" and result.valid and result.exact and result.bleu == 1.0
    s = result.sizes
    assert s["predicted_instructions"] == s["real_instructions"] < s["input_instructions"]
    assert s["predicted_change_bytes"] == s["real_change_bytes"] < 0
    # The prompt states the input's counts as the demo does.
    prompt_text = lm_tasks.EMULATE_PROMPT.replace("{ir_count}", str(s["input_instructions"]))
    assert f"instruction count {s['input_instructions']} and binary size" in prompt_text

    # A model that answers the input unchanged: valid, not exact, predicts no change.
    echo = lm_tasks.scripted_model(
        lambda prompt: (
            f"The output code has instruction count 7 and binary size 9 bytes:\n\n<code>{ir}</code>"
        )
    )
    result = lm_tasks.emulate(ir, "default<Oz>", echo, 30_000)
    assert result.status == "ok" and result.valid and not result.exact
    assert result.sizes["predicted_change_instructions"] == 0
    assert result.sizes["real_change_instructions"] < 0
    assert result.sizes["claimed_instructions"] == 7 and result.sizes["claimed_bytes"] == 9


def test_stub_budget_and_context(stub: lm_tasks.Model) -> None:
    asm = (INPUTS / "loops.x86_64.s").read_text()
    slow = lm_tasks.Model(lm_tasks.ScriptedRunner(answer_for, ms_per_token=1.0), stub.meta, "s")
    result = lm_tasks.disassemble(asm, slow, 50)
    assert result.status == "no-answer" and not result.valid and result.bleu is None
    assert result.reason.startswith("time budget of 50 ms exhausted after ")
    small = lm_tasks.scripted_model(answer_for, max_context=1000)
    result = lm_tasks.disassemble(asm, small, 10_000)
    assert result.status == "too-long" and result.prompt_tokens == 0
    assert result.reason.startswith("input does not fit the model's context (at least ")


def test_eval_with_the_stub(stub: lm_tasks.Model) -> None:
    report = lm_tasks.evaluate_dir(INPUTS, stub, 30_000)
    disasm, emulate = report["summary"]["disasm"], report["summary"]["emulate"]
    assert disasm["inputs"] == len(ASM) == disasm["valid"] == disasm["ok"]
    assert disasm["exact"] == len(ASM) - 1 and disasm["bleu"] > 0.99
    assert emulate["inputs"] == emulate["exact"] == 2
    table = lm_tasks.format_table(report)
    assert table.splitlines()[0].split()[:6] == [
        "input",
        "task",
        "status",
        "valid",
        "BLEU",
        "exact",
    ]
    assert f"disasm: {len(ASM)} inputs, {len(ASM)} valid IR" in table


def test_cli_success_writes_the_ir(
    tmp_path: Path, stub: lm_tasks.Model, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lm_tasks, "open_model", lambda path, engine: stub)
    out, raw = tmp_path / "crc.ll", tmp_path / "answer.txt"
    asm = INPUTS / "crc.cortex-m4.s"
    argv = ["disasm", str(asm), "--lm", str(tmp_path), "-o", str(out), "--keep-answer", str(raw)]
    assert llmc(*argv) == 0
    assert out.read_text() == (ANSWERS / "crc.cortex-m4.ll").read_text()
    assert raw.read_text().startswith("<code>")
    ir = INPUTS / "loops.x86_64.ll"
    assert llmc("emulate", str(ir), "--passes", "default<Oz>", "--lm", str(tmp_path)) == 0


# --- the tiny model: every failure path, one line each ------------------------------------


def test_tiny_answer_is_invalid_ir(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asm = INPUTS / "loops.x86_64.s"
    out, raw = tmp_path / "out.ll", tmp_path / "raw.txt"
    argv = ["disasm", str(asm), "--lm", str(tiny), "--max-new-tokens", str(TINY_NEW), "-o"]
    assert llmc(*argv, str(out)) == 1
    err = one_line(capsys.readouterr().err, "disasm")
    assert f"loops.x86_64.s: invalid: invalid IR (answer cut at {TINY_NEW} tokens): " in err
    assert not out.exists() and not raw.exists()  # nothing saved unless asked
    assert llmc(*argv, str(out), "--keep-answer", str(raw)) == 1
    capsys.readouterr()
    assert raw.read_text() and not out.exists()
    # Deterministic: the same garbage twice, through the real graph.
    model = lm_tasks.open_model(tiny)
    first = lm_tasks.disassemble(asm.read_text(), model, 60_000, max_new_tokens=TINY_NEW)
    assert first.answer == raw.read_text() and first.tokens == TINY_NEW > 0
    assert first.prompt_tokens > 100 and first.engine == "lean"
    # The same files through optimum's generate: the same greedy answer.
    reference = lm_tasks.disassemble(
        asm.read_text(), lm_tasks.open_model(tiny, "optimum"), 60_000, max_new_tokens=TINY_NEW
    )
    assert reference.answer == first.answer and reference.engine == "optimum"


def test_tiny_emulation_is_invalid_ir(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ir = tmp_path / "hello.ll"  # the sample's IR is longer than the tiny context
    ir.write_text(ir_of(PROGRAMS["hello"], tmp_path, "hello"))
    argv = ["emulate", str(ir), "--passes", "default<Oz>", "--lm", str(tiny)]
    assert llmc(*argv, "--max-new-tokens", str(TINY_NEW)) == 1
    err = one_line(capsys.readouterr().err, "emulate")
    assert "hello.ll: invalid: invalid IR (answer cut at" in err
    assert llmc(*argv[:3], "no-such-pass", *argv[4:]) == 1
    err = one_line(capsys.readouterr().err, "emulate")
    assert "error: input: unknown pass name 'no-such-pass'" in err


def test_tiny_no_answer_within_budget(
    tiny: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    asm = INPUTS / "loops.x86_64.s"
    assert llmc("disasm", str(asm), "--lm", str(tiny), "--budget-ms", "0") == 1
    err = one_line(capsys.readouterr().err, "disasm")
    assert err.endswith("no-answer: time budget of 0 ms exhausted\n")
    model = lm_tasks.open_model(tiny)  # loaded: the budget below is spent generating
    text = asm.read_text()
    start = time.perf_counter()
    lm_tasks.disassemble(text, model, 60_000, max_new_tokens=1)  # about one prefill
    prefill = time.perf_counter() - start
    budget = int(3000 * prefill) + 100
    step = max(0.1, prefill)  # so the budget is over after about 3 to 21 of 32 tokens
    decode = lm.LeanEngine.decode

    def slow_decode(self: lm.LeanEngine, ids: list[int]) -> str:
        time.sleep(step)
        return decode(self, ids)

    monkeypatch.setattr(lm.LeanEngine, "decode", slow_decode)
    start = time.perf_counter()
    result = lm_tasks.disassemble(text, model, budget, max_new_tokens=TINY_NEW)
    # The machine's load decides whether the prefill alone used the budget up.
    assert result.status == "no-answer" and result.tokens < TINY_NEW and not result.valid
    assert re.fullmatch(rf"time budget of {budget} ms exhausted after \d+ tokens", result.reason)
    assert time.perf_counter() - start < budget / 1000 + step + 2


def test_tiny_context_too_long(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = lm_tasks.open_model(tiny)
    asm = (INPUTS / "loops.x86_64.s").read_text()
    while len(model.runner.encode(lm_tasks.DISASM_PROMPT.replace("{asm}", asm))) <= 2048 - 64:
        asm += asm
    big = tmp_path / "big.s"
    big.write_text(asm)
    assert llmc("disasm", str(big), "--lm", str(tiny)) == 1
    err = one_line(capsys.readouterr().err, "disasm")
    assert "big.s: too-long: input does not fit the model's context (" in err
    assert "tokens > 1984: 2048 minus 64 for the answer)" in err


def test_tiny_eval_table_and_json(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report_path = tmp_path / "report.json"
    argv = ["eval-lm", str(INPUTS), "--lm", str(tiny), "--max-new-tokens", str(TINY_NEW)]
    assert llmc(*argv, "--json-out", str(report_path)) == 0
    table = capsys.readouterr().out
    report = json.loads(report_path.read_text())
    statuses = {r["name"]: r["status"] for r in report["results"]}
    assert set(statuses) == {p.name for p in INPUTS.iterdir()}
    assert set(statuses.values()) <= {"invalid", "too-long"}  # garbage, never "ok"
    assert report["summary"]["disasm"]["valid"] == 0
    for name, status in statuses.items():
        assert f"{name}" in table and status in table
    assert llmc(*argv, "--json", "--task", "disasm") == 0
    assert len(json.loads(capsys.readouterr().out)["results"]) == len(ASM)


def test_broken_inputs_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    asm = INPUTS / "loops.x86_64.s"
    cases = [
        (["disasm", str(asm), "--lm", str(tmp_path / "missing")], "disasm", "is not a directory"),
        (["disasm", str(tmp_path / "none.s"), "--lm", str(tmp_path)], "disasm", "cannot read"),
        (["eval-lm", str(tmp_path / "none"), "--lm", str(tmp_path)], "eval-lm", "not a direc"),
        (["eval-lm", str(tmp_path), "--lm", str(tmp_path)], "eval-lm", "llmc.json"),
    ]
    for argv, command, expected in cases:
        assert llmc(*argv) == 1
        err = one_line(capsys.readouterr().err, command)
        assert expected in err, err


def test_unforeseen_errors_are_values(
    stub: lm_tasks.Model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> int:
        raise IndexError("list index out of range\nsecond line")

    monkeypatch.setattr(lm_tasks, "detect_target", broken)
    monkeypatch.setattr(lm_tasks, "instruction_count", broken)
    asm, ir = (INPUTS / "loops.x86_64.s").read_text(), (INPUTS / "loops.x86_64.ll").read_text()
    for result in (
        lm_tasks.disassemble(asm, stub, 1000),
        lm_tasks.emulate(ir, "default<Oz>", stub, 1000),
    ):
        assert result.status == "error" and result.reason == "IndexError: list index out of range"
    report = lm_tasks.evaluate_dir(tmp_path / "missing", stub)
    assert report["results"][0]["status"] == "error"


def test_commands_are_registered() -> None:
    parser = cli.build_parser()
    for name in ("disasm", "emulate", "eval-lm"):
        assert name in cli.COMMANDS
    args = parser.parse_args(["disasm", "x.s", "--lm", "d", "--target", "thumbv7em-none-eabi"])
    assert isinstance(args, argparse.Namespace) and args.budget_ms == lm_tasks.DEFAULT_BUDGET_MS
