// The embedded interpreter, and the ranking server it starts, ignore
// PYTHONPATH, PYTHONHOME and the working directory: a numpy.py in the
// directory being built is never imported.
//
// RUN: rm -rf %t && mkdir -p %t/tree
// RUN: %frontend %inputs/loops.c -o %t/tree/in.bc
// RUN: %python %inputs/make_model.py good %t/good.onnx
// RUN: printf 'open("%t/tree/IMPORTED", "w").close()\nraise SystemExit("planted numpy imported")\n' > %t/tree/numpy.py
// RUN: cp %t/tree/numpy.py %t/tree/onnxruntime.py
// RUN: cd %t/tree && env PYTHONPATH=%t/tree PYTHONHOME=%t/tree LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/log.jsonl \
// RUN:   LLMC_SERVER=off opt -load-pass-plugin=%plugin -passes=llmc-autotune in.bc -o out.bc
// RUN: cd %t/tree && env PYTHONPATH=%t/tree PYTHONHOME=%t/tree LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/log.jsonl \
// RUN:   LLMC_SERVER=%t/srv opt -load-pass-plugin=%plugin -passes=llmc-autotune in.bc -o out.bc
// RUN: not ls %t/tree/IMPORTED
// RUN: FileCheck %s < %t/log.jsonl
// CHECK: "fallback":""
// CHECK-SAME: "ranker":"in-process"
// CHECK-SAME: "source":"model"
// CHECK: "fallback":""
// CHECK-SAME: "ranker":"server"
// CHECK-SAME: "source":"model"
