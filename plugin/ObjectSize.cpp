//===- ObjectSize.cpp - the size metrics llmc minimizes -------------------===//

#include "ObjectSize.h"

#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <mutex>

using namespace llvm;

Expected<uint64_t> llmc::objectFileSize(MemoryBufferRef Object) {
  auto Obj = object::ObjectFile::createObjectFile(Object);
  if (!Obj)
    return Obj.takeError();
  uint64_t Size = 0;
  // The same predicates llvm-size uses for its Berkeley text and data columns.
  for (const object::SectionRef &S : (*Obj)->sections())
    if (S.isBerkeleyText() || S.isBerkeleyData())
      Size += S.getSize();
  return Size;
}

Expected<uint64_t> llmc::objectSize(Module &M, TargetMachine &TM) {
  SmallVector<char, 0> Buffer;
  raw_svector_ostream OS(Buffer);
  legacy::PassManager PM;
  PM.add(new TargetLibraryInfoWrapperPass(Triple(M.getTargetTriple())));
  if (TM.addPassesToEmitFile(PM, OS, nullptr, CodeGenFileType::ObjectFile))
    return createStringError(inconvertibleErrorCode(),
                             "target cannot emit object files");
  PM.run(M);
  return objectFileSize(
      MemoryBufferRef(StringRef(Buffer.data(), Buffer.size()), "candidate"));
}

uint64_t llmc::irInstructionCount(const Module &M) {
  uint64_t N = 0;
  for (const Function &F : M)
    N += F.getInstructionCount();
  return N;
}

Expected<std::unique_ptr<TargetMachine>>
llmc::createTargetMachineFor(const Module &M) {
  static std::once_flag Once;
  std::call_once(Once, [] {
    InitializeAllTargetInfos();
    InitializeAllTargets();
    InitializeAllTargetMCs();
    InitializeAllAsmPrinters();
  });
  std::string TripleName = M.getTargetTriple();
  if (TripleName.empty())
    TripleName = sys::getDefaultTargetTriple();
  std::string Err;
  const Target *T = TargetRegistry::lookupTarget(TripleName, Err);
  if (!T)
    return createStringError(inconvertibleErrorCode(), Err);
  // clang writes the CPU and features on every function; codegen reads them
  // from there, the machine-wide values only matter for module-level asm.
  std::string CPU, Features;
  for (const Function &F : M)
    if (!F.isDeclaration()) {
      CPU = F.getFnAttribute("target-cpu").getValueAsString().str();
      Features = F.getFnAttribute("target-features").getValueAsString().str();
      break;
    }
  std::optional<Reloc::Model> RM =
      M.getPICLevel() == PICLevel::NotPIC ? Reloc::Static : Reloc::PIC_;
  std::unique_ptr<TargetMachine> TM(
      T->createTargetMachine(TripleName, CPU, Features, TargetOptions(), RM,
                             M.getCodeModel(), CodeGenOptLevel::Default));
  if (!TM)
    return createStringError(inconvertibleErrorCode(),
                             "no target machine for " + TripleName);
  return TM;
}
