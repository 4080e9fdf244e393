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

/* Strategies of the placement (source.c's table). */

/* "copy": a copy helper among a side's first frames (access.tbl `copy`):
 * the access is the copy, its buffer named by an outer frame. */
void kt_place_copies(struct kt_placing *pl);
/* "line": the access on the reported line of the frame's function (or of
 * the file read alone, as tokens); a function found by name elsewhere
 * leaves the side drifted, for relocation. */
void kt_place_lines(struct kt_placing *pl);
/* "line-other-object": several candidates on a side's line, the one the
 * other side's access names. */
void kt_place_prefer_other(struct kt_placing *pl);

#endif
