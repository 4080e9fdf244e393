// SPDX-License-Identifier: Apache-2.0
/*
 * The __tsan_* hooks the instrumented files call, as empty functions, and an
 * entry point: the mini kernel links without any runtime. Built without
 * -fsanitize=thread.
 */
#define HOOK(name)                                                                                 \
	void name(void *p);                                                                        \
	void name(void *p)                                                                         \
	{                                                                                          \
		__asm__ volatile("" : : "r"(p) : "memory");                                        \
	}
HOOK(__tsan_read1)
HOOK(__tsan_read2)
HOOK(__tsan_read4)
HOOK(__tsan_read8)
HOOK(__tsan_read16)
HOOK(__tsan_write1)
HOOK(__tsan_write2)
HOOK(__tsan_write4)
HOOK(__tsan_write8)
HOOK(__tsan_write16)
HOOK(__tsan_unaligned_read1)
HOOK(__tsan_unaligned_read2)
HOOK(__tsan_unaligned_read4)
HOOK(__tsan_unaligned_read8)
HOOK(__tsan_unaligned_read16)
HOOK(__tsan_unaligned_write1)
HOOK(__tsan_unaligned_write2)
HOOK(__tsan_unaligned_write4)
HOOK(__tsan_unaligned_write8)
HOOK(__tsan_unaligned_write16)
HOOK(__tsan_func_entry)
HOOK(__tsan_volatile_read1)
HOOK(__tsan_volatile_read2)
HOOK(__tsan_volatile_read4)
HOOK(__tsan_volatile_read8)
HOOK(__tsan_volatile_write1)
HOOK(__tsan_volatile_write2)
HOOK(__tsan_volatile_write4)
HOOK(__tsan_volatile_write8)

void __tsan_func_exit(void);
void __tsan_func_exit(void)
{
}
void __tsan_init(void);
void __tsan_init(void)
{
}

int mk_syscall(int nr, void *inode);
void mk_start(void);
void mk_start(void)
{
	for (int i = 0; i < 5; i++)
		mk_syscall(i, (void *)0);
	for (;;)
		__asm__ volatile("hlt");
}
