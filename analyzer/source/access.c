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

void kt_access_find(const struct kt_tables *t, struct kt_tu *tu, const struct kt_func *fn,
		    const struct kt_access_query *q, struct kt_access_info *out)
{
	struct walk w;
	unsigned le;
	int best = -1, bests = -1000, nbest = 0, seen = 0;

	memset(out, 0, sizeof(*out));
	out->param_index = -1;
	out->size = -1;
	out->rec_off = -1;
	memset(&w, 0, sizeof(w));
	w.sf.tu = tu->tu;
	w.sf.file = fn->file;
	w.t = t;
	w.fn = fn->cur;
	w.sf.contents = clang_getFileContents(tu->tu, fn->file, &w.sf.csize);
	if (!w.sf.contents || !kt_line_offset(tu->tu, fn->file, q->line, &w.ls)) {
		out->note = kt_xstrdup("the line is past the end of the file");
		return;
	}
	if (!kt_line_offset(tu->tu, fn->file, q->line + 1, &le))
		le = (unsigned)w.sf.csize;
	w.le = le;
	kt_toks_range(tu->tu, fn->file, w.ls, w.le, &w.toks);
	w.stack[0] = fn->cur;
	if (!fn->by_tokens) {
		clang_visitChildren(fn->cur, kt_collect_visit, &w);
		if (w.n == 0)
			kt_collect_inline_callees(&w, out);
	}
	if (w.n == 0 && (fn->by_tokens || tu->errors || !tu->full)) {
		kt_collect_tokens(&w, fn->start_off, fn->end_off);
		if (w.n)
			out->note = kt_xstrdup(
			    "read from the tokens of the line, without types (token fallback)");
	}
	for (size_t i = 0; i < w.n; i++) {
		int s = kt_score(&w.c[i], q);

		if (s > bests) {
			bests = s;
			best = (int)i;
			nbest = 1;
		} else if (s == bests) {
			nbest++;
		}
	}
	if (q->pick > 0 && q->pick < nbest)
		for (size_t i = 0; i < w.n; i++)
			if (kt_score(&w.c[i], q) == bests && seen++ == q->pick) {
				best = (int)i;
				break;
			}
	if (best >= 0) {
		/* equally good loads tested against different masks (or one
		 * without): the mask of the one taken does not stand for the
		 * access KCSAN saw */
		bool mask_differs = false;

		for (size_t i = 0; nbest > 1 && i < w.n; i++)
			if (kt_score(&w.c[i], q) == bests &&
			    (w.c[i].has_mask != w.c[best].has_mask ||
			     w.c[i].mask != w.c[best].mask))
				mask_differs = true;
		kt_role_body_use(&w, &w.c[best]);
		take_cand(&w.c[best], out);
		if (mask_differs)
			out->has_mask = false;
		if (nbest > 1) {
			struct kt_strbuf sb;

			kt_strbuf_init(&sb);
			if (out->note)
				kt_strbuf_addf(&sb, "%s; ", out->note);
			if (q->pick > 0 && q->pick < nbest)
				kt_strbuf_addf(&sb,
					       "%d equally good access candidates on line %u; took "
					       "number %d, on the other side's object",
					       nbest, q->line, q->pick + 1);
			else if (q->prefer)
				kt_strbuf_addf(&sb,
					       "%d equally good access candidates on line %u, even "
					       "with the other side's object; took the first",
					       nbest, q->line);
			else
				kt_strbuf_addf(
				    &sb,
				    "%d equally good access candidates on line %u; took the first",
				    nbest, q->line);
			free(out->note);
			out->note = kt_strbuf_detach(&sb);
		}
	} else {
		struct kt_strbuf sb;

		kt_strbuf_init(&sb);
		kt_strbuf_addf(&sb, "no memory access found on line %u", q->line);
		out->note = kt_strbuf_detach(&sb);
	}
	out->ncand = (int)w.n;
	out->nbest = nbest;
	for (size_t i = 0; i < w.n; i++)
		kt_access_info_fini(&w.c[i]);
	free(w.c);
	kt_toks_free(&w.toks);
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
	memset(&w, 0, sizeof(w));
	w.sf.tu = tu->tu;
	w.sf.file = fn->file;
	w.t = t;
	w.fn = fn->cur;
	w.sf.contents = clang_getFileContents(tu->tu, fn->file, &w.sf.csize);
	if (!w.sf.contents)
		return;
	w.ls = fn->body_off;
	w.le = fn->end_off;
	kt_toks_range(tu->tu, fn->file, w.ls, w.le, &w.toks);
	w.stack[0] = fn->cur;
	clang_visitChildren(fn->cur, kt_collect_visit, &w);
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
	for (size_t i = 0; i < w.n; i++)
		kt_access_info_fini(&w.c[i]);
	free(w.c);
	kt_toks_free(&w.toks);
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
