// SPDX-License-Identifier: Apache-2.0
/*
 * The lines of a report that are not stack frames: access headers, the value
 * change, the title's functions and the footer's CPU line.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

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

/* An address a copy hid: "...", "0xffff888...", "<...>". */
static bool lex_elided_addr(const char **p)
{
	const char *s = *p, *e = strstr(s, " of ");

	if (!e || e == s ||
	    !(memmem(s, (size_t)(e - s), "...", 3) ||
	      memmem(s, (size_t)(e - s), "\xe2\x80\xa6", 3)))
		return false;
	for (const char *q = s; q < e; q++)
		if (!kr_is_hex(*q) && !strchr(".xX<>[]\xe2\x80\xa6", *q))
			return false;
	*p = e;
	return true;
}

/* A task a copy named instead of its pid ("by task ipvs_cfg:"). */
static bool lex_task_name(const char **p)
{
	const char *s = *p, *e = s;

	while (*e && *e != ' ' && *e != ':')
		e++;
	if (e == s || kr_is_digit(*s))
		return false;
	*p = e;
	return true;
}

/* The access type at the start of c (after "race at unknown origin, with "),
 * or -1. */
static int access_type_at(const char *c, const char **after)
{
	const char *p = c;

	kr_lex_lit(&p, "race at unknown origin, with ");
	for (size_t i = 0; i < sizeof(access_types) / sizeof(access_types[0]); i++) {
		const char *q = p;

		if (kr_lex_lit(&q, access_types[i].text) && kr_lex_lit(&q, " to ")) {
			*after = q;
			return (int)i;
		}
	}
	return -1;
}

bool kr_access_header_partial(const char *c)
{
	const char *p;
	size_t n = strlen(c);

	if (access_type_at(c, &p) < 0 || strstr(c, " bytes by ") || c[n - 1] == ':')
		return false;
	return kt_str_endswith(c, " bytes") || kt_str_endswith(c, " bytes by") ||
	       kt_str_endswith(c, " by task");
}

/* "<type> to 0x.. of N bytes by task N|interrupt on cpu N:"; *is_header says
 * whether the line has that shape at all. */
struct kt_error *kr_parse_access_header(struct kr_parse *ps, const char *c, bool *is_header)
{
	struct kt_report *rep = ps->rep;
	const char *p = c, *to, *type;
	bool unknown = false;
	struct kt_access *a;
	size_t i, tlen;
	long v;
	char q[KR_QUOTE_MAX + 4];

	*is_header = false;
	if (!strstr(c, " bytes by ") || !(to = strstr(c, " to ")))
		return NULL;
	*is_header = true;
	kr_quote(q, sizeof(q), c);
	if (kr_lex_lit(&p, "race at unknown origin, with "))
		unknown = true;
	type = p;
	tlen = (size_t)(to - type);
	for (i = 0; i < sizeof(access_types) / sizeof(access_types[0]); i++) {
		if (strlen(access_types[i].text) == tlen &&
		    memcmp(access_types[i].text, type, tlen) == 0)
			break;
	}
	if (to < type || i == sizeof(access_types) / sizeof(access_types[0])) {
		char t[KR_QUOTE_MAX + 4];
		char *tt = kt_xstrndup(type, to > type ? (size_t)(to - type) : 0);

		kr_quote(t, sizeof(t), tt);
		free(tt);
		return kr_perr(ps, "unknown access type '%s' in '%s'", t, q);
	}
	if (rep->naccess == 2)
		return kr_perr(ps, "garbled report: a third access: '%s'", q);
	if (unknown && rep->naccess > 0)
		return kr_perr(ps, "garbled report: 'race at unknown origin' after an access: '%s'",
			       q);
	a = &rep->access[rep->naccess];
	a->op = access_types[i].op;
	a->marked = access_types[i].marked;
	a->reordered = access_types[i].reordered;
	a->task = -1;
	a->cpu = -1;
	a->line_no = ps->rd->lineno;
	p = to + 4;
	if (!kr_lex_hex(&p, &a->addr, NULL) && !(a->addr_elided = lex_elided_addr(&p)))
		goto bad;
	if (!kr_lex_lit(&p, " of ") || !kr_lex_dec(&p, &v) || v < 0 ||
	    !kr_lex_lit(&p, " bytes by "))
		goto bad;
	a->size = (uint64_t)v;
	if (kr_lex_lit(&p, "task ")) {
		if (!kr_lex_dec(&p, &a->task) && !lex_task_name(&p))
			goto bad;
	} else if (kr_lex_lit(&p, "interrupt")) {
		a->by_interrupt = true;
	} else {
		goto bad;
	}
	if (kr_lex_lit(&p, " on cpu ")) {
		if (!kr_lex_dec(&p, &v) || v < -1 || v > 1000000)
			goto bad;
		a->cpu = (int)v;
	}
	if (*p != ':' || *kr_skip_ws(p + 1))
		goto bad;
	a->type_text = kt_xstrndup(type, tlen);
	if (unknown)
		rep->unknown_origin = true;
	rep->naccess++;
	ps->at_anchor = -1;
	ps->after_stacks = false;
	return NULL;
bad:
	memset(a, 0, sizeof(*a));
	return kr_perr(ps, "garbled access line '%s'", q);
}

/* "value changed: 0x.. -> 0x..", or the early "value changed from 0x.. to
 * 0x.."; text a human added after the values is kept as a note. */
struct kt_error *kr_parse_value_change(struct kr_parse *ps, const char *c)
{
	struct kt_value_change *v = &ps->rep->value;
	const char *p = c + strlen("value changed");
	bool from = kr_lex_lit(&p, " from ");
	int w1, w2;
	char q[KR_QUOTE_MAX + 4];

	if ((!from && !kr_lex_lit(&p, ": ")) || !kr_lex_hex(&p, &v->old_val, &w1) ||
	    !kr_lex_lit(&p, from ? " to " : " -> ") || !kr_lex_hex(&p, &v->new_val, &w2) ||
	    (*p && *p != ' ' && *p != '\t')) {
		kr_quote(q, sizeof(q), c);
		return kr_perr(ps, "garbled value-change line '%s'", q);
	}
	v->present = true;
	v->width = w1 > w2 ? w1 : w2;
	p = kr_skip_ws(p);
	if (*p) {
		free(v->note);
		v->note = kt_xstrdup(p); /* "--> R5_Overlap" */
	}
	return NULL;
}

/* "bits changed: 0x.. with mask 0x.." (the early form has no colon). */
struct kt_error *kr_parse_bits_changed(struct kr_parse *ps, const char *c)
{
	struct kt_value_change *v = &ps->rep->value;
	const char *p = c + strlen("bits changed");
	char q[KR_QUOTE_MAX + 4];

	if (!kr_lex_lit(&p, ": "))
		kr_lex_lit(&p, " ");
	if (!v->present || !kr_lex_hex(&p, &v->bits, NULL) || !kr_lex_lit(&p, " with mask ") ||
	    !kr_lex_hex(&p, &v->mask, NULL) || *kr_skip_ws(p)) {
		kr_quote(q, sizeof(q), c);
		return kr_perr(ps, "garbled bits-changed line '%s'", q);
	}
	v->has_mask = true;
	return NULL;
}

/* "data-race in" or "assert: race in", then a blank or the end. */
bool kr_bug_type(const char **p, enum kt_report_kind *kind)
{
	const char *s = *p;
	enum kt_report_kind k;

	if (kr_lex_lit(&s, "data-race in"))
		k = KT_KIND_DATA_RACE;
	else if (kr_lex_lit(&s, "assert: race in"))
		k = KT_KIND_ASSERT;
	else
		return false;
	if (*s && *s != ' ')
		return false;
	*p = kr_skip_ws(s);
	if (kind)
		*kind = k;
	return true;
}

/* "data-race in A / B", "assert: race in A", "data-race in A and B". */
struct kt_error *kr_parse_title(struct kr_parse *ps)
{
	struct kt_report *rep = ps->rep;
	const char *p = kr_skip_ws(rep->bug_line + strlen("BUG: KCSAN:"));
	char q[KR_QUOTE_MAX + 4];

	if (!kr_bug_type(&p, &rep->kind)) {
		kr_quote(q, sizeof(q), rep->bug_line);
		return kt_error_new(KT_ERR_PARSE, ps->rd->name, rep->first_line,
				    "unknown KCSAN bug type in '%s'", q);
	}
	for (int i = 0; i < 2 && *p; i++) {
		const char *s = kr_skip_ws(p), *e = s;
		const char *sep;

		while (kr_is_sym_char(*e))
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
		kr_quote(q, sizeof(q), rep->bug_line);
		return kt_error_new(KT_ERR_PARSE, ps->rd->name, rep->first_line,
				    "garbled KCSAN title '%s'", q);
	}
	return NULL;
}

/* "Comm: kworker/u4:1 6.1.111" (a copy that dropped the taint): the comm,
 * then the release when the next word looks like one. */
static void untainted_tail(struct kt_report_env *env, const char *comm)
{
	const char *e = comm, *k;

	while (*e && *e != ' ')
		e++;
	k = kr_skip_ws(e);
	if (*e && kr_is_digit(*k)) {
		const char *ke = k;

		while (*ke && *ke != ' ')
			ke++;
		if (!memchr(k, '.', (size_t)(ke - k))) {
			env->comm = kt_xstrdup(comm);
			return;
		}
		env->comm = kt_xstrndup(comm, (size_t)(e - comm));
		env->kernel = kt_xstrndup(k, (size_t)(ke - k));
		return;
	}
	env->comm = kt_xstrdup(comm);
}

/* CPU: 1 [UID: 0 ]PID: 52 Comm: w-prw Not tainted 6.1.192 #1 [extra] */
void kr_parse_cpu_line(struct kt_report_env *env, const char *s)
{
	const char *p = s + strlen("CPU: "), *comm, *t, *k;
	long v;
	size_t clen;

	if (kr_lex_dec(&p, &v))
		env->cpu = (int)v;
	if ((p = strstr(s, " PID: "))) {
		p += strlen(" PID: ");
		if (kr_lex_dec(&p, &v))
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
		untainted_tail(env, comm);
		return;
	}
	clen = (size_t)(t - comm);
	env->comm = kt_xstrndup(comm, clen);
	t++;
	if (kr_lex_lit(&t, "Not tainted")) {
		env->taint = kt_xstrdup("Not tainted");
	} else {
		struct kt_strbuf sb;

		kt_strbuf_init(&sb);
		kt_strbuf_adds(&sb, "Tainted:");
		t += strlen("Tainted:");
		/* flags are single letters separated by blanks, then the release */
		for (;;) {
			const char *f = kr_skip_ws(t);

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
	k = kr_skip_ws(t);
	if (*k) {
		const char *e = k;

		while (*e && *e != ' ')
			e++;
		env->kernel = kt_xstrndup(k, (size_t)(e - k));
	}
}
