// SPDX-License-Identifier: Apache-2.0
/*
 * Data flow through locals: a local pointer aliasing a member, a loaded
 * value followed through the local it is stored into, and the value a
 * store writes followed back through locals.
 */
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "locals.h"

/*
 * A local pointer that aliases a member: `u32 *h = po->rollover->history;`
 * (an array member, which decays to its first element) or
 * `unsigned long *p = &x->flags;`. For a use of such a local (`h[i]`, `*p`),
 * the member path of what it points into ("struct packet_rollover::history"),
 * and the initializer's text in *via; NULL when ref is not such a local.
 * A pointer member (`p = x->ptr`) names other memory and is not followed.
 */
char *kt_locals_alias(struct walk *w, CXCursor ref, char **via)
{
	CXCursor d, init = clang_getNullCursor(), root = clang_getNullCursor();
	unsigned so, eo;

	*via = NULL;
	ref = kt_cursor_strip(ref);
	if (clang_getCursorKind(ref) != CXCursor_DeclRefExpr)
		return NULL;
	d = clang_getCursorReferenced(ref);
	if (clang_getCursorKind(d) != CXCursor_VarDecl ||
	    clang_Cursor_hasVarDeclGlobalStorage(d) != 0)
		return NULL;
	init = kt_cursor_last(d);
	if (clang_Cursor_isNull(init) || !clang_isExpression(clang_getCursorKind(init)))
		return NULL;
	init = kt_cursor_strip(init);
	if (clang_getCursorKind(init) == CXCursor_MemberRefExpr) {
		CXType t = clang_getCanonicalType(clang_getCursorType(init));

		if (t.kind != CXType_ConstantArray)
			return NULL;
	} else if (clang_getCursorKind(init) == CXCursor_UnaryOperator) {
		char *op = kt_text_unop(&w->sf, init);
		bool addr = op && strcmp(op, "&") == 0;

		free(op);
		if (!addr)
			return NULL;
		init = kt_cursor_strip(kt_cursor_child0(init));
		if (clang_getCursorKind(init) != CXCursor_MemberRefExpr)
			return NULL;
	} else {
		return NULL;
	}
	*via = kt_text_extent(&w->sf, init, &so, &eo);
	return kt_member_path(init, &root);
}

struct local_scan {
	struct walk *w;
	CXCursor var;
	unsigned after;
	bool deref;
};

static enum CXChildVisitResult local_scan_visit(CXCursor c, CXCursor p, CXClientData d)
{
	struct local_scan *ls = d;
	enum CXCursorKind k = clang_getCursorKind(c);
	CXFile f = NULL;
	unsigned off = 0;

	(void)p;
	clang_getFileLocation(clang_getCursorLocation(c), &f, NULL, NULL, &off);
	if (!f || !clang_File_isEqual(f, ls->w->sf.file) || off <= ls->after)
		return CXChildVisit_Recurse;
	if ((k == CXCursor_MemberRefExpr || k == CXCursor_ArraySubscriptExpr) &&
	    kt_cursor_is_ref_to(kt_cursor_child0(c), ls->var) &&
	    kt_cursor_is_pointer(kt_cursor_strip(kt_cursor_child0(c)))) {
		ls->deref = true;
	} else if (k == CXCursor_UnaryOperator &&
		   kt_cursor_is_ref_to(kt_cursor_child0(c), ls->var)) {
		char *op = kt_text_unop(&ls->w->sf, c);

		if (op && strcmp(op, "*") == 0)
			ls->deref = true;
		free(op);
	}
	return ls->deref ? CXChildVisit_Break : CXChildVisit_Recurse;
}

/* The value is stored into a local: followed through it later in the
 * function (f = x->f; ... f->g), it is dereferenced. */
void kt_locals_use(struct walk *w, struct kt_access_info *c)
{
	struct local_scan ls = {0};

	ls.w = w;
	ls.var = c->local;
	ls.after = c->off;
	clang_visitChildren(w->fn, local_scan_visit, &ls);
	if (ls.deref)
		c->deref = true;
}

/* ---- the value a store writes ---- */

#define MAXHOPS 4 /* locals followed from the stored value */

struct local_find {
	struct walk *w;
	const char *name; /* by name: the last local of that name before `before` */
	CXCursor var;	  /* by declaration: its last `var = v` before `before` */
	unsigned before;
	CXCursor found;
	unsigned found_off;
};

static enum CXChildVisitResult local_find_visit(CXCursor c, CXCursor p, CXClientData d)
{
	struct local_find *lf = d;
	enum CXCursorKind k = clang_getCursorKind(c);
	CXFile f = NULL;
	unsigned off;

	(void)p;
	if (k != CXCursor_VarDecl && k != CXCursor_BinaryOperator)
		return CXChildVisit_Recurse;
	off = kt_cursor_off(clang_getCursorLocation(c), &f);
	if (!f || !clang_File_isEqual(f, lf->w->sf.file) || off >= lf->before ||
	    (!clang_Cursor_isNull(lf->found) && off < lf->found_off))
		return CXChildVisit_Recurse;
	if (lf->name && k == CXCursor_VarDecl && kt_cursor_is_local(c)) {
		char *nm = kt_cx_str(clang_getCursorSpelling(c));

		if (strcmp(nm, lf->name) == 0) {
			lf->found = c;
			lf->found_off = off;
		}
		free(nm);
	} else if (!lf->name && k == CXCursor_BinaryOperator &&
		   kt_cursor_is_ref_to(kt_cursor_child0(c), lf->var)) {
		char *op = kt_text_binop(&lf->w->sf, c);
		struct kt_two t = {0};

		t = kt_cursor_two(c);
		if (op && strcmp(op, "=") == 0 && t.n == 2) {
			lf->found = t.c[1];
			lf->found_off = off;
		}
		free(op);
	}
	return CXChildVisit_Recurse;
}

/* The value local var holds at offset before in fn: its last assignment
 * there, else its initializer; null when neither is known. */
static CXCursor local_value(struct walk *w, CXCursor fn, CXCursor var, unsigned before)
{
	struct local_find lf = {0};
	CXCursor init = clang_getNullCursor();

	lf.w = w;
	lf.var = var;
	lf.before = before;
	lf.found = clang_getNullCursor();
	clang_visitChildren(fn, local_find_visit, &lf);
	if (!clang_Cursor_isNull(lf.found))
		return lf.found;
	init = kt_cursor_last(var);
	if (clang_Cursor_isNull(init) || !clang_isExpression(clang_getCursorKind(init)))
		return clang_getNullCursor();
	return init;
}

/* Does the expression text name a clock source of the table (a member of
 * that name, after `.` or `->`, does not count)? */
static bool names_clock(const struct kt_tables *t, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n;) {
		size_t j = i, k = i;
		bool hit = false;

		if (!kt_text_ident_char(s[i]) || (s[i] >= '0' && s[i] <= '9')) {
			/* skip a number's letters (0x1fUL) with it */
			while (i < n && kt_text_ident_char(s[i]))
				i++;
			if (i < n && !kt_text_ident_char(s[i]))
				i++;
			continue;
		}
		while (j < n && kt_text_ident_char(s[j]))
			j++;
		while (k > 0 && s[k - 1] == ' ')
			k--;
		if (!(k > 0 &&
		      (s[k - 1] == '.' || (k > 1 && s[k - 1] == '>' && s[k - 2] == '-')))) {
			char *id = kt_xstrndup(s + i, j - i);

			hit = kt_tables_in(t->clocks, t->nclocks, id);
			free(id);
		}
		if (hit)
			return true;
		i = j;
	}
	return false;
}

/*
 * For a store, the value it writes as written: the right side of `=`, or the
 * value argument of a storing macro (WRITE_ONCE(x, v)). A local variable is
 * followed to its last assignment before the store, else its initializer
 * (`const unsigned long cur = jiffies; ... *var = cur;`: "jiffies"), up to
 * MAXHOPS locals. c->stored_clock: that expression names a clock source.
 */
void kt_locals_stored(struct walk *w, struct kt_access_info *c)
{
	CXCursor val = clang_getNullCursor();
	unsigned before = c->off;
	char *text = NULL;
	unsigned so, eo;

	if (clang_Cursor_isNull(c->fn))
		return;
	if (c->mark_write) {
		text = kt_text_macro_arg(&w->sf, c->mark_from);
		if (!text)
			return;
		if (kt_text_ident_char(text[0]) && !(text[0] >= '0' && text[0] <= '9')) {
			size_t l = 0;

			while (kt_text_ident_char(text[l]))
				l++;
			if (!text[l]) {
				struct local_find lf = {0};

				lf.w = w;
				lf.name = text;
				lf.before = before;
				lf.found = clang_getNullCursor();
				clang_visitChildren(c->fn, local_find_visit, &lf);
				if (!clang_Cursor_isNull(lf.found))
					val = local_value(w, c->fn, lf.found, before);
			}
		}
	} else if (!clang_Cursor_isNull(c->rhs)) {
		val = c->rhs;
	} else {
		return;
	}
	for (int hop = 0; hop < MAXHOPS && !clang_Cursor_isNull(val); hop++) {
		CXCursor s = kt_cursor_strip(val), d, nv;
		CXFile f = NULL;

		if (clang_getCursorKind(s) != CXCursor_DeclRefExpr)
			break;
		d = clang_getCursorReferenced(s);
		if (!kt_cursor_is_local(d))
			break;
		before = kt_cursor_off(clang_getCursorLocation(s), &f);
		nv = local_value(w, c->fn, d, before);
		if (clang_Cursor_isNull(nv))
			break;
		val = nv;
	}
	if (!clang_Cursor_isNull(val)) {
		char *vt = kt_text_extent(&w->sf, val, &so, &eo);

		if (vt[0]) {
			free(text);
			text = vt;
		} else {
			free(vt);
		}
	}
	if (!text || !text[0]) {
		free(text);
		return;
	}
	c->stored = text;
	c->stored_clock = names_clock(w->t, text);
}
