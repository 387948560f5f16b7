// Hostile models, ranked in-process (in the bounded child) and by the server:
// a Loop of 1e11 iterations, ConstantOfShape of 1e9 floats (4 GB) and of 1e12.
// Each compile exits 0 in bounded time and memory with one warning and the
// -Oz output; the server lives, and refuses a model that overran its
// inference deadline at once from then on.
//
// RUN: rm -rf %t && mkdir -p %t/run && chmod 700 %t/run
// RUN: %frontend %inputs/loops.c -o %t/in.bc
// RUN: opt -passes='default<Oz>' %t/in.bc -o %t/oz.bc
// RUN: clang -Oz -c %inputs/loops.c -o %t/oz.o
// RUN: %python %inputs/make_model.py loop %t/loop.onnx
// RUN: %python %inputs/make_model.py alloc-1e9 %t/alloc-1e9.onnx
// RUN: %python %inputs/make_model.py alloc-1e12 %t/alloc-1e12.onnx
//
// In-process:
// RUN: env LLMC_SERVER=off LLMC_MODEL=%t/loop.onnx %python %inputs/measure.py %t/off-loop.time \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/off-loop.bc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=LOOP --implicit-check-not=warning:
// RUN: env LLMC_SERVER=off LLMC_MODEL=%t/alloc-1e9.onnx %python %inputs/measure.py %t/off-1e9.time \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/off-1e9.bc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MEMORY --implicit-check-not=warning:
// RUN: env LLMC_SERVER=off LLMC_MODEL=%t/alloc-1e12.onnx %python %inputs/measure.py %t/off-1e12.time \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/off-1e12.bc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MEMORY --implicit-check-not=warning:
// RUN: cmp %t/oz.bc %t/off-loop.bc
// RUN: cmp %t/oz.bc %t/off-1e9.bc
// RUN: cmp %t/oz.bc %t/off-1e12.bc
// LOOP: warning: llmc: model {{[0-9a-f]+}}: inference took longer than 2 s; refused from now on; using default<Oz>
// MEMORY: warning: llmc: model {{[0-9a-f]+}}: inference ran out of memory; refused from now on; using default<Oz>
//
// The server: the first request with the Loop model waits out the deadline,
// the next ones are refused at once.
// RUN: env XDG_RUNTIME_DIR=%t/run LLMC_MODEL=%t/loop.onnx LLMC_LOG=%t/on.jsonl %python %inputs/measure.py %t/on-loop.time \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/on-loop.bc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=LOOP --implicit-check-not=warning:
// RUN: env XDG_RUNTIME_DIR=%t/run LLMC_MODEL=%t/loop.onnx LLMC_LOG=%t/on.jsonl %python %inputs/measure.py %t/on-again.time \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/on-again.bc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REFUSED --implicit-check-not=warning:
// RUN: env XDG_RUNTIME_DIR=%t/run LLMC_MODEL=%t/loop.onnx clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/on-loop.o 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REFUSED --implicit-check-not=warning:
// RUN: env XDG_RUNTIME_DIR=%t/run LLMC_MODEL=%t/alloc-1e9.onnx LLMC_LOG=%t/on.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/on-1e9.bc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MEMORY --implicit-check-not=warning:
// RUN: env XDG_RUNTIME_DIR=%t/run LLMC_MODEL=%t/alloc-1e12.onnx LLMC_LOG=%t/on.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/on-1e12.bc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MEMORY --implicit-check-not=warning:
// RUN: cmp %t/oz.bc %t/on-loop.bc
// RUN: cmp %t/oz.bc %t/on-again.bc
// RUN: cmp %t/oz.o %t/on-loop.o
// RUN: cmp %t/oz.bc %t/on-1e9.bc
// RUN: cmp %t/oz.bc %t/on-1e12.bc
// REFUSED: warning: llmc: model {{[0-9a-f]+}} was refused earlier: inference took longer than 2 s; using default<Oz>
// RUN: grep -c '"ranker":"server"' %t/on.jsonl | FileCheck %s --check-prefix=FOUR
// FOUR: 4
//
// Bounded: time (a 2 s inference deadline, then none) and memory (the
// child's data limit), and the server is alive and small.
// RUN: %python -c "import json; t = {n: json.load(open('%t/' + n + '.time')) for n in ('off-loop', 'off-1e9', 'off-1e12', 'on-loop', 'on-again')}; \
// RUN:   print('time', all(v['seconds'] < 10 for v in t.values()), t['on-again']['seconds'] < 1.5, 'rss', all(v['max_rss_mib'] < 2600 for v in t.values()))" \
// RUN:   | FileCheck %s --check-prefix=BOUNDED
// BOUNDED: time True True rss True
// RUN: %python %inputs/server_proc.py %t/run/llmc %t memory | FileCheck %s --check-prefix=ALIVE
// ALIVE: cwd / std devnull build files 0 peak under 1 GiB True
