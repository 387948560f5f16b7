//===- ObjectSize.h - the size metrics llmc minimizes -----------*- C++ -*-===//
//
// One function computes each metric:
//  - objectSize: llvm-size's Berkeley text + data of the object file that the
//    target machine emits for the module, i.e. every allocated section that
//    takes file space (text, rodata, eh_frame, data; not bss);
//  - irInstructionCount: instructions in defined functions, a cheap proxy.
// With a section per function and per object (-ffunction-sections
// -fdata-sections, and always under LTO), objectMeasure also says what each
// global symbol keeps in a --gc-sections link: the bytes of the sections
// reachable from its own through relocations. A linker that keeps only some
// of the module's globals keeps the union of their closures, so a candidate
// that shrinks the object can still grow a linked image (mergefunc turns a
// copy into a thunk that reaches the original); comparing the closures
// catches that.
//
// A position-independent link (a PIE or a shared object) also gives every
// absolute pointer stored in the object's allocated sections a dynamic
// relocation in the image: 24 bytes (Elf64_Rela) each in .rela.dyn, which
// llvm-size counts as text. With ImageRelocs (64-bit ELF on x86-64 and
// AArch64) the size counts them too: at link time, where the module measured
// is the program, that is the image's size up to what the linker adds alone.
//
//===----------------------------------------------------------------------===//

#ifndef LLMC_OBJECTSIZE_H
#define LLMC_OBJECTSIZE_H

#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBufferRef.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace llvm {
class Module;
class TargetMachine;
} // namespace llvm

namespace llmc {

enum class Metric { Object, IR };

/// What one global symbol keeps linked: a hash of its name and the text +
/// data of the sections reachable from its section.
struct RootClosure {
  uint64_t NameHash = 0;
  uint64_t Bytes = 0;
};

struct ObjectMeasure {
  uint64_t Size = 0;            ///< text + data, as llvm-size
  uint64_t ImageRelocBytes = 0; ///< of Size: the image's dynamic relocations
  std::vector<RootClosure> Closures; ///< by NameHash; empty unless asked
};

/// Berkeley text + data of an object file, exactly as llvm-size counts it,
/// and with Closures, the closure of every global symbol defined in it.
llvm::Expected<ObjectMeasure> measureObjectFile(llvm::MemoryBufferRef Object,
                                                bool Closures,
                                                bool ImageRelocs = false);

/// Berkeley text + data of an object file, exactly as llvm-size counts it.
llvm::Expected<uint64_t> objectFileSize(llvm::MemoryBufferRef Object);

/// Emits M as an object file in memory with TM and measures it.
llvm::Expected<ObjectMeasure> measureObject(llvm::Module &M,
                                            llvm::TargetMachine &TM,
                                            bool Closures,
                                            bool ImageRelocs = false);

/// Emits M as an object file in memory with TM and returns its text + data.
/// Code generation changes M, so only call it on a module you throw away.
llvm::Expected<uint64_t> objectSize(llvm::Module &M, llvm::TargetMachine &TM);

/// Instructions in the module's defined functions.
uint64_t irInstructionCount(const llvm::Module &M);

/// A target machine for M's own triple, CPU and features, configured the way
/// clang configures it: relocation model from the module's PIC level, code
/// generation at the default level (what clang uses for -Os and -Oz).
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachineFor(const llvm::Module &M);

} // namespace llmc

#endif // LLMC_OBJECTSIZE_H
