// SPDX-License-Identifier: Apache-2.0
/*
 * The lock walk along a side's stack: each frame's function read up to its
 * call of the inner frame (found by name when the line moved, or through a
 * helper it now calls), the access's own function up to the access.
 */
#include <stdlib.h>
#include <string.h>

#include "callees.h"
#include "facts.h"
#include "frames.h"
#include "lockwalk.h"
#include "tokens.h"

#define KT_MAX_WALK_FRAMES 32

/* The call to callee (by name) in fn's body: *on_line when one spans line
 * (its name to its closing parenthesis), else the one nearest line; its
 * offset in *at. False when the body names no call to callee. */
bool kt_lockwalk_call_site(struct kt_tu *tu, const struct kt_func *fn, const char *callee,
			   unsigned line, unsigned *at, bool *on_line)
{
	struct kt_toks tk;
	char *base = kt_func_base_name(callee ? callee : "");
	bool ok = false;
	unsigned bd = 0;

	*on_line = false;
	kt_toks_range(tu->tu, fn->file, fn->body_off, fn->end_off, &tk);
	for (size_t i = 0; i + 1 < tk.n && !*on_line; i++) {
		unsigned l0 = tk.t[i].line, l1 = l0, d;
		size_t close;

		if (!kt_toks_call_at(&tk, i) || strcmp(tk.t[i].text, base) != 0)
			continue;
		close = kt_toks_close(&tk, i + 1);
		if (close < tk.n)
			l1 = tk.t[close].line;
		if (l0 <= line && line <= l1) {
			*at = tk.t[i].off;
			*on_line = ok = true;
			break;
		}
		d = l0 > line ? l0 - line : line - l1;
		if (!ok || d < bd) {
			*at = tk.t[i].off;
			bd = d;
			ok = true;
		}
	}
	kt_toks_free(&tk);
	free(base);
	return ok;
}

/* Frame i of a side's stack, and where the walk reads its function up to. */
struct anchor {
	struct kt_source *src;
	struct side *s;
	size_t i;
	const struct kt_frame *f;
	const char *base; /* the frame's function, without suffixes */
	struct kt_facts *facts;
	struct kt_tu *tu;  /* the TU the frame is read in */
	struct kt_func fn; /* its function, read up to at */
	unsigned at;	   /* (the access, or the call to the inner frame) */
	bool via_mid;	   /* the call goes through mid, read up to at_mid */
	struct kt_func mid;
	unsigned at_mid;
};

/* The access frame placed by relocation: its function up to the access. */
static bool at_placement(struct anchor *a)
{
	if (a->i != 0 || a->s->state != SIDE_RELOCATED)
		return false;
	a->tu = a->s->body.tu;
	a->fn = a->s->body.fn;
	a->at = a->s->at;
	return true;
}

/* The function at the frame's line, read up to it; a caller whose call to
 * the inner frame moved inside it, up to that call. */
static bool at_line(struct anchor *a)
{
	const struct kt_frame *f = a->f;
	unsigned cat;
	bool on_line;

	if (!a->tu || f->line <= 0 ||
	    !kt_func_find(a->tu, a->src->src_dir, f->file, (unsigned)f->line, a->base, &a->fn) ||
	    !a->fn.by_name || !kt_line_offset(a->tu->tu, a->fn.file, (unsigned)f->line, &a->at))
		return false;
	if (a->i > 0 && !a->fn.by_tokens &&
	    kt_lockwalk_call_site(a->tu, &a->fn, a->s->fr[a->i - 1].func, (unsigned)f->line, &cat,
				  &on_line) &&
	    !on_line) {
		a->at = cat;
		a->s->walk_moved++;
		kt_src_note(a->facts, a->s->p,
			    "lock walk: the call in %s is not at line %d of this tree; read up to "
			    "its call to the inner frame",
			    a->base, f->line);
	}
	return true;
}

/* A caller whose line drifted, by name: up to its call to the inner frame. */
static bool at_named_call(struct anchor *a)
{
	const struct kt_frame *f = a->f;
	bool on_line;

	if (!a->tu || a->i == 0 ||
	    !kt_func_find_named(a->tu, a->src->src_dir, f->file, a->base, &a->fn) ||
	    !kt_lockwalk_call_site(a->tu, &a->fn, a->s->fr[a->i - 1].func,
				   f->line > 0 ? (unsigned)f->line : 0, &a->at, &on_line))
		return false;
	a->s->walk_moved++;
	if (f->line > 0)
		kt_src_note(a->facts, a->s->p,
			    "lock walk: %s is not at line %d of this tree; read up to its call to "
			    "the inner frame",
			    a->base, f->line);
	else
		kt_src_note(a->facts, a->s->p,
			    "lock walk: %s has no line in the report; read up to its first call to "
			    "the inner frame",
			    a->base);
	return true;
}

/* A caller split since the report's kernel (or a forwarder): the call to
 * the inner frame is in a function it calls. */
static bool through_helper(struct anchor *a)
{
	const char *inner;

	if (!a->tu || a->i == 0 ||
	    !kt_func_find_named(a->tu, a->src->src_dir, a->f->file, a->base, &a->fn) ||
	    a->fn.by_tokens)
		return false;
	inner = a->s->fr[a->i - 1].func;
	if (!kt_callees_via(a->tu, &a->fn, inner, &a->mid, &a->at, &a->at_mid))
		return false;
	a->s->walk_moved++;
	a->via_mid = true;
	kt_src_note(a->facts, a->s->p,
		    "lock walk: %s calls %s through %s in this tree; read up to that call", a->base,
		    inner, a->mid.name);
	return true;
}

/* Where a frame's function is read up to, tried in order. */
static bool (*const anchors[])(struct anchor *a) = {
    at_placement,
    at_line,
    at_named_call,
    through_helper,
};

/* Frame i's function found (a filled in); false, with a note, when none
 * of the anchors finds it. */
static bool anchor_frame(struct anchor *a, const char *const full_rels[2])
{
	a->tu = kt_frames_tu_for(a->src, a->s, a->i, full_rels);
	for (size_t k = 0; k < sizeof(anchors) / sizeof(anchors[0]); k++)
		if (anchors[k](a))
			return true;
	kt_src_note(a->facts, a->s->p,
		    "lock walk: function %s not found at %s:%d; its locks are unknown", a->base,
		    a->f->file, a->f->line);
	return false;
}

/* Add the locks frame a's function holds up to its anchor (and, for the
 * access's own frame, those its helpers take before the access). */
static void walk_frame(struct anchor *a, const char *const full_rels[2],
		       struct kt_lockset *released)
{
	struct kt_source *src = a->src;
	struct side *s = a->s;
	/* the access's translation unit, read whole, for the walks */
	struct kt_tu *full =
	    full_rels[0] ? kt_tu_get(src->cache, s->tu_rel ? s->tu_rel : full_rels[0], true) : NULL;
	size_t from = s->ls.n;

	kt_lockset_walk(&src->tables, a->tu, &a->fn, a->at, full, &s->ls);
	if (a->via_mid)
		kt_lockset_walk(&src->tables, a->tu, &a->mid, a->at_mid, full, &s->ls);
	/* an access in a helper: the locks the helper takes before it */
	for (int v = 0; a->i == 0 && s->state == SIDE_RELOCATED && v < s->via.n; v++)
		kt_lockset_walk(&src->tables, a->tu, &s->via.fn[v], s->via.at[v], full, &s->ls);
	/* what an inner frame released after this frame's call is not held
	 * at the access; this frame's own releases of its callers' locks
	 * count for the frames further out */
	kt_lockset_cancel(&s->ls, from, released);
	kt_lockset_move_released(released, &s->ls);
}

void kt_lockwalk_stack(struct kt_source *src, struct side *s, const char *const full_rels[2],
		       struct kt_facts *facts)
{
	bool first = false, all = true;
	struct kt_lockset released = {0};

	for (size_t i = 0; i < s->n && i < KT_MAX_WALK_FRAMES; i++) {
		const struct kt_frame *f = &s->fr[i];
		char *base = kt_func_base_name(f->func ? f->func : "");
		struct anchor a = {
		    .src = src, .s = s, .i = i, .f = f, .base = base, .facts = facts};

		if (kt_tables_in(src->tables.entry, src->tables.nentry, base)) {
			free(base);
			break;
		}
		/* a frame without a line is read by name: the access's own
		 * frame where it was placed, a caller up to its first call to
		 * the inner frame */
		if (!f->file || (f->line <= 0 && i == 0 && s->state != SIDE_RELOCATED) ||
		    !anchor_frame(&a, full_rels)) {
			free(base);
			all = false;
			continue;
		}
		walk_frame(&a, full_rels, &released);
		free(base);
		if (i == 0)
			first = true;
	}
	kt_lockset_fini(&released);
	/* known: the access's own function was read; complete: every frame */
	s->locks = !first ? LOCKS_UNKNOWN : all ? LOCKS_COMPLETE : LOCKS_PARTIAL;
}
