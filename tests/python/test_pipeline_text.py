"""Answers of language models -> one allow-listed LLVM 19 pipeline (pybridge.lm.pipeline_text)."""

from __future__ import annotations

import pytest

from pybridge import allowlist
from pybridge.lm.pipeline_text import answer_text, parse_answer

FTD_PROMPT_ECHO = (
    "[INST] Tell me how to optimize this LLVM-IR for object file size:\n\n"
    "<code>define i32 @f(i32 %x) {\n  ret i32 %x\n}\n</code> [/INST]"
)


@pytest.mark.parametrize(
    ("answer", "pipeline"),
    [
        # New-PM answers, quoted as a shell would, as LLM Compiler FTD writes them.
        (
            "opt -passes='function(sroa,instcombine,simplifycfg)'",
            "function(sroa,instcombine<no-verify-fixpoint>,simplifycfg)",
        ),
        (
            f"{FTD_PROMPT_ECHO} Run passes -passes='module(globalopt),function(sroa,"
            "early-cse<memssa>),cgscc(inline)' to get object file size 120 bytes, down from "
            "164:\n\n<code>.text\nf:\n  ret\n</code>",
            "module(globalopt),function(sroa,early-cse<memssa>),cgscc(inline)",
        ),
        # Spaces after commas, double quotes, -p spelling.
        ('opt -p "function(sroa, simplifycfg)" in.ll', "function(sroa,simplifycfg)"),
        # A function pipeline that then names a module pass: LLVM would reject it;
        # the passes are kept in order, each in the adaptor it needs.
        ("-passes=sroa,globalopt.", "function(sroa),globalopt"),
        # licm outside loop-mssa aborts LLVM 19: rebuilt into loop-mssa.
        (
            "opt -passes='function(loop(loop-rotate,licm),loop-unroll-full)'",
            "function(loop-mssa(loop-rotate,licm),loop(loop-unroll-full))",
        ),
        (
            "`-passes=module(function(instcombine<verify-fixpoint;max-iterations=2>))`",
            "module(function(instcombine<max-iterations=2;no-verify-fixpoint>))",
        ),
        # Legacy flag lists.
        (
            "opt -sroa -instcombine -simplifycfg -o out.ll",
            "function(sroa,instcombine<no-verify-fixpoint>,simplifycfg)",
        ),
        (
            f"{FTD_PROMPT_ECHO} -reg2mem -simplifycfg -loop-rotate -licm -mem2reg -inline "
            "-functionattrs -globalopt -Oz",
            "function(reg2mem,simplifycfg,loop-mssa(loop-rotate,licm),mem2reg),"
            "cgscc(inline,function-attrs),globalopt,default<Oz>",
        ),
        # A MemorySSA-keeping run goes to loop-mssa, as the search's vocabulary nests it
        # (pybridge.pipelines.assemble), licm or not.
        (
            "Run passes -mem2reg -loop-unswitch -indvars -loop-deletion -early-cse-memssa "
            "-loweratomic to get instruction count down from 40 to 12",
            "function(mem2reg,loop-mssa(simple-loop-unswitch),loop(indvars,loop-deletion),"
            "early-cse<memssa>)",
        ),
    ],
)
def test_answers_become_allowed_pipelines(answer: str, pipeline: str) -> None:
    parsed = parse_answer(answer)
    assert parsed.reason == ""
    assert parsed.pipeline == pipeline
    assert allowlist.check(parsed.pipeline) is None


def test_mapping_and_dropping_are_reported() -> None:
    parsed = parse_answer(
        "opt -reg2mem -prune-eh -instcombine -newgvn -made-up-pass -S -o x.ll -constprop"
    )
    assert parsed.dialect == "legacy"
    assert parsed.pipeline == "function(reg2mem,instcombine<no-verify-fixpoint>)"
    assert ("-instcombine", "instcombine<no-verify-fixpoint>") in parsed.mapped
    reasons = dict(parsed.dropped)
    assert "removed" in reasons["-prune-eh"]
    assert "removed" in reasons["-constprop"]
    assert reasons["-newgvn"].startswith("denied")
    assert reasons["-made-up-pass"] == "unknown pass in LLVM 19"
    assert reasons["-S"] == reasons["-o"] == "opt option, not a pass"


def test_new_pm_instcombine_is_mapped() -> None:
    parsed = parse_answer("opt -passes='function(sroa,instcombine,simplifycfg)'")
    assert parsed.dialect == "new-pm"
    assert parsed.mapped == (("instcombine", "instcombine<no-verify-fixpoint>"),)


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("", "answer has no passes"),
        ("ll align lo align 7 [<\x0c", "answer has no passes"),
        ("I would not optimize this code.", "answer has no passes"),
        ("-passes=''", "answer has no passes"),
        ("-passes='function(sroa'", "pipeline syntax: unbalanced '(' after function"),
        ("-newgvn -foo", "no pass of the answer maps to LLVM 19: -newgvn (denied: "),
        ("-passes=sroa(instcombine)", "no pass of the answer maps to LLVM 19"),
    ],
)
def test_answers_without_a_pipeline_say_why(answer: str, reason: str) -> None:
    parsed = parse_answer(answer)
    assert parsed.pipeline is None
    assert parsed.reason.startswith(reason)


def test_code_after_the_pass_list_is_ignored() -> None:
    # FTD writes optimized IR after the passes; its "-1" or "-passes" text must not count.
    answer = "-sroa to get size 3\n\n<code>%x = add i32 -1, %y ; -passes=globalopt -licm</code>"
    assert answer_text(answer).strip() == "-sroa to get size 3"
    assert parse_answer(answer).pipeline == "function(sroa)"


def test_never_raises_on_odd_input() -> None:
    for answer in ["-passes=" + "function(" * 20 + "sroa" + ")" * 20, "-" * 5000, "\x00-sroa"]:
        parsed = parse_answer(answer)
        assert parsed.pipeline is None or allowlist.check(parsed.pipeline) is None
