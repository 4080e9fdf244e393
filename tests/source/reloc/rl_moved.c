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

/* A system call this tree defines here, which an older kernel had in a
 * file the tree no longer has (its frame says __do_sys_rl_reset). */
/* as the kernel's: __se_sys_NAME calls the inline __do_sys_NAME */
#define SYSCALL_DEFINE1(name, t, a)                                                                \
	static inline long __do_sys_##name(t a);                                                   \
	long __se_sys_##name(t a)                                                                  \
	{                                                                                          \
		return __do_sys_##name(a);                                                         \
	}                                                                                          \
	static inline long __do_sys_##name(t a)

SYSCALL_DEFINE1(rl_reset, struct rl_dev *, d)
{
	d->state = 0;
	return 0;
}
