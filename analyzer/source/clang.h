/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libclang, loaded when the source stage first needs it rather than when the
 * program starts: loading it (and LLVM behind it) costs a tenth of a second of
 * relocations and constructors, which a report-only run or a run answered
 * from the source stage's cache never needs. The clang_* functions of
 * clang_api.def keep their names and prototypes; each loads libclang on first
 * call. Call kt_clang_load first where a failure can be reported.
 */
#ifndef KT_SOURCE_CLANG_H
#define KT_SOURCE_CLANG_H

#include "kcsan/error.h"

/* Loads libclang once per process (later calls return the first outcome);
 * NULL when its entry points are there, else a KT_ERR_UNSUPPORTED error
 * naming the library and the reason. Thread-safe. */
struct kt_error *kt_clang_load(void);

/* The library loaded (or that would be), for keys that must change with it:
 * its path, size and modification time, without loading it. */
const char *kt_clang_library_path(void);

#endif
