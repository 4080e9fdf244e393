// SPDX-License-Identifier: Apache-2.0
/*
 * Candidate collection: the member, global, array and *p accesses written
 * on a line (or in a body) from libclang's AST, those of the functions
 * called there when the line has none, and member chains from the tokens
 * when there is no AST.
 */
#include <stdlib.h>
#include <string.h>

#include "callees.h"
#include "collect.h"
#include "cursor.h"
#include "locals.h"
#include "marking.h"
#include "role.h"

/* c's text gains "(via INIT)": the local it goes through was set to INIT. */
static void add_via(struct kt_access_info *c, const char *via)
{
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	kt_strbuf_addf(&sb, "%s (via %s)", c->text, via);
	free(c->text);
	c->text = kt_strbuf_detach(&sb);
}

/* "NAME[]" */
static char *element_of(const char *name)
{
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	kt_strbuf_addf(&sb, "%s[]", name);
	return kt_strbuf_detach(&sb);
}

/* x->f.g: its member path, its first-level member's struct and offset
 * (for members sharing storage), and the parameter it goes through. */
static void member_object(struct walk *w, CXCursor n, struct kt_access_info *c)
{
	CXCursor ref = clang_getCursorReferenced(n), root = clang_getNullCursor();

	c->field = kt_member_path(n, &root);
	c->rec_off = -1;
	if (!strchr(c->field, '.') && strstr(c->field, "::")) {
		CXCursor rec = kt_cursor_record(ref);
		char *fname = kt_cx_str(clang_getCursorSpelling(ref));
		long long o = clang_Type_getOffsetOf(clang_getCursorType(rec), fname);

		if (o >= 0) {
			c->rec = kt_xstrndup(c->field, (size_t)(strstr(c->field, "::") - c->field));
			c->rec_off = o / 8;
		}
		free(fname);
	}
	c->data_racy = kt_cursor_data_racy(w->sf.tu, ref);
	c->bitfield = clang_Cursor_isBitField(ref) != 0;
	root = kt_cursor_strip(root);
	if (!clang_Cursor_isNull(root) && clang_getCursorKind(root) == CXCursor_DeclRefExpr) {
		CXCursor d = clang_getCursorReferenced(root);

		if (clang_getCursorKind(d) == CXCursor_ParmDecl) {
			const char *p = strstr(c->field, "::");

			c->param_index = kt_cursor_param_index(w->fn, d);
			c->param_suffix = kt_xstrdup(p ? p + 2 : c->field);
		}
	}
}

static void global_object(struct walk *w, CXCursor n, struct kt_access_info *c)
{
	(void)w;
	c->field = kt_cx_str(clang_getCursorSpelling(clang_getCursorReferenced(n)));
}

/* a[i]: an element of the member or global a, or of what a local
 * pointer a was set to point into. */
static void array_object(struct walk *w, CXCursor n, struct kt_access_info *c)
{
	CXCursor base = kt_cursor_strip(kt_cursor_child0(n)), root = clang_getNullCursor();
	char *via = NULL, *alias = kt_locals_alias(w, base, &via);

	if (alias) {
		c->field = element_of(alias);
		add_via(c, via);
		free(alias);
		free(via);
	} else if (clang_getCursorKind(base) == CXCursor_MemberRefExpr) {
		char *p = kt_member_path(base, &root);

		c->field = element_of(p);
		free(p);
	} else if (clang_getCursorKind(base) == CXCursor_DeclRefExpr &&
		   clang_Cursor_hasVarDeclGlobalStorage(clang_getCursorReferenced(base)) == 1) {
		char *g = kt_cx_str(clang_getCursorSpelling(clang_getCursorReferenced(base)));

		c->field = element_of(g);
		free(g);
	}
}

/* *p: what a local pointer p was set to point into, or the one object a
 * parameter p points to within the function. */
static void deref_object(struct walk *w, CXCursor n, struct kt_access_info *c)
{
	char *via = NULL, *alias = kt_locals_alias(w, kt_cursor_child0(n), &via);
	CXCursor base, d;

	if (alias) {
		c->field = alias;
		add_via(c, via);
		free(via);
		return;
	}
	base = kt_cursor_strip(kt_cursor_child0(n));
	d = clang_getCursorReferenced(base);
	if (clang_getCursorKind(base) == CXCursor_DeclRefExpr &&
	    clang_getCursorKind(d) == CXCursor_ParmDecl && kt_cursor_param_index(w->fn, d) >= 0) {
		char *pn = kt_cx_str(clang_getCursorSpelling(d));
		char *fnm = kt_cx_str(clang_getCursorSpelling(w->fn));
		struct kt_strbuf sb;

		kt_strbuf_init(&sb);
		kt_strbuf_addf(&sb, "*%s (parameter of %s)", pn, fnm);
		c->deref_key = kt_strbuf_detach(&sb);
		free(pn);
		free(fnm);
	}
}

/* What an access of each kind names (the field, or the parameter key). */
static void (*const object_of[])(struct walk *w, CXCursor n, struct kt_access_info *c) = {
    [KT_AK_MEMBER] = member_object,
    [KT_AK_GLOBAL] = global_object,
    [KT_AK_ARRAY] = array_object,
    [KT_AK_DEREF] = deref_object,
};

static void push_cand(struct walk *w, const struct kt_access_info *c)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 16;
		w->c = kt_xrealloc(w->c, w->cap * sizeof(*w->c));
	}
	w->c[w->n++] = *c;
}

/* The access n of the given kind at offset off: its text, type and size,
 * the object it names, what the program does with it. */
static void add_cand(struct walk *w, CXCursor n, enum kt_access_kind kind, unsigned off)
{
	struct kt_access_info c = {0};
	CXType ct = clang_getCanonicalType(clang_getCursorType(n));

	for (size_t i = 0; i < w->n; i++)
		if (w->c[i].off == off && w->c[i].kind == kind)
			return; /* typeof() and the like repeat an expression */
	c.text = kt_text_extent(&w->sf, n, &c.s_off, &c.e_off);
	if (w->only && !kt_text_same(c.text, w->only)) {
		free(c.text);
		return;
	}
	c.raw = kt_xstrdup(c.text);
	c.ast = true;
	c.fn = w->fn;
	c.kind = kind;
	c.off = off;
	c.param_index = -1;
	c.size = clang_Type_getSizeOf(clang_getCursorType(n));
	c.word = ct.kind == CXType_ConstantArray
		     ? clang_Type_getSizeOf(clang_getArrayElementType(ct))
		     : c.size;
	c.type = kt_type_name(clang_getCursorType(n));
	object_of[kind](w, n, &c);
	c.local = clang_getNullCursor();
	c.rhs = clang_getNullCursor();
	kt_role_of(w, w->depth, &c);
	kt_marking_scan(w, &c);
	if (c.mark_value)
		kt_role_macro_value(w, &c);
	if (!clang_Cursor_isNull(c.local) && !c.write)
		kt_locals_use(w, &c);
	if (c.write && !c.rmw && !c.mark_rmw)
		kt_locals_stored(w, &c);
	push_cand(w, &c);
}

static void consider(struct walk *w, CXCursor n)
{
	enum CXCursorKind k = clang_getCursorKind(n);
	CXFile f = NULL;
	unsigned off;

	if (k != CXCursor_MemberRefExpr && k != CXCursor_DeclRefExpr &&
	    k != CXCursor_ArraySubscriptExpr && k != CXCursor_UnaryOperator)
		return;
	off = kt_cursor_off(clang_getCursorLocation(n), &f);
	if (!f || !clang_File_isEqual(f, w->sf.file) || off < w->ls || off >= w->le)
		return;
	/* sizeof/_Alignof operands are not evaluated (WRITE_ONCE's type check
	 * names its argument in sizeof() before the store does) */
	for (int i = w->depth - 1; i > 0; i--)
		if (clang_getCursorKind(w->stack[i]) == CXCursor_UnaryExpr)
			return;
	if (k == CXCursor_MemberRefExpr) {
		/* a '.' link inside a longer chain is not an access of its own */
		int i = w->depth - 1;

		while (i > 0 && kt_cursor_transparent(w->stack[i]))
			i--;
		if (i > 0 && clang_getCursorKind(w->stack[i]) == CXCursor_MemberRefExpr &&
		    w->idx[i + 1] == 0 && !kt_cursor_is_pointer(n))
			return;
		if (i > 0 && clang_getCursorKind(w->stack[i]) == CXCursor_ArraySubscriptExpr &&
		    w->idx[i + 1] == 0 && !kt_cursor_is_pointer(n))
			return;
		add_cand(w, n, KT_AK_MEMBER, off);
	} else if (k == CXCursor_DeclRefExpr) {
		CXCursor d = clang_getCursorReferenced(n);

		if (clang_getCursorKind(d) != CXCursor_VarDecl ||
		    clang_Cursor_hasVarDeclGlobalStorage(d) != 1)
			return;
		add_cand(w, n, KT_AK_GLOBAL, off);
	} else if (k == CXCursor_ArraySubscriptExpr) {
		add_cand(w, n, KT_AK_ARRAY, off);
	} else {
		char *op = kt_text_unop(&w->sf, n);

		if (op && strcmp(op, "*") == 0)
			add_cand(w, n, KT_AK_DEREF, off);
		free(op);
	}
}

enum CXChildVisitResult kt_collect_visit(CXCursor c, CXCursor parent, CXClientData data)
{
	struct walk *w = data;
	CXFile f = NULL, f2 = NULL;
	CXSourceRange r = clang_getCursorExtent(c);
	unsigned a = kt_cursor_off(clang_getRangeStart(r), &f);
	unsigned b = kt_cursor_off(clang_getRangeEnd(r), &f2);
	unsigned my = w->count[w->depth]++;

	/* prune subtrees that cannot reach the line */
	if (f && f2 && clang_File_isEqual(f, w->sf.file) && clang_File_isEqual(f2, w->sf.file) &&
	    (b < w->ls || a >= w->le) && a <= b)
		return CXChildVisit_Continue;
	if (w->depth + 1 >= KT_WALK_MAXDEPTH - 1)
		return CXChildVisit_Continue;
	w->depth++;
	w->stack[w->depth] = c;
	w->idx[w->depth] = my;
	w->count[w->depth] = 0;
	consider(w, c);
	clang_visitChildren(c, kt_collect_visit, w);
	w->depth--;
	return CXChildVisit_Continue;
}

bool kt_walk_open(struct walk *w, CXTranslationUnit tu, CXFile file, CXCursor fn,
		  const struct kt_tables *t)
{
	memset(w, 0, sizeof(*w));
	w->sf.tu = tu;
	w->sf.file = file;
	w->t = t;
	w->fn = fn;
	w->stack[0] = fn;
	w->sf.contents = clang_getFileContents(tu, file, &w->sf.csize);
	return w->sf.contents != NULL;
}

void kt_walk_range(struct walk *w, unsigned from, unsigned to)
{
	w->ls = from;
	w->le = to;
	kt_toks_range(w->sf.tu, w->sf.file, from, to, &w->toks);
}

void kt_walk_collect(struct walk *w)
{
	clang_visitChildren(w->fn, kt_collect_visit, w);
}

void kt_walk_close(struct walk *w)
{
	for (size_t i = 0; i < w->n; i++)
		kt_access_info_fini(&w->c[i]);
	free(w->c);
	w->c = NULL;
	w->n = w->cap = 0;
	kt_toks_free(&w->toks);
}

/*
 * Nothing on the line: the access may be inside a function inlined there
 * without an inline frame of its own (the symbolizer attributed it to the
 * call). Collect the candidates of the called functions' bodies instead.
 */
void kt_collect_inline_callees(struct walk *w, struct kt_access_info *out)
{
	struct kt_calls cs = {0};
	CXFile save_file = w->sf.file;
	unsigned save_ls = w->ls, save_le = w->le;
	CXCursor save_fn = w->fn;
	const char *save_contents = w->sf.contents;
	size_t save_csize = w->sf.csize;
	struct kt_toks save_toks = w->toks;

	kt_callees_collect(w->fn, w->sf.file, w->ls, w->le, KT_CALLS_LINE, &cs);
	for (int i = 0; i < cs.n; i++) {
		CXSourceRange r = clang_getCursorExtent(cs.def[i]);
		CXFile f = NULL, f2 = NULL;
		unsigned a = kt_cursor_off(clang_getRangeStart(r), &f),
			 b = kt_cursor_off(clang_getRangeEnd(r), &f2);
		size_t before = w->n;

		if (!f || !f2 || !clang_File_isEqual(f, f2))
			continue;
		w->sf.file = f;
		w->fn = cs.def[i];
		w->ls = a;
		w->le = b;
		w->sf.contents = clang_getFileContents(w->sf.tu, f, &w->sf.csize);
		kt_toks_range(w->sf.tu, f, a, b, &w->toks);
		w->depth = 0;
		w->stack[0] = cs.def[i];
		w->count[0] = 0;
		clang_visitChildren(cs.def[i], kt_collect_visit, w);
		kt_toks_free(&w->toks);
		if (w->n > before && !out->note) {
			char *nm = kt_cx_str(clang_getCursorSpelling(cs.def[i]));
			struct kt_strbuf sb;

			kt_strbuf_init(&sb);
			kt_strbuf_addf(&sb,
				       "no access on the line itself: chose among the accesses of "
				       "%s, inlined there without a frame of its own",
				       nm);
			out->note = kt_strbuf_detach(&sb);
			free(nm);
		}
	}
	w->sf.file = save_file;
	w->fn = save_fn;
	w->ls = save_ls;
	w->le = save_le;
	w->sf.contents = save_contents;
	w->sf.csize = save_csize;
	w->toks = save_toks;
}

/*
 * The token fallback: without an AST for the line (the TU did not parse, or
 * the function was found in the tokens only), member chains written on the
 * line are the candidates: BASE (-> NAME | . NAME | [ ... ])+, typed by the
 * function's own "struct X *BASE" declarations when they are there.
 */
void kt_collect_tokens(struct walk *w, unsigned fn_from, unsigned fn_to)
{
	struct kt_toks fn_tk;
	struct kt_toks *tk = &w->toks;

	kt_toks_range(w->sf.tu, w->sf.file, fn_from, fn_to, &fn_tk);
	for (size_t i = 0; i < tk->n; i++) {
		size_t j = i + 1, last_name = i;
		int links = 0;
		struct kt_access_info c = {0};
		struct kt_strbuf path, text;
		char *st;

		if (tk->t[i].kind != CXToken_Identifier ||
		    (i > 0 && (kt_tok_is(tk, i - 1, "->") || kt_tok_is(tk, i - 1, "."))))
			continue;
		kt_strbuf_init(&path);
		while (j + 1 < tk->n) {
			if ((kt_tok_is(tk, j, "->") || kt_tok_is(tk, j, ".")) &&
			    tk->t[j + 1].kind == CXToken_Identifier) {
				if (links)
					kt_strbuf_addc(&path, '.');
				kt_strbuf_adds(&path, tk->t[j + 1].text);
				last_name = j + 1;
				links++;
				j += 2;
			} else if (kt_tok_is(tk, j, "[") && links) {
				/* (an index going on past the line ends the chain) */
				j = kt_toks_close(tk, j);
				kt_strbuf_adds(&path, "[]");
				if (j < tk->n)
					j++;
			} else {
				break;
			}
		}
		if (!links) {
			kt_strbuf_fini(&path);
			continue;
		}
		c.kind = KT_AK_MEMBER;
		c.off = tk->t[last_name].off;
		c.param_index = -1;
		c.size = -1;
		c.rec_off = -1;
		st = kt_toks_decl_struct(&fn_tk, tk->t[i].text);
		kt_strbuf_init(&text);
		kt_strbuf_addf(&text, "%s::%s", st ? st : "?", path.buf);
		c.field = kt_strbuf_detach(&text);
		free(st);
		kt_strbuf_init(&text);
		for (size_t k = i; k < j; k++)
			kt_strbuf_adds(&text, tk->t[k].text);
		c.text = kt_strbuf_detach(&text);
		kt_strbuf_fini(&path);
		/* role from the neighbouring tokens */
		if (kt_tok_is(tk, j, "=") || kt_tok_is(tk, j, "++") || kt_tok_is(tk, j, "--") ||
		    kt_tok_is(tk, i - 1, "++") || kt_tok_is(tk, i - 1, "--"))
			c.write = true;
		if (!kt_tok_is(tk, j, "=") && j < tk->n && tk->t[j].kind == CXToken_Punctuation &&
		    strlen(tk->t[j].text) >= 2 && tk->t[j].text[strlen(tk->t[j].text) - 1] == '=' &&
		    strcmp(tk->t[j].text, "==") && strcmp(tk->t[j].text, "!=") &&
		    strcmp(tk->t[j].text, "<=") && strcmp(tk->t[j].text, ">="))
			c.write = c.rmw = true;
		if (kt_tok_is(tk, j, "++") || kt_tok_is(tk, j, "--") ||
		    kt_tok_is(tk, i - 1, "++") || kt_tok_is(tk, i - 1, "--"))
			c.rmw = true;
		if (kt_tok_is(tk, j, "&") || kt_tok_is(tk, i - 1, "&") || kt_tok_is(tk, j, "->"))
			c.bittest = kt_tok_is(tk, j, "&");
		if (kt_tok_is(tk, i - 1, "&") && !kt_tok_is(tk, i - 2, ")") &&
		    (i < 2 || tk->t[i - 2].kind != CXToken_Identifier))
			c.addr = true;
		for (size_t k = 0; k + 1 < i; k++)
			if ((kt_tok_is(tk, k, "if") || kt_tok_is(tk, k, "while")) &&
			    kt_tok_is(tk, k + 1, "("))
				c.branch = true;
		kt_marking_scan(w, &c);
		push_cand(w, &c);
		i = j - 1;
	}
	kt_toks_free(&fn_tk);
}
