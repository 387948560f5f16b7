//===- ObjectSize.cpp - the size metrics llmc minimizes -------------------===//

#include "ObjectSize.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <mutex>

using namespace llvm;

namespace {

/// The absolute pointer-size relocation of a 64-bit ELF target whose PIE and
/// shared links turn each into a dynamic one; 0 for any other object.
uint64_t absolutePointerRelocation(const object::ObjectFile &File) {
  if (!isa<object::ELF64LEObjectFile>(File))
    return 0;
  switch (File.getArch()) {
  case Triple::x86_64:
    return ELF::R_X86_64_64;
  case Triple::aarch64:
    return ELF::R_AARCH64_ABS64;
  default:
    return 0;
  }
}

/// How many absolute pointers the object's allocated sections hold.
uint64_t countImageRelocs(const object::ObjectFile &File) {
  uint64_t Type = absolutePointerRelocation(File);
  if (!Type)
    return 0;
  uint64_t Count = 0;
  for (const object::SectionRef &R : File.sections()) {
    Expected<object::section_iterator> Target = R.getRelocatedSection();
    if (!Target) {
      consumeError(Target.takeError());
      continue;
    }
    if (*Target == File.section_end() ||
        !(object::ELFSectionRef(**Target).getFlags() & ELF::SHF_ALLOC))
      continue;
    for (const object::RelocationRef &Rel : R.relocations())
      Count += Rel.getType() == Type;
  }
  return Count;
}

} // namespace

Expected<llmc::ObjectMeasure> llmc::measureObjectFile(MemoryBufferRef Object,
                                                      bool Closures,
                                                      bool ImageRelocs) {
  auto Obj = object::ObjectFile::createObjectFile(Object);
  if (!Obj)
    return Obj.takeError();
  const object::ObjectFile &File = **Obj;
  ObjectMeasure Out;
  // The same predicates llvm-size uses for its Berkeley text and data columns.
  DenseMap<uint64_t, uint64_t> Bytes; // section index -> counted size
  for (const object::SectionRef &S : File.sections()) {
    uint64_t Counted =
        S.isBerkeleyText() || S.isBerkeleyData() ? S.getSize() : 0;
    Out.Size += Counted;
    Bytes[S.getIndex()] = Counted;
  }
  if (ImageRelocs) {
    Out.ImageRelocBytes = countImageRelocs(File) * sizeof(ELF::Elf64_Rela);
    Out.Size += Out.ImageRelocBytes;
  }
  if (!Closures)
    return Out;

  // Section -> sections its relocations reach. .eh_frame refers to every
  // function; linkers keep its pieces for the functions they keep, so it is
  // no edge of the graph (its bytes still count in Size).
  DenseMap<uint64_t, SmallVector<uint64_t, 4>> Edges;
  for (const object::SectionRef &R : File.sections()) {
    Expected<object::section_iterator> Target = R.getRelocatedSection();
    if (!Target) {
      consumeError(Target.takeError());
      continue;
    }
    if (*Target == File.section_end())
      continue;
    Expected<StringRef> Name = (*Target)->getName();
    if (Name && *Name == ".eh_frame")
      continue;
    if (!Name)
      consumeError(Name.takeError());
    uint64_t From = (*Target)->getIndex();
    for (const object::RelocationRef &Rel : R.relocations()) {
      object::symbol_iterator Sym = Rel.getSymbol();
      if (Sym == File.symbol_end())
        continue;
      Expected<object::section_iterator> To = Sym->getSection();
      if (!To) {
        consumeError(To.takeError());
        continue;
      }
      if (*To != File.section_end())
        Edges[From].push_back((*To)->getIndex());
    }
  }
  for (const object::SymbolRef &Sym : File.symbols()) {
    Expected<uint32_t> Flags = Sym.getFlags();
    Expected<StringRef> Name = Sym.getName();
    Expected<object::section_iterator> Sec = Sym.getSection();
    if (!Flags || !Name || !Sec) {
      consumeError(Flags.takeError());
      consumeError(Name.takeError());
      consumeError(Sec.takeError());
      continue;
    }
    if (!(*Flags & object::SymbolRef::SF_Global) ||
        (*Flags & object::SymbolRef::SF_Undefined) ||
        *Sec == File.section_end())
      continue;
    RootClosure C{xxh3_64bits(*Name), 0};
    DenseSet<uint64_t> Seen;
    SmallVector<uint64_t, 16> Work = {(*Sec)->getIndex()};
    while (!Work.empty()) {
      uint64_t Index = Work.pop_back_val();
      if (!Seen.insert(Index).second)
        continue;
      C.Bytes += Bytes.lookup(Index);
      auto It = Edges.find(Index);
      if (It != Edges.end())
        Work.append(It->second.begin(), It->second.end());
    }
    Out.Closures.push_back(C);
  }
  llvm::sort(Out.Closures, [](const RootClosure &A, const RootClosure &B) {
    return A.NameHash < B.NameHash;
  });
  return Out;
}

Expected<uint64_t> llmc::objectFileSize(MemoryBufferRef Object) {
  Expected<ObjectMeasure> M = measureObjectFile(Object, /*Closures=*/false);
  if (!M)
    return M.takeError();
  return M->Size;
}

Expected<llmc::ObjectMeasure> llmc::measureObject(Module &M, TargetMachine &TM,
                                                  bool Closures,
                                                  bool ImageRelocs) {
  SmallVector<char, 0> Buffer;
  raw_svector_ostream OS(Buffer);
  legacy::PassManager PM;
  PM.add(new TargetLibraryInfoWrapperPass(Triple(M.getTargetTriple())));
  if (TM.addPassesToEmitFile(PM, OS, nullptr, CodeGenFileType::ObjectFile))
    return createStringError(inconvertibleErrorCode(),
                             "target cannot emit object files");
  PM.run(M);
  return measureObjectFile(
      MemoryBufferRef(StringRef(Buffer.data(), Buffer.size()), "candidate"),
      Closures, ImageRelocs);
}

Expected<uint64_t> llmc::objectSize(Module &M, TargetMachine &TM) {
  Expected<ObjectMeasure> Measured = measureObject(M, TM, /*Closures=*/false);
  if (!Measured)
    return Measured.takeError();
  return Measured->Size;
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
