// SPDX-License-Identifier: Apache-2.0
/*
 * Stack lines: raw console frames, syzbot's symbolized ones, and what
 * addr2line and decode_stacktrace.sh print under or instead of them.
 *
 *   func+0x57/0xe0 [mod buildid] [file:line | (file:line ...)]
 *   func file:line [inline]                       (also aligned in columns)
 *   func (a.h:12 (discriminator 1) b.c:34) [mod]     decode_stacktrace.sh
 *   func at file:line, (inlined by) func at file:line      addr2line -i
 *   func [mod]                                    a copy that kept the names
 *
 * A list of locations is innermost first: the last is the frame's own line,
 * the ones before it are in functions inlined there (kt_frame.inl).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A decode_stacktrace.sh list wrapped onto this many lines at most. */
#define MAX_LOCS 64

static void locs_free(struct kt_src_loc *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i].file);
	free(l);
}

void kt_frames_free(struct kt_frame *frames, size_t n)
{
	if (!frames)
		return;
	for (size_t i = 0; i < n; i++) {
		free(frames[i].func);
		free(frames[i].module);
		free(frames[i].file);
		locs_free(frames[i].inl, frames[i].ninl);
	}
	free(frames);
}

void kr_frame_fini(struct kt_frame *f)
{
	free(f->func);
	free(f->module);
	free(f->file);
	locs_free(f->inl, f->ninl);
	memset(f, 0, sizeof(*f));
}

void kt_frame_copy(struct kt_frame *dst, const struct kt_frame *src)
{
	*dst = *src;
	dst->func = src->func ? kt_xstrdup(src->func) : NULL;
	dst->module = src->module ? kt_xstrdup(src->module) : NULL;
	dst->file = src->file ? kt_xstrdup(src->file) : NULL;
	dst->inl = NULL;
	if (src->ninl) {
		dst->inl = kt_xcalloc(src->ninl, sizeof(*dst->inl));
		for (size_t i = 0; i < src->ninl; i++) {
			dst->inl[i].file = kt_xstrdup(src->inl[i].file);
			dst->inl[i].line = src->inl[i].line;
		}
	}
}

/* ------------------------------------------------------ locations */

/* "file:line" (line may be "?" or -1: unknown, 0) ending at a blank, a ')'
 * or the end. A leading "./" is dropped. */
static bool lex_loc(const char **p, struct kt_src_loc *loc)
{
	const char *s = *p, *end = s, *colon = NULL, *q;
	long l = 0;

	while (*end && *end != ' ' && *end != '\t' && *end != ')' && *end != '(')
		end++;
	for (q = end; q > s; q--) {
		if (q[-1] == ':') {
			colon = q - 1;
			break;
		}
	}
	if (!colon || colon == s)
		return false;
	q = colon + 1;
	if (!(q[0] == '?' && q + 1 == end) && (!kr_lex_dec(&q, &l) || q != end))
		return false;
	if (colon - s > 2 && s[0] == '.' && s[1] == '/')
		s += 2;
	loc->file = kt_xstrndup(s, (size_t)(colon - s));
	loc->line = l > 0 && l < 100000000 ? (int)l : 0;
	*p = end;
	return true;
}

/* " (discriminator 3)" after a location: skipped. */
static void skip_discriminator(const char **p)
{
	const char *q = kr_skip_ws(*p);
	long v;

	if (kr_lex_lit(&q, "(discriminator ") && kr_lex_dec(&q, &v) && *q == ')')
		*p = q + 1;
}

/* The location becomes f's own line; its previous one moves into inl. */
static void push_loc(struct kt_frame *f, struct kt_src_loc *loc)
{
	if (f->file) {
		f->inl = kt_xrealloc(f->inl, (f->ninl + 1) * sizeof(*f->inl));
		f->inl[f->ninl].file = f->file;
		f->inl[f->ninl].line = f->line;
		f->ninl++;
	}
	f->file = loc->file;
	f->line = loc->line;
}

/* Locations read from one line, not yet given to a frame. */
struct loc_list {
	struct kt_src_loc v[MAX_LOCS];
	size_t n;
};

static void loc_list_free(struct loc_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].file);
	l->n = 0;
}

/*
 * Locations separated by blanks, innermost first. Stops at a ')' (*closed =
 * true, *p after it), at the end of the line, or at anything else (*p
 * there). False, with nothing kept, when no location was read or more than
 * room allows (a frame holds at most MAX_LOCS).
 */
static bool lex_loc_list(const char **p, size_t room, struct loc_list *l, bool *closed)
{
	const char *q = kr_skip_ws(*p);

	l->n = 0;
	*closed = false;
	for (;;) {
		if (*q == ')') {
			*closed = true;
			q++;
			break;
		}
		if (l->n == room || l->n == MAX_LOCS) {
			struct kt_src_loc extra;

			if (lex_loc(&q, &extra)) { /* one too many */
				free(extra.file);
				loc_list_free(l);
				return false;
			}
			break;
		}
		if (!lex_loc(&q, &l->v[l->n]))
			break;
		l->n++;
		skip_discriminator(&q);
		q = kr_skip_ws(q);
	}
	*p = q;
	return l->n > 0;
}

static void loc_list_push(struct kt_frame *f, struct loc_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		push_loc(f, &l->v[i]);
	l->n = 0;
}

/* Locations at *p added to f (see lex_loc_list). */
static bool lex_locs(const char **p, struct kt_frame *f, bool *closed)
{
	struct loc_list l;

	if (f->ninl + 1 >= MAX_LOCS || !lex_loc_list(p, MAX_LOCS - f->ninl - 1, &l, closed))
		return false;
	loc_list_push(f, &l);
	return true;
}

/* --------------------------------------------------------- frames */

/* A name alone on a line is a frame if it looks like a C function's: no
 * capitals (prose starts with one) unless it has an underscore (NF_HOOK),
 * and no final '.' (the end of a sentence). */
static bool bare_name_ok(const char *name, size_t n)
{
	bool upper = false, under = false;

	for (size_t i = 0; i < n; i++) {
		if (name[i] >= 'A' && name[i] <= 'Z')
			upper = true;
		else if (name[i] == '_')
			under = true;
	}
	return name[n - 1] != '.' && (under || !upper);
}

/* "[mod]" or "[mod buildid]" at *p into f->module. */
static bool lex_module(const char **p, struct kt_frame *f)
{
	const char *s = *p, *m, *e;

	if (*s != '[')
		return false;
	m = s + 1;
	e = m;
	while (*e && *e != ']' && *e != ' ')
		e++;
	if (e == m || !strchr(e, ']'))
		return false;
	free(f->module);
	f->module = kt_xstrndup(m, (size_t)(e - m));
	*p = strchr(e, ']') + 1;
	return true;
}

/* What may follow a name and offset: a module, then a location or a
 * parenthesized list of them; anything else is ignored (no location). */
static void after_offset(const char *p, struct kr_frame_line *fl)
{
	struct kt_frame *f = &fl->frame;
	bool closed;

	p = kr_skip_ws(p);
	if (lex_module(&p, f))
		p = kr_skip_ws(p);
	if (*p == '(') {
		p++;
		if (lex_locs(&p, f, &closed))
			fl->open = !closed && !*p;
	} else if (*p) {
		lex_locs(&p, f, &closed);
	}
}

/* What decode_stacktrace.sh prints after a list: nothing, "mod" or "[mod]". */
static bool decoded_end(const char *p, struct kt_frame *f)
{
	const char *m;

	p = kr_skip_ws(p);
	if (lex_module(&p, f))
		return !*kr_skip_ws(p);
	m = p;
	while (kr_is_sym_char(*p) || *p == '-')
		p++;
	if (*kr_skip_ws(p))
		return false;
	if (p > m) {
		free(f->module);
		f->module = kt_xstrndup(m, (size_t)(p - m));
	}
	return true;
}

/* decode_stacktrace.sh: "(a.h:12 b.c:34)" then maybe "mod" or "[mod]". */
static bool decoded(const char *p, struct kr_frame_line *fl)
{
	struct kt_frame *f = &fl->frame;
	bool closed;

	p++;
	if (!lex_locs(&p, f, &closed))
		return false;
	if (!closed) {
		fl->open = !*p; /* the list goes on on the next line */
		return !*p;
	}
	return decoded_end(p, f);
}

/* After "name ": addr2line's "at loc", decode_stacktrace.sh's "(locs)",
 * syzbot's "loc [inline]" or a module. */
static enum kr_frame_kind after_name(const char *p, bool inlined_by, struct kr_frame_line *fl)
{
	struct kt_frame *f = &fl->frame;
	struct kt_src_loc loc;

	if (kr_lex_lit(&p, "at ")) {
		if (!lex_loc(&p, &loc))
			return KR_FRAME_NONE;
		push_loc(f, &loc);
		skip_discriminator(&p);
		return *kr_skip_ws(p) ? KR_FRAME_NONE : KR_FRAME_AT;
	}
	if (inlined_by)
		return KR_FRAME_NONE;
	if (*p == '(')
		return decoded(p, fl) ? KR_FRAME : KR_FRAME_NONE;
	if (lex_module(&p, f))
		return *kr_skip_ws(p) ? KR_FRAME_NONE : KR_FRAME;
	if (!lex_loc(&p, &loc))
		return KR_FRAME_NONE;
	push_loc(f, &loc);
	p = kr_skip_ws(p);
	f->inlined = kr_lex_lit(&p, "[inline]");
	p = kr_skip_ws(p);
	/* nothing more, or a note a human added ("<-- inconsistent ...") */
	return !*p || kt_str_startswith(p, "<-") ? KR_FRAME : KR_FRAME_NONE;
}

/* "func+0x57/0xe0" at *p: the offset and size into f. */
static bool lex_offset(const char **p, struct kt_frame *f)
{
	const char *q = *p;

	if (*q != '+')
		return false;
	q++;
	if (!kr_lex_hex(&q, &f->off, NULL) || *q != '/')
		return false;
	q++;
	if (!kr_lex_hex(&q, &f->size, NULL))
		return false;
	f->has_offset = true;
	*p = q;
	return true;
}

static enum kr_frame_kind parse_name_and_rest(const char *p, bool inlined_by,
					      struct kr_frame_line *fl)
{
	struct kt_frame *f = &fl->frame;
	const char *name = p;
	size_t nlen;

	while (kr_is_sym_char(*p))
		p++;
	nlen = (size_t)(p - name);
	if (nlen == 0 || kr_is_digit(name[0]))
		return KR_FRAME_NONE;
	f->func = kt_xstrndup(name, nlen);
	if (*p == '+') {
		if (inlined_by || !lex_offset(&p, f))
			return KR_FRAME_NONE;
		after_offset(p, fl);
		return KR_FRAME;
	}
	if (!*p)
		return !inlined_by && bare_name_ok(name, nlen) ? KR_FRAME : KR_FRAME_NONE;
	if (*p != ' ' && *p != '\t')
		return KR_FRAME_NONE;
	return after_name(kr_skip_ws(p), inlined_by, fl);
}

enum kr_frame_kind kr_parse_frame(const char *c, struct kr_frame_line *fl)
{
	const char *p = c;
	bool inlined_by;
	enum kr_frame_kind k;

	memset(fl, 0, sizeof(*fl));
	/* old kernels: " [<ffffffff81234567>] func+0x../0x.." */
	if (p[0] == '[' && p[1] == '<') {
		p += 2;
		while (kr_is_hex(*p))
			p++;
		if (p[0] != '>' || p[1] != ']')
			return KR_FRAME_NONE;
		p = kr_skip_ws(p + 2);
	}
	if (p[0] == '?' && p[1] == ' ')
		return KR_FRAME_QUESTIONABLE;
	inlined_by = kr_lex_lit(&p, "(inlined by) ");
	k = parse_name_and_rest(p, inlined_by, fl);
	if (k == KR_FRAME_NONE)
		kr_frame_fini(&fl->frame);
	return k;
}

bool kr_parse_more_locs(const char *c, struct kt_frame *f, bool *open)
{
	struct loc_list l;
	bool closed;
	const char *p = c;

	if (f->ninl + 1 >= MAX_LOCS || !lex_loc_list(&p, MAX_LOCS - f->ninl - 1, &l, &closed))
		return false;
	/* an open list may close here, then name the module; a line of
	 * locations under a frame is only locations */
	if (closed ? !*open || !decoded_end(p, f) : *p != '\0') {
		loc_list_free(&l);
		return false;
	}
	loc_list_push(f, &l);
	*open = *open && !closed;
	return true;
}
