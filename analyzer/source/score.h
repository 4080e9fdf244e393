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

#endif
