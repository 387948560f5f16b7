//===- LLMCPass.cpp - choose each module's pipeline by model --------------===//
//
// FILE: LLMCPass.cpp
// DESCRIPTION: the decision (orchestration, remarks, log) and the plugin's
//   registration. Features and the model live in Python (pybridge), reached
//   only through BridgeClient; trials run isolated (CandidateRunner); sizes
//   come from ObjectSize.
// USAGE: see LLMCPass.h.
// License: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "LLMCPass.h"
#include "AllowList.h"
#include "BridgeClient.h"
#include "CandidateRunner.h"
#include "DecisionCache.h"
#include "DecisionLog.h"
#include "ObjectSize.h"
#include "Options.h"

#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/DiagnosticPrinter.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <dlfcn.h>
#include <unistd.h>

#define DEBUG_TYPE "llmc"

using namespace llvm;
using namespace llmc;

namespace {

//===- Access to the compiler's TargetMachine -----------------------------===//
// LLVM 19's PassBuilder keeps the TargetMachine it was given private and has
// no getter. Measuring candidates with exactly clang's code generation options
// (relocation model, -ffunction-sections...) is what makes the measured size
// the size of the object clang writes, so read the member through the rule
// that access is not checked in explicit instantiations ([temp.explicit]).
template <typename Tag, typename Tag::Type Member> struct ReadPrivate {
  friend typename Tag::Type memberOf(Tag) { return Member; }
};
struct PassBuilderTM {
  using Type = TargetMachine *PassBuilder::*;
  friend Type memberOf(PassBuilderTM);
};
template struct ReadPrivate<PassBuilderTM, &PassBuilder::TM>;

TargetMachine *targetMachineOf(PassBuilder &PB) {
  return PB.*memberOf(PassBuilderTM());
}

//===- Nested pipelines ---------------------------------------------------===//
// Candidates and baselines are built by the same PassBuilder, whose default
// pipelines call our extension points again; inside them llmc stays out.
struct NestedPipeline {
  static inline bool Active = false;
  bool Saved = Active;
  NestedPipeline() { Active = true; }
  ~NestedPipeline() { Active = Saved; }
};

//===- Shield -------------------------------------------------------------===//
// After a winning candidate ran at pipeline start, the rest of clang's default
// pipeline must leave its functions alone: optnone + noinline makes function
// and CGSCC passes skip them (optnone requires noinline and excludes
// minsize/optsize). The original attributes are kept in a string attribute
// and restored at the optimizer-last extension point, before code generation.
constexpr StringLiteral ShieldAttr = "llmc-shield";

void shield(Module &M) {
  for (Function &F : M) {
    if (F.isDeclaration() || F.hasOptNone())
      continue;
    std::string Saved;
    if (F.hasMinSize())
      Saved += 'm';
    if (F.hasOptSize())
      Saved += 's';
    if (F.hasFnAttribute(Attribute::NoInline))
      Saved += 'n';
    F.removeFnAttr(Attribute::MinSize);
    F.removeFnAttr(Attribute::OptimizeForSize);
    F.addFnAttr(Attribute::OptimizeNone);
    F.addFnAttr(Attribute::NoInline);
    F.addFnAttr(ShieldAttr, Saved);
  }
}

bool unshield(Module &M) {
  bool Changed = false;
  for (Function &F : M) {
    if (!F.hasFnAttribute(ShieldAttr))
      continue;
    StringRef Saved = F.getFnAttribute(ShieldAttr).getValueAsString();
    F.removeFnAttr(Attribute::OptimizeNone);
    if (!Saved.contains('n'))
      F.removeFnAttr(Attribute::NoInline);
    if (Saved.contains('m'))
      F.addFnAttr(Attribute::MinSize);
    if (Saved.contains('s'))
      F.addFnAttr(Attribute::OptimizeForSize);
    F.removeFnAttr(ShieldAttr);
    Changed = true;
  }
  return Changed;
}

//===- Helpers ------------------------------------------------------------===//

std::string levelName(OptimizationLevel L) {
  if (L == OptimizationLevel::Oz)
    return "Oz";
  if (L == OptimizationLevel::Os)
    return "Os";
  return "O" + std::to_string(L.getSpeedupLevel());
}

std::string firstLine(StringRef S) { return S.split('\n').first.trim().str(); }

double msSince(std::chrono::steady_clock::time_point T) {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - T)
      .count();
}

const Function *firstDefinition(const Module &M) {
  for (const Function &F : M)
    if (!F.isDeclaration())
      return &F;
  return nullptr;
}

/// A plugin diagnostic: clang prints it as a backend-plugin warning or error,
/// opt through its default handler.
class LLMCDiagnostic : public DiagnosticInfo {
  const std::string &Text;

public:
  LLMCDiagnostic(const std::string &Text, DiagnosticSeverity Severity)
      : DiagnosticInfo(kind(), Severity), Text(Text) {}
  void print(DiagnosticPrinter &DP) const override { DP << Text; }
  static int kind() {
    static const int Kind = getNextAvailablePluginDiagnosticKind();
    return Kind;
  }
};

/// One-line diagnostics through the compiler's own handler: "warning: llmc:
/// ...; using <Fallback>" in opt and clang; errors in strict mode.
void diagnose(Module &M, const Twine &Msg, bool Strict,
              StringRef Fallback = "") {
  std::string Text = ("llmc: " + Msg).str();
  if (!Strict && !Fallback.empty())
    Text += "; using " + Fallback.str();
  M.getContext().diagnose(LLMCDiagnostic(Text, Strict ? DS_Error : DS_Warning));
}

Expected<std::vector<std::string>> readPipelineList(StringRef Path) {
  auto Buffer = MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer)
    return createStringError(Buffer.getError(),
                             "cannot read pipeline list " + Path);
  std::vector<std::string> Out;
  SmallVector<StringRef, 64> Lines;
  (*Buffer)->getBuffer().split(Lines, '\n');
  for (StringRef L : Lines) {
    L = L.trim();
    if (!L.empty() && !L.starts_with("#"))
      Out.push_back(L.str());
  }
  return Out;
}

/// Verifies M and measures it; runs inside a trial's child process.
TrialResult measure(Module &M, Metric Mt, TargetMachine *TM) {
  std::string Err;
  raw_string_ostream OS(Err);
  if (verifyModule(M, &OS))
    return TrialResult::fail(TrialResult::Invalid,
                             "verifier: " + firstLine(OS.str()));
  if (Mt == Metric::IR)
    return TrialResult::ok(irInstructionCount(M));
  Expected<uint64_t> Size = objectSize(M, *TM);
  if (!Size)
    return TrialResult::fail(TrialResult::Failed,
                             "codegen: " + toString(Size.takeError()));
  return TrialResult::ok(*Size);
}

/// -llmc-inject: the faults a candidate can cause, on demand, so tests can
/// show each is contained. Runs in the trial's child only.
void injectFault(StringRef Kind, Module &M) {
  if (Kind == "crash")
    ::raise(SIGSEGV);
  if (Kind == "fatal")
    report_fatal_error("llmc: injected fatal error");
  if (Kind == "hang")
    while (true)
      ::pause();
  if (Kind == "invalid")
    for (Function &F : M)
      if (!F.isDeclaration()) {
        F.getEntryBlock().getTerminator()->eraseFromParent();
        return;
      }
}

} // namespace

//===- The decision -------------------------------------------------------===//

namespace {

/// One module's decision: where the candidates come from, the trials, what is
/// applied, and how it is reported. AutotunePass::run only sequences it.
class Decider {
public:
  Decider(PassBuilder &PB, Entry E, OptimizationLevel Level, Module &M,
          ModuleAnalysisManager &AM)
      : PB(PB), E(E), Level(Level), M(M), AM(AM),
        Start(std::chrono::steady_clock::now()) {
    std::string OptionError;
    O = Options::get(OptionError);
    if (!OptionError.empty())
      diagnose(M, OptionError, O.Strict);
    D.Module = M.getModuleIdentifier();
    D.Tool = E == Entry::Pass ? "opt" : "clang";
    D.Level = levelName(Level);
    D.BaselinePipeline = "default<" + D.Level + ">";
    if (O.Metric == "ir")
      Mt = Metric::IR;
    else if (O.Metric != "object")
      diagnose(M, "unknown metric '" + O.Metric + "', using 'object'",
               O.Strict);
    D.Metric = Mt == Metric::IR ? "ir" : "object";
  }

  PreservedAnalyses run();

private:
  PassBuilder &PB;
  Entry E;
  OptimizationLevel Level;
  Module &M;
  ModuleAnalysisManager &AM;
  std::chrono::steady_clock::time_point Start;
  Options O;
  Metric Mt = Metric::Object;
  Decision D;
  std::unique_ptr<TargetMachine> OwnTM;
  TargetMachine *TM = nullptr;

  /// The baseline is what the compiler does without llmc: in opt the
  /// default<Level> pipeline of this PassBuilder, in clang the rest of its
  /// own pipeline, which leaves the module alone unless a candidate wins.
  void runBaseline() {
    NestedPipeline G;
    ModulePassManager MPM = PB.buildPerModuleDefaultPipeline(Level);
    MPM.run(M, AM);
  }
  /// Runs a pipeline that already succeeded on an identical copy of M (in a
  /// trial, or when the cached decision was made), so it cannot crash here.
  void applyWinner(StringRef Pipeline);
  bool makeTargetMachine();
  TrialResult trial(ModulePassManager &Candidate);
  std::vector<std::string> candidatesFromModel(StringRef Bitcode);
  std::string cacheKey(StringRef Bitcode, std::string &Why);
  PreservedAnalyses finish(bool Changed);
};

void Decider::applyWinner(StringRef Pipeline) {
  {
    NestedPipeline G;
    ModulePassManager MPM;
    cantFail(PB.parsePassPipeline(MPM, Pipeline));
    MPM.run(M, AM);
  }
  if (verifyModule(M, &errs()))
    report_fatal_error("llmc: candidate '" + Twine(Pipeline) +
                       "' verified in its trial but not when applied");
  if (E == Entry::PipelineStart)
    shield(M);
}

bool Decider::makeTargetMachine() {
  // The compiler's own machine when it has one (at pipeline start in clang),
  // else one configured from the module as clang would.
  TM = E == Entry::PipelineStart ? targetMachineOf(PB) : nullptr;
  if (TM || Mt != Metric::Object)
    return true;
  auto Made = createTargetMachineFor(M);
  if (!Made) {
    D.Fallback = "cannot measure: " + toString(Made.takeError());
    diagnose(M, D.Fallback, O.Strict, D.BaselinePipeline);
    return false;
  }
  OwnTM = std::move(*Made);
  TM = OwnTM.get();
  return true;
}

TrialResult Decider::trial(ModulePassManager &Candidate) {
  return runIsolated(
      [&] {
        NestedPipeline G;
        Candidate.run(M, AM);
        injectFault(O.Inject, M);
        std::string VerifyErr;
        raw_string_ostream VOS(VerifyErr);
        if (verifyModule(M, &VOS))
          return TrialResult::fail(TrialResult::Invalid,
                                   "verifier: " + firstLine(VOS.str()));
        if (E == Entry::PipelineStart) {
          // Measure what clang will really write: the shielded rest of its
          // pipeline, then code generation.
          shield(M);
          ModulePassManager Rest = PB.buildPerModuleDefaultPipeline(Level);
          Rest.run(M, AM);
          unshield(M);
        }
        return measure(M, Mt, TM);
      },
      O.Timeout);
}

std::vector<std::string> Decider::candidatesFromModel(StringRef Bitcode) {
  auto RankStart = std::chrono::steady_clock::now();
  // A language model reads the IR as LLVM prints it: print only for one.
  std::string IRText;
  if (!O.LM.empty()) {
    raw_string_ostream OS(IRText);
    M.print(OS, nullptr);
  }
  RankReply Reply = rankCandidates(
      {Bitcode, IRText, O.Candidates, O.Model, O.LM, O.LMBudgetMs, O.Server});
  D.RankMs = msSince(RankStart);
  D.ModelId = Reply.ModelId;
  D.Ranker = Reply.Via;
  D.Notes = std::move(Reply.Notes);
  for (auto &[Pipeline, Reason] : Reply.Rejected)
    D.Candidates.push_back({Pipeline, "rejected", std::nullopt, Reason});
  if (!Reply.Error.empty()) {
    D.Fallback = Reply.Error;
    diagnose(M, Reply.Error, O.Strict, D.BaselinePipeline);
  }
  return std::move(Reply.Pipelines);
}

std::string Decider::cacheKey(StringRef Bitcode, std::string &Why) {
  SmallString<256> ModelPath(O.Model);
  if (ModelPath.empty()) {
    ModelPath = pluginDirectory();
    sys::path::append(ModelPath, "..", "data", "model.onnx");
  }
  auto Model = MemoryBuffer::getFile(ModelPath, /*IsText=*/false,
                                     /*RequiresNullTerminator=*/false);
  if (!Model) {
    Why = "model unreadable";
    return "";
  }
  std::string Machine;
  if (TargetMachine *T =
          E == Entry::PipelineStart ? targetMachineOf(PB) : nullptr) {
    raw_string_ostream OS(Machine);
    OS << T->getTargetTriple().str() << ' ' << T->getTargetCPU() << ' '
       << T->getTargetFeatureString() << ' ' << int(T->getRelocationModel())
       << ' ' << T->Options.FunctionSections << T->Options.DataSections
       << T->Options.UniqueSectionNames << T->Options.EmitAddrsig;
  }
  std::string Opts = D.Tool + " " + D.Level + " " + D.Metric + " " +
                     std::to_string(O.Candidates) + " " +
                     std::to_string(O.MinInstructions) + " " + O.LM;
  return DecisionCache::key({"llmc-decision-v1", LLMC_VERSION,
                             LLVM_VERSION_STRING, Opts, Machine,
                             (*Model)->getBuffer(), Bitcode});
}

PreservedAnalyses Decider::finish(bool Changed) {
  if (D.Winner.empty()) {
    D.Winner = D.BaselinePipeline;
    D.WinnerSize = D.BaselineSize;
    if (E == Entry::Pass)
      runBaseline();
  }
  D.TotalMs = msSince(Start);
  if (const Function *F = firstDefinition(M)) {
    if (D.Fallback.empty()) {
      OptimizationRemark R(DEBUG_TYPE, "Chosen", F);
      uint64_t W = *D.WinnerSize, B = *D.BaselineSize;
      R << "llmc chose '" << D.Winner << "' for " << D.Module << ": "
        << std::to_string(W)
        << (W < B    ? " < "
            : W == B ? " = "
                     : " > ")
        << std::to_string(B) << " (" << D.BaselinePipeline << ") by "
        << D.Metric;
      if (O.Force)
        R << " (forced)";
      if (D.Source == "cache")
        R << " (cached decision)";
      M.getContext().diagnose(R);
    } else {
      OptimizationRemarkMissed R(DEBUG_TYPE, "KeptDefault", F);
      R << "llmc kept " << D.BaselinePipeline << " for " << D.Module << ": "
        << D.Fallback;
      M.getContext().diagnose(R);
    }
  }
  if (!O.Log.empty()) {
    std::string Err = appendDecision(O.Log, D);
    if (!Err.empty())
      diagnose(M, Err, O.Strict);
  }
  return Changed || E == Entry::Pass ? PreservedAnalyses::none()
                                     : PreservedAnalyses::all();
}

PreservedAnalyses Decider::run() {
  // Where the candidates come from.
  std::vector<std::string> Pipelines;
  std::string Bitcode, Key, CacheMiss;
  DecisionCache Cache(O.CacheDir == "off"  ? ""
                      : O.CacheDir.empty() ? DecisionCache::defaultDirectory()
                                           : O.CacheDir,
                      O.CacheMaxEntries);
  uint64_t Instructions = irInstructionCount(M);
  if (Instructions < O.MinInstructions) {
    D.Source = "none";
    D.Fallback = "module too small (" + std::to_string(Instructions) +
                 " IR instructions)";
  } else if (!O.Pipelines.empty()) {
    D.Source = "list";
    if (auto List = readPipelineList(O.Pipelines)) {
      Pipelines = std::move(*List);
    } else {
      D.Fallback = toString(List.takeError());
      diagnose(M, D.Fallback, O.Strict, D.BaselinePipeline);
    }
  } else if (O.Candidates == 0) {
    D.Source = "none";
    D.Fallback = "no candidates requested (llmc-candidates=0)";
  } else {
    {
      // Without the module's name: build systems compile the same test
      // program under per-process names (configure's conftest$$.c), and
      // neither the features nor the decision depend on it.
      std::string Id = M.getModuleIdentifier(), File = M.getSourceFileName();
      M.setModuleIdentifier("");
      M.setSourceFileName("");
      raw_string_ostream BOS(Bitcode);
      WriteBitcodeToFile(M, BOS);
      BOS.flush();
      M.setModuleIdentifier(Id);
      M.setSourceFileName(File);
    }
    if (Cache.enabled() && O.Inject.empty())
      Key = cacheKey(Bitcode, CacheMiss);
    if (!Key.empty()) {
      if (std::optional<CachedDecision> Hit = Cache.lookup(Key)) {
        // Cache entries are files anyone with access could edit: a cached
        // pipeline passes the same checks as a model's.
        ModulePassManager Check;
        bool Valid = Hit->IsBaseline;
        if (!Valid && !checkPipeline(Hit->Winner)) {
          if (Error Err = PB.parsePassPipeline(Check, Hit->Winner))
            consumeError(std::move(Err));
          else
            Valid = true;
        }
        if (Valid) {
          D.Source = "cache";
          D.BaselineSize = Hit->BaselineSize;
          if (Hit->IsBaseline) {
            D.Fallback =
                "cached decision: no candidate beat " + D.BaselinePipeline;
            return finish(false);
          }
          applyWinner(Hit->Winner);
          D.Winner = Hit->Winner;
          D.WinnerSize = Hit->WinnerSize;
          return finish(true);
        }
      }
    }
    D.Source = "model";
    Pipelines = candidatesFromModel(Bitcode);
  }
  if (Pipelines.empty()) {
    if (D.Fallback.empty())
      D.Fallback = "no candidate pipelines";
    return finish(false);
  }
  if (!makeTargetMachine())
    return finish(false);

  // Trials: the baseline, then each candidate, each in its own child.
  auto TrialsStart = std::chrono::steady_clock::now();
  TrialResult Base = runIsolated(
      [&] {
        runBaseline();
        return measure(M, Mt, TM);
      },
      O.Timeout);
  if (Base.S != TrialResult::Ok) {
    // The compiler will hit the same problem on its own; llmc stays out.
    D.Fallback =
        std::string("baseline ") + statusName(Base.S) + ": " + Base.Reason;
    D.TrialsMs = msSince(TrialsStart);
    return finish(false);
  }
  D.BaselineSize = Base.Size;
  std::optional<size_t> Best;
  bool Deterministic = true;
  for (const std::string &P : Pipelines) {
    CandidateRecord C{P, "rejected", std::nullopt, ""};
    ModulePassManager Parsed;
    if (auto Why = checkPipeline(P)) {
      C.Reason = *Why;
    } else if (Error Err = PB.parsePassPipeline(Parsed, P)) {
      C.Reason = firstLine(toString(std::move(Err)));
    } else {
      TrialResult R = trial(Parsed);
      C.Status = statusName(R.S);
      C.Reason = R.Reason;
      Deterministic &= R.S != TrialResult::Timeout;
      if (R.S == TrialResult::Ok) {
        C.Size = R.Size;
        bool Forced = O.Force && D.Source == "list" && !Best;
        if (Forced || (!O.Force && R.Size < *D.BaselineSize &&
                       (!Best || R.Size < *D.Candidates[*Best].Size)))
          Best = D.Candidates.size();
      }
    }
    if (O.Strict && C.Status != "ok")
      diagnose(M,
               "candidate '" + C.Pipeline + "' " + C.Status + ": " + C.Reason,
               /*Strict=*/true);
    D.Candidates.push_back(std::move(C));
  }
  D.TrialsMs = msSince(TrialsStart);

  // A timeout depends on the machine's load, not on the inputs: such a
  // decision is not remembered.
  auto Remember = [&](const CachedDecision &CD) {
    if (Key.empty() || !Deterministic || D.Source != "model")
      return;
    std::string Err = Cache.store(Key, CD);
    if (!Err.empty())
      diagnose(M, Err, /*Strict=*/false);
  };
  if (!Best) {
    D.Fallback = "no verified candidate is smaller than " + D.BaselinePipeline;
    Remember({D.BaselinePipeline, true, *D.BaselineSize, *D.BaselineSize});
    return finish(false);
  }

  // Confirm before applying. Some passes (seen with iroutliner and gvn-sink
  // once Python had run in the process) depend on heap addresses, so a trial
  // forked earlier can measure a result the parent will not reproduce. A
  // child forked right here starts from the very memory state in which the
  // parent applies the winner next, with no allocation in between, and runs
  // the same code; only a confirmed winner is applied.
  std::vector<size_t> Order;
  for (size_t I = 0; I < D.Candidates.size(); ++I)
    if (D.Candidates[I].Size &&
        (O.Force ? I == *Best : *D.Candidates[I].Size < *D.BaselineSize))
      Order.push_back(I);
  std::stable_sort(Order.begin(), Order.end(), [&](size_t A, size_t B) {
    return *D.Candidates[A].Size < *D.Candidates[B].Size;
  });
  for (size_t I : Order) {
    const std::string &P = D.Candidates[I].Pipeline;
    TrialResult Confirm = runIsolated(
        [&] {
          NestedPipeline G;
          applyWinner(P);
          if (O.Inject == "unconfirmed")
            ::raise(SIGSEGV);
          if (E == Entry::PipelineStart) {
            ModulePassManager Rest = PB.buildPerModuleDefaultPipeline(Level);
            Rest.run(M, AM);
            unshield(M);
          }
          return measure(M, Mt, TM);
        },
        O.Timeout);
    if (Confirm.S == TrialResult::Ok &&
        (O.Force || Confirm.Size < *D.BaselineSize)) {
      applyWinner(P);
      D.Winner = P;
      D.WinnerSize = Confirm.Size;
      if (Confirm.Size != *D.Candidates[I].Size)
        D.Notes.push_back("'" + P + "' measured " +
                          std::to_string(*D.Candidates[I].Size) +
                          " in its trial, " + std::to_string(Confirm.Size) +
                          " when confirmed");
      Remember({P, false, Confirm.Size, *D.BaselineSize});
      return finish(true);
    }
    D.Notes.push_back(
        "'" + P + "' not confirmed: " +
        (Confirm.S == TrialResult::Ok
             ? std::to_string(Confirm.Size) + " bytes"
             : std::string(statusName(Confirm.S)) + ": " + Confirm.Reason));
    Deterministic = false;
  }
  D.Fallback = "no candidate confirmed smaller than " + D.BaselinePipeline;
  return finish(false);
}

} // namespace

PreservedAnalyses AutotunePass::run(Module &M, ModuleAnalysisManager &AM) {
  if (NestedPipeline::Active)
    return PreservedAnalyses::all();
  return Decider(PB, E, Level, M, AM).run();
}

PreservedAnalyses UnshieldPass::run(Module &M, ModuleAnalysisManager &) {
  return unshield(M) ? PreservedAnalyses::none() : PreservedAnalyses::all();
}

PreservedAnalyses SizePrinterPass::run(Module &M, ModuleAnalysisManager &) {
  uint64_t IR = irInstructionCount(M);
  errs() << "llmc-size: " << M.getModuleIdentifier() << " ir=" << IR;
  auto TM = createTargetMachineFor(M);
  if (!TM) {
    errs() << " object=error: " << toString(TM.takeError()) << "\n";
    return PreservedAnalyses::all();
  }
  std::unique_ptr<Module> Copy = CloneModule(M);
  Expected<uint64_t> Size = objectSize(*Copy, **TM);
  if (Size)
    errs() << " object=" << *Size << "\n";
  else
    errs() << " object=error: " << toString(Size.takeError()) << "\n";
  return PreservedAnalyses::all();
}

//===- Registration -------------------------------------------------------===//

namespace {

/// At -O0 the plugin cannot change code generation (every function is
/// optnone), so it only says so.
struct NoticeO0Pass : PassInfoMixin<NoticeO0Pass> {
  PreservedAnalyses run(Module &M, ModuleAnalysisManager &) {
    if (const Function *F = firstDefinition(M)) {
      OptimizationRemarkMissed R(DEBUG_TYPE, "NotAtO0", F);
      R << "llmc acts only at -Os, -Oz and -O1..-O3; -O0 is left alone";
      M.getContext().diagnose(R);
    }
    return PreservedAnalyses::all();
  }
  static bool isRequired() { return true; }
};

void registerCallbacks(PassBuilder &PB) {
  // -passes=llmc-autotune and -passes=print<llmc-size>
  PB.registerPipelineParsingCallback(
      [&PB](StringRef Name, ModulePassManager &MPM,
            ArrayRef<PassBuilder::PipelineElement>) {
        if (Name == "llmc-autotune") {
          MPM.addPass(AutotunePass(PB, Entry::Pass, OptimizationLevel::Oz));
          return true;
        }
        if (Name == "print<llmc-size>") {
          MPM.addPass(SizePrinterPass());
          return true;
        }
        return false;
      });
  // clang -O1..3/-Os/-Oz -fpass-plugin=libllmc.so: decide at pipeline start.
  PB.registerPipelineStartEPCallback(
      [&PB](ModulePassManager &MPM, OptimizationLevel Level) {
        if (Level == OptimizationLevel::O0)
          MPM.addPass(NoticeO0Pass());
        else
          MPM.addPass(AutotunePass(PB, Entry::PipelineStart, Level));
      });
  PB.registerOptimizerLastEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel) {
        MPM.addPass(UnshieldPass());
      });
}

/// The LLVM major of the opt or clang that loaded us, from its C API. A
/// plugin built for another major would crash on the host's PassBuilder, so
/// it must notice before registering anything.
unsigned hostLLVMMajor() {
  using GetVersionFn = void (*)(unsigned *, unsigned *, unsigned *);
  auto *Get =
      reinterpret_cast<GetVersionFn>(::dlsym(RTLD_DEFAULT, "LLVMGetVersion"));
  unsigned Major = LLVM_VERSION_MAJOR, Minor = 0, Patch = 0;
  if (Get)
    Get(&Major, &Minor, &Patch);
  return Major;
}

} // namespace

extern "C" LLVM_ATTRIBUTE_VISIBILITY_DEFAULT ::llvm::PassPluginLibraryInfo
llvmGetPassPluginInfo() {
  unsigned Host = hostLLVMMajor();
  if (Host != LLVM_VERSION_MAJOR) {
    std::fprintf(stderr,
                 "llmc: error: libllmc.so is built for LLVM %d but was loaded "
                 "into LLVM %u; use clang-%d/opt-%d or rebuild llmc for LLVM "
                 "%u\n",
                 LLVM_VERSION_MAJOR, Host, LLVM_VERSION_MAJOR,
                 LLVM_VERSION_MAJOR, Host);
    return {LLVM_PLUGIN_API_VERSION, "llmc", LLVM_VERSION_STRING,
            [](PassBuilder &) {}};
  }
  return {LLVM_PLUGIN_API_VERSION, "llmc", LLVM_VERSION_STRING,
          registerCallbacks};
}
