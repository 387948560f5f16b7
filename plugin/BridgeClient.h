//===- BridgeClient.h - ask the model for candidate pipelines ---*- C++ -*-===//
//
// Loads libllmc_python.so from beside the plugin on first use and calls its
// C entry point. Knows nothing of Python: a missing library or a failing
// call is just an error string, and the caller falls back to -Oz.
//
//===----------------------------------------------------------------------===//

#ifndef LLMC_BRIDGECLIENT_H
#define LLMC_BRIDGECLIENT_H

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace llmc {

struct RankRequest {
  llvm::StringRef Bitcode;
  llvm::StringRef IRText; ///< only when a language model is configured
  unsigned K = 0;
  std::string ModelPath, LMPath;
  unsigned LMBudgetMs = 0;
};

struct RankReply {
  std::vector<std::string> Pipelines; ///< best first
  std::vector<std::pair<std::string, std::string>> Rejected; ///< with reason
  std::vector<std::string> Notes;
  std::string Error; ///< empty on success
  std::string ModelId;
};

RankReply rankCandidates(const RankRequest &Request);

/// The directory libllmc.so was loaded from.
std::string pluginDirectory();

} // namespace llmc

#endif // LLMC_BRIDGECLIENT_H
