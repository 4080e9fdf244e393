// SPDX-License-Identifier: Apache-2.0
/*
 * Relocation and pairing: a side whose access is not at its reported line
 * (another kernel version) placed among the accesses of its function's body
 * and of the helpers it calls, by the object the other side touches, the
 * binary stage's member at the address, the one object both sides touch or
 * the reported distance of the two lines; and a placement the other side's
 * accesses do not corroborate replaced.
 */
#include <stdlib.h>
#include <string.h>

#include "callees.h"
#include "facts.h"
#include "relation.h"
#include "relocate.h"

/* Line of a file offset in tu. */
static long off_line(struct kt_tu *tu, CXFile f, unsigned off)
{
	unsigned line = 0;

	clang_getFileLocation(clang_getLocationForOffset(tu->tu, f, off), NULL, &line, NULL, NULL);
	return (long)line;
}

static long labs_l(long v)
{
	return v < 0 ? -v : v;
}

/* Does a field name the binary stage's member or variable at the address? */
static bool fits_binary(const struct kt_access_info *c, const char *global, const char *member)
{
	const char *f = c->field, *m;
	size_t l;

	if (!f)
		return false;
	if (member) {
		m = strstr(f, "::");
		if (!m)
			return false;
		m += 2;
		l = strlen(m);
		return strncmp(member, m, l) == 0 &&
		       (member[l] == 0 || member[l] == '.' || member[l] == '[');
	}
	return global && strcmp(f, global) == 0;
}

/* Place s on candidate k of l (moved out of l), in s->body, for why. */
static void take_candidate(struct side *s, struct kt_cand_list *l, size_t k, const char *why,
			   struct kt_facts *facts)
{
	struct kt_cand *c = &l->v[k];
	long line;

	kt_access_info_fini(&s->ex);
	s->ex = c->a;
	memset(&c->a, 0, sizeof(c->a));
	kt_side_placed(s, SIDE_RELOCATED);
	s->at = c->at;
	s->via = c->via;
	line = off_line(s->body.tu, s->body.fn.file, c->at);
	s->shift = line - s->fr[0].line;
	if (s->fr[0].line > 0)
		kt_src_note(facts, s->p,
			    "the access was found in %s by name and body, %s, at line %ld "
			    "(reported %ld)",
			    s->body.fn.name, why, line, (long)s->fr[0].line);
	else
		kt_src_note(facts, s->p,
			    "the access was found in %s by name and body, %s, at line %ld (no line "
			    "to compare)",
			    s->body.fn.name, why, line);
}

/* Of the candidates of l marked in hit, the one nearest the reported line;
 * l->n when none. */
static size_t nearest(struct side *s, struct kt_cand_list *l, const bool *hit)
{
	size_t best = l->n;
	long bd = 0;

	for (size_t k = 0; k < l->n; k++) {
		long d;

		if (!hit[k])
			continue;
		d = labs_l(off_line(s->body.tu, s->body.fn.file, l->v[k].at) - s->fr[0].line);
		if (best == l->n || d < bd) {
			best = k;
			bd = d;
		}
	}
	return best;
}

/* Count distinct object names: keep the first (*obj takes name), free the
 * others, and add one for each that differs from the first. */
static void tally(char **obj, int *nobj, char *name)
{
	if (!*obj) {
		*obj = name;
		*nobj = 1;
		return;
	}
	if (strcmp(*obj, name) != 0)
		(*nobj)++;
	free(name);
}

/* Both sides were placed in one function of one file of the tree. */
static bool same_body(const struct side *a, const struct side *b)
{
	return a->body.tu && a->body.tu == b->body.tu && a->body.fn.name[0] &&
	       strcmp(a->body.fn.name, b->body.fn.name) == 0 &&
	       a->body.fn.start_off == b->body.fn.start_off;
}

/*
 * Both sides in one function, several objects touched by both: edits
 * elsewhere in the function move both reported lines alike, so the pair of
 * accesses whose distance in the tree equals the reported distance (read
 * at line L, write at L + d) names the object, if exactly one object has
 * such a pair.
 */
static bool pair_by_distance(struct side *s, struct kt_cand_list l[2], struct kt_facts *facts)
{
	static const char why[] =
	    "the one object both sides touch at the reported distance of their lines";
	long want = (long)s[1].fr[0].line - (long)s[0].fr[0].line;
	size_t ka = l[0].n, kb = l[1].n;
	char *obj = NULL;
	int nobj = 0;

	if (s[0].fr[0].line <= 0 || s[1].fr[0].line <= 0)
		return false; /* a side without a line: no distance */
	for (size_t a = 0; a < l[0].n; a++)
		for (size_t b = 0; b < l[1].n; b++) {
			char *name;
			long d;

			if (!kt_relation_overlap(&l[0].v[a].a, &l[1].v[b].a, false, &name))
				continue;
			d = off_line(s[1].body.tu, s[1].body.fn.file, l[1].v[b].at) -
			    off_line(s[0].body.tu, s[0].body.fn.file, l[0].v[a].at);
			if (d != want) {
				free(name);
				continue;
			}
			if (!obj) {
				ka = a;
				kb = b;
			}
			tally(&obj, &nobj, name);
		}
	free(obj);
	if (nobj != 1)
		return false;
	take_candidate(&s[0], &l[0], ka, why, facts);
	take_candidate(&s[1], &l[1], kb, why, facts);
	return true;
}

/*
 * The objects both sides' candidates touch: the number of distinct ones,
 * the first one's name in *obj (the caller frees it), and in h0/h1 (when
 * given) the candidates that share one. With own[i], side i's candidates
 * in a helper its function calls are left out.
 */
static int shared_objects(const struct kt_cand_list l[2], const bool own[2], bool *h0, bool *h1,
			  char **obj)
{
	int nobj = 0;

	*obj = NULL;
	for (size_t a = 0; a < l[0].n; a++) {
		if (own[0] && l[0].v[a].via.n)
			continue;
		for (size_t b = 0; b < l[1].n; b++) {
			char *name;

			if (own[1] && l[1].v[b].via.n)
				continue;
			if (!kt_relation_overlap(&l[0].v[a].a, &l[1].v[b].a, false, &name))
				continue;
			if (h0)
				h0[a] = true;
			if (h1)
				h1[b] = true;
			tally(obj, &nobj, name);
		}
	}
	return nobj;
}

/* The one object both sides' candidates touch, with own as in
 * shared_objects(): both placed on their nearest access to it. Returns the
 * number of such objects; *placed: both were placed. */
static int pair_on_shared(struct side *s, struct kt_cand_list l[2], const bool own[2],
			  const char *why, struct kt_facts *facts, bool *placed)
{
	bool *h0 = kt_xcalloc(l[0].n + 1, sizeof(bool)), *h1 = kt_xcalloc(l[1].n + 1, sizeof(bool));
	char *obj;
	int nobj = shared_objects(l, own, h0, h1, &obj);

	*placed = false;
	if (nobj == 1) {
		size_t k0 = nearest(&s[0], &l[0], h0), k1 = nearest(&s[1], &l[1], h1);

		if (k0 < l[0].n && k1 < l[1].n) {
			take_candidate(&s[0], &l[0], k0, why, facts);
			take_candidate(&s[1], &l[1], k1, why, facts);
			*placed = true;
		}
	}
	free(obj);
	free(h0);
	free(h1);
	return nobj;
}

/*
 * Several objects both sides touch, and no line distance to choose: the
 * report names the function each access is in (a symbolized report prints
 * every inline helper as a frame of its own), so an access written in that
 * function's own body is a better fit than one in a helper it calls. Try
 * own-body candidates on both sides, then on one side: the first
 * restriction that leaves exactly one shared object places both.
 */
static bool pair_by_own_body(struct side *s, struct kt_cand_list l[2], struct kt_facts *facts)
{
	static const bool need[3][2] = {{true, true}, {true, false}, {false, true}};

	for (int r = 0; r < 3; r++) {
		const char *why = r == 0 ? "the one object both functions touch in their own "
					   "bodies (not in a helper)"
					 : "the one object both sides touch with the access in its "
					   "reported function's own body";
		bool ok;

		if (pair_on_shared(s, l, need[r], why, facts, &ok) == 1)
			return ok;
	}
	return false;
}

/* Both sides' candidates: the one object they share, the nearest access to
 * it on each side; with several, in one function, the pair at the reported
 * distance of the lines, else the own-body restriction. say: notes on
 * failure. */
static bool pair_match(struct side *s, struct kt_cand_list l[2], struct kt_facts *facts, bool say)
{
	static const bool any[2] = {false, false};
	bool ok;
	int nobj = pair_on_shared(s, l, any, "the one object both sides touch", facts, &ok);

	if (nobj == 1)
		return ok;
	if (nobj > 1 && same_body(&s[0], &s[1])) {
		ok = pair_by_distance(s, l, facts) || pair_by_own_body(s, l, facts);
		if (!ok && say)
			kt_src_note(
			    facts, NULL,
			    "the source differs from the report's kernel and %d objects "
			    "both sides touch fit the report, none at the reported distance "
			    "of the two lines: none chosen",
			    nobj);
	} else if (nobj > 1 && pair_by_own_body(s, l, facts)) {
		ok = true;
	} else if (nobj > 1 && say) {
		kt_src_note(facts, NULL,
			    "the source differs from the report's kernel and %d objects both sides "
			    "touch fit the report: none chosen",
			    nobj);
	} else if (say) {
		kt_src_note(facts, NULL,
			    "both functions were found by name but no object both touch fits the "
			    "report (%zu and %zu candidates)",
			    l[0].n, l[1].n);
	}
	return ok;
}

/* A drifted side not placed yet. */
static bool unplaced(const struct side *s)
{
	return s->drift != DRIFT_NONE && s->state != SIDE_RELOCATED && !s->ex.found;
}

/* Mark x's candidates l that fit: the other side's object when y has one,
 * else the binary stage's member at the address, else any; *why says
 * which. Returns the number of distinct objects marked. */
static int mark_fits(struct side *x, const struct side *y, struct kt_cand_list *l, bool *hit,
		     const char **why, struct kt_facts *facts)
{
	char *obj = NULL;
	int nobj = 0;

	if (y && y->ex.found && y->ex.field) {
		/* the member the other side touches */
		for (size_t k = 0; k < l->n; k++) {
			char *name;

			if (!kt_relation_overlap(&l->v[k].a, &y->ex,
						 x->state == SIDE_COPY && y->state == SIDE_COPY,
						 &name))
				continue;
			hit[k] = true;
			tally(&obj, &nobj, name);
		}
		*why = "the object the other side touches";
	} else {
		/* the binary stage's member at the address, else the only
		 * access that fits */
		const char *g = kt_src_side_str(facts, x->p, "obj.name");
		const char *m = kt_src_side_str(facts, x->p, "obj.member");

		for (size_t k = 0; k < l->n; k++) {
			if ((g || m) && !fits_binary(&l->v[k].a, g, m))
				continue;
			hit[k] = true;
			tally(&obj, &nobj, kt_xstrdup(l->v[k].a.field));
		}
		*why = g || m ? "the member at the report's address"
			      : "the only access of the body that fits the report";
	}
	free(obj);
	return nobj;
}

/* Place drifted side x among its candidates l by what fits (mark_fits()). */
static void match_side(struct side *x, const struct side *y, struct kt_cand_list *l,
		       struct kt_facts *facts)
{
	bool *hit = kt_xcalloc(l->n + 1, sizeof(bool));
	const char *why = NULL;
	int nobj = mark_fits(x, y, l, hit, &why, facts);

	if (nobj == 1) {
		size_t k = nearest(x, l, hit);

		if (k < l->n)
			take_candidate(x, l, k, why, facts);
	} else if (nobj > 1) {
		kt_src_note(facts, x->p,
			    "the function was found by name but %d accesses of its body fit the "
			    "report: none chosen",
			    nobj);
	} else {
		kt_src_note(facts, x->p,
			    "the function was found by name but no access of its body fits the "
			    "report (%zu fit its direction and size)",
			    l->n);
	}
	free(hit);
}

/* Place the drifted sides among their candidates l: both unplaced, by the
 * object both touch; else each by what fits. */
static void match_sides(struct side *s, size_t ns, struct kt_cand_list l[2], struct kt_facts *facts)
{
	if (ns == 2 && unplaced(&s[0]) && unplaced(&s[1])) {
		pair_match(s, l, facts, true);
		return;
	}
	for (size_t i = 0; i < ns; i++)
		if (unplaced(&s[i]))
			match_side(&s[i], ns == 2 ? &s[1 - i] : NULL, &l[i], facts);
}

/* The query for every access of a side's body: its direction and size. */
static struct kt_access_query body_query(const struct side *s, bool param_derefs)
{
	struct kt_access_query q = {0};

	q.want_write = kt_access_is_write(s->acc);
	q.size = (long long)s->acc->size;
	q.param_derefs = param_derefs;
	return q;
}

/*
 * A side whose access is not on its reported line in this tree (another
 * kernel version), while its function is in the file: among the accesses of
 * that function's body fitting the report's direction and size, the one
 * object both sides touch (the other side's found access, or its own fitting
 * ones), if there is exactly one; with nothing from the other side, the one
 * object fitting the binary stage's member at the address, or the only
 * candidate. Of several accesses to that object, the nearest to the
 * reported line.
 */
void kt_reloc_body(struct kt_placing *pl)
{
	struct side *s = pl->s;

	for (size_t i = 0; i < pl->ns; i++) {
		struct kt_access_query q = body_query(&s[i], false);

		if (s[i].drift == DRIFT_NONE || s[i].ex.found)
			continue;
		kt_access_all(&pl->src->tables, s[i].body.tu, &s[i].body.fn, &q, &pl->body[i]);
		pl->searched = true;
	}
	if (pl->searched)
		match_sides(s, pl->ns, pl->body, pl->facts);
}

/* Nothing placed by "body": the access may be in an inline helper the
 * function calls (reports without inline frames): its accesses join the
 * body's. */
void kt_reloc_callees(struct kt_placing *pl)
{
	struct side *s = pl->s;
	bool any = false;

	if (!pl->searched)
		return;
	for (size_t i = 0; i < pl->ns; i++) {
		struct kt_access_query q = body_query(&s[i], false);

		if (!unplaced(&s[i]) || !s[i].body.tu || s[i].body.fn.by_tokens)
			continue;
		kt_callees_accesses(&pl->src->tables, s[i].body.tu, &s[i].body.fn, &q,
				    &pl->body[i]);
		any = true;
	}
	if (any)
		match_sides(s, pl->ns, pl->body, pl->facts);
}

/* Both sides placed, on one object. */
static bool pair_agrees(const struct side *x, const struct side *y)
{
	char *n = NULL;
	bool r = x->ex.found && y->ex.found && kt_relation_same(x, y, &n);

	free(n);
	return r;
}

/* The function a side is read in (placed in, else found at its line);
 * false without one parsed with types. */
static bool side_body(const struct side *x, struct side_fn *out)
{
	if (x->drift != DRIFT_NONE && x->body.tu && !x->body.fn.by_tokens && x->body.fn.name[0]) {
		*out = x->body;
		return true;
	}
	if (x->line.tu && !x->line.fn.by_tokens) {
		*out = x->line;
		return true;
	}
	return false;
}

/* Drop the candidates that do not name the binary stage's member or
 * variable at the address (when it named one). */
static void keep_binary_fits(struct side *x, struct kt_cand_list *l, struct kt_facts *facts)
{
	const char *g = kt_src_side_str(facts, x->p, "obj.name"),
		   *m = kt_src_side_str(facts, x->p, "obj.member");
	size_t j = 0;

	if (!g && !m)
		return;
	for (size_t k = 0; k < l->n; k++) {
		if (!fits_binary(&l->v[k].a, g, m)) {
			kt_access_info_fini(&l->v[k].a);
			continue;
		}
		l->v[j++] = l->v[k];
	}
	l->n = j;
}

/* Does x's placed access fit its report's direction and name an object
 * among the other side's candidates l? */
static bool corroborated(const struct side *x, const struct kt_cand_list *l)
{
	if (!x->ex.found || x->ex.write != kt_access_is_write(x->acc))
		return false;
	for (size_t k = 0; k < l->n; k++) {
		char *name;

		if (kt_relation_overlap(&x->ex, &l->v[k].a, false, &name)) {
			free(name);
			return true;
		}
	}
	return false;
}

/* The corroborated side x is kept; y placed on x's object among its
 * candidates ly. */
static bool keep_corroborated(struct side *x, struct side *y, struct kt_cand_list *ly,
			      struct kt_facts *facts)
{
	bool *hit = kt_xcalloc(ly->n + 1, sizeof(bool));
	size_t k;

	for (k = 0; k < ly->n; k++) {
		char *name;

		hit[k] = kt_relation_overlap(&ly->v[k].a, &x->ex, false, &name);
		free(name);
	}
	k = nearest(y, ly, hit);
	free(hit);
	if (k >= ly->n)
		return false;
	take_candidate(y, ly, k, "the object the other side touches", facts);
	kt_src_note(facts, x->p,
		    "%s is what the other side's function touches: kept, the other side placed "
		    "on it",
		    kt_src_nz(x->ex.text));
	return true;
}

/* What a side's placement was before corroboration. */
struct was {
	char *text; /* the placed expression, or NULL */
	unsigned placements;
	bool dir; /* it fitted the report's direction */
};

/* The notes of a corroboration: each replaced placement, or why none was
 * made. */
static void corroboration_notes(struct side *s, const struct was was[2], bool ok, const char *why,
				int nobj, struct kt_facts *facts)
{
	for (int i = 0; ok && i < 2; i++) {
		if (!was[i].text || s[i].placements == was[i].placements)
			continue;
		kt_src_note(facts, s[i].p, "the first placement, %s, %s: replaced by %s",
			    was[i].text,
			    was[i].dir ? "is not what the other side's accesses touch"
				       : "does not fit the report's direction",
			    why);
	}
	if (!ok && nobj > 1 && (was[0].text || was[1].text))
		kt_src_note(facts, NULL,
			    "the two sides disagree and %d objects both sides' functions touch fit "
			    "the report: none chosen",
			    nobj);
}

/*
 * The two sides still disagree (one not found, or two objects) and at least
 * one is not at its reported line in this tree: a placement the other side's
 * accesses do not corroborate may be something else that happens to sit on
 * its line. Each side's candidates are every access fitting its direction
 * and size in its function's body (with *p of a parameter) and in the
 * helpers it calls; a side whose placement the other's candidates name is
 * kept and the other placed on its object; with none such, the one object
 * both candidate sets name (several: the pair at the reported distance of
 * the lines, in one function) places both. Otherwise nothing changes.
 */
void kt_reloc_corroborate(struct kt_placing *pl)
{
	static const bool any[2] = {false, false};
	struct side *s = pl->s;
	struct kt_cand_list l[2] = {{0}};
	struct side_fn body[2];
	struct was was[2];
	bool cor[2], ok = false;
	char *obj = NULL;
	const char *why = NULL;
	int nobj;

	if (pl->ns != 2 || (s[0].drift == DRIFT_NONE && s[1].drift == DRIFT_NONE) ||
	    s[0].state == SIDE_COPY || s[1].state == SIDE_COPY || pair_agrees(&s[0], &s[1]) ||
	    !side_body(&s[0], &body[0]) || !side_body(&s[1], &body[1]))
		return;
	for (int i = 0; i < 2; i++) {
		struct kt_access_query q = body_query(&s[i], true);

		kt_access_all(&pl->src->tables, body[i].tu, &body[i].fn, &q, &l[i]);
		kt_callees_accesses(&pl->src->tables, body[i].tu, &body[i].fn, &q, &l[i]);
		keep_binary_fits(&s[i], &l[i], pl->facts);
	}
	nobj = shared_objects(l, any, NULL, NULL, &obj);
	free(obj);
	cor[0] = corroborated(&s[0], &l[1]);
	cor[1] = corroborated(&s[1], &l[0]);
	for (int i = 0; i < 2; i++) {
		s[i].body = body[i];
		was[i].text = s[i].ex.found && s[i].ex.text ? kt_xstrdup(s[i].ex.text) : NULL;
		was[i].placements = s[i].placements;
		was[i].dir = s[i].ex.found && s[i].ex.write == kt_access_is_write(s[i].acc);
	}
	if (cor[0] != cor[1]) {
		/* keep the corroborated one, the other on its object */
		ok = keep_corroborated(&s[cor[0] ? 0 : 1], &s[cor[0] ? 1 : 0], &l[cor[0] ? 1 : 0],
				       pl->facts);
		why = "the object of the other side's placement";
	} else if (!cor[0] && nobj >= 1) {
		ok = pair_match(s, l, pl->facts, false);
		why = "the one object both sides' functions touch";
	}
	corroboration_notes(s, was, ok, why, nobj, pl->facts);
	for (int i = 0; i < 2; i++) {
		free(was[i].text);
		kt_cand_list_fini(&l[i]);
	}
}
