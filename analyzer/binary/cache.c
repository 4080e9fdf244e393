// SPDX-License-Identifier: Apache-2.0
/*
 * The on-disk index cache. File layout (little-endian, as written by x86-64):
 *
 *   "KTIDX003"            magic and format version
 *   u32 idlen, u8[64] id  build-id of the vmlinux
 *   u64 vmlinux_size      size of the file it was made from
 *   u64 payload_len
 *   u64 checksum          FNV-1a 64 of the payload
 *   payload: records "u32 tag, u64 count, entries":
 *     1 CU ranges   (lo, hi, unit header offset) u64; lo = hi = 0: a unit
 *                   without any range
 *     2 globals     (addr, size, die) u64
 *     3 PC chains   u64 pc, u32 n, n x (i32 line, str func, str file)
 *                   where str = u32 len (0xffffffff: none) + bytes
 *     4 named types u64 die, str name
 *     5 scope names u64 pc, u32 n, n x str: the variables and parameters
 *                   in scope at an access PC, innermost scope last
 *
 * Anything that does not verify is ignored (and replaced when the cache is
 * written back): a cache can make a run faster, never change its answer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "kcsan/strbuf.h"

#define MAGIC	   "KTIDX004"
#define MAX_CHAINS 200000
#define NOSTR	   0xffffffffu

/* What the cache knows per PC: its inline chain (tag 3), or the names in
 * scope there (tag 5, each name in a kt_loc's func). */
struct chain {
	uint64_t pc;
	struct kt_loc *locs;
	size_t n;
};

struct pcmap {
	struct chain *v; /* sorted by pc */
	size_t n, cap;
};

struct kt_cache {
	char *dir;
	char *path;
	unsigned char id[64];
	uint32_t idlen;
	uint64_t vmsize;
	bool loaded;
	bool dirty;
	struct kt_dw_range *ranges;
	size_t nranges;
	bool have_ranges;
	struct kt_global *globals;
	size_t nglobals;
	bool have_globals;
	struct kt_named_type *types;
	size_t ntypes;
	bool have_types;
	struct pcmap chains, names;
};

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

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

/* A bounded reader over the payload. */
struct rd {
	const unsigned char *p;
	size_t n, off;
	bool bad;
};

static uint64_t rd_u64(struct rd *r)
{
	uint64_t v = 0;

	if (r->n - r->off < 8) {
		r->bad = true;
		return 0;
	}
	memcpy(&v, r->p + r->off, 8);
	r->off += 8;
	return v;
}

static uint32_t rd_u32(struct rd *r)
{
	uint32_t v = 0;

	if (r->n - r->off < 4) {
		r->bad = true;
		return 0;
	}
	memcpy(&v, r->p + r->off, 4);
	r->off += 4;
	return v;
}

static char *rd_str(struct rd *r)
{
	uint32_t len = rd_u32(r);
	char *s;

	if (r->bad || len == NOSTR)
		return NULL;
	if (r->n - r->off < len) {
		r->bad = true;
		return NULL;
	}
	s = kt_xstrndup((const char *)r->p + r->off, len);
	r->off += len;
	return s;
}

static void free_types(struct kt_cache *c)
{
	for (size_t i = 0; i < c->ntypes; i++)
		free(c->types[i].name);
	free(c->types);
	c->types = NULL;
	c->ntypes = 0;
	c->have_types = false;
}

static void pcmap_free(struct pcmap *m)
{
	for (size_t i = 0; i < m->n; i++)
		kt_locs_free(m->v[i].locs, m->v[i].n);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

static void free_chains(struct kt_cache *c)
{
	pcmap_free(&c->chains);
	pcmap_free(&c->names);
}

/* count entries of a tag 3 (chains: line, func, file) or 5 (names)
 * record into an empty m, in increasing pc order. */
static bool parse_pcmap(struct rd *r, uint64_t count, bool chain, struct pcmap *m)
{
	if (count > MAX_CHAINS || count > (r->n - r->off) / 12 || m->v) {
		r->bad = true;
		return false;
	}
	m->v = kt_xcalloc(count + 1, sizeof(*m->v));
	m->cap = count + 1;
	for (uint64_t i = 0; i < count && !r->bad; i++) {
		struct chain *ch = &m->v[m->n];
		uint32_t nl;

		ch->pc = rd_u64(r);
		nl = rd_u32(r);
		if (r->bad || nl > 1024 || (m->n && ch->pc <= ch[-1].pc)) {
			r->bad = true;
			break;
		}
		ch->locs = kt_xcalloc(nl + 1, sizeof(*ch->locs));
		m->n++;
		for (uint32_t k = 0; k < nl && !r->bad; k++) {
			if (chain)
				ch->locs[k].line = (int)rd_u32(r);
			ch->locs[k].func = rd_str(r);
			if (chain)
				ch->locs[k].file = rd_str(r);
			ch->n = k + 1;
			if (!ch->locs[k].func)
				r->bad = true;
		}
	}
	return !r->bad;
}

static bool parse_payload(struct kt_cache *c, const unsigned char *p, size_t n)
{
	struct rd r = {p, n, 0, false};

	while (!r.bad && r.off < n) {
		uint32_t tag = rd_u32(&r);
		uint64_t count = rd_u64(&r);

		if (r.bad)
			break;
		if (tag == 1 || tag == 2) {
			if (count > (n - r.off) / 24) {
				r.bad = true;
				break;
			}
			if (tag == 1) {
				free(c->ranges);
				c->ranges = kt_xcalloc(count + 1, sizeof(*c->ranges));
				for (uint64_t i = 0; i < count; i++) {
					c->ranges[i].lo = rd_u64(&r);
					c->ranges[i].hi = rd_u64(&r);
					c->ranges[i].cu = rd_u64(&r);
				}
				c->nranges = count;
				c->have_ranges = true;
			} else {
				free(c->globals);
				c->globals = kt_xcalloc(count + 1, sizeof(*c->globals));
				for (uint64_t i = 0; i < count; i++) {
					c->globals[i].addr = rd_u64(&r);
					c->globals[i].size = rd_u64(&r);
					c->globals[i].die = rd_u64(&r);
				}
				c->nglobals = count;
				c->have_globals = true;
			}
		} else if (tag == 3 || tag == 5) {
			/* One record of each: a second would index past the
			 * first one's array (and leak it). */
			if (!parse_pcmap(&r, count, tag == 3, tag == 3 ? &c->chains : &c->names))
				break;
		} else if (tag == 4) {
			if (count > (n - r.off) / 12 || c->have_types) {
				r.bad = true;
				break;
			}
			c->types = kt_xcalloc(count + 1, sizeof(*c->types));
			c->have_types = true;
			for (uint64_t i = 0; i < count && !r.bad; i++) {
				c->types[i].die = rd_u64(&r);
				c->types[i].name = rd_str(&r);
				if (!c->types[i].name)
					r.bad = true;
				else
					c->ntypes = i + 1;
			}
		} else {
			r.bad = true;
		}
	}
	return !r.bad;
}

/* The entry's file, when it is one we wrote: a regular file (not a FIFO
 * that would block the open, not a symlink to elsewhere), owned by us and
 * writable by nobody else (in a shared --cache-dir another user could plant
 * an entry whose checksum verifies). NULL otherwise. */
static FILE *open_own(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	FILE *fp;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & (S_IWGRP | S_IWOTH))) {
		close(fd);
		errno = EPERM;
		return NULL;
	}
	fp = fdopen(fd, "rb");
	if (!fp)
		close(fd);
	return fp;
}

static void load(struct kt_cache *c)
{
	FILE *fp = open_own(c->path);
	unsigned char hdr[8 + 4 + 64 + 8 + 8 + 8];
	unsigned char *payload = NULL;
	uint32_t idlen;
	uint64_t vmsize, plen, sum;

	if (!fp) {
		if (errno != ENOENT)
			c->dirty = true; /* there but not ours: replace it */
		return;
	}
	if (fread(hdr, 1, sizeof(hdr), fp) != sizeof(hdr) || memcmp(hdr, MAGIC, 8) != 0)
		goto out;
	memcpy(&idlen, hdr + 8, 4);
	memcpy(&vmsize, hdr + 76, 8);
	memcpy(&plen, hdr + 84, 8);
	memcpy(&sum, hdr + 92, 8);
	if (idlen != c->idlen || memcmp(hdr + 12, c->id, c->idlen) != 0 || vmsize != c->vmsize ||
	    plen > (1ULL << 31))
		goto out;
	payload = malloc(plen + 1);
	if (!payload || fread(payload, 1, plen, fp) != plen || fgetc(fp) != EOF)
		goto out;
	if (fnv1a(payload, plen) != sum)
		goto out;
	if (parse_payload(c, payload, plen)) {
		c->loaded = true;
	} else {
		/* A verified file that does not parse: start empty. */
		free(c->ranges);
		free(c->globals);
		c->ranges = NULL;
		c->globals = NULL;
		c->nranges = c->nglobals = 0;
		c->have_ranges = c->have_globals = false;
		free_chains(c);
		free_types(c);
	}
out:
	free(payload);
	fclose(fp);
	if (!c->loaded)
		c->dirty = true; /* absent or bad: write a good one */
}

struct kt_error *kt_cache_open(const char *dir, const struct kt_elf *elf, struct kt_cache **out)
{
	struct kt_cache *c;
	char *d = NULL;

	*out = NULL;
	if (elf->build_id_len == 0)
		return kt_error_new(KT_ERR_UNSUPPORTED, elf->path, 0,
				    "no build-id: the index cache is not used");
	if (dir) {
		d = kt_xstrdup(dir);
	} else {
		const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");

		int rc = -1;

		/* XDG: a relative XDG_CACHE_HOME is invalid and ignored. */
		if (x && *x == '/')
			rc = asprintf(&d, "%s/kcsan-triage", x);
		else if (h && *h)
			rc = asprintf(&d, "%s/.cache/kcsan-triage", h);
		if (rc < 0)
			d = NULL;
	}
	if (!d)
		return kt_error_new(KT_ERR_UNSUPPORTED, NULL, 0, "no cache directory");
	if (mkdirs(d) != 0) {
		struct kt_error *e =
		    kt_error_new(KT_ERR_IO, d, 0, "cannot create: %s", strerror(errno));

		free(d);
		return e;
	}
	c = kt_xcalloc(1, sizeof(*c));
	c->dir = d;
	c->idlen = (uint32_t)elf->build_id_len;
	memcpy(c->id, elf->build_id, elf->build_id_len);
	c->vmsize = elf->file_size;
	if (asprintf(&c->path, "%s/%s.idx", d, elf->build_id_hex) < 0)
		abort();
	load(c);
	*out = c;
	return NULL;
}

const char *kt_cache_path(const struct kt_cache *c)
{
	return c->path;
}

bool kt_cache_was_loaded(const struct kt_cache *c)
{
	return c->loaded;
}

static void put_u32(struct kt_strbuf *sb, uint32_t v)
{
	kt_strbuf_add(sb, (const char *)&v, 4);
}

static void put_u64(struct kt_strbuf *sb, uint64_t v)
{
	kt_strbuf_add(sb, (const char *)&v, 8);
}

static void put_str(struct kt_strbuf *sb, const char *s)
{
	if (!s) {
		put_u32(sb, NOSTR);
		return;
	}
	put_u32(sb, (uint32_t)strlen(s));
	kt_strbuf_adds(sb, s);
}

static void put_pcmap(struct kt_strbuf *pl, uint32_t tag, const struct pcmap *m)
{
	put_u32(pl, tag);
	put_u64(pl, m->n);
	for (size_t i = 0; i < m->n; i++) {
		put_u64(pl, m->v[i].pc);
		put_u32(pl, (uint32_t)m->v[i].n);
		for (size_t k = 0; k < m->v[i].n; k++) {
			if (tag == 3)
				put_u32(pl, (uint32_t)m->v[i].locs[k].line);
			put_str(pl, m->v[i].locs[k].func);
			if (tag == 3)
				put_str(pl, m->v[i].locs[k].file);
		}
	}
}

static void write_back(struct kt_cache *c)
{
	struct kt_strbuf pl;
	unsigned char hdr[100] = {0};
	char *tmp = NULL;
	int fd;
	bool ok;

	kt_strbuf_init(&pl);
	if (c->have_ranges) {
		put_u32(&pl, 1);
		put_u64(&pl, c->nranges);
		for (size_t i = 0; i < c->nranges; i++) {
			put_u64(&pl, c->ranges[i].lo);
			put_u64(&pl, c->ranges[i].hi);
			put_u64(&pl, c->ranges[i].cu);
		}
	}
	if (c->have_globals) {
		put_u32(&pl, 2);
		put_u64(&pl, c->nglobals);
		for (size_t i = 0; i < c->nglobals; i++) {
			put_u64(&pl, c->globals[i].addr);
			put_u64(&pl, c->globals[i].size);
			put_u64(&pl, c->globals[i].die);
		}
	}
	if (c->have_types) {
		put_u32(&pl, 4);
		put_u64(&pl, c->ntypes);
		for (size_t i = 0; i < c->ntypes; i++) {
			put_u64(&pl, c->types[i].die);
			put_str(&pl, c->types[i].name);
		}
	}
	put_pcmap(&pl, 3, &c->chains);
	put_pcmap(&pl, 5, &c->names);
	uint64_t plen = pl.len, sum = fnv1a((const unsigned char *)pl.buf, pl.len);

	memcpy(hdr, MAGIC, 8);
	memcpy(hdr + 8, &c->idlen, 4);
	memcpy(hdr + 12, c->id, c->idlen);
	memcpy(hdr + 76, &c->vmsize, 8);
	memcpy(hdr + 84, &plen, 8);
	memcpy(hdr + 92, &sum, 8);
	/* Written under a name nobody can predict, then renamed: readers see
	 * the old file or the new one, never a part. */
	if (asprintf(&tmp, "%s/.%s.XXXXXX", c->dir, "idx") < 0)
		abort();
	fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		kt_strbuf_fini(&pl);
		return;
	}
	ok = write(fd, hdr, sizeof(hdr)) == (ssize_t)sizeof(hdr) &&
	     (pl.len == 0 || write(fd, pl.buf, pl.len) == (ssize_t)pl.len);
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, c->path) != 0)
		unlink(tmp);
	free(tmp);
	kt_strbuf_fini(&pl);
}

void kt_cache_close(struct kt_cache *c)
{
	if (!c)
		return;
	if (c->dirty)
		write_back(c);
	free(c->ranges);
	free(c->globals);
	free_chains(c);
	free_types(c);
	free(c->path);
	free(c->dir);
	free(c);
}

bool kt_cache_get_ranges(struct kt_cache *c, struct kt_dw_range **r, size_t *n)
{
	if (!c->have_ranges)
		return false;
	*r = kt_xcalloc(c->nranges + 1, sizeof(**r));
	if (c->nranges)
		memcpy(*r, c->ranges, c->nranges * sizeof(**r));
	*n = c->nranges;
	return true;
}

void kt_cache_put_ranges(struct kt_cache *c, const struct kt_dw_range *r, size_t n)
{
	if (c->have_ranges)
		return;
	c->ranges = kt_xcalloc(n + 1, sizeof(*r));
	if (n) /* an image without units gives NULL, 0 */
		memcpy(c->ranges, r, n * sizeof(*r));
	c->nranges = n;
	c->have_ranges = true;
	c->dirty = true;
}

bool kt_cache_get_globals(struct kt_cache *c, struct kt_global **g, size_t *n)
{
	if (!c->have_globals)
		return false;
	*g = kt_xcalloc(c->nglobals + 1, sizeof(**g));
	if (c->nglobals)
		memcpy(*g, c->globals, c->nglobals * sizeof(**g));
	*n = c->nglobals;
	return true;
}

void kt_cache_put_globals(struct kt_cache *c, const struct kt_global *g, size_t n)
{
	if (c->have_globals)
		return;
	c->globals = kt_xcalloc(n + 1, sizeof(*g));
	if (n)
		memcpy(c->globals, g, n * sizeof(*g));
	c->nglobals = n;
	c->have_globals = true;
	c->dirty = true;
}

static size_t pcmap_pos(const struct pcmap *m, uint64_t pc)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->v[mid].pc < pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct kt_loc *locs_dup(const struct kt_loc *l, size_t n)
{
	struct kt_loc *v = kt_xcalloc(n + 1, sizeof(*v));

	for (size_t i = 0; i < n; i++) {
		v[i].func = kt_xstrdup(l[i].func ? l[i].func : "??");
		v[i].file = l[i].file ? kt_xstrdup(l[i].file) : NULL;
		v[i].line = l[i].line;
	}
	return v;
}

static const struct chain *pcmap_get(const struct pcmap *m, uint64_t pc)
{
	size_t i = pcmap_pos(m, pc);

	return i < m->n && m->v[i].pc == pc ? &m->v[i] : NULL;
}

/* Adds pc's entry (a copy of l) unless there is one; true when added. */
static bool pcmap_put(struct pcmap *m, uint64_t pc, const struct kt_loc *l, size_t n)
{
	size_t i = pcmap_pos(m, pc);

	if ((i < m->n && m->v[i].pc == pc) || m->n >= MAX_CHAINS || n > 1024)
		return false;
	if (m->n + 1 >= m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->v = kt_xrealloc(m->v, m->cap * sizeof(*m->v));
	}
	memmove(&m->v[i + 1], &m->v[i], (m->n - i) * sizeof(*m->v));
	m->v[i].pc = pc;
	m->v[i].locs = locs_dup(l, n);
	m->v[i].n = n;
	m->n++;
	return true;
}

bool kt_cache_get_chain(struct kt_cache *c, uint64_t pc, struct kt_loc **out, size_t *n)
{
	const struct chain *ch = pcmap_get(&c->chains, pc);

	if (!ch)
		return false;
	*out = locs_dup(ch->locs, ch->n);
	*n = ch->n;
	return true;
}

void kt_cache_put_chain(struct kt_cache *c, uint64_t pc, const struct kt_loc *l, size_t n)
{
	if (pcmap_put(&c->chains, pc, l, n))
		c->dirty = true;
}

bool kt_cache_get_scope_names(struct kt_cache *c, uint64_t pc, char ***names, size_t *n)
{
	const struct chain *ch = pcmap_get(&c->names, pc);

	if (!ch)
		return false;
	*names = kt_xcalloc(ch->n + 1, sizeof(**names));
	for (size_t i = 0; i < ch->n; i++)
		(*names)[i] = kt_xstrdup(ch->locs[i].func);
	*n = ch->n;
	return true;
}

void kt_cache_put_scope_names(struct kt_cache *c, uint64_t pc, char *const *names, size_t n)
{
	struct kt_loc *l = kt_xcalloc(n + 1, sizeof(*l));

	for (size_t i = 0; i < n; i++)
		l[i].func = names[i];
	if (pcmap_put(&c->names, pc, l, n))
		c->dirty = true;
	free(l);
}

bool kt_cache_get_types(struct kt_cache *c, struct kt_named_type **t, size_t *n)
{
	if (!c->have_types)
		return false;
	*t = kt_xcalloc(c->ntypes + 1, sizeof(**t));
	for (size_t i = 0; i < c->ntypes; i++) {
		(*t)[i].name = kt_xstrdup(c->types[i].name);
		(*t)[i].die = c->types[i].die;
	}
	*n = c->ntypes;
	return true;
}

void kt_cache_put_types(struct kt_cache *c, const struct kt_named_type *t, size_t n)
{
	if (c->have_types)
		return;
	c->types = kt_xcalloc(n + 1, sizeof(*t));
	for (size_t i = 0; i < n; i++) {
		c->types[i].name = kt_xstrdup(t[i].name);
		c->types[i].die = t[i].die;
	}
	c->ntypes = n;
	c->have_types = true;
	c->dirty = true;
}
