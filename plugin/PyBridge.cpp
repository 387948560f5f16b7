//===- PyBridge.cpp - the only C++ that talks to Python -------------------===//
//
// Built into libllmc_python.so with exceptions on (pybind11 needs them; LLVM
// is built without), and loaded by the plugin's ranking child (and by the
// compiler only to start the server, which runs no Python in it). The
// interpreter:
//  - starts once per process, lazily, and is never finalized: extension
//    modules such as numpy do not survive a restart, and the ranking child
//    exits with _exit;
//  - is isolated: PYTHONPATH, PYTHONHOME, user site-packages and the working
//    directory are ignored, so a numpy.py in the tree being built is never
//    imported; it sees the standard library it was built against and the
//    site-packages this library is installed in, plus LLMC_PYTHONPATH, which
//    only a user sets on purpose;
//  - holds the GIL only during a call.
// The plugin calls llmc_bridge_rank only in a child process of the compiler
// (BridgeClient.cpp), so the compiler itself never runs Python; the reply is
// pybridge.rank_json's bytes, forwarded as they are.
// It also starts the ranking server (pybridge/server.py): the same
// interpreter, as isolated, with the same search path, in a process of its
// own.
//
//===----------------------------------------------------------------------===//

#include "BridgeABI.h"

#include <pybind11/embed.h>
#include <pybind11/stl.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <filesystem>
#include <mutex>
#include <signal.h>
#include <string>
#include <unistd.h>
#include <vector>

namespace py = pybind11;
namespace fs = std::filesystem;

namespace {

std::once_flag InitOnce;
std::string InitError;

std::string firstLine(const std::string &Text) {
  return Text.substr(0, Text.find('\n'));
}

// <site-packages>/pybridge/lib/libllmc_python.so -> <site-packages>
fs::path sitePackages() {
  Dl_info Info{};
  if (!::dladdr(reinterpret_cast<void *>(&llmc_bridge_rank), &Info) ||
      !Info.dli_fname)
    return {};
  return fs::absolute(Info.dli_fname).parent_path().parent_path().parent_path();
}

std::vector<std::string> searchPath() {
  std::vector<std::string> Paths;
  if (const char *Extra = std::getenv("LLMC_PYTHONPATH")) {
    std::string S(Extra);
    for (size_t Start = 0; Start <= S.size();) {
      size_t End = S.find(':', Start);
      if (End == std::string::npos)
        End = S.size();
      if (End > Start)
        Paths.push_back(S.substr(Start, End - Start));
      Start = End + 1;
    }
  }
  Paths.push_back(LLMC_PYTHON_STDLIB);
  Paths.push_back(LLMC_PYTHON_DYNLOAD);
  Paths.push_back(sitePackages().string());
  return Paths;
}

void initialize() {
  // Extension modules resolve the C API from the global scope; the plugin
  // loaded us with RTLD_GLOBAL, make sure libpython is there too.
  ::dlopen(LLMC_LIBPYTHON, RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD);
  // Without its standard library Python aborts the process; check first.
  if (!fs::exists(fs::path(LLMC_PYTHON_STDLIB) / "encodings")) {
    InitError = "Python standard library not found at " LLMC_PYTHON_STDLIB;
    return;
  }
  PyConfig Config;
  PyConfig_InitIsolatedConfig(&Config);
  Config.install_signal_handlers = 0; // SIGINT belongs to the compiler
  Config.site_import = 0;
  Config.write_bytecode = 0; // nothing written to disk from a build
  Config.module_search_paths_set = 1;
  PyStatus S = PyConfig_SetBytesString(&Config, &Config.home, LLMC_PYTHON_HOME);
  for (const std::string &P : searchPath()) {
    if (PyStatus_Exception(S))
      break;
    std::wstring W(P.begin(), P.end());
    S = PyWideStringList_Append(&Config.module_search_paths, W.c_str());
  }
  if (!PyStatus_Exception(S))
    S = Py_InitializeFromConfig(&Config);
  PyConfig_Clear(&Config);
  if (PyStatus_Exception(S)) {
    InitError = std::string("cannot start Python: ") +
                (S.err_msg ? S.err_msg : "unknown error");
    return;
  }
  // A stray print() must never reach the compiler's stdout (opt -o -).
  PyRun_SimpleString("import os, sys\n"
                     "sys.stdout = open(os.devnull, 'w')\n"
                     "import warnings\n"
                     "warnings.simplefilter('ignore')\n");
  PyEval_SaveThread();
}

void fail(LLMCBridgeReply Reply, void *Ctx, const std::string &Why) {
  Reply(Ctx, Why.data(), Why.size());
}

} // namespace

extern "C" __attribute__((visibility("default"))) int
llmc_bridge_rank(const LLMCBridgeRequest *Req, LLMCBridgeReply Reply,
                 void *Ctx) {
  try {
    std::call_once(InitOnce, initialize);
  } catch (const std::exception &E) {
    InitError = std::string("cannot start Python: ") + E.what();
  }
  if (!InitError.empty()) {
    fail(Reply, Ctx, InitError);
    return 1;
  }
  int Result = 0;
  PyGILState_STATE State = PyGILState_Ensure();
  try {
    py::dict Request;
    Request["bitcode"] = py::bytes(Req->Bitcode, Req->BitcodeSize);
    Request["ir_text"] = py::str(Req->IRText, Req->IRTextSize);
    Request["k"] = Req->K;
    Request["model_path"] = std::string(Req->ModelPath);
    Request["lm_path"] = std::string(Req->LMPath);
    Request["lm_budget_ms"] = Req->LMBudgetMs;
    Request["search"] = py::str(Req->Search, Req->SearchSize);
    py::module_ Bridge = py::module_::import("pybridge");
    py::object Answer = Bridge.attr("rank_json")(Request);
    // Only forwarded: BridgeClient.cpp decodes and checks the reply.
    if (!py::isinstance<py::bytes>(Answer)) {
      fail(Reply, Ctx, "Python: pybridge.rank_json returned no bytes");
      Result = 1;
    } else {
      char *Data = nullptr;
      Py_ssize_t Size = 0;
      PyBytes_AsStringAndSize(Answer.ptr(), &Data, &Size);
      Reply(Ctx, Data, static_cast<size_t>(Size));
    }
  } catch (const py::error_already_set &E) {
    fail(Reply, Ctx, "Python: " + firstLine(E.what()));
    Result = 1;
  } catch (const std::exception &E) {
    fail(Reply, Ctx, "Python bridge: " + firstLine(E.what()));
    Result = 1;
  }
  PyGILState_Release(State);
  return Result;
}

extern "C" __attribute__((visibility("default"))) int
llmc_bridge_spawn_server(const char *SocketPath) {
  // Everything the child needs is built before fork: between fork and exec
  // only async-signal-safe calls are allowed.
  static const char Bootstrap[] = "import sys\n"
                                  "socket_path = sys.argv[1]\n"
                                  "sys.path[:] = sys.argv[2:]\n"
                                  "del sys.argv[1:]\n"
                                  "from pybridge.server import main\n"
                                  "sys.exit(main([socket_path]))\n";
  std::vector<std::string> Args = {
      LLMC_PYTHON_EXECUTABLE, "-I", "-S", "-B", "-c", Bootstrap, SocketPath};
  for (std::string &P : searchPath())
    Args.push_back(std::move(P));
  std::vector<char *> Argv;
  for (std::string &A : Args)
    Argv.push_back(A.data());
  Argv.push_back(nullptr);
  pid_t Pid = ::fork();
  if (Pid != 0)
    return Pid; // the compiler, or -1
  // The server outlives this compile: its own session (make's ^C is for the
  // compiler), no inherited descriptors (make and pipes wait for those), no
  // working directory of the build.
  ::setsid();
  sigset_t None;
  sigemptyset(&None);
  ::sigprocmask(SIG_SETMASK, &None, nullptr);
  int Null = ::open("/dev/null", O_RDWR);
  if (Null >= 0) {
    ::dup2(Null, 0);
    ::dup2(Null, 1);
    ::dup2(Null, 2);
  }
  ::close_range(3, ~0U, 0);
  if (::chdir("/") == 0)
    ::execv(Argv[0], Argv.data());
  ::_exit(127);
}
