#!/usr/bin/env bash
# cortex-m4's test split (the 12 test projects of 2026-12-01 built for cortex-m4; the first
# 150 modules, as eval-targets-2026-12-01 took them) with the model shipped since 2026-12-07,
# then with the model of 2026-12-01.
#   bash run.sh WORKDIR     WORKDIR: llmc corpus's work dir, the test projects built with
#                           llmc corpus build --target cortex-m4
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../../.." && pwd)
work=${1:?usage: run.sh WORKDIR}
"$root/.venv/bin/llmc" eval --split test --target cortex-m4 --limit 150 --workers 2 \
  --workdir "$work" --model "$root/pybridge/data/model.onnx" --out "$here"
# The model of 2026-12-01 (109affe) on the same modules, in the same run.
before=$(mktemp --suffix=.onnx)
trap 'rm -f "$before"' EXIT
git -C "$root" show 109affe:pybridge/data/model.onnx > "$before"
"$root/.venv/bin/llmc" eval --split test --target cortex-m4 --limit 150 --workers 2 \
  --workdir "$work" --model "$before" --no-table --out "$here/before"
