/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The data files of the rules directory: where they are found, and one
 * reader for every `.tbl` file in it (format in rules/README.md, "Tables").
 *
 * A table is UTF-8 text, one entry a line. A line is white-space separated
 * fields; a field in "double quotes" may hold spaces (there are no escapes);
 * a line whose first field starts with '#' is a comment; blank lines are
 * skipped. Every stage gives the reader a function that interprets the fields
 * of one line and says what is wrong with it; every bad line is reported as
 * `file:line: reason`.
 */
#ifndef KCSAN_TABLE_H
#define KCSAN_TABLE_H

#include <stddef.h>

#include "kcsan/error.h"

/* ---- the rules directory ---- */

/*
 * The shipped rules directory, tried in this order: beside the running
 * program once installed (BINDIR/../share/kcsan-triage/rules), the source
 * tree's rules/ for a program run from its build directory, the configured
 * install location, the source tree's rules/. NULL when none exists; the
 * caller frees.
 */
char *kt_rules_dir_default(void);

/*
 * Where the table `name` (locks.tbl, facts.tbl...) of a rule directory is
 * read from: dir/name when dir is given and has it, else the shipped rules'
 * (so a directory of rules only uses the shipped tables). NULL when neither
 * has it; the caller frees.
 */
char *kt_rules_path(const char *dir, const char *name);

/* ---- the table reader ---- */

#define KT_TABLE_MAX_FIELDS 8

struct kt_table_line {
	const char *file; /* as given to the reader */
	long line;	  /* 1-based */
	size_t n;	  /* 1..KT_TABLE_MAX_FIELDS */
	const char *f[KT_TABLE_MAX_FIELDS];
};

/* Interprets one line; returns NULL, or what is wrong (kt_table_bad()). */
typedef struct kt_error *(*kt_table_line_fn)(void *ctx, const struct kt_table_line *l);

/* A parse error at l: "file:line: reason". */
struct kt_error *kt_table_bad(const struct kt_table_line *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Reads text (len bytes, any bytes) as the table `name`, calling fn for every
 * line that is not blank or a comment. Reading goes on after a bad line, so
 * every bad line is reported: the result is the first error with the others
 * chained behind it (kt_error.next), NULL when every line was good. After
 * KT_TABLE_MAX_ERRORS bad lines the rest is not read.
 */
#define KT_TABLE_MAX_ERRORS 20
struct kt_error *kt_table_parse(const char *name, const char *text, size_t len, kt_table_line_fn fn,
				void *ctx);
/* The same for the file at path. */
struct kt_error *kt_table_read(const char *path, kt_table_line_fn fn, void *ctx);

#endif
