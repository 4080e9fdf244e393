/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The source stage's persistent cache (memo.c, memo_key.c): what a report
 * got from the stage, kept on disk under the cache directory and given back
 * to the same report when nothing the stage read has changed, without
 * parsing anything.
 *
 * A record is found by its key: the build of the tool, libclang's version,
 * the tree and the stage's options, the report and its stacks, and every
 * fact the earlier stages wrote. It is trusted only when each file the stage
 * had read (libclang's parses with every header included, the files read
 * outside libclang, the tables), each path it looked up, each directory it
 * listed and each parse's compile command are still what they were; a file
 * whose size, mtime and inode are unchanged is not read again. What it holds
 * is the report's facts after the stage, replayed onto the facts table.
 * Only the tree on disk is cached (not a git revision).
 */
#ifndef KT_SOURCE_MEMO_H
#define KT_SOURCE_MEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kcsan/facts.h"
#include "kcsan/git.h"
#include "kcsan/report.h"
#include "kcsan/strbuf.h"

struct kt_memo;
struct kt_revtree;
struct kt_compdb;

/* dir: the cache directory (its "source" subdirectory holds the records);
 * salt: what keys every record of this stage besides the build and the
 * report (the tree, the options); src_dir: the tree; rt, db: the stage's files and compile
 * commands (borrowed), to check a record's dependencies. NULL when no
 * record can be kept (no build id for the tool, no directory). */
struct kt_memo *kt_memo_new(const char *dir, const char *src_dir, const char *salt,
			    struct kt_revtree *rt, struct kt_compdb *db);
void kt_memo_free(struct kt_memo *m);

/* What the stage read, recorded for the records written after it. A record
 * lists what the files of the tree and the directories the stage read since
 * it opened (its indexes of the tree serve every later report), and of the
 * parses those whose translation units the report used (a unit parsed for
 * an earlier report of the batch, kt_memo_mark(), counts). NULL m: nothing. */
void kt_memo_dep_kind(struct kt_memo *m, const char *rel, enum kt_git_kind kind);
/* abs read: its contents data/len (data NULL: the memo reads it; present
 * false: it could not be read). */
void kt_memo_dep_file(struct kt_memo *m, const char *abs, const char *data, size_t len,
		      bool present);
void kt_memo_dep_list(struct kt_memo *m, const char *rel, char *const *names,
		      const enum kt_git_kind *kinds, size_t n);
/* A file a parse read, and a full parse's arguments (the compile database's
 * for rel): what the reports using that translation unit depend on. Return
 * the dependency, for kt_memo_mark(); (size_t)-1 with m NULL. */
size_t kt_memo_dep_parsed(struct kt_memo *m, const char *abs, const char *data, size_t len,
			  bool present);
/* from_db: the arguments are the database's command for rel, so that the
 * database file's stat may stand for them; derived flags (which read the
 * tree) are always recomputed to be checked. */
size_t kt_memo_dep_args(struct kt_memo *m, const char *rel, char *const *argv, int argc,
			bool from_db);
/* The report being read uses these dependencies (of a parse made before). */
void kt_memo_mark(struct kt_memo *m, const size_t *deps, size_t n);

/* The key of the report about to be read (memo_key.c). */
void kt_memo_begin(struct kt_memo *m, const struct kt_report *rep,
		   const struct kt_frame *const stacks[2], const size_t nframes[2],
		   const struct kt_facts *facts);
/* A valid record of that key: its facts replayed onto facts; true. */
bool kt_memo_replay(struct kt_memo *m, struct kt_facts *facts);
/* The facts after the stage, kept under that key with what was read. */
void kt_memo_store(struct kt_memo *m, const struct kt_facts *facts);
/* Records used and written so far (tests, benchmarks). */
void kt_memo_counts(const struct kt_memo *m, unsigned *hits, unsigned *stores);

/* ---- memo_key.c, for memo.c ---- */
uint64_t kt_memo_hash(const void *data, size_t len, uint64_t seed);
/* Length-prefixed string "LEN:BYTES" and a number "N ", as records hold them. */
void kt_memo_put_str(struct kt_strbuf *sb, const char *s);
void kt_memo_put_num(struct kt_strbuf *sb, long long v);
void kt_memo_put_facts(struct kt_strbuf *sb, const struct kt_facts *facts);
void kt_memo_put_report(struct kt_strbuf *sb, const struct kt_report *rep,
			const struct kt_frame *const stacks[2], const size_t nframes[2]);

/* A cursor over a record's text. */
struct kt_memo_rd {
	const char *p, *end;
	bool bad;
};
long long kt_memo_get_num(struct kt_memo_rd *r);
/* The string at the cursor, NUL-terminated copy (free it); NULL when bad. */
char *kt_memo_get_str(struct kt_memo_rd *r);
/* Replays the facts at the cursor onto facts; false when the record is bad
 * (facts untouched). */
bool kt_memo_apply_facts(struct kt_memo_rd *r, struct kt_facts *facts);

#endif
