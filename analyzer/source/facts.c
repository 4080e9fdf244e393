// SPDX-License-Identifier: Apache-2.0
/* The facts the source stage writes for each side, src.tree and notes. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"

void kt_src_note(struct kt_facts *f, const char *side, const char *fmt, ...)
{
	struct kt_strbuf sb;
	va_list ap;
	int n;
	char *text;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	text = kt_xmalloc(n > 0 ? (size_t)n + 1 : 1);
	text[0] = 0;
	va_start(ap, fmt);
	if (n > 0)
		vsnprintf(text, (size_t)n + 1, fmt, ap);
	va_end(ap);
	kt_strbuf_init(&sb);
	if (side)
		kt_strbuf_addf(&sb, "%s: ", side);
	kt_strbuf_adds(&sb, text);
	kt_facts_add_str(f, "note", sb.buf, KT_ORIGIN_SOURCE);
	kt_strbuf_fini(&sb);
	free(text);
}

const char *kt_side_located(const struct side *s)
{
	switch (s->state) {
	case SIDE_NOT_FOUND:
		return "not-found";
	case SIDE_AT_LINE:
		return "line";
	case SIDE_TOKENS:
		return "tokens";
	case SIDE_RELOCATED:
		return "relocated";
	case SIDE_UNREAD:
	case SIDE_COPY:
		break;
	}
	return NULL;
}

/* The string fact SIDE.name */
const char *kt_src_side_str(struct kt_facts *facts, const char *side, const char *name)
{
	char nm[64];
	const struct kt_fact *g;

	snprintf(nm, sizeof(nm), "%s.%s", side, name);
	g = kt_facts_get(facts, nm);
	return g && g->type == KT_FACT_STR ? g->s : NULL;
}

/* SIDE.name = v, and the like (origin source). */
static void put_str(struct kt_facts *f, const struct side *s, const char *name, const char *v)
{
	char nm[96];

	snprintf(nm, sizeof(nm), "%s.%s", s->p, name);
	kt_facts_set_str(f, nm, v, KT_ORIGIN_SOURCE);
}

static void put_bool(struct kt_facts *f, const struct side *s, const char *name, bool v)
{
	char nm[96];

	snprintf(nm, sizeof(nm), "%s.%s", s->p, name);
	kt_facts_set_bool(f, nm, v, KT_ORIGIN_SOURCE);
}

static void put_int(struct kt_facts *f, const struct side *s, const char *name, long long v)
{
	char nm[96];

	snprintf(nm, sizeof(nm), "%s.%s", s->p, name);
	kt_facts_set_int(f, nm, (int64_t)v, KT_ORIGIN_SOURCE);
}

/* v added to the list SIDE.name */
static void add_str(struct kt_facts *f, const struct side *s, const char *name, const char *v)
{
	char nm[96];

	snprintf(nm, sizeof(nm), "%s.%s", s->p, name);
	kt_facts_add_str(f, nm, v, KT_ORIGIN_SOURCE);
}

/* SIDE.expr.*: the placed access. */
static void expr_facts(const struct side *s, struct kt_facts *f)
{
	const struct kt_access_info *a = &s->ex;

	put_str(f, s, "expr.text", a->text ? a->text : "");
	put_str(f, s, "expr.kind", kt_access_kind_name(a));
	if (a->field)
		put_str(f, s, "expr.field", a->field);
	if (a->type)
		put_str(f, s, "expr.type", a->type);
	put_str(f, s, "expr.marking", a->marking ? a->marking : "plain");
	put_bool(f, s, "expr.write", a->write);
	/* syntactic, or by a read-modify-write marking (atomic_inc) */
	put_bool(f, s, "expr.rmw", a->rmw || a->mark_rmw);
	put_bool(f, s, "expr.bittest", a->bittest);
	/* a bitfield's mask is of its value, not of the word KCSAN watched */
	if (a->bittest && a->has_mask && !a->bitfield)
		put_int(f, s, "expr.mask", (long long)a->mask);
	put_bool(f, s, "expr.branch", a->branch);
	put_bool(f, s, "expr.deref", a->deref);
	if (a->use_known) {
		put_bool(f, s, "expr.compare_only", a->compare_only);
		put_bool(f, s, "expr.reload_use", a->reload_use);
		put_bool(f, s, "expr.use_after_check", a->use_after_check);
	}
	if (a->stored) {
		put_str(f, s, "expr.stored", a->stored);
		put_bool(f, s, "expr.stored_clock", a->stored_clock);
	}
	put_bool(f, s, "expr.data_racy", a->data_racy);
	for (size_t i = 0; i < a->npassed; i++)
		add_str(f, s, "expr.passed_to", a->passed_to[i]);
	for (size_t i = 0; i < a->nguards; i++)
		add_str(f, s, "expr.guards", a->guards[i]);
	if (a->nguards)
		put_bool(f, s, "expr.guards_defer", a->guards_defer);
	if (a->buffer)
		put_str(f, s, "expr.buffer", a->buffer);
	if (a->size >= 0)
		put_int(f, s, "expr.size", a->size);
}

/* SIDE.locks*: the lock walk's lockset. */
static void lock_facts(const struct side *s, struct kt_facts *f)
{
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	put_bool(f, s, "locks.known", true);
	put_bool(f, s, "locks.complete", s->locks == LOCKS_COMPLETE);
	for (size_t i = 0; i < s->ls.n; i++) {
		const struct kt_held *h = &s->ls.h[i];

		kt_strbuf_reset(&sb);
		kt_strbuf_addf(&sb, "%s (%s)", h->lock, h->mode);
		add_str(f, s, h->weak ? "locks.weak" : "locks", sb.buf);
		kt_strbuf_reset(&sb);
		kt_strbuf_addf(&sb, "%s (%s) in %s", h->lock, h->how, h->func);
		add_str(f, s, "locks.evidence", sb.buf);
	}
	kt_strbuf_fini(&sb);
}

void kt_src_side_facts(struct side *s, struct kt_facts *f)
{
	if (s->ex.found)
		expr_facts(s, f);
	if (s->ex.note)
		kt_src_note(f, s->p, "%s", s->ex.note);
	if (s->locks != LOCKS_UNKNOWN)
		lock_facts(s, f);
	put_str(f, s, "context", s->context);
	if (kt_side_located(s)) {
		put_str(f, s, "src.located", kt_side_located(s));
		if (s->state == SIDE_RELOCATED && s->drift != DRIFT_ELSEWHERE && s->fr[0].line > 0)
			put_int(f, s, "src.shift", s->shift);
	}
	if (s->strategy)
		put_str(f, s, "src.strategy", s->strategy);
}

/*
 * How far the tree is from the report's kernel: `too-far` when an access was
 * not found, or was relocated without the two sides agreeing on its object;
 * `drifted` when an access or a caller's call site was found by name and body
 * away from its line (or read as tokens); `matches` otherwise.
 */
void kt_src_tree_fact(const struct side *s, size_t ns, bool agreed, struct kt_facts *f)
{
	bool far = false, moved = false, any = false;

	for (size_t i = 0; i < ns; i++) {
		moved |= s[i].walk_moved > 0;
		if (!kt_side_located(&s[i]))
			continue;
		any = true;
		if (s[i].state == SIDE_NOT_FOUND)
			far = true;
		else if (s[i].state == SIDE_RELOCATED) {
			moved = true;
			if (!agreed)
				far = true;
		} else if (s[i].state == SIDE_TOKENS)
			moved = true;
	}
	if (!any && !far)
		return;
	kt_facts_set_str(f, "src.tree",
			 far	 ? "too-far"
			 : moved ? "drifted"
				 : "matches",
			 KT_ORIGIN_SOURCE);
}
