// A model file that is missing, corrupt, of the wrong schema, features or
// shape: one warning line, the -Oz output, exit 0; with LLMC_STRICT an error.
// A model whose candidates are all disallowed: warning, -Oz.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %frontend %inputs/loops.c -o %t/in.bc
// RUN: opt -passes='default<Oz>' %t/in.bc -o %t/oz.bc
// RUN: clang -Oz -c %inputs/loops.c -o %t/oz.o
// RUN: echo "not a model" > %t/corrupt.onnx
// RUN: %python %inputs/make_model.py wrong-schema %t/wrong-schema.onnx
// RUN: %python %inputs/make_model.py wrong-features %t/wrong-features.onnx
// RUN: %python %inputs/make_model.py wrong-shape %t/wrong-shape.onnx
// RUN: %python %inputs/make_model.py disallowed %t/disallowed.onnx
//
// RUN: env LLMC_MODEL=%t/missing.onnx opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/1.bc 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: cmp %t/1.bc %t/oz.bc
// MISSING: warning: llmc: model not found: {{.*}}missing.onnx{{.*}}; using default<Oz>
// MISSING-NOT: {{.}}
//
// RUN: env LLMC_MODEL=%t/corrupt.onnx opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/2.bc 2>&1 | FileCheck %s --check-prefix=CORRUPT
// RUN: cmp %t/2.bc %t/oz.bc
// CORRUPT: warning: llmc: model {{.*}}corrupt.onnx is not a valid ONNX model{{.*}}; using default<Oz>
// CORRUPT-NOT: {{.}}
//
// RUN: env LLMC_MODEL=%t/wrong-schema.onnx opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/3.bc 2>&1 | FileCheck %s --check-prefix=SCHEMA
// RUN: cmp %t/3.bc %t/oz.bc
// SCHEMA: warning: llmc: {{.*}}schema{{.*}}; using default<Oz>
//
// RUN: env LLMC_MODEL=%t/wrong-features.onnx opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/4.bc 2>&1 | FileCheck %s --check-prefix=FEATURES
// RUN: cmp %t/4.bc %t/oz.bc
// FEATURES: warning: llmc: {{.*}}feature{{.*}}; using default<Oz>
//
// RUN: env LLMC_MODEL=%t/wrong-shape.onnx opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/5.bc 2>&1 | FileCheck %s --check-prefix=SHAPE
// RUN: cmp %t/5.bc %t/oz.bc
// SHAPE: warning: llmc: {{.*}}shape{{.*}}; using default<Oz>
//
// RUN: env LLMC_MODEL=%t/disallowed.onnx opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/6.bc 2>&1 | FileCheck %s --check-prefix=DISALLOWED
// RUN: cmp %t/6.bc %t/oz.bc
// DISALLOWED: warning: llmc: no candidate passed the allow-list{{.*}}; using default<Oz>
//
// Strict mode turns each into an error and a failing compile.
// RUN: not env LLMC_STRICT=1 LLMC_MODEL=%t/corrupt.onnx opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/7.bc 2>&1 | FileCheck %s --check-prefix=STRICT
// RUN: not env LLMC_MODEL=%t/corrupt.onnx clang -Oz -fpass-plugin=%plugin -mllvm -llmc-strict -Xclang -load -Xclang %plugin -c %inputs/loops.c -o %t/7.o 2>&1 | FileCheck %s --check-prefix=STRICT
// STRICT: error: llmc: model {{.*}}corrupt.onnx is not a valid ONNX model
//
// clang: the same warning, and the object is plain -Oz's.
// RUN: env LLMC_MODEL=%t/corrupt.onnx clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/8.o 2>&1 | FileCheck %s --check-prefix=CLANG
// RUN: cmp %t/8.o %t/oz.o
// CLANG: warning: llmc: model {{.*}}corrupt.onnx is not a valid ONNX model{{.*}}; using default<Oz> [-Wbackend-plugin]
//
// Candidate tables: more than 256 entries are refused at load (one line); a
// table of 256 rejected entries is checked once, at load, and every module
// after the first costs no more than any other (it was 5.2 s per module for
// 8,000 rejected entries). Through the server, where the model stays loaded:
// RUN: %python %inputs/make_model.py huge-table %t/huge-table.onnx
// RUN: %python %inputs/make_model.py rejected-256 %t/rejected-256.onnx
// RUN: mkdir -p %t/run && chmod 700 %t/run
// RUN: env LLMC_MODEL=%t/huge-table.onnx LLMC_SERVER=off opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/9.bc 2>&1 | FileCheck %s --check-prefix=HUGE
// RUN: cmp %t/9.bc %t/oz.bc
// HUGE: warning: llmc: model has 8000 candidates, more than the 256 llmc reads; using default<Oz>
// HUGE-NOT: {{.}}
// RUN: env LLMC_MODEL=%t/huge-table.onnx XDG_RUNTIME_DIR=%t/run opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/10.bc 2>&1 | FileCheck %s --check-prefix=HUGE
// RUN: cmp %t/10.bc %t/oz.bc
// RUN: env LLMC_MODEL=%t/rejected-256.onnx XDG_RUNTIME_DIR=%t/run opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/11.bc 2>&1 | FileCheck %s --check-prefix=DISALLOWED
// RUN: env LLMC_MODEL=%t/rejected-256.onnx XDG_RUNTIME_DIR=%t/run LLMC_LOG=%t/256.jsonl opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/12.bc 2>&1 | FileCheck %s --check-prefix=DISALLOWED
// RUN: cmp %t/11.bc %t/oz.bc
// RUN: cmp %t/12.bc %t/oz.bc
// RUN: %python -c "import json; r = json.loads(open('%t/256.jsonl').readline()); print(r['ranker'], len(r['candidates']), r['us']['rank'] < 500000)" | FileCheck %s --check-prefix=FAST
// FAST: server 256 True
