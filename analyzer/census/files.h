/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where the census reads a tree's files (internal): the tree on disk
 * (files_dir.c) or one revision of a git repository, from its object store
 * (files_git.c). The index and the queries only list, key and read files
 * through this; which files, how they are keyed and where the cache files
 * go is the source's business.
 */
#ifndef KT_CENSUS_FILES_H
#define KT_CENSUS_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kcsan/census.h"
#include "kcsan/error.h"

#define CF_MAX_FILE  (64u << 20) /* bigger files are recorded, not read */
#define CF_MAX_DEPTH 48

/* One C file of the tree and its content key: files with the same key
 * have the same contents. On disk: size, mtime and inode (hash 0: read the
 * file to hash it when the mtime is too recent to trust); in a revision:
 * the blob id (ino and hash), mtime and size 0. */
struct wfile {
	char *path; /* relative, '/'-separated */
	uint64_t size, ino;
	int64_t mtime;
	uint64_t hash;
};

struct wlist {
	struct wfile *v;
	size_t n, cap;
};

void wlist_add(struct wlist *w, struct wfile f);
void wlist_free(struct wlist *w);

/* A file opened to read units from. */
struct cf_file;

struct cf_ops {
	/* Every .c and .h file outside the vocabulary's skip directories. */
	void (*list)(void *arg, const struct kt_census_vocab *v, struct wlist *out);
	/* The whole file, NUL-terminated; NULL when unreadable or too big. */
	char *(*read)(void *arg, const char *rel, size_t *len);
	/* A file to read units from; NULL when it cannot be read. */
	struct cf_file *(*open)(void *arg, const char *rel);
	/* Bytes [start, end) of f, NUL-terminated; NULL when out of range. */
	char *(*range)(struct cf_file *f, uint32_t start, uint32_t end, size_t *len);
	void (*close)(struct cf_file *f);
	void (*free)(void *arg);
	/* A revision's files read from the work tree (it holds them
	 * unchanged) so far; NULL on disk. */
	size_t (*worktree_reads)(void *arg);
};

/* The files of one tree. */
struct cf_source {
	const struct cf_ops *ops;
	void *arg;
	char *name;	  /* for people: the tree's real path, or "DIR at COMMIT" */
	char *main_root;  /* identity stored in a main segment of the cache */
	char *rev_root;	  /* identity of this revision (== main_root on disk) */
	char *cache_stem; /* the cache files' name without extension */
	char *rev_stem;	  /* a revision's own files (NULL on disk) */
	char *rev;	  /* the commit read, NULL on disk */
	bool racy_mtime;  /* keys are mtimes: recheck the recent ones */
};

/* The tree on disk at dir. */
struct kt_error *cf_dir_new(const char *dir, struct cf_source *out);
/* The git repository whose work tree is dir, at rev. */
struct kt_error *cf_git_new(const char *dir, const char *rev, struct cf_source *out);
void cf_source_fini(struct cf_source *s);

/* Is the directory rel (relative to the top) one the vocabulary skips? */
bool cf_skipped(const struct kt_census_vocab *v, const char *rel);
/* Does name end in .c or .h? */
bool cf_c_file(const char *name);
int cf_cmp_wfile(const void *a, const void *b);
/* The checksum a segment uses, as a 64-bit name for a string. */
uint64_t cf_name_hash(const char *s);
/* n bytes of fd from offset start (fewer at the end of the file or on an
 * error: *len says how many), NUL-terminated; the caller frees. */
char *cf_pread(int fd, uint64_t start, size_t n, size_t *len);

#endif
