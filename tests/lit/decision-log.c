// The decision log: many compiler processes append to one file without
// interleaving; a symlink planted where the log goes is not followed; a
// process that holds the log's lock does not stall the compiler for ever.
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
//
// Another process holds the lock: after 10 s, one warning, no record, the
// same output.
// RUN: env LLMC_PIPELINES=%inputs/good.txt \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/unlocked.bc
// RUN: touch %t/locked.jsonl
// RUN: env LLMC_PIPELINES=%inputs/good.txt LLMC_LOG=%t/locked.jsonl \
// RUN:   %python %inputs/hold_lock.py %t/locked.jsonl timeout 60 \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/locked.bc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=LOCKED --implicit-check-not=warning
// RUN: cmp %t/unlocked.bc %t/locked.bc
// RUN: count 0 < %t/locked.jsonl
// LOCKED: warning: llmc: cannot lock log {{.*}}locked.jsonl: held by another process for more than 10 s
