"""From a language model's answer to one allow-listed LLVM 19 pipeline.

Models write pass lists in two dialects, and both are accepted:

- new pass manager: ``opt -passes='module(...),function(...)'``, ``-passes=a,b``,
  ``-p 'a,b'`` (LLM Compiler was trained on LLVM 17, so names may be older than 19);
- legacy flags: ``opt -sroa -instcombine -simplifycfg`` or, as LLM Compiler FTD
  answers, ``Run passes -reg2mem -simplifycfg ... to get ...``.

Every pass is mapped to its LLVM 19 new-PM spelling (``LEGACY`` holds the names
that changed; ``instcombine`` gains ``<no-verify-fixpoint>`` as the allow-list
requires), dropped with a reason when it does not map, and put in the adaptor
its level needs (``function(...)``, ``function(loop(...))``, ``loop-mssa`` for
licm and the passes that keep MemorySSA, ``cgscc(...)``) by
:func:`pybridge.pipelines.assemble`, the nesting the search's vocabulary uses too.
The result is then checked by :func:`allowlist.check`, the same rule the plugin
applies again. Errors are values: :func:`parse_answer`
never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pybridge import allowlist, pipelines
from pybridge.allowlist import Element

# Legacy (and pre-19 new-PM) names that differ in LLVM 19: old -> new, or None with
# the reason it has no equivalent. Names that did not change are not listed: they
# are looked up in the allow-list directly.
LEGACY: dict[str, str | tuple[None, str]] = {
    "functionattrs": "function-attrs",
    "rpo-functionattrs": "rpo-function-attrs",
    "loop-unswitch": "simple-loop-unswitch",
    "lowerswitch": "lower-switch",
    "flattencfg": "flatten-cfg",
    "early-cse-memssa": "early-cse<memssa>",
    "Oz": "default<Oz>",
    "Os": "default<Os>",
    "O1": "default<O1>",
    "O2": "default<O2>",
    "O3": "default<O3>",
    "prune-eh": (None, "removed from LLVM (function-attrs does its job)"),
    "constprop": (None, "removed from LLVM 12 (instsimplify does its job)"),
    "die": (None, "removed from LLVM 13 (dce does its job)"),
    "loop-reroll": (None, "removed from LLVM 18"),
    "loop-interchange-legacy": (None, "no new-PM equivalent"),
    "barrier": (None, "legacy pass-manager barrier, not a transformation"),
    "loweratomic": (None, "lower-atomic is denied"),
}
# opt options that models copy from command lines: not passes, dropped quietly-ish.
OPT_OPTIONS = frozenset({
    "o", "S", "f", "disable-output", "O0", "verify-each", "debug-pass-manager",
    "time-passes", "stats", "print-after-all", "print-before-all", "disable-verify",
})  # fmt: skip
INSTCOMBINE_DEFAULT = "no-verify-fixpoint"

_NEW_PM = re.compile(
    r"""(?:^|[\s`'"(])(?:--?passes|-p)(?:=|\s+)"""
    r"""(?:'(?P<sq>[^']*)'|"(?P<dq>[^"]*)"|(?P<bare>[^\s'"`]+))"""
)
_FLAG = re.compile(
    r"""(?:^|(?<=[\s`'"]))--?(?P<name>[A-Za-z][A-Za-z0-9._-]*(?:<[^<>\s]*>)?)(?P<rest>=\S*)?"""
)


@dataclass(frozen=True)
class Parsed:
    """What an answer says: a pipeline (or None and why), and every change made to it."""

    pipeline: str | None
    reason: str = ""  # "" when there is a pipeline
    dialect: str = ""  # "new-pm", "legacy" or "" (no passes found)
    dropped: tuple[tuple[str, str], ...] = ()  # (item as written, why it was dropped)
    mapped: tuple[tuple[str, str], ...] = field(default=())  # (as written, LLVM 19 spelling)


def answer_text(answer: str) -> str:
    """The part of an answer that holds the pass list.

    Drops an echoed prompt (everything up to ``[/INST]``) and what follows
    ``<code>``: LLM Compiler FTD writes the optimized IR after the pass list.
    """
    if "[/INST]" in answer:
        answer = answer.rsplit("[/INST]", 1)[1]
    return answer.split("<code>", 1)[0]


def parse_answer(answer: str) -> Parsed:
    """The allow-listed pipeline an answer proposes; never raises."""
    try:
        return _parse(answer_text(answer))
    except Exception as exc:  # model output is untrusted: a value, not a crash
        return Parsed(None, f"answer not parsed: {type(exc).__name__}: {exc}".splitlines()[0])


def _parse(text: str) -> Parsed:
    match = _NEW_PM.search(text)
    if match:
        body = next(g for g in (match["sq"], match["dq"], match["bare"]) if g is not None)
        if match["bare"] is not None:
            body = body.rstrip(".,;:")  # prose punctuation after an unquoted pipeline
        return _from_new_pm(re.sub(r"\s+", "", body))
    flags = [(m["name"], m["rest"] or "") for m in _FLAG.finditer(text)]
    if not flags:
        return Parsed(None, "answer has no passes")
    leaves: list[Element] = []
    dropped: list[tuple[str, str]] = []
    mapped: list[tuple[str, str]] = []
    for name, rest in flags:
        written = f"-{name}{rest}"
        if name in OPT_OPTIONS or rest:
            dropped.append((written, "opt option, not a pass"))
            continue
        element = _leaf(name, dropped, mapped, written)
        if element is not None:
            leaves.append(element)
    return _finish(pipelines.assemble(leaves), "legacy", dropped, mapped)


def _from_new_pm(body: str) -> Parsed:
    if not body:
        return Parsed(None, "answer has no passes", "new-pm")
    try:
        tree = allowlist.parse_pipeline(body)
    except allowlist.PipelineSyntaxError as exc:
        return Parsed(None, f"pipeline syntax: {exc}", "new-pm", ((body, str(exc)),))
    dropped: list[tuple[str, str]] = []
    mapped: list[tuple[str, str]] = []
    fixed = _fix_tree(tree, dropped, mapped)
    as_written = pipelines.render(fixed)
    # Keep the model's own nesting when it is valid; otherwise rebuild it from the leaves.
    if as_written and allowlist.check(as_written) is None:
        return Parsed(as_written, "", "new-pm", tuple(dropped), tuple(mapped))
    return _finish(pipelines.assemble(pipelines.leaves(fixed)), "new-pm", dropped, mapped)


def _finish(
    pipeline: str, dialect: str, dropped: list[tuple[str, str]], mapped: list[tuple[str, str]]
) -> Parsed:
    if not pipeline:
        first = f": {dropped[0][0]} ({dropped[0][1]})" if dropped else ""
        return Parsed(None, f"no pass of the answer maps to LLVM 19{first}", dialect,
                      tuple(dropped), tuple(mapped))  # fmt: skip
    reason = allowlist.check(pipeline)
    if reason:
        return Parsed(None, f"allow-list: {reason}", dialect, tuple(dropped), tuple(mapped))
    return Parsed(pipeline, "", dialect, tuple(dropped), tuple(mapped))


# --- leaves: one pass each ------------------------------------------------------


def _split_name(text: str) -> tuple[str, str | None]:
    match = re.fullmatch(r"([^<>]+)(?:<([^<>]*)>)?", text)
    if not match:
        return text, None
    return match[1], match[2]


def _leaf(
    name: str,
    dropped: list[tuple[str, str]],
    mapped: list[tuple[str, str]],
    written: str,
    params: str | None = None,
) -> Element | None:
    """One pass in LLVM 19's spelling, or None (and a line in ``dropped``)."""
    if params is None:
        name, params = _split_name(name)
    new = LEGACY.get(name, name)
    if isinstance(new, tuple):
        dropped.append((written, new[1]))
        return None
    new_name, new_params = _split_name(new)
    params = params if params is not None else new_params
    allow = allowlist.load()
    if new_name in allow.denied:
        dropped.append((written, f"denied: {allow.denied[new_name]}"))
        return None
    levels = allow.levels.get(new_name)
    if levels is None or levels == {allowlist.ADAPTOR}:
        dropped.append((written, "unknown pass in LLVM 19"))
        return None
    needed = allow.required.get(new_name)
    if needed:
        params = _with_param(params, needed)
    element = Element(new_name, params, None)
    result = pipelines.render_element(element)
    if result != written.lstrip("-"):
        mapped.append((written, result))
    return element


def _with_param(params: str | None, needed: str) -> str:
    """``params`` with ``needed`` last, its opposite removed (LLVM: the last one wins)."""
    opposite = needed[3:] if needed.startswith("no-") else f"no-{needed}"
    kept = [p for p in (params or "").split(";") if p and p not in (needed, opposite)]
    return ";".join([*kept, needed])


def _fix_tree(
    elements: tuple[Element, ...], dropped: list[tuple[str, str]], mapped: list[tuple[str, str]]
) -> tuple[Element, ...]:
    allow = allowlist.load()
    out: list[Element] = []
    for element in elements:
        if element.children is not None:
            if allowlist.ADAPTOR not in allow.levels.get(element.name, ()):
                dropped.append(
                    (pipelines.render_element(element), f"{element.name} cannot nest passes")
                )
                continue
            children = _fix_tree(element.children, dropped, mapped)
            if children:
                out.append(Element(element.name, element.params, children))
            continue
        written = pipelines.render_element(element)
        leaf = _leaf(element.name, dropped, mapped, written, element.params)
        if leaf is not None:
            out.append(leaf)
    return tuple(out)
