//===- DecisionLog.cpp - one JSON line per module -------------------------===//

#include "DecisionLog.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace llvm;

namespace {
Error problem(const std::string &Message) {
  return createStringError(inconvertibleErrorCode(), Message);
}

json::Value sizeOrNull(const std::optional<uint64_t> &S) {
  return S ? json::Value(static_cast<int64_t>(*S)) : json::Value(nullptr);
}
// Whole microseconds: doubles would print with binary noise.
int64_t micros(double Ms) { return static_cast<int64_t>(Ms * 1000.0 + 0.5); }
/// How long a record waits for another process's lock on the log.
constexpr std::chrono::seconds LockWait(10);
} // namespace

std::string llmc::Decision::toJSON() const {
  json::Array Cands;
  for (const CandidateRecord &C : Candidates)
    Cands.push_back(json::Object{{"pipeline", C.Pipeline},
                                 {"status", C.Status},
                                 {"size", sizeOrNull(C.Size)},
                                 {"reason", C.Reason}});
  json::Object O{
      {"module", Module},
      {"tool", Tool},
      {"level", Level},
      {"metric", Metric},
      {"source", Source},
      {"model", ModelId},
      {"ranker", Ranker},
      {"baseline", json::Object{{"pipeline", BaselinePipeline},
                                {"size", sizeOrNull(BaselineSize)}}},
      {"candidates", std::move(Cands)},
      {"winner", Winner},
      {"winner_size", sizeOrNull(WinnerSize)},
      {"fallback", Fallback},
      {"notes", json::Array(Notes)},
      {"us", json::Object{{"rank", micros(RankMs)},
                          {"trials", micros(TrialsMs)},
                          {"total", micros(TotalMs)}}},
  };
  std::string S;
  raw_string_ostream OS(S);
  OS << json::Value(std::move(O)) << '\n';
  return S;
}

Error llmc::appendDecision(StringRef Path, const Decision &D) {
  std::string Line = D.toJSON();
  std::string P = Path.str();
  // O_NONBLOCK: opening a FIFO planted here would wait for a reader forever.
  // Without one it fails with ENXIO; with one it opens and fstat rejects it.
  int Fd = ::open(P.c_str(),
                  O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
                      O_NOCTTY | O_CLOEXEC,
                  0644);
  if (Fd < 0)
    return problem(
        "cannot open log " + P + ": " +
        (errno == ENXIO ? "not a regular file" : std::strerror(errno)));
  struct stat St;
  if (::fstat(Fd, &St) != 0 || !S_ISREG(St.st_mode)) {
    ::close(Fd);
    return problem("cannot open log " + P + ": not a regular file");
  }
  int Flags = ::fcntl(Fd, F_GETFL);
  if (Flags >= 0)
    ::fcntl(Fd, F_SETFL, Flags & ~O_NONBLOCK);
  // Other compilers hold the lock for one write(); one that holds it for
  // longer is not waited for without bound.
  bool Locked = false;
  auto Deadline = std::chrono::steady_clock::now() + LockWait;
  for (unsigned Pause = 1;; Pause = std::min(Pause * 2, 50u)) {
    if (::flock(Fd, LOCK_EX | LOCK_NB) == 0) {
      Locked = true;
      break;
    }
    if ((errno != EWOULDBLOCK && errno != EINTR) ||
        std::chrono::steady_clock::now() >= Deadline)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(Pause));
  }
  if (!Locked) {
    int LockErrno = errno;
    ::close(Fd);
    return problem("cannot lock log " + P + ": " +
                   (LockErrno == EWOULDBLOCK
                        ? "held by another process for more than " +
                              std::to_string(LockWait.count()) + " s"
                        : std::string(std::strerror(LockErrno))));
  }
  std::string Why;
  ssize_t W = ::write(Fd, Line.data(), Line.size());
  if (W != static_cast<ssize_t>(Line.size()))
    Why = "cannot write log " + P + ": " +
          (W < 0 ? std::strerror(errno) : "short write");
  ::flock(Fd, LOCK_UN);
  ::close(Fd);
  return Why.empty() ? Error::success() : problem(Why);
}
