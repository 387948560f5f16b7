// The object metric is llvm-size's text + data of the object the module's
// target writes (PIC here, as Debian's clang builds PIE by default).
//
// RUN: clang -Oz -S -emit-llvm %inputs/loops.c -o %t.ll
// RUN: llc -relocation-model=pic -filetype=obj %t.ll -o %t.o
// RUN: llvm-size %t.o > %t.txt
// RUN: opt -load-pass-plugin=%plugin -passes='print<llmc-size>' -disable-output %t.ll 2>> %t.txt
// RUN: FileCheck %s < %t.txt
//
// CHECK: text
// CHECK-NEXT: [[#TEXT:]]{{[[:space:]]+}}[[#DATA:]]{{[[:space:]]+}}
// CHECK: llmc-size: {{.*}} ir=[[#]] object=[[#TEXT+DATA]]
