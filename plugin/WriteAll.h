//===- WriteAll.h - write a whole buffer to a descriptor --------*- C++ -*-===//
//
// write() may write less than asked or be interrupted; trials, the ranking
// child and the cache all need every byte or a clear failure. Uses only
// async-signal-safe calls, so a forked child may call it.
//
//===----------------------------------------------------------------------===//

#ifndef LLMC_WRITEALL_H
#define LLMC_WRITEALL_H

#include <cerrno>
#include <cstddef>
#include <unistd.h>

namespace llmc {

/// Writes N bytes of Data to Fd, retrying short and interrupted writes;
/// false when the descriptor fails first.
inline bool writeAll(int Fd, const void *Data, size_t N) {
  const char *P = static_cast<const char *>(Data);
  while (N) {
    ssize_t W = ::write(Fd, P, N);
    if (W < 0 && errno == EINTR)
      continue;
    if (W <= 0)
      return false;
    P += W;
    N -= static_cast<size_t>(W);
  }
  return true;
}

} // namespace llmc

#endif // LLMC_WRITEALL_H
