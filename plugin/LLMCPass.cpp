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
#include "IRSnapshot.h"
#include "Jobserver.h"
#include "ObjectSize.h"
#include "Options.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/DiagnosticPrinter.h"
#include "llvm/IR/Metadata.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <functional>
#include <link.h>
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

/// -llmc-levels, e.g. "Os,Oz". A bad variable is reported by the decision.
std::string levelsSetting() {
  std::string Ignored;
  return Options::get(Ignored).Levels;
}

/// Whether -llmc-levels names L.
bool decidesAt(OptimizationLevel L) {
  std::string Levels = levelsSetting();
  SmallVector<StringRef, 8> Names;
  StringRef(Levels).split(Names, ',', -1, /*KeepEmpty=*/false);
  std::string Name = levelName(L);
  return any_of(Names, [&](StringRef N) { return N.trim() == Name; });
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

/// Verifies M and measures it (with GcSafe, the closures of its globals too;
/// with ImageRelocs, the dynamic relocations a PIE link adds); runs inside a
/// trial's child process.
TrialResult measure(Module &M, Metric Mt, TargetMachine *TM, bool GcSafe,
                    bool ImageRelocs) {
  std::string Err;
  raw_string_ostream OS(Err);
  if (verifyModule(M, &OS))
    return TrialResult::fail(TrialResult::Invalid,
                             "verifier: " + firstLine(OS.str()));
  if (Mt == Metric::IR)
    return TrialResult::ok(irInstructionCount(M));
  // A section per function: the link may keep only some of them, so what
  // each global keeps is measured too.
  Expected<ObjectMeasure> Measured = measureObject(
      M, *TM, /*Closures=*/GcSafe && TM->Options.FunctionSections, ImageRelocs);
  if (!Measured)
    return TrialResult::fail(TrialResult::Failed,
                             "codegen: " + toString(Measured.takeError()));
  return TrialResult::ok(std::move(*Measured));
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

/// Where a module's candidates came from; the log's "source".
enum class Source { None, List, Model, Cache };

/// -llmc-effort's ceiling, and how many pipelines one search round asks for.
constexpr unsigned MaxEffort = 1024;
constexpr unsigned SearchBatch = 8;
/// Trials that may run at once (runIsolatedTogether's limit).
constexpr size_t MaxTrialsAtOnce = 8;

const char *sourceName(Source S) {
  switch (S) {
  case Source::None:
    return "none";
  case Source::List:
    return "list";
  case Source::Model:
    return "model";
  case Source::Cache:
    return "cache";
  }
  return "none";
}

/// The values -llmc-inject knows; anything else is a mistake worth a warning.
bool knownInjection(StringRef Kind) {
  return Kind.empty() || Kind == "crash" || Kind == "hang" || Kind == "fatal" ||
         Kind == "invalid" || Kind == "snapshot";
}

/// One module's decision: where the candidates come from (the list, the
/// cache, the model), the trials, the choice, what is applied, and the
/// report. Nothing is applied but the very IR a child of this compiler run
/// verified and measured smaller than its own baseline (IRSnapshot.h).
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
    if (!knownInjection(O.Inject)) {
      diagnose(M,
               "unknown llmc-inject value '" + O.Inject +
                   "' (crash, hang, fatal, invalid, snapshot): ignored",
               O.Strict);
      O.Inject.clear();
    }
    D.Module = M.getModuleIdentifier();
    D.Tool = E == Entry::Pass ? "opt" : E == Entry::LinkTime ? "lld" : "clang";
    D.Level = levelName(Level);
    D.BaselinePipeline =
        (E == Entry::LinkTime ? "lto<" : "default<") + D.Level + ">";
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
  Source Src = Source::None;
  Decision D;
  std::unique_ptr<TargetMachine> OwnTM;
  TargetMachine *TM = nullptr;
  /// Candidates (by index in D.Candidates) that measured a win.
  DenseMap<size_t, bool> Wins;
  /// A timeout depends on the machine's load, not on the inputs: a decision
  /// that saw one is not remembered.
  bool Deterministic = true;
  /// Seeds the local search: a function of the module's content only.
  uint64_t Seed = 0;
  /// What each global keeps in the baseline, with a section per function.
  std::optional<std::vector<RootClosure>> BaselineClosures;
  /// Why a measured result is no win over the baseline, or none: it must be
  /// smaller, and no global symbol may keep more bytes linked.
  std::optional<std::string> whyNoWin(const TrialResult &R) const;

  /// The baseline is what the compiler does without llmc: in opt the
  /// default<Level> pipeline of this PassBuilder, in clang the rest of its
  /// own pipeline, which leaves the module alone unless a candidate wins.
  void runBaseline() {
    NestedPipeline G;
    defaultPipeline().run(M, AM);
  }
  /// The pipeline the compiler or linker runs when llmc stays out: at link
  /// time LTO's, else the per-module one of Level. Built once, before any
  /// candidate is parsed: in clang, parsing a candidate such as default<O1>
  /// changes what this PassBuilder builds for default<Oz> afterwards (lgc.c
  /// of Lua: 10,016 bytes instead of clang's 10,200), and the baseline and
  /// every trial's rest of the pipeline must be the compiler's own. Each
  /// child runs it at most once, on its own copy.
  ModulePassManager &defaultPipeline() {
    if (!Default)
      Default =
          E == Entry::LinkTime
              ? PB.buildLTODefaultPipeline(Level, /*ExportSummary=*/nullptr)
              : PB.buildPerModuleDefaultPipeline(Level);
    return *Default;
  }
  std::optional<ModulePassManager> Default;
  /// Why P may not run (allow-list, then LLVM's parser), or none with Out
  /// built.
  std::optional<std::string> admit(StringRef P, ModulePassManager &Out);
  /// A trial's IR, handed back by its child, while the parent may apply it.
  struct HeldIR {
    size_t Index = 0; ///< in D.Candidates
    uint64_t Digest = 0;
    IRSnapshot Snapshot;
  };
  /// The IR of the smallest win so far.
  std::optional<HeldIR> Winning;
  /// Puts the IR S holds in place of M's and, at pipeline start, shields its
  /// functions from the rest of clang's pipeline; why it could not, or none.
  std::optional<std::string> adopt(const IRSnapshot &S, uint64_t Digest);
  /// The digest of the applied winner's IR: what a later hit of this decision
  /// must reproduce (see confirmAuthentic).
  uint64_t WinnerDigest = 0;
  bool makeTargetMachine();
  /// In a child, after a candidate ran: what the compiler then does to the
  /// module (at pipeline start the shielded rest of clang's pipeline), then
  /// the verifier and the size.
  TrialResult measureAsCompiled();
  /// In a child: the baseline, measured.
  TrialResult baselineWork() {
    runBaseline();
    return measure(M, Mt, TM, O.GcSafe, imageRelocs());
  }
  /// At link time the module is the program: a position-independent image
  /// (PIE, shared object) holds a dynamic relocation per absolute pointer.
  bool imageRelocs() const {
    return E == Entry::LinkTime && TM && TM->isPositionIndependent();
  }
  bool recordBaseline(const TrialResult &Base);
  /// In a child: Candidate, verified, its IR handed back in S (the digest in
  /// the result), then what the compiler does next, measured (without
  /// Measure, only handed back).
  TrialResult trialWork(ModulePassManager &Candidate, const IRSnapshot &S,
                        bool Measure = true);
  /// How many trials may run at once now, with the job slots borrowed for
  /// them (given back when Slots goes away) and what allowed more than one
  /// (From: "jobserver", "llmc-jobs" or "idle cpus").
  size_t trialsAtOnce(size_t Pending, JobSlots &Slots, StringRef &From) const;
  /// The most trials that ran at once, and where their slots came from.
  size_t MostAtOnce = 1;
  std::string SlotsFrom;
  bool useCached(const CachedDecision &Hit);
  /// An authenticated entry's winner run alone, in a child, and its IR
  /// applied when it has the entry's digest (without one: when it measures
  /// the entry's size).
  bool confirmAuthentic(const CachedDecision &Hit, ModulePassManager &Winner,
                        CandidateRecord &C);
  /// The trials this module may spend: -llmc-effort, else the number of
  /// candidates asked of the model.
  unsigned budget() const;
  std::vector<std::string> candidatesFromModel(StringRef Bitcode);
  bool runTrials(ArrayRef<std::string> Pipelines);
  /// Spends what is left of the budget on pipelines near the smallest ones
  /// measured so far (pybridge/localsearch.py proposes, this run measures).
  void searchAround(unsigned Left);
  /// The index in D.Candidates of the smallest win (with -llmc-force in list
  /// mode, of the first candidate that verified).
  std::optional<size_t> best() const;
  /// Applies the IR the trial of D.Candidates[Best] handed back.
  bool apply(size_t Best);
  /// The decision's cache key; "" when the model cannot be read (then the
  /// ranking reports why, and nothing is cached).
  std::string cacheKey(StringRef Bitcode);
  void remember(DecisionCache &Cache, StringRef Key);
  PreservedAnalyses finish(bool Changed);
};

std::optional<std::string> Decider::admit(StringRef P, ModulePassManager &Out) {
  if (auto Why = checkPipeline(P))
    return Why;
  defaultPipeline(); // built before the first candidate is parsed
  if (Error Err = PB.parsePassPipeline(Out, P))
    return firstLine(toString(std::move(Err)));
  return std::nullopt;
}

std::optional<std::string> Decider::adopt(const IRSnapshot &S,
                                          uint64_t Digest) {
  // Nothing cached may outlive the functions it was computed on.
  AM.invalidate(M, PreservedAnalyses::none());
  if (Error Err = S.adoptInto(M, Digest))
    return firstLine(toString(std::move(Err)));
  if (E != Entry::Pass)
    shield(M);
  return std::nullopt;
}

bool Decider::makeTargetMachine() {
  // The compiler's own machine when it has one (at pipeline start in clang),
  // else one configured from the module as clang would.
  TM = E != Entry::Pass ? targetMachineOf(PB) : nullptr;
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

TrialResult Decider::measureAsCompiled() {
  if (E != Entry::Pass) {
    shield(M);
    defaultPipeline().run(M, AM);
    unshield(M);
  }
  return measure(M, Mt, TM, O.GcSafe, imageRelocs());
}

bool Decider::recordBaseline(const TrialResult &Base) {
  if (Base.S != TrialResult::Ok) {
    // The compiler will hit the same problem on its own; llmc stays out.
    D.Fallback =
        std::string("baseline ") + statusName(Base.S) + ": " + Base.Reason;
    return false;
  }
  D.BaselineSize = Base.Size;
  BaselineClosures = Base.Closures;
  return true;
}

std::optional<std::string> Decider::whyNoWin(const TrialResult &R) const {
  if (R.Size >= *D.BaselineSize)
    return "not smaller than " + D.BaselinePipeline;
  if (!BaselineClosures)
    return std::nullopt;
  if (!R.Closures)
    return std::string("closures not measured");
  // Both lists are sorted by name hash.
  unsigned Grown = 0, Common = 0;
  auto B = BaselineClosures->begin(), BE = BaselineClosures->end();
  for (const RootClosure &C : *R.Closures) {
    while (B != BE && B->NameHash < C.NameHash)
      ++B;
    if (B != BE && B->NameHash == C.NameHash) {
      ++Common;
      Grown += C.Bytes > B->Bytes;
    }
  }
  if (!Grown)
    return std::nullopt;
  return "smaller object, but " + std::to_string(Grown) + " of " +
         std::to_string(Common) +
         " global symbols keep more bytes in a --gc-sections link";
}

TrialResult Decider::trialWork(ModulePassManager &Candidate,
                               const IRSnapshot &S, bool Measure) {
  NestedPipeline G;
  Candidate.run(M, AM);
  injectFault(O.Inject, M);
  std::string VerifyErr;
  raw_string_ostream VOS(VerifyErr);
  if (verifyModule(M, &VOS))
    return TrialResult::fail(TrialResult::Invalid,
                             "verifier: " + firstLine(VOS.str()));
  Expected<uint64_t> Digest = S.write(M);
  if (!Digest)
    return TrialResult::fail(TrialResult::Failed,
                             "cannot hand the IR back: " +
                                 toString(Digest.takeError()));
  if (O.Inject == "snapshot")
    *Digest ^= 1; // the parent must refuse what does not match
  TrialResult R = Measure ? measureAsCompiled() : TrialResult::ok(0);
  R.Digest = *Digest;
  return R;
}

/// A fresh snapshot for a child, or the failed result its trial has.
std::optional<TrialResult> makeSnapshot(IRSnapshot &Out) {
  Expected<IRSnapshot> S = IRSnapshot::create();
  if (S) {
    Out = std::move(*S);
    return std::nullopt;
  }
  return TrialResult::fail(TrialResult::Failed, "cannot hand the IR back: " +
                                                    toString(S.takeError()));
}

/// A cache entry is a file anyone with access could edit: its pipeline passes
/// the same checks as a model's, and its winner is applied only when it
/// measures smaller than this run's own baseline; otherwise the module is
/// decided again (and the entry rewritten).
bool Decider::useCached(const CachedDecision &Hit) {
  if (Hit.IsBaseline) {
    // Leaving the module to the compiler's own pipeline is always safe.
    D.Fallback = "cached decision: no candidate beat " + D.BaselinePipeline;
    return true;
  }
  CandidateRecord C{Hit.Winner, "rejected", std::nullopt, ""};
  ModulePassManager Winner;
  IRSnapshot S;
  if (auto Why = admit(Hit.Winner, Winner)) {
    C.Reason = "cached winner: " + *Why;
  } else if (!makeTargetMachine()) {
    return false;
  } else if (Hit.Authentic && confirmAuthentic(Hit, Winner, C)) {
    return true;
  } else if (std::optional<TrialResult> NoSnapshot = makeSnapshot(S)) {
    C.Status = statusName(NoSnapshot->S);
    C.Reason = NoSnapshot->Reason;
  } else {
    // The baseline and the cached winner side by side.
    std::vector<TrialResult> Both = runIsolatedTogether(
        {[&] { return baselineWork(); }, [&] { return trialWork(Winner, S); }},
        O.Timeout);
    if (!recordBaseline(Both[0]))
      return false; // the fallback says why; the model would not help either
    TrialResult &R = Both[1];
    C.Status = statusName(R.S);
    C.Reason = R.Reason;
    if (R.S == TrialResult::Ok) {
      C.Size = R.Size;
      std::optional<std::string> NoWin = whyNoWin(R);
      if (!NoWin)
        NoWin = adopt(S, R.Digest);
      if (!NoWin) {
        D.Winner = Hit.Winner;
        D.WinnerSize = R.Size;
        D.Candidates.push_back(std::move(C));
        return true;
      }
      C.Reason = "cached winner " + *NoWin;
    }
  }
  D.Notes.push_back("cache entry not used ('" + C.Pipeline + "' " + C.Status +
                    (C.Reason.empty() ? "" : ": " + C.Reason) +
                    "): decided again");
  D.Candidates.push_back(std::move(C));
  return false;
}

// The entry's MAC says a compiler holding this run's secret measured both
// sizes on this very input (the key covers the module, the model, the options
// and the machine), and compiles are deterministic. So the winner runs again
// in a child, and the IR it hands back is applied when it has the digest the
// entry recorded: it is the IR measured then (an entry without a digest has
// the winner measured again, to the byte).
bool Decider::confirmAuthentic(const CachedDecision &Hit,
                               ModulePassManager &Winner, CandidateRecord &C) {
  if (Hit.WinnerSize >= Hit.BaselineSize)
    return false;
  bool ByDigest = Hit.IRDigest != 0;
  IRSnapshot S;
  std::optional<TrialResult> NoSnapshot = makeSnapshot(S);
  TrialResult R = NoSnapshot ? *NoSnapshot
                             : runIsolated(
                                   [&] {
                                     return trialWork(Winner, S,
                                                      /*Measure=*/!ByDigest);
                                   },
                                   O.Timeout);
  bool Same = R.S == TrialResult::Ok &&
              (ByDigest ? R.Digest == Hit.IRDigest : R.Size == Hit.WinnerSize);
  std::optional<std::string> NotApplied;
  if (Same && !(NotApplied = adopt(S, R.Digest))) {
    D.BaselineSize = Hit.BaselineSize;
    D.Winner = Hit.Winner;
    D.WinnerSize = Hit.WinnerSize;
    C.Status = "ok";
    C.Size = Hit.WinnerSize;
    D.Candidates.push_back(std::move(C));
    D.Notes.push_back(ByDigest ? "authenticated cache entry: the winner's IR "
                                 "is the one measured when it was written"
                               : "authenticated cache entry: the winner "
                                 "measured again, the baseline's size taken "
                                 "from the entry");
    return true;
  }
  std::string Got =
      NotApplied               ? "not applied: " + *NotApplied
      : R.S != TrialResult::Ok ? std::string(statusName(R.S)) + ": " + R.Reason
      : ByDigest               ? "another IR than recorded"
                 : std::to_string(R.Size) + " bytes, the entry says " +
                       std::to_string(Hit.WinnerSize);
  D.Notes.push_back("authenticated cache entry not confirmed (" + Got +
                    "): measured beside the baseline");
  Deterministic &= R.S != TrialResult::Timeout;
  return false;
}

std::vector<std::string> Decider::candidatesFromModel(StringRef Bitcode) {
  auto RankStart = std::chrono::steady_clock::now();
  // A language model reads the IR as LLVM prints it: print only for one.
  std::string IRText;
  if (!O.LM.empty()) {
    raw_string_ostream OS(IRText);
    M.print(OS, nullptr);
  }
  // Past the model's best, the rest of the table in the model's order; what
  // the table cannot fill goes to the local search.
  unsigned K = budget();
  RankReply Reply =
      rankCandidates({Bitcode, IRText, K, O.Model, O.LM, O.LMBudgetMs, O.Server,
                      O.RankTimeoutMs, /*Search=*/""});
  D.RankMs = msSince(RankStart);
  D.ModelId = Reply.ModelId;
  D.Ranker = Reply.Via;
  D.Notes.insert(D.Notes.end(), Reply.Notes.begin(), Reply.Notes.end());
  for (auto &[Pipeline, Reason] : Reply.Rejected)
    D.Candidates.push_back({Pipeline, "rejected", std::nullopt, Reason});
  if (!Reply.Error.empty()) {
    D.Fallback = Reply.Error;
    diagnose(M, Reply.Error, O.Strict, D.BaselinePipeline);
  }
  return std::move(Reply.Pipelines);
}

unsigned Decider::budget() const {
  if (O.Effort)
    return std::min(O.Effort, MaxEffort);
  // A link decides once per program, so it can afford more trials.
  return E == Entry::LinkTime ? std::max(O.Candidates, O.LinkCandidates)
                              : O.Candidates;
}

size_t Decider::trialsAtOnce(size_t Pending, JobSlots &Slots,
                             StringRef &From) const {
  size_t Want = std::min<size_t>(
      Pending,
      O.Jobs ? std::min<size_t>(O.Jobs, MaxTrialsAtOnce) : MaxTrialsAtOnce);
  if (Want <= 1)
    return 1;
  const char *Env = std::getenv("MAKEFLAGS");
  StringRef MakeFlags = Env ? Env : "";
  Slots = JobSlots::borrow(MakeFlags, Want - 1);
  if (!Slots.kind().empty()) {
    From = "jobserver"; // make decides
    return 1 + Slots.count();
  }
  if (O.Jobs) {
    From = "llmc-jobs";
    return Want;
  }
  if (JobSlots::named(MakeFlags))
    return 1; // make runs jobs in parallel and lends this compile no slot
  From = "idle cpus";
  return 1 + std::min<size_t>({Want - 1, idleCpus(), childrenMemoryAllows()});
}

/// Each candidate in its own child, recorded in D.Candidates; several at once
/// where -llmc-jobs, make's jobserver or idle CPUs allow. A baseline not yet
/// measured runs in the first batch, beside the first candidates: false when
/// it fails (the fallback says why, and no candidate is recorded).
bool Decider::runTrials(ArrayRef<std::string> Pipelines) {
  bool NeedBaseline = !D.BaselineSize;
  if (NeedBaseline && !makeTargetMachine())
    return false;
  size_t First = D.Candidates.size();
  std::vector<std::pair<size_t, ModulePassManager>> Ready;
  for (const std::string &P : Pipelines) {
    CandidateRecord C{P, "rejected", std::nullopt, ""};
    ModulePassManager Parsed;
    if (auto Why = admit(P, Parsed))
      C.Reason = *Why;
    else
      Ready.emplace_back(D.Candidates.size(), std::move(Parsed));
    D.Candidates.push_back(std::move(C));
  }
  for (size_t Next = 0; Next < Ready.size() || NeedBaseline;) {
    size_t Base = NeedBaseline; // the baseline's place in this batch: first
    JobSlots Slots;
    StringRef From;
    size_t AtOnce = trialsAtOnce(Ready.size() - Next + Base, Slots, From);
    if (AtOnce > MostAtOnce) {
      MostAtOnce = AtOnce;
      SlotsFrom = From.str();
    }
    size_t N = AtOnce - Base; // candidates in this batch
    std::vector<IRSnapshot> Snapshots(N);
    std::vector<std::function<TrialResult()>> Works;
    if (Base)
      Works.push_back([this] { return baselineWork(); });
    for (size_t J = 0; J < N; ++J) {
      std::optional<TrialResult> NoSnapshot = makeSnapshot(Snapshots[J]);
      Works.push_back([this, &Ready, &Snapshots, NoSnapshot, Next, J] {
        return NoSnapshot ? *NoSnapshot
                          : trialWork(Ready[Next + J].second, Snapshots[J]);
      });
    }
    std::vector<function_ref<TrialResult()>> Refs(Works.begin(), Works.end());
    std::vector<TrialResult> Results = runIsolatedTogether(Refs, O.Timeout);
    if (Base) {
      NeedBaseline = false;
      if (!recordBaseline(Results[0])) {
        D.Candidates.resize(First);
        return false;
      }
    }
    for (size_t J = 0; J < N; ++J) {
      TrialResult &R = Results[Base + J];
      size_t I = Ready[Next + J].first;
      CandidateRecord &C = D.Candidates[I];
      C.Status = statusName(R.S);
      C.Reason = R.Reason;
      Deterministic &= R.S != TrialResult::Timeout;
      if (R.S == TrialResult::Ok) {
        C.Size = R.Size;
        std::optional<std::string> NoWin = whyNoWin(R);
        if (NoWin && R.Size < *D.BaselineSize)
          C.Reason = *NoWin; // smaller, yet not a win: say why
        Wins[I] = !NoWin;
      }
    }
    // Only the smallest win's IR is kept: the others are let go here.
    if (std::optional<size_t> Best = best();
        Best && (!Winning || Winning->Index != *Best))
      for (size_t J = 0; J < N; ++J)
        if (Ready[Next + J].first == *Best)
          Winning =
              HeldIR{*Best, Results[Base + J].Digest, std::move(Snapshots[J])};
    Next += N;
  }
  if (O.Strict)
    for (size_t I = First; I < D.Candidates.size(); ++I)
      if (const CandidateRecord &C = D.Candidates[I]; C.Status != "ok")
        diagnose(M,
                 "candidate '" + C.Pipeline + "' " + C.Status + ": " + C.Reason,
                 /*Strict=*/true);
  return true;
}

std::optional<size_t> Decider::best() const {
  std::optional<size_t> Best;
  for (size_t I = 0; I < D.Candidates.size(); ++I) {
    const CandidateRecord &C = D.Candidates[I];
    if (!C.Size)
      continue;
    if (O.Force && Src == Source::List)
      return I;
    if (!O.Force && Wins.lookup(I) &&
        (!Best || *C.Size < *D.Candidates[*Best].Size))
      Best = I;
  }
  return Best;
}

void Decider::searchAround(unsigned Left) {
  StringSet<> Tried;
  for (const CandidateRecord &C : D.Candidates)
    Tried.insert(C.Pipeline);
  unsigned Rounds = 0, Proposed = 0;
  for (; Left > 0; ++Rounds) {
    // Everything measured, the baseline first: the proposer ranks by size.
    json::Array Evaluated;
    Evaluated.push_back(
        json::Array{D.BaselinePipeline, int64_t(*D.BaselineSize)});
    for (const CandidateRecord &C : D.Candidates)
      Evaluated.push_back(json::Array{
          C.Pipeline, C.Size ? json::Value(int64_t(*C.Size)) : nullptr});
    std::string Search;
    raw_string_ostream(Search) << json::Value(
        json::Object{{"seed", int64_t((Seed + Rounds) & INT64_MAX)},
                     {"evaluated", std::move(Evaluated)}});
    RankRequest Request{"",
                        "",
                        std::min(Left, SearchBatch),
                        O.Model,
                        "",
                        0,
                        O.Server,
                        O.RankTimeoutMs,
                        std::move(Search)};
    RankReply Reply = rankCandidates(Request);
    if (!Reply.Error.empty()) {
      D.Notes.push_back("search stopped: " + Reply.Error);
      break;
    }
    // A proposal counts against the budget whether it runs or is refused.
    std::vector<std::string> Fresh;
    for (std::string &P : Reply.Pipelines)
      if (Fresh.size() < Left && Tried.insert(P).second)
        Fresh.push_back(std::move(P));
    for (auto &[Pipeline, Reason] : Reply.Rejected)
      if (Fresh.size() < Left && Tried.insert(Pipeline).second) {
        D.Candidates.push_back({Pipeline, "rejected", std::nullopt, Reason});
        --Left;
      }
    if (Fresh.empty())
      break; // nothing new near what was measured
    Left -= Fresh.size();
    Proposed += Fresh.size();
    runTrials(Fresh);
  }
  D.Notes.push_back("search: " + std::to_string(Proposed) + " pipelines in " +
                    std::to_string(Rounds) +
                    (Rounds == 1 ? " round" : " rounds"));
}

bool Decider::apply(size_t Best) {
  const CandidateRecord &C = D.Candidates[Best];
  std::optional<std::string> Why =
      !Winning || Winning->Index != Best
          ? std::optional<std::string>("its IR was not kept")
          : adopt(Winning->Snapshot, Winning->Digest);
  if (Why) {
    D.Notes.push_back("'" + C.Pipeline + "' not applied: " + *Why);
    return false;
  }
  WinnerDigest = Winning->Digest;
  D.Winner = C.Pipeline;
  D.WinnerSize = C.Size;
  return true;
}

std::string Decider::cacheKey(StringRef Bitcode) {
  SmallString<256> ModelPath(O.Model);
  if (ModelPath.empty()) {
    ModelPath = pluginDirectory();
    sys::path::append(ModelPath, "..", "data", "model.onnx");
  }
  auto Model = MemoryBuffer::getFile(ModelPath, /*IsText=*/false,
                                     /*RequiresNullTerminator=*/false);
  if (!Model)
    return "";
  std::string Machine;
  if (TargetMachine *T = E != Entry::Pass ? targetMachineOf(PB) : nullptr) {
    raw_string_ostream OS(Machine);
    OS << T->getTargetTriple().str() << ' ' << T->getTargetCPU() << ' '
       << T->getTargetFeatureString() << ' ' << int(T->getRelocationModel())
       << ' ' << T->Options.FunctionSections << T->Options.DataSections
       << T->Options.UniqueSectionNames << T->Options.EmitAddrsig;
  }
  std::string Opts = D.Tool + " " + D.Level + " " + D.Metric + " " +
                     (O.GcSafe ? "gc-safe " : "") + std::to_string(budget()) +
                     " " + std::to_string(O.Candidates) + " " +
                     std::to_string(O.LinkCandidates) + " " +
                     std::to_string(O.MinInstructions) + " " + O.LM;
  return DecisionCache::key({"llmc-decision-v2", LLMC_VERSION,
                             LLVM_VERSION_STRING, Opts, Machine,
                             (*Model)->getBuffer(), Bitcode});
}

void Decider::remember(DecisionCache &Cache, StringRef Key) {
  if (Key.empty() || !Deterministic || Src != Source::Model)
    return;
  // The entry is rendered from the decision record, as the remark and the
  // log line are: the winner, or the baseline when nothing beat it.
  bool Baseline = D.Winner.empty();
  CachedDecision CD;
  CD.Winner = Baseline ? D.BaselinePipeline : D.Winner;
  CD.IsBaseline = Baseline;
  CD.WinnerSize = Baseline ? *D.BaselineSize : *D.WinnerSize;
  CD.BaselineSize = *D.BaselineSize;
  CD.IRDigest = Baseline ? 0 : WinnerDigest;
  if (Error Err = Cache.store(Key, CD))
    diagnose(M, toString(std::move(Err)), /*Strict=*/false);
}

PreservedAnalyses Decider::finish(bool Changed) {
  D.Source = sourceName(Src);
  if (D.Winner.empty()) {
    D.Winner = D.BaselinePipeline;
    D.WinnerSize = D.BaselineSize;
    // In opt, exactly what opt -passes='default<Level>' writes.
    if (E == Entry::Pass)
      runBaseline();
  }
  if (MostAtOnce > 1)
    D.Notes.push_back("trials: up to " + std::to_string(MostAtOnce) +
                      " at once (" + SlotsFrom + ")");
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
      if (Src == Source::Cache)
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
    if (Error Err = appendDecision(O.Log, D))
      diagnose(M, toString(std::move(Err)), O.Strict);
  }
  return Changed || E == Entry::Pass ? PreservedAnalyses::none()
                                     : PreservedAnalyses::all();
}

PreservedAnalyses Decider::run() {
  // Where the candidates come from: nowhere, a list, the cache or the model.
  std::vector<std::string> Pipelines;
  std::string Key;
  DecisionCache Cache(O.CacheDir == "off"  ? ""
                      : O.CacheDir.empty() ? DecisionCache::defaultDirectory()
                                           : O.CacheDir,
                      O.CacheMaxEntries,
                      O.CacheSecret == "off" ? ""
                      : O.CacheSecret.empty()
                          ? DecisionCache::defaultSecretPath()
                          : O.CacheSecret);
  uint64_t Instructions = irInstructionCount(M);
  if (Instructions < O.MinInstructions) {
    D.Fallback = "module too small (" + std::to_string(Instructions) +
                 " IR instructions)";
  } else if (!O.Pipelines.empty()) {
    Src = Source::List;
    if (auto List = readPipelineList(O.Pipelines)) {
      Pipelines = std::move(*List);
    } else {
      D.Fallback = toString(List.takeError());
      diagnose(M, D.Fallback, O.Strict, D.BaselinePipeline);
    }
  } else if (budget() == 0) {
    D.Fallback = "no candidates requested (llmc-candidates=0)";
  } else {
    std::string Bitcode = anonymousBitcode(M);
    if (Cache.enabled() && O.Inject.empty())
      Key = cacheKey(Bitcode);
    if (!Key.empty())
      if (std::optional<CachedDecision> Hit = Cache.lookup(Key)) {
        Src = Source::Cache;
        auto TrialsStart = std::chrono::steady_clock::now();
        bool Used = useCached(*Hit);
        D.TrialsMs = msSince(TrialsStart);
        if (Used)
          return finish(/*Changed=*/D.Fallback.empty());
        if (!D.Fallback.empty())
          return finish(false); // the baseline itself failed
      }
    Src = Source::Model;
    Seed = xxh3_64bits(Bitcode);
    Pipelines = candidatesFromModel(Bitcode);
    // At link time the per-module size pipeline is a candidate of its own:
    // LTO's default pipeline is lto<O2>, a speed pipeline, even for -Oz.
    if (E == Entry::LinkTime && D.Fallback.empty() &&
        !is_contained(Pipelines, "default<Oz>"))
      Pipelines.push_back("default<Oz>");
  }
  if (Pipelines.empty()) {
    if (D.Fallback.empty())
      D.Fallback = "no candidate pipelines";
    return finish(false);
  }

  // Trials: the baseline and each candidate, each in its own child.
  auto TrialsStart = std::chrono::steady_clock::now();
  bool Measured = runTrials(Pipelines);
  // Only an explicit effort searches: the default tries the table's k.
  if (Measured && Src == Source::Model && O.Effort &&
      budget() > Pipelines.size())
    searchAround(budget() - Pipelines.size());
  std::optional<size_t> Best = best();
  D.TrialsMs = msSince(TrialsStart);
  if (!Measured)
    return finish(false);
  if (!Best) {
    D.Fallback = "no verified candidate is smaller than " + D.BaselinePipeline;
    remember(Cache, Key);
    return finish(false);
  }
  if (apply(*Best)) {
    remember(Cache, Key);
    return finish(true);
  }
  D.Fallback = "the winner's IR could not be applied";
  return finish(false);
}

} // namespace

namespace {

/// A missed-optimization remark on the module's first function: where llmc
/// stays out, it says why.
void remarkLeftAlone(Module &M, StringRef Name, const Twine &Why) {
  if (const Function *F = firstDefinition(M)) {
    OptimizationRemarkMissed R(DEBUG_TYPE, Name, F);
    R << Why.str();
    M.getContext().diagnose(R);
  }
}

/// clang's LTO pre-link pipeline sets this flag before it runs (full LTO
/// also sets ThinLTO=0): the bitcode goes to the link, where llmc decides.
bool isLTOPreLink(const Module &M) {
  return M.getModuleFlag("EnableSplitLTOUnit") != nullptr;
}

bool isThinLTO(const Module &M) {
  auto *Thin =
      mdconst::extract_or_null<ConstantInt>(M.getModuleFlag("ThinLTO"));
  return !Thin || !Thin->isZero();
}

/// At link time the level is the linker's (clang passes -plugin-opt=O2 for
/// -Oz objects); the objects' functions say whether they were built for size.
bool builtForSize(const Module &M) {
  unsigned Defined = 0, ForSize = 0;
  for (const Function &F : M)
    if (!F.isDeclaration()) {
      ++Defined;
      ForSize += F.hasMinSize() || F.hasOptSize();
    }
  return Defined && 2 * ForSize >= Defined;
}

/// The module the last decision was made on, until the pipeline's end. A
/// plugin named twice (-fpass-plugin in CFLAGS and LDFLAGS, both on one link
/// line) registers its callbacks twice, so the pipeline holds two
/// AutotunePasses: the second must not decide again on the first's result.
const Module *DecidedInThisPipeline = nullptr;

} // namespace

PreservedAnalyses AutotunePass::run(Module &M, ModuleAnalysisManager &AM) {
  if (NestedPipeline::Active || DecidedInThisPipeline == &M)
    return PreservedAnalyses::all();
  DecidedInThisPipeline = &M;
  if (E == Entry::PipelineStart && isLTOPreLink(M)) {
    // The pre-link bitcode stays exactly plain clang's.
    if (isThinLTO(M))
      remarkLeftAlone(M, "ThinLTO",
                      "llmc does not decide under ThinLTO (-flto=thin): use "
                      "full LTO (-flto) to decide at link time");
    else
      remarkLeftAlone(
          M, "LTOPreLink",
          "llmc decides at link time under -flto (llmc flags --lto)");
    return PreservedAnalyses::all();
  }
  if (E == Entry::LinkTime && !builtForSize(M) && !decidesAt(Level)) {
    remarkLeftAlone(M, "LevelLeftAlone",
                    "llmc left the link's lto<" + levelName(Level) +
                        "> alone: the objects were not built for size");
    return PreservedAnalyses::all();
  }
  return Decider(PB, E, Level, M, AM).run();
}

PreservedAnalyses UnshieldPass::run(Module &M, ModuleAnalysisManager &) {
  DecidedInThisPipeline = nullptr; // the pipeline ends here
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
  Expected<ObjectMeasure> Measured =
      measureObject(*Copy, **TM, /*Closures=*/false, /*ImageRelocs=*/true);
  if (Measured)
    errs() << " object=" << Measured->Size - Measured->ImageRelocBytes
           << " pie-reloc-bytes=" << Measured->ImageRelocBytes << "\n";
  else
    errs() << " object=error: " << toString(Measured.takeError()) << "\n";
  return PreservedAnalyses::all();
}

//===- Registration -------------------------------------------------------===//

namespace {

/// Where llmc does not decide it only says so, in a remark: at -O0 (every
/// function is optnone) and at the levels -llmc-levels leaves to clang.
struct NoticePass : PassInfoMixin<NoticePass> {
  std::string Why;
  explicit NoticePass(std::string Why) : Why(std::move(Why)) {}
  PreservedAnalyses run(Module &M, ModuleAnalysisManager &) {
    remarkLeftAlone(M, "LevelLeftAlone", Why);
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
  // clang -Os/-Oz -fpass-plugin=libllmc.so (the levels of -llmc-levels):
  // decide at pipeline start. A speed build (-O2 beside -Oz files) keeps
  // clang's own pipeline, byte for byte.
  PB.registerPipelineStartEPCallback(
      [&PB](ModulePassManager &MPM, OptimizationLevel Level) {
        if (Level == OptimizationLevel::O0)
          MPM.addPass(NoticePass("llmc does not act at -O0 (every function "
                                 "is optnone): left alone"));
        else if (!decidesAt(Level))
          MPM.addPass(NoticePass("llmc left -" + levelName(Level) +
                                 " to clang's own pipeline (llmc-levels is '" +
                                 levelsSetting() + "')"));
        else
          MPM.addPass(AutotunePass(PB, Entry::PipelineStart, Level));
      });
  // lld --load-pass-plugin=libllmc.so under full LTO: decide on the merged,
  // internalized module; unshield before its code generation.
  PB.registerFullLinkTimeOptimizationEarlyEPCallback(
      [&PB](ModulePassManager &MPM, OptimizationLevel Level) {
        if (Level != OptimizationLevel::O0)
          MPM.addPass(AutotunePass(PB, Entry::LinkTime, Level));
      });
  PB.registerFullLinkTimeOptimizationLastEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel) {
        MPM.addPass(UnshieldPass());
      });
  PB.registerOptimizerLastEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel) {
        MPM.addPass(UnshieldPass());
      });
}

/// The major of a loaded shared LLVM from its file name ("libLLVM-14.so.1",
/// "libLLVM.so.19.1", "libLLVM-19.so"), or 0 when Path is not one.
int llvmMajorOfLibrary(const char *Path) {
  const char *Base = std::strrchr(Path, '/');
  Base = Base ? Base + 1 : Path;
  if (std::strncmp(Base, "libLLVM", 7) != 0)
    return 0;
  const char *Rest = Base + 7;
  if (*Rest == '-')
    ++Rest;
  else if (std::strncmp(Rest, ".so.", 4) == 0)
    Rest += 4;
  else
    return 0;
  int Major = 0;
  for (; *Rest >= '0' && *Rest <= '9' && Major < 1000; ++Rest)
    Major = Major * 10 + (*Rest - '0');
  return Major;
}

/// The LLVM major of the opt or clang that loaded us. A plugin built for
/// another major would crash on the host's PassBuilder, so it must notice
/// before registering anything. A host linked against a shared LLVM of
/// another major has it loaded beside ours; one without LLVMGetVersion (LLVM
/// 15 and older) would otherwise find ours.
unsigned hostLLVMMajor() {
  int Other = 0;
  ::dl_iterate_phdr(
      [](struct dl_phdr_info *Info, size_t, void *Found) {
        int Major = Info->dlpi_name ? llvmMajorOfLibrary(Info->dlpi_name) : 0;
        if (Major && Major != LLVM_VERSION_MAJOR)
          *static_cast<int *>(Found) = Major;
        return 0;
      },
      &Other);
  if (Other)
    return unsigned(Other);
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
