#!/usr/bin/env bash
# README command 1: set everything up, then the main job: build a real C
# project (zlib, from Debian's source package) with its own build system, once
# with CC=clang-19 CFLAGS=-Oz and once with CFLAGS="-Oz $(llmc flags)", and
# print the size of every object file against -Oz.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${LLMC_VENV:-$root/.venv}
bash "$root/scripts/setup.sh"
"$venv/bin/llmc" build-compare "${1:-zlib}"
