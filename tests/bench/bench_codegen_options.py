"""Code-generation options as a decision dimension: what best-of per module would save.

Compiles each module of a corpus split with plain ``clang -Oz`` for its target
and with each variant of the machine outliner (``-mllvm
-enable-machine-outliner=always`` and ``=never``: x86-64 does not outline at
``-Oz`` by default, Arm, RISC-V and AArch64 do), and reports, against -Oz,
each variant's geomean and the best-of {-Oz, variant} per module: the most a
per-module choice of that option could save. Sizes are llvm-size text + data
of the objects, as the plugin measures them.

usage: python tests/bench/bench_codegen_options.py --corpus DIR --manifest CSV
         [--target cortex-m4] [--split test] [--limit 80]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from pybridge import toolchain
from pybridge.training import modules as mods
from pybridge.training import search as S
from pybridge.training.evaluate import object_size
from pybridge.training.table import geomean_pct

VARIANTS = {
    "outliner=always": ("-mllvm", "-enable-machine-outliner=always"),
    "outliner=never": ("-mllvm", "-enable-machine-outliner=never"),
}


def size(module: str, codegen: tuple[str, ...], extra: tuple[str, ...], out: Path) -> int | None:
    proc = subprocess.run(
        [toolchain.tool("clang"), *codegen, "-Oz", *extra, "-c", module, "-o", str(out)],
        capture_output=True,
    )
    return object_size(out) if proc.returncode == 0 else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mods.add_sample_arguments(parser, limit=80)
    S.add_target_argument(parser)
    args = parser.parse_args(argv)
    target = S.resolve_target(args)
    specs = mods.load_modules(
        args.corpus, args.manifest, splits=[args.split], split_file=args.split_file,
        limit=args.limit, target=target.name,
    )  # fmt: skip
    rows: list[tuple[int, dict[str, int]]] = []
    with tempfile.TemporaryDirectory(prefix="llmc-cgopt-") as tmp:
        out = Path(tmp) / "m.o"
        for spec in specs:
            base = size(spec.path, target.codegen, (), out)
            sizes = {
                name: size(spec.path, target.codegen, flags, out)
                for name, flags in VARIANTS.items()
            }
            if base and all(sizes.values()):
                rows.append((base, {k: v for k, v in sizes.items() if v}))
    if not rows:
        print("no module compiled", file=sys.stderr)
        return 1
    print(f"{target.name}: {len(rows)} of {len(specs)} {args.split} modules, against clang -Oz")
    print("| variant | geomean | best-of per module: geomean | total | modules smaller | larger |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in VARIANTS:
        alone = [s[name] / b for b, s in rows]
        best = [min(s[name], b) / b for b, s in rows]
        total = sum(min(s[name], b) for b, s in rows) / sum(b for b, _ in rows)
        print(
            f"| {name} | {geomean_pct(alone):+.2f}% | {geomean_pct(best):+.2f}% "
            f"| {(total - 1) * 100:+.2f}% | {sum(r < 1 for r in alone)} "
            f"| {sum(r > 1 for r in alone)} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
