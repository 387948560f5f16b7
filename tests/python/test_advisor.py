"""advisor.advise and pybridge.rank: ranked, allow-listed pipelines; errors as values."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import GOOD_CANDIDATES

import pybridge
from pybridge import toolchain
from pybridge.advisor import advise, rank_module
from pybridge.model import load_model

BAD = [
    "print",  # printer
    "not-a-pass",  # unknown
    "attributor",  # denied
    "instcombine",  # missing required parameter
    "function(sroa",  # unparsable
    "function(loop(licm))",  # would abort LLVM 19
]


def test_advise_orders_by_score(bitcode: dict[str, bytes], good_model: Path) -> None:
    pipelines, error, model_id = advise(bitcode["loops"], 3, str(good_model))
    assert error == ""
    assert pipelines == [GOOD_CANDIDATES[1], GOOD_CANDIDATES[2], GOOD_CANDIDATES[0]]
    assert model_id == load_model(good_model).model_id


def test_k_limits_and_k_larger_than_table(bitcode: dict[str, bytes], good_model: Path) -> None:
    assert advise(bitcode["hello"], 1, str(good_model))[0] == [GOOD_CANDIDATES[1]]
    assert len(advise(bitcode["hello"], 50, str(good_model))[0]) == len(GOOD_CANDIDATES)


@pytest.mark.parametrize("k", [0, -1])
def test_bad_k(bitcode: dict[str, bytes], good_model: Path, k: int) -> None:
    pipelines, error, _ = advise(bitcode["hello"], k, str(good_model))
    assert pipelines == [] and "k must be" in error


def test_disallowed_candidates_are_skipped(
    bitcode: dict[str, bytes], ranker: Callable[..., Path]
) -> None:
    # The bad ones score best, so every one of them is considered and rejected.
    table = [*BAD, *GOOD_CANDIDATES]
    path = ranker(table, [-1.0] * len(BAD) + [0.4, 0.3, 0.2, 0.1], name="mixed.onnx")
    pipelines, error, model_id = advise(bitcode["calls"], 2, str(path))
    assert error == "" and model_id
    assert pipelines == [GOOD_CANDIDATES[3], GOOD_CANDIDATES[2]]
    ranked, _ = rank_module(bitcode["calls"], 2, str(path))
    assert [p for p, _ in ranked.rejected] == BAD
    assert ranked.scores == pytest.approx([0.1, 0.2])


def test_all_rejected_is_an_error(bitcode: dict[str, bytes], ranker: Callable[..., Path]) -> None:
    path = ranker(BAD, name="allbad.onnx")
    pipelines, error, model_id = advise(bitcode["calls"], 4, str(path))
    assert pipelines == [] and "allow-list" in error and model_id


def test_duplicates_are_returned_once(
    bitcode: dict[str, bytes], ranker: Callable[..., Path]
) -> None:
    path = ranker([GOOD_CANDIDATES[0]] * 2 + [GOOD_CANDIDATES[1]], name="dup.onnx")
    pipelines, _, _ = advise(bitcode["hello"], 3, str(path))
    assert pipelines == [GOOD_CANDIDATES[0], GOOD_CANDIDATES[1]]


@pytest.mark.parametrize(
    ("fixture", "match"),
    [
        ("corrupt_model", "not a valid ONNX model"),
        ("wrong_schema_model", "schema"),
        ("wrong_hash_model", "feature hash"),
        ("wrong_features_model", "other features"),
        ("wrong_shape_model", "shape"),
    ],
)
def test_bad_models_are_error_values(
    bitcode: dict[str, bytes], request: pytest.FixtureRequest, fixture: str, match: str
) -> None:
    path = request.getfixturevalue(fixture)
    pipelines, error, model_id = advise(bitcode["hello"], 4, str(path))
    assert pipelines == [] and match in error and "\n" not in error
    assert model_id == ""


def test_missing_model_and_default_path(
    bitcode: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipelines, error, model_id = advise(bitcode["hello"], 4, str(tmp_path / "nope.onnx"))
    assert (pipelines, model_id) == ([], "") and "model not found" in error
    # "" means the shipped model.
    monkeypatch.setattr(toolchain, "DEFAULT_MODEL", tmp_path / "shipped.onnx")
    _, error, _ = advise(bitcode["hello"], 4, "")
    assert "shipped.onnx" in error


def test_default_model_is_used(
    bitcode: dict[str, bytes], good_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(toolchain, "DEFAULT_MODEL", good_model)
    assert advise(bitcode["hello"], 1, "") == (
        [GOOD_CANDIDATES[1]],
        "",
        load_model(good_model).model_id,
    )


@pytest.mark.parametrize("data", [b"", b"not bitcode", b"BC\xc0\xde\x00\x00"])
def test_unparsable_module_is_an_error_value(good_model: Path, data: bytes) -> None:
    pipelines, error, model_id = advise(data, 4, str(good_model))
    assert pipelines == [] and "not a readable LLVM module" in error
    assert model_id == load_model(good_model).model_id  # the model was fine


def test_rank_boundary_never_raises(bitcode: dict[str, bytes], good_model: Path) -> None:
    reply = pybridge.rank({"bitcode": bitcode["loops"], "k": 2, "model_path": str(good_model)})
    assert reply["pipelines"] == GOOD_CANDIDATES[1:3] and reply["error"] == ""
    assert reply["model"] == load_model(good_model).model_id
    reply = pybridge.rank({"bitcode": None, "k": 2, "model_path": str(good_model)})
    assert reply["pipelines"] == [] and reply["error"] and "\n" not in reply["error"]


def test_nan_scores_rank_last(bitcode: dict[str, bytes], ranker: Callable[..., Path]) -> None:
    path = ranker(GOOD_CANDIDATES, [float("nan"), 0.2, 0.1, float("inf")], name="nan.onnx")
    pipelines, error, _ = advise(bitcode["hello"], 4, str(path))
    assert error == ""
    assert pipelines[:2] == [GOOD_CANDIDATES[2], GOOD_CANDIDATES[1]]
    assert set(pipelines[2:]) == {GOOD_CANDIDATES[0], GOOD_CANDIDATES[3]}


def test_cover_order_complements_instead_of_sorting() -> None:
    import numpy as np

    from pybridge.advisor import cover_order

    # Entry 2 has the best mean alone (0.9 against 0.9), but 0 and 1 each win big on
    # half the scenarios: together they give 0.75 where 2 and either give 0.8.
    scenarios = np.array([[0.7, 1.1, 0.9], [1.1, 0.8, 0.9]])
    assert cover_order(np.array([0.5, 0.5]), scenarios) == [0, 1, 2]
    # One scenario: plain sorting by ratio, ties by index; NaN last.
    assert cover_order(np.array([1.0]), np.array([[1.2, 0.9, np.nan, 0.95, 1.2]])) == [
        1,
        3,
        0,
        4,
        2,
    ]


def test_cover_order_is_lazy_and_its_prefix_is_the_full_orders() -> None:
    import itertools

    import numpy as np

    from pybridge.advisor import cover_order, iter_cover_order

    rng = np.random.default_rng(7)
    for _ in range(20):
        scenarios = rng.uniform(0.8, 1.2, size=(50, 27))
        scenarios[rng.random(scenarios.shape) < 0.05] = np.nan
        weights = rng.random(50) * (rng.random(50) < 0.5)
        weights /= weights.sum()
        full = cover_order(weights, scenarios)
        assert sorted(full) == list(range(27))
        assert list(itertools.islice(iter_cover_order(weights, scenarios), 4)) == full[:4]
    steps = iter_cover_order(np.array([1.0]), np.array([[np.inf] * 3]))
    assert next(steps) == 0  # computed one step at a time
