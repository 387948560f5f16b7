"""The causal-LM backend end to end, on a tiny Llama built here (pybridge.lm, lm_export).

The model is a real Llama-architecture network (hidden 16, 2 layers, 2 heads,
random seeded weights) with a byte-level BPE tokenizer trained offline on
clang-19's IR of the conftest programs; ``llmc export-lm``'s function turns it
into ONNX. Its answers are noise, so the tests that need a known answer script
the generation; everything else runs the real graph.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import torch
from conftest import PROGRAMS
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

from pybridge import allowlist, lm, toolchain
from pybridge.lm import export as lm_export

MAX_CONTEXT = 2048
MAX_NEW = 64


def ir_of(source: str, directory: Path, name: str) -> str:
    """The module as LLVM 19 prints it, before any pass: what the plugin sends."""
    path = directory / f"{name}.c"
    path.write_text(source)
    command = [
        toolchain.tool("clang"),
        *toolchain.FRONTEND_FLAGS,
        "-S",
        "-o",
        "-",
        str(path),
    ]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def irs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    directory = tmp_path_factory.mktemp("ir")
    return {name: ir_of(source, directory, name) for name, source in PROGRAMS.items()}


def build_tiny_llama(directory: Path, irs: list[str], max_context: int = MAX_CONTEXT) -> Path:
    """A tiny Hugging Face Llama directory (also used by tests/bench/bench_lm.py)."""
    corpus = [*irs, lm.FTD_PROMPT, "opt -passes='function(sroa,instcombine)' -mem2reg"]
    tokenizer = Tokenizer(models.BPE(unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=600,
        special_tokens=["<unk>", "<s>", "</s>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    tokenizer.train_from_iterator(corpus, trainer)
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A", special_tokens=[("<s>", 1)]
    )
    # Default model_input_names include token_type_ids: export must remove them.
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, bos_token="<s>", eos_token="</s>", unk_token="<unk>"
    )
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=tokenizer.get_vocab_size(),
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=max_context,
        bos_token_id=1,
        eos_token_id=2,
    )
    LlamaForCausalLM(config).eval().save_pretrained(directory)
    fast.save_pretrained(directory)
    return directory


@pytest.fixture(scope="module")
def hf_dir(tmp_path_factory: pytest.TempPathFactory, irs: dict[str, str]) -> Path:
    """A tiny Hugging Face Llama directory, saved with save_pretrained."""
    return build_tiny_llama(tmp_path_factory.mktemp("tiny-llama"), list(irs.values()))


def run_cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="llmc export-lm")
    lm_export.configure(parser)
    args = parser.parse_args(list(argv))
    return args.func(args)


@pytest.fixture(scope="module")
def lm_dir(hf_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tiny-llama-onnx")
    assert run_cli(str(hf_dir), str(out), "--max-new-tokens", str(MAX_NEW)) == 0
    return out


def script(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """Make the lean engine 'generate' the tokens of ``text``."""

    def generate(
        self: lm.LeanEngine, ids: list[int], meta: lm.Meta, deadline: float, max_new: int
    ) -> tuple[list[int], bool]:
        return self.tokenizer.encode(text, add_special_tokens=False).ids[:max_new], False

    monkeypatch.setattr(lm.LeanEngine, "generate", generate)


# --- (e) export ---------------------------------------------------------------------


def test_export_writes_llmc_json(lm_dir: Path, hf_dir: Path) -> None:
    meta = json.loads((lm_dir / "llmc.json").read_text())
    assert meta["kind"] == "causal-lm" and meta["schema"] == "1"
    assert meta["prompt_template"] == lm.FTD_PROMPT
    assert meta["prompt_template"].startswith(
        "[INST] Tell me how to optimize this LLVM-IR for object file size:\n\n<code>{ir}</code>"
    )
    assert meta["max_context"] == MAX_CONTEXT and meta["max_new_tokens"] == MAX_NEW
    assert meta["eos"] == [2]
    assert (lm_dir / "model.onnx").is_file() and (lm_dir / "tokenizer.json").is_file()
    assert lm.is_lm_dir(lm_dir) and not lm.is_lm_dir(hf_dir)
    tokenizer = AutoTokenizer.from_pretrained(str(lm_dir))
    assert "token_type_ids" not in tokenizer("define void @f()")


def test_export_errors_are_one_line(
    tmp_path: Path, hf_dir: Path, lm_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "config.json").write_text("{not json")
    cases = [
        ([str(tmp_path / "missing"), str(tmp_path / "o1")], "does not exist"),
        ([str(corrupt), str(tmp_path / "o2")], "is not JSON"),
        ([str(lm_dir / "llmc.json"), str(tmp_path / "o3")], "is not a directory"),
        ([str(hf_dir), str(lm_dir)], "is not empty"),
        ([str(hf_dir), str(tmp_path / "o4"), "--max-context", "10"], "max context"),
        ([str(hf_dir), str(tmp_path / "o5"), "--dtype", "fp16"], "needs --device cuda"),
    ]
    for argv, expected in cases:
        assert run_cli(*argv) == 1
        err = capsys.readouterr().err
        assert err.startswith("llmc: export-lm: ") and expected in err, err
        assert err.count("\n") == 1, err


def test_broken_lm_dirs_are_reasons(tmp_path: Path, lm_dir: Path, irs: dict[str, str]) -> None:
    ir = irs["loops"]
    assert "not a directory" in lm.propose(ir, str(tmp_path / "missing"), 1000).reason
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("llmc.json", "tokenizer.json"):
        (broken / name).write_bytes((lm_dir / name).read_bytes())
    (broken / "model.onnx").write_bytes(b"\x08\x07 not onnx")
    result = lm.propose(ir, str(broken), 1000)
    assert result.pipeline is None and "not a valid ONNX model" in result.reason
    assert "\n" not in result.reason
    (broken / "llmc.json").write_text('{"kind": "causal-lm", "schema": "7"}')
    assert "schema" in lm.propose(ir, str(broken), 1000).reason


# --- (a) real generation --------------------------------------------------------------


def test_propose_is_deterministic_and_matches_optimum(lm_dir: Path, irs: dict[str, str]) -> None:
    first = lm.propose(irs["loops"], str(lm_dir), 60_000)
    second = lm.propose(irs["loops"], str(lm_dir), 60_000)
    assert first.reason == second.reason and first.reason  # random weights: no passes
    assert first.answer == second.answer and first.tokens == second.tokens > 0
    assert first.prompt_tokens > 100 and first.engine == "lean"
    # CUDA when usable, else the CPU, silently.
    assert first.provider in ("CUDAExecutionProvider", "CPUExecutionProvider")
    # The same files through optimum's generate: the lean loop feeds past key values right.
    reference = lm.propose(irs["loops"], str(lm_dir), 60_000, engine="optimum")
    assert reference.answer == first.answer and reference.tokens == first.tokens
    assert reference.prompt_tokens == first.prompt_tokens


def test_garbage_answer_is_no_pipeline(
    lm_dir: Path, irs: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    script(monkeypatch, "ll align lo align i32 %x ret")
    result = lm.propose(irs["hello"], str(lm_dir), 10_000)
    assert result.pipeline is None and result.reason == "answer has no passes"
    assert result.answer == "ll align lo align i32 %x ret"


# --- (b) scripted answers -------------------------------------------------------------


def test_scripted_new_pm_answer(
    lm_dir: Path, irs: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    script(monkeypatch, "opt -passes='function(sroa,instcombine,simplifycfg)'")
    result = lm.propose(irs["calls"], str(lm_dir), 10_000)
    assert result.reason == ""
    assert result.pipeline == "function(sroa,instcombine<no-verify-fixpoint>,simplifycfg)"
    assert result.mapped == (("instcombine", "instcombine<no-verify-fixpoint>"),)
    assert allowlist.check(result.pipeline) is None


def test_scripted_legacy_answer_and_join(
    lm_dir: Path, irs: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    script(monkeypatch, " -reg2mem -simplifycfg -prune-eh -loop-rotate -licm -mem2reg")
    request = {"lm_path": str(lm_dir), "ir_text": irs["loops"], "lm_budget_ms": 10_000}
    reply = lm.join(
        {
            "pipelines": ["globalopt,function(sroa)"],
            "rejected": [],
            "notes": [],
            "error": "",
            "model": "x",
        },
        request,
    )
    expected = "function(reg2mem,simplifycfg,loop-mssa(loop-rotate,licm),mem2reg)"
    assert reply["pipelines"] == [expected, "globalopt,function(sroa)"]
    assert reply["rejected"] == [
        ("-prune-eh", "lm: removed from LLVM (function-attrs does its job)")
    ]
    assert reply["notes"][0].startswith("lm (lean, ")
    assert f"ExecutionProvider): {expected} [" in reply["notes"][0]
    assert lm.join({"pipelines": []}, {"lm_path": ""}) == {"pipelines": []}


# --- (c) context -----------------------------------------------------------------------


def test_ir_longer_than_the_context_is_not_sent(
    lm_dir: Path, irs: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*args: object) -> None:
        raise AssertionError("a module that does not fit was sent to the model")

    monkeypatch.setattr(lm.LeanEngine, "generate", never)
    runner, meta = lm.load(lm_dir)
    limit = MAX_CONTEXT - MAX_NEW
    # Exactly counted: more tokens than fit, fewer characters than the quick bound rejects.
    ir = irs["calls"]
    while len(runner.encode(lm.prompt(meta, ir))) <= limit:
        ir += irs["calls"]
    assert len(lm.prompt(meta, ir)) / runner.max_token_chars <= limit
    result = lm.propose(ir, str(lm_dir), 10_000)
    assert result.pipeline is None and result.tokens == 0
    assert result.reason.startswith("IR does not fit the model's context (")
    assert f"tokens > {limit}" in result.reason and result.prompt_tokens > limit
    # Far too long: rejected from its length alone, before tokenizing.
    huge = ir * (runner.max_token_chars + 1)
    result = lm.propose(huge, str(lm_dir), 10_000)
    assert result.reason.startswith("IR does not fit the model's context (at least ")
    assert result.prompt_tokens == 0


# --- (d) time budget --------------------------------------------------------------------


def test_budget_stops_generation(
    lm_dir: Path, irs: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ir = irs["switch"]
    assert lm.propose(ir, str(lm_dir), 0).reason == "time budget of 0 ms exhausted"
    assert lm.propose(ir, str(lm_dir), -5).pipeline is None
    lm.load(lm_dir)  # loaded: the budget below is spent generating, not loading
    decode = lm.LeanEngine.decode

    def slow_decode(self: lm.LeanEngine, ids: list[int]) -> str:
        time.sleep(0.05)  # each token now costs 50 ms
        return decode(self, ids)

    # 500 ms: room for the prefill on a loaded machine, and at most 10 slowed
    # tokens of the 64 the model may generate.
    monkeypatch.setattr(lm.LeanEngine, "decode", slow_decode)
    result = lm.propose(ir, str(lm_dir), 500)
    assert result.pipeline is None
    assert result.reason.startswith("time budget of 500 ms exhausted after ")
    assert 0 < result.tokens < MAX_NEW
    assert result.ms < 2000


def test_deadline_interrupts_a_running_inference(lm_dir: Path, irs: dict[str, str]) -> None:
    # One forward pass cannot be cut by a clock check: RunOptions.terminate does it.
    runner, meta = lm.load(lm_dir)
    ids = runner.encode(lm.prompt(meta, irs["loops"]))
    start = time.perf_counter()
    tokens, out_of_time = runner.generate(ids, meta, start - 1, MAX_NEW)
    assert out_of_time and tokens == []
    # The timer thread is gone: the plugin forks right after rank().
    assert not [t for t in threading.enumerate() if isinstance(t, threading.Timer)]


def test_plugin_with_the_tiny_model_ends_in_oz(
    lm_dir: Path, tmp_path: Path, ranker: Callable[..., Path]
) -> None:
    """Through the real plugin in opt: the tiny model's (noise) answer yields no
    pipeline, the reason is logged, and the output is exactly default<Oz>'s.
    The ranker offers only disallowed pipelines, so nothing else can win."""
    source = tmp_path / "m.c"
    source.write_text(PROGRAMS["loops"])
    bc = tmp_path / "m.bc"
    clang = [toolchain.tool("clang"), *toolchain.FRONTEND_FLAGS]
    subprocess.run([*clang, "-c", str(source), "-o", str(bc)], check=True)
    log = tmp_path / "log.jsonl"
    env = {
        "PATH": "/usr/bin:/bin",
        "LLMC_MODEL": str(ranker(["no-such-pass"], name="disallowed.onnx")),
        "LLMC_LM": str(lm_dir),
        "LLMC_LOG": str(log),
        "LLMC_CACHE_DIR": "off",
        "LLMC_MIN_INSTRUCTIONS": "0",  # the test programs are below the default threshold
    }
    if "LLMC_PYTHONPATH" in os.environ:  # a development tree, not installed
        env["LLMC_PYTHONPATH"] = os.environ["LLMC_PYTHONPATH"]
    out, ref = tmp_path / "out.bc", tmp_path / "ref.bc"
    plugin = f"-load-pass-plugin={toolchain.plugin_path()}"
    opt = toolchain.tool("opt")
    subprocess.run(
        [opt, plugin, "-passes=llmc-autotune", str(bc), "-o", str(out)],
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run([opt, "-passes=default<Oz>", str(bc), "-o", str(ref)], check=True)
    record = json.loads(log.read_text().splitlines()[-1])
    notes = [n for n in record["notes"] if n.startswith("lm (")]
    assert len(notes) == 1 and "no pipeline:" in notes[0], record
    assert record["fallback"] and record["winner"] == "default<Oz>"
    assert out.read_bytes() == ref.read_bytes()
