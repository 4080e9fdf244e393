// SPDX-License-Identifier: Apache-2.0
/*
 * A function that an older kernel had in rl.c and this tree moved here,
 * beside it (the relocation test's report names rl.c).
 */
typedef struct { unsigned int val; } spinlock_t;

struct rl_dev {
	spinlock_t lock;
	int state;
	long count;
	unsigned long flags;
};

void rl_moved_reset(struct rl_dev *d)
{
	d->flags = 0;
	d->count = 0;
}
