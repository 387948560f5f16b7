"""pybridge.training.corpus: flag filtering, compile_commands import, manifest, split.

Compiles with the real clang-19; no network, no apt.
"""

from __future__ import annotations

import csv
import json
import shlex
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pybridge.training import corpus
from pybridge.training import modules as mods

pytestmark = pytest.mark.skipif(shutil.which("clang-19") is None, reason="needs clang-19")


def test_filter_flags_drops_output_mode_opt_and_depfiles() -> None:
    args = [
        "-DX=1", "-Iinc", "-O2", "-g", "-c", "-o", "a.o", "-MD", "-MF", "a.d", "-MTa.o",
        "-MQ", "q", "-oother.o", "-Os", "-std=c99", "-Werror", "-flto=thin", "a.c",
    ]  # fmt: skip
    assert corpus.filter_flags(args, "a.c") == ["-DX=1", "-Iinc", "-std=c99"]


def test_module_command_is_oz_frontend_not_o0(tmp_path: Path) -> None:
    spec = corpus.TranslationUnit("p", tmp_path / "a.c", tmp_path, ("-DX",), "a.c")
    cmd = spec.command(tmp_path / "a.c.bc")
    assert cmd[cmd.index("-Oz") : cmd.index("-Oz") + 4] == list(corpus.FRONTEND_FLAGS)
    assert "-O0" not in cmd and cmd[-2:] == ["-o", str(tmp_path / "a.c.bc")]


@pytest.fixture
def tiny_project(tmp_path: Path) -> Path:
    """Two .c files and a header, a compile db with one `arguments` and one `command` entry."""
    src = tmp_path / "proj"
    (src / "include").mkdir(parents=True)
    (src / "lib").mkdir()
    (src / "build").mkdir()
    (src / "include" / "tiny.h").write_text("int twice(int x);\n")
    # Both need -DSCALE and -Iinclude from the db: a missing flag fails the compile.
    (src / "lib" / "twice.c").write_text(
        '#include "tiny.h"\nint twice(int x) { return SCALE * x; }\n'
    )
    (src / "main.c").write_text("#include <tiny.h>\nint main(void) { return twice(SCALE); }\n")
    (src / "cpp.cc").write_text("int f() { return 1; }\n")
    build = str(src / "build")
    db = [
        {
            "directory": build,
            "file": "../lib/twice.c",
            "arguments": shlex.split(
                "cc -DSCALE=2 -I../include -O2 -MD -MF t.d -c ../lib/twice.c -o twice.o"
            ),
        },
        {
            "directory": str(src),
            "file": str(src / "main.c"),
            "command": f"gcc -DSCALE=3 -I include -g -O3 -c -o build/main.o {src / 'main.c'}",
        },
        {"directory": str(src), "file": "cpp.cc", "command": "c++ -c cpp.cc -o cpp.o"},
        # Duplicate (libtool's -fPIC variant): the first entry wins.
        {
            "directory": build,
            "file": "../lib/twice.c",
            "command": "cc -fPIC -DSCALE=2 -I../include -c ../lib/twice.c",
        },
    ]
    (src / "build" / "compile_commands.json").write_text(json.dumps(db))
    return src


def test_add_imports_compile_commands(tiny_project: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    db = tiny_project / "build" / "compile_commands.json"
    argv = ["add", "--compile-commands", str(db), "--project", "tiny", "--workdir", str(work)]
    assert corpus.main([*argv, "--license", "MIT", "--version", "1.0"]) == 0
    bcs = sorted(p.relative_to(work / "modules" / "tiny").as_posix() for p in work.rglob("*.bc"))
    assert bcs == ["lib/twice.c.bc", "main.c.bc"]  # C only, one module per file
    for bc in (work / "modules" / "tiny").rglob("*.bc"):
        assert bc.read_bytes()[:4] == b"BC\xc0\xde"
    # Frontend -Oz: minsize set, no optnone, middle end not run (the alloca is still there).
    commands = json.loads((work / "modules" / "tiny" / "commands.json").read_text())
    main_cmd = next(c for c in commands if c["rel"] == "main.c")["arguments"]
    assert "-O3" not in main_cmd and "-g" not in main_cmd and "-DSCALE=3" in main_cmd
    ll = corpus.subprocess.run(
        ["clang-19", *main_cmd[1:-3], "-S", str(tiny_project / "main.c"), "-o", "-"],
        cwd=tiny_project,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "minsize" in ll and "optnone" not in ll and "alloca" in ll

    with (work / "manifest.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert [r["file"] for r in rows] == ["lib/twice.c.bc", "main.c.bc"]
    assert {r["license"] for r in rows} == {"MIT"} and {r["version"] for r in rows} == {"1.0"}
    bc = work / "modules" / "tiny" / "main.c.bc"
    main_row = rows[1]
    assert main_row["sha256"] == corpus.sha256_of(bc)
    assert int(main_row["bytes"]) == bc.stat().st_size

    # A second project appends; re-adding the first replaces its rows, not duplicates them.
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.c").write_text("int x;\n")
    odb = other / "compile_commands.json"
    odb.write_text(json.dumps([{"directory": str(other), "file": "x.c", "command": "cc -c x.c"}]))
    assert corpus.main(["add", "--compile-commands", str(odb), "--project", "other",
                        "--workdir", str(work)]) == 0  # fmt: skip
    assert corpus.main([*argv]) == 0
    with (work / "manifest.csv").open() as f:
        projects = [r["project"] for r in csv.DictReader(f)]
    assert sorted(projects) == ["other", "tiny", "tiny"]


def test_add_for_another_target(tiny_project: Path, tmp_path: Path) -> None:
    """corpus add --target: a user's firmware build imported as that target's modules."""
    from pybridge import targets

    target = targets.get("cortex-m4")
    if target.missing():
        pytest.skip(target.missing())
    work = tmp_path / "work"
    db = tiny_project / "build" / "compile_commands.json"
    argv = ["add", "--compile-commands", str(db), "--project", "tiny", "--workdir", str(work)]
    assert corpus.main([*argv, "--target", "x86-64,cortex-m4"]) == 0
    for modules, machine in (("modules", 62), ("modules-cortex-m4", 40)):
        bc = work / modules / "tiny" / "main.c.bc"
        triple = corpus.subprocess.run(
            ["llvm-dis-19", str(bc), "-o", "-"], capture_output=True, text=True, check=True
        ).stdout
        assert ("thumbv7em" in triple) == (machine == 40)
    with (work / "manifest-cortex-m4.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert [r["file"] for r in rows] == ["lib/twice.c.bc", "main.c.bc"]
    assert {r["target"] for r in rows} == {"cortex-m4"}
    with (work / "manifest.csv").open() as f:
        assert {r["target"] for r in csv.DictReader(f)} == {"x86-64"}


def test_add_records_failures_with_command(tiny_project: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    db_path = tiny_project / "build" / "compile_commands.json"
    db = json.loads(db_path.read_text())
    db[1]["command"] = db[1]["command"].replace("-I include", "")  # tiny.h no longer found
    db_path.write_text(json.dumps(db))
    args = ["add", "--compile-commands", str(db_path), "--project", "t", "--workdir", str(work)]
    assert corpus.main(args) == 0  # one of two compiled
    with (work / "failures.csv").open() as f:
        (row,) = list(csv.DictReader(f))
    assert row["file"] == "main.c" and "tiny.h" in row["reason"]


def test_manifest_and_split_by_project(tmp_path: Path) -> None:
    work = tmp_path / "work"
    sizes = {f"p{i}": n for i, n in enumerate([40, 30, 12, 9, 5, 2, 1, 1])}
    for project, n in sizes.items():
        for j in range(n):
            path = work / "modules" / project / "sub" / f"f{j}.c.bc"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(f"{project}{j}".encode())
    out = tmp_path / "out"
    assert corpus.main(["manifest", "--workdir", str(work), "--out", str(out)]) == 0
    with (out / "manifest.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == corpus.MANIFEST_COLUMNS and len(rows) == sum(sizes.values())
    split = json.loads((out / "split.json").read_text())
    assert set(split) == {"train", "valid", "test"}
    flat = [p for s in split.values() for p in s]
    assert sorted(flat) == sorted(sizes) and all(split.values())  # each project in one split
    train = sum(sizes[p] for p in split["train"])
    assert 0.55 <= train / sum(sizes.values()) <= 0.85
    # Deterministic: the same counts and seed give the same split, in any input order.
    again = corpus.split_projects(dict(reversed(list(sizes.items()))))
    assert again == split
    assert (out / "failures.csv").read_text().startswith("project,file,reason")


def test_split_keeps_every_committed_project_where_it_was() -> None:
    """A growing corpus places only its new projects: a test project stays unseen."""
    sizes = {f"p{i}": n for i, n in enumerate([40, 30, 12, 9, 5, 2, 1, 1])}
    before = corpus.split_projects(sizes)
    grown = {**sizes, "n0": 60, "n1": 25, "n2": 7, "n3": 3}
    after = corpus.split_projects(grown, keep=corpus.invert_split(before))
    assert corpus.invert_split(after).items() >= corpus.invert_split(before).items()
    assert sorted(p for s in after.values() for p in s) == sorted(grown)
    # The new projects fill the splits furthest below their share: n0 (the largest)
    # is not simply appended to train.
    resplit = corpus.split_projects(grown)
    assert resplit != after  # without keep, old projects would move
    # A project the split file names but the corpus no longer has is dropped.
    gone = corpus.split_projects({"p0": 40, "n0": 5}, keep={"p0": "test", "p9": "train"})
    assert corpus.invert_split(gone)["p0"] == "test" and "p9" not in corpus.invert_split(gone)


def test_manifest_append_adds_new_projects_and_keeps_the_committed_rows(tmp_path: Path) -> None:
    """A work dir holding only new projects (or rebuilt old ones) grows the committed
    corpus: old rows stay byte for byte what they were, old projects keep their split."""

    def build(work: Path, files: dict[str, int]) -> None:
        for project, n in files.items():
            for j in range(n):
                bc = work / "modules" / project / f"f{j}.c.bc"
                bc.parent.mkdir(parents=True, exist_ok=True)
                bc.write_bytes(f"{work.name}{project}{j}".encode())

    first, later, out = tmp_path / "first", tmp_path / "later", tmp_path / "out"
    build(first, {"a": 6, "b": 3, "c": 2})
    assert corpus.main(["manifest", "--workdir", str(first), "--out", str(out)]) == 0
    before = {(r["project"], r["file"]): r for r in corpus.read_manifest(out / "manifest.csv")}
    split = corpus.invert_split(corpus.load_split(out / "split.json"))
    build(later, {"a": 1, "d": 4, "e": 1})  # a rebuilt, differently; d and e are new
    argv = ["manifest", "--workdir", str(later), "--out", str(out), "--append"]
    assert corpus.main(argv) == 0
    after = {(r["project"], r["file"]): r for r in corpus.read_manifest(out / "manifest.csv")}
    assert {k: v["sha256"] for k, v in after.items() if k[0] in "abc"} == {
        k: v["sha256"] for k, v in before.items()
    }
    assert sorted({p for p, _ in after}) == ["a", "b", "c", "d", "e"]
    grown = corpus.invert_split(corpus.load_split(out / "split.json"))
    assert {p: grown[p] for p in split} == split and {"d", "e"} <= set(grown)


def test_manifest_of_another_target_keeps_the_whole_split(tmp_path: Path) -> None:
    """``manifest --target cortex-m4`` writes that target's manifest; the split stays
    every target's, even for projects that do not build for it (it once shrank to
    the projects of the targets written)."""
    work, out = tmp_path / "work", tmp_path / "out"
    for tree, files in (("modules", {"a": 6, "b": 3, "c": 2}), ("modules-cortex-m4", {"a": 2})):
        for project, n in files.items():
            for j in range(n):
                bc = work / tree / project / f"f{j}.c.bc"
                bc.parent.mkdir(parents=True, exist_ok=True)
                bc.write_bytes(f"{tree}{project}{j}".encode())
    assert corpus.main(["manifest", "--workdir", str(work), "--out", str(out)]) == 0
    split = corpus.load_split(out / "split.json")
    argv = ["manifest", "--workdir", str(work), "--out", str(out), "--target", "cortex-m4"]
    assert corpus.main(argv) == 0
    assert corpus.load_split(out / "split.json") == split
    assert {r["project"] for r in corpus.read_manifest(out / "manifest-cortex-m4.csv")} == {"a"}


def test_public_benchmark_code_is_in_no_split_and_no_manifest(tmp_path: Path) -> None:
    work = tmp_path / "work"
    for project in ("bzip2", "mine", "other", "third"):
        bc = work / "modules" / project / "f.c.bc"
        bc.parent.mkdir(parents=True)
        bc.write_bytes(project.encode())
    out = tmp_path / "out"
    assert corpus.main(["manifest", "--workdir", str(work), "--out", str(out)]) == 0
    with (out / "manifest.csv").open() as f:
        assert {r["project"] for r in csv.DictReader(f)} == {"mine", "other", "third"}
    split = json.loads((out / "split.json").read_text())
    assert "bzip2" not in [p for s in split.values() for p in s]
    # An older split file that still names one: no training or labelling sees it.
    stale = tmp_path / "split.json"
    stale.write_text(json.dumps({"train": ["mine", "nettle"], "valid": ["xz-utils"], "test": []}))
    assert mods.split_for(stale, out / "manifest.csv") == {"mine": "train"}


def test_committed_corpus_holds_no_public_benchmark_code() -> None:
    """bzip2 (SPEC, cBench), xz-utils (SPEC 557.xz_r) and nettle (Embench, BEEBS) were
    trained and validated on until 2026-12-07; nothing committed may hold them again."""
    benchmark = set(corpus.BENCHMARK_CODE)
    assert not benchmark & set(corpus.RECIPES)
    assert not benchmark & {r["project"] for r in corpus.read_manifest()}
    assert not benchmark & {p for s in corpus.load_split().values() for p in s}
    labels = pq.read_table(mods.DATASET_DIR / "labels.parquet", columns=["project"])
    assert not benchmark & set(labels.column("project").to_pylist())
    search = pq.read_table(mods.DATASET_DIR / "modules.parquet", columns=["project"])
    assert not benchmark & set(search.column("project").to_pylist())


def test_fallback_compiles_every_c_with_source_includes(tmp_path: Path) -> None:
    root = tmp_path / "pkg"
    (root / "src").mkdir(parents=True)
    (root / "inc").mkdir()
    (root / "debian").mkdir()
    (root / "inc" / "a.h").write_text("#define A 1\n")
    (root / "src" / "a.c").write_text('#include "a.h"\nint a = A;\n')
    (root / "debian" / "skip.c").write_text("not C\n")
    specs = corpus.fallback_specs("pkg", root)
    assert [s.rel for s in specs] == ["src/a.c"]
    (result,) = corpus.compile_all(specs, tmp_path / "modules", jobs=1)
    assert result.ok, result.reason


def test_build_depends_name_recipes_and_debian_packages() -> None:
    assert set(corpus.BUILD_DEPENDS) <= set(corpus.RECIPES)
    for packages in corpus.BUILD_DEPENDS.values():
        assert packages and all(p and " " not in p for p in packages)


def test_recipes_are_data() -> None:
    assert len(corpus.RECIPES) >= 20
    for name, recipe in corpus.RECIPES.items():
        assert recipe.package, name
        for step in recipe.configure:
            assert shlex.split(step), name


def test_c_built_as_cxx_is_skipped(tmp_path: Path) -> None:
    """lua builds each .c twice, once with g++: only the C compile is the C module."""
    entries = [
        {"directory": str(tmp_path), "file": "a.c", "command": "g++ -DCXX -c a.c -o a-c++.o"},
        {"directory": str(tmp_path), "file": "a.c", "command": "clang-19 -DC -c a.c -o a.o"},
    ]
    (spec,) = corpus.specs_from_compile_db(entries, "p", tmp_path)
    assert spec.flags == ("-DC",) and spec.rel == "a.c"


def test_relative_workdir_is_resolved(tiny_project: Path, tmp_path: Path, monkeypatch) -> None:
    """clang runs in each TU's directory: a relative --workdir must not land there."""
    monkeypatch.chdir(tmp_path)
    db = tiny_project / "build" / "compile_commands.json"
    argv = ["add", "--compile-commands", str(db), "--project", "tiny", "--workdir", "work"]
    assert corpus.main(argv) == 0
    assert (tmp_path / "work" / "modules" / "tiny" / "main.c.bc").is_file()


def test_cxx_recipe_builds_cxx_units_as_cxx(tmp_path: Path, monkeypatch) -> None:
    """A recipe with cxx=True keeps its .cc units, and clang-19 compiles them as C++:
    templates, exceptions and RTTI in the module. A C recipe keeps only the .c units."""
    root = tmp_path / "src" / "pp"
    root.mkdir(parents=True)
    (root / "a.c").write_text("int c_side(void) { return 1; }\n")
    (root / "b.cc").write_text(
        "#include <stdexcept>\n#include <vector>\n"
        "template <class T> T sum(const std::vector<T>& v)\n"
        "{ T s{}; for (T x : v) s += x; return s; }\n"
        "int run(int n) {\n"
        '  if (n < 0) throw std::runtime_error("neg");\n'
        "  return sum(std::vector<int>(n, X));\n}\n"
    )
    db = root / "compile_commands.json"
    db.write_text(
        json.dumps(
            [
                {"directory": str(root), "file": "a.c", "command": "clang-19 -c a.c -o a.o"},
                {
                    "directory": str(root),
                    "file": "b.cc",
                    "command": "clang++-19 -std=c++17 -DX=2 -O2 -c b.cc -o b.o",
                },
            ]
        )
    )
    wd = corpus.WorkDir.open(tmp_path / "work")
    wd.update_project("pp", {"root": str(root), "compile_db": str(db), "version": "1"})
    monkeypatch.setitem(corpus.RECIPES, "pp", corpus._cmake("pp"))
    assert [s.rel for s in corpus.project_specs(wd, "pp")] == ["a.c"]
    recipe = corpus._cmake("pp", cxx=True)
    assert recipe.cxx and f"-DCMAKE_CXX_COMPILER={corpus.CXX}" in recipe.configure[0]
    monkeypatch.setitem(corpus.RECIPES, "pp", recipe)
    assert [s.rel for s in corpus.project_specs(wd, "pp")] == ["a.c", "b.cc"]
    assert corpus.build_projects(wd, ["pp"], jobs=1, timeout=120) == {"pp": (2, 0)}
    ir = (wd.modules / "pp" / "b.cc.bc").read_bytes()
    # The bitcode's string table names C++ symbols: a template instance, the EH
    # personality, the thrown type's RTTI.
    for symbol in (b"_Z3sumIiET_RKSt6vector", b"__gxx_personality_v0", b"_ZTISt13runtime_error"):
        assert symbol in ir, symbol
    assert b"__gxx_personality_v0" not in (wd.modules / "pp" / "a.c.bc").read_bytes()


def test_cxx_recipes_are_marked() -> None:
    cxx = [name for name, recipe in corpus.RECIPES.items() if recipe.cxx]
    assert len(cxx) >= 10 and "snappy" in cxx and "zlib" not in cxx


def test_recipe_drop_flags(tmp_path: Path, monkeypatch) -> None:
    """seabios builds for i386: its modules keep the project's flags but not those."""
    (tmp_path / "a.c").write_text("int a;\n")
    db = tmp_path / "compile_commands.json"
    cmd = "clang-19 -m32 -march=i386 -DX -c a.c -o a.o"
    db.write_text(json.dumps([{"directory": str(tmp_path), "file": "a.c", "command": cmd}]))
    wd = corpus.WorkDir.open(tmp_path / "work")
    wd.update_project("fw", {"root": str(tmp_path), "compile_db": str(db)})
    recipe = corpus.Recipe("fw", drop_flags=("-m32", "-march=i386"))
    monkeypatch.setitem(corpus.RECIPES, "fw", recipe)
    (spec,) = corpus.project_specs(wd, "fw")
    assert spec.flags == ("-DX",)


def test_committed_labels_split_and_manifest_agree() -> None:
    """Every labelled module is a manifest module of a project in the split it was
    labelled under, for every target's dataset; every split project is in the corpus."""
    split = corpus.invert_split(corpus.load_split())
    manifest = {(r["project"], r["file"]) for r in corpus.read_manifest()}
    assert {p for p, _ in manifest} == set(split)
    for dataset in sorted(mods.DATASET_DIR.parent.glob("dataset*")):
        labels = pq.read_table(dataset / "labels.parquet", columns=["project", "file", "split"])
        for row in labels.to_pylist():
            assert split.get(row["project"]) == row["split"], (dataset.name, row)
            if dataset == mods.DATASET_DIR:
                assert (row["project"], row["file"]) in manifest, row
