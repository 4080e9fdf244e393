/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PC -> file:line and inline chain, the lines `addr2line -f -i` prints:
 * the innermost function with the line table's file:line, then each caller
 * an inlined body sits in with the call site (DW_AT_call_file/call_line).
 * Reads only the compilation unit that holds the PC (found through the CU
 * address ranges), and keeps what it decoded for the next PCs.
 */
#ifndef KT_BINARY_SYMZ_H
#define KT_BINARY_SYMZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dw.h"
#include "elfsym.h"

struct kt_symz;

/* One line of an inline chain. Paths are relative to the kernel tree (the
 * CU's DW_AT_comp_dir) when they lie inside it. */
struct kt_loc {
	char *func;
	char *file; /* NULL when unknown ("??") */
	int line;   /* 0: unknown, or line 0 of the table ("?") */
	/* Why the DWARF could not answer fully, naming the unit: no DWARF for
	 * the address, no line table, a form not read, split DWARF. NULL when
	 * nothing is missing. Set on the last level of a chain only. */
	char *note;
};

struct kt_symz *kt_symz_new(struct kt_elf *elf, struct kt_dw *dw);
void kt_symz_free(struct kt_symz *z);
/* The CU address ranges (kept by the symbolizer; may come from the cache). */
struct kt_error *kt_symz_set_ranges(struct kt_symz *z, struct kt_dw_range *r, size_t n);
struct kt_error *kt_symz_ranges(struct kt_symz *z, const struct kt_dw_range **r, size_t *n);

/* The chain at pc, innermost first; *n = 0 when no DWARF covers pc. */
struct kt_error *kt_symz_pc(struct kt_symz *z, uint64_t pc, struct kt_loc **out, size_t *n);
void kt_locs_free(struct kt_loc *l, size_t n);

/* Unit header offset of the CU holding pc; false when none. */
bool kt_symz_cu_of(struct kt_symz *z, uint64_t pc, uint64_t *cu);
/* DIE offsets of the function scopes at pc, outermost (the subprogram) first:
 * subprogram, lexical blocks and inlined subroutines. Caller frees. */
struct kt_error *kt_symz_scopes(struct kt_symz *z, uint64_t pc, uint64_t **out, size_t *n);

/* A path as the kernel tree names it: comp_dir prefix and "." components
 * removed. Caller frees. */
char *kt_path_relative(const char *path, const char *comp_dir);

#endif
