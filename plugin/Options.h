//===- Options.h - llmc's options ------------------------------*- C++ -*-===//
//
// The effective value of each option in Options.def: command line first, then
// the LLMC_* environment variable, then the default.
//
//===----------------------------------------------------------------------===//

#ifndef LLMC_OPTIONS_H
#define LLMC_OPTIONS_H

#include <string>

namespace llmc {

struct Options {
#define LLMC_OPTION_string std::string
#define LLMC_OPTION_unsigned unsigned
#define LLMC_OPTION_bool bool
#define LLMC_OPTION(KIND, ID, NAME, ENV, DEFAULT, DESC) LLMC_OPTION_##KIND ID;
#include "Options.def"
#undef LLMC_OPTION_string
#undef LLMC_OPTION_unsigned
#undef LLMC_OPTION_bool

  /// Reads the options; Error is set (and the rest defaulted) when an
  /// environment variable does not parse.
  static Options get(std::string &Error);
};

} // namespace llmc

#endif // LLMC_OPTIONS_H
