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

/* The census indexes of one --src tree: of the tree on disk and, when it
 * is a git work tree, of the revisions the source stage reads (the most
 * recently used few), each opened at its first census and not tried again
 * after a failure. cache_dir as kt_census_index_open() takes it. */
struct kt_census_set;

struct kt_census_set *kt_census_set_new(const char *dir, const char *cache_dir,
					const struct kt_census_vocab *vocab);
void kt_census_set_free(struct kt_census_set *s);
/* The index of the commit rev (NULL: the tree on disk). *out NULL, with no
 * error, when it failed to open before (the error was given then). */
struct kt_error *kt_census_set_get(struct kt_census_set *s, const char *rev,
				   struct kt_census_index **out);

/* Takes the census of object in ix and writes its facts into f. *out gets
 * the result (the caller frees it with kt_census_result_free). */
struct kt_error *kt_census_facts(struct kt_census_index *ix, const char *object, struct kt_facts *f,
				 struct kt_census_result **out);

#endif
