"""One renderer for flat pass lists (pybridge.pipelines), checked byte for byte.

``tests/golden/render.tsv`` holds what the two nesters :func:`pipelines.assemble`
replaced printed: the old ``vocabulary.render`` over every token, every seed, 5,000
random token lists (300 verbatim, all in one sha256) and every candidates.json
pipeline as tokens; the old ``pipeline_text._assemble`` over the leaves of every
candidates.json pipeline. It was written before the refactor, by this file as of
commit a99decb (``python tests/python/test_pipelines.py --write``); it is never
rewritten, so every change to the nesting shows up here.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from pybridge import allowlist, pipelines
from pybridge.allowlist import Element
from pybridge.training import vocabulary as V

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "render.tsv"
CANDIDATES = allowlist.DATA_DIR / "candidates.json"
RANDOM_LISTS = 5000
RANDOM_KEPT = 300  # random renders kept verbatim; all of them are in one sha256

Row = tuple[str, str, str]  # (section, input, output)


def candidate_pipelines() -> list[str]:
    """Every pipeline of candidates.json, the live table first, then the retired one."""
    table = json.loads(CANDIDATES.read_text())
    return [c["pipeline"] for c in (*table["candidates"], *table["retired"])]


def random_lists() -> list[list[str]]:
    rng = random.Random(0)
    tokens = [t for t, _ in V.TOKENS]
    return [[rng.choice(tokens) for _ in range(rng.randint(1, 20))] for _ in range(RANDOM_LISTS)]


def vocabulary_rows() -> Iterator[Row]:
    """The rows the old ``vocabulary.render`` wrote, recomputed with today's."""
    for token, _ in V.TOKENS:
        yield "token", token, V.render([token])
    for seed in V.SEEDS:
        yield "seed", " ".join(seed), V.render(seed)
    digest = hashlib.sha256()
    for i, tokens in enumerate(random_lists()):
        given, rendered = " ".join(tokens), V.render(tokens)
        digest.update(f"{given}\t{rendered}\n".encode())
        if i < RANDOM_KEPT:
            yield "random", given, rendered
    yield "random-sha256", str(RANDOM_LISTS), digest.hexdigest()
    # The 54 pipelines of candidates.json when the golden file was written; entries a
    # later table adds are checked by test_every_candidate_round_trips.
    for _, pipeline, _ in golden("candidate-tokens"):
        tokens = [pipelines.render_element(leaf) for leaf in pipelines.leaves(pipeline)]
        yield "candidate-tokens", pipeline, V.render(tokens)


def golden(*sections: str) -> list[Row]:
    out = []
    for line in GOLDEN.read_text().splitlines():
        section, given, rendered = line.split("\t")
        if section in sections:
            out.append((section, given, rendered))
    return out


def test_vocabulary_renders_as_before_byte_for_byte() -> None:
    sections = ("token", "seed", "random", "random-sha256", "candidate-tokens")
    want = golden(*sections)
    assert len(want) == len(V.TOKENS) + len(V.SEEDS) + RANDOM_KEPT + 1 + 54
    assert list(vocabulary_rows()) == want


def _keeps_mssa_without_licm(pipeline: str) -> bool:
    allow = allowlist.load()
    return any(
        leaf.name in allow.keeps_mssa - allow.needs_mssa for leaf in pipelines.leaves(pipeline)
    )


def test_language_model_nesting_changed_only_in_the_loop_mssa_rule() -> None:
    """The old LM nester put a MemorySSA-keeping loop run without licm in loop(...).

    Those pipelines, and only those, now nest as the vocabulary nests them.
    """
    vocabulary = {given: rendered for _, given, rendered in golden("candidate-tokens")}
    changed = []
    for _, pipeline, old in golden("candidate-leaves"):
        new = pipelines.assemble(pipelines.leaves(pipeline))
        if new != old:
            changed.append(pipeline)
            assert _keeps_mssa_without_licm(pipeline)
            assert "loop-mssa(" in new
            if "gvn-sink" not in pipeline:  # no level in the allow-list: see the next test
                assert new == vocabulary[pipeline]
        else:
            assert "gvn-sink" in pipeline or new == vocabulary[pipeline]
    assert len(changed) == 21  # of 54; the other 33 nest as before


def test_every_candidate_round_trips() -> None:
    """candidates.json is canonical: flatten it, nest it again, get the same text.

    Pipelines holding a pass the allow-list denies (gvn-sink) need the vocabulary's
    table to say its level; with the allow-list alone it stands at module level.
    """
    denied = allowlist.load().denied
    for pipeline in candidate_pipelines():
        flat = pipelines.leaves(pipeline)
        assert pipelines.assemble(flat, fallback=V.KIND) == pipeline
        if any(leaf.name in denied for leaf in flat):
            assert pipelines.assemble(flat) != pipeline
        else:
            assert pipelines.assemble(flat) == pipeline


def test_vocabulary_kinds_are_the_allow_lists() -> None:
    allow = allowlist.load()
    for token, kind in V.TOKENS:
        leaf = pipelines.element(token)
        assert pipelines.render_element(leaf) == token
        if leaf.name in allow.levels:
            assert pipelines.kind(leaf) == kind, token
        else:
            assert leaf.name in allow.denied, token


@pytest.mark.parametrize(
    ("token", "name", "params"),
    [
        ("licm", "licm", None),
        ("loop-rotate<no-header-duplication>", "loop-rotate", "no-header-duplication"),
        ("sroa<preserve-cfg>", "sroa", "preserve-cfg"),
    ],
)
def test_element_reads_one_token(token: str, name: str, params: str | None) -> None:
    assert pipelines.element(token) == Element(name, params, None)


@pytest.mark.parametrize("text", ["function(licm)", "sroa,gvn", "sroa<", ""])
def test_element_refuses_anything_but_one_pass(text: str) -> None:
    with pytest.raises(allowlist.PipelineSyntaxError):
        pipelines.element(text)


def test_assemble_nests_levels_and_loop_adaptors() -> None:
    tokens = ["ipsccp", "inline", "argpromotion", "sroa<modify-cfg>", "loop-rotate", "licm",
              "indvars", "loop-deletion", "loop-instsimplify", "gvn", "globaldce"]  # fmt: skip
    assert pipelines.assemble(map(pipelines.element, tokens)) == (
        "ipsccp,cgscc(inline,argpromotion),function(sroa<modify-cfg>,loop-mssa(loop-rotate,licm),"
        "loop(indvars,loop-deletion),loop-mssa(loop-instsimplify),gvn),globaldce"
    )
    assert pipelines.assemble([]) == ""


def test_leaves_drop_adaptors_and_keep_order() -> None:
    flat = pipelines.leaves("module(function(sroa,loop-mssa(licm)),cgscc(inline)),globaldce")
    assert [leaf.name for leaf in flat] == ["sroa", "licm", "inline", "globaldce"]
    assert pipelines.leaves(allowlist.parse_pipeline("function(gvn)")) == [
        Element("gvn", None, None)
    ]
