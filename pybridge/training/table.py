"""``llmc table``: choose the candidate table and label every module with it.

1. Pool: the few smallest pipelines the search found for each TRAIN module, plus
   the standard levels.
2. Cross-evaluation: every pool pipeline on (a sample of) the train modules,
   through the plugin, so each pipeline has a size on each module.
3. Greedy coverage (as Coreset-NVP): repeatedly add the pipeline that most
   reduces  sum over modules of min(size over chosen and -Oz) / -Oz size,  until
   ``--size`` entries or no gain.
4. Labels: every table entry on every module of the dataset (train, valid and
   test, searched or not), a second pass through the plugin: the training
   targets and the evaluation's oracle.

All plugin runs are Dask tasks, cached per module under ``RESULTS/table/``, and
reuse whatever the search already measured: a rerun only evaluates missing pairs.
Writes ``pybridge/data/candidates.json`` and ``pybridge/data/dataset/labels.parquet``.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from pybridge.targets import DEFAULT_TARGET
from pybridge.training import cluster, trials
from pybridge.training import modules as mods
from pybridge.training import search as S
from pybridge.training import vocabulary as V

CANDIDATES_FILE = trials.CANDIDATES_FILE
TABLE_SIZE = 64
PIPELINES_KEY = "llmc.pipelines"  # labels.parquet metadata: the table, in column order
TARGET_KEY = "llmc.target"  # labels.parquet metadata: the target the sizes were measured on


# --------------------------------------------------------------------------- measuring


def cache_path(results: Path, spec: mods.ModuleSpec) -> Path:
    return results / "table" / spec.project / f"{spec.file}.json"


def same_module(record: dict, spec: mods.ModuleSpec) -> bool:
    """Whether a cached record measured this module (records name its sha256; older
    ones, without, are taken as they are)."""
    return record.get("sha256") in (None, "", spec.sha256)


def cached_sizes(spec: mods.ModuleSpec, results: Path) -> dict:
    """The measuring cache of one module, empty if it measured another module."""
    cache = cache_path(results, spec)
    cached = json.loads(cache.read_text()) if cache.exists() else {}
    if not cached or not same_module(cached, spec):
        cached = {"baseline": None, "sizes": {}}
    cached["sha256"] = spec.sha256
    return cached


def known_sizes(results: Path, spec: mods.ModuleSpec) -> dict:
    """What is already measured on a module: {"baseline": int|None, "sizes": {p: int|None}}."""
    known: dict = {"baseline": None, "sizes": {}}
    search_file = S.checkpoint_path(results, spec)
    record = json.loads(search_file.read_text()) if search_file.exists() else {}
    if record and same_module(record, spec):
        known["baseline"] = record.get("baseline_size")
        known["sizes"] = {
            p: size for p, status, size in record["evaluations"] if status != "failed"
        }
    data = cached_sizes(spec, results)
    known["baseline"] = known["baseline"] or data.get("baseline")
    known["sizes"].update(data["sizes"])
    return known


def measure_module(
    spec: mods.ModuleSpec,
    pipelines: Sequence[str],
    results: str,
    batch: int,
    timeout: int,
    evaluate: trials.Evaluator | None = None,
    codegen: tuple[str, ...] = (),
) -> dict:
    """Dask task: sizes of ``pipelines`` on one module (cached; only missing ones run);
    ``codegen``: the module's target's flags."""
    root = Path(results)
    known = known_sizes(root, spec)
    missing = [p for p in dict.fromkeys(pipelines) if p not in known["sizes"]]
    error = ""
    if missing or known["baseline"] is None:
        evaluate = evaluate or trials.plugin_evaluator(timeout, codegen)
        cache = cache_path(root, spec)
        cached = cached_sizes(spec, root)
        todo = missing or [trials.BASELINE]  # at least one run, for the baseline
        for i in range(0, len(todo), batch):
            got = evaluate(spec.path, todo[i : i + batch])
            error = error or got.error
            cached["baseline"] = cached["baseline"] or got.baseline
            for ev in got.results:
                if ev.status != "failed":  # the process failed, not the pipeline: retry later
                    cached["sizes"][ev.pipeline] = ev.size if ev.status == trials.OK else None
            S.write_json_atomic(cache, cached)  # per batch: a stopped run loses one batch
        known["baseline"] = known["baseline"] or cached["baseline"]
        known["sizes"].update(cached["sizes"])
    return {
        "key": spec.key,
        "baseline": known["baseline"],
        "sizes": {p: known["sizes"].get(p) for p in pipelines},
        "error": error,  # the first plugin run's failure, if any (one line)
    }


def measure(
    specs: Sequence[mods.ModuleSpec],
    pipelines: Sequence[str],
    results: Path,
    *,
    client=None,
    batch: int = 32,
    timeout: int = 60,
    desc: str = "measure",
    evaluate: trials.Evaluator | None = None,
    time_limit: float | None = None,
    codegen: tuple[str, ...] = (),
) -> dict[str, dict]:
    """key -> {"baseline", "sizes"} for every module; on Dask when a client is given."""
    if client is None:
        out = [
            measure_module(s, pipelines, str(results), batch, timeout, evaluate, codegen)
            for s in specs
        ]
    else:
        out = cluster.run_tasks(
            client,
            measure_module,
            specs,
            list(pipelines),
            str(results),
            batch,
            timeout,
            None,
            codegen,
            desc=desc,
            time_limit=time_limit,
        )
    return {r["key"]: r for r in out}


# --------------------------------------------------------------------------- choosing


def pool_from_search(records: Sequence[dict], per_module: int, limit: int) -> list[str]:
    """Each module's ``per_module`` smallest pipelines that beat -Oz, plus the seeds.

    When there are more than ``limit``, keep those with the largest gain on their own
    module: they are the likeliest to carry over.
    """
    gains: dict[str, float] = {}
    for r in records:
        base = r.get("baseline_size")
        if not base:
            continue
        ok = sorted(
            (size, len(p), p) for p, _, size in r["evaluations"] if size is not None and size < base
        )
        for size, _, p in ok[:per_module]:
            gains[p] = max(gains.get(p, 0.0), 1 - size / base)
    seeds = [V.render(seed) for seed in V.seeds(V.vocabulary())]  # generic by construction
    pool = sorted(gains, key=lambda p: (-gains[p], len(p), p))
    return list(dict.fromkeys([*seeds, *pool]))[:limit]


def greedy_cover(
    ratios: list[list[float]], size: int, forced: Sequence[int] = ()
) -> tuple[list[int], list[float]]:
    """Coreset-NVP greedy: column indices, best first, and the objective after each.

    ``ratios[m][p]`` is size/-Oz size of pipeline p on module m (1.0 when unknown or
    failed, so an untested pipeline never looks good). The objective is
    sum_m min(1, min over chosen p of ratios[m][p]), lower is better. ``forced``
    columns come first, in their order, whatever they add (an extended table keeps
    its entries); the greedy fills the rest up to ``size`` in all.
    """
    import numpy as np

    r = np.minimum(np.asarray(ratios, dtype=np.float64), 1.0)
    current = np.ones(r.shape[0])
    chosen: list[int] = []
    objective: list[float] = []
    for f in forced:
        chosen.append(f)
        current = np.minimum(current, r[:, f])
        objective.append(float(current.sum()))
    for _ in range(min(size, r.shape[1]) - len(chosen)):
        totals = np.minimum(r, current[:, None]).sum(axis=0)
        totals[chosen] = np.inf
        best = int(np.argmin(totals))
        if totals[best] >= current.sum() - 1e-12:
            break  # nothing left improves any module
        chosen.append(best)
        current = np.minimum(current, r[:, best])
        objective.append(float(current.sum()))
    return chosen, objective


def ratio_matrix(
    measured: dict[str, dict], keys: Sequence[str], pipelines: Sequence[str]
) -> list[list[float]]:
    rows = []
    for key in keys:
        m = measured[key]
        base = m["baseline"]
        rows.append(
            [m["sizes"][p] / base if base and m["sizes"].get(p) else 1.0 for p in pipelines]
        )
    return rows


def assign_ids(pipelines: Sequence[str], previous: Path) -> list[dict]:
    """Stable ids: a pipeline keeps its id across tables; a new one gets a fresh id."""
    ids: dict[str, int] = {}
    if previous.exists():
        old = json.loads(previous.read_text())
        for c in [*old.get("candidates", []), *old.get("retired", [])]:
            ids[c["pipeline"]] = int(c["id"])
    next_id = max(ids.values(), default=-1) + 1
    out = []
    for p in pipelines:
        if p not in ids:
            ids[p] = next_id
            next_id += 1
        out.append({"id": ids[p], "pipeline": p})
    return out


# --------------------------------------------------------------------------- reporting


def kept_share(rows: Sequence[dict]) -> dict:
    """How much of the search's gain over -Oz the table keeps, over searched modules."""
    searched = [r for r in rows if r["search_best"] and r["baseline_size"]]
    if not searched:
        return {"modules": 0}
    gain_search = sum(
        r["baseline_size"] - min(r["search_best"], r["baseline_size"]) for r in searched
    )
    gain_table = sum(r["baseline_size"] - table_best(r) for r in searched)
    return {
        "modules": len(searched),
        "search_total_change_pct": round(
            -100 * gain_search / sum(r["baseline_size"] for r in searched), 3
        ),
        "table_total_change_pct": round(
            -100 * gain_table / sum(r["baseline_size"] for r in searched), 3
        ),
        "search_geomean_change_pct": geomean_pct(
            [min(r["search_best"], r["baseline_size"]) / r["baseline_size"] for r in searched]
        ),
        "table_geomean_change_pct": geomean_pct(
            [table_best(r) / r["baseline_size"] for r in searched]
        ),
        "share_of_search_gain_kept": round(gain_table / gain_search, 4) if gain_search else None,
    }


def table_best(row: dict) -> int:
    sizes = [s for s in row["sizes"] if s is not None]
    return min([row["baseline_size"], *sizes])


def geomean_pct(ratios: Sequence[float]) -> float | None:
    ratios = [r for r in ratios if r > 0]
    if not ratios:
        return None
    return round(100 * (math.exp(sum(math.log(r) for r in ratios) / len(ratios)) - 1), 3)


# --------------------------------------------------------------------------- labels


def features_for(specs: Sequence[mods.ModuleSpec], records: dict[str, dict]) -> dict[str, dict]:
    """Features per module key: the search's when current, else extracted now."""
    try:
        from pybridge import features

        current = features.FEATURE_HASH
    except ImportError:
        current = None
    out = {}
    for spec in specs:
        r = records.get(spec.key, {})
        if current is not None and r.get("feature_hash") == current and r.get("features"):
            out[spec.key] = {"features": r["features"], "feature_hash": current}
        else:
            f = mods.module_features(spec.path)
            out[spec.key] = {"features": f["features"], "feature_hash": f["feature_hash"]}
    return out


def write_labels(
    path: Path,
    specs: Sequence[mods.ModuleSpec],
    split_of: dict[str, str],
    measured: dict[str, dict],
    pipelines: Sequence[str],
    records: dict[str, dict],
    target: str = DEFAULT_TARGET,
) -> list[dict]:
    """labels.parquet: one row per module, ``sizes`` in table order (null = failed)."""
    rows = label_rows(specs, split_of, measured, pipelines, records)
    save_labels(rows, pipelines, path, target)
    return rows


def label_rows(
    specs: Sequence[mods.ModuleSpec],
    split_of: dict[str, str],
    measured: dict[str, dict],
    pipelines: Sequence[str],
    records: dict[str, dict],
) -> list[dict]:
    """One label row per measured module with a baseline (see :func:`write_labels`)."""
    feats = features_for(specs, records)
    rows = []
    for spec in specs:
        m = measured.get(spec.key)
        if not m or not m["baseline"]:
            continue
        r = records.get(spec.key, {})
        rows.append(
            {
                "project": spec.project,
                "file": spec.file,
                "sha256": spec.sha256,
                "split": split_of.get(spec.project, ""),
                "baseline_size": m["baseline"],
                "search_best": r.get("best_size"),
                "search_pipeline": r.get("best_pipeline"),
                "sizes": [m["sizes"].get(p) for p in pipelines],
                **feats[spec.key],
            }
        )
    return rows


def save_labels(
    rows: list[dict], pipelines: Sequence[str], path: Path, target: str = DEFAULT_TARGET
) -> None:
    """Write label rows in the one columnar format ``train`` reads."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("project", pa.string()),
            ("file", pa.string()),
            ("sha256", pa.string()),
            ("split", pa.string()),
            ("baseline_size", pa.int64()),
            ("search_best", pa.int64()),
            ("search_pipeline", pa.string()),
            ("sizes", pa.list_(pa.int64())),
            ("features", pa.list_(pa.float32())),
            ("feature_hash", pa.string()),
        ],
        metadata={PIPELINES_KEY: json.dumps(list(pipelines)), TARGET_KEY: target},
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path, compression="zstd")


def load_labels(path: Path) -> list[dict]:
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()


def label_pipelines(path: Path) -> list[str]:
    """The table the labels were measured with, in ``sizes`` order."""
    import pyarrow.parquet as pq

    meta = pq.read_schema(path).metadata or {}
    return json.loads(meta.get(PIPELINES_KEY.encode(), b"[]"))


def label_target(path: Path) -> str:
    """The target the labels were measured on (labels older than the key: x86-64)."""
    import pyarrow.parquet as pq

    meta = pq.read_schema(path).metadata or {}
    return meta.get(TARGET_KEY.encode(), DEFAULT_TARGET.encode()).decode()


# --------------------------------------------------------------------------- command


def configure(parser: argparse.ArgumentParser) -> None:
    corpus_arguments(parser, "llmc search --out DIR")
    parser.add_argument("--size", type=int, default=TABLE_SIZE, help="at most N pipelines")
    parser.add_argument(
        "--extend",
        action="store_true",
        help="keep the current table's allowed entries (ids and labels stay valid) and add "
        "the pool pipelines that best complement them; the datasets are then brought up "
        "to the new table by llmc label, which measures only the new entries",
    )
    parser.add_argument(
        "--per-module",
        type=int,
        default=2,
        help="pool: smallest pipelines taken from each train module",
    )
    parser.add_argument("--pool", type=int, default=160, help="pool: at most N pipelines")
    parser.add_argument(
        "--cross-limit", type=int, help="cross-evaluate the pool on at most N train modules"
    )
    parser.add_argument(
        "--label-splits",
        nargs="*",
        default=["valid", "test"],
        help="label the modules of these splits too: the searched ones and "
        "up to --label-limit others",
    )
    parser.add_argument(
        "--label-limit",
        type=int,
        default=50,
        help="at most N unsearched modules labelled per split (-1: all)",
    )
    parser.add_argument(
        "--label-train-limit",
        type=int,
        default=1000,
        help="also label up to N unsearched train modules (-1: all): the ranker's "
        "training rows; labelling costs one run per table entry, a search ~64",
    )
    parser.add_argument(
        "--label-max-bytes",
        type=int,
        default=120000,
        help="skip unsearched train modules larger than this (bitcode bytes), as the search does",
    )
    parser.add_argument(
        "--label-train",
        choices=("cross", "searched"),
        default="searched",
        help="train modules to label: the cross-evaluated ones (no extra "
        "plugin run) or every searched one",
    )
    measuring_arguments(parser)
    parser.set_defaults(func=main)


def corpus_arguments(parser: argparse.ArgumentParser, results_help: str) -> None:
    """Where sizes are cached and which corpus: ``llmc table`` and ``llmc label``."""
    parser.add_argument("--results", type=Path, required=True, help=results_help)
    parser.add_argument("--corpus", type=Path, default=mods.DEFAULT_CORPUS)
    parser.add_argument("--manifest", type=Path, default=mods.DEFAULT_MANIFEST)
    parser.add_argument("--split-file", type=Path, default=mods.DEFAULT_SPLIT)


def measuring_arguments(parser: argparse.ArgumentParser) -> None:
    """How plugin runs are made and where the table and labels go: ``table`` and ``label``."""
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--timeout", type=int, default=60)
    parser.add_argument("--scheduler")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--time-limit", type=float, help="seconds per plugin pass; the rest resumes next run"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--candidates", type=Path, default=CANDIDATES_FILE)
    parser.add_argument("--dataset", type=Path, default=mods.DATASET_DIR)
    S.add_target_argument(parser)


def main(args: argparse.Namespace, evaluate: trials.Evaluator | None = None, client=None) -> int:
    start = time.monotonic()
    split_of = mods.split_for(args.split_file, args.manifest)
    records = {
        f"{r['project']}/{r['file']}": r
        for r in S.load_checkpoints(args.results)
        if r.get("baseline_size")
    }
    target = S.resolve_target(args)
    specs_all = mods.load_modules(args.corpus, args.manifest, seed=args.seed, target=target.name)
    # Manifest order is round-robin by project: a --cross-limit prefix spans projects.
    searched = [s for s in specs_all if s.key in records]
    train = [s for s in searched if split_of.get(s.project) == "train"]
    if not train:
        print("llmc table: no searched module of the train split", file=sys.stderr)
        return 2
    pool = pool_from_search([records[s.key] for s in train], args.per_module, args.pool)
    kept = (
        trials.allowed_entries(args.candidates) if args.extend and args.candidates.exists() else []
    )
    if len(kept) > args.size:
        print(f"llmc table: --extend keeps {len(kept)} entries, more than --size", file=sys.stderr)
        return 2
    pool = list(dict.fromkeys([*kept, *pool]))
    cross = train[: args.cross_limit] if args.cross_limit else train
    print(
        f"llmc table: pool of {len(pool)} pipelines x {len(cross)} train modules", file=sys.stderr
    )
    own_client = client is None and evaluate is None
    if own_client:
        client = cluster.make_client(args.scheduler, args.workers)
    run = functools.partial(
        measure,
        results=args.results,
        client=client,
        batch=args.batch,
        timeout=args.timeout,
        evaluate=evaluate,
        time_limit=args.time_limit,
        codegen=target.codegen,
    )
    try:
        measured = run(cross, pool, desc="cross")
        keys = [s.key for s in cross if measured.get(s.key, {}).get("baseline")]
        chosen, objective = greedy_cover(
            ratio_matrix(measured, keys, pool), args.size, forced=range(len(kept))
        )
        table = [pool[i] for i in chosen]
        if not table:
            print("llmc table: no pool pipeline beats -Oz on any train module", file=sys.stderr)
            return 2
        if args.extend:
            # The datasets keep their rows: llmc label measures the new entries on them.
            return write_table(args, table, objective, len(keys), pool, split_of, kept, [], start)
        # Labels: the table on the cross-evaluated train modules (free: the table is
        # part of the pool), the other searched modules, then a sample per split.
        label_specs = list(cross if args.label_train == "cross" else train)
        if args.label_train_limit:
            extra = [
                s
                for s in specs_all
                if split_of.get(s.project) == "train"
                and s.key not in records
                and (not args.label_max_bytes or s.bytes <= args.label_max_bytes)
            ]
            label_specs += extra if args.label_train_limit < 0 else extra[: args.label_train_limit]
        label_specs += [
            s
            for s in searched
            if split_of.get(s.project) in args.label_splits and split_of.get(s.project) != "train"
        ]
        for split in args.label_splits:
            extra = [
                s for s in specs_all if split_of.get(s.project) == split and s.key not in records
            ]
            label_specs += extra if args.label_limit < 0 else extra[: args.label_limit]
        labelled = run(label_specs, table, desc="labels")
    finally:
        if own_client:
            client.close()
    rows = write_labels(
        args.dataset / "labels.parquet", label_specs, split_of, labelled, table, records,
        target.name,
    )  # fmt: skip
    return write_table(args, table, objective, len(keys), pool, split_of, [], rows, start)


def chosen_under(split_of: dict[str, str], previous: dict[str, list[str]]) -> dict:
    """The split a table was chosen under, for eval to refuse its train and valid
    projects; an extended table was chosen under its previous split too, so a project
    either one trained or validated on stays refused."""
    seen = {p for name in ("train", "valid") for p in previous.get(name, [])}
    split = {
        name: sorted({p for p, s in split_of.items() if s == name} | set(previous.get(name, [])))
        for name in ("train", "valid")
    }
    split["test"] = sorted(p for p, s in split_of.items() if s == "test" and p not in seen)
    return split


def write_table(
    args: argparse.Namespace,
    table: list[str],
    objective: list[float],
    n: int,
    pool: list[str],
    split_of: dict[str, str],
    kept: list[str],
    rows: list[dict],
    start: float,
) -> int:
    """candidates.json (stable ids, the previous table's other entries retired) and
    RESULTS/table_report.json."""
    candidates = assign_ids(table, args.candidates)
    previous = json.loads(args.candidates.read_text()) if args.candidates.exists() else {}
    in_table = {c["pipeline"] for c in candidates}
    retired = [
        c
        for c in [*previous.get("candidates", []), *previous.get("retired", [])]
        if c["pipeline"] not in in_table
    ]
    for c, obj in zip(candidates, objective, strict=True):
        how = "kept from the previous table" if c["pipeline"] in kept else "greedy step"
        c["note"] = f"{how}: train mean size/-Oz {obj / n:.4f}"
    report = {
        "train_modules_for_choice": n,
        "pool": len(pool),
        "table": len(table),
        "kept": len(kept),
        "by_split": {
            split: kept_share([r for r in rows if r["split"] == split])
            for split in ("train", "valid", "test")
        },
        "train_mean_ratio_after_k": [round(o / n, 5) for o in objective],
        "seconds": round(time.monotonic() - start, 1),
    }
    args.candidates.parent.mkdir(parents=True, exist_ok=True)
    args.candidates.write_text(
        json.dumps(
            {
                "schema": 1,
                "metric": "object",
                "baseline": trials.BASELINE,
                "candidates": candidates,
                "retired": retired,
                # The split this table was chosen under: eval refuses its train/valid projects
                # even if a growing corpus later moves them to test.
                "split": chosen_under(split_of, previous.get("split", {}) if kept else {}),
                "made_by": {
                    "command": "llmc table",
                    "config": {
                        k: str(v) if isinstance(v, Path) else v
                        for k, v in vars(args).items()
                        if k != "func"
                    },
                },
            },
            indent=1,
        )
        + "\n"
    )
    (args.results / "table_report.json").write_text(json.dumps(report, indent=1))
    print(json.dumps(report, indent=1))
    return 0


# --------------------------------------------------------------------------- llmc label


def configure_label(parser: argparse.ArgumentParser) -> None:
    """``llmc label``: measure the committed table on more modules, merged into a dataset."""
    parser.description = (
        "Measure every entry of the committed table (candidates.json) on modules not yet "
        "labelled, and merge the rows into DATASET/labels.parquet: a grown corpus, another "
        "target or your own code becomes training rows without choosing a new table. Rows "
        "measured with another table (llmc table --extend) keep the sizes of the entries "
        "both share; only the new entries are measured on them."
    )
    corpus_arguments(parser, "cache of measured sizes (llmc search --out DIR reuses them)")
    parser.add_argument(
        "--splits", nargs="+", default=["train", "valid"], help="label these splits' modules"
    )
    parser.add_argument("--projects", nargs="*", help="only these projects")
    parser.add_argument(
        "--per-project",
        type=int,
        default=40,
        help="at most N labelled modules per project, counting those already labelled "
        "(-1: all): a project's files resemble each other, breadth pays more",
    )
    parser.add_argument(
        "--max-bytes", type=int, default=120000, help="skip larger modules (bitcode bytes)"
    )
    parser.add_argument(
        "--drop-stale",
        action="store_true",
        help="when the labels were measured with another table (llmc table --extend), drop "
        "the rows whose module is not built or has changed instead of refusing",
    )
    measuring_arguments(parser)
    parser.set_defaults(func=label_main)


def modules_to_label(
    specs: Sequence[mods.ModuleSpec],
    labelled: set[str],
    per_project: int,
    max_bytes: int,
) -> list[mods.ModuleSpec]:
    """The modules ``llmc label`` measures: in ``specs``' (seeded) order, not labelled yet,
    up to ``per_project`` labelled per project in all."""
    count: dict[str, int] = {}
    for key in labelled:
        project = key.split("/", 1)[0]
        count[project] = count.get(project, 0) + 1
    chosen = []
    for spec in specs:
        if spec.key in labelled or (max_bytes and spec.bytes > max_bytes):
            continue
        if 0 <= per_project <= count.get(spec.project, 0):
            continue
        count[spec.project] = count.get(spec.project, 0) + 1
        chosen.append(spec)
    return chosen


def carry_over(
    rows: list[dict],
    measured_with: Sequence[str],
    specs: dict[str, mods.ModuleSpec],
    results: Path,
) -> tuple[list[mods.ModuleSpec], int]:
    """Rows measured with another table, made ready to measure with this one.

    Each row's sizes for the entries both tables share, and its -Oz size, go into
    the measuring cache of its module, so that :func:`measure` runs only the new
    entries. A row whose module is not on disk or is no longer the module it
    measured (another sha256) cannot be carried over: it is left out, and labelled
    anew with the rest if its module is there. Returns the rows' modules and how
    many were left out.
    """
    from pybridge.training.corpus import sha256_of

    ready = []
    for row in rows:
        spec = specs.get(f"{row['project']}/{row['file']}")
        if spec is None or sha256_of(Path(spec.path)) != row["sha256"]:
            continue
        cached = cached_sizes(spec, results)
        cached["baseline"] = cached["baseline"] or row["baseline_size"]
        for pipeline, size in zip(measured_with, row["sizes"], strict=True):
            cached["sizes"].setdefault(pipeline, size)
        S.write_json_atomic(cache_path(results, spec), cached)
        ready.append(spec)
    return ready, len(rows) - len(ready)


def label_main(
    args: argparse.Namespace, evaluate: trials.Evaluator | None = None, client=None
) -> int:
    start = time.monotonic()
    if evaluate is None and (why := trials.plugin_missing()):
        print(f"llmc label: {why}", file=sys.stderr)
        return 2
    target = S.resolve_target(args)
    table = trials.table_of(args.candidates)
    path = args.dataset / "labels.parquet"
    old: list[dict] = []
    measured_with = table
    if path.exists():
        if label_target(path) != target.name:
            print(
                f"llmc label: {path} holds {label_target(path)} labels, not {target.name}: "
                "give another --dataset",
                file=sys.stderr,
            )
            return 2
        old = load_labels(path)
        measured_with = label_pipelines(path)
    split_of = mods.split_for(args.split_file, args.manifest)
    specs = mods.load_modules(
        args.corpus,
        args.manifest,
        projects=args.projects,
        splits=args.splits,
        split_file=args.split_file,
        seed=args.seed,
        target=target.name,
    )
    carried: list[mods.ModuleSpec] = []
    if measured_with != table:
        # Another table (llmc table --extend): every row is measured with this one,
        # the entries it shares with the old one taken as measured.
        on_disk = {
            s.key: s
            for s in mods.load_modules(
                args.corpus, args.manifest, split_file=args.split_file, target=target.name
            )
        }
        carried, left_out = carry_over(old, measured_with, on_disk, args.results)
        carried_keys = {s.key for s in carried}
        if left_out and not args.drop_stale:
            projects = sorted(
                {r["project"] for r in old if f"{r['project']}/{r['file']}" not in carried_keys}
            )
            print(
                f"llmc label: {path} was measured with another table, and {left_out} of its "
                f"rows name modules not built or changed ({', '.join(projects[:8])}): build "
                "them (llmc corpus build) or give --drop-stale to label them anew",
                file=sys.stderr,
            )
            return 2
        new_entries = len(set(table) - set(measured_with))
        print(
            f"llmc label: {path} was measured with another table: {new_entries} new entries "
            f"to measure on {len(carried)} of its rows ({left_out} dropped: module not built "
            "or changed)",
            file=sys.stderr,
        )
        old = [r for r in old if f"{r['project']}/{r['file']}" in carried_keys]
    done = {f"{r['project']}/{r['file']}" for r in old}
    todo = modules_to_label(specs, done, args.per_project, args.max_bytes)
    print(
        f"llmc label: {len(todo)} modules to measure x {len(table)} entries on {target.name} "
        f"({len(old)} rows already in {path})",
        file=sys.stderr,
    )
    own_client = client is None and evaluate is None and bool(todo or carried)
    if own_client:
        client = cluster.make_client(args.scheduler, args.workers)
    try:
        measured = measure(
            [*carried, *todo], table, args.results, client=client, batch=args.batch,
            timeout=args.timeout, desc="labels", evaluate=evaluate, time_limit=args.time_limit,
            codegen=target.codegen,
        )  # fmt: skip
    finally:
        if own_client:
            client.close()
    if carried:
        finished_old = [r for r in old if f"{r['project']}/{r['file']}" in measured]
        if len(finished_old) < len(old):
            print(
                f"llmc label: {len(old) - len(finished_old)} rows not measured yet with the "
                "new table (--time-limit): nothing written, run again to continue",
                file=sys.stderr,
            )
            return 0
        old = [
            {**r, "sizes": [measured[f"{r['project']}/{r['file']}"]["sizes"][p] for p in table]}
            for r in old
        ]
    finished = [s for s in todo if s.key in measured]
    new_rows = label_rows(finished, split_of, measured, table, {})
    save_labels([*old, *new_rows], table, path, target.name)
    by_split: dict[str, int] = {}
    for r in new_rows:
        by_split[r["split"]] = by_split.get(r["split"], 0) + 1
    errors = [m["error"] for m in measured.values() if m.get("error") and not m["baseline"]]
    if errors:
        first = errors[0][:300]
        print(f"llmc label: {len(errors)} modules failed, first: {first}", file=sys.stderr)
    print(
        f"llmc label: +{len(new_rows)} rows {by_split} ({len(finished) - len(new_rows)} "
        f"without a baseline, {len(todo) - len(finished)} left for the next run) -> {path}, "
        f"{len(old) + len(new_rows)} rows in {time.monotonic() - start:.0f}s",
        file=sys.stderr,
    )
    return 0
