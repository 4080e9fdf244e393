/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stage 2, binary: the vmlinux of the build that printed the report, read with
 * libelf and libdwarf. Symbolizes frames (file:line and inline chains), checks
 * that the vmlinux belongs to the report, and maps racing addresses to objects
 * (globals, members, type layouts). Adds facts with origin KT_ORIGIN_VMLINUX.
 */
#ifndef KCSAN_BINARY_H
#define KCSAN_BINARY_H

#include <stdbool.h>
#include <stdio.h>

#include "kcsan/error.h"
#include "kcsan/facts.h"
#include "kcsan/report.h"

struct kt_vmlinux;

struct kt_vmlinux_opts {
	const char *cache_dir; /* NULL: $XDG_CACHE_HOME/kcsan-triage or ~/.cache/kcsan-triage */
	bool no_cache;
	const char *rules_dir; /* types.tbl and addr-layout.tbl; NULL: the shipped rules */
};

struct kt_error *kt_vmlinux_open(const char *path, const struct kt_vmlinux_opts *opts,
				 struct kt_vmlinux **out);
void kt_vmlinux_close(struct kt_vmlinux *vm);

/* NULL when every frame of the report resolves in this vmlinux with the printed
 * function size; otherwise a KT_ERR_MISMATCH error naming the first symbol that
 * differs ("vmlinux does not match this report: ..."). */
struct kt_error *kt_vmlinux_check_report(struct kt_vmlinux *vm, const struct kt_report *rep);

/* One access's stack, symbolized: each printed frame expanded into its inline
 * chain (innermost first, inlined = true for all but the last of a chain),
 * file:line relative to the kernel tree. Free with kt_frames_free. */
struct kt_error *kt_vmlinux_symbolize_stack(struct kt_vmlinux *vm, const struct kt_access *acc,
					    struct kt_frame **frames_out, size_t *n_out);

/* Facts only the binary knows: objects, members, type layouts, access sites. */
struct kt_error *kt_vmlinux_add_facts(struct kt_vmlinux *vm, const struct kt_report *rep,
				      struct kt_facts *facts);

/* The report in syzbot's symbolized layout. */
struct kt_error *kt_vmlinux_print_symbolized(struct kt_vmlinux *vm, const struct kt_report *rep,
					     FILE *out);

/*
 * Extensions of the binary layer.
 */

/* Build-id of the vmlinux as lowercase hex ("" when it has none). */
const char *kt_vmlinux_build_id(const struct kt_vmlinux *vm);

/* Symbolize report text (console prefixes already stripped): each line that
 * is a frame " func+0xOFF/0xSIZE" resolving in this vmlinux becomes the
 * inline lines " callee file:line [inline]" and " func+0xOFF/0xSIZE
 * file:line"; every other line is copied. */
struct kt_error *kt_vmlinux_symbolize_text(struct kt_vmlinux *vm, const char *text, FILE *out);

#endif
