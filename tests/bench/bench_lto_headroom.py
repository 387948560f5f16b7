"""Link-time headroom: what each pipeline makes of a whole program under -flto.

On demand (slow: ``pytest -m slow tests/bench`` runs it). For each program
and target of ``bench_linked.py``, the objects are compiled once as a
full-LTO build compiles them (``-Oz -flto
-ffunction-sections -fdata-sections``: pre-link bitcode) and the program is
linked by lld with ``--gc-sections`` once per pipeline: ``lto<O2>`` (the
link's own, what clang asks for at ``-Oz``), ``default<Oz>`` and each entry
of the table (``pybridge/data/candidates.json``), the pipeline given to the
link as ``--lto-newpm-passes``. So each size is the text + data of the real
linked image, after lld merged the bitcode and internalized everything the
native objects and libraries do not reference (``main`` and little else),
with the link's own code generation: what ``llvm-link``, ``internalize``,
``opt`` and ``llc`` approximate, measured where it ships. (The pipeline
replaces LTO's whole optimization pipeline; llmc's trials run the candidate
and then the rest of LTO's pipeline, shielded.)

Then the program is linked once more with ``llmc flags --lto`` (no cache, a
decision log) and the row records llmc's image, its decision (winner,
candidates tried with their measured sizes, statuses and reasons, fallback,
notes) and, for each pipeline it measured, the image that pipeline gives: so
a pipeline llmc did not try, one it rejected and one whose measure disagrees
with the image can be told apart. Where an allowed entry's image is smaller
than llmc's, llmc links again with that entry as its only candidate, once
listed (does its own trial take it?) and once forced (its image when llmc
applies it). Exits 1 if llmc's image is larger than ``lto<O2>``'s.

usage: python tests/bench/bench_lto_headroom.py [--only NAME...] [--targets T...]
         [--json tests/bench/results/linked/lto-headroom.json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import bench_linked as bl

from pybridge import allowlist, options, toolchain
from pybridge.tools.commands import flags as llmc_flags

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "pybridge" / "data" / "candidates.json"
BASELINE = "lto<O2>"


def table() -> list[dict[str, Any]]:
    """The table's entries: id, pipeline, and why llmc refuses it (None: allowed)."""
    entries = json.loads(TABLE.read_text())["candidates"]
    return [
        {"id": e["id"], "pipeline": e["pipeline"], "refused": allowlist.check(e["pipeline"])}
        for e in entries
    ]


def compile_bitcode(program: bl.Program, target: str, work: Path) -> tuple[list[str], list[str]]:
    """The program's pre-link bitcode objects, and the link line's common flags."""
    cc, _, _ = bl.target_flags(target)
    common = [*cc, "-Oz", "-ffunction-sections", "-fdata-sections", "-w", "-flto"]
    common += program.cflags
    work.mkdir(parents=True)
    if program.headers:
        (work / "include").mkdir()
        for name, text in program.headers:
            (work / "include" / name).write_text(text)
        common.append(f"-I{work / 'include'}")
    objects = []
    for source in program.sources:
        obj = work / f"{source.stem}.o"
        subprocess.run([toolchain.tool("clang"), *common, "-c", str(source), "-o", str(obj)],
                       check=True, capture_output=True)  # fmt: skip
        objects.append(str(obj))
    return objects, common


def link(
    program: bl.Program,
    target: str,
    objects: list[str],
    common: list[str],
    image: Path,
    extra: list[str],
    env: dict[str, str] | None = None,
) -> float:
    """Links the image (lld, --gc-sections); returns the link's wall time."""
    _, start, end = bl.target_flags(target)
    cmd = [toolchain.tool("clang"), *common, "-fuse-ld=lld", *extra, *start, *objects,
           *program.libs, *end, "-Wl,--gc-sections", "-o", str(image)]  # fmt: skip
    began = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env, timeout=900)
    return time.perf_counter() - began


def lld_decision(log: Path) -> dict[str, Any] | None:
    """The link's decision from llmc's log (the last line with "tool":"lld")."""
    if not log.exists():
        return None
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    lld = [d for d in lines if d.get("tool") == "lld"]
    return lld[-1] if lld else None


def llmc_on(
    program: bl.Program,
    target: str,
    objects: list[str],
    common: list[str],
    work: Path,
    pipeline: str,
    force: bool,
) -> dict[str, Any]:
    """llmc's link with ``pipeline`` as its only candidate (list mode): whether
    its own trial takes it (``force``: applied whatever it measures), the
    sizes it measured, and the image."""
    work.mkdir()
    (work / "list").write_text(pipeline + "\n")
    (work / "server").mkdir(mode=0o700)
    env = options.plugin_env(
        CacheDir="off", Server=work / "server", Log=work / "log.jsonl",
        Pipelines=work / "list", Force=force,
    )  # fmt: skip
    flags = llmc_flags(toolchain.plugin_path(), lto=True)
    out: dict[str, Any] = {}
    try:
        link(program, target, objects, common, work / program.name, flags, env)
        out["image"] = bl.text_data(work / program.name)
    except (subprocess.SubprocessError, OSError) as err:
        out["error"] = bl.failure(err)
    if decision := lld_decision(work / "log.jsonl"):
        out["winner"] = decision.get("winner")
        out["baseline_size"] = (decision.get("baseline") or {}).get("size")
        out["candidates"] = decision.get("candidates")
        out["fallback"] = decision.get("fallback")
    return out


def measure(
    program: bl.Program,
    target: str,
    work: Path,
    entries: list[dict[str, Any]],
    link_candidates: int | None = None,
    known: dict[str, Any] | None = None,
) -> dict:
    """One program on one target: the image of every pipeline (or, from
    ``known``, a former run's row of it) and llmc's decision."""
    objects, common = compile_bitcode(program, target, work / "obj")
    work.mkdir(exist_ok=True)
    image = work / program.name
    sizes: dict[str, int | None] = dict(known["sizes"]) if known else {}
    errors: dict[str, str] = dict(known["errors"]) if known else {}
    times: dict[str, float] = dict(known["link_s"]) if known else {}
    for pipeline in [BASELINE, "default<Oz>", *(e["pipeline"] for e in entries)]:
        if pipeline in sizes:
            continue
        extra = [] if pipeline == BASELINE else ["-Xlinker", f"--lto-newpm-passes={pipeline}"]
        try:
            times[pipeline] = round(link(program, target, objects, common, image, extra), 2)
            sizes[pipeline] = bl.text_data(image)
        except (subprocess.SubprocessError, OSError) as err:
            sizes[pipeline] = None
            errors[pipeline] = bl.failure(err)
    if sizes[BASELINE] is None:
        raise RuntimeError(f"{BASELINE} does not link: {errors[BASELINE]}")
    # llmc's own decision, on the same objects.
    log = work / "llmc.jsonl"
    server = work / "server"
    server.mkdir(mode=0o700)
    env = options.plugin_env(CacheDir="off", Server=server, Log=log)
    if link_candidates is not None:
        env[options.env("LinkCandidates")] = str(link_candidates)
    flags = llmc_flags(toolchain.plugin_path(), lto=True)
    llmc_image: int | None = None
    llmc_error = ""
    try:
        llmc_s = round(link(program, target, objects, common, image, flags, env), 2)
        llmc_image = bl.text_data(image)
    except (subprocess.SubprocessError, OSError) as err:
        llmc_s, llmc_error = 0.0, bl.failure(err)
    decision = lld_decision(log)
    allowed = {e["pipeline"] for e in entries if e["refused"] is None}
    measured = {k: v for k, v in sizes.items() if v is not None}
    best = min(measured, key=lambda p: (measured[p], p != BASELINE))
    best_allowed = min(
        (p for p in measured if p in allowed or p in (BASELINE, "default<Oz>")),
        key=lambda p: (measured[p], p != BASELINE),
    )
    row: dict[str, Any] = {
        "program": program.name,
        "target": target,
        "lto_O2": sizes[BASELINE],
        "default_Oz": sizes["default<Oz>"],
        "best": best,
        "best_size": measured[best],
        "best_allowed": best_allowed,
        "best_allowed_size": measured[best_allowed],
        "llmc": llmc_image,
        "llmc_link_s": llmc_s,
        "sizes": sizes,
        "link_s": times,
        "errors": errors,
    }
    if llmc_error:
        row["llmc_error"] = llmc_error
    if llmc_image is not None and best_allowed != BASELINE and measured[best_allowed] < llmc_image:
        row["best_in_llmc"] = {
            how: llmc_on(program, target, objects, common, work / how, best_allowed, force)
            for how, force in (("listed", False), ("forced", True))
        }
    if decision:
        tried = decision.get("candidates", [])
        row["decision"] = {
            "winner": decision.get("winner"),
            "winner_size": decision.get("winner_size"),
            "baseline_size": (decision.get("baseline") or {}).get("size"),
            "fallback": decision.get("fallback"),
            "notes": decision.get("notes"),
            "candidates": [{**c, "image": sizes.get(c["pipeline"])} for c in tried],
        }
    return row


def pct(a: int | None, b: int | None) -> str:
    return "-" if a is None or not b else f"{100.0 * (a - b) / b:+.2f}%"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--only", nargs="*", help="these programs only (default: all)")
    parser.add_argument("--targets", nargs="*", default=list(bl.TARGET_NAMES))
    parser.add_argument(
        "--link-candidates",
        type=int,
        help="LLMC_LINK_CANDIDATES of llmc's links (default: its own)",
    )
    parser.add_argument(
        "--reuse", type=Path, help="a former report: its pipelines' images, not linked again"
    )
    args = parser.parse_args(argv)
    former = json.loads(args.reuse.read_text())["rows"] if args.reuse else []
    known = {(r["program"], r["target"]): r for r in former}
    entries = table()
    rows: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="llmc-headroom-") as tmp:
        for program in bl.programs():
            if args.only and program.name not in args.only:
                continue
            for target in args.targets:
                work = Path(tmp) / f"{program.name}-{target}"
                try:
                    row = measure(
                        program, target, work, entries, args.link_candidates,
                        known.get((program.name, target)),
                    )  # fmt: skip
                except (subprocess.SubprocessError, OSError, RuntimeError) as err:
                    why = bl.failure(err)
                    failures.append({"program": program.name, "target": target, "why": why})
                    print(f"{program.name}/{target}: not measured: {why}", flush=True)
                    continue
                rows.append(row)
                base = row["lto_O2"]
                best_id = next((e["id"] for e in entries if e["pipeline"] == row["best"]), "-")
                line = (
                    f"{program.name + '/' + target:28} lto<O2> {base}  default<Oz> "
                    f"{pct(row['default_Oz'], base)}  best {pct(row['best_size'], base)} "
                    f"(id {best_id})  llmc {pct(row['llmc'], base)}"
                )
                if "decision" in row:
                    line += f" ({row['decision']['winner']!r:.40} {row['llmc_link_s']} s)"
                print(line, flush=True)
    for target in args.targets:
        sel = [r for r in rows if r["target"] == target and r["llmc"] is not None]
        if not sel:
            continue
        base = sum(r["lto_O2"] for r in sel)
        print(
            f"total {target}: lto<O2> {base}, default<Oz> "
            f"{pct(sum(r['default_Oz'] or r['lto_O2'] for r in sel), base)}, best "
            f"{pct(sum(r['best_size'] for r in sel), base)}, best allowed "
            f"{pct(sum(r['best_allowed_size'] for r in sel), base)}, llmc "
            f"{pct(sum(r['llmc'] for r in sel), base)}"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        report = {
            "link_candidates": args.link_candidates,
            "table": [{k: e[k] for k in ("id", "pipeline", "refused")} for e in entries],
            "rows": rows,
            "failures": failures,
        }
        args.json.write_text(json.dumps(report, indent=1) + "\n")
    larger = [r for r in rows if r["llmc"] is not None and r["llmc"] > r["lto_O2"]]
    print(f"llmc's image larger than lto<O2>'s: {len(larger)}; not measured: {len(failures)}")
    return 1 if larger else 0


if __name__ == "__main__":
    sys.exit(main())
