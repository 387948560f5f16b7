; Empty and declaration-only modules skip the model and get -Oz; no crash.
;
; RUN: opt -load-pass-plugin=%plugin -passes=llmc-autotune -pass-remarks-missed=llmc %s -o %t.bc 2>&1 | count 0
; RUN: env LLMC_LOG=%t.jsonl opt -load-pass-plugin=%plugin -passes=llmc-autotune %s -disable-output
; RUN: FileCheck %s < %t.jsonl
; RUN: echo "" | opt -load-pass-plugin=%plugin -passes=llmc-autotune -disable-output
;
; CHECK: "fallback":"module too small (0 IR instructions)"
; CHECK-SAME: "source":"none"

declare i32 @puts(ptr)
