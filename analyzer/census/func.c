// SPDX-License-Identifier: Apache-2.0
/*
 * One function (or macro body) of the tree, read for the census (ana.h):
 * its tokens, the declarations of its parameters and locals, the lock
 * events along it (acquire, release, assert, guard scopes, blocks that end
 * in a jump), and the types of its expressions as far as declarations,
 * casts, container_of and the index tell.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ana.h"

#define MAX_LOCKS 32

bool fn_tok_is(const struct fn *f, size_t i, const char *word)
{
	return i < f->n && ct_ident_eq(f->buf, &f->t[i], word);
}

static bool is_p(const struct fn *f, size_t i, uint32_t p)
{
	return i < f->n && ct_is(&f->t[i], p);
}

void fn_text(const struct fn *f, size_t a, size_t b, char *buf, size_t cap)
{
	size_t o = 0;

	buf[0] = 0;
	for (size_t i = a; i <= b && i < f->n && o + 1 < cap; i++) {
		const struct ct_tok *t = &f->t[i];
		bool word = t->kind == CT_IDENT || t->kind == CT_NUM;

		if (i > a && word && (f->t[i - 1].kind == CT_IDENT || f->t[i - 1].kind == CT_NUM) &&
		    o + 1 < cap)
			buf[o++] = ' ';
		for (size_t k = 0; k < t->len && o + 1 < cap; k++) {
			char c = f->buf[t->off + k];

			buf[o++] = (c == '\n' || c == '\t') ? ' ' : c;
		}
	}
	buf[o] = 0;
}

void fn_src(const struct fn *f, size_t a, size_t b, char *buf, size_t cap)
{
	size_t o = 0;

	buf[0] = 0;
	for (size_t i = a; i <= b && i < f->n; i++) {
		const struct ct_tok *t = &f->t[i];
		bool gap = i > a && t->off > f->t[i - 1].off + f->t[i - 1].len;

		/* The tokens as written, one blank where there were blanks,
		 * line breaks or comments. */
		if (o + (gap ? 1 : 0) + t->len + 4 >= cap) {
			memcpy(buf + o, "...", 4);
			return;
		}
		if (gap)
			buf[o++] = ' ';
		for (size_t k = 0; k < t->len; k++) {
			char c = f->buf[t->off + k];

			buf[o++] = (c == '\n' || c == '\t' || c == '\r') ? ' ' : c;
		}
	}
	buf[o] = 0;
}

const struct local *fn_local(const struct fn *f, const char *s, size_t n, size_t at)
{
	const struct local *best = NULL;

	for (size_t i = 0; i < f->nloc; i++) {
		const struct local *l = &f->loc[i];
		const struct ct_tok *t = &f->t[l->name];

		if (t->len == n && memcmp(f->buf + t->off, s, n) == 0 && l->from <= at &&
		    at <= l->to)
			best = l; /* the innermost: declared last */
	}
	return best;
}

long fn_enclosing_paren(const struct fn *f, size_t i)
{
	for (size_t j = i; j-- > f->body;) {
		const struct ct_tok *t = &f->t[j];

		if (ct_is(t, ';') || ct_is(t, '{') || ct_is(t, '}'))
			return -1;
		if ((ct_is(t, ')') || ct_is(t, ']')) && f->match[j] < j)
			j = f->match[j];
		else if (ct_is(t, '(') && f->match[j] > i)
			return (long)j;
	}
	return -1;
}

/* The `)` at i closes the header of if/while/for/switch. */
static bool header_close(const struct fn *f, size_t i)
{
	size_t o = f->match[i];

	return ct_is(&f->t[i], ')') && o < i && o > 0 &&
	       (fn_tok_is(f, o - 1, "if") || fn_tok_is(f, o - 1, "while") ||
		fn_tok_is(f, o - 1, "for") || fn_tok_is(f, o - 1, "switch"));
}

size_t fn_stmt_start(const struct fn *f, size_t i)
{
	size_t j = i;

	while (j > f->body) {
		const struct ct_tok *t = &f->t[j - 1];

		if (ct_is(t, ';') || ct_is(t, '{') || ct_is(t, '}') ||
		    fn_tok_is(f, j - 1, "else") || (j - 1 < i && header_close(f, j - 1)))
			break;
		if ((ct_is(t, ')') || ct_is(t, ']')) && f->match[j - 1] < j - 1)
			j = f->match[j - 1];
		else
			j--;
	}
	return j;
}

size_t fn_stmt_end(const struct fn *f, size_t i)
{
	size_t j = i;

	while (j < f->n) {
		const struct ct_tok *t = &f->t[j];

		if (ct_is(t, ';') || ct_is(t, '{') || ct_is(t, '}'))
			return j;
		if ((ct_is(t, '(') || ct_is(t, '[')) && f->match[j] > j)
			j = f->match[j] + 1;
		else
			j++;
	}
	return f->n ? f->n - 1 : 0;
}

bool fn_arg(const struct fn *f, size_t open, int k, size_t *a, size_t *b)
{
	size_t close = f->match[open], s = open + 1;
	int idx = 0;

	if (close <= open)
		return false;
	for (size_t j = s; j <= close; j++) {
		if (j == close || ct_is(&f->t[j], ',')) {
			if (idx == k) {
				if (j == s)
					return false;
				*a = s;
				*b = j - 1;
				return true;
			}
			idx++;
			s = j + 1;
		} else if ((ct_is(&f->t[j], '(') || ct_is(&f->t[j], '[') || ct_is(&f->t[j], '{')) &&
			   f->match[j] > j && f->match[j] < close) {
			j = f->match[j];
		}
	}
	return false;
}

bool fn_arg_of(const struct fn *f, size_t open, size_t i, int *idx, size_t *a, size_t *b)
{
	size_t close = f->match[open];

	if (close <= open || i <= open || i >= close)
		return false;
	for (int k = 0; k < 64; k++) {
		if (!fn_arg(f, open, k, a, b))
			return false;
		if (*a <= i && i <= *b) {
			*idx = k;
			return true;
		}
	}
	return false;
}

/* ---- declarations ---- */

static void add_local(struct fn *f, const struct decl *d, const struct dcl *dc, size_t from,
		      size_t to, bool param)
{
	struct local l;
	const struct ct_tok *tn;

	if (dc->name < 0)
		return;
	memset(&l, 0, sizeof(l));
	l.name = (size_t)dc->name;
	l.from = from;
	l.to = to;
	l.init = dc->init;
	l.init_end = dc->init_end;
	l.is_param = param;
	if (d->ty.name >= 0 && dc->ptr < 4) {
		tn = &f->t[d->ty.name];
		ty_of_decl(f->ix, d->ty.kind, f->buf + tn->off, tn->len, dc->array, &l.ty);
	}
	if (l.ty.kind == TY_NONE && d->ty.kind == TY_NONE && dc->init >= 0 &&
	    dc->init_end > dc->init)
		fn_expr_type(f, (size_t)dc->init, (size_t)dc->init_end - 1, 1,
			     &l.ty); /* typeof(x) */
	f->loc = kt_xrealloc(f->loc, (f->nloc + 1) * sizeof(*f->loc));
	f->loc[f->nloc++] = l;
}

static void params(struct fn *f, size_t open)
{
	size_t close = f->match[open], s = open + 1;

	if (close <= open)
		return;
	for (size_t j = s; j <= close; j++) {
		if (j == close || is_p(f, j, ',')) {
			struct decl d;

			if (j > s && decl_parse(f->buf, f->t, f->match, s, j, &d))
				for (size_t q = 0; q < d.nd; q++)
					add_local(f, &d, &d.d[q], open, f->n, true);
			s = j + 1;
		} else if ((is_p(f, j, '(') || is_p(f, j, '[')) && f->match[j] > j &&
			   f->match[j] < close) {
			j = f->match[j];
		}
	}
}

/* Declarations at each statement start of the body. */
static void locals(struct fn *f)
{
	size_t stack[256], sp = 0;

	for (size_t i = f->body; i < f->n; i++) {
		const struct ct_tok *t = &f->t[i];
		bool start;

		if (ct_is(t, '{') && sp < 256)
			stack[sp++] = i;
		else if (ct_is(t, '}') && sp)
			sp--;
		start = i == f->body || ct_is(&f->t[i - 1], ';') || ct_is(&f->t[i - 1], '{') ||
			ct_is(&f->t[i - 1], '}') ||
			(ct_is(&f->t[i - 1], '(') && i >= 2 && fn_tok_is(f, i - 2, "for"));
		if (!start || t->kind != CT_IDENT)
			continue;
		size_t end = sp ? f->match[stack[sp - 1]] : f->n;
		struct decl d;

		if (end <= i || end > f->n)
			end = f->n;
		if (ct_keyword(f->buf + t->off, t->len) &&
		    !ct_type_keyword(f->buf + t->off, t->len))
			continue;
		if (decl_parse(f->buf, f->t, f->match, i, end, &d) && d.fbody < 0)
			for (size_t q = 0; q < d.nd; q++)
				if (d.d[q].name >= 0)
					add_local(f, &d, &d.d[q], (size_t)d.d[q].name, end, false);
	}
}

/* ---- locks ---- */

static void push_ev(struct fn *f, size_t pos, uint8_t kind, const char *name, const char *mode)
{
	struct lev e;

	memset(&e, 0, sizeof(e));
	e.pos = pos;
	e.kind = kind;
	if (name)
		snprintf(e.lock.name, sizeof(e.lock.name), "%s", name);
	if (mode)
		snprintf(e.lock.mode, sizeof(e.lock.mode), "%s", mode);
	f->ev = kt_xrealloc(f->ev, (f->nev + 1) * sizeof(*f->ev));
	f->ev[f->nev++] = e;
}

/* Does the block closing at c end in a jump (return, goto, break,
 * continue)? Then what it did to the locks stays inside it. */
static bool block_jumps(const struct fn *f, size_t c)
{
	size_t s;

	if (c == 0 || !is_p(f, c - 1, ';'))
		return false;
	s = fn_stmt_start(f, c - 1);
	return fn_tok_is(f, s, "return") || fn_tok_is(f, s, "goto") || fn_tok_is(f, s, "break") ||
	       fn_tok_is(f, s, "continue");
}

static size_t stmt_after(const struct fn *f, size_t i)
{
	if (is_p(f, i, '{') && f->match[i] > i)
		return f->match[i];
	return fn_stmt_end(f, i);
}

/* The lock of a guard class line for argument tokens [a, b]. */
static void guard_lock(struct fn *f, size_t pos, size_t end, const char *cls, size_t n, long a,
		       long b)
{
	const struct cv_entry *g = cv_find(f->v, CV_GUARDCLASS, cls, n);
	struct cv_entry e;
	char name[160];

	if (!g)
		return;
	memset(&e, 0, sizeof(e));
	e.field = g->field;
	e.lockname = g->lockname;
	e.arg = g->lockname ? -1 : 0;
	fn_lock_name(f, &e, a, b, name, sizeof(name));
	if (!name[0])
		return;
	push_ev(f, pos, LEV_ACQ, name, g->mode);
	push_ev(f, end, LEV_REL, name, g->mode);
}

static void lock_call(struct fn *f, size_t i, bool in_decl)
{
	const struct cv_entry *es[8];
	size_t n = cv_find_locks(f->v, f->buf + f->t[i].off, f->t[i].len, es, 8);
	size_t open = i + 1, a = 0, b = 0;

	for (size_t k = 0; k < n; k++) {
		const struct cv_entry *e = es[k];
		char name[160];

		if (e->op == CV_GUARD) {
			/* guard(CLASS)(arg); to the end of the block */
			size_t c1 = f->match[open];
			long blk = -1;

			if (c1 <= open || !is_p(f, c1 + 1, '(') || f->match[c1 + 1] <= c1 + 1)
				continue;
			for (size_t j = i; j-- > f->body;)
				if (is_p(f, j, '{') && f->match[j] > i) {
					blk = (long)f->match[j];
					break;
				}
			bool have = fn_arg(f, c1 + 1, 0, &a, &b);

			guard_lock(f, i, blk >= 0 ? (size_t)blk : f->n, f->buf + f->t[open + 1].off,
				   f->t[open + 1].len, have ? (long)a : -1, have ? (long)b : -1);
			continue;
		}
		if (e->op == CV_SCOPED) {
			size_t close = f->match[open];
			bool have = e->arg >= 0 && fn_arg(f, open, e->arg, &a, &b);

			if (close <= open)
				continue;
			guard_lock(f, i, stmt_after(f, close + 1), f->buf + f->t[open + 1].off,
				   f->t[open + 1].len, have ? (long)a : -1, have ? (long)b : -1);
			continue;
		}
		if (e->arg >= 0 && !fn_arg(f, open, e->arg, &a, &b))
			continue;
		fn_lock_name(f, e, e->arg >= 0 ? (long)a : -1, e->arg >= 0 ? (long)b : -1, name,
			     sizeof(name));
		if (!name[0])
			continue;
		if (in_decl) {
			if (e->op == CV_ASSERT && f->nentry < 8) {
				snprintf(f->entry[f->nentry].name, sizeof(f->entry[0].name), "%s",
					 name);
				snprintf(f->entry[f->nentry].mode, sizeof(f->entry[0].mode), "%s",
					 e->mode);
				f->nentry++;
			}
			continue;
		}
		push_ev(f, i, e->op == CV_RELEASE ? LEV_REL : LEV_ACQ, name, e->mode);
	}
}

static int cmp_ev(const void *a, const void *b)
{
	const struct lev *x = a, *y = b;

	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	/* At one `}`: a guard's release before the block's close. */
	return (x->kind == LEV_CLOSE) - (y->kind == LEV_CLOSE);
}

static void lock_events(struct fn *f)
{
	for (size_t i = 0; i < f->body && i < f->n; i++)
		if (f->t[i].kind == CT_IDENT && is_p(f, i + 1, '('))
			lock_call(f, i, true);
	for (size_t i = f->body; i < f->n; i++) {
		const struct ct_tok *t = &f->t[i];

		if (ct_is(t, '{')) {
			push_ev(f, i, LEV_OPEN, NULL, NULL);
		} else if (ct_is(t, '}')) {
			push_ev(f, i, LEV_CLOSE, NULL, NULL);
			f->ev[f->nev - 1].fallthrough = !block_jumps(f, i);
		} else if (t->kind == CT_IDENT && is_p(f, i + 1, '(') &&
			   !(i > 0 && (is_p(f, i - 1, '.') || is_p(f, i - 1, P2('-', '>'))))) {
			lock_call(f, i, false);
		}
	}
	if (f->nev > 1)
		qsort(f->ev, f->nev, sizeof(*f->ev), cmp_ev);
}

size_t fn_held(const struct fn *f, size_t pos, struct held *out, size_t max)
{
	struct held set[MAX_LOCKS], *saved = NULL;
	size_t n = 0, depth = 0, cap = 0, *savedn = NULL;

	if (max > MAX_LOCKS)
		max = MAX_LOCKS;
	for (size_t i = 0; i < f->nentry && n < max; i++)
		set[n++] = f->entry[i];
	for (size_t e = 0; e < f->nev && f->ev[e].pos < pos; e++) {
		const struct lev *ev = &f->ev[e];

		if (ev->kind == LEV_OPEN) {
			if (depth == cap) {
				cap = cap ? cap * 2 : 8;
				saved = kt_xrealloc(saved, cap * MAX_LOCKS * sizeof(*saved));
				savedn = kt_xrealloc(savedn, cap * sizeof(*savedn));
			}
			memcpy(saved + depth * MAX_LOCKS, set, n * sizeof(*set));
			savedn[depth++] = n;
		} else if (ev->kind == LEV_CLOSE) {
			if (depth == 0)
				continue;
			depth--;
			if (!ev->fallthrough) {
				n = savedn[depth];
				memcpy(set, saved + depth * MAX_LOCKS, n * sizeof(*set));
			}
		} else if (ev->kind == LEV_ACQ) {
			bool have = false;

			for (size_t k = 0; k < n; k++)
				have = have || strcmp(set[k].name, ev->lock.name) == 0;
			if (!have && n < max)
				set[n++] = ev->lock;
		} else {
			for (size_t k = 0; k < n; k++)
				if (strcmp(set[k].name, ev->lock.name) == 0) {
					set[k] = set[--n];
					break;
				}
		}
	}
	memcpy(out, set, n * sizeof(*set));
	free(saved);
	free(savedn);
	return n;
}

/* ---- opening a unit ---- */

static void markers(struct fn *f)
{
	for (size_t i = 0; i < f->body && i < f->n; i++) {
		const struct ct_tok *t = &f->t[i];

		if (t->kind != CT_IDENT)
			continue;
		if (ct_ident_eq(f->buf, t, "static"))
			f->is_static = true;
		if (!f->init_fn && cv_find(f->v, CV_INIT, f->buf + t->off, t->len)) {
			f->init_fn = true;
			snprintf(f->marker, sizeof(f->marker), "%.*s", (int)t->len,
				 f->buf + t->off);
		} else if (!f->exit_fn && cv_find(f->v, CV_EXIT, f->buf + t->off, t->len)) {
			f->exit_fn = true;
			snprintf(f->marker, sizeof(f->marker), "%.*s", (int)t->len,
				 f->buf + t->off);
		}
	}
}

bool fn_open(struct fn *f, const struct kt_census_index *ix, int seg, const struct rec_unit *u,
	     const char *buf, size_t len, uint32_t base)
{
	memset(f, 0, sizeof(*f));
	f->ix = ix;
	f->v = ix->vocab;
	f->seg = seg;
	f->u = u;
	f->buf = buf;
	f->len = len;
	if (u->start < base || u->end - base > len)
		return false;
	f->macro = (u->flags & UNIT_MACRO) != 0;
	if (u->start >= u->end)
		return false;
	ct_lex(buf, len, u->start - base, u->end - base, u->line, f->macro ? CL_DEFINES : 0,
	       &f->toks);
	f->t = f->toks.t;
	f->n = f->toks.n;
	if (f->macro) {
		/* #define NAME(params) body: drop the markers, start after params */
		size_t k = 0;

		for (size_t i = 0; i < f->n; i++)
			if (f->t[i].kind != CT_PPDEF && f->t[i].kind != CT_PPEND)
				f->t[k++] = f->t[i];
		f->n = k;
		f->body = 1;
		if (f->n > 2 && ct_is(&f->t[1], '(') && f->t[1].off == f->t[0].off + f->t[0].len) {
			while (f->body < f->n && !ct_is(&f->t[f->body], ')'))
				f->body++;
			f->body++;
		}
	} else {
		while (f->body < f->n &&
		       !(ct_is(&f->t[f->body], '{') && f->t[f->body].off + base == u->body))
			f->body++;
	}
	if (f->n == 0 || f->body >= f->n)
		return false;
	f->match = decl_match(f->t, f->n);
	return true;
}

void fn_prepare(struct fn *f)
{
	struct decl d;

	if (f->have_locals)
		return;
	f->have_locals = true;
	if (!f->macro) {
		if (decl_parse(f->buf, f->t, f->match, 0, f->n, &d) && d.nd && d.d[0].params >= 0)
			params(f, (size_t)d.d[0].params);
		else if (f->body > 0 && is_p(f, f->body - 1, ')'))
			params(f, f->match[f->body - 1]); /* a macro-made function */
		markers(f);
	}
	locals(f);
}

void fn_prepare_locks(struct fn *f)
{
	if (f->have_locks)
		return;
	f->have_locks = true;
	fn_prepare(f);
	lock_events(f);
}

void fn_close(struct fn *f)
{
	ct_toks_free(&f->toks);
	free(f->match);
	free(f->loc);
	free(f->ev);
	memset(f, 0, sizeof(*f));
}
