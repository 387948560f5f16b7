//===- BridgeClient.cpp - ask the model for candidate pipelines -----------===//

#include "BridgeClient.h"
#include "BridgeABI.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <dlfcn.h>
#include <mutex>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace llvm;

namespace {

using RankFn = decltype(&llmc_bridge_rank);
using SpawnFn = decltype(&llmc_bridge_spawn_server);

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

void collect(void *Ctx, int Field, const char *Text, size_t Length) {
  auto &Reply = *static_cast<llmc::RankReply *>(Ctx);
  std::string S(Text, Length);
  switch (Field) {
  case LLMC_BRIDGE_PIPELINE:
    Reply.Pipelines.push_back(std::move(S));
    break;
  case LLMC_BRIDGE_ERROR:
    Reply.Error = std::move(S);
    break;
  case LLMC_BRIDGE_MODEL_ID:
    Reply.ModelId = std::move(S);
    break;
  case LLMC_BRIDGE_REJECTED: {
    size_t Tab = S.find('\t');
    Reply.Rejected.emplace_back(
        S.substr(0, Tab), Tab == std::string::npos ? "" : S.substr(Tab + 1));
    break;
  }
  case LLMC_BRIDGE_NOTE:
    Reply.Notes.push_back(std::move(S));
    break;
  }
}

//===-- The ranking server (protocol: pybridge/server.py) -----------------===//

constexpr char Magic[] = "LLMC-RANK 1\n";
constexpr unsigned char EndOfReply = 255;
constexpr size_t MaxField = 1 << 20;
constexpr int IOTimeoutSeconds = 30; // ranking takes milliseconds
constexpr int StartTimeoutMs = 5000; // imports, on a loaded machine

/// A directory only we can enter: created 0700 if missing; an existing one
/// that is a symlink, another user's, or open to others is refused.
bool privateDirectory(const std::string &Dir, std::string &Why) {
  if (::mkdir(Dir.c_str(), 0700) != 0 && errno != EEXIST) {
    Why = "cannot create " + Dir + ": " + std::strerror(errno);
    return false;
  }
  struct stat St;
  if (::lstat(Dir.c_str(), &St) != 0 || !S_ISDIR(St.st_mode) ||
      St.st_uid != ::getuid() || (St.st_mode & 077)) {
    Why = Dir + " is not a private directory of this user";
    return false;
  }
  return true;
}

/// One server per installation and LLMC_PYTHONPATH: another llmc, an
/// upgraded one, or a replaced pybridge gets a server of its own.
std::string socketPath(const std::string &Dir, const std::string &Library) {
  std::string Identity = Library;
  struct stat St;
  if (::stat(Library.c_str(), &St) == 0)
    Identity += " " + std::to_string(St.st_size) + " " +
                std::to_string(St.st_mtim.tv_sec) + "." +
                std::to_string(St.st_mtim.tv_nsec);
  if (const char *Extra = std::getenv("LLMC_PYTHONPATH"))
    Identity += std::string(" ") + Extra;
  return Dir + "/rank-" + utohexstr(xxh3_64bits(Identity), true, 16) + ".sock";
}

int connectTo(const std::string &Path) {
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
  timeval TV{IOTimeoutSeconds, 0};
  ::setsockopt(Fd, SOL_SOCKET, SO_RCVTIMEO, &TV, sizeof(TV));
  ::setsockopt(Fd, SOL_SOCKET, SO_SNDTIMEO, &TV, sizeof(TV));
  return Fd;
}

/// Connects, starting a server when none listens and waiting for it.
int connectOrStart(const std::string &Path, std::string &Why) {
  int Fd = connectTo(Path);
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
  pid_t Pid = B.Spawn(Path.c_str());
  if (Pid < 0) {
    Why = std::string("cannot start the server: ") + std::strerror(errno);
    return -1;
  }
  // A server that finds another one holding the socket exits at once; keep
  // waiting for the other one. One that fails ends the wait.
  bool Ours = true;
  for (int Waited = 0; Waited < StartTimeoutMs; Waited += 5) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if ((Fd = connectTo(Path)) >= 0)
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

/// Sends or receives exactly Size bytes (timeouts are set on the socket).
bool transfer(int Fd, char *P, size_t Size, bool Send) {
  while (Size) {
    ssize_t N =
        Send ? ::send(Fd, P, Size, MSG_NOSIGNAL) : ::recv(Fd, P, Size, 0);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return false;
    P += N;
    Size -= N;
  }
  return true;
}

bool sendAll(int Fd, const char *Data, size_t Size) {
  return transfer(Fd, const_cast<char *>(Data), Size, /*Send=*/true);
}

bool recvAll(int Fd, void *Data, size_t Size) {
  return transfer(Fd, static_cast<char *>(Data), Size, /*Send=*/false);
}

template <typename T> void appendLE(std::string &Out, T Value) {
  for (size_t I = 0; I < sizeof(T); ++I)
    Out.push_back(static_cast<char>((Value >> (8 * I)) & 0xff));
}

/// The server's answer, or false with Why (the caller ranks in-process).
bool rankViaServer(const llmc::RankRequest &Request, llmc::RankReply &Reply,
                   std::string &Why) {
  std::string Dir = llmc::serverDirectory(Request.Server);
  if (!sys::path::is_absolute(Dir)) {
    Why = "the server directory must be an absolute path: " + Dir;
    return false;
  }
  if (!privateDirectory(Dir, Why))
    return false;
  std::string Path = socketPath(Dir, bridgePath());
  // The server binds PATH.<pid> first: leave room for that.
  if (Path.size() + 16 > sizeof(sockaddr_un::sun_path)) {
    Why = "socket path too long: " + Path;
    return false;
  }
  int Fd = connectOrStart(Path, Why);
  if (Fd < 0)
    return false;
  std::string Header;
  raw_string_ostream(Header) << json::Value(
      json::Object{{"k", Request.K}, {"model_path", Request.ModelPath}});
  std::string Head(Magic);
  appendLE<uint32_t>(Head, Header.size());
  Head += Header;
  appendLE<uint64_t>(Head, Request.Bitcode.size());
  bool OK = sendAll(Fd, Head.data(), Head.size()) &&
            sendAll(Fd, Request.Bitcode.data(), Request.Bitcode.size());
  llmc::RankReply Got;
  while (OK) {
    unsigned char Field = 0;
    unsigned char Len[4];
    if (!(OK = recvAll(Fd, &Field, 1)) || Field == EndOfReply)
      break;
    if (!(OK = Field <= LLMC_BRIDGE_NOTE && recvAll(Fd, Len, 4)))
      break;
    size_t Size = Len[0] | Len[1] << 8 | Len[2] << 16 | size_t(Len[3]) << 24;
    std::string Text(Size, '\0');
    if (!(OK = Size <= MaxField && recvAll(Fd, Text.data(), Size)))
      break;
    collect(&Got, Field, Text.data(), Text.size());
  }
  ::close(Fd);
  if (!OK) {
    Why = "the server's reply broke off";
    return false;
  }
  Reply = std::move(Got);
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
  std::string Why;
  // A language model may generate for seconds: it ranks in-process, so it
  // never holds up the other compiles queued at the server.
  if (Request.Server != "off" && Request.LMPath.empty() &&
      rankViaServer(Request, Reply, Why)) {
    Reply.Via = "server";
  } else {
    Reply.Via = "in-process";
    if (!Why.empty())
      Reply.Notes.push_back("ranking server unavailable (" + Why +
                            "): ranked in-process");
    const Bridge &B = loadBridge();
    LLMCBridgeRequest R{Request.Bitcode.data(),
                        Request.Bitcode.size(),
                        Request.IRText.data(),
                        Request.IRText.size(),
                        Request.K,
                        Request.ModelPath.c_str(),
                        Request.LMPath.c_str(),
                        Request.LMBudgetMs};
    if (B.Rank)
      B.Rank(&R, collect, &Reply);
    else
      Reply.Error = B.Error;
  }
  if (!Reply.Error.empty())
    Reply.Pipelines.clear();
  return Reply;
}
