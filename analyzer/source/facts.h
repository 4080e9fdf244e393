/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The facts the source stage writes: each side's, src.tree, notes (facts.c).
 */
#ifndef KT_SOURCE_FACTS_H
#define KT_SOURCE_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "kcsan/facts.h"
#include "side.h"

/* A "note" fact: "SIDE: " (side "a" or "b", NULL for both) and the text. */
void kt_src_note(struct kt_facts *f, const char *side, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* s, or "" for NULL (a frame printed without a function or file) */
static inline const char *kt_src_nz(const char *s)
{
	return s ? s : "";
}

/* The string fact SIDE.name, or NULL. */
const char *kt_src_side_str(struct kt_facts *facts, const char *side, const char *name);
/* SIDE.expr.*, SIDE.locks*, SIDE.context, SIDE.src.* */
void kt_src_side_facts(struct side *s, struct kt_facts *f);
/* src.tree: how far the tree is from the report's kernel. */
void kt_src_tree_fact(const struct side *s, size_t ns, bool agreed, struct kt_facts *f);

#endif
