"""Writes ranker models for the lit tests: a real linear model in ONNX with
llmc's metadata, and variants that break one promise each.

usage: make_model.py KIND OUT.onnx
  good          candidates: the good pipeline, an unknown pass, a printer
  wrong-schema  llmc.schema is not one this llmc reads
  wrong-features feature names in another order
  wrong-shape   input width one more than the feature count
  disallowed    every candidate is rejected by the allow-list
  loop          inference runs a Loop of 1e11 iterations
  alloc-1e9     inference allocates 1e9 floats (4 GB) with ConstantOfShape
  alloc-1e12    inference allocates 1e12 floats (4 TB)
  huge-table    8,000 candidates, every one rejected by the allow-list
  rejected-256  256 candidates (the most llmc reads), every one rejected

The hostile ones are otherwise good rankers: the hostile node's result is
multiplied by 0 and added to the scores, so only running them costs.
"""

import json
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from pybridge import features, model

GOOD = "function(sroa,instcombine<no-verify-fixpoint>,simplifycfg)"


def hostile(kind: str) -> tuple[list[onnx.NodeProto], list[onnx.TensorProto]]:
    """Nodes computing a scalar "hostile" from the features, and their initializers."""
    if kind == "loop":
        body = helper.make_graph(
            [
                helper.make_node("Identity", ["cond_in"], ["cond_out"]),
                helper.make_node("Add", ["v_in", "one"], ["v_out"]),
            ],
            "body",
            [
                helper.make_tensor_value_info("i", TensorProto.INT64, []),
                helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
                helper.make_tensor_value_info("v_in", TensorProto.FLOAT, []),
            ],
            [
                helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
                helper.make_tensor_value_info("v_out", TensorProto.FLOAT, []),
            ],
            [numpy_helper.from_array(np.array(1.0, dtype=np.float32), "one")],
        )
        nodes = [
            helper.make_node("ReduceSum", ["features"], ["start"], keepdims=0),
            helper.make_node("Loop", ["trips", "go", "start"], ["hostile"], body=body),
        ]
        inits = [
            numpy_helper.from_array(np.array(10**11, dtype=np.int64), "trips"),
            numpy_helper.from_array(np.array(True), "go"),
        ]
        return nodes, inits
    count = {"alloc-1e9": 1e9, "alloc-1e12": 1e12}[kind]
    # The count depends on the input, so no optimizer folds it at load.
    nodes = [
        helper.make_node("ReduceSum", ["features"], ["sum"], keepdims=1),
        helper.make_node("Mul", ["sum", "zero"], ["nothing"]),
        helper.make_node("Add", ["nothing", "count"], ["countf"]),
        helper.make_node("Cast", ["countf"], ["counti"], to=TensorProto.INT64),
        helper.make_node("Reshape", ["counti", "one_dim"], ["shape"]),
        helper.make_node(
            "ConstantOfShape",
            ["shape"],
            ["big"],
            value=helper.make_tensor("v", TensorProto.FLOAT, [1], [1.0]),
        ),
        helper.make_node("ReduceSum", ["big"], ["hostile"], keepdims=0),
    ]
    inits = [
        numpy_helper.from_array(np.array(0.0, dtype=np.float32), "zero"),
        numpy_helper.from_array(np.array(count, dtype=np.float32), "count"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "one_dim"),
    ]
    return nodes, inits


def build(kind: str) -> onnx.ModelProto:
    if kind == "disallowed":
        candidates = ["no-such-pass", "function(print<domtree>)", "instcombine"]
    elif kind == "huge-table":
        candidates = [f"no-such-pass-{i}" for i in range(8000)]
    elif kind == "rejected-256":
        candidates = [f"no-such-pass-{i}" for i in range(256)]
    else:
        candidates = ["no-such-pass", GOOD, "module(dot-cfg)", "function(sroa)"]
    width = len(features.FEATURE_NAMES) + (1 if kind == "wrong-shape" else 0)
    rng = np.random.default_rng(7)
    # Tiny weights plus a bias that ranks the candidates in table order.
    weights = (rng.normal(size=(width, len(candidates))) * 1e-6).astype(np.float32)
    bias = np.arange(len(candidates), dtype=np.float32)
    nodes = [helper.make_node("MatMul", ["features", "W"], ["xw"])]
    inits = [numpy_helper.from_array(weights, "W"), numpy_helper.from_array(bias, "b")]
    if kind in ("loop", "alloc-1e9", "alloc-1e12"):
        extra, extra_inits = hostile(kind)
        nodes += [
            *extra,
            helper.make_node("Mul", ["hostile", "zero_h"], ["nothing_h"]),
            helper.make_node("Add", ["xw", "nothing_h"], ["xw_h"]),
            helper.make_node("Add", ["xw_h", "b"], ["scores"]),
        ]
        inits += [*extra_inits, numpy_helper.from_array(np.array(0.0, np.float32), "zero_h")]
    else:
        nodes.append(helper.make_node("Add", ["xw", "b"], ["scores"]))
    graph = helper.make_graph(
        nodes,
        "ranker",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, [None, width])],
        [helper.make_tensor_value_info("scores", TensorProto.FLOAT, [None, len(candidates)])],
        inits,
    )
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    proto.ir_version = 8
    model.write_metadata(proto, candidates)
    props = {p.key: p for p in proto.metadata_props}
    if kind == "wrong-schema":
        props["llmc.schema"].value = "999"
    if kind == "wrong-features":
        props["llmc.features"].value = json.dumps(list(reversed(features.FEATURE_NAMES)))
    return proto


if __name__ == "__main__":
    onnx.save(build(sys.argv[1]), sys.argv[2])
