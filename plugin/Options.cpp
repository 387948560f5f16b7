//===- Options.cpp - llmc's options ---------------------------------------===//

#include "Options.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"

#include <cstdlib>

using namespace llvm;

namespace {
#define LLMC_OPTION_string std::string
#define LLMC_OPTION_unsigned unsigned
#define LLMC_OPTION_bool bool
#define LLMC_OPTION(KIND, ID, NAME, ENV, DEFAULT, DESC)                        \
  cl::opt<LLMC_OPTION_##KIND> Opt##ID(NAME, cl::desc(DESC), cl::init(DEFAULT), \
                                      cl::Hidden);
#include "Options.def"
#undef LLMC_OPTION_string
#undef LLMC_OPTION_unsigned
#undef LLMC_OPTION_bool

bool parseEnv(StringRef Text, std::string &Out) {
  Out = Text.str();
  return true;
}
bool parseEnv(StringRef Text, unsigned &Out) {
  return !Text.trim().getAsInteger(10, Out);
}
bool parseEnv(StringRef Text, bool &Out) {
  std::string L = Text.trim().lower();
  if (L == "1" || L == "true" || L == "on" || L == "yes")
    return Out = true, true;
  if (L == "0" || L == "false" || L == "off" || L == "no" || L.empty())
    return Out = false, true;
  return false;
}
} // namespace

llmc::Options llmc::Options::get(std::string &Error) {
  Options O;
#define LLMC_OPTION(KIND, ID, NAME, ENV, DEFAULT, DESC)                        \
  O.ID = Opt##ID;                                                              \
  if (!Opt##ID.getNumOccurrences())                                            \
    if (const char *V = std::getenv(ENV))                                      \
      if (!parseEnv(V, O.ID))                                                  \
        Error = std::string(ENV "='") + V + "' is not a valid value";
#include "Options.def"
  return O;
}
