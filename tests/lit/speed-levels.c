// A speed build stays a speed build: at -O2 (projects compile hot files at
// -O2/-O3 beside -Oz) llmc leaves clang's own pipeline alone, byte for byte,
// and says so in a remark; -llmc-levels (LLMC_LEVELS) opts other levels in.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: clang -O2 -c %inputs/loops.c -o %t/plain.o
// RUN: env LLMC_LOG=%t/o2.jsonl LLMC_SERVER=off clang -O2 -fpass-plugin=%plugin \
// RUN:   -Rpass-missed=llmc -c %inputs/loops.c -o %t/o2.o 2>&1 | FileCheck %s --check-prefix=LEFT
// RUN: cmp %t/plain.o %t/o2.o
// RUN: not ls %t/o2.jsonl
// LEFT: remark: {{.*}}llmc left -O2 to clang's own pipeline (llmc-levels is 'Os,Oz')
//
// -Os and -Oz are decided by default.
// RUN: env LLMC_LOG=%t/os.jsonl LLMC_SERVER=off clang -Os -fpass-plugin=%plugin \
// RUN:   -c %inputs/loops.c -o %t/os.o
// RUN: FileCheck %s --check-prefix=DECIDED-OS < %t/os.jsonl
// DECIDED-OS: "level":"Os"
//
// Opted in: -O2 is decided too.
// RUN: env LLMC_LEVELS=O2,Os,Oz LLMC_LOG=%t/optin.jsonl LLMC_SERVER=off \
// RUN:   clang -O2 -fpass-plugin=%plugin -c %inputs/loops.c -o %t/optin.o
// RUN: FileCheck %s --check-prefix=DECIDED-O2 < %t/optin.jsonl
// DECIDED-O2: "baseline":{"pipeline":"default<O2>"{{.*}}"level":"O2"
//
// An unknown fault-injection value is a warning, not a silent change (it
// used to turn the cache off).
// RUN: %frontend %inputs/loops.c -o %t/in.bc
// RUN: env LLMC_INJECT=bogus LLMC_CACHE_DIR=%t/cache LLMC_SERVER=off \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/a.bc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=INJECT
// RUN: env LLMC_INJECT=bogus LLMC_CACHE_DIR=%t/cache LLMC_SERVER=off LLMC_LOG=%t/inject.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/b.bc 2>/dev/null
// RUN: cmp %t/a.bc %t/b.bc
// RUN: FileCheck %s --check-prefix=CACHED < %t/inject.jsonl
// INJECT: warning: llmc: unknown llmc-inject value 'bogus' (crash, hang, fatal, invalid, snapshot): ignored
// INJECT-NOT: warning
// CACHED: "source":"cache"
