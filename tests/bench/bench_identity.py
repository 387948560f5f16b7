"""Byte-identity of two plugin builds: the same modules, the same settings, ``cmp``.

A refactor must not change what users get. Compiles every module (a corpus
split, round-robin by project) with ``clang -Oz -fpass-plugin=A`` and with
``-fpass-plugin=B`` (each plugin with its own installed pybridge: give the two
environments' ``llmc plugin-path``), the decision cache off, and compares the
objects byte for byte. Prints the modules that differ, with each build's winner; exit 1 if any does.

usage: python tests/bench/bench_identity.py --corpus DIR A.so B.so
         [--split test] [--limit 60] [--env NAME=VALUE ...]
"""

from __future__ import annotations

import argparse
import filecmp
import subprocess
import sys
import tempfile
from pathlib import Path

from pybridge import decisionlog, options, toolchain
from pybridge.training import modules as mods


def compile_with(plugin: str, module: str, out: Path, env: dict[str, str]) -> str:
    """ "" on success, else the compiler's last line."""
    proc = subprocess.run(
        [toolchain.tool("clang"), "-Oz", f"-fpass-plugin={plugin}", "-c", module, "-o", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    return "" if proc.returncode == 0 else (proc.stderr.strip().splitlines() or ["?"])[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plugins", nargs=2, metavar="PLUGIN")
    mods.add_sample_arguments(parser, limit=60)
    parser.add_argument("--env", nargs="*", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    specs = mods.load_modules(
        args.corpus, args.manifest, splits=[args.split], split_file=args.split_file,
        limit=args.limit,
    )  # fmt: skip
    extra = dict(item.split("=", 1) for item in args.env)
    different, failed = [], []
    with tempfile.TemporaryDirectory(prefix="llmc-identity-") as tmp:
        work = Path(tmp)
        envs, logs = [], [work / "a.jsonl", work / "b.jsonl"]
        for i in range(2):
            server = work / f"server{i}"
            server.mkdir(mode=0o700)
            env = options.plugin_env(CacheDir="off", Server=server, Log=logs[i])
            envs.append({**env, **extra})
        for spec in specs:
            objects = [work / "a.o", work / "b.o"]
            for log in logs:
                log.unlink(missing_ok=True)
            errors = [
                compile_with(p, spec.path, o, e)
                for p, o, e in zip(args.plugins, objects, envs, strict=True)
            ]
            name = f"{spec.project}/{spec.file}"
            if any(errors):
                failed.append(f"{name}: {errors}")
            elif not filecmp.cmp(objects[0], objects[1], shallow=False):
                winners = [[d.winner for d in decisionlog.read(log)] for log in logs]
                different.append(f"{name}: {winners[0]} vs {winners[1]}")
    for line in different:
        print(f"differs: {line}")
    for line in failed:
        print(f"failed: {line}")
    print(f"{len(specs)} modules: {len(specs) - len(different) - len(failed)} identical, "
          f"{len(different)} different, {len(failed)} failed")  # fmt: skip
    return 1 if different or failed else 0


if __name__ == "__main__":
    sys.exit(main())
