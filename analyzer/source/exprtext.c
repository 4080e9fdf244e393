// SPDX-License-Identifier: Apache-2.0
/* Expression text and constants, read from the file between cursors. */
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "exprtext.h"
#include "internal.h"
#include "kcsan/strbuf.h"

char *kt_text_extent(const struct kt_srcfile *sf, CXCursor c, unsigned *s_off, unsigned *e_off)
{
	CXSourceRange r = clang_getCursorExtent(c);
	CXFile f1, f2;
	unsigned a = kt_cursor_off(clang_getRangeStart(r), &f1);
	unsigned b = kt_cursor_off(clang_getRangeEnd(r), &f2);
	struct kt_strbuf sb;

	if (!f1 || !clang_File_isEqual(f1, sf->file) || !f2 || !clang_File_isEqual(f2, sf->file) ||
	    b < a || b > sf->csize) {
		*s_off = *e_off = 0;
		return kt_xstrdup("");
	}
	/* a macro's name alone: take the invocation up to its closing paren */
	if (b <= a + 1 || (b - a < 64 && memchr(sf->contents + a, '(', b - a) == NULL)) {
		size_t i = b;

		while (i < sf->csize && (sf->contents[i] == '_' ||
					 (sf->contents[i] >= 'a' && sf->contents[i] <= 'z') ||
					 (sf->contents[i] >= 'A' && sf->contents[i] <= 'Z') ||
					 (sf->contents[i] >= '0' && sf->contents[i] <= '9')))
			i++;
		if (i < sf->csize && sf->contents[i] == '(' && b == a) {
			int depth = 0;

			for (; i < sf->csize; i++) {
				if (sf->contents[i] == '(')
					depth++;
				else if (sf->contents[i] == ')' && --depth == 0) {
					i++;
					break;
				}
			}
			b = (unsigned)i;
		} else if (b == a) {
			b = (unsigned)i;
		}
	}
	/* a member that is a macro (sk_prot for __sk_common.skc_prot) ends the
	 * extent at the -> before it: take its name too */
	if (b >= a + 2 && ((sf->contents[b - 1] == '>' && sf->contents[b - 2] == '-') ||
			   sf->contents[b - 1] == '.'))
		while (b < sf->csize && (sf->contents[b] == '_' ||
					 (sf->contents[b] >= 'a' && sf->contents[b] <= 'z') ||
					 (sf->contents[b] >= 'A' && sf->contents[b] <= 'Z') ||
					 (sf->contents[b] >= '0' && sf->contents[b] <= '9')))
			b++;
	*s_off = a;
	*e_off = b;
	kt_strbuf_init(&sb);
	for (unsigned i = a; i < b; i++) {
		char ch = sf->contents[i];

		if (ch == '\n' || ch == '\t')
			ch = ' ';
		if (ch == ' ' && sb.len && sb.buf[sb.len - 1] == ' ')
			continue;
		kt_strbuf_addc(&sb, ch);
	}
	return sb.len ? kt_strbuf_detach(&sb) : (kt_strbuf_fini(&sb), kt_xstrdup(""));
}

/*
 * The operator of a binary expression read from the file between its
 * operands, where both are written in the file (also inside a macro's
 * argument: WARN_ON(x & MASK)); NULL when that text is not an operator
 * (the operator is written inside a macro's body).
 */
static char *binop_text(const struct kt_srcfile *sf, CXCursor op)
{
	struct kt_two t = {0};
	CXFile f1 = NULL, f2 = NULL;
	unsigned a, b;
	char buf[4];
	size_t n = 0;

	t = kt_cursor_two(op);
	if (t.n < 2 || !sf->contents)
		return NULL;
	a = kt_cursor_off(clang_getRangeEnd(clang_getCursorExtent(t.c[0])), &f1);
	b = kt_cursor_off(clang_getRangeStart(clang_getCursorExtent(t.c[1])), &f2);
	if (!f1 || !f2 || !clang_File_isEqual(f1, sf->file) || !clang_File_isEqual(f2, sf->file) ||
	    b <= a || b - a > 16 || b > sf->csize)
		return NULL;
	for (unsigned i = a; i < b; i++) {
		char ch = sf->contents[i];

		if (ch == ' ' || ch == '\t' || ch == '\n')
			continue;
		if (!strchr("=!<>&|^+-*/%", ch) || n == sizeof(buf) - 1)
			return NULL;
		buf[n++] = ch;
	}
	if (!n)
		return NULL;
	buf[n] = 0;
	return kt_xstrdup(buf);
}

char *kt_text_binop(const struct kt_srcfile *sf, CXCursor op)
{
	char *text = binop_text(sf, op);
	CXCursor lhs = kt_cursor_child0(op);
	CXSourceRange r = clang_getCursorExtent(lhs);
	CXToken *toks = NULL;
	unsigned n = 0;
	char *res = NULL;
	CXSourceRange all = clang_getCursorExtent(op);
	CXSourceLocation lend = clang_getRangeEnd(r);
	unsigned lend_off, toff;
	CXFile f;

	if (text)
		return text;
	clang_tokenize(sf->tu, all, &toks, &n);
	clang_getExpansionLocation(lend, &f, NULL, NULL, &lend_off);
	for (unsigned i = 0; i < n; i++) {
		CXFile tf;

		clang_getExpansionLocation(clang_getTokenLocation(sf->tu, toks[i]), &tf, NULL, NULL,
					   &toff);
		if (toff >= lend_off && clang_getTokenKind(toks[i]) == CXToken_Punctuation) {
			res = kt_cx_str(clang_getTokenSpelling(sf->tu, toks[i]));
			if (strcmp(res, ")") == 0 || strcmp(res, "]") == 0) {
				free(res);
				res = NULL;
				continue;
			}
			break;
		}
	}
	clang_disposeTokens(sf->tu, toks, n);
	return res;
}

/* Prefix or postfix operator of a unary operator. */
char *kt_text_unop(const struct kt_srcfile *sf, CXCursor op)
{
	CXToken *toks = NULL;
	unsigned n = 0;
	char *res = NULL;

	clang_tokenize(sf->tu, clang_getCursorExtent(op), &toks, &n);
	if (n) {
		char *first = kt_cx_str(clang_getTokenSpelling(sf->tu, toks[0]));
		char *last = kt_cx_str(clang_getTokenSpelling(sf->tu, toks[n - 1]));

		if (clang_getTokenKind(toks[0]) == CXToken_Punctuation) {
			res = first;
			free(last);
		} else if (clang_getTokenKind(toks[n - 1]) == CXToken_Punctuation &&
			   (strcmp(last, "++") == 0 || strcmp(last, "--") == 0)) {
			res = last;
			free(first);
		} else {
			free(first);
			free(last);
		}
	}
	clang_disposeTokens(sf->tu, toks, n);
	return res;
}

/*
 * Is binary operator op one that only compares or truth-tests its operands
 * (== != && ||)? Read from the file between the two operands' extents,
 * which also works when the operator is written in a macro's argument
 * (WARN_ON_ONCE(a == b)); an operator written inside a macro's body is not
 * seen (false).
 */
bool kt_text_compare_op(const struct kt_srcfile *sf, CXCursor op)
{
	char *s = binop_text(sf, op);
	bool r = s && (strcmp(s, "==") == 0 || strcmp(s, "!=") == 0 || strcmp(s, "&&") == 0 ||
		       strcmp(s, "||") == 0);

	free(s);
	return r;
}

/* Refuses what is not a compile-time constant: a reference to anything
 * but an enumerator (a variable, even const), a call. */
static enum CXChildVisitResult const_visit(CXCursor c, CXCursor p, CXClientData d)
{
	enum CXCursorKind k = clang_getCursorKind(c);

	(void)p;
	if ((k == CXCursor_DeclRefExpr &&
	     clang_getCursorKind(clang_getCursorReferenced(c)) != CXCursor_EnumConstantDecl) ||
	    k == CXCursor_CallExpr || k == CXCursor_StmtExpr) {
		*(bool *)d = false;
		return CXChildVisit_Break;
	}
	return CXChildVisit_Recurse;
}

/*
 * The value of expression e when it is a compile-time integer constant
 * (literals, enumerators, macros expanding to them, operators on those),
 * as libclang evaluates it; false otherwise.
 */
bool kt_text_const_int(CXCursor e, unsigned long long *out)
{
	bool ok = clang_isExpression(clang_getCursorKind(e));
	CXEvalResult r;

	if (ok && clang_getCursorKind(e) == CXCursor_DeclRefExpr)
		ok = clang_getCursorKind(clang_getCursorReferenced(e)) == CXCursor_EnumConstantDecl;
	if (ok)
		clang_visitChildren(e, const_visit, &ok);
	if (!ok)
		return false;
	r = clang_Cursor_Evaluate(e);
	if (!r)
		return false;
	ok = clang_EvalResult_getKind(r) == CXEval_Int;
	if (ok)
		*out = clang_EvalResult_isUnsignedInt(r)
			   ? clang_EvalResult_getAsUnsigned(r)
			   : (unsigned long long)clang_EvalResult_getAsLongLong(r);
	clang_EvalResult_dispose(r);
	return ok;
}

/* Keep the bits of m that fall inside an access of `bytes` bytes. */
unsigned long long kt_text_in_word(unsigned long long m, long long bytes)
{
	return bytes > 0 && bytes < 8 ? m & ((1ULL << (bytes * 8)) - 1) : m;
}

#define MAXARGTEXT 4096 /* bytes read for a marking macro's value argument */

bool kt_text_ident_char(char ch)
{
	return ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9');
}

/* Text with runs of white space made one blank, trimmed; NULL when empty. */
static char *squeeze(const char *s, size_t n)
{
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (ch == '\n' || ch == '\t' || ch == '\r')
			ch = ' ';
		if (ch == ' ' && (!sb.len || sb.buf[sb.len - 1] == ' '))
			continue;
		kt_strbuf_addc(&sb, ch);
	}
	while (sb.len && sb.buf[sb.len - 1] == ' ')
		sb.buf[--sb.len] = 0;
	if (!sb.len) {
		kt_strbuf_fini(&sb);
		return NULL;
	}
	return kt_strbuf_detach(&sb);
}

/*
 * The second argument of the storing macro whose name starts at offset
 * from (`WRITE_ONCE(x->f, cur)`: "cur"), read from the file as written;
 * NULL when there is none within MAXARGTEXT bytes.
 */
char *kt_text_macro_arg(const struct kt_srcfile *sf, unsigned from)
{
	size_t i = from, lim = from + MAXARGTEXT, comma = 0;
	int depth = 0;

	if (!sf->contents || from >= sf->csize)
		return NULL;
	if (lim > sf->csize)
		lim = sf->csize;
	while (i < lim && sf->contents[i] != '(')
		i++;
	for (; i < lim; i++) {
		char ch = sf->contents[i];

		if (ch == '"' || ch == '\'') { /* a literal: skip to its end */
			for (i++; i < lim && sf->contents[i] != ch; i++)
				if (sf->contents[i] == '\\')
					i++;
			continue;
		}
		if (ch == '(' || ch == '[' || ch == '{')
			depth++;
		else if (ch == ')' || ch == ']' || ch == '}') {
			if (--depth == 0)
				break;
		} else if (ch == ',' && depth == 1 && !comma)
			comma = i;
	}
	if (i >= lim || !comma)
		return NULL;
	return squeeze(sf->contents + comma + 1, i - comma - 1);
}

/* Two texts of one expression, whitespace aside. */
bool kt_text_same(const char *a, const char *b)
{
	for (;;) {
		while (*a == ' ')
			a++;
		while (*b == ' ')
			b++;
		if (*a != *b)
			return false;
		if (!*a)
			return true;
		a++;
		b++;
	}
}

/* Is c's extent inside [from, to] of the walk's file? */
bool kt_text_within(const struct kt_srcfile *sf, CXCursor c, unsigned from, unsigned to)
{
	CXSourceRange r = clang_getCursorExtent(c);
	CXFile f1 = NULL, f2 = NULL;
	unsigned a = kt_cursor_off(clang_getRangeStart(r), &f1);
	unsigned b = kt_cursor_off(clang_getRangeEnd(r), &f2);

	return f1 && f2 && clang_File_isEqual(f1, sf->file) && clang_File_isEqual(f2, sf->file) &&
	       a >= from && b <= to + 1;
}
