//===- DecisionCache.h - remember each module's winner ----------*- C++ -*-===//
//
// A rebuild should not pay for Python and candidate trials again. The key is
// a BLAKE3 hash of everything that decides the result: the module's bitcode,
// the model file's bytes, the options, the target machine and the LLVM and
// llmc versions. The value is the winning pipeline and its measured sizes; a
// hit runs only that pipeline.
//
// One file per entry under -llmc-cache-dir (LLMC_CACHE_DIR), else
// $XDG_CACHE_HOME/llmc/decisions, else ~/.cache/llmc/decisions. Entries are
// written to a unique temporary file and renamed into place, so concurrent
// compilers never see a half-written entry; an unreadable or corrupt entry is
// ignored and rewritten. Eviction: a hit refreshes the entry's mtime; about one
// store in 64 (every store when the limit is below 64) counts the entries and,
// above -llmc-cache-max-entries, deletes the least recently used down to 90%,
// and removes temporary files that a killed compiler left behind.
//
// Everything under the cache directory is untrusted: anyone who can write
// there can plant anything. The directory is opened once per operation with
// O_DIRECTORY|O_NOFOLLOW and everything below it is reached relative to that
// descriptor (openat, mkdirat, renameat, unlinkat, fdopendir), never through
// a symlink: a shard must be a real directory, an entry a regular file, each
// owned by us. An entry is opened O_NONBLOCK (a FIFO cannot block the
// compiler), checked with fstat, and read only when it is at most
// MaxEntryBytes long; anything else is a miss, decided again and rewritten.
// Only the directories above the cache directory are created through the
// user's own symlinks (~/.cache may point elsewhere).
//
// Authenticated entries: with a secret (-llmc-cache-secret, by default
// $XDG_CONFIG_HOME/llmc/cache-secret, made on first use: 32 random bytes, mode
// 0600, outside the cache), each entry carries a keyed BLAKE3 MAC of its key
// and fields. An entry whose MAC verifies was written by a compiler holding
// the secret (this user, or a team's CI that shares it), so its baseline size
// may be trusted: a hit then runs only the winner, and uses it when the IR it
// produces has the recorded digest (or, for an entry without one, when it
// measures exactly the size recorded). Without a valid MAC nothing in an entry
// is trusted (see the Decider).
//
//===----------------------------------------------------------------------===//

#ifndef LLMC_DECISIONCACHE_H
#define LLMC_DECISIONCACHE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>

namespace llmc {

struct CachedDecision {
  std::string Winner; ///< a pipeline, or the baseline's name
  bool IsBaseline = true;
  uint64_t WinnerSize = 0;
  uint64_t BaselineSize = 0;
  /// A digest of the module right after the winner ran (0: none recorded).
  uint64_t IRDigest = 0;
  std::string Mac; ///< hex keyed BLAKE3 of the key and the fields, or ""
  /// Set by lookup: the MAC verified with this run's secret.
  bool Authentic = false;
};

class DecisionCache {
public:
  /// Dir empty: caching off. SecretPath empty: entries are not authenticated.
  DecisionCache(std::string Dir, unsigned MaxEntries,
                std::string SecretPath = "")
      : Dir(std::move(Dir)), MaxEntries(MaxEntries),
        SecretPath(std::move(SecretPath)) {}

  /// The default directory, from the environment; "" when none can be found.
  static std::string defaultDirectory();
  /// The default secret: $XDG_CONFIG_HOME/llmc/cache-secret, else
  /// ~/.config/llmc/cache-secret; "" when neither can be found.
  static std::string defaultSecretPath();

  bool enabled() const { return !Dir.empty(); }
  std::optional<CachedDecision> lookup(llvm::StringRef Key) const;
  /// Writes the entry atomically; an error says why it could not.
  llvm::Error store(llvm::StringRef Key, const CachedDecision &D) const;

  /// Hex BLAKE3 of the parts, each length-prefixed so no two splits collide.
  static std::string key(llvm::ArrayRef<llvm::StringRef> Parts);

  /// An entry's text: a pipeline is at most 4 KiB, an entry a little more.
  /// A longer file is corrupt, never truncated and parsed.
  static constexpr size_t MaxEntryBytes = 8192;
  /// The decision in an entry's text, or std::nullopt when it is not one.
  /// Pure, for the fuzzer: the caller still checks the pipeline itself.
  static std::optional<CachedDecision> parseEntry(llvm::StringRef Text);
  /// The text store() writes for D (its MAC included when set).
  static std::string formatEntry(const CachedDecision &D);
  /// The MAC of D under Key with a 32-byte secret.
  static std::string mac(llvm::StringRef Key, const CachedDecision &D,
                         llvm::ArrayRef<uint8_t> Secret);

private:
  std::string Dir;
  unsigned MaxEntries;
  std::string SecretPath;

  void evict(int DirFd) const;
};

} // namespace llmc

#endif // LLMC_DECISIONCACHE_H
