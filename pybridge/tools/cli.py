"""``llmc``: the command line of llmc.

Each subcommand lives in the module that does its job; this file only wires
them. ``COMMANDS`` names, for each, a ``configure(parser)`` function that adds
the arguments and sets ``func``; heavy imports stay inside ``func`` so that
``llmc flags`` (run by every build) starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# name -> ("module:configure function", one-line help), in ``llmc --help`` order.
COMMANDS: dict[str, tuple[str, str]] = {
    "plugin-path": (
        "pybridge.tools.commands:configure_plugin_path",
        "print the path of libllmc.so",
    ),
    "flags": ("pybridge.tools.commands:configure_flags", "print the compiler flags that load llmc"),
    "predict": (
        "pybridge.tools.commands:configure_predict",
        "features and ranked candidates of a .c/.ll/.bc file",
    ),
    "doctor": ("pybridge.tools.commands:configure_doctor", "check LLVM, Python, model and CUDA"),
    "build-compare": (
        "pybridge.tools.buildcompare:configure",
        "build a real C project with -Oz and with llmc, compare object sizes",
    ),
    "difftest": (
        "pybridge.tools.difftest:configure",
        "differential testing against -Oz with csmith programs",
    ),
    "stress": (
        "pybridge.tools.stress:configure",
        "llvm-stress modules through the plugin: exit 0, no crash, verified output",
    ),
    "export-lm": (
        "pybridge.lm.export:configure",
        "export a local Hugging Face causal LM (e.g. LLM Compiler FTD) for LLMC_LM",
    ),
    "disasm": (
        "pybridge.lm.tasks:configure_disasm",
        "assembly to LLVM IR with LLM Compiler FTD, checked by an llc-19 round trip",
    ),
    "emulate": (
        "pybridge.lm.tasks:configure_emulate",
        "the language model's prediction of opt-19 -passes=P, checked against opt-19",
    ),
    "eval-lm": (
        "pybridge.lm.tasks:configure_eval",
        "disasm and emulate over a directory of .s/.ll files: a table and JSON",
    ),
    "corpus": ("pybridge.training.corpus:configure", "fetch, build or import a corpus"),
    "search": ("pybridge.training.search:configure", "search each module's best pipelines"),
    "table": ("pybridge.training.table:configure", "choose the candidate table"),
    "label": (
        "pybridge.training.table:configure_label",
        "measure the committed table on more modules: rows for llmc train",
    ),
    "train": ("pybridge.training.train:configure", "train and export the ranker"),
    "learn": (
        "pybridge.training.learn:configure",
        "labels from your builds' decision logs; retrain the ranker for your code",
    ),
    "eval": ("pybridge.training.evaluate:configure", "compare the plugin with -Oz"),
    "cache": (
        "pybridge.tools.cache:configure",
        "export, import and count the decision cache (a cache a team can share)",
    ),
    "determinism": (
        "pybridge.training.determinism:configure",
        "run passes and table entries under several heap layouts, find varying output",
    ),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="llmc", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (target, help_text) in COMMANDS.items():
        module_name, function_name = target.split(":")
        configure = getattr(importlib.import_module(module_name), function_name)
        configure(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
