//===- XdgHome.h - the user's XDG base directories --------------*- C++ -*-===//
//
// Where llmc keeps its per-user files, as pybridge.toolchain.xdg_home finds
// them: $XDG_<KIND>_HOME when it is an absolute path, else ~/.<subdir>; ""
// when neither is known. Relative values are ignored, as the XDG Base
// Directory specification asks (they would name a place in the build tree).
//
//===----------------------------------------------------------------------===//

#ifndef LLMC_XDGHOME_H
#define LLMC_XDGHOME_H

#include <cstdlib>
#include <string>

namespace llmc {

/// xdgHome("XDG_CACHE_HOME", ".cache"): the cache base directory.
inline std::string xdgHome(const char *Variable, const char *HomeSubdir) {
  if (const char *X = std::getenv(Variable); X && *X == '/')
    return X;
  if (const char *H = std::getenv("HOME"); H && *H == '/')
    return std::string(H) + "/" + HomeSubdir;
  return "";
}

} // namespace llmc

#endif // LLMC_XDGHOME_H
