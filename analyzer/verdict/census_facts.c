// SPDX-License-Identifier: Apache-2.0
/*
 * The census of the raced object as facts. The census itself (every access
 * to the object across the tree, with its locks, marking, path and use) is
 * analyzer/census/; this file only chooses the object from the facts the
 * other stages wrote, finds each side's own sites among the census's by the
 * functions of its stack, and writes what the rules read:
 *
 *   census.*       the tree-wide aggregates: lock discipline of writers,
 *                  marked share, set-once, deviant writers, readers' use,
 *                  bitfield neighbours written without a common lock;
 *   SIDE.census.*  the sites in the side's innermost function that has
 *                  any: their access kinds, marking, use, and whether one
 *                  of them is a deviant writer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "census_facts.h"
#include "kcsan/strbuf.h"

#define S KT_ORIGIN_SOURCE
/* stack frames searched for a side's own sites, innermost first */
#define SIDE_FRAMES 6

static const char *fact_str(const struct kt_facts *f, const char *name)
{
	const struct kt_fact *x = kt_facts_get(f, name);

	return x && x->type == KT_FACT_STR && x->s && *x->s ? x->s : NULL;
}

/* "struct S::a..b[]" -> "struct S::a.b"; a second member after " / " (two
 * names for one storage) is left out: the census of the first lists the
 * other as a neighbour when they are bitfields. */
static char *normalize(const char *name)
{
	struct kt_strbuf sb;
	const char *sep = strstr(name, "::");
	const char *end = name + strcspn(name, " [");

	if (sep) {
		const char *stop = strstr(sep, " / ");

		end = stop ? stop : name + strlen(name);
		if (memchr(sep, '[', (size_t)(end - sep)))
			end = memchr(sep, '[', (size_t)(end - sep));
		/* the owner is "struct S" or "union U": one blank before "::" */
		if (strncmp(name, "struct ", 7) != 0 && strncmp(name, "union ", 6) != 0)
			return NULL;
		if (memchr(sep, ' ', (size_t)(end - sep)))
			return NULL;
	} else if (name[strcspn(name, " [")] == ' ') {
		return NULL; /* a description, not a name */
	}
	kt_strbuf_init(&sb);
	for (const char *p = name; p < end; p++) {
		char prev = sb.len ? sb.buf[sb.len - 1] : 0;

		/* anonymous members print as an empty path element */
		if (*p == '.' && (prev == '.' || prev == ':'))
			continue;
		kt_strbuf_addc(&sb, *p);
	}
	while (sb.len && (sb.buf[sb.len - 1] == '.' || sb.buf[sb.len - 1] == ':'))
		sb.buf[--sb.len] = 0;
	if (!sb.len || (sep && !strstr(sb.buf, "::")) || (sep && sb.buf[sb.len - 1] == ':')) {
		kt_strbuf_fini(&sb);
		return NULL;
	}
	return kt_strbuf_detach(&sb);
}

char *kt_census_object_of(const struct kt_facts *f)
{
	const char *const names[] = {"object", "a.expr.field", "b.expr.field"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = fact_str(f, names[i]);
		char *obj = v ? normalize(v) : NULL;

		if (obj)
			return obj;
	}
	return NULL;
}

static void add_uses(struct kt_facts *f, const char *name, unsigned use)
{
	for (unsigned bit = 1; bit && bit <= KT_CU_DECIDE; bit <<= 1)
		if (use & bit)
			kt_facts_add_str(f, name, kt_census_use_name(bit), S);
}

static bool site_in(const struct kt_census_result *r, size_t i, const char *func)
{
	return r->sites[i].func && strcmp(r->sites[i].func, func) == 0;
}

/* The innermost function of side's stack that holds sites of the object. */
static const char *side_func(const struct kt_census_result *r, const struct kt_facts *f,
			     const char *side)
{
	char name[64];
	const struct kt_fact *frames;
	const char *one[2];

	snprintf(name, sizeof(name), "%s.frames.func", side);
	frames = kt_facts_get(f, name);
	snprintf(name, sizeof(name), "%s.site.func", side);
	one[0] = fact_str(f, name);
	snprintf(name, sizeof(name), "%s.func", side);
	one[1] = fact_str(f, name);
	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; one[k] && i < r->nsites; i++)
			if (site_in(r, i, one[k]))
				return one[k];
	for (size_t j = 0;
	     frames && frames->type == KT_FACT_STRLIST && j < frames->nlist && j < SIDE_FRAMES; j++)
		for (size_t i = 0; i < r->nsites; i++)
			if (site_in(r, i, frames->list[j]))
				return frames->list[j];
	return NULL;
}

static bool is_lock_mode(const char *mode)
{
	return mode && (strcmp(mode, "exclusive") == 0 || strcmp(mode, "shared") == 0);
}

/* Does a shared site of the object in func hold lock? */
static bool func_holds(const struct kt_census_result *r, const char *func, const char *lock)
{
	for (size_t i = 0; i < r->nsites; i++) {
		const struct kt_census_site *st = &r->sites[i];

		if (st->path != KT_CP_SHARED || !site_in(r, i, func))
			continue;
		for (size_t l = 0; l < st->nlocks; l++)
			if (is_lock_mode(st->locks[l].mode) && strcmp(st->locks[l].name, lock) == 0)
				return true;
	}
	return false;
}

/* Does func hold lock at one of its shared sites? (held[] of its locks) */
struct func_locks {
	const char *func;
	const char **locks;
	size_t nlocks;
};

static void add_func_locks(struct func_locks **fl, size_t *n, const struct kt_census_site *st)
{
	struct func_locks *e = NULL;

	for (size_t i = 0; i < *n && !e; i++)
		if (strcmp((*fl)[i].func, st->func) == 0)
			e = &(*fl)[i];
	if (!e) {
		*fl = kt_xrealloc(*fl, (*n + 1) * sizeof(**fl));
		e = &(*fl)[(*n)++];
		*e = (struct func_locks){.func = st->func};
	}
	for (size_t l = 0; l < st->nlocks; l++) {
		bool have = false;

		if (!is_lock_mode(st->locks[l].mode))
			continue;
		for (size_t k = 0; k < e->nlocks && !have; k++)
			have = strcmp(e->locks[k], st->locks[l].name) == 0;
		if (have)
			continue;
		e->locks = kt_xrealloc(e->locks, (e->nlocks + 1) * sizeof(*e->locks));
		e->locks[e->nlocks++] = st->locks[l].name;
	}
}

static size_t funcs_holding(const struct func_locks *fl, size_t n, const char *lock)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t l = 0; l < fl[i].nlocks; l++)
			if (strcmp(fl[i].locks[l], lock) == 0) {
				k++;
				break;
			}
	return k;
}

/*
 * The lock discipline over every shared access, reads and handed-on
 * addresses included, counted by function: the lock held in the most
 * functions (census.site_lock), in how many (census.site_lock_funcs) of
 * census.site_funcs. A list head reached only through list helpers has no
 * writer of its own; its discipline is that of the functions handing it on.
 */
static const char *site_lock_facts(const struct kt_census_result *r, struct kt_facts *f)
{
	struct func_locks *fl = NULL;
	size_t n = 0, best_k = 0;
	const char *best = NULL;

	for (size_t i = 0; i < r->nsites; i++)
		if (r->sites[i].path == KT_CP_SHARED && r->sites[i].func)
			add_func_locks(&fl, &n, &r->sites[i]);
	for (size_t i = 0; i < n; i++)
		for (size_t l = 0; l < fl[i].nlocks; l++) {
			size_t k = funcs_holding(fl, n, fl[i].locks[l]);

			if (k > best_k) {
				best_k = k;
				best = fl[i].locks[l];
			}
		}
	for (size_t i = 0; i < n; i++)
		free(fl[i].locks);
	free(fl);
	kt_facts_set_int(f, "census.site_funcs", (int64_t)n, S);
	if (!best)
		return NULL;
	kt_facts_set_str(f, "census.site_lock", best, S);
	kt_facts_set_int(f, "census.site_lock_funcs", (int64_t)best_k, S);
	return best;
}

static void side_facts(const struct kt_census_result *r, struct kt_facts *f, const char *side,
		       const char *site_lock)
{
	const char *func = side_func(r, f, side);
	char name[64];
	size_t n = 0, marked = 0, init = 0, teardown = 0;
	unsigned use = 0, kinds = 0;
	const char *recheck = NULL;

#define N(s) (snprintf(name, sizeof(name), "%s.census." s, side), name)
	if (!func)
		return;
	kt_facts_set_str(f, N("func"), func, S);
	for (size_t i = 0; i < r->nsites; i++) {
		const struct kt_census_site *st = &r->sites[i];

		if (!site_in(r, i, func))
			continue;
		n++;
		marked += st->marking != NULL;
		init += st->path == KT_CP_INIT;
		teardown += st->path == KT_CP_TEARDOWN;
		if (st->access == KT_CA_READ)
			use |= st->use;
		if (st->access == KT_CA_READ && st->recheck_lock && !recheck)
			recheck = st->recheck_lock;
		if (!(kinds & (1u << st->access)))
			kt_facts_add_str(f, N("here_access"), kt_census_access_name(st->access), S);
		kinds |= 1u << st->access;
	}
	kt_facts_set_int(f, N("here"), (int64_t)n, S);
	kt_facts_set_bool(f, N("here_marked"), n && marked == n, S);
	add_uses(f, N("use"), use);
	kt_facts_set_str(f, N("path"),
			 init == n	 ? "init"
			 : teardown == n ? "teardown"
					 : "shared",
			 S);
	if (recheck)
		kt_facts_set_str(f, N("recheck_lock"), recheck, S);
	if (site_lock)
		kt_facts_set_bool(f, N("site_locked"), func_holds(r, func, site_lock), S);
	for (size_t d = 0; d < r->ndeviants; d++) {
		if (!site_in(r, r->deviants[d].site, func))
			continue;
		kt_facts_set_bool(f, N("deviant"), true, S);
		kt_facts_set_str(f, N("deviant_lock"), r->deviants[d].lock, S);
		break;
	}
#undef N
}

static void lock_facts(const struct kt_census_result *r, struct kt_facts *f)
{
	const struct kt_census_lockcount *best = NULL;

	for (size_t i = 0; i < r->nwriter_locks; i++)
		if (!best || r->writer_locks[i].k > best->k)
			best = &r->writer_locks[i];
	if (best && r->writer_n) {
		kt_facts_set_str(f, "census.writer_lock", best->lock, S);
		kt_facts_set_int(f, "census.writer_lock_pct",
				 (int64_t)(best->k * 100 / r->writer_n), S);
	} else if (r->writer_n) {
		kt_facts_set_int(f, "census.writer_lock_pct", 0, S);
	}
	kt_facts_set_int(f, "census.deviants", (int64_t)r->ndeviants, S);
}

static void bitfield_facts(const struct kt_census_result *r, struct kt_facts *f)
{
	if (!r->bitfield)
		return;
	kt_facts_set_bool(f, "census.bitfield", true, S);
	kt_facts_set_int(f, "census.neighbours", (int64_t)r->nneighbours, S);
	kt_facts_set_bool(f, "census.clobber", r->clobber, S);
	for (size_t i = 0; i < r->nneighbours; i++) {
		const struct kt_census_neighbour *nb = &r->neighbours[i];

		if (!nb->clobber)
			continue;
		kt_facts_set_str(f, "census.clobber_member", nb->member, S);
		if (nb->clobber_site)
			kt_facts_set_str(f, "census.clobber_site", nb->clobber_site, S);
		break;
	}
}

struct kt_error *kt_census_facts(struct kt_census_index *ix, const char *object, struct kt_facts *f,
				 struct kt_census_result **out)
{
	struct kt_census_result *r = NULL;
	struct kt_error *err = kt_census_query_object(ix, object, &r);
	const char *site_lock;

	*out = NULL;
	if (err)
		return err;
	kt_facts_set_str(f, "census.object", r->object, S);
	kt_facts_set_int(f, "census.sites", (int64_t)r->nsites, S);
	kt_facts_set_int(f, "census.writers", (int64_t)r->writer_n, S);
	kt_facts_set_int(f, "census.readers", (int64_t)r->reader_n, S);
	kt_facts_set_int(f, "census.marked", (int64_t)r->nmarked, S);
	if (r->nsites)
		kt_facts_set_int(f, "census.marked_pct", (int64_t)(r->nmarked * 100 / r->nsites),
				 S);
	kt_facts_set_int(f, "census.unresolved", (int64_t)r->nunresolved, S);
	kt_facts_set_bool(f, "census.set_once", r->set_once, S);
	add_uses(f, "census.reader_use", r->reader_use);
	add_uses(f, "census.outside_use", r->outside_use);
	kt_facts_set_int(f, "census.outside_reads", (int64_t)r->noutside_reads, S);
	lock_facts(r, f);
	bitfield_facts(r, f);
	site_lock = site_lock_facts(r, f);
	side_facts(r, f, "a", site_lock);
	side_facts(r, f, "b", site_lock);
	*out = r;
	return NULL;
}

/* ---- the indexes of a tree ---- */

#define MAX_REV_INDEXES 2 /* revisions' indexes kept open per tree */

struct census_slot {
	char *rev; /* NULL: the tree on disk */
	struct kt_census_index *ix;
	bool failed;
	unsigned long used;
};

struct kt_census_set {
	char *dir, *cache_dir;
	const struct kt_census_vocab *vocab;
	struct census_slot disk, revs[MAX_REV_INDEXES];
	size_t nrevs;
	unsigned long clock;
};

struct kt_census_set *kt_census_set_new(const char *dir, const char *cache_dir,
					const struct kt_census_vocab *vocab)
{
	struct kt_census_set *s = kt_xcalloc(1, sizeof(*s));

	s->dir = kt_xstrdup(dir);
	s->cache_dir = cache_dir ? kt_xstrdup(cache_dir) : NULL;
	s->vocab = vocab;
	return s;
}

static void slot_fini(struct census_slot *sl)
{
	kt_census_index_close(sl->ix);
	free(sl->rev);
	memset(sl, 0, sizeof(*sl));
}

void kt_census_set_free(struct kt_census_set *s)
{
	if (!s)
		return;
	slot_fini(&s->disk);
	for (size_t i = 0; i < s->nrevs; i++)
		slot_fini(&s->revs[i]);
	free(s->dir);
	free(s->cache_dir);
	free(s);
}

/* rev's slot, or a fresh one (the least recently used goes). */
static struct census_slot *rev_slot(struct kt_census_set *s, const char *rev)
{
	struct census_slot *sl;

	for (size_t i = 0; i < s->nrevs; i++)
		if (strcmp(s->revs[i].rev, rev) == 0)
			return &s->revs[i];
	if (s->nrevs < MAX_REV_INDEXES) {
		sl = &s->revs[s->nrevs++];
	} else {
		sl = &s->revs[0];
		for (size_t i = 1; i < s->nrevs; i++)
			if (s->revs[i].used < sl->used)
				sl = &s->revs[i];
		slot_fini(sl);
	}
	sl->rev = kt_xstrdup(rev);
	return sl;
}

struct kt_error *kt_census_set_get(struct kt_census_set *s, const char *rev,
				   struct kt_census_index **out)
{
	struct census_slot *sl = rev ? rev_slot(s, rev) : &s->disk;
	struct kt_error *err = NULL;

	*out = NULL;
	sl->used = ++s->clock;
	if (!sl->ix && !sl->failed) {
		err = rev ? kt_census_index_open_rev(s->dir, rev, s->cache_dir, s->vocab, &sl->ix)
			  : kt_census_index_open(s->dir, s->cache_dir, s->vocab, &sl->ix);
		sl->failed = err != NULL;
	}
	*out = sl->ix;
	return err;
}
