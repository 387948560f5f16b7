// Clients that trickle a request to the ranking server, a byte every 8 s,
// hold up no other compile: the server reads connections concurrently, each
// under one deadline for the whole request. (A single-threaded server made
// every other compile wait 30 s.)
//
// RUN: rm -rf %t && mkdir -p %t/run && chmod 700 %t/run
// RUN: %frontend %inputs/loops.c -o %t/in.bc
// RUN: env XDG_RUNTIME_DIR=%t/run opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/first.bc
// RUN: env XDG_RUNTIME_DIR=%t/run LLMC_LOG=%t/log.jsonl %python %inputs/slow_client.py %t/run/llmc 4 %t/times.json -- \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/slow.bc
// RUN: cmp %t/first.bc %t/slow.bc
// RUN: grep -c '"ranker":"server"' %t/log.jsonl | FileCheck %s --check-prefix=TWO
// TWO: 2
// RUN: %python -c "import json; t = json.load(open('%t/times.json')); print('extra under 1 s', t['beside_slow'] - t['alone'] < 1.0)" \
// RUN:   | FileCheck %s
// CHECK: extra under 1 s True
