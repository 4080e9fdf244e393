// SPDX-License-Identifier: Apache-2.0
/*
 * One access site (ana.h): read, write, read-modify-write or address taken;
 * the marking helper around it; the locks held; an init or teardown path;
 * what a read's value is used for; what a write stores.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ana.h"

#define USE_DEPTH 2

static bool is_p(const struct fn *f, size_t i, uint32_t p)
{
	return i < f->n && ct_is(&f->t[i], p);
}

static bool tok_eq(const struct fn *f, size_t a, size_t b)
{
	return f->t[a].len == f->t[b].len &&
	       memcmp(f->buf + f->t[a].off, f->buf + f->t[b].off, f->t[a].len) == 0;
}

/* Tokens [a, a+n) and [b, b+n) spell the same. */
static bool same_toks(const struct fn *f, size_t a, size_t b, size_t n)
{
	if (a + n > f->n || b + n > f->n)
		return false;
	for (size_t k = 0; k < n; k++)
		if (f->t[a + k].kind != f->t[b + k].kind || !tok_eq(f, a + k, b + k))
			return false;
	return true;
}

/* A token that ends an operand: after it, & and * are binary. */
static bool operand_end(const struct fn *f, size_t i)
{
	const struct ct_tok *t = &f->t[i];

	if (t->kind == CT_IDENT)
		return !ct_keyword(f->buf + t->off, t->len);
	return t->kind == CT_NUM || t->kind == CT_STR || t->kind == CT_CHR || ct_is(t, ')') ||
	       ct_is(t, ']');
}

static bool assign_op(const struct ct_tok *t)
{
	static const uint32_t ops[] = {
	    P2('+', '='), P2('-', '='), P2('*', '='), P2('/', '='),	 P2('%', '='),
	    P2('&', '='), P2('|', '='), P2('^', '='), P3('<', '<', '='), P3('>', '>', '=')};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (ct_is(t, ops[i]))
			return true;
	return false;
}

static bool compare_op(const struct ct_tok *t)
{
	return ct_is(t, P2('=', '=')) || ct_is(t, P2('!', '=')) || ct_is(t, '<') || ct_is(t, '>') ||
	       ct_is(t, P2('<', '=')) || ct_is(t, P2('>', '='));
}

static bool arith_op(const struct ct_tok *t)
{
	return ct_is(t, '+') || ct_is(t, '-') || ct_is(t, '*') || ct_is(t, '/') || ct_is(t, '%') ||
	       ct_is(t, P2('<', '<')) || ct_is(t, P2('>', '>')) || ct_is(t, '&') || ct_is(t, '|') ||
	       ct_is(t, '^') || ct_is(t, '~');
}

static const char *tok_word(const struct fn *f, size_t i, char *buf, size_t cap)
{
	snprintf(buf, cap, "%.*s", (int)f->t[i].len, f->buf + f->t[i].off);
	return buf;
}

/* Inside sizeof/typeof/offsetof or a vocabulary `noaccess` macro. */
static bool not_evaluated(const struct fn *f, size_t e0)
{
	size_t j = e0;

	if (e0 > f->body && (fn_tok_is(f, e0 - 1, "sizeof") || fn_tok_is(f, e0 - 1, "typeof")))
		return true;
	for (long o; (o = fn_enclosing_paren(f, j)) > (long)f->body; j = (size_t)o) {
		size_t p = (size_t)o - 1;
		const struct ct_tok *t = &f->t[p];

		if (t->kind != CT_IDENT)
			continue;
		if (ct_keyword(f->buf + t->off, t->len) &&
		    (fn_tok_is(f, p, "sizeof") || fn_tok_is(f, p, "typeof") ||
		     fn_tok_is(f, p, "__typeof__") || fn_tok_is(f, p, "__typeof") ||
		     fn_tok_is(f, p, "_Alignof") || fn_tok_is(f, p, "__alignof__") ||
		     fn_tok_is(f, p, "offsetof") || fn_tok_is(f, p, "__builtin_offsetof")))
			return true;
		if (cv_find(f->v, CV_NOACCESS, f->buf + t->off, t->len))
			return true;
	}
	return false;
}

/* The marking helper around [e0, e1]; may change the access. */
static void marking(const struct fn *f, size_t e0, size_t e1, struct kt_census_site *s)
{
	size_t j = e0;

	for (long o; (o = fn_enclosing_paren(f, j)) > (long)f->body; j = (size_t)o) {
		const struct ct_tok *t = &f->t[o - 1];
		const struct cv_entry *e;
		size_t a, b;
		int ai;

		if (t->kind != CT_IDENT || !(e = cv_find(f->v, CV_MARK, f->buf + t->off, t->len)))
			continue;
		if (!fn_arg_of(f, (size_t)o, e0, &ai, &a, &b))
			continue;
		bool whole = a == e0 && b == e1, addr = a + 1 == e0 && b == e1 && is_p(f, a, '&');

		if (e->rmw || e->write) {
			if (!(addr || (e->write && ai == 0 && whole)))
				continue; /* a plain argument of the helper */
			s->access = e->rmw ? KT_CA_RMW : KT_CA_WRITE;
		} else if (s->access == KT_CA_ADDR && addr) {
			s->access = KT_CA_READ; /* atomic_read(&x->n), test_bit(n, &x->f) */
		}
		if (e->marked)
			s->marking = kt_xstrdup(e->marking);
		return;
	}
}

/* ---- what a read's value is used for ---- */

struct use {
	unsigned bits;
	char call[64];
};

static void use_of(const struct fn *f, size_t a, size_t b, int depth, struct use *u);

static void follow_local(const struct fn *f, size_t name, size_t from, int depth, struct use *u)
{
	bool any = false;

	for (size_t i = from; i < f->n; i++) {
		if (f->t[i].kind != CT_IDENT || !tok_eq(f, i, name))
			continue;
		if (i > 0 && (is_p(f, i - 1, '.') || is_p(f, i - 1, P2('-', '>'))))
			continue;
		if (is_p(f, i + 1, '=')) /* assigned again */
			break;
		any = true;
		use_of(f, i, i, depth + 1, u);
	}
	if (!any)
		u->bits |= KT_CU_DISCARDED;
}

/* Widens [a, b] over parentheses and casts. */
static void widen(const struct fn *f, size_t *a, size_t *b)
{
	for (;;) {
		if (*a > f->body && is_p(f, *a - 1, '(') && is_p(f, *b + 1, ')') &&
		    f->match[*a - 1] == *b + 1 && !(*a >= 2 && f->t[*a - 2].kind == CT_IDENT) &&
		    !is_p(f, *a - 2, ')')) {
			(*a)--;
			(*b)++;
			continue;
		}
		if (*a > f->body && is_p(f, *a - 1, ')') && f->match[*a - 1] < *a - 1) {
			size_t o = f->match[*a - 1];
			struct rty ty;
			bool type = fn_tok_is(f, o + 1, "struct") || fn_tok_is(f, o + 1, "union") ||
				    fn_tok_is(f, o + 1, "void") ||
				    (ct_type_keyword(f->buf + f->t[o + 1].off, f->t[o + 1].len)) ||
				    fn_expr_type(f, o + 1, *a - 2, 9, &ty);

			if (type && !(o > f->body && operand_end(f, o - 1))) {
				*a = o;
				continue;
			}
		}
		return;
	}
}

/* A token that can be part of an arithmetic operand: names (not keywords
 * such as return), numbers, member operators, arithmetic operators. */
static bool operand_tok(const struct fn *f, size_t i)
{
	const struct ct_tok *t = &f->t[i];

	if (t->kind == CT_IDENT)
		return !ct_keyword(f->buf + t->off, t->len) || fn_tok_is(f, i, "sizeof");
	return t->kind == CT_NUM || t->kind == CT_CHR || arith_op(t) || ct_is(t, '.') ||
	       ct_is(t, P2('-', '>'));
}

/* Widens [a, b] over the arithmetic around it, to the operand's bounds. */
static void widen_arith(const struct fn *f, size_t *a, size_t *b)
{
	while (*a > f->body) {
		const struct ct_tok *p = &f->t[*a - 1];

		if ((ct_is(p, ')') || ct_is(p, ']')) && f->match[*a - 1] < *a - 1 &&
		    f->match[*a - 1] > f->body)
			*a = f->match[*a - 1];
		else if (operand_tok(f, *a - 1))
			(*a)--;
		else
			break;
	}
	while (*b + 1 < f->n) {
		const struct ct_tok *n = &f->t[*b + 1];

		if ((ct_is(n, '(') || ct_is(n, '[')) && f->match[*b + 1] > *b + 1)
			*b = f->match[*b + 1];
		else if (operand_tok(f, *b + 1))
			(*b)++;
		else
			break;
	}
}

static bool in_for_cond(const struct fn *f, size_t a)
{
	/* for (init; E; step): the `;` before E follows `for (` */
	for (size_t j = a; j-- > f->body;) {
		if (is_p(f, j, ';')) {
			size_t s = j;

			while (s-- > f->body && !is_p(f, s, ';') && !is_p(f, s, '{') &&
			       !is_p(f, s, '}'))
				if (is_p(f, s, '(') && s > 0 && fn_tok_is(f, s - 1, "for"))
					return true;
			return false;
		}
		if (is_p(f, j, '{') || is_p(f, j, '}'))
			return false;
	}
	return false;
}

static bool call_use(const struct fn *f, size_t o, size_t a, size_t b, int depth, struct use *u)
{
	const struct ct_tok *c = &f->t[o - 1];
	const char *s = f->buf + c->off;
	const struct cv_entry *e;
	size_t aa, ab;
	int ai;

	if (!fn_arg_of(f, o, a, &ai, &aa, &ab) || aa != a || ab != b)
		return false;
	if (cv_find(f->v, CV_OUTPUT, s, c->len)) {
		u->bits |= KT_CU_OUTPUT;
		tok_word(f, o - 1, u->call, sizeof(u->call));
	} else if (cv_find(f->v, CV_DECIDE, s, c->len)) {
		u->bits |= KT_CU_DECIDE;
		tok_word(f, o - 1, u->call, sizeof(u->call));
	} else if (cv_find(f->v, CV_TEST, s, c->len)) {
		u->bits |= KT_CU_TEST;
	} else if (cv_find(f->v, CV_TRANSPARENT, s, c->len) ||
		   ((e = cv_find(f->v, CV_MARK, s, c->len)) && !e->rmw && !e->write)) {
		use_of(f, o - 1, f->match[o], depth, u);
	} else if ((e = cv_find(f->v, CV_SIZE, s, c->len)) && e->arg == ai) {
		u->bits |= KT_CU_SIZE;
	} else {
		u->bits |= KT_CU_PASSED;
		tok_word(f, o - 1, u->call, sizeof(u->call));
	}
	return true;
}

static void use_of(const struct fn *f, size_t a, size_t b, int depth, struct use *u)
{
	const struct ct_tok *p, *n;

	if (depth > USE_DEPTH || b + 1 >= f->n || a <= f->body) {
		u->bits |= KT_CU_OTHER;
		return;
	}
	widen(f, &a, &b);
	if (a > f->body + 1 && is_p(f, a - 1, '*') && !operand_end(f, a - 2)) {
		u->bits |= KT_CU_DEREF;
		return;
	}
	p = &f->t[a - 1];
	n = &f->t[b + 1];
	if (ct_is(n, P2('-', '>')) || ct_is(n, '[') || ct_is(n, '(')) {
		u->bits |= KT_CU_DEREF; /* through a local it was read into */
		return;
	}
	if (ct_is(p, '&') && !operand_end(f, a - 2)) {
		/* &x->f inside a reading helper (atomic_read, test_bit): what
		 * the helper's result is used for */
		long o = fn_enclosing_paren(f, a);
		const struct cv_entry *e;

		if (o > (long)f->body && f->t[o - 1].kind == CT_IDENT &&
		    (e = cv_find(f->v, CV_MARK, f->buf + f->t[o - 1].off, f->t[o - 1].len)) &&
		    !e->rmw && !e->write) {
			use_of(f, (size_t)o - 1, f->match[o], depth, u);
			return;
		}
		u->bits |= KT_CU_PASSED;
		return;
	}
	if ((arith_op(p) && !ct_is(p, '&')) || arith_op(n) ||
	    (ct_is(p, '&') && operand_end(f, a - 2))) {
		widen_arith(f, &a, &b);
		widen(f, &a, &b);
		p = &f->t[a - 1];
		n = &f->t[b + 1];
	}
	if (ct_is(p, '!') || ct_is(n, '?') || ct_is(p, P2('&', '&')) || ct_is(p, P2('|', '|')) ||
	    ct_is(n, P2('&', '&')) || ct_is(n, P2('|', '|'))) {
		u->bits |= KT_CU_TEST;
	} else if (compare_op(p) || compare_op(n)) {
		u->bits |= in_for_cond(f, a) ? KT_CU_SIZE : KT_CU_TEST;
	} else if (ct_is(p, '[') && ct_is(n, ']')) {
		u->bits |= KT_CU_INDEX;
	} else if (ct_is(p, '(') && ct_is(n, ')') && a >= 2 &&
		   (fn_tok_is(f, a - 2, "if") || fn_tok_is(f, a - 2, "while") ||
		    fn_tok_is(f, a - 2, "switch"))) {
		u->bits |= KT_CU_TEST;
	} else if (ct_is(n, ';') && (fn_tok_is(f, a - 1, "return"))) {
		u->bits |= KT_CU_RETURNED;
	} else if ((ct_is(n, ';') || ct_is(n, ',')) && (ct_is(p, '=') || assign_op(p))) {
		/* x = E: where x is a local, what x is used for */
		size_t lhs = a - 2, s = fn_stmt_start(f, a - 1);

		if (f->t[lhs].kind == CT_IDENT &&
		    (lhs == s ||
		     (lhs > s && fn_local(f, f->buf + f->t[lhs].off, f->t[lhs].len, lhs) &&
		      (f->t[lhs - 1].kind == CT_IDENT || is_p(f, lhs - 1, '*') ||
		       is_p(f, lhs - 1, ',')))))
			follow_local(f, lhs, b + 1, depth, u);
		else
			u->bits |= KT_CU_STORED;
	} else if ((ct_is(n, ';') || ct_is(n, ',')) &&
		   (ct_is(p, ';') || ct_is(p, '{') || ct_is(p, '}'))) {
		u->bits |= KT_CU_DISCARDED;
	} else if ((ct_is(p, '(') || ct_is(p, ',')) && (ct_is(n, ')') || ct_is(n, ','))) {
		long o = fn_enclosing_paren(f, a);

		if (o > (long)f->body && f->t[o - 1].kind == CT_IDENT &&
		    !ct_keyword(f->buf + f->t[o - 1].off, f->t[o - 1].len) &&
		    call_use(f, (size_t)o, a, b, depth, u))
			return;
		if (o > (long)f->body && fn_tok_is(f, (size_t)o - 1, "for"))
			u->bits |= KT_CU_SIZE;
		else
			u->bits |= KT_CU_OTHER;
	} else {
		u->bits |= KT_CU_OTHER;
	}
}

/* ---- init and teardown paths ---- */

/* The object whose member is accessed: its text and root variable. */
struct object {
	size_t a, b; /* tokens of the object expression */
	size_t root;
};

static bool obj_match(const struct fn *f, const struct object *ob, size_t a, size_t b)
{
	while (a < b && (is_p(f, a, '&') || is_p(f, a, '(')))
		a = is_p(f, a, '(') && f->match[a] > a && f->match[a] < b && !is_p(f, a + 1, '&')
			? f->match[a] + 1 /* a cast */
			: a + 1;
	if (b - a == ob->b - ob->a && same_toks(f, a, ob->a, b - a + 1))
		return true;
	return a == b && tok_eq(f, a, ob->root) && f->t[a].kind == CT_IDENT;
}

static void set_path(struct kt_census_site *s, enum kt_census_path p, const char *fmt,
		     const char *name, unsigned line)
{
	char buf[160];

	s->path = p;
	snprintf(buf, sizeof(buf), fmt, name, line);
	free(s->path_why);
	s->path_why = kt_xstrdup(buf);
}

static void init_path(const struct fn *f, const struct object *ob, size_t e0, size_t e1,
		      struct kt_census_site *s)
{
	char w[64];

	if (f->init_fn || f->exit_fn) {
		set_path(s, f->init_fn ? KT_CP_INIT : KT_CP_TEARDOWN, "%s function", f->marker, 0);
		return;
	}
	if (!ob)
		return;
	for (size_t i = f->body; i < f->n; i++) {
		const struct ct_tok *t = &f->t[i];
		const struct cv_entry *e;
		size_t a, b;

		if (t->kind != CT_IDENT || !is_p(f, i + 1, '(') || f->match[i + 1] <= i + 1)
			continue;
		if (i < e0 && cv_find(f->v, CV_ALLOC, f->buf + t->off, t->len)) {
			/* x = alloc(...) or T *x = alloc(...) */
			size_t q = i;

			while (q > f->body && is_p(f, q - 1, ')') && f->match[q - 1] < q - 1)
				q = f->match[q - 1]; /* a cast */
			if (q > f->body + 1 && is_p(f, q - 1, '=')) {
				size_t s0 = fn_stmt_start(f, q - 1);
				size_t la = q - 2;

				while (
				    la > s0 && !is_p(f, la - 1, ',') && !is_p(f, la - 1, '*') &&
				    !(f->t[la - 1].kind == CT_IDENT && f->t[la].kind == CT_IDENT))
					la--;
				if (obj_match(f, ob, la, q - 2))
					set_path(s, KT_CP_INIT, "allocated by %s at line %u",
						 tok_word(f, i, w, sizeof(w)), t->line);
			}
		} else if (i > e1 && s->path == KT_CP_SHARED &&
			   (e = cv_find(f->v, CV_FREE, f->buf + t->off, t->len)) &&
			   fn_arg(f, i + 1, e->arg, &a, &b) && obj_match(f, ob, a, b)) {
			set_path(s, KT_CP_TEARDOWN, "freed by %s at line %u",
				 tok_word(f, i, w, sizeof(w)), t->line);
			return;
		} else if (i > e1 && s->path == KT_CP_SHARED &&
			   cv_find(f->v, CV_PUBLISH, f->buf + t->off, t->len)) {
			for (size_t k = i + 2; k < f->match[i + 1]; k++)
				if (f->t[k].kind == CT_IDENT && tok_eq(f, k, ob->root) &&
				    !is_p(f, k - 1, '.') && !is_p(f, k - 1, P2('-', '>'))) {
					set_path(s, KT_CP_INIT, "published by %s at line %u",
						 tok_word(f, i, w, sizeof(w)), t->line);
					return;
				}
		}
	}
}

/* ---- stores ---- */

static bool constant(const struct fn *f, size_t a, size_t b)
{
	while (a < b && is_p(f, a, '(') && f->match[a] < b)
		a = f->match[a] + 1; /* a cast */
	if (a < b && is_p(f, a, '-'))
		a++;
	if (a != b)
		return false;
	if (f->t[a].kind == CT_NUM || f->t[a].kind == CT_CHR)
		return true;
	if (f->t[a].kind != CT_IDENT)
		return false;
	if (fn_tok_is(f, a, "NULL") || fn_tok_is(f, a, "true") || fn_tok_is(f, a, "false"))
		return true;
	/* An all-capitals name: a constant macro or enumerator by C habit. */
	bool upper = false;

	for (size_t k = 0; k < f->t[a].len; k++) {
		char c = f->buf[f->t[a].off + k];

		if (c >= 'a' && c <= 'z')
			return false;
		upper = upper || (c >= 'A' && c <= 'Z');
	}
	return upper;
}

/* The condition of the `if` directly controlling the statement at s. */
static bool controlling_if(const struct fn *f, size_t s, size_t *ca, size_t *cb)
{
	size_t j = s;

	if (j > f->body && is_p(f, j - 1, '{') && j >= 2)
		j--;
	if (j <= f->body || !is_p(f, j - 1, ')') || f->match[j - 1] >= j - 1)
		return false;
	size_t o = f->match[j - 1];

	if (o == 0 || !fn_tok_is(f, o - 1, "if"))
		return false;
	*ca = o + 1;
	*cb = j - 2;
	return *ca <= *cb;
}

/* The store at [e0, e1] runs only when the object was 0 / NULL. */
static bool from_zero(const struct fn *f, size_t e0, size_t e1)
{
	size_t ca, cb, n = e1 - e0 + 1;

	if (!controlling_if(f, fn_stmt_start(f, e0), &ca, &cb))
		return false;
	for (size_t k = ca; k + n - 1 <= cb; k++) {
		if (!same_toks(f, k, e0, n))
			continue;
		size_t before = k, after = k + n;

		if (before > ca && is_p(f, before - 1, '(') && before >= 2 &&
		    f->t[before - 2].kind == CT_IDENT && f->match[before - 1] == after) {
			before -= 2; /* !READ_ONCE(x) */
			after++;
		}
		if (before > ca && is_p(f, before - 1, '!'))
			return true;
		if (after + 1 <= cb && is_p(f, after, P2('=', '=')) &&
		    (fn_tok_is(f, after + 1, "NULL") ||
		     (f->t[after + 1].kind == CT_NUM && f->buf[f->t[after + 1].off] == '0' &&
		      f->t[after + 1].len == 1)))
			return true;
	}
	return false;
}

static void store(const struct fn *f, size_t e1, struct kt_census_site *s, size_t e0)
{
	size_t a = e1 + 2, b = a;

	if (!is_p(f, e1 + 1, '='))
		return;
	while (b < f->n && !is_p(f, b, ';') && !is_p(f, b, ',') && !is_p(f, b, ')')) {
		if ((is_p(f, b, '(') || is_p(f, b, '[') || is_p(f, b, '{')) && f->match[b] > b)
			b = f->match[b] + 1;
		else
			b++;
	}
	if (b > a) {
		char v[96];

		s->store_const = constant(f, a, b - 1);
		fn_text(f, a, b - 1, v, sizeof(v));
		s->value = kt_xstrdup(v);
	}
	s->store_from_zero = from_zero(f, e0, e1);
}

/* ---- the site ---- */

static void locks(const struct fn *f, size_t e0, struct kt_census_site *s)
{
	struct held h[32];
	size_t n = fn_held(f, e0, h, 32);

	s->locks = kt_xcalloc(n + 1, sizeof(*s->locks));
	for (size_t i = 0; i < n; i++) {
		s->locks[i].name = kt_xstrdup(h[i].name);
		s->locks[i].mode = kt_xstrdup(h[i].mode);
	}
	s->nlocks = n;
}

bool site_classify(struct fn *f, size_t e0, size_t e1, const struct site_opts *o,
		   struct kt_census_site *s)
{
	struct object ob, *obp = NULL;
	char text[200];
	bool deref = false, array = o && o->member_array;
	size_t j = e1 + 1;

	if (not_evaluated(f, e0))
		return false;
	fn_prepare_locks(f);
	memset(s, 0, sizeof(*s));
	/* The lvalue goes on over sub-objects: x->f.g, x->arr[i]. */
	for (;;) {
		if (is_p(f, j, '[') && f->match[j] > j && array) {
			e1 = f->match[j];
		} else if (is_p(f, j, '.') && j + 1 < f->n && f->t[j + 1].kind == CT_IDENT) {
			e1 = j + 1;
			array = false;
		} else {
			deref = is_p(f, j, '[') || is_p(f, j, P2('-', '>')) || is_p(f, j, '(');
			break;
		}
		j = e1 + 1;
	}
	if (deref)
		s->access = KT_CA_READ;
	else if (is_p(f, e1 + 1, '='))
		s->access = KT_CA_WRITE;
	else if (assign_op(&f->t[e1 + 1 < f->n ? e1 + 1 : e1]) || is_p(f, e1 + 1, P2('+', '+')) ||
		 is_p(f, e1 + 1, P2('-', '-')) ||
		 (e0 > f->body && (is_p(f, e0 - 1, P2('+', '+')) || is_p(f, e0 - 1, P2('-', '-')))))
		s->access = KT_CA_RMW;
	else if (e0 > f->body + 1 && is_p(f, e0 - 1, '&') && !operand_end(f, e0 - 2))
		s->access = KT_CA_ADDR;
	else
		s->access = KT_CA_READ;
	marking(f, e0, e1, s);
	locks(f, e0, s);
	/* The object: what comes before the first member operator; its root
	 * the variable it starts from (none for a call's result). */
	for (size_t k = e0; k < e1; k++) {
		if (!is_p(f, k, P2('-', '>')) && !is_p(f, k, '.'))
			continue;
		ob.a = e0;
		ob.b = k - 1;
		if (k == e0)
			break;
		if (f->t[k - 1].kind == CT_IDENT) {
			ob.root = k - 1;
			obp = &ob;
		} else if (is_p(f, k - 1, ')') && f->match[k - 1] < k - 1 &&
			   !(f->match[k - 1] > e0 && f->t[f->match[k - 1] - 1].kind == CT_IDENT)) {
			for (size_t r = k - 1; r > f->match[k - 1]; r--)
				if (f->t[r].kind == CT_IDENT &&
				    !ct_keyword(f->buf + f->t[r].off, f->t[r].len)) {
					ob.root = r;
					obp = &ob;
					break;
				}
		}
		break;
	}
	init_path(f, obp, e0, e1, s);
	if (s->access == KT_CA_READ) {
		struct use u = {0};

		if (deref) {
			u.bits = KT_CU_DEREF;
		} else {
			use_of(f, e0, e1, 0, &u);
		}
		s->use = u.bits ? u.bits : KT_CU_OTHER;
		if (u.call[0])
			s->use_call = kt_xstrdup(u.call);
	} else if (s->access == KT_CA_WRITE) {
		store(f, e1, s, e0);
	}
	fn_src(f, fn_stmt_start(f, e0), fn_stmt_end(f, e0), text, sizeof(text));
	s->text = kt_xstrdup(text);
	s->line = f->t[e0].line;
	s->in_macro = f->macro;
	s->in_static = f->is_static;
	return true;
}
