/*===- BridgeABI.h - the C boundary between the plugin and Python -*- C -*-===*\
|*                                                                            *|
|* The plugin does not link Python: it loads libllmc_python.so, which embeds  *|
|* the interpreter, only when a module needs the model. So a machine without  *|
|* libpython still compiles (with -Oz), and compiles that never reach a       *|
|* decision never pay for Python. Plain C types only: the two libraries are   *|
|* built with different exception settings.                                   *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef LLMC_BRIDGEABI_H
#define LLMC_BRIDGEABI_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One module's question to pybridge.rank. */
struct LLMCBridgeRequest {
  const char *Bitcode; /* LLVM bitcode of the module */
  size_t BitcodeSize;
  const char *IRText; /* the module as LLVM prints it; only for a language
                         model, else empty */
  size_t IRTextSize;
  unsigned K;            /* candidates wanted from the ranker */
  const char *ModelPath; /* "" = the shipped model */
  const char *LMPath;    /* "" = no language model */
  unsigned LMBudgetMs;   /* generation time limit */
  const char *Search;    /* a local-search request (JSON, documented in
                            pybridge/localsearch.py) instead of a ranking; or
                            empty */
  size_t SearchSize;
};

/* Receives the answer, once. When llmc_bridge_rank returns 0 the bytes are
 * pybridge.rank_json's reply, JSON (the format is documented in
 * pybridge/__init__.py and decoded only by BridgeClient.cpp); otherwise they
 * are one line saying why Python gave no reply. */
typedef void (*LLMCBridgeReply)(void *Ctx, const char *Bytes, size_t Length);

/* Ranks candidate pipelines for one module; returns 0 when Reply got a JSON
 * reply. Never throws. Starts the interpreter on first use: the plugin calls
 * it only in a child process of the compiler (BridgeClient.cpp). */
int llmc_bridge_rank(const struct LLMCBridgeRequest *Request,
                     LLMCBridgeReply Reply, void *Ctx);

/* Starts the ranking server (pybridge/server.py) listening on SocketPath, in
 * a detached process with the embedded interpreter's settings. Returns its
 * pid, or -1. The server exits by itself when another one already listens.
 * Forks and execs a fresh interpreter: Python never starts in the caller. */
int llmc_bridge_spawn_server(const char *SocketPath);

#define LLMC_BRIDGE_LIBRARY "libllmc_python.so"
#define LLMC_BRIDGE_SYMBOL "llmc_bridge_rank"
#define LLMC_BRIDGE_SPAWN_SYMBOL "llmc_bridge_spawn_server"

#ifdef __cplusplus
}
#endif

#endif /* LLMC_BRIDGEABI_H */
