/* SPDX-License-Identifier: Apache-2.0 */
/* The index of a tree as the query reads it: one or two segments (internal). */
#ifndef KT_CENSUS_INDEX_H
#define KT_CENSUS_INDEX_H

#include "files.h"
#include "kcsan/census.h"
#include "seg.h"
#include "vocab.h"

struct kt_census_index {
	struct cf_source src; /* where the files are read */
	const struct kt_census_vocab *vocab;
	struct seg seg[2]; /* main, delta */
	bool have[2];
	uint8_t *buf[2];
	size_t len[2];
	bool mapped[2];
	uint8_t *dead; /* per main file: superseded by the delta */
	struct kt_census_index_info info;
	char *path;
	size_t nfiles;
	struct ty_memo *memo; /* lookups already made (types.c) */
};

void ty_memo_free(struct ty_memo *m);

/* A unit (function or macro) of a segment, live in the index. */
struct ix_unit {
	int seg;
	uint32_t idx;
};

/* Whether record file index f of segment k is live (not superseded). */
static inline bool ix_live(const struct kt_census_index *ix, int k, uint32_t f)
{
	if (k == 0 && f < SEG_N(&ix->seg[0], S_FILES) && ix->dead)
		return !ix->dead[f];
	return f < SEG_N(&ix->seg[k], S_FILES);
}

/* Live units whose identifiers include name, in file order per segment.
 * Caller frees *out. */
size_t ix_postings(const struct kt_census_index *ix, const char *name, struct ix_unit **out);
/* The path of a record's file. */
const char *ix_file_path(const struct kt_census_index *ix, int k, uint32_t file);

#endif
