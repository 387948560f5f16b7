// At -O0 every function is optnone and code generation cannot change: llmc
// says so and leaves the module alone.
//
// RUN: clang -O0 -fpass-plugin=%plugin -Rpass-missed=llmc -c %inputs/loops.c -o %t.o 2>&1 | FileCheck %s
// RUN: clang -O0 -c %inputs/loops.c -o %t.ref.o
// RUN: cmp %t.o %t.ref.o
// CHECK: remark: {{.*}}llmc does not act at -O0 (every function is optnone): left alone
