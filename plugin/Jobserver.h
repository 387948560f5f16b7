//===- Jobserver.h - borrow GNU make's job slots for trials -----*- C++ -*-===//
//
// A compile under `make -jN` holds one job slot; the trials of its module may
// run at once only in slots the build leaves idle. GNU make hands them out as
// one-byte tokens on its jobserver (MAKEFLAGS --jobserver-auth=R,W for a pipe,
// =fifo:PATH for make >= 4.4's named fifo): a token read is a slot borrowed,
// and the very byte goes back when the trials end. Nothing here blocks: a
// token that is not there now is a slot some other job is using.
//
// The descriptors in MAKEFLAGS are trusted only when they are both ends of
// one pipe (make 4.3 hands them to recipes it sees as recursive only, and
// other recipes may have unrelated files at those numbers); a fifo only when
// it is a fifo of ours, opened without following symlinks.
//
// With no jobserver at all (make -j1, a script, a driver of its own) the
// build says nothing of its parallelism, so the machine is asked instead:
// idleCpus() is the CPUs this process may use that nothing is running on
// right now, as many as half the available memory holds copies of this
// process. A make that names a jobserver it does not lend (make 4.3's
// plain recipes under -jN) runs jobs in parallel and gets one trial at once.
//
//===----------------------------------------------------------------------===//

#ifndef LLMC_JOBSERVER_H
#define LLMC_JOBSERVER_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace llmc {

/// Job slots borrowed from make's jobserver, returned when this goes away.
class JobSlots {
public:
  /// Borrows up to Want slots beyond this compile's own, without waiting;
  /// none when there is no usable jobserver in MakeFlags.
  static JobSlots borrow(llvm::StringRef MakeFlags, unsigned Want);
  JobSlots() = default;
  JobSlots(JobSlots &&Other) noexcept;
  JobSlots &operator=(JobSlots &&Other) noexcept;
  JobSlots(const JobSlots &) = delete;
  JobSlots &operator=(const JobSlots &) = delete;
  ~JobSlots();

  /// Slots borrowed (each one more trial that may run at once).
  unsigned count() const { return Tokens.size(); }
  /// "pipe" or "fifo" when a jobserver was found, else "".
  llvm::StringRef kind() const { return Kind; }
  /// Whether MakeFlags names a jobserver, usable by this process or not.
  static bool named(llvm::StringRef MakeFlags);

private:
  void giveBack();
  int ReadFd = -1, WriteFd = -1;
  bool OwnsFds = false; ///< a fifo this opened (pipe ends belong to make)
  std::string Tokens;   ///< the bytes read, written back as they came
  std::string Kind;
};

/// CPUs this process may run on (its affinity mask and its cgroup's CPU
/// quota) less the tasks runnable on the machine right now, this one
/// included (/proc/loadavg); 0 when either cannot be read.
unsigned idleCpus();

/// How many more children as large as this process now is (its resident
/// set) fit in half the memory the kernel reports available (MemAvailable);
/// 0 when either cannot be read. A trial child may touch as much as the
/// compiler it was forked from.
unsigned childrenMemoryAllows();

} // namespace llmc

#endif // LLMC_JOBSERVER_H
