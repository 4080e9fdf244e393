/* SPDX-License-Identifier: Apache-2.0 */
/* Source stage internals, shared by its modules (not a public contract). */
#ifndef KT_SOURCE_INTERNAL_H
#define KT_SOURCE_INTERNAL_H

#include <clang-c/CXCompilationDatabase.h>
#include <clang-c/Index.h>
#include <stdbool.h>
#include <stddef.h>

#include "kcsan/error.h"
#include "kcsan/strbuf.h"

/* ---- compdb.c: compile flags for one source file ---- */
struct kt_compdb;

/* db_file NULL: <src_dir>/compile_commands.json when present, else flags are
 * derived from the tree. */
struct kt_error *kt_compdb_open(const char *src_dir, const char *db_file, struct kt_compdb **out);
void kt_compdb_close(struct kt_compdb *db);
/* Arguments for parsing rel (path relative to the tree) with libclang: the
 * database's command with gcc-only flags dropped, paths mapped onto src_dir;
 * or the derived kernel flags. *from_db tells which. Free with kt_args_free. */
void kt_compdb_args(struct kt_compdb *db, const char *rel, char ***argv, int *argc, bool *from_db);
void kt_args_free(char **argv, int argc);
/* The tree the database names (the build machine's), or NULL. */
const char *kt_compdb_root(const struct kt_compdb *db);
/* Whether the database gives rel a command (libclang infers one from a
 * neighbouring entry for files the database lacks). */
bool kt_compdb_has(struct kt_compdb *db, const char *rel);

/* ---- tables.c: lock and access tables from rules/ ---- */
enum kt_lock_op {
	KT_LK_ACQUIRE,
	KT_LK_RELEASE,
	KT_LK_TRYLOCK, /* acquires when it returns non-zero */
	KT_LK_ASSERT,  /* lockdep_assert_held*: held here */
	KT_LK_GUARD,   /* guard(CLASS)(arg): held to the end of the scope */
	KT_LK_SCOPED,  /* scoped_guard(CLASS, arg) { ... } */
};

struct kt_lock_entry {
	char *name; /* function or macro name */
	enum kt_lock_op op;
	char *mode;  /* exclusive, shared, rcu, irq, bh, preempt */
	int arg;     /* which argument names the lock (0-based), -1: none */
	char *field; /* lock field inside the pointee ("-": the argument itself) */
	char *klass; /* lock class name for lock-less entries (rcu, irq...) */
};

struct kt_guard_entry {
	char *klass; /* guard class: spinlock, mutex, rcu... */
	char *mode;
	char *field;
	char *klass_name; /* lock class name for argument-less guards */
};

struct kt_marking_entry {
	char *name;    /* READ_ONCE, atomic_read, test_bit... (prefix when ends with '*') */
	char *marking; /* READ_ONCE, WRITE_ONCE, data_race, atomic, bitop */
	bool rmw;      /* the target is read and written (atomic_inc, set_bit) */
	bool write;    /* the target is stored (WRITE_ONCE, atomic_set) */
	bool bittest;
};

struct kt_copy_entry {
	char *name; /* memcpy, copy_to_user... or an outer frame function */
	char *what; /* "copy": the access is a copy helper; "buffer": frame names the buffer */
	char *kind; /* memcpy, copy-iter, user-copy / page-cache, user, skb... */
	char *desc; /* object text, e.g. "page cache data" */
};

struct kt_tables {
	struct kt_lock_entry *locks;
	size_t nlocks;
	struct kt_guard_entry *guards;
	size_t nguards;
	struct kt_marking_entry *marks;
	size_t nmarks;
	struct kt_copy_entry *copies;
	size_t ncopies;
	char **passed; /* functions worth naming in expr.passed_to (list_del, kfree...) */
	size_t npassed;
	char **entry; /* frames where the stack walk stops (syscall entry...) */
	size_t nentry;
	char **instr; /* files of instrumentation wrappers (include/linux/instrumented.h) */
	size_t ninstr;
	char **clocks; /* clock sources: a stored value naming one is a time (jiffies...) */
	size_t nclocks;
	char **defers; /* queue deferred work (schedule_work...): access.tbl `defer` */
	size_t ndefers;
	char **gen_prefix; /* functions PREFIX+NAME a macro generates ("__do_sys_") */
	char **gen_macro;  /* ... written MACROn(NAME, ...) ("SYSCALL_DEFINE") */
	size_t ngen;
	char **irq; /* frames that mean interrupt context, with "irq"/"softirq" */
	char **irqkind;
	size_t nirq;
};

struct kt_error *kt_tables_load(const char *rules_dir, struct kt_tables *t);
void kt_tables_free(struct kt_tables *t);
const struct kt_lock_entry *kt_tables_lock(const struct kt_tables *t, const char *name);
const struct kt_guard_entry *kt_tables_guard(const struct kt_tables *t, const char *klass);
const struct kt_marking_entry *kt_tables_marking(const struct kt_tables *t, const char *name);
const struct kt_copy_entry *kt_tables_copy(const struct kt_tables *t, const char *what,
					   const char *name);
bool kt_tables_in(char *const *list, size_t n, const char *name);
/* Free n strings and the array holding them. */
void kt_strs_free(char **a, size_t n);
/* For a function a macro generates (access.tbl `generated`): the macro's
 * name without its argument count ("SYSCALL_DEFINE"), and in *name the
 * name written in its first argument; NULL for other functions. */
const char *kt_tables_generated(const struct kt_tables *t, const char *func, const char **name);

/* ---- tu.c: parsed translation units, cached per kt_source ---- */
struct kt_tu {
	char *rel; /* main file, relative to the tree */
	CXTranslationUnit tu;
	bool full;   /* parsed with the real flags (else: tokens only) */
	bool errors; /* parse had errors */
	unsigned nerrors;
	char *first_error;
	double ms;		   /* parse time */
	struct kt_tu_index *index; /* top-level definitions, built on first use */
	const struct kt_tables *tables; /* the stage's tables (generated functions) */
};

/* The definition of kind (FunctionDecl, StructDecl, UnionDecl) named name. */
bool kt_tu_lookup(struct kt_tu *tu, enum CXCursorKind kind, const char *name, CXCursor *out);
void kt_tu_index_free(struct kt_tu_index *ix);

struct kt_tu_cache;
/* tables: the source stage's tables, which the TUs it hands out point to. */
struct kt_tu_cache *kt_tu_cache_new(CXIndex idx, struct kt_compdb *db, const char *src_dir,
				    const struct kt_tables *tables);
void kt_tu_cache_free(struct kt_tu_cache *c);
/* Parse (or reuse) rel. full: with the compile flags; else a quick token-level
 * parse without includes. NULL when the file is not there. */
struct kt_tu *kt_tu_get(struct kt_tu_cache *c, const char *rel, bool full);
unsigned kt_tu_cache_parses(const struct kt_tu_cache *c);
double kt_tu_cache_parse_ms(const struct kt_tu_cache *c);
/* Drop least recently used TUs over the bounds; call between reports only. */
void kt_tu_cache_trim(struct kt_tu_cache *c);

/* ---- func.c: functions inside a TU ---- */
struct kt_func {
	CXCursor cur; /* the FunctionDecl definition */
	CXFile file;
	unsigned start_off, end_off; /* file offsets of the whole definition */
	unsigned body_off;	     /* offset of the opening brace */
	bool by_name;		     /* found by name (else: by line only) */
	bool by_tokens;		     /* found in the tokens only: cur is null */
	char name[128];
};

/* Find the definition of func containing file:line (file relative to the
 * tree). Falls back to any definition containing the line. */
bool kt_func_find(struct kt_tu *tu, const char *src_dir, const char *rel, unsigned line,
		  const char *func, struct kt_func *out);
/* A function definition's cursor as a kt_func (false: not a definition
 * with a body). */
bool kt_func_from_cursor(CXCursor def, struct kt_func *out);
/* The definition of func anywhere in rel (the line has drifted). */
bool kt_func_find_named(struct kt_tu *tu, const char *src_dir, const char *rel, const char *func,
			struct kt_func *out);
/* The function fn only forwards to: its body is the one statement
 * `return g(...);` or `g(...);` with g defined in the translation unit
 * (an old name kept as a wrapper of the new one). False otherwise. */
bool kt_func_forwarded(const struct kt_func *fn, struct kt_func *out);
/* func name without .constprop.0/.isra.0/.part.0 suffixes; caller frees. */
char *kt_func_base_name(const char *func);
/* Offset of the first byte of line in the file's buffer; false when past the end. */
bool kt_line_offset(CXTranslationUnit tu, CXFile f, unsigned line, unsigned *off);

/* Token helpers. */
struct kt_tok {
	CXTokenKind kind;
	char *text;
	unsigned off, line; /* file location */
};
struct kt_toks {
	struct kt_tok *t;
	size_t n;
};
void kt_toks_range(CXTranslationUnit tu, CXFile f, unsigned from, unsigned to, struct kt_toks *out);
void kt_toks_free(struct kt_toks *t);

/* ---- access.c: the access expression ---- */
struct kt_access_info {
	bool found;
	char *text;    /* expression as written */
	char *kind;    /* member, global, array, deref, memcpy, copy-iter, user-copy, local */
	char *field;   /* "struct inode::i_mode" (member path), global name... */
	char *type;    /* expression type */
	char *marking; /* plain, READ_ONCE, ... */
	bool write;
	bool rmw, bittest, branch, deref;
	bool has_mask;		 /* bittest against a compile-time constant: */
	unsigned long long mask; /* the bits tested, within the accessed word */
	bool use_known;	   /* compare_only and reload_use were worked out */
	bool compare_only; /* the value is only compared or truth-tested */
	bool reload_use;   /* a later load of the same expression is followed */
	bool use_after_check; /* this use follows a test of an earlier load */
	char **passed_to;
	size_t npassed;
	bool data_racy;
	char *buffer;	   /* for copies: page-cache, user, skb... */
	char *buffer_desc; /* "page cache data" */
	long long size;	   /* bytes of the expression's type, -1 unknown */
	char *note;
	int ncand;	    /* candidates on the line */
	int nbest;	    /* of them, equally good */
	int param_index;    /* >= 0: the base is this parameter of the function */
	char *param_suffix; /* member path below the parameter ("tv_sec") */
	char *rec;	    /* first-level member: its struct, and the byte offset */
	long long rec_off;
	char *deref_key; /* a fieldless *p of parameter p: "*p (parameter of f)" */
	char *stored;	   /* for a store: the stored value's expression, or NULL */
	bool stored_clock; /* that expression reads a clock (access.tbl `clock`) */
	char **guards;	   /* a condition of an if that only calls: those calls */
	size_t nguards;
	bool guards_defer; /* each of them is a `defer` function of access.tbl */
};
void kt_access_info_fini(struct kt_access_info *a);

struct kt_access_query {
	const char *func;
	unsigned line;
	bool want_write; /* direction from the report */
	bool want_rmw;
	long long size;	    /* bytes, 0 unknown */
	const char *prefer; /* field the other side found, or NULL */
	int pick;	    /* take the pick-th of equally good candidates */
	const char *global; /* the binary stage's variable at the address, or NULL */
	const char *member; /* and the member path there ("i_lru.next"), or NULL */
	bool param_derefs;  /* kt_access_all: also fieldless *p of a parameter */
};
void kt_access_find(const struct kt_tables *t, struct kt_tu *tu, const struct kt_func *fn,
		    const struct kt_access_query *q, struct kt_access_info *out);
struct kt_cand_list {
	struct kt_access_info *v;
	unsigned *off; /* file offset of each */
	size_t n;
};
/* Every access in fn's body fitting q's direction and size. */
void kt_access_all(const struct kt_tables *t, struct kt_tu *tu, const struct kt_func *fn,
		   const struct kt_access_query *q, struct kt_cand_list *out);
void kt_cand_list_fini(struct kt_cand_list *l);
/* For an inline callee whose access is through its parameter number idx:
 * the argument expression passed at the call to callee on line in fn.
 * Fills field/text from the caller's argument ("&inode->i_atime"). */
bool kt_access_from_arg(struct kt_tu *tu, const struct kt_func *fn, unsigned line,
			const char *callee, int idx, struct kt_access_info *out);

/* ---- lockset.c: locks held ---- */
struct kt_held {
	char *lock; /* "struct inode::i_rwsem" */
	char *mode; /* exclusive, shared... */
	char *how;  /* acquired, assert, must_hold, guard, trylock, naming */
	char *func; /* function where it was taken */
	bool weak;  /* only *_locked naming */
	char *alt;  /* the lock by its own type when named through a
		     * member path (struct wait_queue_head::lock), or NULL */
};
struct kt_lockset {
	struct kt_held *h;
	size_t n;
};
void kt_lockset_fini(struct kt_lockset *ls);
/* Add the locks that fn holds at offset `at` (the call site or access). */
void kt_lockset_walk(const struct kt_tables *t, struct kt_tu *tu, const struct kt_func *fn,
		     unsigned at, struct kt_tu *oracle, struct kt_lockset *ls);
void kt_lockset_add(struct kt_lockset *ls, const char *lock, const char *mode, const char *how,
		    const char *func, bool weak, const char *alt);

/* "struct inode::i_atime.tv_sec" for a member expression; *root: the
 * expression the chain starts from. */
char *kt_member_path(CXCursor member, CXCursor *root);

/* Small helpers. */
char *kt_cx_str(CXString s);  /* dup and dispose */
char *kt_type_name(CXType t); /* "struct inode" */

#endif
