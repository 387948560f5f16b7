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
//
// A position-independent image holds a 24-byte dynamic relocation for every
// absolute pointer stored in the object (the link-time decision counts them,
// as .rela.dyn counts in the image's text): 24 bytes per R_X86_64_64 of the
// object's allocated sections.
// RUN: clang -Oz -S -emit-llvm %inputs/pointers.c -o %t.ptrs.ll
// RUN: clang -Oz -c %inputs/pointers.c -o %t.ptrs.o
// RUN: llvm-readelf -r %t.ptrs.o | grep -c R_X86_64_64 > %t.ptrs.txt
// RUN: opt -load-pass-plugin=%plugin -passes='print<llmc-size>' -disable-output %t.ptrs.ll 2>> %t.ptrs.txt
// RUN: FileCheck %s --check-prefix=PIE < %t.ptrs.txt
// The five names of the table (printf's table folds away at -Oz):
// PIE: {{^}}[[#RELOCS:5]]{{$}}
// PIE-NEXT: llmc-size: {{.*}} pie-reloc-bytes=[[#mul(RELOCS,24)]]
