"""What users ship: linked images with and without llmc, x86-64 and Cortex-M4.

Two real multi-file programs — this repository's test project
(``tests/lit/Inputs/project``) and zlib 1.2.13's ``example`` with the
library it tests (Debian's source package, ``Z_SOLO``: no file I/O, so it
links on a bare-metal target too) — built for x86-64 Linux and for Cortex-M4
(``thumbv7em-none-eabi``, Debian's newlib and libgcc), each as firmware is
built: ``-Oz -ffunction-sections -fdata-sections``, linked by lld with
``--gc-sections``; once without and once with ``-flto``. Each build runs twice
in one invocation, plain and with ``llmc flags`` (``--lto`` for LTO), and the
images' text + data are compared; x86-64 images are run and their outputs
compared. Link times are reported for the LTO builds, where llmc decides.

``--effort N`` runs the llmc builds at ``LLMC_EFFORT=N`` (a release build's
setting): under LTO the link's one decision per program then searches too.

usage: python tests/bench/bench_linked.py [--effort N]
         [--json tests/bench/results/linked/summary.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pybridge import options, toolchain
from pybridge.targets import TARGETS
from pybridge.tools import buildcompare
from pybridge.tools.commands import flags as llmc_flags

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ROOT / "tests" / "lit" / "Inputs" / "project"
ZLIB_FILES = (
    "adler32", "compress", "crc32", "deflate", "infback", "inffast", "inflate", "inftrees",
    "trees", "uncompr", "zutil",
)  # fmt: skip
ARM = TARGETS["cortex-m4"]


@dataclass(frozen=True)
class Program:
    name: str
    sources: tuple[Path, ...]
    cflags: tuple[str, ...] = ()


def programs() -> list[Program]:
    zlib = buildcompare.fetch_source("zlib")
    return [
        Program("project", tuple(sorted(PROJECT.glob("*.c")))),
        Program(
            "zlib-example",
            (*(zlib / f"{f}.c" for f in ZLIB_FILES), zlib / "test" / "example.c"),
            ("-DZ_SOLO", f"-I{zlib}"),
        ),
    ]


def arm_dirs() -> tuple[Path, Path]:
    """newlib's and libgcc's directories for Cortex-M4 (soft float)."""
    gcc = shutil.which("arm-none-eabi-gcc")
    if not gcc:
        raise SystemExit("arm-none-eabi-gcc not found: README command 1 installs it")

    def where(name: str) -> Path:
        out = subprocess.run(
            [gcc, *ARM.gcc_flags(), f"-print-file-name={name}"],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        return Path(os.path.realpath(out.strip())).parent

    return where("libc.a"), where("libgcc.a")


def target_flags(target: str) -> tuple[list[str], list[str], list[str]]:
    """(compile flags, link flags before the objects, link flags after them)."""
    if target == "x86-64":
        return [], [], []
    newlib, libgcc = arm_dirs()
    cc = list(ARM.compile_flags())
    start = ["-nostdlib", *(str(d / f) for d, f in
             ((newlib, "crt0.o"), (libgcc, "crti.o"), (libgcc, "crtbegin.o")))]  # fmt: skip
    end = [
        f"-L{newlib}", f"-L{libgcc}", "-Wl,--start-group", "-lc", "-lnosys", "-lgcc",
        "-Wl,--end-group", str(libgcc / "crtend.o"), str(libgcc / "crtn.o"),
        f"-Wl,-T,{ROOT / 'tests' / 'lit' / 'Inputs' / 'arm-bss.ld'}",
    ]  # fmt: skip
    return cc, start, end


def text_data(image: Path) -> int:
    return buildcompare.llvm_sizes(image.parent, [image])[image.name]


def build(
    program: Program, target: str, lto: bool, with_llmc: bool, work: Path, env: dict[str, str]
) -> tuple[Path, float]:
    """Compiles and links one image; returns it and the link's wall time."""
    clang = toolchain.tool("clang")
    cc, start, end = target_flags(target)
    common = [*cc, "-Oz", "-ffunction-sections", "-fdata-sections", "-w", *program.cflags]
    if lto:
        common.append("-flto")
    extra = llmc_flags(toolchain.plugin_path(), lto=lto) if with_llmc else []
    work.mkdir(parents=True)
    objects = []
    for source in program.sources:
        obj = work / f"{source.stem}.o"
        subprocess.run([clang, *common, *extra, "-c", str(source), "-o", str(obj)],
                       check=True, env=env, capture_output=True)  # fmt: skip
        objects.append(str(obj))
    image = work / program.name
    link = [clang, *common, "-fuse-ld=lld", *(extra if lto else []), *start, *objects, *end]
    began = time.perf_counter()
    subprocess.run([*link, "-Wl,--gc-sections", "-o", str(image)], check=True, env=env,
                   capture_output=True)  # fmt: skip
    return image, time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--effort", type=int, default=0, help="LLMC_EFFORT of the llmc builds")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="llmc-linked-") as tmp:
        server = Path(tmp) / "server"
        server.mkdir(mode=0o700)
        env = options.plugin_env(
            CacheDir="off", Server=server, Log=Path(tmp) / "log.jsonl", Effort=args.effort
        )
        for program in programs():
            for target in ("x86-64", "cortex-m4"):
                for lto in (False, True):
                    key = f"{program.name}/{target}/{'lto' if lto else 'no-lto'}"
                    work = Path(tmp) / key.replace("/", "-")
                    plain, t_plain = build(program, target, lto, False, work / "plain", env)
                    llmc, t_llmc = build(program, target, lto, True, work / "llmc", env)
                    row = {
                        "program": program.name,
                        "target": target,
                        "lto": lto,
                        "plain": text_data(plain),
                        "llmc": text_data(llmc),
                        "link_s_plain": round(t_plain, 2),
                        "link_s_llmc": round(t_llmc, 2),
                    }
                    if target == "x86-64":
                        outputs = [
                            subprocess.run([str(i)], capture_output=True, timeout=60).stdout
                            for i in (plain, llmc)
                        ]
                        row["same_output"] = outputs[0] == outputs[1]
                    rows.append(row)
                    change = 100.0 * (row["llmc"] - row["plain"]) / row["plain"]
                    print(
                        f"{key:32} {row['plain']:>8} {row['llmc']:>8} {change:+7.2f}%"
                        f"  link {t_plain:5.2f} s / {t_llmc:5.2f} s"
                        + (f"  same output: {row['same_output']}" if "same_output" in row else ""),
                        flush=True,
                    )
    larger = [r for r in rows if r["llmc"] > r["plain"]]
    wrong = [r for r in rows if r.get("same_output") is False]
    for lto in (False, True):
        for target in ("x86-64", "cortex-m4"):
            sel = [r for r in rows if r["lto"] == lto and r["target"] == target]
            total_p, total_l = sum(r["plain"] for r in sel), sum(r["llmc"] for r in sel)
            print(
                f"total {target} {'lto' if lto else 'no-lto'}: {total_p} -> {total_l} "
                f"({100.0 * (total_l - total_p) / total_p:+.2f}%)"
            )
    print(f"larger than without llmc: {len(larger)}; different output: {len(wrong)}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"effort": args.effort, "rows": rows}, indent=1) + "\n")
    return 1 if larger or wrong else 0


if __name__ == "__main__":
    sys.exit(main())
