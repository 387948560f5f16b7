// A large module (3,000 functions) goes through the whole decision without
// trouble: trials, verification and the -Oz comparison, in opt and clang.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %inputs/make_huge.py 3000 > %t/huge.c
// RUN: env LLMC_PIPELINES=%inputs/good.txt LLMC_LOG=%t/log.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %t/huge.c -o %t/huge.o
// RUN: FileCheck %s < %t/log.jsonl
// CHECK: "baseline":{"pipeline":"default<Oz>","size":[[#]]}
// CHECK-SAME: "status":"ok"
