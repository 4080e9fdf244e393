/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Kernel-like locking and marking idioms for the source stage's tests: the
 * names and shapes follow the kernel's (spinlocks, mutexes, rwsems, cleanup.h
 * guards, READ_ONCE, lists), the bodies are stubs. Parsed with libclang only.
 */
#ifndef LK_H
#define LK_H

typedef _Bool bool;
typedef unsigned long size_t;
#define NULL ((void *)0)

struct list_head {
	struct list_head *next, *prev;
};
typedef struct { int counter; } atomic_t;
typedef struct { unsigned int val; } spinlock_t;
struct mutex { long owner; };
struct rw_semaphore { long count; };

void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
int spin_trylock(spinlock_t *l);
unsigned long _spin_lock_irqsave(spinlock_t *l);
void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags);
#define spin_lock_irqsave(l, flags) do { (flags) = _spin_lock_irqsave(l); } while (0)
struct xarray { spinlock_t xa_lock; void *xa_head; };
struct xa_state { struct xarray *xa; unsigned long xa_index; };
#define XA_STATE(name, array, index) struct xa_state name = { (array), (index) }
void spin_lock_irq(spinlock_t *l);
void spin_unlock_irq(spinlock_t *l);
#define xa_lock_irq(xa)		spin_lock_irq(&(xa)->xa_lock)
#define xa_unlock_irq(xa)	spin_unlock_irq(&(xa)->xa_lock)
#define xas_lock_irq(xas)	xa_lock_irq((xas)->xa)
#define xas_unlock_irq(xas)	xa_unlock_irq((xas)->xa)
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
int mutex_trylock(struct mutex *m);
void down_read(struct rw_semaphore *s);
void up_read(struct rw_semaphore *s);
void down_write(struct rw_semaphore *s);
void up_write(struct rw_semaphore *s);
void rcu_read_lock(void);
void rcu_read_unlock(void);
void lockdep_assert_held(void *l);
void kfree(const void *p);
int atomic_read(const atomic_t *v);
void atomic_inc(atomic_t *v);
int test_bit(long nr, const unsigned long *addr);
extern volatile unsigned long jiffies;
unsigned long long ktime_get_ns(void);

#define __must_hold(x)
#define __acquires(x)
#define __releases(x)
#define __data_racy volatile

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val) do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)
#define data_race(expr) ({ __typeof__(({ expr; })) __v = ({ expr; }); __v; })
#define rcu_dereference(p) READ_ONCE(p)

/* cleanup.h-style scopes */
struct lk_guard { void *lock; int done; };
void lk_guard_exit(struct lk_guard *g);
struct lk_guard lk_guard_enter(const char *klass, void *lock);
#define guard(klass) struct lk_guard __attribute__((cleanup(lk_guard_exit))) __UNIQUE_GUARD = lk_guard_enter_##klass
#define __UNIQUE_GUARD lk_guard_var
#define lk_guard_enter_spinlock(l) lk_guard_enter("spinlock", (l))
#define lk_guard_enter_mutex(l) lk_guard_enter("mutex", (l))
#define lk_guard_enter_rcu() lk_guard_enter("rcu", NULL)
#define scoped_guard(klass, l) \
	for (struct lk_guard __attribute__((cleanup(lk_guard_exit))) lk_scope = lk_guard_enter(#klass, (l)); !lk_scope.done; lk_scope.done = 1)

#define scoped_cond_guard(klass, fail, l) \
	for (struct lk_guard __attribute__((cleanup(lk_guard_exit))) lk_scope = lk_guard_enter(#klass, (l)); !lk_scope.done; lk_scope.done = 1)

static inline void __list_add(struct list_head *new, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = new; /* LK:list_add_prev */
	new->next = next;
	new->prev = prev;
	WRITE_ONCE(prev->next, new);
}

static inline void list_add(struct list_head *new, struct list_head *head)
{
	__list_add(new, head, head->next); /* LK:list_add_call */
}

/* a path walk's mode changes (the kernel's fs/namei.c) */
void path_init(struct lk_obj *obj, unsigned int flags);
int complete_walk(struct lk_obj *obj);

struct inode {
	struct rw_semaphore i_rwsem;
	unsigned short i_mode;
};

static inline void inode_lock(struct inode *inode)
{
	down_write(&inode->i_rwsem);
}

static inline void inode_unlock(struct inode *inode)
{
	up_write(&inode->i_rwsem);
}

#endif
