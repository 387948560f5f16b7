//===- CandidateRunner.h - run candidates where they cannot hurt -*- C++
//-*-===//
//
// Each candidate pipeline runs in a forked child process: the child owns a
// copy-on-write copy of the module and of the analysis managers, so a pass
// that crashes, hits a fatal error or never ends takes down only the child.
// The parent reads back the measured size; the winner's child also hands back
// its IR (IRSnapshot.h), which is what the parent applies.
//
// We measured the alternative, llvm::CrashRecoveryContext: it cannot stop a
// pass that loops forever and leaves the process in whatever state the crash
// left it, while fork costs about a millisecond per candidate.
//
//===----------------------------------------------------------------------===//

#ifndef LLMC_CANDIDATERUNNER_H
#define LLMC_CANDIDATERUNNER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include "ObjectSize.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace llmc {

struct TrialResult {
  enum Status { Ok, Invalid, Crashed, Timeout, Failed };
  Status S = Failed;
  uint64_t Size = 0;
  /// The digest of the IR the trial handed back (IRSnapshot.h); else 0.
  uint64_t Digest = 0;
  std::string Reason;
  /// What each global symbol keeps in a --gc-sections link, when measured
  /// (see ObjectSize.h); sorted by name hash.
  std::optional<std::vector<RootClosure>> Closures;

  static TrialResult ok(uint64_t Size) {
    return {Ok, Size, 0, "", std::nullopt};
  }
  static TrialResult ok(ObjectMeasure M) {
    return {Ok, M.Size, 0, "", std::move(M.Closures)};
  }
  static TrialResult fail(Status S, std::string Reason) {
    return {S, 0, 0, std::move(Reason), std::nullopt};
  }
};

/// The word the decision log uses for S.
const char *statusName(TrialResult::Status S);

/// Runs Work in a forked child with stdout and stderr silenced, fatal errors
/// and crash signals turned into a failed result, and a wall-clock limit.
TrialResult runIsolated(llvm::function_ref<TrialResult()> Work,
                        unsigned TimeoutSeconds);

/// Runs each of Works in a child of its own, all at once (at most 8), under
/// one wall-clock limit; the results in the order of Works.
std::vector<TrialResult>
runIsolatedTogether(llvm::ArrayRef<llvm::function_ref<TrialResult()>> Works,
                    unsigned TimeoutSeconds);

} // namespace llmc

#endif // LLMC_CANDIDATERUNNER_H
