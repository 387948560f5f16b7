#!/usr/bin/env bash
# Held-out test split on RV32IMC and AArch64 with the model of this directory's
# commit: model, no-model list and the table's ceiling side by side (the eval's
# list-mode pass measures every table entry on every module).
#   bash eval-targets.sh WORKDIR   WORKDIR: llmc corpus's work dir, the 12 test
#                                  projects of 2026-12-01 built with
#                                  llmc corpus build --target rv32imc,aarch64
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../../.." && pwd)
work=${1:?usage: eval-targets.sh WORKDIR}
for t in rv32imc aarch64; do
  "$root/.venv/bin/llmc" eval --split test --target "$t" --limit 150 --workdir "$work" \
    --workers 2 --model "$root/pybridge/data/model.onnx" --out "$here/$t/new"
done
