"""From one module to a ranked, allow-listed list of pipelines: what ``rank`` returns.

features -> model scores -> candidates sorted by score (lower is better) -> each
checked by :mod:`pybridge.allowlist` (a rejected one is skipped, the rest still
count) -> the first ``k``. Errors are values here, like at the plugin boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Ranked:
    """Everything ``llmc predict`` shows; ``advise`` keeps only the pipelines."""

    pipelines: list[str]  # allowed, best first, at most k
    scores: list[float]  # score of each pipeline above
    rejected: list[tuple[str, str]]  # (pipeline, reason) skipped on the way
    model_id: str


def rank_module(bitcode: bytes, k: int, model_path: str = "") -> tuple[Ranked, np.ndarray]:
    """Rank one module; raises ``IRError``/``ModelError`` (``advise`` makes them values)."""
    import numpy as np

    from pybridge import allowlist, features, toolchain
    from pybridge.model import load_model

    model = load_model(model_path or toolchain.DEFAULT_MODEL)
    vector = features.extract(bitcode)
    scores = model.scores(vector)[0]
    if not np.all(np.isfinite(scores)):
        # NaN sorts arbitrarily: rank non-finite scores last rather than trust them.
        scores = np.where(np.isfinite(scores), scores, np.inf)
    pipelines: list[str] = []
    kept: list[float] = []
    rejected: list[tuple[str, str]] = []
    for index in np.argsort(scores, kind="stable"):
        if len(pipelines) >= k:
            break
        pipeline = model.candidates[index]
        reason = allowlist.check(pipeline)
        if reason:
            rejected.append((pipeline, reason))
            continue
        if pipeline not in pipelines:
            pipelines.append(pipeline)
            kept.append(float(scores[index]))
    return Ranked(pipelines, kept, rejected, model.model_id), vector


def advise(
    bitcode: bytes, k: int, model_path: str, rejected: list[tuple[str, str]] | None = None
) -> tuple[list[str], str, str]:
    """``(pipelines, error, model_id)`` for ``pybridge.rank``; never raises.

    ``rejected``, when given, receives the (pipeline, reason) pairs the
    allow-list refused on the way, so the plugin can log them.
    """
    from pybridge.irreader import IRError
    from pybridge.model import ModelError, load_model

    if not isinstance(k, int) or k < 1:
        return [], f"k must be a positive integer, got {k!r}", ""
    model_id = ""
    try:
        from pybridge import toolchain

        model_id = load_model(model_path or toolchain.DEFAULT_MODEL).model_id
        ranked, _ = rank_module(bytes(bitcode), k, model_path)
    except (ModelError, IRError) as exc:
        return [], str(exc).splitlines()[0] if str(exc) else type(exc).__name__, model_id
    if rejected is not None:
        rejected.extend(ranked.rejected)
    if not ranked.pipelines:
        why = f"; first rejection: {ranked.rejected[0][1]}" if ranked.rejected else ""
        return [], f"no candidate passed the allow-list{why}", ranked.model_id
    return ranked.pipelines, "", ranked.model_id
