"""``llmc search``: find each module's smallest verified pipeline.

Per module, a small budgeted search over the allow-listed vocabulary
(:mod:`pybridge.training.vocabulary`): the standard levels as seeds, random
sequences, greedy extension of the best so far and an evolutionary step
(insert/delete/replace/swap in the best few). Every size comes from the plugin
itself, in batches, through its list mode::

    LLMC_PIPELINES=list.txt LLMC_LOG=log.jsonl clang-19 -Oz -fpass-plugin=libllmc.so \
        -c module.bc -o /dev/null

so the search optimises exactly the metric the plugin uses at compile time, and
crashes, timeouts and verifier failures are the plugin's to contain: here they are
only counted.

Modules run as Dask tasks (a LocalCluster of 2 single-threaded workers unless
``--scheduler`` names one). Each finished module is checkpointed as one JSON file
under ``OUT/modules/``; a rerun skips those, so a stopped search resumes. At the end
the checkpoints are aggregated into parquet tables in ``OUT`` (``modules``: one row
per module with its features, -Oz size, best size and pipeline; ``evaluations``: every
pipeline tried) and a committed copy in ``pybridge/data/dataset/`` (verified
evaluations only; a few MB).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from pybridge import targets
from pybridge.localsearch import Proposer, tokens_of
from pybridge.training import vocabulary as V
from pybridge.training.cluster import make_client, run_tasks
from pybridge.training.modules import (
    DATASET_DIR,
    DEFAULT_CORPUS,
    DEFAULT_MANIFEST,
    DEFAULT_SPLIT,
    ModuleSpec,
    corpus_for,
    load_modules,
    manifest_for,
    module_features,
    split_of_projects,
)
from pybridge.training.trials import (
    BASELINE,
    CANDIDATES_FILE,
    OK,
    Batch,
    Evaluator,
    allowed_entries,
    plugin_evaluator,
    plugin_missing,
)

# --------------------------------------------------------------------------- search


@dataclass
class SearchConfig:
    budget: int = 256
    batch: int = 32
    seed: int = 0
    timeout: int = 60
    codegen: tuple[str, ...] = ()  # the modules' target (pybridge.targets); () is the host
    # Tried first, then searched around (--from-table: a table's allowed entries), so the
    # search spends its budget near what a table already finds rather than from scratch.
    start: tuple[str, ...] = ()


class Search(Proposer):
    """The state of one module's offline search: the build's moves, fed by batches."""

    def record(self, batch: Batch) -> None:
        if batch.baseline is not None:
            self.baseline = batch.baseline
        for ev in batch.results:
            self.size[ev.pipeline] = ev.size if ev.status == OK else None
            self.status[ev.pipeline] = ev.status


# The columns of modules.parquet, one row per searched module (llmc learn writes them too).
MODULE_COLUMNS = (
    "project",
    "file",
    "sha256",
    "bytes",
    "split",
    "baseline_size",
    "best_size",
    "best_pipeline",
    "n_evals",
    "n_ok",
    "seconds",
    "features",
    "feature_hash",
)


def add_target_argument(parser: argparse.ArgumentParser) -> None:
    """``--target``: measure on another target's modules (``llmc corpus build --target``)."""
    parser.add_argument(
        "--target",
        default=targets.DEFAULT_TARGET,
        choices=sorted(targets.TARGETS),
        help="the modules' target: sizes are measured for it; its corpus and manifest "
        "(modules-<target>/, manifest-<target>.csv in $LLMC_DATA_DIR) unless given "
        "(default %(default)s)",
    )


def resolve_target(args: argparse.Namespace) -> targets.Target:
    """The ``--target``, with its corpus and manifest where the defaults were left."""
    target = targets.get(args.target)
    if not target.is_host:
        if args.corpus == DEFAULT_CORPUS:
            args.corpus = corpus_for(target.name)
        if args.manifest == DEFAULT_MANIFEST:
            args.manifest = manifest_for(target.name)
    return target


def module_seed(seed: int, key: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}:{key}".encode()).digest()[:8], "little")


def search_module(
    spec: ModuleSpec,
    config: SearchConfig,
    evaluate: Evaluator | None = None,
    vocab: Sequence[str] | None = None,
) -> dict:
    """Search one module; return its checkpoint record (see :func:`aggregate`)."""
    evaluate = evaluate or plugin_evaluator(config.timeout, config.codegen)
    vocab = vocab if vocab is not None else V.vocabulary()
    state = Search(vocab, random.Random(module_seed(config.seed, spec.key)))
    start = time.monotonic()
    errors: list[str] = []
    used = 0
    if config.start:
        first = list(config.start[: config.budget])
        batch = evaluate(spec.path, first)
        errors += [batch.error] if batch.error else []
        state.record(batch)
        known = set(vocab)
        for pipeline in first:  # their tokens, so that the moves can edit them
            if tokens := tokens_of(pipeline, known):
                state.tokens[pipeline] = tokens
        # A module that does not compile at all has nothing to search.
        used = len(first) if batch.baseline is not None or state.ranked() else config.budget
    while used < config.budget:
        proposals = state.propose(min(config.batch, config.budget - used))
        if not proposals:
            break
        batch = evaluate(spec.path, proposals)
        if batch.error:
            errors.append(batch.error)
            if batch.baseline is None and not state.size:
                state.record(batch)
                break  # the module itself does not compile: nothing to search
        state.record(batch)
        used += len(proposals)
    ranked = state.ranked()
    best_size, best_pipeline = state.baseline, BASELINE
    best = state.size[ranked[0]] if ranked else None
    if best is not None and (best_size is None or best < best_size):
        best_pipeline, best_size = ranked[0], best
    counts: dict[str, int] = {}
    for status in state.status.values():
        counts[status] = counts.get(status, 0) + 1
    return {
        **asdict(spec),
        "baseline_size": state.baseline,
        "best_size": best_size,
        "best_pipeline": best_pipeline,
        "evaluations": [[p, state.status[p], state.size[p]] for p in state.size],
        "counts": counts,
        "seconds": round(time.monotonic() - start, 3),
        "errors": errors[:5],
        **module_features(spec.path),
    }


# --------------------------------------------------------------------------- checkpoints


def checkpoint_path(out: Path, spec: ModuleSpec) -> Path:
    return out / "modules" / spec.project / f"{spec.file}.json"


def write_json_atomic(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(data, separators=(",", ":")))
    tmp.replace(path)  # atomic: a killed run never leaves half a checkpoint


def search_and_save(spec: ModuleSpec, config: SearchConfig, out: str) -> dict:
    """Dask task: search one module and checkpoint it; return a small summary."""
    record = search_module(spec, config)
    if record["baseline_size"] is None:
        # Not even -Oz compiled through the plugin: no checkpoint, so a rerun retries
        # (a plugin being rebuilt under a running search looks exactly like this).
        raise RuntimeError(f"{spec.key}: {(record['errors'] or ['no baseline'])[0]}")
    write_json_atomic(checkpoint_path(Path(out), spec), record)
    return {
        "key": spec.key,
        "baseline": record["baseline_size"],
        "best": record["best_size"],
        "evals": len(record["evaluations"]),
        "seconds": record["seconds"],
    }


def load_checkpoints(out: Path) -> list[dict]:
    root = out / "modules"
    if not root.exists():
        return []
    return [json.loads(p.read_text()) for p in sorted(root.rglob("*.json"))]


# --------------------------------------------------------------------------- tables


def aggregate(out: Path, dataset: Path | None, split_file: Path | None, keep_top: int = 0) -> dict:
    """Checkpoints -> ``OUT/{modules,evaluations}.parquet`` and the compact dataset copy.

    The dataset keeps every verified (pipeline, size) pair, or with ``keep_top``
    only that many smallest per module plus the standard levels: zstd and
    dictionary encoding keep either at a few MB.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = load_checkpoints(out)
    split_of = split_of_projects(split_file)
    module_cols: dict[str, list] = {k: [] for k in MODULE_COLUMNS}
    ev_full: dict[str, list] = {k: [] for k in ("project", "file", "pipeline", "status", "size")}
    ev_top: dict[str, list] = {k: [] for k in ("project", "file", "pipeline", "size")}
    for r in records:
        counts = r.get("counts", {})
        row = {
            **r,
            "split": split_of.get(r["project"], ""),
            "n_evals": len(r["evaluations"]),
            "n_ok": counts.get(OK, 0),
        }
        for k in module_cols:
            module_cols[k].append(row.get(k))
        ok = []
        for pipeline, status, size in r["evaluations"]:
            for k, v in zip(
                ev_full, (r["project"], r["file"], pipeline, status, size), strict=True
            ):
                ev_full[k].append(v)
            if size is not None:
                ok.append((size, len(pipeline), pipeline))
        ok.sort()
        top = ok[:keep_top] if keep_top > 0 else ok
        kept = {p for _, _, p in top} | {p for _, _, p in ok if p in V.LEVELS}
        for size, _, pipeline in ok:
            if pipeline in kept:
                for k, v in zip(ev_top, (r["project"], r["file"], pipeline, size), strict=True):
                    ev_top[k].append(v)
    modules = pa.table(module_cols)
    modules = modules.set_column(
        modules.schema.get_field_index("features"),
        "features",
        pa.array(module_cols["features"], type=pa.list_(pa.float32())),
    )
    pq.write_table(modules, out / "modules.parquet", compression="zstd")
    pq.write_table(pa.table(ev_full), out / "evaluations.parquet", compression="zstd")
    if dataset is not None:
        dataset.mkdir(parents=True, exist_ok=True)
        pq.write_table(modules, dataset / "modules.parquet", compression="zstd")
        pq.write_table(
            pa.table(ev_top),
            dataset / "evaluations.parquet",
            compression="zstd",
            use_dictionary=True,
        )
    return summarize(records)


def summarize(records: list[dict]) -> dict:
    """Geomean and total of best/-Oz over the modules with both sizes."""
    pairs = [
        (r["baseline_size"], r["best_size"])
        for r in records
        if r.get("baseline_size") and r.get("best_size")
    ]
    counts: dict[str, int] = {}
    for r in records:
        for k, v in r.get("counts", {}).items():
            counts[k] = counts.get(k, 0) + v
    if not pairs:
        return {"modules": len(records), "with_sizes": 0, "statuses": counts}
    geo = math.exp(sum(math.log(b / a) for a, b in pairs) / len(pairs))
    total_a = sum(a for a, _ in pairs)
    total_b = sum(b for _, b in pairs)
    return {
        "modules": len(records),
        "with_sizes": len(pairs),
        "geomean_ratio": round(geo, 5),
        "geomean_change_pct": round(100 * (geo - 1), 3),
        "total_change_pct": round(100 * (total_b / total_a - 1), 3),
        "improved": sum(b < a for a, b in pairs),
        "evaluations": sum(counts.values()),
        "statuses": counts,
        "seconds": round(sum(r.get("seconds", 0) for r in records), 1),
    }


# --------------------------------------------------------------------------- command


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help="directory of <project>/<file>.bc (default %(default)s)",
    )
    parser.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    parser.add_argument("--split-file", type=Path, default=DEFAULT_SPLIT)
    add_target_argument(parser)
    parser.add_argument("--out", type=Path, required=True, help="results directory")
    parser.add_argument("--budget", type=int, default=256, help="evaluations per module")
    parser.add_argument("--batch", type=int, default=32, help="pipelines per clang run")
    parser.add_argument("--timeout", type=int, default=60, help="seconds per candidate")
    parser.add_argument("--scheduler", help="address of an existing Dask scheduler")
    parser.add_argument("--workers", type=int, default=2, help="local Dask workers")
    parser.add_argument("--projects", nargs="*", help="only these projects")
    parser.add_argument("--split", nargs="*", help="only projects of these splits")
    parser.add_argument("--limit", type=int, help="at most N modules, round-robin by project")
    parser.add_argument("--max-bytes", type=int, help="skip modules larger than this (.bc bytes)")
    parser.add_argument("--time-limit", type=float, help="stop waiting after N seconds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--from-table",
        type=Path,
        nargs="?",
        const=CANDIDATES_FILE,
        help="try the allowed entries of this candidates.json first (default: the committed "
        "table), then search around the best: pipelines that improve on a table's",
    )
    parser.add_argument(
        "--keep-top",
        type=int,
        default=0,
        help="pipelines per module kept in the committed dataset (0: all "
        "verified ones; ~2 KB per module)",
    )
    parser.add_argument(
        "--dataset",
        type=Path,
        default=DATASET_DIR,
        help="where the compact dataset goes (default %(default)s)",
    )
    parser.add_argument("--no-dataset", action="store_true", help="do not write the dataset")
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    if why := plugin_missing():
        print(f"llmc search: {why}", file=sys.stderr)
        return 2
    target = resolve_target(args)
    specs = load_modules(
        args.corpus,
        args.manifest,
        target=target.name,
        projects=args.projects,
        splits=args.split,
        split_file=args.split_file,
        limit=args.limit,
        max_bytes=args.max_bytes,
        seed=args.seed,
    )
    args.out.mkdir(parents=True, exist_ok=True)
    todo = [s for s in specs if not checkpoint_path(args.out, s).exists()]
    print(
        f"llmc search: {len(specs)} modules, {len(specs) - len(todo)} already done, "
        f"budget {args.budget}",
        file=sys.stderr,
    )
    first = allowed_entries(args.from_table) if args.from_table else []
    config = SearchConfig(
        args.budget, args.batch, args.seed, args.timeout, target.codegen, tuple(first)
    )
    (args.out / "config.json").write_text(json.dumps({**asdict(config), "argv": sys.argv}))
    start = time.monotonic()
    if todo:
        client = make_client(args.scheduler, args.workers)
        try:
            run_tasks(
                client,
                search_and_save,
                todo,
                config,
                str(args.out),
                desc="search",
                time_limit=args.time_limit,
            )
        finally:
            client.close()
    summary = aggregate(
        args.out, None if args.no_dataset else args.dataset, args.split_file, args.keep_top
    )
    summary["wall_seconds_this_run"] = round(time.monotonic() - start, 1)
    (args.out / "summary.json").write_text(json.dumps(summary, indent=1))
    print(json.dumps(summary, indent=1))
    return 0
