// SPDX-License-Identifier: Apache-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcsan/strbuf.h"

void *kt_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fputs("kcsan-triage: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *kt_xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (!p) {
		fputs("kcsan-triage: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *kt_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q) {
		fputs("kcsan-triage: out of memory\n", stderr);
		abort();
	}
	return q;
}

char *kt_xstrdup(const char *s)
{
	return kt_xstrndup(s, strlen(s));
}

char *kt_xstrndup(const char *s, size_t n)
{
	char *p = kt_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

bool kt_str_startswith(const char *s, const char *prefix)
{
	/* One pass that stops at the first difference: no strlen() of the
	 * prefix, which the report reader calls on every line. */
	while (*prefix && *s == *prefix) {
		s++;
		prefix++;
	}
	return *prefix == '\0';
}

bool kt_str_endswith(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

void kt_strbuf_init(struct kt_strbuf *sb)
{
	sb->buf = NULL;
	sb->len = 0;
	sb->cap = 0;
}

void kt_strbuf_fini(struct kt_strbuf *sb)
{
	free(sb->buf);
	kt_strbuf_init(sb);
}

void kt_strbuf_reset(struct kt_strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

static void grow(struct kt_strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;

	if (need <= sb->cap)
		return;
	size_t cap = sb->cap ? sb->cap : 64;
	while (cap < need)
		cap *= 2;
	sb->buf = kt_xrealloc(sb->buf, cap);
	sb->cap = cap;
}

void kt_strbuf_add(struct kt_strbuf *sb, const char *s, size_t n)
{
	grow(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void kt_strbuf_adds(struct kt_strbuf *sb, const char *s)
{
	kt_strbuf_add(sb, s, strlen(s));
}

void kt_strbuf_addc(struct kt_strbuf *sb, char c)
{
	kt_strbuf_add(sb, &c, 1);
}

void kt_strbuf_addf(struct kt_strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	/* Format once into the free space; only a result that does not fit is
	 * formatted a second time, into a buffer grown to its length. */
	grow(sb, 63);
	room = sb->cap - sb->len;
	va_start(ap, fmt);
	n = vsnprintf(sb->buf + sb->len, room, fmt, ap);
	va_end(ap);
	if (n <= 0) {
		sb->buf[sb->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		grow(sb, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	sb->len += (size_t)n;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (s[0] == 0xe0 && s[1] < 0xa0)
			return 0;
		if (s[0] == 0xed && s[1] >= 0xa0)
			return 0;
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		if (s[0] == 0xf0 && s[1] < 0x90)
			return 0;
		if (s[0] == 0xf4 && s[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

void kt_strbuf_add_json_str(struct kt_strbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	kt_strbuf_addc(sb, '"');
	while (*p) {
		unsigned char c = *p;
		const unsigned char *run = p;
		size_t n;

		/* A run of printable ASCII needing no escape is copied at once. */
		while (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
			p++;
		if (p != run) {
			kt_strbuf_add(sb, (const char *)run, (size_t)(p - run));
			continue;
		}
		switch (c) {
		case '"':
			kt_strbuf_adds(sb, "\\\"");
			p++;
			continue;
		case '\\':
			kt_strbuf_adds(sb, "\\\\");
			p++;
			continue;
		case '\n':
			kt_strbuf_adds(sb, "\\n");
			p++;
			continue;
		case '\r':
			kt_strbuf_adds(sb, "\\r");
			p++;
			continue;
		case '\t':
			kt_strbuf_adds(sb, "\\t");
			p++;
			continue;
		default:
			break;
		}
		if (c < 0x20 || c == 0x7f) {
			kt_strbuf_addf(sb, "\\u%04x", c);
			p++;
			continue;
		}
		n = utf8_len(p);
		if (n == 0) {
			/* Not UTF-8: keep the byte visible, never emit invalid JSON. */
			kt_strbuf_addf(sb, "\\u%04x", c);
			p++;
			continue;
		}
		kt_strbuf_add(sb, (const char *)p, n);
		p += n;
	}
	kt_strbuf_addc(sb, '"');
}

char *kt_strbuf_detach(struct kt_strbuf *sb)
{
	char *p = sb->buf ? sb->buf : kt_xstrdup("");

	kt_strbuf_init(sb);
	return p;
}
