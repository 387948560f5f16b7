// Hostile things in the cache directory and at the log's path: each is
// ignored (a corrupt entry is decided again and rewritten), at most one
// warning says why, the compiler finishes in bounded time, and the output is
// the cold run's. Nothing outside the cache is read or deleted through a
// symlink. Every case starts from a copy of a cache holding one valid entry.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %frontend %inputs/loops.c -o %t/in.bc
// RUN: %python %inputs/make_model.py good %t/good.onnx
// RUN: env LLMC_CACHE_DIR=%t/pristine LLMC_MODEL=%t/good.onnx \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/cold.bc
//
// 65,536 '[' overflowed the stack in llvm::json::parse (rc 139).
// RUN: cp -r %t/pristine %t/deep && %python %inputs/cache_plant.py deep %t/deep
// RUN: env LLMC_CACHE_DIR=%t/deep LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/deep.jsonl \
// RUN:   timeout 60 opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/deep.bc 2> %t/deep.err
// RUN: count 0 < %t/deep.err
// RUN: cmp %t/cold.bc %t/deep.bc
// RUN: FileCheck %s --check-prefix=MODEL < %t/deep.jsonl
// RUN: sh -c 'cat %t/deep/*/*.json' | FileCheck %s --check-prefix=REWRITTEN
// MODEL: "source":"model"
// REWRITTEN: {{^}}{"baseline":false,"baseline_size":[[#]],"ir":"{{[0-9a-f]+}}","mac":"{{[0-9a-f]+}}","winner":"{{[^"]+}}","winner_size":[[#]]}{{$}}
//
// Larger than an entry can be: corrupt, not a prefix parsed (a valid entry,
// 1 MiB of spaces, then garbage).
// RUN: cp -r %t/pristine %t/padded && %python %inputs/cache_plant.py padded %t/padded
// RUN: env LLMC_CACHE_DIR=%t/padded LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/padded.jsonl \
// RUN:   timeout 60 opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/padded.bc
// RUN: cmp %t/cold.bc %t/padded.bc
// RUN: FileCheck %s --check-prefix=MODEL < %t/padded.jsonl
// RUN: sh -c 'cat %t/padded/*/*.json' | FileCheck %s --check-prefix=REWRITTEN
//
// A FIFO where the entry goes: a blocking open waited for a writer forever.
// RUN: cp -r %t/pristine %t/fifo && %python %inputs/cache_plant.py fifo %t/fifo
// RUN: env LLMC_CACHE_DIR=%t/fifo LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/fifo.jsonl \
// RUN:   timeout 60 opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/fifo.bc 2> %t/fifo.err
// RUN: count 0 < %t/fifo.err
// RUN: cmp %t/cold.bc %t/fifo.bc
// RUN: FileCheck %s --check-prefix=MODEL < %t/fifo.jsonl
// RUN: sh -c 'cat %t/fifo/*/*.json' | FileCheck %s --check-prefix=REWRITTEN
//
// A directory where the entry goes cannot be replaced: one warning.
// RUN: cp -r %t/pristine %t/dir && %python %inputs/cache_plant.py directory %t/dir
// RUN: env LLMC_CACHE_DIR=%t/dir LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/dir.jsonl \
// RUN:   timeout 60 opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/dir.bc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DIR --implicit-check-not=warning
// RUN: cmp %t/cold.bc %t/dir.bc
// RUN: FileCheck %s --check-prefix=MODEL < %t/dir.jsonl
// DIR: warning: llmc: cannot write cache entry {{.*}}dir/{{[0-9a-f]+}}/{{[0-9a-f]+}}.json: Is a directory
//
// A symlink to a device where the entry goes is not followed.
// RUN: cp -r %t/pristine %t/devzero && %python %inputs/cache_plant.py devzero %t/devzero
// RUN: env LLMC_CACHE_DIR=%t/devzero LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/devzero.jsonl \
// RUN:   timeout 60 opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/devzero.bc 2> %t/devzero.err
// RUN: count 0 < %t/devzero.err
// RUN: cmp %t/cold.bc %t/devzero.bc
// RUN: FileCheck %s --check-prefix=MODEL < %t/devzero.jsonl
//
// A shard planted as a symlink to a directory holding a valid entry: the
// entry is not read (the log says model, not cache), the symlink is replaced
// by a real shard, and the directory it named is untouched.
// RUN: cp -r %t/pristine %t/symshard && %python %inputs/cache_plant.py symshard %t/symshard %t/outside
// RUN: sh -c 'cat %t/outside/*.json' > %t/outside.before
// RUN: env LLMC_CACHE_DIR=%t/symshard LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/symshard.jsonl \
// RUN:   timeout 60 opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/symshard.bc 2> %t/symshard.err
// RUN: count 0 < %t/symshard.err
// RUN: cmp %t/cold.bc %t/symshard.bc
// RUN: FileCheck %s --check-prefix=MODEL < %t/symshard.jsonl
// RUN: sh -c 'cat %t/outside/*.json' | diff - %t/outside.before
// RUN: sh -c 'for d in %t/symshard/*; do test -d $d && test ! -L $d || exit 1; done'
// RUN: sh -c 'cat %t/symshard/*/*.json' | FileCheck %s --check-prefix=REWRITTEN
//
// Eviction does not walk a symlinked shard: with room for one entry, the
// files in the directory it names (older than every entry) stay.
// RUN: cp -r %t/pristine %t/evict && %python %inputs/cache_plant.py evictplant %t/evict %t/evicted
// RUN: env LLMC_CACHE_DIR=%t/evict LLMC_CACHE_MAX_ENTRIES=1 LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/evict.jsonl \
// RUN:   timeout 60 opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/evict.bc
// RUN: cmp %t/cold.bc %t/evict.bc
// RUN: ls %t/evicted | count 3
// RUN: sh -c 'cat %t/evicted/*.json' | FileCheck %s --check-prefix=PRECIOUS
// PRECIOUS-COUNT-3: precious
//
// A cache directory planted as a symlink is not followed, not even when the
// path ends in a slash (which makes open() and lstat() resolve it).
// RUN: mkdir %t/elsewhere && ln -s %t/elsewhere %t/planted
// RUN: env LLMC_CACHE_DIR=%t/planted/ LLMC_MODEL=%t/good.onnx \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/planted.bc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=PLANTED --implicit-check-not=warning
// RUN: cmp %t/cold.bc %t/planted.bc
// RUN: ls %t/elsewhere | count 0
// PLANTED: warning: llmc: cannot create cache directory {{.*}}planted/: Too many levels of symbolic links
//
// A FIFO at LLMC_LOG: a blocking open waited for a reader forever.
// RUN: mkfifo %t/log.fifo
// RUN: env LLMC_CACHE_DIR=%t/pristine LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/log.fifo \
// RUN:   timeout 60 opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/logfifo.bc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=LOGFIFO --implicit-check-not=warning
// RUN: cmp %t/cold.bc %t/logfifo.bc
// LOGFIFO: warning: llmc: cannot open log {{.*}}log.fifo: not a regular file
//
// A directory at LLMC_LOG: one warning.
// RUN: mkdir %t/log.dir
// RUN: env LLMC_CACHE_DIR=%t/pristine LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/log.dir \
// RUN:   timeout 60 opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/logdir.bc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=LOGDIR --implicit-check-not=warning
// RUN: cmp %t/cold.bc %t/logdir.bc
// LOGDIR: warning: llmc: cannot open log {{.*}}log.dir: Is a directory
