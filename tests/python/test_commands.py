"""The small llmc commands: plugin-path, flags, predict, doctor."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import GOOD_CANDIDATES, PROGRAMS

from pybridge import features, toolchain
from pybridge.tools import commands

LLVM19_SHARED_OBJECT = Path("/usr/lib/llvm-19/lib/LLVMgold.so")  # links libLLVM.so.19.1


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run one of these commands through a parser built like cli.py builds it."""
    parser = argparse.ArgumentParser(prog="llmc")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, configure in {
        "plugin-path": commands.configure_plugin_path,
        "flags": commands.configure_flags,
        "predict": commands.configure_predict,
        "doctor": commands.configure_doctor,
    }.items():
        configure(sub.add_parser(name))
    args = parser.parse_args(argv)
    code = int(args.func(args) or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "libllmc.so"
    monkeypatch.setenv("LLMC_PLUGIN", str(path))
    return path


def test_plugin_path_and_flags(plugin: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["plugin-path"], capsys)
    assert (code, out.strip()) == (1, str(plugin)) and "does not exist" in err
    code, out, _ = run(["flags"], capsys)
    assert (code, out.strip()) == (1, f"-fpass-plugin={plugin}")
    plugin.write_bytes(b"\x7fELF")
    assert run(["plugin-path"], capsys)[:2] == (0, f"{plugin}\n")
    assert run(["flags"], capsys)[:2] == (0, f"-fpass-plugin={plugin}\n")


def test_flags_help_explains_environment(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run(["flags", "--help"], capsys)
    out = capsys.readouterr().out
    assert "LLMC_" in out and "-Xclang -load" in out


def test_cli_wires_these_commands(plugin: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pybridge.tools import cli

    code = cli.main(["flags"])
    assert code == 1 and capsys.readouterr().out.strip() == f"-fpass-plugin={plugin}"


@pytest.fixture
def sources(tmp_path: Path, bitcode: dict[str, bytes]) -> dict[str, Path]:
    c = tmp_path / "calls.c"
    c.write_text(PROGRAMS["calls"])
    bc = tmp_path / "calls.bc"
    bc.write_bytes(bitcode["calls"])
    ll = tmp_path / "calls.ll"
    subprocess.run([toolchain.tool("llvm-dis"), str(bc), "-o", str(ll)], check=True)
    return {"c": c, "bc": bc, "ll": ll}


@pytest.mark.parametrize("kind", ["c", "bc", "ll"])
def test_predict_json(
    kind: str, sources: dict[str, Path], good_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        ["predict", str(sources[kind]), "--model", str(good_model), "-k", "2", "--json"], capsys
    )
    report = json.loads(out)
    assert code == 0 and report["error"] == ""
    assert [p["pipeline"] for p in report["pipelines"]] == GOOD_CANDIDATES[1:3]
    assert report["pipelines"][0]["score"] == pytest.approx(0.1)
    assert list(report["features"]) == list(features.FEATURE_NAMES)
    assert report["feature_hash"] == features.FEATURE_HASH
    assert report["counts"]["functions_defined"] == 4


def test_predict_text(
    sources: dict[str, Path], good_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["predict", str(sources["c"]), "--model", str(good_model)], capsys)
    assert code == 0
    assert "instructions" in out and features.FEATURE_HASH in out
    assert f"  1  +0.1000  {GOOD_CANDIDATES[1]}" in out


def test_predict_bad_model_still_shows_features(
    sources: dict[str, Path], corrupt_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["predict", str(sources["bc"]), "--model", str(corrupt_model)], capsys)
    assert code == 1 and "instructions" in out and "not a valid ONNX model" in err


def test_predict_bad_inputs(
    tmp_path: Path, good_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.c"
    broken.write_text("int main( {")
    code, _, err = run(["predict", str(broken), "--model", str(good_model)], capsys)
    assert code == 1 and "clang" in err and "failed" in err
    junk = tmp_path / "junk.bc"
    junk.write_bytes(b"junk")
    code, _, err = run(["predict", str(junk), "--model", str(good_model)], capsys)
    assert code == 1 and "not a readable LLVM module" in err
    code, _, err = run(["predict", str(tmp_path / "x.txt"), "--model", str(good_model)], capsys)
    assert code == 1 and "expected a .c, .ll or .bc" in err


@pytest.mark.skipif(not LLVM19_SHARED_OBJECT.exists(), reason="needs Debian's llvm-19 LLVMgold.so")
def test_plugin_llvm_major_from_elf(tmp_path: Path) -> None:
    assert commands.llvm_major_of_plugin(LLVM19_SHARED_OBJECT) == 19
    other = tmp_path / "other.so"
    other.write_bytes(b"\x7fELF\0libLLVM.so.18.1\0")
    assert commands.llvm_major_of_plugin(other) in (18, None)  # readelf rejects the fake


def test_doctor_all_good(
    plugin: Path, good_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert LLVM19_SHARED_OBJECT.exists(), "llvm-19-dev provides the stand-in plugin"
    shutil.copy(LLVM19_SHARED_OBJECT, plugin)
    code, out, _ = run(["doctor", "--model", str(good_model)], capsys)
    assert "ok    clang: " in out and "ok    opt: " in out
    assert "ok    plugin: " in out and "LLVM 19" in out
    assert f"ok    python: {sys.executable}" in out
    assert "ok    onnxruntime: " in out and "ok    llvmlite: " in out
    assert f"feature hash {features.FEATURE_HASH}" in out and "4 candidates (4 allowed)" in out
    assert "cuda: " in out
    # A stand-in is no pass plugin: the real compile says so.
    assert "FAIL  compile: clang -Oz with the plugin failed" in out
    assert code == 1


@pytest.mark.parametrize("server", ["private", "off"])
def test_doctor_compiles_through_the_real_plugin(
    good_model: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    server: str,
) -> None:
    monkeypatch.setenv("LLMC_SERVER", str(tmp_path / "srv") if server == "private" else "off")
    code, out, _ = run(["doctor", "--model", str(good_model)], capsys)
    assert "ok    compile: clang -Oz with the plugin ranked 4, kept " in out, out
    if server == "private":
        assert "ok    server: the ranking server answered in " in out, out
    else:
        assert "info  server: ranked in-process: LLMC_SERVER=off" in out, out
    # pybridge importable from "/" depends on how the package is installed here.
    assert code == (1 if "FAIL  pybridge" in out else 0), out


def test_doctor_reports_each_problem(
    plugin: Path, corrupt_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["doctor", "--model", str(corrupt_model)], capsys)
    assert code == 1
    assert "FAIL  plugin: " in out and "does not exist" in out
    assert "FAIL  model: " in out and "not a valid ONNX model" in out
    assert "problem(s)" in out.splitlines()[-1]


def test_light_imports_stay_light() -> None:
    """`llmc flags` runs in every build: none of these may pull in the heavy packages."""
    code = (
        "import sys; import pybridge, pybridge.tools.commands, pybridge.advisor, "
        "pybridge.features, pybridge.allowlist, pybridge.model, pybridge.irreader; "
        "print(sorted(m for m in ('numpy', 'onnxruntime', 'llvmlite', 'onnx') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
