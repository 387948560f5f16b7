#!/usr/bin/env bash
# Sets up llmc on Debian 12: LLVM 19 and build tools from Debian's packages
# (installed only when missing), a virtual environment made from Debian's own
# Python 3.11 (the plugin embeds its libpython, so the venv and the library
# must come from the same Python), and llmc itself, built by pip through CMake.
#
#   scripts/setup.sh [EXTRAS]     e.g. scripts/setup.sh test,lm
# LLMC_VENV overrides where the environment goes (default: .venv).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${LLMC_VENV:-$root/.venv}
extras=${1:-}

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
packages=(clang-19 llvm-19-dev llvm-19-tools lld-19 clang-format-19 g++ make cmake
          gcc-arm-none-eabi libnewlib-arm-none-eabi
          picolibc-riscv64-unknown-elf libc6-dev-arm64-cross  # C headers: pybridge/targets.py
          python3-dev python3-venv dpkg-dev csmith libcsmith-dev
          libclang-rt-19-dev)  # libFuzzer and the sanitizers: tests/fuzz
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "llmc setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -x "$venv/bin/python" ]; then
  /usr/bin/python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --upgrade pip
spec="$root"
[ -z "$extras" ] || spec="$root[$extras]"
echo "llmc setup: pip install $spec into $venv"
"$venv/bin/python" -m pip install -q "$spec"
"$venv/bin/llmc" doctor
