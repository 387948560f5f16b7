#!/usr/bin/env bash
# Regenerates the committed sample of `llmc disasm` / `emulate` / `eval-lm`, all
# made by clang-19 from C sources already in this repository (tests/lit/Inputs):
#   inputs/NAME.TARGET.s   clang-19 -Oz -S, for x86-64 Linux and for
#                          thumbv7em-none-eabi -mcpu=cortex-m4 (sources without libc headers)
#   inputs/NAME.x86_64.ll  the IR before any pass (-Xclang -disable-llvm-passes): to emulate
#   answers/NAME.TARGET.ll clang-19 -Oz -S -emit-llvm: the right IR for inputs/NAME.TARGET.s,
#                          the "stub" model's answer (tests/python/test_lm_tasks.py,
#                          tests/bench/bench_lm_tasks.py)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lit=$here/../../../lit/Inputs
mkdir -p "$here/inputs" "$here/answers"
arm=(--target=thumbv7em-none-eabi -mcpu=cortex-m4)
x86=(--target=x86_64-linux-gnu)
asm() {  # directory source name flags...
  local dir=$1 src=$2 name=$3; shift 3
  (cd "$dir" && clang-19 -Oz "$@" -S -o "$here/inputs/$name.s" "$src" \
    && clang-19 -Oz "$@" -S -emit-llvm -o "$here/answers/$name.ll" "$src")
}
asm "$lit" loops.c loops.x86_64 "${x86[@]}"
asm "$lit/project" crc.c crc.x86_64 "${x86[@]}"
asm "$lit/project" matrix.c matrix.x86_64 "${x86[@]}"
asm "$lit/project" crc.c crc.cortex-m4 "${arm[@]}"
asm "$lit/project" matrix.c matrix.cortex-m4 "${arm[@]}"
for name in loops crc; do
  dir=$lit; [ "$name" = loops ] || dir=$lit/project
  (cd "$dir" && clang-19 -Oz "${x86[@]}" -Xclang -disable-llvm-passes -S -emit-llvm \
    -o "$here/inputs/$name.x86_64.ll" "$name.c")
done
