//===- AllowList.h - which pipelines a model may ask for --------*- C++ -*-===//
//
// Pipelines come from models, cache entries and files, all untrusted. The
// rules are data, pybridge/data/allowed_passes.txt (its header explains each
// field); the build turns that file into AllowedPasses.inc, so Python
// (pybridge/allowlist.py) and C++ apply one definition, and both are tested
// against one golden table (tests/golden/pipelines.tsv).
//
//===----------------------------------------------------------------------===//

#ifndef LLMC_ALLOWLIST_H
#define LLMC_ALLOWLIST_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace llmc {

/// Returns one line saying why Pipeline may not run, or std::nullopt when it
/// is written in the new pass manager's syntax, every element is allowed at
/// its place, and the parameter and MemorySSA rules hold.
std::optional<std::string> checkPipeline(llvm::StringRef Pipeline);

} // namespace llmc

#endif // LLMC_ALLOWLIST_H
