//===- DecisionCache.cpp - remember each module's winner ------------------===//

#include "DecisionCache.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/BLAKE3.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <random>
#include <sys/stat.h>
#include <tuple>
#include <unistd.h>
#include <vector>

using namespace llvm;
using namespace llmc;

namespace {

/// mkdir -p Dir, then Dir/Shard. The directories above Dir may be symlinks
/// (they are the user's layout); Dir and its shard must be real directories,
/// so a symlink planted where the cache goes is never followed.
bool makeCacheDirectories(const std::string &Dir, const std::string &ShardDir) {
  for (size_t Pos = Dir.find('/', 1); Pos != std::string::npos;
       Pos = Dir.find('/', Pos + 1))
    if (::mkdir(Dir.substr(0, Pos).c_str(), 0700) != 0 && errno != EEXIST)
      return false;
  for (const std::string &D : {Dir, ShardDir}) {
    if (::mkdir(D.c_str(), 0700) != 0 && errno != EEXIST)
      return false;
    struct stat St;
    if (::lstat(D.c_str(), &St) != 0)
      return false;
    if (!S_ISDIR(St.st_mode)) {
      errno = S_ISLNK(St.st_mode) ? ELOOP : ENOTDIR;
      return false;
    }
  }
  return true;
}

std::string shard(StringRef Dir, StringRef Key) {
  return (Dir + "/" + Key.take_front(2)).str();
}

std::optional<std::string> readSmallFile(const std::string &Path) {
  int Fd = ::open(Path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (Fd < 0)
    return std::nullopt;
  std::string Data;
  char Buf[4096];
  ssize_t N;
  while ((N = ::read(Fd, Buf, sizeof(Buf))) > 0 && Data.size() < (1 << 16))
    Data.append(Buf, static_cast<size_t>(N));
  ::close(Fd);
  if (N < 0)
    return std::nullopt;
  return Data;
}

} // namespace

std::string DecisionCache::defaultDirectory() {
  if (const char *X = std::getenv("XDG_CACHE_HOME"); X && *X == '/')
    return std::string(X) + "/llmc/decisions";
  if (const char *H = std::getenv("HOME"); H && *H == '/')
    return std::string(H) + "/.cache/llmc/decisions";
  return "";
}

std::string DecisionCache::key(ArrayRef<StringRef> Parts) {
  BLAKE3 Hasher;
  for (StringRef P : Parts) {
    uint64_t Size = P.size();
    Hasher.update(ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(&Size),
                                    sizeof(Size)));
    Hasher.update(P);
  }
  BLAKE3Result<16> R = Hasher.final<16>();
  return toHex(R, /*LowerCase=*/true);
}

std::optional<CachedDecision> DecisionCache::lookup(StringRef Key) const {
  if (!enabled())
    return std::nullopt;
  std::string Path = shard(Dir, Key) + "/" + Key.str() + ".json";
  std::optional<std::string> Text = readSmallFile(Path);
  if (!Text)
    return std::nullopt;
  Expected<json::Value> V = json::parse(*Text);
  if (!V) {
    consumeError(V.takeError());
    return std::nullopt; // corrupt or truncated: decide again, then rewrite
  }
  const json::Object *O = V->getAsObject();
  if (!O)
    return std::nullopt;
  std::optional<StringRef> Winner = O->getString("winner");
  std::optional<bool> IsBaseline = O->getBoolean("baseline");
  std::optional<int64_t> WS = O->getInteger("winner_size");
  std::optional<int64_t> BS = O->getInteger("baseline_size");
  if (!Winner || !IsBaseline || !WS || !BS || *WS < 0 || *BS < 0 ||
      Winner->empty())
    return std::nullopt;
  // Touch: eviction removes the least recently used entries.
  ::utimensat(AT_FDCWD, Path.c_str(), nullptr, AT_SYMLINK_NOFOLLOW);
  return CachedDecision{Winner->str(), *IsBaseline, static_cast<uint64_t>(*WS),
                        static_cast<uint64_t>(*BS)};
}

std::string DecisionCache::store(StringRef Key, const CachedDecision &D) const {
  if (!enabled())
    return "";
  std::string ShardDir = shard(Dir, Key);
  if (!makeCacheDirectories(Dir, ShardDir))
    return "cannot create cache directory " + ShardDir + ": " +
           std::strerror(errno);
  std::string Text;
  raw_string_ostream OS(Text);
  OS << json::Value(
      json::Object{{"winner", D.Winner},
                   {"baseline", D.IsBaseline},
                   {"winner_size", static_cast<int64_t>(D.WinnerSize)},
                   {"baseline_size", static_cast<int64_t>(D.BaselineSize)}});
  OS.flush();
  std::string Final = ShardDir + "/" + Key.str() + ".json";
  std::string Temp = Final + ".tmp." + std::to_string(::getpid());
  int Fd = ::open(Temp.c_str(),
                  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (Fd < 0)
    return "cannot write cache entry " + Temp + ": " + std::strerror(errno);
  bool Ok = ::write(Fd, Text.data(), Text.size()) ==
            static_cast<ssize_t>(Text.size());
  Ok = ::close(Fd) == 0 && Ok;
  // rename() replaces a symlink at Final itself, never the file it names.
  if (!Ok || ::rename(Temp.c_str(), Final.c_str()) != 0) {
    std::string Err = std::strerror(errno);
    ::unlink(Temp.c_str());
    return "cannot write cache entry " + Final + ": " + Err;
  }
  // Counting is a directory walk: do it on about one store in 64, and on
  // every store of a cache small enough for that to be cheap.
  static std::minstd_rand Rng(static_cast<unsigned>(::getpid()));
  if (MaxEntries < 64 || Rng() % 64 == 0)
    evict();
  return "";
}

void DecisionCache::evict() const {
  struct Entry {
    std::string Path;
    struct timespec MTime;
  };
  std::vector<Entry> Entries;
  DIR *Top = ::opendir(Dir.c_str());
  if (!Top)
    return;
  while (dirent *S = ::readdir(Top)) {
    if (S->d_name[0] == '.')
      continue;
    std::string Sub = Dir + "/" + S->d_name;
    DIR *D = ::opendir(Sub.c_str());
    if (!D)
      continue;
    while (dirent *E = ::readdir(D)) {
      if (!StringRef(E->d_name).ends_with(".json"))
        continue;
      std::string P = Sub + "/" + E->d_name;
      struct stat St;
      if (::lstat(P.c_str(), &St) == 0 && S_ISREG(St.st_mode))
        Entries.push_back({P, St.st_mtim});
    }
    ::closedir(D);
  }
  ::closedir(Top);
  if (Entries.size() <= MaxEntries)
    return;
  std::sort(Entries.begin(), Entries.end(), [](const Entry &A, const Entry &B) {
    return std::tie(A.MTime.tv_sec, A.MTime.tv_nsec, A.Path) <
           std::tie(B.MTime.tv_sec, B.MTime.tv_nsec, B.Path);
  });
  size_t Remove = Entries.size() - MaxEntries * 9 / 10;
  for (size_t I = 0; I < Remove; ++I)
    ::unlink(Entries[I].Path.c_str());
}
