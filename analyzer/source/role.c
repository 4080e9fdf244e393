// SPDX-License-Identifier: Apache-2.0
/*
 * The role of an access's value (stored, tested, dereferenced, passed,
 * compared) from its place in the AST, the calls an if around it only
 * makes, and how a loaded value is used later in its function.
 */
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "role.h"

/* The value at child `child` of binary operator p is tested with '&': the
 * other operand, when it is a constant, is the mask. */
static void and_mask(CXCursor p, unsigned child, struct kt_access_info *c)
{
	struct kt_two t = {0};
	unsigned long long m;

	t = kt_cursor_two(p);
	if (t.n < 2 || child > 1 || !kt_text_const_int(t.c[1 - child], &m))
		return;
	c->has_mask = true;
	c->mask = kt_text_in_word(m, c->word);
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
	struct kt_two t = {0};
	unsigned n = 0;

	n = kt_cursor_count(st);
	t = kt_cursor_two(st);
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

	st = kt_cursor_strip(st);
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

			body = kt_cursor_last(def);
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
void kt_role_of(struct walk *w, int d, struct kt_access_info *c)
{
	int i = d - 1;
	unsigned child = w->idx[d];

	while (i > 0 && kt_cursor_transparent(w->stack[i])) {
		child = w->idx[i];
		i--;
	}
	if (i <= 0)
		return;
	{
		CXCursor p = w->stack[i];
		enum CXCursorKind k = clang_getCursorKind(p);

		if (k == CXCursor_BinaryOperator || k == CXCursor_CompoundAssignOperator) {
			char *op = kt_text_binop(&w->sf, p);

			if (op) {
				if (child == 0 && strcmp(op, "=") == 0) {
					struct kt_two t = {0};

					c->write = true;
					t = kt_cursor_two(p);
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
			    kt_text_compare_op(&w->sf, p))
				c->cmp = true;
		} else if (k == CXCursor_UnaryOperator) {
			char *op = kt_text_unop(&w->sf, p);

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
			char *op = kt_text_binop(&w->sf, p);
			CXCursor lhs = kt_cursor_strip(kt_cursor_child0(p));

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

/*
 * The access sits inside a marking macro that yields its value
 * (READ_ONCE(x), data_race(x), smp_load_acquire(&x)): what the program
 * does with the value is what it does with the macro's result, not with
 * the address the expansion takes. Redo the role from the outermost node
 * of the expansion.
 */
void kt_role_macro_value(struct walk *w, struct kt_access_info *c)
{
	int k = w->depth;

	while (k - 1 > 0 && kt_text_within(&w->sf, w->stack[k - 1], c->mark_from, c->mark_to))
		k--;
	if (k == w->depth)
		return;
	c->addr = c->deref = c->cmp = c->arg = c->called = c->branch = false;
	c->local = clang_getNullCursor();
	kt_role_of(w, k, c);
}

/* v accesses the same expression as c: the same text and field. */
static bool same_expr(const struct kt_access_info *c, const struct kt_access_info *v)
{
	/* an empty text is an expression written in a macro's body: unknown */
	return v->ast && v->kind == c->kind && v->raw && c->raw && c->raw[0] && v->raw[0] &&
	       kt_text_same(v->raw, c->raw) &&
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

		if (tk->t[i].off <= from || tk->t[i].off >= to || !kt_toks_call_at(tk, i))
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
void kt_role_use(const struct walk *w, struct kt_access_info *c, const struct kt_access_info *v,
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

/* kt_role_use() for c, found by a walk over part of its function: walk the
 * whole body for the accesses written like c. */
void kt_role_body_use(const struct walk *w0, struct kt_access_info *c)
{
	struct walk w;
	CXSourceRange r;
	CXFile f = NULL, f2 = NULL;
	unsigned a, b;

	if (!c->ast || clang_Cursor_isNull(c->fn))
		return;
	r = clang_getCursorExtent(c->fn);
	a = kt_cursor_off(clang_getRangeStart(r), &f);
	b = kt_cursor_off(clang_getRangeEnd(r), &f2);
	if (!f || !f2 || !clang_File_isEqual(f, f2) || b <= a)
		return;
	if (!kt_walk_open(&w, w0->sf.tu, f, c->fn, w0->t))
		return;
	w.only = c->raw;
	kt_walk_range(&w, a, b);
	kt_walk_collect(&w);
	kt_role_use(&w, c, w.c, w.n);
	kt_walk_close(&w);
}
