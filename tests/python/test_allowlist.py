"""allowlist.py and its data, checked against LLVM 19's own pass list and parser."""

from __future__ import annotations

import random
import re
import subprocess
from functools import cache
from pathlib import Path

import pytest

from pybridge import allowlist, toolchain

# -print-passes section headers -> allow-list level (LoopNest passes run as loop passes).
SECTIONS = {
    "Module passes": "module",
    "Module passes with params": "module",
    "CGSCC passes": "cgscc",
    "CGSCC passes with params": "cgscc",
    "Function passes": "function",
    "Function passes with params": "function",
    "LoopNest passes": "loop",
    "Loop passes": "loop",
    "Loop passes with params": "loop",
}
# Accepted by opt's parser but not listed by -print-passes.
UNLISTED = {("module", "default")}


@cache
def llvm_passes() -> frozenset[tuple[str, str]]:
    """(level, base name) of every IR pass opt-19 lists."""
    text = subprocess.run(
        [toolchain.tool("opt"), "-print-passes"], check=True, capture_output=True, text=True
    ).stdout
    found, level = set(), None
    for line in text.splitlines():
        if not line.startswith(" "):
            level = SECTIONS.get(line.strip().rstrip(":"))
        elif level:
            found.add((level, line.strip().split("<")[0]))
    return frozenset(found)


def allowed_rows() -> list[tuple[str, str]]:
    al = allowlist.load()
    return [(lv, n) for n, levels in al.levels.items() for lv in levels if lv != "adaptor"]


def test_data_format_is_exact() -> None:
    row = re.compile(
        r"(adaptor|module|cgscc|function|loop) [a-z0-9][a-z0-9._-]*"
        r"( param=[A-Za-z0-9=-]+)?( mssa=(needs|keeps))?"
    )
    for line in allowlist.ALLOWED_FILE.read_text().splitlines():
        if line and not line.startswith("#"):
            assert row.fullmatch(line), line
    for line in allowlist.DENIED_FILE.read_text().splitlines():
        if line and not line.startswith("#"):
            assert re.fullmatch(r"[a-z0-9][a-z0-9._-]*  \S.*", line), line
    # CMake reads both files as lists, which split at ';' (plugin/CMakeLists.txt).
    for path in (allowlist.ALLOWED_FILE, allowlist.DENIED_FILE):
        for line in path.read_text().splitlines():
            assert ";" not in line or line.startswith("#"), line


def test_adaptors() -> None:
    al = allowlist.load()
    adaptors = {n for n, levels in al.levels.items() if "adaptor" in levels}
    assert adaptors == {"module", "cgscc", "function", "loop", "loop-mssa"}


def test_every_allowed_pass_exists_in_llvm19() -> None:
    missing = [row for row in allowed_rows() if row not in llvm_passes() and row not in UNLISTED]
    assert not missing


def test_every_llvm_pass_is_allowed_or_denied() -> None:
    """A pass that LLVM adds must be reviewed, not silently allowed or forgotten."""
    al = allowlist.load()
    unclassified = sorted({n for _, n in llvm_passes()} - set(al.levels) - set(al.denied))
    assert not unclassified


def test_nothing_dangerous_is_allowed() -> None:
    al = allowlist.load()
    names = set(al.levels)
    assert not names & set(al.denied)
    for name in names:
        assert not name.startswith(("print", "dot-", "view-", "verify", "trigger-")), name
        assert not re.search(r"san|instr|profile|pgo|debug|gcov|cfi", name), name
    required_denials = {
        "unify-loop-exits", "attributor", "attributor-cgscc", "attributor-light",
        "attributor-light-cgscc", "fix-irreducible", "loop-extract",
    }  # fmt: skip
    assert required_denials <= set(al.denied)
    assert all(al.denied[n] for n in required_denials)
    assert al.required["instcombine"] == "no-verify-fixpoint"


GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "pipelines.tsv"


def golden_cases() -> list[tuple[str, str | None]]:
    """The table both checkers answer to (tests/lit/allowlist-golden.test is the C++ side)."""
    cases = []
    for line in GOLDEN.read_text().splitlines():
        if line and not line.startswith("#"):
            verdict, pipeline, why = line.split("\t")
            assert verdict in ("accept", "reject") and (verdict == "reject") == bool(why), line
            cases.append((pipeline, why or None))
    return cases


CASES = golden_cases()


@pytest.mark.parametrize(("pipeline", "reason"), CASES)
def test_check(pipeline: str, reason: str | None) -> None:
    got = allowlist.check(pipeline)
    if reason is None:
        assert got is None
    else:
        assert got is not None and reason in got
        assert "\n" not in got


def test_check_rejects_non_text() -> None:
    assert allowlist.check(b"sroa") is not None  # type: ignore[arg-type]


def test_split_pipeline() -> None:
    assert allowlist.split_pipeline("a,b(c,d<x;y>),e<f>") == ["a", "b(c,d<x;y>)", "e<f>"]
    for bad in ("a,(", "a)", "a,,b", ""):
        with pytest.raises(allowlist.PipelineSyntaxError):
            allowlist.split_pipeline(bad)


@pytest.fixture(scope="module")
def module_bc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import PROGRAMS, compile_c

    directory = tmp_path_factory.mktemp("allow")
    path = directory / "m.bc"
    path.write_bytes(compile_c(PROGRAMS["calls"] + PROGRAMS["loops"], directory))
    return path


def run_opt(pipeline: str, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [toolchain.tool("opt"), f"-passes={pipeline}", str(path), "-o", "/dev/null"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("pipeline", [p for p, reason in CASES if reason is None])
def test_opt19_runs_what_check_accepts(pipeline: str, module_bc: Path) -> None:
    result = run_opt(pipeline, module_bc)
    assert result.returncode == 0, result.stderr


def test_opt19_dies_on_licm_outside_loop_mssa(module_bc: Path) -> None:
    """Why mssa=needs exists: if LLVM fixes this, the rule can go."""
    result = run_opt("function(loop(licm))", module_bc)
    assert result.returncode != 0 and "MemorySSA" in result.stderr


def random_pipeline(rng: random.Random) -> str:
    """A random nested pipeline of allow-listed passes, built to pass check()."""
    al = allowlist.load()
    by_level = {
        lv: sorted(n for n, ls in al.levels.items() if lv in ls and n != "default")
        for lv in allowlist.LEVELS
    }
    params = {n: f"<{p}>" for n, p in al.required.items()}

    def one(level: str, exclude: frozenset[str] = frozenset()) -> str:
        name = rng.choice([n for n in by_level[level] if n not in exclude])
        return name + params.get(name, "")

    def loop() -> str:
        mssa = rng.random() < 0.5
        exclude = frozenset(by_level["loop"]) - al.keeps_mssa if mssa else al.needs_mssa
        inner = ",".join(one("loop", exclude) for _ in range(rng.randint(1, 3)))
        return f"{'loop-mssa' if mssa else 'loop'}({inner})"

    def function() -> str:
        items = [
            loop() if rng.random() < 0.25 else one("function") for _ in range(rng.randint(1, 4))
        ]
        return f"function({','.join(items)})"

    parts = []
    for _ in range(rng.randint(1, 3)):
        roll = rng.random()
        parts.append(
            one("module") if roll < 0.3 else f"cgscc({one('cgscc')})" if roll < 0.45 else function()
        )
    return ",".join(parts)


def test_random_allowed_pipelines_run_in_opt19(module_bc: Path) -> None:
    """check() and LLVM 19 agree, and what check() accepts does not crash opt."""
    rng = random.Random(19)
    for _ in range(25):
        pipeline = random_pipeline(rng)
        assert allowlist.check(pipeline) is None, pipeline
        result = run_opt(pipeline, module_bc)
        assert result.returncode == 0, f"{pipeline}: {result.stderr[-300:]}"
