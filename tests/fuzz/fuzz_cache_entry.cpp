//===- fuzz_cache_entry.cpp - libFuzzer: a decision cache entry -----------===//
//
// Cache entries are files anyone with access to the cache can write. Any
// text must be parsed without a crash, a hang or unbounded memory, and an
// entry that parses must read back unchanged after store() rewrites it.
//
//===----------------------------------------------------------------------===//

#include "DecisionCache.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace llmc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  std::optional<CachedDecision> D = DecisionCache::parseEntry(Text);
  if (!D)
    return 0;
  if (Text.size() > DecisionCache::MaxEntryBytes || D->Winner.empty())
    std::abort();
  // What store() would write for it (when not too long to store).
  std::string Again = DecisionCache::formatEntry(*D);
  if (Again.size() > DecisionCache::MaxEntryBytes)
    return 0;
  std::optional<CachedDecision> E = DecisionCache::parseEntry(Again);
  if (!E || E->Winner != D->Winner || E->IsBaseline != D->IsBaseline ||
      E->WinnerSize != D->WinnerSize || E->BaselineSize != D->BaselineSize)
    std::abort();
  return 0;
}
