/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Candidate collection: the accesses written in a range of a function,
 * from the AST (or the tokens as a fallback) (collect.c).
 */
#ifndef KT_SOURCE_COLLECT_H
#define KT_SOURCE_COLLECT_H

#include <clang-c/Index.h>
#include <stdbool.h>
#include <stddef.h>

#include "access.h"
#include "exprtext.h"
#include "internal.h"
#include "tokens.h"

#define KT_WALK_MAXDEPTH 512

/* A walk over a function's AST collecting the accesses in [ls, le). */
struct walk {
	struct kt_srcfile sf; /* the file read */
	unsigned ls, le;      /* the line's offsets */
	CXCursor fn;
	CXCursor stack[KT_WALK_MAXDEPTH];
	unsigned idx[KT_WALK_MAXDEPTH];	  /* child index of stack[i] in stack[i-1] */
	unsigned count[KT_WALK_MAXDEPTH]; /* children of stack[i] seen so far */
	int depth;
	struct kt_access_info *c;
	size_t n, cap;
	const struct kt_tables *t;
	struct kt_toks toks; /* tokens of the line(s) */
	const char *only;    /* collect only accesses written as this text */
};

/* A walk of function fn of tu, whose text is in file; false when the
 * file's contents are not there (nothing to close). */
bool kt_walk_open(struct walk *w, CXTranslationUnit tu, CXFile file, CXCursor fn,
		  const struct kt_tables *t);
/* The range [from, to) of the file to collect from, with its tokens. */
void kt_walk_range(struct walk *w, unsigned from, unsigned to);
/* Collect the accesses written in the range from fn's AST. */
void kt_walk_collect(struct walk *w);
/* Free the walk's candidates and tokens. */
void kt_walk_close(struct walk *w);

/* The visitor: clang_visitChildren(fn, kt_collect_visit, w), with
 * w->stack[0] the function. */
enum CXChildVisitResult kt_collect_visit(CXCursor c, CXCursor parent, CXClientData data);
/* Nothing on the line: the accesses of the functions called there. */
void kt_collect_inline_callees(struct walk *w, struct kt_access_info *out);
/* The token fallback: member chains written on the line. */
void kt_collect_tokens(struct walk *w, unsigned fn_from, unsigned fn_to);

#endif
