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

void kt_lockwalk_stack(struct kt_source *src, struct side *s, const char *const full_rels[2],
		       struct kt_facts *facts)
{
	size_t i;
	bool first = false, all = true;

	for (i = 0; i < s->n && i < KT_MAX_WALK_FRAMES; i++) {
		const struct kt_frame *f = &s->fr[i];
		char *base = kt_func_base_name(f->func ? f->func : "");
		bool stop = kt_tables_in(src->tables.entry, src->tables.nentry, base);
		struct kt_tu *tu, *full;
		struct kt_func fn, mid;
		unsigned at, at_mid = 0;
		bool on_line0, via_mid = false;

		if (stop) {
			free(base);
			break;
		}
		/* a frame without a line is read by name: the access's own
		 * frame where it was placed, a caller up to its first call to
		 * the inner frame */
		if (!f->file || (f->line <= 0 && i == 0 && s->state != SIDE_RELOCATED)) {
			free(base);
			all = false;
			continue;
		}
		tu = kt_frames_tu_for(src, s, i, full_rels);
		if (i == 0 && s->state == SIDE_RELOCATED) {
			/* the access was matched elsewhere in its function */
			tu = s->body.tu;
			fn = s->body.fn;
			at = s->at;
			free(base);
		} else if (tu && f->line > 0 &&
			   kt_func_find(tu, src->src_dir, f->file, (unsigned)f->line, base, &fn) &&
			   fn.by_name && kt_line_offset(tu->tu, fn.file, (unsigned)f->line, &at)) {
			unsigned cat;
			bool on_line;

			/* the line is in the function, but the call to the inner
			 * frame may have moved inside it */
			if (i > 0 && !fn.by_tokens &&
			    kt_lockwalk_call_site(tu, &fn, s->fr[i - 1].func, (unsigned)f->line,
						  &cat, &on_line) &&
			    !on_line) {
				at = cat;
				s->walk_moved++;
				kt_src_note(
				    facts, s->p,
				    "lock walk: the call in %s is not at line %d of this tree; "
				    "read up to its call to the inner frame",
				    base, f->line);
			}
			free(base);
		} else if (tu && i > 0 &&
			   kt_func_find_named(tu, src->src_dir, f->file, base, &fn) &&
			   kt_lockwalk_call_site(tu, &fn, s->fr[i - 1].func,
						 f->line > 0 ? (unsigned)f->line : 0, &at,
						 &on_line0)) {
			s->walk_moved++;
			/* the line has drifted: the call to the inner frame anchors the walk */
			if (f->line > 0)
				kt_src_note(
				    facts, s->p,
				    "lock walk: %s is not at line %d of this tree; read up to "
				    "its call to the inner frame",
				    base, f->line);
			else
				kt_src_note(
				    facts, s->p,
				    "lock walk: %s has no line in the report; read up to its "
				    "first call to the inner frame",
				    base);
			free(base);
		} else if (tu && i > 0 &&
			   kt_func_find_named(tu, src->src_dir, f->file, base, &fn) &&
			   !fn.by_tokens &&
			   kt_callees_via(tu, &fn, s->fr[i - 1].func, &mid, &at, &at_mid)) {
			/* split since the report's kernel (or a forwarder): the
			 * call to the inner frame is in a function it calls */
			s->walk_moved++;
			via_mid = true;
			kt_src_note(
			    facts, s->p,
			    "lock walk: %s calls %s through %s in this tree; read up to that call",
			    base, s->fr[i - 1].func, mid.name);
			free(base);
		} else {
			kt_src_note(
			    facts, s->p,
			    "lock walk: function %s not found at %s:%d; its locks are unknown",
			    base, f->file, f->line);
			free(base);
			all = false;
			continue;
		}
		/* the access's translation unit, read whole, for the walks */
		full = full_rels[0]
			   ? kt_tu_get(src->cache, s->tu_rel ? s->tu_rel : full_rels[0], true)
			   : NULL;
		kt_lockset_walk(&src->tables, tu, &fn, at, full, &s->ls);
		if (via_mid)
			kt_lockset_walk(&src->tables, tu, &mid, at_mid, full, &s->ls);
		/* an access in a helper: the locks the helper takes before it */
		for (int v = 0; i == 0 && s->state == SIDE_RELOCATED && v < s->via.n; v++)
			kt_lockset_walk(&src->tables, tu, &s->via.fn[v], s->via.at[v], full,
					&s->ls);
		if (i == 0)
			first = true;
	}
	/* known: the access's own function was read; complete: every frame */
	s->locks = !first ? LOCKS_UNKNOWN : all ? LOCKS_COMPLETE : LOCKS_PARTIAL;
}
