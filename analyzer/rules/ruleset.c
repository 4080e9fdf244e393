// SPDX-License-Identifier: Apache-2.0
/*
 * Rule files: stanzas of `key = value` lines (rules/README.md). Loading is
 * transactional: rules are parsed into a staging list and only committed to
 * the rule set when the whole file (or directory) is good.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "kcsan/catalogue.h"
#include "kcsan/strbuf.h"

/* Bigger rule files are refused rather than read (a typo in --rules). */
#define KR_MAX_FILE (16u << 20)

const char *kt_lean_name(const struct kt_rule_result *res)
{
	if (res->verdict != KT_VERDICT_UNKNOWN || res->lean == KT_VERDICT_UNKNOWN)
		return "none";
	return kt_verdict_name(res->lean);
}

const char *kt_verdict_name(enum kt_verdict v)
{
	return v == KT_VERDICT_BENIGN ? "benign" : v == KT_VERDICT_HARMFUL ? "harmful" : "unknown";
}

const char *kt_confidence_name(enum kt_confidence c)
{
	return c == KT_CONF_HIGH ? "high" : c == KT_CONF_MEDIUM ? "medium" : "low";
}

struct kt_ruleset *kt_ruleset_new(void)
{
	struct kt_ruleset *rs = kt_xcalloc(1, sizeof(*rs));

	rs->mctx = pcre2_match_context_create(NULL);
	if (!rs->mctx) {
		fputs("kcsan-triage: out of memory\n", stderr);
		abort();
	}
	pcre2_set_match_limit(rs->mctx, KR_MATCH_LIMIT);
	pcre2_set_depth_limit(rs->mctx, KR_DEPTH_LIMIT);
	/* A decision needs at least medium confidence: a low one is a guess
	 * (unknown, with its lean). */
	rs->min_decided = KT_CONF_MEDIUM;
	return rs;
}

void kr_rule_free(struct kr_rule *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nconds; i++)
		kr_cond_fini(&r->conds[i]);
	free(r->conds);
	kr_template_fini(&r->explain);
	kr_template_fini(&r->action);
	free(r->used[0]);
	free(r->used[1]);
	free(r->id);
	free(r->family);
	free(r->file);
	free(r);
}

void kt_ruleset_free(struct kt_ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n; i++)
		kr_rule_free(rs->rules[i]);
	free(rs->rules);
	for (size_t i = 0; i < rs->nnames; i++)
		free(rs->names[i]);
	free(rs->names);
	pcre2_match_context_free(rs->mctx);
	free(rs);
}

void kt_ruleset_require_facts(struct kt_ruleset *rs, const struct kt_catalogue *cat)
{
	rs->cat = cat;
}

size_t kt_ruleset_count(const struct kt_ruleset *rs)
{
	return rs ? rs->n : 0;
}

const char *kt_ruleset_family(const struct kt_ruleset *rs, const char *id)
{
	for (size_t i = 0; rs && id && i < rs->n; i++)
		if (strcmp(rs->rules[i]->id, id) == 0)
			return rs->rules[i]->family;
	return NULL;
}

/* ---- staging ---- */

struct staging {
	struct kr_rule **rules;
	size_t n, cap;
};

static void staging_fini(struct staging *st)
{
	for (size_t i = 0; i < st->n; i++)
		kr_rule_free(st->rules[i]);
	free(st->rules);
	st->rules = NULL;
	st->n = st->cap = 0;
}

static const struct kr_rule *find_rule(const struct kt_ruleset *rs, const struct staging *st,
				       const char *id)
{
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->rules[i]->id, id) == 0)
			return rs->rules[i];
	for (size_t i = 0; i < st->n; i++)
		if (strcmp(st->rules[i]->id, id) == 0)
			return st->rules[i];
	return NULL;
}

static size_t intern(struct kt_ruleset *rs, const char *name)
{
	for (size_t i = 0; i < rs->nnames; i++)
		if (strcmp(rs->names[i], name) == 0)
			return i;
	if (rs->nnames == rs->capnames) {
		rs->capnames = rs->capnames ? rs->capnames * 2 : 64;
		rs->names = kt_xrealloc(rs->names, rs->capnames * sizeof(char *));
	}
	rs->names[rs->nnames] = kt_xstrdup(name);
	return rs->nnames++;
}

static void intern_operand(struct kt_ruleset *rs, struct kr_operand *o)
{
	o->fid[0] = intern(rs, o->full[0]);
	o->fid[1] = intern(rs, o->full[1]);
}

static void add_used(struct kr_rule *r, int b, size_t fid)
{
	for (size_t i = 0; i < r->nused[b]; i++)
		if (r->used[b][i] == fid)
			return;
	r->used[b] = kt_xrealloc(r->used[b], (r->nused[b] + 1) * sizeof(size_t));
	r->used[b][r->nused[b]++] = fid;
}

static void add_operand_used(struct kr_rule *r, int b, const struct kr_operand *o)
{
	switch (o->side) {
	case KR_SIDE_NONE:
	case KR_SIDE_A:
		add_used(r, b, o->fid[0]);
		break;
	case KR_SIDE_B:
		add_used(r, b, o->fid[1]);
		break;
	case KR_SIDE_X:
		add_used(r, b, o->fid[b]);
		break;
	case KR_SIDE_Y:
		add_used(r, b, o->fid[1 - b]);
		break;
	case KR_SIDE_EITHER:
	case KR_SIDE_BOTH:
		add_used(r, b, o->fid[0]);
		add_used(r, b, o->fid[1]);
		break;
	}
}

/* Record which facts the conditions read under each binding. */
static void compute_used(struct kr_rule *r)
{
	for (int b = 0; b < 2; b++)
		for (size_t c = 0; c < r->nconds; c++)
			for (size_t t = 0; t < r->conds[c].ntests; t++) {
				const struct kr_test *test = &r->conds[c].tests[t];

				add_operand_used(r, b, &test->opd);
				if (test->vt == KR_VAL_FACT)
					add_operand_used(r, b, &test->rhs);
			}
}

/* Move the staged rules into the rule set; cannot fail. */
static void commit(struct kt_ruleset *rs, struct staging *st)
{
	if (rs->n + st->n > rs->cap) {
		rs->cap = rs->n + st->n + 16;
		rs->rules = kt_xrealloc(rs->rules, rs->cap * sizeof(*rs->rules));
	}
	for (size_t i = 0; i < st->n; i++) {
		struct kr_rule *r = st->rules[i];

		for (size_t c = 0; c < r->nconds; c++)
			for (size_t t = 0; t < r->conds[c].ntests; t++) {
				intern_operand(rs, &r->conds[c].tests[t].opd);
				if (r->conds[c].tests[t].vt == KR_VAL_FACT)
					intern_operand(rs, &r->conds[c].tests[t].rhs);
			}
		for (size_t s = 0; s < r->explain.nsegs; s++)
			if (!r->explain.segs[s].lit)
				intern_operand(rs, &r->explain.segs[s].opd);
		for (size_t s = 0; s < r->action.nsegs; s++)
			if (!r->action.segs[s].lit)
				intern_operand(rs, &r->action.segs[s].opd);
		compute_used(r);
		rs->rules[rs->n++] = r;
	}
	free(st->rules);
	st->rules = NULL;
	st->n = st->cap = 0;
}

/* ---- the file parser ---- */

enum key {
	K_VERDICT,
	K_CONFIDENCE,
	K_PRIORITY,
	K_WHEN,
	K_UNLESS,
	K_EXPLAIN,
	K_ACTION,
	K_FAMILY,
	K_COUNT,
};

static const char *const key_names[K_COUNT] = {
    "verdict", "confidence", "priority", "when", "unless", "explain", "action", "family",
};

/* One physical piece of a (possibly continued) value, to map a byte offset
 * of the joined value back to line and column. */
struct piece {
	size_t off;
	long line;
	size_t col; /* 1-based column of the piece's first byte */
};

struct value {
	enum key key;
	struct kt_strbuf text;
	struct piece *pieces;
	size_t npieces;
};

struct loader {
	const char *name;
	const struct kt_ruleset *rs;
	struct staging *st;
	struct kr_rule *cur; /* stanza being read, or NULL */
	long key_line[K_COUNT];
	bool in_value;
	struct value val;
};

static void value_reset(struct value *v)
{
	kt_strbuf_reset(&v->text);
	v->npieces = 0;
}

static void value_add(struct value *v, const char *s, size_t n, long line, size_t col)
{
	if (v->text.len)
		kt_strbuf_addc(&v->text, ' ');
	v->pieces = kt_xrealloc(v->pieces, (v->npieces + 1) * sizeof(*v->pieces));
	v->pieces[v->npieces++] = (struct piece){.off = v->text.len, .line = line, .col = col};
	kt_strbuf_add(&v->text, s, n);
}

static void value_locate(const struct value *v, size_t off, long *line, size_t *col)
{
	const struct piece *p = &v->pieces[0];

	for (size_t i = 1; i < v->npieces && v->pieces[i].off <= off; i++)
		p = &v->pieces[i];
	*line = p->line;
	*col = p->col + (off >= p->off ? off - p->off : 0);
}

static struct kt_error *perr(struct loader *ld, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static struct kt_error *perr(struct loader *ld, long line, const char *fmt, ...)
{
	struct kt_error *e;
	va_list ap;

	va_start(ap, fmt);
	e = kt_error_newv(KT_ERR_PARSE, ld->name, line, fmt, ap);
	va_end(ap);
	return e;
}

static bool is_id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

static bool parse_enum(const char *s, const char *const *names, int n, int *out)
{
	for (int i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return true;
		}
	return false;
}

/* With a catalogue, a fact it does not list in the operand's scope is an
 * error at the operand. */
static struct kt_error *check_fact(struct loader *ld, const struct kr_operand *o)
{
	static const char *const side_words[] = {"", "a.", "b.", "x.", "y.", "either.", "both."};
	const struct kt_catalogue *cat = ld->rs->cat;
	bool access = o->side != KR_SIDE_NONE;
	const char *base = access ? o->full[0] + 2 : o->full[0], *hint = "";
	long line;
	size_t col;

	if (!cat || kt_catalogue_lookup(cat, base, access ? KT_SCOPE_ACCESS : KT_SCOPE_REPORT))
		return NULL;
	if (kt_catalogue_lookup(cat, base, access ? KT_SCOPE_REPORT : KT_SCOPE_ACCESS))
		hint = access ? "; it is a report-level fact: no side"
			      : "; it is a per-access fact: name a side";
	value_locate(&ld->val, o->at, &line, &col);
	return perr(ld, line, "column %zu: unknown fact '%s%s' (%s does not list it%s)", col,
		    side_words[o->side], base, kt_catalogue_path(cat), hint);
}

static struct kt_error *check_cond_facts(struct loader *ld, const struct kr_cond *c)
{
	struct kt_error *e = NULL;

	for (size_t t = 0; t < c->ntests && !e; t++) {
		e = check_fact(ld, &c->tests[t].opd);
		if (!e && c->tests[t].vt == KR_VAL_FACT)
			e = check_fact(ld, &c->tests[t].rhs);
	}
	return e;
}

static struct kt_error *check_template_facts(struct loader *ld, const struct kr_template *t)
{
	struct kt_error *e = NULL;

	for (size_t i = 0; i < t->nsegs && !e; i++)
		if (!t->segs[i].lit)
			e = check_fact(ld, &t->segs[i].opd);
	return e;
}

/* Interpret the pending value of the current key. */
static struct kt_error *finish_value(struct loader *ld)
{
	struct value *v = &ld->val;
	struct kr_rule *r = ld->cur;
	const char *s = v->text.buf ? v->text.buf : "";
	long line = v->npieces ? v->pieces[0].line : 0;
	char *err = NULL;
	size_t errpos = 0, col;
	int e;

	if (!ld->in_value)
		return NULL;
	ld->in_value = false;
	if (!*s)
		return perr(ld, line, "empty value for '%s'", key_names[v->key]);
	switch (v->key) {
	case K_VERDICT: {
		static const char *const names[] = {"unknown", "benign", "harmful"};
		if (!parse_enum(s, names, 3, &e))
			return perr(ld, line,
				    "bad verdict '%s' (expected benign, harmful or unknown)", s);
		r->verdict = (enum kt_verdict)e;
		return NULL;
	}
	case K_CONFIDENCE: {
		static const char *const names[] = {"low", "medium", "high"};
		if (!parse_enum(s, names, 3, &e))
			return perr(ld, line, "bad confidence '%s' (expected high, medium or low)",
				    s);
		r->confidence = (enum kt_confidence)e;
		return NULL;
	}
	case K_PRIORITY: {
		long p = 0;
		size_t n = strlen(s);

		for (size_t i = 0; i < n && n <= 4; i++) {
			if (s[i] < '0' || s[i] > '9') {
				n = 0;
				break;
			}
			p = p * 10 + (s[i] - '0');
		}
		if (n == 0 || n > 4 || p > 1000)
			return perr(ld, line, "bad priority '%s' (expected an integer 0..1000)", s);
		r->priority = (int)p;
		return NULL;
	}
	case K_FAMILY:
		for (const char *c = s; *c; c++)
			if (!is_id_char(*c))
				return perr(
				    ld, line,
				    "bad family '%s' (letters, digits, '-', '_' and '.' only)", s);
		r->family = kt_xstrdup(s);
		return NULL;
	case K_WHEN:
	case K_UNLESS: {
		struct kr_cond c;

		if (!kr_parse_condition(s, &c, &r->uses_xy, &err, &errpos))
			break;
		c.unless = v->key == K_UNLESS;
		r->conds = kt_xrealloc(r->conds, (r->nconds + 1) * sizeof(*r->conds));
		r->conds[r->nconds++] = c;
		return check_cond_facts(ld, &r->conds[r->nconds - 1]);
	}
	case K_EXPLAIN:
	case K_ACTION: {
		struct kr_template *t = v->key == K_EXPLAIN ? &r->explain : &r->action;

		if (!kr_parse_template(s, t, &r->uses_xy, &err, &errpos))
			break;
		return check_template_facts(ld, t);
	}
	case K_COUNT:
		break;
	}
	value_locate(v, errpos, &line, &col);
	struct kt_error *ret = perr(ld, line, "column %zu: bad '%s': %s", col, key_names[v->key],
				    err ? err : "malformed");
	free(err);
	return ret;
}

/* Check the current stanza is complete and stage it. */
/* Does a high-confidence rule's every 'when' read facts that the report
 * stage alone writes? (Needs the catalogue; the names, sizes and value
 * change of a report do not show what the code does.) */
static bool report_only_high(const struct loader *ld, const struct kr_rule *r)
{
	const struct kt_catalogue *cat = ld->rs->cat;
	if (!cat || r->confidence != KT_CONF_HIGH)
		return false;
	for (size_t c = 0; c < r->nconds; c++) {
		if (r->conds[c].unless)
			continue;
		for (size_t t = 0; t < r->conds[c].ntests; t++) {
			const struct kr_operand *o = &r->conds[c].tests[t].opd;
			bool access = o->side != KR_SIDE_NONE;
			const struct kt_fact_def *d =
			    kt_catalogue_lookup(cat, access ? o->full[0] + 2 : o->full[0],
						access ? KT_SCOPE_ACCESS : KT_SCOPE_REPORT);

			/* written by a deeper stage, and not by the report's */
			if (d && !(d->stages & KT_ORIGIN_REPORT))
				return false;
		}
	}
	return true;
}

static struct kt_error *finish_stanza(struct loader *ld)
{
	struct kr_rule *r = ld->cur;
	static const enum key required[] = {K_VERDICT, K_CONFIDENCE, K_PRIORITY,
					    K_WHEN,    K_EXPLAIN,    K_ACTION};

	if (!r)
		return NULL;
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!ld->key_line[required[i]])
			return perr(ld, r->line, "rule '%s': missing required key '%s'", r->id,
				    key_names[required[i]]);
	if (report_only_high(ld, r))
		return perr(ld, ld->key_line[K_CONFIDENCE],
			    "rule '%s': confidence high on report facts only: a rule whose 'when' "
			    "lines read no fact of the binary or source stage decides at most at "
			    "medium",
			    r->id);
	if (ld->st->n == ld->st->cap) {
		ld->st->cap = ld->st->cap ? ld->st->cap * 2 : 16;
		ld->st->rules = kt_xrealloc(ld->st->rules, ld->st->cap * sizeof(*ld->st->rules));
	}
	ld->st->rules[ld->st->n++] = r;
	ld->cur = NULL;
	return NULL;
}

static struct kt_error *start_stanza(struct loader *ld, const char *line, size_t n, long lineno)
{
	size_t i = 1, start;
	const struct kr_rule *dup;

	start = i;
	while (i < n && is_id_char(line[i]))
		i++;
	if (i == start || i >= n || line[i] != ']') {
		if (i < n && line[i] != ']')
			return perr(
			    ld, lineno,
			    "column %zu: bad rule id: '%c' is not allowed (letters, digits, "
			    "'-', '_' and '.' only)",
			    i + 1, line[i]);
		return perr(ld, lineno, "bad stanza header: expected '[rule-id]'");
	}
	for (size_t j = i + 1; j < n; j++)
		if (line[j] != ' ' && line[j] != '\t')
			return perr(ld, lineno, "column %zu: unexpected text after '[%.*s]'", j + 1,
				    (int)(i - start), line + start);
	struct kr_rule *r = kt_xcalloc(1, sizeof(*r));
	r->id = kt_xstrndup(line + start, i - start);
	r->line = lineno;
	r->file = kt_xstrdup(ld->name);
	dup = find_rule(ld->rs, ld->st, r->id);
	if (dup) {
		struct kt_error *e =
		    perr(ld, lineno, "duplicate rule id '%s' (first defined at %s:%ld)", r->id,
			 dup->file, dup->line);
		kr_rule_free(r);
		return e;
	}
	ld->cur = r;
	memset(ld->key_line, 0, sizeof(ld->key_line));
	return NULL;
}

static struct kt_error *key_line(struct loader *ld, const char *line, size_t n, long lineno)
{
	size_t i = 0, kstart, kend;
	int k;

	while (i < n && (is_id_char(line[i])))
		i++;
	kstart = 0;
	kend = i;
	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (kend == kstart)
		return perr(ld, lineno,
			    "expected '[rule-id]', 'key = value' or an indented continuation line");
	if (i >= n || line[i] != '=')
		return perr(ld, lineno, "column %zu: expected '=' after '%.*s'", i + 1,
			    (int)(kend - kstart > 40 ? 40 : kend - kstart), line);
	char key[48];
	snprintf(key, sizeof(key), "%.*s", (int)(kend - kstart > 40 ? 40 : kend - kstart), line);
	if (!parse_enum(key, key_names, K_COUNT, &k))
		return perr(
		    ld, lineno,
		    "unknown key '%s' (expected verdict, confidence, priority, when, unless, "
		    "explain, action or family)",
		    key);
	if (!ld->cur)
		return perr(ld, lineno, "key '%s' outside a stanza (start a rule with '[rule-id]')",
			    key);
	if (k != K_WHEN && k != K_UNLESS && ld->key_line[k])
		return perr(ld, lineno, "rule '%s': key '%s' given twice (first at line %ld)",
			    ld->cur->id, key, ld->key_line[k]);
	ld->key_line[k] = lineno;
	i++;
	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	value_reset(&ld->val);
	ld->val.key = (enum key)k;
	ld->in_value = true;
	value_add(&ld->val, line + i, n - i, lineno, i + 1);
	return NULL;
}

static bool valid_utf8(const unsigned char *s, size_t n, size_t *bad)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t len = c < 0x80		      ? 1
			     : c >= 0xc2 && c <= 0xdf ? 2
			     : c >= 0xe0 && c <= 0xef ? 3
			     : c >= 0xf0 && c <= 0xf4 ? 4
						      : 0;
		if (!len || i + len > n)
			goto bad;
		for (size_t j = 1; j < len; j++)
			if ((s[i + j] & 0xc0) != 0x80)
				goto bad;
		if ((c == 0xe0 && s[i + 1] < 0xa0) || (c == 0xed && s[i + 1] >= 0xa0) ||
		    (c == 0xf0 && s[i + 1] < 0x90) || (c == 0xf4 && s[i + 1] >= 0x90))
			goto bad;
		i += len;
	}
	return true;
bad:
	*bad = i;
	return false;
}

static long line_of(const char *text, size_t off)
{
	long line = 1;

	for (size_t i = 0; i < off; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

/* Parse one file's text into st (on error, st keeps what it had before). */
static struct kt_error *parse_text(const struct kt_ruleset *rs, struct staging *st,
				   const char *text, size_t len, const char *name)
{
	struct loader ld = {.name = name, .rs = rs, .st = st};
	struct kt_error *err = NULL;
	size_t before = st->n, pos = 0, bad;
	long lineno = 0;

	if (memchr(text, '\0', len))
		return perr(&ld,
			    line_of(text, (size_t)((const char *)memchr(text, '\0', len) - text)),
			    "NUL byte in rule file");
	if (!valid_utf8((const unsigned char *)text, len, &bad))
		return perr(&ld, line_of(text, bad), "invalid UTF-8");
	kt_strbuf_init(&ld.val.text);
	while (pos < len && !err) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos, first = 0;

		pos += n + (nl ? 1 : 0);
		lineno++;
		while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
			n--;
		while (first < n && (line[first] == ' ' || line[first] == '\t'))
			first++;
		if (first == n || line[first] == '#')
			continue; /* blank or comment: does not end a value */
		if (first > 0) {
			if (!ld.in_value) {
				err = perr(&ld, lineno,
					   "continuation line (it starts with white space) with no "
					   "'key = value' before it");
				break;
			}
			value_add(&ld.val, line + first, n - first, lineno, first + 1);
			continue;
		}
		err = finish_value(&ld);
		if (err)
			break;
		if (line[0] == '[') {
			err = finish_stanza(&ld);
			if (!err)
				err = start_stanza(&ld, line, n, lineno);
		} else {
			err = key_line(&ld, line, n, lineno);
		}
	}
	if (!err)
		err = finish_value(&ld);
	if (!err)
		err = finish_stanza(&ld);
	kr_rule_free(ld.cur);
	kt_strbuf_fini(&ld.val.text);
	free(ld.val.pieces);
	if (err) {
		for (size_t i = before; i < st->n; i++)
			kr_rule_free(st->rules[i]);
		st->n = before;
	}
	return err;
}

static struct kt_error *read_file(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct kt_strbuf sb;
	char buf[65536];
	size_t n;

	if (!f)
		return kt_error_new(KT_ERR_IO, path, 0, "cannot open rule file: %s",
				    strerror(errno));
	kt_strbuf_init(&sb);
	kt_strbuf_add(&sb, "", 0);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (sb.len + n > KR_MAX_FILE) {
			fclose(f);
			kt_strbuf_fini(&sb);
			return kt_error_new(KT_ERR_LIMIT, path, 0, "rule file larger than %u bytes",
					    KR_MAX_FILE);
		}
		kt_strbuf_add(&sb, buf, n);
	}
	if (ferror(f)) {
		int e = errno;
		fclose(f);
		kt_strbuf_fini(&sb);
		return kt_error_new(KT_ERR_IO, path, 0, "cannot read rule file: %s", strerror(e));
	}
	fclose(f);
	*len = sb.len;
	*out = kt_strbuf_detach(&sb);
	return NULL;
}

static struct kt_error *stage_file(const struct kt_ruleset *rs, struct staging *st,
				   const char *path)
{
	char *text;
	size_t len;
	struct kt_error *err = read_file(path, &text, &len);

	if (err)
		return err;
	err = parse_text(rs, st, text, len, path);
	free(text);
	return err;
}

struct kt_error *kt_ruleset_load_file(struct kt_ruleset *rs, const char *path)
{
	struct staging st = {0};
	struct kt_error *err;

	if (!rs || !path)
		return kt_error_new(KT_ERR_USAGE, NULL, 0, "kt_ruleset_load_file: NULL argument");
	err = stage_file(rs, &st, path);
	if (!err)
		commit(rs, &st);
	staging_fini(&st);
	return err;
}

struct kt_error *kt_ruleset_load_string(struct kt_ruleset *rs, const char *text, const char *name)
{
	struct staging st = {0};
	struct kt_error *err;

	if (!rs || !text)
		return kt_error_new(KT_ERR_USAGE, NULL, 0, "kt_ruleset_load_string: NULL argument");
	err = parse_text(rs, &st, text, strlen(text), name ? name : "<string>");
	if (!err)
		commit(rs, &st);
	staging_fini(&st);
	return err;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct kt_error *kt_ruleset_load_dir(struct kt_ruleset *rs, const char *dir)
{
	struct staging st = {0};
	struct kt_error *err = NULL;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	if (!rs || !dir)
		return kt_error_new(KT_ERR_USAGE, NULL, 0, "kt_ruleset_load_dir: NULL argument");
	d = opendir(dir);
	if (!d)
		return kt_error_new(KT_ERR_IO, dir, 0, "cannot open rules directory: %s",
				    strerror(errno));
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !kt_str_endswith(de->d_name, ".rules"))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			names = kt_xrealloc(names, cap * sizeof(char *));
		}
		names[n++] = kt_xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < n && !err; i++) {
		struct kt_strbuf path;
		struct stat sbuf;

		kt_strbuf_init(&path);
		kt_strbuf_addf(&path, "%s/%s", dir, names[i]);
		/* A dangling link or a directory named *.rules is a mistake to
		 * report, not a file to skip silently. */
		if (stat(path.buf, &sbuf) != 0)
			err = kt_error_new(KT_ERR_IO, path.buf, 0, "cannot open rule file: %s",
					   strerror(errno));
		else if (!S_ISREG(sbuf.st_mode))
			err = kt_error_new(KT_ERR_IO, path.buf, 0, "not a regular file");
		else
			err = stage_file(rs, &st, path.buf);
		kt_strbuf_fini(&path);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (!err && st.n == 0)
		err = kt_error_new(KT_ERR_USAGE, dir, 0,
				   "no rules found (no stanza in any *.rules file)");
	if (!err)
		commit(rs, &st);
	staging_fini(&st);
	return err;
}
