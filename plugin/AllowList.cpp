//===- AllowList.cpp - which pipelines a model may ask for ----------------===//
//
// The C++ side of the allow-list rules of pybridge/allowlist.py, on the same
// data (AllowedPasses.inc, generated from allowed_passes.txt). The pipeline is
// read into a tree with the -passes= grammar
//   list    := element (',' element)*
//   element := name ('<' params '>')? ('(' list ')')?
// and each element checked in its context, as in Python. LLVM's own parser
// still builds what passes, so anything accepted here that LLVM does not know
// is rejected there.
//
//===----------------------------------------------------------------------===//

#include "AllowList.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSwitch.h"

#include <vector>

using namespace llvm;

namespace {

/// Pass-manager levels, outermost first, as LEVELS in allowlist.py.
enum Level : unsigned { Module, CGSCC, Function, Loop, NumLevels };

struct Pass {
  StringRef DeniedBecause; ///< not empty: denied_passes.txt's reason
  unsigned Levels = 0;     ///< bit per Level the pass belongs to
  bool Adaptor = false;
  StringRef RequiredParam;
  bool NeedsMSSA = false, KeepsMSSA = false;

  std::optional<Level> outermost() const {
    for (unsigned L = 0; L < NumLevels; ++L)
      if (Levels & (1u << L))
        return Level(L);
    return std::nullopt;
  }
};

std::optional<Level> levelNamed(StringRef Name) {
  return StringSwitch<std::optional<Level>>(Name)
      .Case("module", Module)
      .Case("cgscc", CGSCC)
      .Case("function", Function)
      .Case("loop", Loop)
      .Default(std::nullopt);
}

const char *levelName(Level L) {
  static const char *Names[] = {"module", "cgscc", "function", "loop"};
  return Names[L];
}

/// Every pass of the data files, allowed or denied.
const StringMap<Pass> &allowed() {
  static const StringMap<Pass> Map = [] {
    StringMap<Pass> M;
    auto Add = [&M](StringRef LevelText, StringRef Name, StringRef Param,
                    StringRef MSSA) {
      Pass &P = M[Name];
      if (LevelText == "adaptor")
        P.Adaptor = true;
      else if (std::optional<Level> L = levelNamed(LevelText))
        P.Levels |= 1u << *L;
      if (!Param.empty())
        P.RequiredParam = Param;
      P.NeedsMSSA |= MSSA == "needs";
      P.KeepsMSSA |= MSSA == "needs" || MSSA == "keeps";
    };
#define LLMC_ALLOWED(LEVEL, NAME, PARAM, MSSA) Add(LEVEL, NAME, PARAM, MSSA);
#define LLMC_DENIED(NAME, REASON) M[NAME] = Pass{REASON};
#include "AllowedPasses.inc"
#undef LLMC_ALLOWED
#undef LLMC_DENIED
    return M;
  }();
  return Map;
}

constexpr size_t MaxPipelineLength = 4096;
constexpr unsigned MaxDepth = 8; // nesting levels; real pipelines need 3

struct Element {
  StringRef Name;
  std::optional<StringRef> Params;              ///< none: no <...>
  std::optional<std::vector<Element>> Children; ///< none: no (...)
};

/// Reads the -passes= grammar into Elements, or says why it cannot.
class Parser {
public:
  explicit Parser(StringRef Text) : Text(Text) {}

  std::optional<std::string> parse(std::vector<Element> &Out) {
    if (auto Err = list(0, Out))
      return Err;
    if (Pos != Text.size())
      return "syntax: unbalanced ')' at column " + std::to_string(Pos + 1);
    return std::nullopt;
  }

private:
  StringRef Text;
  size_t Pos = 0;

  static bool isNameChar(char C) {
    return isAlnum(C) || C == '-' || C == '_' || C == '.';
  }
  std::string column() const { return " at column " + std::to_string(Pos + 1); }

  std::optional<std::string> list(unsigned Depth, std::vector<Element> &Out) {
    if (Depth > MaxDepth)
      return "syntax: nested deeper than " + std::to_string(MaxDepth) +
             " levels";
    while (true) {
      Out.emplace_back();
      if (auto Err = element(Depth, Out.back()))
        return Err;
      if (Pos < Text.size() && Text[Pos] == ',') {
        ++Pos;
        continue;
      }
      return std::nullopt;
    }
  }

  std::optional<std::string> element(unsigned Depth, Element &E) {
    size_t Start = Pos;
    if (Pos < Text.size() && isAlnum(Text[Pos]))
      while (Pos < Text.size() && isNameChar(Text[Pos]))
        ++Pos;
    E.Name = Text.slice(Start, Pos);
    if (E.Name.empty()) {
      if (Pos >= Text.size() || Text[Pos] == ',' || Text[Pos] == ')')
        return "syntax: empty element" + column();
      return "syntax: unexpected '" + Text.substr(Pos, 1).str() + "'" +
             column();
    }
    if (Pos < Text.size() && Text[Pos] == '<') {
      // LLVM 19 splits on ",()" before it looks at "<>": params hold none.
      size_t Close = Text.find_first_of("<>(),", Pos + 1);
      if (Close == StringRef::npos || Text[Close] != '>')
        return "syntax: unbalanced '<' after " + E.Name.str();
      E.Params = Text.slice(Pos + 1, Close);
      Pos = Close + 1;
    }
    if (Pos < Text.size() && Text[Pos] == '(') {
      ++Pos;
      E.Children.emplace();
      if (auto Err = list(Depth + 1, *E.Children))
        return Err;
      if (Pos >= Text.size() || Text[Pos] != ')')
        return "syntax: unbalanced '(' after " + E.Name.str();
      ++Pos;
    }
    if (Pos < Text.size() && Text[Pos] != ',' && Text[Pos] != ')')
      return "syntax: unexpected '" + Text.substr(Pos, 1).str() + "'" +
             column();
    return std::nullopt;
  }
};

/// LLVM's rule: the first element decides what the whole pipeline is.
Level topContext(const Element &First) {
  if (First.Name == "module" || First.Name == "cgscc" ||
      First.Name == "function")
    return Module;
  if (First.Name == "loop" || First.Name == "loop-mssa")
    return Function;
  auto It = allowed().find(First.Name);
  if (It == allowed().end())
    return Module;
  return It->second.outermost().value_or(Module);
}

std::optional<std::string> checkElement(const Element &E, Level Context,
                                        StringRef Parent) {
  StringRef Name = E.Name;
  auto It = allowed().find(Name);
  if (It == allowed().end())
    return "unknown pass " + Name.str();
  const Pass &P = It->second;
  if (!P.DeniedBecause.empty())
    return Name.str() + " is denied: " + P.DeniedBecause.str();

  if (P.Adaptor) {
    if (!E.Children)
      return "adaptor " + Name.str() + " needs nested passes: " + Name.str() +
             "(...)";
    bool IsLoop = Name == "loop" || Name == "loop-mssa";
    Level Inner = IsLoop ? Loop : *levelNamed(Name);
    bool Fits = IsLoop ? Context == Function : Inner >= Context;
    if (!Fits)
      return "adaptor " + Name.str() + " cannot nest inside a " +
             levelName(Context) + " pipeline";
    for (const Element &Child : *E.Children)
      if (auto Why = checkElement(Child, Inner, Name))
        return Why;
    return std::nullopt;
  }

  if (E.Children)
    return Name.str() + " is not an adaptor and cannot nest passes";
  // A pass runs at its level or, adapted by LLVM, inside any outer one.
  if ((P.Levels >> Context) == 0)
    return Name.str() + " cannot run inside a " + levelName(Context) +
           " pipeline";
  if (P.NeedsMSSA && Parent != "loop-mssa")
    return Name.str() + " must sit directly inside loop-mssa(...)";
  if (Parent == "loop-mssa" && !P.KeepsMSSA)
    return Name.str() +
           " does not keep MemorySSA valid: use loop(...), not loop-mssa(...)";
  if (!P.RequiredParam.empty()) {
    SmallVector<StringRef, 4> Params;
    E.Params.value_or("").split(Params, ';');
    StringRef Needed = P.RequiredParam;
    auto Last = std::find(Params.rbegin(), Params.rend(), Needed);
    if (Last == Params.rend())
      return Name.str() + " needs the parameter " + Needed.str() + ": " +
             Name.str() + "<" + Needed.str() + ">";
    std::string Opposite = Needed.starts_with("no-")
                               ? Needed.drop_front(3).str()
                               : "no-" + Needed.str();
    // LLVM applies parameters in order: the last one wins.
    if (std::find(Params.rbegin(), Last, Opposite) != Last)
      return Name.str() + ": " + Opposite + " overrides the required " +
             Needed.str();
  }
  return std::nullopt;
}

} // namespace

std::optional<std::string> llmc::checkPipeline(StringRef Pipeline) {
  if (Pipeline.size() > MaxPipelineLength)
    return "pipeline too long: " + std::to_string(Pipeline.size()) + " > " +
           std::to_string(MaxPipelineLength) + " characters";
  if (Pipeline.empty())
    return std::string("empty pipeline");
  if (any_of(Pipeline, isSpace))
    return std::string("whitespace in pipeline");
  std::vector<Element> Elements;
  if (auto Err = Parser(Pipeline).parse(Elements))
    return Err;
  Level Context = topContext(Elements.front());
  for (const Element &E : Elements)
    if (auto Why = checkElement(E, Context, ""))
      return Why;
  return std::nullopt;
}
