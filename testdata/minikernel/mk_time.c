// SPDX-License-Identifier: Apache-2.0
/* Global counters and a system-call-like entry that calls down. */
#include "mk.h"

void mk_tick(void)
{
	mk_jiffies++; /* MK:tick */
}

unsigned long mk_read_seq(void)
{
	return mk_rcu_state.expedited_sequence; /* MK:read_seq */
}

void mk_pcpu_add(long v)
{
	mk_pcpu_counter += v; /* MK:pcpu_add */
}

__attribute__((noinline)) int mk_syscall(int nr, struct mk_inode *inode)
{
	switch (nr) {
	case 0:
		mk_mark_dirty(inode); /* MK:sys_mark_dirty */
		break;
	case 1:
		return (int)mk_read_alone(inode); /* MK:sys_read_alone */
	case 2:
		mk_tick(); /* MK:sys_tick */
		break;
	case 3:
		return (int)mk_read_seq(); /* MK:sys_read_seq */
	case 4:
		mk_set_flag(inode); /* MK:sys_set_flag */
		break;
	case 5:
		mk_advance(7); /* MK:sys_advance */
		break;
	case 6:
		mk_stat_inc(inode, 2); /* MK:sys_stat_inc */
		break;
	case 7:
		mk_set_parent(inode, inode); /* MK:sys_set_parent */
		break;
	case 8:
		mk_pcpu_add(1); /* MK:sys_pcpu_add */
		break;
	default:
		mk_lru_add(inode, &mk_root_inode.i_lru); /* MK:sys_lru_add */
		break;
	}
	return 0;
}

/* Same name as a static function of mk_inode.c, and bigger. */
static __attribute__((noinline)) void mk_helper(unsigned long v)
{
	mk_rcu_state.gp_seq += v; /* MK:helper_time */
	mk_jiffies = v * 3;
	mk_rcu_state.expedited_sequence = v;
}

void mk_advance(unsigned long v)
{
	mk_helper(v); /* MK:call_helper_time */
}
