"""The corpus as training sees it: built modules, their projects' splits, features.

A :class:`ModuleSpec` is one built module of the manifest (``llmc corpus``
writes them); :func:`load_modules` picks them by split, round-robin over
projects; :func:`module_features` is the plugin's own feature vector of one.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pybridge import targets, toolchain

DEFAULT_CORPUS = toolchain.WORK_DIR / "modules"
CORPUS_DATA = toolchain.DATA_DIR / "corpus"
DEFAULT_MANIFEST = CORPUS_DATA / "manifest.csv"
DEFAULT_SPLIT = CORPUS_DATA / "split.json"
DATASET_DIR = toolchain.DATA_DIR / "dataset"


def corpus_for(target: str, workdir: Path | None = None) -> Path:
    """A target's modules dir in a work dir (default ``$LLMC_DATA_DIR``): ``modules``
    for the default target, ``modules-<target>`` for another (``llmc corpus build``)."""
    return (workdir or toolchain.WORK_DIR) / targets.per_target("modules", target)


def manifest_for(target: str, workdir: Path | None = None) -> Path:
    """A target's manifest: the work dir's ``manifest[-<target>].csv``; without a work
    dir, the committed manifest for the default target (as always)."""
    if workdir is None and target == targets.DEFAULT_TARGET:
        return DEFAULT_MANIFEST
    return (workdir or toolchain.WORK_DIR) / targets.per_target("manifest.csv", target)


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


def split_of_projects(path: Path | None) -> dict[str, str]:
    """project -> split name ("train"/"valid"/"test") of a split file (corpus.load_split's
    split -> projects, inverted); empty if there is no split file."""
    if path is None or not path.is_file():
        return {}
    from pybridge.training.corpus import invert_split, load_split

    return invert_split(load_split(path))


def add_sample_arguments(parser: argparse.ArgumentParser, limit: int) -> None:
    """The corpus, its manifest and split file, the split and how many modules: what
    every benchmark sampling modules with :func:`load_modules` takes."""
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    parser.add_argument("--split-file", type=Path, default=DEFAULT_SPLIT)
    parser.add_argument("--split", default="test")
    parser.add_argument("--limit", type=int, default=limit)


def split_for(split_file: Path | None, manifest: Path) -> dict[str, str]:
    """The split file's assignment; without one, corpus.py's rule on the manifest's counts.

    A project of public benchmark code (``corpus.BENCHMARK_CODE``) is in no split,
    whatever an older split file says: no training, labelling or selection sees it.
    """
    from pybridge.training.corpus import benchmark_code, invert_split, split_projects

    split_of = split_of_projects(split_file)
    if split_of:
        return {p: s for p, s in split_of.items() if not benchmark_code(p)}

    counts: dict[str, int] = {}
    with manifest.open(newline="") as fh:
        for row in csv.DictReader(fh):
            counts[row["project"]] = counts.get(row["project"], 0) + 1
    print(
        f"llmc: no split file at {split_file}; splitting the manifest's {len(counts)} "
        "projects with corpus.split_projects",
        file=sys.stderr,
    )
    return invert_split(split_projects(counts))


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
    target: str = targets.DEFAULT_TARGET,
) -> list[ModuleSpec]:
    """Manifest rows whose .bc exists, filtered; ``limit`` samples round-robin by project.

    Only ``target``'s rows (a manifest without a target column is the default
    target's): one module is one target's, never resolved in another's tree.

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
            if (row.get("target") or targets.DEFAULT_TARGET) != target:
                continue
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


def module_features(path: str) -> dict:
    """Features of one module, if ``pybridge.features`` is there (it may not be yet),
    and the llmc target its triple is ('' for one llmc does not know)."""
    try:
        from pybridge import features, irreader, targets
    except ImportError as exc:
        return {"features": None, "feature_hash": "", "feature_error": str(exc), "target": ""}
    try:
        counts = irreader.read(Path(path).read_bytes())
        values = features.from_counts(counts)
        target = targets.of_triple(counts.triple)
        return {
            "features": [float(v) for v in values],
            "feature_hash": features.FEATURE_HASH,
            "feature_error": "",
            "target": target.name if target else "",
        }
    except Exception as exc:  # a feature bug must not lose a search
        return {
            "features": None,
            "feature_hash": "",
            "feature_error": f"{exc}"[:300],
            "target": "",
        }
