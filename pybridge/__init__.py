"""pybridge: the Python half of llmc.

The plugin (``libllmc.so``) calls exactly one function here, :func:`rank`, from
its single bridge file ``plugin/PyBridge.cpp``. Everything else in this package
serves that call, the ``llmc`` command line, or training.

Imports are lazy on purpose: every compiler process that reaches a decision
pays for numpy/llvmlite/onnxruntime, and none that does not.
"""

from __future__ import annotations

from typing import Any

__all__ = ["rank"]


def rank(request: dict[str, Any]) -> dict[str, Any]:
    """Candidate pipelines for one module: the plugin's only entry point.

    ``request`` holds ``bitcode`` (LLVM 19 bitcode of the module), ``k`` (how
    many ranked candidates), ``model_path`` ("" = the shipped ranker),
    ``lm_path`` ("" = no language model), ``ir_text`` (the module as LLVM 19
    prints it, given only with a language model) and ``lm_budget_ms``.

    Returns ``pipelines`` (allow-listed new-pass-manager pipelines, best
    first), ``rejected`` ((pipeline, reason) pairs refused before any trial),
    ``notes`` (lines worth logging), ``error`` ("" or one line saying why there
    are no candidates) and ``model`` (the ranker's id). Never raises: errors
    are values at this boundary.
    """
    reply: dict[str, Any] = {"pipelines": [], "rejected": [], "notes": [], "error": "", "model": ""}
    try:
        from pybridge.advisor import advise

        pipelines, error, model = advise(
            request["bitcode"],
            int(request["k"]),
            str(request.get("model_path", "")),
            reply["rejected"],
        )
        reply.update(pipelines=pipelines, error=error, model=model)
    except Exception as exc:  # the boundary turns everything into a value
        reply["error"] = f"{type(exc).__name__}: {exc}".splitlines()[0]
    # A language model's failure must never hide the ranker's result.
    if request.get("lm_path"):
        try:
            from pybridge.lm import join

            join(reply, request)
        except Exception as exc:
            reply["notes"].append(f"lm: {type(exc).__name__}: {exc}".splitlines()[0])
    return reply
