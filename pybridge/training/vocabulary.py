"""The search vocabulary: transformation passes the search may put in a pipeline.

A pipeline is searched as a flat list of *tokens* (one pass each, e.g.
``licm``); :func:`render` nests them into the new pass manager's text form with
:func:`pybridge.pipelines.assemble`, grouping runs of function passes in
``function(...)``, of CGSCC passes in ``cgscc(...)`` and of loop passes in
``loop(...)`` / ``loop-mssa(...)`` inside the function group. Keeping the genome
flat makes insert/delete/replace/swap trivial and lets any mix of levels be
expressed.

Every token here must also pass ``pybridge.allowlist.check`` when rendered;
:func:`vocabulary` drops the ones that do not, so the allow-list stays the one
source of truth and this file only chooses among what it allows.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

from pybridge import pipelines
from pybridge.pipelines import CGSCC, FUNCTION, LOOP, LOOP_MSSA, MODULE

# The standard levels, searched as whole tokens (seeds, and prefixes that the
# greedy step extends).
LEVELS: tuple[str, ...] = (
    "default<Oz>",
    "default<Os>",
    "default<O1>",
    "default<O2>",
    "default<O3>",
)

# (token, kind). The kind is the allow-list's level (tests/python/test_pipelines.py
# checks that they agree) and is read only for tokens the allow-list does not list.
# Chosen for code size: scalar cleanups, CFG/merge passes, interprocedural
# dead-code and constant passes, inlining in several flavours.
# Left out on purpose: vectorizers and unrollers with O2/O3 thresholds (grow
# code), instrumentation, coroutine and GPU passes, and codegen-prep passes.
TOKENS: tuple[tuple[str, str], ...] = (
    *((level, MODULE) for level in LEVELS),
    # module
    ("globaldce", MODULE),
    ("globalopt", MODULE),
    ("constmerge", MODULE),
    ("deadargelim", MODULE),
    ("ipsccp", MODULE),
    ("mergefunc", MODULE),
    ("elim-avail-extern", MODULE),
    ("rpo-function-attrs", MODULE),
    ("strip-dead-prototypes", MODULE),
    ("called-value-propagation", MODULE),
    ("inferattrs", MODULE),
    ("partial-inliner", MODULE),
    ("iroutliner", MODULE),
    ("rel-lookup-table-converter", MODULE),
    # the whole -Oz inliner + function simplification pipeline as one token
    ("scc-oz-module-inliner", MODULE),
    ("always-inline", MODULE),
    # cgscc
    ("inline", CGSCC),
    ("function-attrs", CGSCC),
    ("argpromotion", CGSCC),
    # function
    ("sroa<modify-cfg>", FUNCTION),
    ("sroa<preserve-cfg>", FUNCTION),
    ("mem2reg", FUNCTION),
    ("early-cse", FUNCTION),
    ("early-cse<memssa>", FUNCTION),
    ("instcombine<no-verify-fixpoint>", FUNCTION),
    ("instcombine<max-iterations=1;no-verify-fixpoint>", FUNCTION),
    ("aggressive-instcombine", FUNCTION),
    ("instsimplify", FUNCTION),
    ("simplifycfg", FUNCTION),
    ("simplifycfg<hoist-common-insts;sink-common-insts>", FUNCTION),
    ("simplifycfg<switch-range-to-icmp;switch-to-lookup>", FUNCTION),
    (
        "simplifycfg<forward-switch-cond;switch-range-to-icmp;hoist-common-insts;sink-common-insts>",
        FUNCTION,
    ),
    ("reassociate", FUNCTION),
    ("nary-reassociate", FUNCTION),
    ("gvn", FUNCTION),
    ("gvn<no-pre>", FUNCTION),
    ("mergeicmps", FUNCTION),
    ("gvn-sink", FUNCTION),
    ("dse", FUNCTION),
    ("adce", FUNCTION),
    ("bdce", FUNCTION),
    ("dce", FUNCTION),
    ("jump-threading", FUNCTION),
    ("correlated-propagation", FUNCTION),
    ("sccp", FUNCTION),
    ("memcpyopt", FUNCTION),
    ("mldst-motion", FUNCTION),
    ("sink", FUNCTION),
    ("loop-sink", FUNCTION),
    ("tailcallelim", FUNCTION),
    ("div-rem-pairs", FUNCTION),
    ("constraint-elimination", FUNCTION),
    ("float2int", FUNCTION),
    ("lower-expect", FUNCTION),
    ("lower-constant-intrinsics", FUNCTION),
    ("libcalls-shrinkwrap", FUNCTION),
    ("vector-combine", FUNCTION),
    ("callsite-splitting", FUNCTION),
    ("infer-alignment", FUNCTION),
    ("consthoist", FUNCTION),
    ("mergereturn", FUNCTION),
    ("loop-simplify", FUNCTION),
    ("lcssa", FUNCTION),
    ("loop-load-elim", FUNCTION),
    ("loop-distribute", FUNCTION),
    # loop (no MemorySSA)
    ("loop-idiom", LOOP),
    ("indvars", LOOP),
    ("loop-deletion", LOOP),
    ("loop-unroll-full", LOOP),
    # loop-mssa
    ("licm", LOOP_MSSA),
    ("licm<allowspeculation>", LOOP_MSSA),
    ("loop-rotate", LOOP_MSSA),
    ("loop-rotate<no-header-duplication>", LOOP_MSSA),
    ("simple-loop-unswitch", LOOP_MSSA),
    ("loop-instsimplify", LOOP_MSSA),
    ("loop-simplifycfg", LOOP_MSSA),
)

KIND: dict[str, str] = dict(TOKENS)

# Seeds built from allow-listed passes, -Oz's shape in flat form: its early
# module simplification, its own inliner pipeline (``scc-oz-module-inliner`` is
# -Oz's CGSCC inline + function simplification, one token), and its late module
# optimisation. On real modules the full one lands within ~0.1% of -Oz, so when
# the allow-list refuses ``default<...>`` the search still starts next to -Oz.
_EARLY = (
    "inferattrs",
    "lower-expect",
    "simplifycfg<switch-range-to-icmp;switch-to-lookup>",
    "sroa<modify-cfg>",
    "early-cse",
    "callsite-splitting",
    "ipsccp",
    "called-value-propagation",
    "globalopt",
    "mem2reg",
    "instcombine<no-verify-fixpoint>",
    "simplifycfg",
)
_LATE = (
    "deadargelim",
    "globalopt",
    "globaldce",
    "elim-avail-extern",
    "rpo-function-attrs",
    "float2int",
    "lower-constant-intrinsics",
    "loop-rotate<no-header-duplication>",
    "loop-distribute",
    "loop-load-elim",
    "instcombine<no-verify-fixpoint>",
    "simplifycfg",
    "vector-combine",
    "instcombine<no-verify-fixpoint>",
    "loop-sink",
    "instsimplify",
    "div-rem-pairs",
    "tailcallelim",
    "simplifycfg",
    "globaldce",
    "constmerge",
    "rel-lookup-table-converter",
)
SEEDS: tuple[tuple[str, ...], ...] = (
    *((level,) for level in LEVELS),
    ("scc-oz-module-inliner",),
    (*_EARLY, "scc-oz-module-inliner"),
    ("scc-oz-module-inliner", *_LATE),
    (*_EARLY, "scc-oz-module-inliner", *_LATE),
)


def seeds(vocab: Sequence[str]) -> list[list[str]]:
    """The seeds whose every token is in ``vocab``."""
    allowed = set(vocab)
    return [list(seed) for seed in SEEDS if allowed.issuperset(seed)]


def render(tokens: Sequence[str]) -> str:
    """Nest a flat token list into one new-PM pipeline string (:func:`pipelines.assemble`).

    The allow-list levels every token; :data:`KIND` only answers for tokens it does not
    list (denied ones, such as ``gvn-sink``), so that old tables still render as written.
    """
    return pipelines.assemble([pipelines.element(t) for t in tokens], fallback=KIND)


def vocabulary(tokens: Iterable[str] | None = None) -> list[str]:
    """The tokens the allow-list accepts, of ``tokens`` (default: all of :data:`TOKENS`)."""
    from pybridge.allowlist import check

    chosen = list(tokens) if tokens is not None else [t for t, _ in TOKENS]
    return [t for t in chosen if check(render([t])) is None]


def passes(vocab: Sequence[str]) -> list[str]:
    """The vocabulary without the standard levels (they are seeds, not building blocks)."""
    return [t for t in vocab if t not in LEVELS]


def random_tokens(rng: random.Random, vocab: Sequence[str], low: int, high: int) -> list[str]:
    """A random sequence of ``low..high`` tokens drawn from ``vocab``."""
    return [rng.choice(vocab) for _ in range(rng.randint(low, high))]
