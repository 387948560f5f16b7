"""The ONNX ranker: load it, check that it is the model this code expects, run it.

A ranker file describes itself in its ONNX ``metadata_props``:

- ``llmc.kind`` = ``ranker``, ``llmc.schema`` = ``1`` or ``2`` (below);
- ``llmc.features``: JSON list of feature names, equal to ``features.FEATURE_NAMES``,
  and ``llmc.feature_hash`` = ``features.FEATURE_HASH``;
- ``llmc.candidates``: JSON list of pipeline strings (the candidate table);
- ``llmc.targets`` (optional): JSON list of the targets (``pybridge.targets``
  names) its measurements were made on; a file without it was trained on
  ``x86-64``, as every model before the key was;
- ``llmc.target_scenarios`` (optional, schema 2): JSON list of how many of the
  scenarios (below) each of those targets holds, in order: scenarios are
  measured modules, and a target's block holds the modules measured on it. A
  module is decided by its own target's block alone (or by the nearest
  target's, :func:`pybridge.targets.stand_in`). Without the key every scenario
  is the first target's.

Inputs: ``features`` float32 ``[N, F]`` and, in a model fitted on the modules of
several targets, ``target`` float32 ``[N, T]``: the one-hot of the target that
decides the module among the T of ``llmc.targets`` (its own, else the nearest
:func:`pybridge.targets.stand_in` names). Outputs, by schema:

1. ``scores`` float32 ``[N, C]``: the predicted log size ratio against -Oz of each
   entry, lower is better;
2. ``weights`` float32 ``[N, S]`` and ``scenarios`` float32 ``[S, C]``: S known
   modules (scenarios: each table entry's size ratio against -Oz on that module)
   and how much each resembles the input (a forest's proximity). The decision
   picks entries that together do best on the resembling modules.

:meth:`RankerModel.beliefs` gives both as scenarios and weights (a schema-1 model
is one scenario per module). Anything else is a :class:`ModelError` with a
one-line message: the caller falls back to -Oz.

Reading metadata goes through onnxruntime, not the ``onnx`` package, which only
training installs (``write_metadata``/``export_ranker`` import it).

Hostile models are bounded here, for the ranking server and in-process alike:

- the candidate table holds at most :data:`MAX_CANDIDATES` entries (the
  decision's cover order is quadratic in it); entries the allow-list refuses
  are dropped once, at load, and never reach the decision;
- one inference may take :data:`INFERENCE_SECONDS` (onnxruntime's
  ``RunOptions.terminate``, set from a timer thread); a model that takes longer,
  or whose inference runs out of memory (the server and the ranking child run
  under a data limit), is marked bad by its file hash for the life of the
  process: later loads fail at once, without running it again.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pybridge import features
from pybridge.targets import DEFAULT_TARGET, TARGETS

if TYPE_CHECKING:
    import numpy as np

KIND = "ranker"
INPUT = "features"
TARGET_INPUT = "target"  # optional: the one-hot of the deciding target in llmc.targets
# Schema -> its outputs, in order.
OUTPUTS = {"1": ("scores",), "2": ("weights", "scenarios")}
META_KIND = "llmc.kind"
META_SCHEMA = "llmc.schema"
META_FEATURES = "llmc.features"
META_FEATURE_HASH = "llmc.feature_hash"
META_CANDIDATES = "llmc.candidates"
META_TARGETS = "llmc.targets"
META_TARGET_SCENARIOS = "llmc.target_scenarios"
# The shipped table has 27 entries; a larger one than this is refused at load.
MAX_CANDIDATES = 256
# Normal inference takes well under 10 ms; the first one of a session a little more.
INFERENCE_SECONDS = 2.0


class ModelError(Exception):
    """The model cannot be used; the message is one line."""


@dataclass(frozen=True)
class RankerModel:
    path: str
    model_id: str  # sha256 of the file, 16 hex digits: names the model in remarks
    candidates: tuple[str, ...]
    feature_names: tuple[str, ...]
    feature_hash: str
    provider: str  # the onnxruntime execution provider in use
    session: Any  # onnxruntime.InferenceSession
    schema: str = "1"
    # Indices of the table entries the allow-list accepts, in table order, and the
    # (pipeline, reason) of those it refuses: decided once, at load.
    allowed: tuple[int, ...] = ()
    refused: tuple[tuple[str, str], ...] = ()
    # The targets its measurements were made on (pybridge.targets names).
    targets: tuple[str, ...] = (DEFAULT_TARGET,)
    # Schema 2: scenarios per target, in ``targets`` order; empty: all the first's.
    target_scenarios: tuple[int, ...] = ()
    # Whether the model takes the ``target`` input (the one-hot of the deciding target).
    target_input: bool = False

    def _run(self, vectors: np.ndarray, target: str | None = None) -> list[np.ndarray]:
        import numpy as np

        batch = np.asarray(vectors, dtype=np.float32)
        if batch.ndim == 1:
            batch = batch[np.newaxis, :]
        if batch.ndim != 2 or batch.shape[1] != len(self.feature_names):
            raise ModelError(
                f"features have shape {batch.shape}, model wants [N, {len(self.feature_names)}]"
            )
        feeds = {INPUT: batch}
        if self.target_input:
            onehot = np.zeros((len(batch), len(self.targets)), dtype=np.float32)
            onehot[:, self.target_index(target)] = 1.0
            feeds[TARGET_INPUT] = onehot
        outs = _bounded_run(self.session, self.model_id, list(OUTPUTS[self.schema]), feeds)
        outs = [np.asarray(o, dtype=np.float32) for o in outs]
        n, c = batch.shape[0], len(self.candidates)
        if self.schema == "1":
            expected = [(n, c)]
        else:
            s = outs[1].shape[0] if outs[1].ndim == 2 else -1
            expected = [(n, s), (s, c)]
        for name, out, shape in zip(OUTPUTS[self.schema], outs, expected, strict=True):
            if out.shape != shape:
                raise ModelError(f"model returned {name} of shape {out.shape}, expected {shape}")
        return outs

    def target_index(self, target: str | None) -> int:
        """Where ``target`` is in :attr:`targets`; the first for None or another name."""
        return self.targets.index(target) if target in self.targets else 0

    def scores(self, vectors: np.ndarray, target: str | None = None) -> np.ndarray:
        """Schema 1: scores ``[N, C]`` (lower is better) of vectors ``[N, F]`` or ``[F]``."""
        if self.schema != "1":
            raise ModelError(f"a schema-{self.schema} model has no scores")
        return self._run(vectors, target)[0]

    def beliefs(
        self, vectors: np.ndarray, target: str | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """``(weights [N, S], scenarios [N, S, C])``: size ratios against -Oz per scenario.

        ``target`` (one of :attr:`targets`; default the first) is the model's
        ``target`` input when it has one, and picks its block of scenarios when
        it has several (``llmc.target_scenarios``). Weights
        are normalized to sum to 1 per module; a model whose weights are negative,
        non-finite or all zero is an error, as are non-finite scenarios. Within a
        target's block, a module that resembles none of its scenarios weighs them
        all alike: that target's own no-model order.
        """
        import numpy as np

        outs = self._run(vectors, target)
        if self.schema == "1":
            # exp of the scores: the same order, on the ratio scale the decision uses.
            with np.errstate(over="ignore"):
                ratios = np.exp(np.where(np.isfinite(outs[0]), outs[0], np.inf))
            return np.ones((len(ratios), 1), dtype=np.float32), ratios[:, np.newaxis, :]
        weights, scenarios = outs
        if not (np.isfinite(weights).all() and (weights >= 0).all()):
            raise ModelError("model returned negative or non-finite weights")
        if not (weights.sum(axis=1) > 0).all():
            raise ModelError("model gave no weight to any scenario")
        if not (np.isfinite(scenarios).all() and (scenarios > 0).all()):
            raise ModelError("model scenarios are not positive finite size ratios")
        if self.target_scenarios:
            if sum(self.target_scenarios) != len(scenarios):
                raise ModelError(
                    f"model metadata {META_TARGET_SCENARIOS} counts "
                    f"{sum(self.target_scenarios)} scenarios, the model has {len(scenarios)}"
                )
            block = self.target_index(target)
            lo = sum(self.target_scenarios[:block])
            hi = lo + self.target_scenarios[block]
            weights, scenarios = weights[:, lo:hi], scenarios[lo:hi]
            weights = np.where(weights.sum(axis=1, keepdims=True) > 0, weights, 1.0)
        scenarios = np.broadcast_to(scenarios, (len(weights), *scenarios.shape))
        return weights / weights.sum(axis=1, keepdims=True), scenarios


_CACHE: dict[tuple[str, int, int], RankerModel] = {}
# model_id -> why: models that overran a bound, refused for the rest of the process.
_BAD: dict[str, str] = {}


class _Watchdog:
    """One thread that sets ``RunOptions.terminate`` on runs past their deadline.

    Starting a thread per inference cost 0.1-0.7 ms (the starter waits for it);
    arming this one is a dict insert. It checks every 50 ms while runs are armed
    and sleeps otherwise.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runs: dict[object, tuple[float, Any, threading.Event]] = {}
        self._work = threading.Event()
        self._thread: threading.Thread | None = None

    def arm(self, options: Any, seconds: float) -> tuple[object, threading.Event]:
        key, expired = object(), threading.Event()
        with self._lock:
            self._runs[key] = (time.monotonic() + seconds, options, expired)
            if self._thread is None or not self._thread.is_alive():  # first use, or forked
                self._thread = threading.Thread(target=self._loop, daemon=True)
                self._thread.start()
        self._work.set()
        return key, expired

    def disarm(self, key: object) -> None:
        with self._lock:
            self._runs.pop(key, None)

    def _loop(self) -> None:
        while True:
            self._work.wait()
            with self._lock:
                now = time.monotonic()
                for key, (deadline, options, expired) in list(self._runs.items()):
                    if now >= deadline:
                        expired.set()
                        options.terminate = True
                        del self._runs[key]
                if not self._runs:
                    self._work.clear()
                    continue
            time.sleep(0.05)


_WATCHDOG = _Watchdog()


def _bounded_run(
    session: Any, model_id: str, outputs: list[str], feeds: dict[str, np.ndarray]
) -> list[Any]:
    """``session.run`` within INFERENCE_SECONDS; overrunning it marks the model bad."""
    import onnxruntime as ort

    options = ort.RunOptions()
    options.log_severity_level = 4
    key, expired = _WATCHDOG.arm(options, INFERENCE_SECONDS)
    try:
        return session.run(outputs, feeds, options)
    except Exception as exc:  # onnxruntime raises its own types
        text = str(exc)
        if expired.is_set():
            why = f"inference took longer than {INFERENCE_SECONDS:g} s"
        elif "Failed to allocate memory" in text or isinstance(exc, MemoryError):
            why = "inference ran out of memory"
        else:
            raise ModelError(f"inference failed: {_one_line(exc)}") from exc
        _BAD[model_id] = why
        raise ModelError(f"model {model_id}: {why}; refused from now on") from exc
    finally:
        _WATCHDOG.disarm(key)


def load_model(path: str | os.PathLike[str]) -> RankerModel:
    """Load and check a ranker; cached per (path, mtime, size). Raises :class:`ModelError`."""
    path = str(path)
    try:
        stat = os.stat(path)
    except OSError as exc:
        raise ModelError(f"model not found: {path} ({exc.strerror})") from None
    key = (os.path.abspath(path), stat.st_mtime_ns, stat.st_size)
    if key not in _CACHE:
        for stale in [k for k in _CACHE if k[0] == key[0]]:  # the file changed: drop its session
            del _CACHE[stale]
        _CACHE[key] = _load(path)
    found = _CACHE[key]
    if found.model_id in _BAD:
        del _CACHE[key]
        raise ModelError(f"model {found.model_id} was refused earlier: {_BAD[found.model_id]}")
    return found


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _session(data: bytes | str) -> tuple[Any, str]:
    """A session of a model's bytes, or of its file (pybridge.lm passes a path)."""
    import onnxruntime as ort

    # onnxruntime-gpu logs a CUDA error line on machines without a GPU; stay silent.
    ort.set_default_logger_severity(4)
    options = ort.SessionOptions()
    options.log_severity_level = 4
    # Compilers run under make -j: one thread each, and no spinning.
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    if "CUDAExecutionProvider" in ort.get_available_providers():
        try:
            session = ort.InferenceSession(
                data, options, providers=["CUDAExecutionProvider", "CPUExecutionProvider"]
            )
            # onnxruntime falls back to CPU by itself when CUDA does not
            # initialize; that session is as good as a second, CPU-only one.
            return session, session.get_providers()[0]
        except Exception:  # CUDA is optional; the CPU session decides
            pass
    session = ort.InferenceSession(data, options, providers=["CPUExecutionProvider"])
    return session, "CPUExecutionProvider"


def _json_list(meta: dict[str, str], key: str) -> list[str]:
    if key not in meta:
        raise ModelError(f"model metadata has no {key}")
    try:
        value = json.loads(meta[key])
    except json.JSONDecodeError as exc:
        raise ModelError(f"model metadata {key} is not JSON: {exc.msg}") from None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ModelError(f"model metadata {key} is not a list of strings")
    return value


def _load(path: str) -> RankerModel:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ModelError(f"model unreadable: {path} ({exc.strerror})") from None
    model_id = hashlib.sha256(data).hexdigest()[:16]
    if model_id in _BAD:
        raise ModelError(f"model {model_id} was refused earlier: {_BAD[model_id]}")
    try:
        session, provider = _session(data)
    except Exception as exc:  # onnxruntime's errors are not one type
        raise ModelError(f"model {path} is not a valid ONNX model: {_one_line(exc)}") from None

    meta = dict(session.get_modelmeta().custom_metadata_map)
    kind, schema = meta.get(META_KIND), meta.get(META_SCHEMA)
    if kind != KIND:
        raise ModelError(f"model kind is {kind!r}, expected {KIND!r}")
    if schema not in OUTPUTS:
        raise ModelError(f"model schema is {schema!r}, this llmc reads schemas {sorted(OUTPUTS)}")
    names = tuple(_json_list(meta, META_FEATURES))
    if names != features.FEATURE_NAMES:
        missing = [n for n in features.FEATURE_NAMES if n not in names]
        extra = [n for n in names if n not in features.FEATURE_NAMES]
        detail = (
            f"missing {missing[:3]}, unknown {extra[:3]}" if missing or extra else "another order"
        )
        raise ModelError(
            f"model was trained on other features ({len(names)} vs "
            f"{len(features.FEATURE_NAMES)}; {detail}): retrain it"
        )
    if meta.get(META_FEATURE_HASH) != features.FEATURE_HASH:
        raise ModelError(
            f"model feature hash {meta.get(META_FEATURE_HASH)!r} != {features.FEATURE_HASH!r}"
        )
    candidates = tuple(_json_list(meta, META_CANDIDATES))
    if not candidates:
        raise ModelError("model has an empty candidate table")
    if len(candidates) > MAX_CANDIDATES:
        raise ModelError(
            f"model has {len(candidates)} candidates, more than the {MAX_CANDIDATES} llmc reads"
        )
    from pybridge import allowlist

    reasons = [allowlist.check(c) for c in candidates]

    trained_on = _targets(meta)
    target_input = _check_signature(session, schema, len(names), len(candidates), trained_on)
    blocks = _target_scenarios(meta, schema, trained_on)
    model = RankerModel(
        path=path,
        model_id=model_id,
        candidates=candidates,
        feature_names=names,
        feature_hash=features.FEATURE_HASH,
        provider=provider,
        session=session,
        schema=schema,
        allowed=tuple(i for i, why in enumerate(reasons) if not why),
        refused=tuple((c, why) for c, why in zip(candidates, reasons, strict=True) if why),
        targets=trained_on,
        target_scenarios=blocks,
        target_input=target_input,
    )
    import numpy as np

    model.beliefs(np.zeros((1, len(names)), dtype=np.float32))  # declared shapes can lie
    return model


def _targets(meta: dict[str, str]) -> tuple[str, ...]:
    if META_TARGETS not in meta:
        return (DEFAULT_TARGET,)
    names = _json_list(meta, META_TARGETS)
    unknown = [n for n in names if n not in TARGETS]
    if not names or unknown or len(set(names)) != len(names):
        shown = ", ".join(repr(n)[:40] for n in (unknown or names)[:3])
        raise ModelError(
            f"model metadata {META_TARGETS} must name distinct known targets, got {shown or 'none'}"
        )
    return tuple(names)


def _target_scenarios(
    meta: dict[str, str], schema: str, trained_on: Sequence[str]
) -> tuple[int, ...]:
    if META_TARGET_SCENARIOS not in meta:
        return ()
    try:
        value = json.loads(meta[META_TARGET_SCENARIOS])
    except json.JSONDecodeError as exc:
        raise ModelError(f"model metadata {META_TARGET_SCENARIOS} is not JSON: {exc.msg}") from None
    counts = value if isinstance(value, list) else []
    if (
        schema != "2"
        or len(counts) != len(trained_on)
        or not all(type(n) is int and 0 < n <= 1 << 24 for n in counts)
    ):
        raise ModelError(
            f"model metadata {META_TARGET_SCENARIOS} must give a positive scenario count "
            f"for each of its {len(trained_on)} targets, in a schema-2 model"
        )
    return tuple(counts)


def _check_signature(
    session: Any, schema: str, n_features: int, n_candidates: int, trained_on: Sequence[str]
) -> bool:
    """Inputs and outputs as the schema says; whether the model takes ``target``."""
    inputs = {i.name: i for i in session.get_inputs()}
    outputs = {o.name: o for o in session.get_outputs()}
    if set(inputs) not in ({INPUT}, {INPUT, TARGET_INPUT}):
        raise ModelError(
            f"model inputs are {sorted(inputs)[:3]}, expected ['{INPUT}'] "
            f"or ['{INPUT}', '{TARGET_INPUT}']"
        )
    wanted = OUTPUTS[schema]
    missing = [name for name in wanted if name not in outputs]
    if missing:
        raise ModelError(
            f"model outputs are {sorted(outputs)}, schema {schema} needs {list(wanted)}"
        )
    last = {
        INPUT: n_features,
        TARGET_INPUT: len(trained_on),
        "scores": n_candidates,
        "scenarios": n_candidates,
    }
    for name in (*sorted(inputs), *wanted):
        arg = inputs.get(name) or outputs[name]
        shape = arg.shape
        if arg.type != "tensor(float)":
            raise ModelError(f"model {name} is {arg.type}, expected tensor(float)")
        width = last.get(name)
        if len(shape) != 2 or (
            width is not None and isinstance(shape[1], int) and shape[1] != width
        ):
            expected = f"[N, {width}]" if width is not None else "[N, S]"
            raise ModelError(f"model {name} has shape {shape}, expected {expected}")
    return TARGET_INPUT in inputs


def write_metadata(
    model_proto: Any,
    candidates: list[str],
    targets: Sequence[str] = (DEFAULT_TARGET,),
    target_scenarios: Sequence[int] = (),
) -> None:
    """Write llmc's metadata into an ``onnx.ModelProto`` (training calls this)."""
    if not candidates or not all(isinstance(c, str) and c for c in candidates):
        raise ValueError("candidates must be a non-empty list of pipeline strings")
    # The schema follows the graph's outputs; load_model checks the rest.
    outputs = tuple(o.name for o in model_proto.graph.output)
    schema = "2" if outputs == OUTPUTS["2"] else "1"
    values = {
        META_KIND: KIND,
        META_SCHEMA: schema,
        META_FEATURES: json.dumps(list(features.FEATURE_NAMES)),
        META_FEATURE_HASH: features.FEATURE_HASH,
        META_CANDIDATES: json.dumps(list(candidates)),
        META_TARGETS: json.dumps(list(targets)),
    }
    if target_scenarios:
        values[META_TARGET_SCENARIOS] = json.dumps(list(target_scenarios))
    try:  # the reader's rules
        _target_scenarios(values, schema, _targets(values))
    except ModelError as exc:
        raise ValueError(str(exc)) from None
    stale = {META_TARGET_SCENARIOS, *values}
    kept = [p for p in model_proto.metadata_props if p.key not in stale]
    del model_proto.metadata_props[:]
    model_proto.metadata_props.extend(kept)
    for key, value in values.items():
        entry = model_proto.metadata_props.add()
        entry.key, entry.value = key, value


def export_ranker(
    model_proto: Any,
    path: str | os.PathLike[str],
    candidates: list[str],
    targets: Sequence[str] = (DEFAULT_TARGET,),
    target_scenarios: Sequence[int] = (),
) -> RankerModel:
    """Write metadata, save the model to ``path`` and load it back through the checks."""
    import onnx

    write_metadata(model_proto, candidates, targets, target_scenarios)
    onnx.save(model_proto, str(path))
    return load_model(path)
