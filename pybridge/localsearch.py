"""Local search over pipelines: the project's search moves, for training and for builds.

One set of moves serves both the offline search (``llmc search``, which labels
the corpus) and a build at ``-llmc-effort=N``: past the table, the plugin asks
for pipelines near the smallest ones it has measured so far, trials them, and
asks again until its budget is spent. Pipelines are searched as flat lists of
vocabulary tokens (:mod:`pybridge.training.vocabulary`): the seeds, greedy
extension of the best so far, and 1-3 random edits (insert, delete, replace,
swap) of one of the best four.

A build's request (``"search"`` in a ranking request, see :mod:`pybridge`) is
one JSON object::

    {"seed": <int>,                          from the module's content
     "evaluated": [["<pipeline>", <size or null>], ...]}   everything measured

and the reply is the usual one, its ``pipelines`` being the next proposals.
Nothing here is trusted by the plugin: it checks each proposal against the
allow-list again and applies only what it has verified and measured. The moves
are deterministic for a given request, so the same module at the same options
gives the same object.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from typing import Any

from pybridge import allowlist, pipelines
from pybridge.training import vocabulary as V

MAX_TOKENS = 64  # longer pipelines cost compile time for little gain
# A build's request is bounded before it is read: at most this many measured pipelines.
MAX_EVALUATED = 4096


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


def tokens_of(pipeline: str, vocab: set[str]) -> list[str] | None:
    """The flat token list of ``pipeline``, or None when a pass is not a search token."""
    try:
        tokens = [pipelines.render_element(leaf) for leaf in pipelines.leaves(pipeline)]
    except allowlist.PipelineSyntaxError:
        return None
    return tokens if all(t in vocab for t in tokens) else None


class Proposer:
    """One module's search state: every pipeline measured (size or None), and the moves."""

    def __init__(self, vocab: Sequence[str], rng: random.Random) -> None:
        self.rng = rng
        self.seeds = V.seeds(vocab)
        self.blocks = V.passes(vocab)
        self.tokens: dict[str, list[str]] = {}
        self.size: dict[str, int | None] = {}
        self.status: dict[str, str] = {}
        self.baseline: int | None = None

    def ranked(self) -> list[str]:
        ok = [p for p, s in self.size.items() if s is not None and p in self.tokens]
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

    def remember(self, pipeline: str, size: int | None, vocab: set[str]) -> None:
        """Record a pipeline measured elsewhere (by the plugin), in its text and canonical form."""
        self.size[pipeline] = size
        tokens = tokens_of(pipeline, vocab)
        if tokens is None or not tokens:
            return
        self.tokens[pipeline] = tokens
        canonical = V.render(tokens)
        if canonical != pipeline and canonical not in self.size:
            self.size[canonical] = size
            self.tokens[canonical] = tokens


def parse_request(text: str) -> tuple[int, list[tuple[str, int | None]]]:
    """``(seed, evaluated)`` of a build's request; ValueError when it is not one."""
    request: Any = json.loads(text)
    if not isinstance(request, dict):
        raise ValueError("search request is not an object")
    seed, evaluated = request.get("seed"), request.get("evaluated")
    if type(seed) is not int or not isinstance(evaluated, list) or len(evaluated) > MAX_EVALUATED:
        raise ValueError("search request needs an integer seed and a list 'evaluated'")
    pairs: list[tuple[str, int | None]] = []
    for item in evaluated:
        ok = isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)
        if not ok or not (item[1] is None or (type(item[1]) is int and item[1] >= 0)):
            raise ValueError("each evaluated entry is [pipeline, size or null]")
        pairs.append((item[0], item[1]))
    return seed, pairs


def propose(text: str, n: int) -> list[str]:
    """The next ``n`` proposals for a build's request (see the module docstring)."""
    seed, evaluated = parse_request(text)
    vocab = V.vocabulary()
    state = Proposer(vocab, random.Random(seed))
    known = set(vocab)
    for pipeline, size in evaluated:
        state.remember(pipeline, size, known)
    return state.propose(n)
