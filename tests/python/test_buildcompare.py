"""llmc build-compare on a tiny real project built with make: sizes come from
llvm-size, the plugin is really loaded, and the report sums what it shows."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

from pybridge import toolchain
from pybridge.tools import buildcompare

MAKEFILE = textwrap.dedent(
    """\
    OBJS = a.o b.o
    all: $(OBJS) prog
    prog: $(OBJS) main.o
    \t$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@
    %.o: %.c
    \t$(CC) $(CFLAGS) -c $< -o $@
    """
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "Makefile").write_text(MAKEFILE)
    (src / "a.c").write_text(
        "static int t[64];\n"
        "int sum(int *a, int n) { int s = 0; for (int i = 0; i < n; i++) s += a[i] * 3;"
        " return s; }\n"
        "int fill(int n) { for (int i = 0; i < 64; i++) t[i] = i * n; return sum(t, n % 64); }\n"
    )
    (src / "b.c").write_text(
        "int data[4] = {1, 2, 3, 4};\nint get(int i) { return data[i & 3]; }\n"
    )
    (src / "main.c").write_text(
        "int fill(int);\nint get(int);\nint main(int c, char **v) { return fill(c) + get(c); }\n"
    )
    return src


def test_object_sizes_match_llvm_size(project: Path) -> None:
    subprocess.run(
        ["make", f"CC={toolchain.tool('clang')}", "CFLAGS=-Oz"],
        cwd=project,
        check=True,
        capture_output=True,
    )
    sizes = buildcompare.object_sizes(project)
    assert set(sizes) == {"a.o", "b.o", "main.o"}
    out = (
        subprocess.run(
            [toolchain.tool("llvm-size"), "b.o"],
            cwd=project,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.splitlines()[1]
        .split()
    )
    assert sizes["b.o"] == int(out[0]) + int(out[1])
    assert sizes["b.o"] > 0


@pytest.mark.parametrize(
    "variant", [buildcompare.Variant(), buildcompare.Variant(lto=True, gc_sections=True)]
)
def test_compare_builds_both_ways(
    project: Path, monkeypatch: pytest.MonkeyPatch, variant: buildcompare.Variant
) -> None:
    recipe = buildcompare.BuildRecipe("tiny", ("make -j{jobs}",), "MIT", ("prog",))
    monkeypatch.setitem(buildcompare.PROJECTS, "tiny", recipe)
    report = buildcompare.compare(
        "tiny", source=project, extra_env={"LLMC_CANDIDATES": "0"}, variant=variant
    )
    # Under LTO the objects are bitcode: only the linked program is measured.
    objects = [] if variant.lto else ["a.o", "b.o", "main.o"]
    assert [r["file"] for r in report["rows"]] == objects
    assert report["total_oz"] == sum(r["oz"] for r in report["rows"])
    assert [r["file"] for r in report["linked"]] == ["prog"]
    assert report["linked_total_oz"] == report["linked"][0]["oz"] > 0
    # With no candidates every module is -Oz's: equal sizes, and the plugin
    # really ran (it logged a decision for each module, or the link's one).
    assert all(r["oz"] == r["llmc"] for r in report["rows"] + report["linked"])
    assert report["modules_decided"] == (1 if variant.lto else 3)
    assert report["modules_improved"] == 0


def test_variant_flags_are_the_documented_ones(tmp_path: Path) -> None:
    plugin = tmp_path / "libllmc.so"
    lto = buildcompare.Variant(lto=True, gc_sections=True)
    assert lto.flags(None) == (
        "-Oz -ffunction-sections -fdata-sections -flto",
        "-Wl,--gc-sections -flto -fuse-ld=lld",
    )
    cflags, ldflags = lto.flags(plugin)
    assert f"-fpass-plugin={plugin}" in cflags and f"-Wl,--load-pass-plugin={plugin}" in ldflags
    assert buildcompare.Variant().flags(plugin) == (f"-Oz -fpass-plugin={plugin}", "")


def test_change_formats_percent() -> None:
    assert buildcompare.change(99, 100) == "-1.00%"
    assert buildcompare.change(100, 100) == "+0.00%"
    assert buildcompare.change(1, 0) == "n/a"
