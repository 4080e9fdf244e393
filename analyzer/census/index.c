// SPDX-License-Identifier: Apache-2.0
/*
 * Opening the index of a tree: walk the tree (every .c and .h file outside
 * the vocabulary's skip directories, with size, mtime and inode), compare
 * with the index on disk, and use it, update it with a delta segment of the
 * changed files, or build it anew.
 *
 * Files on disk: DIR/census-HASH.idx (the main segment) and
 * DIR/census-HASH.dlt (the delta), HASH naming the tree's real path. They
 * are trusted only when owned by the user, writable by nobody else, and
 * when their checksum, tree path and skip list agree; they are written
 * under a temporary name and renamed into place.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "index.h"
#include "scan.h"

#define MAX_FILE   (64u << 20) /* bigger files are recorded, not read */
#define MAX_DEPTH  48
#define RACY_NS	   2000000000LL /* mtimes this close to the build are rechecked */
#define DELTA_FRAC 20		/* a delta beyond 1/20 of the tree: rebuild */
#define DELTA_MIN  1000

struct wfile {
	char *path;
	uint64_t size, ino;
	int64_t mtime;
};

struct wlist {
	struct wfile *v;
	size_t n, cap;
};

static int64_t now_ns(int clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static bool skipped(const struct kt_census_vocab *v, const char *rel)
{
	const char *const *sk;
	size_t n = cv_skips(v, &sk);

	for (size_t i = 0; i < n; i++)
		if (strcmp(sk[i], rel) == 0)
			return true;
	return false;
}

static bool c_file(const char *name)
{
	size_t n = strlen(name);

	return n > 2 && name[n - 2] == '.' && (name[n - 1] == 'c' || name[n - 1] == 'h');
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
		    !(de->d_type == DT_REG && c_file(de->d_name)))
			continue;
		if (de->d_type == DT_DIR) {
			memset(&st, 0, sizeof(st));
			st.st_mode = S_IFDIR;
		} else if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			continue;
		}
		if (asprintf(&sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name) < 0)
			abort();
		if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH && !skipped(v, sub)) {
			int fd = openat(dirfd(d), de->d_name,
					O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (fd >= 0)
				walk(fd, sub, depth + 1, v, out);
		} else if (S_ISREG(st.st_mode) && c_file(de->d_name)) {
			if (out->n == out->cap) {
				out->cap = out->cap ? out->cap * 2 : 1024;
				out->v = kt_xrealloc(out->v, out->cap * sizeof(*out->v));
			}
			out->v[out->n++] = (struct wfile){
			    sub, (uint64_t)st.st_size, (uint64_t)st.st_ino,
			    (int64_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec};
			continue;
		}
		free(sub);
	}
	closedir(d);
}

static int cmp_wfile(const void *a, const void *b)
{
	return strcmp(((const struct wfile *)a)->path, ((const struct wfile *)b)->path);
}

static void wlist_free(struct wlist *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i].path);
	free(w->v);
}

/* The whole file, or NULL (too big, unreadable). */
static char *read_file(const char *root, const char *rel, size_t *len)
{
	char *path = NULL, *buf;
	struct stat st;
	int fd;
	size_t got = 0;

	if (asprintf(&path, "%s/%s", root, rel) < 0)
		abort();
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	free(path);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > MAX_FILE) {
		close(fd);
		return NULL;
	}
	buf = kt_xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);

		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = 0;
	*len = got;
	return buf;
}

static uint64_t content_hash(const char *root, const char *rel)
{
	size_t len = 0;
	char *b = read_file(root, rel, &len);
	uint64_t h = b ? seg_checksum((const uint8_t *)b, len) : 0;

	free(b);
	return h;
}

/* Builds a segment of the files w[i] for which pick[i] (all when NULL),
 * plus deleted paths (delta). */
static void build(struct kt_census_index *ix, const struct wlist *w, const bool *pick,
		  char **deleted, size_t ndeleted, uint32_t kind, uint64_t base_sum,
		  int64_t built_ns, struct kt_strbuf *out)
{
	struct bld *b = bld_new();
	struct scanner *sc = scanner_new(b);
	bool tty = isatty(STDERR_FILENO);
	size_t total = 0, done = 0, di = 0;
	int64_t t0 = now_ns(CLOCK_MONOTONIC);

	for (size_t i = 0; i < w->n; i++)
		total += !pick || pick[i];
	for (size_t i = 0; i <= w->n; i++) {
		/* Deleted paths merge in path order. */
		while (di < ndeleted && (i == w->n || strcmp(deleted[di], w->v[i].path) < 0)) {
			struct rec_file f = {0};

			f.path = bld_intern(b, deleted[di], strlen(deleted[di]));
			f.flags = FILE_DELETED;
			bld_file(b, &f);
			di++;
		}
		if (i == w->n)
			break;
		if (pick && !pick[i])
			continue;
		struct rec_file f = {0};
		size_t len = 0;
		char *buf = read_file(ix->root, w->v[i].path, &len);
		uint32_t idx;

		f.path = bld_intern(b, w->v[i].path, strlen(w->v[i].path));
		f.size = w->v[i].size;
		f.mtime_ns = w->v[i].mtime;
		f.ino = w->v[i].ino;
		f.hash = buf ? seg_checksum((const uint8_t *)buf, len) : 0;
		idx = bld_file(b, &f);
		if (buf)
			scan_file(sc, idx, buf, len);
		free(buf);
		ix->info.reindexed++;
		if (tty && (++done % 512 == 0 || done == total))
			fprintf(stderr, "\rcensus: indexing %s: %zu/%zu files", ix->root, done,
				total);
	}
	if (tty && total >= 512)
		fputc('\n', stderr);
	ix->info.build_seconds += (double)(now_ns(CLOCK_MONOTONIC) - t0) / 1e9;
	bld_serialize(b, kind, ix->root, cv_skips_key(ix->vocab), built_ns, base_sum, out);
	scanner_free(sc);
	bld_free(b);
}

/* ---- the files on disk ---- */

static int mkdirs(const char *path)
{
	char *p = kt_xstrdup(path);
	int rc = 0;

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (mkdir(p, 0700) != 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

/* Maps a file we wrote ourselves: regular, ours, writable by nobody else. */
static bool load_file(const char *path, uint8_t **buf, size_t *len, bool *mapped, bool *existed)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	void *p;

	*existed = fd >= 0 || errno != ENOENT;
	if (fd < 0)
		return false;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) || st.st_size <= 0 ||
	    (uint64_t)st.st_size > SEG_MAX_LEN) {
		close(fd);
		return false;
	}
	/* Populated at once: the checksum reads every page anyway. */
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return false;
	*buf = p;
	*len = (size_t)st.st_size;
	*mapped = true;
	return true;
}

static void write_file(const char *path, const struct kt_strbuf *img)
{
	const char *slash = strrchr(path, '/');
	char *tmp = NULL;
	int fd;
	bool ok;

	/* A hidden name nobody can predict, renamed into place: readers see
	 * the old file or the new one, never a part. */
	if (!slash || asprintf(&tmp, "%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1) < 0)
		return;
	fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return;
	}
	ok = write(fd, img->buf, img->len) == (ssize_t)img->len;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) != 0)
		unlink(tmp);
	free(tmp);
}

static void drop(struct kt_census_index *ix, int k)
{
	if (ix->buf[k]) {
		if (ix->mapped[k])
			munmap(ix->buf[k], ix->len[k]);
		else
			free(ix->buf[k]);
	}
	ix->buf[k] = NULL;
	ix->have[k] = false;
	ix->len[k] = 0;
}

/* Takes img (a fresh image) as segment k. */
static void adopt(struct kt_census_index *ix, int k, struct kt_strbuf *img)
{
	const char *why;

	drop(ix, k);
	ix->len[k] = img->len;
	ix->buf[k] = (uint8_t *)kt_strbuf_detach(img);
	ix->mapped[k] = false;
	ix->have[k] = seg_open(ix->buf[k], ix->len[k], &ix->seg[k], &why);
}

/* Loads segment k from path; false when absent or not to be trusted. */
static bool load(struct kt_census_index *ix, int k, const char *path, uint32_t kind)
{
	bool existed = false;
	const char *why = NULL;
	struct seg *s = &ix->seg[k];

	if (!load_file(path, &ix->buf[k], &ix->len[k], &ix->mapped[k], &existed)) {
		ix->info.rebuilt |= existed;
		return false;
	}
	ix->have[k] = seg_open(ix->buf[k], ix->len[k], s, &why) && s->hdr.kind == kind &&
		      strcmp(seg_str(s, s->hdr.root), ix->root) == 0 &&
		      s->hdr.skips_key == cv_skips_key(ix->vocab) &&
		      (kind == SEG_MAIN || s->hdr.base_sum == ix->seg[0].hdr.checksum);
	if (!ix->have[k]) {
		ix->info.rebuilt = true;
		drop(ix, k);
	}
	return ix->have[k];
}

/* ---- comparing the tree with the index ---- */

/* The record of w in segment k matches the file. */
static bool same(const struct kt_census_index *ix, int k, long r, const struct wfile *w)
{
	const struct seg *s = &ix->seg[k];
	const struct rec_file *f;

	if (r < 0)
		return false;
	f = SEG_REC(s, S_FILES, struct rec_file, r);
	if ((f->flags & FILE_DELETED) || f->size != w->size || f->mtime_ns != w->mtime ||
	    f->ino != w->ino)
		return false;
	/* An mtime this close to the build may hide an edit in the same tick. */
	if (f->mtime_ns >= s->hdr.built_ns - RACY_NS)
		return content_hash(ix->root, w->path) == f->hash;
	return true;
}

/* pick[i]: w[i] differs from the main segment; deleted: main files gone.
 * Returns how many files differ from main; *view_ok: the tree matches
 * main with the delta over it. */
static size_t diff(struct kt_census_index *ix, const struct wlist *w, bool *pick,
		   struct wlist *deleted, bool *view_ok)
{
	const struct seg *m = &ix->seg[0];
	size_t nm = SEG_N(m, S_FILES), i = 0, j = 0, ndiff = 0;

	*view_ok = true;
	while (i < w->n || j < nm) {
		const char *mp =
		    j < nm ? seg_str(m, SEG_REC(m, S_FILES, struct rec_file, j)->path) : NULL;
		int c = i == w->n ? 1 : !mp ? -1 : strcmp(w->v[i].path, mp);
		long dr = -1;

		if (ix->have[1])
			dr = seg_file_find(&ix->seg[1], c <= 0 ? w->v[i].path : mp);
		if (c < 0) { /* new file */
			pick[i] = true;
			ndiff++;
			*view_ok = *view_ok && same(ix, 1, dr, &w->v[i]);
			i++;
		} else if (c > 0) { /* deleted file */
			struct wfile gone = {kt_xstrdup(mp), 0, 0, 0};

			if (deleted->n == deleted->cap) {
				deleted->cap = deleted->cap ? deleted->cap * 2 : 16;
				deleted->v = kt_xrealloc(deleted->v, deleted->cap * sizeof(gone));
			}
			deleted->v[deleted->n++] = gone;
			ndiff++;
			*view_ok = *view_ok && dr >= 0 &&
				   (SEG_REC(&ix->seg[1], S_FILES, struct rec_file, dr)->flags &
				    FILE_DELETED);
			j++;
		} else {
			bool in_main = same(ix, 0, (long)j, &w->v[i]);

			pick[i] = !in_main;
			ndiff += !in_main;
			*view_ok = *view_ok && (dr >= 0 ? same(ix, 1, dr, &w->v[i]) : in_main);
			i++;
			j++;
		}
	}
	/* A delta naming a file the tree no longer has, or has unchanged. */
	if (ix->have[1] && SEG_N(&ix->seg[1], S_FILES) != ndiff)
		*view_ok = false;
	return ndiff;
}

static void mark_dead(struct kt_census_index *ix)
{
	size_t nm = SEG_N(&ix->seg[0], S_FILES);

	free(ix->dead);
	ix->dead = kt_xcalloc(nm + 1, 1);
	if (!ix->have[1])
		return;
	for (size_t i = 0; i < SEG_N(&ix->seg[1], S_FILES); i++) {
		const struct rec_file *f = SEG_REC(&ix->seg[1], S_FILES, struct rec_file, i);
		long r = seg_file_find(&ix->seg[0], seg_str(&ix->seg[1], f->path));

		if (r >= 0)
			ix->dead[r] = 1;
	}
}

static char *cache_file(const char *dir, const char *root, const char *ext)
{
	char *p = NULL;
	uint64_t h = seg_checksum((const uint8_t *)root, strlen(root));

	if (asprintf(&p, "%s/census-%016llx.%s", dir, (unsigned long long)h, ext) < 0)
		abort();
	return p;
}

static char *default_dir(void)
{
	const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
	char *d = NULL;
	int rc = -1;

	if (x && *x == '/')
		rc = asprintf(&d, "%s/kcsan-triage", x);
	else if (h && *h)
		rc = asprintf(&d, "%s/.cache/kcsan-triage", h);
	return rc < 0 ? NULL : d;
}

/* Main and delta in place for the tree w. */
static void update(struct kt_census_index *ix, const struct wlist *w, const char *dir,
		   int64_t built_ns)
{
	char *mpath = dir ? cache_file(dir, ix->root, "idx") : NULL;
	char *dpath = dir ? cache_file(dir, ix->root, "dlt") : NULL;
	bool *pick = kt_xcalloc(w->n + 1, sizeof(*pick));
	struct wlist del = {0};
	struct kt_strbuf img;
	bool view_ok = false;
	size_t ndiff = 0;

	kt_strbuf_init(&img);
	if (mpath && load(ix, 0, mpath, SEG_MAIN)) {
		ix->info.from_cache = true;
		load(ix, 1, dpath, SEG_DELTA);
		ndiff = diff(ix, w, pick, &del, &view_ok);
		if (!view_ok && ndiff == 0) {
			/* A delta left from an edit that was undone. */
			unlink(dpath);
			drop(ix, 1);
		} else if (!view_ok && ndiff <= DELTA_MIN + w->n / DELTA_FRAC) {
			char **names = kt_xcalloc(del.n + 1, sizeof(*names));

			for (size_t i = 0; i < del.n; i++)
				names[i] = del.v[i].path;
			build(ix, w, pick, names, del.n, SEG_DELTA, ix->seg[0].hdr.checksum,
			      built_ns, &img);
			free(names);
			write_file(dpath, &img);
			adopt(ix, 1, &img);
		} else if (!view_ok) {
			ix->info.from_cache = false;
			drop(ix, 1);
			drop(ix, 0);
		}
	}
	if (!ix->have[0]) {
		build(ix, w, NULL, NULL, 0, SEG_MAIN, 0, built_ns, &img);
		if (mpath) {
			write_file(mpath, &img);
			unlink(dpath);
		}
		adopt(ix, 0, &img);
	}
	ix->path = mpath;
	free(dpath);
	free(pick);
	wlist_free(&del);
	kt_strbuf_fini(&img);
}

struct kt_error *kt_census_index_open(const char *tree_dir, const char *cache_dir,
				      const struct kt_census_vocab *vocab,
				      struct kt_census_index **out)
{
	struct kt_census_index *ix;
	struct wlist w = {0};
	char *dir = NULL, *root;
	int64_t built_ns = now_ns(CLOCK_REALTIME);
	int fd;

	*out = NULL;
	root = realpath(tree_dir, NULL);
	if (!root)
		return kt_error_new(KT_ERR_IO, tree_dir, 0, "cannot open: %s", strerror(errno));
	fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		struct kt_error *e =
		    kt_error_new(KT_ERR_IO, tree_dir, 0, "not a directory: %s", strerror(errno));

		free(root);
		return e;
	}
	walk(fd, "", 0, vocab, &w);
	if (w.n == 0) {
		free(root);
		wlist_free(&w);
		return kt_error_new(KT_ERR_IO, tree_dir, 0, "no .c or .h file in the tree");
	}
	qsort(w.v, w.n, sizeof(*w.v), cmp_wfile);
	if (!cache_dir)
		dir = default_dir();
	else if (*cache_dir)
		dir = kt_xstrdup(cache_dir);
	if (dir && mkdirs(dir) != 0) {
		free(dir);
		dir = NULL; /* no cache: the index lives in memory only */
	}
	ix = kt_xcalloc(1, sizeof(*ix));
	ix->root = root;
	ix->vocab = vocab;
	update(ix, &w, dir, built_ns);
	mark_dead(ix);
	free(dir);
	ix->nfiles = w.n;
	ix->info.files = w.n;
	for (int k = 0; k < 2; k++) {
		if (!ix->have[k])
			continue;
		ix->info.units += SEG_N(&ix->seg[k], S_UNITS);
		ix->info.structs += SEG_N(&ix->seg[k], S_STRUCTS);
		ix->info.bytes += ix->len[k];
	}
	ix->info.path = ix->path;
	wlist_free(&w);
	if (!ix->have[0]) {
		kt_census_index_close(ix);
		return kt_error_new(KT_ERR_LIMIT, tree_dir, 0, "the index is too large");
	}
	*out = ix;
	return NULL;
}

void kt_census_index_close(struct kt_census_index *ix)
{
	if (!ix)
		return;
	drop(ix, 0);
	drop(ix, 1);
	ty_memo_free(ix->memo);
	free(ix->dead);
	free(ix->root);
	free(ix->path);
	free(ix);
}

void kt_census_index_info(const struct kt_census_index *ix, struct kt_census_index_info *out)
{
	*out = ix->info;
}

const char *ix_file_path(const struct kt_census_index *ix, int k, uint32_t file)
{
	const struct seg *s = &ix->seg[k];

	if (file >= SEG_N(s, S_FILES))
		return "?";
	return seg_str(s, SEG_REC(s, S_FILES, struct rec_file, file)->path);
}

size_t ix_postings(const struct kt_census_index *ix, const char *name, struct ix_unit **out)
{
	size_t n = 0, cap = 0;

	*out = NULL;
	for (int k = 0; k < 2; k++) {
		const struct seg *s = &ix->seg[k];
		uint32_t id;
		size_t lo, hi;

		if (!ix->have[k] || (id = seg_find(s, name, strlen(name))) == SEG_NONE)
			continue;
		seg_range(s, S_POSTKEYS, id, &lo, &hi);
		for (size_t p = lo; p < hi; p++) {
			const struct rec_post *pk = SEG_REC(s, S_POSTKEYS, struct rec_post, p);
			size_t cnt = pk->count < SEG_N(s, S_UNITS) ? pk->count : SEG_N(s, S_UNITS);
			uint32_t *u = kt_xcalloc(cnt + 1, sizeof(*u));
			size_t got = seg_postings(s, pk, u, cnt);

			for (size_t q = 0; q < got; q++) {
				const struct rec_unit *un;

				if (u[q] >= SEG_N(s, S_UNITS))
					continue;
				un = SEG_REC(s, S_UNITS, struct rec_unit, u[q]);
				if (!ix_live(ix, k, un->file))
					continue;
				if (n == cap) {
					cap = cap ? cap * 2 : 64;
					*out = kt_xrealloc(*out, cap * sizeof(**out));
				}
				(*out)[n++] = (struct ix_unit){k, u[q]};
			}
			free(u);
		}
	}
	return n;
}
