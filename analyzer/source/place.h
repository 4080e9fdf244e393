/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Placing a side's access at its reported line: the frame's function in
 * the tree, the access expression on the line, copies (place.c).
 */
#ifndef KT_SOURCE_PLACE_H
#define KT_SOURCE_PLACE_H

#include <stdbool.h>
#include <stddef.h>

#include "side.h"

struct kt_facts;

/* A copy helper among the side's first frames (access.tbl `copy`): the
 * access is the copy, its buffer named by an outer frame. */
void kt_place_copy(struct kt_source *src, struct side *s);
/* The access at the side's reported line: prefer: the other side's field,
 * pick: the pick-th of equally good candidates; quiet: no notes. A
 * function found away from its line leaves the side drifted, for
 * relocation. */
void kt_place_at_line(struct kt_source *src, struct side *s, const char *prefer, int pick,
		      struct kt_facts *facts, bool quiet);
/* Several candidates on a side's line: the other side's field decides. */
void kt_place_prefer_other(struct kt_source *src, struct side *s, struct kt_facts *facts);

#endif
