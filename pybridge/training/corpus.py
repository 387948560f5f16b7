"""``llmc corpus``: real C modules, in the form the plugin sees inside ``clang -Oz``.

Every module is a translation unit compiled with its project's own flags plus
``-Oz -Xclang -disable-llvm-passes -emit-llvm``: the unoptimized IR that
``LLMCPass`` receives, with -Oz's function attributes (``minsize``,
``optsize``) already set. -O0 IR would carry ``optnone`` and teach nothing.

Sources are Debian source packages (``fetch``: ``apt-get source``, then the
project's configure and build under ``bear``, or CMake's compile database) or a
user's own build (``add --compile-commands``). ``build`` re-compiles each
compile-database entry with the flags above swapped in; a project without one
falls back to compiling every ``.c`` with ``-I`` of its source dirs.

``build --target NAME`` compiles the same compile-database entries for another
target of :mod:`pybridge.targets` (the project's -D/-I/-std kept, the host's
machine flags dropped); a TU that does not compile there (a Linux-only header,
a configure result that does not hold on bare metal) is a failure of that
target, with its reason, and the build goes on.

Work dir layout (default ``$LLMC_DATA_DIR``, else ``$XDG_DATA_HOME/llmc``)::

    src/<project>/<unpacked tree>/     apt-get source, configured and built
    logs/<project>.log                 configure/build output
    modules/<project>/<rel path>.bc    the corpus (x86-64, the host's default target)
    modules/<project>/commands.json    the exact command of each .bc
    modules-<target>/...               the same for another target (cortex-m4, ...)
    projects.json                      version, license, root of each project
    manifest.csv, failures.csv         what ``manifest`` copies into the package
    manifest-<target>.csv, failures-<target>.csv   the same for another target

``manifest`` writes manifest.csv, split.json and failures.csv into
pybridge/data/corpus/. The split is by project, so no test project's code,
nor a sibling file of it, is ever trained on.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import dataclasses
import hashlib
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pybridge import targets, toolchain

DEFAULT_WORKDIR = toolchain.WORK_DIR
PACKAGE_DATA = toolchain.DATA_DIR / "corpus"
MANIFEST_COLUMNS = ("project", "version", "file", "license", "sha256", "bytes", "target")
FAILURE_COLUMNS = ("project", "file", "reason")
# The frontend flags of ``clang -Oz`` with the middle end switched off: what the plugin sees.
FRONTEND_FLAGS = toolchain.FRONTEND_FLAGS
# Projects are built with clang 19 so their compile databases hold flags clang accepts.
CC = "clang-19"
CXX = "clang++-19"
SPLIT_FRACTIONS = {"train": 0.70, "valid": 0.15, "test": 0.15}
SPLIT_SEED = 20241125
C_SUFFIXES = (".c",)
CXX_SUFFIXES = (".cc", ".cpp", ".cxx", ".c++")
SOURCES_LIST = Path("/etc/apt/sources.list.d/llmc-src.sources")
DEB_SRC_ENTRY = """\
# Added by `llmc corpus fetch`: Debian source packages for llmc's training corpus.
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
"""

# Debian packages the recipes run: purpose -> (program, package).
BUILD_TOOLS = {
    "compile database of make builds": ("bear", "bear"),
    "apt-get source unpacks with it": ("dpkg-source", "dpkg-dev"),
    "jq and libsodium regenerate configure": ("autoreconf", "autoconf"),
    "autoreconf runs it": ("aclocal", "automake"),
    "autoreconf of libtool projects": ("libtoolize", "libtool"),
    "lua5.4's Makefile links with it": ("libtool", "libtool-bin"),
    "autoreconf of gettext projects": ("autopoint", "autopoint"),
    "generated parsers": ("bison", "bison"),
    "generated lexers": ("flex", "flex"),
    "CMake recipes": ("cmake", "cmake"),
}

# ----------------------------------------------------------------------------
# Code of public benchmark suites: never trained, validated or selected on.

# Everyone, llmc included, judges generalization on these suites (MiBench/cBench,
# Embench-IoT, BEEBS, Polybench, SPEC CPU), so a project whose code one of them
# carries has no recipe, is left out of every split by ``manifest``, and its rows
# are dropped by ``llmc train`` and ``llmc table``. Project (Debian source
# package) -> the suite programs built from its code.
BENCHMARK_CODE: dict[str, str] = {
    "bzip2": "SPEC CPU2006 401.bzip2; cBench bzip2d/bzip2e",
    "xz-utils": "SPEC CPU2017 557.xz_r (liblzma)",
    "nettle": "Embench-IoT nettle-aes/nettle-sha256; BEEBS nettle-*",
    "libjpeg-turbo": "MiBench/cBench consumer_jpeg (IJG libjpeg)",
    "libjpeg9": "MiBench/cBench consumer_jpeg (IJG libjpeg)",
    "tiff": "MiBench/cBench consumer_tiff2bw/tiff2rgba/tiffdither/tiffmedian",
    "lame": "MiBench/cBench consumer_lame",
    "libmad": "MiBench/cBench consumer_mad",
    "ghostscript": "MiBench/cBench office_ghostscript",
    "ispell": "MiBench/cBench office_ispell",
    "rsynth": "MiBench/cBench office_rsynth",
    "lout": "MiBench/cBench consumer_typeset",
    "libgsm": "MiBench/cBench telecom_gsm",
    "perl": "SPEC CPU 400.perlbench/500.perlbench_r",
    "gcc-12": "SPEC CPU 403.gcc/502.gcc_r",
    "x264": "SPEC CPU2017 525.x264_r",
    "imagemagick": "SPEC CPU2017 538.imagick_r",
    "povray": "SPEC CPU 453.povray/511.povray_r",
    "xalan": "SPEC CPU 483.xalancbmk/523.xalancbmk_r",
    "blender": "SPEC CPU2017 526.blender_r",
    "gnugo": "SPEC CPU2006 445.gobmk",
    "hmmer": "SPEC CPU2006 456.hmmer",
    "deal.ii": "SPEC CPU 447.dealII/510.parest_r",
    "calculix-ccx": "SPEC CPU2006 454.calculix",
}


def benchmark_code(project: str) -> str:
    """The suite programs built from ``project``'s code, or '' (see BENCHMARK_CODE)."""
    return BENCHMARK_CODE.get(project, "")


# ----------------------------------------------------------------------------
# Recipes: one row per project, data only.

_CMAKE = (
    f"cmake -S . -B _llmc -DCMAKE_C_COMPILER={CC} -DCMAKE_EXPORT_COMPILE_COMMANDS=ON"
    # CMake 4 refuses cmake_minimum_required() below 3.5, which old projects still say.
    " -DCMAKE_POLICY_VERSION_MINIMUM=3.5 -DCMAKE_BUILD_TYPE=Release"
)
_CONFIGURE = f"./configure CC={CC}"
_MAKE = f"make -k -j2 CC={CC}"
_MAKE_CXX = f"make -k -j2 CC={CC} CXX={CXX}"


@dataclass(frozen=True)
class Recipe:
    """How to turn one Debian source package into a compile database.

    ``configure`` commands run in ``subdir`` of the unpacked tree; ``build`` runs
    there under ``bear`` (empty when ``configure`` writes the database, as CMake
    does). ``fallback_flags`` are for projects whose database comes out empty.
    ``cxx``: the project is C++, its .cc/.cpp/.cxx translation units are modules too.
    ``drop_flags``: flags of the project's build that the modules must not keep (a
    32-bit firmware build's machine flags: the modules are the target's, not i386).
    """

    package: str
    subdir: str = ""
    configure: tuple[str, ...] = ()
    build: str = ""
    compile_db: str = "compile_commands.json"
    fallback_flags: tuple[str, ...] = ()
    cxx: bool = False
    drop_flags: tuple[str, ...] = ()


def _cmake(package: str, *options: str, subdir: str = "", cxx: bool = False) -> Recipe:
    compilers = (f"-DCMAKE_CXX_COMPILER={CXX}",) if cxx else ()
    return Recipe(
        package,
        subdir,
        (" ".join((_CMAKE, *compilers, *options)),),
        compile_db="_llmc/compile_commands.json",
        cxx=cxx,
    )


def _autoconf(
    package: str, *options: str, subdir: str = "", regen: bool = False, cxx: bool = False
) -> Recipe:
    configure = _CONFIGURE + (f" CXX={CXX}" if cxx else "")
    steps = (("autoreconf -fi",) if regen else ()) + (" ".join((configure, *options)),)
    return Recipe(package, subdir, steps, build=_MAKE_CXX if cxx else _MAKE, cxx=cxx)


def _make(
    package: str, *steps: str, subdir: str = "", build: str = _MAKE, cxx: bool = False
) -> Recipe:
    return Recipe(package, subdir, steps, build=build, cxx=cxx)


def _first(recipe: Recipe, *steps: str) -> Recipe:
    """``recipe`` with ``steps`` run before its configure (generated sources)."""
    return dataclasses.replace(recipe, configure=(*steps, *recipe.configure))


RECIPES: dict[str, Recipe] = {
    # compression
    # zlib's CMakeLists needs win32/, which the dfsg tarball drops.
    "zlib": _make("zlib", "./configure"),
    "zstd": _make("libzstd"),
    "lz4": _make("lz4"),
    "brotli": _cmake("brotli"),
    "lzo2": _cmake("lzo2"),
    "libarchive": _cmake("libarchive", "-DENABLE_TEST=ON", "-DENABLE_OPENSSL=OFF"),
    # interpreters and languages
    # debian/rules sets $(LIBTOOL) and writes the multiarch header luaconf.h includes.
    "lua5.4": _make(
        "lua5.4",
        "echo '#define DEB_HOST_MULTIARCH \"x86_64-linux-gnu\"' > src/lua5.4-deb-multiarch.h",
        build=f"make -k -j2 linux LIBTOOL=libtool CC='{CC} -std=gnu99'",
    ),
    "tcl8.6": _autoconf("tcl8.6", subdir="unix"),
    "gawk": _autoconf("gawk", "--disable-nls"),
    "jq": _autoconf("jq", "--disable-docs", "--without-oniguruma", regen=True),
    # databases
    "sqlite3": _autoconf("sqlite3", "--disable-tcl"),
    "lmdb": _make("lmdb", subdir="libraries/liblmdb"),
    # crypto and numbers
    "libsodium": _autoconf("libsodium", regen=True),
    "libtommath": _make("libtommath"),
    "libtomcrypt": _make("libtomcrypt"),
    "openssl": _make("openssl", f"./Configure CC={CC} no-asm -O0", build="make -k -j2"),
    # networking
    "curl": _cmake("curl", "-DCURL_ENABLE_SSL=OFF", "-DUSE_LIBIDN2=OFF", "-DBUILD_TESTING=ON"),
    "nghttp2": _cmake("nghttp2", "-DENABLE_LIB_ONLY=ON"),
    "libuv1": _cmake("libuv1", "-DLIBUV_BUILD_TESTS=ON"),
    # parsers and formats
    "expat": _cmake("expat", subdir="expat"),
    "libxml2": _cmake("libxml2", "-DLIBXML2_WITH_PYTHON=OFF", "-DLIBXML2_WITH_LZMA=OFF"),
    "libyaml": _cmake("libyaml"),
    "cjson": _cmake("cjson"),
    "jansson": _cmake("jansson"),
    "pcre2": _cmake("pcre2"),
    "oniguruma": _cmake("libonig"),
    # media
    "libpng1.6": _cmake("libpng1.6"),
    "giflib": _make("giflib"),
    "libwebp": _cmake("libwebp"),
    "opus": _autoconf("opus", "--disable-doc"),
    "flac": _cmake("flac", "-DBUILD_CXXLIBS=OFF", "-DBUILD_DOCS=OFF", "-DWITH_OGG=OFF"),
    "libogg": _cmake("libogg"),
    # utilities
    "readline": _autoconf("readline"),
    "bash": _autoconf("bash", "--without-bash-malloc", "--disable-nls"),
    "busybox": _make("busybox", f"make CC={CC} defconfig"),
    "m4": _autoconf("m4", "--disable-nls"),
    "diffutils": _autoconf("diffutils", "--disable-nls"),
    "bc": _autoconf("bc", "--without-readline"),
    "less": _autoconf("less"),
    "nano": _autoconf("nano", "--disable-nls"),
    "popt": _autoconf("popt", "--disable-nls"),
    "libbsd": _autoconf("libbsd"),
    "gdbm": _autoconf("gdbm", "--disable-nls"),
    "tre": _autoconf("tre", "--disable-nls"),
    # firmware-style, freestanding and embedded C
    "musl": _autoconf("musl"),
    # The kernel UAPI headers where klibc looks for them, as debian/rules links them.
    "klibc": _make(
        "klibc",
        "mkdir -p linux/include",
        "ln -sfn /usr/include/linux /usr/include/asm-generic"
        " /usr/include/x86_64-linux-gnu/asm linux/include/",
        build=f"make -k -j2 ARCH=x86_64 CC={CC} HOSTCC={CC} KBUILD_VERBOSE=1",
    ),
    # A 16/32-bit build made for gcc: without the flag clang rejects, and its modules
    # without the i386 machine flags (90 of 94 TUs compile for x86-64 then).
    "seabios": dataclasses.replace(
        _make(
            "seabios",
            "sed -i 's/-mpreferred-stack-boundary=2//' Makefile",
            build=f"make -k -j2 CC={CC} HOSTCC={CC}",
        ),
        drop_flags=("-m32", "-m16", "-march=i386", "-mregparm=3", "-freg-struct-return"),
    ),
    "dosfstools": _autoconf("dosfstools"),
    "mtd-utils": _autoconf(
        "mtd-utils",
        "--without-lzo",
        "--without-zstd",
        "--without-xattr",
        "--without-crypto",
        regen=True,
    ),
    "libcoap3": _cmake("libcoap3", "-DENABLE_DTLS=OFF", "-DENABLE_DOCS=OFF"),
    "mosquitto": _cmake("mosquitto", "-DWITH_TLS=OFF", "-DDOCUMENTATION=OFF", "-DWITH_CJSON=OFF"),
    "libmodbus": _autoconf("libmodbus", regen=True),
    "nanopb": _cmake("nanopb", "-Dnanopb_BUILD_GENERATOR=OFF"),
    "protobuf-c": _autoconf("protobuf-c", "--disable-protoc"),
    # Its Makefile's CC carries -I flags: make must not override it.
    "jimtcl": _make("jimtcl", f"./configure CC={CC}", build="make -k -j2"),
    "mujs": _make("mujs"),
    # One file per module (src-separate/), not the amalgamation of src/ nor its copy in
    # src-noline/; the extras beside it.
    "duktape": _make(
        "duktape",
        build=f"mkdir -p _llmc && cd _llmc && {CC} -c -I../src-separate ../src-separate/*.c"
        f" && for f in ../extras/*/*.c; do {CC} -c -I../src-separate -I$(dirname $f) $f; done",
    ),
    "dnsmasq": _make("dnsmasq"),
    "dropbear": _autoconf("dropbear", "--disable-bundled-libtom"),
    "stm32flash": _make("stm32flash"),
    "libusb-1.0": _autoconf("libusb-1.0", "--disable-udev"),
    "dfu-util": _autoconf("dfu-util"),
    "can-utils": _cmake("can-utils"),
    "msgpack-c": _cmake("msgpack-c", "-DMSGPACK_BUILD_TESTS=OFF"),
    # codecs, compression, crypto, parsers, numeric
    "libdeflate": _cmake("libdeflate"),
    "zopfli": _cmake("zopfli"),
    # The +ds tarball drops the bundled codecs: blosclz and the system zlib only.
    "c-blosc": _cmake(
        "c-blosc",
        "-DDEACTIVATE_LZ4=ON",
        "-DDEACTIVATE_SNAPPY=ON",
        "-DDEACTIVATE_ZSTD=ON",
        "-DPREFER_EXTERNAL_ZLIB=ON",
    ),
    "libzip": _cmake(
        "libzip", "-DENABLE_OPENSSL=OFF", "-DENABLE_GNUTLS=OFF", "-DENABLE_MBEDTLS=OFF"
    ),
    "mbedtls": _cmake("mbedtls", "-DENABLE_TESTING=OFF"),
    "libb2": _autoconf("libb2", "--disable-openmp", regen=True),
    "libsecp256k1": _autoconf("libsecp256k1", regen=True),
    "json-c": _cmake("json-c"),
    # CMake 4 forbids reading a target's LOCATION (policy CMP0026): its generator expression.
    "yajl": _first(
        _cmake("yajl"),
        "sed -i 's/GET_TARGET_PROPERTY(binPath \\([a-z_]*\\) LOCATION)"
        "/SET(binPath $<TARGET_FILE:\\1>)/' reformatter/CMakeLists.txt verify/CMakeLists.txt",
    ),
    "libconfig": _autoconf("libconfig"),
    "cmark": _cmake("cmark"),
    "mxml": _autoconf("mxml"),
    "libexif": _autoconf("libexif", "--disable-nls", regen=True),
    "libsamplerate": _cmake("libsamplerate"),
    # Its tests and tools want fftw3 and libpng.
    "kissfft": _cmake("kissfft", "-DKISSFFT_TOOLS=OFF", "-DKISSFFT_TEST=OFF"),
    "speex": _autoconf("speex"),
    "wavpack": _autoconf("wavpack"),
    "libsoxr": _cmake("libsoxr", "-DWITH_OPENMP=OFF"),
    "libscrypt": _make("libscrypt"),
    "libmspack": _autoconf("libmspack"),
    "ed": _autoconf("ed"),
    "libvorbis": _cmake("libvorbis"),
    "libsndfile": _cmake("libsndfile", "-DBUILD_EXTERNAL_LIBS=OFF", "-DENABLE_MPEG=OFF"),
    # The codec tools would link libtiff (a benchmark suite's code): library only.
    "openjpeg2": _cmake("openjpeg2", "-DBUILD_CODEC=OFF"),
    "libevent": _cmake("libevent", "-DEVENT__DISABLE_OPENSSL=ON", "-DEVENT__DISABLE_MBEDTLS=ON"),
    "c-ares": _cmake("c-ares"),
    "libev": _autoconf("libev"),
    "libmicrohttpd": _autoconf("libmicrohttpd", "--disable-https", "--disable-doc"),
    # Its CMakeLists sets CMP0042 to OLD, which CMake 4 refuses.
    "libpcap": _autoconf("libpcap"),
    "tcpdump": _autoconf("tcpdump"),
    # C++: templates, exceptions and RTTI in the IR
    "snappy": _cmake(
        "snappy", "-DSNAPPY_BUILD_TESTS=OFF", "-DSNAPPY_BUILD_BENCHMARKS=OFF", cxx=True
    ),
    "leveldb": _cmake(
        "leveldb", "-DLEVELDB_BUILD_TESTS=OFF", "-DLEVELDB_BUILD_BENCHMARKS=OFF", cxx=True
    ),
    # The dfsg tarball drops the generated tables; debian/rules makes them (unicode-data).
    "re2": _first(
        _cmake("re2", "-DRE2_BUILD_TESTING=OFF", cxx=True),
        "perl re2/make_perl_groups.pl > re2/perl_groups.cc",
        "python3 re2/make_unicode_groups.py > re2/unicode_groups.cc",
        "python3 re2/make_unicode_casefold.py > re2/unicode_casefold.cc",
    ),
    # Its tests want Debian's googletest sources in /usr/src.
    "fmtlib": _cmake("fmtlib", "-DFMT_DOC=OFF", "-DFMT_TEST=OFF", cxx=True),
    "tinyxml2": _cmake("tinyxml2", cxx=True),
    "pugixml": _cmake("pugixml", "-DPUGIXML_BUILD_TESTS=ON", cxx=True),
    "jsoncpp": _cmake("libjsoncpp", cxx=True),
    "yaml-cpp": _cmake("yaml-cpp", "-DYAML_CPP_BUILD_TESTS=OFF", cxx=True),
    "double-conversion": _cmake("double-conversion", "-DBUILD_TESTING=ON", cxx=True),
    # C++98 code ('register'), which clang's default C++17 rejects.
    "gperf": _autoconf("gperf", "CXXFLAGS=-std=gnu++98", cxx=True),
    "ninja": _cmake("ninja-build", "-DBUILD_TESTING=OFF", cxx=True),
    "muparser": _cmake("muparser", "-DENABLE_OPENMP=OFF", cxx=True),
    "hunspell": _autoconf("hunspell", "--disable-nls", cxx=True),
    "woff2": _cmake("woff2", cxx=True),
    "taglib": _cmake("taglib", "-DBUILD_TESTING=OFF", cxx=True),
    "lzip": _autoconf("lzip", cxx=True),
    "gflags": _cmake("gflags", cxx=True),
    "libebml": _cmake("libebml", cxx=True),
}


# Debian packages a project's configure or build needs besides BUILD_TOOLS (libraries
# it links or generates from); ``fetch`` installs those of the projects it fetches.
BUILD_DEPENDS: dict[str, tuple[str, ...]] = {
    "libvorbis": ("libogg-dev",),
    "tcpdump": ("libpcap-dev",),
    "dropbear": ("libtomcrypt-dev", "libtommath-dev"),
    "dfu-util": ("libusb-1.0-0-dev",),
    "re2": ("unicode-data",),
    "libbsd": ("libmd-dev",),
}


# ----------------------------------------------------------------------------
# Modules: one translation unit and the exact command that makes its .bc.


@dataclass(frozen=True)
class TranslationUnit:
    """One translation unit: its source, where and how the project compiled it."""

    project: str
    source: Path
    directory: Path
    # The project's own flags, already filtered (no -o/-c/-O*/-M*), without the compiler.
    flags: tuple[str, ...]
    rel: str  # path of the source inside the project, names the .bc
    target: str = targets.DEFAULT_TARGET  # a name of pybridge.targets.TARGETS

    def output(self, modules_dir: Path) -> Path:
        return modules_dir / self.project / f"{self.rel}.bc"

    def command(self, out: Path, clang: str = CC) -> list[str]:
        target = targets.get(self.target)
        flags = (*target.compile_flags(), *targets.retarget(self.flags, target))
        return [clang, *flags, *FRONTEND_FLAGS, "-w", "-c", str(self.source), "-o", str(out)]


# Flags that take their value as the next argument and must go with it.
_DROP_WITH_VALUE = {"-o", "-MF", "-MT", "-MQ", "-MJ", "--serialize-diagnostics"}
_DROP_EXACT = {"-c", "-S", "-E", "-M", "-MM", "-MD", "-MMD", "-MP", "-MG", "-pipe", "-Werror"}
# -O*: -Oz is ours. -g*: debug intrinsics are not code and the object size ignores them.
# -flto*: -emit-llvm already gives bitcode. -save-temps: writes files beside the source.
_DROP_PREFIX = ("-O", "-g", "-flto", "-save-temps", "-Werror=", "-fdebug-prefix-map")


def filter_flags(args: Sequence[str], source: str | None = None) -> list[str]:
    """The project's flags minus output, mode, optimization and dependency-file flags.

    ``args`` excludes the compiler. The source file (``source``, as spelled in
    the command) is dropped too: ``TranslationUnit.command`` puts it back.
    """
    kept: list[str] = []
    skip_next = False
    for arg in args:
        if skip_next:
            skip_next = False
            continue
        if arg in _DROP_WITH_VALUE:
            skip_next = True
        elif (
            arg in _DROP_EXACT
            or arg.startswith(_DROP_PREFIX)
            or (arg.startswith(("-MF", "-MT", "-MQ", "-MJ")) and len(arg) > 3)
            or (arg.startswith("-o") and len(arg) > 2)
            or (source is not None and arg == source)
        ):
            continue
        else:
            kept.append(arg)
    return kept


_CXX_DRIVER = re.compile(r"(\+\+|xx)(-[\d.]+)?$")


def _entry_args(entry: dict) -> list[str]:
    if "arguments" in entry:
        return list(entry["arguments"])
    return shlex.split(entry["command"])


def specs_from_compile_db(
    entries: Iterable[dict], project: str, root: Path, *, cxx: bool = False
) -> Iterator[TranslationUnit]:
    """One TranslationUnit per C source of a compile database, first entry of a file wins.

    Libtool and multi-variant builds compile a file twice (static, shared); the
    first is kept so each source is one module.
    """
    suffixes = C_SUFFIXES + (CXX_SUFFIXES if cxx else ())
    seen: set[Path] = set()
    for entry in entries:
        directory = Path(entry["directory"])
        source = (directory / entry["file"]).resolve()
        if source.suffix.lower() not in suffixes or source in seen:
            continue
        args = _entry_args(entry)
        if not cxx and _CXX_DRIVER.search(Path(args[0]).name):
            continue  # a .c built as C++ (lua's liblua-c++): not the C module clang sees
        seen.add(source)
        flags = filter_flags(args[1:], entry["file"])
        # The file may be spelled differently in the command than in "file".
        flags = [a for a in flags if (directory / a).resolve() != source or a.startswith("-")]
        yield TranslationUnit(project, source, directory, tuple(flags), _rel_name(source, root))


def _rel_name(source: Path, root: Path) -> str:
    try:
        return source.relative_to(root).as_posix()
    except ValueError:
        # Generated or out-of-tree sources: keep them apart, never write outside modules/.
        return "_external/" + source.as_posix().lstrip("/")


def _packaging(rel: Path) -> bool:
    return any(part == "debian" or part.startswith(".") for part in rel.parts)


def fallback_specs(project: str, root: Path, recipe: Recipe | None = None) -> list[TranslationUnit]:
    """Every .c under ``root``, with -I of each dir holding headers (no compile db)."""
    # debian/ and quilt's .pc/ hold packaging and unpatched copies, not the project.
    sources = sorted(p for p in root.rglob("*.c") if not _packaging(p.relative_to(root)))
    header_dirs = sorted({p.parent for p in root.rglob("*.h")})
    flags: list[str] = [f"-I{d}" for d in header_dirs]
    if any((d / "config.h").exists() for d in header_dirs):
        flags.append("-DHAVE_CONFIG_H")
    if recipe is not None:
        flags.extend(recipe.fallback_flags)
    return [
        TranslationUnit(project, src, src.parent, (f"-I{src.parent}", *flags), _rel_name(src, root))
        for src in sources
    ]


# ----------------------------------------------------------------------------
# Compiling.


@dataclass
class CompileResult:
    spec: TranslationUnit
    ok: bool
    reason: str = ""


def compile_one(
    spec: TranslationUnit, modules_dir: Path, clang: str, timeout: float
) -> CompileResult:
    """Compile one module; on failure the reason quotes the command and clang's first error."""
    out = spec.output(modules_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd = spec.command(out, clang)
    try:
        proc = subprocess.run(
            cmd, cwd=spec.directory, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return CompileResult(spec, False, f"timeout after {timeout:.0f}s: {shlex.join(cmd)}")
    except OSError as err:
        return CompileResult(spec, False, f"{err}: {shlex.join(cmd)}")
    if proc.returncode != 0 or not out.exists():
        out.unlink(missing_ok=True)
        errors = [line for line in proc.stderr.splitlines() if "error" in line]
        first = (errors or proc.stderr.splitlines() or ["no output"])[0]
        return CompileResult(spec, False, f"exit {proc.returncode}: {first[:300]}")
    return CompileResult(spec, True)


def _compile_star(job: tuple[TranslationUnit, Path, str, float]) -> CompileResult:
    return compile_one(*job)


def compile_all(
    specs: Sequence[TranslationUnit],
    modules_dir: Path,
    *,
    jobs: int = 2,
    timeout: float = 300.0,
    desc: str = "compile",
) -> list[CompileResult]:
    """Compile ``specs`` with a pool of ``jobs`` processes, with a tqdm bar."""
    from concurrent.futures import ProcessPoolExecutor

    from tqdm import tqdm

    from pybridge.toolchain import tool

    clang = tool("clang")
    work = [(spec, modules_dir, clang, timeout) for spec in specs]
    if jobs <= 1:
        return [_compile_star(w) for w in tqdm(work, desc=desc, unit="tu")]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(tqdm(pool.map(_compile_star, work, chunksize=4), total=len(work), desc=desc))


def _write_commands(results: Sequence[CompileResult], modules_dir: Path, project: str) -> None:
    """modules/<project>/commands.json: the exact command of each .bc, to replay it."""
    path = modules_dir / project / "commands.json"
    old = json.loads(path.read_text()) if path.exists() else []
    by_rel = {e["rel"]: e for e in old}
    for r in results:
        if r.ok:
            out = r.spec.output(modules_dir)
            by_rel[r.spec.rel] = {
                "rel": r.spec.rel,
                "directory": str(r.spec.directory),
                "arguments": r.spec.command(out),
                "file": str(r.spec.source),
            }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(sorted(by_rel.values(), key=lambda e: e["rel"]), indent=1) + "\n")


# ----------------------------------------------------------------------------
# Work-dir bookkeeping: projects.json, failures.csv, manifest.csv.


@dataclass
class WorkDir:
    root: Path
    projects: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def open(cls, root: Path) -> WorkDir:
        # Absolute: clang runs in each TU's own directory and writes the .bc there.
        wd = cls(root.resolve())
        if wd.projects_file.exists():
            wd.projects = json.loads(wd.projects_file.read_text())
        return wd

    @property
    def projects_file(self) -> Path:
        return self.root / "projects.json"

    @property
    def src(self) -> Path:
        return self.root / "src"

    @property
    def modules(self) -> Path:
        return self.root / "modules"

    def modules_for(self, target: str) -> Path:
        """modules/ for the default target, modules-<target>/ for another."""
        return self.root / targets.per_target("modules", target)

    def failures_for(self, target: str) -> Path:
        return self.root / targets.per_target("failures.csv", target)

    def manifest_for(self, target: str) -> Path:
        return self.root / targets.per_target("manifest.csv", target)

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def failures_file(self) -> Path:
        return self.root / "failures.csv"

    @property
    def manifest_file(self) -> Path:
        return self.root / "manifest.csv"

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        """Serialize read-modify-write of the shared files: fetches may run side by side."""
        import fcntl

        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield

    def update_project(self, project: str, meta: dict) -> None:
        """Record one project's metadata, keeping what other processes wrote meanwhile."""
        with self._lock():
            if self.projects_file.exists():
                self.projects = json.loads(self.projects_file.read_text())
            self.projects[project] = meta
            text = json.dumps(self.projects, indent=1, sort_keys=True) + "\n"
            self.projects_file.write_text(text)

    def set_failures(
        self,
        project: str,
        stage: str,
        rows: Iterable[tuple[str, str]],
        target: str = targets.DEFAULT_TARGET,
    ) -> None:
        """Replace ``project``'s failures of one stage (fetch/build) with ``rows``, in
        ``target``'s failures list (failures.csv, failures-<target>.csv)."""
        path = self.failures_for(target)
        with self._lock():
            kept = [
                r
                for r in _read_csv(path)
                if not (r["project"] == project and r.get("stage", "build") == stage)
            ]
            kept += [
                {"project": project, "file": f, "reason": why, "stage": stage, "target": target}
                for f, why in rows
            ]
            _write_csv(path, (*FAILURE_COLUMNS, "stage", "target"), kept)


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def _write_csv(path: Path, columns: Sequence[str], rows: Iterable[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest_rows(wd: WorkDir, target: str = targets.DEFAULT_TARGET) -> list[dict[str, str]]:
    """One row per .bc of ``target``'s modules dir, sorted, with the project's version
    and license; a project of :data:`BENCHMARK_CODE` has none."""
    rows = []
    modules = wd.modules_for(target)
    projects = sorted(p.name for p in modules.iterdir() if p.is_dir())
    for project in (p for p in projects if not benchmark_code(p)):
        meta = wd.projects.get(project, {})
        base = modules / project
        for bc in sorted(base.rglob("*.bc")):
            rows.append(
                {
                    "project": project,
                    "version": meta.get("version", "unknown"),
                    "file": bc.relative_to(base).as_posix(),
                    "license": meta.get("license", "unknown"),
                    "sha256": sha256_of(bc),
                    "bytes": str(bc.stat().st_size),
                    "target": target,
                }
            )
    return rows


def write_manifest(
    wd: WorkDir, path: Path | None = None, target: str = targets.DEFAULT_TARGET
) -> list[dict[str, str]]:
    rows = manifest_rows(wd, target) if wd.modules_for(target).exists() else []
    _write_csv(path or wd.manifest_for(target), MANIFEST_COLUMNS, rows)
    return rows


def built_targets(wd: WorkDir) -> list[str]:
    """The targets whose modules dir exists in the work dir, in the table's order."""
    return [t for t in targets.TARGETS if wd.modules_for(t).is_dir()]


def read_manifest(path: Path = PACKAGE_DATA / "manifest.csv") -> list[dict[str, str]]:
    return _read_csv(path)


def split_projects(
    counts: dict[str, int],
    fractions: dict[str, float] = SPLIT_FRACTIONS,
    seed: int = SPLIT_SEED,
    keep: Mapping[str, str] | None = None,
) -> dict[str, list[str]]:
    """Assign whole projects to splits, about ``fractions`` of the modules each.

    ``keep`` (project -> split, e.g. the committed split.json) pins the projects it
    names: a growing corpus never moves a project to another split, so a test
    project stays unseen by every model trained before it grew. The other projects
    go largest first (ties in seeded random order), each to the split furthest
    below its share, so the result depends only on ``counts``, ``keep`` and
    ``seed``. Projects of public benchmark suites (:data:`BENCHMARK_CODE`) are in
    no split.
    """
    rng = random.Random(seed)
    counts = {p: n for p, n in counts.items() if not benchmark_code(p)}
    pinned = {p: s for p, s in (keep or {}).items() if p in counts and s in fractions}
    names = sorted(p for p in counts if p not in pinned)
    rng.shuffle(names)
    order = sorted(names, key=lambda n: -counts[n])  # stable: keeps the shuffled tie order
    total = sum(counts.values())
    splits: dict[str, list[str]] = {name: [] for name in fractions}
    sizes = dict.fromkeys(fractions, 0)
    for project, name in pinned.items():
        splits[name].append(project)
        sizes[name] += counts[project]
    for i, project in enumerate(order):
        empty = [s for s in fractions if not splits[s]]
        if empty and len(order) - i <= len(empty):
            # Just enough projects left to give every split one.
            target = max(empty, key=lambda s: fractions[s])
        else:
            target = max(fractions, key=lambda s: fractions[s] * total - sizes[s])
        splits[target].append(project)
        sizes[target] += counts[project]
    return {s: sorted(p) for s, p in splits.items()}


def load_split(path: Path = PACKAGE_DATA / "split.json") -> dict[str, list[str]]:
    return json.loads(path.read_text())


def invert_split(split: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """project -> split name, from split name -> projects."""
    return {p: name for name, projects in split.items() for p in projects}


# ----------------------------------------------------------------------------
# Debian sources: apt, version, license.


def _run(cmd: str | list[str], cwd: Path, log: Path, timeout: float, env: dict | None = None):
    """Run a step, appending to ``log``; raises RuntimeError quoting the command on failure."""
    text = cmd if isinstance(cmd, str) else shlex.join(cmd)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a") as out:
        out.write(f"\n$ (cd {cwd} && {text})\n")
        out.flush()
        try:
            proc = subprocess.run(
                cmd,
                cwd=cwd,
                shell=isinstance(cmd, str),
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired as err:
            raise RuntimeError(f"timeout after {timeout:.0f}s: {text} (in {cwd})") from err
    if proc.returncode != 0:
        raise RuntimeError(f"exit {proc.returncode}: {text} (in {cwd}; log {log})")


def _has_deb_src() -> bool:
    lists = [Path("/etc/apt/sources.list"), *Path("/etc/apt/sources.list.d").glob("*")]
    for path in lists:
        if path.is_file() and path.suffix in (".list", ".sources", ""):
            text = path.read_text(errors="replace")
            if re.search(r"^\s*deb-src\s", text, re.M) or re.search(
                r"^Types:.*\bdeb-src\b", text, re.M
            ):
                return True
    return False


def _installed(package: str) -> bool:
    proc = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True, check=False
    )
    return proc.returncode == 0 and "ok installed" in proc.stdout


def ensure_apt(log: Path, depends: Iterable[str] = ()) -> None:
    """Add a deb-src entry (deb822, Debian 12) when apt has none; install the build
    tools and the ``depends`` packages (:data:`BUILD_DEPENDS`) that are missing."""
    if not _has_deb_src():
        SOURCES_LIST.write_text(DEB_SRC_ENTRY)
        _run(["apt-get", "update", "-q"], Path("/"), log, 900)
    missing = [t for t, _ in BUILD_TOOLS.values() if shutil.which(t) is None]
    packages = [pkg for t, pkg in BUILD_TOOLS.values() if t in missing]
    packages += [p for p in dict.fromkeys(depends) if not _installed(p)]
    if packages:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        _run(["apt-get", "install", "-y", "-q", *packages], Path("/"), log, 1800, env)


def unpacked_tree(project_src: Path) -> Path | None:
    """The tree ``apt-get source`` unpacked (the one dir holding debian/)."""
    trees = [d for d in sorted(project_src.iterdir()) if (d / "debian").is_dir()]
    return trees[0] if trees else None


def debian_version(tree: Path) -> str:
    first = (tree / "debian" / "changelog").read_text(errors="replace").split("\n", 1)[0]
    match = re.search(r"\(([^)]+)\)", first)
    return match.group(1) if match else "unknown"


# Pre-DEP-5 copyright files (busybox, libwebp, tcl8.6) name no license: know it by its text.
_LICENSE_TEXTS = (
    (r"GNU General Public License[^.]*\s+version 2", "GPL-2"),
    (r"Neither the name", "BSD-3-clause"),
    (r"Redistribution and use in source and binary forms", "BSD"),
    (r"The following terms apply to all files associated\s+with the software", "TCL"),
)


def debian_license(tree: Path) -> str:
    """The first License: of debian/copyright (DEP-5 puts the main one first)."""
    path = tree / "debian" / "copyright"
    if not path.exists():
        return "unknown"
    text = path.read_text(errors="replace")
    for line in text.splitlines():
        if line.startswith("License:") and line[8:].strip():
            return line[8:].strip()
    # The earliest match: the main license comes first, bundled code's later.
    found = [(m.start(), name) for pat, name in _LICENSE_TEXTS if (m := re.search(pat, text))]
    return min(found)[1] if found else "unknown"


def fetch_project(wd: WorkDir, project: str, timeout: float) -> str | None:
    """apt-get source, configure and build one project; returns None or why it failed.

    Each step that fails is recorded and the next project goes on: a partial
    build still leaves a partial compile database.
    """
    recipe = RECIPES[project]
    log = wd.logs / f"{project}.log"
    dest = wd.src / project
    dest.mkdir(parents=True, exist_ok=True)
    errors: list[tuple[str, str]] = []
    try:
        if unpacked_tree(dest) is None:
            _run(["apt-get", "source", "-q", recipe.package], dest, log, timeout)
        tree = unpacked_tree(dest)
        if tree is None:
            raise RuntimeError(f"apt-get source {recipe.package}: no tree with debian/ in {dest}")
    except RuntimeError as err:
        wd.set_failures(project, "fetch", [("(apt-get source)", str(err))])
        return str(err)
    workdir = tree / recipe.subdir
    env = {**os.environ, "CC": CC, "CXX": CXX}
    for step in recipe.configure:
        try:
            _run(step, workdir, log, timeout, env)
        except RuntimeError as err:
            errors.append(("(configure)", str(err)))
            break
    if recipe.build and not errors:
        db = workdir / recipe.compile_db
        bear = ["bear", "--output", str(db), "--", "sh", "-c", recipe.build]
        try:
            _run(bear, workdir, log, timeout, env)
        except RuntimeError as err:
            # make -k keeps going; a failed target still leaves the other entries.
            errors.append(("(build)", str(err)))
    meta = {
        "package": recipe.package,
        "version": debian_version(tree),
        "license": debian_license(tree),
        "root": str(tree),
        "compile_db": str(workdir / recipe.compile_db),
    }
    wd.update_project(project, meta)
    wd.set_failures(project, "fetch", errors)
    return "; ".join(e[1] for e in errors) or None


def project_specs(wd: WorkDir, project: str) -> list[TranslationUnit]:
    meta = wd.projects[project]
    root = Path(meta["root"])
    db = Path(meta.get("compile_db", ""))
    recipe = RECIPES.get(project)
    if db.is_file():
        cxx = recipe is not None and recipe.cxx
        specs = list(specs_from_compile_db(json.loads(db.read_text()), project, root, cxx=cxx))
        if specs and recipe is not None and recipe.drop_flags:
            drop = set(recipe.drop_flags)
            specs = [
                dataclasses.replace(s, flags=tuple(f for f in s.flags if f not in drop))
                for s in specs
            ]
        if specs:
            return specs
    return fallback_specs(project, root, recipe)


def build_projects(
    wd: WorkDir,
    projects: Sequence[str],
    jobs: int,
    timeout: float,
    target: str = targets.DEFAULT_TARGET,
) -> dict[str, tuple[int, int]]:
    """Compile each project's modules for ``target``; returns project -> (ok, failed).

    Every TU that fails is one row of the target's failures list, never an exception.
    """
    summary = {}
    modules = wd.modules_for(target)
    for project in projects:
        specs = [dataclasses.replace(s, target=target) for s in project_specs(wd, project)]
        stale = modules / project
        if stale.exists():
            shutil.rmtree(stale)  # a rebuild must not keep modules the new db dropped
        desc = project if target == targets.DEFAULT_TARGET else f"{project} ({target})"
        results = compile_all(specs, modules, jobs=jobs, timeout=timeout, desc=desc)
        _write_commands(results, modules, project)
        failures = [(r.spec.rel, r.reason) for r in results if not r.ok]
        wd.set_failures(project, "build", failures, target)
        ok = sum(r.ok for r in results)
        summary[project] = (ok, len(results) - ok)
    return summary


# ----------------------------------------------------------------------------
# CLI.


def _selected(names: Sequence[str], available: Iterable[str]) -> list[str]:
    available = list(available)
    unknown = [n for n in names if n not in available]
    if unknown:
        raise SystemExit(f"unknown project(s) {', '.join(unknown)}; known: {', '.join(available)}")
    return list(names) or available


def cmd_fetch(args: argparse.Namespace) -> int:
    wd = WorkDir.open(args.workdir)
    projects = _selected(args.projects, RECIPES)
    if not args.no_apt:
        try:
            depends = [d for p in projects for d in BUILD_DEPENDS.get(p, ())]
            ensure_apt(wd.logs / "apt.log", depends)
        except RuntimeError as err:
            print(f"llmc corpus fetch: {err}", file=sys.stderr)
            return 1
    from tqdm import tqdm

    failed = 0
    for project in (bar := tqdm(projects, desc="fetch", unit="project")):
        bar.set_postfix_str(project)
        why = fetch_project(wd, project, args.timeout)
        if why:
            failed += 1
            tqdm.write(f"{project}: {why}")
    print(f"fetched {len(projects) - failed}/{len(projects)} cleanly; logs in {wd.logs}")
    return 0


def _targets(values: Sequence[str] | None, command: str) -> list[targets.Target]:
    try:
        return targets.parse(values)
    except ValueError as err:
        raise SystemExit(f"llmc {command}: {err}") from None


def cmd_build(args: argparse.Namespace) -> int:
    wd = WorkDir.open(args.workdir)
    projects = _selected(args.projects, wd.projects)
    chosen = _targets(args.target, "corpus build")
    status = 0
    for target in chosen:
        why = target.missing()
        if why:
            print(f"llmc corpus build: {why}", file=sys.stderr)
            status = 1
            continue
        start = time.monotonic()
        summary = build_projects(wd, projects, args.jobs, args.timeout, target.name)
        write_manifest(wd, target=target.name)
        for project, (ok, bad) in summary.items():
            print(f"{target.name:10} {project:16} {ok:6} modules {bad:5} failed")
        total = sum(ok for ok, _ in summary.values())
        failed = sum(bad for _, bad in summary.values())
        print(
            f"{target.name}: {total} modules, {failed} failed ({wd.failures_for(target.name)}) "
            f"in {time.monotonic() - start:.0f}s; manifest {wd.manifest_for(target.name)}"
        )
        status = status or (0 if total else 1)
    return status


def source_root(entries: Sequence[dict], db_path: Path) -> Path:
    """The directory every source of a compile database is under: names its modules."""
    files = [(Path(e["directory"]) / e["file"]).resolve() for e in entries]
    root = Path(os.path.commonpath(files or [db_path]))
    return root.parent if root.is_file() else root


def cmd_add(args: argparse.Namespace) -> int:
    db_path: Path = args.compile_commands.resolve()
    try:
        entries = json.loads(db_path.read_text())
    except (OSError, json.JSONDecodeError) as err:
        print(f"llmc corpus add: cannot read {db_path}: {err}", file=sys.stderr)
        return 1
    project = args.project or db_path.parent.parent.name or "user"
    root = args.root.resolve() if args.root else source_root(entries, db_path)
    specs = list(specs_from_compile_db(entries, project, root, cxx=args.cxx))
    if not specs:
        print(f"llmc corpus add: no C translation units in {db_path}", file=sys.stderr)
        return 1
    wd = WorkDir.open(args.workdir)
    meta = {"version": args.version, "license": args.license, "root": str(root)}
    wd.update_project(project, {**meta, "compile_db": str(db_path)})
    status = 0
    for target in _targets(args.target, "corpus add"):
        why = target.missing()
        if why:
            print(f"llmc corpus add: {why}", file=sys.stderr)
            status = 1
            continue
        modules = wd.modules_for(target.name)
        desc = project if target.is_host else f"{project} ({target.name})"
        results = compile_all(
            [dataclasses.replace(s, target=target.name) for s in specs],
            modules, jobs=args.jobs, timeout=args.timeout, desc=desc,
        )  # fmt: skip
        _write_commands(results, modules, project)
        failures = [(r.spec.rel, r.reason) for r in results if not r.ok]
        wd.set_failures(project, "build", failures, target.name)
        _append_manifest(wd, project, [r for r in results if r.ok], target.name)
        for rel, why in failures:
            print(f"{rel}: {why}", file=sys.stderr)
        added = len(results) - len(failures)
        print(f"{project}: {added} modules added to {wd.manifest_for(target.name)}")
        status = status or (0 if added else 1)
    return status


def _append_manifest(
    wd: WorkDir,
    project: str,
    results: Sequence[CompileResult],
    target: str = targets.DEFAULT_TARGET,
) -> None:
    """Replace ``project``'s rows of the target's manifest, keeping every other project's."""
    meta = wd.projects[project]
    manifest = wd.manifest_for(target)
    rows = [r for r in _read_csv(manifest) if r["project"] != project]
    for r in sorted(results, key=lambda r: r.spec.rel):
        bc = r.spec.output(wd.modules_for(target))
        rows.append(
            {
                "project": project,
                "version": meta["version"],
                "file": f"{r.spec.rel}.bc",
                "license": meta["license"],
                "sha256": sha256_of(bc),
                "bytes": str(bc.stat().st_size),
                "target": target,
            }
        )
    _write_csv(manifest, MANIFEST_COLUMNS, rows)


def cmd_manifest(args: argparse.Namespace) -> int:
    """manifest.csv, failures.csv (per target) and the one split.json of all targets.

    The split is by project and the same for every target: it is made from the
    default target's module counts (another target's only when the default is not
    built), so building a new target never moves a project to another split. The
    projects of the split.json already in ``--out`` keep their split (``--resplit``
    assigns every project afresh); only new projects are placed.

    ``--append``: the rows (and failures) of every project ``--out``'s manifest
    already holds are kept as they are, and only projects new to it are added
    from the work dir: a corpus grows without rebuilding what it had.
    """
    wd = WorkDir.open(args.workdir)
    out: Path = args.out
    names = [t.name for t in _targets(args.target, "corpus manifest")] if args.target else []
    names = names or built_targets(wd) or [targets.DEFAULT_TARGET]
    by_target = {t: write_manifest(wd, target=t) for t in names}
    failures_of = {t: _read_csv(wd.failures_for(t)) for t in names}
    if args.append:
        for t in names:
            held = _read_csv(out / targets.per_target("manifest.csv", t))
            old = {r["project"] for r in held}
            new_rows = [r for r in by_target[t] if r["project"] not in old]
            by_target[t] = sorted(
                [{**r, "target": r.get("target") or t} for r in held] + new_rows,
                key=lambda r: (r["project"], r["file"]),
            )
            old_failures = _read_csv(out / targets.per_target("failures.csv", t))
            failures_of[t] = old_failures + [r for r in failures_of[t] if r["project"] not in old]
    empty = [t for t, rows in by_target.items() if not rows]
    for t in empty:
        print(f"llmc corpus manifest: no modules under {wd.modules_for(t)}", file=sys.stderr)
    by_target = {t: rows for t, rows in by_target.items() if rows}
    if not by_target:
        return 1
    # The split is every target's: when this run does not write the default target's
    # manifest (--target of others only), --out's default manifest still counts.
    held_default = _read_csv(out / "manifest.csv")
    base = by_target.get(targets.DEFAULT_TARGET) or held_default or next(iter(by_target.values()))
    counts: dict[str, int] = {}
    for row in base:
        counts[row["project"]] = counts.get(row["project"], 0) + 1
    previous = out / "split.json"
    keep = {} if args.resplit or not previous.is_file() else invert_split(load_split(previous))
    split = split_projects(counts, seed=args.seed, keep=keep)
    split_of = invert_split(split)
    left_out = sorted(p for p in wd.projects if benchmark_code(p))
    for project in left_out:
        why = benchmark_code(project)
        print(f"{project}: left out of the corpus, public benchmark code ({why})")
    out.mkdir(parents=True, exist_ok=True)
    (out / "split.json").write_text(json.dumps(split, indent=1) + "\n")
    for name, projects in split.items():
        n = sum(counts.get(p, 0) for p in projects)
        print(f"{name:5} {n:6} modules ({n / len(base):.0%}) {' '.join(projects)}")
    for target, rows in by_target.items():
        _write_csv(out / targets.per_target("manifest.csv", target), MANIFEST_COLUMNS, rows)
        failures = sorted(
            failures_of.get(target, []),
            key=lambda r: (r["project"], r.get("stage") or "", r["file"]),
        )
        for row in failures:
            row.setdefault("target", target)
        failures_csv = out / targets.per_target("failures.csv", target)
        _write_csv(failures_csv, (*FAILURE_COLUMNS, "target"), failures)
        outside = sorted({r["project"] for r in rows} - set(split_of))
        print(
            f"{target}: {len(rows)} modules from {len({r['project'] for r in rows})} projects, "
            f"{sum(r.get('stage') == 'build' for r in failures)} failed to build -> {out}"
            + (f" (not in the split: {' '.join(outside)})" if outside else "")
        )
    return 0


def configure(parser: argparse.ArgumentParser) -> None:
    """``llmc corpus fetch|build|add|manifest``."""
    sub = parser.add_subparsers(dest="corpus_command", required=True, metavar="STEP")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR, help="%(default)s")

    def compiling(p: argparse.ArgumentParser) -> None:
        p.add_argument("--jobs", type=int, default=2, help="compile processes (%(default)s)")
        p.add_argument("--timeout", type=float, default=300.0, help="seconds per TU")

    p = sub.add_parser("fetch", help="apt-get source, configure and build Debian projects")
    common(p)
    p.add_argument("projects", nargs="*", help=f"default: all of {', '.join(RECIPES)}")
    p.add_argument("--timeout", type=float, default=3600.0, help="seconds per step")
    p.add_argument("--no-apt", action="store_true", help="do not touch apt's sources lists")
    p.set_defaults(func=cmd_fetch)

    def targeting(p: argparse.ArgumentParser, what: str) -> None:
        p.add_argument(
            "--target",
            action="append",
            metavar="NAME",
            help=f"{what} (repeatable or a comma list; one of {', '.join(targets.TARGETS)}; "
            f"default {targets.DEFAULT_TARGET})",
        )

    p = sub.add_parser("build", help="compile fetched projects to -Oz frontend bitcode")
    common(p)
    compiling(p)
    targeting(p, "compile for this target")
    p.add_argument("projects", nargs="*", help="default: every fetched project")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("add", help="import a build's compile_commands.json")
    common(p)
    compiling(p)
    p.add_argument("--compile-commands", type=Path, required=True)
    p.add_argument("--project", help="default: name of the build dir's parent")
    p.add_argument("--root", type=Path, help="source root naming the modules (default: common)")
    p.add_argument("--version", default="unknown")
    p.add_argument("--license", default="unknown")
    p.add_argument("--cxx", action="store_true", help="C++ translation units too")
    targeting(p, "compile for this target")
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("manifest", help="write manifest.csv, split.json and failures.csv")
    common(p)
    p.add_argument("--out", type=Path, default=PACKAGE_DATA, help="%(default)s")
    p.add_argument("--seed", type=int, default=SPLIT_SEED)
    p.add_argument(
        "--resplit",
        action="store_true",
        help="assign every project afresh instead of keeping --out's split.json",
    )
    p.add_argument(
        "--append",
        action="store_true",
        help="keep the rows of every project --out's manifest holds; add only new projects",
    )
    p.add_argument(
        "--target",
        action="append",
        metavar="NAME",
        help="targets to write (repeatable or a comma list; default: every target built)",
    )
    p.set_defaults(func=cmd_manifest)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m pybridge.training.corpus``: the same as ``llmc corpus``."""
    parser = argparse.ArgumentParser(prog="llmc corpus", description=__doc__.splitlines()[0])
    configure(parser)
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
