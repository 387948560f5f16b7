//===- BridgeClient.cpp - ask the model for candidate pipelines -----------===//
//
// Two ways to a ranking, one reply format (pybridge.rank_json's JSON, decoded
// only by decodeReply below):
//  - the ranking server, over a Unix socket in a private directory, reached
//    through a descriptor of that directory so its path may be of any length;
//    one deadline for the whole exchange, the reply's size checked before
//    anything is allocated;
//  - in-process, in a forked child of the compiler that loads the Python
//    bridge and starts the interpreter there, under a data limit and a
//    deadline; the compiler never runs Python, and a child that hangs, crashes
//    or runs out of memory is one error line and -Oz.
//
//===----------------------------------------------------------------------===//

#include "BridgeClient.h"
#include "BridgeABI.h"
#include "UntrustedJSON.h"
#include "WriteAll.h"
#include "XdgHome.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <dlfcn.h>
#include <fcntl.h>
#include <mutex>
#include <new>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace llvm;

namespace {

using Clock = std::chrono::steady_clock;
using RankFn = decltype(&llmc_bridge_rank);
using SpawnFn = decltype(&llmc_bridge_spawn_server);

//===-- Bounds
//-------------------------------------------------------------===//

/// pybridge.MAX_REPLY_BYTES: a larger reply is refused unread.
constexpr size_t MaxReplyBytes = 1 << 20;
/// The reply nests three levels (object, rejected, pair).
constexpr unsigned MaxReplyDepth = 4;
constexpr int64_t ReplyVersion = 1;
/// One ranking, server or child, start to end. Measured in a child (Python
/// start included): 0.54-0.69 s median over zlib's 15 modules on two cores at
/// load 7-9, 1.4 s beside another lit worker; a warm server answers in 2-30
/// ms. So the default of -llmc-rank-timeout-ms (Options.def), 30 s, is a
/// backstop for hangs, not a budget (tests use 2 s).
/// Waiting for a server we started to listen, within the deadline above.
constexpr int StartTimeoutMs = 5000;
/// Data (heap and private mappings, RLIMIT_DATA) the ranking child may add to
/// what it inherits from the compiler. Measured: ranking adds 0.13 GiB
/// (Python, numpy, onnxruntime, llvmlite, the model) for a small module and
/// 0.31 GiB for a 7.5 MB module of 20,000 functions; 2 GiB leaves room and
/// keeps 1e9 floats (4 GB) out. RLIMIT_DATA
/// rather than RLIMIT_AS: it does not count the compiler's and the libraries'
/// read-only mappings, nor the address space a CUDA runtime reserves.
constexpr uint64_t RankDataHeadroom = uint64_t(2) << 30;
/// A language model's weights are loaded, and copied once by onnxruntime.
constexpr uint64_t LMDataPerByte = 3;

unsigned rankTimeoutMs(const llmc::RankRequest &Request) {
  unsigned Ms = std::max(Request.TimeoutMs, 1u);
  // Generation has its own budget; the ranking's comes on top.
  if (!Request.LMPath.empty())
    Ms += Request.LMBudgetMs;
  return Ms;
}

int msLeft(Clock::time_point Deadline) {
  auto Left = std::chrono::duration_cast<std::chrono::milliseconds>(
                  Deadline - Clock::now())
                  .count();
  return Left <= 0 ? 0 : Left > INT32_MAX ? INT32_MAX : static_cast<int>(Left);
}

std::string seconds(unsigned Ms) {
  return Ms % 1000 ? std::to_string(Ms) + " ms"
                   : std::to_string(Ms / 1000) + " s";
}

//===-- The Python bridge library -----------------------------------------===//

struct Bridge {
  std::string Path; ///< of libllmc_python.so
  void *Handle = nullptr;
  RankFn Rank = nullptr;
  SpawnFn Spawn = nullptr;
  std::string Error;
};

std::string bridgePath() {
  SmallString<256> Path(llmc::pluginDirectory());
  sys::path::append(Path, LLMC_BRIDGE_LIBRARY);
  return Path.str().str();
}

/// Loading the library starts no interpreter: the parent loads it only to
/// spawn a server, the ranking child to rank.
const Bridge &loadBridge() {
  static std::once_flag Once;
  static Bridge B;
  std::call_once(Once, [] {
    B.Path = bridgePath();
    // RTLD_GLOBAL: Python extension modules look up libpython's symbols in
    // the global scope.
    B.Handle = ::dlopen(B.Path.c_str(), RTLD_NOW | RTLD_GLOBAL);
    if (!B.Handle) {
      const char *Why = ::dlerror();
      B.Error = std::string("cannot load the Python bridge: ") +
                (Why ? Why : B.Path.c_str());
      return;
    }
    B.Rank = reinterpret_cast<RankFn>(::dlsym(B.Handle, LLMC_BRIDGE_SYMBOL));
    B.Spawn =
        reinterpret_cast<SpawnFn>(::dlsym(B.Handle, LLMC_BRIDGE_SPAWN_SYMBOL));
    if (!B.Rank || !B.Spawn)
      B.Error = "Python bridge " + B.Path + " lacks " + LLMC_BRIDGE_SYMBOL +
                " or " + LLMC_BRIDGE_SPAWN_SYMBOL;
  });
  return B;
}

//===-- The reply: the one decoder
//-----------------------------------------===//

/// A string of the reply: one line, no control characters.
bool replyString(const json::Value *V, std::string &Out) {
  std::optional<StringRef> S = V ? V->getAsString() : std::nullopt;
  if (!S)
    return false;
  for (char C : *S)
    if (static_cast<unsigned char>(C) < 0x20 || C == 0x7f)
      return false;
  Out = S->str();
  return true;
}

bool replyStrings(const json::Value *V, std::vector<std::string> &Out) {
  const json::Array *A = V ? V->getAsArray() : nullptr;
  if (!A)
    return false;
  for (const json::Value &E : *A)
    if (!replyString(&E, Out.emplace_back()))
      return false;
  return true;
}

/// pybridge.rank_json's reply (format: pybridge/__init__.py) into Out, or
/// false and why. Anything but a well-formed reply of this version is refused.
bool decodeReply(StringRef Bytes, llmc::RankReply &Out, std::string &Why) {
  Expected<json::Value> Parsed =
      llmc::parseUntrustedJSON(Bytes, MaxReplyBytes, MaxReplyDepth);
  if (!Parsed) {
    Why = "malformed ranking reply: " + toString(Parsed.takeError());
    return false;
  }
  const json::Object *O = Parsed->getAsObject();
  if (!O) {
    Why = "malformed ranking reply: not an object";
    return false;
  }
  std::optional<int64_t> Version = O->getInteger("version");
  if (Version != ReplyVersion) {
    Why = "ranking reply of another version (this llmc reads " +
          std::to_string(ReplyVersion) + ")";
    return false;
  }
  llmc::RankReply R;
  auto Bad = [&](const char *Field) {
    Why = std::string("malformed ranking reply: '") + Field +
          "' is not what version 1 says";
    return false;
  };
  if (!replyStrings(O->get("pipelines"), R.Pipelines))
    return Bad("pipelines");
  for (const std::string &P : R.Pipelines)
    if (P.empty())
      return Bad("pipelines");
  const json::Array *Rejected =
      O->get("rejected") ? O->get("rejected")->getAsArray() : nullptr;
  if (!Rejected)
    return Bad("rejected");
  for (const json::Value &E : *Rejected) {
    const json::Array *Pair = E.getAsArray();
    auto &[Pipeline, Reason] = R.Rejected.emplace_back();
    if (!Pair || Pair->size() != 2 || !replyString(&(*Pair)[0], Pipeline) ||
        !replyString(&(*Pair)[1], Reason))
      return Bad("rejected");
  }
  if (!replyStrings(O->get("notes"), R.Notes))
    return Bad("notes");
  if (!replyString(O->get("error"), R.Error))
    return Bad("error");
  if (!replyString(O->get("model"), R.ModelId))
    return Bad("model");
  Out = std::move(R);
  return true;
}

//===-- The ranking server (protocol: pybridge/server.py) -----------------===//

constexpr char Magic[] = "LLMC-RANK 2\n";

/// A directory only we can enter, as a descriptor: created 0700 if missing;
/// an existing one that is a symlink, another user's, or open to others is
/// refused. Checked on the descriptor, which then names it.
int openPrivateDirectory(const std::string &Dir, std::string &Why) {
  if (::mkdir(Dir.c_str(), 0700) != 0 && errno != EEXIST) {
    Why = "cannot create " + Dir + ": " + std::strerror(errno);
    return -1;
  }
  int Fd = ::open(Dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  struct stat St;
  if (Fd < 0 || ::fstat(Fd, &St) != 0 || !S_ISDIR(St.st_mode) ||
      St.st_uid != ::getuid() || (St.st_mode & 077)) {
    if (Fd >= 0)
      ::close(Fd);
    Why = Dir + " is not a private directory of this user";
    return -1;
  }
  return Fd;
}

/// Where the server lives when the default directory is someone else's:
/// $XDG_CACHE_HOME/llmc/server, else ~/.cache/llmc/server.
std::string fallbackServerDirectory() {
  std::string Base = llmc::xdgHome("XDG_CACHE_HOME", ".cache");
  if (Base.empty())
    return "";
  ::mkdir(Base.c_str(), 0700);
  ::mkdir((Base + "/llmc").c_str(), 0700);
  return Base + "/llmc/server";
}

/// One server per installation and LLMC_PYTHONPATH: another llmc, an
/// upgraded one, or a replaced pybridge gets a server of its own.
std::string socketName(const std::string &Library) {
  std::string Identity = Library;
  struct stat St;
  if (::stat(Library.c_str(), &St) == 0)
    Identity += " " + std::to_string(St.st_size) + " " +
                std::to_string(St.st_mtim.tv_sec) + "." +
                std::to_string(St.st_mtim.tv_nsec);
  if (const char *Extra = std::getenv("LLMC_PYTHONPATH"))
    Identity += std::string(" ") + Extra;
  return "rank-" + utohexstr(xxh3_64bits(Identity), true, 16) + ".sock";
}

/// Connects to Name in the directory DirFd: the address goes through
/// /proc/self/fd, so it is short whatever the directory's path.
int connectTo(int DirFd, const std::string &Name) {
  std::string Path = "/proc/self/fd/" + std::to_string(DirFd) + "/" + Name;
  sockaddr_un Addr{};
  Addr.sun_family = AF_UNIX;
  if (Path.size() >= sizeof(Addr.sun_path)) {
    errno = ENAMETOOLONG;
    return -1;
  }
  std::memcpy(Addr.sun_path, Path.data(), Path.size());
  int Fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (Fd < 0)
    return -1;
  if (::connect(Fd, reinterpret_cast<sockaddr *>(&Addr), sizeof(Addr)) != 0) {
    int Saved = errno;
    ::close(Fd);
    errno = Saved;
    return -1;
  }
  // The directory is ours, but check who answers anyway.
  ucred Peer{};
  socklen_t Len = sizeof(Peer);
  if (::getsockopt(Fd, SOL_SOCKET, SO_PEERCRED, &Peer, &Len) != 0 ||
      Peer.uid != ::getuid()) {
    ::close(Fd);
    errno = EPERM;
    return -1;
  }
  return Fd;
}

/// Connects, starting a server when none listens and waiting for it.
int connectOrStart(int DirFd, const std::string &Dir, const std::string &Name,
                   Clock::time_point Deadline, std::string &Why) {
  int Fd = connectTo(DirFd, Name);
  if (Fd >= 0 || (errno != ENOENT && errno != ECONNREFUSED)) {
    if (Fd < 0)
      Why = std::string("cannot connect: ") + std::strerror(errno);
    return Fd;
  }
  const Bridge &B = loadBridge();
  if (!B.Spawn) {
    Why = B.Error;
    return -1;
  }
  pid_t Pid = B.Spawn((Dir + "/" + Name).c_str());
  if (Pid < 0) {
    Why = std::string("cannot start the server: ") + std::strerror(errno);
    return -1;
  }
  // A server that finds another one holding the socket exits at once; keep
  // waiting for the other one. One that fails ends the wait.
  bool Ours = true;
  auto Until = std::min(
      Deadline, Clock::now() + std::chrono::milliseconds(StartTimeoutMs));
  while (Clock::now() < Until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if ((Fd = connectTo(DirFd, Name)) >= 0)
      return Fd;
    int Status = 0;
    if (Ours && ::waitpid(Pid, &Status, WNOHANG) == Pid) {
      Ours = false;
      if (!WIFEXITED(Status) || WEXITSTATUS(Status) != 0) {
        Why = "the server did not start";
        return -1;
      }
    }
  }
  Why = "the server did not answer in time";
  return -1;
}

/// Sends or receives exactly Size bytes before Deadline (poll, then a
/// non-blocking call: one deadline for the whole exchange, however the
/// bytes trickle). False with errno ETIMEDOUT past the deadline.
bool transfer(int Fd, char *P, size_t Size, bool Send,
              Clock::time_point Deadline) {
  while (Size) {
    int Left = msLeft(Deadline);
    if (Left == 0) {
      errno = ETIMEDOUT;
      return false;
    }
    pollfd PFd{Fd, static_cast<short>(Send ? POLLOUT : POLLIN), 0};
    int Ready = ::poll(&PFd, 1, Left);
    if (Ready < 0 && errno == EINTR)
      continue;
    if (Ready < 0)
      return false;
    if (Ready == 0)
      continue; // the deadline check above ends it
    ssize_t N = Send ? ::send(Fd, P, Size, MSG_NOSIGNAL | MSG_DONTWAIT)
                     : ::recv(Fd, P, Size, MSG_DONTWAIT);
    if (N < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
      continue;
    if (N <= 0) {
      if (N == 0)
        errno = ECONNRESET;
      return false;
    }
    P += N;
    Size -= N;
  }
  return true;
}

template <typename T> void appendLE(std::string &Out, T Value) {
  for (size_t I = 0; I < sizeof(T); ++I)
    Out.push_back(static_cast<char>((Value >> (8 * I)) & 0xff));
}

/// The server's reply bytes, or false with Why (the caller ranks in-process).
bool askServer(const llmc::RankRequest &Request, Clock::time_point Deadline,
               std::string &Bytes, std::vector<std::string> &Notes,
               std::string &Why) {
  std::string Dir = llmc::serverDirectory(Request.Server);
  if (!sys::path::is_absolute(Dir)) {
    Why = "the server directory must be an absolute path: " + Dir;
    return false;
  }
  int DirFd = openPrivateDirectory(Dir, Why);
  if (DirFd < 0 && Request.Server.empty()) {
    // The default directory is someone else's (another user made
    // /tmp/llmc-UID first): a directory of our own instead, and say so.
    std::string Fallback = fallbackServerDirectory(), Also;
    if (!Fallback.empty() &&
        (DirFd = openPrivateDirectory(Fallback, Also)) >= 0) {
      Notes.push_back("ranking server: " + Why + "; using " + Fallback);
      Dir = Fallback;
      Why.clear();
    } else if (!Also.empty()) {
      Why += "; " + Also;
    }
  }
  if (DirFd < 0)
    return false;
  std::string Name = socketName(bridgePath());
  int Fd = connectOrStart(DirFd, Dir, Name, Deadline, Why);
  ::close(DirFd);
  if (Fd < 0)
    return false;
  // The server runs in /: a model named relative to this compile's working
  // directory is sent as an absolute path.
  SmallString<256> Model(Request.ModelPath);
  if (!Model.empty())
    sys::fs::make_absolute(Model);
  std::string Header;
  json::Object H{{"k", Request.K}, {"model_path", std::string(Model.str())}};
  if (!Request.Search.empty())
    H["search"] = Request.Search;
  raw_string_ostream(Header) << json::Value(std::move(H));
  std::string Head(Magic);
  appendLE<uint32_t>(Head, Header.size());
  Head += Header;
  appendLE<uint64_t>(Head, Request.Bitcode.size());
  unsigned char Len[4];
  bool OK = transfer(Fd, Head.data(), Head.size(), true, Deadline) &&
            transfer(Fd, const_cast<char *>(Request.Bitcode.data()),
                     Request.Bitcode.size(), true, Deadline) &&
            transfer(Fd, reinterpret_cast<char *>(Len), 4, false, Deadline);
  if (OK) {
    // Checked before anything is allocated: a lying server gets nothing.
    size_t Size = Len[0] | Len[1] << 8 | Len[2] << 16 | size_t(Len[3]) << 24;
    if (Size > MaxReplyBytes) {
      ::close(Fd);
      Why = "the server announced a reply of " + std::to_string(Size) +
            " bytes, more than " + std::to_string(MaxReplyBytes);
      return false;
    }
    Bytes.assign(Size, '\0');
    OK = transfer(Fd, Bytes.data(), Size, false, Deadline);
  }
  int Saved = errno;
  ::close(Fd);
  if (!OK) {
    Why = Saved == ETIMEDOUT ? "no reply from the server within " +
                                   seconds(rankTimeoutMs(Request))
                             : "the server's reply broke off";
    return false;
  }
  return true;
}

//===-- In-process: a child of the compiler
//--------------------------------===//

/// VmData of this process, in bytes (0 when unknown).
uint64_t dataSize() {
  int Fd = ::open("/proc/self/status", O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return 0;
  char Buf[4096];
  ssize_t N = ::read(Fd, Buf, sizeof(Buf) - 1);
  ::close(Fd);
  if (N <= 0)
    return 0;
  Buf[N] = 0;
  const char *Line = std::strstr(Buf, "\nVmData:");
  return Line ? std::strtoull(Line + 8, nullptr, 10) * 1024 : 0;
}

uint64_t lmBytes(const std::string &LMPath) {
  uint64_t Total = 0;
  std::error_code EC;
  unsigned Entries = 0;
  for (sys::fs::recursive_directory_iterator I(LMPath, EC), E;
       I != E && !EC && ++Entries < 10000; I.increment(EC))
    if (auto St = I->status();
        St && St->type() == sys::fs::file_type::regular_file)
      Total += St->getSize();
  return Total;
}

void keep(void *Ctx, const char *Bytes, size_t Length) {
  static_cast<std::string *>(Ctx)->assign(Bytes, Length);
}

/// The child: no compiler handlers (a crash must not print the compiler's
/// report or delete its output files), no stdout or stderr, a data limit,
/// then the bridge. Sends a status byte (0: JSON reply, 1: an error line),
/// then the bytes, and exits without running the compiler's atexit code.
[[noreturn]] void rankChild(int Fd, const llmc::RankRequest &Request,
                            uint64_t Headroom) {
  for (int Sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS,
                  SIGINT, SIGTERM, SIGPIPE, SIGXCPU})
    ::signal(Sig, SIG_DFL);
  // The compiler's new-handler (LLVM's InitLLVM) aborts on a failed
  // allocation; onnxruntime and the other libraries in this child expect
  // std::bad_alloc, which they turn into errors.
  std::set_new_handler(nullptr);
  int Null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (Null >= 0) {
    ::dup2(Null, STDIN_FILENO);
    ::dup2(Null, STDOUT_FILENO);
    ::dup2(Null, STDERR_FILENO);
  }
  if (uint64_t Used = dataSize()) {
    rlimit L{};
    ::getrlimit(RLIMIT_DATA, &L);
    rlim_t Want = Used + Headroom;
    if (L.rlim_max != RLIM_INFINITY && Want > L.rlim_max)
      Want = L.rlim_max;
    if (L.rlim_cur == RLIM_INFINITY || L.rlim_cur > Want) {
      L.rlim_cur = Want;
      ::setrlimit(RLIMIT_DATA, &L);
    }
  }
  std::string Bytes;
  char Status = 1;
  const Bridge &B = loadBridge();
  if (B.Rank) {
    LLMCBridgeRequest R{Request.Bitcode.data(),
                        Request.Bitcode.size(),
                        Request.IRText.data(),
                        Request.IRText.size(),
                        Request.K,
                        Request.ModelPath.c_str(),
                        Request.LMPath.c_str(),
                        Request.LMBudgetMs,
                        Request.Search.data(),
                        Request.Search.size()};
    Status = B.Rank(&R, keep, &Bytes) == 0 ? 0 : 1;
  } else {
    Bytes = B.Error;
  }
  llmc::writeAll(Fd, &Status, 1);
  llmc::writeAll(Fd, Bytes.data(), Bytes.size());
  ::_exit(0);
}

std::string describeSignal(int Sig) {
  const char *Name = ::strsignal(Sig);
  return "signal " + std::to_string(Sig) +
         (Name ? std::string(" (") + Name + ")" : std::string());
}

/// Ranks in a forked child; true with the JSON reply in Bytes, or false with
/// one line in Why.
bool rankInChild(const llmc::RankRequest &Request, std::string &Bytes,
                 std::string &Why) {
  unsigned TimeoutMs = rankTimeoutMs(Request);
  uint64_t Headroom = RankDataHeadroom;
  if (!Request.LMPath.empty())
    Headroom += LMDataPerByte * lmBytes(Request.LMPath);
  int Fds[2];
  if (::pipe2(Fds, O_CLOEXEC) != 0) {
    Why = std::string("cannot rank: pipe: ") + std::strerror(errno);
    return false;
  }
  pid_t Pid = ::fork();
  if (Pid < 0) {
    ::close(Fds[0]);
    ::close(Fds[1]);
    Why = std::string("cannot rank: fork: ") + std::strerror(errno);
    return false;
  }
  if (Pid == 0) {
    ::close(Fds[0]);
    rankChild(Fds[1], Request, Headroom);
  }
  ::close(Fds[1]);
  auto Deadline = Clock::now() + std::chrono::milliseconds(TimeoutMs);
  std::string Got;
  bool TimedOut = false, TooLarge = false;
  char Buf[65536];
  while (true) {
    int Left = msLeft(Deadline);
    if (Left == 0) {
      TimedOut = true;
      break;
    }
    pollfd P{Fds[0], POLLIN, 0};
    int Ready = ::poll(&P, 1, Left);
    if (Ready <= 0)
      continue; // EINTR, or the deadline check above ends it
    ssize_t N = ::read(Fds[0], Buf, sizeof(Buf));
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      break;
    if (Got.size() + N > 1 + MaxReplyBytes) {
      TooLarge = true;
      break;
    }
    Got.append(Buf, N);
  }
  ::close(Fds[0]);
  if (TimedOut || TooLarge)
    ::kill(Pid, SIGKILL);
  int Status = 0;
  while (::waitpid(Pid, &Status, 0) < 0 && errno == EINTR)
    ;
  if (TimedOut) {
    Why = "ranking took longer than " + seconds(TimeoutMs) + " and was stopped";
    return false;
  }
  if (TooLarge) {
    Why =
        "ranking reply larger than " + std::to_string(MaxReplyBytes) + " bytes";
    return false;
  }
  if (Got.empty()) {
    Why = WIFSIGNALED(Status)
              ? "ranking crashed with " + describeSignal(WTERMSIG(Status))
              : "ranking ended without a reply (exit " +
                    std::to_string(WEXITSTATUS(Status)) + ")";
    return false;
  }
  if (Got[0] != 0) {
    Why = StringRef(Got).drop_front().split('\n').first.str();
    if (Why.empty())
      Why = "Python gave no reason";
    return false;
  }
  Bytes = Got.substr(1);
  return true;
}

} // namespace

std::string llmc::serverDirectory(StringRef Setting) {
  if (!Setting.empty())
    return Setting.str();
  const char *Run = std::getenv("XDG_RUNTIME_DIR");
  if (Run && Run[0] == '/')
    return std::string(Run) + "/llmc";
  return "/tmp/llmc-" + std::to_string(::getuid());
}

std::string llmc::pluginDirectory() {
  Dl_info Info{};
  if (!::dladdr(reinterpret_cast<void *>(&llmc::pluginDirectory), &Info) ||
      !Info.dli_fname)
    return ".";
  return sys::path::parent_path(Info.dli_fname).str();
}

llmc::RankReply llmc::rankCandidates(const RankRequest &Request) {
  RankReply Reply;
  std::vector<std::string> Notes;
  std::string Bytes, Why;
  auto Deadline =
      Clock::now() + std::chrono::milliseconds(rankTimeoutMs(Request));
  // A language model may generate for seconds: it ranks in-process, so it
  // never holds up the other compiles queued at the server.
  bool OK = false;
  if (Request.Server != "off" && Request.LMPath.empty() &&
      askServer(Request, Deadline, Bytes, Notes, Why)) {
    Reply.Via = "server";
    OK = true;
  } else {
    Reply.Via = "in-process";
    if (!Why.empty())
      Notes.push_back("ranking server unavailable (" + Why +
                      "): ranked in-process");
    OK = rankInChild(Request, Bytes, Why);
  }
  std::string Via = Reply.Via;
  if (OK && !decodeReply(Bytes, Reply, Why))
    OK = false;
  Reply.Via = Via;
  if (!OK) {
    Reply.Error = Why;
    Reply.Pipelines.clear();
  }
  if (!Reply.Error.empty())
    Reply.Pipelines.clear();
  Notes.insert(Notes.end(), Reply.Notes.begin(), Reply.Notes.end());
  Reply.Notes = std::move(Notes);
  return Reply;
}
