"""Tests of ``llmc table``: greedy coverage, stable ids, and a whole run on tiny modules."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from conftest import corpus_argv
from test_search import corpus, standin_evaluator  # noqa: F401 - corpus is a fixture

from pybridge.training import modules as mods
from pybridge.training import search as S
from pybridge.training import table as T
from pybridge.training import trials
from pybridge.training import vocabulary as V


def test_greedy_cover_keeps_forced_columns_first() -> None:
    # An extended table keeps p2 even though it adds least; the greedy then adds
    # what best complements it, up to the size in all.
    ratios = [[0.5, 1.0, 0.8], [1.0, 0.6, 0.8], [1.0, 1.0, 1.2]]
    chosen, objective = T.greedy_cover(ratios, 2, forced=[2])
    assert chosen == [2, 0]
    assert objective == pytest.approx([2.6, 2.3])


def test_greedy_cover_picks_complementary_pipelines() -> None:
    # p0 is good on module 0, p1 on module 1, p2 a little on both: p0 + p1 covers best.
    ratios = [[0.5, 1.0, 0.8], [1.0, 0.6, 0.8], [1.0, 1.0, 1.2]]
    chosen, objective = T.greedy_cover(ratios, 3)
    assert chosen == [0, 1]  # p2 adds nothing once p0 and p1 are in
    assert objective == pytest.approx([2.5, 2.1])


def test_assign_ids_are_stable(tmp_path: Path) -> None:
    previous = tmp_path / "candidates.json"
    previous.write_text(
        json.dumps(
            {
                "candidates": [{"id": 0, "pipeline": "a"}, {"id": 1, "pipeline": "b"}],
                "retired": [{"id": 2, "pipeline": "c"}],
            }
        )
    )
    got = T.assign_ids(["b", "d", "c"], previous)
    assert got == [
        {"id": 1, "pipeline": "b"},
        {"id": 3, "pipeline": "d"},
        {"id": 2, "pipeline": "c"},
    ]


def parse(
    configure, dirs: tuple[Path, Path, Path], tmp_path: Path, *extra: str
) -> argparse.Namespace:
    """``llmc table`` or ``llmc label``'s arguments on the test corpus, files in tmp_path."""
    modules, manifest, split = dirs
    parser = argparse.ArgumentParser()
    configure(parser)
    return parser.parse_args(
        [
            "--results",
            str(tmp_path / "results"),
            *corpus_argv(modules, manifest, split),
            "--candidates",
            str(tmp_path / "candidates.json"),
            "--dataset",
            str(tmp_path / "dataset"),
            *extra,
        ]
    )


def table_args(dirs: tuple[Path, Path, Path], tmp_path: Path, *extra: str) -> argparse.Namespace:
    return parse(T.configure, dirs, tmp_path, "--size", "4", *extra)


def search(
    dirs: tuple[Path, Path, Path], tmp_path: Path, evaluate: trials.Evaluator, projects: list[str]
) -> None:
    modules, manifest, _ = dirs
    vocab = [t for t, _ in V.TOKENS]
    for spec in mods.load_modules(modules, manifest, projects=projects):
        record = S.search_module(spec, S.SearchConfig(budget=8, batch=8, seed=1), evaluate, vocab)
        S.write_json_atomic(S.checkpoint_path(tmp_path / "results", spec), record)


def test_table_run(corpus, tmp_path: Path) -> None:  # noqa: F811 - the fixture
    results = tmp_path / "results"
    evaluate = standin_evaluator(tmp_path / "w")
    search(corpus, tmp_path, evaluate, ["alpha", "beta"])
    args = table_args(corpus, tmp_path)
    assert T.main(args, evaluate=evaluate) == 0
    candidates = json.loads((tmp_path / "candidates.json").read_text())["candidates"]
    assert 1 <= len(candidates) <= 4
    assert [c["id"] for c in candidates] == list(range(len(candidates)))
    rows = T.load_labels(tmp_path / "dataset" / "labels.parquet")
    assert {r["project"] for r in rows} == {"alpha", "beta", "gamma"}  # gamma: test, unsearched
    for r in rows:
        assert len(r["sizes"]) == len(candidates)
        assert all(s is None or s > 0 for s in r["sizes"])
    report = json.loads((results / "table_report.json").read_text())
    kept = report["by_split"]["train"]["share_of_search_gain_kept"]
    assert kept is None or 0 <= kept <= 1.0 + 1e-9


@pytest.mark.parametrize(("limit", "projects"), [("0", {"alpha"}), ("-1", {"alpha", "beta"})])
def test_unsearched_train_modules_are_labelled(
    corpus,  # noqa: F811 - the fixture
    tmp_path: Path,
    limit: str,
    projects: set[str],
) -> None:
    # Only alpha is searched: beta's module joins the ranker's training rows
    # through --label-train-limit alone, measured with the table like the rest.
    evaluate = standin_evaluator(tmp_path / "w")
    search(corpus, tmp_path, evaluate, ["alpha"])
    args = table_args(corpus, tmp_path, "--label-splits", "--label-train-limit", limit)
    assert T.main(args, evaluate=evaluate) == 0
    rows = T.load_labels(tmp_path / "dataset" / "labels.parquet")
    assert {r["project"] for r in rows} == projects
    assert all(r["split"] == "train" and r["sizes"] for r in rows)
    beta = [r for r in rows if r["project"] == "beta"]
    assert all(r["search_best"] is None and len(r["features"]) > 0 for r in beta)


def label_args(dirs: tuple[Path, Path, Path], tmp_path: Path, *extra: str) -> argparse.Namespace:
    return parse(T.configure_label, dirs, tmp_path, *extra)


def test_label_adds_rows_for_the_committed_table(corpus, tmp_path: Path) -> None:  # noqa: F811
    """A grown corpus becomes training rows without a new table: only unlabelled
    modules of the asked splits are measured, and the old rows stay as they were."""
    table = ["function(sroa<modify-cfg>)", "function(instcombine)"]
    (tmp_path / "candidates.json").write_text(
        json.dumps({"candidates": [{"id": i, "pipeline": p} for i, p in enumerate(table)]})
    )
    runs: list[str] = []
    standin = standin_evaluator(tmp_path / "w")

    def evaluate(path: str, pipelines):
        runs.append(Path(path).parent.name)
        return standin(path, pipelines)

    labels = tmp_path / "dataset" / "labels.parquet"
    assert T.label_main(label_args(corpus, tmp_path, "--projects", "alpha"), evaluate) == 0
    first = T.load_labels(labels)
    assert [r["project"] for r in first] == ["alpha"] and runs == ["alpha"]
    assert len(first[0]["sizes"]) == 2 and first[0]["split"] == "train" and first[0]["features"]
    # The rest of the train split: beta only; alpha is labelled, gamma is a test project.
    assert T.label_main(label_args(corpus, tmp_path), evaluate) == 0
    rows = T.load_labels(labels)
    assert [r["project"] for r in rows] == ["alpha", "beta"] and runs == ["alpha", "beta"]
    assert rows[0] == first[0]
    assert T.label_target(labels) == "x86-64" and T.label_pipelines(labels) == table
    # Nothing left: no run, no change.
    assert T.label_main(label_args(corpus, tmp_path), evaluate) == 0
    assert runs == ["alpha", "beta"] and T.load_labels(labels) == rows
    # Labels of another target are never mixed in.
    args = label_args(corpus, tmp_path, "--target", "cortex-m4")
    args.corpus, args.manifest = corpus[0], corpus[1]
    assert T.label_main(args, evaluate) == 2


def test_modules_to_label_caps_each_project() -> None:
    specs = [mods.ModuleSpec(p, f"f{i}.c.bc", "", 10 * i, "") for p in "ab" for i in range(4)]
    got = T.modules_to_label(specs, {"a/f0.c.bc", "a/f1.c.bc"}, per_project=3, max_bytes=25)
    # a has two labelled already: one more; f3 of each is over --max-bytes.
    assert [s.key for s in got] == ["a/f2.c.bc", "b/f0.c.bc", "b/f1.c.bc", "b/f2.c.bc"]
    assert [s.key for s in T.modules_to_label(specs, set(), -1, 0)] == [s.key for s in specs]


def test_label_without_a_plugin_says_so(corpus, tmp_path: Path, monkeypatch, capsys) -> None:  # noqa: F811
    monkeypatch.setenv("LLMC_PLUGIN", str(tmp_path / "nowhere.so"))
    assert T.label_main(label_args(corpus, tmp_path)) == 2
    assert "no plugin at" in capsys.readouterr().err


def write_table(path: Path, table: list[str]) -> None:
    path.write_text(
        json.dumps({"candidates": [{"id": i, "pipeline": p} for i, p in enumerate(table)]})
    )


def counting(tmp_path: Path) -> tuple[trials.Evaluator, list[tuple[str, tuple[str, ...]]]]:
    """The stand-in evaluator, recording (project, pipelines) of every run."""
    runs: list[tuple[str, tuple[str, ...]]] = []
    standin = standin_evaluator(tmp_path / "w")

    def evaluate(path: str, pipelines):
        runs.append((Path(path).parent.name, tuple(pipelines)))
        return standin(path, pipelines)

    return evaluate, runs


def test_label_carries_rows_over_to_an_extended_table(corpus, tmp_path: Path) -> None:  # noqa: F811
    """After llmc table --extend, llmc label measures only the new entries on the
    rows it has, keeps what they measured, and writes them in the new table's order."""
    old, new = ["function(sroa<modify-cfg>)", "function(instcombine)"], "function(gvn)"
    write_table(tmp_path / "candidates.json", old)
    evaluate, runs = counting(tmp_path)
    labels = tmp_path / "dataset" / "labels.parquet"
    assert T.label_main(label_args(corpus, tmp_path, "--projects", "alpha"), evaluate) == 0
    before = T.load_labels(labels)
    write_table(tmp_path / "candidates.json", [old[1], new, old[0]])
    runs.clear()
    fresh = tmp_path / "fresh"  # a cache of its own: only the rows carry the old sizes
    args = label_args(corpus, tmp_path, "--projects", "alpha", "--results", str(fresh))
    assert T.label_main(args, evaluate) == 0
    assert runs == [("alpha", (new,))]
    after = T.load_labels(labels)
    assert T.label_pipelines(labels) == [old[1], new, old[0]]
    assert len(after) == 1 and after[0]["features"] == before[0]["features"]
    assert after[0]["sizes"][0] == before[0]["sizes"][1]
    assert after[0]["sizes"][2] == before[0]["sizes"][0]
    assert after[0]["sizes"][1] is not None


def test_label_refuses_to_drop_rows_it_cannot_carry_over(corpus, tmp_path: Path) -> None:  # noqa: F811
    """A row whose module has changed since it was measured cannot keep its sizes:
    llmc label says so and writes nothing, unless told to label it anew."""
    table = ["function(instcombine)"]
    write_table(tmp_path / "candidates.json", table)
    evaluate, runs = counting(tmp_path)
    labels = tmp_path / "dataset" / "labels.parquet"
    assert T.label_main(label_args(corpus, tmp_path, "--projects", "alpha"), evaluate) == 0
    rows = T.load_labels(labels)
    T.save_labels([{**rows[0], "sha256": "0" * 64}], table, labels)
    write_table(tmp_path / "candidates.json", [*table, "function(gvn)"])
    args = label_args(corpus, tmp_path, "--projects", "alpha")
    assert T.label_main(args, evaluate) == 2
    assert T.label_pipelines(labels) == table
    runs.clear()
    args = label_args(corpus, tmp_path, "--projects", "alpha", "--drop-stale")
    assert T.label_main(args, evaluate) == 0
    # Labelled anew: the module as it is now (the cache of its own runs still serves).
    assert runs == [("alpha", ("function(gvn)",))]
    assert T.load_labels(labels)[0]["sha256"] == rows[0]["sha256"]


def test_measuring_cache_of_another_module_is_not_used(tmp_path: Path) -> None:
    spec = mods.ModuleSpec("p", "f.c.bc", "a" * 64, 10, "")
    cache = T.cache_path(tmp_path, spec)
    S.write_json_atomic(cache, {"sha256": "b" * 64, "baseline": 5, "sizes": {"x": 4}})
    assert T.known_sizes(tmp_path, spec) == {"baseline": None, "sizes": {}}
    S.write_json_atomic(cache, {"sha256": "a" * 64, "baseline": 5, "sizes": {"x": 4}})
    assert T.known_sizes(tmp_path, spec) == {"baseline": 5, "sizes": {"x": 4}}
    S.write_json_atomic(cache, {"baseline": 5, "sizes": {"x": 4}})  # older, unnamed: kept
    assert T.known_sizes(tmp_path, spec)["sizes"] == {"x": 4}


def test_table_extend_keeps_the_allowed_entries(corpus, tmp_path: Path) -> None:  # noqa: F811
    """--extend keeps the table's allowed entries first with their ids, retires the
    denied one, adds from the pool and leaves the labels to llmc label."""
    evaluate = standin_evaluator(tmp_path / "w")
    search(corpus, tmp_path, evaluate, ["alpha", "beta"])
    kept, denied = "function(instcombine<no-verify-fixpoint>)", "function(gvn-sink)"
    (tmp_path / "candidates.json").write_text(
        json.dumps(
            {
                "candidates": [{"id": 7, "pipeline": denied}, {"id": 9, "pipeline": kept}],
                "split": {"train": ["alpha"], "valid": ["old-valid"], "test": ["gamma"]},
            }
        )
    )
    args = table_args(corpus, tmp_path, "--extend")
    assert T.main(args, evaluate=evaluate) == 0
    out = json.loads((tmp_path / "candidates.json").read_text())
    assert out["candidates"][0]["id"] == 9 and out["candidates"][0]["pipeline"] == kept
    assert "kept from the previous table" in out["candidates"][0]["note"]
    assert [c["id"] for c in out["candidates"][1:]] == list(range(10, 9 + len(out["candidates"])))
    assert out["retired"] == [{"id": 7, "pipeline": denied}]
    assert out["split"]["valid"] == ["old-valid"] and out["split"]["test"] == ["gamma"]
    assert not (tmp_path / "dataset" / "labels.parquet").exists()
    args = table_args(corpus, tmp_path, "--extend", "--size", "0")
    assert T.main(args, evaluate=evaluate) == 2
