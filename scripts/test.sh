#!/usr/bin/env bash
# README command 2: set everything up, then run all tests (lint, lit, pytest).
# Slow benchmarks are marked and run on demand: pytest -m slow tests/bench.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${LLMC_VENV:-$root/.venv}
bash "$root/scripts/setup.sh" test,lm
cd "$root"
"$venv/bin/ruff" check pybridge tests
PATH="$venv/bin:$PATH" "$venv/bin/lit" -sv tests/lit
PATH="$venv/bin:$PATH" "$venv/bin/pytest" -q tests/python
