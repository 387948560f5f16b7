"""Pipeline text: a flat list of passes to one new-PM pipeline string, and back.

The search keeps a pipeline as a flat list of tokens (``pybridge.training.vocabulary``)
and a language model's answer is reduced to a flat list of passes
(``pybridge.lm.pipeline_text``); both are nested here, by one rule, into the text
``opt -passes=`` and the plugin take:

- :func:`leaves` flattens a pipeline (adaptors dropped, passes kept in order);
- :func:`assemble` nests a flat list again: consecutive passes of one level share an
  adaptor (``cgscc(...)``, ``function(...)``), module passes stand alone, loop passes
  go inside the function group; a run of passes that keep MemorySSA valid
  (``mssa=keeps``/``needs`` in ``data/allowed_passes.txt``) goes to ``loop-mssa(...)``,
  a run of the others to ``loop(...)``;
- :func:`render` and :func:`render_element` print elements as written;
  :func:`element` reads one token (``licm``, ``sroa<preserve-cfg>``).

The allow-list decides each pass's level (:func:`kind`). A pass it does not list (a
denied one, such as ``gvn-sink``) has no level there: ``fallback`` maps such tokens to
a kind, and without one the pass stands alone at module level (the check then refuses
it anyway).

Two nesters did this before, and on the 5,144 token lists of
``tests/python/test_pipelines.py`` they disagreed 2,527 times: the language-model
path put a MemorySSA-keeping loop run in ``loop-mssa(...)`` only when it held
licm/lnicm (``function(loop(loop-rotate))`` where the vocabulary wrote
``function(loop-mssa(loop-rotate))``), and having no level for a denied pass it put
that pass at module level (its own callers drop denied passes first). The
vocabulary's rule is kept: candidates.json, the shipped model's table, is its output
byte for byte, and ``loop-mssa`` is where LLVM's own pipelines run these passes. So
``assemble(leaves(p)) == p`` for every candidates.json pipeline ``p`` (with the
vocabulary's table as ``fallback`` where ``p`` holds a denied pass), and a model's
answer may now nest differently than before (21 of those 54 pipelines would);
``tests/golden/render.tsv`` keeps both old outputs.

Runtime module: it imports only the allow-list.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from itertools import groupby

from pybridge import allowlist
from pybridge.allowlist import Element

MODULE = "module"
CGSCC = "cgscc"
FUNCTION = "function"
LOOP = "loop"  # inside function(loop(...)): passes that do not keep MemorySSA valid
LOOP_MSSA = "loop-mssa"  # inside function(loop-mssa(...)): passes that keep it valid
KINDS = (MODULE, CGSCC, FUNCTION, LOOP, LOOP_MSSA)
_OUTER = {MODULE: MODULE, CGSCC: CGSCC, FUNCTION: FUNCTION, LOOP: FUNCTION, LOOP_MSSA: FUNCTION}


@lru_cache(maxsize=1024)
def element(token: str) -> Element:
    """One pass as written (``loop-rotate<no-header-duplication>``) as an element."""
    parsed = allowlist.parse_pipeline(token)
    if len(parsed) != 1 or parsed[0].children is not None:
        raise allowlist.PipelineSyntaxError(f"not one pass: {token!r}")
    return parsed[0]


def render_element(item: Element) -> str:
    """``name<params>(children)``, as the pipeline grammar writes it."""
    text = item.name
    if item.params is not None:
        text += f"<{item.params}>"
    if item.children is not None:
        text += f"({render(item.children)})"
    return text


def render(elements: Iterable[Element]) -> str:
    """Elements as one comma-separated pipeline, nesting as given."""
    return ",".join(render_element(item) for item in elements)


def leaves(pipeline: str | Sequence[Element]) -> list[Element]:
    """The passes of a pipeline in order, adaptors dropped (raises on bad syntax)."""
    elements = allowlist.parse_pipeline(pipeline) if isinstance(pipeline, str) else pipeline
    return list(_walk(elements))


def _walk(elements: Iterable[Element]) -> Iterator[Element]:
    for item in elements:
        if item.children is None:
            yield item
        else:
            yield from _walk(item.children)


def kind(leaf: Element, fallback: Mapping[str, str] | None = None) -> str:
    """Which of :data:`KINDS` the pass nests in: the allow-list's level, loops split by mssa.

    ``fallback`` maps tokens (:func:`render_element` text) the allow-list does not
    level to a kind; anything else unknown is a module pass.
    """
    allow = allowlist.load()
    depth = allow.depth(leaf.name)
    if depth is None:
        return (fallback or {}).get(render_element(leaf), MODULE)
    level = allowlist.LEVELS[depth]
    if level == LOOP and leaf.name in allow.keeps_mssa:
        return LOOP_MSSA
    return level


def assemble(leaves: Iterable[Element], fallback: Mapping[str, str] | None = None) -> str:
    """Nest a flat list of passes into one pipeline; the order is kept (see the module doc)."""
    kinds = [(kind(leaf, fallback), leaf) for leaf in leaves]
    parts: list[str] = []
    for outer, group in groupby(kinds, key=lambda pair: _OUTER[pair[0]]):
        members = list(group)
        if outer == MODULE:
            parts.extend(render_element(leaf) for _, leaf in members)
        elif outer == CGSCC:
            parts.append(f"cgscc({render(leaf for _, leaf in members)})")
        else:
            parts.append(f"function({_function_body(members)})")
    return ",".join(parts)


def _function_body(members: list[tuple[str, Element]]) -> str:
    items: list[str] = []
    for k, group in groupby(members, key=lambda pair: pair[0]):
        run = [leaf for _, leaf in group]
        if k == FUNCTION:
            items.extend(render_element(leaf) for leaf in run)
        else:  # one loop(...) or loop-mssa(...) per run
            items.append(f"{k}({render(run)})")
    return ",".join(items)
