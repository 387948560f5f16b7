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
