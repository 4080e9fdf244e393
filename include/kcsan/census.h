/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The census of an object across a kernel tree: every access to a struct
 * member (`struct S::f`, a member path `stats.tx_dropped`, a bitfield) or to
 * a global variable, each with its file, line and function; read, write,
 * read-modify-write or address taken; plain or marked; the locks held at
 * that point of its function; whether it runs on an init or teardown path;
 * for reads, what the value is used for. Then the aggregates the rules read:
 * the lock discipline of writers and readers, the marked share, set-once,
 * the deviant writers (a writer without the lock the others hold), the
 * readers' use, and for a bitfield the neighbours sharing its memory
 * location and who writes them under which lock.
 *
 * The tree is read by a C token lexer, not a compiler: identification is
 * lexical (declared types in the function, casts, container_of, member
 * names declared by one struct only) and a site that cannot be placed is
 * counted as unresolved, never as the object's. The index of the tree (the
 * identifiers of each function, the struct declarations) is kept on disk,
 * keyed by every file's size, mtime and inode (a content hash when the
 * mtime is too recent to trust), and re-read or updated at open.
 *
 * The kernel knowledge (marking macros, lock functions, allocators, output
 * functions...) is the caller's vocabulary, built from the rules tables.
 */
#ifndef KCSAN_CENSUS_H
#define KCSAN_CENSUS_H

#include <stdbool.h>
#include <stddef.h>

#include "kcsan/error.h"
#include "kcsan/strbuf.h"

/* ---- vocabulary ---- */
struct kt_census_vocab;

struct kt_census_vocab *kt_census_vocab_new(void);
void kt_census_vocab_free(struct kt_census_vocab *v);
/* One table line split into fields, f[0] its kind: `marking` lines of
 * access.tbl; the lock lines of locks.tbl (acquire, release, trylock,
 * assert, guard, scoped, class); the lines of census.tbl (alloc, free,
 * publish, output, test, transparent, size, container, init, exit,
 * noaccess, skip). A bad line is refused with file:line. */
struct kt_error *kt_census_vocab_add(struct kt_census_vocab *v, const char *const *f, size_t n,
				     const char *file, long line);
/* The vocabulary of a rules folder: access.tbl's marking lines, locks.tbl's
 * lock lines, every line of census.tbl. */
struct kt_error *kt_census_vocab_load(const char *rules_dir, struct kt_census_vocab **out);
/* Whether census.tbl lists func as taking a permission or security decision
 * from its arguments (`decide` lines). */
bool kt_census_vocab_decides(const struct kt_census_vocab *v, const char *func);

/* ---- the index of a tree ---- */
struct kt_census_index;

/* Opens the index of tree_dir: reuses the one on disk under cache_dir when
 * it matches the tree, updates it when files changed, builds it otherwise
 * (with a progress line on standard error when that is a terminal).
 * cache_dir NULL: $XDG_CACHE_HOME/kcsan-triage (or ~/.cache/kcsan-triage);
 * "": no file is read or written. A damaged or foreign index file is
 * rebuilt, never trusted. vocab must outlive the index. An index serves
 * one census at a time (it remembers lookups): one per thread. */
struct kt_error *kt_census_index_open(const char *tree_dir, const char *cache_dir,
				      const struct kt_census_vocab *vocab,
				      struct kt_census_index **out);
/* The same for the files of revision rev (a commit, tag or branch) of the
 * git repository whose work tree is repo_dir, read from its object store
 * (nothing is checked out). Files are keyed by blob id: the index of a
 * revision is kept beside the repository's first one as a delta of the
 * files that differ (or on its own when they are too many). An error with
 * code KT_ERR_MISMATCH when the repository lacks rev. */
struct kt_error *kt_census_index_open_rev(const char *repo_dir, const char *rev,
					  const char *cache_dir,
					  const struct kt_census_vocab *vocab,
					  struct kt_census_index **out);
void kt_census_index_close(struct kt_census_index *ix);

struct kt_census_index_info {
	size_t files;	       /* C files indexed */
	size_t units;	       /* functions and macros */
	size_t structs;	       /* struct and union definitions */
	size_t bytes;	       /* size of the index on disk (both segments) */
	size_t reindexed;      /* files (re)read by this open */
	bool from_cache;       /* the main segment was read from disk */
	bool rebuilt;	       /* a damaged or foreign index file was replaced */
	const char *path;      /* the index file, or NULL without a cache */
	const char *rev;       /* the commit whose files were read; NULL: the tree on disk */
	size_t worktree_reads; /* of a revision's files: read from the work tree, which
				* holds them unchanged (so far: queries count too) */
	double build_seconds;  /* time spent lexing files in this open */
};
void kt_census_index_info(const struct kt_census_index *ix, struct kt_census_index_info *out);

/* Where the tree defines a function: the files (paths relative to the
 * tree, distinct, in index order) whose code defines a function named
 * name, for frames printed without a file. Returns how many; *files (the
 * caller frees each and the array) is NULL when none. */
size_t kt_census_function_files(const struct kt_census_index *ix, const char *name, char ***files);

/* ---- a census ---- */
enum kt_census_access {
	KT_CA_READ,
	KT_CA_WRITE,
	KT_CA_RMW,  /* ++, +=, |=, an rmw helper (atomic_inc, set_bit) */
	KT_CA_ADDR, /* &x->f handed on */
};

enum kt_census_path {
	KT_CP_SHARED,	/* an object other threads may see */
	KT_CP_INIT,	/* not yet shared: allocated or init-only code */
	KT_CP_TEARDOWN, /* no longer shared: freed later in the function */
};

/* What a read's value is used for (bits). */
enum kt_census_use {
	KT_CU_OUTPUT = 1u << 0,	   /* printed, copied to user, netlink, seq_file... */
	KT_CU_TEST = 1u << 1,	   /* compared or truth-tested */
	KT_CU_DEREF = 1u << 2,	   /* dereferenced (or called through) */
	KT_CU_INDEX = 1u << 3,	   /* an array index */
	KT_CU_SIZE = 1u << 4,	   /* a size or a loop bound */
	KT_CU_STORED = 1u << 5,	   /* stored into another object */
	KT_CU_RETURNED = 1u << 6,  /* returned */
	KT_CU_PASSED = 1u << 7,	   /* passed to another call */
	KT_CU_DISCARDED = 1u << 8, /* not used */
	KT_CU_OTHER = 1u << 9,	   /* anything the lexical reading cannot tell */
	KT_CU_DECIDE = 1u << 10,   /* passed to a permission or security check */
};

struct kt_census_lock {
	char *name; /* "struct rq::lock", "rcu", the argument text */
	char *mode; /* exclusive, shared, rcu, irq, bh, preempt, seqcount, ref */
};

struct kt_census_site {
	char *file; /* relative to the tree */
	unsigned line;
	char *func; /* enclosing function, or "#define NAME" for a macro body */
	enum kt_census_access access;
	char *marking; /* NULL: plain; else READ_ONCE, atomic, bitop, ... */
	struct kt_census_lock *locks;
	size_t nlocks;
	enum kt_census_path path;
	char *path_why;	       /* "allocated by kzalloc at line 12", "__init function" */
	unsigned use;	       /* reads: KT_CU_* */
	char *use_call;	       /* the call the value is printed by or passed to */
	bool by_unique_member; /* placed because no other struct has the member */
	bool in_macro;
	bool in_static;	      /* its function is static: its callers are in its file */
	bool callers_hold;    /* its last lock: held by every call of its (static) function */
	char *value;	      /* writes: the value stored, as written */
	bool store_const;     /* writes: the value is a constant */
	bool store_from_zero; /* writes: under a test that the object is 0/NULL */
	char *recheck_lock;   /* an unlocked test read again later under this lock */
	char *text;	      /* the statement, on one line, shortened */
};

struct kt_census_lockcount {
	char *lock;
	size_t k; /* sites holding it */
};

struct kt_census_deviant {
	size_t site; /* index into sites */
	char *lock;  /* the lock the other writers hold */
	size_t k, n; /* held at k of n writer sites */
};

struct kt_census_neighbour {
	char *member; /* a bitfield sharing the memory location */
	int width;    /* bits, -1 when not a constant */
	size_t nwriters;
	struct kt_census_lockcount *locks; /* held by its writers */
	size_t nlocks;
	bool clobber;	    /* one of its writers and one of the object's hold no common lock */
	char *clobber_site; /* that writer of the neighbour: file:line */
	char *object_site;  /* and of the object: file:line */
};

struct kt_census_unresolved {
	char *file;
	unsigned line;
	char *func;
};

struct kt_census_result {
	char *object;		 /* "struct inode::i_mode", "jiffies" */
	char *owner;		 /* "struct inode"; NULL for a global */
	char *rev;		 /* the git commit whose files were read; NULL: a tree on disk */
	size_t definitions;	 /* definitions of the owner type (or the global) seen */
	size_t owners_of_member; /* structs declaring the member's name */
	struct kt_census_site *sites;
	size_t nsites;
	size_t nreaders, nwriters, naddr; /* writers: writes and rmw */
	size_t nmarked, ninit;
	size_t units_scanned;
	size_t units_skipped; /* functions with the member's name but nothing
			       * of the struct's type: not read */
	/* sites with the member's name whose base's type is unknown, in the
	 * functions read (the first ones listed) */
	struct kt_census_unresolved *unresolved;
	size_t nunresolved;
	size_t nunresolved_listed;
	/* writers and readers not on an init/teardown path */
	size_t writer_n, reader_n;
	struct kt_census_lockcount *writer_locks, *reader_locks;
	size_t nwriter_locks, nreader_locks;
	struct kt_census_deviant *deviants;
	size_t ndeviants;
	bool set_once;
	char *set_once_why;
	unsigned reader_use;  /* union over shared reads */
	unsigned outside_use; /* union over shared reads in functions writing nothing */
	size_t noutside_reads;
	bool bitfield;
	int width;
	struct kt_census_neighbour *neighbours;
	size_t nneighbours;
	bool clobber;
};

/* The census of a member: type "struct S", "union U" or a typedef name;
 * member a name or a path ("stats.tx_dropped"). */
struct kt_error *kt_census_query(struct kt_census_index *ix, const char *type, const char *member,
				 struct kt_census_result **out);
/* The census of a global variable (member NULL, or a path inside it). */
struct kt_error *kt_census_query_global(struct kt_census_index *ix, const char *name,
					const char *member, struct kt_census_result **out);
/* "struct S::f.g", "union U::f", "jiffies", "rcu_state.gp_seq". */
struct kt_error *kt_census_query_object(struct kt_census_index *ix, const char *object,
					struct kt_census_result **out);
void kt_census_result_free(struct kt_census_result *r);

/* The census as text for people, and as one JSON object. */
void kt_census_result_text(const struct kt_census_result *r, bool all_sites, struct kt_strbuf *sb);
void kt_census_result_json(const struct kt_census_result *r, struct kt_strbuf *sb);
/* "output", "test", ... for one KT_CU_ bit. */
const char *kt_census_use_name(unsigned bit);
const char *kt_census_access_name(enum kt_census_access a);

#endif
