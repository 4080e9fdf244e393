/* SPDX-License-Identifier: Apache-2.0 */
/* Frames printed without a file, given the file of the tree that defines
 * their function (internal to the verdict stage). */
#ifndef KT_VERDICT_BYNAME_H
#define KT_VERDICT_BYNAME_H

#include <stddef.h>

#include "kcsan/census.h"
#include "kcsan/report.h"

/* Copies of access a's frames for the source stage: each frame printed
 * without a file gets the file of the tree (ix's index) that defines its
 * function, with line 0, so the source stage places it by its name and
 * body. A name defined in several files takes the one that also defines
 * the function of a neighbouring frame (a static helper and its caller),
 * or none. Returns how many frames got a file; *out is NULL when none did
 * (free with kt_frames_free, *nout frames). */
size_t kt_frames_by_name(const struct kt_census_index *ix, const struct kt_access *a,
			 struct kt_frame **out, size_t *nout);

#endif
