// SPDX-License-Identifier: Apache-2.0
/* Unit a: the inline chain in a loop, bitfield writes, the global. */
#include "dt.h"

struct dt_obj dt_global;
volatile int dt_sink;

__attribute__((noinline)) int dt_a_walk(struct dt_obj *o, int n)
{
	int sum = 0;

	for (int i = 0; i < n; i++) {
		sum += dt_top(o, i);
		dt_count(i, (unsigned long)sum);
	}
	return sum;
}

__attribute__((noinline)) int dt_a_flags(struct dt_obj *o)
{
	o->flags.mode = (unsigned int)(o->flags.mode + 1);
	o->flags.wide ^= 0x155;
	o->small = o->flags.ready;
	o->big += 3;
	dt_global.flags.delta = -2;
	return dt_top(&dt_global, o->flags.mode);
}
