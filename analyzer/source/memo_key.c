// SPDX-License-Identifier: Apache-2.0
/*
 * The text of the source stage's records (memo.h): the key of a report (the
 * report, its stacks and the facts before the stage) and the facts after it,
 * written as numbers and length-prefixed strings, read back, and replayed
 * onto a facts table so that it ends as the stage left it, in the same order.
 */
#include <stdlib.h>
#include <string.h>

#include "memo.h"

/* 64-bit hash: eight bytes a step, multiply and fold. It tells contents
 * apart (an edited file, another key); it is not a defence against forgery:
 * the cache directory is the user's own. */
uint64_t kt_memo_hash(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ (len * 0x9e3779b97f4a7c15ull);
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, 8);
		h ^= w * 0xbf58476d1ce4e5b9ull;
		h = (h << 27 | h >> 37) * 0x94d049bb133111ebull;
	}
	for (; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	h ^= h >> 31;
	h *= 0xd6e8feb86659fd93ull;
	h ^= h >> 32;
	return h;
}

void kt_memo_put_str(struct kt_strbuf *sb, const char *s)
{
	if (!s) {
		kt_strbuf_adds(sb, "-");
		return;
	}
	kt_strbuf_addf(sb, "%zu:", strlen(s));
	kt_strbuf_adds(sb, s);
}

void kt_memo_put_num(struct kt_strbuf *sb, long long v)
{
	kt_strbuf_addf(sb, "%lld ", v);
}

long long kt_memo_get_num(struct kt_memo_rd *r)
{
	unsigned long long v = 0;
	bool neg = false;
	unsigned digits = 0;

	if (r->bad)
		return 0;
	if (r->p < r->end && *r->p == '-') {
		neg = true;
		r->p++;
	}
	while (r->p < r->end && *r->p >= '0' && *r->p <= '9' && digits < 20) {
		v = v * 10 + (unsigned long long)(*r->p++ - '0');
		digits++;
	}
	if (!digits || r->p >= r->end || *r->p != ' ') {
		r->bad = true;
		return 0;
	}
	r->p++;
	return (long long)(neg ? 0 - v : v);
}

char *kt_memo_get_str(struct kt_memo_rd *r)
{
	size_t n = 0;
	bool any = false;
	char *s;

	if (r->bad)
		return NULL;
	if (r->p < r->end && *r->p == '-') {
		r->p++;
		return kt_xstrdup("");
	}
	while (r->p < r->end && *r->p >= '0' && *r->p <= '9' && n < (1u << 30)) {
		n = n * 10 + (size_t)(*r->p++ - '0');
		any = true;
	}
	if (!any || r->p >= r->end || *r->p != ':' || (size_t)(r->end - r->p - 1) < n) {
		r->bad = true;
		return NULL;
	}
	r->p++;
	s = kt_xmalloc(n + 1);
	memcpy(s, r->p, n);
	s[n] = 0;
	r->p += n;
	return s;
}

/* ---- facts ---- */

void kt_memo_put_facts(struct kt_strbuf *sb, const struct kt_facts *facts)
{
	size_t n = 0;

	for (size_t i = 0; i < kt_facts_count(facts); i++)
		n += kt_facts_at(facts, i) != NULL;
	kt_memo_put_num(sb, (long long)n);
	for (size_t i = 0; i < kt_facts_count(facts); i++) {
		const struct kt_fact *f = kt_facts_at(facts, i);

		if (!f)
			continue;
		kt_memo_put_num(sb, f->type);
		kt_memo_put_num(sb, f->origin);
		kt_memo_put_str(sb, f->name);
		switch (f->type) {
		case KT_FACT_BOOL:
			kt_memo_put_num(sb, f->b);
			break;
		case KT_FACT_INT:
			kt_memo_put_num(sb, (long long)f->i);
			break;
		case KT_FACT_STR:
			kt_memo_put_str(sb, f->s ? f->s : "");
			break;
		case KT_FACT_STRLIST:
			kt_memo_put_num(sb, (long long)f->nlist);
			for (size_t k = 0; k < f->nlist; k++)
				kt_memo_put_str(sb, f->list[k]);
			break;
		}
	}
}

struct rfact {
	char *name;
	enum kt_fact_type type;
	enum kt_fact_origin origin;
	long long num;
	char *s;
	char **list;
	size_t nlist;
};

static void rfacts_free(struct rfact *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].s);
		for (size_t k = 0; k < v[i].nlist; k++)
			free(v[i].list[k]);
		free(v[i].list);
	}
	free(v);
}

static bool read_fact(struct kt_memo_rd *r, struct rfact *f)
{
	long long t = kt_memo_get_num(r), o = kt_memo_get_num(r), n;

	f->name = kt_memo_get_str(r);
	if (r->bad || t < KT_FACT_BOOL || t > KT_FACT_STRLIST || o < 1 || o > KT_ORIGIN_SOURCE)
		return false;
	f->type = (enum kt_fact_type)t;
	f->origin = (enum kt_fact_origin)o;
	switch (f->type) {
	case KT_FACT_BOOL:
	case KT_FACT_INT:
		f->num = kt_memo_get_num(r);
		break;
	case KT_FACT_STR:
		f->s = kt_memo_get_str(r);
		break;
	case KT_FACT_STRLIST:
		n = kt_memo_get_num(r);
		if (r->bad || n < 0 || n > 100000)
			return false;
		f->list = kt_xcalloc((size_t)n + 1, sizeof(char *));
		for (long long k = 0; k < n && !r->bad; k++)
			f->list[f->nlist++] = kt_memo_get_str(r);
		break;
	}
	return !r->bad;
}

static bool same_list_prefix(const struct kt_fact *cur, const struct rfact *f)
{
	if (cur->type != KT_FACT_STRLIST || cur->nlist > f->nlist)
		return false;
	for (size_t k = 0; k < cur->nlist; k++)
		if (strcmp(cur->list[k], f->list[k]) != 0)
			return false;
	return true;
}

static void apply_one(struct kt_facts *facts, const struct rfact *f)
{
	const struct kt_fact *cur = kt_facts_get(facts, f->name);
	size_t from = 0;

	switch (f->type) {
	case KT_FACT_BOOL:
		if (!cur || cur->type != f->type || cur->origin != f->origin || cur->b != !!f->num)
			kt_facts_set_bool(facts, f->name, f->num != 0, f->origin);
		break;
	case KT_FACT_INT:
		if (!cur || cur->type != f->type || cur->origin != f->origin || cur->i != f->num)
			kt_facts_set_int(facts, f->name, f->num, f->origin);
		break;
	case KT_FACT_STR:
		if (!cur || cur->type != f->type || cur->origin != f->origin ||
		    strcmp(cur->s ? cur->s : "", f->s) != 0)
			kt_facts_set_str(facts, f->name, f->s, f->origin);
		break;
	case KT_FACT_STRLIST:
		/* a list the stage appended to keeps what it had */
		if (cur && same_list_prefix(cur, f) &&
		    (cur->nlist < f->nlist || cur->origin == f->origin))
			from = cur->nlist;
		else if (cur)
			kt_facts_remove(facts, f->name);
		for (size_t k = from; k < f->nlist; k++)
			kt_facts_add_str(facts, f->name, f->list[k], f->origin);
		break;
	}
}

bool kt_memo_apply_facts(struct kt_memo_rd *r, struct kt_facts *facts)
{
	long long n = kt_memo_get_num(r);
	struct rfact *v;
	size_t nv = 0;
	bool ok = !r->bad && n >= 0 && n < 1000000;

	if (!ok)
		return false;
	v = kt_xcalloc((size_t)n + 1, sizeof(*v));
	while (ok && nv < (size_t)n)
		ok = read_fact(r, &v[nv++]);
	if (ok) {
		/* the facts the stage removed, then every fact as it left it:
		 * one set in place for a fact that was there, in the stage's
		 * order for the new ones */
		for (size_t i = 0; i < kt_facts_count(facts); i++) {
			const struct kt_fact *cur = kt_facts_at(facts, i);
			bool kept = false;

			for (size_t k = 0; cur && k < nv && !kept; k++)
				kept = strcmp(v[k].name, cur->name) == 0;
			if (cur && !kept)
				kt_facts_remove(facts, cur->name);
		}
		for (size_t k = 0; k < nv; k++)
			apply_one(facts, &v[k]);
	}
	rfacts_free(v, nv);
	return ok;
}

/* ---- the report ---- */

static void put_frame(struct kt_strbuf *sb, const struct kt_frame *f)
{
	kt_memo_put_str(sb, f->func);
	kt_memo_put_num(sb, (long long)f->off);
	kt_memo_put_num(sb, (long long)f->size);
	kt_memo_put_num(sb, f->has_offset);
	kt_memo_put_str(sb, f->module);
	kt_memo_put_str(sb, f->file);
	kt_memo_put_num(sb, f->line);
	kt_memo_put_num(sb, f->inlined);
	kt_memo_put_num(sb, (long long)f->ninl);
	for (size_t i = 0; i < f->ninl; i++) {
		kt_memo_put_str(sb, f->inl[i].file);
		kt_memo_put_num(sb, f->inl[i].line);
	}
}

static void put_access(struct kt_strbuf *sb, const struct kt_access *a)
{
	kt_memo_put_num(sb, a->op);
	kt_memo_put_num(sb, a->marked);
	kt_memo_put_num(sb, a->reordered);
	kt_memo_put_num(sb, (long long)a->addr);
	kt_memo_put_num(sb, (long long)a->size);
	kt_memo_put_num(sb, a->by_interrupt);
	kt_memo_put_num(sb, a->task);
	kt_memo_put_num(sb, a->cpu);
	kt_memo_put_str(sb, a->type_text);
	kt_memo_put_num(sb, a->elided);
	kt_memo_put_num(sb, a->addr_elided);
	kt_memo_put_num(sb, (long long)a->nframes);
	for (size_t i = 0; i < a->nframes; i++)
		put_frame(sb, &a->frames[i]);
	kt_memo_put_num(sb, a->reordered_to != NULL);
	if (a->reordered_to)
		put_frame(sb, a->reordered_to);
}

/* Everything of the report but where it was read (input, lines, text). */
void kt_memo_put_report(struct kt_strbuf *sb, const struct kt_report *rep,
			const struct kt_frame *const stacks[2], const size_t nframes[2])
{
	const struct kt_value_change *v = &rep->value;
	const struct kt_report_env *e = &rep->env;

	kt_memo_put_num(sb, rep->kind);
	kt_memo_put_str(sb, rep->bug_line);
	kt_memo_put_str(sb, rep->title);
	kt_memo_put_str(sb, rep->title_funcs[0]);
	kt_memo_put_str(sb, rep->title_funcs[1]);
	kt_memo_put_num(sb, (long long)rep->naccess);
	for (size_t i = 0; i < rep->naccess && i < 2; i++)
		put_access(sb, &rep->access[i]);
	kt_memo_put_num(sb, v->present);
	kt_memo_put_num(sb, (long long)v->old_val);
	kt_memo_put_num(sb, (long long)v->new_val);
	kt_memo_put_num(sb, v->width);
	kt_memo_put_num(sb, v->has_mask);
	kt_memo_put_num(sb, (long long)v->bits);
	kt_memo_put_num(sb, (long long)v->mask);
	kt_memo_put_str(sb, v->note);
	kt_memo_put_num(sb, e->cpu);
	kt_memo_put_num(sb, e->pid);
	kt_memo_put_str(sb, e->comm);
	kt_memo_put_str(sb, e->taint);
	kt_memo_put_str(sb, e->kernel);
	kt_memo_put_str(sb, e->hardware);
	kt_memo_put_str(sb, e->commit);
	kt_memo_put_num(sb, rep->symbolized);
	kt_memo_put_num(sb, rep->unknown_origin);
	kt_memo_put_num(sb, rep->complete);
	for (size_t i = 0; i < 2; i++) {
		size_t n = stacks && stacks[i] && nframes ? nframes[i] : 0;

		kt_memo_put_num(sb, (long long)n);
		for (size_t k = 0; k < n; k++)
			put_frame(sb, &stacks[i][k]);
	}
}
