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

/*
 * What the stage may spend on one report. Past a bound it gives up what is
 * left of that kind (a parse, a file, a search) and says so: a note, and
 * the report fact src.incomplete listing what it gave up on. A zero field
 * takes its default (KT_SOURCE_DEFAULT_*). The defaults are four to nine times
 * what the dev corpus takes at most against Debian's 6.1 and 6.12 trees
 * (2 full and 17 light parses, 4203 files read, 8 tree searches, 13 s).
 */
struct kt_source_limits {
	unsigned full_parses;	/* libclang parses with the compile flags */
	unsigned light_parses;	/* parses of one file alone (tokens) */
	unsigned files_read;	/* files read outside libclang (includers, moved functions) */
	unsigned tree_searches; /* directory and tree searches for moved files and functions */
	unsigned ms;		/* wall time (milliseconds): no parse or search starts past it */
	unsigned rss_mb;	/* resident memory past which no parse starts */
};

#define KT_SOURCE_DEFAULT_FULL_PARSES	8
#define KT_SOURCE_DEFAULT_LIGHT_PARSES	128
#define KT_SOURCE_DEFAULT_FILES_READ	16000
#define KT_SOURCE_DEFAULT_TREE_SEARCHES 64
#define KT_SOURCE_DEFAULT_MS		120000
#define KT_SOURCE_DEFAULT_RSS_MB	6144

/* What the last report took (kt_source_add_facts), and what it gave up. */
struct kt_source_usage {
	unsigned full_parses, light_parses, files_read, tree_searches;
	double seconds;
	unsigned gave_up; /* parses, files and searches refused */
};

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
	const struct kt_source_limits *limits; /* NULL: the defaults */
	/* Keep what each report got on disk, in cache_dir (NULL:
	 * $XDG_CACHE_HOME/kcsan-triage), and give it back without parsing when
	 * nothing the stage read has changed. The tree on disk only (not rev). */
	bool cache;
	const char *cache_dir;
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
/* Reports given back from the persistent cache, and reports written to it. */
void kt_source_cache_counts(const struct kt_source *src, unsigned *hits, unsigned *stores);
/* What the last kt_source_add_facts() took. */
void kt_source_usage(const struct kt_source *src, struct kt_source_usage *out);

#endif
