/* SPDX-License-Identifier: Apache-2.0 */
/* Internals shared by the modules of the binary layer. */
#ifndef KT_BINARY_VMLINUX_INT_H
#define KT_BINARY_VMLINUX_INT_H

#include "dw.h"
#include "elfsym.h"
#include "kcsan/binary.h"
#include "symz.h"

struct kt_types;
struct kt_objects;
struct kt_cache;

struct kt_vmlinux {
	char *path;
	struct kt_elf *elf;
	struct kt_dw *dw;
	struct kt_symz *z;
	struct kt_types *types;	    /* rules/types.tbl, NULL when not found */
	struct kt_objects *objects; /* globals and address classes */
	struct kt_cache *cache;	    /* NULL with no_cache */
	void (*diag)(void *arg, const char *line);
	void *diag_arg;
	char **said; /* diagnostic lines already given */
	size_t nsaid;
};

/* A printed frame "func+0xoff/0xsize" resolved in this vmlinux. */
struct kt_frame_pc {
	const struct kt_elf_sym *sym;
	uint64_t pc; /* return address - 1 */
};

/* NULL and *ok = true when resolved; NULL and *ok = false when the frame
 * cannot be resolved here for a reason that is not a mismatch (module frame,
 * inline frame, label without size); a KT_ERR_MISMATCH error otherwise. */
struct kt_error *kt_vmlinux_frame_pc(struct kt_vmlinux *vm, const struct kt_frame *f,
				     struct kt_frame_pc *out, bool *ok);
/* Chain at pc, through the cache when there is one. */
struct kt_error *kt_vmlinux_pc_chain(struct kt_vmlinux *vm, uint64_t pc, struct kt_loc **out,
				     size_t *n);

/* A console frame line " func+0xOFF/0xSIZE [mod]" with nothing after it:
 * fills f (func and module allocated) and the indent length. */
bool kt_frame_line_parse(const char *line, size_t len, struct kt_frame *f, size_t *indent);

#endif
