// SPDX-License-Identifier: Apache-2.0
/*
 * Types through the index (ana.h): struct definitions by tag, their members,
 * typedefs, globals, function results and container macros, across the
 * live records of both segments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ana.h"

#define TYPEDEF_DEPTH 8
#define MEMO_CAP      (1u << 13)

/* Lookups of one index, remembered: a census asks the same few names
 * (a struct's tag and members, the functions and globals of its bases)
 * thousands of times. Entries stay put while a census runs (a caller may
 * hold one across a nested lookup); a full table is cleared between
 * censuses. */
struct memo_ent {
	char *key; /* kind, name, NUL, member */
	size_t klen;
	bool found;
	struct rty ty;
	const struct rec_member *rec;
	int seg_k;
};

struct ty_memo {
	struct memo_ent *e;
	size_t n;
};

void ty_memo_free(struct ty_memo *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < MEMO_CAP; i++)
		free(m->e[i].key);
	free(m->e);
	free(m);
}

void ty_memo_start(const struct kt_census_index *ix)
{
	struct ty_memo *m = ix->memo;

	if (!m || m->n * 4 < MEMO_CAP * 3)
		return;
	for (size_t i = 0; i < MEMO_CAP; i++) {
		free(m->e[i].key);
		m->e[i].key = NULL;
	}
	m->n = 0;
}

static uint64_t memo_hash(const char *k, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 1099511628211ULL;
	return h;
}

/* The entry for (kind, a, b): *hit when it holds an answer, else a slot
 * to fill (NULL when the key is too long to remember). */
static struct memo_ent *memo(const struct kt_census_index *ix, char kind, const char *a, size_t an,
			     const char *b, bool *hit)
{
	struct kt_census_index *mix = (struct kt_census_index *)ix;
	char key[300];
	size_t bn = b ? strlen(b) : 0, kn = 1 + an + 1 + bn, i;

	*hit = false;
	if (kn > sizeof(key))
		return NULL;
	key[0] = kind;
	memcpy(key + 1, a, an);
	key[1 + an] = 0;
	if (bn)
		memcpy(key + 2 + an, b, bn);
	if (!mix->memo) {
		mix->memo = kt_xcalloc(1, sizeof(*mix->memo));
		mix->memo->e = kt_xcalloc(MEMO_CAP, sizeof(*mix->memo->e));
	}
	struct ty_memo *m = mix->memo;

	for (i = memo_hash(key, kn) & (MEMO_CAP - 1); m->e[i].key; i = (i + 1) & (MEMO_CAP - 1))
		if (m->e[i].klen == kn && memcmp(m->e[i].key, key, kn) == 0) {
			*hit = true;
			return &m->e[i];
		}
	if (m->n * 4 >= MEMO_CAP * 3)
		return NULL; /* full until the next census starts */
	m->e[i].key = kt_xmalloc(kn);
	memcpy(m->e[i].key, key, kn);
	m->e[i].klen = kn;
	m->n++;
	return &m->e[i];
}

static void set_tag(struct rty *out, uint8_t kind, const char *s, size_t n)
{
	if (n >= sizeof(out->tag))
		n = sizeof(out->tag) - 1;
	memcpy(out->tag, s, n);
	out->tag[n] = 0;
	out->kind = kind;
}

/* A record's type: struct/union tags as they are, typedef names followed. */
static void resolve(const struct kt_census_index *ix, uint8_t kind, const char *name, size_t n,
		    int depth, struct rty *out)
{
	out->kind = TY_NONE;
	out->tag[0] = 0;
	if (kind == TY_STRUCT || kind == TY_UNION) {
		set_tag(out, kind, name, n);
		return;
	}
	if (kind != TY_NAME || depth >= TYPEDEF_DEPTH)
		return;
	for (int k = 0; k < 2; k++) {
		const struct seg *s = &ix->seg[k];
		uint32_t id;
		size_t lo, hi;

		if (!ix->have[k] || (id = seg_find(s, name, n)) == SEG_NONE)
			continue;
		seg_range(s, S_TYPEDEFS, id, &lo, &hi);
		for (size_t i = lo; i < hi; i++) {
			const struct rec_named *r = SEG_REC(s, S_TYPEDEFS, struct rec_named, i);
			const char *tn = seg_str(s, r->ty.name);

			if (!ix_live(ix, k, r->file) ||
			    (r->ty.kind == TY_NAME && strlen(tn) == n && memcmp(tn, name, n) == 0))
				continue;
			resolve(ix, r->ty.kind, tn, strlen(tn), depth + 1, out);
			if (out->kind != TY_NONE)
				return;
		}
	}
}

void ty_of_decl(const struct kt_census_index *ix, uint8_t kind, const char *name, size_t n,
		bool array, struct rty *out)
{
	struct memo_ent *m = NULL;
	bool hit = false;

	if (kind == TY_NAME)
		m = memo(ix, 'T', name, n, NULL, &hit);
	if (hit) {
		*out = m->ty;
	} else {
		resolve(ix, kind, name, n, 0, out);
		if (m)
			m->ty = *out;
	}
	out->array = array;
}

/* Calls fn for each live struct definition of tag until it returns true. */
static bool each_def(const struct kt_census_index *ix, const char *tag,
		     bool (*fn)(const struct seg *, int, const struct rec_struct *, void *),
		     void *ctx)
{
	for (int k = 0; k < 2; k++) {
		const struct seg *s = &ix->seg[k];
		uint32_t id;
		size_t lo, hi;

		if (!ix->have[k] || (id = seg_find(s, tag, strlen(tag))) == SEG_NONE)
			continue;
		seg_range(s, S_SIDX, id, &lo, &hi);
		for (size_t i = lo; i < hi; i++) {
			const struct rec_ref *r = SEG_REC(s, S_SIDX, struct rec_ref, i);
			const struct rec_struct *st;

			if (r->idx >= SEG_N(s, S_STRUCTS))
				continue;
			st = SEG_REC(s, S_STRUCTS, struct rec_struct, r->idx);
			if (ix_live(ix, k, st->file) && fn(s, k, st, ctx))
				return true;
		}
	}
	return false;
}

struct mfind {
	const struct kt_census_index *ix;
	const char *member;
	size_t n;
	struct rty *out;
	const struct rec_member **rec;
	int *seg_k;
};

static bool find_member(const struct seg *s, int k, const struct rec_struct *st, void *ctx)
{
	struct mfind *m = ctx;
	size_t nm = SEG_N(s, S_MEMBERS);

	if (st->first > nm || st->n > nm - st->first)
		return false;
	for (size_t i = st->first; i < st->first + st->n; i++) {
		const struct rec_member *r = SEG_REC(s, S_MEMBERS, struct rec_member, i);
		const char *nmn = seg_str(s, r->name), *tn;

		if (strlen(nmn) != m->n || memcmp(nmn, m->member, m->n) != 0)
			continue;
		tn = seg_str(s, r->ty.name);
		if (m->out)
			ty_of_decl(m->ix, r->ty.kind, tn, strlen(tn),
				   (r->ty.flags & TYF_ARRAY) != 0, m->out);
		if (m->rec)
			*m->rec = r;
		if (m->seg_k)
			*m->seg_k = k;
		return true;
	}
	return false;
}

bool ty_member(const struct kt_census_index *ix, const char *tag, const char *member, size_t n,
	       struct rty *out, const struct rec_member **rec, int *seg_k)
{
	struct rty ty;
	const struct rec_member *r = NULL;
	int k = 0;
	struct mfind m = {ix, member, n, &ty, &r, &k};
	bool hit;
	struct memo_ent *e = memo(ix, 'M', member, n, tag, &hit);

	if (!hit) {
		ty.kind = TY_NONE;
		ty.tag[0] = 0;
		ty.array = false;
		m.out = &ty;
		bool found = each_def(ix, tag, find_member, &m);

		if (e) {
			e->found = found;
			e->ty = ty;
			e->rec = found ? r : NULL;
			e->seg_k = k;
		}
		if (!found)
			r = NULL;
	} else {
		ty = e->ty;
		r = e->rec;
		k = e->seg_k;
	}
	if (out)
		*out = ty;
	if (rec)
		*rec = r;
	if (seg_k)
		*seg_k = k;
	return hit ? e->found : r != NULL;
}

static bool count_def(const struct seg *s, int k, const struct rec_struct *st, void *ctx)
{
	(void)s;
	(void)k;
	(void)st;
	(*(size_t *)ctx)++;
	return false;
}

size_t ty_definitions(const struct kt_census_index *ix, const char *tag)
{
	size_t n = 0;

	each_def(ix, tag, count_def, &n);
	return n;
}

size_t ty_member_owners(const struct kt_census_index *ix, const char *member, size_t n,
			const char **unique)
{
	const char *first = NULL;
	size_t count = 0;

	*unique = NULL;
	for (int k = 0; k < 2; k++) {
		const struct seg *s = &ix->seg[k];
		uint32_t id;
		size_t lo, hi;

		if (!ix->have[k] || (id = seg_find(s, member, n)) == SEG_NONE)
			continue;
		seg_range(s, S_MIDX, id, &lo, &hi);
		for (size_t i = lo; i < hi; i++) {
			const struct rec_ref *r = SEG_REC(s, S_MIDX, struct rec_ref, i);
			const struct rec_member *m;
			const struct rec_struct *st;
			const char *tag;

			if (r->idx >= SEG_N(s, S_MEMBERS))
				continue;
			m = SEG_REC(s, S_MEMBERS, struct rec_member, r->idx);
			if (m->owner >= SEG_N(s, S_STRUCTS))
				continue;
			st = SEG_REC(s, S_STRUCTS, struct rec_struct, m->owner);
			if (!ix_live(ix, k, st->file))
				continue;
			tag = seg_str(s, st->tag);
			if (!first) {
				first = tag;
				count = 1;
			} else if (strcmp(first, tag) != 0 && count < 2) {
				count = 2; /* enough to know it is not unique */
			}
		}
	}
	if (count == 1)
		*unique = first;
	return count;
}

/* First live record of a name-sorted section that resolves to a struct. */
static bool named(const struct kt_census_index *ix, enum seg_sect sect, const char *name, size_t n,
		  struct rty *out)
{
	out->kind = TY_NONE;
	for (int k = 0; k < 2; k++) {
		const struct seg *s = &ix->seg[k];
		uint32_t id;
		size_t lo, hi;

		if (!ix->have[k] || (id = seg_find(s, name, n)) == SEG_NONE)
			continue;
		seg_range(s, sect, id, &lo, &hi);
		for (size_t i = lo; i < hi; i++) {
			const struct rec_named *r = SEG_REC(s, sect, struct rec_named, i);
			const char *tn = seg_str(s, r->ty.name);

			if (!ix_live(ix, k, r->file))
				continue;
			ty_of_decl(ix, r->ty.kind, tn, strlen(tn), (r->ty.flags & TYF_ARRAY) != 0,
				   out);
			if (out->kind != TY_NONE)
				return true;
		}
	}
	return false;
}

static bool named_memo(const struct kt_census_index *ix, char kind, enum seg_sect sect,
		       const char *name, size_t n, struct rty *out)
{
	bool hit;
	struct memo_ent *e = memo(ix, kind, name, n, NULL, &hit);

	if (hit) {
		*out = e->ty;
		return e->found;
	}
	bool found = named(ix, sect, name, n, out);

	if (e) {
		e->found = found;
		e->ty = *out;
	}
	return found;
}

bool ty_global(const struct kt_census_index *ix, const char *name, size_t n, struct rty *out)
{
	return named_memo(ix, 'G', S_GLOBALS, name, n, out);
}

bool ty_func(const struct kt_census_index *ix, const char *name, size_t n, struct rty *out)
{
	return named_memo(ix, 'F', S_FUNCS, name, n, out);
}

static bool macro_depth(const struct kt_census_index *ix, const char *name, size_t n, int depth,
			struct rty *out)
{
	out->kind = TY_NONE;
	for (int k = 0; k < 2 && depth < 4; k++) {
		const struct seg *s = &ix->seg[k];
		uint32_t id;
		size_t lo, hi;

		if (!ix->have[k] || (id = seg_find(s, name, n)) == SEG_NONE)
			continue;
		seg_range(s, S_MACROS, id, &lo, &hi);
		for (size_t i = lo; i < hi; i++) {
			const struct rec_macro *m = SEG_REC(s, S_MACROS, struct rec_macro, i);
			const char *call = seg_str(s, m->call), *tag = seg_str(s, m->tag);

			if (!ix_live(ix, k, m->file))
				continue;
			if (*tag && (strcmp(call, "struct") == 0 || strcmp(call, "union") == 0 ||
				     cv_find(ix->vocab, CV_CONTAINER, call, strlen(call)))) {
				set_tag(out, call[0] == 'u' ? TY_UNION : TY_STRUCT, tag,
					strlen(tag));
				return true;
			}
			if (!*tag && (ty_func(ix, call, strlen(call), out) ||
				      macro_depth(ix, call, strlen(call), depth + 1, out)))
				return true;
		}
	}
	return false;
}

bool ty_macro(const struct kt_census_index *ix, const char *name, size_t n, struct rty *out)
{
	bool hit;
	struct memo_ent *e = memo(ix, 'm', name, n, NULL, &hit);

	if (hit) {
		*out = e->ty;
		return e->found;
	}
	bool found = macro_depth(ix, name, n, 0, out);

	if (e) {
		e->found = found;
		e->ty = *out;
	}
	return found;
}

size_t ty_global_decls(const struct kt_census_index *ix, const char *name, size_t *nstatic,
		       const char *static_in, bool *static_here)
{
	size_t total = 0;

	*nstatic = 0;
	if (static_here)
		*static_here = false;
	for (int k = 0; k < 2; k++) {
		const struct seg *s = &ix->seg[k];
		uint32_t id;
		size_t lo, hi;

		if (!ix->have[k] || (id = seg_find(s, name, strlen(name))) == SEG_NONE)
			continue;
		seg_range(s, S_GLOBALS, id, &lo, &hi);
		for (size_t i = lo; i < hi; i++) {
			const struct rec_named *r = SEG_REC(s, S_GLOBALS, struct rec_named, i);

			if (!ix_live(ix, k, r->file))
				continue;
			total++;
			if (r->flags & NAMED_STATIC) {
				(*nstatic)++;
				if (static_in && static_here &&
				    strcmp(ix_file_path(ix, k, r->file), static_in) == 0)
					*static_here = true;
			}
		}
	}
	return total;
}

/* ---- the names that can give a base the type ---- */

struct nameset {
	char **v; /* open addressing */
	size_t cap, n;
};

static uint64_t name_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static bool set_has(const struct nameset *ns, const char *s, size_t n)
{
	for (size_t i = name_hash(s, n) & (ns->cap - 1); ns->v[i]; i = (i + 1) & (ns->cap - 1))
		if (strncmp(ns->v[i], s, n) == 0 && ns->v[i][n] == 0)
			return true;
	return false;
}

static void set_add(struct nameset *ns, const char *s)
{
	size_t n = strlen(s), i;

	if (!n || set_has(ns, s, n))
		return;
	if ((ns->n + 1) * 2 > ns->cap) {
		struct nameset big = {kt_xcalloc(ns->cap * 2, sizeof(char *)), ns->cap * 2, 0};

		for (size_t k = 0; k < ns->cap; k++)
			if (ns->v[k])
				set_add(&big, ns->v[k]), free(ns->v[k]);
		free(ns->v);
		*ns = big;
	}
	for (i = name_hash(s, n) & (ns->cap - 1); ns->v[i]; i = (i + 1) & (ns->cap - 1))
		;
	ns->v[i] = kt_xstrdup(s);
	ns->n++;
}

void nameset_free(struct nameset *ns)
{
	if (!ns)
		return;
	for (size_t i = 0; i < ns->cap; i++)
		free(ns->v[i]);
	free(ns->v);
	free(ns);
}

/* Per segment, bitmaps over its string ids: the type names (the tag and
 * its typedefs) and the names that produce the type. */
struct prod {
	const struct kt_census_index *ix;
	uint8_t *types[2], *names[2];
	struct nameset *out;
	size_t ntypes;
};

static bool bit(const uint8_t *bm, uint32_t id)
{
	return bm[id >> 3] & (1u << (id & 7));
}

/* Marks a name (found in segment k as id) in both segments' bitmaps. */
static bool mark(struct prod *p, bool type, int k, uint32_t id)
{
	const char *str = seg_str(&p->ix->seg[k], id);
	bool added = false;

	for (int j = 0; j < 2; j++) {
		uint8_t *bm = type ? p->types[j] : p->names[j];
		uint32_t jid = j == k ? id : SEG_NONE;

		if (!p->ix->have[j])
			continue;
		if (j != k && (jid = seg_find(&p->ix->seg[j], str, strlen(str))) == SEG_NONE)
			continue;
		if (!bit(bm, jid)) {
			bm[jid >> 3] |= (uint8_t)(1u << (jid & 7));
			added = true;
		}
	}
	if (added && !type)
		set_add(p->out, str);
	if (added && type)
		p->ntypes++;
	return added;
}

static bool of_type(const struct prod *p, int k, const struct ty *ty)
{
	return (ty->kind == TY_STRUCT || ty->kind == TY_UNION || ty->kind == TY_NAME) &&
	       ty->name < SEG_N(&p->ix->seg[k], S_STROFF) && bit(p->types[k], ty->name);
}

static void named_of(struct prod *p, enum seg_sect sect, bool type)
{
	for (int k = 0; k < 2; k++) {
		const struct seg *s = &p->ix->seg[k];

		for (size_t i = 0; p->ix->have[k] && i < SEG_N(s, sect); i++) {
			const struct rec_named *r = SEG_REC(s, sect, struct rec_named, i);

			if (r->name < SEG_N(s, S_STROFF) && ix_live(p->ix, k, r->file) &&
			    of_type(p, k, &r->ty)) {
				mark(p, type, k, r->name);
				if (type)
					mark(p, false, k, r->name);
			}
		}
	}
}

struct nameset *ty_producers(const struct kt_census_index *ix, const char *tag)
{
	struct prod p = {ix, {NULL, NULL}, {NULL, NULL}, kt_xcalloc(1, sizeof(struct nameset)), 0};
	size_t before;

	p.out->cap = 64;
	p.out->v = kt_xcalloc(64, sizeof(char *));
	for (int k = 0; k < 2; k++) {
		size_t n = ix->have[k] ? SEG_N(&ix->seg[k], S_STROFF) : 0;

		p.types[k] = kt_xcalloc(n / 8 + 1, 1);
		p.names[k] = kt_xcalloc(n / 8 + 1, 1);
	}
	set_add(p.out, tag);
	for (int k = 0; k < 2; k++) {
		uint32_t id;

		if (ix->have[k] && (id = seg_find(&ix->seg[k], tag, strlen(tag))) != SEG_NONE) {
			mark(&p, true, k, id);
			mark(&p, false, k, id);
		}
	}
	do { /* typedefs of it, and of those */
		before = p.ntypes;
		named_of(&p, S_TYPEDEFS, true);
	} while (p.ntypes != before);
	named_of(&p, S_FUNCS, false);
	named_of(&p, S_GLOBALS, false);
	for (int k = 0; k < 2; k++) {
		const struct seg *s = &ix->seg[k];

		for (size_t i = 0; ix->have[k] && i < SEG_N(s, S_MEMBERS); i++) {
			const struct rec_member *m = SEG_REC(s, S_MEMBERS, struct rec_member, i);

			if (m->name < SEG_N(s, S_STROFF) && of_type(&p, k, &m->ty))
				mark(&p, false, k, m->name);
		}
	}
	for (int round = 0; round < 3; round++) /* macros for those, or for such macros */
		for (int k = 0; k < 2; k++) {
			const struct seg *s = &ix->seg[k];
			size_t nstr = SEG_N(s, S_STROFF);

			for (size_t i = 0; ix->have[k] && i < SEG_N(s, S_MACROS); i++) {
				const struct rec_macro *m =
				    SEG_REC(s, S_MACROS, struct rec_macro, i);

				if (m->name >= nstr || m->call >= nstr || m->tag >= nstr ||
				    !ix_live(ix, k, m->file))
					continue;
				if (*seg_str(s, m->tag) ? bit(p.types[k], m->tag)
							: bit(p.names[k], m->call))
					mark(&p, false, k, m->name);
			}
		}
	for (int k = 0; k < 2; k++) {
		free(p.types[k]);
		free(p.names[k]);
	}
	return p.out;
}

static bool ident_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

bool nameset_in_text(const struct nameset *ns, const char *buf, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t j = i;

		if (!ident_byte(buf[i])) {
			i++;
			continue;
		}
		while (j < len && ident_byte(buf[j]))
			j++;
		if (!(buf[i] >= '0' && buf[i] <= '9') && set_has(ns, buf + i, j - i))
			return true;
		i = j;
	}
	return false;
}
