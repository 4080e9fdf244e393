// SPDX-License-Identifier: Apache-2.0
/*
 * Unit c: a switch, code in a second section (so the unit has DW_AT_ranges,
 * as kernel units with .init.text or .noinstr.text do) and a cold function.
 */
#include "dt.h"

__attribute__((noinline)) int dt_c_switch(struct dt_obj *o, int op)
{
	switch (op) {
	case 0:
		return dt_top(o, 1);
	case 1:
		o->flags.count = (unsigned int)op;
		return dt_mid(o, 3);
	case 2:
		return dt_leaf(o, 4) + o->flags.delta;
	case 3:
		dt_count(op, 7);
		return o->last;
	default:
		return (int)o->id;
	}
}

__attribute__((noinline, section(".text.dt_other"))) int dt_c_other(struct dt_obj *o)
{
	dt_count(1, (unsigned long)o->id);
	return dt_top(o, (int)o->id) + dt_c_switch(o, 2);
}

__attribute__((noinline, cold)) void dt_c_cold(struct dt_obj *o)
{
	o->last = 1;
	dt_sink = dt_mid(o, 5);
}
