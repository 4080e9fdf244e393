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
	bool base_known; /* the DW_AT_low_pc of unit base_unit, for range lists */
	uint64_t base_unit, base;
};

/* A KT_ERR_PARSE error naming the file and the .debug_info offset; gives
 * err back to libdwarf. */
struct kt_error *kt_dw_err(struct kt_dw *dw, Dwarf_Error err, long long off, const char *what);
/* For calls whose failure only means "not there": gives the error back. */
void kt_dw_clear_err(struct kt_dw *dw, Dwarf_Error *err);
/* Calls fn with each unit's DIE and header offset, in section order; the
 * first walk also lists the units (kt_dw_cus), so that listing them and
 * reading their DIEs is one pass over the file. fn NULL: list only. */
typedef struct kt_error *(*kt_dw_unit_fn)(struct kt_dw *dw, Dwarf_Die cu, uint64_t hdr, void *arg);
struct kt_error *kt_dw_walk_units(struct kt_dw *dw, kt_dw_unit_fn fn, void *arg);
/* The DIE at a .debug_info offset (dwarf_dealloc_die it). */
struct kt_error *kt_dw_offdie(struct kt_dw *dw, uint64_t off, Dwarf_Die *die);
/* Address ranges of a DIE: low/high pc, or DW_AT_ranges (DWARF 4
 * .debug_ranges, DWARF 5 .debug_rnglists). */
struct kt_error *kt_dw_ranges_of(struct kt_dw *dw, Dwarf_Die die, struct kt_dw_range **out,
				 size_t *n);

#endif
