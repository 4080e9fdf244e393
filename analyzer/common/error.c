// SPDX-License-Identifier: Apache-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcsan/error.h"
#include "kcsan/strbuf.h"

struct kt_error *kt_error_newv(enum kt_errcode code, const char *file, long line, const char *fmt,
			       va_list ap)
{
	struct kt_error *e = kt_xcalloc(1, sizeof(*e));
	struct kt_strbuf sb;
	va_list cp;
	int n;

	e->code = code;
	e->file = file ? kt_xstrdup(file) : NULL;
	e->line = line;
	e->offset = -1;
	kt_strbuf_init(&sb);
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n > 0) {
		char *buf = kt_xmalloc((size_t)n + 1);
		vsnprintf(buf, (size_t)n + 1, fmt, ap);
		kt_strbuf_add(&sb, buf, (size_t)n);
		free(buf);
	}
	e->msg = kt_strbuf_detach(&sb);
	return e;
}

struct kt_error *kt_error_new(enum kt_errcode code, const char *file, long line, const char *fmt,
			      ...)
{
	struct kt_error *e;
	va_list ap;

	va_start(ap, fmt);
	e = kt_error_newv(code, file, line, fmt, ap);
	va_end(ap);
	return e;
}

struct kt_error *kt_error_at_offset(enum kt_errcode code, const char *file, long long offset,
				    const char *fmt, ...)
{
	struct kt_error *e;
	va_list ap;

	va_start(ap, fmt);
	e = kt_error_newv(code, file, 0, fmt, ap);
	va_end(ap);
	e->offset = offset;
	return e;
}

void kt_error_free(struct kt_error *err)
{
	while (err) {
		struct kt_error *next = err->next;

		free(err->file);
		free(err->msg);
		free(err);
		err = next;
	}
}

struct kt_error *kt_error_append(struct kt_error *err, struct kt_error *more)
{
	struct kt_error *e = err;

	if (!err)
		return more;
	while (e->next)
		e = e->next;
	e->next = more;
	return err;
}

char *kt_error_format(const struct kt_error *err)
{
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	if (err->file && err->line > 0)
		kt_strbuf_addf(&sb, "%s:%ld: ", err->file, err->line);
	else if (err->file && err->offset >= 0)
		kt_strbuf_addf(&sb, "%s: offset 0x%llx: ", err->file, err->offset);
	else if (err->file)
		kt_strbuf_addf(&sb, "%s: ", err->file);
	kt_strbuf_adds(&sb, err->msg ? err->msg : "error");
	return kt_strbuf_detach(&sb);
}

int kt_error_exit_code(const struct kt_error *err)
{
	return err ? 2 : 0;
}
