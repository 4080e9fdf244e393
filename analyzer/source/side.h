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
#include "budget.h"
#include "func.h"
#include "internal.h"
#include "kcsan/facts.h"
#include "kcsan/report.h"
#include "lockset.h"
#include "revtree.h"
#include "tu.h"

struct hmap {
	char *header, *c_file; /* c_file NULL: no includer found */
	unsigned reads;	       /* files read to find it */
};

struct kt_source {
	char *src_dir;
	struct hmap *hm; /* headers with function bodies -> the .c including them */
	size_t nhm;
	struct kt_compdb *db;
	struct kt_tu_cache *cache;
	struct kt_tables tables;
	char **files; /* the tree's .c and .h files (relative), built on first need */
	size_t nfiles;
	bool indexed;
	struct kt_revtree *rt; /* the files read: on disk, or at a revision */
	bool exact;	       /* read at the report's own revision */
	struct kt_budget budget; /* what the report being read may still spend */
	struct kt_memo *memo;	 /* the persistent cache, or NULL */
};

/* Where a side's access stands in the tree (SIDE.src.located). */
enum side_state {
	SIDE_UNREAD,	/* not read: no frames, no file or no translation unit */
	SIDE_COPY,	/* a copy helper's frame: the access is the copy */
	SIDE_NOT_FOUND, /* read, and no access placed */
	SIDE_AT_LINE,	/* the function at its reported line, with types */
	SIDE_TOKENS,	/* the function at its line in the file read alone */
	SIDE_RELOCATED, /* the access placed by its function's name and body */
};

/* Where the frame's function was found away from its reported line. */
enum side_drift {
	DRIFT_NONE,
	DRIFT_IN_FILE,	 /* in its file: the line moved, or holds no fitting access */
	DRIFT_ELSEWHERE, /* in another file: the function moved */
};

/* How much of the stack the lock walk read. */
enum side_locks {
	LOCKS_UNKNOWN,	/* the access's own function was not read */
	LOCKS_PARTIAL,	/* it was; some caller's function was not */
	LOCKS_COMPLETE, /* every frame up to an entry frame */
};

/* A function of a parsed translation unit; tu NULL: none. */
struct side_fn {
	struct kt_tu *tu;
	struct kt_func fn;
};

struct side {
	const char *p; /* "a" or "b" */
	const struct kt_access *acc;
	const struct kt_frame *fr; /* the frames read (past instrumentation wrappers) */
	size_t n;
	struct kt_frame *own; /* every frame, files made relative to the tree */
	size_t nown;
	char *tu_rel; /* the file compiled for the access frame */

	/* where the access was placed */
	enum side_state state;
	const char *strategy;	  /* the placement strategy that placed it, or NULL */
	unsigned placements;	  /* times it was (re)placed */
	struct kt_access_info ex; /* the access; ex.found: one was placed */
	struct side_fn line;	  /* the frame's function at its line, with types */
	enum side_drift drift;
	struct side_fn body; /* the function searched for a drifted access */
	unsigned at;	     /* relocated: its offset in body, or of the call to its helper */
	long shift;	     /* relocated: lines from the reported line */
	struct kt_via via;   /* relocated into helpers body calls: the path */

	/* the locks along the stack */
	struct kt_lockset ls;
	enum side_locks locks;
	unsigned walk_moved; /* caller frames whose call site was found by name */
	const char *context;
};

/* The placement of both sides, passed along its strategies in order. */
struct kt_placing {
	struct kt_source *src;
	struct side *s;
	size_t ns;
	struct kt_facts *facts;
	bool searched;		     /* "body" read the drifted sides' bodies: */
	struct kt_cand_list body[2]; /* their accesses, for "callees" to add to */
};

/* The access of s was placed (ex filled): state and the count. */
static inline void kt_side_placed(struct side *s, enum side_state state)
{
	s->state = state;
	s->placements++;
}

/* SIDE.src.located for the state, NULL when the side was not read. */
const char *kt_side_located(const struct side *s);

#endif
