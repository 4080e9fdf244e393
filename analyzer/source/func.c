// SPDX-License-Identifier: Apache-2.0
/* Functions and tokens inside a parsed translation unit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "func.h"
#include "internal.h"
#include "tokens.h"

char *kt_func_base_name(const char *func)
{
	const char *dot = strchr(func, '.');

	return dot ? kt_xstrndup(func, (size_t)(dot - func)) : kt_xstrdup(func);
}

char *kt_type_name(CXType t)
{
	return kt_cx_str(clang_getTypeSpelling(t));
}

bool kt_line_offset(CXTranslationUnit tu, CXFile f, unsigned line, unsigned *off)
{
	size_t size = 0;
	const char *s = clang_getFileContents(tu, f, &size);
	unsigned cur = 1;

	if (!s || line == 0)
		return false;
	for (size_t i = 0; i < size && cur < line; i++)
		if (s[i] == '\n') {
			cur++;
			if (cur == line) {
				*off = (unsigned)(i + 1);
				return i + 1 <= size;
			}
		}
	if (line == 1) {
		*off = 0;
		return true;
	}
	return false;
}

/* ---- an index of the TU's top-level definitions ---- */
struct ix_entry {
	char *name;
	enum CXCursorKind kind;
	CXCursor cur;
	CXFile file;
	unsigned l0, l1;
};

struct kt_tu_index {
	struct ix_entry *e;
	size_t n, cap;
};

static enum CXChildVisitResult ix_visit(CXCursor c, CXCursor parent, CXClientData data)
{
	struct kt_tu_index *ix = data;
	enum CXCursorKind k = clang_getCursorKind(c);
	struct ix_entry e;
	CXSourceRange r;
	CXFile f2;

	if ((k != CXCursor_FunctionDecl && k != CXCursor_StructDecl && k != CXCursor_UnionDecl) ||
	    !clang_isCursorDefinition(c))
		return CXChildVisit_Continue;
	r = clang_getCursorExtent(c);
	e.kind = k;
	e.cur = c;
	clang_getFileLocation(clang_getRangeStart(r), &e.file, &e.l0, NULL, NULL);
	clang_getFileLocation(clang_getRangeEnd(r), &f2, &e.l1, NULL, NULL);
	e.name = kt_cx_str(clang_getCursorSpelling(c));
	if (ix->n == ix->cap) {
		ix->cap = ix->cap ? ix->cap * 2 : 1024;
		ix->e = kt_xrealloc(ix->e, ix->cap * sizeof(*ix->e));
	}
	ix->e[ix->n++] = e;
	return CXChildVisit_Continue;
}

static struct kt_tu_index *tu_index(struct kt_tu *tu)
{
	if (!tu->index) {
		tu->index = kt_xcalloc(1, sizeof(*tu->index));
		clang_visitChildren(clang_getTranslationUnitCursor(tu->tu), ix_visit, tu->index);
	}
	return tu->index;
}

void kt_tu_index_free(struct kt_tu_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->n; i++)
		free(ix->e[i].name);
	free(ix->e);
	free(ix);
}

bool kt_tu_lookup(struct kt_tu *tu, enum CXCursorKind kind, const char *name, CXCursor *out)
{
	struct kt_tu_index *ix = tu_index(tu);

	for (size_t i = 0; i < ix->n; i++)
		if (ix->e[i].kind == kind && strcmp(ix->e[i].name, name) == 0) {
			*out = ix->e[i].cur;
			return true;
		}
	return false;
}

struct find_ctx {
	CXFile file;
	unsigned line;
	const char *name;
	CXCursor best;
	bool found, by_name;
};

static void cursor_span(CXCursor c, CXFile *f, unsigned *l0, unsigned *l1, unsigned *o0,
			unsigned *o1)
{
	CXSourceRange r = clang_getCursorExtent(c);
	CXFile f1;

	clang_getFileLocation(clang_getRangeStart(r), f, l0, NULL, o0);
	clang_getFileLocation(clang_getRangeEnd(r), &f1, l1, NULL, o1);
}

static enum CXChildVisitResult body_visit(CXCursor c, CXCursor parent, CXClientData data)
{
	if (clang_getCursorKind(c) == CXCursor_CompoundStmt) {
		*(CXCursor *)data = c;
		return CXChildVisit_Break;
	}
	return CXChildVisit_Continue;
}

/* Token-level search: NAME ( ... ) [attributes] { ... } at brace depth 0
 * with the line inside the braces. */
static bool find_by_tokens(struct kt_tu *tu, CXFile file, unsigned line, const char *name,
			   struct kt_func *out)
{
	size_t size = 0;
	struct kt_toks tk;
	int depth = 0;
	bool ok = false;
	const char *gen = NULL;
	const char *macro = kt_tables_generated(tu->tables, name, &gen);

	if (!clang_getFileContents(tu->tu, file, &size) || !name)
		return false;
	kt_toks_range(tu->tu, file, 0, (unsigned)size, &tk);
	for (size_t i = 0; i + 1 < tk.n && !ok; i++) {
		const char *s = tk.t[i].text;

		if (!strcmp(s, "{"))
			depth++;
		else if (!strcmp(s, "}"))
			depth--;
		if (depth != 0 || strcmp(tk.t[i + 1].text, "(") != 0)
			continue;
		if (strcmp(s, name) != 0) {
			/* a generated function (access.tbl `generated`):
			 * __do_sys_NAME is written SYSCALL_DEFINEn(NAME, ...) */
			if (!(macro && kt_str_startswith(s, macro) && i + 2 < tk.n &&
			      strcmp(tk.t[i + 2].text, gen) == 0))
				continue;
		}
		{
			size_t j = kt_toks_close(&tk, i + 1), k;

			for (j++;
			     j < tk.n && strcmp(tk.t[j].text, "{") && strcmp(tk.t[j].text, ";");
			     j++)
				;
			if (j >= tk.n || strcmp(tk.t[j].text, "{"))
				continue;
			out->body_off = tk.t[j].off;
			k = kt_toks_close(&tk, j);
			if (k < tk.n && tk.t[j].line <= line && tk.t[k].line >= line) {
				out->start_off = tk.t[i].off;
				out->end_off = tk.t[k].off + 1;
				ok = true;
			}
		}
	}
	kt_toks_free(&tk);
	return ok;
}

bool kt_func_find(struct kt_tu *tu, const char *src_dir, const char *rel, unsigned line,
		  const char *func, struct kt_func *out)
{
	struct kt_strbuf p;
	struct find_ctx x = {0};
	char *base = func ? kt_func_base_name(func) : NULL;
	CXFile f;
	unsigned l0, l1, o0, o1;
	CXCursor body = clang_getNullCursor();

	memset(out, 0, sizeof(*out));
	kt_strbuf_init(&p);
	kt_strbuf_addf(&p, "%s/%s", src_dir, rel);
	x.file = clang_getFile(tu->tu, p.buf);
	kt_strbuf_fini(&p);
	if (!x.file) {
		free(base);
		return false;
	}
	x.line = line;
	x.name = base;
	{
		struct kt_tu_index *ix = tu_index(tu);

		for (size_t i = 0; i < ix->n; i++) {
			struct ix_entry *e = &ix->e[i];
			bool named;

			if (e->kind != CXCursor_FunctionDecl || !e->file ||
			    !clang_File_isEqual(e->file, x.file) || line < e->l0 || line > e->l1)
				continue;
			named = base && strcmp(e->name, base) == 0;
			if (!x.found || named) {
				x.best = e->cur;
				x.found = true;
				x.by_name = named;
			}
			if (named)
				break;
		}
	}
	if ((!x.found || !x.by_name) && base && find_by_tokens(tu, x.file, line, base, out)) {
		out->cur = clang_getNullCursor();
		out->file = x.file;
		out->by_name = true;
		out->by_tokens = true;
		snprintf(out->name, sizeof(out->name), "%s", base);
		free(base);
		return true;
	}
	if (x.found) {
		char *nm = kt_cx_str(clang_getCursorSpelling(x.best));

		snprintf(out->name, sizeof(out->name), "%s", nm);
		free(nm);
	}
	free(base);
	if (!x.found)
		return false;
	out->cur = x.best;
	out->by_name = x.by_name;
	cursor_span(x.best, &f, &l0, &l1, &o0, &o1);
	out->file = x.file;
	out->start_off = o0;
	out->end_off = o1;
	clang_visitChildren(x.best, body_visit, &body);
	if (!clang_Cursor_isNull(body)) {
		cursor_span(body, &f, &l0, &l1, &o0, &o1);
		out->body_off = o0;
	} else {
		out->body_off = out->start_off;
	}
	return true;
}

bool kt_func_from_cursor(CXCursor def, struct kt_func *out)
{
	CXCursor body = clang_getNullCursor();
	CXFile f = NULL;
	unsigned l0, l1, o0, o1;
	char *nm;

	memset(out, 0, sizeof(*out));
	if (clang_Cursor_isNull(def) || clang_getCursorKind(def) != CXCursor_FunctionDecl ||
	    !clang_isCursorDefinition(def))
		return false;
	clang_visitChildren(def, body_visit, &body);
	if (clang_Cursor_isNull(body))
		return false;
	cursor_span(def, &f, &l0, &l1, &o0, &o1);
	if (!f)
		return false;
	out->cur = def;
	out->file = f;
	out->start_off = o0;
	out->end_off = o1;
	cursor_span(body, &f, &l0, &l1, &o0, &o1);
	out->body_off = o0;
	out->by_name = true;
	nm = kt_cx_str(clang_getCursorSpelling(def));
	snprintf(out->name, sizeof(out->name), "%s", nm);
	free(nm);
	return true;
}

/* The children of a cursor, at most max of them. */
struct kids {
	CXCursor c[2];
	int n;
};

static enum CXChildVisitResult kids_visit(CXCursor c, CXCursor parent, CXClientData data)
{
	struct kids *k = data;

	(void)parent;
	if (k->n < 2)
		k->c[k->n] = c;
	k->n++;
	return k->n > 2 ? CXChildVisit_Break : CXChildVisit_Continue;
}

static struct kids kids_of(CXCursor c)
{
	struct kids k = {.n = 0};

	clang_visitChildren(c, kids_visit, &k);
	return k;
}

bool kt_func_forwarded(const struct kt_func *fn, struct kt_func *out)
{
	CXCursor body = clang_getNullCursor(), x, def;
	struct kids k;

	memset(out, 0, sizeof(*out));
	if (fn->by_tokens || clang_Cursor_isNull(fn->cur))
		return false;
	clang_visitChildren(fn->cur, body_visit, &body);
	if (clang_Cursor_isNull(body))
		return false;
	k = kids_of(body);
	if (k.n != 1)
		return false;
	x = k.c[0];
	if (clang_getCursorKind(x) == CXCursor_ReturnStmt) {
		k = kids_of(x);
		if (k.n != 1)
			return false;
		x = k.c[0];
	}
	/* implicit conversions of the returned value wrap the call */
	while (clang_getCursorKind(x) == CXCursor_UnexposedExpr ||
	       clang_getCursorKind(x) == CXCursor_ParenExpr) {
		k = kids_of(x);
		if (k.n != 1)
			return false;
		x = k.c[0];
	}
	if (clang_getCursorKind(x) != CXCursor_CallExpr)
		return false;
	def = clang_getCursorDefinition(clang_getCursorReferenced(x));
	if (clang_Cursor_isNull(def) || clang_equalCursors(def, fn->cur))
		return false;
	return kt_func_from_cursor(def, out);
}

bool kt_func_find_named(struct kt_tu *tu, const char *src_dir, const char *rel, const char *func,
			struct kt_func *out)
{
	struct kt_strbuf p;
	CXFile file;
	char *base = kt_func_base_name(func);
	struct kt_tu_index *ix = tu_index(tu);
	bool ok = false;

	memset(out, 0, sizeof(*out));
	kt_strbuf_init(&p);
	kt_strbuf_addf(&p, "%s/%s", src_dir, rel);
	file = clang_getFile(tu->tu, p.buf);
	kt_strbuf_fini(&p);
	for (size_t i = 0; file && i < ix->n && !ok; i++) {
		struct ix_entry *e = &ix->e[i];

		if (e->kind != CXCursor_FunctionDecl || !e->file ||
		    !clang_File_isEqual(e->file, file) || strcmp(e->name, base) != 0)
			continue;
		ok = kt_func_find(tu, src_dir, rel, e->l1 > e->l0 ? e->l0 + 1 : e->l0, base, out) &&
		     out->by_name;
	}
	free(base);
	return ok;
}
