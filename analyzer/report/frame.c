// SPDX-License-Identifier: Apache-2.0
/*
 * Stack lines: raw console frames, syzbot's symbolized ones, addr2line and
 * decode_stacktrace.sh output pasted under or instead of them.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void kt_frames_free(struct kt_frame *frames, size_t n)
{
	if (!frames)
		return;
	for (size_t i = 0; i < n; i++) {
		free(frames[i].func);
		free(frames[i].module);
		free(frames[i].file);
	}
	free(frames);
}

void kr_frame_fini(struct kt_frame *f)
{
	free(f->func);
	free(f->module);
	free(f->file);
	memset(f, 0, sizeof(*f));
}

void kt_frame_copy(struct kt_frame *dst, const struct kt_frame *src)
{
	*dst = *src;
	dst->func = src->func ? kt_xstrdup(src->func) : NULL;
	dst->module = src->module ? kt_xstrdup(src->module) : NULL;
	dst->file = src->file ? kt_xstrdup(src->file) : NULL;
}

/* "file:line" token ending at end or at a space; line may be -1 (unknown). */
static bool lex_file_line(const char **p, char **file, int *line)
{
	const char *s = *p, *end = s, *colon = NULL;
	long l;
	const char *q;

	while (*end && *end != ' ' && *end != ')')
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
	if (q[0] == '?' && q + 1 == end)
		l = 0; /* decode_stacktrace.sh: no line known */
	else if (!kr_lex_dec(&q, &l) || q != end)
		return false;
	*file = kt_xstrndup(s, (size_t)(colon - s));
	*line = l > 0 && l < 100000000 ? (int)l : 0;
	*p = end;
	return true;
}

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

enum kr_frame_kind kr_parse_frame(const char *c, struct kt_frame *f)
{
	const char *p = c, *name;
	size_t nlen;
	enum kr_frame_kind kind = KR_FRAME;

	memset(f, 0, sizeof(*f));
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
	if (kr_lex_lit(&p, "(inlined by) "))
		kind = KR_FRAME_AT;
	name = p;
	while (kr_is_sym_char(*p))
		p++;
	nlen = (size_t)(p - name);
	if (nlen == 0 || kr_is_digit(name[0]))
		return KR_FRAME_NONE;
	if (*p == '+') {
		const char *q = p + 1;

		if (kind == KR_FRAME_AT || !kr_lex_hex(&q, &f->off, NULL) || *q != '/')
			return KR_FRAME_NONE;
		q++;
		if (!kr_lex_hex(&q, &f->size, NULL))
			return KR_FRAME_NONE;
		f->has_offset = true;
		p = kr_skip_ws(q);
		if (*p == '[') {
			const char *m = ++p;

			while (*p && *p != ']' && *p != ' ')
				p++;
			if (p == m)
				return KR_FRAME_NONE;
			f->module = kt_xstrndup(m, (size_t)(p - m));
			while (*p && *p != ']') /* "[mod buildid]" */
				p++;
			if (*p != ']') {
				kr_frame_fini(f);
				return KR_FRAME_NONE;
			}
			p = kr_skip_ws(p + 1);
		}
		if (*p == '(')
			p++;
		if (*p && !lex_file_line(&p, &f->file, &f->line)) {
			/* trailing text we do not know: still a frame, no location */
			f->file = NULL;
		}
		f->func = kt_xstrndup(name, nlen);
		return KR_FRAME;
	}
	if (!*p && kind != KR_FRAME_AT && bare_name_ok(name, nlen)) {
		/* a copy that kept the names only: "do_exit" */
		f->func = kt_xstrndup(name, nlen);
		return KR_FRAME;
	}
	if (*p != ' ')
		return KR_FRAME_NONE;
	p++;
	if (kr_lex_lit(&p, "at ")) {
		/* addr2line -i style */
		if (!lex_file_line(&p, &f->file, &f->line))
			return KR_FRAME_NONE;
		f->func = kt_xstrndup(name, nlen);
		return KR_FRAME_AT;
	}
	if (kind == KR_FRAME_AT)
		return KR_FRAME_NONE;
	if (*p == '(') {
		/* decode_stacktrace.sh: "func (a.h:12 b.c:34)", innermost first;
		 * the last location is func's own line */
		char *file = NULL;
		int line = 0;

		p++;
		for (;;) {
			char *fl;
			int ln;

			if (!lex_file_line(&p, &fl, &ln)) {
				free(file);
				return KR_FRAME_NONE;
			}
			free(file);
			file = fl;
			line = ln;
			if (*p == ')')
				break;
			if (*p != ' ') {
				free(file);
				return KR_FRAME_NONE;
			}
			p = kr_skip_ws(p);
		}
		f->file = file;
		f->line = line;
		f->func = kt_xstrndup(name, nlen);
		return KR_FRAME;
	}
	/* syzbot: "func file:line [inline]" */
	if (!lex_file_line(&p, &f->file, &f->line))
		return KR_FRAME_NONE;
	p = kr_skip_ws(p);
	if (strcmp(p, "[inline]") != 0) {
		kr_frame_fini(f);
		return KR_FRAME_NONE;
	}
	f->inlined = true;
	f->func = kt_xstrndup(name, nlen);
	return KR_FRAME;
}
