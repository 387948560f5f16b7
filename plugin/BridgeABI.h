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
};

enum LLMCBridgeField {
  LLMC_BRIDGE_PIPELINE = 0, /* one candidate pipeline, best first */
  LLMC_BRIDGE_ERROR = 1,    /* one line: why there are no candidates */
  LLMC_BRIDGE_MODEL_ID = 2, /* hash of the model file that ranked them */
  LLMC_BRIDGE_REJECTED = 3, /* "pipeline\treason": refused before trial */
  LLMC_BRIDGE_NOTE = 4,     /* one line worth logging (language model...) */
};

typedef void (*LLMCBridgeEmit)(void *Ctx, int Field, const char *Text,
                               size_t Length);

/* Ranks candidate pipelines for one module. Calls Emit once per field value;
 * returns 0 on success. Never throws. */
int llmc_bridge_rank(const struct LLMCBridgeRequest *Request,
                     LLMCBridgeEmit Emit, void *Ctx);

/* Starts the ranking server (pybridge/server.py) listening on SocketPath, in
 * a detached process with the embedded interpreter's settings. Returns its
 * pid, or -1. The server exits by itself when another one already listens. */
int llmc_bridge_spawn_server(const char *SocketPath);

#define LLMC_BRIDGE_LIBRARY "libllmc_python.so"
#define LLMC_BRIDGE_SYMBOL "llmc_bridge_rank"
#define LLMC_BRIDGE_SPAWN_SYMBOL "llmc_bridge_spawn_server"

#ifdef __cplusplus
}
#endif

#endif /* LLMC_BRIDGEABI_H */
