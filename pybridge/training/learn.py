"""``llmc learn``: a user's own builds as labels, and the ranker retrained on them.

Every trial a build runs through the plugin is a measured label: the decision
log (``LLMC_LOG``) holds, per module, the -Oz size and the size of every
candidate tried. ``llmc learn`` turns logs into rows of the dataset ``llmc
train`` reads and trains with the same code (:func:`train.fit_and_export`):

1. **Records**: every log line through :mod:`pybridge.decisionlog`. Only
   ``clang`` records against ``default<Oz>`` with the object metric become
   labels (the table's labels are object sizes against -Oz); the others are
   counted.
2. **Modules**: a record names its module as the compiler saw it (the source
   path, relative to the compile's directory). It is matched to the entry of
   the compile database whose directory and file resolve to the same source,
   and its IR is rebuilt as the plugin saw it by :mod:`corpus` (the project's
   flags with llmc's frontend flags), then its features by :mod:`modules`. One
   plugin run checks the rebuild: its -Oz size must be the logged one, or the
   database's flags are not the logged build's and the module is skipped.
3. **Labels**: per record, the size of each candidate tried (``ok``), or a
   failure (``invalid``, ``crashed``, ``timeout``: the pipeline's fault, as
   ``llmc table`` counts them); ``failed`` (the trial process failed, not the
   pipeline) and ``rejected`` (never run) are no label. Records of the same
   module merge: per pipeline the most complete record (most labels; the later
   on a tie) wins. A record whose -Oz size differs from the most complete
   one's measured another version of the file or other flags: dropped, counted.
   Table entries the allow-list refuses count as failed (the plugin never runs
   them). A module becomes a training row only when every other table entry is
   labelled: an entry that was not tried is not a bad entry, and a row that
   said so would teach the ranker its own past choices. A high-effort build
   (``LLMC_EFFORT`` at least the table's size, or ``LLMC_PIPELINES`` with the
   table) labels every entry; modules of ordinary builds are counted as partial.
   Pipelines outside the table (an effort build's local search) cannot be
   ranked: they are kept in ``evaluations.parquet`` for a later ``llmc
   table``, counted, and so are the modules where one beat every table entry.
4. **Split**: by file, from a hash of the file's path inside the project, so
   a file stays on its side across runs: ``--holdout`` of the user's modules
   are test (never trained on), ``VALID_FRACTION`` valid, the rest train.
5. **Train**: the shipped datasets' rows (``--base-dataset`` and, beside it,
   the other targets' ``DATASET-<target>/``, as ``llmc train`` reads them; or
   ``none``) and the user's, each on the target its rebuilt module names (its
   triple), whose train and valid rows count ``--weight`` times (repeated:
   proximity scenarios and tree fits both see them that often), fitted and
   exported by ``llmc train``'s code to a self-describing ONNX model, the
   target an input when there are several.
6. **Report**: on the held-out modules, from the labels alone, the geomean
   size change against -Oz when the plugin tries the first k entries, k=1..4,
   with the shipped model (before) and the new one (after), ranked as the
   plugin ranks (allowed entries, :func:`pybridge.advisor.cover_order`, each
   module as its own target).

Writes ``--dataset-out`` (default ``OUT`` without suffix + ``.dataset/``):
``labels.parquet`` (base and user rows of the first target, what ``llmc train
--dataset`` reads) and, for every other target, the same beside it
(``<dataset-out>-<target>``, the name ``llmc train`` looks for), the user's
``modules.parquet`` and ``evaluations.parquet``, ``modules/`` (the rebuilt
bitcode) and ``learn_report.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pybridge import decisionlog, targets, toolchain
from pybridge.training import corpus, trials
from pybridge.training import modules as mods
from pybridge.training import search as S
from pybridge.training import table as T
from pybridge.training import train as TR

# The plugin loads the model in every compiler process: a model trained on a
# large code base may exceed llmc train's budget, but not this one.
MAX_MODEL_BYTES = 20 * 1024 * 1024
HOLDOUT = 0.25
VALID_FRACTION = 0.15
WEIGHT = 4
FAILURE = ("invalid", "crashed", "timeout")  # the pipeline's failure: a label, no size
NO_LABEL = ("rejected", "failed")  # never run, or the trial process failed
SHOWN_PER_CATEGORY = 20  # lines printed per skip category; all are counted


# --------------------------------------------------------------------------- bookkeeping


@dataclass
class Summary:
    """What was skipped, by category, one line each."""

    lines: dict[str, list[str]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)

    def skip(self, category: str, line: str) -> None:
        self.counts[category] += 1
        self.lines.setdefault(category, []).append(line)

    def note(self, category: str, n: int = 1) -> None:
        self.counts[category] += n

    def render(self) -> list[str]:
        out = []
        for category, lines in self.lines.items():
            out.append(f"skipped: {len(lines)} {category}")
            out += [f"  {line}" for line in lines[:SHOWN_PER_CATEGORY]]
            if len(lines) > SHOWN_PER_CATEGORY:
                out.append(f"  ... and {len(lines) - SHOWN_PER_CATEGORY} more")
        return out


@dataclass(frozen=True)
class Logged:
    """One decision record and where it came from."""

    where: str  # log:line
    decision: decisionlog.Decision

    def labels(self) -> dict[str, int | None]:
        """pipeline -> size (None: the pipeline failed) of every candidate tried."""
        out: dict[str, int | None] = {}
        for c in self.decision.candidates:
            if c.status in NO_LABEL or c.pipeline in out:
                continue
            out[c.pipeline] = c.size if c.status == trials.OK else None
        return out


# --------------------------------------------------------------------------- records


def read_logs(paths: Sequence[Path], summary: Summary) -> list[Logged]:
    """Every decision record of the logs; unreadable files and bad lines are skipped."""
    records = []
    for path in paths:
        try:
            text = path.read_text(errors="replace")
        except OSError as exc:
            summary.skip("unreadable logs", f"{path}: {exc.strerror or exc}")
            continue
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                records.append(Logged(f"{path}:{n}", decisionlog.parse(line)))
            except decisionlog.LogFormatError as exc:
                summary.skip("log lines that do not parse", f"{path}:{n}: {exc}"[:300])
    return records


def usable(record: Logged, summary: Summary) -> bool:
    """A clang record with object sizes against -Oz: what the table's labels are."""
    d = record.decision
    why = ""
    if d.tool != "clang":
        why = f"tool {d.tool} (only clang's per-file records are labels)"
    elif d.metric != "object":
        why = f"metric {d.metric} (labels are object sizes)"
    elif d.baseline_pipeline != trials.BASELINE:
        why = f"baseline {d.baseline_pipeline} (labels are against {trials.BASELINE})"
    elif d.baseline_size is None:
        why = "no baseline size"
    if why:
        summary.skip("records of another kind", f"{record.where}: {d.module}: {why}")
    return not why


def match_units(
    names: Sequence[str], units: Sequence[corpus.TranslationUnit]
) -> dict[str, corpus.TranslationUnit | str]:
    """Module name -> its translation unit, or why there is none.

    clang names a module by its source as given on the command line, relative to
    the compile's directory: the one unit whose directory and name resolve to
    its source is the module's.
    """
    by_source = {u.source: u for u in units}
    directories = sorted({u.directory for u in units})
    out: dict[str, corpus.TranslationUnit | str] = {}
    for name in names:
        hits = sorted({(d / name).resolve() for d in directories} & set(by_source))
        if len(hits) == 1:
            out[name] = by_source[hits[0]]
        elif hits:
            out[name] = "ambiguous: " + ", ".join(str(h) for h in hits[:3])
        else:
            out[name] = "not in the compile database"
    return out


@dataclass
class Merged:
    """One module's labels over all its records."""

    unit: corpus.TranslationUnit
    baseline: int
    sizes: dict[str, int | None]  # every pipeline labelled, table or not
    records: int
    micros: int = 0  # trial time of the kept records


def merge(unit: corpus.TranslationUnit, records: Sequence[Logged], summary: Summary) -> Merged:
    """The most complete record first (the later one on a tie); per pipeline it wins."""
    ranked = sorted(enumerate(records), key=lambda ir: (-len(ir[1].labels()), -ir[0]))
    best = ranked[0][1].decision
    assert best.baseline_size is not None  # usable() checked
    merged = Merged(unit, best.baseline_size, {}, 0)
    for _, record in ranked:
        d = record.decision
        if d.baseline_size != best.baseline_size:
            summary.skip(
                "records of another version of their file",
                f"{record.where}: {d.module}: -Oz size {d.baseline_size}, "
                f"{best.baseline_size} in its most complete record",
            )
            continue
        merged.records += 1
        merged.micros += d.micros.get("trials", 0)
        for pipeline, size in record.labels().items():
            merged.sizes.setdefault(pipeline, size)
    return merged


def table_sizes(
    merged: Merged, table: Sequence[str], refused: set[str]
) -> tuple[list[int | None], list[str]]:
    """Sizes in table order (None: failed or refused) and the entries not labelled."""
    sizes, missing = [], []
    for pipeline in table:
        if pipeline in merged.sizes:
            sizes.append(merged.sizes[pipeline])
        else:
            sizes.append(None)
            if pipeline not in refused:
                missing.append(pipeline)
    return sizes, missing


def file_hash(rel: str) -> float:
    """A file's place in [0, 1): its split does not depend on the other files."""
    return int(hashlib.sha256(rel.encode()).hexdigest()[:12], 16) / 16**12


def assign_splits(
    rels: Sequence[str], holdout: float, valid: float, *, need_valid: bool = False
) -> dict[str, str]:
    """test below ``holdout``, valid up to ``holdout + valid``, train above, by file_hash.

    With two modules or more, at least one is held out (the lowest hash), so the
    report always has a before/after; with ``need_valid`` (no base dataset, whose
    valid split would choose the family) the lowest train one becomes valid when
    no file fell there. Small code bases move a file or two; large ones none.
    """
    place = {r: file_hash(r) for r in rels}
    out = {
        r: "test" if p < holdout else "valid" if p < holdout + valid else "train"
        for r, p in place.items()
    }
    ordered = sorted(rels, key=lambda r: (place[r], r))
    if len(rels) >= 2 and holdout > 0 and "test" not in out.values():
        out[ordered[0]] = "test"
    train = [r for r in ordered if out[r] == "train"]
    if need_valid and "valid" not in out.values() and len(train) >= 2:
        out[train[0]] = "valid"
    return out


# --------------------------------------------------------------------------- evaluation


def plugin_orders(model: Any, X: Any, table: Sequence[str], target: str | None = None) -> Any:
    """Table columns in the order the plugin would try them, allowed entries only.

    As :func:`pybridge.advisor.rank_module`: the model's beliefs, cover_order over
    the entries the allow-list accepts. Model entries that are not in ``table``
    (another model's table) have no label and are left out.
    """
    import numpy as np

    from pybridge.advisor import cover_order

    column = {p: i for i, p in enumerate(table)}
    allowed = [i for i in model.allowed if model.candidates[i] in column]
    weights, scenarios = TR.onnx_beliefs(model, X, target)
    orders = []
    for w, sc in zip(weights, scenarios, strict=True):
        order = cover_order(w, sc[:, allowed])
        orders.append([column[model.candidates[allowed[j]]] for j in order])
    return np.array(orders, dtype=np.int64).reshape(len(X), len(allowed))


def score(
    model_path: Path, groups: Sequence[tuple[str, Any, Any]], table: Sequence[str]
) -> dict[str, Any]:
    """Geomean change against -Oz at k=1..4 when the plugin tries the model's first k.

    ``groups``: (target, X, R) of the modules of each target, each ranked as the
    plugin ranks that target's modules (``targets.nearest_known``)."""
    import numpy as np

    from pybridge.model import ModelError, load_model

    try:
        model = load_model(model_path)
        parts = [
            plugin_orders(model, X, table, targets.nearest_known(t, model.targets))
            for t, X, _ in groups
        ]
    except ModelError as exc:
        return {"model": str(model_path), "error": str(exc)}
    orders, R = np.concatenate(parts), np.concatenate([r for _, _, r in groups])
    if orders.shape[1] == 0:
        return {"model": str(model_path), "error": "no allowed entry of the table"}
    ks = [k for k in TR.KS if k <= orders.shape[1]]
    return {
        "model": str(model_path),
        "model_id": model.model_id,
        "geomean_change_pct": {str(k): v for k, v in TR.evaluate_order(R, orders, ks).items()},
    }


# --------------------------------------------------------------------------- command


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--log", type=Path, action="append", required=True, help="LLMC_LOG file (repeatable)"
    )
    parser.add_argument("--compile-commands", type=Path, required=True)
    parser.add_argument(
        "--base-dataset",
        default=str(mods.DATASET_DIR),
        help="dataset dir whose labels.parquet is trained on too, or 'none' (%(default)s)",
    )
    parser.add_argument("--candidates", type=Path, default=T.CANDIDATES_FILE)
    parser.add_argument("--out", type=Path, required=True, help="the model to write (.onnx)")
    parser.add_argument("--dataset-out", type=Path, help="default: OUT without suffix + .dataset")
    parser.add_argument("--project", help="project name of the rows (default: local:<root dir>)")
    parser.add_argument(
        "--weight", type=int, default=WEIGHT, help="each user module counts N times (%(default)s)"
    )
    parser.add_argument(
        "--holdout",
        type=float,
        default=HOLDOUT,
        help="share of the user's files held out for the report (%(default)s)",
    )
    parser.add_argument(
        "--before-model",
        type=Path,
        default=toolchain.DEFAULT_MODEL,
        help="the model the report compares with (%(default)s)",
    )
    parser.add_argument("--families", nargs="*", help="only these model families (llmc train's)")
    parser.add_argument(
        "--no-verify",
        action="store_true",
        help="skip checking each rebuilt module's -Oz size against its log (one run each)",
    )
    parser.add_argument("--jobs", type=int, default=2, help="compile processes (%(default)s)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per compile")
    parser.set_defaults(func=main)


def _fail(message: str) -> int:
    print(f"llmc learn: {message}", file=sys.stderr)
    return 2


def main(args: argparse.Namespace) -> int:
    start = time.monotonic()
    summary = Summary()
    if args.weight < 1:
        return _fail("--weight must be at least 1")
    if not 0 <= args.holdout < 1:
        return _fail("--holdout must be in [0, 1)")
    records = read_logs(args.log, summary)
    if not records:
        print("\n".join(summary.render()), file=sys.stderr)
        return _fail(f"no decision record in {', '.join(map(str, args.log))}")
    db_path: Path = args.compile_commands.resolve()
    try:
        entries = json.loads(db_path.read_text())
        if not isinstance(entries, list):
            raise ValueError("not a JSON list")
    except (OSError, ValueError) as exc:
        return _fail(f"cannot read {db_path}: {exc}")
    root = corpus.source_root(entries, db_path)
    project = args.project or f"local:{root.name or db_path.parent.name}"
    units = list(corpus.specs_from_compile_db(entries, project, root))

    by_module: dict[str, list[Logged]] = {}
    for record in records:
        if usable(record, summary):
            by_module.setdefault(record.decision.module, []).append(record)
    matched = match_units(sorted(by_module), units)
    by_unit: dict[str, list[Logged]] = {}
    unit_of: dict[str, corpus.TranslationUnit] = {}
    for name, unit in matched.items():
        if isinstance(unit, str):
            summary.skip("modules not in the compile database", f"{name}: {unit}")
            continue
        by_unit.setdefault(unit.rel, []).extend(by_module[name])
        unit_of[unit.rel] = unit

    entries_of_table = json.loads(args.candidates.read_text())["candidates"]
    table = [c["pipeline"] for c in entries_of_table]
    from pybridge import allowlist

    refused = {p for p in table if allowlist.check(p)}
    # target -> the base datasets' rows; the first target's dataset comes first.
    base_rows: dict[str, list[dict[str, Any]]] = {}
    no_base = args.base_dataset.lower() == "none"
    if not no_base:
        base_dir = Path(args.base_dataset)
        base_labels = base_dir / "labels.parquet"
        if not base_labels.is_file():
            return _fail(f"no {base_labels} (pass --base-dataset none to train on yours alone)")
        if T.label_pipelines(base_labels) != table:
            return _fail(f"{base_labels} was labelled with another table than {args.candidates}")
        for d in [base_dir, *TR.target_datasets(base_dir, args.candidates, "llmc learn")]:
            # A previous learn's dataset as the base: its rows of this project are replaced.
            rows = [r for r in T.load_labels(d / "labels.parquet") if r["project"] != project]
            base_rows.setdefault(T.label_target(d / "labels.parquet"), []).extend(rows)
    in_table = set(table)
    merged: dict[str, Merged] = {}
    off_table: Counter[str] = Counter()
    beaten = 0
    for rel in sorted(by_unit):
        m = merge(unit_of[rel], by_unit[rel], summary)
        extra = {p: s for p, s in m.sizes.items() if p not in in_table}
        off_table.update(extra.keys())
        table_best = min([s for p, s in m.sizes.items() if p in in_table and s] or [m.baseline])
        if any(s and s < min(table_best, m.baseline) for s in extra.values()):
            beaten += 1
        sizes, missing = table_sizes(m, table, refused)
        if len(missing) == len(table) - len(refused):
            summary.skip("modules with no table entry tried", f"{rel}: none of the table ran")
        elif missing:
            summary.skip(
                "modules with partial labels (build with LLMC_EFFORT >= "
                f"{len(table)} for every entry)",
                f"{rel}: {len(missing)} of {len(table) - len(refused)} allowed entries not tried",
            )
        else:
            merged[rel] = m
    if not merged:
        print("\n".join(summary.render()), file=sys.stderr)
        return _fail("no module of the logs has labels for the whole table: nothing to learn")

    dataset_out: Path = args.dataset_out or args.out.with_suffix("").with_name(
        args.out.with_suffix("").name + ".dataset"
    )
    modules_dir = dataset_out / "modules"
    results = corpus.compile_all(
        [merged[rel].unit for rel in sorted(merged)],
        modules_dir,
        jobs=args.jobs,
        timeout=args.timeout,
        desc="rebuild IR",
    )
    user_rows: list[dict[str, Any]] = []
    module_rows: list[dict[str, Any]] = []
    # The rebuilt IR must be the logged one: its -Oz size through the plugin, one run,
    # for the machine the build compiled for (a cross build's triple, CPU and ABI).
    for result in results:
        rel = result.spec.rel
        if not result.ok:
            summary.skip("compiles that failed", f"{rel}: {result.reason}")
            continue
        bc = result.spec.output(modules_dir)
        feats = mods.module_features(str(bc))
        if feats["features"] is None:
            summary.skip("modules without features", f"{rel}: {feats['feature_error']}")
            continue
        target = feats["target"]
        if not target:
            summary.skip("modules of a target llmc does not know", f"{rel}: no llmc target")
            continue
        m = merged[rel]
        if not args.no_verify:
            machine = targets.machine_flags(result.spec.flags)
            evaluate = trials.plugin_evaluator(int(args.timeout), codegen=machine)
            got = evaluate(str(bc), [trials.BASELINE]).baseline
            if got != m.baseline:
                summary.skip(
                    "rebuilds whose -Oz size is not the logged one (other flags than the build's?)",
                    f"{rel}: {got} rebuilt, {m.baseline} logged",
                )
                continue
        sizes, _ = table_sizes(m, table, refused)
        ok = sorted((s, len(p), p) for p, s in m.sizes.items() if s is not None)
        best = ok[0] if ok else None
        common = {
            "project": project,
            "file": f"{rel}.bc",
            "sha256": corpus.sha256_of(bc),
            "split": "",  # below, once every module is known
            "baseline_size": m.baseline,
            "features": feats["features"],
            "feature_hash": feats["feature_hash"],
        }
        user_rows.append(
            {
                **common,
                "search_best": best[0] if best else None,
                "search_pipeline": best[2] if best else None,
                "sizes": sizes,
                "target": target,  # which labels file it goes to; not a column
            }
        )
        module_rows.append(
            {
                **common,
                "bytes": bc.stat().st_size,
                "best_size": best[0] if best else None,
                "best_pipeline": best[2] if best else None,
                "n_evals": len(m.sizes),
                "n_ok": len(ok),
                "seconds": m.micros / 1e6,
                "evaluations": m.sizes,
            }
        )
    if not user_rows:
        print("\n".join(summary.render()), file=sys.stderr)
        return _fail("no labelled module could be rebuilt: nothing to learn")
    # Split what is left: a module that failed above must not take the held-out place.
    rels = [r["file"].removesuffix(".bc") for r in user_rows]
    splits = assign_splits(rels, args.holdout, VALID_FRACTION, need_valid=no_base)
    for row in [*user_rows, *module_rows]:
        row["split"] = splits[row["file"].removesuffix(".bc")]

    dataset_out.mkdir(parents=True, exist_ok=True)
    write_user_tables(dataset_out, module_rows)
    # One labels file per target, the base's first (or, alone, the target of most of
    # the user's modules): llmc train --dataset DATASET_OUT reads them all.
    user_targets = Counter(r["target"] for r in user_rows)
    order = [
        *base_rows,
        *sorted(set(user_targets) - set(base_rows), key=lambda t: -user_targets[t]),
    ]
    sets = []
    for i, target in enumerate(order):
        path = (
            dataset_out
            if i == 0
            else dataset_out.parent / targets.per_target(dataset_out.name, target)
        )
        mine = [r for r in user_rows if r["target"] == target]
        T.save_labels(base_rows.get(target, []) + mine, table, path / "labels.parquet", target)
        data = TR.load_dataset(path / "labels.parquet", args.candidates)
        user = data["project"] == project
        sets.append((target, data, user, user & (data["split"] == "test")))
    weighted = [weigh(data, user & ~test, args.weight) for _, data, user, test in sets]
    code, train_report = TR.fit_and_export(
        weighted[0], args.out, only=args.families, others=weighted[1:]
    )
    if code:
        print("\n".join(summary.render()), file=sys.stderr)
        return code if code != 2 else _fail("too few modules to train on (see above)")

    report: dict[str, Any] = {
        "project": project,
        "logs": [str(p) for p in args.log],
        "records": len(records),
        "modules": {
            "labelled": len(user_rows),
            **{
                s: sum(int(((data["split"] == s) & user).sum()) for _, data, user, _ in sets)
                for s in ("train", "valid", "test")
            },
        },
        "modules_by_target": dict(sorted(user_targets.items())),
        "base_modules": sum(len(rows) for rows in base_rows.values()),
        "weight": args.weight,
        # Per table entry id (candidates.json): user modules it has a size on (not failed).
        "sizes_by_entry_id": {
            str(c["id"]): sum(r["sizes"][i] is not None for r in user_rows)
            for i, c in enumerate(entries_of_table)
        },
        "off_table": {
            "pipelines": len(off_table),
            "labels": sum(off_table.values()),
            "modules_where_one_beat_the_table": beaten,
        },
        "skipped": dict(summary.counts),
        "train": train_report,
    }
    groups = [(t, data["X"][test], data["R"][test]) for t, data, _, test in sets if test.any()]
    if groups:
        import numpy as np

        R = np.concatenate([r for _, _, r in groups])
        allowed_cols = [i for i, p in enumerate(table) if p not in refused]
        report["heldout"] = {
            "modules": len(R),
            "files": sorted(
                r["file"]
                for _, data, _, test in sets
                for r, t in zip(data["rows"], test, strict=True)
                if t
            ),
            "oracle_pct": round(
                TR.geomean_change_pct(np.minimum(1, R[:, allowed_cols].min(axis=1))), 4
            ),
            "before": score(args.before_model, groups, table),
            "after": score(args.out, groups, table),
        }
    else:
        report["heldout"] = {"modules": 0, "note": "too few modules to hold any out"}
    report["seconds"] = round(time.monotonic() - start, 1)
    (dataset_out / "learn_report.json").write_text(json.dumps(report, indent=1) + "\n")
    print_report(report, summary)
    size = train_report["export"]["bytes"]
    if size > MAX_MODEL_BYTES:
        print(f"llmc learn: model is {size} bytes, over {MAX_MODEL_BYTES}", file=sys.stderr)
        return 1
    return 0


def weigh(data: dict[str, Any], rows: Any, weight: int) -> dict[str, Any]:
    """``data`` with the ``rows`` mask repeated ``weight`` times in all, the others once."""
    import numpy as np

    index = np.concatenate([np.arange(len(rows)), np.repeat(np.flatnonzero(rows), weight - 1)])
    out = dict(data)
    for key in ("X", "R", "Y", "split", "project"):
        out[key] = data[key][index]
    out["rows"] = [data["rows"][i] for i in index]
    return out


def write_user_tables(dataset_out: Path, module_rows: Sequence[dict[str, Any]]) -> None:
    """modules.parquet and evaluations.parquet of the user's modules, as search writes them."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = S.MODULE_COLUMNS
    modules = pa.table(
        {
            c: pa.array(
                [r[c] for r in module_rows],
                type=pa.list_(pa.float32()) if c == "features" else None,
            )
            for c in columns
        }
    )
    pq.write_table(modules, dataset_out / "modules.parquet", compression="zstd")
    evaluations = [
        {"project": r["project"], "file": r["file"], "pipeline": p, "size": s}
        for r in module_rows
        for p, s in sorted(r["evaluations"].items())
    ]
    schema = pa.schema(
        [
            ("project", pa.string()),
            ("file", pa.string()),
            ("pipeline", pa.string()),
            ("size", pa.int64()),
        ]
    )
    pq.write_table(
        pa.Table.from_pylist(evaluations, schema=schema),
        dataset_out / "evaluations.parquet",
        compression="zstd",
    )


def print_report(report: dict[str, Any], summary: Summary) -> None:
    m = report["modules"]
    lines = [
        f"llmc learn: {report['records']} records, {m['labelled']} modules of "
        f"{report['project']} labelled ({m['train']} train, {m['valid']} valid, "
        f"{m['test']} held out), {report['base_modules']} base modules, weight "
        f"{report['weight']}",
        f"llmc learn: {report['off_table']['labels']} labels of "
        f"{report['off_table']['pipelines']} pipelines outside the table not ranked "
        f"(one beat the table on {report['off_table']['modules_where_one_beat_the_table']} "
        "modules)",
        *summary.render(),
    ]
    held = report["heldout"]
    if held["modules"]:
        lines.append(
            f"held out: {held['modules']} modules, table oracle {held['oracle_pct']:+.2f}%; "
            "geomean size change against -Oz when trying the first k:"
        )
        for name in ("before", "after"):
            got = held[name]
            if "error" in got:
                lines.append(f"  {name:6} {got['model']}: {got['error']}")
            else:
                by_k = "  ".join(f"k={k} {v:+.2f}%" for k, v in got["geomean_change_pct"].items())
                lines.append(f"  {name:6} {by_k}  ({got['model']})")
    else:
        lines.append(f"held out: none ({held['note']})")
    export = report["train"]["export"]
    lines.append(
        f"llmc learn: wrote {export['path']} ({export['bytes']} bytes, "
        f"{report['train']['chosen']}) in {report['seconds']}s"
    )
    print("\n".join(lines))
