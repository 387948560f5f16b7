"""The plugin's decision log (``LLMC_LOG``), read into typed records in one place.

``plugin/DecisionLog.cpp`` writes one JSON line per module; its README section
("What you see") documents the fields. Everything in pybridge that reads a log —
search, evaluation, build-compare, doctor, the benchmarks — reads it through
:func:`parse` or :func:`read`, so a field renamed in C++ breaks one function and
its test, not ten scattered dict lookups.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATUSES = ("ok", "rejected", "invalid", "crashed", "timeout", "failed")


class LogFormatError(ValueError):
    """A line that is not a decision record."""


@dataclass(frozen=True)
class Candidate:
    pipeline: str
    status: str  # one of STATUSES
    size: int | None
    reason: str = ""


@dataclass(frozen=True)
class Decision:
    module: str
    tool: str  # opt, clang or lld
    level: str
    metric: str  # object or ir
    source: str  # none, list, model or cache
    model: str  # id of the model that ranked, "" when none did
    ranker: str  # server, in-process or ""
    baseline_pipeline: str
    baseline_size: int | None
    candidates: tuple[Candidate, ...]
    winner: str
    winner_size: int | None
    fallback: str  # "" when a candidate won
    notes: tuple[str, ...] = ()
    micros: dict[str, int] = field(default_factory=dict)  # rank, trials, total

    @property
    def won(self) -> bool:
        """A candidate, not the baseline, was applied."""
        return not self.fallback

    @property
    def tried(self) -> tuple[Candidate, ...]:
        """The candidates the plugin ran, in its order. Refused ones (a denied pass,
        a malformed pipeline) are logged too, but were never among its k."""
        return tuple(c for c in self.candidates if c.status != "rejected")


def _int(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise LogFormatError(f"not a size: {value!r}")
    return value


def from_json(record: dict[str, Any]) -> Decision:
    """A decoded log line as a :class:`Decision`; raises LogFormatError if it is not one."""
    try:
        baseline = record["baseline"]
        return Decision(
            module=str(record["module"]),
            tool=str(record["tool"]),
            level=str(record["level"]),
            metric=str(record["metric"]),
            source=str(record["source"]),
            model=str(record["model"]),
            ranker=str(record["ranker"]),
            baseline_pipeline=str(baseline["pipeline"]),
            baseline_size=_int(baseline["size"]),
            candidates=tuple(
                Candidate(str(c["pipeline"]), str(c["status"]), _int(c["size"]), str(c["reason"]))
                for c in record["candidates"]
            ),
            winner=str(record["winner"]),
            winner_size=_int(record["winner_size"]),
            fallback=str(record["fallback"]),
            notes=tuple(str(n) for n in record["notes"]),
            micros={str(k): int(v) for k, v in record["us"].items()},
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise LogFormatError(f"not a decision record: {exc}") from None


def parse(line: str) -> Decision:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise LogFormatError(f"not JSON: {exc}") from None
    if not isinstance(record, dict):
        raise LogFormatError("not a JSON object")
    return from_json(record)


def read(path: Path) -> list[Decision]:
    """Every record of a log file; [] when there is none."""
    if not path.exists():
        return []
    return [parse(line) for line in path.read_text().splitlines() if line.strip()]
