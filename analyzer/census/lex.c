// SPDX-License-Identifier: Apache-2.0
/*
 * The C token lexer of the census (see lex.h). One pass over the bytes; the
 * only state beyond the position is the stack of open conditionals.
 */
#include <stdlib.h>
#include <string.h>

#include "kcsan/strbuf.h"
#include "lex.h"

#define MAX_COND 64

struct cond {
	long depth;	/* bracket depth when the conditional opened */
	bool skipping;	/* its current branch is skipped */
	bool skip_rest; /* every further branch is skipped */
};

struct lx {
	const char *b;
	size_t i, end;
	uint32_t line;
	bool bol; /* only blanks since the last newline */
	unsigned mode;
	struct ct_toks *out;
	long depth;
	struct cond cond[MAX_COND];
	int ncond;
	int dead; /* nesting of conditionals opened inside a skipped region */
};

static bool is_id0(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}

static bool is_id(unsigned char c)
{
	return is_id0(c) || (c >= '0' && c <= '9');
}

static bool skipping(const struct lx *l)
{
	return l->ncond > 0 && l->cond[l->ncond - 1].skipping;
}

/* A backslash-newline (or backslash-CR-LF) at i: its length, else 0. */
static size_t splice_at(const struct lx *l, size_t i)
{
	if (i + 1 < l->end && l->b[i] == '\\') {
		if (l->b[i + 1] == '\n')
			return 2;
		if (l->b[i + 1] == '\r' && i + 2 < l->end && l->b[i + 2] == '\n')
			return 3;
	}
	return 0;
}

static void push(struct lx *l, uint16_t kind, size_t from, size_t to, uint32_t line, uint16_t fl,
		 uint32_t v)
{
	struct ct_toks *o = l->out;

	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 1024;
		o->t = kt_xrealloc(o->t, o->cap * sizeof(*o->t));
	}
	o->t[o->n++] = (struct ct_tok){(uint32_t)from, (uint32_t)(to - from), line, kind, fl, v};
}

/* Skips a comment at l->i when there is one; true if it did. */
static bool comment(struct lx *l)
{
	const char *b = l->b;

	if (b[l->i] != '/' || l->i + 1 >= l->end)
		return false;
	if (b[l->i + 1] == '*') {
		l->i += 2;
		while (l->i < l->end &&
		       !(b[l->i] == '*' && l->i + 1 < l->end && b[l->i + 1] == '/')) {
			if (b[l->i] == '\n')
				l->line++;
			l->i++;
		}
		l->i = l->i + 2 <= l->end ? l->i + 2 : l->end;
		return true;
	}
	if (b[l->i + 1] == '/') {
		/* A line comment ends at a newline that no backslash continues. */
		while (l->i < l->end && b[l->i] != '\n') {
			size_t s = splice_at(l, l->i);

			if (s) {
				l->line++;
				l->i += s;
			} else {
				l->i++;
			}
		}
		return true;
	}
	return false;
}

/* A string or character literal from its quote; returns the end. */
static size_t quoted(struct lx *l, size_t i)
{
	char q = l->b[i++];

	while (i < l->end && l->b[i] != q && l->b[i] != '\n') {
		if (l->b[i] == '\\' && i + 1 < l->end) {
			if (l->b[i + 1] == '\n')
				l->line++;
			i++;
		}
		i++;
	}
	return i < l->end && l->b[i] == q ? i + 1 : i;
}

static uint32_t punct(struct lx *l, size_t *len)
{
	static const char *const three[] = {"<<=", ">>=", "..."};
	static const char *const two[] = {
	    "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&",
	    "||", "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "##"};
	const char *s = l->b + l->i;
	size_t left = l->end - l->i;

	for (size_t k = 0; left >= 3 && k < sizeof(three) / sizeof(three[0]); k++)
		if (memcmp(s, three[k], 3) == 0) {
			*len = 3;
			return P3(s[0], s[1], s[2]);
		}
	for (size_t k = 0; left >= 2 && k < sizeof(two) / sizeof(two[0]); k++)
		if (s[0] == two[k][0] && s[1] == two[k][1]) {
			*len = 2;
			return P2(s[0], s[1]);
		}
	*len = 1;
	return P1(s[0]);
}

/* One token at l->i (after blanks and comments); false at a newline or the
 * end (newlines are left for the caller). */
static bool token(struct lx *l, uint16_t fl, bool emit)
{
	const char *b = l->b;
	size_t st;
	unsigned char c;

	for (;;) {
		if (l->i >= l->end)
			return false;
		c = (unsigned char)b[l->i];
		if (c == '\n')
			return false;
		if (splice_at(l, l->i)) {
			l->i += splice_at(l, l->i);
			l->line++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c < 32 ||
		    c >= 127) {
			l->i++;
			continue;
		}
		if (comment(l))
			continue;
		break;
	}
	st = l->i;
	uint32_t line = l->line;

	if ((c == 'L' || c == 'u' || c == 'U') &&
	    (st + 1 < l->end && (b[st + 1] == '"' || b[st + 1] == '\''))) {
		l->i = quoted(l, st + 1);
		if (emit)
			push(l, b[st + 1] == '"' ? CT_STR : CT_CHR, st, l->i, line, fl, 0);
	} else if (c == 'u' && st + 2 < l->end && b[st + 1] == '8' && b[st + 2] == '"') {
		l->i = quoted(l, st + 2);
		if (emit)
			push(l, CT_STR, st, l->i, line, fl, 0);
	} else if (is_id0(c)) {
		l->i++;
		while (l->i < l->end && is_id((unsigned char)b[l->i]))
			l->i++;
		if (emit)
			push(l, CT_IDENT, st, l->i, line, fl, 0);
	} else if ((c >= '0' && c <= '9') ||
		   (c == '.' && st + 1 < l->end && b[st + 1] >= '0' && b[st + 1] <= '9')) {
		l->i++;
		while (l->i < l->end) {
			unsigned char d = (unsigned char)b[l->i];

			if ((d == '+' || d == '-') && strchr("eEpP", b[l->i - 1]) != NULL)
				l->i++;
			else if (is_id(d) || d == '.')
				l->i++;
			else
				break;
		}
		if (emit)
			push(l, CT_NUM, st, l->i, line, fl, 0);
	} else if (c == '"' || c == '\'') {
		l->i = quoted(l, st);
		if (emit)
			push(l, c == '"' ? CT_STR : CT_CHR, st, l->i, line, fl, 0);
	} else {
		size_t n;
		uint32_t v = punct(l, &n);

		l->i += n;
		if (emit) {
			push(l, CT_PUNCT, st, l->i, line, fl, v);
			if (!(fl & CTF_PP)) {
				if (v == '{' || v == '(' || v == '[')
					l->depth++;
				else if (v == '}' || v == ')' || v == ']')
					l->depth--;
			}
		}
	}
	return true;
}

/* The rest of a directive line (with its continuations), dropped. */
static void skip_line(struct lx *l)
{
	while (token(l, 0, false))
		;
}

static bool word_is(const struct lx *l, size_t st, size_t en, const char *w)
{
	size_t n = strlen(w);

	return en - st == n && memcmp(l->b + st, w, n) == 0;
}

/* `#if 0`: the condition is the single token 0. */
static bool if_zero(struct lx *l)
{
	size_t save = l->i, st;
	uint32_t line = l->line;
	bool zero = false;

	while (l->i < l->end && (l->b[l->i] == ' ' || l->b[l->i] == '\t'))
		l->i++;
	st = l->i;
	if (l->i < l->end && l->b[l->i] == '0') {
		l->i++;
		size_t en = l->i;

		while (l->i < l->end && (l->b[l->i] == ' ' || l->b[l->i] == '\t'))
			l->i++;
		zero = en == st + 1 && (l->i >= l->end || l->b[l->i] == '\n' ||
					(l->b[l->i] == '/' && l->i + 1 < l->end &&
					 (l->b[l->i + 1] == '/' || l->b[l->i + 1] == '*')));
	}
	l->i = save;
	l->line = line;
	return zero;
}

static void cond_open(struct lx *l, bool zero)
{
	if (skipping(l) || l->ncond == MAX_COND) {
		l->dead++;
		return;
	}
	l->cond[l->ncond++] = (struct cond){l->depth, zero, false};
}

static void cond_else(struct lx *l)
{
	struct cond *c;

	if (l->dead || l->ncond == 0)
		return;
	c = &l->cond[l->ncond - 1];
	if (c->skip_rest)
		return;
	if (c->skipping) {
		c->skipping = false; /* the branch after #if 0 is live */
		return;
	}
	if (l->depth != c->depth) {
		/* The live branch left brackets open: later branches would
		 * open them again. */
		c->skipping = c->skip_rest = true;
	}
}

static void cond_close(struct lx *l)
{
	if (l->dead) {
		l->dead--;
		return;
	}
	if (l->ncond > 0)
		l->ncond--;
}

static void directive(struct lx *l)
{
	size_t hash = l->i, st, en;
	uint32_t line = l->line;

	l->i++;
	while (l->i < l->end && (l->b[l->i] == ' ' || l->b[l->i] == '\t'))
		l->i++;
	st = l->i;
	while (l->i < l->end && is_id((unsigned char)l->b[l->i]))
		l->i++;
	en = l->i;
	if (word_is(l, st, en, "if") || word_is(l, st, en, "ifdef") ||
	    word_is(l, st, en, "ifndef")) {
		cond_open(l, word_is(l, st, en, "if") && if_zero(l));
	} else if (word_is(l, st, en, "else") || word_is(l, st, en, "elif")) {
		cond_else(l);
	} else if (word_is(l, st, en, "endif")) {
		cond_close(l);
	} else if (word_is(l, st, en, "define") && (l->mode & CL_DEFINES) && !skipping(l)) {
		push(l, CT_PPDEF, hash, en, line, CTF_PP, 0);
		while (token(l, CTF_PP, true))
			;
		push(l, CT_PPEND, l->i, l->i, l->line, CTF_PP, 0);
		return;
	}
	skip_line(l);
}

void ct_lex(const char *buf, size_t len, size_t from, size_t to, uint32_t line, unsigned mode,
	    struct ct_toks *out)
{
	struct lx l;

	memset(&l, 0, sizeof(l));
	l.b = buf;
	l.i = from;
	l.end = to < len ? to : len;
	l.line = line ? line : 1;
	l.bol = true;
	l.mode = mode;
	l.out = out;
	out->n = 0;
	while (l.i < l.end) {
		char c = buf[l.i];

		if (c == '\n') {
			l.line++;
			l.i++;
			l.bol = true;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			l.i++;
			continue;
		}
		if (splice_at(&l, l.i)) {
			l.i += splice_at(&l, l.i);
			l.line++;
			continue;
		}
		if (c == '/' && comment(&l))
			continue;
		if (c == '#' && l.bol) {
			directive(&l);
			continue;
		}
		l.bol = false;
		if (!token(&l, 0, !skipping(&l)) && l.i < l.end && buf[l.i] != '\n')
			l.i++; /* cannot happen; never loop */
	}
}

void ct_toks_free(struct ct_toks *t)
{
	free(t->t);
	t->t = NULL;
	t->n = t->cap = 0;
}

bool ct_ident_eq(const char *buf, const struct ct_tok *t, const char *word)
{
	size_t n = strlen(word);

	return t->kind == CT_IDENT && t->len == n && memcmp(buf + t->off, word, n) == 0;
}

struct word {
	const char *s;
	unsigned char n;
};

#define W(x)                                                                                       \
	{                                                                                          \
		x, sizeof(x) - 1                                                                   \
	}

static bool in_words(const struct word *w, size_t nw, const char *s, size_t n)
{
	for (size_t i = 0; i < nw; i++)
		if (w[i].n == n && w[i].s[0] == s[0] && memcmp(w[i].s, s, n) == 0)
			return true;
	return false;
}

bool ct_type_keyword(const char *s, size_t n)
{
	static const struct word kw[] = {
	    W("void"),	   W("char"),	       W("short"),	W("int"),      W("long"),
	    W("float"),	   W("double"),	       W("signed"),	W("unsigned"), W("_Bool"),
	    W("_Complex"), W("const"),	       W("volatile"),	W("restrict"), W("__restrict"),
	    W("__const"),  W("__volatile__"),  W("__signed__"), W("struct"),   W("union"),
	    W("enum"),	   W("static"),	       W("extern"),	W("register"), W("inline"),
	    W("__inline"), W("__inline__"),    W("_Atomic"),	W("auto"),     W("_Thread_local"),
	    W("__thread"), W("__extension__"), W("typedef"),	W("_Noreturn")};

	return n >= 3 && n <= 13 && in_words(kw, sizeof(kw) / sizeof(kw[0]), s, n);
}

bool ct_keyword(const char *s, size_t n)
{
	static const struct word kw[] = {W("if"),	   W("else"),
					 W("while"),	   W("for"),
					 W("do"),	   W("switch"),
					 W("case"),	   W("default"),
					 W("break"),	   W("continue"),
					 W("return"),	   W("goto"),
					 W("sizeof"),	   W("typeof"),
					 W("__typeof__"),  W("__typeof"),
					 W("_Alignof"),	   W("__alignof__"),
					 W("asm"),	   W("__asm__"),
					 W("__asm"),	   W("__attribute__"),
					 W("__attribute"), W("_Static_assert"),
					 W("_Generic"),	   W("__builtin_offsetof"),
					 W("offsetof")};

	if (n < 2 || n > 18)
		return false;
	return ct_type_keyword(s, n) || in_words(kw, sizeof(kw) / sizeof(kw[0]), s, n);
}
