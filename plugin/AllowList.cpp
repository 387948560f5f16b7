//===- AllowList.cpp - which passes a model may ask for -------------------===//
//
// A small recursive-descent reader of the -passes= grammar:
//   list    := element (',' element)*
//   element := name ('<' params '>')? ('(' list ')')?
// It only decides whether a pipeline may run; LLVM's own parser still builds
// it, so anything this reader accepts and LLVM does not is rejected there.
//
//===----------------------------------------------------------------------===//

#include "AllowList.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"

using namespace llvm;

namespace {

struct Entry {
  StringRef Level;
  StringRef RequiredParam;
};

const StringMap<Entry> &allowed() {
  static const StringMap<Entry> Map = [] {
    StringMap<Entry> M;
#define LLMC_ALLOWED(LEVEL, NAME, PARAM) M[NAME] = Entry{LEVEL, PARAM};
#include "AllowedPasses.inc"
    return M;
  }();
  return Map;
}

constexpr size_t MaxPipelineLength = 4096;
constexpr unsigned MaxDepth = 8;

class Reader {
public:
  explicit Reader(StringRef Text) : Text(Text) {}

  std::optional<std::string> run() {
    if (Text.empty())
      return std::string("empty pipeline");
    if (Text.size() > MaxPipelineLength)
      return std::string("pipeline longer than 4096 characters");
    if (auto Err = list(0))
      return Err;
    if (Pos != Text.size())
      return "unexpected '" + Text.substr(Pos, 1).str() + "' at " +
             std::to_string(Pos);
    return std::nullopt;
  }

private:
  StringRef Text;
  size_t Pos = 0;

  static bool isNameChar(char C) {
    return isAlnum(C) || C == '-' || C == '_' || C == '.';
  }

  std::optional<std::string> list(unsigned Depth) {
    if (Depth > MaxDepth)
      return std::string("pipeline nested too deeply");
    while (true) {
      if (auto Err = element(Depth))
        return Err;
      if (Pos < Text.size() && Text[Pos] == ',') {
        ++Pos;
        continue;
      }
      return std::nullopt;
    }
  }

  std::optional<std::string> element(unsigned Depth) {
    size_t Start = Pos;
    while (Pos < Text.size() && isNameChar(Text[Pos]))
      ++Pos;
    StringRef Name = Text.slice(Start, Pos);
    if (Name.empty())
      return "empty pipeline element at " + std::to_string(Start);
    StringRef Params;
    if (Pos < Text.size() && Text[Pos] == '<') {
      size_t Close = Text.find('>', Pos);
      if (Close == StringRef::npos)
        return "unbalanced '<' after '" + Name.str() + "'";
      Params = Text.slice(Pos + 1, Close);
      if (Params.contains('<') || Params.contains('(') || Params.contains(')'))
        return "malformed parameters of '" + Name.str() + "'";
      Pos = Close + 1;
    }
    bool HasInner = Pos < Text.size() && Text[Pos] == '(';
    auto It = allowed().find(Name);
    if (It == allowed().end())
      return "pass '" + Name.str() + "' is not allow-listed";
    const Entry &E = It->second;
    bool IsAdaptor = E.Level == "adaptor";
    if (IsAdaptor != HasInner)
      return IsAdaptor ? "adaptor '" + Name.str() + "' needs a nested pipeline"
                       : "pass '" + Name.str() + "' cannot nest a pipeline";
    if (!E.RequiredParam.empty()) {
      SmallVector<StringRef, 4> Parts;
      Params.split(Parts, ';');
      if (!is_contained(Parts, E.RequiredParam))
        return "pass '" + Name.str() + "' is only allowed as '" + Name.str() +
               "<" + E.RequiredParam.str() + ">'";
    }
    if (!HasInner)
      return std::nullopt;
    ++Pos;
    if (auto Err = list(Depth + 1))
      return Err;
    if (Pos >= Text.size() || Text[Pos] != ')')
      return "unbalanced '(' after '" + Name.str() + "'";
    ++Pos;
    return std::nullopt;
  }
};

} // namespace

std::optional<std::string> llmc::checkPipeline(StringRef Pipeline) {
  return Reader(Pipeline).run();
}
