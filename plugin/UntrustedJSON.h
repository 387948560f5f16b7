//===- UntrustedJSON.h - parse JSON that anyone could have written -*- C++
//-*-===//
//
// Cache entries, the ranking server's reply and anything else read from a
// file or a socket is untrusted input. llvm::json::parse recurses once per
// nesting level, so 65,536 '[' overflow the stack and kill the compiler; it
// also accepts any size. parseUntrustedJSON bounds both before parsing.
//
//===----------------------------------------------------------------------===//

#ifndef LLMC_UNTRUSTEDJSON_H
#define LLMC_UNTRUSTEDJSON_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <cstddef>

namespace llmc {

/// The nesting llmc's own formats need is 3; 32 leaves room without risk.
constexpr unsigned MaxJSONDepth = 32;

/// Parses Text as JSON when it is at most MaxBytes long and nests arrays and
/// objects at most MaxDepth deep; otherwise, or when it does not parse, an
/// error saying which.
llvm::Expected<llvm::json::Value>
parseUntrustedJSON(llvm::StringRef Text, size_t MaxBytes,
                   unsigned MaxDepth = MaxJSONDepth);

} // namespace llmc

#endif // LLMC_UNTRUSTEDJSON_H
