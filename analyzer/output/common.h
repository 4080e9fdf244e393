/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the text and JSON writers (private to the output stage). */
#ifndef KT_OUTPUT_COMMON_H
#define KT_OUTPUT_COMMON_H

#include "kcsan/triage.h"

/* The racing object as a developer names it, or NULL when no layer knew. */
const char *kt_out_object(const struct kt_triage_result *res);
/* Fact of one side ("a" / "b"), or NULL. */
const struct kt_fact *kt_out_side_fact(const struct kt_triage_result *res, int side,
				       const char *name);
/* The access frame to show for a side: the first frame (innermost). */
const struct kt_frame *kt_out_top_frame(const struct kt_access *a);
/* The function the access frame is inlined into (the first non-inline frame):
 * the name the title uses. */
const struct kt_frame *kt_out_outer_frame(const struct kt_access *a);
/* How the tree read stands to the report's kernel: "exact" when it was the
 * revision the report names (not --rev's) and every access was placed at
 * its line, else the src.tree fact (matches, drifted, too-far); NULL
 * without one. */
const char *kt_out_source_tree(const struct kt_triage_result *res);
/* "report, vmlinux, source" */
void kt_out_inputs(unsigned inputs, const char **names, int *n);

#endif
