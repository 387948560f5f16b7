"""``llmc eval``: the plugin against -Oz on held-out modules, in one run.

Per module, three compilations, all real ``clang-19 -Oz`` runs:

1. plain ``clang-19 -Oz -c`` (no plugin): the -Oz object, measured with llvm-size;
2. the plugin with the model (``LLMC_MODEL``, ``LLMC_CANDIDATES=K``, ``LLMC_LOG``):
   the object it really produces, and from its log the size of each ranked
   candidate, hence the result for every k <= K (min over the first k and -Oz);
3. the plugin in list mode over the whole table (``LLMC_PIPELINES``): the no-model
   list at each k (the k entries that do best together on the train split,
   :func:`pybridge.training.train.no_model_list`) and the table's oracle.

Every clang run passes the target's code-generation flags (``--target NAME``, from
:mod:`pybridge.targets`; clang would otherwise override the module's own triple
with the host's), so sizes are that target's objects. Several targets are
evaluated one after the other, each into ``OUT/<target>/``, then printed side by
side.

Plus the search's best, where the search covered the module. Reports geomean and
total size change against -Oz and the share of modules improved/equal/worse, for
each k, side by side; writes ``eval.json``, ``modules.csv``, ``summary.csv`` and
two PNG plots.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from pybridge import allowlist, decisionlog, options, targets, toolchain
from pybridge.training import cluster, trials
from pybridge.training import modules as mods
from pybridge.training import search as S
from pybridge.training import table as T

K_MAX = 8


def object_size(path: Path) -> int:
    """Berkeley text+data of an object file, as the plugin measures it."""
    out = subprocess.run(
        [toolchain.tool("llvm-size"), str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    text, data = out[1].split()[:2]
    return int(text) + int(data)


def bridge_path() -> str:
    """LLMC_PYTHONPATH for the plugin's isolated interpreter: this pybridge and its deps.

    An installed llmc finds both by itself; a development tree (plugin under build/)
    needs the repository root and this interpreter's site-packages spelled out.
    """
    import site

    if os.environ.get("LLMC_PYTHONPATH"):
        return os.environ["LLMC_PYTHONPATH"]
    return ":".join([str(toolchain.PACKAGE_DIR.parent), *site.getsitepackages()])


def table_trials(
    bitcode: str, pipelines: Sequence[str], timeout: int, codegen: Sequence[str] = ()
) -> trials.Batch:
    """The plugin's list mode over ``pipelines``, compiling for the target whose
    code-generation flags are ``codegen``."""
    return trials.plugin_evaluator(timeout, codegen)(bitcode, pipelines)


def compile_module(
    spec: mods.ModuleSpec,
    table: Sequence[str],
    model: str,
    k_max: int,
    timeout: int,
    target: str = targets.DEFAULT_TARGET,
) -> dict:
    """Dask task: the three compilations of one module (see the module docstring)."""
    clang = toolchain.tool("clang")
    codegen = targets.get(target).codegen
    row: dict = {"project": spec.project, "file": spec.file, "error": "", "target": target}
    with tempfile.TemporaryDirectory(prefix="llmc-eval-") as tmp:
        d = Path(tmp)
        try:
            subprocess.run(
                [clang, *codegen, "-Oz", "-c", spec.path, "-o", str(d / "oz.o")],
                check=True,
                capture_output=True,
                timeout=timeout * 4,
            )
            row["oz"] = object_size(d / "oz.o")
        except (subprocess.SubprocessError, OSError) as exc:
            row["error"] = f"-Oz: {exc}"[:300]
            return row
        # 2. the model, as a user would run it, K candidates
        log = d / "model.jsonl"
        # The plugin's own threshold, as shipped; no cached decision replayed.
        env = options.plugin_env(
            Log=log, Candidates=k_max, Timeout=timeout, CacheDir="off", Model=model or ""
        )
        env["LLMC_PYTHONPATH"] = bridge_path()
        start = time.monotonic()
        proc = subprocess.run(
            [
                clang,
                *codegen,
                "-Oz",
                f"-fpass-plugin={toolchain.plugin_path()}",
                "-c",
                spec.path,
                "-o",
                str(d / "llmc.o"),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout * (k_max + 3) + 60,
        )
        row["seconds_plugin"] = round(time.monotonic() - start, 3)
        if proc.returncode:
            row["error"] = f"plugin: exit {proc.returncode}: {proc.stderr.strip()[-200:]}"
            return row
        row["plugin_object"] = object_size(d / "llmc.o")
        records = decisionlog.read(log)
        if not records:
            row["error"] = "plugin: no decision logged"
            return row
        record = records[-1]
        row["plugin_baseline"] = record.baseline_size
        row["fallback"] = record.fallback
        row["model_pipelines"], row["model_sizes"] = model_trials(record)
        # 3. the whole table in list mode: oracle and no-model list
        if table:
            batch = table_trials(spec.path, list(table), timeout, codegen)
            row["table_sizes"] = [e.size if e.status == trials.OK else None for e in batch.results]
            if batch.error:
                row["error"] = f"table: {batch.error}"[:300]
    return row


def model_trials(record: decisionlog.Decision) -> tuple[list[str], list[int | None]]:
    """The candidates the plugin tried, in its order, and their sizes (None: failed)."""
    tried = record.tried
    return [c.pipeline for c in tried], [c.size if c.status == trials.OK else None for c in tried]


def best_of(base: int, sizes: Sequence[int | None], k: int) -> int:
    return min([base, *[s for s in sizes[:k] if s is not None]])


def methods(
    row: dict, k_max: int, search_best: int | None, list_order: Sequence[int] = ()
) -> dict[str, int]:
    """Size per method for one module; every method keeps -Oz when it is smaller.

    ``list_order``: the no-model list as table indices (default: the table's order).
    """
    base = row["oz"]
    out: dict[str, int] = {"oz": base}
    # The plugin measures -Oz itself: compare its candidates with its own baseline,
    # then scale nothing; they agree with plain -Oz (checked in the report).
    pbase = row.get("plugin_baseline") or base
    for k in range(1, k_max + 1):
        out[f"model_k{k}"] = best_of(pbase, row.get("model_sizes", []), k)
        if "table_sizes" in row:
            sizes = row["table_sizes"]
            listed = [sizes[i] for i in list_order] if list_order else sizes
            out[f"list_k{k}"] = best_of(pbase, listed, k)
    if "table_sizes" in row:
        out["oracle"] = best_of(pbase, row["table_sizes"], len(row["table_sizes"]))
    if "plugin_object" in row:
        out[f"plugin_object_k{k_max}"] = row["plugin_object"]
    if search_best is not None:
        out["search"] = min(pbase, search_best)
    return out


def summarize(per_module: Sequence[dict[str, int]]) -> dict[str, dict]:
    """method -> geomean/total change vs -Oz and improved/equal/worse shares."""
    names = sorted({k for m in per_module for k in m if k != "oz"})
    out = {}
    for name in names:
        pairs = [(m["oz"], m[name]) for m in per_module if name in m and m["oz"]]
        if not pairs:
            continue
        logs = [math.log(b / a) for a, b in pairs]
        n = len(pairs)
        out[name] = {
            "modules": n,
            "geomean_change_pct": round(100 * (math.exp(sum(logs) / n) - 1), 4),
            "total_change_pct": round(
                100 * (sum(b for _, b in pairs) / sum(a for a, _ in pairs) - 1), 4
            ),
            "improved": round(sum(b < a for a, b in pairs) / n, 4),
            "equal": round(sum(b == a for a, b in pairs) / n, 4),
            "worse": round(sum(b > a for a, b in pairs) / n, 4),
        }
    return out


def plot(
    out: Path,
    summary: dict[str, dict],
    per_module: Sequence[dict[str, int]],
    k_max: int,
    k_hist: int,
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for key, label in ((f"model_k{k_hist}", f"model, k={k_hist}"), ("oracle", "table oracle")):
        ratios = [m[key] / m["oz"] for m in per_module if key in m and m["oz"]]
        if ratios:
            ax.hist(ratios, bins=40, alpha=0.6, label=label)
    ax.axvline(1.0, color="k", lw=0.8)
    ax.set_xlabel("size / -Oz size (per module)")
    ax.set_ylabel("modules")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "ratios_hist.png", dpi=120)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 4))
    ks = list(range(1, k_max + 1))
    for prefix, label in (("model_k", "model"), ("list_k", "no-model list")):
        ys = [summary.get(f"{prefix}{k}", {}).get("geomean_change_pct") for k in ks]
        if any(y is not None for y in ys):
            ax.plot(ks, [math.nan if y is None else y for y in ys], marker="o", label=label)
    for key, label, style in (("oracle", "table oracle", "--"), ("search", "search best", ":")):
        if key in summary:
            ax.axhline(summary[key]["geomean_change_pct"], ls=style, color="gray", label=label)
    ax.axhline(0.0, color="k", lw=0.8)
    ax.set_xlabel("k (candidates tried)")
    ax.set_ylabel("geomean size change vs -Oz (%)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "reduction_vs_k.png", dpi=120)
    plt.close(fig)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--target",
        action="append",
        metavar="NAME",
        help=f"evaluate on this target's modules (repeatable or a comma list; one of "
        f"{', '.join(targets.TARGETS)}; default {targets.DEFAULT_TARGET})",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="llmc corpus's work dir: its modules[-TARGET]/ and manifest[-TARGET].csv "
        f"(default: {mods.DEFAULT_CORPUS} and the committed manifest for "
        f"{targets.DEFAULT_TARGET}, {toolchain.WORK_DIR}/modules-TARGET and "
        "manifest-TARGET.csv for the others)",
    )
    parser.add_argument("--corpus", type=Path, help="modules dir (one target only)")
    parser.add_argument("--manifest", type=Path, help="manifest.csv (one target only)")
    parser.add_argument("--split-file", type=Path, default=mods.DEFAULT_SPLIT)
    parser.add_argument("--split", nargs="*", default=["test"])
    parser.add_argument("--projects", nargs="*")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--model", default="", help="default: the shipped model")
    parser.add_argument("--candidates", type=Path, default=T.CANDIDATES_FILE)
    parser.add_argument("--results", type=Path, help="llmc search --out DIR, for search best")
    parser.add_argument(
        "--searched-only",
        action="store_true",
        help="only modules the search covered (so every line has them all)",
    )
    parser.add_argument(
        "--dataset",
        type=Path,
        default=mods.DATASET_DIR,
        help="its labels.parquet names the modules trained on (excluded)",
    )
    parser.add_argument("--k-max", type=int, default=K_MAX)
    parser.add_argument("--no-table", action="store_true", help="skip the oracle/list pass")
    parser.add_argument("--timeout", type=int, default=60)
    parser.add_argument("--out", type=Path, default=Path("eval-out"))
    parser.add_argument("--scheduler")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.set_defaults(func=main)


def main(args: argparse.Namespace, client=None) -> int:
    try:
        chosen = targets.parse(args.target)
    except ValueError as err:
        print(f"llmc eval: {err}", file=sys.stderr)
        return 2
    if len(chosen) > 1 and (args.corpus or args.manifest):
        print(
            "llmc eval: --corpus/--manifest name one target's files; use --workdir", file=sys.stderr
        )
        return 2
    missing = [t.name for t in chosen if not t.headers_installed()]
    if missing:
        # Bitcode needs no headers, but a target clang cannot use here is still named.
        print(f"llmc eval: note: no C headers for {', '.join(missing)}", file=sys.stderr)
    own = client is None
    if own:
        client = cluster.make_client(args.scheduler, args.workers)
    reports: dict[str, dict] = {}
    status = 0
    try:
        for target in chosen:
            out = args.out / target.name if len(chosen) > 1 else args.out
            report = evaluate_target(args, target.name, out, client)
            if report is None:
                status = 2
            else:
                reports[target.name] = report
    finally:
        if own:
            client.close()
    if len(reports) > 1:
        table = side_by_side(reports)
        (args.out / "targets.md").write_text(table)
        print(table)
    return status


KS_SIDE_BY_SIDE = (1, 2, 3, 4)


def change_cell(method: dict | None) -> str:
    """A :func:`summarize` entry as a table cell: geomean / total change against -Oz."""
    if not method:
        return "-"
    return f"{method['geomean_change_pct']:+.2f}% / {method['total_change_pct']:+.2f}%"


def side_by_side(reports: dict[str, dict]) -> str:
    """One markdown table: per target, model / no-model list / table oracle at k=1..4,
    geomean and total change against that target's own -Oz."""

    def cell(report: dict, name: str) -> str:
        return change_cell(report["methods"].get(name))

    names = list(reports)
    lines = [
        "| k | " + " | ".join(f"{t}: model | {t}: list" for t in names) + " |",
        "|---:|" + "---:|---:|" * len(names),
    ]
    for k in KS_SIDE_BY_SIDE:
        cells = [
            c
            for t in names
            for c in (cell(reports[t], f"model_k{k}"), cell(reports[t], f"list_k{k}"))
        ]
        lines.append(f"| {k} | " + " | ".join(cells) + " |")
    # The oracle spans both columns of a target; modules: those with a non-empty -Oz object.
    oracle = [c for t in names for c in (cell(reports[t], "oracle"), "")]
    counts = [str(reports[t]["methods"].get("model_k1", {}).get("modules", 0)) for t in names]
    lines.append("| oracle | " + " | ".join(oracle) + " |")
    lines.append("| modules | " + " | ".join(c for n in counts for c in (n, "")) + " |")
    return "\n".join(lines) + "\n\ngeomean / total size change against the target's own -Oz\n"


def evaluate_target(args: argparse.Namespace, target: str, out: Path, client) -> dict | None:
    """One target's evaluation into ``out`` (the report, or None: nothing to evaluate)."""
    start = time.monotonic()
    corpus = args.corpus or mods.corpus_for(target, args.workdir)
    manifest = args.manifest or mods.manifest_for(target, args.workdir)
    if not manifest.is_file():
        print(
            f"llmc eval: no manifest {manifest} for {target} (llmc corpus build --target {target})",
            file=sys.stderr,
        )
        return None
    specs = mods.load_modules(
        corpus,
        manifest,
        projects=args.projects,
        splits=args.split or None,
        split_file=args.split_file,
        seed=args.seed,
        target=target,
    )
    search_best: dict[str, int] = {}
    if args.results:
        for r in S.load_checkpoints(args.results):
            if r.get("best_size"):
                search_best[f"{r['project']}/{r['file']}"] = r["best_size"]
    # The split is recomputed from a growing corpus until split.json is committed:
    # never evaluate a module the model was trained or selected on.
    trained: set[str] = set()
    labels = args.dataset / "labels.parquet"
    if labels.exists():
        trained = {
            f"{r['project']}/{r['file']}"
            for r in T.load_labels(labels)
            if r["split"] in ("train", "valid")
        }
    seen_projects: set[str] = set()
    if args.candidates.exists():
        chosen_under = json.loads(args.candidates.read_text()).get("split", {})
        seen_projects = {p for name in ("train", "valid") for p in chosen_under.get(name, [])}
    leaked = [s for s in specs if s.key in trained or s.project in seen_projects]
    specs = [s for s in specs if s.key not in trained and s.project not in seen_projects]
    if args.searched_only:  # the modules where the search line is defined
        specs = [s for s in specs if s.key in search_best]
    specs = specs[: args.limit] if args.limit else specs
    if not specs:
        print(f"llmc eval: no {target} module to evaluate in {manifest}", file=sys.stderr)
        return None
    table = (
        [] if args.no_table or not args.candidates.exists() else trials.table_of(args.candidates)
    )
    rows = cluster.run_tasks(
        client,
        compile_module,
        specs,
        table,
        args.model,
        args.k_max,
        args.timeout,
        target,
        desc=f"eval {target}",
    )
    good = [r for r in rows if not r["error"] or ("oz" in r and "plugin_object" in r)]
    list_order: list[int] = list(range(len(table)))
    if table and labels.exists() and T.label_pipelines(labels) == table:
        from pybridge.training.train import no_model_list

        list_order = no_model_list(labels, args.candidates)
    # As the plugin does: an entry the allow-list now refuses takes no place.
    list_order = [i for i in list_order if allowlist.check(table[i]) is None]
    per_module = [
        methods(r, args.k_max, search_best.get(f"{r['project']}/{r['file']}"), list_order)
        for r in good
    ]
    summary = summarize(per_module)
    mismatched = [r for r in good if r.get("plugin_baseline") not in (None, r["oz"])]
    report = {
        "modules": len(specs),
        "evaluated": len(good),
        "errors": len(rows) - len(good),
        "error_examples": [r["error"] for r in rows if r["error"]][:5],
        "fallbacks": sum(bool(r.get("fallback")) for r in good),
        "fallback_reasons": dict(
            Counter(r.get("fallback", "") for r in good if r.get("fallback")).most_common(5)
        ),
        "plugin_baseline_differs_from_plain_Oz": len(mismatched),
        "split": args.split,
        "target": target,
        "target_flags": list(targets.get(target).codegen),
        "corpus": str(corpus),
        "manifest": str(manifest),
        "k_max": args.k_max,
        "table": len(table),
        "no_model_list": list_order,
        "refused_entries": [i for i, p in enumerate(table) if allowlist.check(p) is not None],
        "excluded_as_trained_on": len(leaked),
        "model": args.model or str(toolchain.DEFAULT_MODEL),
        "methods": summary,
        "seconds": round(time.monotonic() - start, 1),
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "eval.json").write_text(json.dumps(report, indent=1) + "\n")
    # Every measured row, so that a summary can be recomputed without the plugin.
    (out / "rows.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    columns = sorted({k for m in per_module for k in m})
    with (out / "modules.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["project", "file", "fallback", *columns])
        for r, m in zip(good, per_module, strict=True):
            w.writerow(
                [r["project"], r["file"], r.get("fallback", ""), *[m.get(c, "") for c in columns]]
            )
    with (out / "summary.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "method",
                "modules",
                "geomean_change_pct",
                "total_change_pct",
                "improved",
                "equal",
                "worse",
            ]
        )
        for name, s in summary.items():
            w.writerow([name, *s.values()])
    if per_module:
        plot(out, summary, per_module, args.k_max, min(4, args.k_max))
    print(json.dumps(report, indent=1))
    return report
