// SPDX-License-Identifier: Apache-2.0
/* Inode-like operations; "MK:" comments mark the lines the tests expect. */
#include "mk.h"

static inline void mk_inode_set_dirty(struct mk_inode *inode)
{
	inode->i_dirty = 1; /* MK:set_dirty */
}

void mk_mark_dirty(struct mk_inode *inode)
{
	mk_inode_set_dirty(inode); /* MK:call_set_dirty */
}

unsigned int mk_read_alone(struct mk_inode *inode)
{
	return inode->i_alone; /* MK:read_alone */
}

static inline void __mk_list_add(struct list_head *new, struct list_head *prev,
				 struct list_head *next)
{
	next->prev = new; /* MK:list_add_prev */
	new->next = next;
	new->prev = prev;
	prev->next = new;
}

static inline void mk_list_add(struct list_head *new, struct list_head *head)
{
	__mk_list_add(new, head, head->next); /* MK:call_list_add */
}

void mk_lru_add(struct mk_inode *inode, struct list_head *head)
{
	mk_list_add(&inode->i_lru, head); /* MK:call_lru_add */
}

void mk_stat_inc(struct mk_inode *inode, int i)
{
	inode->i_stats[i]++; /* MK:stat_inc */
}

void mk_set_parent(struct mk_inode *inode, struct mk_inode *parent)
{
	inode->i_parent = parent; /* MK:set_parent */
}

/* Same name as a static function of mk_time.c: frames pick by size. */
static __attribute__((noinline)) void mk_helper(struct mk_inode *inode)
{
	inode->i_state |= 4; /* MK:helper_inode */
}

void mk_set_flag(struct mk_inode *inode)
{
	mk_helper(inode); /* MK:call_helper_inode */
}
