// One reply format for both ranking paths (pybridge.rank_json's JSON, see
// pybridge/__init__.py), decoded once in BridgeClient.cpp. The golden reply
// (Inputs/golden-reply.json, which tests/python/test_server.py holds Python's
// encoder to) is decoded field by field; every malformed reply is one warning
// and the -Oz output. The replies come from a planted pybridge.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %frontend %inputs/loops.c -o %t/in.bc
// RUN: opt -passes='default<Oz>' %t/in.bc -o %t/oz.bc
//
// RUN: env LLMC_SERVER=off LLMC_PYTHONPATH=%inputs/planted PLANTED_REPLY=file:%inputs/golden-reply.json \
// RUN:   LLMC_LOG=%t/golden.jsonl opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/golden.bc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=QUIET --allow-empty
// RUN: FileCheck %s --check-prefix=GOLDEN < %t/golden.jsonl
// QUIET-NOT: warning
// GOLDEN: "candidates":[{"pipeline":"no-such-pass","reason":"unknown pass no-such-pass",{{.*}}"status":"rejected"},{"pipeline":"module(dot-cfg)","reason":"writes \"files\"",{{.*}}"status":"rejected"},{"pipeline":"function(sroa,instcombine<no-verify-fixpoint>,simplifycfg)",{{.*}}"status":"ok"},{"pipeline":"function(sroa)",{{.*}}"status":"ok"}]
// GOLDEN-SAME: "fallback":""
// GOLDEN-SAME: "model":"0123456789abcdef"
// GOLDEN-SAME: "notes":["quotes \" backslash \\ slash / unicode é 中 😀","tab here","lm (onnx, -): no pipeline"]
// GOLDEN-SAME: "ranker":"in-process"
//
// Malformed: each is one warning line and the -Oz output.
// RUN: echo 'not json' > %t/r1
// RUN: echo '{"version":2,"pipelines":[],"rejected":[],"notes":[],"error":"","model":""}' > %t/r2
// RUN: echo '{"version":1,"pipelines":[1],"rejected":[],"notes":[],"error":"","model":""}' > %t/r3
// RUN: echo '{"version":1,"pipelines":["sroa\nsroa"],"rejected":[],"notes":[],"error":"","model":""}' > %t/r4
// RUN: echo '{"version":1}' > %t/r5
// RUN: echo '{"version":1,"pipelines":["sroa"],"rejected":[["a","b","c"]],"notes":[],"error":"","model":""}' > %t/r6
// RUN: echo '{"version":1,"pipelines":["sroa"],"rejected":[],"notes":[],"error":0,"model":""}' > %t/r7
// RUN: echo '[{"version":1}]' > %t/r8
// RUN: echo '{"version":"1","pipelines":[],"rejected":[],"notes":[],"error":"","model":""}' > %t/r9
// RUN: echo '{"version":1,"pipelines":[""],"rejected":[],"notes":[],"error":"","model":""}' > %t/r10
// RUN: sh -c 'for r in file:%t/r1 file:%t/r2 file:%t/r3 file:%t/r4 file:%t/r5 file:%t/r6 \
// RUN:          file:%t/r7 file:%t/r8 file:%t/r9 file:%t/r10 deep big str; do \
// RUN:   env LLMC_SERVER=off LLMC_PYTHONPATH=%inputs/planted PLANTED_REPLY=$r \
// RUN:     opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/out.bc 2>> %t/malformed.err || exit 1; \
// RUN:   cmp %t/oz.bc %t/out.bc || exit 1; done'
// RUN: FileCheck %s --check-prefix=MALFORMED --implicit-check-not=warning: < %t/malformed.err
// MALFORMED: warning: llmc: malformed ranking reply: {{.*}}Invalid JSON{{.*}}; using default<Oz>
// MALFORMED-NEXT: warning: llmc: ranking reply of another version (this llmc reads 1); using default<Oz>
// MALFORMED-NEXT: warning: llmc: malformed ranking reply: 'pipelines' is not what version 1 says; using default<Oz>
// MALFORMED-NEXT: warning: llmc: malformed ranking reply: 'pipelines' is not what version 1 says; using default<Oz>
// MALFORMED-NEXT: warning: llmc: malformed ranking reply: 'pipelines' is not what version 1 says; using default<Oz>
// MALFORMED-NEXT: warning: llmc: malformed ranking reply: 'rejected' is not what version 1 says; using default<Oz>
// MALFORMED-NEXT: warning: llmc: malformed ranking reply: 'error' is not what version 1 says; using default<Oz>
// MALFORMED-NEXT: warning: llmc: malformed ranking reply: not an object; using default<Oz>
// MALFORMED-NEXT: warning: llmc: ranking reply of another version (this llmc reads 1); using default<Oz>
// MALFORMED-NEXT: warning: llmc: malformed ranking reply: 'pipelines' is not what version 1 says; using default<Oz>
// MALFORMED-NEXT: warning: llmc: malformed ranking reply: JSON nested deeper than 4 levels; using default<Oz>
// MALFORMED-NEXT: warning: llmc: ranking reply larger than 1048576 bytes; using default<Oz>
// MALFORMED-NEXT: warning: llmc: Python: pybridge.rank_json returned no bytes; using default<Oz>
