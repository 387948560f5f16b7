"""What users ship: linked images with and without llmc, x86-64 and Cortex-M4.

On demand (slow: ``pytest -m slow tests/bench`` runs it, plain pytest does
not). Real multi-file programs with a test or demo ``main``: this repository's
test project (``tests/lit/Inputs/project``) and, from Debian's source packages
(``apt-get source``, cached), zlib 1.2.13's ``example`` with the library it
tests (``Z_SOLO``), bzip2's command line with libbz2, lz4's ``simple_buffer``
example, miniLZO's ``testmini``, cJSON's ``test``, libyaml's ``run-dumper``
with its library, expat's ``elements`` example with the parser and Lua 5.4's
interpreter — built for x86-64 Linux and for Cortex-M4
(``thumbv7em-none-eabi``, Debian's newlib and libgcc), each as firmware is
built: ``-Oz -ffunction-sections -fdata-sections``, linked by lld with
``--gc-sections``; once without and once with ``-flto``. Each build runs twice
in one invocation, plain and with ``llmc flags`` (``--lto`` for LTO), and the
images' text + data are compared; x86-64 images are run (on the program's
input) and their outputs compared. Link times are reported for the LTO builds,
where llmc decides. A program that does not build for a target (bzip2's
command line needs POSIX's ``lstat`` and ``utime``, which newlib lacks) is
recorded under ``failures`` and skipped.

``--effort N`` runs the llmc builds at ``LLMC_EFFORT=N`` (a release build's
setting): under LTO the link's one decision per program then searches too.
``--only NAME...`` builds those programs only.

usage: python tests/bench/bench_linked.py [--effort N] [--only NAME...] [--link-candidates N]
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
from typing import Any

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
BZIP2_FILES = ("blocksort", "huffman", "crctable", "randtable", "compress", "decompress", "bzlib")
YAML_FILES = ("api", "reader", "scanner", "parser", "loader", "writer", "emitter", "dumper")
LUA_FILES = (
    "lapi", "lcode", "lctype", "ldebug", "ldo", "ldump", "lfunc", "lgc", "llex", "lmem",
    "lobject", "lopcodes", "lparser", "lstate", "lstring", "ltable", "ltm", "lundump", "lvm",
    "lzio", "lauxlib", "lbaselib", "lcorolib", "ldblib", "liolib", "lmathlib", "loadlib",
    "loslib", "lstrlib", "ltablib", "lutf8lib", "linit", "lua",
)  # fmt: skip
# What expat's configure would write for a little-endian target without a
# source of entropy (the parser's hash salt then comes from the clock).
EXPAT_CONFIG = """#define BYTEORDER 1234
#define HAVE_MEMMOVE 1
#define XML_CONTEXT_BYTES 1024
#define XML_DTD 1
#define XML_NS 1
#define XML_POOR_ENTROPY 1
"""
LUA_SCRIPT = (
    "local t = {} for i = 1, 200 do t[i] = string.format('%05d', (i * 7919) % 1000) end "
    "table.sort(t) local s = table.concat(t, ',') "
    "print(#s, s:sub(1, 40), select(2, s:gsub('0', '')), string.rep('ab', 3, '-')) "
    "local co = coroutine.wrap(function(a) for k = 1, 3 do a = coroutine.yield(a * 2) end end) "
    "print(co(1), co(2), co(3), math.floor(2^20 / 3), utf8.char(72, 228, 8364))"
)
LUA_MULTIARCH = '#define DEB_HOST_MULTIARCH "x86_64-linux-gnu"\n'
ARM = TARGETS["cortex-m4"]
TARGET_NAMES = ("x86-64", "cortex-m4")


@dataclass(frozen=True)
class Program:
    name: str
    sources: tuple[Path, ...]
    cflags: tuple[str, ...] = ()
    # How the x86-64 image runs: arguments and standard input (none: empty).
    args: tuple[str, ...] = ()
    stdin: Path | None = None
    # Headers a configure step would write: (name, text), in a directory on -I.
    headers: tuple[tuple[str, str], ...] = ()
    # Libraries it links besides libc (after the objects).
    libs: tuple[str, ...] = ()


def programs() -> list[Program]:
    """The programs; a source package that cannot be fetched is left out (and said so)."""
    out = [Program("project", tuple(sorted(PROJECT.glob("*.c"))))]

    def fetched(package: str) -> Path | None:
        try:
            return buildcompare.fetch_source(package)
        except (OSError, RuntimeError, subprocess.CalledProcessError) as err:
            print(f"{package}: not fetched ({err}): its programs are left out", flush=True)
            return None

    if zlib := fetched("zlib"):
        out.append(Program(
            "zlib-example",
            (*(zlib / f"{f}.c" for f in ZLIB_FILES), zlib / "test" / "example.c"),
            ("-DZ_SOLO", f"-I{zlib}"),
        ))  # fmt: skip
    if bz := fetched("bzip2"):
        out.append(Program(
            "bzip2",
            (*(bz / f"{f}.c" for f in BZIP2_FILES), bz / "bzip2.c"),
            (f"-I{bz}",), ("-9c", str(bz / "sample3.ref")),
        ))  # fmt: skip
    if lz4 := fetched("lz4"):
        out.append(Program(
            "lz4-simple",
            (lz4 / "lib" / "lz4.c", lz4 / "examples" / "simple_buffer.c"),
            (f"-I{lz4 / 'lib'}",),
        ))  # fmt: skip
    if lzo := fetched("lzo2"):
        out.append(Program(
            "minilzo-test",
            (lzo / "minilzo" / "minilzo.c", lzo / "minilzo" / "testmini.c"),
            (f"-I{lzo / 'minilzo'}", f"-I{lzo / 'include' / 'lzo'}"),
        ))  # fmt: skip
    if cjson := fetched("cjson"):
        out.append(Program("cjson-test", (cjson / "cJSON.c", cjson / "test.c"), (f"-I{cjson}",)))
    if yaml := fetched("libyaml"):
        out.append(Program(
            "yaml-dumper",
            (*(yaml / "src" / f"{f}.c" for f in YAML_FILES), yaml / "tests" / "run-dumper.c"),
            (f"-I{yaml / 'include'}", "-DYAML_VERSION_MAJOR=0", "-DYAML_VERSION_MINOR=2",
             "-DYAML_VERSION_PATCH=5", '-DYAML_VERSION_STRING="0.2.5"'),
            tuple(str(f) for f in sorted((yaml / "examples").glob("*.yaml"))),
        ))  # fmt: skip
    if expat := fetched("expat"):
        lib = expat / "expat" / "lib"
        out.append(Program(
            "expat-elements",
            (lib / "xmlparse.c", lib / "xmlrole.c", lib / "xmltok.c",
             expat / "expat" / "examples" / "elements.c"),
            (f"-I{lib}",), stdin=expat / "expat" / "doc" / "xmlwf.xml",
            headers=(("expat_config.h", EXPAT_CONFIG),),
        ))  # fmt: skip
    if lua := fetched("lua5.4"):
        out.append(Program(
            "lua",
            tuple(lua / "src" / f"{f}.c" for f in LUA_FILES),
            (f"-I{lua / 'src'}",), ("-e", LUA_SCRIPT),
            # Debian's patch names the multiarch directory in the search path.
            headers=(("lua5.4-deb-multiarch.h", LUA_MULTIARCH),),
            libs=("-lm",),
        ))  # fmt: skip
    return out


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
    work.mkdir(parents=True)
    common = [*cc, "-Oz", "-ffunction-sections", "-fdata-sections", "-w", *program.cflags]
    if program.headers:
        (work / "include").mkdir()
        for name, text in program.headers:
            (work / "include" / name).write_text(text)
        common.append(f"-I{work / 'include'}")
    if lto:
        common.append("-flto")
    extra = llmc_flags(toolchain.plugin_path(), lto=lto) if with_llmc else []
    objects = []
    for source in program.sources:
        obj = work / f"{source.stem}.o"
        subprocess.run([clang, *common, *extra, "-c", str(source), "-o", str(obj)],
                       check=True, env=env, capture_output=True)  # fmt: skip
        objects.append(str(obj))
    image = work / program.name
    link = [
        clang,
        *common,
        "-fuse-ld=lld",
        *(extra if lto else []),
        *start,
        *objects,
        *program.libs,
        *end,
    ]
    began = time.perf_counter()
    subprocess.run([*link, "-Wl,--gc-sections", "-o", str(image)], check=True, env=env,
                   capture_output=True)  # fmt: skip
    return image, time.perf_counter() - began


def run_image(program: Program, image: Path) -> bytes:
    """The x86-64 image's standard output (and exit status) on the program's input."""
    stdin = program.stdin.open("rb") if program.stdin else subprocess.DEVNULL
    try:
        done = subprocess.run([str(image), *program.args], stdin=stdin, capture_output=True,
                              timeout=60)  # fmt: skip
    finally:
        if program.stdin:
            stdin.close()  # type: ignore[union-attr]
    return done.stdout + f"\nexit {done.returncode}".encode()


def failure(err: BaseException) -> str:
    """One line on why a build failed: the command's last line of errors."""
    if isinstance(err, subprocess.CalledProcessError):
        lines = [
            line for line in (err.stderr or b"").decode(errors="replace").splitlines()
            if "error" in line
        ] or ["exit status " + str(err.returncode)]  # fmt: skip
        return lines[0][-300:]
    return f"{type(err).__name__}: {err}"[-300:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--effort", type=int, default=0, help="LLMC_EFFORT of the llmc builds")
    parser.add_argument("--only", nargs="*", help="these programs only (default: all)")
    parser.add_argument(
        "--link-candidates", type=int, help="LLMC_LINK_CANDIDATES of the llmc builds (default: its)"
    )
    args = parser.parse_args(argv)
    rows: list[dict[str, Any]] = []
    failures: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="llmc-linked-") as tmp:
        server = Path(tmp) / "server"
        server.mkdir(mode=0o700)
        env = options.plugin_env(
            CacheDir="off", Server=server, Log=Path(tmp) / "log.jsonl", Effort=args.effort
        )
        if args.link_candidates is not None:
            env[options.env("LinkCandidates")] = str(args.link_candidates)
        for program in programs():
            if args.only and program.name not in args.only:
                continue
            for target in TARGET_NAMES:
                for lto in (False, True):
                    key = f"{program.name}/{target}/{'lto' if lto else 'no-lto'}"
                    work = Path(tmp) / key.replace("/", "-")
                    try:
                        plain, t_plain = build(program, target, lto, False, work / "plain", env)
                        llmc, t_llmc = build(program, target, lto, True, work / "llmc", env)
                    except (subprocess.SubprocessError, OSError) as err:
                        why = failure(err)
                        failures.append(
                            {"program": program.name, "target": target, "lto": lto, "why": why}
                        )
                        print(f"{key:32} not built: {why}", flush=True)
                        continue
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
                        outputs = [run_image(program, i) for i in (plain, llmc)]
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
            if not total_p:
                continue
            print(
                f"total {target} {'lto' if lto else 'no-lto'}: {total_p} -> {total_l} "
                f"({100.0 * (total_l - total_p) / total_p:+.2f}%)"
            )
    print(
        f"larger than without llmc: {len(larger)}; different output: {len(wrong)}; "
        f"not built: {len(failures)}"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        report = {
            "effort": args.effort,
            "link_candidates": args.link_candidates,
            "rows": rows,
            "failures": failures,
        }
        args.json.write_text(json.dumps(report, indent=1) + "\n")
    return 1 if larger or wrong else 0


if __name__ == "__main__":
    sys.exit(main())
