/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of the libdwarf wrapper, shared by its files (dw.c: open, units;
 * dw_ranges.c: address ranges; dw_lines.c: line tables; dw_die.c: DIEs).
 * Only those files include libdwarf.
 */
#ifndef KT_BINARY_DW_INT_H
#define KT_BINARY_DW_INT_H

#include <dwarf.h>
#include <libdwarf.h>

#include "dw.h"

struct kt_dw {
	Dwarf_Debug dbg;
	char *path;
	uint64_t *cus;	   /* CU DIE offsets, once listed */
	uint64_t *cu_hdrs; /* and their unit header offsets */
	size_t ncus;
	uint64_t info_size; /* of .debug_info, inflated */
	bool info_loaded;
};

/* A KT_ERR_PARSE error naming the file and the .debug_info offset; gives
 * err back to libdwarf. */
struct kt_error *kt_dw_err(struct kt_dw *dw, Dwarf_Error err, long long off, const char *what);
/* For calls whose failure only means "not there": gives the error back. */
void kt_dw_clear_err(struct kt_dw *dw, Dwarf_Error *err);
/* The DIE at a .debug_info offset (dwarf_dealloc_die it). */
struct kt_error *kt_dw_offdie(struct kt_dw *dw, uint64_t off, Dwarf_Die *die);
/* Address ranges of a DIE: low/high pc, or DW_AT_ranges (DWARF 4
 * .debug_ranges, DWARF 5 .debug_rnglists). */
struct kt_error *kt_dw_ranges_of(struct kt_dw *dw, Dwarf_Die die, struct kt_dw_range **out,
				 size_t *n);

#endif
