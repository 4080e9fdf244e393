/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A --src tree that is a git repository: the source stage opened at each
 * report's revision (revision.c), kept per revision.
 */
#ifndef KT_VERDICT_REVISION_H
#define KT_VERDICT_REVISION_H

#include "kcsan/source.h"
#include "kcsan/triage.h"

struct kt_revsrcs;

/* NULL error and *out NULL when dir is no git repository's work tree. */
struct kt_error *kt_revsrcs_new(const char *dir, const char *compile_commands,
				const char *rules_dir, struct kt_revsrcs **out);
void kt_revsrcs_free(struct kt_revsrcs *r);

struct kt_revsrcs_choice {
	struct kt_source *src; /* at the revision; NULL: read the work tree */
	const char *commit;    /* the commit read (40 hex), owned by r */
	const char *from;      /* kt_rev_ref.from, or "option" */
	char *why;	       /* without src: why the work tree (caller frees) */
};

/* The source at the first of refs the repository holds (at opt_rev alone
 * when given). An error only when the source stage cannot open. */
struct kt_error *kt_revsrcs_pick(struct kt_revsrcs *r, const char *opt_rev,
				 const struct kt_rev_ref *refs, size_t nrefs,
				 struct kt_revsrcs_choice *out);

#endif
