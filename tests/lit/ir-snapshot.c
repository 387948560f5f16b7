// What the compiler applies is the IR the winner's trial measured, handed back
// from its child (plugin/IRSnapshot.h), not the winner's pipeline run again:
// the module's whole contents come back (an alias, an ifunc, module-level
// assembly, a constructor, a used global, a section, a thread-local, debug
// info), and the object is exactly the size the trial measured.
//
// 1. clang: the object's text + data is the logged winner's size, its debug
//    info verifies, and the program prints what plain -Oz's prints.
// RUN: rm -rf %t && mkdir -p %t
// RUN: clang -Oz -g -c %inputs/snapshot.c -o %t/plain.o
// RUN: clang %t/plain.o -o %t/plain
// RUN: env LLMC_PIPELINES=%inputs/good.txt LLMC_FORCE=1 LLMC_LOG=%t/log.jsonl \
// RUN:   clang -Oz -g -fpass-plugin=%plugin -c %inputs/snapshot.c -o %t/llmc.o
// RUN: clang %t/llmc.o -o %t/llmc
// RUN: %t/plain > %t/plain.out
// RUN: %t/llmc > %t/llmc.out
// RUN: diff %t/plain.out %t/llmc.out
// RUN: llvm-dwarfdump --verify %t/llmc.o | FileCheck %s --check-prefix=DWARF
// DWARF: No errors.
// RUN: llvm-nm %t/llmc.o | FileCheck %s --check-prefix=SYMS
// SYMS: A llmc_asm_marker
// SYMS: i resolved
// SYMS: r tag
// SYMS: T total
// RUN: cp %t/log.jsonl %t/sizes.txt
// RUN: %python %inputs/linked_size.py %t/llmc.o >> %t/sizes.txt
// RUN: FileCheck %s --check-prefix=SIZE < %t/sizes.txt
// SIZE: "source":"list","tool":"clang"
// SIZE-SAME: "winner_size":[[#MEASURED:]]
// SIZE-NEXT: [[#MEASURED]] not larger
//
// 2. opt: the module written is, as IR, what `opt -passes=<winner>` writes.
// RUN: %frontend -g %inputs/snapshot.c -o %t/in.bc
// RUN: env LLMC_PIPELINES=%inputs/good.txt LLMC_FORCE=1 \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -S -o %t/llmc.ll
// RUN: opt -passes='function(sroa,instcombine<no-verify-fixpoint>,simplifycfg)' %t/in.bc -S -o %t/opt.ll
// RUN: diff %t/llmc.ll %t/opt.ll
//
// 3. C++: comdats (a template, an inline function, a vtable), RTTI and
//    exceptions come back too; the object is the size measured.
// RUN: clang++ -Oz -c %inputs/snapshot.cpp -o %t/plain-cxx.o
// RUN: clang++ %t/plain-cxx.o -o %t/plain-cxx
// RUN: env LLMC_PIPELINES=%inputs/good.txt LLMC_FORCE=1 LLMC_LOG=%t/cxx.jsonl \
// RUN:   clang++ -Oz -fpass-plugin=%plugin -c %inputs/snapshot.cpp -o %t/llmc-cxx.o
// RUN: clang++ %t/llmc-cxx.o -o %t/llmc-cxx
// RUN: %t/plain-cxx > %t/plain-cxx.out
// RUN: %t/llmc-cxx > %t/llmc-cxx.out
// RUN: diff %t/plain-cxx.out %t/llmc-cxx.out
// RUN: llvm-readelf -g %t/llmc-cxx.o | FileCheck %s --check-prefix=COMDAT
// COMDAT: COMDAT group section [{{.*}}] `.group' [_Z10accumulateIiET_PKS0_i]
// COMDAT: COMDAT group section [{{.*}}] `.group' [_ZTV6Square]
// RUN: cp %t/cxx.jsonl %t/cxx-sizes.txt
// RUN: %python %inputs/linked_size.py %t/llmc-cxx.o >> %t/cxx-sizes.txt
// RUN: FileCheck %s --check-prefix=SIZE < %t/cxx-sizes.txt
