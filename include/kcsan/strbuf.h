/* SPDX-License-Identifier: Apache-2.0 */
/* Growable strings and small helpers shared by every stage. */
#ifndef KCSAN_STRBUF_H
#define KCSAN_STRBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct kt_strbuf {
	char *buf; /* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
};

void kt_strbuf_init(struct kt_strbuf *sb);
void kt_strbuf_fini(struct kt_strbuf *sb);
void kt_strbuf_reset(struct kt_strbuf *sb);
void kt_strbuf_add(struct kt_strbuf *sb, const char *s, size_t n);
void kt_strbuf_adds(struct kt_strbuf *sb, const char *s);
void kt_strbuf_addc(struct kt_strbuf *sb, char c);
void kt_strbuf_addf(struct kt_strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append s as a JSON string literal (with quotes), escaping as RFC 8259 asks;
 * bytes that are not valid UTF-8 are written as \u00XX of the byte value. */
void kt_strbuf_add_json_str(struct kt_strbuf *sb, const char *s);
/* Detach the buffer (never NULL); the strbuf is reset. */
char *kt_strbuf_detach(struct kt_strbuf *sb);

/* Allocation that aborts on exhaustion: no caller can do better. */
void *kt_xmalloc(size_t n);
void *kt_xcalloc(size_t n, size_t sz);
void *kt_xrealloc(void *p, size_t n);
char *kt_xstrdup(const char *s);
char *kt_xstrndup(const char *s, size_t n);

bool kt_str_startswith(const char *s, const char *prefix);
bool kt_str_endswith(const char *s, const char *suffix);

#endif
