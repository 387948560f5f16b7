// A cache hit is a claim, not a fact: its pipeline passes the allow-list and
// is applied only after this run measured it smaller than its own baseline,
// in a child forked where the parent applies it. Anything else is decided
// again and the entry rewritten; the output equals a cold decision's.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %frontend %inputs/loops.c -o %t/in.bc
// RUN: %python %inputs/make_model.py good %t/good.onnx
// RUN: env LLMC_CACHE_DIR=%t/cache LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/cold.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/cold.bc
// RUN: clang -Oz -c %inputs/loops.c -o %t/plain.o
// RUN: env LLMC_CACHE_DIR=%t/ccache LLMC_MODEL=%t/good.onnx \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/cold.o
//
// 1. A winner LLVM 19 would die on (licm outside loop-mssa): rejected, re-decided.
// RUN: sh -c 'for f in %t/cache/*/*.json; do echo "{\"baseline\":false,\"baseline_size\":999,\"winner\":\"function(loop(licm))\",\"winner_size\":1}" > $f; done'
// RUN: env LLMC_CACHE_DIR=%t/cache LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/licm.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/licm.bc
// RUN: cmp %t/cold.bc %t/licm.bc
// RUN: FileCheck %s --check-prefix=LICM < %t/licm.jsonl
// LICM: "candidates":[{"pipeline":"function(loop(licm))","reason":"cached winner: licm must sit directly inside loop-mssa(...)","size":null,"status":"rejected"}
// LICM-SAME: "cache entry not used ('function(loop(licm))' rejected: cached winner: licm must sit directly inside loop-mssa(...)): decided again"
// LICM-SAME: "source":"model"
// The entry was rewritten with the real decision: the next run hits it.
// RUN: sh -c 'cat %t/cache/*/*.json' | FileCheck %s --check-prefix=REWRITTEN
// REWRITTEN: {"baseline":false,"baseline_size":[[#]],"ir":"{{[0-9a-f]+}}","mac":"{{[0-9a-f]+}}","winner":"function(sroa,instcombine<no-verify-fixpoint>,simplifycfg)","winner_size":[[#]]}
//
// 2. An allowed pass whose entry lies about the sizes (reg2mem, far larger
//    than -Oz): measured, found larger, not applied.
// RUN: sh -c 'for f in %t/cache/*/*.json; do echo "{\"baseline\":false,\"baseline_size\":999999,\"winner\":\"function(reg2mem)\",\"winner_size\":1}" > $f; done'
// RUN: env LLMC_CACHE_DIR=%t/cache LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/liar.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/liar.bc
// RUN: cmp %t/cold.bc %t/liar.bc
// RUN: FileCheck %s --check-prefix=LIAR < %t/liar.jsonl
// LIAR: "baseline":{"pipeline":"default<Oz>","size":[[#BASE:]]},"candidates":[{"pipeline":"function(reg2mem)","reason":"cached winner not smaller than default<Oz>","size":[[#LIE:]],"status":"ok"}
// LIAR-SAME: "source":"model"
// RUN: %python -c "import json; d = json.loads(open('%t/liar.jsonl').read()); c = d['candidates'][0]; assert c['size'] > d['baseline']['size'], d; print('larger')" | FileCheck %s --check-prefix=LARGER
// LARGER: larger
//
// The same in clang, where the winner would run at pipeline start.
// RUN: sh -c 'for f in %t/ccache/*/*.json; do echo "{\"baseline\":false,\"baseline_size\":999999,\"winner\":\"function(reg2mem)\",\"winner_size\":1}" > $f; done'
// RUN: env LLMC_CACHE_DIR=%t/ccache LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/cliar.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/liar.o
// RUN: cmp %t/cold.o %t/liar.o
// RUN: FileCheck %s --check-prefix=LIAR < %t/cliar.jsonl
//
// 3. A true entry is confirmed and used: no model, the measured sizes logged.
// RUN: env LLMC_CACHE_DIR=%t/cache LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/warm.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/warm.bc
// RUN: cmp %t/cold.bc %t/warm.bc
// RUN: FileCheck %s --check-prefix=WARM < %t/warm.jsonl
// WARM: "baseline":{"pipeline":"default<Oz>","size":[[#BASE:]]},"candidates":[{"pipeline":"function(sroa,instcombine<no-verify-fixpoint>,simplifycfg)","reason":"","size":[[#WIN:]],"status":"ok"}]
// WARM-SAME: "model":"",{{.*}}"ranker":"","source":"cache"
// WARM-SAME: "winner_size":[[#WIN]]
//
// 4. On random IR, a cached loop-mssa holding a pass that breaks MemorySSA
//    (LLVM 19: "Loop pass manager using MemorySSA contains a pass that does
//    not preserve MemorySSA"): rejected, the compile ends normally.
// RUN: llvm-stress -seed=1 -size=300 -o %t/stress.ll
// RUN: env LLMC_CACHE_DIR=%t/scache LLMC_MODEL=%t/good.onnx LLMC_MIN_INSTRUCTIONS=0 \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/stress.ll -o %t/stress-cold.bc
// RUN: sh -c 'for f in %t/scache/*/*.json; do echo "{\"baseline\":false,\"baseline_size\":999999,\"winner\":\"function(loop-mssa(loop-unroll-full))\",\"winner_size\":1}" > $f; done'
// RUN: env LLMC_CACHE_DIR=%t/scache LLMC_MODEL=%t/good.onnx LLMC_MIN_INSTRUCTIONS=0 LLMC_LOG=%t/stress.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/stress.ll -o %t/stress-warm.bc
// RUN: cmp %t/stress-cold.bc %t/stress-warm.bc
// RUN: FileCheck %s --check-prefix=MSSA < %t/stress.jsonl
// MSSA: "reason":"cached winner: loop-unroll-full does not keep MemorySSA valid: use loop(...), not loop-mssa(...)"
