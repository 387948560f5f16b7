//===- Jobserver.cpp - borrow GNU make's job slots for trials -------------===//

#include "Jobserver.h"
#include "WriteAll.h"

#include "llvm/ADT/SmallString.h"

#include <cerrno>
#include <climits>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace llvm;
using llmc::JobSlots;

namespace {

/// The value of the last --jobserver-auth= (or the older --jobserver-fds=)
/// in MAKEFLAGS: make lists the one that counts last.
StringRef authOf(StringRef MakeFlags) {
  StringRef Value;
  for (StringRef Key : {"--jobserver-fds=", "--jobserver-auth="}) {
    size_t At = MakeFlags.rfind(Key);
    if (At == StringRef::npos)
      continue;
    StringRef Rest = MakeFlags.substr(At + Key.size());
    Value = Rest.take_until([](char C) { return C == ' ' || C == '\t'; });
  }
  return Value;
}

/// What /proc says descriptor Fd is ("pipe:[123]"), or "".
std::string describeFd(int Fd) {
  SmallString<32> Link("/proc/self/fd/");
  Link += std::to_string(Fd);
  char Buf[64];
  ssize_t N = ::readlink(Link.c_str(), Buf, sizeof(Buf));
  return N > 0 && size_t(N) < sizeof(Buf) ? std::string(Buf, N) : "";
}

bool accessMode(int Fd, int Mode) {
  int Flags = ::fcntl(Fd, F_GETFL);
  return Flags >= 0 && (Flags & O_ACCMODE) == Mode;
}

} // namespace

JobSlots JobSlots::borrow(StringRef MakeFlags, unsigned Want) {
  JobSlots S;
  StringRef Auth = authOf(MakeFlags);
  if (Want == 0 || Auth.empty())
    return S;
  if (Auth.consume_front("fifo:")) {
    // make >= 4.4: a named fifo. Ours, a fifo, reached without a symlink.
    std::string Path = Auth.str();
    int Fd = ::open(Path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
    struct stat St;
    if (Fd < 0)
      return S;
    if (::fstat(Fd, &St) != 0 || !S_ISFIFO(St.st_mode) ||
        St.st_uid != ::getuid()) {
      ::close(Fd);
      return S;
    }
    S.ReadFd = S.WriteFd = Fd;
    S.OwnsFds = true;
    S.Kind = "fifo";
  } else {
    // R,W: both ends of one pipe, as make's. Negative numbers mean make did
    // not pass them on (make 4.3 writes -2,-2 then).
    auto [R, W] = Auth.split(',');
    int ReadEnd = -1, WriteEnd = -1;
    if (R.getAsInteger(10, ReadEnd) || W.getAsInteger(10, WriteEnd) ||
        ReadEnd < 0 || WriteEnd < 0 || ReadEnd == WriteEnd)
      return S;
    std::string Pipe = describeFd(ReadEnd);
    if (!StringRef(Pipe).starts_with("pipe:") || describeFd(WriteEnd) != Pipe ||
        !accessMode(ReadEnd, O_RDONLY) || !accessMode(WriteEnd, O_WRONLY))
      return S;
    // Make reads its end blocking: a non-blocking read needs a description
    // of our own, opened anew through /proc.
    SmallString<32> Link("/proc/self/fd/");
    Link += std::to_string(ReadEnd);
    int Fd = ::open(Link.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (Fd < 0)
      return S;
    S.ReadFd = Fd;
    S.WriteFd = WriteEnd;
    S.Kind = "pipe";
  }
  while (S.Tokens.size() < Want) {
    char Token;
    ssize_t N = ::read(S.ReadFd, &Token, 1);
    if (N < 0 && errno == EINTR)
      continue;
    if (N != 1)
      break; // EAGAIN: every other slot is busy
    S.Tokens.push_back(Token);
  }
  if (S.Kind == "pipe") {
    ::close(S.ReadFd); // ours; the write end is make's
    S.ReadFd = -1;
  }
  return S;
}

void JobSlots::giveBack() {
  if (!Tokens.empty() && WriteFd >= 0)
    llmc::writeAll(WriteFd, Tokens.data(), Tokens.size());
  Tokens.clear();
  if (OwnsFds && ReadFd >= 0)
    ::close(ReadFd);
  ReadFd = WriteFd = -1;
  OwnsFds = false;
}

JobSlots::JobSlots(JobSlots &&Other) noexcept { *this = std::move(Other); }

JobSlots &JobSlots::operator=(JobSlots &&Other) noexcept {
  if (this != &Other) {
    giveBack();
    ReadFd = Other.ReadFd;
    WriteFd = Other.WriteFd;
    OwnsFds = Other.OwnsFds;
    Tokens = std::move(Other.Tokens);
    Kind = std::move(Other.Kind);
    Other.ReadFd = Other.WriteFd = -1;
    Other.OwnsFds = false;
    Other.Tokens.clear();
  }
  return *this;
}

JobSlots::~JobSlots() { giveBack(); }
