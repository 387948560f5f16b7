#!/usr/bin/env bash
# The 12 test projects of 2026-12-01 (the same 200 modules, the committed manifest's
# rows) with the model shipped since 2026-12-07 (retrained without public benchmark
# code, on the grown corpus) and, in the same run, the model before it (109affe).
#   bash run.sh WORKDIR     WORKDIR: llmc corpus's work dir with the 12 test projects built
# Needs the repository's .venv (scripts/setup.sh); writes shipped/ and before/ here.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../../.." && pwd)
work=${1:?usage: run.sh WORKDIR}
llmc="$root/.venv/bin/llmc"
before=$(mktemp --suffix=.onnx)
manifest=$(mktemp --suffix=.csv)  # 109affe's: its 12 test projects, the modules of 2026-12-01
trap 'rm -f "$before" "$manifest"' EXIT
git -C "$root" show 109affe:pybridge/data/model.onnx > "$before"
git -C "$root" show 109affe:pybridge/data/corpus/manifest.csv > "$manifest"
common=(--split test --limit 200 --corpus "$work/modules" --manifest "$manifest")
"$llmc" eval "${common[@]}" --model "$root/pybridge/data/model.onnx" --out "$here/shipped"
"$llmc" eval "${common[@]}" --model "$before" --no-table --out "$here/before"
