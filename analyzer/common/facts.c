// SPDX-License-Identifier: Apache-2.0
/* The fact table: insertion-ordered entries plus an open-addressing index. */
#include <stdlib.h>
#include <string.h>

#include "kcsan/catalogue.h"
#include "kcsan/facts.h"
#include "kcsan/strbuf.h"

struct entry {
	struct kt_fact f;
	char *name;
	char *s;
	char **list;
	size_t cap;
	uint64_t hash; /* of name, kept for lookups and reindexing */
	bool live;
};

struct kt_facts {
	struct entry *e;
	size_t n, cap;
	size_t *index; /* slot -> entry number + 1, 0 = empty */
	size_t nindex;
	const struct kt_catalogue *cat; /* kt_facts_check(): writes must be listed */
	char *refused;			/* the first write it refused */
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

struct kt_facts *kt_facts_new(void)
{
	return kt_xcalloc(1, sizeof(struct kt_facts));
}

static void entry_clear_value(struct entry *e)
{
	free(e->s);
	e->s = NULL;
	for (size_t i = 0; i < e->f.nlist; i++)
		free(e->list[i]);
	free(e->list);
	e->list = NULL;
	e->cap = 0;
	e->f.s = NULL;
	e->f.list = NULL;
	e->f.nlist = 0;
	e->f.b = false;
	e->f.i = 0;
}

void kt_facts_free(struct kt_facts *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++) {
		entry_clear_value(&f->e[i]);
		free(f->e[i].name);
	}
	free(f->e);
	free(f->index);
	free(f->refused);
	free(f);
}

void kt_facts_check(struct kt_facts *f, const struct kt_catalogue *cat)
{
	f->cat = cat;
}

const char *kt_facts_refused(const struct kt_facts *f)
{
	return f->refused;
}

/* Under kt_facts_check(): is the write listed in the catalogue? Records the
 * first refusal. */
static bool listed(struct kt_facts *f, const char *name, enum kt_fact_type t, enum kt_fact_origin o)
{
	const struct kt_fact_def *d;
	struct kt_strbuf sb;

	if (!f->cat)
		return true;
	d = kt_catalogue_find(f->cat, name);
	if (d && d->type == t && (d->stages & o))
		return true;
	if (f->refused)
		return false;
	kt_strbuf_init(&sb);
	kt_strbuf_addf(&sb, "the %s stage wrote the %s fact '%s', ", kt_catalogue_stage_name(o),
		       kt_catalogue_type_name(t), name);
	if (!d)
		kt_strbuf_addf(&sb, "which %s does not list", kt_catalogue_path(f->cat));
	else if (d->type != t)
		kt_strbuf_addf(&sb, "which %s:%ld lists as %s", kt_catalogue_path(f->cat), d->line,
			       kt_catalogue_type_name(d->type));
	else
		kt_strbuf_addf(&sb, "which %s:%ld does not list for that stage",
			       kt_catalogue_path(f->cat), d->line);
	f->refused = kt_strbuf_detach(&sb);
	return false;
}

static void reindex(struct kt_facts *f)
{
	size_t want = 16;

	while (want < f->n * 2 + 2)
		want *= 2;
	free(f->index);
	f->index = kt_xcalloc(want, sizeof(size_t));
	f->nindex = want;
	for (size_t i = 0; i < f->n; i++) {
		size_t slot = f->e[i].hash & (want - 1);
		while (f->index[slot])
			slot = (slot + 1) & (want - 1);
		f->index[slot] = i + 1;
	}
}

static struct entry *find_hashed(const struct kt_facts *f, const char *name, uint64_t h)
{
	if (!f->nindex)
		return NULL;
	size_t slot = h & (f->nindex - 1);
	while (f->index[slot]) {
		struct entry *e = &f->e[f->index[slot] - 1];
		if (e->hash == h && strcmp(e->name, name) == 0)
			return e;
		slot = (slot + 1) & (f->nindex - 1);
	}
	return NULL;
}

static struct entry *find(const struct kt_facts *f, const char *name)
{
	return find_hashed(f, name, hash(name));
}

static struct entry *get_or_add(struct kt_facts *f, const char *name, enum kt_fact_type t,
				enum kt_fact_origin o, bool clear)
{
	uint64_t h = hash(name);
	struct entry *e = find_hashed(f, name, h);

	if (e) {
		if (clear || e->f.type != t)
			entry_clear_value(e);
		e->live = true;
		e->f.type = t;
		e->f.origin = o;
		return e;
	}
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 32;
		f->e = kt_xrealloc(f->e, f->cap * sizeof(*f->e));
		/* Pointers into names moved with the array: refresh them. */
		for (size_t i = 0; i < f->n; i++)
			f->e[i].f.name = f->e[i].name;
	}
	e = &f->e[f->n++];
	memset(e, 0, sizeof(*e));
	e->name = kt_xstrdup(name);
	e->hash = h;
	e->f.name = e->name;
	e->f.type = t;
	e->f.origin = o;
	e->live = true;
	if (f->n * 2 + 2 > f->nindex)
		reindex(f);
	else {
		size_t slot = h & (f->nindex - 1);
		while (f->index[slot])
			slot = (slot + 1) & (f->nindex - 1);
		f->index[slot] = f->n;
	}
	return e;
}

void kt_facts_set_bool(struct kt_facts *f, const char *name, bool v, enum kt_fact_origin o)
{
	if (listed(f, name, KT_FACT_BOOL, o))
		get_or_add(f, name, KT_FACT_BOOL, o, true)->f.b = v;
}

void kt_facts_set_int(struct kt_facts *f, const char *name, int64_t v, enum kt_fact_origin o)
{
	if (listed(f, name, KT_FACT_INT, o))
		get_or_add(f, name, KT_FACT_INT, o, true)->f.i = v;
}

void kt_facts_set_str(struct kt_facts *f, const char *name, const char *v, enum kt_fact_origin o)
{
	struct entry *e;

	if (!listed(f, name, KT_FACT_STR, o))
		return;
	e = get_or_add(f, name, KT_FACT_STR, o, true);

	e->s = kt_xstrdup(v ? v : "");
	e->f.s = e->s;
}

void kt_facts_add_str(struct kt_facts *f, const char *name, const char *v, enum kt_fact_origin o)
{
	struct entry *e;

	if (!listed(f, name, KT_FACT_STRLIST, o))
		return;
	e = get_or_add(f, name, KT_FACT_STRLIST, o, false);

	if (e->f.nlist == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 8;
		e->list = kt_xrealloc(e->list, e->cap * sizeof(char *));
	}
	e->list[e->f.nlist++] = kt_xstrdup(v ? v : "");
	e->f.list = (const char *const *)e->list;
}

void kt_facts_remove(struct kt_facts *f, const char *name)
{
	struct entry *e = find(f, name);

	if (e) {
		entry_clear_value(e);
		e->live = false;
	}
}

const struct kt_fact *kt_facts_get(const struct kt_facts *f, const char *name)
{
	struct entry *e = find(f, name);

	return e && e->live ? &e->f : NULL;
}

size_t kt_facts_count(const struct kt_facts *f)
{
	return f->n;
}

const struct kt_fact *kt_facts_at(const struct kt_facts *f, size_t i)
{
	if (i >= f->n || !f->e[i].live)
		return NULL;
	return &f->e[i].f;
}

unsigned kt_facts_origins(const struct kt_facts *f)
{
	unsigned o = 0;

	for (size_t i = 0; i < f->n; i++)
		if (f->e[i].live)
			o |= f->e[i].f.origin;
	return o;
}

char *kt_fact_value_text(const struct kt_fact *fact)
{
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	switch (fact->type) {
	case KT_FACT_BOOL:
		kt_strbuf_adds(&sb, fact->b ? "true" : "false");
		break;
	case KT_FACT_INT:
		kt_strbuf_addf(&sb, "%lld", (long long)fact->i);
		break;
	case KT_FACT_STR:
		kt_strbuf_adds(&sb, fact->s ? fact->s : "");
		break;
	case KT_FACT_STRLIST:
		kt_strbuf_addc(&sb, '[');
		for (size_t i = 0; i < fact->nlist; i++) {
			if (i)
				kt_strbuf_adds(&sb, ", ");
			kt_strbuf_adds(&sb, fact->list[i]);
		}
		kt_strbuf_addc(&sb, ']');
		break;
	}
	return kt_strbuf_detach(&sb);
}

struct kt_facts *kt_facts_copy_except(const struct kt_facts *f, unsigned origins)
{
	struct kt_facts *c = kt_facts_new();

	for (size_t i = 0; i < kt_facts_count(f); i++) {
		const struct kt_fact *x = kt_facts_at(f, i);

		if (x->origin & origins)
			continue;
		switch (x->type) {
		case KT_FACT_BOOL:
			kt_facts_set_bool(c, x->name, x->b, x->origin);
			break;
		case KT_FACT_INT:
			kt_facts_set_int(c, x->name, x->i, x->origin);
			break;
		case KT_FACT_STR:
			kt_facts_set_str(c, x->name, x->s, x->origin);
			break;
		case KT_FACT_STRLIST:
			if (!x->nlist)
				get_or_add(c, x->name, KT_FACT_STRLIST, x->origin, true);
			for (size_t k = 0; k < x->nlist; k++)
				kt_facts_add_str(c, x->name, x->list[k], x->origin);
			break;
		}
	}
	return c;
}
