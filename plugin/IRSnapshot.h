//===- IRSnapshot.h - the IR a trial measured, handed to the parent -*- C++
//-*-===//
//
// Trials run in forked children (CandidateRunner.h). What the parent applies
// is not the winner's pipeline run once more, but the very IR its child
// measured: the child writes its module as bitcode (use-list order kept) into
// an anonymous memory file the parent made before the fork, and reports the
// digest of those bytes; the parent reads them back, checks the digest, parses
// and verifies them in its own context, and puts their contents in place of
// the module's. So no winner pipeline runs twice, and a pass whose result
// depends on heap addresses cannot make the parent apply anything but what
// was measured.
//
//===----------------------------------------------------------------------===//

#ifndef LLMC_IRSNAPSHOT_H
#define LLMC_IRSNAPSHOT_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>

namespace llvm {
class Module;
} // namespace llvm

namespace llmc {

/// The module's bitcode without its name: build systems compile one program
/// under per-process names (configure's conftest$$.c), and neither the
/// features, the decision nor the snapshot depend on it. With KeepUseLists,
/// the order of each value's uses too (code generation can depend on it).
std::string anonymousBitcode(llvm::Module &M, bool KeepUseLists = false);

/// 64 bits of BLAKE3 of a snapshot's bytes: equal digests, equal IR.
uint64_t snapshotDigest(llvm::StringRef Bitcode);

/// An anonymous memory file (memfd) one child writes a module into and the
/// parent reads it back from. Movable, not copyable; closes on destruction.
class IRSnapshot {
public:
  IRSnapshot() = default;
  IRSnapshot(IRSnapshot &&Other) noexcept : Fd(Other.Fd) { Other.Fd = -1; }
  IRSnapshot &operator=(IRSnapshot &&Other) noexcept;
  IRSnapshot(const IRSnapshot &) = delete;
  IRSnapshot &operator=(const IRSnapshot &) = delete;
  ~IRSnapshot();

  /// Whether there is a file behind it (create() made it).
  explicit operator bool() const { return Fd >= 0; }

  /// An empty snapshot, or why none can be made.
  static llvm::Expected<IRSnapshot> create();

  /// In the child: writes M into the file and returns the digest of what it
  /// wrote, or why it could not.
  llvm::Expected<uint64_t> write(llvm::Module &M) const;

  /// In the parent: replaces M's globals, named metadata and module-level
  /// assembly with the snapshot's, when its bytes have Digest, parse and
  /// verify; M keeps its name and source file name. On error M is untouched.
  llvm::Error adoptInto(llvm::Module &M, uint64_t Digest) const;

private:
  int Fd = -1;
};

} // namespace llmc

#endif // LLMC_IRSNAPSHOT_H
