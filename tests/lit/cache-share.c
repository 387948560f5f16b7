// A cache a team shares: CI decides with the team's secret and exports its
// cache; a developer holding the same secret imports it, and the next compile
// is an authenticated hit (the winner run once, its IR digest checked) that
// writes the object CI wrote. Without the secret the imported entries are
// still used, but only after their winner is measured beside a new baseline.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %inputs/make_model.py good %t/good.onnx
// RUN: head -c 48 /dev/urandom > %t/team && chmod 600 %t/team
// RUN: env LLMC_CACHE_DIR=%t/ci LLMC_CACHE_SECRET=%t/team LLMC_MODEL=%t/good.onnx \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/ci.o
// RUN: llmc cache export --cache-dir %t/ci %t/ci.tar.gz
// RUN: llmc cache import --cache-dir %t/dev %t/ci.tar.gz
// RUN: env LLMC_CACHE_DIR=%t/dev LLMC_CACHE_SECRET=%t/team LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/dev.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/dev.o
// RUN: cmp %t/ci.o %t/dev.o
// RUN: FileCheck %s --check-prefix=TEAM < %t/dev.jsonl
// TEAM: "notes":["authenticated cache entry: the winner's IR is the one measured when it was written"]
// TEAM-SAME: "source":"cache"
//
// RUN: llmc cache import --cache-dir %t/other %t/ci.tar.gz
// RUN: env LLMC_CACHE_DIR=%t/other LLMC_CACHE_SECRET=off LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/other.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/other.o
// RUN: cmp %t/ci.o %t/other.o
// RUN: FileCheck %s --check-prefix=UNTRUSTED < %t/other.jsonl
// UNTRUSTED: "notes":[]
// UNTRUSTED-SAME: "source":"cache"
