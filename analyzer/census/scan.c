// SPDX-License-Identifier: Apache-2.0
/*
 * The indexer's reading of one file (scan.h): a walk over the file-scope
 * declarations, the bodies of structs and unions, and the #define lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decl.h"
#include "lex.h"
#include "scan.h"

#define MACRO_BODY_MAX 64

struct scanner {
	struct bld *b;
	struct ct_toks all;
	struct ct_tok *main, *pp;
	size_t nmain, npp, cap;
	uint32_t *stamp; /* per string id: last unit that posted it, + 1 */
	size_t nstamp;
	/* the file being read */
	uint32_t file;
	const char *buf;
	uint32_t *match;
};

/* Members of one body before they are added (nested structs are added
 * first, so each struct's members stay contiguous). */
struct mvec {
	struct rec_member *v;
	size_t n, cap;
};

static void mpush(struct mvec *m, const struct rec_member *r)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->v = kt_xrealloc(m->v, m->cap * sizeof(*m->v));
	}
	m->v[m->n++] = *r;
}

struct scanner *scanner_new(struct bld *b)
{
	struct scanner *s = kt_xcalloc(1, sizeof(*s));

	s->b = b;
	return s;
}

void scanner_free(struct scanner *s)
{
	if (!s)
		return;
	ct_toks_free(&s->all);
	free(s->main);
	free(s->pp);
	free(s->stamp);
	free(s);
}

static uint32_t tok_id(struct scanner *s, const struct ct_tok *t)
{
	return bld_intern(s->b, s->buf + t->off, t->len);
}

static uint32_t str_id(struct scanner *s, const char *str)
{
	return bld_intern(s->b, str, strlen(str));
}

static struct ty make_ty(struct scanner *s, const struct ct_tok *t, const struct dtype *dt,
			 const struct dcl *d)
{
	struct ty ty = {0, dt->kind, d ? d->ptr : 0, 0, 0};

	if (dt->name >= 0)
		ty.name = tok_id(s, &t[dt->name]);
	if (d && d->array)
		ty.flags |= TYF_ARRAY;
	if (d && d->fnptr)
		ty.flags |= TYF_FNPTR;
	return ty;
}

static bool prev_is_member_op(const struct ct_tok *t, size_t i)
{
	return i > 0 && (ct_is(&t[i - 1], P2('-', '>')) || ct_is(&t[i - 1], '.'));
}

/* Posts every identifier of t[a, b) for the unit; marks member names. */
static void post_range(struct scanner *s, const struct ct_tok *t, size_t a, size_t b, uint32_t unit)
{
	for (size_t i = a; i < b; i++) {
		uint32_t id;

		if (t[i].kind != CT_IDENT || ct_keyword(s->buf + t[i].off, t[i].len))
			continue;
		id = tok_id(s, &t[i]);
		if (id >= s->nstamp) {
			size_t n = s->nstamp ? s->nstamp : 4096;

			while (n <= id)
				n *= 2;
			s->stamp = kt_xrealloc(s->stamp, n * sizeof(*s->stamp));
			memset(s->stamp + s->nstamp, 0, (n - s->nstamp) * sizeof(*s->stamp));
			s->nstamp = n;
		}
		if (prev_is_member_op(t, i))
			bld_member_seen(s->b, id);
		if (s->stamp[id] == unit + 1)
			continue;
		s->stamp[id] = unit + 1;
		bld_post(s->b, id, unit);
	}
}

static void collect(struct scanner *s, size_t open, uint8_t kind, const char *owner,
		    struct mvec *out);

/* Adds a struct or union with the members of its body. */
static void emit_struct(struct scanner *s, size_t open, uint8_t kind, const char *tag)
{
	struct mvec m = {0};
	struct rec_struct st = {str_id(s, tag), kind, s->file, s->main[open].line, 0, 0};
	uint32_t idx, first;

	collect(s, open, kind, tag, &m);
	idx = bld_struct(s->b, &st);
	first = bld_nmembers(s->b);
	for (size_t i = 0; i < m.n; i++) {
		m.v[i].owner = idx;
		bld_member(s->b, &m.v[i]);
	}
	bld_struct_members(s->b, idx, first, (uint32_t)m.n);
	free(m.v);
}

static char *tok_str(const struct scanner *s, const struct ct_tok *t)
{
	return kt_xstrndup(s->buf + t->off, t->len);
}

static int32_t bit_width(const struct scanner *s, const struct ct_tok *t, long w, size_t end)
{
	char num[24];
	char *e;
	long v;

	if (w < 0)
		return -1;
	if ((size_t)w + 1 > end || t[w].kind != CT_NUM || t[w].len >= sizeof(num) ||
	    !((size_t)w + 1 == end || ct_is(&t[w + 1], ',') || ct_is(&t[w + 1], ';')))
		return -2;
	memcpy(num, s->buf + t[w].off, t[w].len);
	num[t[w].len] = 0;
	v = strtol(num, &e, 0);
	return (*e && *e != 'u' && *e != 'U') || v < 0 || v > 4096 ? -2 : (int32_t)v;
}

/* A member line that is a macro call: DECLARE_BITMAP(name, n);
 * struct_group(name, members...); the first argument names a member, and
 * declarations among the arguments are members too. */
static void macro_member(struct scanner *s, size_t a, size_t semi, uint8_t kind, const char *owner,
			 struct mvec *out)
{
	const struct ct_tok *t = s->main;
	size_t close = s->match[a + 1];
	struct rec_member r = {0};
	bool decls = false;

	if (close <= a + 1 || close > semi)
		return;
	if (t[a + 2].kind == CT_IDENT && a + 3 <= close &&
	    (ct_is(&t[a + 3], ',') || ct_is(&t[a + 3], ')'))) {
		r.name = tok_id(s, &t[a + 2]);
		r.width = -1;
		r.line = t[a + 2].line;
		mpush(out, &r);
	}
	for (size_t k = a + 2; k < close; k++)
		decls = decls || ct_is(&t[k], ';');
	if (!decls)
		return;
	/* The member declarations inside, as if they were a body. */
	for (size_t k = a + 2; k < close; k++) {
		if (ct_is(&t[k], ',')) {
			struct decl d;
			size_t i = k + 1;

			while (i < close && decl_parse(s->buf, t, s->match, i, close, &d) &&
			       d.next > (long)i) {
				for (size_t q = 0; q < d.nd; q++) {
					struct rec_member m = {0};

					if (d.d[q].name < 0)
						continue;
					m.name = tok_id(s, &t[d.d[q].name]);
					m.ty = make_ty(s, t, &d.ty, &d.d[q]);
					m.width = bit_width(s, t, d.d[q].width, close);
					m.line = t[d.d[q].name].line;
					mpush(out, &m);
				}
				i = (size_t)d.next;
			}
			break;
		}
	}
	(void)kind;
	(void)owner;
}

/* One member declaration d of a body. */
static void member_decl(struct scanner *s, const struct decl *d, uint8_t kind, const char *owner,
			struct mvec *out, uint32_t *group, bool *prev_bits)
{
	const struct ct_tok *t = s->main;
	char *inner_tag = NULL;
	uint32_t inner_id = 0;

	if (d->ty.body >= 0 && d->ty.kind != TY_ENUM) {
		if (d->ty.name >= 0) {
			inner_tag = tok_str(s, &t[d->ty.name]);
		} else if (d->nd && d->d[0].name >= 0) {
			char *nm = tok_str(s, &t[d->d[0].name]);

			if (asprintf(&inner_tag, "%s::%s", owner, nm) < 0)
				abort();
			free(nm);
		}
		if (inner_tag) {
			emit_struct(s, (size_t)d->ty.body, d->ty.kind, inner_tag);
			inner_id = str_id(s, inner_tag);
		} else {
			/* Anonymous: its members are the owner's. */
			size_t from = out->n;

			collect(s, (size_t)d->ty.body, d->ty.kind, owner, out);
			for (size_t k = from; k < out->n; k++)
				out->v[k].flags |= MEM_ANON;
			*prev_bits = false;
			return;
		}
	}
	for (size_t q = 0; q < d->nd; q++) {
		const struct dcl *dc = &d->d[q];
		struct rec_member m = {0};

		m.width = bit_width(s, t, dc->width, (size_t)d->next);
		if (m.width == 0) {
			*prev_bits = false; /* `:0` ends a memory location */
			continue;
		}
		if (dc->name < 0)
			continue;
		m.name = tok_id(s, &t[dc->name]);
		m.ty = make_ty(s, t, &d->ty, dc);
		if (inner_tag)
			m.ty.name = inner_id;
		m.line = t[dc->name].line;
		if (m.width != -1 && kind == TY_STRUCT) {
			if (!*prev_bits)
				*group = bld_group(s->b);
			m.group = *group;
			*prev_bits = true;
		} else {
			*prev_bits = false;
		}
		mpush(out, &m);
	}
	free(inner_tag);
}

static void collect(struct scanner *s, size_t open, uint8_t kind, const char *owner,
		    struct mvec *out)
{
	const struct ct_tok *t = s->main;
	size_t close = s->match[open], i = open + 1;
	uint32_t group = 0;
	bool prev_bits = false;

	if (close <= open)
		return;
	while (i < close) {
		struct decl d;

		if (ct_is(&t[i], ';')) {
			i++;
			continue;
		}
		if (decl_parse(s->buf, t, s->match, i, close, &d) && d.next > (long)i) {
			member_decl(s, &d, kind, owner, out, &group, &prev_bits);
			i = (size_t)d.next;
			continue;
		}
		/* Not a declaration: a macro call member, or something else. */
		size_t semi = i;

		while (semi < close && !ct_is(&t[semi], ';'))
			semi =
			    (ct_is(&t[semi], '(') || ct_is(&t[semi], '{') || ct_is(&t[semi], '['))
				? (s->match[semi] > semi ? s->match[semi] + 1 : semi + 1)
				: semi + 1;
		if (t[i].kind == CT_IDENT && i + 1 < semi && ct_is(&t[i + 1], '('))
			macro_member(s, i, semi, kind, owner, out);
		prev_bits = false;
		i = semi + 1;
	}
}

static void add_named(struct scanner *s, enum seg_sect sect, const struct decl *d,
		      const struct dcl *dc, uint32_t tag_override)
{
	struct rec_named r = {0};

	r.name = tok_id(s, &s->main[dc->name]);
	r.ty = make_ty(s, s->main, &d->ty, dc);
	if (tag_override)
		r.ty.name = tag_override;
	r.file = s->file;
	r.line = s->main[dc->name].line;
	r.flags = (d->ty.is_static ? NAMED_STATIC : 0) | (d->ty.is_extern ? NAMED_EXTERN : 0);
	bld_named(s->b, sect, &r);
}

static void add_unit(struct scanner *s, size_t start, size_t open, uint32_t name)
{
	const struct ct_tok *t = s->main;
	size_t close = s->match[open];
	struct rec_unit u = {0};
	uint32_t idx;

	if (close <= open)
		return;
	u.file = s->file;
	u.name = name;
	u.start = t[start].off;
	u.body = t[open].off;
	u.end = t[close].off + 1;
	u.line = t[start].line;
	idx = bld_unit(s->b, &u);
	post_range(s, t, start, close + 1, idx);
}

/* A file-scope declaration: types, typedefs, globals, prototypes and
 * function definitions. */
static void file_decl(struct scanner *s, size_t start, const struct decl *d)
{
	const struct ct_tok *t = s->main;
	uint32_t tag = 0;

	if (d->ty.body >= 0 && d->ty.kind != TY_ENUM) {
		char *name = NULL;

		if (d->ty.name >= 0) {
			name = tok_str(s, &t[d->ty.name]);
		} else if (d->nd && d->d[0].name >= 0) {
			char *nm = tok_str(s, &t[d->d[0].name]);

			if (asprintf(&name, "%s%s", d->ty.is_typedef ? "" : "@", nm) < 0)
				abort();
			free(nm);
			tag = str_id(s, name);
		}
		if (name)
			emit_struct(s, (size_t)d->ty.body, d->ty.kind, name);
		free(name);
	}
	if (d->fbody >= 0) {
		if (d->nd && d->d[0].name >= 0) {
			uint32_t name = tok_id(s, &t[d->d[0].name]);

			add_unit(s, start, (size_t)d->fbody, name);
			if (d->ty.kind != TY_BASE && d->ty.kind != TY_NONE)
				add_named(s, S_FUNCS, d, &d->d[0], tag);
		}
		return;
	}
	for (size_t q = 0; q < d->nd; q++) {
		const struct dcl *dc = &d->d[q];

		if (dc->name < 0)
			continue;
		if (d->ty.is_typedef)
			add_named(s, S_TYPEDEFS, d, dc, tag);
		else if (dc->params >= 0 && !dc->fnptr)
			add_named(s, S_FUNCS, d, dc, tag);
		else
			add_named(s, S_GLOBALS, d, dc, tag);
	}
}

/* A function defined through a macro: `SYSCALL_DEFINE3(open, ...) {`: named
 * MACRO(first argument). */
static uint32_t macro_fn_name(struct scanner *s, size_t open)
{
	const struct ct_tok *t = s->main;
	size_t close = open - 1, par = s->match[close];
	char buf[256];

	if (par >= close || par == 0 || t[par - 1].kind != CT_IDENT)
		return str_id(s, "?");
	const struct ct_tok *m = &t[par - 1], *a = &t[par + 1];

	bool caps = true; /* MACRO(name, ...) by C habit */

	for (size_t k = 0; k < m->len; k++)
		caps = caps && !(s->buf[m->off + k] >= 'a' && s->buf[m->off + k] <= 'z');
	if (caps && a->kind == CT_IDENT && m->len < 120 && a->len < 120)
		snprintf(buf, sizeof(buf), "%.*s(%.*s)", (int)m->len, s->buf + m->off, (int)a->len,
			 s->buf + a->off);
	else
		snprintf(buf, sizeof(buf), "%.*s", (int)(m->len < 200 ? m->len : 200),
			 s->buf + m->off);
	return str_id(s, buf);
}

static void file_scope(struct scanner *s)
{
	const struct ct_tok *t = s->main;
	size_t n = s->nmain, i = 0;

	while (i < n) {
		struct decl d;

		if (ct_is(&t[i], ';') || ct_is(&t[i], '}')) {
			i++;
			continue;
		}
		if (decl_parse(s->buf, t, s->match, i, n, &d) && d.next > (long)i) {
			file_decl(s, i, &d);
			i = (size_t)d.next;
			continue;
		}
		/* Not a declaration: to its `;`, or a macro-made function. */
		size_t j = i;

		while (j < n && !ct_is(&t[j], ';')) {
			if (ct_is(&t[j], '{')) {
				if (j > i && ct_is(&t[j - 1], ')') && s->match[j] > j) {
					add_unit(s, i, j, macro_fn_name(s, j));
					j = s->match[j];
					break;
				}
			}
			if ((ct_is(&t[j], '(') || ct_is(&t[j], '{') || ct_is(&t[j], '[')) &&
			    s->match[j] > j)
				j = s->match[j] + 1;
			else
				j++;
		}
		i = j + 1;
	}
}

static bool is_param(const struct scanner *s, size_t from, size_t to, const struct ct_tok *t)
{
	for (size_t k = from; k < to; k++)
		if (s->pp[k].kind == CT_IDENT && s->pp[k].len == t->len &&
		    memcmp(s->buf + s->pp[k].off, s->buf + t->off, t->len) == 0)
			return true;
	return false;
}

/* What a short macro's body makes: a cast `((struct S *)(p))`, a container
 * `container_of(p, struct S, m)`, or a call whose result it is
 * (`#define current get_current()`). */
static void macro_type(struct scanner *s, size_t nm, size_t params, size_t body, size_t e,
		       bool fnlike)
{
	const struct ct_tok *t = s->pp;
	size_t c = body;
	uint32_t tag = 0;

	while (c < e && ct_is(&t[c], '('))
		c++;
	if (c + 1 >= e || t[c].kind != CT_IDENT)
		return;
	for (size_t k = body; k + 1 < e && !tag; k++)
		if ((ct_ident_eq(s->buf, &t[k], "struct") || ct_ident_eq(s->buf, &t[k], "union")) &&
		    t[k + 1].kind == CT_IDENT)
			tag = tok_id(s, &t[k + 1]);
	if ((ct_ident_eq(s->buf, &t[c], "struct") || ct_ident_eq(s->buf, &t[c], "union")) && tag) {
		/* a cast */
	} else if (fnlike && tag && ct_is(&t[c + 1], '(')) {
		/* a container macro, if the vocabulary says so at query time */
	} else if (ct_is(&t[c + 1], '(') && !ct_keyword(s->buf + t[c].off, t[c].len) &&
		   !(fnlike && is_param(s, params, body, &t[c]))) {
		tag = 0; /* the result of the call */
	} else {
		return;
	}
	struct rec_macro m = {tok_id(s, &t[nm]), tok_id(s, &t[c]), tag, s->file};

	bld_macro(s->b, &m);
}

/* #define lines: units when the body accesses members; the container
 * macros' struct (`#define to_foo(x) container_of(x, struct foo, m)`). */
static void defines(struct scanner *s)
{
	const struct ct_tok *t = s->pp;
	size_t i = 0;

	while (i < s->npp) {
		size_t a = i, e = i + 1;

		while (e < s->npp && t[e].kind != CT_PPEND)
			e++;
		i = e + 1;
		if (t[a].kind != CT_PPDEF || a + 1 >= e || t[a + 1].kind != CT_IDENT)
			continue;
		size_t nm = a + 1, body = a + 2;
		bool fnlike =
		    body < e && ct_is(&t[body], '(') && t[body].off == t[nm].off + t[nm].len;

		if (fnlike) {
			while (body < e && !ct_is(&t[body], ')'))
				body++;
			body++;
		}
		bool member = false;

		for (size_t k = body; k + 1 < e && !member; k++)
			member = (ct_is(&t[k], P2('-', '>')) ||
				  (ct_is(&t[k], '.') && k > body &&
				   (t[k - 1].kind == CT_IDENT || ct_is(&t[k - 1], ')') ||
				    ct_is(&t[k - 1], ']')))) &&
				 t[k + 1].kind == CT_IDENT;
		if (member && e < s->npp) {
			struct rec_unit u = {s->file, tok_id(s, &t[nm]), t[a].off,   t[e].off,
					     0,	      t[a].line,	 UNIT_MACRO, 0};
			uint32_t idx = bld_unit(s->b, &u);

			post_range(s, t, body, e, idx);
		}
		if (e - body <= MACRO_BODY_MAX)
			macro_type(s, nm, a + 2, body, e, fnlike);
	}
}

void scan_file(struct scanner *s, uint32_t file, const char *buf, size_t len)
{
	ct_lex(buf, len, 0, len, 1, CL_DEFINES, &s->all);
	if (s->all.n > s->cap) {
		s->cap = s->all.n;
		s->main = kt_xrealloc(s->main, s->cap * sizeof(*s->main));
		s->pp = kt_xrealloc(s->pp, s->cap * sizeof(*s->pp));
	}
	s->nmain = s->npp = 0;
	for (size_t i = 0; i < s->all.n; i++) {
		if (s->all.t[i].flags & CTF_PP)
			s->pp[s->npp++] = s->all.t[i];
		else
			s->main[s->nmain++] = s->all.t[i];
	}
	s->file = file;
	s->buf = buf;
	s->match = decl_match(s->main, s->nmain);
	file_scope(s);
	defines(s);
	free(s->match);
	s->match = NULL;
}
