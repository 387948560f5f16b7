//===- LLMCPass.h - choose each module's pipeline by model ------*- C++ -*-===//
//
// USAGE:
//   opt-19 -load-pass-plugin=libllmc.so -passes=llmc-autotune in.ll -o out.bc
//   clang-19 -Oz -fpass-plugin=libllmc.so -c foo.c
//   clang-19 -Oz -flto -fuse-ld=lld -Wl,--load-pass-plugin=libllmc.so *.o
//     (full LTO: the decision is made once, on the merged module, at link time)
//
// For each module: ask the model (through the Python bridge) for ranked
// candidate pipelines, run the best k and the -Oz pipeline each in a child
// process, verify and measure each, and keep the smallest; the -Oz result
// whenever nothing verified beats it.
//
//===----------------------------------------------------------------------===//

#ifndef LLMC_LLMCPASS_H
#define LLMC_LLMCPASS_H

#include "llvm/IR/PassManager.h"
#include "llvm/Passes/OptimizationLevel.h"

namespace llvm {
class PassBuilder;
} // namespace llvm

namespace llmc {

/// How the pass was reached, which decides what "the -Oz result" is.
enum class Entry {
  /// -passes=llmc-autotune: the module's output IR is the winner's; the
  /// baseline is default<Oz> of this PassBuilder.
  Pass,
  /// The pipeline-start extension point of a default pipeline (clang -Oz):
  /// the baseline is the rest of that pipeline, which runs anyway; a winning
  /// candidate runs here and its functions are shielded from the rest.
  PipelineStart,
  /// The full-LTO link (lld --load-pass-plugin), at the start of the LTO
  /// pipeline, after internalization: the baseline is the rest of the LTO
  /// default pipeline; a winner is shielded from it as at pipeline start.
  LinkTime,
};

class AutotunePass : public llvm::PassInfoMixin<AutotunePass> {
public:
  AutotunePass(llvm::PassBuilder &PB, Entry E, llvm::OptimizationLevel Level)
      : PB(PB), E(E), Level(Level) {}
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &AM);
  // Required: the decision must run whatever the pass filters say.
  static bool isRequired() { return true; }

private:
  llvm::PassBuilder &PB;
  Entry E;
  llvm::OptimizationLevel Level;
};

/// Undoes the shield before code generation (optimizer-last extension point):
/// functions get back minsize/optsize so codegen keeps -Oz quality.
class UnshieldPass : public llvm::PassInfoMixin<UnshieldPass> {
public:
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  static bool isRequired() { return true; }
};

/// print<llmc-size>: prints the module's size by both metrics, as llmc
/// measures them, to stderr. Used to pin the metrics against llvm-size.
class SizePrinterPass : public llvm::PassInfoMixin<SizePrinterPass> {
public:
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  static bool isRequired() { return true; }
};

} // namespace llmc

#endif // LLMC_LLMCPASS_H
