/* SPDX-License-Identifier: Apache-2.0 */
/* Parsed translation units, cached per kt_source (tu.c). */
#ifndef KT_SOURCE_TU_H
#define KT_SOURCE_TU_H

#include <clang-c/Index.h>
#include <stdbool.h>

struct kt_budget;
struct kt_compdb;
struct kt_tables;
struct kt_tu_index;
struct kt_revtree;

struct kt_tu {
	char *rel; /* main file, relative to the tree */
	CXTranslationUnit tu;
	bool full;   /* parsed with the real flags (else: tokens only) */
	bool errors; /* parse had errors */
	unsigned nerrors;
	char *first_error;
	double ms;			/* parse time */
	struct kt_tu_index *index;	/* top-level definitions, built on first use */
	const struct kt_tables *tables; /* the stage's tables (generated functions) */
	struct kt_memo *memo;		/* while its inclusions are recorded */
	size_t *deps, ndeps;		/* what the parse read (memo.h) */
};

struct kt_tu_cache;
/* tables: the source stage's tables, which the TUs it hands out point to;
 * rt: the files (borrowed): a revision's are handed to libclang unsaved;
 * budget: what a report may still parse (NULL: no bound). */
struct kt_tu_cache *kt_tu_cache_new(struct kt_compdb *db, const char *src_dir,
				    const struct kt_tables *tables, struct kt_revtree *rt,
				    struct kt_budget *budget);
void kt_tu_cache_free(struct kt_tu_cache *c);
/* Parse (or reuse) rel. full: with the compile flags; else a quick token-level
 * parse without includes. NULL when the file is not there, or when the
 * report's budget has no parse of that kind left. */
struct kt_tu *kt_tu_get(struct kt_tu_cache *c, const char *rel, bool full);
struct kt_memo;
/* Each parse from now on records what it read in memo (memo.h; borrowed). */
void kt_tu_cache_set_memo(struct kt_tu_cache *c, struct kt_memo *memo);
unsigned kt_tu_cache_parses(const struct kt_tu_cache *c);
double kt_tu_cache_parse_ms(const struct kt_tu_cache *c);
/* Drop least recently used TUs over the bounds; call between reports only. */
void kt_tu_cache_trim(struct kt_tu_cache *c);

#endif
