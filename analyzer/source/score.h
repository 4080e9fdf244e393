/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scoring a candidate against the report (score.c).
 */
#ifndef KT_SOURCE_SCORE_H
#define KT_SOURCE_SCORE_H

#include "access.h"

/* How well candidate c fits the query: direction, size, the other side's
 * field, the binary stage's variable or member at the address. */
int kt_score(const struct kt_access_info *c, const struct kt_access_query *q);

/* The choice among candidates for a query. */
struct kt_choice {
	int best;	   /* the candidate taken, -1: none */
	int nbest;	   /* candidates with the best score */
	bool mask_differs; /* some of those test another mask than the one taken */
};

/* The best of v[0..n) for q (the pick-th of equally good ones when q asks). */
struct kt_choice kt_score_choose(const struct kt_access_info *v, size_t n,
				 const struct kt_access_query *q);

#endif
