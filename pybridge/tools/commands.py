"""The small ``llmc`` commands: plugin-path, flags, predict, doctor.

Each ``configure_*`` adds its arguments and sets ``func``; heavy imports
(numpy, llvmlite, onnxruntime) happen inside the command, so ``llmc flags``,
which every build runs, stays a plain-Python start-up.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from pybridge import decisionlog, options, toolchain

FLAGS_EPILOG = """\
clang only accepts -mllvm options of a plugin that is also loaded with
-Xclang -load, so llmc's options reach the plugin through LLMC_* environment
variables instead, for example LLMC_MODEL=path/to/model.onnx,
LLMC_CANDIDATES=4 or LLMC_LOG=decisions.jsonl (see plugin/Options.def).

--lto prints one string for both the compile and the link line of a full-LTO
build (CFLAGS="-Oz -flto $(llmc flags --lto)" LDFLAGS="$(llmc flags --lto)"):
-fpass-plugin for the compiles (which then leave the bitcode exactly as plain
clang's) and, for the link, lld (-fuse-ld=lld) loading the plugin
(-Wl,--load-pass-plugin), where llmc decides the merged module's pipeline. The
link-only flags sit inside --start-no-unused-arguments, so -Werror compiles
stay clean. GNU ld and gold cannot load pass plugins: with them, LTO builds
get no link-time decision.
"""


def flags(plugin: Path, lto: bool = False) -> list[str]:
    """What a build adds to CFLAGS (and, with lto, to LDFLAGS) to use llmc."""
    out = [f"-fpass-plugin={plugin}"]
    if lto:
        out += ["--start-no-unused-arguments", "-fuse-ld=lld"]
        out += [f"-Wl,--load-pass-plugin={plugin}", "--end-no-unused-arguments"]
    return out


def _error(message: str) -> None:
    print(f"llmc: {message}", file=sys.stderr)


# --- plugin-path ----------------------------------------------------------------


def configure_plugin_path(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(func=_plugin_path)


def _plugin_path(args: argparse.Namespace) -> int:
    return _print_for_plugin(lambda path: [str(path)])


def _print_for_plugin(render: Callable[[Path], list[str]]) -> int:
    """Prints what render makes of the plugin's path; 1 if there is no plugin there."""
    path = toolchain.plugin_path()
    print(" ".join(render(path)))
    if not path.is_file():
        _error(f"{path} does not exist: build or install llmc first")
        return 1
    return 0


# --- flags ----------------------------------------------------------------------


def configure_flags(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = FLAGS_EPILOG
    parser.add_argument(
        "--lto", action="store_true", help="flags for compile and link lines of a -flto build"
    )
    parser.set_defaults(func=_flags)


def _flags(args: argparse.Namespace) -> int:
    return _print_for_plugin(lambda path: flags(path, lto=args.lto))


# --- predict --------------------------------------------------------------------


def configure_predict(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="a .c, .ll or .bc file")
    parser.add_argument("--model", default="", help="ranker .onnx (default: the shipped one)")
    parser.add_argument("-k", type=int, default=4, help="how many allowed candidates (default 4)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--cflag",
        action="append",
        default=[],
        metavar="FLAG",
        help="extra clang flag for .c files (repeatable, e.g. --cflag=-Iinclude)",
    )
    parser.set_defaults(func=_predict)


def load_bitcode(path: Path, cflags: list[str] | None = None) -> bytes:
    """The file as LLVM 19 bitcode, in the form the plugin sees it (before any pass).

    Raises ``RuntimeError`` quoting the failing command.
    """
    suffix = path.suffix.lower()
    if suffix == ".bc":
        return path.read_bytes()
    if suffix == ".ll":
        command = [toolchain.tool("llvm-as"), str(path), "-o", "-"]
    elif suffix in (".c", ".i"):
        command = [
            toolchain.tool("clang"),
            *toolchain.FRONTEND_FLAGS,
            "-c",
            *(cflags or []),
            "-o",
            "-",
            str(path),
        ]
    else:
        raise RuntimeError(f"{path}: expected a .c, .ll or .bc file")
    result = subprocess.run(command, capture_output=True, check=False)
    if result.returncode != 0:
        detail = result.stderr.decode(errors="replace").strip().splitlines()
        raise RuntimeError(
            f"{' '.join(command)} failed ({result.returncode}): {detail[0] if detail else ''}"
        )
    return result.stdout


# Counts shown by predict: a summary, the full vector is in --json.
SUMMARY = (
    "instructions",
    "basic_blocks",
    "functions_defined",
    "functions_declared",
    "globals",
    "calls",
    "back_edges",
    "switch_cases",
    "string_bytes",
)


def _predict(args: argparse.Namespace) -> int:
    from pybridge import features, irreader
    from pybridge.advisor import rank_module
    from pybridge.model import ModelError

    if args.k < 1:
        _error("-k must be at least 1")
        return 2
    try:
        bitcode = load_bitcode(args.file, args.cflag)
        counts = irreader.read(bitcode)
    except (OSError, RuntimeError, irreader.IRError) as exc:
        _error(str(exc))
        return 1
    vector = features.from_counts(counts)
    report: dict = {
        "file": str(args.file),
        "counts": {name: getattr(counts, name) for name in SUMMARY},
        "feature_hash": features.FEATURE_HASH,
        "features": {
            n: round(float(v), 6) for n, v in zip(features.FEATURE_NAMES, vector, strict=True)
        },
    }
    status = 0
    try:
        ranked, _ = rank_module(bitcode, args.k, args.model)
        report.update(
            model_id=ranked.model_id,
            pipelines=[
                {"pipeline": p, "score": s}
                for p, s in zip(ranked.pipelines, ranked.scores, strict=True)
            ],
            rejected=[{"pipeline": p, "reason": r} for p, r in ranked.rejected],
            error="" if ranked.pipelines else "no candidate passed the allow-list",
        )
    except (ModelError, irreader.IRError) as exc:
        report.update(model_id="", pipelines=[], rejected=[], error=str(exc))
    if report["error"]:
        status = 1

    if args.json:
        print(json.dumps(report, indent=2))
        return status
    print(f"{args.file}: " + ", ".join(f"{k} {v}" for k, v in report["counts"].items()))
    print(f"features: {len(vector)} (hash {features.FEATURE_HASH})")
    if report["error"]:
        _error(report["error"])
        return status
    print(f"model {report['model_id']}: best {len(report['pipelines'])} of the allowed candidates")
    for rank, entry in enumerate(report["pipelines"], 1):
        print(f"{rank:3d}  {entry['score']:+.4f}  {entry['pipeline']}")
    for entry in report["rejected"]:
        print(f"  rejected: {entry['pipeline'][:60]}: {entry['reason']}")
    return status


# --- doctor ---------------------------------------------------------------------


def configure_doctor(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model", default="", help="ranker .onnx to check (default: the shipped one)"
    )
    parser.set_defaults(func=_doctor)


def llvm_major_of_tool(name: str) -> int | None:
    """Major version that ``<tool> --version`` reports, or None."""
    try:
        out = subprocess.run(
            [toolchain.tool(name), "--version"], capture_output=True, text=True, check=False
        ).stdout
    except (FileNotFoundError, OSError):
        return None
    match = re.search(r"(?:LLVM|clang) version (\d+)", out)
    return int(match.group(1)) if match else None


def llvm_major_of_plugin(path: Path) -> int | None:
    """The LLVM major a shared object was linked for: its DT_NEEDED libLLVM, else the
    ``@LLVM_<major>`` versions of the symbols it imports (Debian versions them)."""
    readelf = shutil.which("readelf") or shutil.which(f"llvm-readelf-{toolchain.LLVM_MAJOR}")
    if readelf:
        dynamic = subprocess.run(
            [readelf, "-d", "-W", str(path)], capture_output=True, text=True
        ).stdout
        match = re.search(r"\[libLLVM(?:-|\.so\.)(\d+)", dynamic)
        if match:
            return int(match.group(1))
        symbols = subprocess.run(
            [readelf, "--dyn-syms", "-W", str(path)], capture_output=True, text=True
        ).stdout
        majors = set(re.findall(r"@LLVM_(\d+)", symbols))
        return int(majors.pop()) if len(majors) == 1 else None
    # No readelf: the strings are in .dynstr; good enough for a diagnosis.
    data = path.read_bytes()
    found = re.search(rb"libLLVM(?:-|\.so\.)(\d+)", data) or re.search(rb"LLVM_(\d+)\.\d", data)
    return int(found.group(1)) if found else None


def python_of_bridge(path: Path) -> str | None:
    """The ``X.Y`` of the libpython the plugin's bridge library links."""
    match = re.search(rb"libpython(\d+\.\d+)", path.read_bytes())
    return match.group(1).decode() if match else None


_PROBE_C = """
int probe(int *a, int n) {
  int s = 0;
  for (int i = 0; i < n; ++i)
    s += a[i] * (i & 3 ? 3 : 5);
  return s;
}
"""


def _check_round_trip(
    plugin: Path, model: str, ok: Callable, bad: Callable, info: Callable
) -> None:
    """One real compile through the plugin, as a build does: who ranked, what won."""
    with tempfile.TemporaryDirectory(prefix="llmc-doctor-") as tmp:
        source, log = Path(tmp) / "probe.c", Path(tmp) / "log.jsonl"
        source.write_text(_PROBE_C)
        # The user's own settings, as a build sees them, but this function
        # decided however small, logged, and never from the cache.
        env = {
            **os.environ,
            **options.plugin_env({}, Log=log, CacheDir="off", MinInstructions=0),
        }
        if model:
            env[options.env("Model")] = model
        command = [toolchain.tool("clang"), "-Oz", f"-fpass-plugin={plugin}", "-c"]
        run = subprocess.run(
            [*command, str(source), "-o", str(Path(tmp) / "probe.o")],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        records = decisionlog.read(log)
    if run.returncode != 0 or len(records) != 1:
        why = (run.stderr.strip().splitlines() or [f"exit status {run.returncode}"])[-1]
        bad("compile", f"clang -Oz with the plugin failed: {why}")
        return
    record = records[0]
    if record.source != "model" or (record.fallback and not record.tried):
        bad("compile", f"the model gave no candidates: {record.fallback}")
        return
    outcome = record.winner or f"-Oz ({record.fallback})"
    refused = len(record.candidates) - len(record.tried)
    ranked = f"{len(record.tried)}" + (f" ({refused} refused)" if refused else "")
    ok("compile", f"clang -Oz with the plugin ranked {ranked}, kept {outcome}")
    if record.ranker == "server":
        ok("server", f"the ranking server answered in {record.micros['rank'] / 1000:.1f} ms")
        return
    # The plugin's notes on the server start so ("ranking server unavailable
    # (...)", "ranking server: DIR is not a private directory ..."); the
    # others are about trials or targets.
    why = "; ".join(n for n in record.notes if n.startswith("ranking server"))
    if not why:
        off = os.environ.get("LLMC_SERVER") == "off"
        why = "LLMC_SERVER=off" if off else "a language model (LLMC_LM) ranks in-process"
    info("server", f"ranked in-process: {why}")


def _doctor(args: argparse.Namespace) -> int:
    problems: list[str] = []

    def ok(what: str, detail: str) -> None:
        print(f"ok    {what}: {detail}")

    def bad(what: str, detail: str) -> None:
        print(f"FAIL  {what}: {detail}")
        problems.append(what)

    def info(what: str, detail: str) -> None:
        print(f"info  {what}: {detail}")

    want = toolchain.LLVM_MAJOR
    for name in ("clang", "opt"):
        major = llvm_major_of_tool(name)
        if major == want:
            ok(name, f"{toolchain.tool(name)} is LLVM {major}")
        else:
            bad(name, f"{name}-{want} not found or not LLVM {want} (got {major})")

    plugin = toolchain.plugin_path()
    if not plugin.is_file():
        bad("plugin", f"{plugin} does not exist (build it, or set LLMC_PLUGIN)")
    else:
        major = llvm_major_of_plugin(plugin)
        if major == want:
            ok("plugin", f"{plugin} is built for LLVM {major}")
        elif major is None:
            info("plugin", f"{plugin} present; its LLVM major could not be read")
        else:
            bad("plugin", f"{plugin} is built for LLVM {major}, clang/opt are LLVM {want}")

    ok("python", f"{sys.executable} {sys.version.split()[0]}")
    bridge = plugin.parent / "libllmc_python.so"
    if bridge.is_file():
        wanted = f"{sys.version_info.major}.{sys.version_info.minor}"
        linked = python_of_bridge(bridge)
        if linked is None or linked == wanted:
            ok("bridge", f"{bridge} embeds Python {linked or '(unknown)'}")
        else:
            bad("bridge", f"{bridge} embeds Python {linked}, this is Python {wanted}")
    # Import from a neutral directory: an embedded or -c Python puts the cwd on
    # sys.path, and a pybridge/ or numpy.py in the build tree must not win.
    probe = subprocess.run(
        [sys.executable, "-c", "import pybridge; print(pybridge.__file__)"],
        capture_output=True,
        text=True,
        cwd="/",
        check=False,
    )
    here = str(Path(__file__).resolve().parents[1] / "__init__.py")
    found = probe.stdout.strip()
    if probe.returncode != 0:
        bad(
            "pybridge",
            f"not importable by {sys.executable} outside this directory (pip install llmc)",
        )
    elif found != here:
        info("pybridge", f"{sys.executable} imports {found}, this is {here}")
    else:
        ok("pybridge", f"importable: {found}")

    try:
        import onnxruntime as ort

        providers = ort.get_available_providers()
        ok("onnxruntime", f"{ort.__version__}, providers {', '.join(providers)}")
    except ImportError as exc:
        bad("onnxruntime", f"not importable: {exc}")
        providers = []
    try:
        import llvmlite
        import llvmlite.binding as llvm

        ok(
            "llvmlite",
            f"{llvmlite.__version__} (reads bitcode with LLVM {llvm.llvm_version_info[0]})",
        )
    except ImportError as exc:
        bad("llvmlite", f"not importable: {exc}")

    if providers:
        from pybridge import allowlist, features
        from pybridge.model import ModelError, load_model

        model_path = args.model or str(toolchain.DEFAULT_MODEL)
        try:
            model = load_model(model_path)
        except ModelError as exc:
            bad("model", str(exc))
        else:
            allowed = sum(allowlist.check(c) is None for c in model.candidates)
            ok(
                "model",
                f"{model_path}: kind ranker, id {model.model_id}, "
                f"{len(model.candidates)} candidates ({allowed} allowed), "
                f"feature hash {model.feature_hash} = {features.FEATURE_HASH}",
            )
            if allowed == 0:
                bad("model", "no candidate of the model passes the allow-list")
            if model.provider == "CUDAExecutionProvider":
                ok("cuda", "the ranker runs on CUDA")
            elif "CUDAExecutionProvider" in providers:
                info("cuda", "CUDA provider installed but not usable here (no GPU?): using CPU")
            else:
                info("cuda", "no CUDA provider: using CPU")

    if plugin.is_file():
        _check_round_trip(plugin, args.model, ok, bad, info)

    if problems:
        print(f"{len(problems)} problem(s): {', '.join(problems)}")
        return 1
    print("all checks passed")
    return 0
