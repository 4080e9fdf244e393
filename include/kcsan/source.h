/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stage 3, source: the kernel tree read with libclang. Finds and classifies
 * the access expression at each access site and computes the locks held along
 * each stack. Adds facts with origin KT_ORIGIN_SOURCE.
 */
#ifndef KCSAN_SOURCE_H
#define KCSAN_SOURCE_H

#include <stddef.h>

#include "kcsan/error.h"
#include "kcsan/facts.h"
#include "kcsan/git.h"
#include "kcsan/report.h"

struct kt_source;

struct kt_source_opts {
	const char *src_dir;
	const char *compile_commands; /* NULL: <src_dir>/compile_commands.json when present */
	const char *rules_dir;        /* locks.tbl, access.tbl; NULL: the shipped rules */
	/* A revision of the git repository whose work tree is src_dir (borrowed,
	 * outlives the stage): every file is read from it, the files it does not
	 * carry (generated headers) from the work tree. NULL: the tree on disk. */
	const struct kt_git_tree *rev;
	/* The tree is the reports' own (their revision): an access not at its
	 * line is not looked for elsewhere (the placement strategies for
	 * drifted code are skipped). */
	bool exact;
};

struct kt_error *kt_source_open(const struct kt_source_opts *opts, struct kt_source **out);
void kt_source_close(struct kt_source *src);
/* Reads the stage's tables (locks.tbl, access.tbl) of rules_dir as
 * kt_source_open() would: NULL, or every bad line (chained). */
struct kt_error *kt_source_check_tables(const char *rules_dir);

/* stacks[i] / nframes[i]: access i's frames, innermost first, with file:line
 * (from a symbolized report, or from the binary stage). */
struct kt_error *kt_source_add_facts(struct kt_source *src, const struct kt_report *rep,
				     const struct kt_frame *const stacks[2],
				     const size_t nframes[2], struct kt_facts *facts);

/* Translation units parsed so far (a full or a token-level parse each). */
unsigned kt_source_parses(const struct kt_source *src);
/* Milliseconds spent in libclang's parser so far. */
double kt_source_parse_ms(const struct kt_source *src);

#endif
