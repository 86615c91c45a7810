#ifndef PERIMETRE_CLZMA_SHIM_H
#define PERIMETRE_CLZMA_SHIM_H
#include <lzma.h>
// LZMA_STREAM_INIT is a compound-literal macro Swift cannot import.
static inline lzma_stream perimetre_lzma_stream_init(void) { lzma_stream s = LZMA_STREAM_INIT; return s; }
#endif
