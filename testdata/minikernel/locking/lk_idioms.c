// SPDX-License-Identifier: Apache-2.0
/* Lock idioms; "LK:" comments mark the lines the tests name. */
#include "lk.h"

#define LK_DIRTY 0x4

struct lk_item {
	struct list_head node;
	int val;
};

struct lk_obj {
	spinlock_t lock;
	struct mutex mutex;
	struct rw_semaphore sem;
	unsigned long flags;
	int state;
	long stats;
	long __data_racy hits;
	atomic_t refs;
	struct list_head head;
	struct lk_item *item;
	void *buf;
	struct inode *inode;
	struct xarray pages;
	unsigned long nrpages;
};

unsigned long lk_jiffies;

/* defined elsewhere; the declarations carry the annotations */
void lk_obj_lock(struct lk_obj *obj) __acquires(&obj->lock);
void lk_obj_unlock(struct lk_obj *obj) __releases(&obj->lock);

void lk_guarded_count(struct lk_obj *obj)
{
	guard(spinlock)(&obj->lock);
	obj->stats++; /* LK:guard_count */
}

void lk_scoped(struct lk_obj *obj, int v)
{
	scoped_guard(mutex, &obj->mutex) {
		obj->state = v; /* LK:scoped_in */
	}
	obj->state = 0; /* LK:scoped_after */
}

void lk_trylock(struct lk_obj *obj)
{
	if (!spin_trylock(&obj->lock))
		return;
	obj->flags |= LK_DIRTY; /* LK:trylock_after */
	spin_unlock(&obj->lock);
}

void lk_trylock_if(struct lk_obj *obj)
{
	if (mutex_trylock(&obj->mutex)) {
		obj->state = 1; /* LK:trylock_in */
		mutex_unlock(&obj->mutex);
	}
	obj->state = 2; /* LK:trylock_outside */
}

int lk_goto_unlock(struct lk_obj *obj, int err)
{
	spin_lock(&obj->lock);
	if (err)
		goto unlock;
	obj->state = err; /* LK:goto_body */
unlock:
	spin_unlock(&obj->lock);
	return obj->state; /* LK:goto_after */
}

int lk_early_return(struct lk_obj *obj, int err)
{
	mutex_lock(&obj->mutex);
	if (err) {
		mutex_unlock(&obj->mutex);
		return err;
	}
	obj->state = 3; /* LK:early_return */
	mutex_unlock(&obj->mutex);
	return 0;
}

/* The return is under a condition: the block does not always leave, so
 * the unlock in it may have run when the store does. */
int lk_cond_exit(struct lk_obj *obj, int err, int retry)
{
	mutex_lock(&obj->mutex);
	if (err) {
		mutex_unlock(&obj->mutex);
		if (retry)
			return err;
	}
	obj->state = 4; /* LK:cond_exit */
	return 0;
}

/* A mode a callee leaves in force (locks.tbl): path_init() returns with
 * the walk's rcu_read_lock() held, complete_walk() leaves RCU mode. */
static void lk_mode_kept(struct lk_obj *obj)
{
	obj->state = 6; /* LK:mode_kept */
}

static void lk_mode_left(struct lk_obj *obj)
{
	complete_walk(obj);
	obj->state = 5; /* LK:mode_left */
}

void lk_mode_walk(struct lk_obj *obj)
{
	path_init(obj, 0);
	lk_mode_kept(obj); /* LK:mode_call_kept */
	lk_mode_left(obj); /* LK:mode_call_left */
}

void lk_asserted(struct lk_obj *obj)
{
	lockdep_assert_held(&obj->lock);
	obj->state++; /* LK:assert */
}

void lk_must_hold(struct lk_obj *obj) __must_hold(&obj->lock)
{
	obj->state = 4; /* LK:must_hold */
}

void lk_update_locked(struct lk_obj *obj)
{
	obj->state = 5; /* LK:named_locked */
}

int lk_read_once(struct lk_obj *obj)
{
	return READ_ONCE(obj->state); /* LK:read_once */
}

void lk_write_once(struct lk_obj *obj)
{
	WRITE_ONCE(obj->state, 6); /* LK:write_once */
}

long lk_data_race(struct lk_obj *obj)
{
	return data_race(obj->stats); /* LK:data_race */
}

long lk_racy_field(struct lk_obj *obj)
{
	return obj->hits; /* LK:racy_field */
}

void lk_list_add_locked(struct lk_obj *obj, struct lk_item *it)
{
	spin_lock(&obj->lock);
	list_add(&it->node, &obj->head); /* LK:list_add_site */
	spin_unlock(&obj->lock);
}

void lk_counter(struct lk_obj *obj)
{
	atomic_inc(&obj->refs); /* LK:atomic_inc */
	obj->stats += 2; /* LK:counter */
}

void lk_free(struct lk_obj *obj)
{
	kfree(obj->buf); /* LK:kfree */
}

int lk_bit(struct lk_obj *obj)
{
	if (obj->flags & LK_DIRTY) /* LK:bittest */
		return 1;
	return test_bit(3, &obj->flags); /* LK:test_bit */
}

int lk_deref(struct lk_obj *obj)
{
	return obj->item->val; /* LK:deref */
}

unsigned long lk_global(void)
{
	return lk_jiffies; /* LK:global */
}

void lk_irqsave(struct lk_obj *obj)
{
	unsigned long flags;

	spin_lock_irqsave(&obj->lock, flags);
	obj->state = 7; /* LK:irqsave */
	spin_unlock_irqrestore(&obj->lock, flags);
}

int lk_rcu(struct lk_obj *obj)
{
	struct lk_item *it;
	int v;

	rcu_read_lock();
	it = rcu_dereference(obj->item); /* LK:rcu */
	v = it->val;
	rcu_read_unlock();
	return v;
}

int lk_rwsem_read(struct lk_obj *obj)
{
	int v;

	down_read(&obj->sem);
	v = obj->state; /* LK:rwsem_read */
	up_read(&obj->sem);
	return v;
}

void lk_inode_mode(struct lk_obj *obj, unsigned short mode)
{
	inode_lock(obj->inode);
	obj->inode->i_mode = mode; /* LK:inode_mode */
	inode_unlock(obj->inode);
}

static void lk_set_state(struct lk_obj *obj)
{
	obj->state = 8; /* LK:callee */
}

void lk_caller(struct lk_obj *obj)
{
	mutex_lock(&obj->mutex);
	lk_set_state(obj); /* LK:caller */
	mutex_unlock(&obj->mutex);
}

int lk_two_reads(struct lk_obj *obj)
{
	return obj->state + obj->refs.counter; /* LK:two_reads */
}

int lk_cond_scoped(struct lk_obj *obj)
{
	scoped_cond_guard(mutex_intr, return -4, &obj->mutex) {
		obj->state = 9; /* LK:cond_scoped */
	}
	return 0;
}

void lk_annotated(struct lk_obj *obj)
{
	lk_obj_lock(obj);
	obj->state = 10; /* LK:annotated_in */
	lk_obj_unlock(obj);
	obj->state = 11; /* LK:annotated_after */
}

struct lk_waitq {
	spinlock_t lock;
	int woken;
};

struct lk_pipe {
	struct lk_waitq rd_wait;
	int max_usage;
};

static void lk_wake(struct lk_waitq *q)
{
	spin_lock(&q->lock);
	q->woken = 1; /* LK:wake */
	spin_unlock(&q->lock);
}

void lk_pipe_wake(struct lk_pipe *p)
{
	lk_wake(&p->rd_wait); /* LK:pipe_wake */
}

int lk_pipe_read(struct lk_pipe *p)
{
	int v;

	spin_lock(&p->rd_wait.lock);
	v = p->rd_wait.woken; /* LK:pipe_read */
	spin_unlock(&p->rd_wait.lock);
	return v;
}

/* Helpers that update their target: only the target is marked and written;
 * their other arguments are plain reads. */
void atomic_add(int i, atomic_t *v);

void lk_atomic_add_from(struct lk_obj *obj, struct lk_obj *other)
{
	atomic_add(other->state, &obj->refs); /* LK:atomic_add_from */
}

void lk_write_once_from(struct lk_obj *obj, struct lk_obj *other)
{
	WRITE_ONCE(obj->stats, other->stats); /* LK:write_once_from */
}

/* A local pointer into an array member, and a checked READ_ONCE() written
 * as a statement expression whose type check names its argument inside
 * sizeof() first, as the kernel's does. */
struct lk_hist {
	unsigned int slots[8];
	unsigned long word;
};

#define LK_CHECKED_READ(x) ({ _Static_assert(sizeof(x) <= 8, "word"); READ_ONCE(x); })

int lk_hist_seen(struct lk_hist *hh, unsigned int v, int i)
{
	unsigned int *h = hh->slots;

	if (LK_CHECKED_READ(h[i]) == v) /* LK:alias_array */
		return 1;
	return 0;
}

void lk_hist_clear(struct lk_hist *hh)
{
	unsigned long *w = &hh->word;

	*w = 0; /* LK:alias_deref */
}

/* How a loaded pointer is used: only compared (against current, NULL, an
 * owner), or tested and then loaded again and followed (check-then-use);
 * read once into a local, it is neither. */
struct lk_task {
	int pid;
};

struct lk_task *lk_get_current(void);
#define current lk_get_current()
void lk_warn(void);
#define WARN_ON_ONCE(cond)                                                                         \
	({                                                                                         \
		int __ret_warn_on = !!(cond);                                                      \
		if (__ret_warn_on)                                                                 \
			lk_warn();                                                                 \
		__ret_warn_on;                                                                     \
	})

struct lk_wq {
	int nr;
};

struct lk_tctx {
	struct lk_task *thread;
	struct lk_task *owner;
	struct lk_wq *io_wq;
	struct lk_wq *spare;
};

void lk_wq_cancel(struct lk_wq *wq, int all);
struct lk_wq *lk_wq_alloc(void);

void lk_tctx_check_thread(struct lk_tctx *t)
{
	WARN_ON_ONCE(t->thread == current); /* LK:cmp_current */
}

int lk_tctx_idle(struct lk_tctx *t)
{
	if (!t->io_wq) /* LK:cmp_null */
		return 1;
	return 0;
}

int lk_tctx_owned(struct lk_tctx *t, struct lk_task *me)
{
	if (t->owner != me) /* LK:cmp_owner */
		return 0;
	while (t->spare) /* LK:truth */
		lk_warn();
	return 1;
}

int lk_tctx_nr(struct lk_tctx *t)
{
	if (t->io_wq && t->io_wq->nr) /* LK:reload_deref */
		return 1;
	return 0;
}

void lk_tctx_cancel(struct lk_tctx *t)
{
	int all = 1;

	if (t->io_wq) /* LK:reload_pass */
		lk_wq_cancel(t->io_wq, all);
}

int lk_tctx_once(struct lk_tctx *t)
{
	struct lk_wq *wq = t->io_wq; /* LK:load_once */

	if (wq)
		return wq->nr;
	return 0;
}

void lk_tctx_install(struct lk_tctx *t)
{
	if (!t->spare) /* LK:own_store */
		t->spare = lk_wq_alloc();
	lk_wq_cancel(t->spare, 0);
}

struct lk_wq *lk_tctx_get(struct lk_tctx *t)
{
	lk_wq_cancel(t->spare, 1); /* LK:passed_first */
	return t->spare;
}

/* Tested without the lock, loaded again under it: the reload is the test
 * repeated under the lock, not a check-then-use. */
void lk_task_wake(struct lk_task *p);

void lk_tctx_park(struct lk_tctx *t, struct lk_obj *obj)
{
	WARN_ON_ONCE(t->thread == current); /* LK:cmp_then_lock */
	mutex_lock(&obj->mutex);
	if (t->thread)
		lk_task_wake(t->thread);
	mutex_unlock(&obj->mutex);
}

/* What the program does with a READ_ONCE()d value is what it does with the
 * macro's result; a value stored into a local is followed through it. */
int lk_marked_null_test(struct lk_obj *obj)
{
	if (!READ_ONCE(obj->item)) /* LK:marked_null_test */
		return 0;
	return 1;
}

int lk_local_deref(struct lk_obj *obj)
{
	struct lk_item *it = READ_ONCE(obj->item); /* LK:local_deref */

	if (!it)
		return 0;
	return it->val;
}

int lk_local_compare(struct lk_obj *obj, struct lk_item *mine)
{
	struct lk_item *it;

	it = obj->item; /* LK:local_compare */
	return it == mine;
}

/* An operator written in a macro's argument is read from the file. */
#define LK_WARN_ON(c) ({ int __r = !!(c); __r; })

int lk_warn_bit(struct lk_obj *obj)
{
	return LK_WARN_ON(obj->flags & 4); /* LK:warn_bit */
}

/* The xa_state forms lock the xarray the state walks. */
void lk_xas_add(struct lk_obj *obj, unsigned long index)
{
	XA_STATE(xas, &obj->pages, index);

	xas_lock_irq(&xas);
	obj->nrpages++; /* LK:xas_locked */
	xas_unlock_irq(&xas);
	obj->nrpages--; /* LK:xas_unlocked */
}

/* The constant a value is tested against (expr.mask). */
enum lk_bit_nr { LK_BIT_A = 2, LK_BIT_B = 35 };
#define LK_BIT(n) (1UL << (n))
#define LK_MASKED (LK_BIT(LK_BIT_A) | LK_BIT(5))

struct lk_words {
	unsigned long words[2];
};

int lk_mask(struct lk_obj *obj, struct lk_words *w)
{
	if (!(obj->flags & LK_BIT(LK_BIT_A))) /* LK:mask_not */
		return 1;
	if ((obj->flags & (LK_DIRTY | 0x10)) == 0) /* LK:mask_or */
		return 2;
	if ((READ_ONCE(obj->flags) & LK_MASKED) != 0) /* LK:mask_once */
		return 3;
	if ((obj->state & ~1) != 0) /* LK:mask_narrow */
		return 4;
	if (test_bit(67, w->words)) /* LK:mask_word */
		return 5;
	return test_bit(LK_BIT_B, &obj->flags); /* LK:mask_bit */
}

/* Masks that are not compile-time constants: no expr.mask. */
int lk_mask_var(struct lk_obj *obj, unsigned long m, long nr)
{
	const unsigned long k = 8;

	if (obj->flags & m) /* LK:mask_var */
		return 1;
	if (obj->flags & k) /* LK:mask_const_var */
		return 2;
	return test_bit(nr, &obj->flags); /* LK:mask_var_bit */
}

/* Timestamps: the time of the last activity stored, read to compute an age */
struct lk_stamp {
	unsigned long last_used;
	unsigned long jiffies; /* a member named like the clock is not the clock */
	unsigned long long ns;
};

void lk_stamp_local(unsigned long *var)
{
	const unsigned long cur = jiffies;

	if (cur != *var)
		*var = cur; /* LK:stamp_local */
}

void lk_stamp_direct(struct lk_stamp *st)
{
	st->last_used = jiffies + 1; /* LK:stamp_direct */
}

void lk_stamp_once(struct lk_stamp *st)
{
	unsigned long long now = 0;

	now = ktime_get_ns();
	WRITE_ONCE(st->ns, now); /* LK:stamp_once */
}

void lk_stamp_not_clock(struct lk_stamp *st, unsigned long v)
{
	unsigned long t = jiffies;

	t = v;
	st->last_used = t; /* LK:stamp_reassigned */
	st->ns = st->jiffies; /* LK:stamp_member */
}

unsigned long lk_stamp_age(struct lk_stamp *st)
{
	unsigned long last = st->last_used; /* LK:stamp_age */

	return jiffies - last;
}

/* Two loads of one word on a line, tested against different bits: which
 * one KCSAN saw is not known, so neither mask stands for it. */
int lk_mask_two(struct lk_obj *obj)
{
	return (obj->flags & 0x1) || (obj->flags & 0x2); /* LK:mask_two */
}

/* A bitfield's mask is of its value bits, not of the word. */
struct lk_bits {
	unsigned int lo : 4;
	unsigned int hi : 4;
};

int lk_mask_bitfield(struct lk_bits *b)
{
	return b->hi & 0x1; /* LK:mask_bitfield */
}

/* A lockless test whose if only kicks deferred work: directly, through a
 * helper of the file that queues it, or next to other work. */
struct work_struct {
	unsigned long data;
};
void schedule_work(struct work_struct *w);
void queue_work(int wq, struct work_struct *w);
void lk_log(const char *msg);

struct lk_pool {
	int nr_free;
	int enabled;
	struct work_struct refill;
	void *spare;
};

static void lk_pool_kick(struct lk_pool *p)
{
	if (p->enabled)
		queue_work(0, &p->refill);
}

void lk_pool_alloc(struct lk_pool *p)
{
	if (p->nr_free < 4) /* LK:kick_direct */
		schedule_work(&p->refill);
	if (p->nr_free < 2) /* LK:kick_helper */
		lk_pool_kick(p);
	if (p->nr_free < 1) { /* LK:kick_and_log */
		lk_log("low");
		schedule_work(&p->refill);
	}
	if (p->nr_free > 8) /* LK:kick_else */
		schedule_work(&p->refill);
	else
		lk_log("ok");
	if (p->nr_free > 9) { /* LK:kick_store */
		p->spare = 0;
		schedule_work(&p->refill);
	}
}
