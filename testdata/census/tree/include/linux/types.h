/* SPDX-License-Identifier: GPL-2.0 */
/* A miniature kernel tree for the census tests: types. */
#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H

typedef unsigned char __u8;
typedef unsigned int __u32;
typedef __u8 u8;
typedef __u32 u32;
typedef unsigned long size_t;
typedef _Bool bool;

typedef struct spinlock {
	int raw;
} spinlock_t;

struct mutex {
	long owner;
};

struct list_head {
	struct list_head *next, *prev;
};

typedef struct {
	int counter;
} atomic_t;

#define NULL ((void *)0)
#define true 1
#define false 0

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

#endif
