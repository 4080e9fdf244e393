// SPDX-License-Identifier: Apache-2.0
/*
 * Placing a side's access at its reported line: the frame's function in the
 * translation unit compiled for it (at the line, else by name in the file,
 * in another file of its directory or in a header it includes, else at the
 * line in the file read alone), and the access expression there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "frames.h"
#include "place.h"
#include "relation.h"

/*
 * A function gone from its file may now be an inline of a header the file
 * includes (a function turned into a wrapper of its new name, or moved
 * out to be shared): the definition the file's own translation unit
 * sees, when it is in a header of the tree.
 */
static void header_function(struct kt_source *src, struct side *s, struct kt_tu *tu,
			    const struct kt_frame *f0, struct kt_facts *facts, bool quiet)
{
	char *base = kt_func_base_name(f0->func);
	char *path;
	size_t dl = strlen(src->src_dir);
	CXCursor c;
	struct kt_func fn;

	if (!kt_tu_lookup(tu, CXCursor_FunctionDecl, base, &c) || !kt_func_from_cursor(c, &fn)) {
		free(base);
		return;
	}
	free(base);
	path = kt_cx_str(clang_getFileName(fn.file));
	if (path && strncmp(path, src->src_dir, dl) == 0 && path[dl] == '/' &&
	    kt_frames_is_header(path + dl + 1) && strcmp(path + dl + 1, f0->file) != 0) {
		s->drift = true;
		s->drift_tu = tu;
		s->drift_fn = fn;
		s->drift_elsewhere = true;
		if (!quiet)
			kt_src_note(facts, s->p,
				    "function %s is not in %s: the definition its translation unit "
				    "includes, in %s, is read",
				    f0->func, f0->file, path + dl + 1);
	}
	free(path);
}

/* A placed function that only forwards to another (an old name kept as a
 * wrapper) has its code in the function it calls: follow such calls, at
 * most 4. */
static void unwrap_forwarders(struct side *s, struct kt_facts *facts, bool quiet)
{
	struct kt_func next;

	for (int i = 0; i < 4 && kt_func_forwarded(&s->drift_fn, &next); i++) {
		if (!quiet)
			kt_src_note(facts, s->p, "%s only calls %s: its body is read instead",
				    s->drift_fn.name, next.name);
		s->drift_fn = next;
	}
}

void kt_place_at_line(struct kt_source *src, struct side *s, const char *prefer, int pick,
		      struct kt_facts *facts, bool quiet)
{
	const struct kt_frame *f0 = &s->fr[0];
	const char *rel = kt_frames_tu_of(src, s, 0);
	struct kt_tu *tu;
	struct kt_func fn;
	struct kt_access_query q = {0};
	bool light = false;

	if (s->have_ai)
		kt_access_info_fini(&s->ex);
	s->have_ai = false;
	if (!f0->file) {
		if (!quiet)
			kt_src_note(facts, s->p, "the access frame has no file:line");
		return;
	}
	if (!rel) {
		if (!quiet)
			kt_src_note(
			    facts, s->p,
			    "%s is inlined into %s, which has no file:line in the report: the "
			    "translation unit to read the access in is unknown",
			    kt_src_nz(f0->func), kt_src_nz(kt_frames_compiled(s, 0)->func));
		return;
	}
	tu = kt_tu_get(src->cache, rel, true);
	if (!tu) {
		if (!quiet)
			kt_src_note(facts, s->p, "%s: not in the source tree", rel);
		return;
	}
	if (tu->errors && !quiet)
		kt_src_note(
		    facts, s->p,
		    "%s did not parse cleanly (%s); reading what libclang recovered, tokens where "
		    "types are missing",
		    rel, kt_src_nz(tu->first_error));
	s->drift = false;
	s->line_ok = false;
	s->located = "not-found";
	/* no line (none printed, or it belonged to another file): the
	 * function is placed by its name and body alone */
	if (f0->line <= 0 ||
	    !kt_func_find(tu, src->src_dir, f0->file, (unsigned)f0->line, f0->func, &fn) ||
	    !fn.by_name) {
		struct kt_tu *lt = kt_tu_get(src->cache, f0->file, false);

		/* the function may still be in its file, at other lines: its
		 * definition by name (with types when the full parse has it) */
		if (kt_func_find_named(tu, src->src_dir, f0->file, f0->func, &s->drift_fn) &&
		    !s->drift_fn.by_tokens) {
			s->drift = true;
			s->drift_tu = tu;
		} else if (lt &&
			   kt_func_find_named(lt, src->src_dir, f0->file, f0->func, &s->drift_fn) &&
			   !s->drift_fn.by_tokens) {
			s->drift = true;
			s->drift_tu = lt;
		} else {
			/* moved to another file of its directory */
			char *mrel = kt_frames_moved_function(src, f0->file, f0->func);
			struct kt_tu *mt = mrel ? kt_tu_get(src->cache, mrel, true) : NULL;

			if (mt &&
			    kt_func_find_named(mt, src->src_dir, mrel, f0->func, &s->drift_fn) &&
			    !s->drift_fn.by_tokens) {
				s->drift = true;
				s->drift_tu = mt;
				s->drift_elsewhere = true;
				if (!quiet)
					kt_src_note(facts, s->p,
						    "function %s is not in %s: the one file of its "
						    "directory defining it, %s, is read",
						    f0->func, f0->file, mrel);
			}
			free(mrel);
		}
		if (!s->drift)
			header_function(src, s, tu, f0, facts, quiet);
		if (s->drift)
			unwrap_forwarders(s, facts, quiet);
		if (s->drift || f0->line <= 0 || !lt ||
		    !kt_func_find(lt, src->src_dir, f0->file, (unsigned)f0->line, f0->func, &fn) ||
		    !fn.by_name) {
			if (quiet)
				return;
			if (!s->drift)
				kt_src_note(
				    facts, s->p,
				    "function %s is not found by name in %s of this tree nor in "
				    "another file of its directory: renamed or removed since the "
				    "report's kernel, or under a configuration option",
				    kt_src_nz(f0->func), f0->file);
			else if (f0->line > 0)
				kt_src_note(
				    facts, s->p,
				    "function %s not found at %s:%d: the source differs from the "
				    "report's kernel",
				    kt_src_nz(f0->func), f0->file, f0->line);
			return;
		}
		if (!quiet)
			kt_src_note(
			    facts, s->p,
			    "function %s not found at %s with the compile flags; token-level "
			    "reading of the file",
			    kt_src_nz(f0->func), f0->file);
		tu = lt;
		light = true;
	}
	s->located = light ? "tokens" : "line";
	s->line_ok = !light && !fn.by_tokens;
	s->line_fn = fn;
	s->line_tu = tu;
	q.func = f0->func;
	q.line = (unsigned)f0->line;
	q.want_write = kt_access_is_write(s->acc);
	q.want_rmw = s->acc->op == KT_OP_READ_WRITE;
	q.size = (long long)s->acc->size;
	q.prefer = prefer;
	q.pick = pick;
	{
		char nm[64];
		const struct kt_fact *g, *m;

		snprintf(nm, sizeof(nm), "%s.obj.name", s->p);
		g = kt_facts_get(facts, nm);
		snprintf(nm, sizeof(nm), "%s.obj.member", s->p);
		m = kt_facts_get(facts, nm);
		q.global = g && g->type == KT_FACT_STR ? g->s : NULL;
		q.member = m && m->type == KT_FACT_STR ? m->s : NULL;
	}
	kt_access_find(&src->tables, tu, &fn, &q, &s->ex);
	s->have_ai = true;
	if (!s->ex.found && !light && !fn.by_tokens) {
		/* the function is here but its reported line holds no access
		 * that fits: the line has moved inside the body */
		s->drift = true;
		s->drift_tu = tu;
		s->drift_fn = fn;
		s->located = "not-found";
		if (!quiet)
			kt_src_note(facts, s->p,
				    "no access fitting the report at %s:%d in this tree", f0->file,
				    f0->line);
		return;
	}
	if (light && !quiet)
		kt_src_note(facts, s->p, "the access at %s was read without types (token fallback)",
			    f0->file);
	/* a helper working on its parameter: name the caller's object when the
	 * caller passed &x->member (inline or not, when the caller is in this TU) */
	if (s->ex.found && s->ex.param_index >= 0 && s->n > 1 && s->fr[1].file &&
	    s->fr[1].line > 0) {
		struct kt_func cf;

		if (kt_func_find(tu, src->src_dir, s->fr[1].file, (unsigned)s->fr[1].line,
				 s->fr[1].func, &cf))
			kt_access_from_arg(tu, &cf, (unsigned)s->fr[1].line, f0->func,
					   s->ex.param_index, &s->ex);
	}
}

void kt_place_copy(struct kt_source *src, struct side *s)
{
	const struct kt_copy_entry *c = NULL;
	size_t i;

	for (i = 0; i < s->n && i < 4 && !c; i++) {
		char *b = kt_func_base_name(s->fr[i].func ? s->fr[i].func : "");

		c = kt_tables_copy(&src->tables, "copy", b);
		free(b);
	}
	if (!c)
		return;
	s->is_copy = true;
	memset(&s->ex, 0, sizeof(s->ex));
	s->ex.param_index = -1;
	s->ex.rec_off = -1;
	s->have_ai = true;
	s->ex.found = true;
	s->ex.kind = KT_AK_COPY;
	s->ex.copy_kind = kt_xstrdup(c->kind);
	s->ex.text = kt_xstrdup(s->fr[i - 1].func);
	s->ex.marking = kt_xstrdup("plain");
	s->ex.size = (long long)s->acc->size;
	s->ex.write = kt_access_is_write(s->acc);
	for (size_t j = i; j < s->n; j++) {
		char *b = kt_func_base_name(s->fr[j].func ? s->fr[j].func : "");
		const struct kt_copy_entry *bf = kt_tables_copy(&src->tables, "buffer", b);

		free(b);
		if (bf) {
			s->ex.buffer = kt_xstrdup(bf->kind);
			s->ex.buffer_desc = kt_xstrdup(bf->desc);
			s->ex.field = kt_xstrdup(bf->desc);
			break;
		}
	}
	if (!s->ex.buffer) {
		s->ex.buffer = kt_xstrdup("unknown");
		s->ex.field = kt_xstrdup(c->desc);
	}
}

/* Several candidates on a side's line: let the other side's field decide
 * (both sides of a data race). */
void kt_place_prefer_other(struct kt_source *src, struct side *s, struct kt_facts *facts)
{
	for (size_t i = 0; i < 2; i++) {
		struct side *x = &s[i], *y = &s[1 - i];
		char *pref;
		int k;

		if (x->is_copy || !x->have_ai || !x->ex.found || x->ex.ncand < 2 || !y->have_ai ||
		    !y->ex.found || !y->ex.field || kt_relation_overlaps(x, y))
			continue;
		pref = kt_xstrdup(y->ex.field);
		kt_place_at_line(src, x, pref, 0, facts, true);
		/* equally good candidates (a helper's two parameters): take
		 * the one whose object the other side names */
		for (k = 1; k < 8 && x->have_ai && x->ex.found && !kt_relation_overlaps(x, y);
		     k++) {
			int nbest = x->ex.nbest;

			if (k >= nbest)
				break;
			kt_place_at_line(src, x, pref, k, facts, true);
		}
		if (!x->have_ai || !x->ex.found || !kt_relation_overlaps(x, y))
			kt_place_at_line(src, x, pref, 0, facts, true);
		free(pref);
	}
}
