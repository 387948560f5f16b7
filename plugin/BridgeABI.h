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

enum LLMCBridgeField {
  LLMC_BRIDGE_PIPELINE = 0, /* one ranked pipeline, best first */
  LLMC_BRIDGE_ERROR = 1,    /* one line: why there are no candidates */
  LLMC_BRIDGE_MODEL_ID = 2, /* hash of the model file that ranked them */
};

typedef void (*LLMCBridgeEmit)(void *Ctx, int Field, const char *Text,
                               size_t Length);

/* Ranks candidate pipelines for one module given as LLVM bitcode. Calls Emit
 * once per field value; returns 0 on success. Never throws. */
int llmc_bridge_rank(const char *Bitcode, size_t Size, unsigned K,
                     const char *ModelPath, LLMCBridgeEmit Emit, void *Ctx);

#define LLMC_BRIDGE_LIBRARY "libllmc_python.so"
#define LLMC_BRIDGE_SYMBOL "llmc_bridge_rank"

#ifdef __cplusplus
}
#endif

#endif /* LLMC_BRIDGEABI_H */
