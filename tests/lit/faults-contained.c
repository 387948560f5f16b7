// A candidate that crashes, hits an LLVM fatal error, hangs or leaves broken
// IR is discarded; the compiler keeps running and writes the -Oz result.
//
// RUN: %frontend %inputs/loops.c -o %t.bc
// RUN: opt -passes='default<Oz>' %t.bc -o %t.oz.bc
// RUN: rm -f %t.jsonl
//
// RUN: env LLMC_INJECT=crash LLMC_PIPELINES=%inputs/good.txt LLMC_LOG=%t.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t.bc -o %t.crash.bc
// RUN: cmp %t.crash.bc %t.oz.bc
// RUN: env LLMC_INJECT=fatal LLMC_PIPELINES=%inputs/good.txt LLMC_LOG=%t.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t.bc -o %t.fatal.bc
// RUN: cmp %t.fatal.bc %t.oz.bc
// RUN: env LLMC_INJECT=invalid LLMC_PIPELINES=%inputs/good.txt LLMC_LOG=%t.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t.bc -o %t.invalid.bc
// RUN: cmp %t.invalid.bc %t.oz.bc
// RUN: env LLMC_INJECT=hang LLMC_TIMEOUT=1 LLMC_PIPELINES=%inputs/good.txt LLMC_LOG=%t.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t.bc -o %t.hang.bc
// RUN: cmp %t.hang.bc %t.oz.bc
// RUN: FileCheck %s < %t.jsonl
//
// Inside clang too: the object is plain -Oz's.
// RUN: env LLMC_INJECT=crash LLMC_PIPELINES=%inputs/good.txt clang -Oz \
// RUN:   -fpass-plugin=%plugin -c %inputs/loops.c -o %t.llmc.o
// RUN: clang -Oz -c %inputs/loops.c -o %t.oz.o
// RUN: cmp %t.llmc.o %t.oz.o
//
// CHECK: "reason":"crashed with signal 11 (Segmentation fault)","size":null,"status":"crashed"
// CHECK-SAME: "fallback":"no verified candidate is smaller than default<Oz>"
// CHECK: "reason":"LLVM fatal error: llmc: injected fatal error","size":null,"status":"failed"
// CHECK: "reason":"verifier: Basic Block in function '{{.*}}' does not have terminator!","size":null,"status":"invalid"
// CHECK: "reason":"no result after 1 s","size":null,"status":"timeout"
//
// Strict mode: a failed candidate is a compiler error.
// RUN: not env LLMC_STRICT=1 LLMC_INJECT=crash LLMC_PIPELINES=%inputs/good.txt \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t.bc -o %t.strict.bc 2>&1 | FileCheck %s --check-prefix=STRICT
// STRICT: error: llmc: candidate 'function(sroa,instcombine<no-verify-fixpoint>,simplifycfg)' crashed: crashed with signal 11 (Segmentation fault)
//
// A winner whose IR comes back damaged (its bytes do not have the digest its
// child reported) is not applied: -Oz, and the log says why.
// RUN: env LLMC_INJECT=snapshot LLMC_PIPELINES=%inputs/good.txt LLMC_LOG=%t.snapshot.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t.bc -o %t.snapshot.bc
// RUN: cmp %t.snapshot.bc %t.oz.bc
// RUN: FileCheck %s --check-prefix=SNAPSHOT < %t.snapshot.jsonl
// SNAPSHOT: "fallback":"the winner's IR could not be applied"
// SNAPSHOT-SAME: "notes":["'function(sroa,instcombine<no-verify-fixpoint>,simplifycfg)' not applied: the IR handed back does not have its digest"]
