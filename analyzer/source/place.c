// SPDX-License-Identifier: Apache-2.0
/*
 * Placing a side's access at its reported line: the frame's function in the
 * translation unit compiled for it (at the line; else by name, through the
 * locators below in order; else at the line in the file read alone), and
 * the access expression there. A function found by name away from its line
 * leaves the side drifted, for relocate.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clang.h"
#include "facts.h"
#include "frames.h"
#include "place.h"
#include "relation.h"

/* The search for a frame's function that is not at its reported line. */
struct locate {
	struct kt_source *src;
	struct side *s;
	const struct kt_frame *f0;
	struct kt_tu *tu; /* the translation unit compiled for the frame */
	struct kt_tu *lt; /* the frame's file read alone, or NULL */
	struct kt_facts *facts;
	bool quiet;
};

/* The side's function found by name in tu: the body to search. */
static void drifted(struct side *s, struct kt_tu *tu, const struct kt_func *fn,
		    enum side_drift drift)
{
	s->drift = drift;
	s->body.tu = tu;
	s->body.fn = *fn;
}

/* By name (with types) elsewhere in the file, in tu. */
static bool named_in(struct locate *lc, struct kt_tu *tu)
{
	struct kt_func fn;

	if (!tu || !kt_func_find_named(tu, lc->src->src_dir, lc->f0->file, lc->f0->func, &fn) ||
	    fn.by_tokens)
		return false;
	drifted(lc->s, tu, &fn, DRIFT_IN_FILE);
	return true;
}

/* In its file, by name: the compiled TU's types when it has them. */
static bool by_name(struct locate *lc)
{
	return named_in(lc, lc->tu);
}

/* In its file, by name, in the file read alone. */
static bool by_name_light(struct locate *lc)
{
	return named_in(lc, lc->lt);
}

/* In the one other file of its directory that defines it (moved there). */
static bool in_directory(struct locate *lc)
{
	const struct kt_frame *f0 = lc->f0;
	char *mrel = kt_frames_moved_function(lc->src, f0->file, f0->func);
	struct kt_tu *mt = mrel ? kt_tu_get(lc->src->cache, mrel, true) : NULL;
	struct kt_func fn;
	bool ok =
	    mt && kt_func_find_named(mt, lc->src->src_dir, mrel, f0->func, &fn) && !fn.by_tokens;

	if (ok) {
		drifted(lc->s, mt, &fn, DRIFT_ELSEWHERE);
		if (!lc->quiet)
			kt_src_note(lc->facts, lc->s->p,
				    "function %s is not in %s: the one file of its directory "
				    "defining it, %s, is read",
				    f0->func, f0->file, mrel);
	}
	free(mrel);
	return ok;
}

/*
 * A function gone from its file may now be an inline of a header the file
 * includes (a function turned into a wrapper of its new name, or moved
 * out to be shared): the definition the file's own translation unit
 * sees, when it is in a header of the tree.
 */
static bool in_header(struct locate *lc)
{
	const struct kt_frame *f0 = lc->f0;
	const char *src_dir = lc->src->src_dir;
	char *base = kt_func_base_name(f0->func);
	char *path;
	size_t dl = strlen(src_dir);
	CXCursor c;
	struct kt_func fn;
	bool ok;

	ok = kt_tu_lookup(lc->tu, CXCursor_FunctionDecl, base, &c) && kt_func_from_cursor(c, &fn);
	free(base);
	if (!ok)
		return false;
	path = kt_cx_str(clang_getFileName(fn.file));
	ok = path && strncmp(path, src_dir, dl) == 0 && path[dl] == '/' &&
	     kt_frames_is_header(path + dl + 1) && strcmp(path + dl + 1, f0->file) != 0;
	if (ok) {
		drifted(lc->s, lc->tu, &fn, DRIFT_ELSEWHERE);
		if (!lc->quiet)
			kt_src_note(lc->facts, lc->s->p,
				    "function %s is not in %s: the definition its translation unit "
				    "includes, in %s, is read",
				    f0->func, f0->file, path + dl + 1);
	}
	free(path);
	return ok;
}

/* Where a function not at its reported line is looked for, in order: the
 * first that finds it gives the body its access is searched in. */
static const struct {
	const char *name;
	bool (*find)(struct locate *lc);
} locators[] = {
    {"name", by_name},		   /* elsewhere in its file, with types */
    {"name-light", by_name_light}, /* elsewhere in its file read alone */
    {"directory", in_directory},   /* moved to another file of its directory */
    {"header", in_header},	   /* moved to a header its file includes */
};

/* A placed function that only forwards to another (an old name kept as a
 * wrapper) has its code in the function it calls: follow such calls, at
 * most 4. */
static void unwrap_forwarders(struct side *s, struct kt_facts *facts, bool quiet)
{
	struct kt_func next;

	for (int i = 0; i < 4 && kt_func_forwarded(&s->body.fn, &next); i++) {
		if (!quiet)
			kt_src_note(facts, s->p, "%s only calls %s: its body is read instead",
				    s->body.fn.name, next.name);
		s->body.fn = next;
	}
}

/*
 * The frame's function is not at its reported line in the compiled TU (or
 * the frame has no line): look for it by name (drifted: false, the side is
 * left for relocation), else at its line in the file read alone: true,
 * with that function and TU.
 */
static bool locate_elsewhere(struct locate *lc, struct kt_func *fn, struct kt_tu **tu)
{
	struct side *s = lc->s;
	const struct kt_frame *f0 = lc->f0;

	lc->lt = kt_tu_get(lc->src->cache, f0->file, false);
	for (size_t k = 0; k < sizeof(locators) / sizeof(locators[0]); k++)
		if (locators[k].find(lc))
			break;
	if (s->drift)
		unwrap_forwarders(s, lc->facts, lc->quiet);
	if (s->drift || f0->line <= 0 || !lc->lt ||
	    !kt_func_find(lc->lt, lc->src->src_dir, f0->file, (unsigned)f0->line, f0->func, fn) ||
	    !fn->by_name) {
		if (lc->quiet)
			return false;
		if (!s->drift)
			kt_src_note(lc->facts, s->p,
				    "function %s is not found by name in %s of this tree nor in "
				    "another file of its directory: renamed or removed since the "
				    "report's kernel, or under a configuration option",
				    kt_src_nz(f0->func), f0->file);
		else if (f0->line > 0)
			kt_src_note(lc->facts, s->p,
				    "function %s not found at %s:%d: the source differs from the "
				    "report's kernel",
				    kt_src_nz(f0->func), f0->file, f0->line);
		return false;
	}
	if (!lc->quiet)
		kt_src_note(lc->facts, s->p,
			    "function %s not found at %s with the compile flags; token-level "
			    "reading of the file",
			    kt_src_nz(f0->func), f0->file);
	*tu = lc->lt;
	return true;
}

/* The translation unit compiled for the side's access frame; NULL (with a
 * note) when there is none to read. */
static struct kt_tu *access_tu(struct kt_source *src, struct side *s, struct kt_facts *facts,
			       bool quiet)
{
	const struct kt_frame *f0 = &s->fr[0];
	const char *rel = kt_frames_tu_of(src, s, 0);
	struct kt_tu *tu;

	if (!f0->file) {
		if (!quiet)
			kt_src_note(facts, s->p, "the access frame has no file:line");
		return NULL;
	}
	if (!rel) {
		if (!quiet)
			kt_src_note(facts, s->p,
				    "%s is inlined into %s, which has no file:line in the report: "
				    "the translation unit to read the access in is unknown",
				    kt_src_nz(f0->func), kt_src_nz(kt_frames_compiled(s, 0)->func));
		return NULL;
	}
	tu = kt_tu_get(src->cache, rel, true);
	if (!tu) {
		struct kt_error *err = quiet ? NULL : kt_clang_load();

		if (err)
			kt_src_note(facts, s->p, "%s: not parsed: %s", rel, err->msg);
		else if (!quiet)
			kt_src_note(facts, s->p, "%s: not in the source tree", rel);
		kt_error_free(err);
		return NULL;
	}
	if (kt_compdb_problem(src->db) && !quiet)
		kt_src_note(facts, s->p, "%s: %s; %s parsed with flags derived from the tree",
			    kt_compdb_file(src->db), kt_compdb_problem(src->db), rel);
	if (tu->errors && !quiet)
		kt_src_note(facts, s->p,
			    "%s did not parse cleanly (%s); reading what libclang recovered, "
			    "tokens where types are missing",
			    rel, kt_src_nz(tu->first_error));
	return tu;
}

/* The access on the side's line of fn, chosen as q says (what the
 * binary stage found at the address helps). */
static void find_on_line(struct kt_source *src, struct side *s, struct kt_tu *tu,
			 const struct kt_func *fn, const char *prefer, int pick,
			 struct kt_facts *facts)
{
	struct kt_access_query q = {0};

	q.func = s->fr[0].func;
	q.line = (unsigned)s->fr[0].line;
	q.want_write = kt_access_is_write(s->acc);
	q.want_rmw = s->acc->op == KT_OP_READ_WRITE;
	q.size = (long long)s->acc->size;
	q.prefer = prefer;
	q.pick = pick;
	q.global = kt_src_side_str(facts, s->p, "obj.name");
	q.member = kt_src_side_str(facts, s->p, "obj.member");
	{
		const char *kind = kt_src_side_str(facts, s->p, "obj.kind");

		q.not_global = kind && strcmp(kind, "global") != 0 && strcmp(kind, "image") != 0 &&
			       strcmp(kind, "percpu") != 0;
	}
	kt_access_find(&src->tables, tu, fn, &q, &s->ex);
}

/* A helper working on its parameter: name the caller's object when the
 * caller passed &x->member (inline or not, when the caller is in this TU). */
static void caller_object(struct kt_source *src, struct side *s, struct kt_tu *tu)
{
	struct kt_func cf;

	if (!s->ex.found || s->ex.param_index < 0 || s->n < 2 || !s->fr[1].file ||
	    s->fr[1].line <= 0)
		return;
	if (kt_func_find(tu, src->src_dir, s->fr[1].file, (unsigned)s->fr[1].line, s->fr[1].func,
			 &cf))
		kt_access_from_arg(tu, &cf, (unsigned)s->fr[1].line, s->fr[0].func,
				   s->ex.param_index, &s->ex);
}

/* The access at the side's reported line: prefer: the other side's field,
 * pick: the pick-th of equally good candidates; quiet: no notes. */
static void place_at_line(struct kt_source *src, struct side *s, const char *prefer, int pick,
			  struct kt_facts *facts, bool quiet)
{
	const struct kt_frame *f0 = &s->fr[0];
	struct kt_tu *tu;
	struct kt_func fn;
	bool light = false;

	kt_access_info_fini(&s->ex);
	tu = access_tu(src, s, facts, quiet);
	if (!tu)
		return;
	s->drift = DRIFT_NONE;
	s->line.tu = NULL;
	s->state = SIDE_NOT_FOUND;
	/* no line (none printed, or it belonged to another file): the
	 * function is placed by its name and body alone */
	if (f0->line <= 0 ||
	    !kt_func_find(tu, src->src_dir, f0->file, (unsigned)f0->line, f0->func, &fn) ||
	    !fn.by_name) {
		struct locate lc = {src, s, f0, tu, NULL, facts, quiet};

		if (!locate_elsewhere(&lc, &fn, &tu))
			return;
		light = true;
	}
	s->state = light ? SIDE_TOKENS : SIDE_AT_LINE;
	if (!light && !fn.by_tokens) {
		s->line.tu = tu;
		s->line.fn = fn;
	}
	find_on_line(src, s, tu, &fn, prefer, pick, facts);
	if (!s->ex.found && !light && !fn.by_tokens) {
		/* the function is here but its reported line holds no access
		 * that fits: the line has moved inside the body */
		drifted(s, tu, &fn, DRIFT_IN_FILE);
		s->state = SIDE_NOT_FOUND;
		if (!quiet)
			kt_src_note(facts, s->p,
				    "no access fitting the report at %s:%d in this tree", f0->file,
				    f0->line);
		return;
	}
	if (light && !quiet)
		kt_src_note(facts, s->p, "the access at %s was read without types (token fallback)",
			    f0->file);
	caller_object(src, s, tu);
	if (s->ex.found)
		s->placements++;
}

/* A copy helper among the side's first frames (access.tbl `copy`): the
 * access is the copy, its buffer named by an outer frame. */
static void place_copy(struct kt_source *src, struct side *s)
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
	kt_access_info_fini(&s->ex);
	s->ex.param_index = -1;
	s->ex.rec_off = -1;
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
	kt_side_placed(s, SIDE_COPY);
}

void kt_place_copies(struct kt_placing *pl)
{
	for (size_t i = 0; i < pl->ns; i++)
		if (pl->s[i].n)
			place_copy(pl->src, &pl->s[i]);
}

void kt_place_lines(struct kt_placing *pl)
{
	for (size_t i = 0; i < pl->ns; i++) {
		struct side *s = &pl->s[i];

		if (!s->n)
			kt_src_note(pl->facts, s->p, "no frames");
		else if (s->state != SIDE_COPY)
			place_at_line(pl->src, s, NULL, 0, pl->facts, false);
	}
}

/* Several candidates on a side's line: let the other side's field decide
 * (both sides of a data race). */
void kt_place_prefer_other(struct kt_placing *pl)
{
	struct side *s = pl->s;

	for (size_t i = 0; pl->ns == 2 && i < 2; i++) {
		struct side *x = &s[i], *y = &s[1 - i];
		char *pref;
		int k;

		if (x->state == SIDE_COPY || !x->ex.found || x->ex.ncand < 2 || !y->ex.found ||
		    !y->ex.field || kt_relation_overlaps(x, y))
			continue;
		pref = kt_xstrdup(y->ex.field);
		place_at_line(pl->src, x, pref, 0, pl->facts, true);
		/* equally good candidates (a helper's two parameters): take
		 * the one whose object the other side names */
		for (k = 1; k < 8 && x->ex.found && !kt_relation_overlaps(x, y); k++) {
			int nbest = x->ex.nbest;

			if (k >= nbest)
				break;
			place_at_line(pl->src, x, pref, k, pl->facts, true);
		}
		if (!x->ex.found || !kt_relation_overlaps(x, y))
			place_at_line(pl->src, x, pref, 0, pl->facts, true);
		free(pref);
	}
}
