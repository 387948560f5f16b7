// -llmc-effort: the trial budget per module. Past what the model's table
// holds, the budget goes to a local search (pybridge/localsearch.py) around
// the smallest pipelines measured so far; every proposal is allow-listed,
// trialled, verified and confirmed like a table entry, so the object is never
// larger than -Oz. The search is seeded by the module's content: the same
// module at the same options gives the same object, on both ranking paths.
//
// RUN: rm -rf %t && mkdir -p %t/run && chmod 700 %t/run
// RUN: %python %inputs/make_model.py good %t/good.onnx
// RUN: clang -Oz -c %inputs/loops.c -o %t/plain.o
//
// The table holds two usable entries; an effort of 10 adds 8 searched pipelines.
// RUN: env LLMC_MODEL=%t/good.onnx LLMC_EFFORT=10 LLMC_SERVER=off LLMC_LOG=%t/log.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/a.o
// RUN: env LLMC_MODEL=%t/good.onnx LLMC_SERVER=off LLMC_LOG=%t/log.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -Xclang -load -Xclang %plugin -mllvm -llmc-effort=10 -c %inputs/loops.c -o %t/b.o
// RUN: env LLMC_MODEL=%t/good.onnx LLMC_EFFORT=10 XDG_RUNTIME_DIR=%t/run LLMC_LOG=%t/log.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/c.o
// RUN: cmp %t/a.o %t/b.o
// RUN: cmp %t/a.o %t/c.o
// RUN: FileCheck %s --check-prefix=SEARCH < %t/log.jsonl
// RUN: %python -c "import json; d = [json.loads(l) for l in open('%t/log.jsonl')]; \
// RUN:   print([sum(c['status'] != 'rejected' for c in r['candidates']) for r in d], \
// RUN:   [r['ranker'] for r in d])" | FileCheck %s --check-prefix=COUNT
// RUN: llvm-size %t/plain.o %t/a.o | %python -c "import sys; r = [l.split() for l in sys.stdin][1:]; \
// RUN:   s = [int(x[0]) + int(x[1]) for x in r]; print('not larger' if s[1] <= s[0] else s)" \
// RUN:   | FileCheck %s --check-prefix=SIZE
//
// SEARCH: "notes":["search: 8 pipelines in 1 round"]
// SEARCH: "notes":["search: 8 pipelines in 1 round"]
// SEARCH: "notes":["search: 8 pipelines in 1 round"]
// COUNT: [10, 10, 10] ['in-process', 'in-process', 'server']
// SIZE: not larger
//
// An effort below the table's size tries that many entries and no search.
// RUN: env LLMC_EFFORT=2 LLMC_SERVER=off LLMC_LOG=%t/two.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/two.o
// RUN: %python -c "import json; r = json.loads(open('%t/two.jsonl').read()); \
// RUN:   print(sum(c['status'] != 'rejected' for c in r['candidates']), r['notes'])" \
// RUN:   | FileCheck %s --check-prefix=TWO
// TWO: 2 []

