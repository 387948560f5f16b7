; The baseline is clang's own -Oz: its pipeline is built before any candidate
; is parsed. In clang, parsing a candidate such as default<O1> changes what the
; same PassBuilder builds for default<Oz> afterwards (on this function, reduced
; by llvm-reduce from Lua's lstate.c, the byte stores merge differently), and
; a baseline measured that way is not the object clang writes: the candidate
; then lost to a baseline smaller than -Oz. The baseline now runs beside the
; first candidates, after they are parsed, so the order matters.
;
; RUN: rm -rf %t && mkdir -p %t
; RUN: clang -Oz -c %s -o %t/plain.o
; RUN: printf 'default<O1>\nfunction(sroa)\n' > %t/list
; RUN: env LLMC_MIN_INSTRUCTIONS=0 LLMC_PIPELINES=%t/list LLMC_LOG=%t/log.jsonl \
; RUN:   clang -Oz -fpass-plugin=%plugin -c %s -o %t/llmc.o
; RUN: llvm-size %t/plain.o > %t/sizes.txt
; RUN: %python -c "import json, sys; print('baseline', json.load(open(sys.argv[1]))['baseline']['size'])" \
; RUN:   %t/log.jsonl >> %t/sizes.txt
; RUN: FileCheck %s < %t/sizes.txt
;
; CHECK: text
; CHECK-NEXT: [[#TEXT:]]{{[[:space:]]+}}[[#DATA:]]{{[[:space:]]+}}
; CHECK: baseline [[#TEXT+DATA]]

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

define ptr @lua_newstate(ptr %0) {
  %2 = call ptr %0(ptr null, ptr null, i64 0, i64 0)
  %3 = getelementptr i8, ptr %2, i64 315
  store i8 0, ptr %3, align 1
  %4 = getelementptr i8, ptr %2, i64 224
  store i64 1, ptr %4, align 8
  %5 = getelementptr i8, ptr %2, i64 232
  store i64 0, ptr %2, align 8
  %6 = getelementptr i8, ptr %2, i64 316
  store i8 0, ptr %6, align 4
  %7 = getelementptr i8, ptr %2, i64 317
  store i8 0, ptr %7, align 1
  %8 = getelementptr i8, ptr %2, i64 318
  store i8 0, ptr %8, align 2
  ret ptr null
}
