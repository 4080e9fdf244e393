// SPDX-License-Identifier: Apache-2.0
/*
 * The relocation test's tree. The test's "report" was printed by an older
 * kernel: there rl_set_state and rl_update sat 14 lines earlier (the
 * rl_pad_* helpers came later), and rl_read_state's return 3 lines earlier.
 * "RL:" comments mark the lines of this tree the test names.
 */
#include "include/rl_wrap.h"

typedef struct { unsigned int val; } spinlock_t;
void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);

struct rl_dev {
	spinlock_t lock;
	int state;
	long count;
	unsigned long flags;
};

static int rl_pad_one(int x)
{
	int y = x * 3;

	if (y > 10)
		y -= 10;
	return y;
}

static int rl_pad_two(int x)
{
	return rl_pad_one(x) + 1;
}

static void rl_set_state(struct rl_dev *d, int v)
{
	d->count = 0;
	d->state = v; /* RL:set_state */
}

void rl_update(struct rl_dev *d, int v)
{
	int extra = rl_pad_two(v);

	extra += 2;
	spin_lock(&d->lock);
	rl_set_state(d, v + extra); /* RL:call_set */
	spin_unlock(&d->lock);
}

int rl_read_state(struct rl_dev *d)
{
	long c = d->count;

	if (d->flags)
		return 0;
	return d->state + (int)c; /* RL:read_state */
}

long rl_read_count(struct rl_dev *d)
{
	long c = d->count; /* RL:read_count */

	return c + d->count;
}

/* Both sides in one function that moved, touching two members of one size:
 * the reported lines' distance tells which. */
struct rl_pair {
	int a;
	int b;
};

void rl_pair_step(struct rl_pair *p)
{
	int x = p->a; /* RL:pair_read_a */
	int y = p->b; /* RL:pair_read_b */

	p->b = x; /* RL:pair_write_b */
	p->a = y + x; /* RL:pair_write_a */
}

/* A read inside a helper two calls down, under a lock the middle helper
 * takes: a report without inline frames names only rl_poll. */
static inline int rl_flag_on(const struct rl_dev *d)
{
	return d->flags & 1; /* RL:flag_on */
}

static int rl_locked_peek(struct rl_dev *d)
{
	int r;

	spin_lock(&d->lock);
	r = rl_flag_on(d);
	spin_unlock(&d->lock);
	return r;
}

int rl_poll(struct rl_dev *d)
{
	int busy = rl_pad_two(1);

	if (rl_locked_peek(d)) /* RL:poll_call */
		return busy;
	return 0;
}

void rl_set_flags(struct rl_dev *d)
{
	d->flags = 2; /* RL:set_flags */
}

/* Double-checked locking: a lockless fast path that falls back to the
 * writer, which tests again under the lock it takes before storing. */
struct rl_once {
	spinlock_t lock;
	int ready;
	long data;
};

static void rl_once_init(struct rl_once *o)
{
	if (o->ready)
		return;
	spin_lock(&o->lock);
	if (o->ready) /* RL:once_recheck */
		goto out;
	o->data = 1;
	o->ready = 1; /* RL:once_store */
out:
	spin_unlock(&o->lock);
}

long rl_once_get(struct rl_once *o)
{
	if (!o->ready) /* RL:once_fast */
		rl_once_init(o);
	return o->data;
}

/* A test under a lock every caller holds (asserted, not taken here) is a
 * sanity check, not a recheck. */
void lockdep_assert_held(void *l);

void rl_asserted_store(struct rl_dev *d)
{
	lockdep_assert_held(&d->lock);
	if (d->state == 3)
		return;
	d->state = 4; /* RL:asserted_store */
}

/* A reader inlined into a writer that takes the lock after it: a report
 * may print the writer's frame without file:line, while the reader's stack
 * names the writer with its file. */
static inline long rl_peek_count(struct rl_dev *d)
{
	return d->count; /* RL:peek_count */
}

void rl_bump(struct rl_dev *d)
{
	long c = rl_peek_count(d); /* RL:call_peek */

	spin_lock(&d->lock);
	d->count = c + 1; /* RL:bump */
	spin_unlock(&d->lock);
}

/* The new names of the header's rl_old_kick(): a second forwarder, then
 * the body that writes. */
static long __rl_kick(struct rl_dev *d, int force)
{
	if (force)
		return 0;
	d->flags = 8; /* RL:kick_write */
	return 1;
}

long rl_kick(struct rl_dev *d)
{
	return __rl_kick(d, 0);
}

void rl_stamp(struct rl_dev *d, unsigned long v)
{
	d->flags = v;
}

/* An older kernel's rl_tick called rl_set_flags itself; this tree moved
 * the call into a helper that takes the lock around it. */
static void rl_tick_locked(struct rl_dev *d)
{
	spin_lock(&d->lock);
	rl_set_flags(d); /* RL:tick_set */
	spin_unlock(&d->lock);
}

void rl_tick(struct rl_dev *d)
{
	if (rl_pad_two(2))
		rl_tick_locked(d); /* RL:tick_call */
}
