// Why an object can shrink while the program grows, and the rule that stops
// it. mergefunc turns one of two identical functions into a thunk to the
// other: the object is smaller, but a program that keeps only the thunk now
// links both. With a section per function llmc measures what each global
// keeps in a --gc-sections link and takes no candidate that grows any.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: printf 'int twin_b(const int *, int);\nint v[64];\nint main(int c, char **a) { return twin_b(v, c); }\n' > %t/main.c
// RUN: clang -Oz -ffunction-sections -fdata-sections -c %t/main.c -o %t/main.o
//
// Without sections per function the whole object is what links: a win.
// RUN: env LLMC_SERVER=off LLMC_PIPELINES=%inputs/mergefunc.txt LLMC_MIN_INSTRUCTIONS=0 LLMC_LOG=%t/plain.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/twins.c -o %t/whole.o
// RUN: FileCheck %s --check-prefix=WHOLE < %t/plain.jsonl
// WHOLE: "winner":"mergefunc"
//
// With them: smaller object, no win, the -Oz object.
// RUN: clang -Oz -ffunction-sections -fdata-sections -c %inputs/twins.c -o %t/oz.o
// RUN: env LLMC_SERVER=off LLMC_PIPELINES=%inputs/mergefunc.txt LLMC_MIN_INSTRUCTIONS=0 LLMC_LOG=%t/safe.jsonl \
// RUN:   clang -Oz -ffunction-sections -fdata-sections -fpass-plugin=%plugin -c %inputs/twins.c -o %t/safe.o
// RUN: cmp %t/oz.o %t/safe.o
// RUN: FileCheck %s --check-prefix=SAFE < %t/safe.jsonl
// SAFE: {"pipeline":"mergefunc","reason":"smaller object, but {{[12]}} of 2 global symbols keep more bytes in a --gc-sections link","size":[[#]],"status":"ok"}
// SAFE-SAME: "winner":"default<Oz>"
//
// The linked program: not larger with the rule, larger without it.
// RUN: clang -Wl,--gc-sections %t/main.o %t/oz.o -o %t/oz
// RUN: clang -Wl,--gc-sections %t/main.o %t/safe.o -o %t/safe
// RUN: %python %inputs/linked_size.py %t/oz %t/safe | FileCheck %s --check-prefix=NOTLARGER
// NOTLARGER: not larger
// RUN: env LLMC_GC_SAFE=0 LLMC_SERVER=off LLMC_PIPELINES=%inputs/mergefunc.txt LLMC_MIN_INSTRUCTIONS=0 \
// RUN:   clang -Oz -ffunction-sections -fdata-sections -fpass-plugin=%plugin -c %inputs/twins.c -o %t/unsafe.o
// RUN: clang -Wl,--gc-sections %t/main.o %t/unsafe.o -o %t/unsafe
// RUN: %python %inputs/linked_size.py %t/oz %t/unsafe | FileCheck %s --check-prefix=LARGER
// LARGER: LARGER
