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

static void take_candidate(struct side *s, struct kt_cand_list *l, size_t k, const char *why,
			   struct kt_facts *facts)
{
	long line;

	if (s->have_ai)
		kt_access_info_fini(&s->ex);
	s->ex = l->v[k];
	memset(&l->v[k], 0, sizeof(l->v[k]));
	s->have_ai = true;
	s->taken++;
	s->drift_found = true;
	s->drift_at = l->off[k];
	s->via = k < s->nvias && s->vias[k].n ? &s->vias[k] : NULL;
	s->located = "relocated";
	line = off_line(s->drift_tu, s->drift_fn.file, l->off[k]);
	s->shift = line - s->fr[0].line;
	{
		struct kt_strbuf sb;

		kt_strbuf_init(&sb);
		kt_strbuf_addf(&sb,
			       "%s: the access was found in %s by name and body, %s, at line %ld",
			       s->p, s->drift_fn.name, why, line);
		if (s->fr[0].line > 0)
			kt_strbuf_addf(&sb, " (reported %ld)", (long)s->fr[0].line);
		else
			kt_strbuf_addf(&sb, " (no line to compare)");
		kt_facts_add_str(facts, "note", sb.buf, KT_ORIGIN_SOURCE);
		kt_strbuf_fini(&sb);
	}
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
		d = labs_l(off_line(s->drift_tu, s->drift_fn.file, l->off[k]) - s->fr[0].line);
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
	return a->drift_tu && a->drift_tu == b->drift_tu && a->drift_fn.name[0] &&
	       strcmp(a->drift_fn.name, b->drift_fn.name) == 0 &&
	       a->drift_fn.start_off == b->drift_fn.start_off;
}

/*
 * Both sides in one function, several objects touched by both: edits
 * elsewhere in the function move both reported lines alike, so the pair of
 * accesses whose distance in the tree equals the reported distance (read
 * at line L, write at L + d) names the object, if exactly one object has
 * such a pair.
 */
static bool pair_by_distance(struct side *s, struct kt_cand_list l[2], struct kt_facts *facts,
			     bool say)
{
	long want = (long)s[1].fr[0].line - (long)s[0].fr[0].line;
	size_t ka = l[0].n, kb = l[1].n;
	char *obj = NULL;
	int nobj = 0;

	(void)say;
	if (s[0].fr[0].line <= 0 || s[1].fr[0].line <= 0)
		return false; /* a side without a line: no distance */
	for (size_t a = 0; a < l[0].n; a++)
		for (size_t b = 0; b < l[1].n; b++) {
			char *name;
			long d;

			if (!kt_relation_overlap(&l[0].v[a], &l[1].v[b], false, &name))
				continue;
			d = off_line(s[1].drift_tu, s[1].drift_fn.file, l[1].off[b]) -
			    off_line(s[0].drift_tu, s[0].drift_fn.file, l[0].off[a]);
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
	take_candidate(&s[0], &l[0], ka,
		       "the one object both sides touch at the reported distance of their lines",
		       facts);
	take_candidate(&s[1], &l[1], kb,
		       "the one object both sides touch at the reported distance of their lines",
		       facts);
	return true;
}

/* Candidate k of side s is in the body of the frame's own function, not in
 * a helper it calls (kt_callees_accesses() records a path for those). */
static bool own_body(const struct side *s, size_t k)
{
	return k >= s->nvias || s->vias[k].n == 0;
}

/*
 * The objects both sides' candidates touch: the number of distinct ones,
 * the first one's name in *obj (the caller frees it), and in h0/h1 (when
 * given) the candidates that share one. With own[i], side i's candidates
 * in a helper its function calls are left out.
 */
static int shared_objects(const struct side *s, const struct kt_cand_list l[2], const bool own[2],
			  bool *h0, bool *h1, char **obj)
{
	int nobj = 0;

	*obj = NULL;
	for (size_t a = 0; a < l[0].n; a++) {
		if (own[0] && !own_body(&s[0], a))
			continue;
		for (size_t b = 0; b < l[1].n; b++) {
			char *name;

			if (own[1] && !own_body(&s[1], b))
				continue;
			if (!kt_relation_overlap(&l[0].v[a], &l[1].v[b], false, &name))
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
		bool *h0 = kt_xcalloc(l[0].n + 1, sizeof(bool));
		bool *h1 = kt_xcalloc(l[1].n + 1, sizeof(bool));
		char *obj;
		int nobj = shared_objects(s, l, need[r], h0, h1, &obj);
		bool ok = false;

		if (nobj == 1) {
			size_t k0 = nearest(&s[0], &l[0], h0), k1 = nearest(&s[1], &l[1], h1);

			if (k0 < l[0].n && k1 < l[1].n) {
				const char *why =
				    r == 0 ? "the one object both functions touch in "
					     "their own bodies (not in a helper)"
					   : "the one object both sides touch with the "
					     "access in its reported function's own body";

				take_candidate(&s[0], &l[0], k0, why, facts);
				take_candidate(&s[1], &l[1], k1, why, facts);
				ok = true;
			}
		}
		free(obj);
		free(h0);
		free(h1);
		if (ok || nobj == 1)
			return ok;
	}
	return false;
}

/* Both sides' candidates: the one object they share, the nearest access to
 * it on each side. */
static bool pair_match(struct side *s, struct kt_cand_list l[2], struct kt_facts *facts, bool say)
{
	static const bool any[2] = {false, false};
	bool ok = false;
	char *obj;
	bool *h0 = kt_xcalloc(l[0].n + 1, sizeof(bool)), *h1 = kt_xcalloc(l[1].n + 1, sizeof(bool));
	int nobj = shared_objects(s, l, any, h0, h1, &obj);

	if (nobj == 1) {
		size_t k0 = nearest(&s[0], &l[0], h0), k1 = nearest(&s[1], &l[1], h1);

		if (k0 < l[0].n && k1 < l[1].n) {
			take_candidate(&s[0], &l[0], k0, "the one object both sides touch", facts);
			take_candidate(&s[1], &l[1], k1, "the one object both sides touch", facts);
			ok = true;
		}
	} else if (nobj > 1 && same_body(&s[0], &s[1])) {
		ok = pair_by_distance(s, l, facts, say) || pair_by_own_body(s, l, facts);
		if (!ok && say)
			kt_src_note(
			    facts, NULL,
			    "the source differs from the report's kernel and %d objects both sides "
			    "touch fit the report, none at the reported distance of the two lines: "
			    "none chosen",
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
	free(obj);
	free(h0);
	free(h1);
	return ok;
}

/* Place the drifted sides among their candidates l (see kt_reloc_relocate()). */
static void match_sides(struct side *s, size_t ns, struct kt_cand_list l[2], struct kt_facts *facts)
{
	if (ns == 2 && s[0].drift && s[1].drift && !s[0].drift_found && !s[1].drift_found &&
	    !(s[0].have_ai && s[0].ex.found) && !(s[1].have_ai && s[1].ex.found)) {
		pair_match(s, l, facts, true);
	} else {
		for (size_t i = 0; i < ns; i++) {
			struct side *x = &s[i], *y = ns == 2 ? &s[1 - i] : NULL;
			char *obj = NULL;
			int nobj = 0;
			const char *why = NULL;
			const char *g, *m;
			bool *hit;

			if (!x->drift || x->drift_found || (x->have_ai && x->ex.found))
				continue;
			hit = kt_xcalloc(l[i].n + 1, sizeof(bool));
			if (y && y->have_ai && y->ex.found && y->ex.field) {
				/* the member the other side touches */
				for (size_t k = 0; k < l[i].n; k++) {
					char *name;

					if (!kt_relation_overlap(&l[i].v[k], &y->ex,
								 x->is_copy && y->is_copy, &name))
						continue;
					hit[k] = true;
					tally(&obj, &nobj, name);
				}
				why = "the object the other side touches";
			} else {
				/* the binary stage's member at the address, else the
				 * only access that fits */
				g = kt_src_side_str(facts, x->p, "obj.name");
				m = kt_src_side_str(facts, x->p, "obj.member");
				for (size_t k = 0; k < l[i].n; k++) {
					if ((g || m) && !fits_binary(&l[i].v[k], g, m))
						continue;
					hit[k] = true;
					tally(&obj, &nobj, kt_xstrdup(l[i].v[k].field));
				}
				why = g || m ? "the member at the report's address"
					     : "the only access of the body that fits the report";
			}
			if (nobj == 1) {
				size_t k = nearest(x, &l[i], hit);

				if (k < l[i].n)
					take_candidate(x, &l[i], k, why, facts);
			} else if (nobj > 1) {
				kt_src_note(
				    facts, x->p,
				    "the function was found by name but %d accesses of its body "
				    "fit the report: none chosen",
				    nobj);
			} else {
				kt_src_note(
				    facts, x->p,
				    "the function was found by name but no access of its body "
				    "fits the report (%zu fit its direction and size)",
				    l[i].n);
			}
			free(obj);
			free(hit);
		}
	}
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
void kt_reloc_relocate(struct kt_source *src, struct side *s, size_t ns, struct kt_facts *facts)
{
	struct kt_cand_list l[2];
	bool any = false;

	memset(l, 0, sizeof(l));
	for (size_t i = 0; i < ns; i++) {
		if (!s[i].drift || (s[i].have_ai && s[i].ex.found))
			continue;
		{
			struct kt_access_query q = {0};

			q.want_write = kt_access_is_write(s[i].acc);
			q.size = (long long)s[i].acc->size;
			kt_access_all(&src->tables, s[i].drift_tu, &s[i].drift_fn, &q, &l[i]);
			any = true;
		}
	}
	if (!any)
		return;
	match_sides(s, ns, l, facts);
	/* nothing placed: the access may be in an inline helper the function
	 * calls (reports without inline frames) */
	any = false;
	for (size_t i = 0; i < ns; i++) {
		struct kt_access_query q = {0};

		if (!s[i].drift || s[i].drift_found || (s[i].have_ai && s[i].ex.found) ||
		    !s[i].drift_tu || s[i].drift_fn.by_tokens)
			continue;
		q.want_write = kt_access_is_write(s[i].acc);
		q.size = (long long)s[i].acc->size;
		kt_callees_accesses(src, &s[i], s[i].drift_tu, &s[i].drift_fn, &q, &l[i]);
		any = true;
	}
	if (any)
		match_sides(s, ns, l, facts);
	for (size_t i = 0; i < 2; i++)
		kt_cand_list_fini(&l[i]);
}

/* Both sides placed, on one object. */
static bool pair_agrees(const struct side *x, const struct side *y)
{
	char *n = NULL;
	bool r =
	    x->have_ai && x->ex.found && y->have_ai && y->ex.found && kt_relation_same(x, y, &n);

	free(n);
	return r;
}

/* The function a side is read in (placed in, else found at its line);
 * false without one parsed with types. */
static bool side_body(const struct side *x, struct kt_tu **tu, struct kt_func *fn)
{
	if (x->drift && x->drift_tu && !x->drift_fn.by_tokens && x->drift_fn.name[0]) {
		*tu = x->drift_tu;
		*fn = x->drift_fn;
		return true;
	}
	if (x->line_ok && x->line_tu && !x->line_fn.by_tokens) {
		*tu = x->line_tu;
		*fn = x->line_fn;
		return true;
	}
	return false;
}

/* Drop the candidates that do not name the binary stage's member or
 * variable at the address (when it named one), with their helper paths. */
static void keep_binary_fits(struct side *x, struct kt_cand_list *l, struct kt_facts *facts)
{
	const char *g = kt_src_side_str(facts, x->p, "obj.name"),
		   *m = kt_src_side_str(facts, x->p, "obj.member");
	size_t j = 0;

	if (!g && !m)
		return;
	for (size_t k = 0; k < l->n; k++) {
		if (!fits_binary(&l->v[k], g, m)) {
			kt_access_info_fini(&l->v[k]);
			continue;
		}
		l->v[j] = l->v[k];
		l->off[j] = l->off[k];
		if (j < x->nvias)
			x->vias[j] = k < x->nvias ? x->vias[k] : (struct cand_via){0};
		j++;
	}
	l->n = j;
}

/* Does x's placed access fit its report's direction and name an object
 * among the other side's candidates l? */
static bool corroborated(const struct side *x, const struct kt_cand_list *l)
{
	if (!x->have_ai || !x->ex.found || x->ex.write != kt_access_is_write(x->acc))
		return false;
	for (size_t k = 0; k < l->n; k++) {
		char *name;

		if (kt_relation_overlap(&x->ex, &l->v[k], false, &name)) {
			free(name);
			return true;
		}
	}
	return false;
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
void kt_reloc_corroborate(struct kt_source *src, struct side *s, size_t ns, struct kt_facts *facts)
{
	struct kt_cand_list l[2];
	struct kt_tu *tu[2];
	struct kt_func fn[2];
	struct cand_via *old_vias[2];
	size_t old_nvias[2];
	bool cor[2], ok = false;
	char *obj = NULL, *was[2];
	const char *why = NULL;
	unsigned was_taken[2];
	bool was_dir[2];
	int nobj = 0;

	if (ns != 2 || (!s[0].drift && !s[1].drift) || s[0].is_copy || s[1].is_copy ||
	    pair_agrees(&s[0], &s[1]))
		return;
	for (int i = 0; i < 2; i++)
		if (!side_body(&s[i], &tu[i], &fn[i]))
			return;
	memset(l, 0, sizeof(l));
	for (int i = 0; i < 2; i++) {
		struct kt_access_query q = {0};

		q.want_write = kt_access_is_write(s[i].acc);
		q.size = (long long)s[i].acc->size;
		q.param_derefs = true;
		old_vias[i] = s[i].vias;
		old_nvias[i] = s[i].nvias;
		s[i].vias = NULL;
		s[i].nvias = 0;
		kt_access_all(&src->tables, tu[i], &fn[i], &q, &l[i]);
		kt_callees_accesses(src, &s[i], tu[i], &fn[i], &q, &l[i]);
		keep_binary_fits(&s[i], &l[i], facts);
	}
	{
		static const bool any[2] = {false, false};

		nobj = shared_objects(s, l, any, NULL, NULL, &obj);
	}
	cor[0] = corroborated(&s[0], &l[1]);
	cor[1] = corroborated(&s[1], &l[0]);
	for (int i = 0; i < 2; i++) {
		s[i].drift_tu = tu[i];
		s[i].drift_fn = fn[i];
		was[i] =
		    s[i].have_ai && s[i].ex.found && s[i].ex.text ? kt_xstrdup(s[i].ex.text) : NULL;
		was_taken[i] = s[i].taken;
		was_dir[i] = s[i].have_ai && s[i].ex.write == kt_access_is_write(s[i].acc);
	}
	if (cor[0] != cor[1]) {
		/* keep the corroborated one, the other on its object */
		struct side *x = &s[cor[0] ? 0 : 1], *y = &s[cor[0] ? 1 : 0];
		struct kt_cand_list *ly = &l[cor[0] ? 1 : 0];
		bool *hit = kt_xcalloc(ly->n + 1, sizeof(bool));
		size_t k;

		for (k = 0; k < ly->n; k++) {
			char *name;

			hit[k] = kt_relation_overlap(&ly->v[k], &x->ex, false, &name);
			free(name);
		}
		k = nearest(y, ly, hit);
		if (k < ly->n) {
			take_candidate(y, ly, k, "the object the other side touches", facts);
			kt_src_note(
			    facts, x->p,
			    "%s is what the other side's function touches: kept, the other side "
			    "placed on it",
			    kt_src_nz(x->ex.text));
			why = "the object of the other side's placement";
			ok = true;
		}
		free(hit);
	} else if (!cor[0] && nobj >= 1) {
		ok = pair_match(s, l, facts, false);
		why = "the one object both sides' functions touch";
	}
	for (int i = 0; ok && i < 2; i++) {
		if (!was[i] || s[i].taken == was_taken[i])
			continue;
		kt_src_note(facts, s[i].p, "the first placement, %s, %s: replaced by %s", was[i],
			    was_dir[i] ? "is not what the other side's accesses touch"
				       : "does not fit the report's direction",
			    why);
	}
	if (!ok && nobj > 1 && (was[0] || was[1]))
		kt_src_note(
		    facts, NULL,
		    "the two sides disagree and %d objects both sides' functions touch fit the "
		    "report: none chosen",
		    nobj);
	free(was[0]);
	free(was[1]);
	for (int i = 0; i < 2; i++) {
		bool in_new = false;

		for (size_t k = 0; s[i].via && k < s[i].nvias && !in_new; k++)
			in_new = s[i].via == &s[i].vias[k];
		if (in_new) {
			/* placed here in a helper: the new paths are its */
			free(old_vias[i]);
		} else {
			free(s[i].vias);
			s[i].vias = old_vias[i];
			s[i].nvias = old_nvias[i];
		}
	}
	free(obj);
	for (int i = 0; i < 2; i++)
		kt_cand_list_fini(&l[i]);
}
