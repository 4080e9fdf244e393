// SPDX-License-Identifier: GPL-2.0
/* A global written under a lock and read without it. */
#include <linux/types.h>

unsigned long ticks;
extern spinlock_t ticks_lock;

void tick(void)
{
	spin_lock(&ticks_lock);
	ticks++;
	spin_unlock(&ticks_lock);
}

void tick_set(unsigned long t)
{
	spin_lock(&ticks_lock);
	ticks = t;
	spin_unlock(&ticks_lock);
}

bool tick_expired(unsigned long deadline)
{
	return time_after(ticks, deadline);
}

void tick_local(void)
{
	unsigned long ticks = 5;	/* a local of the same name */

	ticks++;
}
