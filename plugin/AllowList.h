//===- AllowList.h - which passes a model may ask for -----------*- C++ -*-===//
//
// Pipelines come from a model, and models are untrusted. Only transformation
// passes listed in pybridge/data/allowed_passes.txt may run; the build turns
// that file into AllowedPasses.inc, so Python and C++ read one list.
//
//===----------------------------------------------------------------------===//

#ifndef LLMC_ALLOWLIST_H
#define LLMC_ALLOWLIST_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace llmc {

/// Returns why Pipeline may not run, or std::nullopt when every element of it
/// is an allowed pass or adaptor written in the new pass manager's syntax.
std::optional<std::string> checkPipeline(llvm::StringRef Pipeline);

} // namespace llmc

#endif // LLMC_ALLOWLIST_H
