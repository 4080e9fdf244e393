/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A mini kernel for the binary layer's tests: kernel-like types and globals.
 * Built at test time with -fsanitize=thread (the instrumentation KCSAN uses
 * in the kernel), so every plain access is a call to a __tsan_* hook whose
 * return address is what a KCSAN report prints.
 */
#ifndef MK_H
#define MK_H

#include <stdbool.h>

struct list_head {
	struct list_head *next, *prev;
};

typedef struct {
	int counter;
} atomic_t;

typedef struct refcount_struct {
	atomic_t refs;
} refcount_t;

struct raw_spinlock {
	unsigned int val;
};
typedef struct spinlock {
	struct raw_spinlock rlock;
} spinlock_t;

struct mk_inode {
	spinlock_t i_lock;
	unsigned long i_state;        /* a flags word */
	unsigned int i_dirty : 1;     /* three bitfields sharing one word */
	unsigned int i_new : 1;
	unsigned int i_mode_bits : 12;
	unsigned int i_alone;         /* not a bitfield */
	struct list_head i_lru;
	atomic_t i_count;
	refcount_t i_ref;
	struct mk_inode *i_parent;    /* a pointer field */
	bool i_dead;
	long i_stats[4];              /* counters */
	unsigned long long i_size;
};

struct mk_rcu_state {
	unsigned long gp_seq;
	unsigned long expedited_sequence;
	spinlock_t lock;
};

extern struct mk_inode mk_root_inode;
extern unsigned long mk_jiffies;
extern struct mk_rcu_state mk_rcu_state;
extern long mk_pcpu_counter;

void mk_mark_dirty(struct mk_inode *inode);
unsigned int mk_read_alone(struct mk_inode *inode);
void mk_lru_add(struct mk_inode *inode, struct list_head *head);
void mk_tick(void);
unsigned long mk_read_seq(void);
void mk_stat_inc(struct mk_inode *inode, int i);
void mk_set_parent(struct mk_inode *inode, struct mk_inode *parent);
void mk_pcpu_add(long v);
int mk_syscall(int nr, struct mk_inode *inode);
void mk_set_flag(struct mk_inode *inode);
void mk_advance(unsigned long v);

#endif
