"""The targets llmc builds corpora for and evaluates on: the one table of their flags.

A target is a name (``x86-64``, ``cortex-m4``, ``rv32imc``, ``aarch64``) and the
clang flags that select it: the code-generation flags (triple, CPU, ABI), which
every clang run on that target's modules passes (compiling bitcode too: clang
overrides a module's own triple with its ``--target``), and the system headers
of a C library from a Debian package, which only compiling C needs. Everything
else (``llmc corpus build --target``, ``llmc eval --target``, the tests) reads
this table; no flag string is spelled anywhere else.

``x86-64`` is the host's default: no flags at all, today's behaviour.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TARGET = "x86-64"


@dataclass(frozen=True)
class Target:
    name: str
    codegen: tuple[str, ...]  # triple, CPU, ABI: what every clang run on its modules passes
    include_dir: str = ""  # the C library's headers; empty: the host's own
    package: str = ""  # the Debian package that installs include_dir
    elf_machine: int = 0  # e_machine of its objects (tests check it)
    # Projects' -fPIC/-fPIE are for shared libraries of a hosted system; firmware
    # is linked at fixed addresses, so bare-metal targets drop them.
    keeps_pic: bool = True
    # The architectures of module triples that are this target (the part before
    # the first '-': clang writes thumbv7em-none-unknown-eabi for cortex-m4).
    arches: tuple[str, ...] = ()
    # The other targets, nearest first: whose measurements stand in for this
    # target's when a model has none (32-bit bare metal resembles 32-bit bare
    # metal: no PIC, ILP32, the machine outliner on at -Oz; 64-bit Linux 64-bit).
    nearest: tuple[str, ...] = ()

    @property
    def is_host(self) -> bool:
        return not self.codegen

    def header_flags(self) -> tuple[str, ...]:
        """Only this C library's headers (clang's own stddef.h, stdarg.h... stay)."""
        return ("-nostdlibinc", "-isystem", self.include_dir) if self.include_dir else ()

    def compile_flags(self) -> tuple[str, ...]:
        """What compiling C for this target adds to the project's own flags."""
        return (*self.codegen, *self.header_flags())

    def gcc_flags(self) -> tuple[str, ...]:
        """The code-generation flags as a cross GCC takes them (it has one triple)."""
        return tuple(f for f in self.codegen if not f.startswith("--target="))

    def headers_installed(self) -> bool:
        return not self.include_dir or (Path(self.include_dir) / "stdio.h").is_file()

    def missing(self) -> str:
        """Why this target cannot compile C here, or ''."""
        if self.headers_installed():
            return ""
        return (
            f"target {self.name}: no C headers at {self.include_dir} "
            f"(apt-get install {self.package}; scripts/setup.sh does it)"
        )


TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        Target(
            DEFAULT_TARGET,
            (),
            elf_machine=62,  # EM_X86_64
            arches=("x86_64",),
            nearest=("aarch64", "rv32imc", "cortex-m4"),
        ),
        Target(
            "cortex-m4",
            ("--target=thumbv7em-none-eabi", "-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=soft"),
            include_dir="/usr/lib/arm-none-eabi/include",
            package="libnewlib-arm-none-eabi",
            elf_machine=40,  # EM_ARM
            keeps_pic=False,
            arches=("thumbv7em", "armv7em"),
            nearest=("rv32imc", "aarch64", DEFAULT_TARGET),
        ),
        Target(
            "rv32imc",
            ("--target=riscv32-unknown-elf", "-march=rv32imc", "-mabi=ilp32"),
            include_dir="/usr/lib/picolibc/riscv64-unknown-elf/include",
            package="picolibc-riscv64-unknown-elf",
            elf_machine=243,  # EM_RISCV
            keeps_pic=False,
            arches=("riscv32",),
            nearest=("cortex-m4", "aarch64", DEFAULT_TARGET),
        ),
        Target(
            "aarch64",
            ("--target=aarch64-linux-gnu",),
            # Without a cross gcc, clang would fall back to the host's /usr/include.
            include_dir="/usr/aarch64-linux-gnu/include",
            package="libc6-dev-arm64-cross",
            elf_machine=183,  # EM_AARCH64
            arches=("aarch64",),
            nearest=(DEFAULT_TARGET, "rv32imc", "cortex-m4"),
        ),
    )
}


def of_triple(triple: str) -> Target | None:
    """The target a module triple is, by its architecture; None for any other."""
    arch = triple.split("-", 1)[0]
    return next((t for t in TARGETS.values() if arch in t.arches), None)


def nearest_known(name: str, known: Sequence[str]) -> str:
    """The target of ``known`` that decides target ``name``'s modules: itself, else the
    first of its ``nearest`` that is known, else the first known (the model's first)."""
    first = known[0] if known else DEFAULT_TARGET
    if name in known:
        return name
    return next((n for n in TARGETS[name].nearest if n in known), first)


def stand_in(triple: str, known: Sequence[str]) -> tuple[str, str]:
    """Which of ``known`` (the targets a model has measurements for) decides a module
    of ``triple``, and a note for the log when it is not the module's own target."""
    first = known[0] if known else DEFAULT_TARGET
    target = of_triple(triple)
    if target is None:
        return first, f"target {triple or '(none)'} is none llmc knows: ranked as {first}"
    if target.name in known:
        return target.name, ""
    near = nearest_known(target.name, known)
    return near, (
        f"the model has no measurements for {target.name}: ranked by the nearest "
        f"target it has, {near}"
    )


def get(name: str) -> Target:
    """The target called ``name``; ``ValueError`` naming the known ones otherwise."""
    try:
        return TARGETS[name]
    except KeyError:
        raise ValueError(f"unknown target {name!r}; known: {', '.join(TARGETS)}") from None


def parse(values: Iterable[str] | None) -> list[Target]:
    """``--target`` values (repeatable, each maybe a comma list), in order, no repeats;
    none given: the default target."""
    names: list[str] = []
    for value in values or ():
        names += [n.strip() for n in value.split(",") if n.strip() and n.strip() not in names]
    return [get(n) for n in names or [DEFAULT_TARGET]]


def per_target(name: str, target: str) -> str:
    """A work-dir or data file name for ``target``: ``name`` itself for the default
    target (so x86-64's layout stays as it always was), else ``-<target>`` before the
    suffix: modules -> modules-cortex-m4, manifest.csv -> manifest-cortex-m4.csv."""
    if target == DEFAULT_TARGET:
        return name
    stem, dot, suffix = name.partition(".")
    return f"{stem}-{target}{dot}{suffix}"


# The flags of a compile that select its machine: -m* (-march, -mcpu, -mthumb,
# -mfloat-abi, -mabi, -m64, -msse4.2...) and the target triple. A project's host
# machine flags are dropped when compiling for another target (with the sysroot;
# -D, -I, -std, -f... stay), and compiling a module's bitcode again needs them.
_MACHINE_PREFIXES = ("-m", "--target=", "-target=")
_MACHINE_WITH_VALUE = {"-target", "--target", "-arch", "-mllvm"}
_FOREIGN_PREFIXES = (*_MACHINE_PREFIXES, "--sysroot", "-isysroot")
_FOREIGN_WITH_VALUE = {*_MACHINE_WITH_VALUE, "--sysroot", "-isysroot"}
_PIC = {"-fPIC", "-fpic", "-fPIE", "-fpie"}


def machine_flags(flags: Sequence[str]) -> list[str]:
    """The machine-selecting flags of a compile (triple, CPU, ABI, ISA), in order:
    what clang needs to compile that compile's bitcode to the same code (given a
    bitcode file, clang replaces its triple with its own --target)."""
    kept: list[str] = []
    take_next = False
    for arg in flags:
        if take_next:
            kept.append(arg)
            take_next = False
        elif arg in _MACHINE_WITH_VALUE:
            kept.append(arg)
            take_next = True
        elif arg.startswith(_MACHINE_PREFIXES):
            kept.append(arg)
    return kept


def retarget(flags: Sequence[str], target: Target) -> list[str]:
    """A project's (already filtered) flags for ``target``: unchanged for the host,
    else without the host's machine and target flags (and PIC, for bare metal)."""
    if target.is_host:
        return list(flags)
    kept: list[str] = []
    skip_next = False
    for arg in flags:
        if skip_next:
            skip_next = False
        elif arg in _FOREIGN_WITH_VALUE:
            skip_next = True
        elif arg.startswith(_FOREIGN_PREFIXES) or (not target.keeps_pic and arg in _PIC):
            continue
        else:
            kept.append(arg)
    return kept
