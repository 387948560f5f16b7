//===- cache_golden.cpp - parseEntry against the golden table ------------===//
//
// One golden table for both checkers of a cache entry's text: llmc cache's
// check_entry (pybridge/tools/cache.py, tests/python/test_cachetool.py) and
// the plugin's DecisionCache::parseEntry, here. Each line is
// TEXT<TAB>RESULT, TEXT with \\, \t, \n, \r and \xHH escapes, RESULT "valid"
// or the Python checker's reason; the plugin must agree on valid or not.
// Built beside the fuzzers, with their sanitizers; tests/fuzz/run.sh runs it.
//
//   llmc-cache-golden tests/golden/cache-entries.tsv
//
//===----------------------------------------------------------------------===//

#include "DecisionCache.h"

#include <cstdio>
#include <fstream>
#include <optional>
#include <string>

using namespace llmc;

namespace {

int hexDigit(char C) {
  if (C >= '0' && C <= '9')
    return C - '0';
  if (C >= 'a' && C <= 'f')
    return C - 'a' + 10;
  if (C >= 'A' && C <= 'F')
    return C - 'A' + 10;
  return -1;
}

/// The bytes a TEXT column stands for; std::nullopt for a malformed escape.
std::optional<std::string> unescape(const std::string &S) {
  std::string Out;
  for (size_t I = 0; I < S.size(); ++I) {
    if (S[I] != '\\') {
      Out.push_back(S[I]);
      continue;
    }
    if (++I == S.size())
      return std::nullopt;
    switch (S[I]) {
    case '\\':
      Out.push_back('\\');
      break;
    case 't':
      Out.push_back('\t');
      break;
    case 'n':
      Out.push_back('\n');
      break;
    case 'r':
      Out.push_back('\r');
      break;
    case 'x': {
      int Hi = I + 1 < S.size() ? hexDigit(S[I + 1]) : -1;
      int Lo = I + 2 < S.size() ? hexDigit(S[I + 2]) : -1;
      if (Hi < 0 || Lo < 0)
        return std::nullopt;
      Out.push_back(static_cast<char>(Hi * 16 + Lo));
      I += 2;
      break;
    }
    default:
      return std::nullopt;
    }
  }
  return Out;
}

} // namespace

int main(int Argc, char **Argv) {
  if (Argc != 2) {
    std::fprintf(stderr, "usage: %s cache-entries.tsv\n", Argv[0]);
    return 2;
  }
  std::ifstream In(Argv[1], std::ios::binary);
  if (!In) {
    std::fprintf(stderr, "llmc-cache-golden: cannot read %s\n", Argv[1]);
    return 2;
  }
  unsigned LineNo = 0, Cases = 0, Wrong = 0;
  for (std::string Line; std::getline(In, Line);) {
    ++LineNo;
    if (Line.empty() || Line[0] == '#')
      continue;
    size_t Tab = Line.find('\t');
    std::optional<std::string> Text =
        Tab == std::string::npos ? std::nullopt : unescape(Line.substr(0, Tab));
    std::string Result = Tab == std::string::npos ? "" : Line.substr(Tab + 1);
    if (!Text || Result.empty() || Result.find('\t') != std::string::npos) {
      std::fprintf(stderr, "%s:%u: malformed line\n", Argv[1], LineNo);
      return 2;
    }
    ++Cases;
    bool Valid = DecisionCache::parseEntry(*Text).has_value();
    if (Valid != (Result == "valid")) {
      ++Wrong;
      std::fprintf(stderr, "%s:%u: parseEntry says %s, the table says %s\n",
                   Argv[1], LineNo, Valid ? "valid" : "invalid",
                   Result.c_str());
    }
  }
  if (Cases == 0) {
    std::fprintf(stderr, "llmc-cache-golden: no cases in %s\n", Argv[1]);
    return 2;
  }
  std::printf("cache golden: parseEntry agrees on %u of %u entries\n",
              Cases - Wrong, Cases);
  return Wrong == 0 ? 0 : 1;
}
