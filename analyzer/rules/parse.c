// SPDX-License-Identifier: Apache-2.0
/*
 * Parsers for the values of `when`/`unless` (conditions) and `explain`/
 * `action` (templates). The grammar is in rules/README.md. Each parser works
 * on one joined value and reports the byte offset of a problem; the caller
 * turns it into file:line and column.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "kcsan/strbuf.h"

struct cparse {
	const char *s;
	size_t pos;
	char *err;
	size_t errpos;
};

static bool fail(struct cparse *p, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(struct cparse *p, size_t at, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	free(p->err);
	p->err = kt_xmalloc(n > 0 ? (size_t)n + 1 : 1);
	p->err[0] = '\0';
	if (n > 0) {
		va_start(ap, fmt);
		vsnprintf(p->err, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	p->errpos = at;
	return false;
}

/* What is at pos, quoted for a message: "'foo...'" or "the end". */
static void describe(const char *s, size_t pos, char *buf, size_t n)
{
	size_t len = 0;

	if (!s[pos]) {
		snprintf(buf, n, "the end of the condition");
		return;
	}
	while (s[pos + len] && s[pos + len] != ' ' && s[pos + len] != '\t' && len < 16)
		len++;
	if (len == 0)
		len = 1;
	snprintf(buf, n, "'%.*s'", (int)len, s + pos);
}

static void skip_ws(struct cparse *p)
{
	while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t')
		p->pos++;
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_name_char(char c)
{
	return is_alpha(c) || is_digit(c) || c == '.';
}

void kr_operand_fini(struct kr_operand *o)
{
	free(o->full[0]);
	free(o->full[1]);
	o->full[0] = o->full[1] = NULL;
}

static const struct {
	const char *word;
	enum kr_side side;
} sides[] = {
    {"a", KR_SIDE_A}, {"b", KR_SIDE_B},		  {"x", KR_SIDE_X},
    {"y", KR_SIDE_Y}, {"either", KR_SIDE_EITHER}, {"both", KR_SIDE_BOTH},
};

/* Non-negative decimal for a slice bound. */
static bool parse_index(struct cparse *p, size_t *out)
{
	size_t start = p->pos;
	unsigned long long v = 0;

	if (!is_digit(p->s[p->pos]))
		return false;
	while (is_digit(p->s[p->pos])) {
		v = v * 10 + (unsigned long long)(p->s[p->pos] - '0');
		if (v > 1000000)
			return fail(p, start, "slice bound too large (at most 1000000)");
		p->pos++;
	}
	*out = (size_t)v;
	return true;
}

/* operand := [side "."] fact-name ["[" from ":" to "]"] */
static bool parse_operand(struct cparse *p, struct kr_operand *o, bool *uses_xy)
{
	size_t start = p->pos, len, rest = 0;
	char what[40];

	memset(o, 0, sizeof(*o));
	o->at = start;
	if (!is_alpha(p->s[p->pos])) {
		describe(p->s, p->pos, what, sizeof(what));
		return fail(p, p->pos, "expected a fact name, found %s", what);
	}
	while (is_name_char(p->s[p->pos]))
		p->pos++;
	len = p->pos - start;
	if (p->s[p->pos - 1] == '.' || memmem(p->s + start, len, "..", 2))
		return fail(p, start, "bad fact name '%.*s'", (int)len, p->s + start);
	o->side = KR_SIDE_NONE;
	for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
		size_t wl = strlen(sides[i].word);
		if (len == wl && memcmp(p->s + start, sides[i].word, wl) == 0)
			return fail(p, start, "side '%s' needs a fact name: %s.NAME", sides[i].word,
				    sides[i].word);
		if (len > wl + 1 && memcmp(p->s + start, sides[i].word, wl) == 0 &&
		    p->s[start + wl] == '.') {
			o->side = sides[i].side;
			rest = wl + 1;
			break;
		}
	}
	if (o->side == KR_SIDE_NONE) {
		o->full[0] = kt_xstrndup(p->s + start, len);
		o->full[1] = kt_xstrndup(p->s + start, len);
	} else {
		struct kt_strbuf sb;

		kt_strbuf_init(&sb);
		kt_strbuf_adds(&sb, "a.");
		kt_strbuf_add(&sb, p->s + start + rest, len - rest);
		o->full[0] = kt_strbuf_detach(&sb);
		kt_strbuf_adds(&sb, "b.");
		kt_strbuf_add(&sb, p->s + start + rest, len - rest);
		o->full[1] = kt_strbuf_detach(&sb);
		if (o->side == KR_SIDE_X || o->side == KR_SIDE_Y)
			*uses_xy = true;
	}
	if (p->s[p->pos] != '[')
		return true;
	/* Slice. */
	size_t open = p->pos++;
	o->slice = true;
	o->from = 0;
	o->to = SIZE_MAX;
	skip_ws(p);
	if (is_digit(p->s[p->pos]) && !parse_index(p, &o->from))
		goto bad;
	skip_ws(p);
	if (p->s[p->pos] != ':') {
		describe(p->s, p->pos, what, sizeof(what));
		fail(p, p->pos, "expected ':' in slice [from:to], found %s", what);
		goto bad;
	}
	p->pos++;
	skip_ws(p);
	if (is_digit(p->s[p->pos]) && !parse_index(p, &o->to))
		goto bad;
	skip_ws(p);
	if (p->s[p->pos] != ']') {
		describe(p->s, p->pos, what, sizeof(what));
		fail(p, p->pos,
		     "expected ']' or a non-negative integer in slice [from:to], found %s", what);
		goto bad;
	}
	p->pos++;
	if (o->to != SIZE_MAX && o->to < o->from) {
		fail(p, open, "slice [%zu:%zu] ends before it starts", o->from, o->to);
		goto bad;
	}
	return true;
bad:
	kr_operand_fini(o);
	return false;
}

static bool at_test_end(struct cparse *p)
{
	return !p->s[p->pos] || (p->s[p->pos] == '|' && p->s[p->pos + 1] == '|');
}

static const struct {
	const char *text;
	enum kr_op op;
} ops[] = {
    {"!~", KR_OP_NMATCH}, {"==", KR_OP_EQ},   {"!=", KR_OP_NE}, {"<=", KR_OP_LE},
    {">=", KR_OP_GE},	  {"~", KR_OP_MATCH}, {"<", KR_OP_LT},	{">", KR_OP_GT},
    {"!&", KR_OP_NBAND},  {"&", KR_OP_BAND},
};

static const char *op_text(enum kr_op op)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (ops[i].op == op)
			return ops[i].text;
	return "?";
}

static bool parse_regex(struct cparse *p, struct kr_test *t)
{
	size_t open = p->pos++, start = p->pos, end;
	uint32_t opts = 0;
	int errcode;
	PCRE2_SIZE erroff;

	while (p->s[p->pos] && p->s[p->pos] != '/') {
		if (p->s[p->pos] == '\\' && p->s[p->pos + 1])
			p->pos++;
		p->pos++;
	}
	if (!p->s[p->pos])
		return fail(p, open, "unterminated regular expression (no closing '/')");
	end = p->pos++;
	while (is_alpha(p->s[p->pos])) {
		if (p->s[p->pos] != 'i')
			return fail(p, p->pos, "unknown regular expression flag '%c' (only 'i')",
				    p->s[p->pos]);
		opts |= PCRE2_CASELESS;
		p->pos++;
	}
	if (end == start)
		return fail(p, open, "empty regular expression");
	/* No UTF mode: fact strings come from hostile input and may be any bytes. */
	t->re =
	    pcre2_compile((PCRE2_SPTR)(p->s + start), end - start, opts, &errcode, &erroff, NULL);
	if (!t->re) {
		PCRE2_UCHAR msg[256];

		if (pcre2_get_error_message(errcode, msg, sizeof(msg)) < 0)
			snprintf((char *)msg, sizeof(msg), "error %d", errcode);
		/* Long patterns (alternations of many names) are shown around the
		 * place PCRE2 points at. */
		size_t len = end - start, from = 0, show = len;

		if (len > 60) {
			from = erroff > 40 ? erroff - 40 : 0;
			show = len - from < 50 ? len - from : 50;
		}
		return fail(p, start + erroff, "PCRE2 rejects /%s%.*s%s/: %s (at offset %zu)",
			    from ? "..." : "", (int)show, p->s + start + from,
			    from + show < len ? "..." : "", (const char *)msg, (size_t)erroff);
	}
	/* JIT when the platform has it; the interpreter otherwise. Both honour
	 * the match limit. */
	if (pcre2_jit_compile(t->re, PCRE2_JIT_COMPLETE) == 0) {
		size_t jitsize = 0;

		t->jit =
		    pcre2_pattern_info(t->re, PCRE2_INFO_JITSIZE, &jitsize) == 0 && jitsize > 0;
	}
	t->vt = KR_VAL_REGEX;
	return true;
}

static bool parse_string(struct cparse *p, struct kr_test *t)
{
	size_t open = p->pos++;
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	kt_strbuf_add(&sb, "", 0);
	while (p->s[p->pos] && p->s[p->pos] != '"') {
		if (p->s[p->pos] == '\\' && (p->s[p->pos + 1] == '"' || p->s[p->pos + 1] == '\\'))
			p->pos++;
		kt_strbuf_addc(&sb, p->s[p->pos++]);
	}
	if (!p->s[p->pos]) {
		kt_strbuf_fini(&sb);
		return fail(p, open, "unterminated string (no closing '\"')");
	}
	p->pos++;
	t->s = kt_strbuf_detach(&sb);
	t->vt = KR_VAL_STR;
	return true;
}

static bool is_word_char(char c)
{
	return is_alpha(c) || is_digit(c) || c == '.' || c == '-' || c == ':' || c == '+' ||
	       c == '@';
}

/* Integer: decimal or 0x hex, optional '-'. Returns false if not one. */
static bool word_int(const char *w, size_t n, int64_t *out, bool *overflow)
{
	bool neg = false, hex = false;
	size_t i = 0;
	uint64_t v = 0, lim;

	*overflow = false;
	if (i < n && w[i] == '-') {
		neg = true;
		i++;
	}
	if (i + 2 <= n && w[i] == '0' && (w[i + 1] == 'x' || w[i + 1] == 'X')) {
		hex = true;
		i += 2;
	}
	if (i == n)
		return false;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (hex ? UINT64_MAX : (uint64_t)INT64_MAX);
	for (; i < n; i++) {
		unsigned d;
		char c = w[i];

		if (is_digit(c))
			d = (unsigned)(c - '0');
		else if (hex && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (hex && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return false;
		if (v > (lim - d) / (hex ? 16 : 10)) {
			*overflow = true;
			return true;
		}
		v = v * (hex ? 16 : 10) + d;
	}
	/* Hex is a bit pattern (addresses): 0xffff... wraps to a negative value,
	 * as the addr facts are stored. */
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

static bool parse_value(struct cparse *p, struct kr_test *t, bool *uses_xy)
{
	size_t start = p->pos, n;
	bool overflow;
	char what[40];

	if (p->s[p->pos] == '/')
		return parse_regex(p, t);
	if (p->s[p->pos] == '"')
		return parse_string(p, t);
	while (is_word_char(p->s[p->pos]))
		p->pos++;
	n = p->pos - start;
	if (n == 0) {
		describe(p->s, p->pos, what, sizeof(what));
		return fail(p, p->pos,
			    "expected a value (/regex/, integer, true, false, word or \"string\") "
			    "after '%s', found %s",
			    op_text(t->op), what);
	}
	if ((n == 4 && memcmp(p->s + start, "true", 4) == 0) ||
	    (n == 5 && memcmp(p->s + start, "false", 5) == 0)) {
		t->vt = KR_VAL_BOOL;
		t->b = p->s[start] == 't';
		return true;
	}
	if (word_int(p->s + start, n, &t->i, &overflow)) {
		if (overflow)
			return fail(p, start, "integer '%.*s' out of range", (int)n, p->s + start);
		t->vt = KR_VAL_INT;
		return true;
	}
	if (is_digit(p->s[start]) || (p->s[start] == '-' && is_digit(p->s[start + 1])))
		return fail(p, start, "bad integer '%.*s'", (int)n, p->s + start);
	/* A side-qualified name is another fact: "x.size < y.size". */
	for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
		size_t wl = strlen(sides[i].word);
		if (n > wl + 1 && memcmp(p->s + start, sides[i].word, wl) == 0 &&
		    p->s[start + wl] == '.') {
			if (sides[i].side == KR_SIDE_EITHER || sides[i].side == KR_SIDE_BOTH)
				return fail(
				    p, start,
				    "the fact on the right of '%s' must be one fact (a., b., "
				    "x. or y.), not %s.",
				    op_text(t->op), sides[i].word);
			p->pos = start;
			if (!parse_operand(p, &t->rhs, uses_xy))
				return false;
			t->vt = KR_VAL_FACT;
			return true;
		}
	}
	t->s = kt_xstrndup(p->s + start, n);
	t->vt = KR_VAL_STR;
	return true;
}

static bool keyword(struct cparse *p, const char *kw)
{
	size_t n = strlen(kw);

	if (strncmp(p->s + p->pos, kw, n) == 0 &&
	    (p->s[p->pos + n] == ' ' || p->s[p->pos + n] == '\t')) {
		p->pos += n;
		skip_ws(p);
		return true;
	}
	return false;
}

static void test_fini(struct kr_test *t)
{
	kr_operand_fini(&t->opd);
	kr_operand_fini(&t->rhs);
	if (t->re)
		pcre2_code_free(t->re);
	free(t->s);
	t->re = NULL;
	t->s = NULL;
}

static bool parse_test(struct cparse *p, struct kr_test *t, bool *uses_xy)
{
	size_t op_at, kw_at = p->pos;
	char what[40];

	memset(t, 0, sizeof(*t));
	t->op = KR_OP_TRUTH;
	if (keyword(p, "not"))
		t->op = KR_OP_NOT;
	else if (keyword(p, "missing"))
		t->op = KR_OP_MISSING;
	else if (keyword(p, "present"))
		t->op = KR_OP_PRESENT;
	if (!parse_operand(p, &t->opd, uses_xy))
		return false;
	skip_ws(p);
	if (at_test_end(p))
		return true;
	op_at = p->pos;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t n = strlen(ops[i].text);
		if (strncmp(p->s + p->pos, ops[i].text, n) == 0) {
			if (t->op != KR_OP_TRUTH) {
				fail(p, kw_at,
				     "'%s' takes a fact alone, not a comparison (write e.g. "
				     "'x.size != 4' instead of 'not x.size == 4')",
				     t->op == KR_OP_NOT	      ? "not"
				     : t->op == KR_OP_MISSING ? "missing"
							      : "present");
				goto bad;
			}
			t->op = ops[i].op;
			p->pos += n;
			break;
		}
	}
	if (t->op == KR_OP_TRUTH || t->op == KR_OP_NOT || t->op == KR_OP_MISSING ||
	    t->op == KR_OP_PRESENT) {
		describe(p->s, p->pos, what, sizeof(what));
		fail(p, p->pos,
		     "expected an operator (~ !~ == != < <= > >= & !&), '||' or the end of the "
		     "condition, found %s",
		     what);
		goto bad;
	}
	skip_ws(p);
	if (!parse_value(p, t, uses_xy))
		goto bad;
	/* Refuse at load what could never be true at run time. */
	switch (t->op) {
	case KR_OP_MATCH:
	case KR_OP_NMATCH:
		if (t->vt != KR_VAL_REGEX) {
			fail(p, op_at, "operator '%s' needs a /regex/ value", op_text(t->op));
			goto bad;
		}
		break;
	case KR_OP_LT:
	case KR_OP_LE:
	case KR_OP_GT:
	case KR_OP_GE:
		if (t->vt != KR_VAL_INT && t->vt != KR_VAL_FACT) {
			fail(p, op_at, "operator '%s' needs an integer value or a fact",
			     op_text(t->op));
			goto bad;
		}
		break;
	case KR_OP_BAND:
	case KR_OP_NBAND:
		/* A word after a bit test is no value it could hold for: most
		 * likely a report-level fact, which only the left side names. */
		if (t->vt != KR_VAL_INT && t->vt != KR_VAL_FACT) {
			fail(p, op_at,
			     "operator '%s' needs an integer value or a fact (a., b., x. or "
			     "y.; a report-level fact goes on the left: "
			     "'value.diff %s x.expr.mask')",
			     op_text(t->op), op_text(t->op));
			goto bad;
		}
		break;
	default:
		if (t->vt == KR_VAL_REGEX) {
			fail(p, op_at, "operator '%s' compares values; use ~ or !~ for a /regex/",
			     op_text(t->op));
			goto bad;
		}
		break;
	}
	skip_ws(p);
	if (!at_test_end(p)) {
		describe(p->s, p->pos, what, sizeof(what));
		fail(p, p->pos, "expected '||' or the end of the condition, found %s", what);
		goto bad;
	}
	return true;
bad:
	test_fini(t);
	return false;
}

void kr_cond_fini(struct kr_cond *c)
{
	for (size_t i = 0; i < c->ntests; i++)
		test_fini(&c->tests[i]);
	free(c->tests);
	c->tests = NULL;
	c->ntests = 0;
}

bool kr_parse_condition(const char *s, struct kr_cond *out, bool *uses_xy, char **err,
			size_t *errpos)
{
	struct cparse p = {.s = s};
	size_t cap = 0;

	out->tests = NULL;
	out->ntests = 0;
	out->xy = false;
	for (;;) {
		skip_ws(&p);
		if (!p.s[p.pos] || (p.s[p.pos] == '|' && p.s[p.pos + 1] == '|')) {
			fail(&p, p.pos, "expected a test, found %s",
			     p.s[p.pos] ? "'||'" : "the end of the condition");
			goto bad;
		}
		if (out->ntests == cap) {
			cap = cap ? cap * 2 : 2;
			out->tests = kt_xrealloc(out->tests, cap * sizeof(*out->tests));
		}
		bool xy = false;

		if (!parse_test(&p, &out->tests[out->ntests], &xy))
			goto bad;
		out->ntests++;
		if (xy) {
			out->xy = true;
			*uses_xy = true;
		}
		if (!p.s[p.pos])
			return true;
		p.pos += 2; /* "||" */
	}
bad:
	kr_cond_fini(out);
	*err = p.err;
	*errpos = p.errpos;
	return false;
}

/* ---- templates ---- */

void kr_template_fini(struct kr_template *t)
{
	for (size_t i = 0; i < t->nsegs; i++) {
		free(t->segs[i].lit);
		free(t->segs[i].def);
		kr_operand_fini(&t->segs[i].opd);
	}
	free(t->segs);
	t->segs = NULL;
	t->nsegs = 0;
}

static struct kr_tseg *add_seg(struct kr_template *t, size_t *cap)
{
	if (t->nsegs == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		t->segs = kt_xrealloc(t->segs, *cap * sizeof(*t->segs));
	}
	memset(&t->segs[t->nsegs], 0, sizeof(t->segs[0]));
	return &t->segs[t->nsegs++];
}

static void flush_lit(struct kr_template *t, size_t *cap, struct kt_strbuf *lit)
{
	if (!lit->len)
		return;
	add_seg(t, cap)->lit = kt_strbuf_detach(lit);
}

bool kr_parse_template(const char *s, struct kr_template *out, bool *uses_xy, char **err,
		       size_t *errpos)
{
	struct cparse p = {.s = s};
	struct kt_strbuf lit;
	size_t cap = 0;

	out->segs = NULL;
	out->nsegs = 0;
	kt_strbuf_init(&lit);
	while (s[p.pos]) {
		char c = s[p.pos];

		if ((c == '{' && s[p.pos + 1] == '{') || (c == '}' && s[p.pos + 1] == '}')) {
			kt_strbuf_addc(&lit, c);
			p.pos += 2;
			continue;
		}
		if (c == '}') {
			fail(&p, p.pos,
			     "unbalanced '}' in template (write '}}' for a literal brace)");
			goto bad;
		}
		if (c != '{') {
			kt_strbuf_addc(&lit, c);
			p.pos++;
			continue;
		}
		/* {fact} or {fact|default} */
		size_t open = p.pos, close = open + 1, bar = 0;
		while (s[close] && s[close] != '}' && s[close] != '{') {
			if (s[close] == '|' && !bar)
				bar = close;
			close++;
		}
		if (s[close] != '}') {
			fail(&p, open,
			     "unbalanced '{' in template: no closing '}' (write '{{' for a "
			     "literal brace)");
			goto bad;
		}
		flush_lit(out, &cap, &lit);
		struct kr_tseg *seg = add_seg(out, &cap);
		bool xy = false;
		size_t name_end = bar ? bar : close;

		p.pos = open + 1;
		if (!parse_operand(&p, &seg->opd, &xy))
			goto bad;
		if (p.pos != name_end) {
			fail(&p, open, "bad fact reference '%.*s' in template",
			     (int)(close + 1 - open), s + open);
			goto bad;
		}
		if (seg->opd.side == KR_SIDE_EITHER || seg->opd.side == KR_SIDE_BOTH) {
			fail(&p, open, "a template names one fact: use a., b., x. or y., not %s.",
			     seg->opd.side == KR_SIDE_EITHER ? "either" : "both");
			goto bad;
		}
		if (bar)
			seg->def = kt_xstrndup(s + bar + 1, close - bar - 1);
		if (xy)
			*uses_xy = true;
		p.pos = close + 1;
	}
	flush_lit(out, &cap, &lit);
	return true;
bad:
	kt_strbuf_fini(&lit);
	kr_template_fini(out);
	*err = p.err;
	*errpos = p.errpos;
	return false;
}
