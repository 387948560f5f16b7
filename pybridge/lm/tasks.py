"""LLM Compiler's other tasks through the causal-LM backend, each answer checked.

``llmc disasm``, ``llmc emulate`` and ``llmc eval-lm`` send a model directory
written by ``llmc export-lm`` (:mod:`pybridge.lm.export`) the prompts of Meta's
LLM Compiler for its two other tasks, decode greedily within a time budget
with the same engines as the pass-list backend (:func:`pybridge.lm.load`), and
then do what the model card asks of every user: check the answer with LLVM 19.

Prompt formats, as Meta's demo script ``llm_compiler_demo.py`` (published
beside the facebook/llm-compiler-7b, -13b, -7b-ftd and -13b-ftd weights on
Hugging Face; read here from a public copy of it, class ``LLM_Compiler``,
methods ``disassemble`` and ``emulate_ir``) writes them, byte for byte:

- disassembly (FTD models only)::

    [INST] Disassemble this code to LLVM-IR:

    <code>{asm}</code> [/INST]

- compiler emulation (the foundation models; the demo runs it on FTD too)::

    [INST] Give the LLVM-IR for the following code when optimized using opt -p '{passes}':

    <code>{ir}</code>

    The input code has instruction count {ir_count} and binary size {bin_size} bytes. [/INST]

The demo does not say how the model lays out its answer; llmc takes the text
inside the first ``<code>...</code>`` (or up to ``</code>``, or all of it), and
stops generating at ``</code>``.

What is checked:

- disassembly: the IR must parse and verify as LLVM 19 IR (``llvm-as-19``);
  it is compiled back with ``llc-19`` for the input's target and the round-trip
  assembly is compared with the input: BLEU and exact match, both on the
  assembly with comments removed and whitespace collapsed (see
  :func:`normalize_asm`). BLEU is sacrebleu's sentence BLEU (4-grams, its
  default ``13a`` tokenizer and ``exp`` smoothing), reported in 0..1 as Meta
  reports it. Meta's paper gives round-trip BLEU and exact match but not the
  tokenization; none was found, so this is the documented standard.
- emulation: the predicted IR must verify; it is compared with the real
  ``opt-19 -passes=P`` output (both printed by opt-19: exact match and BLEU),
  and the size change it predicts (IR instructions, and object text+data via
  ``llc-19 -filetype=obj`` + ``llvm-size-19``) with the real change.

Every function here returns a value; nothing raises past :func:`disassemble`,
:func:`emulate` or :func:`evaluate_dir`. The model's time budget covers
tokenizing and generation (model loading is timed apart); every LLVM tool runs
under a timeout.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pybridge import lm, toolchain

DISASM_PROMPT = "[INST] Disassemble this code to LLVM-IR:\n\n<code>{asm}</code> [/INST]"
EMULATE_PROMPT = (
    "[INST] Give the LLVM-IR for the following code when optimized using opt -p '{passes}':"
    "\n\n<code>{ir}</code>\n\n"
    "The input code has instruction count {ir_count} and binary size {bin_size} bytes. [/INST]"
)
ANSWER_STOP = ("</code>",)
DEFAULT_TARGET = "x86_64-linux-gnu"
DEFAULT_PASSES = "default<Oz>"
DEFAULT_BUDGET_MS = 300_000
TOOL_TIMEOUT_S = 60.0
# .cpu of ARM M-profile assembly -> the triple clang uses for it.
_THUMB_CPUS = {
    "cortex-m0": "thumbv6m",
    "cortex-m0plus": "thumbv6m",
    "cortex-m1": "thumbv6m",
    "cortex-m3": "thumbv7m",
    "cortex-m4": "thumbv7em",
    "cortex-m7": "thumbv7em",
    "cortex-m23": "thumbv8m.base",
    "cortex-m33": "thumbv8m.main",
    "cortex-m55": "thumbv8.1m.main",
}
_X86_64 = re.compile(r"%r(?:[sbi]p|[abcd]x|[sd]i|\d+)\b|\bretq\b")
_TARGET_FEATURES = re.compile(r'"target-features"="([^"]*)"')
_CLAIM_COUNT = re.compile(r"instruction count (\d+)")
_CLAIM_BYTES = re.compile(r"binary size (\d+) bytes")

STATUSES = ("ok", "invalid", "no-answer", "too-long", "error")


# --- engines ---------------------------------------------------------------------


class Runner(Protocol):
    """What :class:`pybridge.lm.LeanEngine` and ``OptimumEngine`` offer."""

    provider: str
    max_token_chars: int

    def encode(self, text: str) -> list[int]: ...

    def decode(self, ids: list[int]) -> str: ...

    def generate(
        self, ids: list[int], meta: lm.Meta, deadline: float, max_new: int
    ) -> tuple[list[int], bool]: ...


@dataclass(frozen=True)
class Model:
    """A loaded engine and its ``llmc.json``."""

    runner: Runner
    meta: lm.Meta
    engine: str
    load_ms: float = 0.0


def open_model(lm_dir: str | os.PathLike[str], engine: str = "lean") -> Model:
    """Load an exported model directory (cached per process); raises :class:`lm.LMError`."""
    start = time.perf_counter()
    runner, meta = lm.load(lm_dir, engine)
    return Model(runner, meta, engine, round(1000 * (time.perf_counter() - start), 3))


class ScriptedRunner:
    """A stand-in engine that answers from a function of the prompt: no weights.

    One character is one token, so context and budget rules apply as to a model.
    The tests and tests/bench/bench_lm_tasks.py use it as the "stub model" whose
    answer is known to be right, to exercise the success paths.
    """

    provider = "scripted"
    max_token_chars = 1

    def __init__(self, answer: Callable[[str], str], ms_per_token: float = 0.0) -> None:
        self.answer = answer
        self.ms_per_token = ms_per_token

    def encode(self, text: str) -> list[int]:
        return [ord(c) for c in text]

    def decode(self, ids: list[int]) -> str:
        return "".join(map(chr, ids))

    def generate(
        self, ids: list[int], meta: lm.Meta, deadline: float, max_new: int
    ) -> tuple[list[int], bool]:
        text = self.answer(self.decode(ids))
        out: list[int] = []
        for token in self.encode(text)[:max_new]:
            if time.perf_counter() >= deadline:
                return out, True
            if self.ms_per_token:
                time.sleep(self.ms_per_token / 1000)
            out.append(token)
        return out, False


def scripted_model(answer: Callable[[str], str], max_context: int = 1 << 20) -> Model:
    """A :class:`Model` around a :class:`ScriptedRunner`."""
    meta = lm.Meta(lm.FTD_PROMPT, max_context, min(4096, max_context // 2), (), ANSWER_STOP)
    return Model(ScriptedRunner(answer), meta, "scripted")


@dataclass(frozen=True)
class Generation:
    """One greedy answer, or why there is none (``reason``)."""

    answer: str = ""
    status: str = "ok"  # ok, no-answer, too-long, error
    reason: str = ""
    cut: bool = False  # stopped at the token limit before </code>
    prompt_tokens: int = 0
    tokens: int = 0
    ms: float = 0.0


def generate(
    prompt_text: str, model: Model, budget_ms: int, max_new_tokens: int | None = None
) -> Generation:
    """Greedy answer to ``prompt_text`` within ``budget_ms``; never raises.

    The prompt must leave the model's ``max_new_tokens`` (llmc.json) free in
    its context; the answer may then use the rest of the context, or
    ``max_new_tokens`` tokens when given. Generation stops at ``</code>``.
    """
    start = time.perf_counter()

    def done(**fields: Any) -> Generation:
        return Generation(ms=round(1000 * (time.perf_counter() - start), 3), **fields)

    budget = f"time budget of {budget_ms} ms exhausted"
    if budget_ms <= 0:
        return done(status="no-answer", reason=budget)
    deadline = start + budget_ms / 1000
    meta, runner = model.meta, model.runner
    limit = meta.max_context - meta.max_new_tokens
    too_long = "input does not fit the model's context ({} tokens > {}: {} minus {} for the answer)"
    try:
        at_least = math.ceil(len(prompt_text) / max(runner.max_token_chars, 1))
        if at_least > limit:
            count = f"at least {at_least}"
            return done(
                status="too-long",
                reason=too_long.format(count, limit, meta.max_context, meta.max_new_tokens),
            )
        ids = runner.encode(prompt_text)
        if len(ids) > limit:
            return done(
                status="too-long",
                prompt_tokens=len(ids),
                reason=too_long.format(len(ids), limit, meta.max_context, meta.max_new_tokens),
            )
        if time.perf_counter() >= deadline:
            return done(
                status="no-answer", prompt_tokens=len(ids), reason=f"{budget} before generation"
            )
        room = meta.max_context - len(ids)
        max_new = min(room, max_new_tokens) if max_new_tokens else room
        task_meta = dataclasses.replace(meta, stop=ANSWER_STOP)
        tokens, out_of_time = runner.generate(ids, task_meta, deadline, max_new)
        answer = runner.decode(tokens)
    except Exception as exc:  # engine errors are not one type: a value at this boundary
        return done(status="error", reason=f"{type(exc).__name__}: {_one_line(exc)}")
    common = {"answer": answer, "prompt_tokens": len(ids), "tokens": len(tokens)}
    if out_of_time:
        return done(status="no-answer", reason=f"{budget} after {len(tokens)} tokens", **common)
    cut = len(tokens) >= max_new and not any(s in answer for s in ANSWER_STOP)
    return done(cut=cut, **common)


def extract_code(answer: str) -> str:
    """The IR in an answer: inside the first ``<code>...</code>``, else the answer."""
    text = answer
    start = text.find("<code>")
    if start >= 0:
        text = text[start + len("<code>") :]
    end = text.find("</code>")
    if end >= 0:
        text = text[:end]
    return text.strip("\n") + "\n"


# --- LLVM 19 tools ---------------------------------------------------------------


class ToolError(Exception):
    """An LLVM tool failed; the message is one line."""


def _tool(name: str, args: Sequence[str], stdin: str | None, timeout: float) -> str:
    try:
        path = toolchain.tool(name)
    except FileNotFoundError as exc:
        raise ToolError(str(exc)) from None
    try:
        done = subprocess.run(
            [path, *args], input=stdin, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        raise ToolError(f"{name}-19 timed out after {timeout:g} s") from None
    if done.returncode != 0:
        raise ToolError(_tool_message(done.stderr, name) or f"{name}-19 exit {done.returncode}")
    return done.stdout


def _tool_message(stderr: str, name: str) -> str:
    for line in stderr.splitlines():
        line = line.strip()
        if line:
            line = re.sub(rf"^(?:\S*/)?{re.escape(name)}(?:-19)?: ", "", line)
            return line.split(" (compiled by", 1)[0]
    return ""


def verify_ir(text: str, timeout: float = TOOL_TIMEOUT_S) -> str:
    """Raise :class:`ToolError` unless ``text`` parses and verifies as LLVM 19 IR.

    Returns the module as opt-19 prints it (the form compared by emulation).
    """
    if not text.strip():
        raise ToolError("empty answer")
    return _tool("opt", ["-passes=verify", "-S", "-o", "-", "-"], text, timeout)


def run_opt(text: str, passes: str, timeout: float = TOOL_TIMEOUT_S) -> str:
    return _tool("opt", [f"-passes={passes}", "-S", "-o", "-", "-"], text, timeout)


def object_size(text: str, llc_args: Sequence[str] = (), timeout: float = TOOL_TIMEOUT_S) -> int:
    """Object text+data bytes (``llc-19 -filetype=obj`` + ``llvm-size-19``)."""
    with tempfile.TemporaryDirectory(prefix="llmc-size-") as tmp:
        obj = Path(tmp) / "m.o"
        _tool("llc", [*llc_args, "-filetype=obj", "-o", str(obj), "-"], text, timeout)
        out = _tool("llvm-size", [str(obj)], None, timeout)
    fields = out.splitlines()[1].split()
    return int(fields[0]) + int(fields[1])


def instruction_count(text: str) -> int:
    """Instructions of a module as LLVM prints it (:func:`pybridge.irreader.count_text`)."""
    from pybridge.irreader import count_text

    return count_text(text).instructions


# --- disassembly -----------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    triple: str
    mcpu: str = ""

    def llc_args(self, ir_text: str = "") -> list[str]:
        """llc-19 options that reproduce clang-19 -S for this target.

        The relocation model is clang's default (PIC on hosted triples, static on
        bare metal); module-level features (``.fpu``, build attributes) come from
        the first ``target-features`` of the IR, and ``no-trapping-math`` from its
        attributes, as clang passes them. Textual IR does not carry use-list
        order, so even the exact IR can give different register choices.
        """
        args = [f"-mtriple={self.triple}"]
        if self.mcpu:
            args.append(f"-mcpu={self.mcpu}")
        features = _TARGET_FEATURES.search(ir_text)
        if features:
            args.append(f"-mattr={features.group(1)}")
        if '"no-trapping-math"="true"' in ir_text:  # clang sets the TargetOption too
            args.append("--enable-no-trapping-fp-math")
        bare = "-none-" in self.triple or self.triple.endswith("-none")
        args.append(f"--relocation-model={'static' if bare else 'pic'}")
        return args

    def comment(self) -> str:
        if self.triple.startswith(("arm", "thumb")):
            return "@"
        if self.triple.startswith("aarch64"):
            return "//"
        return "#"

    def __str__(self) -> str:
        return self.triple + (f" -mcpu={self.mcpu}" if self.mcpu else "")


def detect_target(asm: str) -> Target:
    """The target clang-19 -S wrote ``asm`` for, from its directives.

    Assembly carries no triple: ``.cpu NAME`` with Thumb code (``.thumb_func`` or
    ``.code 16``) is ARM M-profile bare metal (``thumbv7em-none-eabi`` for a
    Cortex-M4), another ``.cpu`` ARM EABI; ``.arch armv8``/``//`` comments
    AArch64; anything else x86-64 Linux (:data:`DEFAULT_TARGET`).
    """
    cpu = re.search(r"^\s*\.cpu\s+([\w.+-]+)", asm, re.M)
    if cpu:
        name = cpu.group(1)
        thumb = re.search(r"^\s*(?:\.thumb_func|\.code\s+16|\.thumb)\b", asm, re.M)
        if thumb:
            return Target(f"{_THUMB_CPUS.get(name, 'thumbv7')}-none-eabi", name)
        return Target("armv7-none-eabi", name)
    if re.search(r"^\s*\.arch\s+armv[89]", asm, re.M) and not _X86_64.search(asm):
        return Target("aarch64-linux-gnu")
    return Target(DEFAULT_TARGET)


def parse_target(text: str, mcpu: str = "") -> Target:
    """``--target`` as given: a triple, optionally followed by ``-mcpu=NAME``."""
    parts = text.split()
    triple = parts[0] if parts else DEFAULT_TARGET
    for part in parts[1:]:
        if part.startswith("-mcpu="):
            mcpu = mcpu or part.removeprefix("-mcpu=")
    return Target(triple, mcpu)


def normalize_asm(asm: str, comment: str = "#") -> list[str]:
    """Assembly lines without comments or blank lines, whitespace collapsed."""
    lines: list[str] = []
    for raw in asm.splitlines():
        line = _strip_comment(raw, comment)
        line = " ".join(line.split())
        if line:
            lines.append(line)
    return lines


def _strip_comment(line: str, comment: str) -> str:
    quoted = False
    i = 0
    while i < len(line):
        c = line[i]
        if c == "\\" and quoted:
            i += 2
            continue
        if c == '"':
            quoted = not quoted
        elif not quoted and line.startswith(comment, i):
            return line[:i]
        i += 1
    return line


def bleu(hypothesis: str, reference: str) -> float:
    """Sentence BLEU in 0..1: sacrebleu, 4-grams, 13a tokenizer, exp smoothing."""
    from sacrebleu.metrics import BLEU

    if not reference.strip():
        return 1.0 if not hypothesis.strip() else 0.0
    score = BLEU(effective_order=True).sentence_score(hypothesis, [reference]).score
    return round(score / 100, 4)


@dataclass(frozen=True)
class TaskResult:
    """One input's answer and its check. ``status``: ok, invalid, no-answer, too-long, error."""

    task: str  # disasm or emulate
    name: str
    status: str
    reason: str = ""  # one line: why status is not ok, or what failed in an ok check
    valid: bool = False  # the answer is LLVM 19 IR that verifies
    bleu: float | None = None  # 0..1; None when there is nothing to compare
    exact: bool = False
    target: str = ""
    answer: str = ""
    ir: str = ""  # the IR taken from the answer
    output: str = ""  # round-trip assembly (disasm) or real opt output (emulate)
    sizes: dict[str, Any] = field(default_factory=dict)  # emulate: size predictions
    prompt_tokens: int = 0
    tokens: int = 0
    generate_ms: float = 0.0
    check_ms: float = 0.0
    ms: float = 0.0
    engine: str = ""

    def as_dict(self, full: bool = False) -> dict[str, Any]:
        data = asdict(self)
        if not full:
            for key in ("answer", "ir", "output"):
                data.pop(key)
        return data

    def line(self) -> str:
        """One line: the outcome and, when there is one, the measurement."""
        if self.status != "ok":
            return f"{self.name}: {self.status}: {self.reason}"
        exact = "yes" if self.exact else "no"
        bleu_text = "-" if self.bleu is None else f"{self.bleu:.3f}"
        if self.task == "disasm":
            head = f"valid LLVM 19 IR; round trip through llc-19 ({self.target}):"
            body = f"BLEU {bleu_text}, exact match {exact}"
        else:
            s = self.sizes
            head = f"valid LLVM 19 IR; vs opt-19 -passes={s.get('passes', '?')}:"
            body = (
                f"exact match {exact}, BLEU {bleu_text}; instructions {s['input_instructions']}"
                f" -> predicted {s['predicted_instructions']} / real {s['real_instructions']}"
                f", object bytes {s['input_bytes']} -> predicted {s['predicted_bytes']}"
                f" / real {s['real_bytes']}"
            )
        note = f" ({self.reason})" if self.reason else ""
        return (
            f"{self.name}: {head} {body}{note} "
            f"[{self.prompt_tokens}+{self.tokens} tokens, {self.ms:.0f} ms]"
        )


def disassemble(
    asm: str,
    model: Model,
    budget_ms: int = DEFAULT_BUDGET_MS,
    *,
    target: Target | None = None,
    name: str = "<asm>",
    max_new_tokens: int | None = None,
    timeout: float = TOOL_TIMEOUT_S,
) -> TaskResult:
    """Ask the model for the IR of ``asm`` and check it; never raises."""
    start = time.perf_counter()
    try:
        return _disassemble(asm, model, budget_ms, target, name, max_new_tokens, timeout)
    except Exception as exc:  # a bug or an unforeseen tool output: still one line, a value
        return _crashed("disasm", name, model, start, exc)


def _crashed(task: str, name: str, model: Model, start: float, exc: Exception) -> TaskResult:
    return TaskResult(
        task,
        name,
        "error",
        reason=f"{type(exc).__name__}: {_one_line(exc)}",
        engine=model.engine,
        ms=_ms_since(start),
    )


def _disassemble(
    asm: str,
    model: Model,
    budget_ms: int,
    target: Target | None,
    name: str,
    max_new_tokens: int | None,
    timeout: float,
) -> TaskResult:
    start = time.perf_counter()
    target = target or detect_target(asm)
    base: dict[str, Any] = {
        "task": "disasm",
        "name": name,
        "target": str(target),
        "engine": model.engine,
    }

    def done(**fields: Any) -> TaskResult:
        return TaskResult(ms=round(1000 * (time.perf_counter() - start), 3), **base, **fields)

    if not asm.strip():
        return done(status="error", reason="empty assembly")
    gen = generate(DISASM_PROMPT.replace("{asm}", asm), model, budget_ms, max_new_tokens)
    counts = {
        "answer": gen.answer,
        "prompt_tokens": gen.prompt_tokens,
        "tokens": gen.tokens,
        "generate_ms": gen.ms,
    }
    if gen.status != "ok":
        return done(status=gen.status, reason=gen.reason, **counts)
    checked = time.perf_counter()
    ir = extract_code(gen.answer)
    try:
        verify_ir(ir, timeout)
    except ToolError as exc:
        return done(**_invalid(gen, ir, exc, checked), **counts)
    try:
        # clang emits the address-significance table on ELF by default; llc only when asked.
        addrsig = ["-addrsig"] if re.search(r"^\s*\.addrsig\b", asm, re.M) else []
        args = [*target.llc_args(ir), *addrsig, "-o", "-", "-"]
        roundtrip = _tool("llc", args, ir, timeout)
    except ToolError as exc:
        # Valid IR that does not compile for the input's target: nothing like the input.
        return done(
            status="ok",
            valid=True,
            bleu=0.0,
            ir=ir,
            reason=f"llc-19 failed: {exc}",
            check_ms=_ms_since(checked),
            **counts,
        )
    comment = target.comment()
    ours, theirs = normalize_asm(roundtrip, comment), normalize_asm(asm, comment)
    return done(
        status="ok",
        valid=True,
        bleu=bleu("\n".join(ours), "\n".join(theirs)),
        exact=ours == theirs,
        ir=ir,
        output=roundtrip,
        check_ms=_ms_since(checked),
        **counts,
    )


# --- compiler emulation ---------------------------------------------------------------


def emulate(
    ir_text: str,
    passes: str,
    model: Model,
    budget_ms: int = DEFAULT_BUDGET_MS,
    *,
    name: str = "<ir>",
    max_new_tokens: int | None = None,
    timeout: float = TOOL_TIMEOUT_S,
) -> TaskResult:
    """The model's ``opt -passes=P`` output for ``ir_text``, checked against opt-19;
    never raises."""
    start = time.perf_counter()
    try:
        return _emulate(ir_text, passes, model, budget_ms, name, max_new_tokens, timeout)
    except Exception as exc:  # a bug or an unforeseen tool output: still one line, a value
        return _crashed("emulate", name, model, start, exc)


def _emulate(
    ir_text: str,
    passes: str,
    model: Model,
    budget_ms: int,
    name: str,
    max_new_tokens: int | None,
    timeout: float,
) -> TaskResult:
    start = time.perf_counter()
    base: dict[str, Any] = {"task": "emulate", "name": name, "engine": model.engine}

    def done(**fields: Any) -> TaskResult:
        return TaskResult(ms=round(1000 * (time.perf_counter() - start), 3), **base, **fields)

    try:
        source = verify_ir(ir_text, timeout)
        # What the user would run, printed again as the prediction will be (reading IR
        # resets intrinsic attributes, so both sides go through the same printer).
        real = verify_ir(run_opt(ir_text, passes, timeout), timeout)
        sizes: dict[str, Any] = {
            "passes": passes,
            "input_instructions": instruction_count(source),
            "input_bytes": object_size(source, timeout=timeout),
            "real_instructions": instruction_count(real),
            "real_bytes": object_size(real, timeout=timeout),
        }
    except ToolError as exc:
        return done(status="error", reason=f"input: {exc}")
    prompt_text = (
        EMULATE_PROMPT.replace("{passes}", passes)
        .replace("{ir_count}", str(sizes["input_instructions"]))
        .replace("{bin_size}", str(sizes["input_bytes"]))
        .replace("{ir}", ir_text)
    )
    gen = generate(prompt_text, model, budget_ms, max_new_tokens)
    counts = {
        "answer": gen.answer,
        "prompt_tokens": gen.prompt_tokens,
        "tokens": gen.tokens,
        "generate_ms": gen.ms,
        "output": real,
        "sizes": sizes,
    }
    if gen.status != "ok":
        return done(status=gen.status, reason=gen.reason, **counts)
    checked = time.perf_counter()
    ir = extract_code(gen.answer)
    # The demo's prompt states the input's counts; the answer may state the output's.
    prose = gen.answer.replace(ir.strip("\n"), "")
    claim_count, claim_bytes = _CLAIM_COUNT.search(prose), _CLAIM_BYTES.search(prose)
    sizes["claimed_instructions"] = int(claim_count.group(1)) if claim_count else None
    sizes["claimed_bytes"] = int(claim_bytes.group(1)) if claim_bytes else None
    try:
        predicted = verify_ir(ir, timeout)
    except ToolError as exc:
        return done(**_invalid(gen, ir, exc, checked), **counts)
    sizes["predicted_instructions"] = instruction_count(predicted)
    try:
        sizes["predicted_bytes"] = object_size(predicted, timeout=timeout)
    except ToolError as exc:
        sizes["predicted_bytes"] = None
        sizes["predicted_bytes_error"] = str(exc)
    for unit in ("instructions", "bytes"):
        value = sizes[f"predicted_{unit}"]
        sizes[f"predicted_change_{unit}"] = (
            None if value is None else value - sizes[f"input_{unit}"]
        )
        sizes[f"real_change_{unit}"] = sizes[f"real_{unit}"] - sizes[f"input_{unit}"]
    return done(
        status="ok",
        valid=True,
        exact=_module_body(predicted) == _module_body(real),
        bleu=bleu(_module_body(predicted), _module_body(real)),
        ir=ir,
        check_ms=_ms_since(checked),
        **counts,
    )


def _module_body(text: str) -> str:
    """opt's printout without comments (ModuleID, ``; preds = ``, whose order is
    the use-list order, attribute notes) and blank lines."""
    return "\n".join(normalize_asm(text, ";")) + "\n"


# --- a directory of inputs ---------------------------------------------------------------


def evaluate_dir(
    directory: str | os.PathLike[str],
    model: Model,
    budget_ms: int = DEFAULT_BUDGET_MS,
    *,
    tasks: Sequence[str] = ("disasm", "emulate"),
    passes: str = DEFAULT_PASSES,
    target: Target | None = None,
    max_new_tokens: int | None = None,
    timeout: float = TOOL_TIMEOUT_S,
) -> dict[str, Any]:
    """Every ``.s`` (disassembly) and ``.ll`` (emulation) file of ``directory``, checked."""
    root = Path(directory)
    results: list[TaskResult] = []
    try:
        paths = sorted(root.iterdir())
    except OSError as exc:
        paths = []
        results.append(TaskResult("disasm", str(root), "error", reason=_one_line(exc)))
    for path in paths:
        task = {".s": "disasm", ".ll": "emulate"}.get(path.suffix)
        if task is None or task not in tasks or not path.is_file():
            continue
        try:
            text = path.read_text()
        except (OSError, UnicodeDecodeError) as exc:
            results.append(TaskResult(task, path.name, "error", reason=_one_line(exc)))
            continue
        if task == "disasm":
            results.append(
                disassemble(
                    text,
                    model,
                    budget_ms,
                    target=target,
                    name=path.name,
                    max_new_tokens=max_new_tokens,
                    timeout=timeout,
                )
            )
        else:
            results.append(
                emulate(
                    text,
                    passes,
                    model,
                    budget_ms,
                    name=path.name,
                    max_new_tokens=max_new_tokens,
                    timeout=timeout,
                )
            )
    return {
        "directory": str(root),
        "engine": model.engine,
        "load_ms": model.load_ms,
        "budget_ms": budget_ms,
        "summary": summarize(results),
        "results": [r.as_dict() for r in results],
    }


def summarize(results: Sequence[TaskResult]) -> dict[str, Any]:
    """Per task: inputs, how each ended, mean BLEU (no answer counts 0), exact, ms/input."""
    summary: dict[str, Any] = {}
    for task in ("disasm", "emulate"):
        mine = [r for r in results if r.task == task]
        if not mine:
            continue
        n = len(mine)
        summary[task] = {
            "inputs": n,
            **{status: sum(r.status == status for r in mine) for status in STATUSES},
            "valid": sum(r.valid for r in mine),
            "bleu": round(sum(r.bleu or 0.0 for r in mine) / n, 4),
            "exact": sum(r.exact for r in mine),
            "ms_per_input": round(sum(r.ms for r in mine) / n, 1),
            "generate_ms_per_input": round(sum(r.generate_ms for r in mine) / n, 1),
            "check_ms_per_input": round(sum(r.check_ms for r in mine) / n, 1),
        }
    return summary


def format_table(report: dict[str, Any]) -> str:
    rows = [("input", "task", "status", "valid", "BLEU", "exact", "tokens", "ms", "why")]
    for r in report["results"]:
        rows.append(
            (
                r["name"],
                r["task"],
                r["status"],
                "yes" if r["valid"] else "no",
                "-" if r["bleu"] is None else f"{r['bleu']:.3f}",
                "yes" if r["exact"] else "no",
                f"{r['prompt_tokens']}+{r['tokens']}",
                f"{r['ms']:.0f}",
                r["reason"][:80],
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) + "  " + row[-1]
        for row in rows
    ]
    for task, s in report["summary"].items():
        lines.append(
            f"{task}: {s['inputs']} inputs, {s['valid']} valid IR, mean BLEU {s['bleu']:.3f}, "
            f"{s['exact']} exact, {s['no-answer']} no answer, {s['too-long']} too long, "
            f"{s['ms_per_input']:.0f} ms/input ({s['generate_ms_per_input']:.0f} generating, "
            f"{s['check_ms_per_input']:.0f} checking)"
        )
    return "\n".join(line.rstrip() for line in lines)


# --- command line -----------------------------------------------------------------


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lm", required=True, type=Path, help="directory of llmc export-lm")
    parser.add_argument("--engine", choices=lm.ENGINES, default="lean")
    parser.add_argument(
        "--budget-ms",
        type=int,
        default=DEFAULT_BUDGET_MS,
        help=f"time for tokenizing and generating, per input (default {DEFAULT_BUDGET_MS})",
    )
    parser.add_argument(
        "--max-new-tokens",
        type=_positive,
        default=None,
        help="answer length limit (default: the rest of the model's context)",
    )
    parser.add_argument(
        "--tool-timeout",
        type=float,
        default=TOOL_TIMEOUT_S,
        help=f"seconds each LLVM tool may run (default {TOOL_TIMEOUT_S:g})",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def configure_disasm(parser: argparse.ArgumentParser) -> None:
    """``llmc disasm FILE.s --lm DIR``: arguments and ``func``."""
    parser.add_argument("asm", type=Path, help="assembly file (clang -S output)")
    _common(parser)
    parser.add_argument(
        "--target",
        default=None,
        help="triple, e.g. x86_64-linux-gnu or 'thumbv7em-none-eabi -mcpu=cortex-m4' "
        "(default: from the assembly's directives)",
    )
    parser.add_argument("--mcpu", default="", help="CPU for llc-19 (e.g. cortex-m4)")
    parser.add_argument("-o", "--output", type=Path, help="write the checked IR here")
    parser.add_argument("--keep-answer", type=Path, help="write the raw answer here")
    parser.set_defaults(func=_run_disasm)


def configure_emulate(parser: argparse.ArgumentParser) -> None:
    """``llmc emulate IN.ll --passes P --lm DIR``: arguments and ``func``."""
    parser.add_argument("ir", type=Path, help="LLVM 19 IR (.ll)")
    parser.add_argument("--passes", required=True, help="opt-19 -passes= pipeline")
    _common(parser)
    parser.add_argument("-o", "--output", type=Path, help="write the predicted IR here")
    parser.add_argument("--keep-answer", type=Path, help="write the raw answer here")
    parser.set_defaults(func=_run_emulate)


def configure_eval(parser: argparse.ArgumentParser) -> None:
    """``llmc eval-lm DIR --lm LM``: arguments and ``func``."""
    parser.add_argument("directory", type=Path, help=".s files are disassembled, .ll emulated")
    _common(parser)
    parser.add_argument(
        "--task", choices=("all", "disasm", "emulate"), default="all", help="which inputs"
    )
    parser.add_argument(
        "--passes", default=DEFAULT_PASSES, help=f"pipeline to emulate (default {DEFAULT_PASSES})"
    )
    parser.add_argument("--target", default=None, help="triple for every .s (default: detected)")
    parser.add_argument("--json-out", type=Path, help="also write the JSON report here")
    parser.set_defaults(func=_run_eval)


def _fail(command: str, message: str) -> int:
    print(f"llmc: {command}: {message}", file=sys.stderr)
    return 1


def _load(args: argparse.Namespace) -> Model | str:
    try:
        return open_model(args.lm, args.engine)
    except lm.LMError as exc:
        return str(exc)
    except Exception as exc:  # onnxruntime/tokenizers: one line at the boundary
        return f"{type(exc).__name__}: {_one_line(exc)}"


def _read(path: Path) -> str | None:
    try:
        return path.read_text()
    except (OSError, UnicodeDecodeError):
        return None


def _finish(command: str, args: argparse.Namespace, result: TaskResult) -> int:
    if args.keep_answer and result.answer:
        args.keep_answer.write_text(result.answer)
    if args.json:
        print(json.dumps(result.as_dict(), indent=2))
    if result.status != "ok":
        return _fail(command, result.line())
    if args.output:
        args.output.write_text(result.ir)
    if not args.json:
        print(result.line())
    return 0


def _run_disasm(args: argparse.Namespace) -> int:
    asm = _read(args.asm)
    if asm is None:
        return _fail("disasm", f"cannot read {args.asm}")
    model = _load(args)
    if isinstance(model, str):
        return _fail("disasm", model)
    target = parse_target(args.target, args.mcpu) if args.target else None
    if target is None and args.mcpu:
        target = dataclasses.replace(detect_target(asm), mcpu=args.mcpu)
    result = disassemble(
        asm,
        model,
        args.budget_ms,
        target=target,
        name=args.asm.name,
        max_new_tokens=args.max_new_tokens,
        timeout=args.tool_timeout,
    )
    return _finish("disasm", args, result)


def _run_emulate(args: argparse.Namespace) -> int:
    ir = _read(args.ir)
    if ir is None:
        return _fail("emulate", f"cannot read {args.ir}")
    model = _load(args)
    if isinstance(model, str):
        return _fail("emulate", model)
    result = emulate(
        ir,
        args.passes,
        model,
        args.budget_ms,
        name=args.ir.name,
        max_new_tokens=args.max_new_tokens,
        timeout=args.tool_timeout,
    )
    return _finish("emulate", args, result)


def _run_eval(args: argparse.Namespace) -> int:
    if not args.directory.is_dir():
        return _fail("eval-lm", f"{args.directory} is not a directory")
    model = _load(args)
    if isinstance(model, str):
        return _fail("eval-lm", model)
    tasks = ("disasm", "emulate") if args.task == "all" else (args.task,)
    report = evaluate_dir(
        args.directory,
        model,
        args.budget_ms,
        tasks=tasks,
        passes=args.passes,
        target=parse_target(args.target) if args.target else None,
        max_new_tokens=args.max_new_tokens,
        timeout=args.tool_timeout,
    )
    if not report["results"]:
        return _fail("eval-lm", f"no .s or .ll files in {args.directory}")
    text = json.dumps(report, indent=2)
    if args.json_out:
        args.json_out.write_text(text + "\n")
    print(text if args.json else format_table(report))
    return 0


def _invalid(gen: Generation, ir: str, exc: ToolError, checked: float) -> dict[str, Any]:
    """The fields of an answer that is not valid LLVM 19 IR: one line saying why."""
    cut = f" (answer cut at {gen.tokens} tokens)" if gen.cut else ""
    return {
        "status": "invalid",
        "reason": f"invalid IR{cut}: {exc}",
        "ir": ir,
        "check_ms": _ms_since(checked),
    }


def _ms_since(start: float) -> float:
    return round(1000 * (time.perf_counter() - start), 3)


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
