//===- fuzz_cache_entry.cpp - libFuzzer: a decision cache entry -----------===//
//
// Cache entries are files anyone with access to the cache can write. Any
// text must be parsed without a crash, a hang or unbounded memory; lookup()
// of a file holding it must agree with parseEntry(); and a decision that
// parses must read back unchanged after store() rewrites it.
//
//===----------------------------------------------------------------------===//

#include "DecisionCache.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

using namespace llmc;

namespace {

std::string CacheDir, ShardDir, EntryPath;
const std::string Key = "0123456789abcdef0123456789abcdef";

void removeCache() {
  ::unlink(EntryPath.c_str());
  ::rmdir(ShardDir.c_str());
  ::rmdir(CacheDir.c_str());
}

bool same(const std::optional<CachedDecision> &A,
          const std::optional<CachedDecision> &B) {
  if (!A || !B)
    return !A && !B;
  return A->Winner == B->Winner && A->IsBaseline == B->IsBaseline &&
         A->WinnerSize == B->WinnerSize && A->BaselineSize == B->BaselineSize;
}

void writeEntry(llvm::StringRef Text) {
  int Fd = ::open(EntryPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (Fd < 0 || ::write(Fd, Text.data(), Text.size()) !=
                    static_cast<ssize_t>(Text.size()))
    std::abort();
  ::close(Fd);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  // run.sh points LLMC_FUZZ_TMPDIR at a tmpfs: creating and renaming files on
  // a journaling disk would be most of the time spent.
  const char *Tmp = std::getenv("LLMC_FUZZ_TMPDIR");
  if (!Tmp || !*Tmp)
    Tmp = std::getenv("TMPDIR");
  std::string Template =
      std::string(Tmp && *Tmp ? Tmp : "/tmp") + "/llmc-fuzz-cache.XXXXXX";
  if (!::mkdtemp(Template.data()))
    std::abort();
  CacheDir = Template;
  ShardDir = CacheDir + "/" + Key.substr(0, 2);
  EntryPath = ShardDir + "/" + Key + ".json";
  if (::mkdir(ShardDir.c_str(), 0700) != 0)
    std::abort();
  std::atexit(removeCache);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  std::optional<CachedDecision> D = DecisionCache::parseEntry(Text);
  if (D && (Text.size() > DecisionCache::MaxEntryBytes || D->Winner.empty()))
    std::abort();

  // The file the compiler would read: lookup() says what parseEntry() says.
  // A limit of one entry makes every store() walk the cache to evict.
  DecisionCache Cache(CacheDir, 1);
  writeEntry(Text);
  if (!same(Cache.lookup(Key), D))
    std::abort();
  if (!D)
    return 0;

  // What store() writes for it (when not too long to store) reads back.
  std::string Again = DecisionCache::formatEntry(*D);
  if (Again.size() > DecisionCache::MaxEntryBytes)
    return 0;
  if (!same(DecisionCache::parseEntry(Again), D))
    std::abort();
  if (llvm::Error Err = Cache.store(Key, *D)) {
    llvm::consumeError(std::move(Err));
    std::abort();
  }
  if (!same(Cache.lookup(Key), D))
    std::abort();
  return 0;
}
