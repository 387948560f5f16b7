//===- DecisionLog.cpp - one JSON line per module -------------------------===//

#include "DecisionLog.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using namespace llvm;

namespace {
json::Value sizeOrNull(const std::optional<uint64_t> &S) {
  return S ? json::Value(static_cast<int64_t>(*S)) : json::Value(nullptr);
}
// Whole microseconds: doubles would print with binary noise.
int64_t micros(double Ms) { return static_cast<int64_t>(Ms * 1000.0 + 0.5); }
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

std::string llmc::appendDecision(StringRef Path, const Decision &D) {
  std::string Line = D.toJSON();
  std::string P = Path.str();
  int Fd = ::open(P.c_str(),
                  O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (Fd < 0)
    return "cannot open log " + P + ": " + std::strerror(errno);
  std::string Error;
  ::flock(Fd, LOCK_EX);
  ssize_t W = ::write(Fd, Line.data(), Line.size());
  if (W != static_cast<ssize_t>(Line.size()))
    Error = "cannot write log " + P + ": " + std::strerror(errno);
  ::flock(Fd, LOCK_UN);
  ::close(Fd);
  return Error;
}
