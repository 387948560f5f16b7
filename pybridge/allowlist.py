"""Which pipelines llmc may run: every pipeline from a model is untrusted input.

The rules are data: ``data/allowed_passes.txt`` (``LEVEL NAME [param=P]
[mssa=needs|keeps]``, its header says what each field means) and
``data/denied_passes.txt`` (``NAME  REASON``). The plugin generates its C++ copy of
the first from the same file (``plugin/AllowList.cpp``) and applies the same rules;
both checkers are tested against one golden table, ``tests/golden/pipelines.tsv``:

- the grammar of ``opt -passes=``: ``name``, ``name<params>``, ``name(inner,...)``,
  ``name<params>(inner,...)``, comma-separated, no spaces;
- every name is allow-listed at a level the context can hold (module > cgscc >
  function > loop; LLVM adapts a pass to the level above it by itself);
- adaptors (``module``, ``cgscc``, ``function``, ``loop``, ``loop-mssa``) nest
  passes and only where LLVM 19 accepts them; other passes nest nothing;
- a ``param=`` parameter is present and not overridden by its opposite later on
  (``instcombine<no-verify-fixpoint;verify-fixpoint>`` verifies);
- ``mssa=needs`` passes (``licm``, ``lnicm``) sit directly inside ``loop-mssa(...)``,
  and ``loop-mssa(...)`` holds only ``mssa=keeps``/``needs`` passes: anything else
  stops LLVM 19 with a fatal error.

The top-level context follows LLVM's rule: the first element decides it
(``sroa,globalopt`` is a function pipeline, so ``globalopt`` is rejected).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
ALLOWED_FILE = DATA_DIR / "allowed_passes.txt"
DENIED_FILE = DATA_DIR / "denied_passes.txt"
MAX_PIPELINE_CHARS = 4096
MAX_DEPTH = 8  # nesting levels, as plugin/AllowList.cpp; real pipelines need 3
LEVELS = ("module", "cgscc", "function", "loop")  # outermost first
ADAPTOR = "adaptor"
MSSA_VALUES = ("needs", "keeps")  # the mssa= field of allowed_passes.txt

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_PARAMS = re.compile(r"<([^<>(),\s]*)>")


class PipelineSyntaxError(ValueError):
    """The text is not a pass pipeline."""


@dataclass(frozen=True)
class Element:
    """One pipeline element: ``name<params>(children)``."""

    name: str
    params: str | None  # None: no <...>; "" would be "name<>"
    children: tuple[Element, ...] | None  # None: no (...)


@dataclass(frozen=True)
class AllowList:
    levels: dict[str, frozenset[str]]  # pass name -> levels it may run at ("adaptor" too)
    required: dict[str, str]  # pass name -> parameter it must carry
    needs_mssa: frozenset[str]  # must sit directly inside loop-mssa(...)
    keeps_mssa: frozenset[str]  # may sit inside loop-mssa(...) (needs_mssa included)
    denied: dict[str, str]  # pass name -> reason

    def depth(self, name: str) -> int | None:
        """Outermost level the (non-adaptor) pass belongs to, as an index of LEVELS."""
        depths = [LEVELS.index(level) for level in self.levels.get(name, ()) if level in LEVELS]
        return min(depths, default=None)


def _rows(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            rows.append(line.split())
    return rows


@dataclass(frozen=True)
class AllowedRows:
    """``allowed_passes.txt`` as read: the rules before the deny-list joins them."""

    levels: dict[str, frozenset[str]]
    required: dict[str, str]
    mssa: dict[str, str]  # pass name -> "needs" or "keeps"


def parse_allowed(path: Path = ALLOWED_FILE) -> AllowedRows:
    """``allowed_passes.txt``: ``LEVEL NAME [param=P] [mssa=needs|keeps]`` per line."""
    levels: dict[str, set[str]] = {}
    required: dict[str, str] = {}
    mssa: dict[str, str] = {}
    for row in _rows(path):
        if len(row) < 2 or row[0] not in (ADAPTOR, *LEVELS) or not _NAME.fullmatch(row[1]):
            raise ValueError(f"{path.name}: bad line {' '.join(row)!r}")
        name = row[1]
        levels.setdefault(name, set()).add(row[0])
        for field in row[2:]:
            key, _, value = field.partition("=")
            if key == "param" and value:
                required[name] = value
            elif key == "mssa" and value in MSSA_VALUES and row[0] == "loop":
                mssa[name] = value
            else:
                raise ValueError(f"{path.name}: bad field {field!r} of {name}")
    return AllowedRows({n: frozenset(ls) for n, ls in levels.items()}, required, mssa)


def parse_denied(path: Path = DENIED_FILE) -> dict[str, str]:
    """``denied_passes.txt`` as name -> reason."""
    denied = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, reason = line.strip().partition(" ")
            denied[name] = reason.strip() or "denied"
    return denied


@cache
def load() -> AllowList:
    """The allow-list shipped with the package (read once per process)."""
    rows = parse_allowed()
    denied = parse_denied()
    both = sorted(set(rows.levels) & set(denied))
    if both:
        raise ValueError(f"passes both allowed and denied: {', '.join(both)}")
    needs = frozenset(n for n, v in rows.mssa.items() if v == "needs")
    return AllowList(
        levels=rows.levels,
        required=rows.required,
        needs_mssa=needs,
        keeps_mssa=needs | {n for n, v in rows.mssa.items() if v == "keeps"},
        denied=denied,
    )


def parse_pipeline(text: str) -> tuple[Element, ...]:
    """Parse the textual pipeline syntax; raises :class:`PipelineSyntaxError`."""
    elements, end = _parse_list(text, 0, 0)
    if end != len(text):
        raise PipelineSyntaxError(f"unbalanced ')' at column {end + 1}")
    return elements


def _parse_list(text: str, pos: int, depth: int) -> tuple[tuple[Element, ...], int]:
    if depth > MAX_DEPTH:
        raise PipelineSyntaxError(f"nested deeper than {MAX_DEPTH} levels")
    elements = []
    while True:
        element, pos = _parse_element(text, pos, depth)
        elements.append(element)
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        return tuple(elements), pos


def _parse_element(text: str, pos: int, depth: int) -> tuple[Element, int]:
    match = _NAME.match(text, pos)
    if not match:
        if pos >= len(text) or text[pos] in ",)":
            raise PipelineSyntaxError(f"empty element at column {pos + 1}")
        raise PipelineSyntaxError(f"unexpected {text[pos]!r} at column {pos + 1}")
    name, pos = match.group(), match.end()
    params = None
    if pos < len(text) and text[pos] == "<":
        # LLVM 19 splits on ",()" before it looks at "<>", so params cannot hold them.
        match = _PARAMS.match(text, pos)
        if not match:
            raise PipelineSyntaxError(f"unbalanced '<' after {name}")
        params, pos = match.group(1), match.end()
    children = None
    if pos < len(text) and text[pos] == "(":
        children, pos = _parse_list(text, pos + 1, depth + 1)
        if pos >= len(text) or text[pos] != ")":
            raise PipelineSyntaxError(f"unbalanced '(' after {name}")
        pos += 1
    if pos < len(text) and text[pos] not in ",)":
        raise PipelineSyntaxError(f"unexpected {text[pos]!r} at column {pos + 1}")
    return Element(name, params, children), pos


def split_pipeline(text: str) -> list[str]:
    """The top-level elements of a pipeline, as text (``a,b(c,d)`` -> ``a``, ``b(c,d)``)."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in "(<":
            depth += 1
        elif char in ")>":
            depth -= 1
            if depth < 0:
                raise PipelineSyntaxError(f"unbalanced {char!r} at column {i + 1}")
        elif char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    if depth != 0:
        raise PipelineSyntaxError("unbalanced brackets")
    parts.append(text[start:])
    if any(not p for p in parts):
        raise PipelineSyntaxError("empty element")
    return parts


def _top_context(first: Element, allow: AllowList) -> str:
    """LLVM's rule: the first element decides what the whole pipeline is.

    The adaptors module/cgscc/function count as module passes there, loop/loop-mssa
    as function passes (``PassBuilder::parsePassPipeline``).
    """
    if first.name in ("module", "cgscc", "function"):
        return "module"
    if first.name in ("loop", "loop-mssa"):
        return "function"
    depth = allow.depth(first.name)
    return LEVELS[depth] if depth is not None else "module"


def _check_element(element: Element, context: str, parent: str, allow: AllowList) -> str | None:
    name = element.name
    if name in allow.denied:
        return f"{name} is denied: {allow.denied[name]}"
    levels = allow.levels.get(name)
    if levels is None:
        return f"unknown pass {name}"

    if ADAPTOR in levels:
        if element.children is None:
            return f"adaptor {name} needs nested passes: {name}(...)"
        if name in ("loop", "loop-mssa"):  # LLVM 19 takes these in function pipelines only
            inner, fits = "loop", context == "function"
        else:
            inner, fits = name, LEVELS.index(name) >= LEVELS.index(context)
        if not fits:
            return f"adaptor {name} cannot nest inside a {context} pipeline"
        for child in element.children:
            reason = _check_element(child, inner, name, allow)
            if reason:
                return reason
        return None

    if element.children is not None:
        return f"{name} is not an adaptor and cannot nest passes"
    if not any(LEVELS.index(level) >= LEVELS.index(context) for level in levels - {ADAPTOR}):
        return f"{name} cannot run inside a {context} pipeline"
    if name in allow.needs_mssa and parent != "loop-mssa":
        return f"{name} must sit directly inside loop-mssa(...)"
    if parent == "loop-mssa" and name not in allow.keeps_mssa:
        return f"{name} does not keep MemorySSA valid: use loop(...), not loop-mssa(...)"
    needed = allow.required.get(name)
    if needed:
        params = (element.params or "").split(";")
        if needed not in params:
            return f"{name} needs the parameter {needed}: {name}<{needed}>"
        opposite = needed[3:] if needed.startswith("no-") else f"no-{needed}"
        last = len(params) - 1 - params[::-1].index(needed)
        if opposite in params[last:]:  # LLVM applies options in order: the last one wins
            return f"{name}: {opposite} overrides the required {needed}"
    return None


def check(pipeline: str) -> str | None:
    """None when the pipeline may run, else one line saying why not."""
    if not isinstance(pipeline, str):
        return f"pipeline is a {type(pipeline).__name__}, not text"
    if len(pipeline) > MAX_PIPELINE_CHARS:
        return f"pipeline too long: {len(pipeline)} > {MAX_PIPELINE_CHARS} characters"
    if not pipeline:
        return "empty pipeline"
    if re.search(r"\s", pipeline):
        return "whitespace in pipeline"
    try:
        elements = parse_pipeline(pipeline)
    except PipelineSyntaxError as exc:
        return f"syntax: {exc}"
    allow = load()
    context = _top_context(elements[0], allow)
    for element in elements:
        reason = _check_element(element, context, "", allow)
        if reason:
            return reason
    return None
