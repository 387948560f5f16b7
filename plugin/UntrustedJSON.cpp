//===- UntrustedJSON.cpp - parse JSON that anyone could have written ------===//

#include "UntrustedJSON.h"

using namespace llvm;

namespace {

/// The deepest nesting of arrays and objects in Text, counting only brackets
/// outside strings; stops counting once Limit is passed.
unsigned nestingDepth(StringRef Text, unsigned Limit) {
  unsigned Depth = 0, Deepest = 0;
  bool InString = false;
  for (size_t I = 0; I < Text.size(); ++I) {
    char C = Text[I];
    if (InString) {
      if (C == '\\')
        ++I; // the escaped character cannot end the string
      else if (C == '"')
        InString = false;
      continue;
    }
    if (C == '"') {
      InString = true;
    } else if (C == '[' || C == '{') {
      Deepest = std::max(Deepest, ++Depth);
      if (Deepest > Limit)
        return Deepest;
    } else if ((C == ']' || C == '}') && Depth > 0) {
      --Depth;
    }
  }
  return Deepest;
}

} // namespace

Expected<json::Value> llmc::parseUntrustedJSON(StringRef Text, size_t MaxBytes,
                                               unsigned MaxDepth) {
  if (Text.size() > MaxBytes)
    return createStringError(inconvertibleErrorCode(),
                             "JSON of " + Twine(Text.size()) +
                                 " bytes, more than " + Twine(MaxBytes));
  if (nestingDepth(Text, MaxDepth) > MaxDepth)
    return createStringError(inconvertibleErrorCode(),
                             "JSON nested deeper than " + Twine(MaxDepth) +
                                 " levels");
  return json::parse(Text);
}
