/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Frames and tree paths: a frame's file in the tree (moved files and
 * functions, header includers) and the translation unit to read it in (frames.c).
 */
#ifndef KT_SOURCE_FRAMES_H
#define KT_SOURCE_FRAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "side.h"

struct kt_facts;

/* The sides of a report: each access's frames (stacks[i], else the report's
 * own) with files relative to the tree, moved files and functions mapped,
 * borrowed files for frames printed without one, instrumentation wrappers
 * skipped; full_rels[i]: the file compiled for access frame i, or NULL. */
void kt_frames_setup(struct kt_source *src, struct side *s, size_t ns, const struct kt_report *rep,
		     const struct kt_frame *const stacks[2], const size_t nframes[2],
		     const char *full_rels[2], struct kt_facts *facts);
/* The one file of rel's directory (relative to the tree) other than rel that
 * defines func; NULL if none or several. */
char *kt_frames_moved_function(struct kt_source *src, const char *rel, const char *func);
bool kt_frames_is_header(const char *f);
/* The frame frame i's code is compiled in: the first non-inline frame at or
 * after i, else frame i. */
const struct kt_frame *kt_frames_compiled(const struct side *s, size_t i);
/* The file compiled for frame i (a header through the .c of its directory
 * that includes it); NULL when the compiled frame has no file. */
const char *kt_frames_tu_of(struct kt_source *src, const struct side *s, size_t i);
/* The TU to read frame i from: the full parse when its file is one of the
 * report's access TUs, else a light parse of its own file. */
struct kt_tu *kt_frames_tu_for(struct kt_source *src, const struct side *s, size_t i,
			       const char *const full_rels[2]);

#endif
