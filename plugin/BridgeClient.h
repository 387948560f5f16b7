//===- BridgeClient.h - ask the model for candidate pipelines ---*- C++ -*-===//
//
// Asks the ranking server on its Unix socket first (starting it when none
// listens), so a build pays Python's start once, not once per translation
// unit; otherwise ranks "in-process": in a forked child of the compiler that
// loads libllmc_python.so from beside the plugin, under a data limit and a
// deadline. Both answer with the same JSON reply (pybridge/__init__.py),
// decoded in one place. Knows nothing of Python: a missing library, a failing
// call, a hung, crashed or malformed answer is just an error string, and the
// caller falls back to -Oz. Bounded: -llmc-rank-timeout-ms (default 30 s, plus
// the LM budget with a language model) for one ranking, server or child.
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
  std::string Server;         ///< server directory; "" = default, "off" = none
  unsigned TimeoutMs = 30000; ///< -llmc-rank-timeout-ms
  /// Non-empty: ask for K pipelines near the ones measured so far (a JSON
  /// object, see pybridge/localsearch.py) instead of a ranking of the table.
  std::string Search;
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
/// $XDG_RUNTIME_DIR/llmc, else /tmp/llmc-<uid>. When that default is not a
/// private directory of ours, rankCandidates uses $XDG_CACHE_HOME/llmc/server
/// (else ~/.cache/llmc/server) and notes why.
std::string serverDirectory(llvm::StringRef Setting);

/// The directory libllmc.so was loaded from.
std::string pluginDirectory();

} // namespace llmc

#endif // LLMC_BRIDGECLIENT_H
