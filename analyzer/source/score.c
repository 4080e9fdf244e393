// SPDX-License-Identifier: Apache-2.0
/* How well a candidate fits the report. */
#include <string.h>

#include "kcsan/strbuf.h"
#include "score.h"

static bool same_struct(const char *a, const char *b)
{
	const char *pa = strstr(a, "::"), *pb = strstr(b, "::");

	return pa && pb && pa - a == pb - b && strncmp(a, b, (size_t)(pa - a)) == 0;
}

int kt_score(const struct kt_access_info *c, const struct kt_access_query *q)
{
	int s = 0;
	bool is_marked = c->marking && strcmp(c->marking, "plain") != 0;

	if (q->want_write == c->write)
		s += 4;
	if (q->want_rmw && c->rmw)
		s += 2;
	if (q->size > 0 && c->size == q->size)
		s += 3;
	if (c->addr && !is_marked)
		s -= 8;
	if (q->prefer && c->field) {
		if (strcmp(q->prefer, c->field) == 0 ||
		    (kt_str_startswith(c->field, q->prefer) &&
		     c->field[strlen(q->prefer)] == '.') ||
		    (kt_str_startswith(q->prefer, c->field) && q->prefer[strlen(c->field)] == '.'))
			s += 6;
		else if (same_struct(q->prefer, c->field))
			s += 2;
	}
	if (q->not_global && c->kind == KT_AK_GLOBAL)
		s -= 6;
	if (c->kind == KT_AK_DEREF && c->field == NULL)
		s -= 1;
	/* the vmlinux's layout at the address, when the binary stage knew it */
	if (q->global && c->field &&
	    (strcmp(c->field, q->global) == 0 ||
	     (kt_str_startswith(c->field, q->global) && c->field[strlen(q->global)] == '[')))
		s += 5;
	if (q->member && c->field) {
		const char *p = strstr(c->field, "::");
		const char *m = p ? p + 2 : c->field;
		size_t lm = strlen(m), lq = strlen(q->member);

		if (strcmp(m, q->member) == 0 ||
		    (lm > lq && strcmp(m + lm - lq, q->member) == 0 && m[lm - lq - 1] == '.'))
			s += 5;
	}
	return s;
}

struct kt_choice kt_score_choose(const struct kt_access_info *v, size_t n,
				 const struct kt_access_query *q)
{
	struct kt_choice ch = {-1, 0, false};
	int bests = -1000, seen = 0;

	for (size_t i = 0; i < n; i++) {
		int s = kt_score(&v[i], q);

		if (s > bests) {
			bests = s;
			ch.best = (int)i;
			ch.nbest = 1;
		} else if (s == bests) {
			ch.nbest++;
		}
	}
	if (q->pick > 0 && q->pick < ch.nbest)
		for (size_t i = 0; i < n; i++)
			if (kt_score(&v[i], q) == bests && seen++ == q->pick) {
				ch.best = (int)i;
				break;
			}
	/* equally good loads tested against different masks (or one without):
	 * the mask of the one taken does not stand for the access KCSAN saw */
	for (size_t i = 0; ch.best >= 0 && ch.nbest > 1 && i < n; i++)
		if (kt_score(&v[i], q) == bests &&
		    (v[i].has_mask != v[ch.best].has_mask || v[i].mask != v[ch.best].mask))
			ch.mask_differs = true;
	return ch;
}
