// SPDX-License-Identifier: Apache-2.0
/*
 * Marking macros and calls around an access, from the tokens as written
 * (READ_ONCE, WRITE_ONCE, atomic and bit operations of access.tbl), with
 * a bit-test helper's constant bit.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "marking.h"

/*
 * Is c what a storing or read-modify-write marking NAME(...) (tokens open ..
 * close) updates? Its address is passed (`atomic_inc(&x->n)`,
 * `set_bit(nr, &x->flags)`: a '&' before it, after any '('), or, for the
 * helpers that take an lvalue (`write` in access.tbl), it is the whole first
 * argument (`WRITE_ONCE(x->f, v)`, `this_cpu_add(x->n, 1)`).
 */
static bool marking_target(const struct kt_toks *tk, size_t open, size_t close,
			   const struct kt_access_info *c, bool lvalue_first)
{
	size_t k = open + 1, comma = kt_toks_first_comma(tk, open, close);

	/* the token that starts the candidate's expression */
	while (k < close && tk->t[k].off < c->s_off)
		k++;
	if (k < close && tk->t[k].off == c->s_off) {
		size_t b = k;

		while (b > open + 1 && strcmp(tk->t[b - 1].text, "(") == 0)
			b--;
		if (b > open && strcmp(tk->t[b - 1].text, "&") == 0)
			return true;
		/* the whole first argument: it starts the argument list and ends
		 * where the argument does */
		/* the argument's end: its comma or the ')', unless the call goes
		 * on past the tokens read (a call over several lines) */
		size_t end = comma < close ? comma : close;
		unsigned lim = end < tk->n ? tk->t[end].off : UINT_MAX;

		if (lvalue_first && b == open + 1 && c->e_off <= lim) {
			size_t e = k;

			while (e < comma && tk->t[e].off < c->e_off)
				e++;
			while (e < comma && strcmp(tk->t[e].text, ")") == 0)
				e++;
			return e == comma || (comma == close && e >= close);
		}
	}
	return false;
}

struct nr_find {
	struct walk *w;
	unsigned from, to; /* the expression's extent in the walk's file */
	bool found;
	unsigned long long v;
};

static enum CXChildVisitResult nr_visit(CXCursor c, CXCursor p, CXClientData d)
{
	struct nr_find *nf = d;
	CXSourceRange r = clang_getCursorExtent(c);
	CXFile f1 = NULL, f2 = NULL;
	unsigned a = kt_cursor_off(clang_getRangeStart(r), &f1);
	unsigned b = kt_cursor_off(clang_getRangeEnd(r), &f2);
	bool here = f1 && f2 && clang_File_isEqual(f1, nf->w->sf.file) &&
		    clang_File_isEqual(f2, nf->w->sf.file) && a <= b;

	(void)p;
	if (here && (b < nf->from || a > nf->to))
		return CXChildVisit_Continue;
	if (here && a == nf->from && b == nf->to && kt_text_const_int(c, &nf->v)) {
		nf->found = true;
		return CXChildVisit_Break;
	}
	return CXChildVisit_Recurse;
}

/*
 * A bit-test helper NAME(nr, addr) (tokens open .. close, first argument
 * ending before token comma) reads the word of addr holding bit nr: when c
 * is in addr and nr is a compile-time constant, c's mask is that bit
 * within the word.
 */
static void bitop_mask(struct walk *w, size_t open, size_t comma, size_t close,
		       struct kt_access_info *c)
{
	const struct kt_toks *tk = &w->toks;
	struct nr_find nf = {0};
	long long bits = c->word * 8;

	if (comma >= close || comma <= open + 1 || c->s_off <= tk->t[comma].off ||
	    (bits != 8 && bits != 16 && bits != 32 && bits != 64))
		return;
	nf.w = w;
	nf.from = tk->t[open + 1].off;
	nf.to = tk->t[comma - 1].off + (unsigned)strlen(tk->t[comma - 1].text);
	clang_visitChildren(w->fn, nr_visit, &nf);
	if (!nf.found)
		return;
	c->has_mask = true;
	c->mask = 1ULL << (nf.v % (unsigned long long)bits);
}

/* Macros and calls around offset off on the line, from the tokens as written. */
void kt_marking_scan(struct walk *w, struct kt_access_info *c)
{
	struct kt_toks *tk = &w->toks;
	unsigned best_open = 0;

	for (size_t i = 0; i + 1 < tk->n; i++) {
		const struct kt_marking_entry *m;
		size_t j;

		if (!kt_toks_call_at(tk, i))
			continue;
		j = kt_toks_close(tk, i + 1);
		if (c->off <= tk->t[i + 1].off || (j < tk->n && c->off >= tk->t[j].off))
			continue;
		/* the candidate is inside NAME( ... ) */
		m = kt_tables_marking(w->t, tk->t[i].text);
		if (m && (m->rmw || m->write) && !marking_target(tk, i + 1, j, c, m->write))
			m = NULL; /* a value argument (atomic_add(i, v)'s i) is not marked */
		if (m && tk->t[i + 1].off >= best_open) {
			best_open = tk->t[i + 1].off;
			free(c->marking);
			c->marking = kt_xstrdup(m->marking);
			c->mark_rmw = m->rmw;
			c->mark_value = !m->rmw && !m->write;
			c->mark_write = m->write && !m->rmw;
			c->mark_from = tk->t[i].off;
			c->mark_to = j < tk->n ? tk->t[j].off : tk->t[tk->n - 1].off;
			if (m->rmw || m->write)
				c->write = true;
			if (m->bittest) {
				c->bittest = true;
				if (c->ast && j < tk->n)
					bitop_mask(w, i + 1, kt_toks_first_comma(tk, i + 1, j), j,
						   c);
			}
		}
		if (kt_tables_in(w->t->passed, w->t->npassed, tk->t[i].text)) {
			c->passed_to = kt_xrealloc(c->passed_to, (c->npassed + 1) * sizeof(char *));
			c->passed_to[c->npassed++] = kt_xstrdup(tk->t[i].text);
		}
	}
}
