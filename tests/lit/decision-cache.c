// The decision cache: a rebuild runs only the remembered winner (no Python,
// no trials) and writes byte-identical output; corrupt or tampered entries
// are ignored and rewritten; a planted symlink is not followed; the cache
// stays within its entry limit.
//
// RUN: rm -rf %t && mkdir -p %t/elsewhere
// RUN: %frontend %inputs/loops.c -o %t/in.bc
// RUN: %python %inputs/make_model.py good %t/good.onnx
//
// Cold, then warm: same output, the second from the cache.
// RUN: env LLMC_CACHE_DIR=%t/cache LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/log.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/cold.bc
// RUN: env LLMC_CACHE_DIR=%t/cache LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/log.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/warm.bc
// RUN: cmp %t/cold.bc %t/warm.bc
//
// The same in clang.
// RUN: env LLMC_CACHE_DIR=%t/cache LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/log.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/cold.o
// RUN: env LLMC_CACHE_DIR=%t/cache LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/log.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/warm.o
// RUN: cmp %t/cold.o %t/warm.o
//
// The key ignores the module's name: configure compiles one test program
// under per-process names, and each of them hits.
// RUN: cp %inputs/loops.c %t/conftest123.c
// RUN: env LLMC_CACHE_DIR=%t/cache LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/renamed.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %t/conftest123.c -o %t/renamed.o
// RUN: llvm-objdump -d --no-show-raw-insn %t/renamed.o | tail -n +4 > %t/renamed.s
// RUN: llvm-objdump -d --no-show-raw-insn %t/cold.o | tail -n +4 > %t/cold.s
// RUN: diff %t/renamed.s %t/cold.s
// RUN: FileCheck %s --check-prefix=RENAMED < %t/renamed.jsonl
// RENAMED: "module":"{{.*}}conftest123.c"{{.*}}"source":"cache"
//
// A corrupt entry is ignored, decided again and rewritten.
// RUN: sh -c 'for f in %t/cache/*/*.json; do echo "{\"winner\": trunc" > $f; done'
// RUN: env LLMC_CACHE_DIR=%t/cache LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/log.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/again.bc
// RUN: cmp %t/cold.bc %t/again.bc
// RUN: sh -c 'cat %t/cache/*/*.json' | FileCheck %s --check-prefix=REWRITTEN
// REWRITTEN: {"baseline":false,"baseline_size":[[#]],"ir":"{{[0-9a-f]+}}","mac":"{{[0-9a-f]+}}","winner":"function(sroa,instcombine<no-verify-fixpoint>,simplifycfg)","winner_size":[[#]]}
//
// A tampered entry naming a disallowed pipeline is not trusted.
// RUN: sh -c 'for f in %t/cache/*/*.json; do cp %inputs/tampered-entry.json $f; done'
// RUN: env LLMC_CACHE_DIR=%t/cache LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/log.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/tampered.bc
// RUN: cmp %t/cold.bc %t/tampered.bc
// RUN: FileCheck %s --check-prefix=LOG < %t/log.jsonl
// LOG: "source":"model","tool":"opt"
// LOG: "source":"cache","tool":"opt"
// LOG: "source":"model","tool":"clang"
// LOG: "source":"cache","tool":"clang"
// LOG: "source":"model","tool":"opt"
// LOG: "source":"model","tool":"opt"
//
// A symlink planted where the cache goes: warning, nothing written through it.
// RUN: ln -s %t/elsewhere %t/planted
// RUN: env LLMC_CACHE_DIR=%t/planted LLMC_MODEL=%t/good.onnx \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/planted.bc 2>&1 | FileCheck %s --check-prefix=SYMLINK
// RUN: cmp %t/cold.bc %t/planted.bc
// RUN: ls %t/elsewhere | count 0
// SYMLINK: warning: llmc: cannot create cache directory {{.*}}planted{{.*}}: Too many levels of symbolic links
//
// Bounded: with room for 2 entries, 5 different modules leave at most 2.
// RUN: mkdir -p %t/many
// RUN: sh -c 'for i in 1 2 3 4 5; do sed "s/\* 3/* $i$i/" %inputs/loops.c > %t/many/m$i.c; done'
// RUN: sh -c 'for i in 1 2 3 4 5; do LLMC_CACHE_DIR=%t/small LLMC_CACHE_MAX_ENTRIES=2 LLMC_MODEL=%t/good.onnx \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %t/many/m$i.c -o %t/many/m$i.o || exit 1; done'
// RUN: sh -c 'ls %t/small/*/*.json | wc -l' | FileCheck %s --check-prefix=BOUNDED
// BOUNDED: {{^[12]$}}
