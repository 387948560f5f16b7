#!/usr/bin/env bash
# README command 2: set everything up, then run all tests (lint, lit, pytest).
# Slow benchmarks are marked and run on demand: pytest -m slow tests/bench.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${LLMC_VENV:-$root/.venv}
bash "$root/scripts/setup.sh" test,lm
# An opt of another LLVM major, for the test of the plugin's version check.
if ! dpkg-query -W -f='${Status}' llvm-16 2>/dev/null | grep -q "ok installed"; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq llvm-16 >/dev/null
fi
cd "$root"
"$venv/bin/ruff" check pybridge tests
"$venv/bin/ruff" format --check pybridge tests
"$venv/bin/mypy"
clang-format-19 --dry-run -Werror plugin/*.cpp plugin/*.h tests/fuzz/*.cpp
PATH="$venv/bin:$PATH" "$venv/bin/lit" -sv tests/lit
# libFuzzer targets for the parsers of untrusted text, 20 s each at once.
LLMC_VENV="$venv" bash tests/fuzz/run.sh
PATH="$venv/bin:$PATH" "$venv/bin/pytest" -q tests/python tests/bench
