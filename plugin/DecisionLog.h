//===- DecisionLog.h - one JSON line per module -----------------*- C++ -*-===//
//
// Many compiler processes of one build append to the same file, so each
// record is written with a single write() under an exclusive lock; the file is
// opened with O_NOFOLLOW so a symlink planted in the build tree cannot turn
// the log into a way to overwrite another file, and with O_NONBLOCK and
// checked with fstat so that anything but a regular file there (a FIFO would
// block the compiler forever) is one warning, not a hang. The lock is waited
// for at most 10 seconds.
//
//===----------------------------------------------------------------------===//

#ifndef LLMC_DECISIONLOG_H
#define LLMC_DECISIONLOG_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace llmc {

struct CandidateRecord {
  std::string Pipeline;
  std::string Status; ///< ok, rejected, invalid, crashed, timeout, failed
  std::optional<uint64_t> Size;
  std::string Reason;
};

struct Decision {
  std::string Module;
  std::string Tool; ///< "opt" or "clang"
  std::string Level;
  std::string Metric;
  std::string Source; ///< "model", "list" or "none"
  std::string ModelId;
  std::string Ranker; ///< "server", "in-process" or "" (no ranking)
  std::string BaselinePipeline;
  std::optional<uint64_t> BaselineSize;
  std::vector<CandidateRecord> Candidates;
  std::string Winner;
  std::optional<uint64_t> WinnerSize;
  std::string Fallback; ///< empty when a candidate won
  std::vector<std::string> Notes;
  double RankMs = 0, TrialsMs = 0, TotalMs = 0;

  std::string toJSON() const;
};

/// Appends D as one line to Path; an error says why it could not.
llvm::Error appendDecision(llvm::StringRef Path, const Decision &D);

} // namespace llmc

#endif // LLMC_DECISIONLOG_H
