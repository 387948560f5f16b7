//===- CandidateRunner.cpp - run one candidate where it cannot hurt -------===//

#include "CandidateRunner.h"
#include "WriteAll.h"

#include "llvm/Support/ErrorHandling.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace llmc;

namespace {

// Exit code of a child whose LLVM reported a fatal error.
constexpr int FatalExit = 70;

// Child -> parent message: status byte, 8-byte size, 8-byte digest, 4-byte
// closure count (NoClosures: not measured), 16 bytes per closure, then the
// reason text.
constexpr uint32_t NoClosures = ~0u;
constexpr size_t MaxClosures = 3000; // more are not sent: not measured
constexpr size_t MessageCapacity = 64 * 1024;

void sendResult(int Fd, const TrialResult &R) {
  unsigned char S = static_cast<unsigned char>(R.S);
  writeAll(Fd, &S, 1);
  writeAll(Fd, &R.Size, sizeof(R.Size));
  writeAll(Fd, &R.Digest, sizeof(R.Digest));
  bool Send = R.Closures && R.Closures->size() <= MaxClosures;
  uint32_t Count = Send ? R.Closures->size() : NoClosures;
  writeAll(Fd, &Count, sizeof(Count));
  if (Send)
    for (const RootClosure &C : *R.Closures) {
      writeAll(Fd, &C.NameHash, sizeof(C.NameHash));
      writeAll(Fd, &C.Bytes, sizeof(C.Bytes));
    }
  std::string Reason = R.Reason.substr(0, 4096);
  writeAll(Fd, Reason.data(), Reason.size());
}

int ChildPipe = -1;

void childFatalError(void *, const char *Reason, bool) {
  sendResult(ChildPipe,
             TrialResult::fail(TrialResult::Failed,
                               std::string("LLVM fatal error: ") + Reason));
  ::_exit(FatalExit);
}

[[noreturn]] void runChild(int Fd, llvm::function_ref<TrialResult()> Work) {
  ChildPipe = Fd;
  // The compiler's handlers would print a crash report and delete the
  // compiler's output files; a crashing candidate only ends this child.
  for (int Sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS,
                  SIGINT, SIGTERM, SIGPIPE})
    ::signal(Sig, SIG_DFL);
  int Null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (Null >= 0) {
    ::dup2(Null, STDOUT_FILENO);
    ::dup2(Null, STDERR_FILENO);
  }
  llvm::remove_fatal_error_handler();
  llvm::install_fatal_error_handler(childFatalError, nullptr);
  sendResult(Fd, Work());
  // _exit: no atexit handlers, no flushing of the compiler's buffers.
  ::_exit(0);
}

std::string describeSignal(int Sig) {
  const char *Name = ::strsignal(Sig);
  return "crashed with signal " + std::to_string(Sig) +
         (Name ? std::string(" (") + Name + ")" : std::string());
}

} // namespace

const char *llmc::statusName(TrialResult::Status S) {
  switch (S) {
  case TrialResult::Ok:
    return "ok";
  case TrialResult::Invalid:
    return "invalid";
  case TrialResult::Crashed:
    return "crashed";
  case TrialResult::Timeout:
    return "timeout";
  case TrialResult::Failed:
    return "failed";
  }
  return "failed";
}

namespace {

/// One forked child and what it has sent so far, in a fixed buffer.
struct Child {
  pid_t Pid = -1;
  int Fd = -1;
  char Message[MessageCapacity];
  size_t Length = 0;
  bool Open = false;
  TrialResult Spawned; ///< set when the child could not be started
};

void spawn(Child &C, llvm::function_ref<TrialResult()> Work) {
  int Fds[2];
  if (::pipe2(Fds, O_CLOEXEC) != 0) {
    C.Spawned = TrialResult::fail(TrialResult::Failed,
                                  std::string("pipe: ") + std::strerror(errno));
    return;
  }
  C.Pid = ::fork();
  if (C.Pid < 0) {
    ::close(Fds[0]);
    ::close(Fds[1]);
    C.Spawned = TrialResult::fail(TrialResult::Failed,
                                  std::string("fork: ") + std::strerror(errno));
    return;
  }
  if (C.Pid == 0) {
    ::close(Fds[0]);
    runChild(Fds[1], Work);
  }
  ::close(Fds[1]);
  C.Fd = Fds[0];
  C.Open = true;
}

TrialResult reap(Child &C, bool TimedOut, unsigned TimeoutSeconds) {
  if (C.Pid < 0)
    return C.Spawned;
  if (C.Open)
    ::close(C.Fd);
  if (TimedOut)
    ::kill(C.Pid, SIGKILL);
  int Status = 0;
  while (::waitpid(C.Pid, &Status, 0) < 0 && errno == EINTR)
    ;
  if (TimedOut)
    return TrialResult::fail(TrialResult::Timeout,
                             "no result after " +
                                 std::to_string(TimeoutSeconds) + " s");
  if (WIFSIGNALED(Status))
    return TrialResult::fail(TrialResult::Crashed,
                             describeSignal(WTERMSIG(Status)));
  constexpr size_t Head = 1 + 2 * sizeof(uint64_t) + sizeof(uint32_t);
  uint32_t Count = 0;
  if (C.Length >= Head)
    std::memcpy(&Count, C.Message + 1 + 2 * sizeof(uint64_t), sizeof(Count));
  size_t ClosureBytes = Count == NoClosures ? 0 : size_t(Count) * 16;
  if (C.Length < Head || (Count != NoClosures && Count > MaxClosures) ||
      C.Length < Head + ClosureBytes)
    return TrialResult::fail(TrialResult::Crashed,
                             "child ended without a result (exit " +
                                 std::to_string(WEXITSTATUS(Status)) + ")");
  TrialResult R;
  unsigned char S = static_cast<unsigned char>(C.Message[0]);
  R.S = S <= TrialResult::Failed ? static_cast<TrialResult::Status>(S)
                                 : TrialResult::Failed;
  std::memcpy(&R.Size, C.Message + 1, sizeof(R.Size));
  std::memcpy(&R.Digest, C.Message + 1 + sizeof(R.Size), sizeof(R.Digest));
  if (Count != NoClosures) {
    R.Closures.emplace(Count);
    for (uint32_t I = 0; I < Count; ++I) {
      const char *P = C.Message + Head + 16 * size_t(I);
      std::memcpy(&(*R.Closures)[I].NameHash, P, 8);
      std::memcpy(&(*R.Closures)[I].Bytes, P + 8, 8);
    }
  }
  R.Reason.assign(C.Message + Head + ClosureBytes,
                  C.Length - Head - ClosureBytes);
  return R;
}

} // namespace

TrialResult llmc::runIsolated(llvm::function_ref<TrialResult()> Work,
                              unsigned TimeoutSeconds) {
  return runIsolatedTogether({Work}, TimeoutSeconds).front();
}

std::vector<TrialResult> llmc::runIsolatedTogether(
    llvm::ArrayRef<llvm::function_ref<TrialResult()>> Works,
    unsigned TimeoutSeconds) {
  constexpr size_t MaxTogether = 8;
  static Child Children[MaxTogether];
  size_t N = std::min(Works.size(), MaxTogether);
  std::vector<TrialResult> Results(Works.size());
  for (size_t I = N; I < Works.size(); ++I)
    Results[I] = TrialResult::fail(TrialResult::Failed, "too many at once");
  for (size_t I = 0; I < N; ++I) {
    Child &C = Children[I];
    C.Pid = -1;
    C.Fd = -1;
    C.Length = 0;
    C.Open = false;
    C.Spawned = TrialResult();
    spawn(C, Works[I]);
  }
  auto Deadline = std::chrono::steady_clock::now() +
                  std::chrono::seconds(TimeoutSeconds ? TimeoutSeconds : 1);
  bool TimedOut = false;
  while (true) {
    struct pollfd P[MaxTogether];
    size_t Index[MaxTogether], Waiting = 0;
    for (size_t I = 0; I < N; ++I)
      if (Children[I].Open) {
        P[Waiting] = {Children[I].Fd, POLLIN, 0};
        Index[Waiting++] = I;
      }
    if (!Waiting)
      break;
    auto Left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    Deadline - std::chrono::steady_clock::now())
                    .count();
    if (Left <= 0) {
      TimedOut = true;
      break;
    }
    int Ready = ::poll(P, Waiting, static_cast<int>(Left));
    if (Ready <= 0)
      continue; // EINTR, or the deadline: checked above
    for (size_t W = 0; W < Waiting; ++W) {
      if (!P[W].revents)
        continue;
      Child &C = Children[Index[W]];
      ssize_t Got =
          ::read(C.Fd, C.Message + C.Length, sizeof(C.Message) - C.Length);
      if (Got < 0 && errno == EINTR)
        continue;
      if (Got <= 0) {
        ::close(C.Fd);
        C.Open = false;
        continue;
      }
      C.Length += static_cast<size_t>(Got);
    }
  }
  for (size_t I = 0; I < N; ++I)
    Results[I] =
        reap(Children[I], TimedOut && Children[I].Open, TimeoutSeconds);
  return Results;
}
