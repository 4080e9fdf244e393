/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The compile database (compdb.c) and the tables from rules/ (tables.c), for the
 * source stage's modules; each other module has a header of its own.
 */
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
const char *kt_compdb_root(struct kt_compdb *db);
/* Why the tree's database could not be read (its commands are then derived
 * flags), once something asked for them; NULL when it could or was not asked.
 * A database named by the caller is read at kt_compdb_open instead. */
const char *kt_compdb_problem(const struct kt_compdb *db);
/* The database file, or NULL when the flags are derived from the tree. */
const char *kt_compdb_file(const struct kt_compdb *db);
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

/* A libclang string as a malloc'd copy; s is disposed of. */
char *kt_cx_str(CXString s);

#endif
