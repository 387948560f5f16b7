"""The features of a module: declared once here, used by training and by the plugin.

Each :class:`Feature` is ``log1p(numerator)`` when it has no denominator, else
``numerator / max(denominator, 1)``. Numerators and denominators are sums of raw
counts from :mod:`pybridge.irreader`: an ``IRCounts`` field name, ``op:<opcode>``
or ``attr:<function attribute>``, joined by ``+``. Exported models carry
:data:`FEATURE_NAMES` and :data:`FEATURE_HASH`; :mod:`pybridge.model` refuses any
model whose names differ, so renaming, reordering or adding a feature means
retraining. Append; never change what an existing name computes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from pybridge.irreader import IRCounts


@dataclass(frozen=True)
class Feature:
    name: str
    doc: str
    of: str  # numerator: raw counts joined by "+"
    per: str = ""  # denominator; "" means log1p(numerator)


# fmt: off
_INT_ARITH = "op:add+op:sub+op:mul+op:shl+op:lshr+op:ashr+op:and+op:or+op:xor"
_DIV = "op:sdiv+op:udiv+op:srem+op:urem"
_FLOAT = "op:fadd+op:fsub+op:fmul+op:fdiv+op:frem+op:fneg+op:fcmp"
_CASTS = ("op:zext+op:sext+op:trunc+op:ptrtoint+op:inttoptr+op:bitcast+op:fptosi+op:fptoui"
          "+op:sitofp+op:uitofp+op:fpext+op:fptrunc+op:addrspacecast")
_VECTOR_OPS = "op:extractelement+op:insertelement+op:shufflevector"
_EH = "op:invoke+op:landingpad+op:resume"
_ATOMIC = "op:atomicrmw+op:cmpxchg+op:fence"
_FN = "functions_defined"
_INSTR = "instructions"

FEATURES: tuple[Feature, ...] = (
    # Size.
    Feature("log_instructions", "instructions in defined functions", _INSTR),
    Feature("log_basic_blocks", "basic blocks (one terminator each)", "basic_blocks"),
    Feature("log_functions_defined", "function definitions", _FN),
    Feature("log_functions_declared", "external function declarations, llvm.* excluded",
            "functions_declared"),
    Feature("log_globals", "defined global variables and aliases", "globals"),
    Feature("log_max_function_instructions", "instructions of the largest function",
            "max_function_instructions"),
    Feature("log_median_function_instructions", "median instructions per function",
            "median_function_instructions"),
    Feature("log_max_function_blocks", "blocks of the largest function", "max_function_blocks"),
    Feature("log_string_bytes", 'bytes of c"..." string constants', "string_bytes"),
    Feature("log_array_bytes", "bytes of integer-array global initializers", "array_bytes"),
    Feature("instructions_per_function", "mean function size", _INSTR, _FN),
    Feature("instructions_per_block", "mean block size", _INSTR, "basic_blocks"),
    Feature("blocks_per_function", "mean blocks per function", "basic_blocks", _FN),
    Feature("largest_function_share", "share of the instructions in the largest function",
            "max_function_instructions", _INSTR),
    # Linkage and call graph: what inlining and dead-code removal can do.
    Feature("local_function_ratio", "static (internal/private) definitions",
            "functions_local", _FN),
    Feature("odr_function_ratio", "linkonce/weak definitions", "functions_odr", _FN),
    Feature("local_called_once_ratio", "static functions with one direct call site",
            "functions_local_called_once", _FN),
    Feature("local_uncalled_ratio", "static functions never called directly",
            "functions_local_uncalled", _FN),
    Feature("single_block_function_ratio", "functions of one block",
            "functions_single_block", _FN),
    Feature("declared_per_defined", "external declarations per definition",
            "functions_declared", _FN),
    Feature("constant_global_ratio", "constant globals", "globals_constant", "globals"),
    Feature("local_global_ratio", "static globals", "globals_local", "globals"),
    # Calls.
    Feature("log_calls", "calls, intrinsics excluded", "calls"),
    Feature("call_density", "calls per instruction", "calls", _INSTR),
    Feature("calls_per_function", "calls per definition", "calls", _FN),
    Feature("indirect_call_ratio", "calls through pointers", "calls_indirect", "calls"),
    Feature("external_call_ratio", "calls to declared functions", "calls_external", "calls"),
    Feature("intrinsic_call_density", "llvm.* calls per instruction", "calls_intrinsic", _INSTR),
    Feature("memory_intrinsic_density", "memcpy/memmove/memset per instruction",
            "calls_memory_intrinsic", _INSTR),
    # Control flow and loops.
    Feature("conditional_branch_density", "br i1 per instruction",
            "conditional_branches", _INSTR),
    Feature("unconditional_branch_density", "br label per instruction",
            "unconditional_branches", _INSTR),
    Feature("log_back_edges", "branches to an earlier block: loops, roughly", "back_edges"),
    Feature("back_edges_per_function", "loop-ish branches per definition", "back_edges", _FN),
    Feature("back_edge_ratio", "loop-ish branches per block", "back_edges", "basic_blocks"),
    Feature("switch_density", "switches per instruction", "op:switch", _INSTR),
    Feature("cases_per_switch", "mean switch cases", "switch_cases", "op:switch"),
    Feature("log_switch_cases", "switch cases", "switch_cases"),
    Feature("returns_per_function", "ret per definition", "op:ret", _FN),
    Feature("unreachable_density", "unreachable per instruction", "op:unreachable", _INSTR),
    # Instruction mix.
    Feature("load_density", "loads per instruction", "op:load", _INSTR),
    Feature("store_density", "stores per instruction", "op:store", _INSTR),
    Feature("alloca_density", "allocas per instruction (unpromoted locals)", "op:alloca", _INSTR),
    Feature("gep_density", "getelementptr per instruction", "op:getelementptr", _INSTR),
    Feature("phi_density", "phi per instruction", "op:phi", _INSTR),
    Feature("select_density", "select per instruction", "op:select", _INSTR),
    Feature("icmp_density", "icmp per instruction", "op:icmp", _INSTR),
    Feature("int_arith_density", "integer arithmetic and logic per instruction",
            _INT_ARITH, _INSTR),
    Feature("div_rem_density", "divisions and remainders per instruction", _DIV, _INSTR),
    Feature("float_density", "floating-point operations per instruction", _FLOAT, _INSTR),
    Feature("cast_density", "casts per instruction", _CASTS, _INSTR),
    Feature("vector_density", "vector element operations per instruction", _VECTOR_OPS, _INSTR),
    Feature("vector_type_density", "<N x T> mentions per instruction", "vector_types", _INSTR),
    Feature("aggregate_density", "extractvalue/insertvalue per instruction",
            "op:extractvalue+op:insertvalue", _INSTR),
    Feature("atomic_density", "atomics and fences per instruction", _ATOMIC, _INSTR),
    Feature("eh_density", "invoke/landingpad/resume per instruction", _EH, _INSTR),
    Feature("log_distinct_opcodes", "distinct opcodes used", "distinct_opcodes"),
    # Function attributes, as a share of definitions.
    Feature("minsize_ratio", "definitions with minsize", "attr:minsize", _FN),
    Feature("optsize_ratio", "definitions with optsize", "attr:optsize", _FN),
    Feature("optnone_ratio", "definitions with optnone", "attr:optnone", _FN),
    Feature("noinline_ratio", "definitions with noinline", "attr:noinline", _FN),
    Feature("alwaysinline_ratio", "definitions with alwaysinline", "attr:alwaysinline", _FN),
    Feature("inlinehint_ratio", "definitions with inlinehint (C inline)", "attr:inlinehint", _FN),
    Feature("nounwind_ratio", "definitions with nounwind", "attr:nounwind", _FN),
    Feature("noreturn_ratio", "definitions with noreturn", "attr:noreturn", _FN),
    Feature("cold_ratio", "definitions with cold", "attr:cold", _FN),
)
# fmt: on

FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)
FEATURE_HASH: str = hashlib.sha256("\n".join(FEATURE_NAMES).encode()).hexdigest()[:16]


@cache
def _plan() -> tuple[tuple[str, ...], np.ndarray, np.ndarray, np.ndarray]:
    """Raw keys and the 0/1 matrices that sum them into numerators and denominators."""
    import numpy as np

    keys = sorted({k for f in FEATURES for k in (f.of + "+" + f.per).split("+") if k})
    index = {k: i for i, k in enumerate(keys)}
    numerators = np.zeros((len(FEATURES), len(keys)), dtype=np.float64)
    denominators = np.zeros_like(numerators)
    for row, feature in enumerate(FEATURES):
        for key in feature.of.split("+"):
            numerators[row, index[key]] = 1.0
        for key in filter(None, feature.per.split("+")):
            denominators[row, index[key]] = 1.0
    is_log = np.array([not f.per for f in FEATURES])
    return tuple(keys), numerators, denominators, is_log


def raw_value(counts: IRCounts, key: str) -> float:
    """One raw count by its key (see the module docstring)."""
    if key.startswith("op:"):
        return float(counts.opcodes.get(key[3:], 0))
    if key.startswith("attr:"):
        return float(counts.function_attributes.get(key[5:], 0))
    if key == "distinct_opcodes":
        return float(len(counts.opcodes))
    return float(getattr(counts, key))


def from_counts(counts: IRCounts) -> np.ndarray:
    """The feature vector of already-read counts (float32, ``len(FEATURES)``)."""
    import numpy as np

    keys, numerators, denominators, is_log = _plan()
    raw = np.array([raw_value(counts, k) for k in keys], dtype=np.float64)
    top = numerators @ raw
    bottom = np.maximum(denominators @ raw, 1.0)
    return np.where(is_log, np.log1p(top), top / bottom).astype(np.float32)


def extract(bitcode: bytes) -> np.ndarray:
    """Features of one module (LLVM 19 bitcode, or ``.ll`` text as bytes).

    Raises :class:`pybridge.irreader.IRError` when the bytes are not a module.
    """
    from pybridge import irreader

    return from_counts(irreader.read(bitcode))


def _check_keys() -> None:
    """Every key a feature names must exist; a typo fails at import, not at training."""
    from pybridge.irreader import FUNCTION_ATTRIBUTES, IRCounts

    known = {f.name for f in fields(IRCounts)} | {"distinct_opcodes"}
    known |= {f"attr:{a}" for a in FUNCTION_ATTRIBUTES}
    for feature in FEATURES:
        for key in filter(None, (feature.of + "+" + feature.per).split("+")):
            if not key.startswith("op:") and key not in known:
                raise ValueError(f"feature {feature.name}: unknown raw count {key!r}")
    if len(set(FEATURE_NAMES)) != len(FEATURE_NAMES):
        raise ValueError("duplicate feature names")


_check_keys()
