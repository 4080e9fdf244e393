/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The files the source stage reads (revtree.c): the tree on disk, or a git
 * revision's tree read from the object store, with the files the revision
 * does not carry (generated headers) from the work tree. libclang gets a
 * revision's files as unsaved files: the main file and every header its
 * #include lines reach at the revision.
 */
#ifndef KT_SOURCE_REVTREE_H
#define KT_SOURCE_REVTREE_H

#include <clang-c/Index.h>
#include <stdbool.h>
#include <stddef.h>

#include "kcsan/git.h"

struct kt_revtree;

/* rev NULL: the tree on disk at src_dir. rev is borrowed. */
struct kt_revtree *kt_revtree_new(const char *src_dir, const struct kt_git_tree *rev);
void kt_revtree_free(struct kt_revtree *rt);
struct kt_memo;
/* What is read on disk from now on is recorded in memo (memo.h; borrowed). */
void kt_revtree_set_memo(struct kt_revtree *rt, struct kt_memo *memo);
/* The revision read, or NULL for the tree on disk. */
const struct kt_git_tree *kt_revtree_rev(const struct kt_revtree *rt);

/* What rel (relative to the tree) is: the revision's entry, else the work
 * tree's (symbolic links on disk are followed as stat() does). */
enum kt_git_kind kt_revtree_kind(struct kt_revtree *rt, const char *rel);
/* rel's contents, NUL-terminated; false when absent or over max bytes. */
bool kt_revtree_read(struct kt_revtree *rt, const char *rel, size_t max, char **buf, size_t *len);
/* The entries of directory dir ("" the top), without hidden ones: of the
 * revision when there is one, else on disk (symbolic links not followed).
 * Caller frees each name and both arrays. */
size_t kt_revtree_list(struct kt_revtree *rt, const char *dir, char ***names,
		       enum kt_git_kind **kinds);

/* The unsaved files for a parse of rel with argv: none for the tree on disk;
 * at a revision, rel (and, for a full parse, the headers reached from it and
 * from argv's -include files through argv's include paths) as the revision
 * has them. The array and the contents stay valid until the next call. */
size_t kt_revtree_unsaved(struct kt_revtree *rt, const char *rel, char *const *argv, int argc,
			  bool full, struct CXUnsavedFile **out);

#endif
