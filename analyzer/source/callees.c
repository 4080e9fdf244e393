// SPDX-License-Identifier: Apache-2.0
/*
 * Accesses found in the functions a body calls: inline helpers without a
 * frame of their own in the report, and the helper a caller now reaches
 * its inner frame through.
 */
#include <stdlib.h>
#include <string.h>

#include "callees.h"
#include "lockwalk.h"

struct calls_scan {
	struct kt_calls *out;
	CXFile file;
	unsigned from, to;
	enum kt_calls_mode mode;
	int max;
};

static enum CXChildVisitResult calls_visit(CXCursor c, CXCursor p, CXClientData d)
{
	struct calls_scan *cs = d;
	struct kt_calls *out = cs->out;
	CXCursor def;
	CXFile f = NULL;
	unsigned off = 0;
	bool here;

	(void)p;
	if (out->n >= cs->max)
		return CXChildVisit_Break;
	if (clang_getCursorKind(c) != CXCursor_CallExpr)
		return CXChildVisit_Recurse;
	def = clang_getCursorDefinition(clang_getCursorReferenced(c));
	if (clang_Cursor_isNull(def) || clang_getCursorKind(def) != CXCursor_FunctionDecl)
		return CXChildVisit_Recurse;
	clang_getFileLocation(clang_getCursorLocation(c), &f, NULL, NULL, &off);
	here = f && clang_File_isEqual(f, cs->file) && off >= cs->from && off < cs->to;
	if (cs->mode == KT_CALLS_LINE && !here)
		return CXChildVisit_Recurse;
	if (cs->mode == KT_CALLS_BODY) {
		for (int i = 0; i < out->n; i++)
			if (clang_equalCursors(out->def[i], def))
				return CXChildVisit_Recurse;
		if (!here)
			off = cs->from; /* the call is written inside a macro's body */
	}
	out->def[out->n] = def;
	out->at[out->n++] = off;
	return CXChildVisit_Recurse;
}

void kt_callees_collect(CXCursor fn, CXFile file, unsigned from, unsigned to,
			enum kt_calls_mode mode, struct kt_calls *out)
{
	struct calls_scan cs = {out, file, from,
				to,  mode, mode == KT_CALLS_LINE ? 8 : KT_MAX_CALLS};

	clang_visitChildren(fn, calls_visit, &cs);
}

/* The functions fn's body calls (KT_CALLS_BODY). */
static void body_calls(const struct kt_func *fn, struct kt_calls *out)
{
	kt_callees_collect(fn->cur, fn->file, fn->body_off, fn->end_off, KT_CALLS_BODY, out);
}

/*
 * The one function fn calls (defined in the translation unit) whose body
 * calls inner: *mid, with the offset of fn's first call to it in *at_fn and
 * of its call to inner in *at_mid. False when none or several do.
 */
bool kt_callees_via(struct kt_tu *tu, const struct kt_func *fn, const char *inner,
		    struct kt_func *mid, unsigned *at_fn, unsigned *at_mid)
{
	struct kt_calls *cs = kt_xcalloc(1, sizeof(*cs));
	int found = 0;

	body_calls(fn, cs);
	for (int i = 0; i < cs->n && found < 2; i++) {
		struct kt_func cf;
		unsigned at;
		bool on_line;

		if (!kt_func_from_cursor(cs->def[i], &cf) ||
		    clang_equalCursors(cs->def[i], fn->cur) ||
		    !kt_lockwalk_call_site(tu, &cf, inner, 0, &at, &on_line))
			continue;
		if (!found++) {
			*mid = cf;
			*at_fn = cs->at[i];
			*at_mid = at;
		}
	}
	free(cs);
	return found == 1;
}

/*
 * The accesses fitting q in the functions fn calls that the translation
 * unit defines, and in the ones those call (inline helpers such as
 * timer_pending() -> hlist_unhashed_lockless(), which have no frame of
 * their own in a report when the frame is not symbolized with its inline
 * chain). Each is appended to l at the offset of fn's call that leads to
 * it, its text naming the helper, with the helpers it is in.
 */
void kt_callees_accesses(const struct kt_tables *t, struct kt_tu *tu, const struct kt_func *fn,
			 const struct kt_access_query *q, struct kt_cand_list *l)
{
	struct kt_calls *outer = kt_xcalloc(1, sizeof(*outer));
	struct kt_access_query cq = *q;

	/* a callee's *p is of its own parameter, not comparable across bodies */
	cq.param_derefs = false;
	q = &cq;
	body_calls(fn, outer);
	for (int i = 0; i < outer->n; i++) {
		struct kt_calls *inner = kt_xcalloc(1, sizeof(*inner));
		struct kt_func cf;

		if (!kt_func_from_cursor(outer->def[i], &cf) ||
		    clang_equalCursors(outer->def[i], fn->cur)) {
			free(inner);
			continue;
		}
		/* the helper itself first: its own accesses, and not again */
		inner->def[0] = outer->def[i];
		inner->n = 1;
		body_calls(&cf, inner);
		for (int j = 0; j < inner->n; j++) {
			struct kt_cand_list tmp;
			struct kt_func f2;

			if (!kt_func_from_cursor(inner->def[j], &f2) ||
			    clang_equalCursors(inner->def[j], fn->cur))
				continue;
			kt_access_all(t, tu, &f2, q, &tmp);
			for (size_t k = 0; k < tmp.n; k++) {
				struct kt_access_info *a = &tmp.v[k].a;
				struct kt_via via = {.n = j ? 2 : 1};
				struct kt_strbuf sb;

				kt_strbuf_init(&sb);
				kt_strbuf_addf(&sb, "%s (in %s, called by %s)",
					       a->text ? a->text : "", f2.name,
					       j ? cf.name : fn->name);
				free(a->text);
				a->text = kt_strbuf_detach(&sb);
				via.fn[0] = j ? cf : f2;
				via.at[0] = j ? inner->at[j] : tmp.v[k].at;
				if (j) {
					via.fn[1] = f2;
					via.at[1] = tmp.v[k].at;
				}
				kt_cand_list_add(l, a, outer->at[i], &via);
			}
			kt_cand_list_fini(&tmp);
		}
		free(inner);
	}
	free(outer);
}
