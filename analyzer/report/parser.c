// SPDX-License-Identifier: Apache-2.0
/*
 * Streaming reader of KCSAN reports (kernel/kcsan/report.c's format) in console
 * logs, mails and syzbot's symbolized reports.
 *
 * A report starts at a "BUG: KCSAN: " line and ends at the "=====" line after
 * the "Reported by Kernel Concurrency Sanitizer on:" block. When the input
 * ends, or the next report starts, before that line, the report is returned
 * (complete = false) if every access stack it announces was read, and an error
 * ("truncated report") otherwise. Console prefixes ("[  1.2][  T47] ",
 * "<4>[ 1.2] ") are stripped; when the title line carries a caller id, lines of
 * other callers inside the report are skipped (interleaved output).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kcsan/report.h"
#include "kcsan/strbuf.h"

#define READ_CHUNK (64 * 1024)
/* Unrecognized lines tolerated inside one report (lock and IRQ-trace info of
 * CONFIG_KCSAN_VERBOSE, "<snip>" of mail copies); more is garbage. */
#define MAX_OTHER_LINES 256
#define QUOTE_MAX	60

struct prefix {
	char caller[16]; /* "T47", "C4" or "" */
};

struct kt_reader {
	FILE *fp;
	char *name;
	char *ibuf;
	size_t ipos, ilen;
	bool eof;
	int read_errno;

	/* current line */
	struct kt_strbuf line;
	long lineno;
	bool too_long;
	bool has_nul;
	bool pushback; /* the current line is to be read again */

	/* the "=====" line just before a title, for kt_report.text */
	bool prev_sep;
	char prev_sep_caller[16];
	char prev_sep_text[72];

	struct kt_title_normalizer *tn;
};

/* ---------------------------------------------------------------- frames */

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

static void frame_fini(struct kt_frame *f)
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

static void access_fini(struct kt_access *a)
{
	kt_frames_free(a->frames, a->nframes);
	if (a->reordered_to) {
		frame_fini(a->reordered_to);
		free(a->reordered_to);
	}
	free(a->type_text);
	memset(a, 0, sizeof(*a));
}

void kt_report_free(struct kt_report *rep)
{
	if (!rep)
		return;
	free(rep->bug_line);
	free(rep->title);
	free(rep->title_funcs[0]);
	free(rep->title_funcs[1]);
	for (size_t i = 0; i < 2; i++)
		access_fini(&rep->access[i]);
	free(rep->env.comm);
	free(rep->env.taint);
	free(rep->env.kernel);
	free(rep->env.hardware);
	free(rep->input);
	free(rep->text);
	free(rep);
}

/* ---------------------------------------------------------- access types */

static const struct {
	const char *text;
	enum kt_access_op op;
	bool marked, reordered;
} access_types[] = {
    {"read", KT_OP_READ, false, false},
    {"read (marked)", KT_OP_READ, true, false},
    {"read (reordered)", KT_OP_READ, false, true},
    {"read (marked, reordered)", KT_OP_READ, true, true},
    {"write", KT_OP_WRITE, false, false},
    {"write (marked)", KT_OP_WRITE, true, false},
    {"write (reordered)", KT_OP_WRITE, false, true},
    {"write (marked, reordered)", KT_OP_WRITE, true, true},
    {"read-write", KT_OP_READ_WRITE, false, false},
    {"read-write (marked)", KT_OP_READ_WRITE, true, false},
    {"read-write (reordered)", KT_OP_READ_WRITE, false, true},
    {"read-write (marked, reordered)", KT_OP_READ_WRITE, true, true},
    {"assert no writes", KT_OP_ASSERT_NO_WRITES, false, false},
    {"assert no writes (reordered)", KT_OP_ASSERT_NO_WRITES, false, true},
    {"assert no accesses", KT_OP_ASSERT_NO_ACCESSES, false, false},
    {"assert no accesses (reordered)", KT_OP_ASSERT_NO_ACCESSES, false, true},
};

const char *kt_access_op_name(enum kt_access_op op)
{
	switch (op) {
	case KT_OP_READ:
		return "read";
	case KT_OP_WRITE:
		return "write";
	case KT_OP_READ_WRITE:
		return "read-write";
	case KT_OP_ASSERT_NO_WRITES:
		return "assert no writes";
	case KT_OP_ASSERT_NO_ACCESSES:
		return "assert no accesses";
	}
	return "?";
}

/* An assert does not write: it forbids concurrent writes or accesses. */
bool kt_access_is_write(const struct kt_access *a)
{
	return a->op == KT_OP_WRITE || a->op == KT_OP_READ_WRITE;
}

/* --------------------------------------------------------- small lexing */

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return c - 'A' + 10;
}

/* "0x" + hex digits (at most 16) at *p; advances *p; digits counts them. */
static bool lex_hex(const char **p, uint64_t *v, int *digits)
{
	const char *s = *p;
	uint64_t x = 0;
	int n = 0;

	if (s[0] != '0' || s[1] != 'x')
		return false;
	s += 2;
	while (is_hex(*s)) {
		if (n == 16)
			return false;
		x = x << 4 | (uint64_t)hex_val(*s);
		s++;
		n++;
	}
	if (n == 0)
		return false;
	*p = s;
	*v = x;
	if (digits)
		*digits = n;
	return true;
}

/* Decimal, optionally negative, bounded. */
static bool lex_dec(const char **p, long *v)
{
	const char *s = *p;
	bool neg = false;
	long x = 0;
	int n = 0;

	if (*s == '-') {
		neg = true;
		s++;
	}
	while (is_digit(*s)) {
		if (n == 12)
			return false;
		x = x * 10 + (*s - '0');
		s++;
		n++;
	}
	if (n == 0)
		return false;
	*p = s;
	*v = neg ? -x : x;
	return true;
}

static bool lex_lit(const char **p, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(*p, lit, n) != 0)
		return false;
	*p += n;
	return true;
}

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static bool is_sym_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' ||
	       c == '.' || c == '$';
}

/* ------------------------------------------------------------- prefixes */

/* "[  T47]", "[    C4]": the printk caller id. Returns its length, 0 if none. */
static size_t lex_caller(const char *s, struct prefix *px)
{
	size_t k = 1, c0;

	if (s[0] != '[')
		return 0;
	while (s[k] == ' ')
		k++;
	c0 = k;
	if (s[k] != 'T' && s[k] != 'C')
		return 0;
	k++;
	while (is_digit(s[k]))
		k++;
	if (s[k] != ']' || k == c0 + 1 || k - c0 >= sizeof(px->caller))
		return 0;
	memcpy(px->caller, s + c0, k - c0);
	px->caller[k - c0] = '\0';
	return k + 1;
}

/* "[ 12.345678]": the printk time. */
static size_t lex_timestamp(const char *s)
{
	size_t j = 1;

	if (s[0] != '[')
		return 0;
	while (s[j] == ' ')
		j++;
	if (!is_digit(s[j]))
		return 0;
	while (is_digit(s[j]))
		j++;
	if (s[j] != '.')
		return 0;
	j++;
	while (is_digit(s[j]))
		j++;
	return s[j] == ']' ? j + 1 : 0;
}

/* "[Tue Nov 25 03:00:00 2026]": the time of dmesg -T. */
static size_t lex_human_time(const char *s)
{
	/* A: a letter, 9: a digit, #: a digit or a blank, else itself */
	static const char shape[] = "[AAA AAA #9 99:99:99 9999]";
	size_t i;

	for (i = 0; shape[i]; i++) {
		char c = s[i];
		bool ok;

		switch (shape[i]) {
		case 'A':
			ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
			break;
		case '9':
			ok = is_digit(c);
			break;
		case '#':
			ok = is_digit(c) || c == ' ';
			break;
		default:
			ok = c == shape[i];
		}
		if (!ok)
			return 0;
	}
	return i;
}

/* "Nov 25 03:00:00 host kernel: " (syslog) or
 * "2026-11-25T03:00:00.123456+00:00 host kernel: " (journal, rsyslog). */
static size_t lex_syslog(const char *s)
{
	size_t n;
	const char *k;

	if (strnlen(s, 11) < 11)
		return 0;
	if (!((s[0] >= 'A' && s[0] <= 'Z' && s[3] == ' ' && s[6] == ' ' && s[9] == ':') ||
	      (is_digit(s[0]) && s[4] == '-' && s[7] == '-' && s[10] == 'T')))
		return 0;
	n = strnlen(s, 160);
	k = memmem(s, n, " kernel: ", 9);
	return k ? (size_t)(k - s) + 9 : 0;
}

/*
 * Console prefixes: optional mail quote marks, an optional syslog "... host kernel: ", an optional
 * "<N>" log level, an optional "[ 12.345678]" or "[Tue Nov 25 03:00:00 2026]" time, an optional "[
 * T47]"/"[    C4]" caller, then one space. Returns the offset of the content.
 */
static size_t strip_prefix(const char *s, struct prefix *px)
{
	size_t i, j, n;
	bool bracket = false;

	px->caller[0] = '\0';
	/* mail quotes: "> ", ">> ", "> > " */
	for (i = 0; s[i] == '>';) {
		i++;
		if (s[i] == ' ')
			i++;
	}
	i += lex_syslog(s + i);
	if (s[i] == '<') {
		j = i + 1;
		while (is_digit(s[j]))
			j++;
		if (j > i + 1 && s[j] == '>')
			i = j + 1;
	}
	if ((n = lex_timestamp(s + i)) || (n = lex_human_time(s + i))) {
		i += n;
		bracket = true;
	}
	if ((n = lex_caller(s + i, px))) {
		i += n;
		bracket = true;
	}
	if (bracket && s[i] == ' ')
		i++;
	return i;
}

/* --------------------------------------------------------------- frames */

enum frame_kind {
	FK_NONE,	 /* not a frame */
	FK_QUESTIONABLE, /* "? func+0x..": skipped */
	FK_FRAME,	 /* func+0x../0x.. [mod] [file:line] or func file:line [inline] */
	FK_AT,		 /* addr2line: "func at file:line", "(inlined by) func at ..." */
};

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
	if (q[0] == '?' && q + 1 == end) /* addr2line's line 0 (clang's merged code) */
		l = 0, q++;
	else if (!lex_dec(&q, &l) || q != end)
		return false;
	*file = kt_xstrndup(s, (size_t)(colon - s));
	*line = l > 0 && l < 100000000 ? (int)l : 0;
	*p = end;
	return true;
}

static enum frame_kind parse_frame(const char *c, struct kt_frame *f)
{
	const char *p = c, *name;
	size_t nlen;
	enum frame_kind kind = FK_FRAME;

	memset(f, 0, sizeof(*f));
	/* old kernels: " [<ffffffff81234567>] func+0x../0x.." */
	if (p[0] == '[' && p[1] == '<') {
		p += 2;
		while (is_hex(*p))
			p++;
		if (p[0] != '>' || p[1] != ']')
			return FK_NONE;
		p = skip_ws(p + 2);
	}
	if (p[0] == '?' && p[1] == ' ')
		return FK_QUESTIONABLE;
	if (lex_lit(&p, "(inlined by) "))
		kind = FK_AT;
	name = p;
	while (is_sym_char(*p))
		p++;
	nlen = (size_t)(p - name);
	if (nlen == 0 || is_digit(name[0]))
		return FK_NONE;
	if (*p == '+') {
		const char *q = p + 1;

		if (kind == FK_AT || !lex_hex(&q, &f->off, NULL) || *q != '/')
			return FK_NONE;
		q++;
		if (!lex_hex(&q, &f->size, NULL))
			return FK_NONE;
		f->has_offset = true;
		p = skip_ws(q);
		if (*p == '[') {
			const char *m = ++p;

			while (*p && *p != ']' && *p != ' ')
				p++;
			if (p == m)
				return FK_NONE;
			f->module = kt_xstrndup(m, (size_t)(p - m));
			while (*p && *p != ']') /* "[mod buildid]" */
				p++;
			if (*p != ']') {
				frame_fini(f);
				return FK_NONE;
			}
			p = skip_ws(p + 1);
		}
		if (*p == '(')
			p++;
		if (*p && !lex_file_line(&p, &f->file, &f->line)) {
			/* trailing text we do not know: still a frame, no location */
			f->file = NULL;
		}
		f->func = kt_xstrndup(name, nlen);
		return FK_FRAME;
	}
	if (*p != ' ')
		return FK_NONE;
	p++;
	if (lex_lit(&p, "at ")) {
		/* addr2line -i style */
		if (!lex_file_line(&p, &f->file, &f->line))
			return FK_NONE;
		f->func = kt_xstrndup(name, nlen);
		return FK_AT;
	}
	if (kind == FK_AT)
		return FK_NONE;
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
				return FK_NONE;
			}
			free(file);
			file = fl;
			line = ln;
			if (*p == ')')
				break;
			if (*p != ' ') {
				free(file);
				return FK_NONE;
			}
			p = skip_ws(p);
		}
		f->file = file;
		f->line = line;
		f->func = kt_xstrndup(name, nlen);
		return FK_FRAME;
	}
	/* syzbot: "func file:line [inline]" */
	if (!lex_file_line(&p, &f->file, &f->line))
		return FK_NONE;
	p = skip_ws(p);
	if (strcmp(p, "[inline]") != 0) {
		frame_fini(f);
		return FK_NONE;
	}
	f->inlined = true;
	f->func = kt_xstrndup(name, nlen);
	return FK_FRAME;
}

/* ----------------------------------------------------------- the report */

enum state {
	ST_TITLE_WRAP, /* the title line ended in "/": the next line may finish it */
	ST_EXPECT,     /* between sections: blank lines, headers, value change */
	ST_STACK,      /* frames of the current access */
	ST_FOOTER,     /* after "Reported by ...": CPU:, Hardware name: */
};

struct parse {
	struct kt_reader *rd;
	struct kt_report *rep;
	enum state st;
	bool has_caller;
	char caller[16];
	size_t other_lines;
	size_t title_nfuncs;
	long at_anchor;		/* index of the frame an addr2line chain belongs to, or -1 */
	struct kt_strbuf title; /* joined bug line */
	struct kt_strbuf text;	/* kt_report.text being built */
	struct kt_strbuf cpu_line, hw_line;
	int footer_last;  /* 1 = CPU line, 2 = Hardware name, 0 = other */
	bool footer_cont; /* the last key line already got its continuation */
	size_t cap[2];	  /* frames[] capacities */
	char tail[32];	  /* the current line's trailing blanks, kept in text */
};

static void quote(char *dst, size_t n, const char *s)
{
	size_t i = 0;

	for (; *s && i + 4 < n; s++) {
		unsigned char ch = (unsigned char)*s;

		dst[i++] = ch < 0x20 || ch >= 0x7f ? '?' : (char)ch;
	}
	if (*s) {
		dst[i++] = '.';
		dst[i++] = '.';
		dst[i++] = '.';
	}
	dst[i] = '\0';
}

static struct kt_error *perr(struct parse *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static struct kt_error *perr(struct parse *ps, const char *fmt, ...)
{
	struct kt_error *e;
	va_list ap;

	va_start(ap, fmt);
	e = kt_error_newv(KT_ERR_PARSE, ps->rd->name, ps->rd->lineno, fmt, ap);
	va_end(ap);
	return e;
}

static void add_text(struct parse *ps, const char *s)
{
	struct kt_strbuf *t = &ps->text;
	size_t n = strlen(s);

	if (t->len + n + 1 > KT_REPORT_MAX_TEXT)
		return;
	kt_strbuf_add(t, s, n);
	kt_strbuf_addc(t, '\n');
}

/* The current line into text with the blanks it ended with (not its '\r'):
 * text is what the report printed, so re-printing it is byte-exact. */
static void add_line_text(struct parse *ps, const char *content)
{
	struct kt_strbuf *t = &ps->text;
	size_t n = strlen(content), k = strlen(ps->tail);

	if (t->len + n + k + 1 > KT_REPORT_MAX_TEXT)
		return;
	kt_strbuf_add(t, content, n);
	kt_strbuf_add(t, ps->tail, k);
	kt_strbuf_addc(t, '\n');
}

static void add_frame_at(struct parse *ps, struct kt_access *a, size_t ai, size_t pos,
			 struct kt_frame *f)
{
	if (a->nframes >= KT_REPORT_MAX_FRAMES) {
		frame_fini(f);
		return;
	}
	if (a->nframes == ps->cap[ai]) {
		ps->cap[ai] = ps->cap[ai] ? ps->cap[ai] * 2 : 16;
		a->frames = kt_xrealloc(a->frames, ps->cap[ai] * sizeof(*a->frames));
	}
	memmove(&a->frames[pos + 1], &a->frames[pos], (a->nframes - pos) * sizeof(*a->frames));
	a->frames[pos] = *f;
	a->nframes++;
}

/* "<type> to 0x.. of N bytes by task N|interrupt on cpu N:"; *is_header says
 * whether the line has that shape at all. */
static struct kt_error *parse_access_header(struct parse *ps, const char *c, bool *is_header)
{
	struct kt_report *rep = ps->rep;
	const char *p = c, *to, *type;
	bool unknown = false;
	struct kt_access *a;
	size_t i, tlen;
	long v;
	char q[QUOTE_MAX + 4];

	*is_header = false;
	if (!strstr(c, " bytes by ") || !(to = strstr(c, " to 0x")))
		return NULL;
	*is_header = true;
	quote(q, sizeof(q), c);
	if (lex_lit(&p, "race at unknown origin, with "))
		unknown = true;
	type = p;
	tlen = (size_t)(to - type);
	for (i = 0; i < sizeof(access_types) / sizeof(access_types[0]); i++) {
		if (strlen(access_types[i].text) == tlen &&
		    memcmp(access_types[i].text, type, tlen) == 0)
			break;
	}
	if (to < type || i == sizeof(access_types) / sizeof(access_types[0])) {
		char t[QUOTE_MAX + 4];
		char *tt = kt_xstrndup(type, to > type ? (size_t)(to - type) : 0);

		quote(t, sizeof(t), tt);
		free(tt);
		return perr(ps, "unknown access type '%s' in '%s'", t, q);
	}
	if (rep->naccess == 2)
		return perr(ps, "garbled report: a third access: '%s'", q);
	if (unknown && rep->naccess > 0)
		return perr(ps, "garbled report: 'race at unknown origin' after an access: '%s'",
			    q);
	a = &rep->access[rep->naccess];
	a->op = access_types[i].op;
	a->marked = access_types[i].marked;
	a->reordered = access_types[i].reordered;
	a->task = -1;
	a->cpu = -1;
	a->line_no = ps->rd->lineno;
	p = to + 4;
	if (!lex_hex(&p, &a->addr, NULL) || !lex_lit(&p, " of ") || !lex_dec(&p, &v) || v < 0 ||
	    !lex_lit(&p, " bytes by "))
		goto bad;
	a->size = (uint64_t)v;
	if (lex_lit(&p, "task ")) {
		if (!lex_dec(&p, &a->task))
			goto bad;
	} else if (lex_lit(&p, "interrupt")) {
		a->by_interrupt = true;
	} else {
		goto bad;
	}
	if (lex_lit(&p, " on cpu ")) {
		if (!lex_dec(&p, &v) || v < -1 || v > 1000000)
			goto bad;
		a->cpu = (int)v;
	}
	if (*p != ':' || *skip_ws(p + 1))
		goto bad;
	a->type_text = kt_xstrndup(type, tlen);
	if (unknown)
		rep->unknown_origin = true;
	rep->naccess++;
	ps->at_anchor = -1;
	return NULL;
bad:
	memset(a, 0, sizeof(*a));
	return perr(ps, "garbled access line '%s'", q);
}

static struct kt_error *parse_value_change(struct parse *ps, const char *c)
{
	struct kt_value_change *v = &ps->rep->value;
	const char *p = c + strlen("value changed: ");
	int w1, w2;
	char q[QUOTE_MAX + 4];

	if (!lex_hex(&p, &v->old_val, &w1) || !lex_lit(&p, " -> ") ||
	    !lex_hex(&p, &v->new_val, &w2) || *skip_ws(p)) {
		quote(q, sizeof(q), c);
		return perr(ps, "garbled value-change line '%s'", q);
	}
	v->present = true;
	v->width = w1 > w2 ? w1 : w2;
	return NULL;
}

static struct kt_error *parse_bits_changed(struct parse *ps, const char *c)
{
	struct kt_value_change *v = &ps->rep->value;
	const char *p = c + strlen("bits changed: ");
	char q[QUOTE_MAX + 4];

	if (!v->present || !lex_hex(&p, &v->bits, NULL) || !lex_lit(&p, " with mask ") ||
	    !lex_hex(&p, &v->mask, NULL) || *skip_ws(p)) {
		quote(q, sizeof(q), c);
		return perr(ps, "garbled bits-changed line '%s'", q);
	}
	v->has_mask = true;
	return NULL;
}

/* "data-race in" or "assert: race in", then a blank or the end. */
static bool bug_type(const char **p, enum kt_report_kind *kind)
{
	const char *s = *p;
	enum kt_report_kind k;

	if (lex_lit(&s, "data-race in"))
		k = KT_KIND_DATA_RACE;
	else if (lex_lit(&s, "assert: race in"))
		k = KT_KIND_ASSERT;
	else
		return false;
	if (*s && *s != ' ')
		return false;
	*p = skip_ws(s);
	if (kind)
		*kind = k;
	return true;
}

/* "data-race in A / B", "assert: race in A", "data-race in A and B". */
static struct kt_error *parse_title(struct parse *ps)
{
	struct kt_report *rep = ps->rep;
	const char *p = skip_ws(rep->bug_line + strlen("BUG: KCSAN:"));
	char q[QUOTE_MAX + 4];

	if (!bug_type(&p, &rep->kind)) {
		quote(q, sizeof(q), rep->bug_line);
		return kt_error_new(KT_ERR_PARSE, ps->rd->name, rep->first_line,
				    "unknown KCSAN bug type in '%s'", q);
	}
	for (int i = 0; i < 2 && *p; i++) {
		const char *s = skip_ws(p), *e = s;
		const char *sep;

		while (is_sym_char(*e))
			e++;
		if (e > s)
			rep->title_funcs[i] = kt_xstrndup(s, (size_t)(e - s));
		ps->title_nfuncs = (size_t)i + 1;
		sep = strstr(e, " / ");
		if (!sep)
			sep = strstr(e, " and ");
		if (!sep) {
			/* a title cut after "A /": two functions, the second unknown */
			if (i == 0 && kt_str_endswith(e, "/"))
				ps->title_nfuncs = 2;
			break;
		}
		p = sep + (sep[1] == '/' ? 3 : 5);
		if (i == 1)
			ps->title_nfuncs = 3;
	}
	if (!rep->title_funcs[0] || ps->title_nfuncs > 2) {
		quote(q, sizeof(q), rep->bug_line);
		return kt_error_new(KT_ERR_PARSE, ps->rd->name, rep->first_line,
				    "garbled KCSAN title '%s'", q);
	}
	return NULL;
}

/* CPU: 1 [UID: 0 ]PID: 52 Comm: w-prw Not tainted 6.1.192 #1 [extra] */
static void parse_cpu_line(struct kt_report_env *env, const char *s)
{
	const char *p = s + strlen("CPU: "), *comm, *t, *k;
	long v;
	size_t clen;

	if (lex_dec(&p, &v))
		env->cpu = (int)v;
	if ((p = strstr(s, " PID: "))) {
		p += strlen(" PID: ");
		if (lex_dec(&p, &v))
			env->pid = v;
	}
	if (!(comm = strstr(s, " Comm: ")))
		return;
	comm += strlen(" Comm: ");
	t = NULL;
	for (const char *x = comm; (x = strstr(x, " Not tainted")); x++)
		t = x;
	for (const char *x = comm; (x = strstr(x, " Tainted: ")); x++)
		if (!t || x > t)
			t = x;
	if (!t) {
		env->comm = kt_xstrdup(comm);
		return;
	}
	clen = (size_t)(t - comm);
	env->comm = kt_xstrndup(comm, clen);
	t++;
	if (lex_lit(&t, "Not tainted")) {
		env->taint = kt_xstrdup("Not tainted");
	} else {
		struct kt_strbuf sb;

		kt_strbuf_init(&sb);
		kt_strbuf_adds(&sb, "Tainted:");
		t += strlen("Tainted:");
		/* flags are single letters separated by blanks, then the release */
		for (;;) {
			const char *f = skip_ws(t);

			if (*f && *f != ' ' && (f[1] == ' ' || f[1] == '\0') &&
			    ((*f >= 'A' && *f <= 'Z') || *f == '+')) {
				kt_strbuf_addc(&sb, ' ');
				kt_strbuf_addc(&sb, *f);
				t = f + 1;
				continue;
			}
			t = f;
			break;
		}
		env->taint = kt_strbuf_detach(&sb);
	}
	k = skip_ws(t);
	if (*k) {
		const char *e = k;

		while (*e && *e != ' ')
			e++;
		env->kernel = kt_xstrndup(k, (size_t)(e - k));
	}
}

/* Key lines of dump_stack_print_info() and friends: "Word word: ". */
static bool looks_like_key(const char *c)
{
	const char *p = c;

	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == ' ')
		p++;
	return p > c && p[0] == ':' && (p[1] == ' ' || p[1] == '\0');
}

static bool is_separator(const char *c)
{
	return strncmp(c, "==========", 10) == 0;
}

enum line_result {
	LR_CONTINUE,
	LR_END,	     /* report ended at a line that belongs to it (the "=====") */
	LR_END_PUSH, /* report ended before this line: read it again */
};

static struct kt_error *report_line(struct parse *ps, char *content, enum line_result *lr)
{
	struct kt_report *rep = ps->rep;
	struct kt_error *err;
	const char *c = skip_ws(content);
	bool is_header;
	struct kt_frame f;

	*lr = LR_CONTINUE;
	if (strncmp(c, "BUG: KCSAN:", 11) == 0) {
		*lr = LR_END_PUSH;
		return NULL;
	}
	if (ps->st != ST_FOOTER && rep->naccess && kt_str_startswith(c, "CPU: ") &&
	    strstr(c, " PID: ")) {
		/* a copy that lost the "Reported by" line */
		ps->st = ST_FOOTER;
	}
	if (ps->st == ST_FOOTER) {
		if (!*c)
			goto text;
		if (kt_str_startswith(c, "CPU: ")) {
			kt_strbuf_reset(&ps->cpu_line);
			kt_strbuf_adds(&ps->cpu_line, c);
			ps->footer_last = 1;
			ps->footer_cont = false;
		} else if (kt_str_startswith(c, "Hardware name: ")) {
			kt_strbuf_reset(&ps->hw_line);
			kt_strbuf_adds(&ps->hw_line, c + strlen("Hardware name: "));
			ps->footer_last = 2;
			ps->footer_cont = false;
		} else if (is_separator(c)) {
			add_line_text(ps, content);
			*lr = LR_END;
			return NULL;
		} else if (looks_like_key(c)) {
			/* "Workqueue:", "Tainted: [W]=WARN", ... */
			ps->footer_last = 0;
		} else if (ps->footer_last && !ps->footer_cont) {
			/* a key line wrapped by a mail client */
			struct kt_strbuf *sb = ps->footer_last == 1 ? &ps->cpu_line : &ps->hw_line;

			while (sb->len && sb->buf[sb->len - 1] == ' ')
				sb->buf[--sb->len] = '\0';
			kt_strbuf_addc(sb, ' ');
			kt_strbuf_adds(sb, c);
			ps->footer_cont = true;
		} else {
			/* not part of the footer: the report ended without "=====" */
			*lr = LR_END_PUSH;
			return NULL;
		}
		goto text;
	}
	if (is_separator(c)) {
		/* before the footer: rather the next report's opening line */
		*lr = LR_END_PUSH;
		return NULL;
	}
	if (ps->st == ST_TITLE_WRAP) {
		ps->st = ST_EXPECT;
		if (*c && !strstr(c, " bytes by ")) {
			kt_strbuf_adds(&ps->title, " ");
			kt_strbuf_adds(&ps->title, c);
			goto text;
		}
	}
	if (!*c) {
		if (ps->st == ST_STACK)
			ps->st = ST_EXPECT;
		goto text;
	}
	if ((err = parse_access_header(ps, c, &is_header)))
		return err;
	if (is_header) {
		ps->st = ST_STACK;
		goto text;
	}
	if (kt_str_startswith(c, "value changed: ")) {
		if (rep->naccess == 0)
			return perr(ps, "garbled report: value change before any access");
		if ((err = parse_value_change(ps, c)))
			return err;
		ps->st = ST_EXPECT;
		goto text;
	}
	if (kt_str_startswith(c, "bits changed: ")) {
		if ((err = parse_bits_changed(ps, c)))
			return err;
		goto text;
	}
	if (kt_str_startswith(c, "Reported by Kernel Concurrency Sanitizer")) {
		ps->st = ST_FOOTER;
		goto text;
	}
	if (ps->st == ST_STACK) {
		struct kt_access *a = &rep->access[rep->naccess - 1];
		size_t ai = rep->naccess - 1;
		enum frame_kind k;

		if (strcmp(c, "|") == 0)
			goto text;
		if (kt_str_startswith(c, "+-> reordered to: ")) {
			k = parse_frame(c + strlen("+-> reordered to: "), &f);
			if (k != FK_FRAME || a->reordered_to) {
				char q[QUOTE_MAX + 4];

				if (k != FK_NONE)
					frame_fini(&f);
				quote(q, sizeof(q), c);
				return perr(ps, "garbled reordered-to line '%s'", q);
			}
			a->reordered_to = kt_xmalloc(sizeof(*a->reordered_to));
			*a->reordered_to = f;
			goto text;
		}
		k = parse_frame(c, &f);
		if (k == FK_QUESTIONABLE)
			goto text;
		if (k == FK_FRAME) {
			if (f.file)
				rep->symbolized = true;
			ps->at_anchor = f.has_offset && !f.file ? (long)a->nframes : -1;
			add_frame_at(ps, a, ai, a->nframes, &f);
			goto text;
		}
		if (k == FK_AT) {
			rep->symbolized = true;
			if (ps->at_anchor >= 0 && (size_t)ps->at_anchor < a->nframes) {
				struct kt_frame *an = &a->frames[ps->at_anchor];

				if (strcmp(an->func, f.func) == 0 && !an->file) {
					/* the chain ends at the function itself */
					an->file = f.file;
					an->line = f.line;
					f.file = NULL;
					frame_fini(&f);
					ps->at_anchor = -1;
				} else {
					size_t before = a->nframes;

					f.inlined = true;
					add_frame_at(ps, a, ai, (size_t)ps->at_anchor, &f);
					if (a->nframes > before)
						ps->at_anchor++;
				}
			} else {
				add_frame_at(ps, a, ai, a->nframes, &f);
			}
			goto text;
		}
	}
	/* anything else: verbose lock/IRQ info, "<snip>", ... */
	if (rep->naccess == 0) {
		char q[QUOTE_MAX + 4];

		quote(q, sizeof(q), c);
		return perr(ps,
			    "garbled report: expected an access line "
			    "('<type> to 0x... of N bytes by ...'), got '%s'",
			    q);
	}
	if (++ps->other_lines > MAX_OTHER_LINES)
		return perr(ps, "garbled report: more than %d unrecognized lines", MAX_OTHER_LINES);
text:
	add_line_text(ps, content);
	return NULL;
}

/* ----------------------------------------------------------- line input */

/* Next line into rd->line (without '\n' and '\r'), cut at KT_REPORT_MAX_LINE.
 * Returns false at the end of the input. */
static bool read_line(struct kt_reader *rd)
{
	struct kt_strbuf *l = &rd->line;
	bool got = false;

	if (rd->pushback) {
		rd->pushback = false;
		rd->lineno++;
		return true;
	}
	kt_strbuf_reset(l);
	kt_strbuf_add(l, "", 0);
	rd->too_long = false;
	rd->has_nul = false;
	for (;;) {
		char *nl;
		size_t n, take;

		if (rd->ipos == rd->ilen) {
			if (rd->eof)
				break;
			rd->ilen = fread(rd->ibuf, 1, READ_CHUNK, rd->fp);
			rd->ipos = 0;
			if (rd->ilen == 0) {
				rd->eof = true;
				if (ferror(rd->fp))
					rd->read_errno = errno ? errno : EIO;
				break;
			}
		}
		got = true;
		nl = memchr(rd->ibuf + rd->ipos, '\n', rd->ilen - rd->ipos);
		n = nl ? (size_t)(nl - (rd->ibuf + rd->ipos)) : rd->ilen - rd->ipos;
		take = n;
		if (l->len + take > KT_REPORT_MAX_LINE) {
			take = KT_REPORT_MAX_LINE - l->len;
			rd->too_long = true;
		}
		if (take && memchr(rd->ibuf + rd->ipos, '\0', take))
			rd->has_nul = true;
		kt_strbuf_add(l, rd->ibuf + rd->ipos, take);
		rd->ipos += n;
		if (nl) {
			rd->ipos++;
			break;
		}
	}
	if (!got)
		return false;
	rd->lineno++;
	if (l->len && l->buf[l->len - 1] == '\r')
		l->buf[--l->len] = '\0';
	if (rd->has_nul) {
		/* keep the text printable up to the NUL for the error message */
		l->len = strlen(l->buf);
	}
	return true;
}

/* Save the blanks a line ends with (before its '\r'), up to n - 1 of them. */
static void keep_tail(const struct kt_strbuf *l, size_t min, char *tail, size_t n)
{
	size_t end = l->len, start;

	if (end && l->buf[end - 1] == '\r')
		end--;
	if (end < min)
		end = min;
	start = end;
	while (start > min && end - start < n - 1 &&
	       (l->buf[start - 1] == ' ' || l->buf[start - 1] == '\t'))
		start--;
	memcpy(tail, l->buf + start, end - start);
	tail[end - start] = '\0';
}

static void rtrim(struct kt_strbuf *l)
{
	while (l->len && (l->buf[l->len - 1] == ' ' || l->buf[l->len - 1] == '\t' ||
			  l->buf[l->len - 1] == '\r'))
		l->buf[--l->len] = '\0';
}

struct kt_error *kt_reader_new(FILE *fp, const char *name, struct kt_reader **out)
{
	struct kt_reader *rd;
	struct kt_error *err;

	*out = NULL;
	if (!fp)
		return kt_error_new(KT_ERR_USAGE, name, 0, "kt_reader_new: no input stream");
	rd = kt_xcalloc(1, sizeof(*rd));
	rd->fp = fp;
	rd->name = kt_xstrdup(name ? name : "<input>");
	rd->ibuf = kt_xmalloc(READ_CHUNK);
	kt_strbuf_init(&rd->line);
	if ((err = kt_title_normalizer_new(&rd->tn))) {
		kt_reader_free(rd);
		return err;
	}
	*out = rd;
	return NULL;
}

void kt_reader_free(struct kt_reader *rd)
{
	if (!rd)
		return;
	kt_title_normalizer_free(rd->tn);
	kt_strbuf_fini(&rd->line);
	free(rd->ibuf);
	free(rd->name);
	free(rd);
}

static struct kt_error *read_error(struct kt_reader *rd)
{
	struct kt_error *e = kt_error_new(KT_ERR_IO, rd->name, rd->lineno, "read error: %s",
					  strerror(rd->read_errno));

	rd->read_errno = 0;
	return e;
}

/* Everything the report announces was read? */
static struct kt_error *check_complete(struct parse *ps, const char *how)
{
	struct kt_report *rep = ps->rep;
	size_t want = rep->unknown_origin ? 1 : 2;

	for (size_t i = 0; i < rep->naccess; i++) {
		if (rep->access[i].nframes == 0)
			return perr(ps,
				    "truncated report (title at line %ld, %s): access %zu has no "
				    "stack frames",
				    rep->first_line, how, i + 1);
	}
	if (rep->naccess == 0)
		return perr(ps, "truncated report (title at line %ld, %s): no access stack",
			    rep->first_line, how);
	if (rep->naccess < want)
		return perr(ps, "truncated report (title at line %ld, %s): no second access stack",
			    rep->first_line, how);
	if (rep->unknown_origin && ps->title_nfuncs == 2)
		return perr(ps, "garbled report: the title names two functions "
				"but the race is of unknown origin");
	if (!rep->unknown_origin && ps->title_nfuncs == 1)
		return perr(ps, "garbled report: the title names one function "
				"but the report has two accesses");
	return NULL;
}

static void finish_env(struct parse *ps)
{
	struct kt_report_env *env = &ps->rep->env;

	if (ps->cpu_line.len)
		parse_cpu_line(env, ps->cpu_line.buf);
	if (ps->hw_line.len)
		env->hardware = kt_xstrdup(ps->hw_line.buf);
}

/* Read one report whose title is the current line. */
static struct kt_error *parse_report(struct kt_reader *rd, const struct prefix *tpx,
				     const char *title, struct kt_report **out)
{
	struct parse ps;
	struct kt_report *rep = kt_xcalloc(1, sizeof(*rep));
	struct kt_error *err = NULL;
	const char *how = "ended by the end of input";
	enum line_result lr = LR_CONTINUE;

	memset(&ps, 0, sizeof(ps));
	ps.rd = rd;
	ps.rep = rep;
	ps.at_anchor = -1;
	kt_strbuf_init(&ps.title);
	kt_strbuf_init(&ps.cpu_line);
	kt_strbuf_init(&ps.hw_line);
	kt_strbuf_init(&ps.text);
	rep->input = kt_xstrdup(rd->name);
	rep->first_line = rd->lineno;
	rep->env.cpu = -1;
	rep->env.pid = -1;
	{
		const char *bt = skip_ws(skip_ws(title) + strlen("BUG: KCSAN:"));

		if (!bug_type(&bt, NULL)) {
			char q[QUOTE_MAX + 4];

			quote(q, sizeof(q), skip_ws(title));
			err = perr(&ps, "unknown KCSAN bug type in '%s'", q);
			goto fail;
		}
	}
	if (tpx->caller[0]) {
		ps.has_caller = true;
		memcpy(ps.caller, tpx->caller, sizeof(ps.caller));
	}
	if (rd->prev_sep && strcmp(rd->prev_sep_caller, tpx->caller) == 0)
		add_text(&ps, rd->prev_sep_text);
	add_text(&ps, title);
	kt_strbuf_adds(&ps.title, skip_ws(title));
	{
		const char *t = ps.title.buf;
		size_t n = ps.title.len;

		if ((n && t[n - 1] == '/') || kt_str_endswith(t, " and") ||
		    kt_str_endswith(t, " in"))
			ps.st = ST_TITLE_WRAP;
		else
			ps.st = ST_EXPECT;
	}

	while (read_line(rd)) {
		struct prefix px;
		size_t off;

		off = strip_prefix(rd->line.buf, &px);
		if (ps.has_caller && px.caller[0] && strcmp(px.caller, ps.caller) != 0)
			continue; /* another CPU's or task's output */
		if (rd->has_nul) {
			err = perr(&ps, "NUL byte in report");
			goto fail;
		}
		if (rd->too_long) {
			err =
			    kt_error_new(KT_ERR_LIMIT, rd->name, rd->lineno,
					 "line longer than %d bytes in report", KT_REPORT_MAX_LINE);
			goto fail;
		}
		keep_tail(&rd->line, off, ps.tail, sizeof(ps.tail));
		rtrim(&rd->line);
		err = report_line(&ps, rd->line.buf + off, &lr);
		if (err)
			goto fail;
		if (lr == LR_END_PUSH) {
			/* the line is the next report's: read it again */
			rd->pushback = true;
			rd->lineno--;
			how = ps.st == ST_FOOTER ? "ended by a line after the footer"
			      : is_separator(skip_ws(rd->line.buf + off))
				  ? "ended by a '=====' line"
				  : "ended by the next report";
			break;
		}
		if (lr == LR_END) {
			rep->complete = true;
			break;
		}
	}
	if (rd->read_errno) {
		err = read_error(rd);
		goto fail;
	}
	rep->last_line = rd->lineno;
	rep->bug_line = kt_strbuf_detach(&ps.title);
	if ((err = parse_title(&ps)))
		goto fail;
	if ((err = check_complete(&ps, rep->complete ? "ended by its closing line" : how)))
		goto fail;
	/* Cut inside a stack: frames are missing and the access type or the
	 * second access may be too; no verdict from such a report. */
	if (!rep->complete && ps.st == ST_STACK) {
		err = perr(&ps,
			   "truncated report (title at line %ld, %s): it stops inside the stack "
			   "of access %zu",
			   rep->first_line, how, rep->naccess);
		goto fail;
	}
	rep->title = kt_title_normalize_with(rd->tn, rep->bug_line);
	rep->kind = rep->unknown_origin && rep->kind == KT_KIND_DATA_RACE ? KT_KIND_UNKNOWN_ORIGIN
									  : rep->kind;
	finish_env(&ps);
	rep->text = kt_strbuf_detach(&ps.text);
	kt_strbuf_fini(&ps.cpu_line);
	kt_strbuf_fini(&ps.hw_line);
	*out = rep;
	return NULL;

fail:
	kt_strbuf_fini(&ps.title);
	kt_strbuf_fini(&ps.cpu_line);
	kt_strbuf_fini(&ps.hw_line);
	kt_strbuf_fini(&ps.text);
	kt_report_free(rep);
	return err;
}

struct kt_error *kt_reader_next(struct kt_reader *rd, struct kt_report **out)
{
	*out = NULL;
	if (!rd)
		return kt_error_new(KT_ERR_USAGE, NULL, 0, "kt_reader_next: no reader");
	while (read_line(rd)) {
		struct prefix px;
		const char *c;
		size_t off;

		if (!memmem(rd->line.buf, rd->line.len, "KCSAN:", 6) &&
		    !memmem(rd->line.buf, rd->line.len, "=====", 5)) {
			rd->prev_sep = false;
			continue;
		}
		off = strip_prefix(rd->line.buf, &px);
		rtrim(&rd->line);
		c = skip_ws(rd->line.buf + off);
		if (is_separator(c)) {
			size_t n = strlen(rd->line.buf + off);

			rd->prev_sep = true;
			memcpy(rd->prev_sep_caller, px.caller, sizeof(px.caller));
			if (n >= sizeof(rd->prev_sep_text))
				n = sizeof(rd->prev_sep_text) - 1;
			memcpy(rd->prev_sep_text, rd->line.buf + off, n);
			rd->prev_sep_text[n] = '\0';
			continue;
		}
		if (strncmp(c, "BUG: KCSAN:", 11) != 0) {
			rd->prev_sep = false;
			continue;
		}
		if (rd->has_nul || rd->too_long) {
			struct kt_error *e = rd->has_nul
						 ? kt_error_new(KT_ERR_PARSE, rd->name, rd->lineno,
								"NUL byte in report title")
						 : kt_error_new(KT_ERR_LIMIT, rd->name, rd->lineno,
								"report title longer than %d bytes",
								KT_REPORT_MAX_LINE);
			rd->prev_sep = false;
			return e;
		}
		{
			char *title = kt_xstrdup(rd->line.buf + off);
			struct kt_error *err = parse_report(rd, &px, title, out);

			free(title);
			rd->prev_sep = false;
			return err;
		}
	}
	if (rd->read_errno)
		return read_error(rd);
	return NULL;
}

struct kt_error *kt_report_parse_string(const char *text, const char *name, struct kt_report **out)
{
	struct kt_reader *rd;
	struct kt_error *err;
	FILE *fp;

	*out = NULL;
	if (!text)
		return kt_error_new(KT_ERR_USAGE, name, 0, "no text to parse");
	if (!*text)
		return kt_error_new(KT_ERR_PARSE, name, 0, "no KCSAN report found");
	fp = fmemopen((void *)text, strlen(text), "r");
	if (!fp)
		return kt_error_new(KT_ERR_IO, name, 0, "fmemopen: %s", strerror(errno));
	err = kt_reader_new(fp, name, &rd);
	if (!err) {
		err = kt_reader_next(rd, out);
		if (!err && !*out)
			err = kt_error_new(KT_ERR_PARSE, name, 0, "no KCSAN report found");
		kt_reader_free(rd);
	}
	fclose(fp);
	return err;
}
