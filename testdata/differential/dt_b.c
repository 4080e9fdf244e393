// SPDX-License-Identifier: Apache-2.0
/* Unit b: a static function inlined into several callers, list links. */
#include "dt.h"

struct dt_pcpu dt_pcpu[4];

static int dt_b_weigh(const struct dt_obj *o, int k)
{
	int w = o->vals[k % 3];

	if (o->link.next)
		w += dt_leaf(o, k);
	if (w < 0)
		w = -w;
	return w + o->mid;
}

__attribute__((noinline)) int dt_b_sum(struct dt_obj *o, int n)
{
	int s = 0;

	while (n-- > 0) {
		s += dt_b_weigh(o, n);
		o = o->parent ? o->parent : o;
	}
	return s;
}

__attribute__((noinline)) void dt_b_link(struct dt_obj *o, struct dt_obj *p)
{
	o->link.next = &p->link;
	p->link.prev = &o->link;
	o->parent = p;
	dt_count(o->tag, (unsigned long)dt_b_weigh(p, o->tag));
	dt_sink = dt_b_weigh(o, 1) + dt_top(o, 2);
}
