// SPDX-License-Identifier: GPL-2.0
/* Its own static variable of the same name: another object. */
static int ticks;

void other_tick(void)
{
	ticks++;
}
