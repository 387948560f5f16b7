"""pybridge.targets: the one table of targets, and the corpus and eval reading it.

Compiles with the real clang-19 (each target skipped, saying why, when its C
library's headers are not installed); no network, no apt.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from pybridge import targets, toolchain
from pybridge.training import corpus
from pybridge.training import evaluate as E
from pybridge.training import modules as mods

pytestmark = pytest.mark.skipif(shutil.which("clang-19") is None, reason="needs clang-19")

# Uses the C library's headers: a target whose flags miss them fails to compile.
LIBC_C = """\
#include <stdint.h>
#include <stdio.h>
#include <string.h>
int label(char *out, const char *name, uint32_t n) {
  return snprintf(out, 32, "%s-%u", name, (unsigned)n) + (int)strlen(name);
}
"""


BIG_ENOUGH = """\
uint32_t crc(const uint8_t *p, int n, uint32_t c) {
  for (int i = 0; i < n; ++i) {
    c ^= p[i];
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & -(c & 1));
  }
  return ~c;
}
int scan(const char *s, int *counts) {
  int state = 0, words = 0;
  for (; *s; ++s) {
    switch (*s) {
    case ' ': case '\\t': state = 0; break;
    case '\\n': counts[0]++; state = 0; break;
    default: if (!state) { words++; state = 1; } counts[1 + (*s & 7)]++;
    }
  }
  return words + label((char *)counts, s, (uint32_t)words);
}
"""


def elf_machine(path: Path) -> int:
    """e_machine of an ELF object (either endianness, little for all of ours)."""
    data = path.read_bytes()
    assert data[:4] == b"\x7fELF", path
    return int.from_bytes(data[18:20], "little" if data[5] == 1 else "big")


def _needs_headers(target: targets.Target) -> None:
    if not target.headers_installed():
        pytest.skip(target.missing())


@pytest.mark.parametrize("name", list(targets.TARGETS))
def test_each_target_compiles_c_to_its_machine(name: str, tmp_path: Path) -> None:
    """The table's flags alone make the corpus's bitcode and eval's objects of that
    target: C -> frontend bitcode (as llmc corpus build) -> -Oz object (as llmc eval)."""
    target = targets.get(name)
    _needs_headers(target)
    source = tmp_path / "label.c"
    source.write_text(LIBC_C)
    unit = corpus.TranslationUnit("p", source, tmp_path, ("-DX=1",), "label.c", target=name)
    bc = unit.output(tmp_path / "modules")
    bc.parent.mkdir(parents=True)
    result = corpus.compile_one(unit, tmp_path / "modules", toolchain.tool("clang"), 60)
    assert result.ok, result.reason
    obj = tmp_path / "label.o"
    subprocess.run(
        [toolchain.tool("clang"), *target.codegen, "-Oz", "-c", str(bc), "-o", str(obj)],
        check=True,
        capture_output=True,
    )
    assert elf_machine(obj) == target.elf_machine


def test_default_target_is_the_host_with_no_flags() -> None:
    host = targets.get(targets.DEFAULT_TARGET)
    assert host.is_host and host.compile_flags() == ()
    assert targets.parse(None) == [host] and targets.parse([]) == [host]
    # Today's command, unchanged: no target flag in an x86-64 module's command.
    unit = corpus.TranslationUnit("p", Path("/s/a.c"), Path("/s"), ("-march=native",), "a.c")
    assert unit.command(Path("/o/a.c.bc"))[1:2] == ["-march=native"]
    assert targets.per_target("modules", "x86-64") == "modules"
    assert targets.per_target("manifest.csv", "rv32imc") == "manifest-rv32imc.csv"


def test_parse_lists_and_repeats() -> None:
    got = targets.parse(["cortex-m4,rv32imc", "cortex-m4", " aarch64 "])
    assert [t.name for t in got] == ["cortex-m4", "rv32imc", "aarch64"]


def test_unknown_target_is_a_clear_error(tmp_path: Path, capsys) -> None:
    with pytest.raises(ValueError, match=r"unknown target 'pdp11'; known: x86-64, cortex-m4"):
        targets.get("pdp11")
    with pytest.raises(SystemExit, match=r"llmc corpus build: unknown target 'pdp11'"):
        corpus.main(["build", "--workdir", str(tmp_path), "--target", "cortex-m4,pdp11"])
    parser = argparse.ArgumentParser()
    E.configure(parser)
    assert E.main(parser.parse_args(["--target", "pdp11"])) == 2
    assert "unknown target 'pdp11'" in capsys.readouterr().err


def test_retarget_drops_host_machine_flags_keeps_the_project_s() -> None:
    flags = ["-DA=1", "-I/inc", "-std=gnu99", "-include", "config.h", "-march=native", "-m64",
             "-msse4.2", "-mtune=generic", "--target=x86_64-linux-gnu", "-target", "x86_64",
             "-fPIC", "-fno-strict-aliasing", "-pthread"]  # fmt: skip
    kept = ["-DA=1", "-I/inc", "-std=gnu99", "-include", "config.h"]
    assert targets.retarget(flags, targets.get("cortex-m4")) == [
        *kept, "-fno-strict-aliasing", "-pthread"
    ]  # fmt: skip
    # A hosted cross target keeps PIC (shared libraries exist there).
    assert "-fPIC" in targets.retarget(flags, targets.get("aarch64"))
    assert targets.retarget(flags, targets.get("x86-64")) == flags


def test_machine_flags_are_what_retarget_drops_but_the_sysroot() -> None:
    """Compiling a cross build's bitcode again needs its triple, CPU and ABI (clang
    replaces a bitcode file's triple with its own --target); -mllvm takes its value."""
    flags = ["-DA=1", "--target=thumbv7em-none-eabi", "-I/inc", "-mcpu=cortex-m7", "-mthumb",
             "-mfloat-abi=hard", "--sysroot", "/opt/sys", "-mllvm", "-enable-machine-outliner",
             "-target", "armv7em", "-Os"]  # fmt: skip
    assert targets.machine_flags(flags) == [
        "--target=thumbv7em-none-eabi", "-mcpu=cortex-m7", "-mthumb", "-mfloat-abi=hard",
        "-mllvm", "-enable-machine-outliner", "-target", "armv7em",
    ]  # fmt: skip
    assert targets.retarget(flags, targets.get("rv32imc")) == ["-DA=1", "-I/inc", "-Os"]


TRAINING_READERS = ("corpus", "evaluate", "modules", "search", "table", "trials")


def test_only_the_table_spells_target_flags() -> None:
    """corpus, eval, modules, toolchain and the commands read the table, never copy it."""
    package = Path(targets.__file__).parent
    readers = [
        package / "toolchain.py",
        package / "tools" / "commands.py",
        *(package / "training" / f"{n}.py" for n in TRAINING_READERS),
    ]
    spelled = {f for t in targets.TARGETS.values() for f in (*t.codegen, t.include_dir) if f}
    for path in readers:
        text = path.read_text()
        assert not [f for f in spelled if f in text], path


def _tiny_project(root: Path) -> Path:
    """A project configured for Linux x86-64: host machine flags in its database, one
    file that bare metal cannot compile (epoll)."""
    root.mkdir(parents=True)
    (root / "ok.c").write_text("#include <string.h>\nint n(const char *s) { return strlen(s); }\n")
    (root / "linux.c").write_text("#include <sys/epoll.h>\nint e(void) { return EPOLLIN; }\n")
    cmd = "cc -DX=1 -I. -std=gnu99 -march=x86-64-v2 -m64 -fPIC -O2 -c {0} -o {0}.o"
    db = [
        {"directory": str(root), "file": f, "command": cmd.format(f)} for f in ("ok.c", "linux.c")
    ]
    (root / "compile_commands.json").write_text(json.dumps(db))
    return root


def test_build_for_a_target_records_failures_and_goes_on(tmp_path: Path) -> None:
    target = targets.get("cortex-m4")
    _needs_headers(target)
    root = _tiny_project(tmp_path / "src" / "tiny")
    work = tmp_path / "work"
    wd = corpus.WorkDir.open(work)
    meta = {"version": "1", "license": "MIT", "root": str(root)}
    wd.update_project("tiny", {**meta, "compile_db": str(root / "compile_commands.json")})
    assert corpus.main(["build", "--workdir", str(work), "--jobs", "1"]) == 0  # x86-64
    assert (
        corpus.main(["build", "--workdir", str(work), "--jobs", "1", "--target", "cortex-m4"]) == 0
    )

    # x86-64: both, in modules/ (the layout it always had).
    assert sorted(p.name for p in (work / "modules" / "tiny").glob("*.bc")) == [
        "linux.c.bc",
        "ok.c.bc",
    ]
    # cortex-m4: the Linux-only file is a failure with its reason; the other is built.
    assert [p.name for p in (work / "modules-cortex-m4" / "tiny").glob("*.bc")] == ["ok.c.bc"]
    with (work / "failures-cortex-m4.csv").open() as f:
        (failure,) = list(csv.DictReader(f))
    assert failure["file"] == "linux.c" and "epoll.h" in failure["reason"]
    assert failure["target"] == "cortex-m4" and "\n" not in failure["reason"]
    command = json.loads((work / "modules-cortex-m4" / "tiny" / "commands.json").read_text())
    args = command[0]["arguments"]
    assert [a for a in args if a.startswith("-m") or a == "-fPIC"] == list(target.codegen[1:])
    assert {"-DX=1", "-I.", "-std=gnu99", *target.compile_flags()} <= set(args)

    # Manifests record the target; one split for all targets.
    out = tmp_path / "out"
    assert corpus.main(["manifest", "--workdir", str(work), "--out", str(out)]) == 0
    with (out / "manifest-cortex-m4.csv").open() as f:
        (row,) = list(csv.DictReader(f))
    assert (row["file"], row["target"]) == ("ok.c.bc", "cortex-m4")
    with (out / "manifest.csv").open() as f:
        assert {r["target"] for r in csv.DictReader(f)} == {"x86-64"}
    with (out / "failures-cortex-m4.csv").open() as f:
        assert [r["file"] for r in csv.DictReader(f)] == ["linux.c"]
    split = json.loads((out / "split.json").read_text())
    assert [p for s in split.values() for p in s] == ["tiny"]


def test_load_modules_takes_one_target_s_rows(tmp_path: Path) -> None:
    modules = tmp_path / "modules"
    (modules / "p").mkdir(parents=True)
    (modules / "p" / "a.c.bc").write_bytes(b"BC")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "project,file,bytes,target\np,a.c.bc,2,x86-64\np,a.c.bc,2,cortex-m4\np,a.c.bc,2,\n"
    )
    assert len(mods.load_modules(modules, manifest)) == 2  # x86-64 and no target: the default
    assert len(mods.load_modules(modules, manifest, target="cortex-m4")) == 1
    assert mods.corpus_for("rv32imc", tmp_path) == tmp_path / "modules-rv32imc"
    assert mods.manifest_for("x86-64") == mods.DEFAULT_MANIFEST


def test_side_by_side_table() -> None:
    def report(x: float) -> dict:
        m = {"geomean_change_pct": x, "total_change_pct": x / 2, "modules": 7}
        names = [f"{p}_k{k}" for p in ("model", "list") for k in range(1, 5)] + ["oracle"]
        return {"methods": dict.fromkeys(names, m), "evaluated": 7}

    table = E.side_by_side({"x86-64": report(-4.0), "cortex-m4": report(-2.0)})
    lines = table.splitlines()
    assert lines[0].startswith("| k | x86-64: model | x86-64: list | cortex-m4: model")
    assert (
        lines[2] == "| 1 | -4.00% / -2.00% | -4.00% / -2.00% | -2.00% / -1.00% | -2.00% / -1.00% |"
    )
    assert lines[-4] == "| oracle | -4.00% / -2.00% |  | -2.00% / -1.00% |  |"
    assert lines[-3] == "| modules | 7 |  | 7 |  |"


def _cortex_m4_module(tmp_path: Path) -> Path:
    """A Cortex-M4 corpus module over the plugin's 64-instruction threshold."""
    target = targets.get("cortex-m4")
    _needs_headers(target)
    source = tmp_path / "label.c"
    source.write_text(LIBC_C + BIG_ENOUGH)
    modules = tmp_path / "modules-cortex-m4"
    unit = corpus.TranslationUnit("gamma", source, tmp_path, (), "label.c", target=target.name)
    assert corpus.compile_one(unit, modules, toolchain.tool("clang"), 60).ok
    return unit.output(modules)


@pytest.mark.skipif(not toolchain.plugin_path().is_file(), reason="libllmc.so not built")
def test_eval_measures_the_target_s_objects(tmp_path: Path) -> None:
    """Plain -Oz and the plugin's baseline agree only if both compile for the module's
    target (clang would otherwise override its triple with the host's)."""
    from distributed import Client

    target = targets.get("cortex-m4")
    bc = _cortex_m4_module(tmp_path)
    manifest = tmp_path / "manifest-cortex-m4.csv"
    manifest.write_text(
        f"project,file,bytes,target\ngamma,label.c.bc,{bc.stat().st_size},cortex-m4\n"
    )
    split = tmp_path / "split.json"
    split.write_text(json.dumps({"train": [], "valid": [], "test": ["gamma"]}))
    candidates = tmp_path / "candidates.json"
    candidates.write_text(json.dumps({"candidates": [{"id": 0, "pipeline": "function(sroa)"}]}))
    parser = argparse.ArgumentParser()
    E.configure(parser)
    args = parser.parse_args(
        ["--target", "cortex-m4", "--workdir", str(tmp_path), "--split-file", str(split),
         "--candidates", str(candidates),  # the shipped model: the plugin measures -Oz
         "--k-max", "1", "--out", str(tmp_path / "out"), "--dataset", str(tmp_path / "d")]
    )  # fmt: skip
    with Client(
        processes=False, n_workers=1, threads_per_worker=1, dashboard_address=":0"
    ) as client:
        assert E.main(args, client=client) == 0
    report = json.loads((tmp_path / "out" / "eval.json").read_text())
    assert report["evaluated"] == 1, report["error_examples"]
    assert report["target"] == "cortex-m4" and report["target_flags"] == list(target.codegen)
    assert report["plugin_baseline_differs_from_plain_Oz"] == 0
    (row,) = [json.loads(line) for line in (tmp_path / "out" / "rows.jsonl").open()]
    assert row["table_sizes"][0] is not None, row
    assert row["oz"] == row["plugin_baseline"]


@pytest.mark.skipif(not toolchain.plugin_path().is_file(), reason="libllmc.so not built")
def test_search_measures_for_the_module_s_target(tmp_path: Path) -> None:
    """llmc search --target: the plugin's baseline is that target's -Oz object."""
    from pybridge.training import search as S
    from pybridge.training.evaluate import object_size
    from pybridge.training.modules import ModuleSpec

    target = targets.get("cortex-m4")
    bc = _cortex_m4_module(tmp_path)
    plain = tmp_path / "plain.o"
    subprocess.run(
        [toolchain.tool("clang"), *target.codegen, "-Oz", "-c", str(bc), "-o", str(plain)],
        check=True,
    )
    spec = ModuleSpec("gamma", "label.c.bc", "", bc.stat().st_size, str(bc))
    config = S.SearchConfig(budget=4, batch=4, timeout=60, codegen=target.codegen)
    record = S.search_module(spec, config)
    assert record["baseline_size"] == object_size(plain), record["errors"]
    assert any(status == "ok" for _, status, _ in record["evaluations"]), record


# ------------------------------------------------------------------ unseen targets


@pytest.mark.parametrize(
    ("triple", "name"),
    [
        ("x86_64-pc-linux-gnu", "x86-64"),
        ("thumbv7em-none-unknown-eabi", "cortex-m4"),
        ("armv7em-none-eabi", "cortex-m4"),
        ("riscv32-unknown-unknown-elf", "rv32imc"),
        ("aarch64-unknown-linux-gnu", "aarch64"),
        ("mips-unknown-linux-gnu", None),
        ("", None),
    ],
)
def test_of_triple(triple: str, name: str | None) -> None:
    target = targets.of_triple(triple)
    assert (target.name if target else None) == name


def test_every_target_names_all_others_as_nearest() -> None:
    for target in targets.TARGETS.values():
        assert sorted(target.nearest) == sorted(set(targets.TARGETS) - {target.name})
        assert target.arches


def test_stand_in_says_whose_measurements_decide() -> None:
    assert targets.stand_in("x86_64-pc-linux-gnu", ["x86-64"]) == ("x86-64", "")
    used, note = targets.stand_in("thumbv7em-none-unknown-eabi", ["x86-64"])
    assert used == "x86-64"
    assert note == (
        "the model has no measurements for cortex-m4: ranked by the nearest target it has, x86-64"
    )
    # Bare metal stands in for bare metal before a 64-bit Linux target.
    assert targets.stand_in("riscv32-unknown-elf", ["x86-64", "cortex-m4"])[0] == "cortex-m4"
    used, note = targets.stand_in("mips-unknown-linux-gnu", ["aarch64"])
    assert used == "aarch64"
    assert note == "target mips-unknown-linux-gnu is none llmc knows: ranked as aarch64"


def test_rank_notes_a_module_of_a_target_the_model_has_no_data_for(
    tmp_path: Path, good_model: Path
) -> None:
    """The plugin logs the note (the reply's notes); the ranking itself is unchanged."""
    import pybridge

    target = targets.get("cortex-m4")
    source = tmp_path / "m.c"
    source.write_text("int f(int x) { return x * 3 + 1; }\n")
    bcs = {}
    for t in (targets.get("x86-64"), target):
        bcs[t.name] = tmp_path / f"{t.name}.bc"
        subprocess.run(
            [toolchain.tool("clang"), *t.codegen, "-Oz", "-Xclang", "-disable-llvm-passes",
             "-emit-llvm", "-c", str(source), "-o", str(bcs[t.name])],
            check=True,
        )  # fmt: skip
    replies = {
        name: pybridge.rank({"bitcode": bc.read_bytes(), "k": 2, "model_path": str(good_model)})
        for name, bc in bcs.items()
    }
    assert replies["x86-64"]["notes"] == [] and replies["x86-64"]["error"] == ""
    assert replies["cortex-m4"]["notes"] == [
        "the model has no measurements for cortex-m4: ranked by the nearest target it has, x86-64"
    ]
    assert replies["cortex-m4"]["pipelines"] == replies["x86-64"]["pipelines"]


@pytest.mark.parametrize("kind", ["blocks", "target input"])
def test_rank_decides_each_module_as_its_own_target(tmp_path: Path, kind: str) -> None:
    """A model that knows x86-64 and cortex-m4, by a block of scenarios each or (the
    shipped kind) by its target input: the same C ranks differently for each target,
    and rv32imc, which it does not know, is ranked as cortex-m4, its nearest, with a
    note."""
    import numpy as np
    from conftest import make_cover_model

    import pybridge

    table = ["function(sroa<modify-cfg>)", "function(gvn)"]
    known = ("x86-64", "cortex-m4")
    if kind == "blocks":
        scenarios = np.array([[0.8, 1.0], [0.9, 1.0], [1.0, 0.7], [1.0, 0.9]])
        model = make_cover_model(tmp_path / "m.onnx", table, [1.0] * 4, scenarios, known, (2, 2))
    else:
        model = make_cover_model(
            tmp_path / "m.onnx",
            table,
            [1.0, 1.0],
            np.array([[0.8, 1.0], [1.0, 0.7]]),
            known,
            target_weights=np.array([[4.0, 0.0], [0.0, 4.0]]),
        )
    source = tmp_path / "m.c"
    source.write_text("int f(int x) { return x * 3 + 1; }\n")
    replies = {}
    for name in ("x86-64", "cortex-m4", "rv32imc"):
        bc = tmp_path / f"{name}.bc"
        subprocess.run(
            [toolchain.tool("clang"), *targets.get(name).codegen, *toolchain.FRONTEND_FLAGS,
             "-c", str(source), "-o", str(bc)],
            check=True,
        )  # fmt: skip
        replies[name] = pybridge.rank(
            {"bitcode": bc.read_bytes(), "k": 1, "model_path": str(model)}
        )
    assert replies["x86-64"]["pipelines"] == [table[0]] and replies["x86-64"]["notes"] == []
    assert replies["cortex-m4"]["pipelines"] == [table[1]] and replies["cortex-m4"]["notes"] == []
    assert replies["rv32imc"]["pipelines"] == [table[1]]
    assert replies["rv32imc"]["notes"] == [
        "the model has no measurements for rv32imc: ranked by the nearest target it has, cortex-m4"
    ]
