/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Accesses found in the functions a body calls (callees.c).
 */
#ifndef KT_SOURCE_CALLEES_H
#define KT_SOURCE_CALLEES_H

#include <stdbool.h>
#include <stddef.h>

#include "access.h"
#include "func.h"

#define KT_MAX_CALLS 48

/* Functions (defined in the translation unit) a function calls, with the
 * offset of the call. */
struct kt_calls {
	CXCursor def[KT_MAX_CALLS];
	unsigned at[KT_MAX_CALLS];
	int n;
};

enum kt_calls_mode {
	KT_CALLS_LINE, /* each call written in [from, to) of file, at most 8 */
	KT_CALLS_BODY, /* each function fn calls once, at its first call (one written
			* in a macro's body: at from), at most KT_MAX_CALLS */
};

/* Append to out the functions fn's calls reach (mode). */
void kt_callees_collect(CXCursor fn, CXFile file, unsigned from, unsigned to,
			enum kt_calls_mode mode, struct kt_calls *out);

/* The one function fn calls (defined in the translation unit) whose body
 * calls inner: *mid, with the offset of fn's first call to it in *at_fn and
 * of its call to inner in *at_mid. False when none or several do. */
bool kt_callees_via(struct kt_tu *tu, const struct kt_func *fn, const char *inner,
		    struct kt_func *mid, unsigned *at_fn, unsigned *at_mid);
/* The accesses fitting q in the functions fn calls, two levels down,
 * appended to l with the helpers they are in. */
void kt_callees_accesses(const struct kt_tables *t, struct kt_tu *tu, const struct kt_func *fn,
			 const struct kt_access_query *q, struct kt_cand_list *l);

#endif
