/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A kernel git repository read at a revision: the files of one commit's tree
 * straight from the object store (libgit2), without checking anything out.
 * The source stage and the census read a report's own revision through it.
 */
#ifndef KCSAN_GIT_H
#define KCSAN_GIT_H

#include <stdbool.h>
#include <stddef.h>

#include "kcsan/error.h"

struct kt_git;	    /* an opened repository */
struct kt_git_tree; /* the tree of one commit */

/* Is dir the top of a git repository's work tree (a .git directory or file
 * in it)? */
bool kt_git_is_repo(const char *dir);
/* Opens the repository whose work tree is dir. A bare repository is
 * refused: the generated headers a revision lacks come from the work tree. */
struct kt_error *kt_git_open(const char *dir, struct kt_git **out);
void kt_git_free(struct kt_git *g);

/* The tree of the commit rev names (a commit id, abbreviated or not, a tag,
 * a branch, anything git rev-parse reads that peels to a commit). An error
 * with code KT_ERR_MISMATCH when the repository does not hold it. */
struct kt_error *kt_git_tree_open(struct kt_git *g, const char *rev, struct kt_git_tree **out);
void kt_git_tree_free(struct kt_git_tree *t);
/* Does the repository hold the tag name (refs/tags/NAME)? */
bool kt_git_has_tag(struct kt_git *g, const char *name);
/* The commit and tree ids, 40 hex digits. */
const char *kt_git_tree_commit(const struct kt_git_tree *t);
const char *kt_git_tree_id(const struct kt_git_tree *t);

enum kt_git_kind {
	KT_GIT_NONE, /* no such path, or a symbolic link or submodule */
	KT_GIT_FILE,
	KT_GIT_DIR,
};

/* What path (relative to the tree's top, '/'-separated) is. */
enum kt_git_kind kt_git_tree_kind(const struct kt_git_tree *t, const char *path);
/* The contents of the file at path, NUL-terminated (*len without the NUL);
 * false when it is no file or larger than max bytes. */
bool kt_git_tree_read(const struct kt_git_tree *t, const char *path, size_t max, char **buf,
		      size_t *len);
/* The entries of the directory dir ("" for the top): names and kinds, in
 * the tree's order; caller frees each name and both arrays. 0 when dir is
 * no directory. */
size_t kt_git_tree_list(const struct kt_git_tree *t, const char *dir, char ***names,
			enum kt_git_kind **kinds);
/* Every file and directory of the tree, depth first, in the tree's order;
 * fn returns false to skip a directory (called with is_dir) or to stop (for
 * a file). */
typedef bool (*kt_git_walk_fn)(const char *path, bool is_dir, void *arg);
void kt_git_tree_walk(const struct kt_git_tree *t, kt_git_walk_fn fn, void *arg);

/* A blob id, raw (20 bytes). */
#define KT_GIT_ID_LEN 20
/* kt_git_tree_walk with each file's blob id (NULL for a directory): two
 * files with the same id have the same contents. */
typedef bool (*kt_git_walk_id_fn)(const char *path, bool is_dir, const unsigned char *id,
				  void *arg);
void kt_git_tree_walk_ids(const struct kt_git_tree *t, kt_git_walk_id_fn fn, void *arg);
/* The contents of the blob id, NUL-terminated (*len without the NUL);
 * false when the repository lacks it or it is larger than max bytes. */
bool kt_git_blob_read(const struct kt_git_tree *t, const unsigned char *id, size_t max, char **buf,
		      size_t *len);
/* The work tree's file at path, opened for reading, when it holds the blob
 * id byte for byte as far as git can tell without reading it: the
 * repository's index records that blob at path with the file's size,
 * mtime and inode, the entry is older than the index (not racily clean)
 * and the blob has the file's size (no filter changed it). -1 otherwise:
 * read the object store. */
int kt_git_worktree_open(const struct kt_git_tree *t, const char *path, const unsigned char *id);

#endif
