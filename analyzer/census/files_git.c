// SPDX-License-Identifier: Apache-2.0
/*
 * The census's files from one revision of a git repository, read from its
 * object store (analyzer/git): the tree of the commit walked without
 * checking anything out, each C file keyed by its blob id. A file
 * unchanged between two revisions has the same key, so the index of one
 * revision serves the next with a delta of the files that differ.
 *
 * The cache files of a repository: census-H.idx, a main segment of the
 * first revision indexed (its files keyed by blob id, whatever the
 * revision); census-H-TREE.dlt, a revision's delta over it; and
 * census-H-TREE.idx, a revision's own main segment when it differs from
 * that one too much for a delta. H names the repository, TREE is the
 * revision's tree id.
 *
 * A file the work tree holds unchanged (git's index says so, see
 * kt_git_worktree_open()) is read from there: no blob to inflate, and a
 * unit read alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "kcsan/git.h"

struct git_file {
	char *path;
	unsigned char id[KT_GIT_ID_LEN];
};

struct git_src {
	struct kt_git *git;
	struct kt_git_tree *tree;
	struct git_file *files; /* listed, by path */
	size_t n, cap;
	const struct kt_census_vocab *vocab;
	size_t worktree_reads; /* files read from the work tree */
};

struct cf_file {
	int fd; /* the work tree's file, or -1: buf holds the blob */
	char *buf;
	size_t len;
};

static bool list_cb(const char *path, bool is_dir, const unsigned char *id, void *arg)
{
	struct git_src *g = arg;
	const char *name = strrchr(path, '/');
	size_t depth = 0;

	name = name ? name + 1 : path;
	if (name[0] == '.')
		return is_dir ? false : true;
	for (const char *p = path; *p; p++)
		depth += *p == '/';
	if (is_dir)
		return depth < CF_MAX_DEPTH && !cf_skipped(g->vocab, path);
	if (!cf_c_file(name) || !id)
		return true;
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 1024;
		g->files = kt_xrealloc(g->files, g->cap * sizeof(*g->files));
	}
	g->files[g->n].path = kt_xstrdup(path);
	memcpy(g->files[g->n].id, id, KT_GIT_ID_LEN);
	g->n++;
	return true;
}

static int cmp_gfile(const void *a, const void *b)
{
	return strcmp(((const struct git_file *)a)->path, ((const struct git_file *)b)->path);
}

static uint64_t id_word(const unsigned char *id, size_t at)
{
	uint64_t w = 0;

	for (size_t i = 0; i < 8; i++)
		w = w << 8 | id[at + i];
	return w;
}

static void git_list(void *arg, const struct kt_census_vocab *v, struct wlist *out)
{
	struct git_src *g = arg;

	g->vocab = v;
	for (size_t i = 0; i < g->n; i++)
		free(g->files[i].path);
	g->n = 0;
	kt_git_tree_walk_ids(g->tree, list_cb, g);
	qsort(g->files, g->n, sizeof(*g->files), cmp_gfile);
	for (size_t i = 0; i < g->n; i++)
		wlist_add(out, (struct wfile){kt_xstrdup(g->files[i].path), 0,
					      id_word(g->files[i].id, 0), 0,
					      id_word(g->files[i].id, 8)});
}

static const struct git_file *listed(const struct git_src *g, const char *rel)
{
	struct git_file key = {(char *)rel, {0}};

	return g->n ? bsearch(&key, g->files, g->n, sizeof(key), cmp_gfile) : NULL;
}

/* The work tree's copy of a listed file when it is the blob, or -1. */
static int worktree_fd(struct git_src *g, const struct git_file *f)
{
	int fd = f ? kt_git_worktree_open(g->tree, f->path, f->id) : -1;

	g->worktree_reads += fd >= 0;
	return fd;
}

static char *git_read(void *arg, const char *rel, size_t *len)
{
	struct git_src *g = arg;
	const struct git_file *f = listed(g, rel);
	int fd = worktree_fd(g, f);
	struct stat st;
	char *buf = NULL;

	*len = 0;
	if (fd >= 0) {
		if (fstat(fd, &st) == 0 && (uint64_t)st.st_size <= CF_MAX_FILE)
			buf = cf_pread(fd, 0, (size_t)st.st_size, len);
		close(fd);
		return buf;
	}
	if (f ? !kt_git_blob_read(g->tree, f->id, CF_MAX_FILE, &buf, len)
	      : !kt_git_tree_read(g->tree, rel, CF_MAX_FILE, &buf, len))
		return NULL;
	return buf;
}

static struct cf_file *git_open(void *arg, const char *rel)
{
	struct git_src *g = arg;
	struct cf_file *f = kt_xcalloc(1, sizeof(*f));

	f->fd = worktree_fd(g, listed(g, rel));
	if (f->fd >= 0)
		return f;
	f->buf = git_read(arg, rel, &f->len);
	if (!f->buf) {
		free(f);
		return NULL;
	}
	return f;
}

static char *git_range(struct cf_file *f, uint32_t start, uint32_t end, size_t *len)
{
	char *buf;

	if (end <= start || end - start > CF_MAX_FILE)
		return NULL;
	if (f->fd >= 0)
		return cf_pread(f->fd, start, end - start, len);
	if (start >= f->len)
		return NULL;
	if (end > f->len)
		end = (uint32_t)f->len;
	*len = end - start;
	buf = kt_xmalloc(*len + 1);
	memcpy(buf, f->buf + start, *len);
	buf[*len] = 0;
	return buf;
}

static void git_close(struct cf_file *f)
{
	if (!f)
		return;
	if (f->fd >= 0)
		close(f->fd);
	free(f->buf);
	free(f);
}

static void git_free(void *arg)
{
	struct git_src *g = arg;

	if (!g)
		return;
	for (size_t i = 0; i < g->n; i++)
		free(g->files[i].path);
	free(g->files);
	kt_git_tree_free(g->tree);
	kt_git_free(g->git);
	free(g);
}

static size_t git_worktree_reads(void *arg)
{
	return ((const struct git_src *)arg)->worktree_reads;
}

static const struct cf_ops git_ops = {git_list,	 git_read, git_open,	      git_range,
				      git_close, git_free, git_worktree_reads};

struct kt_error *cf_git_new(const char *dir, const char *rev, struct cf_source *out)
{
	struct git_src *g = kt_xcalloc(1, sizeof(*g));
	struct kt_error *err;
	char *real = NULL;
	uint64_t h;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if ((err = kt_git_open(dir, &g->git)) || (err = kt_git_tree_open(g->git, rev, &g->tree)) ||
	    !(real = realpath(dir, NULL))) {
		git_free(g);
		return err ? err : kt_error_new(KT_ERR_IO, dir, 0, "cannot resolve the path");
	}
	out->ops = &git_ops;
	out->arg = g;
	out->rev = kt_xstrdup(kt_git_tree_commit(g->tree));
	rc |= asprintf(&out->name, "%s at %.12s", real, out->rev) < 0;
	rc |= asprintf(&out->main_root, "%s (git)", real) < 0;
	rc |= asprintf(&out->rev_root, "%s@%s", real, kt_git_tree_id(g->tree)) < 0;
	h = cf_name_hash(out->main_root);
	rc |= asprintf(&out->cache_stem, "census-%016llx", (unsigned long long)h) < 0;
	rc |= asprintf(&out->rev_stem, "census-%016llx-%s", (unsigned long long)h,
		       kt_git_tree_id(g->tree)) < 0;
	if (rc)
		abort();
	free(real);
	return NULL;
}
