"""``llmc determinism``: which passes and table entries give different output per run.

A build is reproducible only if every pass it runs maps the same input to the
same output in every process. Passes that iterate a pointer-keyed container
(``DenseMap<Value *, ...>``, ``SmallPtrSet``) do not: their order depends on
heap addresses, which ASLR and the allocator's state change from run to run.

The screen runs each allow-listed pass, in every context it can run in
(``P``, ``cgscc(P)``, ``function(P)``, ``function(loop(P))``,
``function(loop-mssa(P))``, required parameters added), alone and after a
prefix that churns the heap in the same process (``PREFIXES``: only then do
addresses stop following creation order), and each entry of the candidate
table, with ``opt -passes=... -o out.bc`` on a set of input modules
(llvm-stress, C files as the plugin sees them, a generated gvn-sink input),
``runs`` times per (pipeline, module), each run under another heap layout (see
``LAYOUTS``: malloc tunables, perturbation, environment size and a response
file of varying size that opt reads into the heap before anything else). ASLR
stays on: it is the realistic case. The output bitcode is hashed; a pipeline
whose hashes differ on any module is nondeterministic. When they differ the
two outputs are disassembled: ``ir`` means the IR text differs, ``uselist``
that only the use-list order (which opt writes and later passes read) does.

Results go to a state file (one JSON line per (pipeline, module)) as they are
made, so an interrupted screen resumes where it stopped. ``--deny-lines``
prints the ``denied_passes.txt`` lines for the nondeterministic passes.
``--bisect`` shrinks a varying table entry that names no varying or denied
pass to the smallest sub-pipeline that still varies (its culprit). The exit
status is 1 when a pass varies, or an entry varies without such a pass.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from pybridge import allowlist, toolchain

CANDIDATES_FILE = allowlist.DATA_DIR / "candidates.json"
# The levels ``default<...>`` is screened at (the allow-list names it without one).
DEFAULT_LEVELS = ("O1", "O2", "O3", "Os", "Oz")
# Heap layouts, one per run (cycled): environment overrides for glibc's malloc.
# Each run also gets an environment pad and a response-file pad of its own size.
LAYOUTS: tuple[tuple[str, dict[str, str]], ...] = (
    ("aslr", {}),
    ("perturb", {"MALLOC_PERTURB_": "165"}),
    ("mmap-threshold", {"GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=65536"}),
    ("arena1-toppad", {"MALLOC_ARENA_MAX": "1", "MALLOC_TOP_PAD_": "1048576"}),
    ("no-tcache", {"GLIBC_TUNABLES": "glibc.malloc.tcache_count=0"}),
    (
        "perturb-bigmmap",
        {
            "MALLOC_PERTURB_": "77",
            "GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=4194304:glibc.malloc.trim_threshold=0",
        },
    ),
    ("toppad-odd", {"MALLOC_TOP_PAD_": "12345678"}),
    ("no-fastbins", {"GLIBC_TUNABLES": "glibc.malloc.mxfast=0", "MALLOC_ARENA_MAX": "2"}),
)
# A prefix runs in the same process before each pass. A module fresh from
# bitcode has its IR objects in allocation order, so a pass that orders them by
# address behaves the same in every run; only after a pass has created and
# freed IR does malloc's reuse (which the layouts change) decide the order.
# Found with table entry 35: gvn-sink varies after function(gvn) in-process,
# never on gvn's output read back from a file. Loop passes get a prefix that
# also gives them SSA form with rotated LCSSA loops, as real pipelines do.
# Each prefix is screened alone too: a (prefix, pass) result counts only on
# inputs where the prefix alone is deterministic.
CHURN = "function(gvn)"
LOOP_CHURN = (
    "function(sroa,early-cse,instcombine<no-verify-fixpoint>,simplifycfg,gvn,"
    "loop-simplify,loop-mssa(loop-rotate),lcssa)"
)
PREFIXES = {"module": CHURN, "cgscc": CHURN, "function": CHURN, "loop": LOOP_CHURN}
STATE_VERSION = 1
ADAPTORS = ("module", "cgscc", "function", "loop", "loop-mssa")


@dataclass(frozen=True)
class Case:
    """One pipeline to screen: a pass in one context, or a table entry."""

    name: str  # pass name, "candidate <id>" or "prefix <n>"
    pipeline: str
    kind: str  # "pass", "candidate" or "prefix"
    prefix: str = ""  # the pipeline starts with this prefix (a case of its own)


@dataclass(frozen=True)
class Input:
    name: str
    path: Path
    sha: str


@dataclass
class Trial:
    """``runs`` runs of one case on one input."""

    case: str  # the pipeline
    input: str
    runs: int
    digests: list[str]  # per run: sha256 of the output, or "rc=N" for a failed run
    kind: str = ""  # when they differ: "ir" or "uselist"
    seconds: float = 0.0

    @property
    def distinct(self) -> int:
        return len(set(self.digests))

    @property
    def differing(self) -> int:
        """Runs whose output is not the most common one."""
        counts = [self.digests.count(d) for d in set(self.digests)]
        return self.runs - max(counts, default=0)

    @property
    def failed(self) -> bool:
        return any(d.startswith("rc=") for d in self.digests)


@dataclass
class Verdict:
    name: str
    kind: str
    pipelines: list[str]
    nondeterministic: bool = False
    varying: list[dict] = field(default_factory=list)  # input, differing, runs, kind, pipeline
    failed: list[dict] = field(default_factory=list)  # input, pipeline, digests (rc)
    inputs: int = 0  # (pipeline, input) trials that count
    unattributed: int = 0  # trials after a prefix that varies by itself on that input

    def evidence(self, most: int = 3) -> str:
        """``N of M runs differ on <input>, N of M on <input>...``: the inputs with the
        most differing runs first (each input's worst pipeline), ``most`` of them."""
        worst: dict[str, dict] = {}
        for v in self.varying:
            seen = worst.get(v["input"])
            if seen is None or v["differing"] / v["runs"] > seen["differing"] / seen["runs"]:
                worst[v["input"]] = v
        ranked = sorted(worst.values(), key=lambda v: (-v["differing"] / v["runs"], v["input"]))
        parts = [f"{v['differing']} of {v['runs']}" for v in ranked[:most]]
        names = [v["input"] for v in ranked[:most]]
        if not parts:
            return ""
        text = f"{parts[0]} runs differ on {names[0]}"
        text += "".join(f", {p} on {n}" for p, n in zip(parts[1:], names[1:], strict=True))
        more = len(ranked) - most
        return text + (f" and {more} more input{'s' * (more > 1)}" if more > 0 else "")


# --- cases ------------------------------------------------------------------------


def pass_cases(
    allow: allowlist.AllowList | None = None, prefixes: dict[str, str] | None = None
) -> list[Case]:
    """Every allow-listed pass in every context it can run in, alone and after its
    level's prefix; the prefixes alone first (kind "prefix")."""
    allow = allow or allowlist.load()
    prefixes = PREFIXES if prefixes is None else prefixes
    unique = list(dict.fromkeys(prefixes.values()))
    cases = [Case(f"prefix {i}", prefix, "prefix") for i, prefix in enumerate(unique)]
    for name in sorted(allow.levels):
        levels = allow.levels[name] - {allowlist.ADAPTOR}
        if not levels:
            continue
        needed = allow.required.get(name)
        if name == "default":
            texts = [f"default<{level}>" for level in DEFAULT_LEVELS]
        else:
            texts = [f"{name}<{needed}>" if needed else name]
        for text in texts:
            for level in sorted(levels, key=allowlist.LEVELS.index):
                for pipeline in wrap(text, level):
                    cases.append(Case(name, pipeline, "pass"))
                    pre = prefixes.get(level)
                    if pre:
                        cases.append(Case(name, f"{pre},{pipeline}", "pass", pre))
    return cases


def wrap(text: str, level: str) -> list[str]:
    """The pipelines that run ``text`` (a pass) at ``level``: a loop pass in
    ``loop(...)`` and in ``loop-mssa(...)``, each where the allow-list accepts it
    (licm only in loop-mssa, loop-unroll-full only in loop)."""
    if level == "module":
        return [text]
    if level == "cgscc":
        return [f"cgscc({text})"]
    if level == "function":
        return [f"function({text})"]
    both = [f"function(loop({text}))", f"function(loop-mssa({text}))"]
    return [p for p in both if allowlist.check(p) is None]


def select_cases(cases: list[Case], only: Sequence[str]) -> list[Case]:
    """``--only``: the cases named by pass name, table entry (``candidate 54`` or its
    id, ``54``) or pipeline, and the heap-churning prefixes they run after."""
    wanted = set(only)
    kept = [c for c in cases if wanted & {c.name, c.pipeline, c.name.removeprefix("candidate ")}]
    needed = {c.prefix for c in kept if c.prefix}
    return [c for c in cases if c.kind == "prefix" and c.pipeline in needed] + kept


def candidate_cases(path: Path = CANDIDATES_FILE) -> list[Case]:
    table = json.loads(path.read_text())
    return [
        Case(f"candidate {entry['id']}", entry["pipeline"], "candidate")
        for entry in table["candidates"]
    ]


# --- inputs -----------------------------------------------------------------------


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _make_input(name: str, data: bytes, directory: Path) -> Input:
    path = directory / f"{name.replace('/', '_')}.bc"
    path.write_bytes(data)
    return Input(name, path, _sha(data))


def stress_inputs(
    seeds: Iterable[int], sizes: Iterable[int], directory: Path, linked: bool = True
) -> list[Input]:
    """``llvm-stress`` modules as bitcode: one per (seed, size), or with ``linked`` one
    per size holding every seed's function (``autogen_SD<seed>``)."""
    inputs: list[Input] = []
    for size in sizes:
        group = []
        for seed in seeds:
            text = subprocess.run(
                [toolchain.tool("llvm-stress"), f"-seed={seed}", f"-size={size}"],
                check=True,
                capture_output=True,
            ).stdout
            bitcode = subprocess.run(
                [toolchain.tool("llvm-as"), "-", "-o", "-"],
                input=text,
                check=True,
                capture_output=True,
            ).stdout
            group.append(_make_input(f"stress-s{seed}-n{size}", bitcode, directory))
        if linked and len(group) > 1:
            seeds_ = [g.name.split("-")[1][1:] for g in group]
            group = [link(f"stress-n{size}-s{seeds_[0]}..{seeds_[-1]}", group, directory)]
        inputs += group
    return inputs


def c_inputs(sources: Iterable[Path], directory: Path, cflags: Sequence[str] = ()) -> list[Input]:
    """C files as the plugin sees them (clang -Oz, no LLVM pass); files that do not
    compile are skipped with a note."""
    from pybridge.tools.commands import load_bitcode

    inputs = []
    for source in sources:
        try:
            raw = load_bitcode(source, list(cflags))
        except RuntimeError as exc:
            print(f"llmc determinism: skipped {source}: {exc}", file=sys.stderr)
            continue
        inputs.append(_make_input(f"{source.parent.name}/{source.name}", raw, directory))
    return inputs


def link(name: str, inputs: Sequence[Input], directory: Path) -> Input:
    """One module of several (fewer, bigger inputs: opt's start-up dominates small ones)."""
    command = [toolchain.tool("llvm-link"), *(str(i.path) for i in inputs), "-o", "-"]
    proc = subprocess.run(command, capture_output=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command)}: {proc.stderr.decode(errors='replace').strip()}")
    return _make_input(name, proc.stdout, directory)


def synthetic_source(functions: int = 12, diamonds: int = 8, seed: int = 3) -> str:
    """C with many if/else diamonds whose arms do alike work: what gvn-sink sinks.

    zlib's deflate.c and inffast.c show gvn-sink's dependence on heap addresses
    in 7 and 2 of 16 runs; these 340 lines in 15 of 16, so a test can be quick.
    """
    import random

    rng = random.Random(seed)
    lines = ["struct S { int a, b, c, d; unsigned char *p; };"]
    for f in range(functions):
        lines += [f"int f{f}(struct S *s, int x, int y, int *q) {{", "  int t = 0;"]
        for k in range(diamonds):
            op = rng.choice("+-^|")
            lines += [
                f"  if (x & {1 << k}) {{ s->a = y {op} {k}; t += s->p[{k}] * 3; "
                f"q[{k}] = t {op} x; }}",
                f"  else {{ s->a = x {op} {k + 1}; t += s->p[{k + 1}] * 3; q[{k}] = t {op} y; }}",
                f"  if (t > {k * 7}) {{ s->b += t; y = s->c + {k}; }} "
                f"else {{ s->b += y; y = s->d + {k}; }}",
            ]
        lines += ["  return t + y + s->b;", "}"]
    return "\n".join(lines) + "\n"


def synthetic_input(directory: Path) -> Input:
    source = directory / "synthetic-sink.c"
    source.write_text(synthetic_source())
    return replace(c_inputs([source], directory)[0], name=source.name)


def bitcode_inputs(paths: Iterable[Path], directory: Path) -> list[Input]:
    return [_make_input(p.name, p.read_bytes(), directory) for p in paths]


# --- running ----------------------------------------------------------------------


def layout_env(run: int, base: dict[str, str]) -> dict[str, str]:
    """The environment of run ``run``: a malloc layout and a pad that moves the stack."""
    _, overrides = LAYOUTS[run % len(LAYOUTS)]
    env = {**base, **overrides}
    env["HEAP_LAYOUT_PAD"] = "p" * ((run * 2731) % 9000)
    return env


def _base_env() -> dict[str, str]:
    drop = ("LLMC_", "MALLOC_", "GLIBC_TUNABLES", "LD_PRELOAD")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop)}


def run_once(
    pipeline: str, source: Path, out: Path, run: int, base_env: dict[str, str], timeout: float
) -> str:
    """sha256 of opt's output bitcode in run ``run``, or ``rc=N`` if opt failed.

    The arguments go through a response file padded to a size of the run's own:
    opt reads it into the heap before it parses the module, which moves every
    later allocation by that much.
    """
    rsp = out.with_suffix(".rsp")
    pad = " " * ((run * 3851 + 17) % 12000)
    rsp.write_text(f"-passes={pipeline}\n{source}\n-o\n{out}\n{pad}\n")
    try:
        proc = subprocess.run(
            [toolchain.tool("opt"), f"@{rsp}"],
            env=layout_env(run, base_env),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "rc=timeout"
    if proc.returncode != 0:
        return f"rc={proc.returncode}"
    return _sha(out.read_bytes())


def _ir_text(path: Path) -> bytes:
    return subprocess.run(
        [toolchain.tool("llvm-dis"), str(path), "-o", "-"], capture_output=True, check=True
    ).stdout


def run_trial(
    pipeline: str, source: Input, runs: int, workdir: Path, timeout: float = 300.0
) -> Trial:
    """``runs`` runs of ``pipeline`` on ``source``; when outputs differ, what differs."""
    start = time.perf_counter()
    base = _base_env()
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        kept: dict[str, Path] = {}
        digests = []
        for run in range(runs):
            out = Path(tmp) / f"out{run}.bc"
            digest = run_once(pipeline, source.path, out, run, base, timeout)
            digests.append(digest)
            if digest not in kept and not digest.startswith("rc="):
                kept[digest] = out
            elif out.exists():
                out.unlink()
            if run == 0 and digest.startswith("rc="):
                break  # fails deterministically or not at all: one run says which
        kind = ""
        outputs = list(kept.values())
        if len(outputs) > 1:
            kind = "ir" if _ir_text(outputs[0]) != _ir_text(outputs[1]) else "uselist"
        elif len(set(digests)) > 1:
            kind = "failure"  # some runs failed, the others agree
    return Trial(
        pipeline, source.name, len(digests), digests, kind, round(time.perf_counter() - start, 3)
    )


class State:
    """Finished trials, one JSON line each, keyed by (pipeline, input sha, runs)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.done: dict[tuple[str, str, int], Trial] = {}
        self.lock = threading.Lock()
        if path and path.exists():
            for line in path.read_text().splitlines():
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut by an interruption
                if row.get("v") != STATE_VERSION:
                    continue
                trial = Trial(**row["trial"])
                self.done[(trial.case, row["sha"], row["want"])] = trial

    def get(self, pipeline: str, source: Input, runs: int) -> Trial | None:
        """The trial of ``runs`` runs, or the first ``runs`` runs of a longer one."""
        found = self.done.get((pipeline, source.sha, runs))
        if found is None:
            longer = [t for (p, sha, want), t in self.done.items()
                      if p == pipeline and sha == source.sha and want > runs]  # fmt: skip
            if not longer or longer[0].runs < runs:
                return None
            t = longer[0]
            found = Trial(t.case, t.input, runs, t.digests[:runs], t.kind, t.seconds)
            if found.distinct < 2:
                found.kind = ""
        return found

    def put(self, source: Input, want: int, trial: Trial) -> None:
        with self.lock:
            self.done[(trial.case, source.sha, want)] = trial
            if self.path:
                row = {"v": STATE_VERSION, "sha": source.sha, "want": want, "trial": asdict(trial)}
                with self.path.open("a") as f:
                    f.write(json.dumps(row) + "\n")


def screen(
    cases: Sequence[Case],
    inputs: Sequence[Input],
    runs: int = 8,
    *,
    jobs: int = 1,
    state: State | None = None,
    workdir: Path | None = None,
    progress: Callable[[int, int, int], None] | None = None,
) -> list[Verdict]:
    """Every case on every input, ``runs`` runs each; one verdict per case name."""
    if runs < 2:
        raise ValueError("runs must be at least 2 to compare anything")
    state = state or State(None)
    work = workdir or Path(tempfile.gettempdir())
    pipelines = list(dict.fromkeys(c.pipeline for c in cases))
    todo = [(p, s) for p in pipelines for s in inputs if state.get(p, s, runs) is None]
    total, found = len(todo), 0

    def one(item: tuple[str, Input]) -> Trial:
        pipeline, source = item
        trial = run_trial(pipeline, source, runs, work)
        state.put(source, runs, trial)
        return trial

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:  # each job is subprocesses
        for done, trial in enumerate(pool.map(one, todo), 1):
            found += trial.distinct > 1
            if progress:
                progress(done, total, found)
    return verdicts(cases, inputs, runs, state)


def verdicts(
    cases: Sequence[Case], inputs: Sequence[Input], runs: int, state: State
) -> list[Verdict]:
    by_name: dict[str, Verdict] = {}
    for case in cases:
        verdict = by_name.setdefault(case.name, Verdict(case.name, case.kind, []))
        if case.pipeline in verdict.pipelines:
            continue
        verdict.pipelines.append(case.pipeline)
        for source in inputs:
            trial = state.get(case.pipeline, source, runs)
            if trial is None:
                continue
            if case.prefix:
                alone = state.get(case.prefix, source, runs)
                if alone is None or alone.distinct > 1:
                    verdict.unattributed += 1  # the prefix varies by itself here
                    continue
            verdict.inputs += 1
            if trial.distinct > 1:
                verdict.nondeterministic = True
                verdict.varying.append(
                    {
                        "pipeline": case.pipeline,
                        "input": source.name,
                        "differing": trial.differing,
                        "runs": trial.runs,
                        "kind": trial.kind,
                    }
                )
            elif trial.failed:
                verdict.failed.append(
                    {"pipeline": case.pipeline, "input": source.name, "rc": trial.digests[0]}
                )
    return list(by_name.values())


# --- bisecting a table entry --------------------------------------------------------


def varies(pipeline: str, source: Input, runs: int, workdir: Path) -> bool:
    return run_trial(pipeline, source, runs, workdir).distinct > 1


def bisect(pipeline: str, source: Input, runs: int = 16, workdir: Path | None = None) -> str:
    """A small sub-pipeline of ``pipeline`` whose output still varies on ``source``.

    At each nesting level: the shortest varying prefix of the elements, then
    greedily drop elements before its last one while the rest still varies; then
    the same inside each element that is an adaptor (``function(...)``).
    Returns ``pipeline`` itself if nothing smaller varies.
    """
    work = workdir or Path(tempfile.gettempdir())

    def shrink(parts: list[str], make: Callable[[list[str]], str]) -> list[str]:
        for end in range(1, len(parts)):
            if varies(make(parts[:end]), source, runs, work):
                parts = parts[:end]
                break
        i = 0
        while i < len(parts) - 1:
            fewer = parts[:i] + parts[i + 1 :]
            if varies(make(fewer), source, runs, work):
                parts = fewer
            else:
                i += 1
        for index in range(len(parts)):
            adaptor = _adaptor(parts[index])
            if not adaptor:
                continue
            name, inner = adaptor

            def inside(
                kids: list[str], i: int = index, name: str = name, now: list[str] = parts
            ) -> str:
                return make([*now[:i], f"{name}({','.join(kids)})", *now[i + 1 :]])

            kids = shrink(allowlist.split_pipeline(inner), inside)
            parts = [*parts[:index], f"{name}({','.join(kids)})", *parts[index + 1 :]]
        return parts

    return ",".join(shrink(allowlist.split_pipeline(pipeline), ",".join))


def _adaptor(element: str) -> tuple[str, str] | None:
    """(adaptor, inner text) when ``element`` is ``function(...)``, ``loop(...)``..."""
    name, paren, rest = element.partition("(")
    if (
        paren
        and rest.endswith(")")
        and name in ("module", "cgscc", "function", "loop", "loop-mssa")
    ):
        return name, rest[:-1]
    return None


# --- report -----------------------------------------------------------------------


def deny_lines(verdicts_: Iterable[Verdict], denied: Iterable[str] = ()) -> list[str]:
    """``denied_passes.txt`` lines for the nondeterministic passes not yet in ``denied``."""
    skip = set(denied)
    return [
        f"{v.name}  output depends on heap addresses (llmc determinism, {v.evidence()})"
        for v in verdicts_
        if v.kind == "pass" and v.nondeterministic and v.name not in skip
    ]


def explain(
    verdicts_: Iterable[Verdict], cases: Iterable[Case], denied: Iterable[str]
) -> dict[str, list[str]]:
    """For each table entry: the nondeterministic or denied passes it names."""
    suspects = set(denied) | {v.name for v in verdicts_ if v.kind == "pass" and v.nondeterministic}
    return {
        c.name: sorted(pass_names(c.pipeline) & suspects) for c in cases if c.kind == "candidate"
    }


def _llvm_version() -> str:
    out = subprocess.run([toolchain.tool("opt"), "--version"], capture_output=True, text=True)
    return next((line.strip() for line in out.stdout.splitlines() if "version" in line), "")


def report_dict(
    verdicts_: Sequence[Verdict],
    inputs: Sequence[Input],
    runs: int,
    seconds: float,
    bisected: dict[str, str] | None = None,
    explained: dict[str, list[str]] | None = None,
    trials: Sequence[Trial] = (),
) -> dict:
    def summary(v: Verdict) -> dict:
        out: dict = {"name": v.name, "kind": v.kind, "pipelines": v.pipelines}
        out["nondeterministic"] = v.nondeterministic
        out["trials"] = v.inputs
        if v.unattributed:
            out["unattributed"] = v.unattributed
        if v.varying:
            out["evidence"] = v.evidence()
            out["varying"] = v.varying
        if v.failed:
            out["failed"] = v.failed
        if bisected and v.name in bisected:
            out["culprit"] = bisected[v.name]
        if explained and explained.get(v.name):
            out["names_denied_or_varying_passes"] = explained[v.name]
        return out

    return {
        "llvm": _llvm_version(),
        "runs_per_case": runs,
        "layouts": [name for name, _ in LAYOUTS],
        "inputs": [{"name": s.name, "sha256": s.sha} for s in inputs],
        "invocation_seconds": round(seconds, 1),  # this call's, less what it resumed
        # The trials' own time, summed: what a screen from scratch costs with 1 job.
        "trial_seconds": round(sum(t.seconds for t in trials), 1),
        "nondeterministic_passes": sorted(
            {v.name for v in verdicts_ if v.kind == "pass" and v.nondeterministic}
        ),
        "nondeterministic_candidates": [
            v.name for v in verdicts_ if v.kind == "candidate" and v.nondeterministic
        ],
        "verdicts": [summary(v) for v in verdicts_],
    }


# --- command line -----------------------------------------------------------------

DEFAULT_C_INPUTS = "tests/lit/Inputs/*.c tests/lit/Inputs/project/*.c"


REPO_DIR = Path(__file__).resolve().parents[2]  # a source checkout: where tests/ is


def _expand(patterns: Sequence[str], base: Path | None = None) -> list[Path]:
    """Files matching the glob patterns; relative ones under ``base`` (else the cwd)."""
    paths: list[Path] = []
    for pattern in patterns:
        full = pattern if base is None or Path(pattern).is_absolute() else str(base / pattern)
        paths += [Path(m) for m in sorted(glob.glob(full))]
    return paths


def _main(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="llmc-det-"))
    inputs_dir = work / "inputs"
    inputs_dir.mkdir(parents=True, exist_ok=True)
    seeds = range(args.stress_seed, args.stress_seed + args.stress_seeds)
    inputs = stress_inputs(seeds, args.stress_size, inputs_dir)
    groups = args.c_linked or []
    if args.c is None and not groups:
        groups = [[str(p) for p in _expand([g], REPO_DIR)] for g in DEFAULT_C_INPUTS.split()]
    sources = _expand(args.c or [])
    inputs += c_inputs([s for s in sources if s.suffix in (".c", ".i")], inputs_dir, args.cflag)
    inputs += bitcode_inputs([s for s in sources if s.suffix == ".bc"], inputs_dir)
    for group in groups:
        members = c_inputs(_expand(group), inputs_dir, args.cflag)
        if members:
            name = f"{members[0].name}+{len(members) - 1}" if len(members) > 1 else members[0].name
            inputs.append(link(name, members, inputs_dir))
    if not args.no_synthetic:
        inputs.append(synthetic_input(inputs_dir))

    cases: list[Case] = []
    if not args.candidates_only:
        cases += pass_cases()
    if not args.passes_only:
        cases += candidate_cases(Path(args.candidates))
    if args.only:
        cases = select_cases(cases, args.only)
    rejected = [c for c in cases if allowlist.check(c.pipeline) and c.kind == "pass"]
    for c in rejected:
        print(f"llmc determinism: {c.pipeline}: {allowlist.check(c.pipeline)}", file=sys.stderr)

    state = State(Path(args.state) if args.state else work / "state.jsonl")
    n_pipelines = len({c.pipeline for c in cases})
    print(
        f"llmc determinism: {n_pipelines} pipelines ({len(cases)} cases) x {len(inputs)} inputs "
        f"x {args.runs} runs, {args.jobs} job(s), state {state.path}",
        file=sys.stderr,
    )

    def progress(done: int, total: int, found: int) -> None:
        if done % 50 == 0 or done == total:
            elapsed = time.perf_counter() - start
            print(
                f"llmc determinism: {done}/{total} trials, {found} varying, {elapsed:.0f} s",
                file=sys.stderr,
                flush=True,
            )

    results = screen(
        cases, inputs, args.runs, jobs=args.jobs, state=state, workdir=work, progress=progress
    )
    denied = set(allowlist.load().denied)
    explained = explain(results, cases, denied)
    bisected: dict[str, str] = {}
    if args.bisect:
        pipelines = {c.name: c.pipeline for c in cases}
        for v in results:
            if v.kind == "candidate" and v.nondeterministic and not explained.get(v.name):
                source = next(s for s in inputs if s.name == v.varying[0]["input"])
                bisected[v.name] = bisect(pipelines[v.name], source, workdir=work)
                print(f"llmc determinism: {v.name}: culprit {bisected[v.name]}", file=sys.stderr)
    seconds = time.perf_counter() - start
    pipelines_ = dict.fromkeys(c.pipeline for c in cases)
    trials = [t for p in pipelines_ for s in inputs if (t := state.get(p, s, args.runs))]
    report = report_dict(results, inputs, args.runs, seconds, bisected, explained, trials)
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=1) + "\n")

    if args.deny_lines:
        for line in deny_lines(results, denied):
            print(line)
    else:
        for v in results:
            if v.nondeterministic:
                print(f"NONDETERMINISTIC {v.name}: {v.evidence()}")
            for f in v.failed:
                print(f"failed {v.name} on {f['input']}: {f['rc']} ({f['pipeline']})")
        bad = [v for v in results if v.nondeterministic]
        print(
            f"{len(results)} passes and entries, {len(bad)} nondeterministic, "
            f"{len(inputs)} inputs, {args.runs} runs each, {seconds:.0f} s"
        )
    # A varying entry that names a varying pass is that pass's problem; one that
    # names none needs its culprit denied.
    unexplained = [v for v in results if v.nondeterministic and not explained.get(v.name)]
    return 1 if unexplained else 0


def pass_names(pipeline: str) -> set[str]:
    """Every pass and adaptor name in ``pipeline``."""
    names: set[str] = set()

    def walk(elements: Iterable[allowlist.Element]) -> None:
        for e in elements:
            names.add(e.name)
            walk(e.children or ())

    walk(allowlist.parse_pipeline(pipeline))
    return names


def configure(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = __doc__.split("\n\n", 1)[1]
    parser.add_argument(
        "--c",
        nargs="*",
        default=None,
        metavar="FILE",
        help=".c/.bc inputs or glob patterns, one input each",
    )
    parser.add_argument(
        "--c-linked",
        action="append",
        nargs="+",
        metavar="FILE",
        help="C files or patterns linked into one input (repeatable; default without --c: "
        "the lit inputs)",
    )
    parser.add_argument(
        "--no-synthetic", action="store_true", help="leave out the generated gvn-sink input"
    )
    parser.add_argument("--cflag", action="append", default=[], help="extra clang flag for .c")
    parser.add_argument("--stress-seeds", type=int, default=4, help="llvm-stress seeds per size")
    parser.add_argument("--stress-seed", type=int, default=1, help="first llvm-stress seed")
    parser.add_argument(
        "--stress-size",
        type=int,
        nargs="*",
        default=[100, 500, 2000],
        help="llvm-stress -size values (default 100 500 2000)",
    )
    parser.add_argument("--runs", type=int, default=8, help="runs per (pipeline, input)")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="parallel trials (default 1)")
    parser.add_argument("--only", nargs="*", help="only these pass names, ids or pipelines")
    parser.add_argument("--passes-only", action="store_true", help="skip the table")
    parser.add_argument("--candidates-only", action="store_true", help="skip the passes")
    parser.add_argument("--candidates", default=str(CANDIDATES_FILE), help="candidate table")
    parser.add_argument(
        "--bisect",
        action="store_true",
        help="for varying table entries without a varying pass: find the culprit",
    )
    parser.add_argument("--workdir", help="inputs and state live here (default: a new temp dir)")
    parser.add_argument("--state", help="resume file (default WORKDIR/state.jsonl)")
    parser.add_argument("--out", help="write the JSON report here")
    parser.add_argument(
        "--deny-lines", action="store_true", help="print the denied_passes.txt lines to add"
    )
    parser.set_defaults(func=_main)
