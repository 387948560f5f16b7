"""pybridge.localsearch: the search moves, and a build's search request."""

from __future__ import annotations

import json
import random

import pytest

from pybridge import localsearch as L
from pybridge import rank, rank_json
from pybridge.allowlist import check
from pybridge.training import trials
from pybridge.training import vocabulary as V


def table() -> list[str]:
    return trials.table_of(trials.CANDIDATES_FILE)


def request(evaluated: list[list[object]], seed: int = 7) -> str:
    return json.dumps({"seed": seed, "evaluated": evaluated})


def test_mutate_keeps_tokens_valid() -> None:
    rng = random.Random(1)
    known = {t for t, _ in V.TOKENS}
    blocks = V.passes(sorted(known))
    seq = ["sroa<modify-cfg>", "gvn", "licm"]
    for _ in range(200):
        seq = L.mutate(rng, seq, blocks) or ["gvn"]
        assert all(t in known for t in seq)
        V.render(seq)


def test_tokens_of_flattens_the_shipped_table() -> None:
    vocab = set(V.vocabulary()) | {t for t, _ in V.TOKENS}
    pipelines = table()
    flat = [L.tokens_of(p, vocab) for p in pipelines]
    assert all(tokens for tokens in flat)  # every entry can be a parent of the search
    for p, tokens in zip(pipelines, flat, strict=True):
        assert tokens is not None
        assert L.tokens_of(V.render(tokens), vocab) == tokens, p
    assert L.tokens_of("function(no-such-pass)", vocab) is None
    assert L.tokens_of("lto<O2>", vocab) is None
    assert L.tokens_of("function(", vocab) is None


def test_proposals_are_fresh_allowed_and_deterministic() -> None:
    entries = table()[:6]
    evaluated: list[list[object]] = [["default<Oz>", 1000]]
    evaluated += [[p, 990 + i] for i, p in enumerate(entries)]
    evaluated.append(["function(no-such-pass)", None])
    first = L.propose(request(evaluated), 8)
    assert first == L.propose(request(evaluated), 8)
    assert first != L.propose(request(evaluated, seed=8), 8)
    assert len(first) == 8 and len(set(first)) == 8
    assert not set(first) & set(entries)
    assert all(check(p) is None for p in first)
    # A third of a batch extends the best so far (entries[0], 990) by one pass.
    best = L.tokens_of(entries[0], set(V.vocabulary()))
    assert best is not None
    assert any(L.tokens_of(p, set(V.vocabulary()))[:-1] == best for p in first)  # type: ignore[index]


def test_nothing_measured_starts_from_the_seeds() -> None:
    proposals = L.propose(request([]), 4)
    assert proposals[0] == V.render(V.seeds(V.vocabulary())[0])


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        "{}",
        '{"seed": "1", "evaluated": []}',
        '{"seed": 1, "evaluated": [["p"]]}',
        '{"seed": 1, "evaluated": [["p", -1]]}',
        '{"seed": 1, "evaluated": [["p", 1.5]]}',
        '{"seed": 1, "evaluated": [[1, 2]]}',
        json.dumps({"seed": 1, "evaluated": [["p", 1]] * (L.MAX_EVALUATED + 1)}),
    ],
)
def test_malformed_requests_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        L.propose(text, 4)


def test_rank_answers_a_search_request() -> None:
    reply = rank({"search": request([["default<Oz>", 100]]), "k": 3, "bitcode": b""})
    assert reply["error"] == "" and len(reply["pipelines"]) == 3
    bad = json.loads(rank_json({"search": "{", "k": 3, "bitcode": b""}))
    assert bad["error"].startswith("search: JSONDecodeError") and bad["pipelines"] == []
