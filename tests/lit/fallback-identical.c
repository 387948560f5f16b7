// When no candidate beats -Oz, the output is exactly the -Oz output: in opt,
// byte-identical to default<Oz>; in clang, byte-identical to plain clang -Oz.
//
// RUN: %frontend %inputs/loops.c -o %t.bc
// RUN: env LLMC_PIPELINES=%inputs/worse.txt LLMC_LOG=%t.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune -pass-remarks-missed=llmc \
// RUN:   %t.bc -o %t.out.bc 2>&1 | FileCheck %s
// RUN: opt -passes='default<Oz>' %t.bc -o %t.oz.bc
// RUN: cmp %t.out.bc %t.oz.bc
//
// RUN: env LLMC_PIPELINES=%inputs/worse.txt clang -Oz -fpass-plugin=%plugin \
// RUN:   -Rpass-missed=llmc -c %inputs/loops.c -o %t.llmc.o 2>&1 | FileCheck %s
// RUN: clang -Oz -c %inputs/loops.c -o %t.oz.o
// RUN: cmp %t.llmc.o %t.oz.o
//
// CHECK: remark: {{.*}}llmc kept default<Oz> for {{.*}}: no verified candidate is smaller than default<Oz>
