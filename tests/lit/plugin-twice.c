// A plugin named twice (the flags in CFLAGS and LDFLAGS, both on one command
// line) registers its callbacks twice; the module is still decided once, and
// the object is the one a single -fpass-plugin writes.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: env LLMC_SERVER=off LLMC_LOG=%t/once.jsonl LLMC_MIN_INSTRUCTIONS=0 \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/once.o
// RUN: env LLMC_SERVER=off LLMC_LOG=%t/twice.jsonl LLMC_MIN_INSTRUCTIONS=0 \
// RUN:   clang -Oz -fpass-plugin=%plugin -fpass-plugin=%plugin -c %inputs/loops.c -o %t/twice.o
// RUN: cmp %t/once.o %t/twice.o
// RUN: wc -l < %t/twice.jsonl | FileCheck %s
// CHECK: {{^ *1$}}
