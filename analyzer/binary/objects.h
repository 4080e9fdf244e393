/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Racing address -> object: the global (and member) of the kernel image an
 * address falls in, or the class of its address range (x86-64 layout from
 * rules/addr-layout.tbl).
 */
#ifndef KT_BINARY_OBJECTS_H
#define KT_BINARY_OBJECTS_H

#include <stdbool.h>
#include <stdint.h>

#include "types.h"

struct kt_vmlinux;
struct kt_objects;

struct kt_object_info {
	const char *kind;  /* global, percpu, image, heap, vmalloc, vmemmap, module, user, other */
	char *name;	   /* global variable name, or NULL */
	char *type;	   /* its type, or NULL */
	uint64_t type_die; /* of an object found from the code of the access */
	char *section;	   /* ELF section, or NULL */
	uint64_t offset;   /* of the address in the variable */
	bool has_member;
	struct kt_member_info member;
	char *object; /* "rcu_state.expedited_sequence", "jiffies", or NULL */
	bool kaslr;   /* image address of a relocatable kernel: not named */
	/* For an object found from the code of the access (access.c): how
	 * ("inode (struct inode *) in r13 at 0xffffffff8120d21b"), else NULL. */
	char *via;
};

/* The tables of rules_dir (NULL: the shipped rules): addr-layout.tbl and
 * symbol-aliases.tbl, each optional; a bad line is an error naming file:line. */
struct kt_error *kt_objects_new(const char *rules_dir, struct kt_objects **out);
void kt_objects_free(struct kt_objects *o);
struct kt_error *kt_objects_lookup(struct kt_vmlinux *vm, uint64_t addr, uint64_t size,
				   struct kt_object_info *out);
void kt_object_info_fini(struct kt_object_info *oi);
/* The DIE of a named type ("struct inode") with its layout: the first
 * call reads the top-level DIEs of every unit (then kept in the cache). */
struct kt_error *kt_objects_find_type(struct kt_vmlinux *vm, const char *name, uint64_t *die);
/* Range class of an address by the layout table alone. */
const char *kt_objects_range_class(const struct kt_objects *o, uint64_t addr);

#endif
