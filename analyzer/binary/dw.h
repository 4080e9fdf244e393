/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one module that calls libdwarf (dw.c, dw_ranges.c, dw_lines.c,
 * dw_die.c). Everything else in the binary layer sees DWARF through these
 * small structs, so that another libdwarf API (the 0.x series) can be
 * supported by changing those files alone.
 *
 * DIEs are named by their global .debug_info offset. Strings returned point
 * into the DWARF string sections and stay valid until kt_dw_close.
 */
#ifndef KT_BINARY_DW_H
#define KT_BINARY_DW_H

#include <libelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kcsan/error.h"

struct kt_dw;

/* The DWARF tags the binary layer cares about (same values as DWARF). */
enum {
	KT_DW_TAG_array_type = 0x01,
	KT_DW_TAG_enumeration_type = 0x04,
	KT_DW_TAG_formal_parameter = 0x05,
	KT_DW_TAG_lexical_block = 0x0b,
	KT_DW_TAG_member = 0x0d,
	KT_DW_TAG_pointer_type = 0x0f,
	KT_DW_TAG_compile_unit = 0x11,
	KT_DW_TAG_structure_type = 0x13,
	KT_DW_TAG_subroutine_type = 0x15,
	KT_DW_TAG_typedef = 0x16,
	KT_DW_TAG_union_type = 0x17,
	KT_DW_TAG_inlined_subroutine = 0x1d,
	KT_DW_TAG_subrange_type = 0x21,
	KT_DW_TAG_base_type = 0x24,
	KT_DW_TAG_const_type = 0x26,
	KT_DW_TAG_subprogram = 0x2e,
	KT_DW_TAG_variable = 0x34,
	KT_DW_TAG_volatile_type = 0x35,
	KT_DW_TAG_restrict_type = 0x37,
	KT_DW_TAG_atomic_type = 0x47,
};
enum { KT_DW_AT_name = 0x03 };

/* Opens the DWARF of an ELF already opened by the caller (who keeps elf
 * alive until kt_dw_close). No DWARF at all is a KT_ERR_UNSUPPORTED error
 * saying to rebuild with CONFIG_DEBUG_INFO. */
struct kt_error *kt_dw_open(Elf *elf, const char *path, struct kt_dw **out);
void kt_dw_close(struct kt_dw *dw);

/* One address range of a compilation unit. */
struct kt_dw_range {
	uint64_t lo, hi; /* [lo, hi) */
	uint64_t cu;	 /* CU DIE offset */
};

/* The CU ranges. With all false, those of .debug_aranges alone when it
 * has any (it costs nothing to read, and is whole for gcc's units but their
 * constructors); else, or with all, also those the CU DIEs give (reads
 * every CU header and top DIE), a unit with no range at all listed with an
 * empty one (lo = hi = 0). *complete says which. Caller frees *out. */
struct kt_error *kt_dw_cu_ranges(struct kt_dw *dw, bool all, struct kt_dw_range **out, size_t *n,
				 bool *complete);

/* The ranges the CU DIEs themselves give (DW_AT_low_pc/high_pc/ranges),
 * which can differ from .debug_aranges (gcc leaves its constructors out of
 * the latter), with an empty range for a unit without any. Reads every CU
 * DIE. Caller frees *out. */
struct kt_error *kt_dw_cu_die_ranges(struct kt_dw *dw, struct kt_dw_range **out, size_t *n);

/* DIE offset of the CU whose unit header is at hdr. */
struct kt_error *kt_dw_cu_die(struct kt_dw *dw, uint64_t hdr, uint64_t *die);

/* The line table of one CU, as decoded rows. */
struct kt_dw_row {
	uint64_t addr;
	uint32_t file; /* index into files[] */
	uint32_t line;
	bool end_seq;
};
struct kt_dw_lines {
	struct kt_dw_row *rows;
	size_t nrows;
	char **files; /* full paths as the DWARF names them (owned) */
	size_t nfiles;
	long file_base; /* DW_AT_call_file / row file number f is files[f - file_base] */
	char *comp_dir; /* owned, may be NULL */
	bool present;	/* false: the unit has no line table (no DW_AT_stmt_list) */
};
struct kt_error *kt_dw_cu_lines(struct kt_dw *dw, uint64_t cu, struct kt_dw_lines *out);
void kt_dw_lines_fini(struct kt_dw_lines *l);

/* A DIE, decoded into the attributes the binary layer reads. */
struct kt_dw_die {
	uint64_t off;
	int tag;
	const char *name; /* DW_AT_name, NULL if absent */
	bool has_children;
	bool declaration;
	bool has_type;
	uint64_t type; /* DW_AT_type target offset */
	bool has_origin;
	uint64_t origin; /* DW_AT_abstract_origin or DW_AT_specification */
	bool has_byte_size;
	uint64_t byte_size;
	bool has_member_loc;
	uint64_t member_loc; /* DW_AT_data_member_location (constant) */
	bool has_bit_size;
	uint64_t bit_size;
	bool has_data_bit_offset;
	uint64_t data_bit_offset;
	bool has_bit_offset; /* DWARF 2/3 DW_AT_bit_offset (big-endian numbering) */
	uint64_t bit_offset;
	bool has_count; /* subrange: DW_AT_count or DW_AT_upper_bound + 1 */
	uint64_t count;
	bool has_addr; /* variable: DW_AT_location is a single DW_OP_addr */
	uint64_t addr;
	bool has_call; /* inlined subroutine call site */
	uint64_t call_file, call_line;
	bool external;
	const char *dwo_name; /* split DWARF: the .dwo holding the unit's DIEs, or NULL */
	/* The first attribute of those above whose value was not read: its
	 * form needs another file (dwz's supplementary file: DW_FORM_GNU_strp_alt,
	 * ...) or is not of the class the attribute needs. 0 when none. */
	unsigned bad_at, bad_form;
};
/* Names for notes: "DW_AT_name", "DW_FORM_GNU_strp_alt". */
const char *kt_dw_at_name(unsigned at);
const char *kt_dw_form_name(unsigned form);
struct kt_error *kt_dw_die_get(struct kt_dw *dw, uint64_t off, struct kt_dw_die *out);
/* Offsets of a DIE's direct children, in order. Caller frees *out. */
struct kt_error *kt_dw_die_children(struct kt_dw *dw, uint64_t off, uint64_t **out, size_t *n);
/* Address ranges of a DIE (low/high pc or DW_AT_ranges); *n = 0 when it has
 * none. Caller frees *out. */
struct kt_error *kt_dw_die_ranges(struct kt_dw *dw, uint64_t off, struct kt_dw_range **out,
				  size_t *n);
/* A child met by kt_dw_visit_children; valid only during the callback. */
struct kt_dw_node {
	uint64_t off;
	int tag;
	bool has_children;
	void *h; /* opaque */
};
/* Calls fn for each direct child of the DIE at off, in order, decoding only
 * the tag. fn returns 0 to go on, 1 to stop, -1 for "corrupt". */
typedef int (*kt_dw_visit_fn)(struct kt_dw *dw, const struct kt_dw_node *node, void *arg);
struct kt_error *kt_dw_visit_children(struct kt_dw *dw, uint64_t off, kt_dw_visit_fn fn, void *arg);
/* The same, from the child after the child at offset after (0: from the
 * first); *stopped: the offset of the child fn stopped at (returning 1), 0
 * when it saw them all. For walks resumed where they were left. */
struct kt_error *kt_dw_visit_after(struct kt_dw *dw, uint64_t parent, uint64_t after,
				   kt_dw_visit_fn fn, void *arg, uint64_t *stopped);
struct kt_error *kt_dw_node_die(struct kt_dw *dw, const struct kt_dw_node *n,
				struct kt_dw_die *out);
/* Only DW_AT_name (NULL if none) and whether DW_AT_declaration is there:
 * cheaper than kt_dw_node_die for walks over many DIEs. */
struct kt_error *kt_dw_node_name(struct kt_dw *dw, const struct kt_dw_node *n, const char **name,
				 bool *declaration);
struct kt_error *kt_dw_node_ranges(struct kt_dw *dw, const struct kt_dw_node *n,
				   struct kt_dw_range **out, size_t *nr);

/* Where a variable's value is at a PC, when it is in a register, or is a
 * register plus a constant (DW_OP_bregN k, DW_OP_stack_value). */
struct kt_dw_varloc {
	int dwreg;   /* DWARF register number */
	int64_t add; /* the value is the register plus this */
};
/* The location of the variable or parameter DIE at off, at pc: *found is
 * false when it has none there, or none of that kind (memory, a constant,
 * a piece of a register). */
struct kt_error *kt_dw_var_reg_at(struct kt_dw *dw, uint64_t off, uint64_t pc,
				  struct kt_dw_varloc *out, bool *found);

/* Offsets of every CU DIE, in section order (reads CU headers only). */
struct kt_error *kt_dw_cus(struct kt_dw *dw, uint64_t **out, size_t *n);

#endif
