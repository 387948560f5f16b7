// Parallel trials that respect the build: a module's trials run at once only
// in job slots GNU make's jobserver lends (each token read goes back, the same
// byte), up to -llmc-jobs without one, on the CPUs idle at the time when no
// jobserver is named at all, and one at a time under a make that names one it
// does not lend. Descriptors in MAKEFLAGS that are not both ends of one pipe
// are not touched. The object is the same however many ran at once.
// (lit.cfg.py sets LLMC_JOBS=1 for every other test; these set 0, the default.)
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: env LLMC_CANDIDATES=6 LLMC_JOBS=0 LLMC_SERVER=off LLMC_LOG=%t/one.jsonl \
// RUN:   %python %inputs/one_cpu.py clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/one.o
// RUN: env LLMC_CANDIDATES=6 LLMC_JOBS=0 LLMC_SERVER=off LLMC_LOG=%t/idle.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/idle.o
// RUN: env LLMC_CANDIDATES=6 LLMC_JOBS=0 LLMC_SERVER=off LLMC_LOG=%t/unlent.jsonl \
// RUN:   MAKEFLAGS=" -j2 --jobserver-auth=-2,-2" clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/unlent.o
// RUN: env LLMC_CANDIDATES=6 LLMC_JOBS=0 LLMC_SERVER=off LLMC_LOG=%t/pipe.jsonl \
// RUN:   %python %inputs/jobserver.py pipe 3 clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/pipe.o \
// RUN:   | FileCheck %s --check-prefix=BACK
// RUN: env LLMC_CANDIDATES=6 LLMC_JOBS=0 LLMC_SERVER=off LLMC_LOG=%t/fifo.jsonl \
// RUN:   %python %inputs/jobserver.py fifo 2 clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/fifo.o \
// RUN:   | FileCheck %s --check-prefix=BACK
// RUN: env LLMC_CANDIDATES=6 LLMC_JOBS=0 LLMC_SERVER=off LLMC_LOG=%t/decoy.jsonl \
// RUN:   %python %inputs/jobserver.py decoy 3 clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/decoy.o \
// RUN:   | FileCheck %s --check-prefix=BACK
// RUN: env LLMC_CANDIDATES=6 LLMC_JOBS=3 LLMC_SERVER=off LLMC_LOG=%t/jobs.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/jobs.o
// RUN: cmp %t/one.o %t/idle.o
// RUN: cmp %t/one.o %t/unlent.o
// RUN: cmp %t/one.o %t/pipe.o
// RUN: cmp %t/one.o %t/fifo.o
// RUN: cmp %t/one.o %t/decoy.o
// RUN: cmp %t/one.o %t/jobs.o
// RUN: %python -c "import json, sys; [print(f, json.loads(open(sys.argv[1] + '/' + f + '.jsonl').read())['notes']) \
// RUN:   for f in ('one', 'idle', 'unlent', 'pipe', 'fifo', 'decoy', 'jobs')]" %t | FileCheck %s --check-prefix=NOTES
//
// BACK: tokens back: [[N:[0-9]]] of [[N]], same: True
// NOTES:      one []
// NOTES-NEXT: idle {{\[\]|\['trials: up to [2-6] at once \(idle cpus\)'\]}}
// NOTES-NEXT: unlent []
// NOTES-NEXT: pipe ['trials: up to 4 at once (jobserver)']
// NOTES-NEXT: fifo ['trials: up to 3 at once (jobserver)']
// NOTES-NEXT: decoy []
// NOTES-NEXT: jobs ['trials: up to 3 at once (llmc-jobs)']
