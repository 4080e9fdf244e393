/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helpers: build the mini kernel (testdata/minikernel) at test time and
 * find call sites in it, so that tests can write KCSAN reports against it.
 */
#ifndef KT_TEST_MK_H
#define KT_TEST_MK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mk_build {
	char dir[512]; /* where the sources were copied and compiled */
	char bin[600]; /* the linked executable */
	char cc[32];
	int dwarf;
};

/* Compile the mini kernel with cc (gcc or clang) and DWARF version v into
 * KT_BUILD_DIR/minikernel-TAG-CC-dwarfV (one TAG per test, so tests can run
 * in parallel). false (with a reason printed) when the compiler is missing
 * or fails. */
bool mk_build(const char *tag, const char *cc, int dwarf, struct mk_build *out);

/* A whole file (free it; a NUL follows its *len bytes); NULL when it
 * cannot be read. */
unsigned char *mk_slurp(const char *path, size_t *len);
/* The same with extra linker flags (e.g. "-Wl,--emit-relocs"). */
bool mk_build_ld(const char *tag, const char *cc, int dwarf, const char *ldflags,
		 struct mk_build *out);

/* Line of the "MK:name" marker in testdata/minikernel/FILE; 0 if absent. */
int mk_marker(const char *file, const char *name);

/* Offsets (from the start of func) of the return addresses of every direct
 * call in func whose target's name starts with prefix. Returns the count. */
size_t mk_calls(const char *bin, uint64_t func_addr, uint64_t func_size, const char *prefix,
		uint64_t *offs, size_t max);
/* Name of the function a direct call returning to ret calls. */
bool mk_call_target(const char *bin, uint64_t ret, char *name, size_t n);
/* Address and size (st_size) of a symbol; the n-th of that name. */
bool mk_sym(const char *bin, const char *name, int nth, uint64_t *addr, uint64_t *size);
/* Size kallsyms would print: distance to the next text symbol. */
uint64_t mk_kallsyms_size(const char *bin, uint64_t addr);

/* Run addr2line -f -i on pc; fills up to max (func, file:line) pairs with
 * the comp_dir prefix dir/ removed. Returns the count, or -1 when addr2line
 * is not installed. */
int mk_addr2line(const char *bin, const char *strip_prefix, uint64_t pc, char funcs[][128],
		 char locs[][256], int max);

#endif
