//===- IRSnapshot.cpp - the IR a trial measured, handed to the parent -----===//

#include "IRSnapshot.h"
#include "WriteAll.h"

#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/Comdat.h"
#include "llvm/IR/GlobalAlias.h"
#include "llvm/IR/GlobalIFunc.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/BLAKE3.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <cstring>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace llvm;
using namespace llmc;

std::string llmc::anonymousBitcode(Module &M, bool KeepUseLists) {
  std::string Bitcode;
  std::string Id = M.getModuleIdentifier(), File = M.getSourceFileName();
  M.setModuleIdentifier("");
  M.setSourceFileName("");
  raw_string_ostream BOS(Bitcode);
  WriteBitcodeToFile(M, BOS, KeepUseLists);
  BOS.flush();
  M.setModuleIdentifier(Id);
  M.setSourceFileName(File);
  return Bitcode;
}

uint64_t llmc::snapshotDigest(StringRef Bitcode) {
  BLAKE3 H;
  H.update("llmc-ir-v2");
  H.update(Bitcode);
  auto Out = H.final<8>();
  uint64_t Digest = 0;
  for (uint8_t B : Out)
    Digest = Digest << 8 | B;
  return Digest;
}

namespace {

Error systemError(const Twine &What) {
  return createStringError(std::error_code(errno, std::generic_category()),
                           What + ": " + std::strerror(errno));
}

/// Moves From's globals to the end of To's, in their order and with their
/// names (To's symbol table must not hold them), each comdat member to To's
/// comdat of that name.
void moveGlobals(Module &From, Module &To) {
  To.getFunctionList().splice(To.end(), From.getFunctionList());
  while (!From.global_empty()) {
    GlobalVariable &G = *From.global_begin();
    G.removeFromParent();
    To.insertGlobalVariable(&G);
  }
  while (!From.alias_empty()) {
    GlobalAlias &A = *From.alias_begin();
    A.removeFromParent();
    To.insertAlias(&A);
  }
  while (!From.ifunc_empty()) {
    GlobalIFunc &I = *From.ifunc_begin();
    I.removeFromParent();
    To.insertIFunc(&I);
  }
  for (GlobalObject &GO : To.global_objects())
    if (const Comdat *C = GO.getComdat()) {
      Comdat *Own = To.getOrInsertComdat(C->getName());
      if (Own != C) {
        Own->setSelectionKind(C->getSelectionKind());
        GO.setComdat(Own);
      }
    }
}

/// Empties M: its globals go to a module of their own, which LLVM destroys
/// the way it destroys any module (so no constant keeps a use from them), and
/// its struct types give up their names for the IR that replaces them.
void clearModule(Module &M) {
  for (StructType *T : M.getIdentifiedStructTypes())
    T->setName("");
  {
    Module Old("llmc-replaced", M.getContext());
    Old.setIsNewDbgInfoFormat(M.IsNewDbgInfoFormat);
    moveGlobals(M, Old);
  }
  while (!M.named_metadata_empty())
    M.eraseNamedMetadata(&*M.named_metadata_begin());
  // Comdats nothing is a member of any more.
  SmallVector<std::string, 4> Unused;
  for (auto &Entry : M.getComdatSymbolTable())
    if (Entry.second.getUsers().empty())
      Unused.push_back(Entry.first().str());
  for (const std::string &Name : Unused)
    M.getComdatSymbolTable().erase(Name);
}

/// Moves everything of Src into the emptied Dst.
void fillModule(Module &Dst, Module &Src) {
  Src.setIsNewDbgInfoFormat(Dst.IsNewDbgInfoFormat);
  moveGlobals(Src, Dst);
  for (NamedMDNode &N : Src.named_metadata()) {
    NamedMDNode *Into = Dst.getOrInsertNamedMetadata(N.getName());
    for (MDNode *Op : N.operands())
      Into->addOperand(Op);
  }
  Dst.setModuleInlineAsm(Src.getModuleInlineAsm());
  Dst.setDataLayout(Src.getDataLayout());
  Dst.setTargetTriple(Src.getTargetTriple());
}

} // namespace

IRSnapshot &IRSnapshot::operator=(IRSnapshot &&Other) noexcept {
  if (this != &Other) {
    if (Fd >= 0)
      ::close(Fd);
    Fd = Other.Fd;
    Other.Fd = -1;
  }
  return *this;
}

IRSnapshot::~IRSnapshot() {
  if (Fd >= 0)
    ::close(Fd);
}

Expected<IRSnapshot> IRSnapshot::create() {
  IRSnapshot S;
  S.Fd = ::memfd_create("llmc-ir", MFD_CLOEXEC);
  if (S.Fd < 0)
    return systemError("memfd_create");
  return S;
}

Expected<uint64_t> IRSnapshot::write(Module &M) const {
  std::string Bitcode = anonymousBitcode(M, /*KeepUseLists=*/true);
  if (::ftruncate(Fd, 0) != 0 || ::lseek(Fd, 0, SEEK_SET) != 0)
    return systemError("snapshot");
  if (!writeAll(Fd, Bitcode.data(), Bitcode.size()))
    return systemError("snapshot: write");
  return snapshotDigest(Bitcode);
}

Error IRSnapshot::adoptInto(Module &M, uint64_t Digest) const {
  struct stat St;
  if (Fd < 0 || ::fstat(Fd, &St) != 0)
    return systemError("snapshot");
  std::string Bitcode(static_cast<size_t>(St.st_size), '\0');
  size_t Got = 0;
  while (Got < Bitcode.size()) {
    ssize_t N = ::pread(Fd, Bitcode.data() + Got, Bitcode.size() - Got, Got);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return systemError("snapshot: read");
    Got += static_cast<size_t>(N);
  }
  if (!Digest || snapshotDigest(Bitcode) != Digest)
    return createStringError(std::errc::invalid_argument,
                             "the IR handed back does not have its digest");
  MemoryBufferRef Buffer(Bitcode, "llmc-snapshot");
  {
    // Parsed and verified on the side first: M is emptied only for IR that
    // will take its place.
    LLVMContext Scratch;
    Expected<std::unique_ptr<Module>> Check = parseBitcodeFile(Buffer, Scratch);
    if (!Check)
      return Check.takeError();
    if (verifyModule(**Check))
      return createStringError(std::errc::invalid_argument,
                               "the IR handed back does not verify");
  }
  // Parsed into M's context once M's own globals are gone, so the constants
  // both share keep their uses in the order the child measured.
  clearModule(M);
  Expected<std::unique_ptr<Module>> New =
      parseBitcodeFile(Buffer, M.getContext());
  if (!New)
    report_fatal_error("llmc: IR that parsed once does not parse again: " +
                       Twine(toString(New.takeError())));
  fillModule(M, **New);
  return Error::success();
}
