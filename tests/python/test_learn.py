"""``llmc learn``: real decision logs of a tiny project become labels and a new ranker."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pybridge import options, toolchain
from pybridge.tools import cli
from pybridge.training import learn, trials
from pybridge.training import table as T

SOURCES = {
    "loops.c": """
        int g[64];
        int sum(int n) { int s = 0; for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++) s += g[j & 63] * i; return s; }
        static int sq(int x) { return x * x; }
        int api(int *p, int n) { int t = 0; for (int i = 0; i < n; i++) t += sq(p[i]) + sum(i);
            return t; }
    """,
    "strings.c": """
        #include <string.h>
        struct buf { char data[64]; int len; };
        static void put(struct buf *b, const char *s) { int n = strlen(s);
            if (b->len + n < 64) { memcpy(b->data + b->len, s, n); b->len += n; } }
        int render(struct buf *b, int x) { b->len = 0;
            for (int i = 0; i < x; i++) { put(b, i & 1 ? "odd" : "even"); put(b, ","); }
            return b->len; }
    """,
    "lists.c": """
        typedef struct node { struct node *next; int v; } node;
        static node pool[128]; static int used;
        static node *alloc(int v) { if (used >= 128) return 0; node *n = &pool[used++];
            n->v = v; n->next = 0; return n; }
        node *push(node *h, int v) { node *n = alloc(v); if (!n) return h; n->next = h; return n; }
        int total(node *h) { int s = 0; while (h) { s += h->v; h = h->next; } return s; }
    """,
    "sums.c": """
        unsigned crc(const unsigned char *p, int n) { unsigned c = ~0u;
            for (int i = 0; i < n; i++) { c ^= p[i];
                for (int k = 0; k < 8; k++) c = c & 1 ? (c >> 1) ^ 0xEDB88320u : c >> 1; }
            return ~c; }
        const char *name(int c) { switch (c) { case 0: return "zero"; case 1: return "one";
            case 2: return "two"; case 3: return "three"; default: return "many"; } }
    """,
}


def table() -> list[str]:
    return trials.table_of(trials.CANDIDATES_FILE)


def build(project: Path, log: Path, files: list[str], **plugin: object) -> None:
    """Compile ``files`` of ``project/src`` from ``project/build`` through the plugin."""
    env = options.plugin_env(Log=log, CacheDir="off", Server="off", MinInstructions=0, **plugin)
    for name in files:
        subprocess.run(
            [toolchain.tool("clang"), "-Oz", "-DNDEBUG", f"-fpass-plugin={toolchain.plugin_path()}",
             "-c", f"../src/{name}", "-o", f"{name}.o"],
            cwd=project / "build", env=env, check=True, capture_output=True,
        )  # fmt: skip


def compile_db(project: Path, files: list[str]) -> Path:
    build_dir = project / "build"
    entries = [
        {
            "directory": str(build_dir),
            "file": f"../src/{name}",
            "arguments": ["clang-19", "-Oz", "-DNDEBUG", "-c", f"../src/{name}", "-o", f"{name}.o"],
        }
        for name in files
    ]
    path = build_dir / "compile_commands.json"
    path.write_text(json.dumps(entries, indent=1))
    return path


def sources(root: Path) -> Path:
    """``root/src`` with SOURCES, an empty ``root/build``; the table as a pipeline list."""
    (root / "src").mkdir()
    (root / "build").mkdir()
    for name, text in SOURCES.items():
        (root / "src" / name).write_text(text)
    listing = root / "table.txt"
    listing.write_text("\n".join(table()) + "\n")
    return listing


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny project, built once with the whole table (a complete label per entry)."""
    root = tmp_path_factory.mktemp("proj")
    listing = sources(root)
    build(root, root / "build.jsonl", sorted(SOURCES), Pipelines=listing)
    compile_db(root, sorted(SOURCES))
    return root


def run(*argv: str) -> int:
    return cli.main(["learn", "--families", "proximity_extra_trees", *argv])


def test_logs_become_a_ranker(project: Path, tmp_path: Path, capsys) -> None:
    from pybridge.advisor import rank_module
    from pybridge.model import load_model

    out = tmp_path / "my-model.onnx"
    db = project / "build" / "compile_commands.json"
    assert run("--log", str(project / "build.jsonl"), "--compile-commands", str(db),
               "--out", str(out)) == 0  # fmt: skip
    printed = capsys.readouterr().out
    assert "before" in printed and "after" in printed

    model = load_model(out)
    assert list(model.candidates) == table()
    assert out.stat().st_size < learn.MAX_MODEL_BYTES
    bitcode = (tmp_path / "my-model.dataset" / "modules" / "local:src" / "loops.c.bc").read_bytes()
    ranked, _ = rank_module(bitcode, 4, str(out))
    assert len(ranked.pipelines) == 4 and set(ranked.pipelines) <= set(table())

    rows = [r for r in T.load_labels(tmp_path / "my-model.dataset" / "labels.parquet")]
    user = [r for r in rows if r["project"] == "local:src"]
    assert sorted(r["file"] for r in user) == sorted(f"{n}.bc" for n in SOURCES)
    assert len(rows) > len(user)  # the shipped dataset's rows too
    assert all(len(r["sizes"]) == len(table()) and r["baseline_size"] for r in user)
    assert {r["split"] for r in user} >= {"test", "train"}

    report = json.loads((tmp_path / "my-model.dataset" / "learn_report.json").read_text())
    held = report["heldout"]
    assert held["modules"] >= 1
    for side in ("before", "after"):
        assert set(held[side]["geomean_change_pct"]) == {"1", "2", "3", "4"}
    assert report["modules"]["labelled"] == len(SOURCES)
    evaluations = pq.read_table(tmp_path / "my-model.dataset" / "evaluations.parquet")
    assert evaluations.num_rows >= len(SOURCES) * 10


def test_bad_input_is_counted_and_skipped(project: Path, tmp_path: Path, capsys) -> None:
    log = tmp_path / "mixed.jsonl"
    log.write_text((project / "build.jsonl").read_text() + "not json at all\n{}\n")
    # A module the compile database does not know, and a partial record (the model's
    # four) of a module that has none complete.
    (project / "src" / "stray.c").write_text("int stray(int x) { return x * 3 + 1; }\n")
    (project / "src" / "part.c").write_text(SOURCES["loops.c"].replace("sum", "psum"))
    build(project, log, ["stray.c"], Pipelines=project / "table.txt")
    build(project, log, ["part.c"], Candidates=4)
    # The build's own flags break the rebuild of one file.
    (project / "src" / "broken.c").write_text(
        "#ifdef BROKEN\n#error broken\n#endif\nint ok(int x) { return x; }\n"
    )
    build(project, log, ["broken.c"], Pipelines=project / "table.txt")
    # The database's flags are not the logged build's: the rebuild is another module.
    (project / "src" / "flagged.c").write_text(
        "int f(int x) { return x + 1; }\n"
        "#ifdef EXTRA\nint g(int *p) { return p[0] * p[1]; }\n#endif\n"
    )
    build(project, log, ["flagged.c"], Pipelines=project / "table.txt")
    files = [*sorted(SOURCES), "part.c", "broken.c", "flagged.c"]
    db_dir = tmp_path / "db"
    db_dir.mkdir()
    entries = json.loads((project / "build" / "compile_commands.json").read_text())
    for name, flags in (("part.c", []), ("broken.c", ["-DBROKEN"]), ("flagged.c", ["-DEXTRA"])):
        entries.append(
            {"directory": str(project / "build"), "file": f"../src/{name}",
             "arguments": ["clang-19", "-Oz", *flags, "-c", f"../src/{name}"]}
        )  # fmt: skip
    assert len(entries) == len(files)
    db = db_dir / "compile_commands.json"
    db.write_text(json.dumps(entries))

    out = tmp_path / "m.onnx"
    assert run("--log", str(log), "--compile-commands", str(db), "--out", str(out)) == 0
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "2 log lines that do not parse" in text
    assert "1 modules not in the compile database" in text and "stray.c" in text
    assert "partial labels" in text and "part.c" in text
    assert "1 compiles that failed" in text and "broken.c" in text
    assert "not the logged one" in text and "flagged.c" in text
    report = json.loads((tmp_path / "m.dataset" / "learn_report.json").read_text())
    assert report["modules"]["labelled"] == len(SOURCES)


def test_no_records_is_exit_2(project: Path, tmp_path: Path, capsys) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("garbage\n")
    db = project / "build" / "compile_commands.json"
    code = run("--log", str(empty), "--log", str(tmp_path / "missing.jsonl"),
               "--compile-commands", str(db), "--out", str(tmp_path / "m.onnx"))  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and "no decision record" in err
    assert "missing.jsonl" in err and "empty.jsonl:1" in err
    assert not (tmp_path / "m.onnx").exists()


def test_alone_without_a_base_dataset(project: Path, tmp_path: Path, capsys) -> None:
    """Four modules alone: one held out, one valid, two train (weighted: 8 rows)."""
    from pybridge.model import load_model

    db = project / "build" / "compile_commands.json"
    common = [
        "--log",
        str(project / "build.jsonl"),
        "--compile-commands",
        str(db),
        "--base-dataset",
        "none",
        "--no-verify",
    ]  # the rebuilds are verified in the tests above
    assert run(*common, "--out", str(tmp_path / "m.onnx")) == 0
    assert list(load_model(tmp_path / "m.onnx").candidates) == table()
    report = json.loads((tmp_path / "m.dataset" / "learn_report.json").read_text())
    assert report["base_modules"] == 0
    assert report["modules"] == {"labelled": 4, "train": 2, "valid": 1, "test": 1}
    capsys.readouterr()
    # Unweighted, two train modules are too few for llmc train's rule.
    assert run(*common, "--weight", "1", "--out", str(tmp_path / "w1.onnx")) == 2
    assert "too few" in capsys.readouterr().err


def test_splits_are_by_file_and_stable() -> None:
    rels = [f"src/f{i}.c" for i in range(200)]
    splits = learn.assign_splits(rels, 0.25, 0.15)
    assert splits == learn.assign_splits(list(reversed(rels)), 0.25, 0.15)
    share = sum(s == "test" for s in splits.values()) / len(rels)
    assert 0.15 < share < 0.35
    more = learn.assign_splits([*rels, "src/new.c"], 0.25, 0.15)
    assert all(more[r] == splits[r] for r in rels)  # a new file moves no other
    assert list(learn.assign_splits(["a.c", "b.c"], 0.25, 0.15).values()).count("test") == 1


@pytest.fixture(scope="module")
def cm4_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same project built for Cortex-M4 (Debian's newlib headers), whole table."""
    from pybridge import targets

    target = targets.get("cortex-m4")
    if target.missing():
        pytest.skip(target.missing())
    root = tmp_path_factory.mktemp("cm4")
    listing = sources(root)
    flags = [*target.compile_flags(), "-Oz", "-DNDEBUG"]
    env = options.plugin_env(
        Log=root / "build.jsonl", CacheDir="off", Server="off", MinInstructions=0, Pipelines=listing
    )
    entries = []
    for name in sorted(SOURCES):
        argv = [*flags, "-c", f"../src/{name}", "-o", f"{name}.o"]
        subprocess.run(
            [toolchain.tool("clang"), *argv[:-4], f"-fpass-plugin={toolchain.plugin_path()}",
             *argv[-4:]],
            cwd=root / "build", env=env, check=True, capture_output=True,
        )  # fmt: skip
        entries.append({"directory": str(root / "build"), "file": f"../src/{name}",
                        "arguments": ["clang-19", *argv]})  # fmt: skip
    (root / "build" / "compile_commands.json").write_text(json.dumps(entries, indent=1))
    return root


def test_a_firmware_builds_labels_go_to_its_target(cm4_project: Path, tmp_path: Path) -> None:
    """Cortex-M4 modules become Cortex-M4 rows beside the shipped dataset's other
    targets, and the model keeps every target the shipped one knows."""
    from pybridge.model import load_model
    from pybridge.training import modules as mods

    out = tmp_path / "fw.onnx"
    db = cm4_project / "build" / "compile_commands.json"
    assert run("--log", str(cm4_project / "build.jsonl"), "--compile-commands", str(db),
               "--out", str(out)) == 0  # fmt: skip
    report = json.loads((tmp_path / "fw.dataset" / "learn_report.json").read_text())
    assert report["modules_by_target"] == {"cortex-m4": len(SOURCES)}
    assert report["heldout"]["modules"] >= 1 and "error" not in report["heldout"]["after"]
    cm4 = tmp_path / "fw-cortex-m4.dataset" / "labels.parquet"
    assert T.label_target(cm4) == "cortex-m4"
    mine = [r for r in T.load_labels(cm4) if r["project"] == "local:src"]
    assert sorted(r["file"] for r in mine) == sorted(f"{n}.bc" for n in SOURCES)
    shipped_cm4 = mods.DATASET_DIR.parent / "dataset-cortex-m4" / "labels.parquet"
    assert len(T.load_labels(cm4)) == len(T.load_labels(shipped_cm4)) + len(SOURCES)
    x86 = T.load_labels(tmp_path / "fw.dataset" / "labels.parquet")
    assert x86 and all(r["project"] != "local:src" for r in x86)
    assert set(load_model(out).targets) == set(load_model(toolchain.DEFAULT_MODEL).targets)
