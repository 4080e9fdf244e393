/* SPDX-License-Identifier: Apache-2.0 */
/* Locks held at a point of a function (lockset.c). */
#ifndef KT_SOURCE_LOCKSET_H
#define KT_SOURCE_LOCKSET_H

#include <stdbool.h>
#include <stddef.h>

#include "func.h"

struct kt_tables;

struct kt_held {
	char *lock; /* "struct inode::i_rwsem" */
	char *mode; /* exclusive, shared... */
	char *how;  /* acquired, assert, must_hold, guard, trylock, naming */
	char *func; /* function where it was taken */
	bool weak;  /* only *_locked naming */
	char *alt;  /* the lock by its own type when named through a
		     * member path (struct wait_queue_head::lock), or NULL */
};

struct kt_lockset {
	struct kt_held *h;
	size_t n;
};

void kt_lockset_fini(struct kt_lockset *ls);
/* Add the locks that fn holds at offset `at` (the call site or access). */
void kt_lockset_walk(const struct kt_tables *t, struct kt_tu *tu, const struct kt_func *fn,
		     unsigned at, struct kt_tu *oracle, struct kt_lockset *ls);
void kt_lockset_add(struct kt_lockset *ls, const char *lock, const char *mode, const char *how,
		    const char *func, bool weak, const char *alt);

#endif
