"""Per-function pipelines, one sound family: what choosing a cleanup per function adds.

Deciding per module leaves function-level choices unused, but mixing the
functions of whole-module candidates is unsound (inlining, argument and
return-value changes and global rewrites make one version's function wrong in
another's module). A family that composes soundly: the module's ``-Oz``
pipeline, then one function pipeline per function, chosen among the
``function(...)`` groups of the candidate table (function passes touch only
their own function). For each module this measures, with ``opt`` + ``llc
-function-sections`` (x86-64, PIC, as the plugin measures objects):

- ``best entry``: the best single ``default<Oz>,function(G)`` for the whole
  module (what a per-module decision over this family reaches);
- ``per function``: ``-Oz``'s object with each function's ``.text`` section
  replaced by its smallest version over all G (sections of one function are
  independent once no pass runs across functions; read-only data and the
  rest are -Oz's): the composition's size, up to constant pools.

usage: python tests/bench/bench_per_function.py --corpus DIR --manifest CSV
         [--split test] [--limit 30]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from pybridge import allowlist, toolchain
from pybridge.training import modules as mods
from pybridge.training.evaluate import object_size
from pybridge.training.table import geomean_pct


def function_groups() -> list[str]:
    """The distinct function(...) groups of the table that may follow default<Oz>."""
    table = json.loads((toolchain.DATA_DIR / "candidates.json").read_text())["candidates"]
    groups: list[str] = []
    for entry in table:
        for part in allowlist.split_pipeline(entry["pipeline"]):
            if (
                part.startswith("function(")
                and part not in groups
                and allowlist.check(f"default<Oz>,{part}") is None
            ):
                groups.append(part)
    return groups


def sections(obj: Path) -> dict[str, int]:
    """Allocated section name -> size of an object."""
    out = subprocess.run(
        [toolchain.tool("llvm-readelf"), "-S", "--wide", str(obj)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    sizes = {}
    for line in out.splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) > 7 and fields[0].startswith("[") and fields[0] != "[Nr]":
            name, flags = fields[1], fields[7]
            if "A" in flags and fields[2] != "NOBITS":
                sizes[name] = int(fields[5], 16)
    return sizes


def build(module: str, pipeline: str, work: Path) -> Path | None:
    bc, obj = work / "v.bc", work / "v.o"
    opt = subprocess.run(
        [toolchain.tool("opt"), f"-passes={pipeline}", module, "-o", str(bc)], capture_output=True
    )
    if opt.returncode:
        return None
    llc = subprocess.run(
        [toolchain.tool("llc"), "-relocation-model=pic", "-function-sections",
         "-data-sections", "-filetype=obj", str(bc), "-o", str(obj)],
        capture_output=True,
    )  # fmt: skip
    return obj if llc.returncode == 0 else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mods.add_sample_arguments(parser, limit=30)
    args = parser.parse_args(argv)
    groups = function_groups()
    specs = mods.load_modules(
        args.corpus, args.manifest, splits=[args.split], split_file=args.split_file,
        limit=args.limit,
    )  # fmt: skip
    entry, composed, both = [], [], []
    with tempfile.TemporaryDirectory(prefix="llmc-perfn-") as tmp:
        work = Path(tmp)
        for spec in specs:
            base_obj = build(spec.path, "default<Oz>", work)
            if base_obj is None:
                continue
            base, base_sections = object_size(base_obj), sections(base_obj)
            best_entry, smallest = base, dict(base_sections)
            for group in groups:
                obj = build(spec.path, f"default<Oz>,{group}", work)
                if obj is None:
                    continue
                best_entry = min(best_entry, object_size(obj))
                for name, size in sections(obj).items():
                    if name.startswith(".text.") and name in smallest:
                        smallest[name] = min(smallest[name], size)
            saved = sum(base_sections[n] - smallest[n] for n in base_sections)
            entry.append(best_entry / base)
            composed.append((base - saved) / base)
            both.append(min(best_entry, base - saved) / base)
            print(f"{spec.key}: -Oz {base}, best entry {best_entry}, per function {base - saved}",
                  file=sys.stderr)  # fmt: skip
    if not entry:
        print("no module built", file=sys.stderr)
        return 1
    print(f"x86-64: {len(entry)} {args.split} modules, {len(groups)} function groups after -Oz")
    print("| choice | geomean vs -Oz | modules smaller |")
    print("|---|---:|---:|")
    for name, ratios in (("best entry per module", entry), ("per function", composed),
                         ("best of both", both)):  # fmt: skip
        print(f"| {name} | {geomean_pct(ratios):+.2f}% | {sum(r < 1 for r in ratios)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
