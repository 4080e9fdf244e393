// SPDX-License-Identifier: Apache-2.0
/*
 * A git repository read at a revision with libgit2: the tree of a commit,
 * its entries and blobs, read from the object store. Nothing is checked out
 * and no program is run.
 */
#include <fcntl.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kcsan/git.h"
#include "kcsan/strbuf.h"

struct kt_git {
	git_repository *repo;
	char *dir;
	git_index *index;     /* the repository's index, read at first need */
	struct stat index_st; /* of its file */
	bool index_tried;
};

struct kt_git_tree {
	struct kt_git *g;
	git_tree *tree;
	char commit[GIT_OID_HEXSZ + 1];
	char id[GIT_OID_HEXSZ + 1];
};

static const char *git_msg(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown libgit2 error";
}

bool kt_git_is_repo(const char *dir)
{
	struct kt_strbuf p;
	struct stat st;
	bool r;

	if (!dir)
		return false;
	kt_strbuf_init(&p);
	kt_strbuf_addf(&p, "%s/.git", dir);
	r = stat(p.buf, &st) == 0 && (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode));
	kt_strbuf_fini(&p);
	return r;
}

struct kt_error *kt_git_open(const char *dir, struct kt_git **out)
{
	git_repository *repo = NULL;
	struct kt_git *g;

	*out = NULL;
	git_libgit2_init();
	if (git_repository_open_ext(&repo, dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0) {
		struct kt_error *e =
		    kt_error_new(KT_ERR_IO, dir, 0, "not a git repository: %s", git_msg());

		git_libgit2_shutdown();
		return e;
	}
	if (git_repository_is_bare(repo)) {
		git_repository_free(repo);
		git_libgit2_shutdown();
		return kt_error_new(KT_ERR_USAGE, dir, 0,
				    "a bare repository: give a work tree of it (its generated "
				    "headers and build flags come from there)");
	}
	g = kt_xcalloc(1, sizeof(*g));
	g->repo = repo;
	g->dir = kt_xstrdup(dir);
	*out = g;
	return NULL;
}

void kt_git_free(struct kt_git *g)
{
	if (!g)
		return;
	git_index_free(g->index);
	git_repository_free(g->repo);
	free(g->dir);
	free(g);
	git_libgit2_shutdown();
}

struct kt_error *kt_git_tree_open(struct kt_git *g, const char *rev, struct kt_git_tree **out)
{
	git_object *obj = NULL, *peeled = NULL;
	git_tree *tree = NULL;
	struct kt_git_tree *t;

	*out = NULL;
	if (!rev || !*rev || rev[0] == '-')
		return kt_error_new(KT_ERR_USAGE, g->dir, 0, "no revision named");
	if (git_revparse_single(&obj, g->repo, rev) != 0)
		return kt_error_new(KT_ERR_MISMATCH, g->dir, 0, "%s not in the repository: %s", rev,
				    git_msg());
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) != 0 ||
	    git_commit_tree(&tree, (git_commit *)peeled) != 0) {
		struct kt_error *e = kt_error_new(KT_ERR_MISMATCH, g->dir, 0,
						  "%s names no commit: %s", rev, git_msg());

		git_object_free(peeled);
		git_object_free(obj);
		return e;
	}
	t = kt_xcalloc(1, sizeof(*t));
	t->g = g;
	t->tree = tree;
	git_oid_tostr(t->commit, sizeof(t->commit), git_object_id(peeled));
	git_oid_tostr(t->id, sizeof(t->id), git_tree_id(tree));
	git_object_free(peeled);
	git_object_free(obj);
	*out = t;
	return NULL;
}

void kt_git_tree_free(struct kt_git_tree *t)
{
	if (!t)
		return;
	git_tree_free(t->tree);
	free(t);
}

bool kt_git_has_tag(struct kt_git *g, const char *name)
{
	struct kt_strbuf p;
	git_reference *ref = NULL;
	bool r;

	kt_strbuf_init(&p);
	kt_strbuf_addf(&p, "refs/tags/%s", name);
	r = git_reference_lookup(&ref, g->repo, p.buf) == 0;
	git_reference_free(ref);
	kt_strbuf_fini(&p);
	return r;
}

const char *kt_git_tree_commit(const struct kt_git_tree *t)
{
	return t->commit;
}

const char *kt_git_tree_id(const struct kt_git_tree *t)
{
	return t->id;
}

static enum kt_git_kind entry_kind(const git_tree_entry *e)
{
	switch (git_tree_entry_filemode(e)) {
	case GIT_FILEMODE_BLOB:
	case GIT_FILEMODE_BLOB_EXECUTABLE:
		return KT_GIT_FILE;
	case GIT_FILEMODE_TREE:
		return KT_GIT_DIR;
	default:
		return KT_GIT_NONE;
	}
}

/* A path git can look up: no leading "./" or '/', no empty part. */
static bool plain_path(const char *path)
{
	return path && *path && path[0] != '/' && !strstr(path, "//") &&
	       !kt_str_startswith(path, "./") && !strstr(path, "/./") && !strstr(path, "..");
}

enum kt_git_kind kt_git_tree_kind(const struct kt_git_tree *t, const char *path)
{
	git_tree_entry *e = NULL;
	enum kt_git_kind k;

	if (path && !*path)
		return KT_GIT_DIR;
	if (!plain_path(path) || git_tree_entry_bypath(&e, t->tree, path) != 0)
		return KT_GIT_NONE;
	k = entry_kind(e);
	git_tree_entry_free(e);
	return k;
}

bool kt_git_tree_read(const struct kt_git_tree *t, const char *path, size_t max, char **buf,
		      size_t *len)
{
	git_tree_entry *e = NULL;
	git_blob *b = NULL;
	bool ok = false;

	*buf = NULL;
	*len = 0;
	if (!plain_path(path) || git_tree_entry_bypath(&e, t->tree, path) != 0)
		return false;
	if (entry_kind(e) == KT_GIT_FILE &&
	    git_blob_lookup(&b, t->g->repo, git_tree_entry_id(e)) == 0) {
		git_object_size_t n = git_blob_rawsize(b);

		if (n <= (git_object_size_t)max) {
			*len = (size_t)n;
			*buf = kt_xmalloc(*len + 1);
			memcpy(*buf, git_blob_rawcontent(b), *len);
			(*buf)[*len] = '\0';
			ok = true;
		}
		git_blob_free(b);
	}
	git_tree_entry_free(e);
	return ok;
}

size_t kt_git_tree_list(const struct kt_git_tree *t, const char *dir, char ***names,
			enum kt_git_kind **kinds)
{
	git_tree_entry *e = NULL;
	git_tree *sub = NULL;
	const git_tree *d = t->tree;
	size_t n;

	*names = NULL;
	*kinds = NULL;
	if (dir && *dir) {
		if (!plain_path(dir) || git_tree_entry_bypath(&e, t->tree, dir) != 0)
			return 0;
		if (entry_kind(e) != KT_GIT_DIR ||
		    git_tree_lookup(&sub, t->g->repo, git_tree_entry_id(e)) != 0) {
			git_tree_entry_free(e);
			return 0;
		}
		git_tree_entry_free(e);
		d = sub;
	}
	n = git_tree_entrycount(d);
	*names = kt_xcalloc(n + 1, sizeof(**names));
	*kinds = kt_xcalloc(n + 1, sizeof(**kinds));
	for (size_t i = 0; i < n; i++) {
		const git_tree_entry *x = git_tree_entry_byindex(d, i);

		(*names)[i] = kt_xstrdup(git_tree_entry_name(x));
		(*kinds)[i] = entry_kind(x);
	}
	git_tree_free(sub);
	return n;
}

struct walk {
	kt_git_walk_fn fn;
	kt_git_walk_id_fn idfn;
	void *arg;
	struct kt_strbuf path;
};

static int walk_cb(const char *root, const git_tree_entry *e, void *payload)
{
	struct walk *w = payload;
	enum kt_git_kind k = entry_kind(e);

	if (k == KT_GIT_NONE)
		return 0;
	kt_strbuf_reset(&w->path);
	kt_strbuf_addf(&w->path, "%s%s", root, git_tree_entry_name(e));
	if (w->idfn ? !w->idfn(w->path.buf, k == KT_GIT_DIR,
			       k == KT_GIT_DIR ? NULL : git_tree_entry_id(e)->id, w->arg)
		    : !w->fn(w->path.buf, k == KT_GIT_DIR, w->arg))
		return k == KT_GIT_DIR ? 1 : -1;
	return 0;
}

void kt_git_tree_walk(const struct kt_git_tree *t, kt_git_walk_fn fn, void *arg)
{
	struct walk w = {fn, NULL, arg, {0}};

	kt_strbuf_init(&w.path);
	git_tree_walk(t->tree, GIT_TREEWALK_PRE, walk_cb, &w);
	kt_strbuf_fini(&w.path);
}

void kt_git_tree_walk_ids(const struct kt_git_tree *t, kt_git_walk_id_fn fn, void *arg)
{
	struct walk w = {NULL, fn, arg, {0}};

	kt_strbuf_init(&w.path);
	git_tree_walk(t->tree, GIT_TREEWALK_PRE, walk_cb, &w);
	kt_strbuf_fini(&w.path);
}

bool kt_git_blob_read(const struct kt_git_tree *t, const unsigned char *id, size_t max, char **buf,
		      size_t *len)
{
	git_oid oid;
	git_blob *b = NULL;
	git_object_size_t n;

	*buf = NULL;
	*len = 0;
	git_oid_fromraw(&oid, id);
	if (git_blob_lookup(&b, t->g->repo, &oid) != 0)
		return false;
	n = git_blob_rawsize(b);
	if (n <= (git_object_size_t)max) {
		*len = (size_t)n;
		*buf = kt_xmalloc(*len + 1);
		memcpy(*buf, git_blob_rawcontent(b), *len);
		(*buf)[*len] = '\0';
	}
	git_blob_free(b);
	return *buf != NULL;
}

static git_index *repo_index(struct kt_git *g)
{
	struct kt_strbuf p;

	if (g->index_tried)
		return g->index;
	g->index_tried = true;
	kt_strbuf_init(&p);
	kt_strbuf_addf(&p, "%sindex", git_repository_path(g->repo));
	/* the file's mtime first: an entry as new as it may be racily clean */
	if (stat(p.buf, &g->index_st) != 0 || git_repository_index(&g->index, g->repo) != 0)
		g->index = NULL;
	kt_strbuf_fini(&p);
	return g->index;
}

static bool older(const git_index_time *t, const struct stat *st)
{
	return (int64_t)t->seconds < (int64_t)st->st_mtim.tv_sec;
}

int kt_git_worktree_open(const struct kt_git_tree *t, const char *path, const unsigned char *id)
{
	struct kt_git *g = t->g;
	git_index *ix = repo_index(g);
	const git_index_entry *e;
	const char *wd = git_repository_workdir(g->repo);
	git_odb *odb = NULL;
	git_object_t type;
	struct kt_strbuf p;
	struct stat st;
	size_t size = 0;
	bool ok;
	int fd;

	if (!ix || !wd || !plain_path(path) || !(e = git_index_get_bypath(ix, path, 0)) ||
	    memcmp(e->id.id, id, GIT_OID_RAWSZ) != 0 || !older(&e->mtime, &g->index_st))
		return -1;
	kt_strbuf_init(&p);
	kt_strbuf_addf(&p, "%s%s", wd, path);
	fd = open(p.buf, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	kt_strbuf_fini(&p);
	if (fd < 0)
		return -1;
	ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint32_t)st.st_size == e->file_size &&
	     (uint32_t)st.st_ino == e->ino &&
	     (int64_t)st.st_mtim.tv_sec == (int64_t)e->mtime.seconds &&
	     (!e->mtime.nanoseconds || (uint32_t)st.st_mtim.tv_nsec == e->mtime.nanoseconds) &&
	     git_repository_odb(&odb, g->repo) == 0 &&
	     git_odb_read_header(&size, &type, odb, &e->id) == 0 && type == GIT_OBJECT_BLOB &&
	     size == (size_t)st.st_size;
	git_odb_free(odb);
	if (!ok) {
		close(fd);
		return -1;
	}
	return fd;
}
