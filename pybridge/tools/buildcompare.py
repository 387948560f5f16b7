"""``llmc build-compare``: build a real C project twice and compare what it ships.

The project is built with its own build system from a fresh copy of its
source, once with ``CC=clang-19 CFLAGS=-Oz`` and once with
``CFLAGS="-Oz $(llmc flags)"``; every object file and every linked program of
the project is then measured with ``llvm-size`` (Berkeley text + data) and
printed side by side. Both builds run in the same invocation, so machine noise
hits both alike.

``--gc-sections`` builds both with ``-ffunction-sections -fdata-sections`` and
links with ``-Wl,--gc-sections``, as firmware does; ``--lto`` builds both with
full LTO through lld (``llmc flags --lto`` on the compile and link lines), where
llmc decides at link time and the objects are bitcode: only the linked programs
are measured then. Object and linked totals can disagree: a function the linker
drops counts in its object and not in the program.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from pybridge import decisionlog, options, toolchain

CACHE_DIR = toolchain.xdg_home("cache") / "llmc"


@dataclass(frozen=True)
class BuildRecipe:
    """How a Debian source package builds its C objects."""

    package: str
    steps: tuple[str, ...]  # shell commands, run with CC, CFLAGS, LDFLAGS, AR, RANLIB set
    license: str
    programs: tuple[str, ...] = ()  # linked programs the steps make, relative to the tree


# Lua 5.4's library: everything but the two programs' own files.
_LUA_CORE = (
    "lapi", "lcode", "lctype", "ldebug", "ldo", "ldump", "lfunc", "lgc", "llex", "lmem",
    "lobject", "lopcodes", "lparser", "lstate", "lstring", "ltable", "ltm", "lundump", "lvm",
    "lzio", "lauxlib", "lbaselib", "lcorolib", "ldblib", "liolib", "lmathlib", "loadlib",
    "loslib", "lstrlib", "ltablib", "lutf8lib", "linit",
)  # fmt: skip

# Real multi-file C projects from Debian's source packages, built as their
# own build systems build them.
PROJECTS: dict[str, BuildRecipe] = {
    "zlib": BuildRecipe(
        "zlib",
        ("./configure --static", "make -j{jobs} libz.a example minigzip"),
        "Zlib",
        ("example", "minigzip"),
    ),
    # Debian's patched src/Makefile builds through libtool, appends -Os to some
    # files and names its targets lua5.4/luac5.4: the interpreter and compiler
    # are built from the same sources by a make file of our own instead.
    "lua5.4": BuildRecipe(
        "lua5.4",
        (
            "printf '#define DEB_HOST_MULTIARCH \"x86_64-linux-gnu\"\\n'"
            " > src/lua5.4-deb-multiarch.h",
            "printf '%s\\n' 'CORE = " + " ".join(f"{f}.o" for f in _LUA_CORE) + "'"
            " 'lua: $(CORE) lua.o ; $(CC) $(LDFLAGS) -o $@ $^ -lm -ldl'"
            " 'luac: $(CORE) luac.o ; $(CC) $(LDFLAGS) -o $@ $^ -lm -ldl'"
            " '%.o: %.c ; $(CC) $(CFLAGS) -DLUA_USE_LINUX -c -o $@ $<' > src/llmc.mk",
            "make -j{jobs} -C src -f llmc.mk lua luac",
        ),
        "MIT",
        ("src/lua", "src/luac"),
    ),
}


@dataclass(frozen=True)
class Variant:
    """How both builds of a comparison are configured beyond -Oz."""

    lto: bool = False
    gc_sections: bool = False

    def flags(self, plugin: Path | None) -> tuple[str, str]:
        """(CFLAGS, LDFLAGS) of a build, with llmc when plugin is given."""
        from pybridge.tools.commands import flags as llmc_flags

        cflags, ldflags = ["-Oz"], []
        if self.gc_sections:
            cflags += ["-ffunction-sections", "-fdata-sections"]
            ldflags += ["-Wl,--gc-sections"]
        if self.lto:
            cflags.append("-flto")
            ldflags += ["-flto", "-fuse-ld=lld"]
        if plugin is not None:
            cflags += llmc_flags(plugin, lto=self.lto)
            if self.lto:
                ldflags += llmc_flags(plugin, lto=True)
        return " ".join(cflags), " ".join(ldflags)

    def name(self) -> str:
        parts = (["-flto"] if self.lto else []) + (["--gc-sections"] if self.gc_sections else [])
        return " ".join(parts) or "plain"


@dataclass
class BuildResult:
    sizes: dict[str, int]  # object path (relative) -> text + data
    seconds: list[float] = field(default_factory=list)
    programs: dict[str, int] = field(default_factory=dict)  # linked program -> text + data


def llvm_sizes(root: Path, files: list[Path]) -> dict[str, int]:
    """llvm-size's Berkeley text + data of each file, by path relative to root."""
    if not files:
        return {}
    out = subprocess.run(
        [toolchain.tool("llvm-size"), *map(str, files)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    sizes: dict[str, int] = {}
    for line in out.splitlines()[1:]:
        text, data, _bss, _dec, _hex, name = line.split(None, 5)
        sizes[str(Path(name).relative_to(root))] = int(text) + int(data)
    return sizes


def object_sizes(root: Path) -> dict[str, int]:
    """Text + data of every native .o below root (LTO bitcode objects are skipped)."""
    objects = sorted(p for p in root.rglob("*.o") if p.is_file() and not _is_bitcode(p))
    return llvm_sizes(root, objects)


def _is_bitcode(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"BC\xc0\xde"


def fetch_source(package: str, cache: Path = CACHE_DIR / "sources") -> Path:
    """The unpacked Debian source tree of ``package`` (apt-get source, cached)."""
    from pybridge.training.corpus import ensure_apt, unpacked_tree

    dest = cache / package
    dest.mkdir(parents=True, exist_ok=True)
    tree = unpacked_tree(dest)
    if tree is None:
        ensure_apt(dest / "apt.log")
        subprocess.run(["apt-get", "source", "-qq", package], cwd=dest, check=True)
        tree = unpacked_tree(dest)
    if tree is None:
        raise RuntimeError(f"apt-get source {package} left no source tree in {dest}")
    return tree


def build(
    source: Path,
    recipe: BuildRecipe,
    cflags: str,
    env: dict[str, str],
    jobs: int,
    runs: int,
    workdir: Path,
    ldflags: str = "",
) -> BuildResult:
    """Builds a fresh copy of ``source`` ``runs`` times; sizes of the last build."""
    result = BuildResult({})
    for _ in range(runs):
        tree = workdir / "tree"
        if tree.exists():
            shutil.rmtree(tree)
        shutil.copytree(source, tree, symlinks=True)
        full_env = {
            **os.environ,
            **env,
            "CC": toolchain.tool("clang"),
            "CFLAGS": cflags,
            "LDFLAGS": ldflags,
            # LLVM's archiver indexes bitcode members too, which -flto needs.
            "AR": toolchain.tool("llvm-ar"),
            "RANLIB": toolchain.tool("llvm-ranlib"),
        }
        start = time.perf_counter()
        for step in recipe.steps:
            cmd = step.format(jobs=jobs)
            proc = subprocess.run(
                cmd, shell=True, cwd=tree, env=full_env, capture_output=True, text=True
            )
            if proc.returncode != 0:
                tail = (proc.stdout + proc.stderr).strip().splitlines()[-5:]
                raise RuntimeError(f"`{cmd}` failed in {tree}:\n" + "\n".join(tail))
        result.seconds.append(time.perf_counter() - start)
        result.sizes = object_sizes(tree)
        result.programs = llvm_sizes(tree, [tree / p for p in recipe.programs])
    return result


def compare(
    project: str,
    jobs: int = 2,
    runs: int = 1,
    extra_env: dict[str, str] | None = None,
    source: Path | None = None,
    variant: Variant = Variant(),
) -> dict:
    recipe = PROJECTS[project]
    source = source or fetch_source(recipe.package)
    plugin = toolchain.plugin_path()
    with tempfile.TemporaryDirectory(prefix="llmc-build-") as tmp:
        log = Path(tmp) / "decisions.jsonl"
        env = {**options.plugin_env({}, Log=log), **(extra_env or {})}
        cflags, ldflags = variant.flags(None)
        oz = build(source, recipe, cflags, {}, jobs, runs, Path(tmp) / "oz", ldflags)
        cflags, ldflags = variant.flags(plugin)
        llmc = build(source, recipe, cflags, env, jobs, runs, Path(tmp) / "llmc", ldflags)
        decisions = decisionlog.read(log)
    files = sorted(set(oz.sizes) & set(llmc.sizes))
    rows = [{"file": f, "oz": oz.sizes[f], "llmc": llmc.sizes[f]} for f in files]
    linked = [
        {"file": f, "oz": oz.programs[f], "llmc": llmc.programs[f]}
        for f in sorted(set(oz.programs) & set(llmc.programs))
    ]
    won = sum(1 for d in decisions if d.won)
    return {
        "project": project,
        "variant": variant.name(),
        "source": str(source),
        "rows": rows,
        "total_oz": sum(r["oz"] for r in rows),
        "total_llmc": sum(r["llmc"] for r in rows),
        "linked": linked,
        "linked_total_oz": sum(r["oz"] for r in linked),
        "linked_total_llmc": sum(r["llmc"] for r in linked),
        "seconds_oz": oz.seconds,
        "seconds_llmc": llmc.seconds,
        "modules_decided": len(decisions),
        "modules_improved": won,
    }


def change(new: int, old: int) -> str:
    return f"{100.0 * (new - old) / old:+.2f}%" if old else "n/a"


def _table(title: str, rows: list[dict], total_oz: int, total_llmc: int) -> None:
    width = max([len(r["file"]) for r in rows] + [5])
    print(title)
    print(f"{'file':<{width}}  {'-Oz':>9}  {'llmc':>9}  {'change':>8}")
    for r in rows:
        print(
            f"{r['file']:<{width}}  {r['oz']:>9}  {r['llmc']:>9}  {change(r['llmc'], r['oz']):>8}"
        )
    print(f"{'total':<{width}}  {total_oz:>9}  {total_llmc:>9}  {change(total_llmc, total_oz):>8}")


def print_report(report: dict) -> None:
    variant = report.get("variant", "plain")
    suffix = "" if variant == "plain" else f" ({variant})"
    if report["rows"]:
        _table(
            f"{report['project']}{suffix}: object size, llvm-size text+data (bytes)",
            report["rows"],
            report["total_oz"],
            report["total_llmc"],
        )
    if report.get("linked"):
        _table(
            f"{report['project']}{suffix}: linked programs, llvm-size text+data (bytes)",
            report["linked"],
            report["linked_total_oz"],
            report["linked_total_llmc"],
        )
        if report["rows"]:
            objects = report["total_llmc"] - report["total_oz"]
            programs = report["linked_total_llmc"] - report["linked_total_oz"]
            print(
                f"objects {objects:+d} bytes, programs {programs:+d} bytes: a program keeps only"
                " what it links (and, with --gc-sections, only the sections it reaches)"
            )
    t_oz = statistics.median(report["seconds_oz"])
    t_llmc = statistics.median(report["seconds_llmc"])
    print(
        f"build wall time (median of {len(report['seconds_oz'])}): -Oz {t_oz:.1f} s, "
        f"llmc {t_llmc:.1f} s ({t_llmc / t_oz:.2f}x)"
    )
    print(
        f"modules where a candidate beat -Oz: {report['modules_improved']} of "
        f"{report['modules_decided']}"
    )


def _run(args: argparse.Namespace) -> int:
    report = compare(
        args.project,
        jobs=args.jobs,
        runs=args.runs,
        source=Path(args.source) if args.source else None,
        variant=Variant(lto=args.lto, gc_sections=args.gc_sections),
    )
    print_report(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
    worse = [r["file"] for r in report["rows"] + report["linked"] if r["llmc"] > r["oz"]]
    if worse:
        print(f"error: larger than -Oz: {', '.join(worse)}")
        return 1
    return 0


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", choices=sorted(PROJECTS), help="Debian source package")
    parser.add_argument("--source", help="use this unpacked source tree instead of apt-get source")
    parser.add_argument("--jobs", type=int, default=2, help="make -j (default 2)")
    parser.add_argument("--runs", type=int, default=1, help="builds per variant; times are medians")
    parser.add_argument("--json", help="also write the report as JSON here")
    parser.add_argument("--lto", action="store_true", help="full LTO through lld, both builds")
    parser.add_argument(
        "--gc-sections",
        action="store_true",
        help="-ffunction-sections -fdata-sections and -Wl,--gc-sections, both builds",
    )
    parser.set_defaults(func=_run)
