// Python missing, pybridge failing to import, an exception inside Python:
// one warning line and the -Oz output; the compiler never crashes.
//
// RUN: rm -rf %t && mkdir -p %t/alone %t/broken/pybridge %t/raises/pybridge
// RUN: %frontend %inputs/loops.c -o %t/in.bc
// RUN: opt -passes='default<Oz>' %t/in.bc -o %t/oz.bc
//
// The plugin without its Python bridge library beside it:
// RUN: cp %plugin %t/alone/libllmc.so
// RUN: opt -load-pass-plugin=%t/alone/libllmc.so -passes=llmc-autotune %t/in.bc -o %t/1.bc 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: cmp %t/1.bc %t/oz.bc
// MISSING: warning: llmc: cannot load the Python bridge: {{.*}}libllmc_python.so{{.*}}; using default<Oz>
//
// A pybridge that fails to import (LLMC_PYTHONPATH comes first):
// RUN: echo "import no_such_module_llmc" > %t/broken/pybridge/__init__.py
// RUN: env LLMC_PYTHONPATH=%t/broken opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/2.bc 2>&1 | FileCheck %s --check-prefix=IMPORT
// RUN: cmp %t/2.bc %t/oz.bc
// IMPORT: warning: llmc: Python: ModuleNotFoundError: No module named 'no_such_module_llmc'; using default<Oz>
//
// A pybridge whose entry point (rank_json) raises:
// RUN: printf 'def rank_json(request):\n    raise RuntimeError("boom")\n' > %t/raises/pybridge/__init__.py
// RUN: env LLMC_PYTHONPATH=%t/raises opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/3.bc 2>&1 | FileCheck %s --check-prefix=RAISES
// RUN: cmp %t/3.bc %t/oz.bc
// RAISES: warning: llmc: Python: RuntimeError: boom; using default<Oz>
