// A ranking server that lies: it announces a 4 GiB reply (the plugin checks
// the size before it allocates anything and ranks in-process, saying why), a
// reply that is not JSON (one warning, -Oz), never answers or trickles its
// reply a byte at a time (one deadline for the whole exchange, not one per
// read, then in-process).
//
// RUN: rm -rf %t && mkdir -p %t/run && chmod 700 %t/run
// RUN: %frontend %inputs/loops.c -o %t/in.bc
// RUN: opt -passes='default<Oz>' %t/in.bc -o %t/oz.bc
// RUN: env LLMC_SERVER=off opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/off.bc
// RUN: env XDG_RUNTIME_DIR=%t/run opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/real.bc
// RUN: cmp %t/off.bc %t/real.bc
//
// RUN: %python %inputs/fault.py kill-server %t/run/llmc
// RUN: %python %inputs/fake_server.py %t/run/llmc huge-frame
// RUN: env XDG_RUNTIME_DIR=%t/run LLMC_LOG=%t/huge.jsonl %python %inputs/measure.py %t/huge.time \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/huge.bc 2>&1 | count 0
// RUN: cmp %t/off.bc %t/huge.bc
// RUN: FileCheck %s --check-prefix=HUGE < %t/huge.jsonl
// HUGE: "notes":["ranking server unavailable (the server announced a reply of 4294967295 bytes, more than 1048576): ranked in-process"]
// HUGE-SAME: "ranker":"in-process"
// RUN: %python -c "import json; t = json.load(open('%t/huge.time')); print('rss', t['max_rss_mib'] < 1024)" | FileCheck %s --check-prefix=RSS
// RSS: rss True
//
// RUN: %python %inputs/fake_server.py %t/run/llmc garbage
// RUN: env XDG_RUNTIME_DIR=%t/run opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/garbage.bc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=GARBAGE --implicit-check-not=warning:
// RUN: cmp %t/oz.bc %t/garbage.bc
// GARBAGE: warning: llmc: malformed ranking reply: {{.*}}; using default<Oz>
//
// RUN: %python %inputs/fake_server.py %t/run/llmc stall
// RUN: env XDG_RUNTIME_DIR=%t/run LLMC_RANK_TIMEOUT_MS=2000 LLMC_LOG=%t/stall.jsonl %python %inputs/measure.py %t/stall.time \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/stall.bc 2>&1 | count 0
// RUN: cmp %t/off.bc %t/stall.bc
// RUN: FileCheck %s --check-prefix=STALL < %t/stall.jsonl
// STALL: "notes":["ranking server unavailable (no reply from the server within 2 s): ranked in-process"]
// RUN: %python -c "import json; t = json.load(open('%t/stall.time')); print('bounded', 2 <= t['seconds'] < 8)" | FileCheck %s --check-prefix=BOUNDED
// BOUNDED: bounded True
//
// RUN: %python %inputs/fake_server.py %t/run/llmc trickle
// RUN: env XDG_RUNTIME_DIR=%t/run LLMC_RANK_TIMEOUT_MS=2000 LLMC_LOG=%t/trickle.jsonl %python %inputs/measure.py %t/trickle.time \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/trickle.bc 2>&1 | count 0
// RUN: cmp %t/off.bc %t/trickle.bc
// RUN: FileCheck %s --check-prefix=STALL < %t/trickle.jsonl
// RUN: %python -c "import json; t = json.load(open('%t/trickle.time')); print('bounded', 2 <= t['seconds'] < 8)" | FileCheck %s --check-prefix=BOUNDED
// RUN: %python %inputs/fake_server.py %t/run/llmc stop
