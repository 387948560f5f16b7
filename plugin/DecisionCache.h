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
// ignored and rewritten. Nothing is followed through a symlink. Eviction: a hit
// refreshes the entry's mtime; about one store in 64 (every store when the
// limit is below 64) counts the entries and, above -llmc-cache-max-entries,
// deletes the least recently used down to 90%.
//
//===----------------------------------------------------------------------===//

#ifndef LLMC_DECISIONCACHE_H
#define LLMC_DECISIONCACHE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace llmc {

struct CachedDecision {
  std::string Winner; ///< a pipeline, or the baseline's name
  bool IsBaseline = true;
  uint64_t WinnerSize = 0;
  uint64_t BaselineSize = 0;
};

class DecisionCache {
public:
  /// Dir empty: caching off.
  DecisionCache(std::string Dir, unsigned MaxEntries)
      : Dir(std::move(Dir)), MaxEntries(MaxEntries) {}

  /// The default directory, from the environment; "" when none can be found.
  static std::string defaultDirectory();

  bool enabled() const { return !Dir.empty(); }
  std::optional<CachedDecision> lookup(llvm::StringRef Key) const;
  /// Returns an error message, or "".
  std::string store(llvm::StringRef Key, const CachedDecision &D) const;

  /// Hex BLAKE3 of the parts, each length-prefixed so no two splits collide.
  static std::string key(llvm::ArrayRef<llvm::StringRef> Parts);

private:
  std::string Dir;
  unsigned MaxEntries;

  void evict() const;
};

} // namespace llmc

#endif // LLMC_DECISIONCACHE_H
