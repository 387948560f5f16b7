// The decision log: many compiler processes append to one file without
// interleaving; a symlink planted where the log goes is not followed.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %frontend %inputs/loops.c -o %t/in.bc
// RUN: %python %inputs/parallel_log.py %plugin %t/in.bc %inputs/good.txt %t/log.jsonl 12 | FileCheck %s --check-prefix=PARALLEL
// PARALLEL: 12 whole records
//
// RUN: echo precious > %t/precious.txt
// RUN: ln -s %t/precious.txt %t/planted.jsonl
// RUN: env LLMC_PIPELINES=%inputs/good.txt LLMC_LOG=%t/planted.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/out.bc 2>&1 | FileCheck %s --check-prefix=SYMLINK
// RUN: FileCheck %s --check-prefix=UNTOUCHED < %t/precious.txt
// SYMLINK: warning: llmc: cannot open log {{.*}}planted.jsonl: Too many levels of symbolic links
// UNTOUCHED: precious
// UNTOUCHED-NOT: {{.}}
