// SPDX-License-Identifier: Apache-2.0
/*
 * The source stage's persistent cache (memo.h): the records, what they
 * depend on, and their files. A record is one file, DIR/source/HASH.memo,
 * HASH the key's; it holds the key itself (a record of another key under
 * the same hash is not used), the dependencies, the facts and a checksum of
 * all that. Written to a temporary name and renamed into place, so readers
 * (other processes, other workers of a batch) see a whole record or none.
 */
#include <dirent.h>
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <clang-c/Index.h>

#include "clang.h"
#include "internal.h"
#include "memo.h"
#include "revtree.h"

#define MEMO_MAGIC	"kt-source-memo 1\n"
#define MAX_RECORD	(256u << 20)
#define MAX_HASHED_FILE (64u << 20)

enum dep_kind {
	DEP_FILE = 'F', /* a file's contents (abs path) */
	DEP_KIND = 'K', /* what a path is: none, file, directory (rel) */
	DEP_LIST = 'L', /* a directory's entries (rel) */
	DEP_ARGS = 'A', /* a full parse's arguments (rel) */
};

struct dep {
	char kind;
	char *path;
	uint64_t hash;	/* contents, kind, listing or arguments */
	bool have_stat; /* the stat below may stand for the contents */
	bool pending;	/* contents not hashed yet: at the first store */
	bool sticky;	/* in every record (else: in the records of the reports that used it) */
	unsigned epoch; /* the last report that used it */
	long long size, mtime_s, mtime_ns, ino;
};

struct kt_memo {
	char *dir; /* DIR/source */
	char *src_dir;
	char *salt;
	struct kt_revtree *rt;
	struct kt_compdb *db;
	struct dep *deps;
	size_t ndeps, cdeps;
	size_t *tab; /* open addressing: index + 1 into deps */
	size_t ctab;
	bool quiet;	/* checking a record: what is read then is not a dependency */
	unsigned epoch; /* the report being read */
	struct kt_strbuf key;
	uint64_t key_hash;
	bool have_key;
	unsigned hits, stores;
};

/* ---- the tool's build ---- */

struct build_id {
	uintptr_t addr;
	char hex[2 * 64 + 1];
};

static int find_build_id(struct dl_phdr_info *info, size_t size, void *data)
{
	struct build_id *b = data;
	bool mine = false;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum && !mine; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;

		mine = ph->p_type == PT_LOAD && b->addr >= lo && b->addr < lo + ph->p_memsz;
	}
	if (!mine)
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const unsigned char *p, *end;

		if (ph->p_type != PT_NOTE)
			continue;
		p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
		end = p + ph->p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)p;
			const unsigned char *desc = p + sizeof(*nh) + ((nh->n_namesz + 3) & ~3u);

			if (desc + nh->n_descsz > end)
				break;
			if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
			    memcmp(p + sizeof(*nh), "GNU", 4) == 0 && nh->n_descsz <= 64) {
				for (unsigned k = 0; k < nh->n_descsz; k++)
					snprintf(b->hex + 2 * k, 3, "%02x", desc[k]);
				return 1;
			}
			p = desc + ((nh->n_descsz + 3) & ~3u);
		}
	}
	return 1;
}

/* ---- dependencies ---- */

static uint64_t dep_slot_hash(char kind, const char *path)
{
	return kt_memo_hash(path, strlen(path), (uint64_t)kind);
}

static struct dep *dep_find(struct kt_memo *m, char kind, const char *path, size_t *slot)
{
	size_t k = dep_slot_hash(kind, path) & (m->ctab - 1);

	for (; m->tab[k]; k = (k + 1) & (m->ctab - 1)) {
		struct dep *d = &m->deps[m->tab[k] - 1];

		if (d->kind == kind && strcmp(d->path, path) == 0)
			return d;
	}
	*slot = k;
	return NULL;
}

/* The dependency (kind, path): the one recorded, or a new one. */
static struct dep *dep_get(struct kt_memo *m, char kind, const char *path, bool *fresh)
{
	size_t slot;
	struct dep *d;

	if ((m->ndeps + 1) * 2 > m->ctab) {
		size_t nc = m->ctab ? m->ctab * 2 : 256;

		free(m->tab);
		m->tab = kt_xcalloc(nc, sizeof(*m->tab));
		m->ctab = nc;
		for (size_t i = 0; i < m->ndeps; i++) {
			size_t k = dep_slot_hash(m->deps[i].kind, m->deps[i].path) & (nc - 1);

			while (m->tab[k])
				k = (k + 1) & (nc - 1);
			m->tab[k] = i + 1;
		}
	}
	if ((d = dep_find(m, kind, path, &slot))) {
		*fresh = false;
		d->epoch = m->epoch;
		return d;
	}
	if (m->ndeps == m->cdeps) {
		m->cdeps = m->cdeps ? m->cdeps * 2 : 256;
		m->deps = kt_xrealloc(m->deps, m->cdeps * sizeof(*m->deps));
	}
	d = &m->deps[m->ndeps++];
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->path = kt_xstrdup(path);
	d->epoch = m->epoch;
	m->tab[slot] = m->ndeps;
	*fresh = true;
	return d;
}

void kt_memo_dep_kind(struct kt_memo *m, const char *rel, enum kt_git_kind kind)
{
	bool fresh;

	struct dep *d;

	if (m && !m->quiet) {
		d = dep_get(m, DEP_KIND, rel, &fresh);
		d->hash = (uint64_t)kind;
		d->sticky = true;
	}
}

/* Contents of abs hashed: false when it cannot be read. */
static bool hash_file(const char *abs, uint64_t *h)
{
	FILE *fp = fopen(abs, "rb");
	struct stat st;
	char *buf;
	size_t got;

	if (!fp)
		return false;
	if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_HASHED_FILE) {
		fclose(fp);
		return false;
	}
	buf = kt_xmalloc((size_t)st.st_size + 1);
	got = fread(buf, 1, (size_t)st.st_size, fp);
	fclose(fp);
	*h = kt_memo_hash(buf, got, 0);
	free(buf);
	return true;
}

/* The stat that stands for a file's contents: not for a file changed in
 * the last two seconds (it may change again within the mtime's grain). */
static void dep_stat(struct dep *d, const struct stat *st, size_t len)
{
	d->have_stat = (long long)st->st_size == (long long)len && time(NULL) - st->st_mtime > 2;
	d->size = (long long)st->st_size;
	d->mtime_s = (long long)st->st_mtim.tv_sec;
	d->mtime_ns = (long long)st->st_mtim.tv_nsec;
	d->ino = (long long)st->st_ino;
}

static struct dep *dep_file(struct kt_memo *m, const char *abs, const char *data, size_t len,
			    bool present)
{
	struct stat st;
	struct dep *d;
	bool fresh;

	d = dep_get(m, DEP_FILE, abs, &fresh);
	if (!fresh)
		return d; /* the first read stands: a file changing under one run is not cached */
	d->size = -1;
	if (!present || stat(abs, &st) != 0 || !S_ISREG(st.st_mode))
		return d;
	if (!data) {
		/* hashed when a record is first written, if still as it was */
		dep_stat(d, &st, (size_t)st.st_size);
		d->pending = true;
		return d;
	}
	d->hash = kt_memo_hash(data, len, 0);
	dep_stat(d, &st, len);
	return d;
}

void kt_memo_dep_file(struct kt_memo *m, const char *abs, const char *data, size_t len,
		      bool present)
{
	if (m && !m->quiet)
		dep_file(m, abs, data, len, present)->sticky = true;
}

size_t kt_memo_dep_parsed(struct kt_memo *m, const char *abs, const char *data, size_t len,
			  bool present)
{
	if (!m || m->quiet)
		return (size_t)-1;
	return (size_t)(dep_file(m, abs, data, len, present) - m->deps);
}

void kt_memo_mark(struct kt_memo *m, const size_t *deps, size_t n)
{
	for (size_t i = 0; m && i < n; i++)
		if (deps[i] < m->ndeps)
			m->deps[deps[i]].epoch = m->epoch;
}

/* The contents of the files recorded unread, hashed; false when one of them
 * changed since it was read. */
static bool hash_pending(struct kt_memo *m)
{
	for (size_t i = 0; i < m->ndeps; i++) {
		struct dep *d = &m->deps[i];
		struct stat st;

		if (!d->pending)
			continue;
		if (stat(d->path, &st) != 0 || (long long)st.st_size != d->size ||
		    (long long)st.st_mtim.tv_sec != d->mtime_s ||
		    (long long)st.st_mtim.tv_nsec != d->mtime_ns ||
		    (long long)st.st_ino != d->ino || !hash_file(d->path, &d->hash))
			return false;
		d->pending = false;
	}
	return true;
}

static uint64_t list_hash(char *const *names, const enum kt_git_kind *kinds, size_t n)
{
	/* the entries in any order: the sum of their hashes */
	uint64_t h = n;

	for (size_t i = 0; i < n; i++)
		h += kt_memo_hash(names[i], strlen(names[i]), (uint64_t)kinds[i] + 1);
	return h;
}

/* The directory's stat stands for its entries: adding, removing or
 * renaming one changes its mtime. */
static void dir_stat(struct kt_memo *m, const char *rel, struct dep *d)
{
	struct kt_strbuf a;
	struct stat st;

	kt_strbuf_init(&a);
	kt_strbuf_addf(&a, "%s%s%s", m->src_dir, *rel ? "/" : "", rel);
	if (stat(a.buf, &st) == 0 && S_ISDIR(st.st_mode)) {
		dep_stat(d, &st, (size_t)st.st_size);
	} else {
		d->have_stat = false;
		d->size = -1;
	}
	kt_strbuf_fini(&a);
}

void kt_memo_dep_list(struct kt_memo *m, const char *rel, char *const *names,
		      const enum kt_git_kind *kinds, size_t n)
{
	bool fresh;
	struct dep *d;

	if (m && !m->quiet) {
		d = dep_get(m, DEP_LIST, rel, &fresh);
		if (fresh)
			dir_stat(m, rel, d);
		d->hash = list_hash(names, kinds, n);
		d->sticky = true;
	}
}

static uint64_t args_hash(char *const *argv, int argc)
{
	uint64_t h = (uint64_t)argc;

	for (int i = 0; i < argc; i++)
		h = kt_memo_hash(argv[i], strlen(argv[i]) + 1, h);
	return h;
}

/* The compilation database's stat stands for the arguments it gives: they
 * are a function of its contents, the file and the tree (in the key), so an
 * unchanged database is checked without reading it (which would load
 * libclang). Without a database the arguments are derived and recomputed. */
static void db_stat(struct kt_memo *m, struct dep *d)
{
	const char *f = kt_compdb_file(m->db);
	struct stat st;

	d->have_stat = false;
	d->size = -1;
	if (f && stat(f, &st) == 0 && S_ISREG(st.st_mode))
		dep_stat(d, &st, (size_t)st.st_size);
}

size_t kt_memo_dep_args(struct kt_memo *m, const char *rel, char *const *argv, int argc,
			bool from_db)
{
	bool fresh;
	struct dep *d;

	if (!m || m->quiet)
		return (size_t)-1;
	d = dep_get(m, DEP_ARGS, rel, &fresh);
	d->hash = args_hash(argv, argc);
	d->have_stat = false;
	d->size = -1;
	if (from_db)
		db_stat(m, d);
	return (size_t)(d - m->deps);
}

/* Is the dependency as it was? */
static bool dep_holds(struct kt_memo *m, const struct dep *d)
{
	struct stat st;
	uint64_t h;
	char **names = NULL;
	enum kt_git_kind *kinds = NULL;
	size_t n;
	char **argv = NULL;
	int argc = 0;
	bool from_db, ok;

	switch (d->kind) {
	case DEP_FILE:
		if (stat(d->path, &st) != 0)
			return d->size < 0 && d->hash == 0;
		if (d->have_stat && (long long)st.st_size == d->size &&
		    (long long)st.st_mtim.tv_sec == d->mtime_s &&
		    (long long)st.st_mtim.tv_nsec == d->mtime_ns && (long long)st.st_ino == d->ino)
			return true;
		return d->size >= 0 && hash_file(d->path, &h) && h == d->hash;
	case DEP_KIND:
		return (uint64_t)kt_revtree_kind(m->rt, d->path) == d->hash;
	case DEP_LIST:
		if (d->have_stat) {
			struct dep now = {0};

			dir_stat(m, d->path, &now);
			if (now.size == d->size && now.mtime_s == d->mtime_s &&
			    now.mtime_ns == d->mtime_ns && now.ino == d->ino)
				return true;
		}
		n = kt_revtree_list(m->rt, d->path, &names, &kinds);
		ok = list_hash(names, kinds, n) == d->hash;
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
		free(kinds);
		return ok;
	case DEP_ARGS:
		if (d->have_stat) {
			struct dep now = {0};

			db_stat(m, &now);
			if (now.have_stat && now.size == d->size && now.mtime_s == d->mtime_s &&
			    now.mtime_ns == d->mtime_ns && now.ino == d->ino)
				return true;
		}
		kt_compdb_args(m->db, d->path, &argv, &argc, &from_db);
		ok = args_hash(argv, argc) == d->hash;
		kt_args_free(argv, argc);
		return ok;
	}
	return false;
}

/* ---- the memo ---- */

struct kt_memo *kt_memo_new(const char *dir, const char *src_dir, const char *salt,
			    struct kt_revtree *rt, struct kt_compdb *db)
{
	struct build_id b = {.addr = (uintptr_t)&kt_memo_new};
	struct kt_memo *m;
	struct kt_strbuf sb;
	struct stat st;
	char lib[4200];

	if (!dir || !*dir)
		return NULL;
	dl_iterate_phdr(find_build_id, &b);
	if (!b.hex[0])
		return NULL; /* nothing would tell this build's records from another's */
	m = kt_xcalloc(1, sizeof(*m));
	kt_strbuf_init(&sb);
	kt_strbuf_addf(&sb, "%s/source", dir);
	m->dir = kt_strbuf_detach(&sb);
	kt_strbuf_init(&sb);
	kt_strbuf_adds(&sb, MEMO_MAGIC);
	kt_memo_put_str(&sb, b.hex);
	/* libclang as a file (path, size, time), not its version string: asking
	 * for the version would load it, which a run answered here must not */
	if (stat(kt_clang_library_path(), &st) != 0)
		memset(&st, 0, sizeof(st));
	snprintf(lib, sizeof(lib), "%s:%lld:%lld.%09ld:%llu", kt_clang_library_path(),
		 (long long)st.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
		 (unsigned long long)st.st_ino);
	kt_memo_put_str(&sb, lib);
	kt_memo_put_str(&sb, salt);
	m->salt = kt_strbuf_detach(&sb);
	m->rt = rt;
	m->db = db;
	m->src_dir = kt_xstrdup(src_dir);
	kt_strbuf_init(&m->key);
	return m;
}

void kt_memo_free(struct kt_memo *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->ndeps; i++)
		free(m->deps[i].path);
	free(m->deps);
	free(m->tab);
	kt_strbuf_fini(&m->key);
	free(m->salt);
	free(m->src_dir);
	free(m->dir);
	free(m);
}

void kt_memo_counts(const struct kt_memo *m, unsigned *hits, unsigned *stores)
{
	*hits = m ? m->hits : 0;
	*stores = m ? m->stores : 0;
}

void kt_memo_begin(struct kt_memo *m, const struct kt_report *rep,
		   const struct kt_frame *const stacks[2], const size_t nframes[2],
		   const struct kt_facts *facts)
{
	if (!m)
		return;
	kt_strbuf_fini(&m->key);
	kt_strbuf_init(&m->key);
	kt_strbuf_adds(&m->key, m->salt);
	m->epoch++;
	kt_memo_put_report(&m->key, rep, stacks, nframes);
	kt_memo_put_facts(&m->key, facts);
	m->key_hash = kt_memo_hash(m->key.buf, m->key.len, 1);
	m->have_key = true;
}

static char *record_path(const struct kt_memo *m)
{
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	kt_strbuf_addf(&sb, "%s/%016llx.memo", m->dir, (unsigned long long)m->key_hash);
	return kt_strbuf_detach(&sb);
}

static bool read_all(const char *path, char **buf, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	struct stat st;

	*buf = NULL;
	if (!fp)
		return false;
	if (fstat(fileno(fp), &st) != 0 || st.st_size > MAX_RECORD || st.st_size < 24) {
		fclose(fp);
		return false;
	}
	*buf = kt_xmalloc((size_t)st.st_size + 1);
	*len = fread(*buf, 1, (size_t)st.st_size, fp);
	fclose(fp);
	(*buf)[*len] = 0;
	return true;
}

/* The record's dependencies at the cursor, each checked. */
static bool deps_hold(struct kt_memo *m, struct kt_memo_rd *r)
{
	long long n = kt_memo_get_num(r);
	bool ok = !r->bad && n >= 0;

	for (long long i = 0; ok && i < n; i++) {
		struct dep d = {0};

		if (r->p >= r->end) {
			r->bad = true;
			break;
		}
		d.kind = *r->p++;
		d.have_stat = kt_memo_get_num(r) != 0;
		d.size = kt_memo_get_num(r);
		d.mtime_s = kt_memo_get_num(r);
		d.mtime_ns = kt_memo_get_num(r);
		d.ino = kt_memo_get_num(r);
		d.hash = (uint64_t)kt_memo_get_num(r);
		d.path = kt_memo_get_str(r);
		ok = !r->bad && dep_holds(m, &d);
		free(d.path);
	}
	return ok && !r->bad;
}

bool kt_memo_replay(struct kt_memo *m, struct kt_facts *facts)
{
	char *path, *buf, *key;
	size_t len;
	struct kt_memo_rd r;
	bool ok = false;

	if (!m || !m->have_key)
		return false;
	path = record_path(m);
	if (!read_all(path, &buf, &len)) {
		free(path);
		return false;
	}
	free(path);
	/* the last 17 bytes: the checksum of the rest, "%016llx\n" */
	r.p = buf;
	r.end = buf + len - 17;
	r.bad = strtoull(r.end, NULL, 16) != kt_memo_hash(buf, len - 17, 2);
	key = kt_memo_get_str(&r);
	if (!r.bad && strcmp(key, m->key.buf) == 0) {
		m->quiet = true;
		ok = deps_hold(m, &r) && kt_memo_apply_facts(&r, facts);
		m->quiet = false;
	}
	free(key);
	free(buf);
	if (ok)
		m->hits++;
	return ok;
}

static bool write_all(const char *dir, const char *path, const char *buf, size_t len)
{
	struct kt_strbuf tmp;
	int fd;
	bool ok;
	char *parent = kt_xstrdup(dir), *slash = strrchr(parent, '/');

	if (slash && slash != parent) {
		*slash = 0;
		if (mkdir(parent, 0777) != 0 && errno != EEXIST) {
			free(parent);
			return false;
		}
	}
	free(parent);
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return false;
	kt_strbuf_init(&tmp);
	kt_strbuf_addf(&tmp, "%s/.tmp-XXXXXX", dir);
	fd = mkstemp(tmp.buf);
	if (fd < 0) {
		kt_strbuf_fini(&tmp);
		return false;
	}
	ok = write(fd, buf, len) == (ssize_t)len;
	ok = close(fd) == 0 && ok;
	ok = ok && rename(tmp.buf, path) == 0;
	if (!ok)
		unlink(tmp.buf);
	kt_strbuf_fini(&tmp);
	return ok;
}

void kt_memo_store(struct kt_memo *m, const struct kt_facts *facts)
{
	struct kt_strbuf sb;
	char *path;
	size_t n = 0;

	if (!m || !m->have_key)
		return;
	m->have_key = false;
	if (!hash_pending(m))
		return;
	kt_strbuf_init(&sb);
	kt_memo_put_str(&sb, m->key.buf);
	for (size_t i = 0; i < m->ndeps; i++)
		n += m->deps[i].sticky || m->deps[i].epoch == m->epoch;
	kt_memo_put_num(&sb, (long long)n);
	for (size_t i = 0; i < m->ndeps; i++) {
		const struct dep *d = &m->deps[i];

		if (!d->sticky && d->epoch != m->epoch)
			continue;
		kt_strbuf_addf(&sb, "%c", d->kind);
		kt_memo_put_num(&sb, d->have_stat);
		kt_memo_put_num(&sb, d->size);
		kt_memo_put_num(&sb, d->mtime_s);
		kt_memo_put_num(&sb, d->mtime_ns);
		kt_memo_put_num(&sb, d->ino);
		kt_memo_put_num(&sb, (long long)d->hash);
		kt_memo_put_str(&sb, d->path);
	}
	kt_memo_put_facts(&sb, facts);
	kt_strbuf_addf(&sb, "%016llx\n", (unsigned long long)kt_memo_hash(sb.buf, sb.len, 2));
	path = record_path(m);
	if (write_all(m->dir, path, sb.buf, sb.len))
		m->stores++;
	free(path);
	kt_strbuf_fini(&sb);
}
