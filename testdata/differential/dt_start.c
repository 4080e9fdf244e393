// SPDX-License-Identifier: Apache-2.0
/* The entry point: calls everything, so nothing is left out of the link. */
#include "dt.h"

void dt_start(void)
{
	struct dt_obj a = {.id = 1, .tag = 2}, b = {.id = 3, .parent = &a};

	dt_b_link(&b, &a);
	dt_sink = dt_a_walk(&b, 4) + dt_a_flags(&a) + dt_b_sum(&b, 3);
	dt_sink = dt_c_switch(&a, dt_sink) + dt_c_other(&b) + (int)dt_asm_twice(dt_sink);
	if (dt_sink == 42)
		dt_c_cold(&a);
	for (;;)
		dt_sink++;
}
