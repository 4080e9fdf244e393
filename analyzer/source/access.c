// SPDX-License-Identifier: Apache-2.0
/*
 * The access site: the memory accesses written on the report's line inside
 * the frame's function, read from libclang's AST (types, fields, roles) and
 * from the tokens as written (marking macros, calls the value is passed to).
 * With several candidates the report's direction and size decide, then the
 * other side's field.
 */
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "collect.h"
#include "cursor.h"
#include "role.h"
#include "score.h"

const char *kt_access_kind_name(const struct kt_access_info *a)
{
	static const char *const name[] = {"member", "global", "array", "deref"};

	if (a->kind == KT_AK_COPY)
		return a->copy_kind ? a->copy_kind : "";
	return name[a->kind];
}

void kt_access_info_fini(struct kt_access_info *a)
{
	free(a->text);
	free(a->raw);
	free(a->copy_kind);
	free(a->field);
	free(a->type);
	free(a->marking);
	kt_strs_free(a->passed_to, a->npassed);
	kt_strs_free(a->guards, a->nguards);
	free(a->buffer);
	free(a->buffer_desc);
	free(a->note);
	free(a->param_suffix);
	free(a->rec);
	free(a->deref_key);
	free(a->stored);
	memset(a, 0, sizeof(*a));
}

/* Move candidate c into *out, which keeps its note; c is left empty. */
static void take_cand(struct kt_access_info *c, struct kt_access_info *out)
{
	char *note = out->note;

	*out = *c;
	out->found = true;
	out->note = note;
	memset(c, 0, sizeof(*c));
}

/* The note for several equally good candidates on the line (after the
 * note out already has). */
static void equal_note(struct kt_access_info *out, const struct kt_access_query *q, int nbest)
{
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	if (out->note)
		kt_strbuf_addf(&sb, "%s; ", out->note);
	if (q->pick > 0 && q->pick < nbest)
		kt_strbuf_addf(&sb,
			       "%d equally good access candidates on line %u; took number %d, on "
			       "the other side's object",
			       nbest, q->line, q->pick + 1);
	else if (q->prefer)
		kt_strbuf_addf(&sb,
			       "%d equally good access candidates on line %u, even with the other "
			       "side's object; took the first",
			       nbest, q->line);
	else
		kt_strbuf_addf(&sb, "%d equally good access candidates on line %u; took the first",
			       nbest, q->line);
	free(out->note);
	out->note = kt_strbuf_detach(&sb);
}

/* The accesses on the line of w (AST; the functions called there; the
 * tokens when there are no types), with a note on how they were read. */
static void collect_line(struct walk *w, struct kt_tu *tu, const struct kt_func *fn,
			 struct kt_access_info *out)
{
	if (!fn->by_tokens) {
		kt_walk_collect(w);
		if (w->n == 0)
			kt_collect_inline_callees(w, out);
	}
	if (w->n == 0 && (fn->by_tokens || tu->errors || !tu->full)) {
		kt_collect_tokens(w, fn->start_off, fn->end_off);
		if (w->n)
			out->note = kt_xstrdup(
			    "read from the tokens of the line, without types (token fallback)");
	}
}

void kt_access_find(const struct kt_tables *t, struct kt_tu *tu, const struct kt_func *fn,
		    const struct kt_access_query *q, struct kt_access_info *out)
{
	struct walk w;
	unsigned ls, le;
	struct kt_choice ch;

	memset(out, 0, sizeof(*out));
	out->param_index = -1;
	out->size = -1;
	out->rec_off = -1;
	if (!kt_walk_open(&w, tu->tu, fn->file, fn->cur, t) ||
	    !kt_line_offset(tu->tu, fn->file, q->line, &ls)) {
		out->note = kt_xstrdup("the line is past the end of the file");
		return;
	}
	if (!kt_line_offset(tu->tu, fn->file, q->line + 1, &le))
		le = (unsigned)w.sf.csize;
	kt_walk_range(&w, ls, le);
	collect_line(&w, tu, fn, out);
	ch = kt_score_choose(w.c, w.n, q);
	if (ch.best >= 0) {
		kt_role_body_use(&w, &w.c[ch.best]);
		take_cand(&w.c[ch.best], out);
		if (ch.mask_differs)
			out->has_mask = false;
		if (ch.nbest > 1)
			equal_note(out, q, ch.nbest);
	} else {
		struct kt_strbuf sb;

		kt_strbuf_init(&sb);
		kt_strbuf_addf(&sb, "no memory access found on line %u", q->line);
		out->note = kt_strbuf_detach(&sb);
	}
	out->ncand = (int)w.n;
	out->nbest = ch.nbest;
	kt_walk_close(&w);
}

/* Every access of fn that fits the report's direction and size (for a
 * frame whose line has moved in this tree). */
void kt_access_all(const struct kt_tables *t, struct kt_tu *tu, const struct kt_func *fn,
		   const struct kt_access_query *q, struct kt_cand_list *out)
{
	struct walk w;

	memset(out, 0, sizeof(*out));
	if (fn->by_tokens)
		return;
	if (!kt_walk_open(&w, tu->tu, fn->file, fn->cur, t))
		return;
	kt_walk_range(&w, fn->body_off, fn->end_off);
	kt_walk_collect(&w);
	/* the walk saw the whole body: the later loads are among its accesses */
	for (size_t i = 0; i < w.n; i++)
		kt_role_use(&w, &w.c[i], w.c, w.n);
	for (size_t i = 0; i < w.n; i++) {
		struct kt_access_info *c = &w.c[i];
		bool marked = c->marking && strcmp(c->marking, "plain") != 0;

		if ((!c->field && !(q->param_derefs && c->deref_key)) ||
		    c->write != q->want_write || (c->addr && !marked) ||
		    (q->size > 0 && c->size > 0 && c->size != q->size))
			continue;
		kt_cand_list_add(out, c, c->off, NULL);
	}
	kt_walk_close(&w);
}

void kt_cand_list_add(struct kt_cand_list *l, struct kt_access_info *a, unsigned at,
		      const struct kt_via *via)
{
	struct kt_cand *c;

	l->v = kt_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	c = &l->v[l->n++];
	memset(c, 0, sizeof(*c));
	take_cand(a, &c->a);
	c->at = at;
	if (via)
		c->via = *via;
}

void kt_cand_list_fini(struct kt_cand_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		kt_access_info_fini(&l->v[i].a);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* ---- the argument a caller passed to an inline callee ---- */

struct argfind {
	CXFile file;
	unsigned ls, le;
	const char *callee;
	CXCursor call;
	bool found;
};

static enum CXChildVisitResult call_visit(CXCursor c, CXCursor p, CXClientData d)
{
	struct argfind *a = d;

	if (clang_getCursorKind(c) == CXCursor_CallExpr) {
		char *nm = kt_cx_str(clang_getCursorSpelling(c));
		CXFile f = NULL;
		unsigned off = kt_cursor_off(clang_getCursorLocation(c), &f);

		if (strcmp(nm, a->callee) == 0 && f && clang_File_isEqual(f, a->file) &&
		    off >= a->ls && off < a->le) {
			a->call = c;
			a->found = true;
			free(nm);
			return CXChildVisit_Break;
		}
		free(nm);
	}
	return CXChildVisit_Recurse;
}

bool kt_access_from_arg(struct kt_tu *tu, const struct kt_func *fn, unsigned line,
			const char *callee, int idx, struct kt_access_info *out)
{
	struct argfind a = {0};
	CXCursor arg, inner, root = clang_getNullCursor();
	char *base = kt_func_base_name(callee);
	struct kt_strbuf sb;
	char *path;
	unsigned le;

	a.file = fn->file;
	a.callee = base;
	if (!kt_line_offset(tu->tu, fn->file, line, &a.ls)) {
		free(base);
		return false;
	}
	if (!kt_line_offset(tu->tu, fn->file, line + 1, &le))
		le = ~0u;
	a.le = le;
	clang_visitChildren(fn->cur, call_visit, &a);
	free(base);
	if (!a.found || idx >= clang_Cursor_getNumArguments(a.call))
		return false;
	arg = kt_cursor_strip(clang_Cursor_getArgument(a.call, (unsigned)idx));
	if (clang_getCursorKind(arg) != CXCursor_UnaryOperator)
		return false;
	inner = kt_cursor_strip(kt_cursor_child0(arg));
	if (clang_getCursorKind(inner) != CXCursor_MemberRefExpr)
		return false;
	{
		/* only "&x->member": the callee works on memory embedded in x */
		struct kt_srcfile sf = {.tu = tu->tu};
		char *op = kt_text_unop(&sf, arg);
		if (!op || strcmp(op, "&") != 0) {
			free(op);
			return false;
		}
		free(op);
	}
	path = kt_member_path(inner, &root);
	kt_strbuf_init(&sb);
	kt_strbuf_addf(&sb, "%s.%s", path, out->param_suffix ? out->param_suffix : "");
	free(path);
	free(out->field);
	out->field = kt_strbuf_detach(&sb);
	{
		size_t n = 0;
		const char *contents = clang_getFileContents(tu->tu, fn->file, &n);
		CXSourceRange r = clang_getCursorExtent(arg);
		CXFile f;
		unsigned s = kt_cursor_off(clang_getRangeStart(r), &f),
			 e = kt_cursor_off(clang_getRangeEnd(r), &f);

		if (contents && e > s && e <= n) {
			char *t = kt_xstrndup(contents + s, e - s);
			struct kt_strbuf tb;

			kt_strbuf_init(&tb);
			kt_strbuf_addf(&tb, "%s (via %s)", out->text ? out->text : "", t);
			free(t);
			free(out->text);
			out->text = kt_strbuf_detach(&tb);
		}
	}
	return true;
}
