// Candidates from a list (what search and evaluation use): untrusted entries
// are rejected one by one with their reason, the others are still tried, and
// the smallest verified result wins against default<Oz>.
//
// RUN: rm -f %t.jsonl
// RUN: %frontend %inputs/loops.c -o %t.bc
// RUN: env LLMC_PIPELINES=%inputs/untrusted.txt LLMC_LOG=%t.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune -pass-remarks=llmc \
// RUN:   %t.bc -o %t.out.bc 2> %t.txt
// RUN: cat %t.jsonl >> %t.txt
// RUN: FileCheck %s --check-prefixes=REMARK,LOG < %t.txt
//
// The winner is applied: opt's output is exactly the pipeline's output.
// RUN: opt -passes='function(sroa,instcombine<no-verify-fixpoint>,simplifycfg)' %t.bc -o %t.ref.bc
// RUN: cmp %t.out.bc %t.ref.bc
//
// REMARK: remark: {{.*}}llmc chose 'function(sroa,instcombine<no-verify-fixpoint>,simplifycfg)' for {{.*}}: [[#WIN:]] < [[#BASE:]] (default<Oz>) by object
//
// LOG: {"baseline":{"pipeline":"default<Oz>","size":[[#BASE]]},"candidates":[
// LOG-SAME: {"pipeline":"function(sroa,instcombine<no-verify-fixpoint>,simplifycfg)","reason":"","size":[[#WIN]],"status":"ok"},
// LOG-SAME: {"pipeline":"no-such-pass","reason":"unknown pass no-such-pass","size":null,"status":"rejected"},
// LOG-SAME: {"pipeline":"instcombine","reason":"instcombine needs the parameter no-verify-fixpoint: instcombine<no-verify-fixpoint>","size":null,"status":"rejected"},
// LOG-SAME: {"pipeline":"function(print<domtree>)","reason":"print is denied: printer: writes to stderr, transforms nothing","size":null,"status":"rejected"},
// LOG-SAME: {"pipeline":"module(dot-cfg)","reason":"dot-cfg is denied: writes a .dot file","size":null,"status":"rejected"},
// LOG-SAME: {"pipeline":"unify-loop-exits","reason":"unify-loop-exits is denied: miscompiles and segfaults LLVM 19 on real C code","size":null,"status":"rejected"},
// LOG-SAME: {"pipeline":"function(sroa","reason":"syntax: unbalanced '(' after function","size":null,"status":"rejected"}],
// LOG-SAME: "fallback":"","level":"Oz","metric":"object","model":"",
// LOG-SAME: "source":"list","tool":"opt","us":{"rank":0,"total":[[#]],"trials":[[#]]},
// LOG-SAME: "winner":"function(sroa,instcombine<no-verify-fixpoint>,simplifycfg)","winner_size":[[#WIN]]}
