// SPDX-License-Identifier: Apache-2.0
/*
 * Types of expressions inside a function (ana.h): a postfix chain
 * `a->b.c[i]->m` walked back to its root, the root typed by the function's
 * declarations, a cast, container_of, a marking helper's argument, a
 * function's result or a macro; and the names of locks, `struct T::member`
 * when the argument's type is known, else its text.
 */
#include <stdio.h>
#include <string.h>

#include "ana.h"

static bool is_p(const struct fn *f, size_t i, uint32_t p)
{
	return i < f->n && ct_is(&f->t[i], p);
}

/* ---- expression types ---- */

static bool type_of_cast(const struct fn *f, size_t a, size_t b, struct rty *out)
{
	/* (struct S *) / (const struct S *) / (foo_t *) */
	size_t i = a;

	while (i <= b && (fn_tok_is(f, i, "const") || fn_tok_is(f, i, "volatile")))
		i++;
	if (i + 1 <= b && (fn_tok_is(f, i, "struct") || fn_tok_is(f, i, "union")) &&
	    f->t[i + 1].kind == CT_IDENT) {
		ty_of_decl(f->ix, fn_tok_is(f, i, "struct") ? TY_STRUCT : TY_UNION,
			   f->buf + f->t[i + 1].off, f->t[i + 1].len, false, out);
		i += 2;
	} else if (i <= b && f->t[i].kind == CT_IDENT &&
		   !ct_keyword(f->buf + f->t[i].off, f->t[i].len)) {
		ty_of_decl(f->ix, TY_NAME, f->buf + f->t[i].off, f->t[i].len, false, out);
		i++;
	} else {
		return false;
	}
	while (i <= b &&
	       (is_p(f, i, '*') || fn_tok_is(f, i, "const") || decl_annot(f->buf, &f->t[i])))
		i++;
	return i > b && out->kind != TY_NONE;
}

/* A call NAME(args): container_of & co, marking helpers that return their
 * argument, functions with a known result, container macros. */
static bool type_of_call(const struct fn *f, size_t name, int depth, struct rty *out)
{
	const char *s = f->buf + f->t[name].off;
	size_t n = f->t[name].len, open = name + 1, a, b;
	const struct cv_entry *e;

	out->kind = TY_NONE;
	if ((e = cv_find(f->v, CV_CONTAINER, s, n)) && fn_arg(f, open, e->arg, &a, &b))
		return type_of_cast(f, a, b, out);
	if ((e = cv_find(f->v, CV_MARK, s, n)) && !e->write && !e->rmw &&
	    fn_arg(f, open, 0, &a, &b)) {
		if (is_p(f, a, '&'))
			a++;
		return a <= b && fn_expr_type(f, a, b, depth + 1, out);
	}
	if (ty_func(f->ix, s, n, out))
		return true;
	return ty_macro(f->ix, s, n, out);
}

static bool type_of_ident(const struct fn *f, size_t i, struct rty *out)
{
	const struct local *l = fn_local(f, f->buf + f->t[i].off, f->t[i].len, i);

	if (l) {
		*out = l->ty;
		return out->kind != TY_NONE;
	}
	return ty_global(f->ix, f->buf + f->t[i].off, f->t[i].len, out) ||
	       ty_macro(f->ix, f->buf + f->t[i].off, f->t[i].len, out); /* `current` */
}

bool site_chain_type(const struct fn *f, const struct chain *c, size_t k, struct rty *out)
{
	struct rty cur = c->root;

	if (!c->root_ok)
		return false;
	for (size_t h = 0; h < k && h < c->nhops; h++) {
		const struct ct_tok *t = &f->t[c->hops[h]];
		struct rty next;

		if (cur.kind == TY_NONE ||
		    !ty_member(f->ix, cur.tag, f->buf + t->off, t->len, &next, NULL, NULL))
			return false;
		cur = next;
	}
	*out = cur;
	return cur.kind != TY_NONE;
}

/* The root of a postfix chain ending just before token j (inclusive). */
static bool chain_root(const struct fn *f, size_t j, int depth, struct chain *c)
{
	const struct ct_tok *t = &f->t[j];

	c->root_ok = false;
	if (t->kind == CT_IDENT) {
		c->start = j;
		c->root_ok = type_of_ident(f, j, &c->root);
		return true;
	}
	if (!ct_is(t, ')'))
		return false;
	size_t o = f->match[j];

	if (o >= j)
		return false;
	if (o > 0 && f->t[o - 1].kind == CT_IDENT &&
	    !ct_keyword(f->buf + f->t[o - 1].off, f->t[o - 1].len)) {
		c->start = o - 1;
		if (o > 1 && (is_p(f, o - 2, P2('-', '>')) || is_p(f, o - 2, '.')))
			return true; /* a call through a member: unknown */
		c->root_ok = depth < 4 && type_of_call(f, o - 1, depth, &c->root);
		return true;
	}
	c->start = o;
	c->root_ok = depth < 4 && fn_expr_type(f, o + 1, j - 1, depth + 1, &c->root);
	/* ((struct S *)p)->f is handled inside; (struct S *)(p) before it: */
	if (!c->root_ok && o > 0 && is_p(f, o - 1, ')') && f->match[o - 1] < o - 1) {
		size_t co = f->match[o - 1];

		if (type_of_cast(f, co + 1, o - 2, &c->root)) {
			c->start = co;
			c->root_ok = true;
		}
	}
	return true;
}

static bool chain_back(const struct fn *f, size_t m, int depth, struct chain *c)
{
	size_t rev[16], nrev = 0, j;
	bool arr[16];

	memset(c, 0, sizeof(*c));
	if (m < 1 || !(is_p(f, m - 1, P2('-', '>')) || is_p(f, m - 1, '.')))
		return false;
	rev[nrev] = m;
	arr[nrev++] = is_p(f, m - 1, P2('-', '>'));
	j = m - 2;
	for (;;) {
		if (j >= f->n) /* wrapped below 0 */
			return false;
		if (is_p(f, j, ']') && f->match[j] < j && f->match[j] > 0) {
			j = f->match[j] - 1;
			continue;
		}
		if (f->t[j].kind == CT_IDENT && j > 1 &&
		    (is_p(f, j - 1, P2('-', '>')) || is_p(f, j - 1, '.')) && nrev < 16) {
			rev[nrev] = j;
			arr[nrev++] = is_p(f, j - 1, P2('-', '>'));
			j -= 2;
			continue;
		}
		break;
	}
	if (f->t[j].kind == CT_IDENT && ct_keyword(f->buf + f->t[j].off, f->t[j].len))
		return false;
	if (!chain_root(f, j, depth, c))
		return false;
	for (size_t k = 0; k < nrev; k++) {
		c->hops[k] = rev[nrev - 1 - k];
		c->arrow[k] = arr[nrev - 1 - k];
	}
	c->nhops = nrev;
	return true;
}

bool site_chain(const struct fn *f, size_t m, struct chain *c)
{
	return chain_back(f, m, 0, c);
}

bool fn_expr_type(const struct fn *f, size_t a, size_t b, int depth, struct rty *out)
{
	out->kind = TY_NONE;
	if (a > b || b >= f->n || depth > 6)
		return false;
	/* A cast: (T *)expr */
	if (is_p(f, a, '(') && f->match[a] > a && f->match[a] < b &&
	    type_of_cast(f, a + 1, f->match[a] - 1, out))
		return true;
	if (is_p(f, a, '*') || is_p(f, a, '&'))
		return fn_expr_type(f, a + 1, b, depth + 1, out);
	if (a == b && f->t[a].kind == CT_IDENT)
		return type_of_ident(f, a, out);
	if (is_p(f, b, ']') && f->match[b] > a && f->match[b] < b)
		return fn_expr_type(f, a, f->match[b] - 1, depth + 1, out);
	if (f->t[b].kind == CT_IDENT && b > a &&
	    (is_p(f, b - 1, P2('-', '>')) || is_p(f, b - 1, '.'))) {
		struct chain c;

		if (!chain_back(f, b, depth + 1, &c) || c.start < a)
			return false;
		return site_chain_type(f, &c, c.nhops, out);
	}
	if (is_p(f, b, ')') && f->match[b] >= a && f->match[b] < b) {
		struct chain c;

		memset(&c, 0, sizeof(c));
		if (chain_root(f, b, depth + 1, &c) && c.start >= a && c.root_ok) {
			*out = c.root;
			return true;
		}
	}
	return false;
}

/* ---- lock names ---- */

/* Appends the member path hops[from..) joined by '.' to out. */
static void hop_path(const struct fn *f, const size_t *hops, size_t nh, const char *const *extra,
		     size_t nextra, size_t from, char *out, size_t cap)
{
	size_t o = strlen(out);

	for (size_t h = from; h < nh + nextra && o + 1 < cap; h++) {
		int w;

		if (h < nh)
			w = snprintf(out + o, cap - o, "%s%.*s", h > from ? "." : "",
				     (int)f->t[hops[h]].len, f->buf + f->t[hops[h]].off);
		else
			w = snprintf(out + o, cap - o, "%s%s", h > from ? "." : "", extra[h - nh]);
		if (w < 0 || (size_t)w >= cap - o)
			break;
		o += (size_t)w;
	}
}

void fn_lock_name(const struct fn *f, const struct cv_entry *e, long a, long b, char *out,
		  size_t cap)
{
	bool addr = false;
	char text[160], fieldbuf[96], suffix[64] = "";
	const char *extra[8];
	bool extra_arrow[8];
	size_t nextra = 0;
	struct chain c;
	size_t sa, sb;

	out[0] = 0;
	if (e->lockname && (e->arg < 0 || a < 0)) {
		snprintf(out, cap, "%s", e->lockname);
		return;
	}
	if (a < 0 || b < a || (size_t)b >= f->n)
		return;
	sa = (size_t)a;
	sb = (size_t)b;
	for (;;) {
		if (sa < sb && is_p(f, sa, '&')) {
			addr = true;
			sa++;
		} else if (sa < sb && is_p(f, sa, '(') && f->match[sa] == sb) {
			sa++;
			sb--;
		} else {
			break;
		}
	}
	fn_text(f, sa, sb, text, sizeof(text));
	/* The table's FIELD: a path inside the argument's object. */
	if (e->field) {
		char *p, *colon;

		snprintf(fieldbuf, sizeof(fieldbuf), "%s", e->field);
		if ((colon = strchr(fieldbuf, ':'))) {
			snprintf(suffix, sizeof(suffix), "%s", colon);
			*colon = 0;
		}
		p = fieldbuf;
		bool arrow = !addr;

		while (*p && nextra < 8) {
			char *q = p + strcspn(p, ".-");

			extra[nextra] = p;
			extra_arrow[nextra++] = arrow;
			arrow = *q == '-';
			if (!*q)
				break;
			*q = 0;
			p = q + (arrow ? 2 : 1);
		}
	}
	memset(&c, 0, sizeof(c));
	bool chain_ok = false;

	if (sa == sb && f->t[sa].kind == CT_IDENT) {
		c.start = sa;
		c.root_ok = type_of_ident(f, sa, &c.root);
		chain_ok = true;
	} else if (f->t[sb].kind == CT_IDENT) {
		chain_ok = chain_back(f, sb, 1, &c) && c.start == sa;
	}
	if (chain_ok && c.root_ok) {
		long last = -1;
		struct rty owner;

		for (size_t h = 0; h < c.nhops; h++)
			if (c.arrow[h])
				last = (long)h;
		for (size_t h = 0; h < nextra; h++)
			if (extra_arrow[h])
				last = (long)(c.nhops + h);
		if (last < 0 && !fn_local(f, f->buf + f->t[sa].off, f->t[sa].len, sa))
			last = -2; /* a global object: its own name */
		if (last == -1 && (c.nhops || nextra)) {
			snprintf(out, cap, "%s %s::", c.root.kind == TY_UNION ? "union" : "struct",
				 c.root.tag);
			hop_path(f, c.hops, c.nhops, extra, nextra, 0, out, cap);
			strncat(out, suffix, cap - strlen(out) - 1);
			return;
		}
		if (last >= 0) {
			bool ok = true;

			if ((size_t)last <= c.nhops) {
				ok = site_chain_type(f, &c, (size_t)last, &owner);
			} else {
				ok = site_chain_type(f, &c, c.nhops, &owner);
				for (size_t h = 0; ok && h + c.nhops < (size_t)last; h++) {
					struct rty nx;

					ok = ty_member(f->ix, owner.tag, extra[h], strlen(extra[h]),
						       &nx, NULL, NULL) &&
					     nx.kind != TY_NONE;
					owner = nx;
				}
			}
			if (ok) {
				snprintf(out, cap,
					 "%s %s::", owner.kind == TY_UNION ? "union" : "struct",
					 owner.tag);
				hop_path(f, c.hops, c.nhops, extra, nextra, (size_t)last, out, cap);
				strncat(out, suffix, cap - strlen(out) - 1);
				return;
			}
		}
	}
	snprintf(out, cap, "%s", text);
	for (size_t h = 0; h < nextra; h++) {
		strncat(out, extra_arrow[h] ? "->" : ".", cap - strlen(out) - 1);
		strncat(out, extra[h], cap - strlen(out) - 1);
	}
	strncat(out, suffix, cap - strlen(out) - 1);
}
