// In-process ranking runs in a child of the compiler, which never starts
// Python itself: a ranking that hangs is stopped at its deadline, one that
// crashes or allocates without bound ends the child; each is one warning line,
// the -Oz output, exit 0, in bounded time and memory.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %frontend %inputs/loops.c -o %t/in.bc
// RUN: opt -passes='default<Oz>' %t/in.bc -o %t/oz.bc
//
// The ranking's process is not the compiler, and the compiler maps no libpython.
// RUN: env LLMC_SERVER=off LLMC_PYTHONPATH=%inputs/planted PLANTED_REPLY=where:%t/where \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/where.bc 2>&1 | FileCheck %s --check-prefix=WHERE
// RUN: FileCheck %s --check-prefix=PARENT < %t/where
// WHERE: warning: llmc: where; using default<Oz>
// PARENT: parent opt libpython in parent False
//
// Hangs: stopped at the deadline (LLMC_RANK_TIMEOUT_MS, 30 s by default).
// RUN: env LLMC_SERVER=off LLMC_PYTHONPATH=%inputs/planted PLANTED_REPLY=sleep LLMC_RANK_TIMEOUT_MS=2000 \
// RUN:   %python %inputs/measure.py %t/sleep.time opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/sleep.bc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SLEEP --implicit-check-not=warning:
// RUN: cmp %t/oz.bc %t/sleep.bc
// RUN: %python -c "import json; t = json.load(open('%t/sleep.time')); print('bounded', 2 <= t['seconds'] < 8)" | FileCheck %s --check-prefix=BOUNDED
// SLEEP: warning: llmc: ranking took longer than 2 s and was stopped; using default<Oz>
// BOUNDED: bounded True
//
// Crashes:
// RUN: env LLMC_SERVER=off LLMC_PYTHONPATH=%inputs/planted PLANTED_REPLY=abort \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/abort.bc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ABORT --implicit-check-not=warning:
// RUN: cmp %t/oz.bc %t/abort.bc
// ABORT: warning: llmc: ranking crashed with signal 6 (Aborted); using default<Oz>
//
// Allocates without bound: refused past the child's data limit (2 GiB over
// what it inherits), long before the machine's memory.
// RUN: env LLMC_SERVER=off LLMC_PYTHONPATH=%inputs/planted PLANTED_REPLY=hog \
// RUN:   %python %inputs/measure.py %t/hog.time opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/hog.bc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=HOG --implicit-check-not=warning:
// RUN: cmp %t/oz.bc %t/hog.bc
// RUN: %python -c "import json; t = json.load(open('%t/hog.time')); print('bounded', t['seconds'] < 30, t['max_rss_mib'] < 2600)" | FileCheck %s --check-prefix=BOUNDED2
// HOG: warning: llmc: Python: MemoryError{{.*}}; using default<Oz>
// BOUNDED2: bounded True True
