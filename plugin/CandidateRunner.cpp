//===- CandidateRunner.cpp - run one candidate where it cannot hurt -------===//

#include "CandidateRunner.h"

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

// Child -> parent message: status byte, 8-byte size, then the reason text.
void writeAll(int Fd, const void *Data, size_t N) {
  const char *P = static_cast<const char *>(Data);
  while (N) {
    ssize_t W = ::write(Fd, P, N);
    if (W < 0 && errno == EINTR)
      continue;
    if (W <= 0)
      return;
    P += W;
    N -= static_cast<size_t>(W);
  }
}

void sendResult(int Fd, const TrialResult &R) {
  unsigned char S = static_cast<unsigned char>(R.S);
  writeAll(Fd, &S, 1);
  writeAll(Fd, &R.Size, sizeof(R.Size));
  writeAll(Fd, R.Reason.data(), R.Reason.size());
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

TrialResult llmc::runIsolated(llvm::function_ref<TrialResult()> Work,
                              unsigned TimeoutSeconds) {
  int Fds[2];
  if (::pipe2(Fds, O_CLOEXEC) != 0)
    return TrialResult::fail(TrialResult::Failed,
                             std::string("pipe: ") + std::strerror(errno));
  pid_t Pid = ::fork();
  if (Pid < 0) {
    ::close(Fds[0]);
    ::close(Fds[1]);
    return TrialResult::fail(TrialResult::Failed,
                             std::string("fork: ") + std::strerror(errno));
  }
  if (Pid == 0) {
    ::close(Fds[0]);
    runChild(Fds[1], Work);
  }
  ::close(Fds[1]);

  // A fixed buffer: the parent must not touch the heap while the child runs,
  // so that a confirmation trial (see LLMCPass.cpp) starts from the very
  // memory state the parent applies the winner in.
  static char Message[8192];
  size_t Length = 0;
  bool TimedOut = false;
  auto Deadline = std::chrono::steady_clock::now() +
                  std::chrono::seconds(TimeoutSeconds ? TimeoutSeconds : 1);
  while (true) {
    auto Left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    Deadline - std::chrono::steady_clock::now())
                    .count();
    if (Left <= 0) {
      TimedOut = true;
      break;
    }
    struct pollfd P = {Fds[0], POLLIN, 0};
    int Ready = ::poll(&P, 1, static_cast<int>(Left));
    if (Ready < 0 && errno == EINTR)
      continue;
    if (Ready <= 0)
      continue;
    ssize_t N = ::read(Fds[0], Message + Length, sizeof(Message) - Length);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      break;
    Length += static_cast<size_t>(N);
  }
  ::close(Fds[0]);
  if (TimedOut)
    ::kill(Pid, SIGKILL);
  int Status = 0;
  while (::waitpid(Pid, &Status, 0) < 0 && errno == EINTR)
    ;
  if (TimedOut)
    return TrialResult::fail(TrialResult::Timeout,
                             "no result after " +
                                 std::to_string(TimeoutSeconds) + " s");
  if (WIFSIGNALED(Status))
    return TrialResult::fail(TrialResult::Crashed,
                             describeSignal(WTERMSIG(Status)));
  if (Length < 1 + sizeof(uint64_t))
    return TrialResult::fail(TrialResult::Crashed,
                             "child ended without a result (exit " +
                                 std::to_string(WEXITSTATUS(Status)) + ")");
  TrialResult R;
  unsigned char S = static_cast<unsigned char>(Message[0]);
  R.S = S <= TrialResult::Failed ? static_cast<TrialResult::Status>(S)
                                 : TrialResult::Failed;
  std::memcpy(&R.Size, Message + 1, sizeof(R.Size));
  R.Reason.assign(Message + 1 + sizeof(uint64_t),
                  Length - 1 - sizeof(uint64_t));
  return R;
}
