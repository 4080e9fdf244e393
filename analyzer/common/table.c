// SPDX-License-Identifier: Apache-2.0
/*
 * The rules directory and its tables: one place that says where the shipped
 * rules are, and one reader for every `.tbl` file (kcsan/table.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kcsan/strbuf.h"
#include "kcsan/table.h"

/* ---- the rules directory ---- */

static bool is_dir(const char *p)
{
	struct stat st;

	return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* The directory of the running program, or false. */
static bool exe_dir(char *buf, size_t n)
{
	ssize_t len = readlink("/proc/self/exe", buf, n - 1);
	char *slash;

	if (len <= 0)
		return false;
	buf[len] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return false;
	*slash = '\0';
	return true;
}

/* Is the program dir inside the build tree it was built in? */
static bool in_build_dir(const char *dir)
{
#ifdef KT_BUILD_DIR
	char real[PATH_MAX];
	size_t n;

	if (!realpath(KT_BUILD_DIR, real))
		return false;
	n = strlen(real);
	return strncmp(dir, real, n) == 0 && (dir[n] == '\0' || dir[n] == '/');
#else
	(void)dir;
	return false;
#endif
}

char *kt_rules_dir_default(void)
{
	char exe[PATH_MAX];

	if (exe_dir(exe, sizeof(exe))) {
		struct kt_strbuf sb;

		kt_strbuf_init(&sb);
		kt_strbuf_addf(&sb, "%s/../share/kcsan-triage/rules", exe);
		if (is_dir(sb.buf))
			return kt_strbuf_detach(&sb);
		kt_strbuf_fini(&sb);
#ifdef KT_SOURCE_RULES_DIR
		if (in_build_dir(exe) && is_dir(KT_SOURCE_RULES_DIR))
			return kt_xstrdup(KT_SOURCE_RULES_DIR);
#endif
	}
#ifdef KT_INSTALL_RULES_DIR
	if (is_dir(KT_INSTALL_RULES_DIR))
		return kt_xstrdup(KT_INSTALL_RULES_DIR);
#endif
#ifdef KT_SOURCE_RULES_DIR
	if (is_dir(KT_SOURCE_RULES_DIR))
		return kt_xstrdup(KT_SOURCE_RULES_DIR);
#endif
	return NULL;
}

static char *join(const char *dir, const char *name)
{
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	kt_strbuf_addf(&sb, "%s/%s", dir, name);
	return kt_strbuf_detach(&sb);
}

char *kt_rules_path(const char *dir, const char *name)
{
	char *shipped, *p;

	if (dir) {
		p = join(dir, name);
		if (is_file(p))
			return p;
		free(p);
	}
	shipped = kt_rules_dir_default();
	if (!shipped)
		return NULL;
	p = join(shipped, name);
	free(shipped);
	if (is_file(p))
		return p;
	free(p);
	return NULL;
}

/* ---- the reader ---- */

struct kt_error *kt_table_bad(const struct kt_table_line *l, const char *fmt, ...)
{
	struct kt_error *e;
	va_list ap;

	va_start(ap, fmt);
	e = kt_error_newv(KT_ERR_PARSE, l->file, l->line, fmt, ap);
	va_end(ap);
	return e;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/*
 * Splits the line s (NUL-terminated, modified in place) into l's fields; no
 * field for a blank or comment line. Returns NULL, or why the line cannot be
 * split.
 */
static const char *split(char *s, struct kt_table_line *l)
{
	l->n = 0;
	while (blank(*s))
		s++;
	if (*s == '#')
		return NULL;
	for (;;) {
		while (blank(*s))
			s++;
		if (!*s)
			return NULL;
		if (l->n == KT_TABLE_MAX_FIELDS)
			return "more than 8 fields";
		if (*s == '"') {
			l->f[l->n++] = ++s;
			while (*s && *s != '"')
				s++;
			if (!*s)
				return "unterminated quote";
			*s++ = '\0';
			if (*s && !blank(*s))
				return "text right after a closing quote";
			continue;
		}
		l->f[l->n++] = s;
		while (*s && !blank(*s)) {
			if (*s == '"')
				return "a quote inside a field (quote the whole field)";
			s++;
		}
		if (*s)
			*s++ = '\0';
	}
}

/* A line that is not valid UTF-8, or holds control characters, is bad. */
static const char *bad_bytes(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t len = c < 0x80		  ? 1
			     : (c & 0xe0) == 0xc0 ? 2
			     : (c & 0xf0) == 0xe0 ? 3
			     : (c & 0xf8) == 0xf0 ? 4
						  : 0;

		if (c == '\0')
			return "NUL byte";
		if (c < 0x20 && c != '\t' && c != '\r')
			return "control character";
		if (!len || i + len > n || (len == 2 && c < 0xc2) || (len == 4 && c > 0xf4))
			return "not UTF-8";
		for (size_t k = 1; k < len; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return "not UTF-8";
		i += len;
	}
	return NULL;
}

struct kt_error *kt_table_parse(const char *name, const char *text, size_t len, kt_table_line_fn fn,
				void *ctx)
{
	struct kt_error *errs = NULL;
	struct kt_strbuf buf;
	size_t pos = 0, nbad = 0;
	long lineno = 0;

	kt_strbuf_init(&buf);
	while (pos < len && nbad < KT_TABLE_MAX_ERRORS) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		struct kt_table_line l = {.file = name, .line = ++lineno};
		struct kt_error *e = NULL;
		const char *why;

		why = bad_bytes((const unsigned char *)text + pos, n);
		kt_strbuf_reset(&buf);
		kt_strbuf_add(&buf, text + pos, n);
		pos += n + (nl != NULL);
		if (!why && buf.buf)
			why = split(buf.buf, &l);
		if (why)
			e = kt_table_bad(&l, "%s", why);
		else if (l.n > 0)
			e = fn(ctx, &l);
		if (e) {
			errs = kt_error_append(errs, e);
			nbad++;
		}
	}
	if (nbad == KT_TABLE_MAX_ERRORS && pos < len)
		errs = kt_error_append(errs, kt_error_new(KT_ERR_LIMIT, name, lineno + 1,
							  "%d bad lines: the rest is not read",
							  KT_TABLE_MAX_ERRORS));
	kt_strbuf_fini(&buf);
	return errs;
}

struct kt_error *kt_table_read(const char *path, kt_table_line_fn fn, void *ctx)
{
	FILE *fp = fopen(path, "rb");
	struct kt_strbuf sb;
	char chunk[8192];
	size_t n;
	struct kt_error *err;

	if (!fp)
		return kt_error_new(KT_ERR_IO, path, 0, "cannot open the table: %s",
				    strerror(errno));
	kt_strbuf_init(&sb);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		kt_strbuf_add(&sb, chunk, n);
	if (ferror(fp)) {
		err = kt_error_new(KT_ERR_IO, path, 0, "cannot read the table");
	} else {
		err = kt_table_parse(path, sb.buf ? sb.buf : "", sb.len, fn, ctx);
	}
	fclose(fp);
	kt_strbuf_fini(&sb);
	return err;
}
