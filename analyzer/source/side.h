/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The state the source stage's modules share: the stage (struct kt_source)
 * and, per report, each side (the access, its frames, where its access was
 * placed and the locks held along its stack).
 */
#ifndef KT_SOURCE_SIDE_H
#define KT_SOURCE_SIDE_H

#include <clang-c/Index.h>
#include <stdbool.h>
#include <stddef.h>

#include "access.h"
#include "func.h"
#include "internal.h"
#include "kcsan/report.h"
#include "lockset.h"
#include "tu.h"

struct hmap {
	char *header, *c_file; /* c_file NULL: no includer found */
};

struct kt_source {
	char *src_dir;
	struct hmap *hm; /* headers with function bodies -> the .c including them */
	size_t nhm;
	CXIndex idx;
	struct kt_compdb *db;
	struct kt_tu_cache *cache;
	struct kt_tables tables;
	char **files; /* the tree's .c and .h files (relative), built on first need */
	size_t nfiles;
	bool indexed;
};

/* An access found in a helper the frame's function calls: walk fn[0] up to
 * at[0] (the access, or its call of fn[1]), then fn[1] up to at[1]. */
struct cand_via {
	struct kt_func fn[2];
	unsigned at[2];
	int n;
};

struct side {
	const char *p; /* "a" or "b" */
	const struct kt_access *acc;
	const struct kt_frame *fr;
	struct kt_frame *own; /* frames with paths made relative to the tree */
	size_t n;
	struct kt_access_info ex;
	bool have_ai;
	bool is_copy;
	struct kt_lockset ls;
	bool ls_known, ls_complete;
	bool drift;		 /* the access line is not in its function here */
	struct kt_func drift_fn; /* ... which is found elsewhere in the file */
	struct kt_tu *drift_tu;
	bool drift_found;     /* an access was matched by field */
	bool drift_elsewhere; /* ... in another file than the frame's (it moved) */
	bool line_ok;	      /* found at its line: that function */
	struct kt_func line_fn;
	struct kt_tu *line_tu;
	unsigned drift_at;   /* and its offset */
	const char *located; /* line, relocated, tokens, not-found (NULL: copies) */
	long shift;	     /* relocated: lines from the reported line */
	unsigned walk_moved; /* caller frames whose call site was found by name */
	const char *context;
	char *tu_rel;	       /* the TU of the access frame */
	struct cand_via *vias; /* per candidate of this side's list: the helpers it is in */
	size_t nvias;
	struct cand_via *via; /* the chosen candidate's, or NULL */
	size_t nown;	      /* frames in own (fr may start after instrumentation) */
	unsigned taken;	      /* placements made by take_candidate() */
};

#endif
