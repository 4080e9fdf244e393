/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Type layouts from DWARF: the member at an offset of a struct or union (or
 * by name), with its type, size, bitfield position and kind. Which types are
 * list heads, atomics, locks... comes from rules/types.tbl, not from code.
 */
#ifndef KT_BINARY_TYPES_H
#define KT_BINARY_TYPES_H

#include <stdbool.h>
#include <stdint.h>

#include "dw.h"

struct kt_types;

/* types.tbl of rules_dir (NULL: the shipped rules). *out is NULL when the
 * table is absent (kinds then come from the type's shape only); a bad line
 * is an error naming file:line. */
struct kt_error *kt_types_load(const char *rules_dir, struct kt_types **out);
/* Load one table file; errors name file:line. */
struct kt_error *kt_types_load_file(const char *path, struct kt_types **out);
void kt_types_free(struct kt_types *t);
/* Kind the table gives a type name ("struct list_head", "atomic_t"), or NULL. */
const char *kt_types_lookup(const struct kt_types *t, const char *type_name);

struct kt_member_info {
	char *path; /* member path from the object: "a.b[3].c"; "" for the whole */
	char *type; /* C spelling of the member's type: "unsigned int", "struct list_head" */
	char *kind; /* pointer, list_head, ..., integer, bool, array, struct, union, enum, other */
	char *container; /* type of the object: "struct rcu_state" */
	uint64_t offset; /* byte offset of the member in the object */
	uint64_t size;	 /* bytes */
	bool bitfield;
	uint64_t bit_offset; /* from the start of the object, little-endian bit numbering */
	uint64_t bit_size;
	bool bitfield_shared; /* other bitfields live in the same storage unit */
};

/* The innermost member that holds all of [off, off + size) in an object of
 * type type_die. */
struct kt_error *kt_layout_at(struct kt_dw *dw, const struct kt_types *t, uint64_t type_die,
			      uint64_t off, uint64_t size, struct kt_member_info *out);
/* The member named by a path ("a.b.c") in type type_die. */
struct kt_error *kt_layout_member(struct kt_dw *dw, const struct kt_types *t, uint64_t type_die,
				  const char *path, struct kt_member_info *out);
void kt_member_info_fini(struct kt_member_info *m);
/* What a pointer type points to, through typedefs and qualifiers on both
 * sides: *target is the struct or union DIE (a declaration when *decl), 0
 * when the type is no pointer to a struct or union. */
struct kt_error *kt_type_pointee(struct kt_dw *dw, uint64_t type_die, uint64_t *target, bool *decl);
/* Size in bytes of a type DIE. */
struct kt_error *kt_dwtype_size(struct kt_dw *dw, uint64_t type_die, uint64_t *size);
/* C spelling of a type DIE ("struct inode *", "unsigned long"). Caller frees. */
struct kt_error *kt_dwtype_name(struct kt_dw *dw, uint64_t type_die, char **out);

#endif
