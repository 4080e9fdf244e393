// SPDX-License-Identifier: Apache-2.0
/*
 * The relation of the two sides: the object both touch, the locks both hold
 * and how they relate, double-checked locking on the writing side, a fast
 * path calling the other side's function, and each side's context.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "relation.h"
#include "tokens.h"

/* a is b, or a prefix of b at a member or element boundary. */
static bool prefix_of(const char *a, const char *b)
{
	size_t l = strlen(a);

	return strncmp(a, b, l) == 0 && (b[l] == 0 || b[l] == '.' || b[l] == '[');
}

/* The last member of a member path: "struct S::a.b" -> "b". */
static const char *last_member(const char *field)
{
	const char *p = strstr(field, "::");
	const char *dot;

	if (!p)
		return NULL;
	p += 2;
	dot = strrchr(p, '.');
	return dot ? dot + 1 : p;
}

/*
 * A helper working on a parameter names the member by its own struct
 * ("struct list_head::prev", __list_add's new->prev) while the other side
 * names it through the struct embedding it ("struct S::node.prev"): one
 * member of the same type at the end of both paths. KCSAN saw the two
 * addresses overlap, so these are one member reached two ways.
 */
static bool embedded_same(const struct kt_access_info *a, const struct kt_access_info *b)
{
	const char *la = last_member(a->field), *lb = last_member(b->field);
	const char *pa = strstr(a->field, "::"), *pb = strstr(b->field, "::");

	if (!la || !lb || !a->type || !b->type || strcmp(la, lb) != 0 ||
	    strcmp(a->type, b->type) != 0)
		return false;
	/* one path is the member alone: struct T::m */
	return la == pa + 2 || lb == pb + 2;
}

/* Do the two sides name overlapping memory? *name: the object (caller frees). */
bool kt_relation_overlap(const struct kt_access_info *a, const struct kt_access_info *b,
			 bool copies, char **name)
{

	*name = NULL;
	/* *p of one parameter of one function, on both sides */
	if (!a->field && !b->field && a->deref_key && b->deref_key &&
	    strcmp(a->deref_key, b->deref_key) == 0) {
		*name = kt_xstrdup(a->deref_key);
		return true;
	}
	if (!a->field || !b->field)
		return false;
	if (prefix_of(a->field, b->field)) {
		*name = kt_xstrdup(a->field);
		return true;
	}
	if (prefix_of(b->field, a->field)) {
		*name = kt_xstrdup(b->field);
		return true;
	}
	/* members sharing storage (a union, bit-fields of one byte) */
	if (a->rec && b->rec && strcmp(a->rec, b->rec) == 0 && a->rec_off >= 0 &&
	    a->rec_off == b->rec_off) {
		bool ua = strstr(a->field, "::__") != NULL, ub = strstr(b->field, "::__") != NULL;

		if (ua != ub) {
			*name = kt_xstrdup(ua ? b->field : a->field);
		} else {
			struct kt_strbuf sb;

			kt_strbuf_init(&sb);
			kt_strbuf_addf(&sb, "%s / %s (same storage)", a->field,
				       strstr(b->field, "::") + 2);
			*name = kt_strbuf_detach(&sb);
		}
		return true;
	}
	if (embedded_same(a, b)) {
		*name = kt_xstrdup(strchr(last_member(a->field) - 1, ':') ? b->field : a->field);
		return true;
	}
	if (copies) {
		*name = kt_xstrdup(strlen(a->field) >= strlen(b->field) ? a->field : b->field);
		return true;
	}
	return false;
}

bool kt_relation_same(const struct side *x, const struct side *y, char **name)
{
	return kt_relation_overlap(&x->ex, &y->ex, x->state == SIDE_COPY && y->state == SIDE_COPY,
				   name);
}

bool kt_relation_overlaps(const struct side *x, const struct side *y)
{
	char *n;
	bool r = kt_relation_same(x, y, &n);

	free(n);
	return r;
}

static bool exclusive_mode(const char *m)
{
	return strcmp(m, "exclusive") == 0 || strcmp(m, "shared") == 0 ||
	       strcmp(m, "exclusive|shared") == 0;
}

void kt_relation_locks(struct side *s, size_t ns, struct kt_facts *f)
{
	const char *rel = NULL;
	bool common_excl = false, common_shared_only = false, any_common = false;

	if (ns < 2 || s[0].locks == LOCKS_UNKNOWN || s[1].locks == LOCKS_UNKNOWN)
		return;
	for (size_t i = 0; i < s[0].ls.n; i++) {
		const struct kt_held *h = &s[0].ls.h[i];

		if (h->weak || !exclusive_mode(h->mode))
			continue;
		for (size_t j = 0; j < s[1].ls.n; j++) {
			const struct kt_held *g = &s[1].ls.h[j];

			bool same = strcmp(h->lock, g->lock) == 0;
			/* one side names it by the struct embedding it, the other
			 * (a helper's parameter) by its own type */
			bool alias = !same && ((h->alt && strcmp(h->alt, g->lock) == 0) ||
					       (g->alt && strcmp(g->alt, h->lock) == 0));

			if (g->weak || !(same || alias) || !exclusive_mode(g->mode))
				continue;
			if (alias) {
				/* the same lock only if the helper got that member:
				 * said apart, not counted as common */
				struct kt_strbuf sb;

				kt_strbuf_init(&sb);
				kt_strbuf_addf(&sb, "%s = %s", h->lock, g->lock);
				kt_facts_add_str(f, "locks.maybe_common", sb.buf, KT_ORIGIN_SOURCE);
				kt_strbuf_fini(&sb);
				continue;
			}
			any_common = true;
			kt_facts_add_str(f, "locks.common", h->lock, KT_ORIGIN_SOURCE);
			if (strcmp(h->mode, "exclusive") == 0 || strcmp(g->mode, "exclusive") == 0)
				common_excl = true;
			else
				common_shared_only = true;
		}
	}
	if (!any_common)
		kt_facts_set_bool(f, "locks.common.known", true, KT_ORIGIN_SOURCE);
	{
		size_t la = 0, lb = 0;
		bool wa = kt_access_is_write(s[0].acc), wb = kt_access_is_write(s[1].acc);

		for (size_t i = 0; i < s[0].ls.n; i++)
			la += !s[0].ls.h[i].weak && exclusive_mode(s[0].ls.h[i].mode);
		for (size_t i = 0; i < s[1].ls.n; i++)
			lb += !s[1].ls.h[i].weak && exclusive_mode(s[1].ls.h[i].mode);
		if (strcmp(s[0].context, s[1].context) != 0)
			rel = "irq-vs-task";
		else if (common_excl)
			rel = "common-lock";
		else if (common_shared_only)
			rel = "conflicting-modes";
		else if (!la && !lb)
			rel = "both-lockless";
		else if (la && lb)
			rel = "disjoint-locks";
		else if ((la && wa && !wb) || (lb && wb && !wa))
			rel = "writer-locked-reader-lockless";
		else if ((la && !wa && wb) || (lb && !wb && wa))
			rel = "reader-locked-writer-lockless";
		else
			rel = "one-side-locked";
	}
	kt_facts_set_str(f, "locks.relation", rel, KT_ORIGIN_SOURCE);
	if (common_excl)
		kt_src_note(
		    f, NULL,
		    "both sides hold a common lock with one side exclusive, which KCSAN's report "
		    "contradicts: the lockset or the object is wrong, or the lock is not held "
		    "where read");
	if (common_shared_only)
		kt_src_note(
		    f, NULL,
		    "the common lock is held shared on both sides: it does not order a write made "
		    "under the shared mode");
}

/*
 * Double-checked locking on the writing side: before its store, the
 * writer's function reads the same member in a condition while holding a
 * lock it still holds at the store (spin_lock(&x->lock); if (x->inited)
 * goto out; ...; x->inited = 1). Sets SIDE.expr.recheck (and
 * SIDE.expr.recheck_lock) when the function was read; absent otherwise.
 */
void kt_relation_recheck(struct kt_source *src, struct side *s, struct kt_facts *facts)
{
	struct kt_tu *tu;
	const struct kt_func *fn;
	unsigned at;
	struct kt_access_query q = {0};
	struct kt_cand_list l;
	struct kt_lockset at_w = {0};
	bool found = false;
	char nm[96];

	if (!kt_access_is_write(s->acc) || !s->ex.found || !s->ex.field || s->state == SIDE_COPY ||
	    s->via.n)
		return;
	if (s->state == SIDE_RELOCATED) {
		tu = s->body.tu;
		fn = &s->body.fn;
		at = s->at;
	} else if (s->state == SIDE_AT_LINE && s->line.tu) {
		tu = s->line.tu;
		fn = &s->line.fn;
		if (!kt_line_offset(tu->tu, fn->file, (unsigned)s->fr[0].line, &at))
			return;
	} else {
		return;
	}
	if (fn->by_tokens)
		return;
	q.want_write = false;
	q.size = (long long)s->acc->size;
	kt_access_all(&src->tables, tu, fn, &q, &l);
	kt_lockset_walk(&src->tables, tu, fn, at, NULL, &at_w);
	for (size_t k = 0; k < l.n && !found; k++) {
		const struct kt_access_info *r = &l.v[k].a;
		struct kt_lockset at_r = {0};

		if (l.v[k].at >= at || !r->branch || !r->field ||
		    strcmp(r->field, s->ex.field) != 0)
			continue;
		kt_lockset_walk(&src->tables, tu, fn, l.v[k].at, NULL, &at_r);
		for (size_t a = 0; a < at_r.n && !found; a++) {
			/* taken here, not asserted as held by every caller */
			if (strcmp(at_r.h[a].mode, "exclusive") != 0 || at_r.h[a].weak ||
			    !at_r.h[a].how ||
			    !(strcmp(at_r.h[a].how, "acquired") == 0 ||
			      strcmp(at_r.h[a].how, "guard") == 0 ||
			      strcmp(at_r.h[a].how, "scoped_guard") == 0 ||
			      strcmp(at_r.h[a].how, "trylock") == 0))
				continue;
			for (size_t b = 0; b < at_w.n; b++)
				if (strcmp(at_w.h[b].lock, at_r.h[a].lock) == 0 &&
				    strcmp(at_w.h[b].mode, "exclusive") == 0) {
					snprintf(nm, sizeof(nm), "%s.expr.recheck_lock", s->p);
					kt_facts_set_str(facts, nm, at_r.h[a].lock,
							 KT_ORIGIN_SOURCE);
					found = true;
					break;
				}
		}
		kt_lockset_fini(&at_r);
	}
	snprintf(nm, sizeof(nm), "%s.expr.recheck", s->p);
	kt_facts_set_bool(facts, nm, found, KT_ORIGIN_SOURCE);
	kt_lockset_fini(&at_w);
	kt_cand_list_fini(&l);
}

/*
 * Does the function holding x's access call y's access function (a fast
 * path that falls back to the other side's code)? Sets
 * SIDE.calls_other when x's function was read.
 */
void kt_relation_calls_other(struct side *x, const struct side *y, struct kt_facts *facts)
{
	const struct side_fn *at = x->state == SIDE_RELOCATED ? &x->body : &x->line;
	const struct kt_func *fn = &at->fn;
	struct kt_tu *tu = at->tu;
	struct kt_toks tk;
	char *name, nm[64];
	bool found = false;

	if (!tu || fn->by_tokens || !x->ex.found || !y->fr || !y->n || !y->fr[0].func)
		return;
	name = kt_func_base_name(y->fr[0].func);
	kt_toks_range(tu->tu, fn->file, fn->body_off, fn->end_off, &tk);
	for (size_t i = 0; i + 1 < tk.n && !found; i++)
		found = kt_toks_call_at(&tk, i) && strcmp(tk.t[i].text, name) == 0;
	kt_toks_free(&tk);
	free(name);
	snprintf(nm, sizeof(nm), "%s.calls_other", x->p);
	kt_facts_set_bool(facts, nm, found, KT_ORIGIN_SOURCE);
}

void kt_relation_context(struct kt_source *src, struct side *s)
{
	s->context = "task";
	if (s->acc->by_interrupt)
		s->context = "irq";
	for (size_t i = 0; i < s->n; i++) {
		char *b = kt_func_base_name(s->fr[i].func ? s->fr[i].func : "");

		for (size_t k = 0; k < src->tables.nirq; k++)
			if (strcmp(src->tables.irq[k], b) == 0) {
				s->context = src->tables.irqkind[k];
				break;
			}
		free(b);
	}
}

/* object, object.source, object.same, object.differs: what the two sides
 * (or the one side of an assertion) touch. */
void kt_relation_object(struct side *s, size_t ns, struct kt_facts *facts)
{
	if (ns == 2 && s[0].ex.found && s[1].ex.found) {
		char *name = NULL;

		if (kt_relation_same(&s[0], &s[1], &name)) {
			const struct kt_fact *prev = kt_facts_get(facts, "object");

			/* the binary stage names globals from the address
			 * (rcu_state.expedited_sequence): keep it, add ours apart */
			if (prev && prev->origin == KT_ORIGIN_VMLINUX)
				kt_facts_set_str(facts, "object.source", name, KT_ORIGIN_SOURCE);
			else
				kt_facts_set_str(facts, "object", name, KT_ORIGIN_SOURCE);
			kt_facts_set_bool(facts, "object.same", true, KT_ORIGIN_SOURCE);
			free(name);
		} else {
			struct kt_strbuf sb;

			kt_strbuf_init(&sb);
			kt_strbuf_addf(&sb, "%s / %s", s[0].ex.field ? s[0].ex.field : "?",
				       s[1].ex.field ? s[1].ex.field : "?");
			kt_facts_set_str(facts, "object.differs", sb.buf, KT_ORIGIN_SOURCE);
			kt_facts_set_bool(facts, "object.same", false, KT_ORIGIN_SOURCE);
			kt_strbuf_fini(&sb);
		}
	} else if (ns == 1 && s[0].ex.found && s[0].ex.field) {
		const struct kt_fact *prev = kt_facts_get(facts, "object");

		kt_facts_set_str(
		    facts, prev && prev->origin == KT_ORIGIN_VMLINUX ? "object.source" : "object",
		    s[0].ex.field, KT_ORIGIN_SOURCE);
	}
}
