; Loaded into an opt of another LLVM major, the plugin says so in one line
; and registers nothing, instead of crashing on a foreign PassBuilder.
; (Runs where such an opt is installed, e.g. Debian's llvm-16.)
;
; REQUIRES: other-llvm
; RUN: not %other_opt -load-pass-plugin=%plugin -passes=llmc-autotune %s -disable-output 2>&1 | FileCheck %s
; CHECK: llmc: error: libllmc.so is built for LLVM 19 but was loaded into LLVM {{[0-9]+}}; use clang-19/opt-19

define i32 @f(i32 %x) {
  ret i32 %x
}
