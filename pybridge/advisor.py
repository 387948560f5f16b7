"""From one module to a ranked, allow-listed list of pipelines: what ``rank`` returns.

features -> the model's beliefs (size ratios of every table entry on weighted
scenarios, :meth:`pybridge.model.RankerModel.beliefs`) -> :func:`cover_order`
over the entries :mod:`pybridge.allowlist` accepts (checked once, when the model
loads; the refused ones are reported, never ranked) -> the first ``k``.
Errors are values here, like at the plugin boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    import numpy as np


@dataclass(frozen=True)
class Ranked:
    """Everything ``llmc predict`` shows; ``advise`` keeps only the pipelines."""

    pipelines: list[str]  # allowed, best first, at most k
    scores: list[float]  # predicted log size ratio of each pipeline above, alone
    rejected: list[tuple[str, str]]  # (pipeline, reason) skipped on the way
    model_id: str
    notes: list[str]  # worth logging: whose measurements ranked a module of another target


def rank_module(bitcode: bytes, k: int, model_path: str = "") -> tuple[Ranked, np.ndarray]:
    """Rank one module; raises ``IRError``/``ModelError`` (``advise`` makes them values)."""
    import numpy as np

    from pybridge import features, irreader, targets, toolchain
    from pybridge.model import load_model

    model = load_model(model_path or toolchain.DEFAULT_MODEL)
    counts = irreader.read(bitcode)
    vector = features.from_counts(counts)
    # The module's own target's measurements decide, else the nearest target's the
    # model has (and the log says whose they are).
    target, note = targets.stand_in(counts.triple, model.targets)
    weights, scenarios = model.beliefs(vector, target)
    with np.errstate(divide="ignore"):
        scores = np.log(weights[0] @ scenarios[0])
    pipelines: list[str] = []
    kept: list[float] = []
    # The allow-list was asked once, at load: only accepted entries compete.
    rejected = list(model.refused)
    allowed = list(model.allowed)
    if k > 0 and allowed:
        table = scenarios[0] if len(allowed) == len(model.candidates) else scenarios[0][:, allowed]
        for column in iter_cover_order(weights[0], table):
            index = allowed[column]
            pipeline = model.candidates[index]
            if pipeline not in pipelines:
                pipelines.append(pipeline)
                kept.append(float(scores[index]))
                if len(pipelines) == k:
                    break
    return Ranked(pipelines, kept, rejected, model.model_id, [note] if note else []), vector


TIE_DECIMALS = 12  # cover_order's sums are compared at this precision


def cover_order(weights: np.ndarray, scenarios: np.ndarray) -> list[int]:
    """Every table entry, in :func:`iter_cover_order`'s order."""
    return list(iter_cover_order(weights, scenarios))


def iter_cover_order(weights: np.ndarray, scenarios: np.ndarray) -> Iterator[int]:
    """Table entries in greedy order of what they add to the expected best-of-k.

    ``scenarios`` [S, C]: size ratio against -Oz of each entry on each scenario;
    ``weights`` [S] sum to 1. Step by step, take the entry that most lowers the
    weighted mean over scenarios of min(1, best ratio so far): the plugin keeps
    -Oz when nothing beats it, so entries that win on *different* scenarios
    complement each other, where sorting by mean ratio would pick near-copies.
    Ties (nothing left to gain) go to the lower mean ratio alone, then the lower
    index; with one scenario this is plain sorting by ratio. NaN counts as +inf.
    Both sums are compared rounded to 12 decimals: numpy's summation order
    (and so the last bits of a sum) differs between versions and CPUs, and an
    exact tie must not go to whichever side the rounding fell on.

    Lazy: the plugin needs the first k of 32 entries, and each step costs a
    pass over the scenarios. Only those of weight above 0 take part: they add
    exactly nothing to a sum (ratios are finite or +inf, and 0 * inf is no
    term), and a model over every target's modules gives most of its thousands
    of scenarios no weight (2026-12-08: the choice took a third of the
    decision's time before).
    """
    import numpy as np

    w = np.asarray(weights, dtype=np.float64)
    keep = w > 0
    if not keep.all():
        w, scenarios = w[keep], np.asarray(scenarios)[keep]
    ratios = np.where(np.isnan(scenarios), np.inf, scenarios).astype(np.float64)
    with np.errstate(invalid="ignore"):
        alone = np.round(np.nan_to_num(w @ ratios, nan=np.inf), TIE_DECIMALS)
    best = np.ones(len(w))
    left = list(range(ratios.shape[1]))
    while left:
        expected = np.round(w @ np.minimum(best[:, np.newaxis], ratios[:, left]), TIE_DECIMALS)
        pick = min(range(len(left)), key=lambda i: (expected[i], alone[left[i]], left[i]))
        chosen = left.pop(pick)
        yield chosen
        best = np.minimum(best, ratios[:, chosen])


def advise(
    bitcode: bytes,
    k: int,
    model_path: str,
    rejected: list[tuple[str, str]] | None = None,
    notes: list[str] | None = None,
) -> tuple[list[str], str, str]:
    """``(pipelines, error, model_id)`` for ``pybridge.rank``; never raises.

    ``rejected``, when given, receives the (pipeline, reason) pairs the
    allow-list refused on the way, and ``notes`` the lines worth logging, so
    the plugin can log them.
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
    if notes is not None:
        notes.extend(ranked.notes)
    if not ranked.pipelines:
        why = f"; first rejection: {ranked.rejected[0][1]}" if ranked.rejected else ""
        return [], f"no candidate passed the allow-list{why}", ranked.model_id
    return ranked.pipelines, "", ranked.model_id
