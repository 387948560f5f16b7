#!/usr/bin/env bash
# Held-out test split, x86-64 and Cortex-M4: the model and table of this directory's
# commit side by side with the model before it (cc815b0, 20 allowed entries), on the
# same modules in one run. The table pass of the new run measures every entry of the
# new table, which holds the old table's allowed entries, so compare.py judges both
# tables' lists and ceilings on the same sizes.
#   bash eval.sh WORKDIR     WORKDIR: llmc corpus's work dir with the test projects
#                            built for x86-64 and (llmc corpus build --target cortex-m4)
#                            the 12 test projects of 2026-12-01 for Cortex-M4
# Needs the repository's .venv (scripts/setup.sh); writes x86-64/ and cortex-m4/ here.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../../.." && pwd)
work=${1:?usage: eval.sh WORKDIR}
llmc="$root/.venv/bin/llmc"
before=$(mktemp --suffix=.onnx)
trap 'rm -f "$before"' EXIT
git -C "$root" show cc815b0:pybridge/data/model.onnx > "$before"
x86=(--split test --limit 250 --corpus "$work/modules" --workers 2)
"$llmc" eval "${x86[@]}" --model "$root/pybridge/data/model.onnx" --out "$here/x86-64/new"
"$llmc" eval "${x86[@]}" --model "$before" --no-table --out "$here/x86-64/before"
cm4=(--split test --target cortex-m4 --limit 150 --workdir "$work" --workers 2)
"$llmc" eval "${cm4[@]}" --model "$root/pybridge/data/model.onnx" --out "$here/cortex-m4/new"
"$llmc" eval "${cm4[@]}" --model "$before" --no-table --out "$here/cortex-m4/before"
