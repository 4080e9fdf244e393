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
