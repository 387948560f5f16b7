"""Tests of ``llmc search`` on tiny modules, with a stand-in for the plugin's list mode.

The stand-in (opt-19, llc-19 -relocation-model=pic, llvm-size-19) measures the same
kind of number as the plugin (text+data of the object), so the search logic can be
tested before and without libllmc.so. The test of the real contract is skipped
until the plugin is built.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import corpus_argv

from pybridge import toolchain
from pybridge.tools.commands import load_bitcode
from pybridge.training import modules as mods
from pybridge.training import search as S
from pybridge.training import trials
from pybridge.training import vocabulary as V

C_SOURCES = {
    "alpha/a.c": """
        struct S { int a[16]; int n; };
        static int helper(struct S *s, int k) {
            int t = 0;
            for (int i = 0; i < s->n; i++) t += s->a[i] * k;
            return t;
        }
        int sum(struct S *s) { return helper(s, 3) + helper(s, 5); }
        int copy(char *d, const char *s, int n) {
            for (int i = 0; i < n; i++) d[i] = s[i];
            return n;
        }
        int fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); }
    """,
    "beta/b.c": """
        static int sq(int x) { return x * x; }
        int f(int *p, int n) { int s = 0; for (int i = 0; i < n; i++) s += sq(p[i]); return s; }
        int g(int x) { switch (x) { case 1: return 4; case 2: return 9; case 3: return 1;
                                    case 4: return 7; default: return 0; } }
    """,
    "gamma/c.c": """
        int unused_helper(int x) { return x + 1; }
        int h(const char *s) { int n = 0; while (*s++) n++; return n; }
    """,
}


def compile_c(source: str, out: Path) -> Path:
    """clang-19 as the corpus does it: -Oz attributes, no middle end."""
    src = out.with_suffix(".c")
    src.write_text(source)
    out.write_bytes(load_bitcode(src))
    return out


def object_size(bitcode: str, pipeline: str, tmp: Path) -> int | None:
    opt = subprocess.run(
        [toolchain.tool("opt"), f"-passes={pipeline}", bitcode, "-o", str(tmp / "o.bc")],
        capture_output=True,
    )
    if opt.returncode:
        return None
    subprocess.run(
        [
            toolchain.tool("llc"),
            "-relocation-model=pic",
            "-filetype=obj",
            str(tmp / "o.bc"),
            "-o",
            str(tmp / "o.o"),
        ],
        check=True,
    )
    out = (
        subprocess.run(
            [toolchain.tool("llvm-size"), str(tmp / "o.o")],
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.splitlines()[1]
        .split()
    )
    return int(out[0]) + int(out[1])


def standin_evaluator(tmp: Path) -> trials.Evaluator:
    """The plugin's list mode, imitated with opt/llc/llvm-size."""
    tmp.mkdir(parents=True, exist_ok=True)

    def evaluate(bitcode: str, pipelines: Sequence[str]) -> trials.Batch:
        baseline = object_size(bitcode, "default<Oz>", tmp)
        results = []
        for p in pipelines:
            size = object_size(bitcode, p, tmp)
            results.append(trials.Evaluation(p, "ok" if size is not None else "invalid", size))
        return trials.Batch(baseline, results)

    return evaluate


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> tuple[Path, Path, Path]:
    """(corpus dir, manifest.csv, split.json) of three one-file projects."""
    root = tmp_path_factory.mktemp("corpus")
    modules = root / "modules"
    rows = []
    for rel, source in C_SOURCES.items():
        project, name = rel.split("/")
        (modules / project).mkdir(parents=True)
        bc = compile_c(source, modules / project / f"{name}.bc")
        rows.append(
            {
                "project": project,
                "version": "1",
                "file": f"{name}.bc",
                "license": "MIT",
                "sha256": hashlib.sha256(bc.read_bytes()).hexdigest(),
                "bytes": bc.stat().st_size,
            }
        )
    manifest = root / "manifest.csv"
    with manifest.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    split = root / "split.json"
    split.write_text(json.dumps({"train": ["alpha", "beta"], "valid": [], "test": ["gamma"]}))
    return modules, manifest, split


def test_render_nests_levels() -> None:
    tokens = [
        "default<Oz>",
        "sroa<modify-cfg>",
        "licm",
        "loop-rotate",
        "indvars",
        "gvn",
        "inline",
        "function-attrs",
        "globaldce",
    ]
    assert V.render(tokens) == (
        "default<Oz>,function(sroa<modify-cfg>,loop-mssa(licm,loop-rotate),loop(indvars),gvn),"
        "cgscc(inline,function-attrs),globaldce"
    )


def test_vocabulary_parses_in_opt(corpus) -> None:
    """Every token is a pipeline LLVM 19 accepts (one opt run for all of them)."""
    modules, _, _ = corpus
    tokens = [t for t, _ in V.TOKENS]
    pipeline = ",".join(V.render([t]) for t in tokens)
    res = subprocess.run(
        [
            toolchain.tool("opt"),
            f"-passes={pipeline}",
            str(modules / "alpha" / "a.c.bc"),
            "-o",
            "/dev/null",
        ],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    assert all(not t.startswith("instcombine") or "no-verify-fixpoint" in t for t in tokens)


def test_parse_log_in_list_order() -> None:
    line = json.dumps(
        {
            "module": "m",
            "tool": "clang",
            "level": "Oz",
            "metric": "object",
            "source": "list",
            "model": "",
            "ranker": "",
            "baseline": {"pipeline": "default<Oz>", "size": 100},
            "candidates": [
                {"pipeline": "a", "status": "ok", "size": 90, "reason": ""},
                {"pipeline": "b", "status": "crashed", "size": None, "reason": "SIGSEGV"},
            ],
            "winner": "a",
            "winner_size": 90,
            "fallback": "",
            "notes": [],
            "us": {"rank": 0, "trials": 10, "total": 12},
        }
    )
    batch = trials.parse_log(line, ["a", "b", "c"])
    assert batch.baseline == 100
    assert [(e.status, e.size) for e in batch.results] == [
        ("ok", 90),
        ("crashed", None),
        ("failed", None),
    ]


def test_load_modules_round_robin(corpus) -> None:
    modules, manifest, split = corpus
    specs = mods.load_modules(modules, manifest, split_file=split)
    assert len(specs) == 3 and all(Path(s.path).is_file() for s in specs)
    train = mods.load_modules(modules, manifest, split_file=split, splits=["train"])
    assert {s.project for s in train} == {"alpha", "beta"}
    assert len(mods.load_modules(modules, manifest, limit=2)) == 2


def test_search_module_finds_no_worse_than_oz(corpus, tmp_path) -> None:
    modules, manifest, _ = corpus
    spec = mods.load_modules(modules, manifest, projects=["alpha"])[0]
    config = S.SearchConfig(budget=16, batch=8, seed=3)
    vocab = [t for t, _ in V.TOKENS]  # the stand-in accepts the levels too
    record = S.search_module(spec, config, standin_evaluator(tmp_path), vocab)
    sizes = {p: size for p, _, size in record["evaluations"]}
    assert len(record["evaluations"]) == 16
    assert sizes["default<Oz>"] == record["baseline_size"]
    assert record["best_size"] <= record["baseline_size"]
    assert record["best_size"] == min(s for s in sizes.values() if s is not None)
    # Deterministic: same seed, same pipelines.
    again = S.search_module(spec, config, standin_evaluator(tmp_path), vocab)
    assert [e[0] for e in again["evaluations"]] == [e[0] for e in record["evaluations"]]


def test_search_from_a_table_starts_with_its_entries_and_edits_them(corpus, tmp_path) -> None:
    """--from-table: the table's entries are the first batch, and the moves edit
    the best of them instead of starting from the seeds."""
    modules, manifest, _ = corpus
    spec = mods.load_modules(modules, manifest, projects=["alpha"])[0]
    table = ("function(sroa<modify-cfg>,instcombine<no-verify-fixpoint>)", "function(mem2reg)")
    config = S.SearchConfig(budget=10, batch=4, seed=3, start=table)
    batches: list[list[str]] = []
    standin = standin_evaluator(tmp_path)

    def evaluate(path: str, pipelines):
        batches.append(list(pipelines))
        return standin(path, pipelines)

    vocab = [t for t, _ in V.TOKENS]
    record = S.search_module(spec, config, evaluate, vocab)
    assert batches[0] == list(table) and len(record["evaluations"]) == 10
    later = [p for b in batches[1:] for p in b]
    assert not set(later) & {V.render(seed) for seed in V.seeds(vocab)}  # no seed round
    assert any("mem2reg" in p or "sroa" in p for p in later)  # edits of a table entry


def test_main_resumes_and_writes_tables(corpus, tmp_path, monkeypatch) -> None:
    """Two runs: the second searches nothing; both leave the parquet tables."""
    import pyarrow.parquet as pq
    from distributed import Client

    modules, manifest, split = corpus
    plugin = tmp_path / "libllmc.so"
    plugin.write_text("")
    monkeypatch.setenv("LLMC_PLUGIN", str(plugin))
    calls: list[str] = []
    standin = standin_evaluator(tmp_path / "w")

    def counting(timeout: int = 60, codegen: Sequence[str] = ()) -> trials.Evaluator:
        def evaluate(bitcode: str, pipelines: Sequence[str]) -> trials.Batch:
            calls.append(bitcode)
            return standin(bitcode, pipelines)

        return evaluate

    monkeypatch.setattr(S, "plugin_evaluator", counting)
    monkeypatch.setattr(
        S,
        "make_client",
        lambda scheduler, workers: Client(
            processes=False, n_workers=1, threads_per_worker=1, dashboard_address=":0"
        ),
    )

    def parse(argv: list[str]):
        parser = argparse.ArgumentParser()
        S.configure(parser)
        return parser.parse_args(argv)

    out, dataset = tmp_path / "out", tmp_path / "dataset"
    argv = [
        *corpus_argv(modules, manifest, split),
        "--out",
        str(out),
        "--dataset",
        str(dataset),
        "--budget",
        "8",
        "--batch",
        "8",
        "--limit",
        "2",
    ]
    args = parse(argv)
    assert args.func(args) == 0
    assert len(calls) == 2
    assert args.func(parse(argv)) == 0
    assert len(calls) == 2  # resumed: nothing left to search
    table = pq.read_table(out / "modules.parquet").to_pylist()
    assert len(table) == 2 and all(r["best_size"] <= r["baseline_size"] for r in table)
    assert pq.read_table(out / "evaluations.parquet").num_rows == 16
    assert (dataset / "evaluations.parquet").exists()


@pytest.mark.skipif(not toolchain.plugin_path().is_file(), reason="libllmc.so not built")
def test_plugin_contract(corpus) -> None:
    """The real plugin: default<Oz> as a candidate measures the baseline's size."""
    modules, _, _ = corpus
    batch = trials.plugin_evaluator(30)(
        str(modules / "alpha" / "a.c.bc"),
        ["default<Oz>", "function(sroa,instcombine<no-verify-fixpoint>)", "function(no-such-pass)"],
    )
    assert batch.baseline, batch.error
    assert batch.results[1].status == "ok" and batch.results[1].size
    assert batch.results[2].status in ("invalid", "rejected")
