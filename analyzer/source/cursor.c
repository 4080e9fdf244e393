// SPDX-License-Identifier: Apache-2.0
/* Cursor helpers: looking through casts, children, member paths, parameters. */
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "func.h"
#include "internal.h"
#include "kcsan/strbuf.h"

unsigned kt_cursor_off(CXSourceLocation l, CXFile *f)
{
	unsigned off = 0;

	clang_getFileLocation(l, f, NULL, NULL, &off);
	return off;
}

bool kt_cursor_transparent(CXCursor c)
{
	enum CXCursorKind k = clang_getCursorKind(c);

	return k == CXCursor_UnexposedExpr || k == CXCursor_ParenExpr ||
	       k == CXCursor_CStyleCastExpr;
}

/* The first non-cast child of c. */
static enum CXChildVisitResult first_child(CXCursor c, CXCursor p, CXClientData d)
{
	*(CXCursor *)d = c;
	return CXChildVisit_Break;
}

CXCursor kt_cursor_strip(CXCursor c)
{
	for (int i = 0; i < 64 && kt_cursor_transparent(c); i++) {
		CXCursor ch = clang_getNullCursor();

		clang_visitChildren(c, first_child, &ch);
		if (clang_Cursor_isNull(ch))
			break;
		c = ch;
	}
	return c;
}

CXCursor kt_cursor_child0(CXCursor c)
{
	CXCursor ch = clang_getNullCursor();

	clang_visitChildren(c, first_child, &ch);
	return ch;
}

/* The record a field belongs to, skipping anonymous structs and unions. */
CXCursor kt_cursor_record(CXCursor field)
{
	CXCursor r = clang_getCursorSemanticParent(field);

	for (int i = 0; i < 16 && clang_Cursor_isAnonymousRecordDecl(r); i++)
		r = clang_getCursorSemanticParent(r);
	return r;
}

static char *record_name(CXCursor rec)
{
	CXType t = clang_getCursorType(rec);
	char *s = kt_type_name(t);

	return s;
}

bool kt_cursor_is_pointer(CXCursor e)
{
	CXType t = clang_getCanonicalType(clang_getCursorType(e));

	return t.kind == CXType_Pointer;
}

/* Member path: "struct inode::i_atime.tv_sec" for inode->i_atime.tv_sec.
 * root: what the chain starts from (the expression before the first ->). */
char *kt_member_path(CXCursor m, CXCursor *root)
{
	CXCursor ref = clang_getCursorReferenced(m);
	CXCursor base = kt_cursor_strip(kt_cursor_child0(m));
	char *fname = kt_cx_str(clang_getCursorSpelling(ref));
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	if (!clang_Cursor_isNull(base) && clang_getCursorKind(base) == CXCursor_MemberRefExpr &&
	    !kt_cursor_is_pointer(base)) {
		char *p = kt_member_path(base, root);

		kt_strbuf_addf(&sb, "%s.%s", p, fname);
		free(p);
	} else if (!clang_Cursor_isNull(base) &&
		   clang_getCursorKind(base) == CXCursor_ArraySubscriptExpr &&
		   clang_getCursorKind(kt_cursor_strip(kt_cursor_child0(base))) ==
		       CXCursor_MemberRefExpr &&
		   !kt_cursor_is_pointer(kt_cursor_strip(kt_cursor_child0(base)))) {
		char *p = kt_member_path(kt_cursor_strip(kt_cursor_child0(base)), root);

		kt_strbuf_addf(&sb, "%s[].%s", p, fname);
		free(p);
	} else {
		char *rn = record_name(kt_cursor_record(ref));

		kt_strbuf_addf(&sb, "%s::%s", rn, fname);
		free(rn);
		*root = base;
	}
	free(fname);
	return kt_strbuf_detach(&sb);
}

/* The last child of c (a variable's initializer follows its type). */
static enum CXChildVisitResult last_child(CXCursor c, CXCursor p, CXClientData d)
{
	(void)p;
	*(CXCursor *)d = c;
	return CXChildVisit_Continue;
}

static enum CXChildVisitResult two_children(CXCursor c, CXCursor p, CXClientData d)
{
	struct kt_two *t = d;

	(void)p;
	t->c[t->n++] = c;
	return t->n < 2 ? CXChildVisit_Continue : CXChildVisit_Break;
}

static enum CXChildVisitResult count_children(CXCursor c, CXCursor p, CXClientData d)
{
	(void)c;
	(void)p;
	(*(unsigned *)d)++;
	return CXChildVisit_Continue;
}

bool kt_cursor_is_ref_to(CXCursor e, CXCursor var)
{
	e = kt_cursor_strip(e);
	return clang_getCursorKind(e) == CXCursor_DeclRefExpr &&
	       clang_equalCursors(clang_getCursorReferenced(e), var);
}

bool kt_cursor_is_local(CXCursor d)
{
	return clang_getCursorKind(d) == CXCursor_VarDecl &&
	       clang_Cursor_hasVarDeclGlobalStorage(d) == 0;
}

int kt_cursor_param_index(CXCursor fn, CXCursor decl)
{
	int n = clang_Cursor_getNumArguments(fn);

	for (int i = 0; i < n; i++)
		if (clang_equalCursors(clang_Cursor_getArgument(fn, i), decl))
			return i;
	return -1;
}

/* Field declared __data_racy: look at its declaration's tokens. */
bool kt_cursor_data_racy(CXTranslationUnit tu, CXCursor field)
{
	CXToken *toks = NULL;
	unsigned n = 0;
	bool r = false;

	clang_tokenize(tu, clang_getCursorExtent(field), &toks, &n);
	for (unsigned i = 0; i < n && !r; i++) {
		char *s = kt_cx_str(clang_getTokenSpelling(tu, toks[i]));

		r = strcmp(s, "__data_racy") == 0;
		free(s);
	}
	clang_disposeTokens(tu, toks, n);
	return r;
}

struct kt_two kt_cursor_two(CXCursor c)
{
	struct kt_two t = {0};

	clang_visitChildren(c, two_children, &t);
	return t;
}

unsigned kt_cursor_count(CXCursor c)
{
	unsigned n = 0;

	clang_visitChildren(c, count_children, &n);
	return n;
}

CXCursor kt_cursor_last(CXCursor c)
{
	CXCursor last = clang_getNullCursor();

	clang_visitChildren(c, last_child, &last);
	return last;
}
