"""The ONNX ranker: load it, check that it is the model this code expects, run it.

A ranker file describes itself in its ONNX ``metadata_props``:

- ``llmc.kind`` = ``ranker``, ``llmc.schema`` = ``1``;
- ``llmc.features``: JSON list of feature names, equal to ``features.FEATURE_NAMES``,
  and ``llmc.feature_hash`` = ``features.FEATURE_HASH``;
- ``llmc.candidates``: JSON list of pipeline strings (the candidate table).

Input ``features`` float32 ``[N, F]``, output ``scores`` float32 ``[N, C]``, lower is
better (predicted log of the size ratio against -Oz). Anything else is a
:class:`ModelError` with a one-line message: the caller falls back to -Oz.

Reading metadata goes through onnxruntime, not the ``onnx`` package, which only
training installs (``write_metadata``/``export_ranker`` import it).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pybridge import features

if TYPE_CHECKING:
    import numpy as np

KIND = "ranker"
SCHEMA = "1"
INPUT = "features"
OUTPUT = "scores"
META_KIND = "llmc.kind"
META_SCHEMA = "llmc.schema"
META_FEATURES = "llmc.features"
META_FEATURE_HASH = "llmc.feature_hash"
META_CANDIDATES = "llmc.candidates"


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

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        """Scores ``[N, C]`` (lower is better) of feature vectors ``[N, F]`` or ``[F]``."""
        import numpy as np

        batch = np.asarray(vectors, dtype=np.float32)
        if batch.ndim == 1:
            batch = batch[np.newaxis, :]
        if batch.ndim != 2 or batch.shape[1] != len(self.feature_names):
            raise ModelError(
                f"features have shape {batch.shape}, model wants [N, {len(self.feature_names)}]"
            )
        try:
            (out,) = self.session.run([OUTPUT], {INPUT: batch})
        except Exception as exc:  # onnxruntime raises its own types
            raise ModelError(f"inference failed: {_one_line(exc)}") from exc
        out = np.asarray(out, dtype=np.float32)
        if out.shape != (batch.shape[0], len(self.candidates)):
            raise ModelError(
                f"model returned scores of shape {out.shape}, "
                f"expected ({batch.shape[0]}, {len(self.candidates)})"
            )
        return out


_CACHE: dict[tuple[str, int, int], RankerModel] = {}


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
    return _CACHE[key]


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _session(data: bytes) -> tuple[Any, str]:
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
            # onnxruntime falls back to CPU by itself when CUDA does not initialize.
            if session.get_providers()[0] == "CUDAExecutionProvider":
                return session, "CUDAExecutionProvider"
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
    try:
        session, provider = _session(data)
    except Exception as exc:  # onnxruntime's errors are not one type
        raise ModelError(f"model {path} is not a valid ONNX model: {_one_line(exc)}") from None

    meta = dict(session.get_modelmeta().custom_metadata_map)
    kind, schema = meta.get(META_KIND), meta.get(META_SCHEMA)
    if kind != KIND:
        raise ModelError(f"model kind is {kind!r}, expected {KIND!r}")
    if schema != SCHEMA:
        raise ModelError(f"model schema is {schema!r}, this llmc reads schema {SCHEMA!r}")
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

    _check_signature(session, len(names), len(candidates))
    model = RankerModel(
        path=path,
        model_id=model_id,
        candidates=candidates,
        feature_names=names,
        feature_hash=features.FEATURE_HASH,
        provider=provider,
        session=session,
    )
    import numpy as np

    model.scores(np.zeros((1, len(names)), dtype=np.float32))  # declared shapes can lie
    return model


def _check_signature(session: Any, n_features: int, n_candidates: int) -> None:
    inputs = {i.name: i for i in session.get_inputs()}
    outputs = {o.name: o for o in session.get_outputs()}
    if set(inputs) != {INPUT}:
        raise ModelError(f"model inputs are {sorted(inputs)}, expected ['{INPUT}']")
    if OUTPUT not in outputs:
        raise ModelError(f"model outputs are {sorted(outputs)}, expected '{OUTPUT}'")
    for arg, width, what in (
        (inputs[INPUT], n_features, "features"),
        (outputs[OUTPUT], n_candidates, "candidates"),
    ):
        shape = arg.shape
        if arg.type != "tensor(float)":
            raise ModelError(f"model {arg.name} is {arg.type}, expected tensor(float)")
        if len(shape) != 2 or (isinstance(shape[1], int) and shape[1] != width):
            raise ModelError(f"model {arg.name} has shape {shape}, expected [N, {width}] ({what})")


def write_metadata(model_proto: Any, candidates: list[str]) -> None:
    """Write llmc's metadata into an ``onnx.ModelProto`` (training calls this)."""
    if not candidates or not all(isinstance(c, str) and c for c in candidates):
        raise ValueError("candidates must be a non-empty list of pipeline strings")
    values = {
        META_KIND: KIND,
        META_SCHEMA: SCHEMA,
        META_FEATURES: json.dumps(list(features.FEATURE_NAMES)),
        META_FEATURE_HASH: features.FEATURE_HASH,
        META_CANDIDATES: json.dumps(list(candidates)),
    }
    kept = [p for p in model_proto.metadata_props if p.key not in values]
    del model_proto.metadata_props[:]
    model_proto.metadata_props.extend(kept)
    for key, value in values.items():
        entry = model_proto.metadata_props.add()
        entry.key, entry.value = key, value


def export_ranker(
    model_proto: Any, path: str | os.PathLike[str], candidates: list[str]
) -> RankerModel:
    """Write metadata, save the model to ``path`` and load it back through the checks."""
    import onnx

    write_metadata(model_proto, candidates)
    onnx.save(model_proto, str(path))
    return load_model(path)
