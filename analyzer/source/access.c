// SPDX-License-Identifier: Apache-2.0
/*
 * The access site: the memory accesses written on the report's line inside
 * the frame's function, read from libclang's AST (types, fields, roles) and
 * from the tokens as written (marking macros, calls the value is passed to).
 * With several candidates the report's direction and size decide, then the
 * other side's field.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "internal.h"
#include "tokens.h"

#define MAXDEPTH 512

struct walk {
	CXTranslationUnit tu;
	CXFile file;
	const char *contents;
	size_t csize;
	unsigned ls, le; /* the line's offsets */
	CXCursor fn;
	CXCursor stack[MAXDEPTH];
	unsigned idx[MAXDEPTH];	  /* child index of stack[i] in stack[i-1] */
	unsigned count[MAXDEPTH]; /* children of stack[i] seen so far */
	int depth;
	struct kt_access_info *c;
	size_t n, cap;
	const struct kt_tables *t;
	struct kt_toks toks; /* tokens of the line(s) */
	const char *only;    /* collect only accesses written as this text */
};

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

static unsigned file_off(CXSourceLocation l, CXFile *f)
{
	unsigned off = 0;

	clang_getFileLocation(l, f, NULL, NULL, &off);
	return off;
}

static bool transparent(CXCursor c)
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

static CXCursor strip(CXCursor c)
{
	for (int i = 0; i < 64 && transparent(c); i++) {
		CXCursor ch = clang_getNullCursor();

		clang_visitChildren(c, first_child, &ch);
		if (clang_Cursor_isNull(ch))
			break;
		c = ch;
	}
	return c;
}

static CXCursor child0(CXCursor c)
{
	CXCursor ch = clang_getNullCursor();

	clang_visitChildren(c, first_child, &ch);
	return ch;
}

/* The record a field belongs to, skipping anonymous structs and unions. */
static CXCursor named_record(CXCursor field)
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

static bool is_pointer(CXCursor e)
{
	CXType t = clang_getCanonicalType(clang_getCursorType(e));

	return t.kind == CXType_Pointer;
}

/* Member path: "struct inode::i_atime.tv_sec" for inode->i_atime.tv_sec.
 * root: what the chain starts from (the expression before the first ->). */
char *kt_member_path(CXCursor m, CXCursor *root)
{
	CXCursor ref = clang_getCursorReferenced(m);
	CXCursor base = strip(child0(m));
	char *fname = kt_cx_str(clang_getCursorSpelling(ref));
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	if (!clang_Cursor_isNull(base) && clang_getCursorKind(base) == CXCursor_MemberRefExpr &&
	    !is_pointer(base)) {
		char *p = kt_member_path(base, root);

		kt_strbuf_addf(&sb, "%s.%s", p, fname);
		free(p);
	} else if (!clang_Cursor_isNull(base) &&
		   clang_getCursorKind(base) == CXCursor_ArraySubscriptExpr &&
		   clang_getCursorKind(strip(child0(base))) == CXCursor_MemberRefExpr &&
		   !is_pointer(strip(child0(base)))) {
		char *p = kt_member_path(strip(child0(base)), root);

		kt_strbuf_addf(&sb, "%s[].%s", p, fname);
		free(p);
	} else {
		char *rn = record_name(named_record(ref));

		kt_strbuf_addf(&sb, "%s::%s", rn, fname);
		free(rn);
		*root = base;
	}
	free(fname);
	return kt_strbuf_detach(&sb);
}

static char *extent_text(struct walk *w, CXCursor c, unsigned *s_off, unsigned *e_off);
static char *unop(struct walk *w, CXCursor op);

/* The last child of c (a variable's initializer follows its type). */
static enum CXChildVisitResult last_child(CXCursor c, CXCursor p, CXClientData d)
{
	(void)p;
	*(CXCursor *)d = c;
	return CXChildVisit_Continue;
}

/*
 * A local pointer that aliases a member: `u32 *h = po->rollover->history;`
 * (an array member, which decays to its first element) or
 * `unsigned long *p = &x->flags;`. For a use of such a local (`h[i]`, `*p`),
 * the member path of what it points into ("struct packet_rollover::history"),
 * and the initializer's text in *via; NULL when ref is not such a local.
 * A pointer member (`p = x->ptr`) names other memory and is not followed.
 */
static char *local_alias(struct walk *w, CXCursor ref, char **via)
{
	CXCursor d, init = clang_getNullCursor(), root = clang_getNullCursor();
	unsigned so, eo;

	*via = NULL;
	ref = strip(ref);
	if (clang_getCursorKind(ref) != CXCursor_DeclRefExpr)
		return NULL;
	d = clang_getCursorReferenced(ref);
	if (clang_getCursorKind(d) != CXCursor_VarDecl ||
	    clang_Cursor_hasVarDeclGlobalStorage(d) != 0)
		return NULL;
	clang_visitChildren(d, last_child, &init);
	if (clang_Cursor_isNull(init) || !clang_isExpression(clang_getCursorKind(init)))
		return NULL;
	init = strip(init);
	if (clang_getCursorKind(init) == CXCursor_MemberRefExpr) {
		CXType t = clang_getCanonicalType(clang_getCursorType(init));

		if (t.kind != CXType_ConstantArray)
			return NULL;
	} else if (clang_getCursorKind(init) == CXCursor_UnaryOperator) {
		char *op = unop(w, init);
		bool addr = op && strcmp(op, "&") == 0;

		free(op);
		if (!addr)
			return NULL;
		init = strip(child0(init));
		if (clang_getCursorKind(init) != CXCursor_MemberRefExpr)
			return NULL;
	} else {
		return NULL;
	}
	*via = extent_text(w, init, &so, &eo);
	return kt_member_path(init, &root);
}

static char *extent_text(struct walk *w, CXCursor c, unsigned *s_off, unsigned *e_off)
{
	CXSourceRange r = clang_getCursorExtent(c);
	CXFile f1, f2;
	unsigned a = file_off(clang_getRangeStart(r), &f1);
	unsigned b = file_off(clang_getRangeEnd(r), &f2);
	struct kt_strbuf sb;

	if (!f1 || !clang_File_isEqual(f1, w->file) || !f2 || !clang_File_isEqual(f2, w->file) ||
	    b < a || b > w->csize) {
		*s_off = *e_off = 0;
		return kt_xstrdup("");
	}
	/* a macro's name alone: take the invocation up to its closing paren */
	if (b <= a + 1 || (b - a < 64 && memchr(w->contents + a, '(', b - a) == NULL)) {
		size_t i = b;

		while (i < w->csize &&
		       (w->contents[i] == '_' || (w->contents[i] >= 'a' && w->contents[i] <= 'z') ||
			(w->contents[i] >= 'A' && w->contents[i] <= 'Z') ||
			(w->contents[i] >= '0' && w->contents[i] <= '9')))
			i++;
		if (i < w->csize && w->contents[i] == '(' && b == a) {
			int depth = 0;

			for (; i < w->csize; i++) {
				if (w->contents[i] == '(')
					depth++;
				else if (w->contents[i] == ')' && --depth == 0) {
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
	if (b >= a + 2 &&
	    ((w->contents[b - 1] == '>' && w->contents[b - 2] == '-') || w->contents[b - 1] == '.'))
		while (b < w->csize &&
		       (w->contents[b] == '_' || (w->contents[b] >= 'a' && w->contents[b] <= 'z') ||
			(w->contents[b] >= 'A' && w->contents[b] <= 'Z') ||
			(w->contents[b] >= '0' && w->contents[b] <= '9')))
			b++;
	*s_off = a;
	*e_off = b;
	kt_strbuf_init(&sb);
	for (unsigned i = a; i < b; i++) {
		char ch = w->contents[i];

		if (ch == '\n' || ch == '\t')
			ch = ' ';
		if (ch == ' ' && sb.len && sb.buf[sb.len - 1] == ' ')
			continue;
		kt_strbuf_addc(&sb, ch);
	}
	return sb.len ? kt_strbuf_detach(&sb) : (kt_strbuf_fini(&sb), kt_xstrdup(""));
}

/* The operator token of a binary operator: the first token after child 0. */
struct two {
	CXCursor c[2];
	int n;
};

static enum CXChildVisitResult two_children(CXCursor c, CXCursor p, CXClientData d)
{
	struct two *t = d;

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

/*
 * The operator of a binary expression read from the file between its
 * operands, where both are written in the file (also inside a macro's
 * argument: WARN_ON(x & MASK)); NULL when that text is not an operator
 * (the operator is written inside a macro's body).
 */
static char *binop_text(struct walk *w, CXCursor op)
{
	struct two t = {0};
	CXFile f1 = NULL, f2 = NULL;
	unsigned a, b;
	char buf[4];
	size_t n = 0;

	clang_visitChildren(op, two_children, &t);
	if (t.n < 2 || !w->contents)
		return NULL;
	a = file_off(clang_getRangeEnd(clang_getCursorExtent(t.c[0])), &f1);
	b = file_off(clang_getRangeStart(clang_getCursorExtent(t.c[1])), &f2);
	if (!f1 || !f2 || !clang_File_isEqual(f1, w->file) || !clang_File_isEqual(f2, w->file) ||
	    b <= a || b - a > 16 || b > w->csize)
		return NULL;
	for (unsigned i = a; i < b; i++) {
		char ch = w->contents[i];

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

static char *binop(struct walk *w, CXCursor op)
{
	char *text = binop_text(w, op);
	CXCursor lhs = child0(op);
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
	clang_tokenize(w->tu, all, &toks, &n);
	clang_getExpansionLocation(lend, &f, NULL, NULL, &lend_off);
	for (unsigned i = 0; i < n; i++) {
		CXFile tf;

		clang_getExpansionLocation(clang_getTokenLocation(w->tu, toks[i]), &tf, NULL, NULL,
					   &toff);
		if (toff >= lend_off && clang_getTokenKind(toks[i]) == CXToken_Punctuation) {
			res = kt_cx_str(clang_getTokenSpelling(w->tu, toks[i]));
			if (strcmp(res, ")") == 0 || strcmp(res, "]") == 0) {
				free(res);
				res = NULL;
				continue;
			}
			break;
		}
	}
	clang_disposeTokens(w->tu, toks, n);
	return res;
}

/* Prefix or postfix operator of a unary operator. */
static char *unop(struct walk *w, CXCursor op)
{
	CXToken *toks = NULL;
	unsigned n = 0;
	char *res = NULL;

	clang_tokenize(w->tu, clang_getCursorExtent(op), &toks, &n);
	if (n) {
		char *first = kt_cx_str(clang_getTokenSpelling(w->tu, toks[0]));
		char *last = kt_cx_str(clang_getTokenSpelling(w->tu, toks[n - 1]));

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
	clang_disposeTokens(w->tu, toks, n);
	return res;
}

/* The first two children of a binary operator. */

/*
 * Is binary operator op one that only compares or truth-tests its operands
 * (== != && ||)? Read from the file between the two operands' extents,
 * which also works when the operator is written in a macro's argument
 * (WARN_ON_ONCE(a == b)); an operator written inside a macro's body is not
 * seen (false).
 */
static bool compare_op(struct walk *w, CXCursor op)
{
	struct two t = {0};
	CXFile f1 = NULL, f2 = NULL;
	unsigned a, b, i, j;
	char s[4];
	size_t n = 0;

	clang_visitChildren(op, two_children, &t);
	if (t.n < 2 || !w->contents)
		return false;
	a = file_off(clang_getRangeEnd(clang_getCursorExtent(t.c[0])), &f1);
	b = file_off(clang_getRangeStart(clang_getCursorExtent(t.c[1])), &f2);
	if (!f1 || !f2 || !clang_File_isEqual(f1, w->file) || !clang_File_isEqual(f2, w->file) ||
	    b < a || b - a > 16 || b > w->csize)
		return false;
	for (i = a; i < b && n < sizeof(s) - 1; i++) {
		char ch = w->contents[i];

		if (ch == ' ' || ch == '\t' || ch == '\n')
			continue;
		s[n++] = ch;
	}
	for (j = i; j < b; j++)
		if (w->contents[j] != ' ' && w->contents[j] != '\t' && w->contents[j] != '\n')
			return false;
	s[n] = 0;
	return strcmp(s, "==") == 0 || strcmp(s, "!=") == 0 || strcmp(s, "&&") == 0 ||
	       strcmp(s, "||") == 0;
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
static bool const_int(CXCursor e, unsigned long long *out)
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
static unsigned long long in_word(unsigned long long m, long long bytes)
{
	return bytes > 0 && bytes < 8 ? m & ((1ULL << (bytes * 8)) - 1) : m;
}

/* The value at child `child` of binary operator p is tested with '&': the
 * other operand, when it is a constant, is the mask. */
static void and_mask(CXCursor p, unsigned child, struct kt_access_info *c)
{
	struct two t = {0};
	unsigned long long m;

	clang_visitChildren(p, two_children, &t);
	if (t.n < 2 || child > 1 || !const_int(t.c[1 - child], &m))
		return;
	c->has_mask = true;
	c->mask = in_word(m, c->word);
}

/*
 * The functions a statement only calls: a call, a block of calls, an if
 * without else around them (its condition is not the value's), and a
 * function of the translation unit made of those (a helper that only
 * kicks a worker), followed depth levels down. False for anything else:
 * a store, a return, a goto, a loop, a call through a pointer.
 */
struct calls {
	char **name;
	size_t n;
	int depth;
	bool bad;
};

static bool only_calls(CXCursor st, struct calls *cl);

/* The body of an if statement without else, in *then. */
static bool if_then(CXCursor st, CXCursor *then)
{
	struct two t = {0};
	unsigned n = 0;

	clang_visitChildren(st, count_children, &n);
	clang_visitChildren(st, two_children, &t);
	if (n != 2 || t.n != 2)
		return false;
	*then = t.c[1];
	return true;
}

static enum CXChildVisitResult only_calls_visit(CXCursor c, CXCursor p, CXClientData d)
{
	struct calls *cl = d;

	(void)p;
	if (!only_calls(c, cl)) {
		cl->bad = true;
		return CXChildVisit_Break;
	}
	return CXChildVisit_Continue;
}

static bool only_calls(CXCursor st, struct calls *cl)
{
	enum CXCursorKind k;

	st = strip(st);
	k = clang_getCursorKind(st);
	if (cl->bad || cl->n >= 16)
		return false;
	if (k == CXCursor_NullStmt)
		return true;
	if (k == CXCursor_CompoundStmt) {
		clang_visitChildren(st, only_calls_visit, cl);
		return !cl->bad;
	}
	if (k == CXCursor_IfStmt) {
		CXCursor then;

		return if_then(st, &then) && only_calls(then, cl);
	}
	if (k == CXCursor_CallExpr) {
		CXCursor callee = clang_getCursorReferenced(st);
		CXCursor def = clang_getCursorDefinition(callee);

		if (clang_getCursorKind(callee) != CXCursor_FunctionDecl)
			return false;
		if (!cl->name)
			cl->name = kt_xcalloc(16, sizeof(*cl->name));
		if (cl->depth > 0 && !clang_Cursor_isNull(def) &&
		    clang_getCursorKind(def) == CXCursor_FunctionDecl) {
			struct calls in = {.depth = cl->depth - 1};
			CXCursor body = clang_getNullCursor();

			clang_visitChildren(def, last_child, &body);
			if (clang_getCursorKind(body) == CXCursor_CompoundStmt &&
			    only_calls(body, &in) && in.n > 0 && cl->n + in.n <= 16) {
				for (size_t i = 0; i < in.n; i++)
					cl->name[cl->n++] = in.name[i];
				free(in.name);
				return true;
			}
			kt_strs_free(in.name, in.n);
		}
		cl->name[cl->n++] = kt_cx_str(clang_getCursorSpelling(callee));
		return true;
	}
	return false;
}

/* The value at stack[d] is in the condition of the if at stack[j]: what its
 * body calls, when it only calls and has no else. */
static void guarded_calls(struct walk *w, int j, struct kt_access_info *c)
{
	struct calls cl = {.depth = 2};
	CXCursor then;

	if (!if_then(w->stack[j], &then))
		return;
	if (only_calls(then, &cl) && cl.n > 0 && !cl.bad) {
		c->guards = cl.name;
		c->nguards = cl.n;
		c->guards_defer = true;
		for (size_t i = 0; i < cl.n; i++)
			c->guards_defer &= kt_tables_in(w->t->defers, w->t->ndefers, cl.name[i]);
		return;
	}
	kt_strs_free(cl.name, cl.n);
}

/* Decide what the program does with the value at stack[d]. */
static void role(struct walk *w, int d, struct kt_access_info *c)
{
	int i = d - 1;
	unsigned child = w->idx[d];

	while (i > 0 && transparent(w->stack[i])) {
		child = w->idx[i];
		i--;
	}
	if (i <= 0)
		return;
	{
		CXCursor p = w->stack[i];
		enum CXCursorKind k = clang_getCursorKind(p);

		if (k == CXCursor_BinaryOperator || k == CXCursor_CompoundAssignOperator) {
			char *op = binop(w, p);

			if (op) {
				if (child == 0 && strcmp(op, "=") == 0) {
					struct two t = {0};

					c->write = true;
					clang_visitChildren(p, two_children, &t);
					if (t.n == 2)
						c->rhs = t.c[1];
				} else if (child == 0 && k == CXCursor_CompoundAssignOperator)
					c->write = c->rmw = true;
				else if (strcmp(op, "&") == 0) {
					c->bittest = true;
					and_mask(p, child, c);
				}
			}
			free(op);
			if (k == CXCursor_BinaryOperator && !c->write && !c->bittest &&
			    compare_op(w, p))
				c->cmp = true;
		} else if (k == CXCursor_UnaryOperator) {
			char *op = unop(w, p);

			if (op) {
				if (strcmp(op, "++") == 0 || strcmp(op, "--") == 0)
					c->write = c->rmw = true;
				else if (strcmp(op, "&") == 0)
					c->addr = true;
				else if (strcmp(op, "*") == 0)
					c->deref = true;
				else if (strcmp(op, "!") == 0)
					c->cmp = true;
			}
			free(op);
		} else if (k == CXCursor_MemberRefExpr && child == 0) {
			c->deref = true; /* only pointers reach here: '.' chains are skipped */
		} else if (k == CXCursor_ArraySubscriptExpr && child == 0) {
			c->deref = true;
		} else if (k == CXCursor_CallExpr) {
			/* child 0 is the callee, the arguments follow */
			if (child == 0)
				c->called = true;
			else
				c->arg = true;
		} else if (((k == CXCursor_IfStmt || k == CXCursor_WhileStmt ||
			     k == CXCursor_ConditionalOperator) &&
			    child == 0) ||
			   (k == CXCursor_DoStmt && child == 1)) {
			c->cmp = true; /* the whole condition: a truth test */
		} else if (k == CXCursor_VarDecl && clang_Cursor_hasVarDeclGlobalStorage(p) == 0) {
			c->local = p; /* struct foo *f = x->f; */
		}
		if (k == CXCursor_BinaryOperator && child == 1 && !c->write) {
			char *op = binop(w, p);
			CXCursor lhs = strip(child0(p));

			if (op && strcmp(op, "=") == 0 &&
			    clang_getCursorKind(lhs) == CXCursor_DeclRefExpr) {
				CXCursor d = clang_getCursorReferenced(lhs);

				if (clang_getCursorKind(d) == CXCursor_VarDecl &&
				    clang_Cursor_hasVarDeclGlobalStorage(d) == 0)
					c->local = d; /* f = x->f; */
			}
			free(op);
		}
	}
	/* a branch condition: the path goes through child 0 of if/while/switch/?: */
	for (int j = d; j > 0; j--) {
		enum CXCursorKind k = clang_getCursorKind(w->stack[j - 1]);

		/* a statement expression (READ_ONCE(), data_race()) is part of
		 * the expression around it */
		if (k == CXCursor_CompoundStmt &&
		    !(j > 1 && clang_getCursorKind(w->stack[j - 2]) == CXCursor_StmtExpr))
			break;
		if (((k == CXCursor_IfStmt || k == CXCursor_WhileStmt || k == CXCursor_SwitchStmt ||
		      k == CXCursor_ConditionalOperator) &&
		     w->idx[j] == 0) ||
		    (k == CXCursor_DoStmt && w->idx[j] == 1)) {
			c->branch = true;
			if (k == CXCursor_IfStmt && !c->guards)
				guarded_calls(w, j - 1, c);
			break;
		}
		if (k == CXCursor_ReturnStmt || k == CXCursor_DeclStmt)
			break;
	}
}

/* Field declared __data_racy: look at its declaration's tokens. */
static bool field_data_racy(CXTranslationUnit tu, CXCursor field)
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

static int param_index(CXCursor fn, CXCursor decl)
{
	int n = clang_Cursor_getNumArguments(fn);

	for (int i = 0; i < n; i++)
		if (clang_equalCursors(clang_Cursor_getArgument(fn, i), decl))
			return i;
	return -1;
}

/* The first comma at depth 0 between tokens open and close, or close. */
static size_t first_comma(const struct kt_toks *tk, size_t open, size_t close)
{
	int depth = 0;

	for (size_t q = open + 1; q < close && q < tk->n; q++) {
		const char *s = tk->t[q].text;

		if (strcmp(s, "(") == 0 || strcmp(s, "[") == 0 || strcmp(s, "{") == 0)
			depth++;
		else if (strcmp(s, ")") == 0 || strcmp(s, "]") == 0 || strcmp(s, "}") == 0)
			depth--;
		else if (depth == 0 && strcmp(s, ",") == 0)
			return q;
	}
	return close;
}

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
	size_t k = open + 1, comma = first_comma(tk, open, close);

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
	unsigned a = file_off(clang_getRangeStart(r), &f1);
	unsigned b = file_off(clang_getRangeEnd(r), &f2);
	bool here = f1 && f2 && clang_File_isEqual(f1, nf->w->file) &&
		    clang_File_isEqual(f2, nf->w->file) && a <= b;

	(void)p;
	if (here && (b < nf->from || a > nf->to))
		return CXChildVisit_Continue;
	if (here && a == nf->from && b == nf->to && const_int(c, &nf->v)) {
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
static void token_context(struct walk *w, struct kt_access_info *c)
{
	struct kt_toks *tk = &w->toks;
	unsigned best_open = 0;

	for (size_t i = 0; i + 1 < tk->n; i++) {
		const struct kt_marking_entry *m;
		size_t j;
		int depth = 0;

		if (tk->t[i].kind != CXToken_Identifier || strcmp(tk->t[i + 1].text, "(") != 0)
			continue;
		for (j = i + 1; j < tk->n; j++) {
			if (strcmp(tk->t[j].text, "(") == 0)
				depth++;
			else if (strcmp(tk->t[j].text, ")") == 0 && --depth == 0)
				break;
		}
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
					bitop_mask(w, i + 1, first_comma(tk, i + 1, j), j, c);
			}
		}
		if (kt_tables_in(w->t->passed, w->t->npassed, tk->t[i].text)) {
			c->passed_to = kt_xrealloc(c->passed_to, (c->npassed + 1) * sizeof(char *));
			c->passed_to[c->npassed++] = kt_xstrdup(tk->t[i].text);
		}
	}
}

/* Two texts of one expression, whitespace aside. */
static bool same_text(const char *a, const char *b)
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
static bool extent_within(struct walk *w, CXCursor c, unsigned from, unsigned to)
{
	CXSourceRange r = clang_getCursorExtent(c);
	CXFile f1 = NULL, f2 = NULL;
	unsigned a = file_off(clang_getRangeStart(r), &f1);
	unsigned b = file_off(clang_getRangeEnd(r), &f2);

	return f1 && f2 && clang_File_isEqual(f1, w->file) && clang_File_isEqual(f2, w->file) &&
	       a >= from && b <= to + 1;
}

/*
 * The access sits inside a marking macro that yields its value
 * (READ_ONCE(x), data_race(x), smp_load_acquire(&x)): what the program
 * does with the value is what it does with the macro's result, not with
 * the address the expansion takes. Redo the role from the outermost node
 * of the expansion.
 */
static void macro_value_role(struct walk *w, struct kt_access_info *c)
{
	int k = w->depth;

	while (k - 1 > 0 && extent_within(w, w->stack[k - 1], c->mark_from, c->mark_to))
		k--;
	if (k == w->depth)
		return;
	c->addr = c->deref = c->cmp = c->arg = c->called = c->branch = false;
	c->local = clang_getNullCursor();
	role(w, k, c);
}

struct local_scan {
	struct walk *w;
	CXCursor var;
	unsigned after;
	bool deref;
};

static bool is_ref_to(CXCursor e, CXCursor var)
{
	e = strip(e);
	return clang_getCursorKind(e) == CXCursor_DeclRefExpr &&
	       clang_equalCursors(clang_getCursorReferenced(e), var);
}

static enum CXChildVisitResult local_scan_visit(CXCursor c, CXCursor p, CXClientData d)
{
	struct local_scan *ls = d;
	enum CXCursorKind k = clang_getCursorKind(c);
	CXFile f = NULL;
	unsigned off = 0;

	(void)p;
	clang_getFileLocation(clang_getCursorLocation(c), &f, NULL, NULL, &off);
	if (!f || !clang_File_isEqual(f, ls->w->file) || off <= ls->after)
		return CXChildVisit_Recurse;
	if ((k == CXCursor_MemberRefExpr || k == CXCursor_ArraySubscriptExpr) &&
	    is_ref_to(child0(c), ls->var) && is_pointer(strip(child0(c)))) {
		ls->deref = true;
	} else if (k == CXCursor_UnaryOperator && is_ref_to(child0(c), ls->var)) {
		char *op = unop(ls->w, c);

		if (op && strcmp(op, "*") == 0)
			ls->deref = true;
		free(op);
	}
	return ls->deref ? CXChildVisit_Break : CXChildVisit_Recurse;
}

/* The value is stored into a local: followed through it later in the
 * function (f = x->f; ... f->g), it is dereferenced. */
static void local_use(struct walk *w, struct kt_access_info *c)
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

#define MAXHOPS	   4	/* locals followed from the stored value */
#define MAXARGTEXT 4096 /* bytes read for a marking macro's value argument */

static bool ident_char(char ch)
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
static char *macro_value_arg(const struct walk *w, unsigned from)
{
	size_t i = from, lim = from + MAXARGTEXT, comma = 0;
	int depth = 0;

	if (!w->contents || from >= w->csize)
		return NULL;
	if (lim > w->csize)
		lim = w->csize;
	while (i < lim && w->contents[i] != '(')
		i++;
	for (; i < lim; i++) {
		char ch = w->contents[i];

		if (ch == '"' || ch == '\'') { /* a literal: skip to its end */
			for (i++; i < lim && w->contents[i] != ch; i++)
				if (w->contents[i] == '\\')
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
	return squeeze(w->contents + comma + 1, i - comma - 1);
}

static bool is_local_var(CXCursor d)
{
	return clang_getCursorKind(d) == CXCursor_VarDecl &&
	       clang_Cursor_hasVarDeclGlobalStorage(d) == 0;
}

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
	off = file_off(clang_getCursorLocation(c), &f);
	if (!f || !clang_File_isEqual(f, lf->w->file) || off >= lf->before ||
	    (!clang_Cursor_isNull(lf->found) && off < lf->found_off))
		return CXChildVisit_Recurse;
	if (lf->name && k == CXCursor_VarDecl && is_local_var(c)) {
		char *nm = kt_cx_str(clang_getCursorSpelling(c));

		if (strcmp(nm, lf->name) == 0) {
			lf->found = c;
			lf->found_off = off;
		}
		free(nm);
	} else if (!lf->name && k == CXCursor_BinaryOperator && is_ref_to(child0(c), lf->var)) {
		char *op = binop(lf->w, c);
		struct two t = {0};

		clang_visitChildren(c, two_children, &t);
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
	clang_visitChildren(var, last_child, &init);
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

		if (!ident_char(s[i]) || (s[i] >= '0' && s[i] <= '9')) {
			/* skip a number's letters (0x1fUL) with it */
			while (i < n && ident_char(s[i]))
				i++;
			if (i < n && !ident_char(s[i]))
				i++;
			continue;
		}
		while (j < n && ident_char(s[j]))
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
static void stored_value(struct walk *w, struct kt_access_info *c)
{
	CXCursor val = clang_getNullCursor();
	unsigned before = c->off;
	char *text = NULL;
	unsigned so, eo;

	if (clang_Cursor_isNull(c->fn))
		return;
	if (c->mark_write) {
		text = macro_value_arg(w, c->mark_from);
		if (!text)
			return;
		if (ident_char(text[0]) && !(text[0] >= '0' && text[0] <= '9')) {
			size_t l = 0;

			while (ident_char(text[l]))
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
		CXCursor s = strip(val), d, nv;
		CXFile f = NULL;

		if (clang_getCursorKind(s) != CXCursor_DeclRefExpr)
			break;
		d = clang_getCursorReferenced(s);
		if (!is_local_var(d))
			break;
		before = file_off(clang_getCursorLocation(s), &f);
		nv = local_value(w, c->fn, d, before);
		if (clang_Cursor_isNull(nv))
			break;
		val = nv;
	}
	if (!clang_Cursor_isNull(val)) {
		char *vt = extent_text(w, val, &so, &eo);

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

static void add_cand(struct walk *w, CXCursor n, enum kt_access_kind kind, unsigned off)
{
	struct kt_access_info c = {0};
	CXCursor root = clang_getNullCursor();

	for (size_t i = 0; i < w->n; i++)
		if (w->c[i].off == off && w->c[i].kind == kind)
			return; /* typeof() and the like repeat an expression */
	c.text = extent_text(w, n, &c.s_off, &c.e_off);
	if (w->only && !same_text(c.text, w->only)) {
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
	c.word = c.size;
	{
		CXType ct = clang_getCanonicalType(clang_getCursorType(n));

		if (ct.kind == CXType_ConstantArray)
			c.word = clang_Type_getSizeOf(clang_getArrayElementType(ct));
	}
	c.type = kt_type_name(clang_getCursorType(n));
	if (kind == KT_AK_MEMBER) {
		CXCursor ref = clang_getCursorReferenced(n);

		c.field = kt_member_path(n, &root);
		c.rec_off = -1;
		if (!strchr(c.field, '.') && strstr(c.field, "::")) {
			CXCursor rec = named_record(ref);
			char *fname = kt_cx_str(clang_getCursorSpelling(ref));
			long long o = clang_Type_getOffsetOf(clang_getCursorType(rec), fname);

			if (o >= 0) {
				c.rec =
				    kt_xstrndup(c.field, (size_t)(strstr(c.field, "::") - c.field));
				c.rec_off = o / 8;
			}
			free(fname);
		}
		c.data_racy = field_data_racy(w->tu, ref);
		c.bitfield = clang_Cursor_isBitField(ref) != 0;
		root = strip(root);
		if (!clang_Cursor_isNull(root) &&
		    clang_getCursorKind(root) == CXCursor_DeclRefExpr) {
			CXCursor d = clang_getCursorReferenced(root);

			if (clang_getCursorKind(d) == CXCursor_ParmDecl) {
				const char *p = strstr(c.field, "::");

				c.param_index = param_index(w->fn, d);
				c.param_suffix = kt_xstrdup(p ? p + 2 : c.field);
			}
		}
	} else if (kind == KT_AK_GLOBAL) {
		c.field = kt_cx_str(clang_getCursorSpelling(clang_getCursorReferenced(n)));
	} else if (kind == KT_AK_ARRAY) {
		CXCursor base = strip(child0(n));
		char *via = NULL, *alias = local_alias(w, base, &via);

		if (alias) {
			struct kt_strbuf sb;

			kt_strbuf_init(&sb);
			kt_strbuf_addf(&sb, "%s[]", alias);
			c.field = kt_strbuf_detach(&sb);
			kt_strbuf_init(&sb);
			kt_strbuf_addf(&sb, "%s (via %s)", c.text, via);
			free(c.text);
			c.text = kt_strbuf_detach(&sb);
			free(alias);
			free(via);
		} else if (clang_getCursorKind(base) == CXCursor_MemberRefExpr) {
			char *p = kt_member_path(base, &root);
			struct kt_strbuf sb;

			kt_strbuf_init(&sb);
			kt_strbuf_addf(&sb, "%s[]", p);
			free(p);
			c.field = kt_strbuf_detach(&sb);
		} else if (clang_getCursorKind(base) == CXCursor_DeclRefExpr &&
			   clang_Cursor_hasVarDeclGlobalStorage(clang_getCursorReferenced(base)) ==
			       1) {
			char *g =
			    kt_cx_str(clang_getCursorSpelling(clang_getCursorReferenced(base)));
			struct kt_strbuf sb;

			kt_strbuf_init(&sb);
			kt_strbuf_addf(&sb, "%s[]", g);
			free(g);
			c.field = kt_strbuf_detach(&sb);
		}
	} else if (kind == KT_AK_DEREF) {
		char *via = NULL, *alias = local_alias(w, child0(n), &via);

		if (alias) {
			struct kt_strbuf sb;

			c.field = alias;
			kt_strbuf_init(&sb);
			kt_strbuf_addf(&sb, "%s (via %s)", c.text, via);
			free(c.text);
			c.text = kt_strbuf_detach(&sb);
			free(via);
		} else {
			/* *p of a parameter p: the one object that parameter
			 * points to, within the function */
			CXCursor base = strip(child0(n));
			CXCursor d = clang_getCursorReferenced(base);

			if (clang_getCursorKind(base) == CXCursor_DeclRefExpr &&
			    clang_getCursorKind(d) == CXCursor_ParmDecl &&
			    param_index(w->fn, d) >= 0) {
				char *pn = kt_cx_str(clang_getCursorSpelling(d));
				char *fnm = kt_cx_str(clang_getCursorSpelling(w->fn));
				struct kt_strbuf sb;

				kt_strbuf_init(&sb);
				kt_strbuf_addf(&sb, "*%s (parameter of %s)", pn, fnm);
				c.deref_key = kt_strbuf_detach(&sb);
				free(pn);
				free(fnm);
			}
		}
	}
	c.local = clang_getNullCursor();
	c.rhs = clang_getNullCursor();
	role(w, w->depth, &c);
	token_context(w, &c);
	if (c.mark_value)
		macro_value_role(w, &c);
	if (!clang_Cursor_isNull(c.local) && !c.write)
		local_use(w, &c);
	if (c.write && !c.rmw && !c.mark_rmw)
		stored_value(w, &c);
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 16;
		w->c = kt_xrealloc(w->c, w->cap * sizeof(*w->c));
	}
	w->c[w->n++] = c;
}

static void consider(struct walk *w, CXCursor n)
{
	enum CXCursorKind k = clang_getCursorKind(n);
	CXFile f = NULL;
	unsigned off;

	if (k != CXCursor_MemberRefExpr && k != CXCursor_DeclRefExpr &&
	    k != CXCursor_ArraySubscriptExpr && k != CXCursor_UnaryOperator)
		return;
	off = file_off(clang_getCursorLocation(n), &f);
	if (!f || !clang_File_isEqual(f, w->file) || off < w->ls || off >= w->le)
		return;
	/* sizeof/_Alignof operands are not evaluated (WRITE_ONCE's type check
	 * names its argument in sizeof() before the store does) */
	for (int i = w->depth - 1; i > 0; i--)
		if (clang_getCursorKind(w->stack[i]) == CXCursor_UnaryExpr)
			return;
	if (k == CXCursor_MemberRefExpr) {
		/* a '.' link inside a longer chain is not an access of its own */
		int i = w->depth - 1;

		while (i > 0 && transparent(w->stack[i]))
			i--;
		if (i > 0 && clang_getCursorKind(w->stack[i]) == CXCursor_MemberRefExpr &&
		    w->idx[i + 1] == 0 && !is_pointer(n))
			return;
		if (i > 0 && clang_getCursorKind(w->stack[i]) == CXCursor_ArraySubscriptExpr &&
		    w->idx[i + 1] == 0 && !is_pointer(n))
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
		char *op = unop(w, n);

		if (op && strcmp(op, "*") == 0)
			add_cand(w, n, KT_AK_DEREF, off);
		free(op);
	}
}

static enum CXChildVisitResult visit(CXCursor c, CXCursor parent, CXClientData data)
{
	struct walk *w = data;
	CXFile f = NULL, f2 = NULL;
	CXSourceRange r = clang_getCursorExtent(c);
	unsigned a = file_off(clang_getRangeStart(r), &f);
	unsigned b = file_off(clang_getRangeEnd(r), &f2);
	unsigned my = w->count[w->depth]++;

	/* prune subtrees that cannot reach the line */
	if (f && f2 && clang_File_isEqual(f, w->file) && clang_File_isEqual(f2, w->file) &&
	    (b < w->ls || a >= w->le) && a <= b)
		return CXChildVisit_Continue;
	if (w->depth + 1 >= MAXDEPTH - 1)
		return CXChildVisit_Continue;
	w->depth++;
	w->stack[w->depth] = c;
	w->idx[w->depth] = my;
	w->count[w->depth] = 0;
	consider(w, c);
	clang_visitChildren(c, visit, w);
	w->depth--;
	return CXChildVisit_Continue;
}

static bool same_struct(const char *a, const char *b)
{
	const char *pa = strstr(a, "::"), *pb = strstr(b, "::");

	return pa && pb && pa - a == pb - b && strncmp(a, b, (size_t)(pa - a)) == 0;
}

/* v accesses the same expression as c: the same text and field. */
static bool same_expr(const struct kt_access_info *c, const struct kt_access_info *v)
{
	/* an empty text is an expression written in a macro's body: unknown */
	return v->ast && v->kind == c->kind && v->raw && c->raw && c->raw[0] && v->raw[0] &&
	       same_text(v->raw, c->raw) &&
	       (!c->field || !v->field || strcmp(c->field, v->field) == 0);
}

static bool excl_mode(const char *m)
{
	return m && (strcmp(m, "exclusive") == 0 || strcmp(m, "shared") == 0);
}

/* A lock (exclusive or shared: not rcu, irq, bh, preempt) is taken between
 * file offsets from and to in w's tokens: acquire, trylock, guard. */
static bool lock_between(const struct walk *w, unsigned from, unsigned to)
{
	const struct kt_toks *tk = &w->toks;

	for (size_t i = 0; i + 1 < tk->n; i++) {
		const char *nm = tk->t[i].text;

		if (tk->t[i].off <= from || tk->t[i].off >= to ||
		    tk->t[i].kind != CXToken_Identifier || strcmp(tk->t[i + 1].text, "(") != 0)
			continue;
		for (size_t k = 0; k < w->t->nlocks; k++) {
			const struct kt_lock_entry *e = &w->t->locks[k];
			size_t l = strlen(e->name);

			if (!(strcmp(e->name, nm) == 0 ||
			      (l && e->name[l - 1] == '*' && strncmp(e->name, nm, l - 1) == 0)))
				continue;
			if ((e->op == KT_LK_ACQUIRE || e->op == KT_LK_TRYLOCK) &&
			    excl_mode(e->mode))
				return true;
			if ((e->op == KT_LK_GUARD || e->op == KT_LK_SCOPED) && i + 2 < tk->n) {
				const struct kt_guard_entry *g =
				    kt_tables_guard(w->t, tk->t[i + 2].text);

				if (g && excl_mode(g->mode))
					return true;
			}
		}
	}
	return false;
}

/*
 * How the value c loads is used in its function, v[0..n) being accesses of
 * the same body in source order (w: the walk that found them, with the
 * body's tokens). compare_only: it is only compared or truth-tested (== !=
 * ! && ||, the whole condition). reload_use: a later load of the same
 * expression is dereferenced, called through or passed to a call, with no
 * store to it by this function (or its address taken) and no lock taken in
 * between: the test and the use can see different values. A reload after a
 * lock is taken is the test repeated under the lock. use_after_check: the
 * other half of the same pattern, seen from the use: c is dereferenced,
 * called through or passed to a call, and an earlier load of the same
 * expression was compared or truth-tested, with no store to it and no lock
 * taken in between (`if (!t->wq) return; cancel(t->wq);`, c the second
 * load).
 */
static void use_of(const struct walk *w, struct kt_access_info *c, const struct kt_access_info *v,
		   size_t n)
{
	unsigned stop = ~0u;

	c->use_known = c->ast;
	c->compare_only = c->ast && c->cmp && !c->write && !c->addr && !c->deref && !c->arg &&
			  !c->called && !c->bittest && c->npassed == 0;
	c->reload_use = false;
	c->use_after_check = false;
	if (!c->ast || c->write || c->addr)
		return;
	if (c->deref || c->arg || c->called)
		for (size_t i = 0; i < n && !c->use_after_check; i++) {
			const struct kt_access_info *t = &v[i];
			bool stored = false;

			if (t->off >= c->off || t->write || t->addr || !t->cmp ||
			    !same_expr(c, t) || lock_between(w, t->off, c->off))
				continue;
			for (size_t k = 0; k < n && !stored; k++)
				stored = v[k].off > t->off && v[k].off < c->off &&
					 (v[k].write || v[k].addr) && same_expr(c, &v[k]);
			c->use_after_check = !stored;
		}
	for (size_t i = 0; i < n; i++)
		if (v[i].off > c->off && v[i].off < stop && (v[i].write || v[i].addr) &&
		    same_expr(c, &v[i]))
			stop = v[i].off;
	for (size_t i = 0; i < n && !c->reload_use; i++)
		if (v[i].off > c->off && v[i].off < stop && !v[i].write &&
		    (v[i].deref || v[i].arg || v[i].called) && same_expr(c, &v[i]) &&
		    !lock_between(w, c->off, v[i].off))
			c->reload_use = true;
}

/* use_of() for c, found by a walk over part of its function: walk the
 * whole body for the accesses written like c. */
static void body_use(const struct walk *w0, struct kt_access_info *c)
{
	struct walk w;
	CXSourceRange r;
	CXFile f = NULL, f2 = NULL;
	unsigned a, b;

	if (!c->ast || clang_Cursor_isNull(c->fn))
		return;
	r = clang_getCursorExtent(c->fn);
	a = file_off(clang_getRangeStart(r), &f);
	b = file_off(clang_getRangeEnd(r), &f2);
	if (!f || !f2 || !clang_File_isEqual(f, f2) || b <= a)
		return;
	memset(&w, 0, sizeof(w));
	w.tu = w0->tu;
	w.file = f;
	w.t = w0->t;
	w.fn = c->fn;
	w.contents = clang_getFileContents(w.tu, f, &w.csize);
	if (!w.contents)
		return;
	w.ls = a;
	w.le = b;
	w.only = c->raw;
	kt_toks_range(w.tu, f, a, b, &w.toks);
	w.stack[0] = c->fn;
	clang_visitChildren(c->fn, visit, &w);
	use_of(&w, c, w.c, w.n);
	for (size_t i = 0; i < w.n; i++)
		kt_access_info_fini(&w.c[i]);
	free(w.c);
	kt_toks_free(&w.toks);
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

static int score(const struct kt_access_info *c, const struct kt_access_query *q)
{
	int s = 0;
	bool is_marked = c->marking && strcmp(c->marking, "plain") != 0;

	if (q->want_write == c->write)
		s += 4;
	if (q->want_rmw && c->rmw)
		s += 2;
	if (q->size > 0 && c->size == q->size)
		s += 3;
	if (c->addr && !is_marked)
		s -= 8;
	if (q->prefer && c->field) {
		if (strcmp(q->prefer, c->field) == 0 ||
		    (kt_str_startswith(c->field, q->prefer) &&
		     c->field[strlen(q->prefer)] == '.') ||
		    (kt_str_startswith(q->prefer, c->field) && q->prefer[strlen(c->field)] == '.'))
			s += 6;
		else if (same_struct(q->prefer, c->field))
			s += 2;
	}
	if (c->kind == KT_AK_DEREF && c->field == NULL)
		s -= 1;
	/* the vmlinux's layout at the address, when the binary stage knew it */
	if (q->global && c->field &&
	    (strcmp(c->field, q->global) == 0 ||
	     (kt_str_startswith(c->field, q->global) && c->field[strlen(q->global)] == '[')))
		s += 5;
	if (q->member && c->field) {
		const char *p = strstr(c->field, "::");
		const char *m = p ? p + 2 : c->field;
		size_t lm = strlen(m), lq = strlen(q->member);

		if (strcmp(m, q->member) == 0 ||
		    (lm > lq && strcmp(m + lm - lq, q->member) == 0 && m[lm - lq - 1] == '.'))
			s += 5;
	}
	return s;
}

/* Calls on the line to functions defined in this TU. */
struct callees {
	CXFile file;
	unsigned ls, le;
	CXCursor defs[8];
	int n;
};

static enum CXChildVisitResult callee_visit(CXCursor c, CXCursor p, CXClientData d)
{
	struct callees *cs = d;

	if (clang_getCursorKind(c) == CXCursor_CallExpr && cs->n < 8) {
		CXFile f = NULL;
		unsigned off = file_off(clang_getCursorLocation(c), &f);
		CXCursor def = clang_getCursorDefinition(clang_getCursorReferenced(c));

		if (f && clang_File_isEqual(f, cs->file) && off >= cs->ls && off < cs->le &&
		    !clang_Cursor_isNull(def) && clang_getCursorKind(def) == CXCursor_FunctionDecl)
			cs->defs[cs->n++] = def;
	}
	return CXChildVisit_Recurse;
}

/*
 * Nothing on the line: the access may be inside a function inlined there
 * without an inline frame of its own (the symbolizer attributed it to the
 * call). Collect the candidates of the called functions' bodies instead.
 */
static void inline_callees(struct walk *w, struct kt_access_info *out)
{
	struct callees cs = {0};
	CXFile save_file = w->file;
	unsigned save_ls = w->ls, save_le = w->le;
	CXCursor save_fn = w->fn;
	const char *save_contents = w->contents;
	size_t save_csize = w->csize;
	struct kt_toks save_toks = w->toks;

	cs.file = w->file;
	cs.ls = w->ls;
	cs.le = w->le;
	clang_visitChildren(w->fn, callee_visit, &cs);
	for (int i = 0; i < cs.n; i++) {
		CXSourceRange r = clang_getCursorExtent(cs.defs[i]);
		CXFile f = NULL, f2 = NULL;
		unsigned a = file_off(clang_getRangeStart(r), &f),
			 b = file_off(clang_getRangeEnd(r), &f2);
		size_t before = w->n;

		if (!f || !f2 || !clang_File_isEqual(f, f2))
			continue;
		w->file = f;
		w->fn = cs.defs[i];
		w->ls = a;
		w->le = b;
		w->contents = clang_getFileContents(w->tu, f, &w->csize);
		kt_toks_range(w->tu, f, a, b, &w->toks);
		w->depth = 0;
		w->stack[0] = cs.defs[i];
		w->count[0] = 0;
		clang_visitChildren(cs.defs[i], visit, w);
		kt_toks_free(&w->toks);
		if (w->n > before && !out->note) {
			char *nm = kt_cx_str(clang_getCursorSpelling(cs.defs[i]));
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
	w->file = save_file;
	w->fn = save_fn;
	w->ls = save_ls;
	w->le = save_le;
	w->contents = save_contents;
	w->csize = save_csize;
	w->toks = save_toks;
}

/* "struct NAME * VAR" among the function's tokens -> "struct NAME". */
static char *decl_struct(const struct kt_toks *tk, const char *var)
{
	for (size_t i = 0; i + 3 < tk->n; i++) {
		size_t j = i + 2;

		if (strcmp(tk->t[i].text, "struct") && strcmp(tk->t[i].text, "union"))
			continue;
		while (j < tk->n && !strcmp(tk->t[j].text, "*"))
			j++;
		if (j < tk->n && j > i + 2 && !strcmp(tk->t[j].text, var)) {
			struct kt_strbuf sb;

			kt_strbuf_init(&sb);
			kt_strbuf_addf(&sb, "%s %s", tk->t[i].text, tk->t[i + 1].text);
			return kt_strbuf_detach(&sb);
		}
	}
	return NULL;
}

static bool tok_is(const struct kt_toks *tk, size_t i, const char *s)
{
	return i < tk->n && strcmp(tk->t[i].text, s) == 0;
}

/*
 * The token fallback: without an AST for the line (the TU did not parse, or
 * the function was found in the tokens only), member chains written on the
 * line are the candidates: BASE (-> NAME | . NAME | [ ... ])+, typed by the
 * function's own "struct X *BASE" declarations when they are there.
 */
static void token_cands(struct walk *w, unsigned fn_from, unsigned fn_to)
{
	struct kt_toks fn_tk;
	struct kt_toks *tk = &w->toks;

	kt_toks_range(w->tu, w->file, fn_from, fn_to, &fn_tk);
	for (size_t i = 0; i < tk->n; i++) {
		size_t j = i + 1, last_name = i;
		int links = 0;
		struct kt_access_info c = {0};
		struct kt_strbuf path, text;
		char *st;

		if (tk->t[i].kind != CXToken_Identifier ||
		    (i > 0 && (tok_is(tk, i - 1, "->") || tok_is(tk, i - 1, "."))))
			continue;
		kt_strbuf_init(&path);
		while (j + 1 < tk->n) {
			if ((tok_is(tk, j, "->") || tok_is(tk, j, ".")) &&
			    tk->t[j + 1].kind == CXToken_Identifier) {
				if (links)
					kt_strbuf_addc(&path, '.');
				kt_strbuf_adds(&path, tk->t[j + 1].text);
				last_name = j + 1;
				links++;
				j += 2;
			} else if (tok_is(tk, j, "[") && links) {
				int d = 0;

				for (; j < tk->n; j++) {
					if (tok_is(tk, j, "["))
						d++;
					else if (tok_is(tk, j, "]") && --d == 0)
						break;
				}
				kt_strbuf_adds(&path, "[]");
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
		st = decl_struct(&fn_tk, tk->t[i].text);
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
		if (tok_is(tk, j, "=") || tok_is(tk, j, "++") || tok_is(tk, j, "--") ||
		    tok_is(tk, i - 1, "++") || tok_is(tk, i - 1, "--"))
			c.write = true;
		if (!tok_is(tk, j, "=") && j < tk->n && tk->t[j].kind == CXToken_Punctuation &&
		    strlen(tk->t[j].text) >= 2 && tk->t[j].text[strlen(tk->t[j].text) - 1] == '=' &&
		    strcmp(tk->t[j].text, "==") && strcmp(tk->t[j].text, "!=") &&
		    strcmp(tk->t[j].text, "<=") && strcmp(tk->t[j].text, ">="))
			c.write = c.rmw = true;
		if (tok_is(tk, j, "++") || tok_is(tk, j, "--") || tok_is(tk, i - 1, "++") ||
		    tok_is(tk, i - 1, "--"))
			c.rmw = true;
		if (tok_is(tk, j, "&") || tok_is(tk, i - 1, "&") || tok_is(tk, j, "->"))
			c.bittest = tok_is(tk, j, "&");
		if (tok_is(tk, i - 1, "&") && !tok_is(tk, i - 2, ")") &&
		    (i < 2 || tk->t[i - 2].kind != CXToken_Identifier))
			c.addr = true;
		for (size_t k = 0; k + 1 < i; k++)
			if ((tok_is(tk, k, "if") || tok_is(tk, k, "while")) &&
			    tok_is(tk, k + 1, "("))
				c.branch = true;
		token_context(w, &c);
		if (w->n == w->cap) {
			w->cap = w->cap ? w->cap * 2 : 16;
			w->c = kt_xrealloc(w->c, w->cap * sizeof(*w->c));
		}
		w->c[w->n++] = c;
		i = j - 1;
	}
	kt_toks_free(&fn_tk);
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
	w.tu = tu->tu;
	w.file = fn->file;
	w.t = t;
	w.fn = fn->cur;
	w.contents = clang_getFileContents(tu->tu, fn->file, &w.csize);
	if (!w.contents || !kt_line_offset(tu->tu, fn->file, q->line, &w.ls)) {
		out->note = kt_xstrdup("the line is past the end of the file");
		return;
	}
	if (!kt_line_offset(tu->tu, fn->file, q->line + 1, &le))
		le = (unsigned)w.csize;
	w.le = le;
	kt_toks_range(tu->tu, fn->file, w.ls, w.le, &w.toks);
	w.stack[0] = fn->cur;
	if (!fn->by_tokens) {
		clang_visitChildren(fn->cur, visit, &w);
		if (w.n == 0)
			inline_callees(&w, out);
	}
	if (w.n == 0 && (fn->by_tokens || tu->errors || !tu->full)) {
		token_cands(&w, fn->start_off, fn->end_off);
		if (w.n)
			out->note = kt_xstrdup(
			    "read from the tokens of the line, without types (token fallback)");
	}
	for (size_t i = 0; i < w.n; i++) {
		int s = score(&w.c[i], q);

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
			if (score(&w.c[i], q) == bests && seen++ == q->pick) {
				best = (int)i;
				break;
			}
	if (best >= 0) {
		/* equally good loads tested against different masks (or one
		 * without): the mask of the one taken does not stand for the
		 * access KCSAN saw */
		bool mask_differs = false;

		for (size_t i = 0; nbest > 1 && i < w.n; i++)
			if (score(&w.c[i], q) == bests && (w.c[i].has_mask != w.c[best].has_mask ||
							   w.c[i].mask != w.c[best].mask))
				mask_differs = true;
		body_use(&w, &w.c[best]);
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
	w.tu = tu->tu;
	w.file = fn->file;
	w.t = t;
	w.fn = fn->cur;
	w.contents = clang_getFileContents(tu->tu, fn->file, &w.csize);
	if (!w.contents)
		return;
	w.ls = fn->body_off;
	w.le = fn->end_off;
	kt_toks_range(tu->tu, fn->file, w.ls, w.le, &w.toks);
	w.stack[0] = fn->cur;
	clang_visitChildren(fn->cur, visit, &w);
	/* the walk saw the whole body: the later loads are among its accesses */
	for (size_t i = 0; i < w.n; i++)
		use_of(&w, &w.c[i], w.c, w.n);
	for (size_t i = 0; i < w.n; i++) {
		struct kt_access_info *c = &w.c[i];
		bool marked = c->marking && strcmp(c->marking, "plain") != 0;

		if ((!c->field && !(q->param_derefs && c->deref_key)) ||
		    c->write != q->want_write || (c->addr && !marked) ||
		    (q->size > 0 && c->size > 0 && c->size != q->size))
			continue;
		out->v = kt_xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		out->off = kt_xrealloc(out->off, (out->n + 1) * sizeof(*out->off));
		memset(&out->v[out->n], 0, sizeof(out->v[out->n]));
		out->off[out->n] = c->off;
		take_cand(c, &out->v[out->n]);
		out->n++;
	}
	for (size_t i = 0; i < w.n; i++)
		kt_access_info_fini(&w.c[i]);
	free(w.c);
	kt_toks_free(&w.toks);
}

void kt_cand_list_fini(struct kt_cand_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		kt_access_info_fini(&l->v[i]);
	free(l->v);
	free(l->off);
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
		unsigned off = file_off(clang_getCursorLocation(c), &f);

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
	arg = strip(clang_Cursor_getArgument(a.call, (unsigned)idx));
	if (clang_getCursorKind(arg) != CXCursor_UnaryOperator)
		return false;
	inner = strip(child0(arg));
	if (clang_getCursorKind(inner) != CXCursor_MemberRefExpr)
		return false;
	{
		/* only "&x->member": the callee works on memory embedded in x */
		struct walk w;
		char *op;

		memset(&w, 0, sizeof(w));
		w.tu = tu->tu;
		op = unop(&w, arg);
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
		unsigned s = file_off(clang_getRangeStart(r), &f),
			 e = file_off(clang_getRangeEnd(r), &f);

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
