// SPDX-License-Identifier: Apache-2.0
/* A file that does not parse (its header is missing): the source stage falls
 * back to reading the tokens. */
#include "lk_missing.h"

void lk_broken(struct lk_thing *t)
{
	spin_lock(&t->lock);
	t->count++; /* LK:broken_count */
	spin_unlock(&t->lock);
}

int lk_broken_bit(struct lk_thing *t)
{
	return t->flags & LK_THING_DIRTY; /* LK:broken_mask */
}
