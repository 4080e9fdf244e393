// SPDX-License-Identifier: Apache-2.0
/*
 * The census vocabulary: table lines from rules/ (access.tbl markings,
 * locks.tbl lock functions, census.tbl), looked up by identifier without
 * allocating. Exact names go through a hash table, NAME* patterns through a
 * short list; the first line of the tables that matches wins.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcsan/table.h"
#include "vocab.h"

#define NBUCKET 1024

struct kt_census_vocab {
	struct cv_entry *e;
	size_t n, cap;
	int bucket[NBUCKET];	     /* exact names: first entry index + 1 */
	int *next;		     /* chain, per entry */
	size_t *prefixes[CV_NCLASS]; /* entries with a NAME* pattern, by class */
	size_t nprefix[CV_NCLASS];
	char **skips;
	size_t nskip;
};

static uint32_t hash_name(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

struct kt_census_vocab *kt_census_vocab_new(void)
{
	return kt_xcalloc(1, sizeof(struct kt_census_vocab));
}

static void entry_free(struct cv_entry *e)
{
	free(e->name);
	free(e->marking);
	free(e->mode);
	free(e->field);
	free(e->lockname);
}

void kt_census_vocab_free(struct kt_census_vocab *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++)
		entry_free(&v->e[i]);
	free(v->e);
	free(v->next);
	for (int c = 0; c < CV_NCLASS; c++)
		free(v->prefixes[c]);
	for (size_t i = 0; i < v->nskip; i++)
		free(v->skips[i]);
	free(v->skips);
	free(v);
}

static struct kt_error *bad(const char *file, long line, const char *why)
{
	return kt_error_new(KT_ERR_PARSE, file, line, "%s", why);
}

static char *dash(const char *s)
{
	return strcmp(s, "-") == 0 ? NULL : kt_xstrdup(s);
}

static bool parse_arg(const char *s, int *out)
{
	char *end;
	long v;

	if (strcmp(s, "-") == 0) {
		*out = -1;
		return true;
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < 0 || v > 16)
		return false;
	*out = (int)v;
	return true;
}

static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 200)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || (c == '*' && i == n - 1)))
			return false;
	}
	return true;
}

static void add_entry(struct kt_census_vocab *v, struct cv_entry *e)
{
	size_t n = strlen(e->name);

	if (n && e->name[n - 1] == '*') {
		e->prefix = true;
		e->name[--n] = 0;
	}
	e->nlen = n;
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 64;
		v->e = kt_xrealloc(v->e, v->cap * sizeof(*v->e));
		v->next = kt_xrealloc(v->next, v->cap * sizeof(*v->next));
	}
	v->e[v->n] = *e;
	if (e->prefix) {
		size_t c = e->cls;

		v->prefixes[c] = kt_xrealloc(v->prefixes[c], (v->nprefix[c] + 1) * sizeof(size_t));
		v->prefixes[c][v->nprefix[c]++] = v->n;
		v->next[v->n] = 0;
	} else {
		/* Chains keep table order: append at the tail. */
		uint32_t b = hash_name(e->name, strlen(e->name)) % NBUCKET;
		int *slot = &v->bucket[b];

		while (*slot)
			slot = &v->next[*slot - 1];
		*slot = (int)v->n + 1;
		v->next[v->n] = 0;
	}
	v->n++;
}

static struct kt_error *lock_line(struct cv_entry *e, const char *const *f, size_t n,
				  const char *file, long line)
{
	static const char *const ops[] = {"acquire", "release", "trylock",
					  "assert",  "guard",	"scoped"};
	size_t i;

	if (strcmp(f[0], "class") == 0) {
		if (n < 4 || n > 5)
			return bad(file, line,
				   "class lines are: class NAME MODE FIELD [LOCK-NAME]");
		e->cls = CV_GUARDCLASS;
		e->mode = kt_xstrdup(f[2]);
		e->field = dash(f[3]);
		e->lockname = n == 5 ? kt_xstrdup(f[4]) : NULL;
		e->arg = -1;
		return NULL;
	}
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(f[0], ops[i]) == 0)
			break;
	if (n < 5 || n > 6)
		return bad(file, line, "lock lines are: KIND NAME MODE ARG FIELD [LOCK-NAME]");
	e->cls = CV_LOCK;
	e->op = (enum cv_lockop)i;
	if (!parse_arg(f[3], &e->arg))
		return bad(file, line, "argument index must be 0..16 or -");
	if (e->arg < 0 && n < 6 && e->op != CV_GUARD && e->op != CV_SCOPED)
		return bad(file, line, "a lock without an argument needs a LOCK-NAME");
	e->mode = kt_xstrdup(f[2]);
	e->field = dash(f[4]);
	e->lockname = n == 6 ? kt_xstrdup(f[5]) : NULL;
	return NULL;
}

static struct kt_error *mark_line(struct cv_entry *e, const char *const *f, size_t n,
				  const char *file, long line)
{
	if (n < 3)
		return bad(file, line,
			   "marking lines are: marking NAME MARKING [rmw] [write] [bittest]");
	e->cls = CV_MARK;
	e->marking = kt_xstrdup(f[2]);
	/* "plain" and "plain-bitop" helpers leave the access unmarked. */
	e->marked = strncmp(f[2], "plain", 5) != 0;
	for (size_t i = 3; i < n; i++) {
		if (strcmp(f[i], "rmw") == 0)
			e->rmw = true;
		else if (strcmp(f[i], "write") == 0)
			e->write = true;
		else if (strcmp(f[i], "bittest") == 0)
			e->bittest = true;
		else
			return bad(file, line, "marking flags are rmw, write, bittest");
	}
	return NULL;
}

/* census.tbl: KIND NAME [ARG] */
static struct kt_error *census_line(struct cv_entry *e, const char *const *f, size_t n,
				    const char *file, long line)
{
	static const struct {
		const char *kind;
		enum cv_class cls;
		bool arg;
	} kinds[] = {
	    {"alloc", CV_ALLOC, false},	      {"free", CV_FREE, true},
	    {"publish", CV_PUBLISH, false},   {"output", CV_OUTPUT, false},
	    {"test", CV_TEST, false},	      {"transparent", CV_TRANSPARENT, false},
	    {"size", CV_SIZE, true},	      {"container", CV_CONTAINER, true},
	    {"init", CV_INIT, false},	      {"exit", CV_EXIT, false},
	    {"noaccess", CV_NOACCESS, false}, {"decide", CV_DECIDE, false},
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(f[0], kinds[i].kind) != 0)
			continue;
		if (n != (kinds[i].arg ? 3u : 2u))
			return bad(file, line,
				   kinds[i].arg ? "this kind of line is: KIND NAME ARG"
						: "this kind of line is: KIND NAME");
		e->cls = kinds[i].cls;
		e->arg = -1;
		if (kinds[i].arg && (!parse_arg(f[2], &e->arg) || e->arg < 0))
			return bad(file, line, "argument index must be 0..16");
		return NULL;
	}
	return bad(file, line,
		   "unknown kind (marking, acquire, release, trylock, assert, guard, scoped, "
		   "class, alloc, free, publish, output, test, transparent, size, container, "
		   "init, exit, noaccess, skip)");
}

struct kt_error *kt_census_vocab_add(struct kt_census_vocab *v, const char *const *f, size_t n,
				     const char *file, long line)
{
	struct cv_entry e;
	struct kt_error *err;

	if (n < 2)
		return bad(file, line, "a line needs a kind and a name");
	if (strcmp(f[0], "skip") == 0) {
		if (n != 2 || !f[1][0] || f[1][0] == '/' || strstr(f[1], ".."))
			return bad(file, line, "skip lines are: skip DIR (relative to the tree)");
		v->skips = kt_xrealloc(v->skips, (v->nskip + 1) * sizeof(*v->skips));
		v->skips[v->nskip++] = kt_xstrdup(f[1]);
		return NULL;
	}
	if (!valid_name(f[1]))
		return bad(file, line, "NAME must be a C identifier, optionally ending in *");
	memset(&e, 0, sizeof(e));
	e.arg = -1;
	if (strcmp(f[0], "marking") == 0)
		err = mark_line(&e, f, n, file, line);
	else if (strcmp(f[0], "class") == 0 || strcmp(f[0], "acquire") == 0 ||
		 strcmp(f[0], "release") == 0 || strcmp(f[0], "trylock") == 0 ||
		 strcmp(f[0], "assert") == 0 || strcmp(f[0], "guard") == 0 ||
		 strcmp(f[0], "scoped") == 0)
		err = lock_line(&e, f, n, file, line);
	else
		err = census_line(&e, f, n, file, line);
	if (err) {
		entry_free(&e);
		return err;
	}
	e.name = kt_xstrdup(f[1]);
	add_entry(v, &e);
	return NULL;
}

static bool matches(const struct cv_entry *e, const char *s, size_t n)
{
	size_t k = e->nlen;

	return e->prefix ? n >= k && memcmp(s, e->name, k) == 0
			 : n == k && memcmp(s, e->name, k) == 0;
}

const struct cv_entry *cv_find(const struct kt_census_vocab *v, enum cv_class cls, const char *s,
			       size_t n)
{
	size_t best = (size_t)-1;

	for (int i = v->bucket[hash_name(s, n) % NBUCKET]; i; i = v->next[i - 1]) {
		const struct cv_entry *e = &v->e[i - 1];

		if (e->cls == cls && matches(e, s, n)) {
			best = (size_t)i - 1;
			break;
		}
	}
	for (size_t k = 0; k < v->nprefix[cls] && v->prefixes[cls][k] < best; k++) {
		const struct cv_entry *e = &v->e[v->prefixes[cls][k]];

		if (matches(e, s, n)) {
			best = v->prefixes[cls][k];
			break;
		}
	}
	return best == (size_t)-1 ? NULL : &v->e[best];
}

size_t cv_find_locks(const struct kt_census_vocab *v, const char *s, size_t n,
		     const struct cv_entry **out, size_t max)
{
	size_t k = 0;

	for (int i = v->bucket[hash_name(s, n) % NBUCKET]; i && k < max; i = v->next[i - 1]) {
		const struct cv_entry *e = &v->e[i - 1];

		if (e->cls == CV_LOCK && matches(e, s, n))
			out[k++] = e;
	}
	for (size_t p = 0; p < v->nprefix[CV_LOCK] && k < max; p++) {
		const struct cv_entry *e = &v->e[v->prefixes[CV_LOCK][p]];

		if (matches(e, s, n))
			out[k++] = e;
	}
	return k;
}

size_t cv_skips(const struct kt_census_vocab *v, const char *const **out)
{
	*out = (const char *const *)v->skips;
	return v->nskip;
}

uint64_t cv_skips_key(const struct kt_census_vocab *v)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < v->nskip; i++) {
		for (const char *p = v->skips[i]; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
		h = (h ^ 0xff) * 1099511628211ULL;
	}
	return h;
}

struct load_ctx {
	struct kt_census_vocab *v;
	const char *const *kinds; /* NULL: every line */
};

static struct kt_error *load_line(void *ctx, const struct kt_table_line *l)
{
	struct load_ctx *c = ctx;
	bool take = c->kinds == NULL;

	for (size_t k = 0; c->kinds && c->kinds[k]; k++)
		take = take || strcmp(l->f[0], c->kinds[k]) == 0;
	return take ? kt_census_vocab_add(c->v, l->f, l->n, l->file, l->line) : NULL;
}

/* kinds NULL: every line; else only lines of these kinds. The table is
 * dir's, or the shipped one when dir has none (kt_rules_path()). */
static struct kt_error *load_table(struct kt_census_vocab *v, const char *dir, const char *name,
				   const char *const *kinds)
{
	struct load_ctx c = {v, kinds};
	char *path = kt_rules_path(dir, name);
	struct kt_error *err;

	if (!path)
		return kt_error_new(KT_ERR_IO, dir, 0, "no %s in the rules", name);
	err = kt_table_read(path, load_line, &c);
	free(path);
	return err;
}

bool kt_census_vocab_decides(const struct kt_census_vocab *v, const char *func)
{
	return v && func && cv_find(v, CV_DECIDE, func, strlen(func)) != NULL;
}

struct kt_error *kt_census_vocab_load(const char *rules_dir, struct kt_census_vocab **out)
{
	static const char *const access_kinds[] = {"marking", NULL};
	static const char *const lock_kinds[] = {"acquire", "release", "trylock", "assert",
						 "guard",   "scoped",  "class",	  NULL};
	struct kt_census_vocab *v = kt_census_vocab_new();
	struct kt_error *err;

	*out = NULL;
	if ((err = load_table(v, rules_dir, "access.tbl", access_kinds)) ||
	    (err = load_table(v, rules_dir, "locks.tbl", lock_kinds)) ||
	    (err = load_table(v, rules_dir, "census.tbl", NULL))) {
		kt_census_vocab_free(v);
		return err;
	}
	*out = v;
	return NULL;
}
