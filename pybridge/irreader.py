"""Read one LLVM module and count what is in it: the only module that knows LLVM IR.

llvmlite parses the bytes (it bundles LLVM 22, which reads LLVM 19 bitcode; we only
read, and never hand anything back to LLVM 19). Walking instructions through
llvmlite's Python objects costs ~3-10 ms per 1k instructions, so we print the
module to text once (~1.2 ms per 1k) and count with a few regular expressions per
function instead (see ``tests/python/test_features.py`` for the budget).

LLVM 22 upgrades some intrinsics of LLVM 19 (lifetime markers, for instance), so
``llvm.*`` declarations are never counted as functions or as calls.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

# An instruction line: two spaces, an optional "%x = ", an optional call marker, the opcode.
# Switch cases (four spaces), labels, debug records (#dbg_*) and "}" never match.
_INSTRUCTION = re.compile(
    r'\n  (?:%(?:[-\w.$]+|"[^"]*") = )?(?:(?:tail|musttail|notail) )?([a-z]\w*)'
)
# The callee of a call/invoke/callbr: the first "@name(" or "%name(" on the line.
_CALLEE = re.compile(r' (?:call|invoke|callbr) [^\n]*?([@%](?:[-\w.$]+|"[^"]*"))\(')
_LABEL = re.compile(r'\n([-\w.$]+|"[^"]*"):')
_LABEL_REF = re.compile(r'label %([-\w.$]+|"[^"]*")')
_VECTOR = re.compile(r"<\d+ x ")
_DEFINE = re.compile(r"\ndefine ([^\n]*)\{\n")
_DECLARE = re.compile(r'\ndeclare [^\n]*?@((?:[-\w.$]+|"[^"]*"))\(')
_FUNCTION_NAME = re.compile(r'@((?:[-\w.$]+|"[^"]*"))\(')
_ATTR_GROUP_REF = re.compile(r" #(\d+)")  # the header's group; "!dbg !N" may follow
_ATTR_GROUP = re.compile(r"\nattributes #(\d+) = \{ ([^\n]*) \}")
_TRIPLE = re.compile(r'^target triple = "([^"\n]*)"$', re.MULTILINE)
_GLOBAL = re.compile(r'\n@(?:[-\w.$]+|"[^"]*") = ([^\n]*)')
_STRING = re.compile(r'\[(\d+) x i8\] c"')
_ARRAY = re.compile(r"\[(\d+) x i(\d+)\]")

# fmt: off
TERMINATORS = frozenset((
    "ret", "br", "switch", "indirectbr", "invoke", "resume", "unreachable", "cleanupret",
    "catchret", "catchswitch", "callbr",
))
# Function attributes worth counting (how many definitions carry each).
FUNCTION_ATTRIBUTES = (
    "minsize", "optsize", "optnone", "noinline", "alwaysinline", "inlinehint", "nounwind",
    "norecurse", "noreturn", "cold",
)
# fmt: on
_COUNTED_ATTRIBUTES = frozenset(FUNCTION_ATTRIBUTES)
_LOCAL_LINKAGES = ("internal ", "private ")
_ODR_LINKAGES = ("linkonce", "weak", "available_externally")


class IRError(ValueError):
    """The bytes are not a module llvmlite can read and verify."""


@dataclass(frozen=True)
class IRCounts:
    """Raw counts of one module; ``features.py`` turns them into model inputs."""

    instructions: int = 0
    basic_blocks: int = 0
    functions_defined: int = 0
    functions_declared: int = 0  # external functions, llvm.* excluded
    functions_local: int = 0  # internal/private definitions (static in C)
    functions_odr: int = 0  # linkonce/weak/available_externally definitions
    functions_local_called_once: int = 0  # static, one direct call site: inlining bait
    functions_local_uncalled: int = 0  # static, no direct call (dead or address-taken)
    functions_single_block: int = 0
    max_function_instructions: int = 0
    max_function_blocks: int = 0
    median_function_instructions: float = 0.0
    globals: int = 0  # defined global variables and aliases
    globals_constant: int = 0
    globals_local: int = 0
    string_bytes: int = 0  # bytes of c"..." initializers
    array_bytes: int = 0  # bytes of [N x iK] global initializers (strings included)
    calls: int = 0  # direct + indirect, intrinsics excluded
    calls_indirect: int = 0
    calls_intrinsic: int = 0  # calls to llvm.*
    calls_external: int = 0  # direct calls to declared (undefined) functions
    calls_memory_intrinsic: int = 0  # llvm.memcpy/memmove/memset
    conditional_branches: int = 0
    unconditional_branches: int = 0
    back_edges: int = 0  # branches to a block laid out earlier: loops, roughly
    switch_cases: int = 0
    vector_types: int = 0  # mentions of <N x T>
    opcodes: dict[str, int] = field(default_factory=dict)
    function_attributes: dict[str, int] = field(default_factory=dict)
    triple: str = ""  # the module's target triple, as written in it


def parse(data: bytes | str):  # -> llvmlite.binding.ModuleRef
    """Parse bitcode bytes or ``.ll`` text; raises :class:`IRError`.

    Text is verified; bitcode is not, because it comes from LLVM itself (the plugin or
    clang) and the bitcode reader already rejects corrupt bytes: verifying would add
    ~0.6 ms per 1k instructions to every compile.
    """
    import llvmlite.binding as llvm

    if not data:
        raise IRError("not a readable LLVM module: empty input")
    try:
        if isinstance(data, str) or bytes(data[:4]) not in (b"BC\xc0\xde", b"\xde\xc0\x17\x0b"):
            module = llvm.parse_assembly(data if isinstance(data, str) else bytes(data).decode())
            module.verify()
        else:
            module = llvm.parse_bitcode(bytes(data))
    except (RuntimeError, UnicodeDecodeError) as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        detail = ": ".join(lines[:2]) or type(exc).__name__
        raise IRError(f"not a readable LLVM module: {detail}") from None
    return module


def module_text(data: bytes | str) -> str:
    """The module printed by llvmlite's LLVM: the form every count below reads."""
    return str(parse(data))


def read(data: bytes | str) -> IRCounts:
    """Counts of one module given as LLVM 19 bitcode bytes or ``.ll`` text."""
    return count_text(module_text(data))


def count_text(text: str) -> IRCounts:
    """Counts from module text as LLVM prints it (one instruction per line)."""
    attribute_groups = {gid: set(body.split()) for gid, body in _ATTR_GROUP.findall(text)}

    opcodes: Counter[str] = Counter()
    callees: Counter[str] = Counter()
    sizes: list[int] = []
    blocks: list[int] = []
    attributes: Counter[str] = Counter()
    defined: dict[str, bool] = {}  # name -> local linkage
    back_edges = functions_odr = 0

    for match in _DEFINE.finditer(text):
        header = match.group(1)
        end = text.find("\n}\n", match.end())
        body = text[match.end() - 1 : end if end >= 0 else len(text)]  # keep the "\n"

        name = _FUNCTION_NAME.search(header)
        is_local = header.startswith(_LOCAL_LINKAGES)
        functions_odr += header.startswith(_ODR_LINKAGES)
        if name:
            defined[name.group(1)] = is_local
        for group in _ATTR_GROUP_REF.findall(header):
            attributes.update(attribute_groups.get(group, set()) & _COUNTED_ATTRIBUTES)

        ops = _INSTRUCTION.findall(body)
        opcodes.update(ops)
        sizes.append(len(ops))
        blocks.append(sum(op in TERMINATORS for op in ops))
        callees.update(_CALLEE.findall(body))

        # Back edges: labels are local to the function, so compare offsets within it.
        label_at = {m.group(1): m.start() for m in _LABEL.finditer(body)}
        for ref in _LABEL_REF.finditer(body):
            target = label_at.get(ref.group(1))
            back_edges += target is not None and target < ref.start()

    declared = {
        n for n in _DECLARE.findall(text) if not n.startswith(("llvm.", '"llvm.'))
    } - defined.keys()
    intrinsic = sum(c for n, c in callees.items() if n.startswith(("@llvm.", '@"llvm.')))
    memory = sum(
        c
        for n, c in callees.items()
        if n.startswith(("@llvm.memcpy", "@llvm.memmove", "@llvm.memset"))
    )
    indirect = sum(c for n, c in callees.items() if n.startswith("%"))
    direct = {n[1:]: c for n, c in callees.items() if n.startswith("@")}
    local_names = [n for n, is_local in defined.items() if is_local]

    # Defined globals only: "external" ones live in another object.
    globals_ = [g for g in _GLOBAL.findall(text) if not g.startswith(("external ", "extern_weak "))]
    constant = sum(" constant " in g for g in globals_)
    local_globals = sum(g.startswith(_LOCAL_LINKAGES) for g in globals_)
    string_bytes = sum(int(n) for g in globals_ for n in _STRING.findall(g))
    array_bytes = sum(
        int(n) * max(int(bits) // 8, 1) for g in globals_ for n, bits in _ARRAY.findall(g)
    )

    conditional = text.count("\n  br i1 ")
    sorted_sizes = sorted(sizes)
    triple = _TRIPLE.search(text)
    return IRCounts(
        triple=triple.group(1) if triple else "",
        instructions=sum(sizes),
        basic_blocks=sum(blocks),
        functions_defined=len(sizes),
        functions_declared=len(declared),
        functions_local=len(local_names),
        functions_odr=functions_odr,
        functions_local_called_once=sum(direct.get(n, 0) == 1 for n in local_names),
        functions_local_uncalled=sum(direct.get(n, 0) == 0 for n in local_names),
        functions_single_block=sum(b == 1 for b in blocks),
        max_function_instructions=max(sizes, default=0),
        max_function_blocks=max(blocks, default=0),
        median_function_instructions=float(sorted_sizes[len(sizes) // 2]) if sizes else 0.0,
        globals=len(globals_),
        globals_constant=constant,
        globals_local=local_globals,
        string_bytes=string_bytes,
        array_bytes=array_bytes,
        calls=sum(direct.values()) - intrinsic + indirect,
        calls_indirect=indirect,
        calls_intrinsic=intrinsic,
        calls_external=sum(c for n, c in direct.items() if n in declared),
        calls_memory_intrinsic=memory,
        conditional_branches=conditional,
        unconditional_branches=opcodes["br"] - conditional,
        back_edges=back_edges,
        switch_cases=text.count("\n    i"),  # case lines; debug records start with #dbg
        vector_types=len(_VECTOR.findall(text)),
        opcodes=dict(opcodes),
        function_attributes={a: attributes[a] for a in FUNCTION_ATTRIBUTES},
    )
