// SPDX-License-Identifier: Apache-2.0
/*
 * Locks held at a point of a function, read from its tokens as written, in
 * source order from the opening brace to the point: acquires add, releases
 * remove, guard() lasts to the end of its scope, scoped_guard() covers its
 * block. A block that ends before the point with a return or a goto as its
 * last statement is an exit path: what it releases is still held after it.
 * A release of a lock the walk did not see taken is recorded (the lock
 * walk along the stack drops it from the callers' locks). Trylock is held after
 * "if (!trylock) exit" and inside "if (trylock) {...}". Function-level facts
 * (__must_hold, __releases) and lockdep_assert_held*() count as held.
 * Locks are named type::field from the argument (libclang's types when the
 * TU was fully parsed; otherwise the declarations in the function's tokens).
 * Limits are listed in rules/README.md ("Lock context").
 */
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "internal.h"
#include "lockset.h"
#include "tokens.h"

void kt_lockset_fini(struct kt_lockset *ls)
{
	for (size_t i = 0; i < ls->n; i++) {
		free(ls->h[i].alt);
		free(ls->h[i].lock);
		free(ls->h[i].mode);
		free(ls->h[i].how);
		free(ls->h[i].func);
	}
	free(ls->h);
	ls->h = NULL;
	ls->n = 0;
	for (size_t i = 0; i < ls->nreleased; i++)
		free(ls->released[i]);
	free(ls->released);
	ls->released = NULL;
	ls->nreleased = 0;
}

static void add_released(struct kt_lockset *ls, const char *lock)
{
	for (size_t i = 0; i < ls->nreleased; i++)
		if (strcmp(ls->released[i], lock) == 0)
			return;
	ls->released = kt_xrealloc(ls->released, (ls->nreleased + 1) * sizeof(char *));
	ls->released[ls->nreleased++] = kt_xstrdup(lock);
}

void kt_lockset_move_released(struct kt_lockset *to, struct kt_lockset *from)
{
	for (size_t i = 0; i < from->nreleased; i++) {
		add_released(to, from->released[i]);
		free(from->released[i]);
	}
	free(from->released);
	from->released = NULL;
	from->nreleased = 0;
}

void kt_lockset_cancel(struct kt_lockset *ls, size_t from, const struct kt_lockset *inner)
{
	for (size_t i = ls->n; i-- > from;) {
		bool gone = false;

		for (size_t k = 0; k < inner->nreleased && !gone; k++)
			gone = strcmp(ls->h[i].lock, inner->released[k]) == 0;
		if (!gone)
			continue;
		free(ls->h[i].alt);
		free(ls->h[i].lock);
		free(ls->h[i].mode);
		free(ls->h[i].how);
		free(ls->h[i].func);
		memmove(&ls->h[i], &ls->h[i + 1], (ls->n - i - 1) * sizeof(*ls->h));
		ls->n--;
	}
}

void kt_lockset_add(struct kt_lockset *ls, const char *lock, const char *mode, const char *how,
		    const char *func, bool weak, const char *alt)
{
	for (size_t i = 0; i < ls->n; i++)
		if (strcmp(ls->h[i].lock, lock) == 0 && strcmp(ls->h[i].mode, mode) == 0)
			return;
	ls->h = kt_xrealloc(ls->h, (ls->n + 1) * sizeof(*ls->h));
	ls->h[ls->n].lock = kt_xstrdup(lock);
	ls->h[ls->n].mode = kt_xstrdup(mode);
	ls->h[ls->n].how = kt_xstrdup(how);
	ls->h[ls->n].func = kt_xstrdup(func ? func : "");
	ls->h[ls->n].weak = weak;
	ls->h[ls->n].alt = alt ? kt_xstrdup(alt) : NULL;
	ls->n++;
}

struct held {
	char *lock, *mode, *how;
	char *alt; /* the lock by its own type (struct wait_queue_head::lock) */
	int scope; /* >= 0: a guard, dropped when this brace depth closes */
};

struct lw {
	const struct kt_tables *t;
	struct kt_tu *tu;
	const struct kt_func *fn;
	struct kt_toks tk;
	size_t *match;	      /* matching bracket index, or (size_t)-1 */
	size_t nbody;	      /* index of the body's opening brace */
	struct kt_tu *oracle; /* a fully parsed TU for types, or NULL */
	char *alt;	      /* set by lock_name: the lock named by its own type */
	struct held *h;
	size_t n;
	char *fname;
	struct kt_lockset *ls; /* where the walk's results go */
};

static void held_add(struct lw *w, const char *lock, const char *mode, const char *how, int scope)
{
	w->h = kt_xrealloc(w->h, (w->n + 1) * sizeof(*w->h));
	w->h[w->n].alt = w->alt;
	w->alt = NULL;
	w->h[w->n].lock = kt_xstrdup(lock);
	w->h[w->n].mode = kt_xstrdup(mode);
	w->h[w->n].how = kt_xstrdup(how);
	w->h[w->n].scope = scope;
	w->n++;
}

static void held_del(struct lw *w, size_t i)
{
	free(w->h[i].alt);
	free(w->h[i].lock);
	free(w->h[i].mode);
	free(w->h[i].how);
	memmove(&w->h[i], &w->h[i + 1], (w->n - i - 1) * sizeof(*w->h));
	w->n--;
}

static void held_release(struct lw *w, const char *lock)
{
	for (size_t i = w->n; i-- > 0;)
		if (strcmp(w->h[i].lock, lock) == 0) {
			held_del(w, i);
			return;
		}
	add_released(w->ls, lock); /* a caller's lock, or a callee's mode */
}

/* The struct a type names, through pointers and typedefs: "struct inode". */
static char *struct_of(CXType t)
{
	CXType c = clang_getCanonicalType(t);

	if (c.kind == CXType_Pointer)
		c = clang_getCanonicalType(clang_getPointeeType(c));
	if (c.kind != CXType_Record)
		return NULL;
	{
		char *n = kt_type_name(c), *r;
		const char *p = n;

		while (kt_str_startswith(p, "const ") || kt_str_startswith(p, "volatile "))
			p = strchr(p, ' ') + 1;
		r = kt_xstrdup(p);
		free(n);
		return r;
	}
}

static CXCursor cursor_at(struct lw *w, unsigned off)
{
	return clang_getCursor(w->tu->tu, clang_getLocationForOffset(w->tu->tu, w->fn->file, off));
}

static void add_text(struct kt_strbuf *sb, struct lw *w, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++)
		kt_strbuf_adds(sb, w->tk.t[i].text);
}

/* ---- types without a full parse of this file: ask a fully parsed TU of the
 * report (it includes the common headers) for struct fields and functions ---- */
struct ofind {
	const char *name;
	enum CXCursorKind kind;
	CXCursor found;
};

struct ffind {
	const char *name;
	CXCursor found;
	bool ok;
};

static enum CXChildVisitResult ffind_visit(CXCursor c, CXCursor p, CXClientData d)
{
	struct ffind *f = d;
	enum CXCursorKind k = clang_getCursorKind(c);

	if (k == CXCursor_FieldDecl) {
		char *n = kt_cx_str(clang_getCursorSpelling(c));
		bool eq = strcmp(n, f->name) == 0;

		free(n);
		if (eq) {
			f->found = c;
			f->ok = true;
			return CXChildVisit_Break;
		}
	} else if ((k == CXCursor_StructDecl || k == CXCursor_UnionDecl) &&
		   clang_Cursor_isAnonymousRecordDecl(c)) {
		clang_visitChildren(c, ffind_visit, f);
		if (f->ok)
			return CXChildVisit_Break;
	}
	return CXChildVisit_Continue;
}

static char *struct_of(CXType t);

/* "struct X" + field -> the struct its type names, through the oracle. */
static char *oracle_field(struct lw *w, const char *st, const char *field)
{
	struct ofind o = {0};
	struct ffind f = {0};
	bool uni = kt_str_startswith(st, "union ");

	if (!w->oracle || !(kt_str_startswith(st, "struct ") || uni))
		return NULL;
	o.name = strchr(st, ' ') + 1;
	o.kind = uni ? CXCursor_UnionDecl : CXCursor_StructDecl;
	if (!kt_tu_lookup(w->oracle, o.kind, o.name, &o.found))
		return NULL;
	f.name = field;
	clang_visitChildren(o.found, ffind_visit, &f);
	return f.ok ? struct_of(clang_getCursorType(f.found)) : NULL;
}

static char *oracle_result(struct lw *w, const char *fn)
{
	struct ofind o = {0};

	if (!w->oracle)
		return NULL;
	o.name = fn;
	o.kind = CXCursor_FunctionDecl;
	if (!kt_tu_lookup(w->oracle, o.kind, o.name, &o.found))
		return NULL;
	return struct_of(clang_getResultType(clang_getCursorType(o.found)));
}

/* The struct type of the expression in tokens a..b, without this file's types:
 * VAR, FUNC(...), and chains of -> and . over them. */
static char *untyped_struct(struct lw *w, size_t a, size_t b)
{
	char *st;

	if (a >= b)
		return NULL;
	if (b == a + 1 && w->tk.t[a].kind == CXToken_Identifier)
		return kt_toks_decl_struct(&w->tk, w->tk.t[a].text);
	if (kt_tok_is(&w->tk, b - 1, ")") && w->match[b - 1] == a + 1 &&
	    w->tk.t[a].kind == CXToken_Identifier)
		return oracle_result(w, w->tk.t[a].text);
	if (b >= a + 3 && w->tk.t[b - 1].kind == CXToken_Identifier &&
	    (kt_tok_is(&w->tk, b - 2, "->") || kt_tok_is(&w->tk, b - 2, "."))) {
		char *r;

		st = untyped_struct(w, a, b - 2);
		if (!st)
			return NULL;
		r = oracle_field(w, st, w->tk.t[b - 1].text);
		free(st);
		return r;
	}
	return NULL;
}

/* Name the lock an argument (tokens a..b) designates: "struct inode::i_rwsem". */
static char *lock_name(struct lw *w, size_t a, size_t b, const char *field)
{
	struct kt_strbuf sb;
	char *st = NULL;
	size_t last;

	free(w->alt);
	w->alt = NULL;
	kt_strbuf_init(&sb);
	while (a < b && (kt_tok_is(&w->tk, a, "&") || kt_tok_is(&w->tk, a, "(")))
		a++;
	while (b > a && kt_tok_is(&w->tk, b - 1, ")") && w->match[b - 1] < a)
		b--;
	if (a >= b)
		return kt_xstrdup("?");
	last = b - 1;
	if (w->tu->full && !w->tu->errors) {
		/* typed: the cursor at the last name of the argument */
		if (w->tk.t[last].kind == CXToken_Identifier) {
			CXCursor c = cursor_at(w, w->tk.t[last].off);
			enum CXCursorKind k = clang_getCursorKind(c);

			if (k == CXCursor_MemberRefExpr) {
				CXCursor ref = clang_getCursorReferenced(c);

				if (field) {
					st = struct_of(clang_getCursorType(ref));
				} else {
					/* the member chain as typed; a field macro
					 * (d_lock for d_lockref.lock) keeps its written name */
					CXCursor root;
					char *path = kt_member_path(c, &root);
					char *fn = kt_cx_str(clang_getCursorSpelling(ref));
					const char *sep = strstr(path, "::");

					if (sep && strcmp(fn, w->tk.t[last].text) != 0) {
						kt_strbuf_add(&sb, path, (size_t)(sep + 2 - path));
						kt_strbuf_adds(&sb, w->tk.t[last].text);
					} else {
						kt_strbuf_adds(&sb, path);
						if (strchr(sep ? sep : path, '.')) {
							/* rd_wait.lock is also a struct
							 * wait_queue_head::lock */
							CXCursor rec =
							    clang_getCursorSemanticParent(ref);
							char *rn;
							struct kt_strbuf ab;

							for (int i = 0;
							     i < 16 &&
							     clang_Cursor_isAnonymousRecordDecl(
								 rec);
							     i++)
								rec = clang_getCursorSemanticParent(
								    rec);
							rn = kt_type_name(clang_getCursorType(rec));
							kt_strbuf_init(&ab);
							kt_strbuf_addf(&ab, "%s::%s", rn, fn);
							w->alt = kt_strbuf_detach(&ab);
							free(rn);
						}
					}
					free(fn);
					free(path);
					return kt_strbuf_detach(&sb);
				}
			} else if (k == CXCursor_DeclRefExpr) {
				CXCursor ref = clang_getCursorReferenced(c);

				if (field) {
					st = struct_of(clang_getCursorType(ref));
				} else if (clang_Cursor_hasVarDeclGlobalStorage(ref) == 1) {
					return kt_cx_str(clang_getCursorSpelling(ref));
				}
			}
		} else if (kt_tok_is(&w->tk, last, ")") && w->match[last] != (size_t)-1 &&
			   w->match[last] > a &&
			   w->tk.t[w->match[last] - 1].kind == CXToken_Identifier) {
			/* a call: the callee's result type */
			CXCursor c = cursor_at(w, w->tk.t[w->match[last] - 1].off);
			CXCursor ref = clang_getCursorReferenced(c);

			if (field && clang_getCursorKind(ref) == CXCursor_FunctionDecl)
				st = struct_of(clang_getResultType(clang_getCursorType(ref)));
		}
	}
	if (!st && field)
		st = untyped_struct(w, a, b);
	if (!st && !field && b >= a + 3 && w->tk.t[last].kind == CXToken_Identifier &&
	    (kt_tok_is(&w->tk, last - 1, "->") || kt_tok_is(&w->tk, last - 1, "."))) {
		st = untyped_struct(w, a, last - 1);
		if (st) {
			kt_strbuf_addf(&sb, "%s::%s", st, w->tk.t[last].text);
			free(st);
			return kt_strbuf_detach(&sb);
		}
	}
	if (st && field) {
		kt_strbuf_addf(&sb, "%s::%s", st, field);
		free(st);
		return kt_strbuf_detach(&sb);
	}
	free(st);
	/* untyped: the argument as written */
	add_text(&sb, w, a, b);
	if (field)
		kt_strbuf_addf(&sb, "->%s", field);
	return kt_strbuf_detach(&sb);
}

/* Argument k of the call whose '(' is at index open: token range. */
static bool call_arg(struct lw *w, size_t open, int k, size_t *a, size_t *b)
{
	size_t close = w->match[open], s = open + 1;
	int cur = 0;

	if (close == (size_t)-1)
		return false;
	for (size_t i = open + 1; i <= close; i++) {
		if ((kt_tok_is(&w->tk, i, "(") || kt_tok_is(&w->tk, i, "[") ||
		     kt_tok_is(&w->tk, i, "{")) &&
		    w->match[i] != (size_t)-1) {
			i = w->match[i];
			continue;
		}
		if (kt_tok_is(&w->tk, i, ",") || i == close) {
			if (cur == k) {
				*a = s;
				*b = i;
				return i > s;
			}
			cur++;
			s = i + 1;
		}
	}
	return false;
}

static char *entry_lock(struct lw *w, const struct kt_lock_entry *e, size_t open)
{
	size_t a, b;

	if (e->arg < 0)
		return kt_xstrdup(e->klass ? e->klass : e->name);
	if (!call_arg(w, open, e->arg, &a, &b))
		return kt_xstrdup("?");
	return lock_name(w, a, b, e->field);
}

/* Does the token range contain return or goto (an exit path)? */
static bool exits(struct lw *w, size_t a, size_t b)
{
	for (size_t i = a; i < b && i < w->tk.n; i++)
		if (kt_tok_is(&w->tk, i, "return") || kt_tok_is(&w->tk, i, "goto"))
			return true;
	return false;
}

/* Start of the last statement of the block whose braces are at open and
 * close: statements end at a `;` or at a `}` not followed by else. */
static size_t last_stmt(struct lw *w, size_t open, size_t close)
{
	size_t s = open + 1, last = close;

	while (s < close) {
		size_t i = s;

		last = s;
		for (; i < close; i++) {
			bool paren = kt_tok_is(&w->tk, i, "("), brace = kt_tok_is(&w->tk, i, "{");

			if ((paren || brace) && w->match[i] != (size_t)-1 && w->match[i] < close) {
				i = w->match[i];
				if (paren || (i + 1 < close && kt_tok_is(&w->tk, i + 1, "else")))
					continue;
				break;
			}
			if (kt_tok_is(&w->tk, i, ";"))
				break;
		}
		s = i + 1;
	}
	return last;
}

/* Does the block always leave the function (its last statement a return
 * or a goto)? A return under a condition inside it does not make it an
 * exit path: `{ error = complete_walk(nd); if (error) return error; }`
 * goes on past the block when the call succeeds. */
static bool block_exits(struct lw *w, size_t open, size_t close)
{
	size_t l = last_stmt(w, open, close);

	return l < close && (kt_tok_is(&w->tk, l, "return") || kt_tok_is(&w->tk, l, "goto"));
}

/* End (exclusive index) of the statement starting at i. */
static size_t stmt_end(struct lw *w, size_t i)
{
	if (i < w->tk.n && kt_tok_is(&w->tk, i, "{") && w->match[i] != (size_t)-1)
		return w->match[i] + 1;
	for (; i < w->tk.n; i++) {
		if ((kt_tok_is(&w->tk, i, "(") || kt_tok_is(&w->tk, i, "{")) &&
		    w->match[i] != (size_t)-1) {
			i = w->match[i];
			continue;
		}
		if (kt_tok_is(&w->tk, i, ";"))
			return i + 1;
	}
	return w->tk.n;
}

static void match_brackets(struct lw *w)
{
	size_t *st = kt_xcalloc(w->tk.n + 1, sizeof(size_t));
	size_t sp = 0;

	w->match = kt_xcalloc(w->tk.n + 1, sizeof(size_t));
	for (size_t i = 0; i < w->tk.n; i++) {
		const char *s = w->tk.t[i].text;

		w->match[i] = (size_t)-1;
		if (w->tk.t[i].kind != CXToken_Punctuation)
			continue;
		if (!strcmp(s, "(") || !strcmp(s, "[") || !strcmp(s, "{")) {
			st[sp++] = i;
		} else if ((!strcmp(s, ")") || !strcmp(s, "]") || !strcmp(s, "}")) && sp) {
			size_t o = st[--sp];

			w->match[o] = i;
			w->match[i] = o;
		}
	}
	free(st);
}

static void op_at(struct lw *w, size_t i, size_t at_idx, int depth, size_t *skip_to);

static const char *trylock_how(struct lw *w, size_t i, size_t at_idx, bool *held)
{
	/* if ( [!] trylock (...) ) STMT */
	size_t j = i;
	bool neg = false;

	*held = true;
	if (j > 0 && kt_tok_is(&w->tk, j - 1, "!")) {
		neg = true;
		j--;
	}
	if (j >= 2 && kt_tok_is(&w->tk, j - 1, "(") && kt_tok_is(&w->tk, j - 2, "if") &&
	    w->match[j - 1] != (size_t)-1) {
		size_t then = w->match[j - 1] + 1, end = stmt_end(w, then);

		if (neg) {
			/* held after the if when its branch leaves */
			*held = exits(w, then, end) || at_idx >= end;
		} else {
			*held = at_idx >= then && at_idx < end;
		}
	} else if (j >= 2 && kt_tok_is(&w->tk, j - 1, "(") && kt_tok_is(&w->tk, j - 2, "while")) {
		*held = neg; /* while (!trylock) retry; */
	}
	return "trylock";
}

/*
 * A call to a function whose declaration says __acquires(x) or
 * __releases(x) (the sparse annotations, empty macros to the compiler, so
 * read from the declaration's tokens): x is named from the declaration's
 * parameter types (p->lock with "struct rq *p" is struct rq::lock) or kept
 * as written (a global, "RCU").
 */
static void annotated_call(struct lw *w, size_t i)
{
	CXCursor c, decl;
	CXSourceRange r;
	CXFile f = NULL;
	unsigned from = 0;
	size_t size = 0;
	struct kt_toks tk;

	if (!w->tu->full)
		return;
	c = cursor_at(w, w->tk.t[i].off);
	decl = clang_getCursorReferenced(c);
	if (clang_Cursor_isNull(decl) || clang_getCursorKind(decl) != CXCursor_FunctionDecl)
		return;
	r = clang_getCursorExtent(decl);
	clang_getFileLocation(clang_getRangeStart(r), &f, NULL, NULL, &from);
	if (!f || !clang_getFileContents(w->tu->tu, f, &size) || from >= size)
		return;
	kt_toks_range(w->tu->tu, f, from, from + 2048 < size ? from + 2048 : (unsigned)size, &tk);
	for (size_t k = 0; k + 3 < tk.n; k++) {
		const char *s = tk.t[k].text;
		bool acq = strcmp(s, "__acquires") == 0, rel = strcmp(s, "__releases") == 0;
		size_t a, b;
		struct kt_strbuf sb;

		if (!strcmp(s, ";") || !strcmp(s, "{"))
			break;
		if ((!acq && !rel) || strcmp(tk.t[k + 1].text, "("))
			continue;
		a = k + 2;
		b = kt_toks_close(&tk, k + 1);
		if (b >= tk.n)
			break;
		while (a < b && !strcmp(tk.t[a].text, "&"))
			a++;
		kt_strbuf_init(&sb);
		if (b >= a + 3 && tk.t[a].kind == CXToken_Identifier &&
		    (!strcmp(tk.t[a + 1].text, "->") || !strcmp(tk.t[a + 1].text, "."))) {
			/* PARAM->field...: the parameter's struct */
			int np = clang_Cursor_getNumArguments(decl);
			char *st = NULL;

			for (int p = 0; p < np && !st; p++) {
				CXCursor pc = clang_Cursor_getArgument(decl, (unsigned)p);
				char *pn = kt_cx_str(clang_getCursorSpelling(pc));

				if (!strcmp(pn, tk.t[a].text))
					st = struct_of(clang_getCursorType(pc));
				free(pn);
			}
			if (st) {
				kt_strbuf_addf(&sb, "%s::", st);
				for (size_t q = a + 2; q < b; q++)
					kt_strbuf_adds(
					    &sb, !strcmp(tk.t[q].text, "->") ? "." : tk.t[q].text);
				free(st);
			}
		}
		if (!sb.len)
			for (size_t q = a; q < b; q++)
				kt_strbuf_adds(&sb, tk.t[q].text);
		if (sb.len) {
			if (acq)
				held_add(w, sb.buf, "exclusive", "annotated", -1);
			else
				held_release(w, sb.buf);
		}
		kt_strbuf_fini(&sb);
		k = b;
	}
	kt_toks_free(&tk);
}

static void op_at(struct lw *w, size_t i, size_t at_idx, int depth, size_t *skip_to)
{
	const char *name = w->tk.t[i].text;
	size_t open = i + 1;

	bool known = false;

	*skip_to = i + 1;
	for (size_t k = 0; k < w->t->nlocks; k++) {
		const struct kt_lock_entry *e = &w->t->locks[k];
		size_t l = strlen(e->name);
		char *lock;

		if (!(strcmp(e->name, name) == 0 ||
		      (l && e->name[l - 1] == '*' && strncmp(e->name, name, l - 1) == 0)))
			continue;
		known = true;
		if (e->op == KT_LK_GUARD || e->op == KT_LK_SCOPED) {
			/* guard(CLASS)(arg)  /  scoped_guard(CLASS, arg) STMT */
			size_t ca, cb;
			const struct kt_guard_entry *g;
			size_t argopen = open, arga, argb;
			char *klass;

			if (!call_arg(w, open, 0, &ca, &cb) || cb != ca + 1)
				return;
			klass = w->tk.t[ca].text;
			g = kt_tables_guard(w->t, klass);
			if (!g)
				return;
			if (e->op == KT_LK_GUARD) {
				argopen = w->match[open] + 1;
				if (argopen >= w->tk.n || !kt_tok_is(&w->tk, argopen, "("))
					return;
				if (!g->field && g->klass_name)
					lock = kt_xstrdup(g->klass_name);
				else if (call_arg(w, argopen, 0, &arga, &argb))
					lock = lock_name(w, arga, argb, g->field);
				else
					lock = kt_xstrdup(g->klass_name ? g->klass_name : klass);
				held_add(w, lock, g->mode, "guard", depth);
				free(lock);
				*skip_to =
				    w->match[argopen] != (size_t)-1 ? w->match[argopen] + 1 : i + 1;
			} else {
				size_t body = w->match[open] + 1, end = stmt_end(w, body);

				int li = e->arg >= 0 ? e->arg : 1;

				if (g->klass_name && !call_arg(w, open, li, &arga, &argb))
					lock = kt_xstrdup(g->klass_name);
				else if (call_arg(w, open, li, &arga, &argb))
					lock = lock_name(w, arga, argb, g->field);
				else
					lock = kt_xstrdup(klass);
				if (at_idx >= body && at_idx < end)
					held_add(w, lock, g->mode, "scoped_guard", -1);
				free(lock);
				*skip_to = at_idx >= body && at_idx < end ? body : end;
			}
			return;
		}
		lock = entry_lock(w, e, open);
		switch (e->op) {
		case KT_LK_ACQUIRE:
			/* "if (c) lock(x); else lock_shared(x);": one entry, either mode */
			if (i > 0 && kt_tok_is(&w->tk, i - 1, "else") && w->n &&
			    strcmp(w->h[w->n - 1].lock, lock) == 0 &&
			    strcmp(w->h[w->n - 1].mode, e->mode) != 0) {
				struct kt_strbuf sb;
				bool first_excl = strcmp(w->h[w->n - 1].mode, "exclusive") == 0;

				kt_strbuf_init(&sb);
				kt_strbuf_addf(&sb, "%s|%s",
					       first_excl ? w->h[w->n - 1].mode : e->mode,
					       first_excl ? e->mode : w->h[w->n - 1].mode);
				free(w->h[w->n - 1].mode);
				w->h[w->n - 1].mode = kt_strbuf_detach(&sb);
				break;
			}
			held_add(w, lock, e->mode, "acquired", -1);
			break;
		case KT_LK_ASSERT:
			held_add(w, lock, e->mode, "lockdep_assert", -1);
			break;
		case KT_LK_TRYLOCK: {
			bool held;
			const char *how = trylock_how(w, i, at_idx, &held);

			if (held)
				held_add(w, lock, e->mode, how, -1);
			break;
		}
		case KT_LK_RELEASE:
			held_release(w, lock);
			break;
		default:
			break;
		}
		free(lock);
		/* several table lines may name the same function (irqsave: lock + irq) */
	}
	if (!known)
		annotated_call(w, i);
	if (w->match[open] != (size_t)-1)
		*skip_to = open; /* look inside the arguments too */
}

/* Function-level annotations between the start of the definition and its body. */
static void signature(struct lw *w)
{
	for (size_t i = 0; i + 1 < w->nbody; i++) {
		const char *s = w->tk.t[i].text;

		if (!kt_tok_is(&w->tk, i + 1, "("))
			continue;
		if (!strcmp(s, "__must_hold") || !strcmp(s, "__releases")) {
			size_t a, b;

			if (call_arg(w, i + 1, 0, &a, &b)) {
				char *lock = lock_name(w, a, b, NULL);

				held_add(w, lock, "exclusive",
					 s[2] == 'm' ? "must_hold" : "releases", -1);
				free(lock);
			}
		}
	}
}

void kt_lockset_walk(const struct kt_tables *t, struct kt_tu *tu, const struct kt_func *fn,
		     unsigned at, struct kt_tu *oracle, struct kt_lockset *ls)
{
	struct lw w;
	size_t at_idx, i;
	int depth = 0;
	char *base;

	memset(&w, 0, sizeof(w));
	w.t = t;
	w.tu = tu;
	w.fn = fn;
	w.oracle = oracle && oracle->full ? oracle : NULL;
	w.fname = kt_xstrdup(fn->name);
	w.ls = ls;
	kt_toks_range(tu->tu, fn->file, fn->start_off, fn->end_off, &w.tk);
	match_brackets(&w);
	for (w.nbody = 0; w.nbody < w.tk.n && w.tk.t[w.nbody].off < fn->body_off; w.nbody++)
		;
	for (at_idx = w.nbody; at_idx < w.tk.n && w.tk.t[at_idx].off < at; at_idx++)
		;
	signature(&w);
	for (i = w.nbody; i < at_idx;) {
		if (kt_tok_is(&w.tk, i, "{")) {
			size_t m = w.match[i];

			if (i != w.nbody && m != (size_t)-1 && m < at_idx &&
			    block_exits(&w, i, m)) {
				i = m + 1; /* an exit path before the point */
				continue;
			}
			depth++;
			i++;
			continue;
		}
		if (kt_tok_is(&w.tk, i, "}")) {
			for (size_t k = w.n; k-- > 0;)
				if (w.h[k].scope == depth)
					held_del(&w, k);
			depth--;
			i++;
			continue;
		}
		if (kt_toks_call_at(&w.tk, i)) {
			size_t next;

			op_at(&w, i, at_idx, depth, &next);
			i = next > i ? next : i + 1;
			continue;
		}
		/* "if (err) return;" with an unlock before the return on the same
		 * statement cannot happen; braceless exits hold no lock operations */
		i++;
	}
	for (i = 0; i < w.n; i++)
		kt_lockset_add(ls, w.h[i].lock, w.h[i].mode, w.h[i].how, w.fname, false,
			       w.h[i].alt);
	/* *_locked naming: weak evidence that the caller holds a lock */
	base = kt_func_base_name(w.fname);
	if (kt_str_endswith(base, "_locked"))
		kt_lockset_add(ls, "caller's lock (named *_locked)", "exclusive", "naming", w.fname,
			       true, NULL);
	free(base);
	free(w.alt);
	for (i = 0; i < w.n; i++) {
		free(w.h[i].alt);
		free(w.h[i].lock);
		free(w.h[i].mode);
		free(w.h[i].how);
	}
	free(w.h);
	free(w.match);
	free(w.fname);
	kt_toks_free(&w.tk);
}
