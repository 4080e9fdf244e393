/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The census's reading of one function (or macro) of the tree: its tokens,
 * its locals and their types, the lock events along it, and the
 * classification of each access site (internal).
 */
#ifndef KT_CENSUS_ANA_H
#define KT_CENSUS_ANA_H

#include "decl.h"
#include "index.h"
#include "lex.h"

/* ---- types.c: types through the index ---- */

/* A resolved type: a struct or union tag (pointing into an index segment
 * or a function's buffer), or unknown (kind TY_NONE). */
struct rty {
	char tag[128];
	uint8_t kind;
	bool array;
};

/* Before a census: forget the remembered lookups if they filled up. */
void ty_memo_start(const struct kt_census_index *ix);
/* The type a declaration gives a name: tags directly, typedefs resolved. */
void ty_of_decl(const struct kt_census_index *ix, uint8_t kind, const char *name, size_t n,
		bool array, struct rty *out);
/* The member of a struct tag (looked for in every live definition of it):
 * its type; *rec and *seg_k, when not NULL, get its record. */
bool ty_member(const struct kt_census_index *ix, const char *tag, const char *member, size_t n,
	       struct rty *out, const struct rec_member **rec, int *seg_k);
/* Distinct struct tags declaring a member of this name; *unique the tag
 * when there is one (valid while the index is open). */
size_t ty_member_owners(const struct kt_census_index *ix, const char *member, size_t n,
			const char **unique);
/* Live definitions of a tag. */
size_t ty_definitions(const struct kt_census_index *ix, const char *tag);
/* The type of a global variable, of a function's result, and the struct a
 * container-style macro returns (`#define to_x(p) container_of(p, struct x, m)`). */
bool ty_global(const struct kt_census_index *ix, const char *name, size_t n, struct rty *out);
bool ty_func(const struct kt_census_index *ix, const char *name, size_t n, struct rty *out);
bool ty_macro(const struct kt_census_index *ix, const char *name, size_t n, struct rty *out);
/* Declarations of a global: *nstatic of them static, *files in how many
 * files; for static ones, is file `path` one that declares it static? */
size_t ty_global_decls(const struct kt_census_index *ix, const char *name, size_t *nstatic,
		       const char *static_in, bool *static_here);

/* The names whose mention can give an expression the struct tag's type:
 * the tag, its typedefs, functions, globals and members of those types,
 * macros standing for them. A unit naming none of them holds no site of
 * that struct that the census could place by type. */
struct nameset;
struct nameset *ty_producers(const struct kt_census_index *ix, const char *tag);
bool nameset_in_text(const struct nameset *ns, const char *buf, size_t len);
void nameset_free(struct nameset *ns);

/* ---- func.c: one unit ---- */
struct local {
	size_t name;	 /* token */
	size_t from, to; /* scope: tokens */
	struct rty ty;
	long init, init_end;
	bool is_param;
};

struct held {
	char name[160];
	char mode[16];
};

enum lev_kind { LEV_OPEN, LEV_CLOSE, LEV_ACQ, LEV_REL };

struct lev {
	size_t pos;
	uint8_t kind;
	bool fallthrough; /* LEV_CLOSE: the block can run on past its end */
	struct held lock;
};

struct fn {
	const struct kt_census_index *ix;
	const struct kt_census_vocab *v;
	int seg;
	const struct rec_unit *u;
	const char *buf;
	size_t len;
	const char *file;
	const char *name;
	bool macro;
	struct ct_toks toks;
	struct ct_tok *t;
	size_t n;
	uint32_t *match;
	size_t body; /* first token of the body (after `{` for functions) */
	struct local *loc;
	size_t nloc;
	struct lev *ev;
	size_t nev;
	struct held entry[8]; /* held on entry (__must_hold in the declarator) */
	size_t nentry;
	bool init_fn, exit_fn;
	bool is_static;	 /* callable only from its file */
	char marker[32]; /* the init or exit marker */
	bool have_locals, have_locks;
};

/* Lexes the unit, whose bytes are in buf (len bytes from file offset
 * base): token offsets are relative to buf. */
bool fn_open(struct fn *f, const struct kt_census_index *ix, int seg, const struct rec_unit *u,
	     const char *buf, size_t len, uint32_t base);
/* Reads its parameters, locals and markers (types need them); then its
 * lock events (the locks held need them). Each runs once. */
void fn_prepare(struct fn *f);
void fn_prepare_locks(struct fn *f);
void fn_close(struct fn *f);
const struct local *fn_local(const struct fn *f, const char *s, size_t n, size_t at);
/* The locks held just before token pos. */
size_t fn_held(const struct fn *f, size_t pos, struct held *out, size_t max);
/* Type of the expression t[a, b]. */
bool fn_expr_type(const struct fn *f, size_t a, size_t b, int depth, struct rty *out);
/* Tokens [a, b] as text, blanks only between words; into buf (cut). */
void fn_text(const struct fn *f, size_t a, size_t b, char *buf, size_t cap);
/* The source of tokens [a, b], blanks collapsed, for people. */
void fn_src(const struct fn *f, size_t a, size_t b, char *buf, size_t cap);
bool fn_tok_is(const struct fn *f, size_t i, const char *word);
/* The unmatched `(` enclosing token i within its statement, or -1. */
long fn_enclosing_paren(const struct fn *f, size_t i);
/* First token of the statement holding token i; its end (`;` or `{`). */
size_t fn_stmt_start(const struct fn *f, size_t i);
size_t fn_stmt_end(const struct fn *f, size_t i);
/* The argument of the call group `(` at open holding token i: its index
 * and range [*a, *b] (inclusive); false when i is not in it. */
bool fn_arg_of(const struct fn *f, size_t open, size_t i, int *idx, size_t *a, size_t *b);
/* The range of argument k of the call group at open. */
bool fn_arg(const struct fn *f, size_t open, int k, size_t *a, size_t *b);
/* The name of a lock from argument tokens [a, b] and a table entry. */
void fn_lock_name(const struct fn *f, const struct cv_entry *e, long a, long b, char *out,
		  size_t cap);

/* ---- site.c: one access ---- */

/* A member path as the query names it. */
struct qpath {
	char comp[8][128];
	size_t n;
};

struct site_opts {
	bool member_array; /* the object is an array member: x->f[i] is inside it */
};

/* Classifies the access whose lvalue is tokens [e0, e1]; false when the
 * tokens are no access (sizeof, typeof...). */
bool site_classify(struct fn *f, size_t e0, size_t e1, const struct site_opts *o,
		   struct kt_census_site *out);

/* The postfix chain before the member token m (`a->b.c[i]->m`): its first
 * token, the root's type, and hops[] the member tokens in order (m last). */
struct chain {
	size_t start;
	size_t hops[16];
	bool arrow[16];
	size_t nhops;
	bool root_ok;
	struct rty root;
};
bool site_chain(const struct fn *f, size_t m, struct chain *c);
/* The type after the first k hops of c. */
bool site_chain_type(const struct fn *f, const struct chain *c, size_t k, struct rty *out);

/* ---- callers.c: locks a static function's callers hold ---- */

/* Every call of the static function func in file holds lock (exclusive or
 * shared; its mode into mode): false when one does not, or when no call is
 * seen (the function is only used through a pointer). */
bool callers_hold(struct kt_census_index *ix, const char *file, const char *func, const char *lock,
		  char *mode, size_t cap);
/* A file of the tree (NULL when it cannot be read), one unit's bytes
 * from it, and closing it (query.c). */
struct cf_file *census_open_src(const struct kt_census_index *ix, const char *rel);
char *census_read_unit(const struct kt_census_index *ix, struct cf_file *f,
		       const struct rec_unit *u, size_t *len);
void census_close_src(const struct kt_census_index *ix, struct cf_file *f);

#endif
