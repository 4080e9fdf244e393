/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The census's contribution to the fact table: how the whole tree accesses
 * the object the binary and source stages named (census.* facts, and
 * SIDE.census.* for the sites in each side's own functions).
 */
#ifndef KT_VERDICT_CENSUS_FACTS_H
#define KT_VERDICT_CENSUS_FACTS_H

#include "kcsan/census.h"
#include "kcsan/facts.h"

/* The object to take a census of, from the facts (`object`, else a side's
 * expr.field), as kt_census_query_object() reads it; NULL when the facts
 * name none or name something that is not a member or a global (a page
 * cache range). The caller frees. */
char *kt_census_object_of(const struct kt_facts *f);

/* Takes the census of object in ix and writes its facts into f. *out gets
 * the result (the caller frees it with kt_census_result_free). */
struct kt_error *kt_census_facts(struct kt_census_index *ix, const char *object, struct kt_facts *f,
				 struct kt_census_result **out);

#endif
