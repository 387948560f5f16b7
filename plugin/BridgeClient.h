//===- BridgeClient.h - ask the model for candidate pipelines ---*- C++ -*-===//
//
// Asks the ranking server on its Unix socket first (starting it when none
// listens), so a build pays Python's start once, not once per translation
// unit; otherwise loads libllmc_python.so from beside the plugin and ranks
// in-process. Knows nothing of Python: a missing library or a failing call is
// just an error string, and the caller falls back to -Oz.
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
  std::string Server; ///< server directory; "" = default, "off" = none
};

struct RankReply {
  std::vector<std::string> Pipelines;                        ///< best first
  std::vector<std::pair<std::string, std::string>> Rejected; ///< with reason
  std::vector<std::string> Notes;
  std::string Error; ///< empty on success
  std::string ModelId;
  std::string Via; ///< "server" or "in-process"
};

RankReply rankCandidates(const RankRequest &Request);

/// Where the ranking server's socket lives for the -llmc-server setting:
/// $XDG_RUNTIME_DIR/llmc, else /tmp/llmc-<uid>.
std::string serverDirectory(llvm::StringRef Setting);

/// The directory libllmc.so was loaded from.
std::string pluginDirectory();

} // namespace llmc

#endif // LLMC_BRIDGECLIENT_H
