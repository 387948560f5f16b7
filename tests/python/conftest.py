"""Shared fixtures: tiny C programs as LLVM 19 bitcode, tiny real ONNX rankers.

Bitcode is made the way the plugin sees a module: clang-19's frontend output at
-Oz before any LLVM pass. Rankers are real ONNX graphs (MatMul + Add) built with
``onnx.helper`` so that scores, and therefore rankings, are known in advance.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from pybridge import features, toolchain

PROGRAMS: dict[str, str] = {
    "hello": r"""
        #include <stdio.h>
        int main(void) { printf("hello\n"); return 0; }
    """,
    "loops": r"""
        int g[64];
        int sum(int n) {
            int s = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < i; j++)
                    s += g[j & 63] * i;
            return s;
        }
    """,
    "calls": r"""
        #include <string.h>
        extern int ext(int);
        static int once(int x) { return ext(x) + 1; }
        static int twice(int x) { return x * 3; }
        int api(int x, char *buf) {
            memset(buf, 0, 16);
            return once(x) + twice(x) + twice(x + 1);
        }
        int (*fp)(int) = ext;
        int indirect(int x) { return fp(x); }
    """,
    "switch": r"""
        const char *name(int c) {
            switch (c) {
            case 0: return "zero"; case 1: return "one"; case 2: return "two";
            case 3: return "three"; case 7: return "seven"; default: return "many";
            }
        }
    """,
    "attributes": r"""
        extern int ev; extern int arr[]; int defd = 3; static const char s[] = "abc";
        __attribute__((noinline)) int f(void) { return ev + arr[1] + defd + s[0]; }
        __attribute__((always_inline)) inline int g(int x) { return x + 1; }
        __attribute__((cold, noreturn)) void die(void);
        int h(float x, double y) { if (x > y) die(); return g((int)(x * y)); }
    """,
}

# Candidate tables of the test rankers. Pipelines here must all pass the allow-list.
GOOD_CANDIDATES = [
    "function(sroa,instcombine<no-verify-fixpoint>,simplifycfg)",
    "globalopt,function(sroa)",
    "function(sroa,early-cse,loop-mssa(licm),simplifycfg)",
    "cgscc(inline),function(sroa,instcombine<no-verify-fixpoint>)",
]


def compile_c(source: str, directory: Path, name: str = "module", *flags: str) -> bytes:
    """LLVM 19 bitcode of a C source, as the plugin would receive it."""
    path = directory / f"{name}.c"
    path.write_text(source)
    command = [
        toolchain.tool("clang"), *toolchain.FRONTEND_FLAGS, "-c", *flags, "-o", "-", str(path),
    ]  # fmt: skip
    return subprocess.run(command, check=True, capture_output=True).stdout


@pytest.fixture(scope="session")
def bitcode(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """name -> bitcode bytes of each program in PROGRAMS."""
    directory = tmp_path_factory.mktemp("programs")
    return {name: compile_c(source, directory, name) for name, source in PROGRAMS.items()}


def make_ranker(
    path: Path,
    candidates: Sequence[str],
    bias: Sequence[float] | None = None,
    *,
    n_features: int | None = None,
    n_outputs: int | None = None,
    metadata: dict[str, str] | None = None,
    input_name: str = "features",
    output_name: str = "scores",
) -> Path:
    """Write a linear ONNX ranker: scores = features @ 0 + bias, so bias is the ranking.

    ``metadata`` overrides (or, with value None-like "", removes) llmc's keys, to make
    broken models; ``n_features``/``n_outputs`` make wrong shapes.
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    from pybridge.model import write_metadata

    width = len(features.FEATURE_NAMES) if n_features is None else n_features
    outputs = len(candidates) if n_outputs is None else n_outputs
    if bias is None:
        bias = [0.1 * i for i in range(outputs)]  # candidate 0 is best
    weights = np.zeros((width, outputs), dtype=np.float32)
    graph = helper.make_graph(
        [
            helper.make_node("MatMul", [input_name, "W"], ["xw"]),
            helper.make_node("Add", ["xw", "b"], [output_name]),
        ],
        "ranker",
        [helper.make_tensor_value_info(input_name, TensorProto.FLOAT, ["N", width])],
        [helper.make_tensor_value_info(output_name, TensorProto.FLOAT, ["N", outputs])],
        [
            numpy_helper.from_array(weights, "W"),
            numpy_helper.from_array(np.asarray(bias, dtype=np.float32), "b"),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 9  # readable by every onnxruntime >= 1.16
    write_metadata(model, list(candidates))
    for key, value in (metadata or {}).items():
        entries = [p for p in model.metadata_props if p.key != key]
        del model.metadata_props[:]
        model.metadata_props.extend(entries)
        if value:
            entry = model.metadata_props.add()
            entry.key, entry.value = key, value
    onnx.save(model, str(path))
    return path


def corpus_argv(modules: Path, manifest: Path, split: Path) -> list[str]:
    """The corpus options every training command takes, for a test corpus."""
    return ["--corpus", str(modules), "--manifest", str(manifest), "--split-file", str(split)]


def make_cover_model(
    path: Path,
    candidates: Sequence[str],
    weights: Sequence[float],
    scenarios: np.ndarray,
    targets: Sequence[str] = ("x86-64",),
    target_scenarios: Sequence[int] = (),
    target_weights: np.ndarray | None = None,
) -> Path:
    """Write a schema-2 ranker: weights = features @ 0 + ``weights``, constant ``scenarios``
    (in blocks of ``target_scenarios`` per target, when given); with
    ``target_weights`` [T, S], a ``target`` input too, whose one-hot adds its row."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    from pybridge.model import write_metadata

    width, s = len(features.FEATURE_NAMES), len(weights)
    scenarios = np.asarray(scenarios, dtype=np.float32)
    by_target = []
    if target_weights is not None:
        tw = np.asarray(target_weights, dtype=np.float32)
        by_target = [
            helper.make_node("MatMul", ["target", "Wt"], ["tw"]),
            helper.make_node("Add", ["xw0", "tw"], ["xw"]),
        ]
    graph = helper.make_graph(
        [
            helper.make_node("MatMul", ["features", "W"], ["xw0" if by_target else "xw"]),
            *by_target,
            helper.make_node("Add", ["xw", "b"], ["weights"]),
            helper.make_node(
                "Constant", [], ["scenarios"], value=numpy_helper.from_array(scenarios, "sc")
            ),
        ],
        "cover",
        [
            helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", width]),
            *(
                [helper.make_tensor_value_info("target", TensorProto.FLOAT, ["N", len(tw)])]
                if by_target
                else []
            ),
        ],
        [
            helper.make_tensor_value_info("weights", TensorProto.FLOAT, ["N", s]),
            helper.make_tensor_value_info("scenarios", TensorProto.FLOAT, list(scenarios.shape)),
        ],
        [
            numpy_helper.from_array(np.zeros((width, s), dtype=np.float32), "W"),
            numpy_helper.from_array(np.asarray(weights, dtype=np.float32), "b"),
            *([numpy_helper.from_array(tw, "Wt")] if by_target else []),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 9
    write_metadata(model, list(candidates), targets, target_scenarios)
    onnx.save(model, str(path))
    return path


@pytest.fixture
def ranker(tmp_path: Path) -> Callable[..., Path]:
    """Factory: ranker(candidates, bias=None, name="model.onnx", **make_ranker options)."""

    def build(candidates: Sequence[str] = GOOD_CANDIDATES, bias=None, name="model.onnx", **kw):
        return make_ranker(tmp_path / name, candidates, bias, **kw)

    return build


@pytest.fixture
def good_model(ranker: Callable[..., Path]) -> Path:
    return ranker(GOOD_CANDIDATES, [0.3, 0.1, 0.2, 0.4])  # order: 1, 2, 0, 3


@pytest.fixture
def corrupt_model(tmp_path: Path) -> Path:
    path = tmp_path / "corrupt.onnx"
    path.write_bytes(b"\x08\x07not an onnx model at all" + bytes(range(256)))
    return path


@pytest.fixture
def wrong_schema_model(ranker: Callable[..., Path]) -> Path:
    return ranker(name="schema.onnx", metadata={"llmc.schema": "99"})


@pytest.fixture
def wrong_hash_model(ranker: Callable[..., Path]) -> Path:
    return ranker(name="hash.onnx", metadata={"llmc.feature_hash": "0123456789abcdef"})


@pytest.fixture
def wrong_features_model(ranker: Callable[..., Path]) -> Path:
    names = [*features.FEATURE_NAMES[:-1], "renamed_feature"]
    return ranker(name="features.onnx", metadata={"llmc.features": json.dumps(names)})


@pytest.fixture
def wrong_shape_model(ranker: Callable[..., Path]) -> Path:
    return ranker(name="shape.onnx", n_features=len(features.FEATURE_NAMES) + 3)


MAKE_MODEL = Path(__file__).resolve().parents[1] / "lit" / "Inputs" / "make_model.py"


def hostile_model(kind: str, path: Path) -> Path:
    """A hostile ONNX model of tests/lit/Inputs/make_model.py (loop, alloc-1e9, ...) at path."""
    import importlib.util

    import onnx

    spec = importlib.util.spec_from_file_location("make_model", MAKE_MODEL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    onnx.save(module.build(kind), str(path))
    return path
