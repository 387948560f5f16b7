"""model.py: self-describing rankers are loaded, checked and run; anything else is refused."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest
from conftest import GOOD_CANDIDATES, hostile_model

from pybridge import features
from pybridge.model import ModelError, RankerModel, export_ranker, load_model, write_metadata

F = len(features.FEATURE_NAMES)


def test_good_model_loads_and_scores(good_model: Path) -> None:
    model = load_model(good_model)
    assert isinstance(model, RankerModel)
    assert model.candidates == tuple(GOOD_CANDIDATES)
    assert model.feature_names == features.FEATURE_NAMES
    assert model.model_id == hashlib.sha256(good_model.read_bytes()).hexdigest()[:16]
    assert model.provider in ("CPUExecutionProvider", "CUDAExecutionProvider")
    scores = model.scores(np.zeros(F, dtype=np.float32))
    assert scores.shape == (1, 4) and scores.dtype == np.float32
    np.testing.assert_allclose(scores[0], [0.3, 0.1, 0.2, 0.4], rtol=1e-6)
    assert model.scores(np.ones((3, F))).shape == (3, 4)


def test_cpu_session_is_single_threaded(good_model: Path) -> None:
    model = load_model(good_model)
    options = model.session.get_session_options()
    assert options.intra_op_num_threads == 1
    assert options.inter_op_num_threads == 1


def test_cache_per_path_and_mtime(good_model: Path, ranker: Callable[..., Path]) -> None:
    first = load_model(good_model)
    assert load_model(str(good_model)) is first
    ranker(GOOD_CANDIDATES[:2], [0.5, 0.0], name=good_model.name)  # rewrite the same path
    stat = good_model.stat()
    os.utime(good_model, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    second = load_model(good_model)
    assert second is not first
    assert second.candidates == tuple(GOOD_CANDIDATES[:2])


def test_scores_rejects_wrong_width(good_model: Path) -> None:
    with pytest.raises(ModelError, match="shape"):
        load_model(good_model).scores(np.zeros((1, F + 1), dtype=np.float32))


def assert_refused(path: Path | str, match: str) -> None:
    with pytest.raises(ModelError, match=match) as info:
        load_model(path)
    assert "\n" not in str(info.value)


def test_missing_model(tmp_path: Path) -> None:
    assert_refused(tmp_path / "absent.onnx", "model not found")


def test_corrupt_model(corrupt_model: Path) -> None:
    assert_refused(corrupt_model, "not a valid ONNX model")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.onnx"
    path.write_bytes(b"")
    assert_refused(path, "not a valid ONNX model|kind")


def test_wrong_schema(wrong_schema_model: Path) -> None:
    assert_refused(wrong_schema_model, "schema is '99'")


def test_wrong_feature_hash(wrong_hash_model: Path) -> None:
    assert_refused(wrong_hash_model, "feature hash")


def test_wrong_features(wrong_features_model: Path) -> None:
    assert_refused(wrong_features_model, "other features.*renamed_feature")


def test_wrong_input_width(wrong_shape_model: Path) -> None:
    assert_refused(wrong_shape_model, "shape")


def test_output_width_differs_from_candidates(ranker: Callable[..., Path]) -> None:
    assert_refused(ranker(GOOD_CANDIDATES, n_outputs=3, bias=[0, 1, 2]), "shape")


@pytest.mark.parametrize(
    ("metadata", "match"),
    [
        ({"llmc.kind": "classifier"}, "kind is 'classifier'"),
        ({"llmc.kind": ""}, "kind is None"),
        ({"llmc.candidates": ""}, "no llmc.candidates"),
        ({"llmc.candidates": "[1, 2]"}, "not a list of strings"),
        ({"llmc.candidates": "{not json"}, "not JSON"),
        ({"llmc.features": ""}, "no llmc.features"),
    ],
)
def test_bad_metadata(ranker: Callable[..., Path], metadata: dict, match: str) -> None:
    assert_refused(ranker(name="bad.onnx", metadata=metadata), match)


def test_empty_candidate_table(ranker: Callable[..., Path]) -> None:
    path = ranker(["x"], name="empty.onnx", metadata={"llmc.candidates": "[]"})
    assert_refused(path, "empty candidate table")


def test_wrong_io_names(ranker: Callable[..., Path]) -> None:
    assert_refused(ranker(name="in.onnx", input_name="x"), "inputs are")
    assert_refused(ranker(name="out.onnx", output_name="variable"), "outputs are")


def test_write_metadata_replaces_keys() -> None:
    import onnx
    from onnx import helper

    model = helper.make_model(helper.make_graph([], "g", [], []))
    write_metadata(model, ["a"])
    write_metadata(model, ["b", "c"])
    meta = {p.key: p.value for p in model.metadata_props}
    assert len(model.metadata_props) == 6
    assert json.loads(meta["llmc.candidates"]) == ["b", "c"]
    assert meta["llmc.feature_hash"] == features.FEATURE_HASH
    assert json.loads(meta["llmc.features"]) == list(features.FEATURE_NAMES)
    with pytest.raises(ValueError):
        write_metadata(model, [])
    assert isinstance(model, onnx.ModelProto)


def test_export_sklearn_ranker(tmp_path: Path) -> None:
    """The training path: a scikit-learn regressor exported through skl2onnx."""
    skl2onnx = pytest.importorskip("skl2onnx")
    from skl2onnx.common.data_types import FloatTensorType
    from sklearn.linear_model import Ridge

    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, F)).astype(np.float32)
    y = np.stack([x[:, 0], -x[:, 0], x[:, 1]], axis=1)  # three candidates
    regressor = Ridge(alpha=1e-3).fit(x, y)
    proto = skl2onnx.convert_sklearn(
        regressor, initial_types=[("features", FloatTensorType([None, F]))],
        final_types=[("scores", FloatTensorType([None, 3]))], target_opset=17,
    )  # fmt: skip
    model = export_ranker(proto, tmp_path / "ridge.onnx", GOOD_CANDIDATES[:3])
    got = model.scores(x[:5])
    np.testing.assert_allclose(got, regressor.predict(x[:5]), rtol=1e-4, atol=1e-4)


def test_schema_2_model_gives_normalized_weights(tmp_path: Path) -> None:
    from conftest import make_cover_model

    scenarios = np.array([[0.9, 1.0, 0.95], [1.0, 0.8, 0.95]])
    path = make_cover_model(tmp_path / "cover.onnx", ["a", "b", "c"], [3.0, 1.0], scenarios)
    model = load_model(path)
    assert model.schema == "2"
    weights, got = model.beliefs(np.zeros((2, F), dtype=np.float32))
    np.testing.assert_allclose(weights, [[0.75, 0.25], [0.75, 0.25]])
    assert got.shape == (2, 2, 3)
    np.testing.assert_allclose(got[1], scenarios, rtol=1e-6)
    with pytest.raises(ModelError, match="no scores"):
        model.scores(np.zeros(F))


@pytest.mark.parametrize(
    ("weights", "scenarios", "message"),
    [
        ([-1.0, 2.0], [[0.9, 1.0], [1.0, 0.9]], "negative or non-finite weights"),
        ([0.0, 0.0], [[0.9, 1.0], [1.0, 0.9]], "no weight"),
        ([1.0, 1.0], [[0.9, float("nan")], [1.0, 0.9]], "scenarios are not positive"),
        ([1.0, 1.0], [[0.9, 1.0, 1.0], [1.0, 0.9, 1.0]], "scenarios has shape"),
        ([1.0], [[0.9, 1.0], [1.0, 0.9]], "weights of shape"),
    ],
)
def test_bad_schema_2_outputs_are_refused(
    tmp_path: Path, weights: list[float], scenarios: list[list[float]], message: str
) -> None:
    from conftest import make_cover_model

    path = make_cover_model(tmp_path / "bad.onnx", ["a", "b"], weights, np.array(scenarios))
    with pytest.raises(ModelError, match=message):
        load_model(path)


def test_a_table_larger_than_the_cap_is_refused(
    ranker: Callable[..., Path], tmp_path: Path
) -> None:
    from pybridge import model

    at_cap = ranker([GOOD_CANDIDATES[0]] * model.MAX_CANDIDATES, name="cap.onnx")
    assert len(load_model(at_cap).candidates) == model.MAX_CANDIDATES
    over = ranker([GOOD_CANDIDATES[0]] * (model.MAX_CANDIDATES + 1), name="over.onnx")
    with pytest.raises(ModelError, match=r"257 candidates, more than the 256"):
        load_model(over)
    with pytest.raises(ModelError, match=r"8000 candidates"):
        load_model(hostile_model("huge-table", tmp_path / "huge.onnx"))


def test_the_allow_list_is_asked_once_per_model(
    bitcode: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pybridge import advisor, allowlist

    calls = []
    check = allowlist.check
    monkeypatch.setattr(allowlist, "check", lambda p: calls.append(p) or check(p))
    path = hostile_model("rejected-256", tmp_path / "rejected.onnx")
    model = load_model(path)
    assert len(calls) == 256 and not model.allowed and len(model.refused) == 256
    for _ in range(3):
        pipelines, error, _ = advisor.advise(bitcode["loops"], 4, str(path))
        assert pipelines == [] and "no candidate passed the allow-list" in error
    assert len(calls) == 256


def test_inference_past_its_deadline_refuses_the_model_for_good(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from pybridge import model

    monkeypatch.setattr(model, "INFERENCE_SECONDS", 0.3)
    monkeypatch.setattr(model, "_BAD", {})
    path = hostile_model("loop", tmp_path / "loop.onnx")
    start = time.monotonic()
    with pytest.raises(ModelError, match=r"inference took longer than 0.3 s; refused from now on"):
        load_model(path)
    assert time.monotonic() - start < 3
    start = time.monotonic()
    with pytest.raises(ModelError, match="refused earlier"):
        load_model(path)
    assert time.monotonic() - start < 0.1
    # The same bytes under another name are the same model.
    copy = tmp_path / "copy.onnx"
    copy.write_bytes(path.read_bytes())
    with pytest.raises(ModelError, match="refused earlier"):
        load_model(copy)


@pytest.mark.parametrize("kind", ["alloc-1e9", "alloc-1e12"])
def test_inference_out_of_memory_is_an_error_under_the_servers_limit(
    kind: str, tmp_path: Path
) -> None:
    # In a child: the data limit is the ranking server's (pybridge.server.limit_data).
    import subprocess
    import sys

    path = hostile_model(kind, tmp_path / f"{kind}.onnx")
    probe = (
        "import sys\n"
        "from pybridge import server\n"
        "from pybridge.model import ModelError, load_model\n"
        "server._warm_up()\n"
        "server.limit_data(server.DATA_HEADROOM)\n"
        "try:\n"
        "    load_model(sys.argv[1])\n"
        "except ModelError as exc:\n"
        "    print(exc)\n"
        # VmHWM, not ru_maxrss: that one starts from the parent's at fork.
        "print([int(l.split()[1]) // 1024 for l in open('/proc/self/status')"
        " if l.startswith('VmHWM')][0])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(path)], capture_output=True, text=True, timeout=60
    )
    error, rss = out.stdout.splitlines()
    assert "inference ran out of memory; refused from now on" in error
    assert int(rss) < 1024  # MiB: the 4 GB were never touched


def test_targets_metadata(ranker: Callable[..., Path]) -> None:
    """A model names the targets it was measured on; one without the key is x86-64's."""
    old = ranker(name="old.onnx", metadata={"llmc.targets": ""})
    assert load_model(old).targets == ("x86-64",)
    arm = ranker(name="arm.onnx", metadata={"llmc.targets": '["cortex-m4", "rv32imc"]'})
    assert load_model(arm).targets == ("cortex-m4", "rv32imc")


@pytest.mark.parametrize("value", ['["sparc"]', "[]", '["x86-64", "x86-64"]', '"x86-64"', "{"])
def test_hostile_targets_metadata_is_an_error(ranker: Callable[..., Path], value: str) -> None:
    path = ranker(name="t.onnx", metadata={"llmc.targets": value})
    with pytest.raises(ModelError, match=r"llmc\.targets"):
        load_model(path)


def test_write_metadata_refuses_unknown_targets() -> None:
    import onnx

    with pytest.raises(ValueError, match=r"llmc\.targets"):
        write_metadata(onnx.ModelProto(), ["a"], ["sparc"])


def two_target_model(tmp_path: Path, weights: Sequence[float], blocks: str = "[2, 2]") -> Path:
    """Entry a wins on the x86-64 block (scenarios 0, 1), b on the cortex-m4 one (2, 3)."""
    import onnx
    from conftest import make_cover_model

    scenarios = np.array([[0.8, 1.0], [0.9, 1.0], [1.0, 0.7], [1.0, 0.9]])
    path = make_cover_model(
        tmp_path / "two.onnx", ["a", "b"], weights, scenarios, ("x86-64", "cortex-m4"), (2, 2)
    )
    proto = onnx.load(str(path))
    for entry in proto.metadata_props:
        if entry.key == "llmc.target_scenarios":
            entry.value = blocks
    onnx.save(proto, str(path))
    return path


def test_each_target_is_decided_by_its_own_block_of_scenarios(tmp_path: Path) -> None:
    model = load_model(two_target_model(tmp_path, [1.0, 3.0, 2.0, 2.0]))
    assert model.targets == ("x86-64", "cortex-m4") and model.target_scenarios == (2, 2)
    x = np.zeros((1, len(model.feature_names)), dtype=np.float32)
    w, sc = model.beliefs(x, "cortex-m4")
    assert w.tolist() == [[0.5, 0.5]] and np.allclose(sc[0], [[1.0, 0.7], [1.0, 0.9]])
    for target in ("x86-64", None, "rv32imc"):  # the first block, unless named
        w, sc = model.beliefs(x, target)
        assert w.tolist() == [[0.25, 0.75]] and np.allclose(sc[0], [[0.8, 1.0], [0.9, 1.0]])


def test_a_block_the_module_resembles_nothing_of_weighs_its_modules_alike(
    tmp_path: Path,
) -> None:
    model = load_model(two_target_model(tmp_path, [1.0, 3.0, 0.0, 0.0]))
    x = np.zeros((1, len(model.feature_names)), dtype=np.float32)
    assert model.beliefs(x, "cortex-m4")[0].tolist() == [[0.5, 0.5]]


@pytest.mark.parametrize(
    ("blocks", "match"),
    [
        ("[1, 1]", "counts 2 scenarios, the model has 4"),
        ("[4]", "for each of its 2 targets"),
        ('["2", "2"]', "for each of its 2 targets"),
        ("[0, 4]", "positive scenario count"),
        ("[true, 3]", "positive scenario count"),
        ("{", "is not JSON"),
    ],
)
def test_hostile_target_scenarios_are_an_error(tmp_path: Path, blocks: str, match: str) -> None:
    with pytest.raises(ModelError, match=match):
        load_model(two_target_model(tmp_path, [1.0, 1.0, 1.0, 1.0], blocks))


def test_target_scenarios_need_a_schema_2_model(ranker: Callable[..., Path]) -> None:
    path = ranker(name="s1.onnx", metadata={"llmc.target_scenarios": "[4]"})
    assert_refused(path, "schema-2")
    import onnx

    with pytest.raises(ValueError, match="positive scenario count"):
        write_metadata(onnx.ModelProto(), ["a"], ["x86-64", "rv32imc"], [3])


def target_input_model(tmp_path: Path, target_weights: Sequence[Sequence[float]]) -> Path:
    """Entry a wins on scenario 0, b on scenario 1; the target's one-hot adds its row
    of ``target_weights`` to the weights: x86-64 leans to scenario 0, cortex-m4 to 1."""
    from conftest import make_cover_model

    return make_cover_model(
        tmp_path / "target-input.onnx",
        ["a", "b"],
        [1.0, 1.0],
        np.array([[0.8, 1.0], [1.0, 0.8]]),
        ("x86-64", "cortex-m4"),
        target_weights=np.asarray(target_weights),
    )


def test_a_model_with_a_target_input_is_given_the_deciding_targets_one_hot(
    tmp_path: Path,
) -> None:
    model = load_model(target_input_model(tmp_path, [[2.0, 0.0], [0.0, 2.0]]))
    assert model.target_input and model.targets == ("x86-64", "cortex-m4")
    x = np.zeros((1, len(model.feature_names)), dtype=np.float32)
    assert model.beliefs(x, "cortex-m4")[0].tolist() == [[0.25, 0.75]]
    for target in ("x86-64", None, "rv32imc"):  # the first, unless named
        assert model.beliefs(x, target)[0].tolist() == [[0.75, 0.25]]


def test_a_target_input_of_another_width_than_the_models_targets_is_refused(
    tmp_path: Path,
) -> None:
    path = target_input_model(tmp_path, [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    assert_refused(path, r"model target has shape \['N', 3\], expected \[N, 2\]")


def test_an_input_llmc_does_not_know_is_refused(tmp_path: Path) -> None:
    import onnx
    from onnx import TensorProto, helper

    path = target_input_model(tmp_path, [[1.0, 0.0], [0.0, 1.0]])
    proto = onnx.load(str(path))
    proto.graph.input[1].name = "triple"
    for node in proto.graph.node:
        node.input[:] = ["triple" if n == "target" else n for n in node.input]
    proto.graph.input.append(helper.make_tensor_value_info("seed", TensorProto.FLOAT, [1]))
    onnx.save(proto, str(path))
    assert_refused(path, r"model inputs are \['features', 'seed', 'triple'\], expected")
