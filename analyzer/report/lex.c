// SPDX-License-Identifier: Apache-2.0
/* Small lexing of report lines: numbers, literals, marks a copy adds. */
#include <string.h>
#include <strings.h>

#include "internal.h"

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return c - 'A' + 10;
}

bool kr_lex_hex(const char **p, uint64_t *v, int *digits)
{
	const char *s = *p;
	uint64_t x = 0;
	int n = 0;

	if (s[0] != '0' || s[1] != 'x')
		return false;
	s += 2;
	while (kr_is_hex(*s)) {
		if (n == 16)
			return false;
		x = x << 4 | (uint64_t)hex_val(*s);
		s++;
		n++;
	}
	if (n == 0)
		return false;
	*p = s;
	*v = x;
	if (digits)
		*digits = n;
	return true;
}

bool kr_lex_dec(const char **p, long *v)
{
	const char *s = *p;
	bool neg = false;
	long x = 0;
	int n = 0;

	if (*s == '-') {
		neg = true;
		s++;
	}
	while (kr_is_digit(*s)) {
		if (n == 12)
			return false;
		x = x * 10 + (*s - '0');
		s++;
		n++;
	}
	if (n == 0)
		return false;
	*p = s;
	*v = neg ? -x : x;
	return true;
}

bool kr_lex_lit(const char **p, const char *lit)
{
	const char *s = *p;

	while (*lit && *s == *lit) {
		s++;
		lit++;
	}
	if (*lit)
		return false;
	*p = s;
	return true;
}

const char *kr_skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

void kr_quote(char *dst, size_t n, const char *s)
{
	size_t i = 0;

	for (; *s && i + 4 < n; s++) {
		unsigned char ch = (unsigned char)*s;

		dst[i++] = ch < 0x20 || ch >= 0x7f ? '?' : (char)ch;
	}
	if (*s) {
		dst[i++] = '.';
		dst[i++] = '.';
		dst[i++] = '.';
	}
	dst[i] = '\0';
}

bool kr_is_separator(const char *c)
{
	return strncmp(c, "==========", 10) == 0;
}

bool kr_looks_like_key(const char *c)
{
	const char *p = c;

	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == ' ')
		p++;
	return p > c && p[0] == ':' && (p[1] == ' ' || p[1] == '\0');
}

/* "...", "....", "[...]", "[ ... ]", "(...)", "<snip>", "[snip]",
 * "-- snip --", "…" (U+2026). */
bool kr_is_elision(const char *c)
{
	const char *s = c, *e = c + strlen(c);
	size_t dots = 0;
	bool framed = false;

	while (*s && strchr("[<(-", *s)) {
		s++;
		framed = true;
	}
	while (e > s && strchr("]>)-", e[-1])) {
		e--;
		framed = true;
	}
	while (s < e && *s == ' ')
		s++;
	while (e > s && e[-1] == ' ')
		e--;
	if ((e - s == 4 && !strncasecmp(s, "snip", 4)) ||
	    (e - s == 7 && !strncasecmp(s, "snipped", 7)))
		return framed;
	for (const char *q = s; q < e; q++) {
		if (*q == '.') {
			dots++;
		} else if (e - q >= 3 && !memcmp(q, "\xe2\x80\xa6", 3)) {
			dots += 3;
			q += 2;
		} else {
			return false;
		}
	}
	return dots >= 3 || (framed && dots >= 2);
}
