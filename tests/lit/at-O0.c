// At -O0 every function is optnone and code generation cannot change: llmc
// says so and leaves the module alone.
//
// RUN: clang -O0 -fpass-plugin=%plugin -Rpass-missed=llmc -c %inputs/loops.c -o %t.o 2>&1 | FileCheck %s
// RUN: clang -O0 -c %inputs/loops.c -o %t.ref.o
// RUN: cmp %t.o %t.ref.o
// CHECK: remark: {{.*}}llmc acts only at -Os, -Oz and -O1..-O3; -O0 is left alone
