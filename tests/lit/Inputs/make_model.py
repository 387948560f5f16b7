"""Writes ranker models for the lit tests: a real linear model in ONNX with
llmc's metadata, and variants that break one promise each.

usage: make_model.py KIND OUT.onnx
  good          candidates: the good pipeline, an unknown pass, a printer
  wrong-schema  llmc.schema is not one this llmc reads
  wrong-features feature names in another order
  wrong-shape   input width one more than the feature count
  disallowed    every candidate is rejected by the allow-list
"""

import json
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from pybridge import features, model

GOOD = "function(sroa,instcombine<no-verify-fixpoint>,simplifycfg)"


def build(kind: str) -> onnx.ModelProto:
    if kind == "disallowed":
        candidates = ["no-such-pass", "function(print<domtree>)", "instcombine"]
    else:
        candidates = ["no-such-pass", GOOD, "module(dot-cfg)", "function(sroa)"]
    width = len(features.FEATURE_NAMES) + (1 if kind == "wrong-shape" else 0)
    rng = np.random.default_rng(7)
    # Tiny weights plus a bias that ranks the candidates in table order.
    weights = (rng.normal(size=(width, len(candidates))) * 1e-6).astype(np.float32)
    bias = np.arange(len(candidates), dtype=np.float32)
    graph = helper.make_graph(
        [
            helper.make_node("MatMul", ["features", "W"], ["xw"]),
            helper.make_node("Add", ["xw", "b"], ["scores"]),
        ],
        "ranker",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, [None, width])],
        [helper.make_tensor_value_info("scores", TensorProto.FLOAT, [None, len(candidates)])],
        [numpy_helper.from_array(weights, "W"), numpy_helper.from_array(bias, "b")],
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
