//===- Jobserver.cpp - borrow GNU make's job slots for trials -------------===//

#include "Jobserver.h"
#include "WriteAll.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <fcntl.h>
#include <sched.h>
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

/// A small file of /proc or /sys, whole; "" when it cannot be read.
std::string readSmallFile(const std::string &Path) {
  std::string Text;
  int Fd = ::open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return Text;
  char Buf[512];
  while (Text.size() < 8192) {
    ssize_t N = ::read(Fd, Buf, sizeof(Buf));
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      break;
    Text.append(Buf, size_t(N));
  }
  ::close(Fd);
  return Text;
}

/// The CPU quota of this process's cgroup (v2 cpu.max "QUOTA PERIOD"),
/// rounded up, or 0 when there is none.
unsigned cgroupCpus() {
  // "0::/some/path" names the cgroup v2 this process is in.
  StringRef Cgroups = "";
  std::string Self = readSmallFile("/proc/self/cgroup");
  for (StringRef Line : llvm::split(Self, '\n'))
    if (Line.starts_with("0::"))
      Cgroups = Line.drop_front(3);
  if (Cgroups.empty() || Cgroups.contains(".."))
    return 0;
  std::string Max =
      readSmallFile("/sys/fs/cgroup" + Cgroups.rtrim('/').str() + "/cpu.max");
  auto [Quota, Period] = StringRef(Max).trim().split(' ');
  uint64_t Q = 0, P = 0;
  if (Quota.getAsInteger(10, Q) || Period.getAsInteger(10, P) || !Q || !P)
    return 0; // "max": no quota
  return unsigned(std::min<uint64_t>((Q + P - 1) / P, UINT_MAX));
}

} // namespace

unsigned llmc::idleCpus() {
  cpu_set_t Set;
  CPU_ZERO(&Set);
  if (::sched_getaffinity(0, sizeof(Set), &Set) != 0)
    return 0;
  unsigned Cpus = CPU_COUNT(&Set);
  if (unsigned Quota = cgroupCpus())
    Cpus = std::min(Cpus, Quota);
  // "0.52 0.58 0.59 3/1019 12345": the fourth field's first number is the
  // tasks runnable at this moment, the reading one among them.
  std::string Load = readSmallFile("/proc/loadavg");
  SmallVector<StringRef, 5> Fields;
  StringRef(Load).split(Fields, ' ', -1, /*KeepEmpty=*/false);
  unsigned Running = 0;
  if (Fields.size() < 4 ||
      Fields[3].split('/').first.getAsInteger(10, Running) || Running == 0)
    return 0;
  return Running < Cpus ? Cpus - Running : 0;
}

unsigned llmc::childrenMemoryAllows() {
  // statm: "size resident shared ...", in pages.
  std::string Statm = readSmallFile("/proc/self/statm");
  SmallVector<StringRef, 3> Pages;
  StringRef(Statm).split(Pages, ' ', 2, /*KeepEmpty=*/false);
  uint64_t Resident = 0;
  if (Pages.size() < 2 || Pages[1].getAsInteger(10, Resident) || !Resident)
    return 0;
  long PageSize = ::sysconf(_SC_PAGESIZE);
  uint64_t Bytes = Resident * uint64_t(PageSize > 0 ? PageSize : 4096);
  // meminfo: "MemAvailable:   12345678 kB".
  std::string Info = readSmallFile("/proc/meminfo");
  for (StringRef Line : llvm::split(Info, '\n')) {
    if (!Line.consume_front("MemAvailable:"))
      continue;
    uint64_t KiB = 0;
    if (Line.trim().split(' ').first.getAsInteger(10, KiB))
      return 0;
    return unsigned(std::min<uint64_t>(KiB * 1024 / 2 / Bytes, UINT_MAX));
  }
  return 0;
}

bool JobSlots::named(StringRef MakeFlags) { return !authOf(MakeFlags).empty(); }

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
