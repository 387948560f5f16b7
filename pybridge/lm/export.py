"""``llmc export-lm MODEL_DIR OUT_DIR``: a local Hugging Face causal LM as llmc's ``causal-lm``.

optimum exports the model to ONNX with past key values
(``task="text-generation-with-past"``: one ``model.onnx``), the tokenizer is
saved beside it (never returning ``token_type_ids``, which the ONNX graph does
not take), and ``llmc.json`` is written last, so a half-written directory is
never taken for a model. Then the directory is loaded by the engine compilers
use (:class:`pybridge.lm.LeanEngine`) and by optimum, and both must generate.

Nothing is downloaded: the Hugging Face hub is switched off before
transformers is imported, and MODEL_DIR must be a local directory.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from pybridge import lm

CHECK_IR = "define i32 @f(i32 %x) {\n  %y = add i32 %x, 1\n  ret i32 %y\n}\n"
CHECK_TOKENS = 8


class ExportError(Exception):
    """The export cannot be done; the message is one line."""


def _offline() -> None:
    # Before any transformers/huggingface_hub import: local files only, no network.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def _model_config(model_dir: Path) -> dict[str, Any]:
    if not model_dir.exists():
        raise ExportError(f"{model_dir} does not exist (a local Hugging Face model directory)")
    if not model_dir.is_dir():
        raise ExportError(f"{model_dir} is not a directory")
    config_path = model_dir / "config.json"
    try:
        config = json.loads(config_path.read_text())
    except OSError:
        raise ExportError(f"{model_dir} has no config.json: not a Hugging Face model") from None
    except ValueError as exc:
        raise ExportError(f"{config_path} is not JSON: {exc}".splitlines()[0]) from None
    if not isinstance(config, dict) or "model_type" not in config:
        raise ExportError(f"{config_path} has no model_type")
    if not any((model_dir / f).is_file() for f in ("tokenizer.json", "tokenizer.model")):
        raise ExportError(f"{model_dir} has no tokenizer.json or tokenizer.model")
    return config


def _eos_ids(model_dir: Path, config: dict[str, Any], tokenizer: Any) -> list[int]:
    ids: list[int] = []
    sources: list[Any] = [config.get("eos_token_id")]
    try:
        generation = json.loads((model_dir / "generation_config.json").read_text())
        sources.append(generation.get("eos_token_id"))
    except (OSError, ValueError):
        pass
    sources.append(tokenizer.eos_token_id)
    for value in sources:
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, int) and item not in ids:
                ids.append(item)
    return ids


def _drop_token_type_ids(out_dir: Path, tokenizer: Any) -> None:
    """Save ``model_input_names`` without ``token_type_ids``: only the config file keeps it."""
    path = out_dir / "tokenizer_config.json"
    try:
        config = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ExportError(f"{path} unreadable after saving: {exc}".splitlines()[0]) from None
    names = [n for n in tokenizer.model_input_names if n != "token_type_ids"]
    config["model_input_names"] = names
    path.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n")


def export_lm(
    model_dir: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    max_context: int | None = None,
    max_new_tokens: int = lm.DEFAULT_MAX_NEW_TOKENS,
    prompt_template: str = lm.FTD_PROMPT,
    force: bool = False,
    validate: bool = False,
    check: bool = True,
    dtype: str = "fp32",
    device: str = "cpu",
) -> dict[str, Any]:
    """Export, describe and check; returns the written ``llmc.json`` plus timings.

    Raises :class:`ExportError` with a one-line message.
    """
    model_dir, out_dir = Path(model_dir), Path(out_dir)
    config = _model_config(model_dir)
    if dtype == "fp16" and device != "cuda":
        raise ExportError("an fp16 export needs --device cuda (optimum exports fp16 on a GPU only)")
    if "{ir}" not in prompt_template:
        raise ExportError("the prompt template needs an {ir} placeholder")
    if out_dir.exists() and any(out_dir.iterdir()):
        if not force:
            raise ExportError(f"{out_dir} is not empty (use --force to replace it)")
        shutil.rmtree(out_dir)
    context = max_context or config.get("max_position_embeddings")
    if not isinstance(context, int) or context <= max_new_tokens:
        raise ExportError(
            f"max context {context!r} must be an integer above max_new_tokens={max_new_tokens}"
            " (set --max-context)"
        )

    _offline()
    imported = time.perf_counter()
    try:
        from optimum.exporters.onnx import main_export
        from transformers import AutoTokenizer
    except ImportError as exc:
        raise ExportError(f"{exc}: install llmc's lm extra (pip install 'llmc[lm]')") from None
    started = time.perf_counter()
    import_s = started - imported
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    except Exception as exc:  # transformers raises many types
        raise ExportError(f"tokenizer of {model_dir}: {_one_line(exc)}") from None
    if not getattr(tokenizer, "is_fast", False):
        raise ExportError(f"{model_dir}: no fast tokenizer (tokenizer.json) can be made")
    try:
        main_export(
            str(model_dir),
            str(out_dir),
            task="text-generation-with-past",
            local_files_only=True,
            do_validation=validate,
            device=device,
            dtype=dtype if dtype != "fp32" else None,
        )
    except Exception as exc:  # optimum/torch errors are not one type
        raise ExportError(f"optimum export of {model_dir} failed: {_one_line(exc)}") from None
    export_s = time.perf_counter() - started
    if not (out_dir / lm.MODEL_FILE).is_file():
        found = sorted(p.name for p in out_dir.glob("*.onnx"))
        raise ExportError(f"optimum wrote {found or 'no .onnx file'}, expected {lm.MODEL_FILE}")

    # The ONNX graph has no token_type_ids input; optimum's generate passes on
    # whatever the tokenizer returns.
    tokenizer.save_pretrained(str(out_dir))
    _drop_token_type_ids(out_dir, tokenizer)
    if not (out_dir / lm.TOKENIZER_FILE).is_file():
        raise ExportError(f"the tokenizer of {model_dir} did not save a {lm.TOKENIZER_FILE}")
    eos = _eos_ids(model_dir, config, tokenizer)
    meta = {
        "kind": lm.KIND,
        "schema": lm.SCHEMA,
        "prompt_template": prompt_template,
        "max_context": context,
        "max_new_tokens": max_new_tokens,
        "eos": eos,
        "stop": list(lm.DEFAULT_STOP),
        "source": {
            "model_dir": str(model_dir.resolve()),
            "model_type": config["model_type"],
            "architectures": config.get("architectures", []),
        },
        "files": {"model": lm.MODEL_FILE, "tokenizer": lm.TOKENIZER_FILE},
    }
    temporary = out_dir / (lm.META_FILE + ".tmp")
    temporary.write_text(json.dumps(meta, indent=2) + "\n")
    temporary.replace(out_dir / lm.META_FILE)  # last, and atomically: marks a complete export

    report = {
        "llmc": meta,
        "export_s": round(export_s, 3),
        "import_s": round(import_s, 3),
        "bytes": sum(p.stat().st_size for p in out_dir.iterdir() if p.is_file()),
    }
    if check:
        report["check"] = check_dir(out_dir)
    return report


def check_dir(out_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """Both engines load the directory and generate; raises :class:`ExportError`."""
    results: dict[str, Any] = {}
    for engine in lm.ENGINES:
        try:
            runner, meta = lm.load(out_dir, engine)
            ids = runner.encode(lm.prompt(meta, CHECK_IR))
            started = time.perf_counter()
            tokens, _ = runner.generate(ids, meta, started + 60, CHECK_TOKENS)
            ms = 1000 * (time.perf_counter() - started)
        except lm.LMError as exc:
            raise ExportError(f"check ({engine}): {exc}") from None
        except Exception as exc:  # onnxruntime/transformers errors
            raise ExportError(f"check ({engine}): {type(exc).__name__}: {_one_line(exc)}") from None
        results[engine] = {"tokens": tokens, "ms": round(ms, 3), "prompt_tokens": len(ids)}
    # Same files, both greedy: a difference means the lean loop feeds the graph wrongly.
    results["same"] = results["lean"]["tokens"] == results["optimum"]["tokens"]
    return results


# --- command line ---------------------------------------------------------------


def configure(parser: argparse.ArgumentParser) -> None:
    """``llmc export-lm``: arguments and ``func``."""
    parser.add_argument("model_dir", type=Path, help="local Hugging Face causal-LM directory")
    parser.add_argument("out_dir", type=Path, help="where the ONNX model and llmc.json go")
    parser.add_argument(
        "--max-context",
        type=int,
        default=None,
        help="tokens of context (default: config.json max_position_embeddings)",
    )
    parser.add_argument(
        "--max-new-tokens",
        type=int,
        default=lm.DEFAULT_MAX_NEW_TOKENS,
        help=f"answer length limit (default {lm.DEFAULT_MAX_NEW_TOKENS})",
    )
    parser.add_argument(
        "--dtype",
        choices=("fp32", "fp16"),
        default="fp32",
        help="weights in the ONNX file (fp16 halves it; needs --device cuda)",
    )
    parser.add_argument(
        "--device",
        choices=("cpu", "cuda"),
        default="cpu",
        help="where optimum traces the model (default cpu)",
    )
    parser.add_argument("--force", action="store_true", help="replace a non-empty OUT_DIR")
    parser.add_argument(
        "--validate",
        action="store_true",
        help="also let optimum compare ONNX and PyTorch outputs (slow, 2x memory)",
    )
    parser.add_argument("--no-check", action="store_true", help="skip the load-and-generate check")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    try:
        report = export_lm(
            args.model_dir,
            args.out_dir,
            max_context=args.max_context,
            max_new_tokens=args.max_new_tokens,
            force=args.force,
            validate=args.validate,
            check=not args.no_check,
            dtype=args.dtype,
            device=args.device,
        )
    except ExportError as exc:
        print(f"llmc: export-lm: {exc}", file=sys.stderr)
        return 1
    meta = report["llmc"]
    print(
        f"exported {args.model_dir} -> {args.out_dir} in {report['export_s']:.1f} s "
        f"(+{report['import_s']:.1f} s imports), "
        f"{report['bytes'] / 1e6:.1f} MB, context {meta['max_context']} tokens"
    )
    check = report.get("check")
    if check:
        for engine in lm.ENGINES:
            print(
                f"check {engine}: {len(check[engine]['tokens'])} tokens in "
                f"{check[engine]['ms']:.0f} ms"
            )
        if not check["same"]:
            print(
                "llmc: export-lm: warning: the lean loop and optimum generate different tokens",
                file=sys.stderr,
            )
    return 0


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
