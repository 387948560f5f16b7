// The ranking server: one warm Python answers every compile. It lives in
// $XDG_RUNTIME_DIR/llmc (made private), decides exactly as in-process ranking
// does, holds none of the compiler's descriptors (a pipe from opt closes when
// opt exits) and runs in /. A server directory others may enter, or a
// symlink, is refused: the module is ranked in-process, saying why.
//
// RUN: rm -rf %t && mkdir -p %t/run && chmod 700 %t/run
// RUN: %frontend %inputs/loops.c -o %t/in.bc
// RUN: env LLMC_SERVER=off LLMC_LOG=%t/off.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/off.bc
// RUN: env XDG_RUNTIME_DIR=%t/run LLMC_LOG=%t/on.jsonl timeout 20 sh -c \
// RUN:   'opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o - | cat > %t/on1.bc'
// RUN: env XDG_RUNTIME_DIR=%t/run LLMC_LOG=%t/on.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/on2.bc
// RUN: cmp %t/off.bc %t/on1.bc
// RUN: cmp %t/off.bc %t/on2.bc
// RUN: grep -c '"ranker":"in-process"' %t/off.jsonl | FileCheck %s --check-prefix=ONE
// RUN: grep -c '"ranker":"server"' %t/on.jsonl | FileCheck %s --check-prefix=TWO
// RUN: %python -c "import json; w = [json.loads(l)['winner'] for l in open('%t/off.jsonl').readlines() + open('%t/on.jsonl').readlines()]; print(len(set(w)), bool(w[0]))" | FileCheck %s --check-prefix=SAME
// RUN: stat -c '%%a %%F' %t/run/llmc %t/run/llmc/rank-*.sock | FileCheck %s --check-prefix=MODES
// RUN: %python %inputs/server_proc.py %t/run/llmc %t | FileCheck %s --check-prefix=PROC
// ONE: 1
// TWO: 2
// SAME: 1 True
// MODES: 700 directory
// MODES-NEXT: 600 socket
// PROC: cwd / std devnull build files 0
//
// The -llmc-server flag, as an option of opt, wins over the environment.
// RUN: env LLMC_SERVER=%t/ignored LLMC_LOG=%t/flag.jsonl opt -load-pass-plugin=%plugin \
// RUN:   -passes=llmc-autotune -llmc-server=off %t/in.bc -o %t/flag.bc
// RUN: grep -c '"ranker":"in-process"' %t/flag.jsonl | FileCheck %s --check-prefix=ONE
// RUN: not ls %t/ignored
//
// Refused: a directory others may enter, and a symlink to our own directory.
// RUN: mkdir -p %t/shared && chmod 755 %t/shared && ln -s %t/run/llmc %t/link
// RUN: env LLMC_SERVER=%t/shared LLMC_LOG=%t/refused.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/shared.bc
// RUN: env LLMC_SERVER=%t/link LLMC_LOG=%t/refused.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/link.bc
// RUN: cmp %t/off.bc %t/shared.bc
// RUN: cmp %t/off.bc %t/link.bc
// RUN: FileCheck %s --check-prefix=REFUSED < %t/refused.jsonl
// RUN: not ls %t/shared/*
// REFUSED: ranking server unavailable ({{.*}}shared is not a private directory of this user): ranked in-process
// REFUSED: "ranker":"in-process"
// REFUSED: ranking server unavailable ({{.*}}link is not a private directory of this user): ranked in-process
// REFUSED: "ranker":"in-process"
//
// A relative directory would mean another socket in every directory make
// visits: refused, and nothing is created.
// RUN: mkdir -p %t/cwd && cd %t/cwd && env LLMC_SERVER=srv LLMC_LOG=%t/relative.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/relative.bc
// RUN: cmp %t/off.bc %t/relative.bc
// RUN: FileCheck %s --check-prefix=RELATIVE < %t/relative.jsonl
// RUN: not ls %t/cwd/srv
// RELATIVE: ranking server unavailable (the server directory must be an absolute path: srv): ranked in-process
//
// A model named relative to the compile's directory is the same model for the
// server, which runs in /.
// RUN: mkdir -p %t/models && cp %model %t/models/m.onnx
// RUN: cd %t && env XDG_RUNTIME_DIR=%t/run LLMC_MODEL=models/m.onnx LLMC_LOG=%t/relmodel.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/relmodel.bc 2>&1 | count 0
// RUN: cmp %t/off.bc %t/relmodel.bc
// RUN: FileCheck %s --check-prefix=RELMODEL < %t/relmodel.jsonl
// RELMODEL: "fallback":""
// RELMODEL-SAME: "ranker":"server"
