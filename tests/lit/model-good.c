// A working model: its candidates are ranked in Python, the unknown and
// disallowed ones are rejected with their reasons in the log, the others
// are tried, and the smallest verified result wins; in opt and in clang.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %frontend %inputs/loops.c -o %t/in.bc
// RUN: %python %inputs/make_model.py good %t/good.onnx
// RUN: env LLMC_MODEL=%t/good.onnx LLMC_CANDIDATES=3 LLMC_LOG=%t/log.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune -pass-remarks=llmc %t/in.bc -o %t/out.bc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REMARK
// RUN: env LLMC_MODEL=%t/good.onnx LLMC_CANDIDATES=3 LLMC_LOG=%t/log.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -Rpass=llmc -c %inputs/loops.c -o %t/out.o 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s --check-prefix=LOG < %t/log.jsonl
//
// REMARK: remark: {{.*}}llmc chose 'function(sroa,instcombine<no-verify-fixpoint>,simplifycfg)'
//
// LOG: "candidates":[{"pipeline":"no-such-pass","reason":"{{[^"]*}}no-such-pass{{[^"]*}}","size":null,"status":"rejected"},
// LOG-SAME: {"pipeline":"function(sroa,instcombine<no-verify-fixpoint>,simplifycfg)",{{.*}}"status":"ok"}
// LOG-SAME: "model":"{{[0-9a-f]+}}"
// LOG-SAME: "source":"model","tool":"opt"
// LOG: "source":"model","tool":"clang"
