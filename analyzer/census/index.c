// SPDX-License-Identifier: Apache-2.0
/*
 * Opening the index of a tree: list the tree's files (every .c and .h file
 * outside the vocabulary's skip directories, with its content key: size,
 * mtime and inode on disk, the blob id in a git revision; files.h), compare
 * with the index on disk, and use it, update it with a delta segment of the
 * changed files, or build it anew.
 *
 * Files on disk: DIR/census-HASH.idx (the main segment) and
 * DIR/census-HASH.dlt (the delta), HASH naming the tree's real path; a git
 * revision's are named after the repository and the revision's tree
 * (files_git.c). They
 * are trusted only when owned by the user, writable by nobody else, and
 * when their checksum, tree path and skip list agree; they are written
 * under a temporary name and renamed into place.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "index.h"
#include "scan.h"

#define RACY_NS	   2000000000LL /* mtimes this close to the build are rechecked */
#define DELTA_FRAC 20		/* a delta beyond 1/20 of the tree: rebuild */
#define DELTA_MIN  1000

static int64_t now_ns(int clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static uint64_t content_hash(const struct cf_source *src, const char *rel)
{
	size_t len = 0;
	char *b = src->ops->read(src->arg, rel, &len);
	uint64_t h = b ? seg_checksum((const uint8_t *)b, len) : 0;

	free(b);
	return h;
}

/* Builds a segment of the files w[i] for which pick[i] (all when NULL),
 * plus deleted paths (delta). */
static void build(struct kt_census_index *ix, const struct wlist *w, const bool *pick,
		  char **deleted, size_t ndeleted, uint32_t kind, uint64_t base_sum,
		  const char *root, int64_t built_ns, struct kt_strbuf *out)
{
	const struct cf_source *src = &ix->src;
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
		char *buf = src->ops->read(src->arg, w->v[i].path, &len);
		uint32_t idx;

		f.path = bld_intern(b, w->v[i].path, strlen(w->v[i].path));
		f.size = w->v[i].size;
		f.mtime_ns = w->v[i].mtime;
		f.ino = w->v[i].ino;
		f.hash = w->v[i].hash ? w->v[i].hash
			 : buf	      ? seg_checksum((const uint8_t *)buf, len)
				      : 0;
		idx = bld_file(b, &f);
		if (buf)
			scan_file(sc, idx, buf, len);
		free(buf);
		ix->info.reindexed++;
		if (tty && (++done % 512 == 0 || done == total))
			fprintf(stderr, "\rcensus: indexing %s: %zu/%zu files", src->name, done,
				total);
	}
	if (tty && total >= 512)
		fputc('\n', stderr);
	ix->info.build_seconds += (double)(now_ns(CLOCK_MONOTONIC) - t0) / 1e9;
	bld_serialize(b, kind, root, cv_skips_key(ix->vocab), built_ns, base_sum, out);
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
static bool load(struct kt_census_index *ix, int k, const char *path, uint32_t kind,
		 const char *root)
{
	bool existed = false;
	const char *why = NULL;
	struct seg *s = &ix->seg[k];

	if (!load_file(path, &ix->buf[k], &ix->len[k], &ix->mapped[k], &existed)) {
		ix->info.rebuilt |= existed;
		return false;
	}
	ix->have[k] = seg_open(ix->buf[k], ix->len[k], s, &why) && s->hdr.kind == kind &&
		      strcmp(seg_str(s, s->hdr.root), root) == 0 &&
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
	    f->ino != w->ino || (w->hash && f->hash != w->hash))
		return false;
	/* An mtime this close to the build may hide an edit in the same tick. */
	if (ix->src.racy_mtime && f->mtime_ns >= s->hdr.built_ns - RACY_NS)
		return content_hash(&ix->src, w->path) == f->hash;
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
			struct wfile gone = {kt_xstrdup(mp), 0, 0, 0, 0};

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

static char *cache_file(const char *dir, const char *stem, const char *ext)
{
	char *p = NULL;

	if (!dir || !stem)
		return NULL;
	if (asprintf(&p, "%s/%s.%s", dir, stem, ext) < 0)
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

/* A revision's own main segment, when the cache has it. */
static bool load_own(struct kt_census_index *ix, const struct wlist *w, const char *opath)
{
	bool *pick = kt_xcalloc(w->n + 1, sizeof(*pick));
	struct wlist del = {0};
	bool view_ok = false;

	if (load(ix, 0, opath, SEG_MAIN, ix->src.rev_root) && diff(ix, w, pick, &del, &view_ok))
		drop(ix, 0); /* not this revision's after all */
	free(pick);
	wlist_free(&del);
	return ix->have[0];
}

/*
 * Main and delta in place for the tree w. On disk: the main segment
 * (mpath), and the delta of the tree's changes over it (dpath). A git
 * revision has its delta over the repository's main segment, or, when it
 * differs too much from that one, its own main segment (opath).
 */
static void update(struct kt_census_index *ix, const struct wlist *w, const char *dir,
		   int64_t built_ns)
{
	const struct cf_source *src = &ix->src;
	const char *stem = src->rev_stem ? src->rev_stem : src->cache_stem;
	char *mpath = cache_file(dir, src->cache_stem, "idx");
	char *dpath = cache_file(dir, stem, "dlt");
	char *opath = src->rev_stem ? cache_file(dir, src->rev_stem, "idx") : NULL;
	bool *pick = kt_xcalloc(w->n + 1, sizeof(*pick));
	bool own = false;
	struct wlist del = {0};
	struct kt_strbuf img;
	bool view_ok = false;
	size_t ndiff = 0;

	kt_strbuf_init(&img);
	if (opath && load_own(ix, w, opath)) {
		ix->info.from_cache = true;
		own = true;
	} else if (mpath && load(ix, 0, mpath, SEG_MAIN, src->main_root)) {
		ix->info.from_cache = true;
		load(ix, 1, dpath, SEG_DELTA, src->rev_root);
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
			      src->rev_root, built_ns, &img);
			free(names);
			write_file(dpath, &img);
			adopt(ix, 1, &img);
		} else if (!view_ok) {
			ix->info.from_cache = false;
			drop(ix, 1);
			drop(ix, 0);
			/* the repository's main segment stays for the other revisions */
			own = opath != NULL;
		}
	}
	if (!ix->have[0]) {
		build(ix, w, NULL, NULL, 0, SEG_MAIN, 0, own ? src->rev_root : src->main_root,
		      built_ns, &img);
		if (own) {
			write_file(opath, &img);
		} else if (mpath) {
			write_file(mpath, &img);
			unlink(dpath);
		}
		adopt(ix, 0, &img);
	}
	ix->path = own ? opath : mpath;
	free(own ? mpath : opath);
	free(dpath);
	free(pick);
	wlist_free(&del);
	kt_strbuf_fini(&img);
}

/* Opens the index of the files of src (taken over). */
static struct kt_error *index_open(struct cf_source *src, const char *cache_dir,
				   const struct kt_census_vocab *vocab,
				   struct kt_census_index **out)
{
	struct kt_census_index *ix;
	struct wlist w = {0};
	char *dir = NULL;
	int64_t built_ns = now_ns(CLOCK_REALTIME);

	src->ops->list(src->arg, vocab, &w);
	if (w.n == 0) {
		struct kt_error *e =
		    kt_error_new(KT_ERR_IO, src->name, 0, "no .c or .h file in the tree");

		cf_source_fini(src);
		wlist_free(&w);
		return e;
	}
	qsort(w.v, w.n, sizeof(*w.v), cf_cmp_wfile);
	if (!cache_dir)
		dir = default_dir();
	else if (*cache_dir)
		dir = kt_xstrdup(cache_dir);
	if (dir && mkdirs(dir) != 0) {
		free(dir);
		dir = NULL; /* no cache: the index lives in memory only */
	}
	ix = kt_xcalloc(1, sizeof(*ix));
	ix->src = *src;
	memset(src, 0, sizeof(*src));
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
	ix->info.rev = ix->src.rev;
	wlist_free(&w);
	if (!ix->have[0]) {
		struct kt_error *e =
		    kt_error_new(KT_ERR_LIMIT, ix->src.name, 0, "the index is too large");

		kt_census_index_close(ix);
		return e;
	}
	*out = ix;
	return NULL;
}

struct kt_error *kt_census_index_open(const char *tree_dir, const char *cache_dir,
				      const struct kt_census_vocab *vocab,
				      struct kt_census_index **out)
{
	struct cf_source src;
	struct kt_error *err;

	*out = NULL;
	if ((err = cf_dir_new(tree_dir, &src)))
		return err;
	return index_open(&src, cache_dir, vocab, out);
}

struct kt_error *kt_census_index_open_rev(const char *repo_dir, const char *rev,
					  const char *cache_dir,
					  const struct kt_census_vocab *vocab,
					  struct kt_census_index **out)
{
	struct cf_source src;
	struct kt_error *err;

	*out = NULL;
	if ((err = cf_git_new(repo_dir, rev, &src)))
		return err;
	return index_open(&src, cache_dir, vocab, out);
}

void kt_census_index_close(struct kt_census_index *ix)
{
	if (!ix)
		return;
	drop(ix, 0);
	drop(ix, 1);
	ty_memo_free(ix->memo);
	free(ix->dead);
	cf_source_fini(&ix->src);
	free(ix->path);
	free(ix);
}

void kt_census_index_info(const struct kt_census_index *ix, struct kt_census_index_info *out)
{
	*out = ix->info;
	if (ix->src.ops->worktree_reads)
		out->worktree_reads = ix->src.ops->worktree_reads(ix->src.arg);
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
