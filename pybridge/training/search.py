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
import csv
import hashlib
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pybridge import toolchain
from pybridge.training import vocabulary as V

DEFAULT_CORPUS = toolchain.WORK_DIR / "modules"
CORPUS_DATA = toolchain.DATA_DIR / "corpus"
DEFAULT_MANIFEST = CORPUS_DATA / "manifest.csv"
DEFAULT_SPLIT = CORPUS_DATA / "split.json"
DATASET_DIR = toolchain.DATA_DIR / "dataset"
BASELINE = "default<Oz>"
OK = "ok"
MAX_TOKENS = 64  # longer pipelines cost compile time for little gain


# --------------------------------------------------------------------------- modules


@dataclass(frozen=True)
class ModuleSpec:
    """One corpus module, as the manifest names it."""

    project: str
    file: str
    sha256: str
    bytes: int
    path: str  # the .bc on disk

    @property
    def key(self) -> str:
        return f"{self.project}/{self.file}"


def resolve(corpus: Path, project: str, file: str) -> Path:
    """The .bc of a manifest row (``file`` may or may not carry the .bc suffix)."""
    base = corpus / project / file
    for candidate in (base, base.with_name(base.name + ".bc"), base.with_suffix(".bc")):
        if candidate.suffix == ".bc" and candidate.is_file():
            return candidate
    return base if base.suffix == ".bc" else base.with_name(base.name + ".bc")


def load_split(path: Path | None) -> dict[str, str]:
    """project -> split name ("train"/"valid"/"test"); empty if there is no split file."""
    if path is None or not path.is_file():
        return {}
    data = json.loads(path.read_text())
    return {project: name for name, projects in data.items() for project in projects}


def split_for(split_file: Path | None, manifest: Path) -> dict[str, str]:
    """The split file's assignment; without one, corpus.py's rule on the manifest's counts."""
    split_of = load_split(split_file)
    if split_of:
        return split_of
    from pybridge.training.corpus import split_projects

    counts: dict[str, int] = {}
    with manifest.open(newline="") as fh:
        for row in csv.DictReader(fh):
            counts[row["project"]] = counts.get(row["project"], 0) + 1
    print(
        f"llmc: no split file at {split_file}; splitting the manifest's {len(counts)} "
        "projects with corpus.split_projects",
        file=sys.stderr,
    )
    return {p: name for name, projects in split_projects(counts).items() for p in projects}


def load_modules(
    corpus: Path,
    manifest: Path,
    *,
    projects: Iterable[str] | None = None,
    splits: Iterable[str] | None = None,
    split_file: Path | None = None,
    limit: int | None = None,
    max_bytes: int | None = None,
    seed: int = 0,
) -> list[ModuleSpec]:
    """Manifest rows whose .bc exists, filtered; ``limit`` samples round-robin by project.

    Round-robin so that a small sample still spans many projects (a project's files
    resemble each other far more than another project's).
    """
    wanted_projects = set(projects) if projects else None
    split_of = split_for(split_file, manifest) if splits else {}
    wanted_splits = set(splits) if splits else None
    by_project: dict[str, list[ModuleSpec]] = {}
    with manifest.open(newline="") as fh:
        for row in csv.DictReader(fh):
            project, file = row["project"], row["file"]
            if wanted_projects is not None and project not in wanted_projects:
                continue
            if wanted_splits is not None and split_of.get(project) not in wanted_splits:
                continue
            size = int(row.get("bytes") or 0)
            if max_bytes and size > max_bytes:
                continue
            path = resolve(corpus, project, file)
            if not path.is_file():
                continue
            spec = ModuleSpec(project, file, row.get("sha256", ""), size, str(path))
            by_project.setdefault(project, []).append(spec)
    rng = random.Random(seed)
    for specs in by_project.values():
        specs.sort(key=lambda s: s.file)
        rng.shuffle(specs)
    order = sorted(by_project)
    rng.shuffle(order)
    chosen: list[ModuleSpec] = []
    round_ = 0
    while True:
        added = False
        for project in order:
            specs = by_project[project]
            if round_ < len(specs):
                chosen.append(specs[round_])
                added = True
        round_ += 1
        if not added:
            break
    return chosen[:limit] if limit else chosen


# --------------------------------------------------------------------------- evaluation


@dataclass
class Evaluation:
    pipeline: str
    status: str
    size: int | None
    reason: str = ""


@dataclass
class Batch:
    """What one clang run through the plugin says about one module."""

    baseline: int | None
    results: list[Evaluation] = field(default_factory=list)
    error: str = ""


Evaluator = Callable[[str, Sequence[str]], Batch]


def parse_log(line: str, pipelines: Sequence[str]) -> Batch:
    """Turn the plugin's JSON log line into a :class:`Batch` in ``pipelines`` order."""
    record = json.loads(line)
    baseline = (record.get("baseline") or {}).get("size")
    got = record.get("candidates") or []
    results: list[Evaluation] = []
    for i, pipeline in enumerate(pipelines):
        # Match by position: the plugin runs the list in order, and may print a
        # normalised spelling of the pipeline.
        c = got[i] if i < len(got) else {"status": "failed", "reason": "missing from log"}
        size = c.get("size")
        status = c.get("status", "failed")
        results.append(
            Evaluation(
                pipeline,
                status,
                int(size) if size is not None else None,
                str(c.get("reason", ""))[:200],
            )
        )
    return Batch(int(baseline) if baseline is not None else None, results)


def plugin_env(**extra: str) -> dict[str, str]:
    """The environment for one plugin run: our LLMC_* settings only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LLMC_")}
    env["LLMC_MIN_INSTRUCTIONS"] = "0"  # search every module, however small
    if os.environ.get("LLMC_PLUGIN"):
        env["LLMC_PLUGIN"] = os.environ["LLMC_PLUGIN"]
    env.update(extra)
    return env


def run_plugin(
    bitcode: str, env: dict[str, str], *, timeout: float, log: Path
) -> tuple[str | None, str]:
    """Compile ``bitcode`` with clang -Oz and the plugin; return (last log line, error)."""
    plugin = toolchain.plugin_path()
    cmd = [
        toolchain.tool("clang"),
        "-Oz",
        f"-fpass-plugin={plugin}",
        "-c",
        bitcode,
        "-o",
        os.devnull,
    ]
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"timeout after {timeout:.0f}s: {' '.join(cmd)}"
    lines = log.read_text().splitlines() if log.exists() else []
    if lines:
        return lines[-1], ""
    lines = proc.stderr.strip().splitlines()
    first = next((x for x in lines if "error" in x), lines[-1] if lines else "")
    return None, f"exit {proc.returncode}, no log line: {' '.join(cmd)}: {first}"[:400]


def plugin_evaluator(timeout: int = 60) -> Evaluator:
    """Evaluate a list of pipelines on one module with the plugin's list mode."""

    def evaluate(bitcode: str, pipelines: Sequence[str]) -> Batch:
        with tempfile.TemporaryDirectory(prefix="llmc-search-") as tmp:
            listing, log = Path(tmp) / "list.txt", Path(tmp) / "log.jsonl"
            listing.write_text("".join(p + "\n" for p in pipelines))
            env = plugin_env(
                LLMC_PIPELINES=str(listing), LLMC_LOG=str(log), LLMC_TIMEOUT=str(timeout)
            )
            # Bound the whole process too: every candidate can use its timeout,
            # plus the baseline and the final compile.
            line, error = run_plugin(
                bitcode, env, timeout=timeout * (len(pipelines) + 3) + 60, log=log
            )
            if line is None and not error.startswith("timeout"):
                time.sleep(2)  # once: a plugin being rebuilt under us fails exactly so
                line, error = run_plugin(
                    bitcode, env, timeout=timeout * (len(pipelines) + 3) + 60, log=log
                )
        if line is None:
            return Batch(None, [Evaluation(p, "failed", None, error) for p in pipelines], error)
        return parse_log(line, pipelines)

    return evaluate


# --------------------------------------------------------------------------- search


@dataclass
class SearchConfig:
    budget: int = 256
    batch: int = 32
    seed: int = 0
    timeout: int = 60


def mutate(rng: random.Random, tokens: list[str], blocks: Sequence[str]) -> list[str]:
    """One random edit: insert, delete, replace or swap."""
    out = list(tokens)
    op = rng.choice(("insert", "delete", "replace", "swap")) if out else "insert"
    if op == "insert" or (op in ("delete", "swap") and len(out) < 2):
        out.insert(rng.randint(0, len(out)), rng.choice(blocks))
    elif op == "delete":
        del out[rng.randrange(len(out))]
    elif op == "replace":
        out[rng.randrange(len(out))] = rng.choice(blocks)
    else:
        i, j = rng.sample(range(len(out)), 2)
        out[i], out[j] = out[j], out[i]
    return out


class Search:
    """The state of one module's search: everything evaluated, best first."""

    def __init__(self, vocab: Sequence[str], rng: random.Random) -> None:
        self.rng = rng
        self.seeds = V.seeds(vocab)
        self.blocks = V.passes(vocab)
        self.tokens: dict[str, list[str]] = {}
        self.size: dict[str, int | None] = {}
        self.status: dict[str, str] = {}
        self.baseline: int | None = None

    def ranked(self) -> list[str]:
        ok = [p for p, s in self.size.items() if s is not None]
        return sorted(ok, key=lambda p: (self.size[p], len(self.tokens[p]), p))

    def _fresh(self, tokens: list[str], seen: set[str]) -> str | None:
        if not tokens or len(tokens) > MAX_TOKENS:
            return None
        pipeline = V.render(tokens)
        if pipeline in self.size or pipeline in seen:
            return None
        self.tokens[pipeline] = tokens
        seen.add(pipeline)
        return pipeline

    def propose(self, n: int) -> list[str]:
        """The next batch of at most ``n`` new pipelines."""
        out: list[str] = []
        seen: set[str] = set()

        def add(tokens: list[str]) -> None:
            if len(out) < n and (p := self._fresh(tokens, seen)) is not None:
                out.append(p)

        rng, blocks = self.rng, self.blocks
        if not self.size:  # first round: seeds, then random sequences
            for seed in self.seeds:
                add(seed)
            for i in range(4 * n):
                if len(out) >= n:
                    break
                if self.seeds and i % 2 == 0:  # a seed, then a short random tail
                    add([*rng.choice(self.seeds), *V.random_tokens(rng, blocks, 1, 4)])
                else:
                    add(V.random_tokens(rng, blocks, 3, 16))
            return out
        ranked = self.ranked()
        if not ranked:  # nothing worked yet: keep sampling
            for _ in range(4 * n):
                add(V.random_tokens(rng, blocks, 2, 12))
            return out
        best = self.tokens[ranked[0]]
        # Greedy: the best so far, extended by one pass at the end (a third of the batch).
        for block in rng.sample(blocks, min(len(blocks), n // 3)):
            add([*best, block])
        # Evolution: 1-3 edits of one of the best four, the best one most often.
        parents = [self.tokens[p] for p in ranked[:4]]
        for _ in range(8 * n):
            if len(out) >= n:
                break
            parent = parents[min(int(rng.expovariate(1.0)), len(parents) - 1)]
            child = parent
            for _ in range(rng.choice((1, 1, 2, 3))):
                child = mutate(rng, child, blocks)
            add(child)
        for _ in range(4 * n):  # fresh blood when the neighbourhood is exhausted
            add(V.random_tokens(rng, blocks, 3, 16))
        return out

    def record(self, batch: Batch) -> None:
        if batch.baseline is not None:
            self.baseline = batch.baseline
        for ev in batch.results:
            self.size[ev.pipeline] = ev.size if ev.status == OK else None
            self.status[ev.pipeline] = ev.status


def module_seed(seed: int, key: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}:{key}".encode()).digest()[:8], "little")


def search_module(
    spec: ModuleSpec,
    config: SearchConfig,
    evaluate: Evaluator | None = None,
    vocab: Sequence[str] | None = None,
) -> dict:
    """Search one module; return its checkpoint record (see :func:`aggregate`)."""
    evaluate = evaluate or plugin_evaluator(config.timeout)
    state = Search(
        vocab if vocab is not None else V.vocabulary(),
        random.Random(module_seed(config.seed, spec.key)),
    )
    start = time.monotonic()
    errors: list[str] = []
    used = 0
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


def module_features(path: str) -> dict:
    """Features of one module, if ``pybridge.features`` is there (it may not be yet)."""
    try:
        from pybridge import features
    except ImportError as exc:
        return {"features": None, "feature_hash": "", "feature_error": str(exc)}
    try:
        values = features.extract(Path(path).read_bytes())
        return {
            "features": [float(v) for v in values],
            "feature_hash": features.FEATURE_HASH,
            "feature_error": "",
        }
    except Exception as exc:  # a feature bug must not lose a search
        return {"features": None, "feature_hash": "", "feature_error": f"{exc}"[:300]}


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
    split_of = load_split(split_file)
    module_cols: dict[str, list] = {
        k: []
        for k in (
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
    }
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


# --------------------------------------------------------------------------- dask


def make_client(scheduler: str | None, workers: int):
    """A Dask client: the given scheduler, or a local cluster of single-threaded workers."""
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler)
    # Processes, one thread each: the work is subprocesses anyway, and a worker
    # per core keeps two clangs (plus their forked candidates) on two cores.
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
    )  # any free port: others may hold 8787
    return Client(cluster)


def run_tasks(
    client, fn: Callable, items: Sequence, *args, desc: str, time_limit: float | None = None
) -> list:
    """Map ``fn(item, *args)`` over ``items`` on Dask with a tqdm bar; stop at ``time_limit``."""
    from distributed import as_completed
    from tqdm import tqdm

    futures = [
        client.submit(fn, item, *args, pure=False, priority=-i) for i, item in enumerate(items)
    ]
    results, failures = [], 0
    deadline = time.monotonic() + time_limit if time_limit else None
    bar = tqdm(total=len(futures), desc=desc, unit="mod", file=sys.stderr)
    done = as_completed(futures, with_results=False)
    try:
        for fut in done:
            try:
                results.append(fut.result())
            except Exception as exc:  # one bad module must not stop the run
                failures += 1
                bar.write(f"llmc: task failed: {type(exc).__name__}: {exc}"[:300])
            bar.update()
            if deadline and time.monotonic() > deadline:
                bar.write("llmc: time limit reached; unfinished modules resume next run")
                break
    finally:
        bar.close()
        client.cancel([f for f in futures if not f.done()])
    return results


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
    if not toolchain.plugin_path().is_file():
        print(
            f"llmc search: no plugin at {toolchain.plugin_path()} (set LLMC_PLUGIN)",
            file=sys.stderr,
        )
        return 2
    specs = load_modules(
        args.corpus,
        args.manifest,
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
    config = SearchConfig(args.budget, args.batch, args.seed, args.timeout)
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
