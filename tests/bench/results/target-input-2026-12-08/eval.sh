#!/usr/bin/env bash
# Held-out test split, all four targets: the model of this directory's commit (one
# forest over every target's labels, the target as an input) on the modules that
# ../table-2026-12-07/ evaluated, whose rows hold the previous model's trials and
# every table entry's size on every module (the table is unchanged), so that
# compare.py sets both models, the no-model list and the ceiling side by side.
#   bash eval.sh WORKDIR [RUN]   WORKDIR: llmc corpus's work dir, as ../table-2026-12-07/;
#                                RUN: the name of this run (default new: the model of
#                                ebda4b3; more-labels: of the labels of 2026-12-08)
# Needs the repository's .venv (scripts/setup.sh); writes <target>/RUN here.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../../.." && pwd)
work=${1:?usage: eval.sh WORKDIR [RUN]}
run=${2:-new}
llmc="$root/.venv/bin/llmc"
model="$root/pybridge/data/model.onnx"
"$llmc" eval --split test --limit 250 --corpus "$work/modules" --workers 2 --no-table \
  --model "$model" --out "$here/x86-64/$run"
for t in cortex-m4 rv32imc aarch64; do
  "$llmc" eval --split test --target "$t" --limit 150 --workdir "$work" --workers 2 \
    --no-table --model "$model" --out "$here/$t/$run"
done
