"""The ``causal-lm`` backend: a language model proposes one pipeline for a module.

A model directory is what ``llmc export-lm`` writes (:mod:`pybridge.lm.export`):
optimum's ONNX export of a Hugging Face causal LM with past key values
(``model.onnx``), its ``tokenizer.json``, and llmc's own ``llmc.json``
(``kind`` = ``causal-lm``, ``schema`` = ``1``, ``prompt_template``,
``max_context``, ``max_new_tokens``, ``eos``, ``stop``).

:func:`propose` builds LLM Compiler FTD's code-size prompt around the module's
printed IR, decodes greedily and turns the answer into one allow-listed
pipeline (:mod:`pybridge.lm.pipeline_text`). It never raises: a module whose IR
does not fit the context is not sent, the time budget stops generation, and
each of these is a ``reason``.

Two engines run the same files. ``lean`` (the default, used in compilers) is a
greedy loop over onnxruntime + ``tokenizers`` + numpy; ``optimum`` is
``ORTModelForCausalLM.generate``, which imports torch and transformers (seconds
per compiler process, see tests/bench/bench_lm.py) and serves as the reference
the lean loop is tested against.
"""

from __future__ import annotations

import json
import math
import os
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

KIND = "causal-lm"
SCHEMA = "1"
META_FILE = "llmc.json"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
# LLM Compiler FTD's code-size task, exactly as the model card writes it.
FTD_PROMPT = (
    "[INST] Tell me how to optimize this LLVM-IR for object file size:\n\n<code>{ir}</code> [/INST]"
)
# FTD writes the optimized IR after the pass list, inside <code>: not needed, not generated.
DEFAULT_STOP = ("<code>",)
DEFAULT_MAX_NEW_TOKENS = 384
ENGINES = ("lean", "optimum")


class LMError(Exception):
    """The model directory cannot be used; the message is one line."""


@dataclass(frozen=True)
class Proposal:
    """One module's answer from the language model."""

    pipeline: str | None  # allow-listed new-PM pipeline, or None (see reason)
    reason: str = ""  # why there is no pipeline; "" when there is one
    answer: str = ""  # the generated text, raw
    dropped: tuple[tuple[str, str], ...] = ()  # (item of the answer, why it was dropped)
    mapped: tuple[tuple[str, str], ...] = ()  # (as written, LLVM 19 spelling)
    prompt_tokens: int = 0
    tokens: int = 0  # generated
    ms: float = 0.0  # wall time of the whole call, model load included
    engine: str = ""
    provider: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Meta:
    prompt_template: str
    max_context: int
    max_new_tokens: int
    eos: tuple[int, ...]
    stop: tuple[str, ...]


def is_lm_dir(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is a directory that ``llmc export-lm`` wrote."""
    try:
        meta = json.loads((Path(path) / META_FILE).read_text())
    except (OSError, ValueError):
        return False
    return isinstance(meta, dict) and meta.get("kind") == KIND


def read_meta(lm_dir: str | os.PathLike[str]) -> Meta:
    """``llmc.json``, checked; raises :class:`LMError`."""
    path = Path(lm_dir) / META_FILE
    try:
        raw = json.loads(path.read_text())
    except OSError as exc:
        raise LMError(f"{path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise LMError(f"{path} is not JSON: {exc}".splitlines()[0]) from None
    if not isinstance(raw, dict) or raw.get("kind") != KIND:
        raise LMError(f"{path}: kind is not {KIND!r}")
    if raw.get("schema") != SCHEMA:
        raise LMError(f"{path}: schema {raw.get('schema')!r}, this llmc reads {SCHEMA!r}")
    try:
        meta = Meta(
            prompt_template=str(raw["prompt_template"]),
            max_context=int(raw["max_context"]),
            max_new_tokens=int(raw.get("max_new_tokens", DEFAULT_MAX_NEW_TOKENS)),
            eos=tuple(int(i) for i in raw.get("eos", [])),
            stop=tuple(str(s) for s in raw.get("stop", DEFAULT_STOP)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise LMError(f"{path}: bad field {exc}".splitlines()[0]) from None
    if "{ir}" not in meta.prompt_template:
        raise LMError(f"{path}: prompt_template has no {{ir}}")
    if meta.max_new_tokens < 1 or meta.max_context <= meta.max_new_tokens:
        raise LMError(f"{path}: max_context must exceed max_new_tokens")
    return meta


def prompt(meta: Meta, ir_text: str) -> str:
    # replace, not format: IR is full of braces.
    return meta.prompt_template.replace("{ir}", ir_text)


# --- engines --------------------------------------------------------------------


class _Deadline:
    """Stops an onnxruntime run when the budget ends (RunOptions.terminate).

    A single prefill of a long prompt on a 7B model takes longer than any budget,
    so checking the clock between tokens is not enough.
    """

    def __init__(self, deadline: float) -> None:
        import onnxruntime as ort

        self.deadline = deadline
        self.options = ort.RunOptions()
        self.options.log_severity_level = 4
        self.timer: threading.Timer | None = None

    def __enter__(self) -> _Deadline:
        remaining = self.deadline - time.perf_counter()
        self.timer = threading.Timer(max(remaining, 0.0), self._stop)
        self.timer.daemon = True
        self.timer.start()
        return self

    def _stop(self) -> None:
        self.options.terminate = True

    def __exit__(self, *exc: object) -> None:
        # No thread may outlive the call: the plugin forks right after rank().
        assert self.timer is not None
        self.timer.cancel()
        self.timer.join()

    def expired(self) -> bool:
        return time.perf_counter() >= self.deadline


class _BudgetExhausted(Exception):
    pass


class LeanEngine:
    """Greedy decoding with past key values: onnxruntime, tokenizers, numpy only."""

    name = "lean"

    def __init__(self, lm_dir: Path) -> None:
        import numpy as np
        from tokenizers import Tokenizer

        from pybridge.model import _session

        self.np = np
        try:
            self.tokenizer = Tokenizer.from_file(str(lm_dir / TOKENIZER_FILE))
        except Exception as exc:  # tokenizers raises plain Exception
            raise LMError(f"tokenizer {lm_dir / TOKENIZER_FILE}: {_one_line(exc)}") from None
        # The longest token bounds the token count from below without tokenizing.
        vocab = self.tokenizer.get_vocab(with_added_tokens=True)
        self.max_token_chars = max((len(t) for t in vocab), default=1) or 1
        model = lm_dir / MODEL_FILE
        if not model.is_file():
            raise LMError(f"{model} not found")
        try:
            self.session, self.provider = _session(str(model))
        except Exception as exc:  # onnxruntime's errors are not one type
            raise LMError(f"{model} is not a valid ONNX model: {_one_line(exc)}") from None
        inputs = {i.name: i for i in self.session.get_inputs()}
        if "input_ids" not in inputs or "logits" not in {
            o.name for o in self.session.get_outputs()
        }:
            raise LMError(f"{model} is not a causal LM (needs input_ids -> logits)")
        self.inputs = set(inputs)
        self.past = sorted(
            (n for n in inputs if n.startswith("past_key_values.")), key=_layer_order
        )
        self.present = ["present." + n.removeprefix("past_key_values.") for n in self.past]
        self.empty_past: dict[str, Any] = {}
        for name in self.past:
            arg = inputs[name]
            shape = [d if isinstance(d, int) else 0 for d in arg.shape]
            if len(shape) != 4 or 0 in (shape[1], shape[3]):
                raise LMError(f"{model}: {name} has shape {arg.shape}, expected [b, heads, t, d]")
            shape[0], shape[2] = 1, 0
            dtype = np.float16 if "float16" in arg.type else np.float32
            self.empty_past[name] = np.zeros(shape, dtype=dtype)

    def encode(self, text: str) -> list[int]:
        return self.tokenizer.encode(text).ids

    def decode(self, ids: list[int]) -> str:
        return self.tokenizer.decode(ids, skip_special_tokens=True)

    def generate(
        self, ids: list[int], meta: Meta, deadline: float, max_new: int
    ) -> tuple[list[int], bool]:
        """Greedy tokens after ``ids``; True when the budget stopped them."""
        np = self.np
        names = ["logits", *self.present]
        feed: dict[str, Any] = {"input_ids": np.asarray([ids], dtype=np.int64)}
        feed.update(self.empty_past)
        out: list[int] = []
        with _Deadline(deadline) as clock:
            while len(out) < max_new:
                length = len(ids) + len(out)
                step = feed["input_ids"].shape[1]
                if "attention_mask" in self.inputs:
                    feed["attention_mask"] = np.ones((1, length), dtype=np.int64)
                if "position_ids" in self.inputs:
                    feed["position_ids"] = np.arange(length - step, length, dtype=np.int64)[None]
                if "use_cache_branch" in self.inputs:  # merged decoders of older optimum
                    feed["use_cache_branch"] = np.asarray([bool(out)])
                if clock.expired():
                    return out, True
                try:
                    logits, *present = self.session.run(names, feed, clock.options)
                except Exception:
                    if clock.expired():  # terminated by the deadline
                        return out, True
                    raise
                token = int(np.argmax(logits[0, -1]))  # first maximum: deterministic ties
                if token in meta.eos:
                    break
                out.append(token)
                if meta.stop and any(s in self.decode(out) for s in meta.stop):
                    break
                feed = dict(zip(self.past, present, strict=True))
                feed["input_ids"] = np.asarray([[token]], dtype=np.int64)
        return out, False


class OptimumEngine:
    """``ORTModelForCausalLM.generate``: the reference; imports torch and transformers."""

    name = "optimum"

    def __init__(self, lm_dir: Path) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # local directories only
        import onnxruntime as ort
        from optimum.onnxruntime import ORTModelForCausalLM
        from transformers import AutoTokenizer

        ort.set_default_logger_severity(4)
        options = ort.SessionOptions()
        options.log_severity_level = 4
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        providers = ort.get_available_providers()
        self.provider = "CPUExecutionProvider"
        if "CUDAExecutionProvider" in providers:
            self.provider = "CUDAExecutionProvider"

        def load(provider: str) -> Any:
            return ORTModelForCausalLM.from_pretrained(
                str(lm_dir),
                provider=provider,
                session_options=options,
                use_cache=True,
                local_files_only=True,
            )

        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(lm_dir), local_files_only=True)
            self.model = load(self.provider)
        except Exception as exc:
            if self.provider == "CPUExecutionProvider":
                raise LMError(f"optimum cannot load {lm_dir}: {_one_line(exc)}") from None
            self.provider = "CPUExecutionProvider"
            self.model = load(self.provider)
        # optimum falls back to the CPU by itself: report what it really uses.
        self.provider = (self.model.providers or [self.provider])[0]
        vocab = self.tokenizer.get_vocab()
        self.max_token_chars = max((len(t) for t in vocab), default=1) or 1

    def encode(self, text: str) -> list[int]:
        return self.tokenizer(text, return_token_type_ids=False)["input_ids"]

    def decode(self, ids: list[int]) -> str:
        return self.tokenizer.decode(ids, skip_special_tokens=True)

    def generate(
        self, ids: list[int], meta: Meta, deadline: float, max_new: int
    ) -> tuple[list[int], bool]:
        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList

        engine = self
        stopped = {"budget": False}

        class _Stop(StoppingCriteria):
            def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
                if time.perf_counter() >= deadline:
                    stopped["budget"] = True
                    return torch.ones(input_ids.shape[0], dtype=torch.bool)
                text = engine.decode(input_ids[0, len(ids) :].tolist())
                done = bool(meta.stop) and any(s in text for s in meta.stop)
                return torch.full((input_ids.shape[0],), done, dtype=torch.bool)

        if time.perf_counter() >= deadline:
            return [], True
        tensor = torch.tensor([ids], dtype=torch.long)
        result = self.model.generate(
            input_ids=tensor,
            attention_mask=torch.ones_like(tensor),
            do_sample=False,
            num_beams=1,
            max_new_tokens=max_new,
            eos_token_id=list(meta.eos) or None,
            pad_token_id=(meta.eos or (0,))[0],
            stopping_criteria=StoppingCriteriaList([_Stop()]),
        )
        out = result[0, len(ids) :].tolist()
        while out and out[-1] in meta.eos:
            out.pop()
        return out, stopped["budget"]


_ENGINES: dict[tuple[str, str, int], tuple[LeanEngine | OptimumEngine, Meta]] = {}


def load(lm_dir: str | os.PathLike[str], engine: str = "lean") -> tuple[Any, Meta]:
    """The engine and metadata of a model directory, cached per process; raises LMError."""
    if engine not in ENGINES:
        raise LMError(f"unknown engine {engine!r}, expected one of {', '.join(ENGINES)}")
    path = Path(lm_dir)
    if not path.is_dir():
        raise LMError(f"language model {path} is not a directory")
    meta = read_meta(path)
    try:
        stamp = (path / MODEL_FILE).stat().st_mtime_ns
    except OSError:
        raise LMError(f"{path / MODEL_FILE} not found") from None
    key = (str(path.resolve()), engine, stamp)
    if key not in _ENGINES:
        for stale in [k for k in _ENGINES if k[:2] == key[:2]]:
            del _ENGINES[stale]
        runner = LeanEngine(path) if engine == "lean" else OptimumEngine(path)
        _ENGINES[key] = (runner, meta)
    return _ENGINES[key]


# --- the backend ----------------------------------------------------------------


def propose(ir_text: str, lm_dir: str, budget_ms: int, engine: str = "lean") -> Proposal:
    """One pipeline proposed by the model in ``lm_dir`` for this IR; never raises."""
    start = time.perf_counter()

    def done(**fields: Any) -> Proposal:
        ms = round(1000 * (time.perf_counter() - start), 3)
        return Proposal(ms=ms, engine=engine, **fields)

    try:
        return _propose(ir_text, lm_dir, budget_ms, engine, start, done)
    except LMError as exc:
        return done(pipeline=None, reason=str(exc))
    except Exception as exc:  # the plugin boundary: everything becomes a value
        return done(pipeline=None, reason=f"{type(exc).__name__}: {_one_line(exc)}")


def _propose(
    ir_text: str, lm_dir: str, budget_ms: int, engine: str, start: float, done: Any
) -> Proposal:
    from pybridge.lm.pipeline_text import parse_answer

    budget = f"time budget of {budget_ms} ms exhausted"
    if not isinstance(ir_text, str) or not ir_text.strip():
        return done(pipeline=None, reason="no IR text given")
    if budget_ms <= 0:
        return done(pipeline=None, reason=budget)
    deadline = start + budget_ms / 1000
    runner, meta = load(lm_dir, engine)
    provider = runner.provider
    text = prompt(meta, ir_text)
    limit = meta.max_context - meta.max_new_tokens
    too_long = "IR does not fit the model's context ({} tokens > {}: {} minus {} for the answer)"
    # Every token covers at most max_token_chars characters: skip tokenizing what cannot fit.
    at_least = math.ceil(len(text) / runner.max_token_chars)
    if at_least > limit:
        return done(
            pipeline=None,
            provider=provider,
            reason=too_long.format(
                f"at least {at_least}", limit, meta.max_context, meta.max_new_tokens
            ),
        )
    ids = runner.encode(text)
    if len(ids) > limit:
        return done(
            pipeline=None,
            provider=provider,
            prompt_tokens=len(ids),
            reason=too_long.format(len(ids), limit, meta.max_context, meta.max_new_tokens),
        )
    if time.perf_counter() >= deadline:
        return done(
            pipeline=None,
            provider=provider,
            prompt_tokens=len(ids),
            reason=f"{budget} before generation (model load and tokenizing)",
        )
    tokens, out_of_time = runner.generate(ids, meta, deadline, meta.max_new_tokens)
    answer = runner.decode(tokens)
    common = {
        "answer": answer,
        "prompt_tokens": len(ids),
        "tokens": len(tokens),
        "provider": provider,
    }
    if out_of_time:
        # A cut answer can end in half a pass name (-loop-unroll of -loop-unroll-full).
        return done(pipeline=None, reason=f"{budget} after {len(tokens)} tokens", **common)
    dropped: list[tuple[str, str]] = []
    parse_text = answer
    if len(tokens) >= meta.max_new_tokens and not answer[-1:].isspace():
        head, _, tail = answer.rstrip().rpartition(" ")
        if tail:
            dropped.append((tail, f"answer cut at max_new_tokens={meta.max_new_tokens}"))
        parse_text = head
    parsed = parse_answer(parse_text)
    return done(
        pipeline=parsed.pipeline,
        reason=parsed.reason,
        dropped=(*dropped, *parsed.dropped),
        mapped=parsed.mapped,
        **common,
    )


def join(reply: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
    """Add the language model's pipeline to ``pybridge.rank``'s reply, in place.

    ``request`` holds ``lm_path`` ("" = no language model), ``ir_text`` and
    ``lm_budget_ms``. The pipeline goes first
    among the ranker's top-k unless it is already there; what was dropped from
    the answer goes to ``rejected``, the outcome to ``notes``. Never raises.
    """
    lm_path = str(request.get("lm_path") or "")
    if not lm_path:
        return reply
    budget = int(request.get("lm_budget_ms") or 0)
    result = propose(str(request.get("ir_text") or ""), lm_path, budget)
    pipelines = reply.setdefault("pipelines", [])
    if result.pipeline and result.pipeline not in pipelines:
        pipelines.insert(0, result.pipeline)
        if reply.get("error"):  # the ranker failed; the model's pipeline is still a candidate
            reply.setdefault("notes", []).append(f"ranker: {reply['error']}")
            reply["error"] = ""
    reply.setdefault("rejected", []).extend((item, f"lm: {why}") for item, why in result.dropped)
    outcome = result.pipeline or f"no pipeline: {result.reason}"
    reply.setdefault("notes", []).append(
        f"lm ({result.engine}, {result.provider or '-'}): {outcome} "
        f"[{result.prompt_tokens}+{result.tokens} tokens, {result.ms:.0f} ms]"
    )
    return reply


def _layer_order(name: str) -> tuple[int, str]:
    parts = name.split(".")
    return (int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else 0, name)


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
