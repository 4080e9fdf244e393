// SPDX-License-Identifier: Apache-2.0
/*
 * Index segments (seg.h): the builder that collects a scan's records and
 * lays them out, and the reader that checks an image before anything in it
 * is used.
 */
#include <stdlib.h>
#include <string.h>

#include "seg.h"

_Static_assert(sizeof(struct seg_hdr) == 64, "segment header layout");
_Static_assert(sizeof(struct seg_dir) == 24, "segment directory layout");
_Static_assert(sizeof(struct rec_file) == 40, "file record layout");
_Static_assert(sizeof(struct rec_unit) == 32, "unit record layout");
_Static_assert(sizeof(struct rec_member) == 32, "member record layout");
_Static_assert(sizeof(struct rec_named) == 24, "named record layout");

static const uint32_t recsize[S_NSECT] = {
    [S_STROFF] = 4,
    [S_STRBLOB] = 1,
    [S_FILES] = sizeof(struct rec_file),
    [S_UNITS] = sizeof(struct rec_unit),
    [S_POSTKEYS] = sizeof(struct rec_post),
    [S_POSTBLOB] = 1,
    [S_STRUCTS] = sizeof(struct rec_struct),
    [S_SIDX] = sizeof(struct rec_ref),
    [S_MEMBERS] = sizeof(struct rec_member),
    [S_MIDX] = sizeof(struct rec_ref),
    [S_TYPEDEFS] = sizeof(struct rec_named),
    [S_GLOBALS] = sizeof(struct rec_named),
    [S_FUNCS] = sizeof(struct rec_named),
    [S_MACROS] = sizeof(struct rec_macro),
};

/* Four independent lanes of multiply-rotate over 8-byte words, so that the
 * CPU overlaps them; then the lanes and the tail are mixed. Detects damage,
 * not a forger (files are also checked for ownership). */
uint64_t seg_checksum(const uint8_t *p, size_t n)
{
	const uint64_t k1 = 0x9e3779b97f4a7c15ULL, k2 = 0xc2b2ae3d27d4eb4fULL;
	uint64_t l[4] = {0x27d4eb2f165667c5ULL, 0x165667b19e3779f9ULL, 0xd6e8feb86659fd93ULL,
			 0x85ebca77c2b2ae63ULL};
	uint64_t h;
	size_t i = 0;

	for (; i + 32 <= n; i += 32)
		for (int k = 0; k < 4; k++) {
			uint64_t w;

			memcpy(&w, p + i + 8 * k, 8);
			l[k] ^= w * k2;
			l[k] = ((l[k] << 31) | (l[k] >> 33)) * k1;
		}
	h = (n * k1) ^ l[0] ^ ((l[1] << 7) | (l[1] >> 57)) ^ ((l[2] << 19) | (l[2] >> 45)) ^
	    ((l[3] << 41) | (l[3] >> 23));
	for (; i < n; i++) {
		h ^= p[i] * k2;
		h = ((h << 11) | (h >> 53)) * k1;
	}
	h ^= h >> 29;
	h *= k2;
	h ^= h >> 32;
	return h;
}

/* ---- reading ---- */

bool seg_open(const uint8_t *buf, size_t len, struct seg *s, const char **why)
{
	size_t dir_end = sizeof(struct seg_hdr) + S_NSECT * sizeof(struct seg_dir);

	memset(s, 0, sizeof(*s));
	if (len < dir_end || len > SEG_MAX_LEN)
		return *why = "too short", false;
	memcpy(&s->hdr, buf, sizeof(s->hdr));
	if (memcmp(s->hdr.magic, SEG_MAGIC, 8) != 0)
		return *why = "not a census index (or another version)", false;
	if ((s->hdr.kind != SEG_MAIN && s->hdr.kind != SEG_DELTA) || s->hdr.nsect != S_NSECT ||
	    s->hdr.total_len != len)
		return *why = "bad header", false;
	if (seg_checksum(buf + sizeof(s->hdr), len - sizeof(s->hdr)) != s->hdr.checksum)
		return *why = "checksum mismatch", false;
	for (uint32_t i = 0; i < S_NSECT; i++) {
		struct seg_dir d;

		memcpy(&d, buf + sizeof(s->hdr) + i * sizeof(d), sizeof(d));
		if (d.id != i || d.recsize != recsize[i] || d.off % 8 != 0 || d.off < dir_end ||
		    d.off > len || d.count > (len - d.off) / d.recsize)
			return *why = "bad section directory", false;
		s->sec[i] = buf + d.off;
		s->cnt[i] = d.count;
	}
	if (s->cnt[S_STRBLOB] == 0 || ((const char *)s->sec[S_STRBLOB])[s->cnt[S_STRBLOB] - 1])
		return *why = "bad string table", false;
	if (s->hdr.root >= s->cnt[S_STROFF])
		return *why = "bad string table", false;
	s->b = buf;
	s->len = len;
	return true;
}

const char *seg_str(const struct seg *s, uint32_t id)
{
	uint32_t off;

	if (id >= s->cnt[S_STROFF])
		return "";
	off = ((const uint32_t *)s->sec[S_STROFF])[id];
	if (off >= s->cnt[S_STRBLOB])
		return "";
	return (const char *)s->sec[S_STRBLOB] + off;
}

static int cmp_n(const char *a, const char *str, size_t n)
{
	int c = strncmp(a, str, n);

	/* Equal over n bytes: a is at least that long, a[n] can be read. */
	if (c)
		return c;
	return a[n] == 0 ? 0 : 1;
}

uint32_t seg_find(const struct seg *s, const char *str, size_t n)
{
	size_t lo = 0, hi = SEG_N(s, S_STROFF);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_n(seg_str(s, (uint32_t)mid), str, n);

		if (c == 0)
			return (uint32_t)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SEG_NONE;
}

void seg_range(const struct seg *s, enum seg_sect sect, uint32_t name, size_t *lo, size_t *hi)
{
	const uint8_t *base = s->sec[sect];
	size_t rs = recsize[sect], n = SEG_N(s, sect), a = 0, b = n;
	uint32_t v;

	while (a < b) { /* first record with name >= name */
		size_t mid = a + (b - a) / 2;

		memcpy(&v, base + mid * rs, 4);
		if (v < name)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	b = a;
	while (b < n) {
		memcpy(&v, base + b * rs, 4);
		if (v != name)
			break;
		b++;
	}
	*hi = b;
}

size_t seg_postings(const struct seg *s, const struct rec_post *p, uint32_t *out, size_t max)
{
	const uint8_t *blob = s->sec[S_POSTBLOB];
	size_t n = SEG_N(s, S_POSTBLOB), i = p->off, end, k = 0;
	uint64_t cur = 0;

	if (p->off > n || p->len > n - p->off)
		return 0;
	end = (size_t)p->off + p->len;
	while (i < end && k < max && k < p->count) {
		uint64_t v = 0;
		unsigned sh = 0;

		while (i < end && sh < 35) {
			v |= (uint64_t)(blob[i] & 0x7f) << sh;
			sh += 7;
			if (!(blob[i++] & 0x80))
				break;
		}
		cur = k == 0 ? v : cur + v;
		if (cur > 0xffffffffu)
			break;
		out[k++] = (uint32_t)cur;
	}
	return k;
}

long seg_file_find(const struct seg *s, const char *path)
{
	size_t lo = 0, hi = SEG_N(s, S_FILES);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(seg_str(s, SEG_REC(s, S_FILES, struct rec_file, mid)->path), path);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* ---- building ---- */

#define VEC(T)                                                                                     \
	struct {                                                                                   \
		T *v;                                                                              \
		size_t n, cap;                                                                     \
	}
#define VPUSH(vec, x)                                                                              \
	do {                                                                                       \
		if ((vec).n == (vec).cap) {                                                        \
			(vec).cap = (vec).cap ? (vec).cap * 2 : 256;                               \
			(vec).v = kt_xrealloc((vec).v, (vec).cap * sizeof(*(vec).v));              \
		}                                                                                  \
		(vec).v[(vec).n++] = (x);                                                          \
	} while (0)

struct bld {
	VEC(char) blob;
	VEC(uint32_t) offs;
	uint32_t *ht; /* id + 1 */
	size_t htcap;
	VEC(uint8_t) seen;
	VEC(struct rec_file) files;
	VEC(struct rec_unit) units;
	VEC(struct rec_ref) pairs; /* name, unit */
	VEC(struct rec_struct) structs;
	VEC(struct rec_member) members;
	VEC(struct rec_named) named[3]; /* typedefs, globals, funcs */
	VEC(struct rec_macro) macros;
	uint32_t groups;
};

struct bld *bld_new(void)
{
	struct bld *b = kt_xcalloc(1, sizeof(*b));

	b->htcap = 1 << 16;
	b->ht = kt_xcalloc(b->htcap, sizeof(*b->ht));
	bld_intern(b, "", 0);
	return b;
}

void bld_free(struct bld *b)
{
	if (!b)
		return;
	free(b->blob.v);
	free(b->offs.v);
	free(b->ht);
	free(b->seen.v);
	free(b->files.v);
	free(b->units.v);
	free(b->pairs.v);
	free(b->structs.v);
	free(b->members.v);
	for (int i = 0; i < 3; i++)
		free(b->named[i].v);
	free(b->macros.v);
	free(b);
}

static uint32_t hash_str(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void rehash(struct bld *b)
{
	size_t cap = b->htcap * 2;
	uint32_t *ht = kt_xcalloc(cap, sizeof(*ht));

	for (size_t id = 0; id < b->offs.n; id++) {
		const char *s = b->blob.v + b->offs.v[id];
		size_t h = hash_str(s, strlen(s)) & (cap - 1);

		while (ht[h])
			h = (h + 1) & (cap - 1);
		ht[h] = (uint32_t)id + 1;
	}
	free(b->ht);
	b->ht = ht;
	b->htcap = cap;
}

uint32_t bld_intern(struct bld *b, const char *s, size_t n)
{
	size_t h = hash_str(s, n) & (b->htcap - 1);

	while (b->ht[h]) {
		uint32_t id = b->ht[h] - 1;
		const char *t = b->blob.v + b->offs.v[id];

		if (strncmp(t, s, n) == 0 && t[n] == 0)
			return id;
		h = (h + 1) & (b->htcap - 1);
	}
	uint32_t id = (uint32_t)b->offs.n;

	VPUSH(b->offs, (uint32_t)b->blob.n);
	for (size_t i = 0; i < n; i++)
		VPUSH(b->blob, s[i]);
	VPUSH(b->blob, 0);
	VPUSH(b->seen, 0);
	b->ht[h] = id + 1;
	if (b->offs.n * 2 > b->htcap)
		rehash(b);
	return id;
}

const char *bld_str(const struct bld *b, uint32_t id)
{
	return id < b->offs.n ? b->blob.v + b->offs.v[id] : "";
}

void bld_member_seen(struct bld *b, uint32_t id)
{
	if (id < b->seen.n)
		b->seen.v[id] = 1;
}

uint32_t bld_file(struct bld *b, const struct rec_file *f)
{
	VPUSH(b->files, *f);
	return (uint32_t)b->files.n - 1;
}

uint32_t bld_unit(struct bld *b, const struct rec_unit *u)
{
	VPUSH(b->units, *u);
	return (uint32_t)b->units.n - 1;
}

void bld_post(struct bld *b, uint32_t name, uint32_t unit)
{
	VPUSH(b->pairs, ((struct rec_ref){name, unit}));
}

uint32_t bld_struct(struct bld *b, const struct rec_struct *st)
{
	VPUSH(b->structs, *st);
	return (uint32_t)b->structs.n - 1;
}

void bld_struct_members(struct bld *b, uint32_t st, uint32_t first, uint32_t n)
{
	b->structs.v[st].first = first;
	b->structs.v[st].n = n;
}

uint32_t bld_member(struct bld *b, const struct rec_member *m)
{
	VPUSH(b->members, *m);
	return (uint32_t)b->members.n - 1;
}

uint32_t bld_nmembers(const struct bld *b)
{
	return (uint32_t)b->members.n;
}

struct rec_member *bld_member_at(struct bld *b, uint32_t i)
{
	return &b->members.v[i];
}

void bld_named(struct bld *b, enum seg_sect sect, const struct rec_named *n)
{
	int k = sect == S_TYPEDEFS ? 0 : sect == S_GLOBALS ? 1 : 2;

	VPUSH(b->named[k], *n);
}

void bld_macro(struct bld *b, const struct rec_macro *m)
{
	VPUSH(b->macros, *m);
}

uint32_t bld_group(struct bld *b)
{
	return ++b->groups;
}

static int cmp_ref(const void *a, const void *b)
{
	const struct rec_ref *x = a, *y = b;

	if (x->name != y->name)
		return x->name < y->name ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int cmp_named(const void *a, const void *b)
{
	const struct rec_named *x = a, *y = b;

	if (x->name != y->name)
		return x->name < y->name ? -1 : 1;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int cmp_macro(const void *a, const void *b)
{
	const struct rec_macro *x = a, *y = b;

	if (x->name != y->name)
		return x->name < y->name ? -1 : 1;
	return x->file < y->file ? -1 : x->file > y->file;
}

static int cmp_strid(const void *a, const void *b, void *ctx)
{
	const struct bld *bl = ctx;

	return strcmp(bld_str(bl, *(const uint32_t *)a), bld_str(bl, *(const uint32_t *)b));
}

static void put_varint(struct kt_strbuf *sb, uint32_t v)
{
	char c[5];
	size_t n = 0;

	do {
		c[n] = (char)(v & 0x7f);
		v >>= 7;
		if (v)
			c[n] |= (char)0x80;
		n++;
	} while (v);
	kt_strbuf_add(sb, c, n);
}

/* Postings of the names worth a census: members and globals. */
static void postings(struct bld *b, struct kt_strbuf *keys, struct kt_strbuf *blob)
{
	size_t nstr = b->offs.n;
	uint32_t *count = kt_xcalloc(nstr + 1, sizeof(*count));
	uint32_t *start = kt_xcalloc(nstr + 1, sizeof(*start));
	uint32_t *sorted = kt_xcalloc(b->pairs.n + 1, sizeof(*sorted));

	for (size_t i = 0; i < b->named[1].n; i++)
		if (b->named[1].v[i].name < nstr)
			b->seen.v[b->named[1].v[i].name] = 1;
	for (size_t i = 0; i < b->pairs.n; i++)
		count[b->pairs.v[i].name]++;
	for (size_t id = 1; id <= nstr; id++)
		start[id] = start[id - 1] + count[id - 1];
	for (size_t i = 0; i < b->pairs.n; i++) /* stable: units stay ascending */
		sorted[start[b->pairs.v[i].name]++] = b->pairs.v[i].idx;
	for (size_t id = 0, pos = 0; id < nstr; pos += count[id], id++) {
		struct rec_post p = {(uint32_t)id, 0, (uint32_t)blob->len, 0};
		uint32_t prev = 0;

		if (!count[id] || !b->seen.v[id])
			continue;
		for (size_t k = 0; k < count[id]; k++) {
			uint32_t u = sorted[pos + k];

			if (k && u == prev)
				continue;
			put_varint(blob, k ? u - prev : u);
			prev = u;
			p.count++;
		}
		p.len = (uint32_t)(blob->len - p.off);
		kt_strbuf_add(keys, (const char *)&p, sizeof(p));
	}
	free(count);
	free(start);
	free(sorted);
}

/* Appends n records (none: nothing; their array may then be NULL). */
static void add_recs(struct kt_strbuf *sb, const void *v, size_t n, size_t size)
{
	if (n)
		kt_strbuf_add(sb, (const char *)v, n * size);
}

static void sort_recs(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(v, n, size, cmp);
}

static void refs(const void *recs, size_t n, size_t size, size_t name_off, struct kt_strbuf *out)
{
	struct rec_ref *r = kt_xcalloc(n + 1, sizeof(*r));

	for (size_t i = 0; i < n; i++) {
		memcpy(&r[i].name, (const char *)recs + i * size + name_off, 4);
		r[i].idx = (uint32_t)i;
	}
	sort_recs(r, n, sizeof(*r), cmp_ref);
	add_recs(out, r, n, sizeof(*r));
	free(r);
}

static void pad8(struct kt_strbuf *sb)
{
	static const char z[8];

	if (sb->len % 8)
		kt_strbuf_add(sb, z, 8 - sb->len % 8);
}

/* The strings the records use, renumbered in strcmp order (so that
 * name-sorted records are in name order and a string is found by binary
 * search over ids); rewrites every record. */
struct remap {
	uint32_t *to;
	uint32_t n;
};

static void use(uint8_t *used, uint32_t id, size_t nstr)
{
	if (id < nstr)
		used[id] = 1;
}

static uint32_t rm(const struct remap *r, uint32_t id)
{
	return r->to[id];
}

static void compact(struct bld *b, struct kt_strbuf *keys, uint32_t *root, struct kt_strbuf *offs,
		    struct kt_strbuf *blob)
{
	size_t nstr = b->offs.n, nk = keys->len / sizeof(struct rec_post);
	uint8_t *used = kt_xcalloc(nstr + 1, 1);
	uint32_t *ids, n = 0;
	struct remap r = {kt_xcalloc(nstr + 1, sizeof(uint32_t)), 0};
	struct rec_post *pk = (struct rec_post *)keys->buf;

	use(used, *root, nstr);
	for (size_t i = 0; i < b->files.n; i++)
		use(used, b->files.v[i].path, nstr);
	for (size_t i = 0; i < b->units.n; i++)
		use(used, b->units.v[i].name, nstr);
	for (size_t i = 0; i < b->structs.n; i++)
		use(used, b->structs.v[i].tag, nstr);
	for (size_t i = 0; i < b->members.n; i++) {
		use(used, b->members.v[i].name, nstr);
		use(used, b->members.v[i].ty.name, nstr);
	}
	for (int k = 0; k < 3; k++)
		for (size_t i = 0; i < b->named[k].n; i++) {
			use(used, b->named[k].v[i].name, nstr);
			use(used, b->named[k].v[i].ty.name, nstr);
		}
	for (size_t i = 0; i < b->macros.n; i++) {
		use(used, b->macros.v[i].name, nstr);
		use(used, b->macros.v[i].call, nstr);
		use(used, b->macros.v[i].tag, nstr);
	}
	for (size_t i = 0; i < nk; i++)
		use(used, pk[i].name, nstr);
	ids = kt_xcalloc(nstr + 1, sizeof(*ids));
	for (size_t i = 0; i < nstr; i++)
		if (used[i])
			ids[n++] = (uint32_t)i;
	if (n > 1)
		qsort_r(ids, n, sizeof(*ids), cmp_strid, b);
	for (uint32_t i = 0; i < n; i++) {
		const char *str = bld_str(b, ids[i]);
		uint32_t off = (uint32_t)blob->len;

		r.to[ids[i]] = i;
		kt_strbuf_add(offs, (const char *)&off, 4);
		kt_strbuf_add(blob, str, strlen(str) + 1);
	}
	r.n = n;
	*root = rm(&r, *root);
	for (size_t i = 0; i < b->files.n; i++)
		b->files.v[i].path = rm(&r, b->files.v[i].path);
	for (size_t i = 0; i < b->units.n; i++)
		b->units.v[i].name = rm(&r, b->units.v[i].name);
	for (size_t i = 0; i < b->structs.n; i++)
		b->structs.v[i].tag = rm(&r, b->structs.v[i].tag);
	for (size_t i = 0; i < b->members.n; i++) {
		b->members.v[i].name = rm(&r, b->members.v[i].name);
		b->members.v[i].ty.name = rm(&r, b->members.v[i].ty.name);
	}
	for (int k = 0; k < 3; k++)
		for (size_t i = 0; i < b->named[k].n; i++) {
			b->named[k].v[i].name = rm(&r, b->named[k].v[i].name);
			b->named[k].v[i].ty.name = rm(&r, b->named[k].v[i].ty.name);
		}
	for (size_t i = 0; i < b->macros.n; i++) {
		b->macros.v[i].name = rm(&r, b->macros.v[i].name);
		b->macros.v[i].call = rm(&r, b->macros.v[i].call);
		b->macros.v[i].tag = rm(&r, b->macros.v[i].tag);
	}
	for (size_t i = 0; i < nk; i++)
		pk[i].name = rm(&r, pk[i].name);
	sort_recs(pk, nk, sizeof(*pk), cmp_ref); /* name first in both */
	free(used);
	free(ids);
	free(r.to);
}

/* Serializing rewrites the builder's records: it is its last use. */
void bld_serialize(struct bld *b, uint32_t kind, const char *root, uint64_t skips_key,
		   int64_t built_ns, uint64_t base_sum, struct kt_strbuf *out)
{
	struct kt_strbuf sec[S_NSECT];
	struct seg_hdr h;
	uint32_t root_id = bld_intern(b, root, strlen(root));
	size_t off;

	for (int i = 0; i < S_NSECT; i++)
		kt_strbuf_init(&sec[i]);
	postings(b, &sec[S_POSTKEYS], &sec[S_POSTBLOB]);
	compact(b, &sec[S_POSTKEYS], &root_id, &sec[S_STROFF], &sec[S_STRBLOB]);
	add_recs(&sec[S_FILES], b->files.v, b->files.n, sizeof(*b->files.v));
	add_recs(&sec[S_UNITS], b->units.v, b->units.n, sizeof(*b->units.v));
	add_recs(&sec[S_STRUCTS], b->structs.v, b->structs.n, sizeof(*b->structs.v));
	refs(b->structs.v, b->structs.n, sizeof(*b->structs.v), 0, &sec[S_SIDX]);
	add_recs(&sec[S_MEMBERS], b->members.v, b->members.n, sizeof(*b->members.v));
	refs(b->members.v, b->members.n, sizeof(*b->members.v), 0, &sec[S_MIDX]);
	for (int k = 0; k < 3; k++) {
		sort_recs(b->named[k].v, b->named[k].n, sizeof(*b->named[k].v), cmp_named);
		add_recs(&sec[S_TYPEDEFS + k], b->named[k].v, b->named[k].n,
			 sizeof(*b->named[k].v));
	}
	sort_recs(b->macros.v, b->macros.n, sizeof(*b->macros.v), cmp_macro);
	add_recs(&sec[S_MACROS], b->macros.v, b->macros.n, sizeof(*b->macros.v));

	memset(&h, 0, sizeof(h));
	memcpy(h.magic, SEG_MAGIC, 8);
	h.kind = kind;
	h.nsect = S_NSECT;
	h.skips_key = skips_key;
	h.built_ns = built_ns;
	h.base_sum = base_sum;
	h.root = root_id;
	kt_strbuf_reset(out);
	kt_strbuf_add(out, (const char *)&h, sizeof(h));
	off = sizeof(h) + S_NSECT * sizeof(struct seg_dir);
	for (uint32_t i = 0; i < S_NSECT; i++) {
		struct seg_dir d = {i, recsize[i], 0, sec[i].len / recsize[i]};

		off = (off + 7) & ~(size_t)7;
		d.off = off;
		off += sec[i].len;
		kt_strbuf_add(out, (const char *)&d, sizeof(d));
	}
	for (int i = 0; i < S_NSECT; i++) {
		pad8(out);
		if (sec[i].len)
			kt_strbuf_add(out, sec[i].buf, sec[i].len);
		kt_strbuf_fini(&sec[i]);
	}
	h.total_len = out->len;
	h.checksum = seg_checksum((const uint8_t *)out->buf + sizeof(h), out->len - sizeof(h));
	memcpy(out->buf, &h, sizeof(h));
}
