"""One renderer for flat pass lists (pybridge.pipelines), checked byte for byte.

``tests/golden/render.tsv`` holds what the two renderers this module replaced
printed (``vocabulary.render`` over tokens, ``pipeline_text._assemble`` over the
leaves of every candidates.json pipeline), written before the refactor by
``python tests/python/test_pipelines.py --write``.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from pybridge import allowlist
from pybridge.allowlist import Element
from pybridge.lm import pipeline_text as PT
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


def _flat(elements: Sequence[Element]) -> Iterator[Element]:
    for element in elements:
        if element.children is None:
            yield element
        else:
            yield from _flat(element.children)


def _token(element: Element) -> str:
    return element.name if element.params is None else f"{element.name}<{element.params}>"


def random_lists() -> list[list[str]]:
    rng = random.Random(0)
    tokens = [t for t, _ in V.TOKENS]
    return [[rng.choice(tokens) for _ in range(rng.randint(1, 20))] for _ in range(RANDOM_LISTS)]


def rows(render: Callable[[Sequence[str]], str], assemble: Callable[[str], str]) -> Iterator[Row]:
    """``render`` nests a token list; ``assemble`` re-nests the leaves of a pipeline."""
    for token, _ in V.TOKENS:
        yield "token", token, render([token])
    for seed in V.SEEDS:
        yield "seed", " ".join(seed), render(seed)
    digest = hashlib.sha256()
    for i, tokens in enumerate(random_lists()):
        line = f"{' '.join(tokens)}\t{render(tokens)}"
        digest.update(f"{line}\n".encode())
        if i < RANDOM_KEPT:
            yield "random", *line.split("\t")  # type: ignore[misc]
    yield "random-sha256", str(RANDOM_LISTS), digest.hexdigest()
    for pipeline in candidate_pipelines():
        tokens = [_token(e) for e in _flat(allowlist.parse_pipeline(pipeline))]
        yield "candidate-tokens", pipeline, render(tokens)
    for pipeline in candidate_pipelines():
        yield "candidate-leaves", pipeline, assemble(pipeline)


def old_assemble(pipeline: str) -> str:
    return PT._assemble(list(PT._leaves(allowlist.parse_pipeline(pipeline))))


def golden() -> list[Row]:
    out = []
    for line in GOLDEN.read_text().splitlines():
        section, given, rendered = line.split("\t")
        out.append((section, given, rendered))
    return out


def test_renders_match_the_golden_file() -> None:
    assert list(rows(V.render, old_assemble)) == golden()


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    GOLDEN.write_text("".join(f"{s}\t{i}\t{o}\n" for s, i, o in rows(V.render, old_assemble)))
