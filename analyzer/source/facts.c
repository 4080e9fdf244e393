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

static void fname(char *buf, size_t n, const char *side, const char *name)
{
	snprintf(buf, n, "%s.%s", side, name);
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

void kt_src_side_facts(struct side *s, struct kt_facts *f)
{
	char nm[96];

	if (s->ex.found) {
		struct kt_access_info *a = &s->ex;

		fname(nm, sizeof(nm), s->p, "expr.text");
		kt_facts_set_str(f, nm, a->text ? a->text : "", KT_ORIGIN_SOURCE);
		fname(nm, sizeof(nm), s->p, "expr.kind");
		kt_facts_set_str(f, nm, kt_access_kind_name(a), KT_ORIGIN_SOURCE);
		if (a->field) {
			fname(nm, sizeof(nm), s->p, "expr.field");
			kt_facts_set_str(f, nm, a->field, KT_ORIGIN_SOURCE);
		}
		if (a->type) {
			fname(nm, sizeof(nm), s->p, "expr.type");
			kt_facts_set_str(f, nm, a->type, KT_ORIGIN_SOURCE);
		}
		fname(nm, sizeof(nm), s->p, "expr.marking");
		kt_facts_set_str(f, nm, a->marking ? a->marking : "plain", KT_ORIGIN_SOURCE);
		fname(nm, sizeof(nm), s->p, "expr.write");
		kt_facts_set_bool(f, nm, a->write, KT_ORIGIN_SOURCE);
		fname(nm, sizeof(nm), s->p, "expr.rmw");
		/* syntactic, or by a read-modify-write marking (atomic_inc) */
		kt_facts_set_bool(f, nm, a->rmw || a->mark_rmw, KT_ORIGIN_SOURCE);
		fname(nm, sizeof(nm), s->p, "expr.bittest");
		kt_facts_set_bool(f, nm, a->bittest, KT_ORIGIN_SOURCE);
		/* a bitfield's mask is of its value, not of the word KCSAN watched */
		if (a->bittest && a->has_mask && !a->bitfield) {
			fname(nm, sizeof(nm), s->p, "expr.mask");
			kt_facts_set_int(f, nm, (int64_t)a->mask, KT_ORIGIN_SOURCE);
		}
		fname(nm, sizeof(nm), s->p, "expr.branch");
		kt_facts_set_bool(f, nm, a->branch, KT_ORIGIN_SOURCE);
		fname(nm, sizeof(nm), s->p, "expr.deref");
		kt_facts_set_bool(f, nm, a->deref, KT_ORIGIN_SOURCE);
		if (a->use_known) {
			fname(nm, sizeof(nm), s->p, "expr.compare_only");
			kt_facts_set_bool(f, nm, a->compare_only, KT_ORIGIN_SOURCE);
			fname(nm, sizeof(nm), s->p, "expr.reload_use");
			kt_facts_set_bool(f, nm, a->reload_use, KT_ORIGIN_SOURCE);
			fname(nm, sizeof(nm), s->p, "expr.use_after_check");
			kt_facts_set_bool(f, nm, a->use_after_check, KT_ORIGIN_SOURCE);
		}
		if (a->stored) {
			fname(nm, sizeof(nm), s->p, "expr.stored");
			kt_facts_set_str(f, nm, a->stored, KT_ORIGIN_SOURCE);
			fname(nm, sizeof(nm), s->p, "expr.stored_clock");
			kt_facts_set_bool(f, nm, a->stored_clock, KT_ORIGIN_SOURCE);
		}
		fname(nm, sizeof(nm), s->p, "expr.data_racy");
		kt_facts_set_bool(f, nm, a->data_racy, KT_ORIGIN_SOURCE);
		fname(nm, sizeof(nm), s->p, "expr.passed_to");
		for (size_t i = 0; i < a->npassed; i++)
			kt_facts_add_str(f, nm, a->passed_to[i], KT_ORIGIN_SOURCE);
		fname(nm, sizeof(nm), s->p, "expr.guards");
		for (size_t i = 0; i < a->nguards; i++)
			kt_facts_add_str(f, nm, a->guards[i], KT_ORIGIN_SOURCE);
		if (a->nguards) {
			fname(nm, sizeof(nm), s->p, "expr.guards_defer");
			kt_facts_set_bool(f, nm, a->guards_defer, KT_ORIGIN_SOURCE);
		}
		if (a->buffer) {
			fname(nm, sizeof(nm), s->p, "expr.buffer");
			kt_facts_set_str(f, nm, a->buffer, KT_ORIGIN_SOURCE);
		}
		if (a->size >= 0) {
			fname(nm, sizeof(nm), s->p, "expr.size");
			kt_facts_set_int(f, nm, a->size, KT_ORIGIN_SOURCE);
		}
		if (a->note)
			kt_src_note(f, s->p, "%s", a->note);
	} else if (s->ex.note) {
		kt_src_note(f, s->p, "%s", s->ex.note);
	}
	if (s->locks != LOCKS_UNKNOWN) {
		struct kt_strbuf sb;

		kt_strbuf_init(&sb);
		fname(nm, sizeof(nm), s->p, "locks.known");
		kt_facts_set_bool(f, nm, true, KT_ORIGIN_SOURCE);
		fname(nm, sizeof(nm), s->p, "locks.complete");
		kt_facts_set_bool(f, nm, s->locks == LOCKS_COMPLETE, KT_ORIGIN_SOURCE);
		for (size_t i = 0; i < s->ls.n; i++) {
			kt_strbuf_reset(&sb);
			kt_strbuf_addf(&sb, "%s (%s)", s->ls.h[i].lock, s->ls.h[i].mode);
			fname(nm, sizeof(nm), s->p, s->ls.h[i].weak ? "locks.weak" : "locks");
			kt_facts_add_str(f, nm, sb.buf, KT_ORIGIN_SOURCE);
			kt_strbuf_reset(&sb);
			kt_strbuf_addf(&sb, "%s (%s) in %s", s->ls.h[i].lock, s->ls.h[i].how,
				       s->ls.h[i].func);
			fname(nm, sizeof(nm), s->p, "locks.evidence");
			kt_facts_add_str(f, nm, sb.buf, KT_ORIGIN_SOURCE);
		}
		kt_strbuf_fini(&sb);
	}
	fname(nm, sizeof(nm), s->p, "context");
	kt_facts_set_str(f, nm, s->context, KT_ORIGIN_SOURCE);
	if (kt_side_located(s)) {
		fname(nm, sizeof(nm), s->p, "src.located");
		kt_facts_set_str(f, nm, kt_side_located(s), KT_ORIGIN_SOURCE);
		if (s->state == SIDE_RELOCATED && s->drift != DRIFT_ELSEWHERE &&
		    s->fr[0].line > 0) {
			fname(nm, sizeof(nm), s->p, "src.shift");
			kt_facts_set_int(f, nm, s->shift, KT_ORIGIN_SOURCE);
		}
	}
	if (s->strategy) {
		fname(nm, sizeof(nm), s->p, "src.strategy");
		kt_facts_set_str(f, nm, s->strategy, KT_ORIGIN_SOURCE);
	}
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
