"""``llmc build-compare``: build a real C project twice and compare object sizes.

The project is built with its own build system from a fresh copy of its
source, once with ``CC=clang-19 CFLAGS=-Oz`` and once with
``CFLAGS="-Oz $(llmc flags)"``; every object file is then measured with
``llvm-size`` (Berkeley text + data) and printed side by side. Both builds run
in the same invocation, so machine noise hits both alike.
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

from pybridge import toolchain

CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "llmc"


@dataclass(frozen=True)
class BuildRecipe:
    """How a Debian source package builds its C objects."""

    package: str
    steps: tuple[str, ...]  # shell commands, run with CC and CFLAGS set
    license: str


# Real multi-file C projects from Debian's source packages, built as their
# own build systems build them.
PROJECTS: dict[str, BuildRecipe] = {
    "zlib": BuildRecipe("zlib", ("./configure --static", "make -j{jobs} libz.a"), "Zlib"),
    "lua5.4": BuildRecipe(
        "lua5.4",
        ('make -j{jobs} -C src liblua.a lua.o luac.o CC="$CC" CFLAGS="$CFLAGS -DLUA_USE_LINUX"',),
        "MIT",
    ),
}


@dataclass
class BuildResult:
    sizes: dict[str, int]  # object path (relative) -> text + data
    seconds: list[float] = field(default_factory=list)


def object_sizes(root: Path) -> dict[str, int]:
    """llvm-size's Berkeley text + data of every .o below root."""
    objects = sorted(p for p in root.rglob("*.o") if p.is_file())
    if not objects:
        return {}
    out = subprocess.run(
        [toolchain.tool("llvm-size"), *map(str, objects)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    sizes: dict[str, int] = {}
    for line in out.splitlines()[1:]:
        text, data, _bss, _dec, _hex, name = line.split(None, 5)
        sizes[str(Path(name).relative_to(root))] = int(text) + int(data)
    return sizes


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
) -> BuildResult:
    """Builds a fresh copy of ``source`` ``runs`` times; sizes of the last build."""
    result = BuildResult({})
    for _ in range(runs):
        tree = workdir / "tree"
        if tree.exists():
            shutil.rmtree(tree)
        shutil.copytree(source, tree, symlinks=True)
        full_env = {**os.environ, **env, "CC": toolchain.tool("clang"), "CFLAGS": cflags}
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
    return result


def compare(
    project: str,
    jobs: int = 2,
    runs: int = 1,
    extra_env: dict[str, str] | None = None,
    source: Path | None = None,
) -> dict:
    recipe = PROJECTS[project]
    source = source or fetch_source(recipe.package)
    plugin = toolchain.plugin_path()
    with tempfile.TemporaryDirectory(prefix="llmc-build-") as tmp:
        log = Path(tmp) / "decisions.jsonl"
        env = {"LLMC_LOG": str(log), **(extra_env or {})}
        oz = build(source, recipe, "-Oz", {}, jobs, runs, Path(tmp) / "oz")
        llmc = build(
            source, recipe, f"-Oz -fpass-plugin={plugin}", env, jobs, runs, Path(tmp) / "llmc"
        )
        decisions = (
            [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
        )
    files = sorted(set(oz.sizes) & set(llmc.sizes))
    rows = [{"file": f, "oz": oz.sizes[f], "llmc": llmc.sizes[f]} for f in files]
    won = sum(1 for d in decisions if not d["fallback"])
    return {
        "project": project,
        "source": str(source),
        "rows": rows,
        "total_oz": sum(r["oz"] for r in rows),
        "total_llmc": sum(r["llmc"] for r in rows),
        "seconds_oz": oz.seconds,
        "seconds_llmc": llmc.seconds,
        "modules_decided": len(decisions),
        "modules_improved": won,
    }


def change(new: int, old: int) -> str:
    return f"{100.0 * (new - old) / old:+.2f}%" if old else "n/a"


def print_report(report: dict) -> None:
    rows = report["rows"]
    width = max([len(r["file"]) for r in rows] + [5])
    print(f"{report['project']}: object size, llvm-size text+data (bytes)")
    print(f"{'file':<{width}}  {'-Oz':>9}  {'llmc':>9}  {'change':>8}")
    for r in rows:
        print(
            f"{r['file']:<{width}}  {r['oz']:>9}  {r['llmc']:>9}  {change(r['llmc'], r['oz']):>8}"
        )
    print(
        f"{'total':<{width}}  {report['total_oz']:>9}  {report['total_llmc']:>9}  "
        f"{change(report['total_llmc'], report['total_oz']):>8}"
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
    )
    print_report(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
    worse = [r["file"] for r in report["rows"] if r["llmc"] > r["oz"]]
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
    parser.set_defaults(func=_run)
