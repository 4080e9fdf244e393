// SPDX-License-Identifier: Apache-2.0
/*
 * Declarations from tokens (decl.h). C's grammar needs to know which names
 * are types; a lexical reader does not, so the shape decides: in
 * `A B;` A is a type and B the name; in `A *B` A is a type; an identifier
 * followed by `(` before any type is a macro call, not a declaration.
 */
#include <stdlib.h>
#include <string.h>

#include "decl.h"
#include "kcsan/strbuf.h"
#include "seg.h"

uint32_t *decl_match(const struct ct_tok *t, size_t n)
{
	uint32_t *m = kt_xmalloc((n + 1) * sizeof(*m));
	uint32_t *st = kt_xmalloc((n + 1) * sizeof(*st));
	size_t sp = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t v = t[i].kind == CT_PUNCT ? t[i].v : 0;

		m[i] = (uint32_t)i;
		if (v == '(' || v == '[' || v == '{') {
			st[sp++] = (uint32_t)i;
		} else if (v == ')' || v == ']' || v == '}') {
			uint32_t open = v == ')' ? '(' : v == ']' ? '[' : '{';

			/* A stray closer of another kind closes nothing; a
			 * brace also closes what is left open inside it. */
			while (sp && t[st[sp - 1]].v != open && v == '}' && t[st[sp - 1]].v != '{')
				sp--;
			if (sp && t[st[sp - 1]].v == open) {
				m[i] = st[sp - 1];
				m[st[sp - 1]] = (uint32_t)i;
				sp--;
			}
		}
	}
	free(st);
	return m;
}

bool decl_annot(const char *buf, const struct ct_tok *t)
{
	return t->kind == CT_IDENT && t->len > 2 && buf[t->off] == '_' && buf[t->off + 1] == '_';
}

static bool is_word(const char *buf, const struct ct_tok *t, const char *w)
{
	return ct_ident_eq(buf, t, w);
}

static bool base_word(const char *buf, const struct ct_tok *t)
{
	static const char *const w[] = {"void",	      "char",	  "short",  "int",	"long",
					"float",      "double",	  "signed", "unsigned", "_Bool",
					"__signed__", "_Complex", NULL};

	for (size_t i = 0; w[i]; i++)
		if (is_word(buf, t, w[i]))
			return true;
	return false;
}

/* After a group opener at j: the token after its closer (end when the
 * group does not close before end). */
static size_t past_group(const uint32_t *match, size_t j, size_t end)
{
	return match[j] > j && match[j] < end ? match[j] + 1 : end;
}

static bool next_is(const struct ct_tok *t, size_t j, size_t end, uint32_t p)
{
	return j + 1 < end && ct_is(&t[j + 1], p);
}

/* The last identifier of ids[0..n) that is no annotation, else the last. */
static long last_plain(const char *buf, const struct ct_tok *t, const long *ids, size_t n)
{
	for (size_t k = n; k-- > 0;)
		if (!decl_annot(buf, &t[ids[k]]))
			return ids[k];
	return n ? ids[n - 1] : -1;
}

/* `__name(...)` at j: an attribute (`__printf(1, 2)`, `__aligned(8)`)
 * rather than a function's name: before any type, or followed by more of
 * the declaration (a name, a `*`). */
static bool attribute_group(const struct ct_tok *t, const uint32_t *match, size_t j, size_t end,
			    bool have_type)
{
	size_t after = past_group(match, j + 1, end);

	if (!have_type)
		return true;
	return after < end && (t[after].kind == CT_IDENT || ct_is(&t[after], '*'));
}

/* The type specifier; *j ends on the first declarator token. Returns false
 * when this is no declaration. */
static bool specifiers(const char *buf, const struct ct_tok *t, const uint32_t *match, size_t *jp,
		       size_t end, struct decl *out, long *ids, size_t *nid, bool *saw)
{
	size_t j = *jp;

	while (j < end) {
		const struct ct_tok *tk = &t[j];
		const char *s = buf + tk->off;

		if (tk->kind != CT_IDENT) {
			if (ct_is(tk, '*') || ct_is(tk, '(') || ct_is(tk, ';') || ct_is(tk, ',') ||
			    ct_is(tk, '=') || ct_is(tk, '[') || ct_is(tk, ':') || ct_is(tk, ')') ||
			    ct_is(tk, '{'))
				break;
			return false;
		}
		if (is_word(buf, tk, "typedef")) {
			out->ty.is_typedef = true;
		} else if (is_word(buf, tk, "static")) {
			out->ty.is_static = true;
		} else if (is_word(buf, tk, "extern")) {
			out->ty.is_extern = true;
		} else if (is_word(buf, tk, "struct") || is_word(buf, tk, "union") ||
			   is_word(buf, tk, "enum")) {
			if (*saw)
				return false;
			*nid = 0; /* what came before were attributes */
			out->ty.kind = s[0] == 's' ? TY_STRUCT : s[0] == 'u' ? TY_UNION : TY_ENUM;
			j++;
			while (j < end && t[j].kind == CT_IDENT && next_is(t, j, end, '(') &&
			       decl_annot(buf, &t[j]))
				j = past_group(match, j + 1, end);
			if (j < end && t[j].kind == CT_IDENT &&
			    !ct_keyword(buf + t[j].off, t[j].len))
				out->ty.name = (long)j++;
			if (j < end && ct_is(&t[j], '{')) {
				if (match[j] == j)
					return false;
				out->ty.body = (long)j;
				j = past_group(match, j, end);
			}
			*saw = true;
			continue;
		} else if (is_word(buf, tk, "typeof") || is_word(buf, tk, "__typeof__") ||
			   is_word(buf, tk, "__typeof")) {
			j++;
			if (j < end && ct_is(&t[j], '('))
				j = past_group(match, j, end);
			*nid = 0;
			*saw = true;
			out->ty.kind = TY_NONE;
			continue;
		} else if (next_is(t, j, end, '(') &&
			   (is_word(buf, tk, "__attribute__") ||
			    (decl_annot(buf, tk) &&
			     attribute_group(t, match, j, end, *saw || *nid)))) {
			j = past_group(match, j + 1, end);
			continue;
		} else if (ct_type_keyword(s, tk->len)) {
			if (base_word(buf, tk)) {
				if (!*saw) {
					out->ty.kind = TY_BASE;
					out->ty.name = (long)j;
				} else if (out->ty.kind != TY_BASE) {
					return false;
				}
				*saw = true;
				*nid = 0;
			}
		} else if (ct_keyword(s, tk->len)) {
			return false;
		} else if (next_is(t, j, end, '(')) {
			if (*saw || *nid)
				break; /* a function's name */
			return false;  /* a macro call */
		} else {
			if (*nid == 8)
				return false;
			ids[(*nid)++] = (long)j;
		}
		j++;
	}
	*jp = j;
	return true;
}

/* One declarator from *jp; first_name: already read among the specifiers. */
static void declarator(const char *buf, const struct ct_tok *t, const uint32_t *match, size_t *jp,
		       size_t end, long first_name, struct dcl *d)
{
	size_t j = *jp;

	memset(d, 0, sizeof(*d));
	d->name = d->params = d->width = d->init = d->init_end = -1;
	if (first_name >= 0) {
		d->name = first_name;
	} else {
		while (j < end) {
			if (ct_is(&t[j], '*')) {
				d->ptr++;
				j++;
			} else if (t[j].kind == CT_IDENT && next_is(t, j, end, '(') &&
				   decl_annot(buf, &t[j]) &&
				   attribute_group(t, match, j, end, true)) {
				j = past_group(match, j + 1, end);
			} else if (t[j].kind == CT_IDENT &&
				   (is_word(buf, &t[j], "const") ||
				    is_word(buf, &t[j], "volatile") ||
				    is_word(buf, &t[j], "restrict") ||
				    (decl_annot(buf, &t[j]) && j + 1 < end &&
				     (t[j + 1].kind == CT_IDENT || ct_is(&t[j + 1], '*'))))) {
				j++;
			} else {
				break;
			}
		}
		if (j + 1 < end && ct_is(&t[j], '(') && ct_is(&t[j + 1], '*')) {
			size_t k = j + 1;

			while (k < end && (ct_is(&t[k], '*') || (t[k].kind == CT_IDENT &&
								 (decl_annot(buf, &t[k]) ||
								  is_word(buf, &t[k], "const")))))
				k++;
			if (k < end && t[k].kind == CT_IDENT)
				d->name = (long)k;
			d->fnptr = true;
			j = past_group(match, j, end);
			if (j < end && ct_is(&t[j], '('))
				j = past_group(match, j, end);
		} else if (j < end && t[j].kind == CT_IDENT &&
			   !ct_keyword(buf + t[j].off, t[j].len)) {
			d->name = (long)j++;
		}
	}
	while (j < end) {
		if (ct_is(&t[j], '(') && d->params < 0 && !d->fnptr) {
			d->params = (long)j;
			j = past_group(match, j, end);
		} else if (ct_is(&t[j], '[')) {
			d->array = true;
			j = past_group(match, j, end);
		} else if (t[j].kind == CT_IDENT && !ct_type_keyword(buf + t[j].off, t[j].len)) {
			/* Attributes after the name: __aligned(8), __read_mostly. */
			j = next_is(t, j, end, '(') ? past_group(match, j + 1, end) : j + 1;
		} else {
			break;
		}
	}
	if (j < end && ct_is(&t[j], ':'))
		d->width = (long)++j;
	if (j < end && ct_is(&t[j], '='))
		d->init = (long)++j;
	/* To the declarator's end; a body `{` ends it unless it follows `=`. */
	while (j < end && !ct_is(&t[j], ',') && !ct_is(&t[j], ';') &&
	       !(ct_is(&t[j], '{') && d->init < 0)) {
		if (ct_is(&t[j], '(') || ct_is(&t[j], '[') || ct_is(&t[j], '{'))
			j = past_group(match, j, end);
		else
			j++;
	}
	if (d->init >= 0)
		d->init_end = (long)j;
	*jp = j;
}

bool decl_parse(const char *buf, const struct ct_tok *t, const uint32_t *match, size_t i,
		size_t end, struct decl *out)
{
	long ids[8];
	size_t nid = 0, j = i;
	bool saw = false;
	long first = -1;

	memset(out, 0, sizeof(*out));
	out->ty.name = out->ty.body = out->fbody = -1;
	if (!specifiers(buf, t, match, &j, end, out, ids, &nid, &saw))
		return false;
	bool stop = j >= end || !(ct_is(&t[j], '*') || ct_is(&t[j], '(') || t[j].kind == CT_IDENT);

	if (!saw) {
		if (nid == 0)
			return false;
		if (!stop) {
			out->ty.name = last_plain(buf, t, ids, nid);
		} else {
			while (nid > 2 && decl_annot(buf, &t[ids[nid - 1]]))
				nid--;
			if (nid < 2)
				return false;
			first = ids[nid - 1];
			out->ty.name = last_plain(buf, t, ids, nid - 1);
		}
		out->ty.kind = TY_NAME;
	} else if (nid && stop) {
		while (nid > 1 && decl_annot(buf, &t[ids[nid - 1]]))
			nid--;
		/* `struct { ... } ____cacheline_aligned;`: an attribute */
		if (!(nid == 1 && out->ty.body >= 0 && decl_annot(buf, &t[ids[0]])))
			first = ids[nid - 1];
	}
	for (;;) {
		struct dcl d;

		declarator(buf, t, match, &j, end, first, &d);
		first = -1;
		if (out->nd < DECL_MAX)
			out->d[out->nd++] = d;
		if (j < end && ct_is(&t[j], ',')) {
			j++;
			continue;
		}
		if (j < end && ct_is(&t[j], ';')) {
			out->next = (long)j + 1;
			return true;
		}
		if (j < end && ct_is(&t[j], '{') && out->nd == 1 && d.params >= 0) {
			out->fbody = (long)j;
			out->next = (long)past_group(match, j, end);
			return true;
		}
		if (j >= end) {
			out->next = (long)end;
			return true;
		}
		return false;
	}
}
