/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The relation of the two sides: the object they touch, the locks they
 * hold, double-checked locking, the context (relation.c).
 */
#ifndef KT_SOURCE_RELATION_H
#define KT_SOURCE_RELATION_H

#include <stdbool.h>
#include <stddef.h>

#include "side.h"

struct kt_facts;

/* Do the two accesses name overlapping memory? *name: the object (caller
 * frees). copies: two copies overlap by definition. */
bool kt_relation_overlap(const struct kt_access_info *a, const struct kt_access_info *b,
			 bool copies, char **name);
bool kt_relation_same(const struct side *x, const struct side *y, char **name);
bool kt_relation_overlaps(const struct side *x, const struct side *y);
/* object, object.source, object.same, object.differs */
void kt_relation_object(struct side *s, size_t ns, struct kt_facts *facts);
/* locks.common, locks.maybe_common, locks.common.known, locks.relation */
void kt_relation_locks(struct side *s, size_t ns, struct kt_facts *f);
/* SIDE.expr.recheck, SIDE.expr.recheck_lock */
void kt_relation_recheck(struct kt_source *src, struct side *s, struct kt_facts *facts);
/* SIDE.calls_other */
void kt_relation_calls_other(struct side *x, const struct side *y, struct kt_facts *facts);
/* The side's context: task, irq, softirq... */
void kt_relation_context(struct kt_source *src, struct side *s);

#endif
