// SPDX-License-Identifier: Apache-2.0
/*
 * Console prefixes: what printk, syslog, dmesg and mail clients put before
 * a report's lines.
 */
#include <string.h>

#include "internal.h"

/* "[  T47]", "[    C4]": the printk caller id. Returns its length, 0 if none. */
static size_t lex_caller(const char *s, struct kr_prefix *px)
{
	size_t k = 1, c0;

	if (s[0] != '[')
		return 0;
	while (s[k] == ' ')
		k++;
	c0 = k;
	if (s[k] != 'T' && s[k] != 'C')
		return 0;
	k++;
	while (kr_is_digit(s[k]))
		k++;
	if (s[k] != ']' || k == c0 + 1 || k - c0 >= sizeof(px->caller))
		return 0;
	memcpy(px->caller, s + c0, k - c0);
	px->caller[k - c0] = '\0';
	return k + 1;
}

/* "[ 12.345678]": the printk time. */
static size_t lex_timestamp(const char *s)
{
	size_t j = 1;

	if (s[0] != '[')
		return 0;
	while (s[j] == ' ')
		j++;
	if (!kr_is_digit(s[j]))
		return 0;
	while (kr_is_digit(s[j]))
		j++;
	if (s[j] != '.')
		return 0;
	j++;
	while (kr_is_digit(s[j]))
		j++;
	return s[j] == ']' ? j + 1 : 0;
}

/* "[Tue Nov 25 03:00:00 2026]": the time of dmesg -T. */
static size_t lex_human_time(const char *s)
{
	/* A: a letter, 9: a digit, #: a digit or a blank, else itself */
	static const char shape[] = "[AAA AAA #9 99:99:99 9999]";
	size_t i;

	for (i = 0; shape[i]; i++) {
		char c = s[i];
		bool ok;

		switch (shape[i]) {
		case 'A':
			ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
			break;
		case '9':
			ok = kr_is_digit(c);
			break;
		case '#':
			ok = kr_is_digit(c) || c == ' ';
			break;
		default:
			ok = c == shape[i];
		}
		if (!ok)
			return 0;
	}
	return i;
}

/* "Nov 25 03:00:00 host kernel: " (syslog) or
 * "2026-11-25T03:00:00.123456+00:00 host kernel: " (journal, rsyslog). */
static size_t lex_syslog(const char *s)
{
	size_t n;
	const char *k;

	if (strnlen(s, 11) < 11)
		return 0;
	if (!((s[0] >= 'A' && s[0] <= 'Z' && s[3] == ' ' && s[6] == ' ' && s[9] == ':') ||
	      (kr_is_digit(s[0]) && s[4] == '-' && s[7] == '-' && s[10] == 'T')))
		return 0;
	n = strnlen(s, 160);
	k = memmem(s, n, " kernel: ", 9);
	return k ? (size_t)(k - s) + 9 : 0;
}

void kr_quoting_of(const char *s, struct kr_quoting *q)
{
	size_t i = 0;

	q->n = 0;
	for (;;) {
		size_t j = i;

		while (s[j] == ' ' || s[j] == '\t')
			j++;
		if ((s[j] != '>' && s[j] != '|') || q->n == sizeof(q->marks))
			break;
		q->marks[q->n++] = s[j];
		i = j + 1;
	}
}

/* The quote marks of q at the start of s, blanks around them, and one space
 * after the last; fewer when the line has fewer (a note inserted in a quote,
 * a mail client's wrap). */
static size_t strip_quoting(const char *s, const struct kr_quoting *q)
{
	size_t i = 0;

	for (size_t k = 0; k < q->n; k++) {
		size_t j = i;

		while (s[j] == ' ' || s[j] == '\t')
			j++;
		if (s[j] != q->marks[k])
			break;
		i = j + 1;
		if (s[i] == ' ')
			i++;
	}
	return i;
}

/*
 * Console prefixes after the quoting: an optional syslog "... host kernel: ",
 * blanks, an optional "<N>" log level, an optional "[ 12.345678]" or "[Tue
 * Nov 25 03:00:00 2026]" time, an optional "[  T47]"/"[    C4]" caller, then
 * one space. Blanks before a time or caller are part of the prefix (a log
 * indented as a whole); otherwise they are the content's.
 */
size_t kr_strip_prefix(const char *s, const struct kr_quoting *q, struct kr_prefix *px)
{
	size_t i, j, n;
	bool bracket = false;

	px->caller[0] = '\0';
	i = strip_quoting(s, q);
	n = lex_syslog(s + i);
	i += n;
	px->console = n > 0;
	j = i;
	while (s[j] == ' ' || s[j] == '\t')
		j++;
	if (j > i && (lex_timestamp(s + j) || lex_human_time(s + j) || lex_caller(s + j, px) ||
		      (s[j] == '<' && kr_is_digit(s[j + 1]))))
		i = j;
	if (s[i] == '<') {
		j = i + 1;
		while (kr_is_digit(s[j]))
			j++;
		if (j > i + 1 && s[j] == '>')
			i = j + 1;
	}
	if ((n = lex_timestamp(s + i)) || (n = lex_human_time(s + i))) {
		i += n;
		bracket = true;
	}
	if ((n = lex_caller(s + i, px))) {
		i += n;
		bracket = true;
	}
	if (bracket && s[i] == ' ')
		i++;
	px->console = px->console || bracket;
	return i;
}
