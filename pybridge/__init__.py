"""pybridge: the Python half of llmc.

The plugin (``libllmc.so``) calls exactly one function here, :func:`rank_json`,
from its single bridge file ``plugin/PyBridge.cpp`` (in a child process of the
compiler) and, through the same function, from the ranking server
(:mod:`pybridge.server`). Everything else in this package serves that call,
the ``llmc`` command line, or training.

Imports are lazy on purpose: every compiler process that reaches a decision
pays for numpy/llvmlite/onnxruntime, and none that does not.

The reply, on both paths, is one JSON object, UTF-8, ASCII only (everything
else is escaped), at most :data:`MAX_REPLY_BYTES`::

    {"version": 1,
     "pipelines": ["<pipeline>", ...],            allow-listed, best first
     "rejected": [["<pipeline>", "<reason>"], ...], refused before any trial
     "notes": ["<line>", ...],                    worth logging
     "error": "",                                 or why there are no candidates
     "model": "<id>"}                             the ranker's id, may be ""

Every string is one line without control characters. The plugin decodes it in
one place (``plugin/BridgeClient.cpp``, ``decodeReply``) and treats anything
else, a missing key, another type or version, as an error reply: -Oz.
``tests/lit/Inputs/golden-reply.json`` is a reply both sides are held to.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["MAX_REPLY_BYTES", "REPLY_VERSION", "error_json", "rank", "rank_json", "reply_json"]

REPLY_VERSION = 1
# The plugin refuses a larger reply; 1 MiB is thousands of pipelines.
MAX_REPLY_BYTES = 1 << 20

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def rank(request: dict[str, Any]) -> dict[str, Any]:
    """Candidate pipelines for one module, as a dict (:func:`rank_json` encodes it).

    ``request`` holds ``bitcode`` (LLVM 19 bitcode of the module), ``k`` (how
    many ranked candidates), ``model_path`` ("" = the shipped ranker),
    ``lm_path`` ("" = no language model), ``ir_text`` (the module as LLVM 19
    prints it, given only with a language model) and ``lm_budget_ms``. With a
    non-empty ``search`` (a request of :mod:`pybridge.localsearch`) the reply
    holds ``k`` pipelines near the ones measured so far instead of a ranking.

    Returns ``pipelines`` (allow-listed new-pass-manager pipelines, best
    first), ``rejected`` ((pipeline, reason) pairs refused before any trial),
    ``notes`` (lines worth logging), ``error`` ("" or one line saying why there
    are no candidates) and ``model`` (the ranker's id). Never raises: errors
    are values at this boundary.
    """
    reply: dict[str, Any] = {"pipelines": [], "rejected": [], "notes": [], "error": "", "model": ""}
    if request.get("search"):
        return _search(request, reply)
    try:
        from pybridge.advisor import advise

        pipelines, error, model = advise(
            request["bitcode"],
            int(request["k"]),
            str(request.get("model_path", "")),
            reply["rejected"],
            reply["notes"],
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


def _search(request: dict[str, Any], reply: dict[str, Any]) -> dict[str, Any]:
    """A build's local-search step (:mod:`pybridge.localsearch`): ``k`` proposals."""
    try:
        from pybridge.allowlist import check
        from pybridge.localsearch import propose

        for pipeline in propose(str(request["search"]), int(request["k"])):
            why = check(pipeline)
            if why is None:
                reply["pipelines"].append(pipeline)
            else:
                reply["rejected"].append((pipeline, why))
    except Exception as exc:  # the boundary turns everything into a value
        reply["error"] = f"search: {type(exc).__name__}: {exc}".splitlines()[0]
    return reply


def _line(text: object) -> str:
    """One line, no control characters: what the plugin accepts in a string."""
    lines = str(text).splitlines()
    return _CONTROL.sub(" ", lines[0] if lines else "")


def reply_json(reply: dict[str, Any]) -> bytes:
    """The one wire form of a :func:`rank` reply (see the module docstring)."""
    value = {
        "version": REPLY_VERSION,
        "pipelines": [_line(p) for p in reply.get("pipelines", [])],
        "rejected": [[_line(p), _line(why)] for p, why in reply.get("rejected", [])],
        "notes": [_line(n) for n in reply.get("notes", [])],
        "error": _line(reply.get("error", "")),
        "model": _line(reply.get("model", "")),
    }
    if value["error"]:
        value["pipelines"] = []
    data = json.dumps(value, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode()
    if len(data) > MAX_REPLY_BYTES:
        return error_json(f"reply of {len(data)} bytes is larger than {MAX_REPLY_BYTES}")
    return data


def error_json(error: str, model: str = "") -> bytes:
    """A reply that says only why there are no candidates."""
    return reply_json({"error": error or "unknown error", "model": model})


def rank_json(request: dict[str, Any]) -> bytes:
    """:func:`rank` encoded by :func:`reply_json`: the plugin's only entry point. Never raises."""
    try:
        return reply_json(rank(request))
    except Exception as exc:  # a reply that does not encode is still an answer
        return error_json(f"Python: {type(exc).__name__}: {exc}")
