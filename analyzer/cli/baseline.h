/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Baseline of accepted races for CI gating. One entry per line, tab-separated:
 *   TITLE <TAB> OBJECT-or-* <TAB> REASON <TAB> ACCEPTED-BY
 * '#' starts a comment line. A report matches an entry when its normalized
 * title is TITLE and, unless OBJECT is '*', the object named is OBJECT.
 */
#ifndef KT_CLI_BASELINE_H
#define KT_CLI_BASELINE_H

#include "kcsan/error.h"
#include "kcsan/triage.h"

struct kt_baseline_entry {
	char *title;
	char *object; /* NULL for any */
	char *reason;
	char *who;
	long line;
};

struct kt_baseline {
	struct kt_baseline_entry *e;
	size_t n;
};

struct kt_error *kt_baseline_load(const char *path, struct kt_baseline *out);
void kt_baseline_fini(struct kt_baseline *b);
const struct kt_baseline_entry *kt_baseline_match(const struct kt_baseline *b,
						  const struct kt_triage_result *res);

#endif
