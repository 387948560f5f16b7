// Under clang -Oz the module's IR pipeline is the chosen pipeline, not the
// chosen pipeline plus -Oz again, and code generation stays -Oz's.
//
// RUN: env LLMC_PIPELINES=%inputs/good.txt clang -Oz -fpass-plugin=%plugin \
// RUN:   -c %inputs/loops.c -o %t.clang.o
// RUN: env LLMC_PIPELINES=%inputs/good.txt clang -Oz -fpass-plugin=%plugin \
// RUN:   -c -emit-llvm -Xclang -emit-llvm-uselists %inputs/loops.c -o %t.final.bc
//
// 1. Code generation: llc on clang's final IR writes the same code as clang
//    (minsize/optsize are back on every function before code generation).
// RUN: llc -relocation-model=pic -filetype=obj %t.final.bc -o %t.final.o
// RUN: llvm-objdump -d --no-show-raw-insn %t.clang.o | tail -n +4 > %t.clang.s
// RUN: llvm-objdump -d --no-show-raw-insn %t.final.o | tail -n +4 > %t.final.s
// RUN: diff %t.clang.s %t.final.s
// RUN: llvm-dis %t.final.bc -o - | FileCheck %s --check-prefix=ATTRS
// ATTRS-NOT: optnone
// ATTRS-NOT: llmc-shield
// ATTRS: attributes #0 = { minsize {{.*}}optsize
//
// 2. The IR: every function body is what `opt <chosen pipeline>` makes. The
//    rest of clang's default pipeline skips the shielded (optnone) functions;
//    its module passes that ignore optnone only touch module-level facts:
//    GlobalDCE drops the now-unused lifetime intrinsic declarations, GlobalOpt
//    adds local_unnamed_addr, function-attrs infers attributes. llvm-diff
//    compares bodies and reports exactly the GlobalDCE difference.
// RUN: %frontend %inputs/loops.c -o %t.bc
// RUN: opt -passes='function(sroa,instcombine<no-verify-fixpoint>,simplifycfg)' %t.bc -o %t.opt.bc
// RUN: llvm-diff %t.final.bc %t.opt.bc 2>&1 | FileCheck %s --check-prefix=DIFF
// DIFF-NOT: in function
// DIFF: function @llvm.lifetime.start.p0 exists only in right module
// DIFF-NEXT: function @llvm.lifetime.end.p0 exists only in right module
// DIFF-NOT: {{.}}
//
// 3. Those differences do not change the size: clang's object and opt + llc's
//    have the same text, data and bss.
// RUN: llc -relocation-model=pic -filetype=obj %t.opt.bc -o %t.opt.o
// RUN: llvm-size %t.clang.o %t.opt.o | FileCheck %s --check-prefix=SIZE
// SIZE: text
// SIZE-NEXT: [[#TEXT:]]{{[[:space:]]+}}[[#DATA:]]{{[[:space:]]+}}[[#BSS:]]
// SIZE-NEXT: [[#TEXT]]{{[[:space:]]+}}[[#DATA]]{{[[:space:]]+}}[[#BSS]]
