// SPDX-License-Identifier: Apache-2.0
/*
 * The source stage's kernel knowledge, read from rules/locks.tbl and
 * rules/access.tbl (format in rules/README.md, "Tables") with the table
 * reader of kcsan/table.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "kcsan/source.h"
#include "kcsan/table.h"

#define GROW(arr, n)                                                                               \
	do {                                                                                       \
		if (((n) & ((n)-1)) == 0 || (n) == 0)                                              \
			(arr) = kt_xrealloc((arr), ((n) ? (n)*2 : 8) * sizeof(*(arr)));            \
	} while (0)

static char *dash(const char *s)
{
	return strcmp(s, "-") == 0 ? NULL : kt_xstrdup(s);
}

static struct kt_error *parse_int(const char *s, int *out, const struct kt_table_line *l)
{
	char *end;
	long v;

	if (strcmp(s, "-") == 0) {
		*out = -1;
		return NULL;
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 0 || v > 16)
		return kt_table_bad(l, "argument index must be 0..16 or -");
	*out = (int)v;
	return NULL;
}

static struct kt_error *locks_line(void *ctx, const struct kt_table_line *l)
{
	struct kt_tables *t = ctx;
	const char *const *f = l->f;
	size_t n = l->n;
	static const struct {
		const char *w;
		enum kt_lock_op op;
	} ops[] = {
	    {"acquire", KT_LK_ACQUIRE}, {"release", KT_LK_RELEASE}, {"trylock", KT_LK_TRYLOCK},
	    {"assert", KT_LK_ASSERT},	{"guard", KT_LK_GUARD},	    {"scoped", KT_LK_SCOPED},
	};
	struct kt_lock_entry e = {0};
	struct kt_error *err;
	size_t i;

	if (strcmp(f[0], "class") == 0) {
		struct kt_guard_entry g = {0};

		/* class NAME MODE FIELD [LOCKNAME] */
		if (n < 4 || n > 5)
			return kt_table_bad(l,
					    "class lines are: class NAME MODE FIELD [LOCK-NAME]");
		g.klass = kt_xstrdup(f[1]);
		g.mode = kt_xstrdup(f[2]);
		g.field = dash(f[3]);
		g.klass_name = n == 5 ? kt_xstrdup(f[4]) : NULL;
		GROW(t->guards, t->nguards);
		t->guards[t->nguards++] = g;
		return NULL;
	}
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(f[0], ops[i].w) == 0)
			break;
	if (i == sizeof(ops) / sizeof(ops[0]))
		return kt_table_bad(
		    l, "unknown kind (acquire, release, trylock, assert, guard, scoped, class)");
	/* KIND NAME MODE ARG FIELD [LOCKNAME] */
	if (n < 5 || n > 6)
		return kt_table_bad(l, "lock lines are: KIND NAME MODE ARG FIELD [LOCK-NAME]");
	if ((err = parse_int(f[3], &e.arg, l)))
		return err;
	if (e.arg < 0 && n < 6 && ops[i].op != KT_LK_GUARD && ops[i].op != KT_LK_SCOPED)
		return kt_table_bad(l, "a lock without an argument needs a LOCK-NAME");
	e.op = ops[i].op;
	e.name = kt_xstrdup(f[1]);
	e.mode = kt_xstrdup(f[2]);
	e.field = dash(f[4]);
	e.klass = n == 6 ? kt_xstrdup(f[5]) : NULL;
	GROW(t->locks, t->nlocks);
	t->locks[t->nlocks++] = e;
	return NULL;
}

static void push_str(char ***arr, size_t *n, const char *s)
{
	GROW(*arr, *n);
	(*arr)[(*n)++] = kt_xstrdup(s);
}

static struct kt_error *access_line(void *ctx, const struct kt_table_line *l)
{
	struct kt_tables *t = ctx;
	const char *const *f = l->f;
	size_t n = l->n;

	if (strcmp(f[0], "marking") == 0) {
		struct kt_marking_entry m = {0};

		/* marking NAME MARKING [rmw] [write] [bittest] */
		if (n < 3)
			return kt_table_bad(
			    l, "marking lines are: marking NAME MARKING [rmw] [write] [bittest]");
		for (size_t i = 3; i < n; i++) {
			if (strcmp(f[i], "rmw") == 0)
				m.rmw = true;
			else if (strcmp(f[i], "write") == 0)
				m.write = true;
			else if (strcmp(f[i], "bittest") == 0)
				m.bittest = true;
			else
				return kt_table_bad(l, "marking flags are rmw, write and bittest");
		}
		m.name = kt_xstrdup(f[1]);
		m.marking = kt_xstrdup(f[2]);
		GROW(t->marks, t->nmarks);
		t->marks[t->nmarks++] = m;
		return NULL;
	}
	if (strcmp(f[0], "copy") == 0 || strcmp(f[0], "buffer") == 0) {
		struct kt_copy_entry c = {0};

		/* copy NAME KIND "DESC"   /  buffer FRAME KIND "DESC" */
		if (n != 4)
			return kt_table_bad(
			    l, "copy and buffer lines are: KIND-WORD NAME KIND \"DESCRIPTION\"");
		c.what = kt_xstrdup(f[0]);
		c.name = kt_xstrdup(f[1]);
		c.kind = kt_xstrdup(f[2]);
		c.desc = kt_xstrdup(f[3]);
		GROW(t->copies, t->ncopies);
		t->copies[t->ncopies++] = c;
		return NULL;
	}
	if (strcmp(f[0], "passed") == 0 || strcmp(f[0], "entry") == 0) {
		if (n != 2)
			return kt_table_bad(l, "passed and entry lines are: WORD NAME");
		if (f[0][0] == 'p')
			push_str(&t->passed, &t->npassed, f[1]);
		else
			push_str(&t->entry, &t->nentry, f[1]);
		return NULL;
	}
	if (strcmp(f[0], "instrumentation") == 0) {
		if (n != 2)
			return kt_table_bad(l, "instrumentation lines are: instrumentation FILE");
		push_str(&t->instr, &t->ninstr, f[1]);
		return NULL;
	}
	if (strcmp(f[0], "clock") == 0) {
		if (n != 2)
			return kt_table_bad(l, "clock lines are: clock NAME");
		push_str(&t->clocks, &t->nclocks, f[1]);
		return NULL;
	}
	if (strcmp(f[0], "defer") == 0) {
		if (n != 2)
			return kt_table_bad(l, "defer lines are: defer NAME");
		push_str(&t->defers, &t->ndefers, f[1]);
		return NULL;
	}
	if (strcmp(f[0], "generated") == 0) {
		if (n != 3)
			return kt_table_bad(l, "generated lines are: generated PREFIX MACRO");
		GROW(t->gen_macro, t->ngen);
		t->gen_macro[t->ngen] = kt_xstrdup(f[2]);
		push_str(&t->gen_prefix, &t->ngen, f[1]);
		return NULL;
	}
	if (strcmp(f[0], "context") == 0) {
		if (n != 3 ||
		    (strcmp(f[2], "irq") && strcmp(f[2], "softirq") && strcmp(f[2], "nmi")))
			return kt_table_bad(l, "context lines are: context FRAME irq|softirq|nmi");
		GROW(t->irqkind, t->nirq);
		t->irqkind[t->nirq] = kt_xstrdup(f[2]);
		push_str(&t->irq, &t->nirq, f[1]);
		return NULL;
	}
	return kt_table_bad(
	    l, "unknown kind (marking, copy, buffer, passed, entry, instrumentation, clock, "
	       "defer, generated, context)");
}

/* One table of the rule directory dir (NULL: the shipped rules). */
static struct kt_error *load(const char *dir, const char *name, struct kt_tables *t,
			     kt_table_line_fn fn)
{
	char *path = kt_rules_path(dir, name);
	struct kt_error *err;

	if (!path)
		return kt_error_new(KT_ERR_IO, name, 0,
				    "the table is neither in %s nor in the shipped rules",
				    dir ? dir : "the rule directory");
	err = kt_table_read(path, fn, t);
	free(path);
	return err;
}

struct kt_error *kt_tables_load(const char *rules_dir, struct kt_tables *t)
{
	struct kt_error *err;

	memset(t, 0, sizeof(*t));
	err = kt_error_append(load(rules_dir, "locks.tbl", t, locks_line),
			      load(rules_dir, "access.tbl", t, access_line));
	if (err)
		kt_tables_free(t);
	return err;
}

struct kt_error *kt_source_check_tables(const char *rules_dir)
{
	struct kt_tables t;
	struct kt_error *err = kt_tables_load(rules_dir, &t);

	if (!err)
		kt_tables_free(&t);
	return err;
}

void kt_strs_free(char **a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(a[i]);
	free(a);
}

void kt_tables_free(struct kt_tables *t)
{
	for (size_t i = 0; i < t->nlocks; i++) {
		free(t->locks[i].name);
		free(t->locks[i].mode);
		free(t->locks[i].field);
		free(t->locks[i].klass);
	}
	free(t->locks);
	for (size_t i = 0; i < t->nguards; i++) {
		free(t->guards[i].klass);
		free(t->guards[i].mode);
		free(t->guards[i].field);
		free(t->guards[i].klass_name);
	}
	free(t->guards);
	for (size_t i = 0; i < t->nmarks; i++) {
		free(t->marks[i].name);
		free(t->marks[i].marking);
	}
	free(t->marks);
	for (size_t i = 0; i < t->ncopies; i++) {
		free(t->copies[i].name);
		free(t->copies[i].what);
		free(t->copies[i].kind);
		free(t->copies[i].desc);
	}
	free(t->copies);
	kt_strs_free(t->passed, t->npassed);
	kt_strs_free(t->entry, t->nentry);
	kt_strs_free(t->instr, t->ninstr);
	kt_strs_free(t->clocks, t->nclocks);
	kt_strs_free(t->defers, t->ndefers);
	kt_strs_free(t->gen_prefix, t->ngen);
	kt_strs_free(t->gen_macro, t->ngen);
	kt_strs_free(t->irq, t->nirq);
	kt_strs_free(t->irqkind, t->nirq);
	memset(t, 0, sizeof(*t));
}

/* NAME matches a table name; a name ending in '*' matches as a prefix. */
static bool name_match(const char *pat, const char *name)
{
	size_t l = strlen(pat);

	if (l && pat[l - 1] == '*')
		return strncmp(pat, name, l - 1) == 0;
	return strcmp(pat, name) == 0;
}

const struct kt_lock_entry *kt_tables_lock(const struct kt_tables *t, const char *name)
{
	for (size_t i = 0; i < t->nlocks; i++)
		if (name_match(t->locks[i].name, name))
			return &t->locks[i];
	return NULL;
}

const struct kt_guard_entry *kt_tables_guard(const struct kt_tables *t, const char *klass)
{
	for (size_t i = 0; i < t->nguards; i++)
		if (strcmp(t->guards[i].klass, klass) == 0)
			return &t->guards[i];
	return NULL;
}

const struct kt_marking_entry *kt_tables_marking(const struct kt_tables *t, const char *name)
{
	for (size_t i = 0; i < t->nmarks; i++)
		if (name_match(t->marks[i].name, name))
			return &t->marks[i];
	return NULL;
}

const struct kt_copy_entry *kt_tables_copy(const struct kt_tables *t, const char *what,
					   const char *name)
{
	for (size_t i = 0; i < t->ncopies; i++)
		if (strcmp(t->copies[i].what, what) == 0 && name_match(t->copies[i].name, name))
			return &t->copies[i];
	return NULL;
}

bool kt_tables_in(char *const *list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (name_match(list[i], name))
			return true;
	return false;
}

const char *kt_tables_generated(const struct kt_tables *t, const char *func, const char **name)
{
	for (size_t i = 0; t && func && i < t->ngen; i++) {
		size_t l = strlen(t->gen_prefix[i]);

		if (strncmp(func, t->gen_prefix[i], l) == 0 && func[l]) {
			*name = func + l;
			return t->gen_macro[i];
		}
	}
	return NULL;
}
