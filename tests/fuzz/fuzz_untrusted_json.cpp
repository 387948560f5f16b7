//===- fuzz_untrusted_json.cpp - libFuzzer: parseUntrustedJSON ------------===//
//
// parseUntrustedJSON must never pass llvm::json::parse more than its bounds
// allow: whatever it accepts is at most MaxBytes long and nests at most
// MaxDepth deep, and a tighter depth accepts nothing a looser one rejects.
//
//===----------------------------------------------------------------------===//

#include "UntrustedJSON.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>

using namespace llvm;

namespace {

/// The nesting depth of V; recursion is bounded by what the parser accepted.
unsigned depth(const json::Value &V) {
  unsigned Deepest = 0;
  if (const json::Array *A = V.getAsArray()) {
    for (const json::Value &E : *A)
      Deepest = std::max(Deepest, depth(E));
    return Deepest + 1;
  }
  if (const json::Object *O = V.getAsObject()) {
    for (const auto &KV : *O)
      Deepest = std::max(Deepest, depth(KV.second));
    return Deepest + 1;
  }
  return 0;
}

/// Parses Text under the bounds; aborts when the result breaks them.
bool check(StringRef Text, size_t MaxBytes, unsigned MaxDepth) {
  Expected<json::Value> V = llmc::parseUntrustedJSON(Text, MaxBytes, MaxDepth);
  if (!V) {
    consumeError(V.takeError());
    return false;
  }
  if (Text.size() > MaxBytes || depth(*V) > MaxDepth)
    std::abort();
  return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  StringRef Text(reinterpret_cast<const char *>(Data), Size);
  constexpr size_t Unlimited = std::numeric_limits<size_t>::max();
  bool Tight = check(Text, Unlimited, 2);
  bool Default = check(Text, Unlimited, llmc::MaxJSONDepth);
  check(Text, Unlimited, 0);
  check(Text, 64, llmc::MaxJSONDepth);
  if (Tight && !Default)
    std::abort();
  return 0;
}
