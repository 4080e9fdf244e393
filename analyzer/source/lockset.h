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
	/* Locks a walk released that it had not seen taken: its callers' (a
	 * callee that leaves a mode or drops its caller's lock). */
	char **released;
	size_t nreleased;
};

void kt_lockset_fini(struct kt_lockset *ls);
/* Add the locks that fn holds at offset `at` (the call site or access). */
void kt_lockset_walk(const struct kt_tables *t, struct kt_tu *tu, const struct kt_func *fn,
		     unsigned at, struct kt_tu *oracle, struct kt_lockset *ls);
void kt_lockset_add(struct kt_lockset *ls, const char *lock, const char *mode, const char *how,
		    const char *func, bool weak, const char *alt);
/* Drop the locks of ls from index from on that a walk of an inner frame
 * released (inner: its released names), and forget those names. */
void kt_lockset_cancel(struct kt_lockset *ls, size_t from, const struct kt_lockset *inner);
/* Move the released names of from into to's. */
void kt_lockset_move_released(struct kt_lockset *to, struct kt_lockset *from);

#endif
