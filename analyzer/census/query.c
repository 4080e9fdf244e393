// SPDX-License-Identifier: Apache-2.0
/*
 * A census (census.h): the units that name the member or global (from the
 * index's postings), the sites in them that are the object's, and the
 * aggregates over the sites.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ana.h"

#define MAX_UNRESOLVED_LISTED 32
#define MAX_SRC		      (64u << 20)

struct query {
	bool global;
	char name[128]; /* the struct tag or the global */
	uint8_t kind;	/* TY_STRUCT / TY_UNION */
	struct qpath path;
	bool member_array;
	bool skip_static; /* global: skip files declaring their own static one */
	bool unique;	  /* no other struct declares path.comp[0] */
};

struct sites {
	struct kt_census_site *v;
	size_t n, cap;
	struct kt_census_unresolved *u;
	size_t nu, nu_listed;
	size_t units, skipped;
};

static void result_fini(struct kt_census_result *r);

static void push_site(struct sites *ss, const struct kt_census_site *s)
{
	if (ss->n == ss->cap) {
		ss->cap = ss->cap ? ss->cap * 2 : 32;
		ss->v = kt_xrealloc(ss->v, ss->cap * sizeof(*ss->v));
	}
	ss->v[ss->n++] = *s;
}

static void unresolved(struct sites *ss, const struct fn *f, size_t i)
{
	ss->nu++;
	if (ss->nu_listed >= MAX_UNRESOLVED_LISTED)
		return;
	ss->u = kt_xrealloc(ss->u, (ss->nu_listed + 1) * sizeof(*ss->u));
	ss->u[ss->nu_listed].file = kt_xstrdup(f->file);
	ss->u[ss->nu_listed].line = f->t[i].line;
	ss->u[ss->nu_listed].func = kt_xstrdup(f->name);
	ss->nu_listed++;
}

static bool tok_is_n(const struct fn *f, size_t i, const char *s, size_t n)
{
	return i < f->n && f->t[i].len == n && f->t[i].kind == CT_IDENT &&
	       memcmp(f->buf + f->t[i].off, s, n) == 0;
}

static bool tok_is_str(const struct fn *f, size_t i, const char *s)
{
	return tok_is_n(f, i, s, strlen(s));
}

static bool is_mop(const struct fn *f, size_t i)
{
	return i < f->n && (ct_is(&f->t[i], P2('-', '>')) || ct_is(&f->t[i], '.'));
}

static void add(struct sites *ss, struct fn *f, size_t e0, size_t e1, const struct query *q,
		bool by_unique)
{
	struct kt_census_site s;
	struct site_opts o = {q->member_array};

	if (!site_classify(f, e0, e1, &o, &s))
		return;
	s.file = kt_xstrdup(f->file);
	s.func = f->macro ? NULL : kt_xstrdup(f->name);
	if (f->macro) {
		char buf[160];

		snprintf(buf, sizeof(buf), "#define %s", f->name);
		s.func = kt_xstrdup(buf);
	}
	s.by_unique_member = by_unique;
	push_site(ss, &s);
}

/* `.a.b = x` inside an initializer (`{ .a.b = x }`, `[2].a = x`), or a
 * dot that follows no expression (a linker section name in a macro). */
static bool designated(const struct fn *f, size_t i)
{
	size_t j = i;

	while (j >= f->body + 2 && ct_is(&f->t[j - 1], '.') && f->t[j - 2].kind == CT_IDENT)
		j -= 2;
	if (!ct_is(&f->t[j - 1], '.'))
		return false;
	if (j < f->body + 2)
		return true;
	const struct ct_tok *p = &f->t[j - 2];

	if (ct_is(p, ']') && f->match[j - 2] < j - 2 && f->match[j - 2] > f->body) {
		const struct ct_tok *q = &f->t[f->match[j - 2] - 1];

		return ct_is(q, '{') || ct_is(q, ',');
	}
	return !(p->kind == CT_IDENT || ct_is(p, ')') || ct_is(p, ']'));
}

/* The member sites of one unit. */
static void member_sites(struct sites *ss, struct fn *f, const struct query *q)
{
	const char *last = q->path.comp[q->path.n - 1];
	size_t nlast = strlen(last);

	for (size_t i = f->body; i < f->n; i++) {
		struct chain c;
		struct rty ty;
		size_t k = q->path.n;
		bool ok = true;

		if (!tok_is_n(f, i, last, nlast) || !is_mop(f, i - 1))
			continue;
		if (designated(f, i))
			continue;
		if (!site_chain(f, i, &c)) {
			if (k == 1 && q->unique)
				add(ss, f, i >= 2 ? i - 2 : i, i, q, true);
			else
				unresolved(ss, f, i);
			continue;
		}
		/* The path: the last k hops, the inner ones through `.`. */
		if (c.nhops < k)
			ok = false;
		for (size_t h = 0; ok && h < k; h++) {
			size_t hop = c.nhops - k + h;

			ok = tok_is_str(f, c.hops[hop], q->path.comp[h]) &&
			     (h == 0 || !c.arrow[hop]);
		}
		if (!ok)
			continue;
		if (site_chain_type(f, &c, c.nhops - k, &ty)) {
			if (strcmp(ty.tag, q->name) == 0 && ty.kind == q->kind)
				add(ss, f, c.start, i, q, false);
			continue;
		}
		if (q->unique)
			add(ss, f, c.start, i, q, true);
		else
			unresolved(ss, f, i);
	}
}

/* The global's sites of one unit. */
static void global_sites(struct sites *ss, struct fn *f, const struct query *q)
{
	size_t nname = strlen(q->name);

	for (size_t i = f->body; i < f->n; i++) {
		size_t e1 = i;
		bool ok = true;

		if (!tok_is_n(f, i, q->name, nname) || (i > 0 && is_mop(f, i - 1)) ||
		    (i + 1 < f->n && ct_is(&f->t[i + 1], '(')) ||
		    fn_local(f, f->buf + f->t[i].off, f->t[i].len, i))
			continue;
		for (size_t h = 0; ok && h < q->path.n; h++) {
			ok = is_mop(f, e1 + 1) && tok_is_str(f, e1 + 2, q->path.comp[h]);
			e1 += 2;
		}
		if (ok)
			add(ss, f, i, e1, q, false);
	}
}

/* The unit's bytes, read alone from the open file. */
char *census_read_unit(const struct kt_census_index *ix, struct cf_file *f,
		       const struct rec_unit *u, size_t *len)
{
	if (u->end <= u->start || u->end - u->start > MAX_SRC)
		return NULL;
	return ix->src.ops->range(f, u->start, u->end, len);
}

struct cf_file *census_open_src(const struct kt_census_index *ix, const char *rel)
{
	return ix->src.ops->open(ix->src.arg, rel);
}

void census_close_src(const struct kt_census_index *ix, struct cf_file *f)
{
	if (f)
		ix->src.ops->close(f);
}

static bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* Does the unit's text name the key as an identifier (after `.` or `->`
 * when member)? A cheap test before the unit is lexed; comments and
 * strings may pass it, the lexer sorts them out. */
/* Does the text name the key as an identifier (after `.` or `->` when a
 * member)? A cheap test before a unit is lexed; comments and strings may
 * pass it, the lexer sorts them out. */
static bool mentions(const char *buf, size_t len, const char *key, bool member)
{
	size_t n = strlen(key), from = 0;

	while (from < len) {
		const char *p = memmem(buf + from, len - from, key, n);
		size_t at, k;

		if (!p)
			return false;
		at = (size_t)(p - buf);
		from = at + 1;
		if ((at > 0 && ident_char(buf[at - 1])) ||
		    (at + n < len && ident_char(buf[at + n])))
			continue;
		if (!member)
			return true;
		k = at;
		while (k > 0 && (buf[k - 1] == ' ' || buf[k - 1] == '\t' || buf[k - 1] == '\n' ||
				 buf[k - 1] == '\\'))
			k--;
		if (k > 0 &&
		    (buf[k - 1] == '.' || (buf[k - 1] == '>' && k >= 2 && buf[k - 2] == '-')))
			return true;
	}
	return false;
}

static void run(struct kt_census_index *ix, struct query *q, struct sites *ss)
{
	const char *key = q->global ? q->name : q->path.comp[q->path.n - 1];
	const char *uniq = NULL;
	struct ix_unit *units;
	struct nameset *producers;
	size_t n;

	ty_memo_start(ix);
	n = ix_postings(ix, key, &units);

	if (!q->global)
		q->unique =
		    ty_member_owners(ix, q->path.comp[0], strlen(q->path.comp[0]), &uniq) == 1 &&
		    strcmp(uniq, q->name) == 0;
	/* Without the member's name to go by, only units naming something of
	 * the struct's type can hold its sites. */
	producers = q->global || q->unique ? NULL : ty_producers(ix, q->name);
	int cur_seg = -1;
	struct cf_file *fd = NULL;
	uint32_t cur_file = 0;
	bool skip_file = false;

	for (size_t i = 0; i < n; i++) {
		const struct seg *s = &ix->seg[units[i].seg];
		const struct rec_unit *u = SEG_REC(s, S_UNITS, struct rec_unit, units[i].idx);
		const char *path = ix_file_path(ix, units[i].seg, u->file);
		struct fn f;
		char *buf;
		size_t len = 0;

		if (cur_seg != units[i].seg || cur_file != u->file || (!fd && !skip_file)) {
			census_close_src(ix, fd);
			cur_seg = units[i].seg;
			cur_file = u->file;
			skip_file = false;
			if (q->global && q->skip_static) {
				size_t nst;

				/* a file with its own static of that name */
				ty_global_decls(ix, q->name, &nst, path, &skip_file);
			}
			fd = skip_file ? NULL : census_open_src(ix, path);
		}
		if (!fd || !(buf = census_read_unit(ix, fd, u, &len)))
			continue;
		if (!mentions(buf, len, key, !q->global)) {
			free(buf);
			continue;
		}
		if (producers && !(u->flags & UNIT_MACRO) &&
		    !nameset_in_text(producers, buf, len)) {
			ss->skipped++; /* its accesses are other structs' or unknown */
			free(buf);
			continue;
		}
		if (!fn_open(&f, ix, units[i].seg, u, buf, len, u->start)) {
			fn_close(&f);
			free(buf);
			continue;
		}
		f.file = path;
		f.name = seg_str(s, u->name);
		ss->units++;
		fn_prepare(&f);
		if (q->global)
			global_sites(ss, &f, q);
		else
			member_sites(ss, &f, q);
		fn_close(&f);
		free(buf);
	}
	census_close_src(ix, fd);
	free(units);
	nameset_free(producers);
}

/* ---- aggregates ---- */

static bool counts(const struct kt_census_lock *l)
{
	return strcmp(l->mode, "exclusive") == 0 || strcmp(l->mode, "shared") == 0;
}

static bool holds(const struct kt_census_site *s, const char *lock)
{
	for (size_t i = 0; i < s->nlocks; i++)
		if (counts(&s->locks[i]) && strcmp(s->locks[i].name, lock) == 0)
			return true;
	return false;
}

static bool writer(const struct kt_census_site *s)
{
	return s->access == KT_CA_WRITE || s->access == KT_CA_RMW;
}

static int cmp_lc(const void *a, const void *b)
{
	const struct kt_census_lockcount *x = a, *y = b;

	if (x->k != y->k)
		return x->k > y->k ? -1 : 1;
	return strcmp(x->lock, y->lock);
}

/* Locks held by the shared sites that pass the filter, most held first. */
static struct kt_census_lockcount *lockcounts(const struct kt_census_site *v, size_t n,
					      bool writers, size_t *nlc, size_t *nsites)
{
	struct kt_census_lockcount *lc = NULL;
	size_t m = 0;

	*nsites = 0;
	for (size_t i = 0; i < n; i++) {
		const struct kt_census_site *s = &v[i];

		if (s->path != KT_CP_SHARED || writer(s) != writers ||
		    (!writers && s->access != KT_CA_READ))
			continue;
		(*nsites)++;
		for (size_t l = 0; l < s->nlocks; l++) {
			size_t k = 0;

			if (!counts(&s->locks[l]))
				continue;
			while (k < m && strcmp(lc[k].lock, s->locks[l].name) != 0)
				k++;
			if (k == m) {
				lc = kt_xrealloc(lc, (m + 1) * sizeof(*lc));
				lc[m].lock = kt_xstrdup(s->locks[l].name);
				lc[m++].k = 0;
			}
			lc[k].k++;
		}
	}
	if (m)
		qsort(lc, m, sizeof(*lc), cmp_lc);
	*nlc = m;
	return lc;
}

static void deviance(struct kt_census_result *r)
{
	size_t n = r->writer_n, k;

	if (!r->nwriter_locks)
		return;
	/* the lock most writers hold, by two writers in three at least */
	k = r->writer_locks[0].k;
	if (k * 3 < n * 2 || k == n)
		return;
	for (size_t i = 0; i < r->nsites; i++) {
		const struct kt_census_site *s = &r->sites[i];

		if (s->path != KT_CP_SHARED || !writer(s) || holds(s, r->writer_locks[0].lock))
			continue;
		r->deviants = kt_xrealloc(r->deviants, (r->ndeviants + 1) * sizeof(*r->deviants));
		r->deviants[r->ndeviants++] =
		    (struct kt_census_deviant){i, kt_xstrdup(r->writer_locks[0].lock), k, n};
	}
}

static void set_once(struct kt_census_result *r)
{
	const char *value = NULL;
	size_t stores = 0;
	char why[160];

	bool any_write = false;

	for (size_t i = 0; i < r->nsites; i++) {
		const struct kt_census_site *s = &r->sites[i];

		any_write = any_write || writer(s);
		/* Its address handed on: the callee may store, nothing is known. */
		if (s->path == KT_CP_SHARED && s->access == KT_CA_ADDR)
			return;
		if (s->path != KT_CP_SHARED || !writer(s))
			continue;
		if (s->access == KT_CA_RMW || !(s->store_const || s->store_from_zero))
			return;
		stores++;
		if (s->store_const && !s->store_from_zero) {
			if (value && s->value && strcmp(value, s->value) != 0)
				return; /* set to two different values: toggled */
			value = s->value;
		}
	}
	if (!any_write)
		return; /* never stored here: nothing to say */
	r->set_once = true;
	if (stores == 0)
		snprintf(why, sizeof(why), "every store runs on an init path");
	else if (value)
		snprintf(why, sizeof(why), "every shared store writes %s or only from 0/NULL",
			 value);
	else
		snprintf(why, sizeof(why), "every shared store runs only when it is 0/NULL");
	r->set_once_why = kt_xstrdup(why);
}

static bool same_func(const struct kt_census_site *a, const struct kt_census_site *b)
{
	return strcmp(a->file, b->file) == 0 && strcmp(a->func, b->func) == 0;
}

/* Sites are in file and line order, so a function's sites are one run:
 * *writes[i] tells whether site i's function writes the object. */
static bool *func_writes(const struct kt_census_result *r)
{
	bool *w = kt_xcalloc(r->nsites + 1, sizeof(*w));

	for (size_t a = 0, b; a < r->nsites; a = b) {
		bool any = false;

		for (b = a; b < r->nsites && same_func(&r->sites[a], &r->sites[b]); b++)
			any = any || writer(&r->sites[b]);
		for (size_t k = a; k < b; k++)
			w[k] = any;
	}
	return w;
}

static int cmp_site(const void *a, const void *b)
{
	const struct kt_census_site *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	if (c)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Sites of static functions that lack the writers' most held lock, when
 * every call of their function holds it: the lock is added to the site. */
static void caller_locks(struct kt_census_index *ix, struct kt_census_result *r)
{
	const char *lock;
	const struct kt_census_site *last = NULL;
	bool last_held = false;
	char mode[16] = "";

	if (!r->nwriter_locks)
		return;
	lock = r->writer_locks[0].lock;
	for (size_t i = 0; i < r->nsites; i++) {
		struct kt_census_site *s = &r->sites[i];

		if (!s->in_static || s->path != KT_CP_SHARED || !s->func || holds(s, lock))
			continue;
		if (!last || !same_func(last, s)) /* a function's sites are one run */
			last_held = callers_hold(ix, s->file, s->func, lock, mode, sizeof(mode));
		last = s;
		if (!last_held)
			continue;
		s->locks = kt_xrealloc(s->locks, (s->nlocks + 1) * sizeof(*s->locks));
		s->locks[s->nlocks].name = kt_xstrdup(lock);
		s->locks[s->nlocks++].mode = kt_xstrdup(mode);
		s->callers_hold = true;
	}
}

static void free_lc(struct kt_census_lockcount *lc, size_t n);

static void aggregate(struct kt_census_index *ix, struct kt_census_result *r)
{
	bool *writes;

	if (r->nsites > 1)
		qsort(r->sites, r->nsites, sizeof(*r->sites), cmp_site);
	writes = func_writes(r);
	for (size_t i = 0; i < r->nsites; i++) {
		const struct kt_census_site *s = &r->sites[i];

		r->nwriters += writer(s);
		r->nreaders += s->access == KT_CA_READ;
		r->naddr += s->access == KT_CA_ADDR;
		r->nmarked += s->marking != NULL;
		r->ninit += s->path != KT_CP_SHARED;
		if (s->access != KT_CA_READ || s->path != KT_CP_SHARED)
			continue;
		r->reader_use |= s->use;
		if (!writes[i]) {
			r->outside_use |= s->use;
			r->noutside_reads++;
		}
	}
	free(writes);
	r->writer_locks = lockcounts(r->sites, r->nsites, true, &r->nwriter_locks, &r->writer_n);
	caller_locks(ix, r);
	free_lc(r->writer_locks, r->nwriter_locks);
	r->writer_locks = lockcounts(r->sites, r->nsites, true, &r->nwriter_locks, &r->writer_n);
	r->reader_locks = lockcounts(r->sites, r->nsites, false, &r->nreader_locks, &r->reader_n);
	deviance(r);
	set_once(r);
}

static void take(struct kt_census_result *r, struct sites *ss)
{
	r->sites = ss->v;
	r->nsites = ss->n;
	r->unresolved = ss->u;
	r->nunresolved = ss->nu;
	r->nunresolved_listed = ss->nu_listed;
	r->units_scanned = ss->units;
	r->units_skipped = ss->skipped;
}

/* ---- bitfields ---- */

static bool common_lock(const struct kt_census_site *a, const struct kt_census_site *b)
{
	for (size_t i = 0; i < a->nlocks; i++)
		if (counts(&a->locks[i]) && holds(b, a->locks[i].name))
			return true;
	return false;
}

static char *where(const struct kt_census_site *s)
{
	char *p = NULL;

	if (asprintf(&p, "%s:%u", s->file, s->line) < 0)
		abort();
	return p;
}

static void neighbour(struct kt_census_index *ix, struct kt_census_result *r, const char *tag,
		      uint8_t kind, const char *name, int width)
{
	struct query q;
	struct kt_census_result nr;
	struct sites ss = {0};
	struct kt_census_neighbour *nb;

	memset(&q, 0, sizeof(q));
	memset(&nr, 0, sizeof(nr));
	snprintf(q.name, sizeof(q.name), "%s", tag);
	q.kind = kind;
	snprintf(q.path.comp[0], sizeof(q.path.comp[0]), "%s", name);
	q.path.n = 1;
	run(ix, &q, &ss);
	take(&nr, &ss);
	aggregate(ix, &nr);
	r->neighbours = kt_xrealloc(r->neighbours, (r->nneighbours + 1) * sizeof(*r->neighbours));
	nb = &r->neighbours[r->nneighbours++];
	memset(nb, 0, sizeof(*nb));
	nb->member = kt_xstrdup(name);
	nb->width = width;
	nb->nwriters = nr.writer_n;
	nb->locks = nr.writer_locks;
	nb->nlocks = nr.nwriter_locks;
	nr.writer_locks = NULL;
	nr.nwriter_locks = 0;
	for (size_t i = 0; i < r->nsites && !nb->clobber; i++) {
		const struct kt_census_site *a = &r->sites[i];

		if (!writer(a) || a->path != KT_CP_SHARED)
			continue;
		for (size_t k = 0; k < nr.nsites; k++) {
			const struct kt_census_site *b = &nr.sites[k];

			if (writer(b) && b->path == KT_CP_SHARED && !common_lock(a, b)) {
				nb->clobber = true;
				nb->object_site = where(a);
				nb->clobber_site = where(b);
				break;
			}
		}
	}
	r->clobber = r->clobber || nb->clobber;
	result_fini(&nr);
}

static void bitfield(struct kt_census_index *ix, struct kt_census_result *r, const char *tag,
		     uint8_t kind, const struct rec_member *m, int k)
{
	const struct seg *s = &ix->seg[k];
	const struct rec_struct *st;
	size_t nm = SEG_N(s, S_MEMBERS);

	if (m->width == -1 || m->group == 0 || m->owner >= SEG_N(s, S_STRUCTS))
		return;
	r->bitfield = true;
	r->width = m->width;
	st = SEG_REC(s, S_STRUCTS, struct rec_struct, m->owner);
	if (st->first > nm || st->n > nm - st->first)
		return;
	for (size_t i = st->first; i < st->first + st->n; i++) {
		const struct rec_member *o = SEG_REC(s, S_MEMBERS, struct rec_member, i);

		if (o != m && o->group == m->group)
			neighbour(ix, r, tag, kind, seg_str(s, o->name), o->width);
	}
}

/* ---- results ---- */

static void free_site(struct kt_census_site *s)
{
	free(s->file);
	free(s->func);
	free(s->marking);
	for (size_t i = 0; i < s->nlocks; i++) {
		free(s->locks[i].name);
		free(s->locks[i].mode);
	}
	free(s->locks);
	free(s->path_why);
	free(s->use_call);
	free(s->value);
	free(s->recheck_lock);
	free(s->text);
}

static void free_lc(struct kt_census_lockcount *lc, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lc[i].lock);
	free(lc);
}

static void result_fini(struct kt_census_result *r)
{
	free(r->object);
	free(r->owner);
	free(r->rev);
	for (size_t i = 0; i < r->nsites; i++)
		free_site(&r->sites[i]);
	free(r->sites);
	for (size_t i = 0; i < r->nunresolved_listed; i++) {
		free(r->unresolved[i].file);
		free(r->unresolved[i].func);
	}
	free(r->unresolved);
	free_lc(r->writer_locks, r->nwriter_locks);
	free_lc(r->reader_locks, r->nreader_locks);
	for (size_t i = 0; i < r->ndeviants; i++)
		free(r->deviants[i].lock);
	free(r->deviants);
	free(r->set_once_why);
	for (size_t i = 0; i < r->nneighbours; i++) {
		free(r->neighbours[i].member);
		free_lc(r->neighbours[i].locks, r->neighbours[i].nlocks);
		free(r->neighbours[i].clobber_site);
		free(r->neighbours[i].object_site);
	}
	free(r->neighbours);
	memset(r, 0, sizeof(*r));
}

void kt_census_result_free(struct kt_census_result *r)
{
	if (!r)
		return;
	result_fini(r);
	free(r);
}

/* Unlocked tests that the same function reads again under a lock. */
static void rechecks(struct kt_census_result *r)
{
	for (size_t i = 0; i < r->nsites; i++) {
		struct kt_census_site *s = &r->sites[i];
		bool locked = false;

		for (size_t l = 0; l < s->nlocks; l++)
			locked = locked || counts(&s->locks[l]);
		if (s->access != KT_CA_READ || !(s->use & KT_CU_TEST) || locked)
			continue;
		/* the later sites of its function: the rest of its run */
		for (size_t k = i + 1;
		     k < r->nsites && !s->recheck_lock && same_func(&r->sites[k], s); k++) {
			const struct kt_census_site *o = &r->sites[k];

			if (o->access == KT_CA_ADDR)
				continue;
			for (size_t l = 0; l < o->nlocks; l++)
				if (counts(&o->locks[l])) {
					s->recheck_lock = kt_xstrdup(o->locks[l].name);
					break;
				}
		}
	}
}

static bool ident_ok(const char *s, size_t n)
{
	if (n == 0 || n >= 128 || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

static struct kt_error *parse_path(const char *member, struct qpath *p)
{
	const char *s = member;

	p->n = 0;
	while (*s) {
		size_t n = strcspn(s, ".");

		if (!ident_ok(s, n) || p->n == 8)
			return kt_error_new(KT_ERR_USAGE, NULL, 0,
					    "bad member path '%s' (names joined by '.')", member);
		memcpy(p->comp[p->n], s, n);
		p->comp[p->n++][n] = 0;
		s += n;
		if (*s == '.' && !*++s)
			return kt_error_new(KT_ERR_USAGE, NULL, 0, "bad member path '%s'", member);
	}
	if (!p->n)
		return kt_error_new(KT_ERR_USAGE, NULL, 0, "empty member path");
	return NULL;
}

static struct kt_census_result *finish(struct kt_census_index *ix, struct query *q)
{
	struct kt_census_result *r = kt_xcalloc(1, sizeof(*r));
	struct sites ss = {0};

	r->rev = ix->src.rev ? kt_xstrdup(ix->src.rev) : NULL;
	run(ix, q, &ss);
	take(r, &ss);
	aggregate(ix, r);
	rechecks(r);
	return r;
}

struct kt_error *kt_census_query(struct kt_census_index *ix, const char *type, const char *member,
				 struct kt_census_result **out)
{
	struct query q;
	struct rty cur, next;
	const struct rec_member *rec = NULL;
	const char *uniq;
	struct kt_census_result *r;
	struct kt_error *err;
	int segk = 0;
	char path[1100] = "";

	*out = NULL;
	memset(&q, 0, sizeof(q));
	while (*type == ' ')
		type++;
	if (strncmp(type, "struct ", 7) == 0 || strncmp(type, "union ", 6) == 0) {
		const char *tag = type + (type[0] == 's' ? 7 : 6);

		while (*tag == ' ')
			tag++;
		if (!ident_ok(tag, strlen(tag)))
			return kt_error_new(KT_ERR_USAGE, NULL, 0, "bad type '%s'", type);
		ty_of_decl(ix, type[0] == 's' ? TY_STRUCT : TY_UNION, tag, strlen(tag), false,
			   &cur);
	} else if (ident_ok(type, strlen(type))) {
		ty_of_decl(ix, TY_NAME, type, strlen(type), false, &cur);
	} else {
		return kt_error_new(KT_ERR_USAGE, NULL, 0, "bad type '%s'", type);
	}
	if (cur.kind == TY_NONE || ty_definitions(ix, cur.tag) == 0)
		return kt_error_new(KT_ERR_USAGE, NULL, 0, "no definition of %s in the tree", type);
	if ((err = parse_path(member, &q.path)))
		return err;
	snprintf(q.name, sizeof(q.name), "%s", cur.tag);
	q.kind = cur.kind;
	for (size_t k = 0; k < q.path.n; k++) {
		if (!ty_member(ix, cur.tag, q.path.comp[k], strlen(q.path.comp[k]), &next, &rec,
			       &segk))
			return kt_error_new(KT_ERR_USAGE, NULL, 0, "%s %s has no member %s",
					    cur.kind == TY_UNION ? "union" : "struct", cur.tag,
					    q.path.comp[k]);
		if (k + 1 < q.path.n && next.kind == TY_NONE)
			return kt_error_new(KT_ERR_USAGE, NULL, 0,
					    "member %s of %s is not a struct or union (or its "
					    "type is unknown)",
					    q.path.comp[k], cur.tag);
		if (k + 1 < q.path.n)
			cur = next;
		snprintf(path + strlen(path), sizeof(path) - strlen(path), "%s%s", k ? "." : "",
			 q.path.comp[k]);
	}
	q.member_array = rec && (rec->ty.flags & TYF_ARRAY) && rec->ty.ptr == 0;
	r = finish(ix, &q);
	if (asprintf(&r->object, "%s %s::%s", q.kind == TY_UNION ? "union" : "struct", q.name,
		     path) < 0 ||
	    asprintf(&r->owner, "%s %s", q.kind == TY_UNION ? "union" : "struct", q.name) < 0)
		abort();
	r->definitions = ty_definitions(ix, q.name);
	r->owners_of_member = ty_member_owners(ix, q.path.comp[0], strlen(q.path.comp[0]), &uniq);
	if (rec)
		bitfield(ix, r, cur.tag, cur.kind, rec, segk);
	*out = r;
	return NULL;
}

struct kt_error *kt_census_query_global(struct kt_census_index *ix, const char *name,
					const char *member, struct kt_census_result **out)
{
	struct query q;
	struct kt_census_result *r;
	struct kt_error *err;
	size_t decls, nstatic;

	*out = NULL;
	memset(&q, 0, sizeof(q));
	if (!ident_ok(name, strlen(name)))
		return kt_error_new(KT_ERR_USAGE, NULL, 0, "bad global name '%s'", name);
	if (member && *member && (err = parse_path(member, &q.path)))
		return err;
	q.global = true;
	snprintf(q.name, sizeof(q.name), "%s", name);
	decls = ty_global_decls(ix, name, &nstatic, NULL, NULL);
	q.skip_static = decls > nstatic;
	r = finish(ix, &q);
	if (asprintf(&r->object, "%s%s%s", name, q.path.n ? "." : "", q.path.n ? member : "") < 0)
		abort();
	r->definitions = decls;
	*out = r;
	return NULL;
}

struct kt_error *kt_census_query_object(struct kt_census_index *ix, const char *object,
					struct kt_census_result **out)
{
	const char *sep = strstr(object, "::");
	struct kt_error *err;

	*out = NULL;
	if (sep) {
		char *type = kt_xstrndup(object, (size_t)(sep - object));

		err = kt_census_query(ix, type, sep + 2, out);
		free(type);
		return err;
	}
	size_t n = strcspn(object, ".");
	char *name = kt_xstrndup(object, n);

	err = kt_census_query_global(ix, name, object[n] ? object + n + 1 : NULL, out);
	free(name);
	return err;
}
