/* SPDX-License-Identifier: Apache-2.0 */
/*
 * On-disk index cache, one file per vmlinux build-id under
 * $XDG_CACHE_HOME/kcsan-triage (or ~/.cache/kcsan-triage, or --cache-dir).
 * It keeps what is costly to recompute: the CU address ranges, the chains of
 * PCs already symbolized, the names in scope at access PCs and the index of
 * global variables. A file is
 * trusted only when its header, build-id, file size and checksum agree;
 * anything else is ignored and rewritten. Files are written to a mkstemp()
 * name in the same directory and renamed into place.
 */
#ifndef KT_BINARY_CACHE_H
#define KT_BINARY_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dw.h"
#include "elfsym.h"
#include "symz.h"

struct kt_cache;

/* A global variable of the image: address, size and its DIE. */
struct kt_global {
	uint64_t addr, size, die;
};

/* A named type of the DWARF: "struct inode", "union x", "atomic_t". */
struct kt_named_type {
	char *name;
	uint64_t die;
};

/* dir NULL: the default location. Fails only when no cache can be used
 * (no build-id, no writable directory). */
struct kt_error *kt_cache_open(const char *dir, const struct kt_elf *elf, struct kt_cache **out);
/* Writes the file back when something was added, then frees. */
void kt_cache_close(struct kt_cache *c);
/* Path of the cache file (for tests and messages). */
const char *kt_cache_path(const struct kt_cache *c);
/* True when the file on disk was valid and loaded. */
bool kt_cache_was_loaded(const struct kt_cache *c);

bool kt_cache_get_ranges(struct kt_cache *c, struct kt_dw_range **r, size_t *n);
void kt_cache_put_ranges(struct kt_cache *c, const struct kt_dw_range *r, size_t n);
bool kt_cache_get_chain(struct kt_cache *c, uint64_t pc, struct kt_loc **out, size_t *n);
void kt_cache_put_chain(struct kt_cache *c, uint64_t pc, const struct kt_loc *l, size_t n);
/* The names of the variables and parameters in scope at an access PC
 * (copied both ways). */
bool kt_cache_get_scope_names(struct kt_cache *c, uint64_t pc, char ***names, size_t *n);
void kt_cache_put_scope_names(struct kt_cache *c, uint64_t pc, char *const *names, size_t n);
bool kt_cache_get_globals(struct kt_cache *c, struct kt_global **g, size_t *n);
void kt_cache_put_globals(struct kt_cache *c, const struct kt_global *g, size_t n);
/* Names are copied both ways. */
bool kt_cache_get_types(struct kt_cache *c, struct kt_named_type **t, size_t *n);
void kt_cache_put_types(struct kt_cache *c, const struct kt_named_type *t, size_t n);

#endif
