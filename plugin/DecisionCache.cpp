//===- DecisionCache.cpp - remember each module's winner ------------------===//

#include "DecisionCache.h"
#include "UntrustedJSON.h"
#include "WriteAll.h"
#include "XdgHome.h"

#include "llvm-c/blake3.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/BLAKE3.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <map>
#include <random>
#include <sys/random.h>
#include <sys/stat.h>
#include <tuple>
#include <unistd.h>
#include <utility>
#include <vector>

using namespace llvm;
using namespace llmc;

namespace {

Error problem(const std::string &Message) {
  return createStringError(inconvertibleErrorCode(), Message);
}

/// A file descriptor closed when it goes out of scope.
class FileDescriptor {
public:
  explicit FileDescriptor(int Fd = -1) : Fd(Fd) {}
  FileDescriptor(FileDescriptor &&O) : Fd(O.release()) {}
  FileDescriptor &operator=(FileDescriptor &&O) {
    reset(O.release());
    return *this;
  }
  ~FileDescriptor() { reset(-1); }
  void reset(int New) {
    if (Fd >= 0)
      ::close(Fd);
    Fd = New;
  }
  int get() const { return Fd; }
  explicit operator bool() const { return Fd >= 0; }
  /// Gives up ownership (to fdopendir, which closes it).
  int release() { return std::exchange(Fd, -1); }

private:
  int Fd;
};

/// A temporary file older than this was left by a compiler that was killed
/// between writing and renaming it; eviction removes it.
constexpr time_t StaleTempSeconds = 3600;
/// An entry is a flat object.
constexpr unsigned MaxEntryDepth = 1;

bool isLowerHex(StringRef S) {
  return all_of(S, [](char C) { return isDigit(C) || (C >= 'a' && C <= 'f'); });
}

/// Keys come from key(): 32 lowercase hex digits. Anything else could name a
/// path outside the cache.
bool isKey(StringRef K) { return K.size() == 32 && isLowerHex(K); }

bool isShardName(StringRef N) { return N.size() == 2 && isLowerHex(N); }

bool isEntryName(StringRef N) { return N.consume_back(".json") && isKey(N); }

/// <key>.json.tmp.<anything>, as store() names its temporary files.
bool isTempName(StringRef N) {
  size_t Pos = N.find(".json.tmp.");
  return Pos != StringRef::npos && isKey(N.take_front(Pos));
}

/// Ours: made by this user. Anything else in the cache was planted.
bool ownedByUs(const struct stat &St) { return St.st_uid == ::geteuid(); }

/// What the open functions below return for a directory of another user.
constexpr int NotOurs = -2;

std::string whyNot(int Result) {
  return Result == NotOurs ? "not a directory owned by this user"
                           : std::strerror(errno);
}

/// Opens the directory Name under DirFd (AT_FDCWD: a path): a real directory
/// owned by us, never through a symlink; else -1 with errno set (ELOOP for a
/// symlink), or NotOurs.
int openSubdirectory(int DirFd, const char *Name) {
  int Fd =
      ::openat(DirFd, Name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (Fd < 0) {
    struct stat St;
    if (errno == ENOTDIR &&
        ::fstatat(DirFd, Name, &St, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISLNK(St.st_mode))
      errno = ELOOP;
    return -1;
  }
  struct stat St;
  if (::fstat(Fd, &St) != 0 || !ownedByUs(St)) {
    ::close(Fd);
    return NotOurs;
  }
  return Fd;
}

/// Opens Dir itself, which must be a real directory owned by us, never a
/// symlink. With Create, makes it first, and the directories above it, which
/// may be symlinks (they are the user's layout). Returns -1 with errno set,
/// or NotOurs.
int openCacheDirectory(std::string Dir, bool Create) {
  // A trailing slash, "." or ".." would make open() resolve a symlink at the
  // last component after all.
  while (Dir.size() > 1 && Dir.back() == '/')
    Dir.pop_back();
  StringRef Last = StringRef(Dir).rsplit('/').second;
  if (Last.empty())
    Last = Dir;
  if (Last == "." || Last == "..") {
    errno = EINVAL;
    return -1;
  }
  if (Create) {
    for (size_t Pos = Dir.find('/', 1); Pos != std::string::npos;
         Pos = Dir.find('/', Pos + 1))
      if (::mkdir(Dir.substr(0, Pos).c_str(), 0700) != 0 && errno != EEXIST)
        return -1;
    if (::mkdir(Dir.c_str(), 0700) != 0 && errno != EEXIST)
      return -1;
  }
  return openSubdirectory(AT_FDCWD, Dir.c_str());
}

/// The text of the entry Name under ShardFd when it is a regular file owned by
/// us of at most MaxEntryBytes; Fd is left open for touching.
std::optional<std::string> readEntry(int ShardFd, const char *Name,
                                     FileDescriptor &Fd) {
  // O_NONBLOCK: opening a FIFO for reading would wait for a writer.
  Fd = FileDescriptor(
      ::openat(ShardFd, Name,
               O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (!Fd)
    return std::nullopt;
  struct stat St;
  if (::fstat(Fd.get(), &St) != 0 || !S_ISREG(St.st_mode) || !ownedByUs(St) ||
      St.st_size > static_cast<off_t>(DecisionCache::MaxEntryBytes))
    return std::nullopt;
  // The file may grow while it is read: read one byte past the limit and
  // call that corrupt rather than parse a prefix.
  std::string Data(DecisionCache::MaxEntryBytes + 1, '\0');
  size_t Got = 0;
  while (Got < Data.size()) {
    ssize_t N = ::read(Fd.get(), &Data[Got], Data.size() - Got);
    if (N < 0 && errno == EINTR)
      continue;
    if (N < 0)
      return std::nullopt;
    if (N == 0)
      break;
    Got += static_cast<size_t>(N);
  }
  if (Got > DecisionCache::MaxEntryBytes)
    return std::nullopt;
  Data.resize(Got);
  return Data;
}

} // namespace

std::string DecisionCache::defaultDirectory() {
  std::string Base = xdgHome("XDG_CACHE_HOME", ".cache");
  return Base.empty() ? "" : Base + "/llmc/decisions";
}

std::string DecisionCache::defaultSecretPath() {
  std::string Base = xdgHome("XDG_CONFIG_HOME", ".config");
  return Base.empty() ? "" : Base + "/llmc/cache-secret";
}

namespace {

using Secret = std::array<uint8_t, LLVM_BLAKE3_KEY_LEN>;
/// A secret file holds at least a key's worth of bytes, at most a page.
constexpr off_t MinSecretBytes = LLVM_BLAKE3_KEY_LEN, MaxSecretBytes = 4096;

/// The key derived from the secret file at Path: a regular file of ours that
/// nobody else may read or write, reached without a symlink at its last
/// component; else none.
std::optional<Secret> readSecret(const std::string &Path) {
  FileDescriptor Fd(::open(Path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
                                             O_NOCTTY | O_CLOEXEC));
  struct stat St;
  if (!Fd || ::fstat(Fd.get(), &St) != 0 || !S_ISREG(St.st_mode) ||
      !ownedByUs(St) || (St.st_mode & 077) || St.st_size < MinSecretBytes ||
      St.st_size > MaxSecretBytes)
    return std::nullopt;
  std::string Data(MaxSecretBytes + 1, '\0');
  size_t Got = 0;
  while (Got < Data.size()) {
    ssize_t N = ::read(Fd.get(), Data.data() + Got, Data.size() - Got);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      break;
    Got += static_cast<size_t>(N);
  }
  if (Got < size_t(MinSecretBytes) || Got > size_t(MaxSecretBytes))
    return std::nullopt;
  BLAKE3 H;
  H.update("llmc-cache-secret-v1");
  H.update(StringRef(Data.data(), Got));
  return H.final<LLVM_BLAKE3_KEY_LEN>();
}

/// Makes the secret at Path when there is none: random bytes in a private
/// file, linked into place whole (a racing compiler's link fails, and both
/// then read the one that won).
void createSecret(const std::string &Path) {
  SmallString<256> Dir(Path);
  size_t Slash = Path.rfind('/');
  if (Slash == std::string::npos || Slash == 0)
    return;
  Dir.resize(Slash);
  for (size_t Pos = Dir.str().find('/', 1); Pos != StringRef::npos;
       Pos = Dir.str().find('/', Pos + 1))
    ::mkdir(Dir.str().substr(0, Pos).str().c_str(), 0700);
  ::mkdir(Dir.c_str(), 0700);
  uint8_t Bytes[LLVM_BLAKE3_KEY_LEN];
  if (::getrandom(Bytes, sizeof(Bytes), 0) != ssize_t(sizeof(Bytes)))
    return;
  std::string Temp = Path + ".tmp." + std::to_string(::getpid());
  FileDescriptor Fd(::open(Temp.c_str(),
                           O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                           0600));
  if (!Fd)
    return;
  bool Written = writeAll(Fd.get(), Bytes, sizeof(Bytes));
  Fd.reset(-1);
  if (Written)
    ::link(Temp.c_str(), Path.c_str());
  ::unlink(Temp.c_str());
}

} // namespace

std::string DecisionCache::mac(StringRef Key, const CachedDecision &D,
                               ArrayRef<uint8_t> Key32) {
  CachedDecision Fields = D;
  Fields.Mac.clear();
  std::string Text = formatEntry(Fields);
  llvm_blake3_hasher H;
  llvm_blake3_hasher_init_keyed(&H, Key32.data());
  static constexpr char Domain[] = "llmc-cache-entry-v1";
  llvm_blake3_hasher_update(&H, Domain, sizeof(Domain));
  llvm_blake3_hasher_update(&H, Key.data(), Key.size());
  llvm_blake3_hasher_update(&H, "", 1);
  llvm_blake3_hasher_update(&H, Text.data(), Text.size());
  uint8_t Out[LLVM_BLAKE3_OUT_LEN];
  llvm_blake3_hasher_finalize(&H, Out, sizeof(Out));
  return toHex(ArrayRef<uint8_t>(Out), /*LowerCase=*/true);
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

std::optional<CachedDecision> DecisionCache::parseEntry(StringRef Text) {
  Expected<json::Value> V =
      parseUntrustedJSON(Text, MaxEntryBytes, MaxEntryDepth);
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
  CachedDecision D;
  D.Winner = Winner->str();
  D.IsBaseline = *IsBaseline;
  D.WinnerSize = static_cast<uint64_t>(*WS);
  D.BaselineSize = static_cast<uint64_t>(*BS);
  if (std::optional<StringRef> IR = O->getString("ir");
      IR && IR->size() == 16 && isLowerHex(*IR))
    IR->getAsInteger(16, D.IRDigest);
  // A MAC of another shape is no MAC: the entry is then simply not trusted.
  if (std::optional<StringRef> Mac = O->getString("mac");
      Mac && Mac->size() == 2 * LLVM_BLAKE3_OUT_LEN && isLowerHex(*Mac))
    D.Mac = Mac->str();
  return D;
}

std::string DecisionCache::formatEntry(const CachedDecision &D) {
  std::string Text;
  raw_string_ostream OS(Text);
  json::Object Fields{{"winner", D.Winner},
                      {"baseline", D.IsBaseline},
                      {"winner_size", static_cast<int64_t>(D.WinnerSize)},
                      {"baseline_size", static_cast<int64_t>(D.BaselineSize)}};
  if (D.IRDigest)
    Fields["ir"] = utohexstr(D.IRDigest, /*LowerCase=*/true, /*Width=*/16);
  if (!D.Mac.empty())
    Fields["mac"] = D.Mac;
  OS << json::Value(std::move(Fields));
  OS.flush();
  return Text;
}

std::optional<CachedDecision> DecisionCache::lookup(StringRef Key) const {
  if (!enabled() || !isKey(Key))
    return std::nullopt;
  FileDescriptor DirFd(openCacheDirectory(Dir, /*Create=*/false));
  if (!DirFd)
    return std::nullopt;
  FileDescriptor ShardFd(
      openSubdirectory(DirFd.get(), Key.take_front(2).str().c_str()));
  if (!ShardFd)
    return std::nullopt;
  std::string Name = Key.str() + ".json";
  FileDescriptor EntryFd;
  std::optional<std::string> Text =
      readEntry(ShardFd.get(), Name.c_str(), EntryFd);
  if (!Text)
    return std::nullopt;
  std::optional<CachedDecision> D = parseEntry(*Text);
  if (!D)
    return std::nullopt;
  if (!D->Mac.empty() && !SecretPath.empty())
    if (std::optional<Secret> S = readSecret(SecretPath))
      D->Authentic = mac(Key, *D, *S) == D->Mac;
  // Touch: eviction removes the least recently used entries.
  ::futimens(EntryFd.get(), nullptr);
  return D;
}

Error DecisionCache::store(StringRef Key, const CachedDecision &D) const {
  if (!enabled())
    return Error::success();
  if (!isKey(Key))
    return problem("cannot write cache entry: malformed key '" + Key.str() +
                   "'");
  CachedDecision Signed = D;
  Signed.Mac.clear();
  if (!SecretPath.empty()) {
    std::optional<Secret> S = readSecret(SecretPath);
    if (!S) {
      createSecret(SecretPath);
      S = readSecret(SecretPath);
    }
    if (S)
      Signed.Mac = mac(Key, Signed, *S);
  }
  std::string Text = formatEntry(Signed);
  if (Text.size() > MaxEntryBytes)
    return problem("cannot write cache entry: " + std::to_string(Text.size()) +
                   " bytes, more than " + std::to_string(MaxEntryBytes));
  int Opened = openCacheDirectory(Dir, /*Create=*/true);
  if (Opened < 0)
    return problem("cannot create cache directory " + Dir + ": " +
                   whyNot(Opened));
  FileDescriptor DirFd(Opened);
  std::string Shard = Key.take_front(2).str();
  std::string ShardPath = Dir + "/" + Shard;
  if (::mkdirat(DirFd.get(), Shard.c_str(), 0700) != 0 && errno != EEXIST)
    return problem("cannot create cache directory " + ShardPath + ": " +
                   std::strerror(errno));
  Opened = openSubdirectory(DirFd.get(), Shard.c_str());
  if (Opened == -1 && (errno == ELOOP || errno == ENOTDIR)) {
    // A symlink or a file planted where a shard goes: replace it, never
    // follow it (unlinkat without AT_REMOVEDIR removes no directory).
    if (::unlinkat(DirFd.get(), Shard.c_str(), 0) == 0 || errno == ENOENT) {
      if (::mkdirat(DirFd.get(), Shard.c_str(), 0700) != 0 && errno != EEXIST)
        return problem("cannot create cache directory " + ShardPath + ": " +
                       std::strerror(errno));
      Opened = openSubdirectory(DirFd.get(), Shard.c_str());
    }
  }
  if (Opened < 0)
    return problem("cannot create cache directory " + ShardPath + ": " +
                   whyNot(Opened));
  FileDescriptor ShardFd(Opened);

  // A unique name: a pid can be reused after a killed compiler left its file.
  static std::minstd_rand Rng(static_cast<unsigned>(::getpid()) ^
                              static_cast<unsigned>(::time(nullptr)));
  std::string Final = Key.str() + ".json";
  std::string Temp = Final + ".tmp." + std::to_string(::getpid()) + "." +
                     std::to_string(Rng());
  FileDescriptor Fd(
      ::openat(ShardFd.get(), Temp.c_str(),
               O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!Fd)
    return problem("cannot write cache entry " + ShardPath + "/" + Temp + ": " +
                   std::strerror(errno));
  bool Ok = writeAll(Fd.get(), Text.data(), Text.size());
  Ok = ::close(Fd.release()) == 0 && Ok;
  // renameat() replaces a symlink, FIFO or file at Final itself, never what
  // it names; it fails on a directory there.
  if (!Ok || ::renameat(ShardFd.get(), Temp.c_str(), ShardFd.get(),
                        Final.c_str()) != 0) {
    std::string Err = std::strerror(errno);
    ::unlinkat(ShardFd.get(), Temp.c_str(), 0);
    return problem("cannot write cache entry " + ShardPath + "/" + Final +
                   ": " + Err);
  }
  // Counting is a directory walk: do it on about one store in 64, and on
  // every store of a cache small enough for that to be cheap.
  if (MaxEntries < 64 || Rng() % 64 == 0)
    evict(DirFd.get());
  return Error::success();
}

void DecisionCache::evict(int DirFd) const {
  struct Entry {
    std::string Shard, Name;
    struct timespec MTime;
  };
  std::vector<Entry> Entries;
  time_t Now = ::time(nullptr);
  int TopFd = ::dup(DirFd);
  if (TopFd < 0)
    return;
  DIR *Top = ::fdopendir(TopFd);
  if (!Top) {
    ::close(TopFd);
    return;
  }
  // Only names this cache makes: a shard is two hex digits, an entry
  // <key>.json. Anything else was not written by llmc and is left alone.
  while (dirent *S = ::readdir(Top)) {
    if (!isShardName(S->d_name))
      continue;
    int ShardFd = openSubdirectory(DirFd, S->d_name);
    if (ShardFd < 0)
      continue; // a symlink, a file, or not ours: never followed
    DIR *D = ::fdopendir(ShardFd);
    if (!D) {
      ::close(ShardFd);
      continue;
    }
    while (dirent *E = ::readdir(D)) {
      bool IsEntry = isEntryName(E->d_name);
      if (!IsEntry && !isTempName(E->d_name))
        continue;
      struct stat St;
      if (::fstatat(ShardFd, E->d_name, &St, AT_SYMLINK_NOFOLLOW) != 0 ||
          !S_ISREG(St.st_mode))
        continue;
      if (IsEntry)
        Entries.push_back({S->d_name, E->d_name, St.st_mtim});
      else if (Now - St.st_mtim.tv_sec > StaleTempSeconds)
        ::unlinkat(ShardFd, E->d_name, 0);
    }
    ::closedir(D);
  }
  ::closedir(Top);
  if (Entries.size() <= MaxEntries)
    return;
  std::sort(Entries.begin(), Entries.end(), [](const Entry &A, const Entry &B) {
    return std::tie(A.MTime.tv_sec, A.MTime.tv_nsec, A.Shard, A.Name) <
           std::tie(B.MTime.tv_sec, B.MTime.tv_nsec, B.Shard, B.Name);
  });
  size_t Remove = Entries.size() - MaxEntries * 9 / 10;
  // Each shard is opened again, without following: one swapped for a symlink
  // since the walk is skipped, not deleted through.
  std::map<std::string, FileDescriptor> Shards;
  for (size_t I = 0; I < Remove; ++I) {
    auto [It, New] = Shards.try_emplace(Entries[I].Shard);
    if (New)
      It->second = FileDescriptor(openSubdirectory(DirFd, It->first.c_str()));
    if (It->second)
      ::unlinkat(It->second.get(), Entries[I].Name.c_str(), 0);
  }
}
