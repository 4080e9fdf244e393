/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the source stage may spend on one report (struct kt_source_limits):
 * parses, files read, tree searches, wall time, memory. Each costly step
 * takes from the budget first; past a bound the step is not taken, the
 * budget remembers what was given up, and the report gets src.incomplete.
 */
#ifndef KT_SOURCE_BUDGET_H
#define KT_SOURCE_BUDGET_H

#include <stdbool.h>

#include "kcsan/facts.h"
#include "kcsan/source.h"

enum kt_budget_kind {
	KT_BUDGET_FULL_PARSE,
	KT_BUDGET_LIGHT_PARSE,
	KT_BUDGET_FILE_READ,
	KT_BUDGET_TREE_SEARCH,
	KT_BUDGET_NKINDS,
};

struct kt_budget {
	struct kt_source_limits lim; /* zeros replaced by the defaults */
	unsigned used[KT_BUDGET_NKINDS];
	unsigned refused[KT_BUDGET_NKINDS];
	char *first_refused[KT_BUDGET_NKINDS]; /* what was given up first, per kind */
	bool out_of_time, out_of_memory;
	double start, deadline; /* seconds, monotonic */
	double seconds;		/* the last report's wall time */
	char **taken;		/* kt_budget_take_once(): what this report took, "K:what" */
	size_t ntaken;
};

void kt_budget_init(struct kt_budget *b, const struct kt_source_limits *lim);
void kt_budget_fini(struct kt_budget *b);
/* A new report: everything unspent again. */
void kt_budget_begin(struct kt_budget *b);
/* May one more step of kind k be taken (what: the file or directory it is
 * for)? Counts it when it may; remembers what was refused otherwise. Past
 * the report's time, or (for parses) past the memory bound, nothing may. */
bool kt_budget_take(struct kt_budget *b, enum kt_budget_kind k, const char *what);
/* The same, counted once a report per (k, what): a translation unit the
 * report reads costs one parse whether or not an earlier report of the
 * batch left it parsed, so what a report may read does not depend on the
 * reports before it. */
bool kt_budget_take_once(struct kt_budget *b, enum kt_budget_kind k, const char *what);
/* Has this report taken (k, what) through kt_budget_take_once()? */
bool kt_budget_taken(const struct kt_budget *b, enum kt_budget_kind k, const char *what);
/* The report is done: src.incomplete and a note when something was given
 * up (facts may be NULL: nothing written). */
void kt_budget_end(struct kt_budget *b, struct kt_facts *facts);
void kt_budget_usage(const struct kt_budget *b, struct kt_source_usage *out);

#endif
