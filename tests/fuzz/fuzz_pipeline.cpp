//===- fuzz_pipeline.cpp - libFuzzer: the pipeline allow-list check -------===//
//
// Pipelines come from a model or a cache entry, both untrusted. The checker
// must return for any text without a crash, a hang or unbounded memory, and
// give the same answer twice. Only its declared interface is used, so the
// harness outlives rewrites of the checker.
//
//===----------------------------------------------------------------------===//

#include "AllowList.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Pipeline(reinterpret_cast<const char *>(Data), Size);
  std::optional<std::string> Why = llmc::checkPipeline(Pipeline);
  std::optional<std::string> Again = llmc::checkPipeline(Pipeline);
  if (Why.has_value() != Again.has_value())
    std::abort();
  return 0;
}
