// SPDX-License-Identifier: Apache-2.0
/*
 * Bug titles as syzkaller computes them for KCSAN reports: "KCSAN: " plus the
 * text after "BUG: KCSAN: ", then the dynamic replacements (offsets, addresses,
 * line numbers, numbers) applied until nothing changes, then sanitized (control
 * bytes dropped, spaces collapsed, 120-byte cap, trimmed). The table below is
 * syzkaller's title format, not kernel knowledge, so it lives in C.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "kcsan/report.h"
#include "kcsan/strbuf.h"

#define TITLE_MAX_LEN 120
/* A replacement is applied until the string stops changing; each pass
 * shrinks what can match, so this bound is never reached in practice. */
#define TITLE_MAX_PASSES 64

static const struct {
	const char *pattern;
	const char *replacement;
} title_replacements[] = {
    /* executor pids */
    {"syz-executor\\.?[0-9]+((/|:)[0-9]+)?", "syz-executor"},
    {"syzkaller[0-9]+((/|:)[0-9]+)?", "syzkaller"},
    /* anything that looks like an address */
    {"([^a-zA-Z0-9])(?:0x)?[0-9a-f]{6,}", "${1}ADDR"},
    /* IPv4 addresses */
    {"([0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3})", "IP"},
    /* file:line */
    {"(\\.\\w+)(:[0-9]+)+", "${1}:LINE"},
    /* func+0x1052/0x2d80 -> func */
    {"([a-zA-Z][a-zA-Z0-9_.]+)\\+0x[0-9a-z]+/0x[0-9a-z]+", "${1}"},
    {"CPU#[0-9]+", "CPU"},
    /* standalone decimal numbers */
    {"(\\W)(\\d+)(\\W|$)", "${1}NUM${3}"},
    /* very long numbers even inside names */
    {"(\\d+){7,}", "NUM"},
};

#define NREPL (sizeof(title_replacements) / sizeof(title_replacements[0]))

struct kt_title_normalizer {
	pcre2_code *re[NREPL];
	pcre2_match_data *md;
};

void kt_title_normalizer_free(struct kt_title_normalizer *tn)
{
	if (!tn)
		return;
	for (size_t i = 0; i < NREPL; i++)
		pcre2_code_free(tn->re[i]);
	pcre2_match_data_free(tn->md);
	free(tn);
}

struct kt_error *kt_title_normalizer_new(struct kt_title_normalizer **out)
{
	struct kt_title_normalizer *tn = kt_xcalloc(1, sizeof(*tn));

	*out = NULL;
	for (size_t i = 0; i < NREPL; i++) {
		int errcode;
		PCRE2_SIZE erroff;

		tn->re[i] =
		    pcre2_compile((PCRE2_SPTR)title_replacements[i].pattern, PCRE2_ZERO_TERMINATED,
				  PCRE2_DOLLAR_ENDONLY, &errcode, &erroff, NULL);
		if (!tn->re[i]) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(errcode, msg, sizeof(msg));
			kt_title_normalizer_free(tn);
			return kt_error_new(KT_ERR_USAGE, NULL, 0,
					    "title pattern %zu: %s at offset %zu", i,
					    (const char *)msg, (size_t)erroff);
		}
		/* JIT when the platform has it: matching falls back otherwise. */
		(void)pcre2_jit_compile(tn->re[i], PCRE2_JIT_COMPLETE);
	}
	tn->md = pcre2_match_data_create(16, NULL);
	*out = tn;
	return NULL;
}

/* One global substitution; returns a new string or NULL if it failed. */
static char *substitute(struct kt_title_normalizer *tn, size_t i, const char *s, size_t len,
			size_t *outlen)
{
	const uint32_t opts = PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_UNSET_EMPTY |
			      PCRE2_SUBSTITUTE_OVERFLOW_LENGTH;
	PCRE2_SIZE cap = len * 2 + 64;

	for (int tries = 0; tries < 4; tries++) {
		char *out = kt_xmalloc(cap);
		PCRE2_SIZE olen = cap;
		int rc = pcre2_substitute(tn->re[i], (PCRE2_SPTR)s, len, 0, opts, tn->md, NULL,
					  (PCRE2_SPTR)title_replacements[i].replacement,
					  PCRE2_ZERO_TERMINATED, (PCRE2_UCHAR *)out, &olen);

		if (rc >= 0) {
			*outlen = olen;
			return out;
		}
		free(out);
		if (rc != PCRE2_ERROR_NOMEMORY)
			return NULL;
		cap = olen + 1; /* OVERFLOW_LENGTH: olen is the size needed */
	}
	return NULL;
}

/* Drop "BUG: " and make the text a single line (wrapped titles). */
static char *title_source(const char *bug_line)
{
	const char *p = strstr(bug_line, "BUG: KCSAN: ");
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	kt_strbuf_adds(&sb, "KCSAN: ");
	if (p)
		p += strlen("BUG: KCSAN: ");
	else if (kt_str_startswith(bug_line, "KCSAN: "))
		p = bug_line + strlen("KCSAN: ");
	else
		p = bug_line;
	for (; *p; p++) {
		if (*p == '\r' || *p == '\n') {
			/* a line break of a wrapped title reads as one space */
			while (sb.len && sb.buf[sb.len - 1] == ' ')
				sb.buf[--sb.len] = '\0';
			while (p[1] == '\r' || p[1] == '\n' || p[1] == ' ' || p[1] == '\t')
				p++;
			kt_strbuf_addc(&sb, ' ');
			continue;
		}
		kt_strbuf_addc(&sb, *p);
	}
	return kt_strbuf_detach(&sb);
}

static char *sanitize(const char *s, size_t len)
{
	char *res = kt_xmalloc(TITLE_MAX_LEN + 1);
	size_t n = 0, start = 0;
	char prev = ' ';

	for (size_t i = 0; i < len && i < TITLE_MAX_LEN; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '\t')
			ch = ' ';
		else if (ch < 0x20 || ch >= 0x7f)
			continue;
		if (ch == ' ' && prev == ' ')
			continue;
		res[n++] = (char)ch;
		prev = (char)ch;
	}
	while (n && res[n - 1] == ' ')
		n--;
	while (start < n && res[start] == ' ')
		start++;
	memmove(res, res + start, n - start);
	res[n - start] = '\0';
	return res;
}

char *kt_title_normalize_with(struct kt_title_normalizer *tn, const char *bug_line)
{
	char *cur = title_source(bug_line);
	size_t len = strlen(cur);
	char *res;

	for (size_t i = 0; i < NREPL; i++) {
		for (int pass = 0; pass < TITLE_MAX_PASSES; pass++) {
			size_t nlen;
			char *next;

			/* Most titles match few patterns: a failed match means the
			 * substitution would change nothing, so skip its copy. */
			if (pcre2_match(tn->re[i], (PCRE2_SPTR)cur, len, 0, 0, tn->md, NULL) < 0)
				break;
			next = substitute(tn, i, cur, len, &nlen);

			if (!next)
				break;
			if (nlen == len && memcmp(next, cur, len) == 0) {
				free(next);
				break;
			}
			free(cur);
			cur = next;
			len = nlen;
		}
	}
	res = sanitize(cur, len);
	free(cur);
	return res;
}

char *kt_title_normalize(const char *bug_line)
{
	struct kt_title_normalizer *tn;
	struct kt_error *err = kt_title_normalizer_new(&tn);
	char *res;

	if (err) {
		kt_error_free(err);
		return NULL;
	}
	res = kt_title_normalize_with(tn, bug_line);
	kt_title_normalizer_free(tn);
	return res;
}
