// SPDX-License-Identifier: Apache-2.0
/*
 * The census's files from a tree on disk: a walk of the directories (no
 * symbolic link followed), each C file keyed by its size, mtime and inode,
 * read whole to index it and by byte range (pread) to read one unit.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "seg.h"
#include "vocab.h"

struct cf_file {
	int fd;
};

struct dir_src {
	char *root; /* real path */
};

void wlist_add(struct wlist *w, struct wfile f)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 1024;
		w->v = kt_xrealloc(w->v, w->cap * sizeof(*w->v));
	}
	w->v[w->n++] = f;
}

void wlist_free(struct wlist *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i].path);
	free(w->v);
}

bool cf_skipped(const struct kt_census_vocab *v, const char *rel)
{
	const char *const *sk;
	size_t n = cv_skips(v, &sk);

	for (size_t i = 0; i < n; i++)
		if (strcmp(sk[i], rel) == 0)
			return true;
	return false;
}

bool cf_c_file(const char *name)
{
	size_t n = strlen(name);

	return n > 2 && name[n - 2] == '.' && (name[n - 1] == 'c' || name[n - 1] == 'h');
}

int cf_cmp_wfile(const void *a, const void *b)
{
	return strcmp(((const struct wfile *)a)->path, ((const struct wfile *)b)->path);
}

uint64_t cf_name_hash(const char *s)
{
	return seg_checksum((const uint8_t *)s, strlen(s));
}

static void walk(int dfd, const char *rel, int depth, const struct kt_census_vocab *v,
		 struct wlist *out)
{
	DIR *d = fdopendir(dfd);
	struct dirent *de;

	if (!d) {
		close(dfd);
		return;
	}
	while ((de = readdir(d))) {
		char *sub = NULL;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		/* Only C files and directories matter: no stat for the rest. */
		if (de->d_type != DT_UNKNOWN && de->d_type != DT_DIR &&
		    !(de->d_type == DT_REG && cf_c_file(de->d_name)))
			continue;
		if (de->d_type == DT_DIR) {
			memset(&st, 0, sizeof(st));
			st.st_mode = S_IFDIR;
		} else if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			continue;
		}
		if (asprintf(&sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name) < 0)
			abort();
		if (S_ISDIR(st.st_mode) && depth < CF_MAX_DEPTH && !cf_skipped(v, sub)) {
			int fd = openat(dirfd(d), de->d_name,
					O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (fd >= 0)
				walk(fd, sub, depth + 1, v, out);
		} else if (S_ISREG(st.st_mode) && cf_c_file(de->d_name)) {
			wlist_add(out,
				  (struct wfile){sub, (uint64_t)st.st_size, (uint64_t)st.st_ino,
						 (int64_t)st.st_mtim.tv_sec * 1000000000LL +
						     st.st_mtim.tv_nsec,
						 0});
			continue;
		}
		free(sub);
	}
	closedir(d);
}

static void dir_list(void *arg, const struct kt_census_vocab *v, struct wlist *out)
{
	struct dir_src *d = arg;
	int fd = open(d->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0)
		walk(fd, "", 0, v, out);
}

static int open_rel(const char *root, const char *rel)
{
	char *path = NULL;
	struct stat st;
	int fd;

	if (asprintf(&path, "%s/%s", root, rel) < 0)
		abort();
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	free(path);
	if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

char *cf_pread(int fd, uint64_t start, size_t n, size_t *len)
{
	char *buf = kt_xmalloc(n + 1);
	size_t got = 0;

	while (got < n) {
		ssize_t r = pread(fd, buf + got, n - got, (off_t)(start + got));

		if (r <= 0)
			break;
		got += (size_t)r;
	}
	buf[got] = 0;
	*len = got;
	return buf;
}

static char *dir_read(void *arg, const char *rel, size_t *len)
{
	struct dir_src *d = arg;
	int fd = open_rel(d->root, rel);
	struct stat st;
	char *buf = NULL;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && (uint64_t)st.st_size <= CF_MAX_FILE)
		buf = cf_pread(fd, 0, (size_t)st.st_size, len);
	close(fd);
	return buf;
}

static struct cf_file *dir_open(void *arg, const char *rel)
{
	struct dir_src *d = arg;
	int fd = open_rel(d->root, rel);
	struct cf_file *f;

	if (fd < 0)
		return NULL;
	f = kt_xcalloc(1, sizeof(*f));
	f->fd = fd;
	return f;
}

static char *dir_range(struct cf_file *f, uint32_t start, uint32_t end, size_t *len)
{
	if (end <= start || end - start > CF_MAX_FILE)
		return NULL;
	return cf_pread(f->fd, start, end - start, len);
}

static void dir_close(struct cf_file *f)
{
	if (!f)
		return;
	close(f->fd);
	free(f);
}

static void dir_free(void *arg)
{
	struct dir_src *d = arg;

	if (!d)
		return;
	free(d->root);
	free(d);
}

static const struct cf_ops dir_ops = {dir_list,	 dir_read, dir_open, dir_range,
				      dir_close, dir_free, NULL};

struct kt_error *cf_dir_new(const char *dir, struct cf_source *out)
{
	struct dir_src *d;
	struct stat st;
	char *root = realpath(dir, NULL);

	memset(out, 0, sizeof(*out));
	if (!root)
		return kt_error_new(KT_ERR_IO, dir, 0, "cannot open: %s", strerror(errno));
	if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) {
		free(root);
		return kt_error_new(KT_ERR_IO, dir, 0, "not a directory: %s", strerror(ENOTDIR));
	}
	d = kt_xcalloc(1, sizeof(*d));
	d->root = root;
	out->ops = &dir_ops;
	out->arg = d;
	out->name = kt_xstrdup(root);
	out->main_root = kt_xstrdup(root);
	out->rev_root = kt_xstrdup(root);
	if (asprintf(&out->cache_stem, "census-%016llx", (unsigned long long)cf_name_hash(root)) <
	    0)
		abort();
	out->racy_mtime = true;
	return NULL;
}

void cf_source_fini(struct cf_source *s)
{
	if (s->ops)
		s->ops->free(s->arg);
	free(s->name);
	free(s->main_root);
	free(s->rev_root);
	free(s->cache_stem);
	free(s->rev_stem);
	free(s->rev);
	memset(s, 0, sizeof(*s));
}
