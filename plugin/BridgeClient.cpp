//===- BridgeClient.cpp - ask the model for candidate pipelines -----------===//

#include "BridgeClient.h"
#include "BridgeABI.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"

#include <dlfcn.h>
#include <mutex>

using namespace llvm;

namespace {

using RankFn = decltype(&llmc_bridge_rank);

RankFn loadBridge(std::string &Error) {
  static std::once_flag Once;
  static RankFn Fn = nullptr;
  static std::string LoadError;
  std::call_once(Once, [] {
    SmallString<256> Path(llmc::pluginDirectory());
    sys::path::append(Path, LLMC_BRIDGE_LIBRARY);
    // RTLD_GLOBAL: Python extension modules look up libpython's symbols in
    // the global scope.
    void *Handle = ::dlopen(Path.c_str(), RTLD_NOW | RTLD_GLOBAL);
    if (!Handle) {
      const char *Why = ::dlerror();
      LoadError = std::string("cannot load the Python bridge: ") +
                  (Why ? Why : Path.c_str());
      return;
    }
    Fn = reinterpret_cast<RankFn>(::dlsym(Handle, LLMC_BRIDGE_SYMBOL));
    if (!Fn)
      LoadError = std::string("Python bridge ") + Path.c_str() + " has no " +
                  LLMC_BRIDGE_SYMBOL;
  });
  Error = LoadError;
  return Fn;
}

void collect(void *Ctx, int Field, const char *Text, size_t Length) {
  auto &Reply = *static_cast<llmc::RankReply *>(Ctx);
  std::string S(Text, Length);
  switch (Field) {
  case LLMC_BRIDGE_PIPELINE:
    Reply.Pipelines.push_back(std::move(S));
    break;
  case LLMC_BRIDGE_ERROR:
    Reply.Error = std::move(S);
    break;
  case LLMC_BRIDGE_MODEL_ID:
    Reply.ModelId = std::move(S);
    break;
  case LLMC_BRIDGE_REJECTED: {
    size_t Tab = S.find('\t');
    Reply.Rejected.emplace_back(S.substr(0, Tab),
                                Tab == std::string::npos ? ""
                                                         : S.substr(Tab + 1));
    break;
  }
  case LLMC_BRIDGE_NOTE:
    Reply.Notes.push_back(std::move(S));
    break;
  }
}

} // namespace

std::string llmc::pluginDirectory() {
  Dl_info Info{};
  if (!::dladdr(reinterpret_cast<void *>(&llmc::pluginDirectory), &Info) ||
      !Info.dli_fname)
    return ".";
  return sys::path::parent_path(Info.dli_fname).str();
}

llmc::RankReply llmc::rankCandidates(const RankRequest &Request) {
  RankReply Reply;
  RankFn Rank = loadBridge(Reply.Error);
  if (!Rank)
    return Reply;
  LLMCBridgeRequest R{Request.Bitcode.data(), Request.Bitcode.size(),
                      Request.IRText.data(),  Request.IRText.size(),
                      Request.K,              Request.ModelPath.c_str(),
                      Request.LMPath.c_str(), Request.LMBudgetMs};
  Rank(&R, collect, &Reply);
  if (!Reply.Error.empty())
    Reply.Pipelines.clear();
  return Reply;
}
