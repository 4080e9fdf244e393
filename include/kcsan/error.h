/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Errors shared by every stage. A fallible function returns a struct kt_error *
 * (NULL on success) and puts its results in out-parameters, last.
 */
#ifndef KCSAN_ERROR_H
#define KCSAN_ERROR_H

#include <stdarg.h>
#include <stddef.h>

enum kt_errcode {
	KT_ERR_USAGE = 1, /* bad command line or API misuse */
	KT_ERR_IO,        /* cannot open or read a file */
	KT_ERR_PARSE,     /* malformed input (report, rule, ELF, DWARF, JSON) */
	KT_ERR_MISMATCH,  /* inputs that do not belong together (vmlinux vs report) */
	KT_ERR_NOMEM,
	KT_ERR_LIMIT,     /* input exceeds a documented bound */
	KT_ERR_UNSUPPORTED,
};

struct kt_error {
	enum kt_errcode code;
	char *file;       /* input that caused it, or NULL */
	long line;        /* 1-based line, or 0 when not line-based */
	long long offset; /* byte offset, or -1 */
	char *msg;
	struct kt_error *next; /* more errors of the same input (a table's other bad lines),
				* or NULL; freed with this one */
};

struct kt_error *kt_error_new(enum kt_errcode code, const char *file, long line,
			      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
struct kt_error *kt_error_newv(enum kt_errcode code, const char *file, long line,
			       const char *fmt, va_list ap);
/* Same, with a byte offset instead of a line (binary inputs). */
struct kt_error *kt_error_at_offset(enum kt_errcode code, const char *file, long long offset,
				    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void kt_error_free(struct kt_error *err);
/* err with more chained at its end (either may be NULL); returns the head. */
struct kt_error *kt_error_append(struct kt_error *err, struct kt_error *more);
/* "file:line: msg", "file: offset 0x..: msg" or "msg"; caller frees. */
char *kt_error_format(const struct kt_error *err);
/* Exit status for this error: 2 for everything the user must fix. */
int kt_error_exit_code(const struct kt_error *err);

#endif
