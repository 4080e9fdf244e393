// SPDX-License-Identifier: Apache-2.0
/* The fact catalogue, read from rules/facts.tbl with the table reader. */
#include <stdlib.h>
#include <string.h>

#include "kcsan/catalogue.h"
#include "kcsan/strbuf.h"
#include "kcsan/table.h"

struct kt_catalogue {
	char *path;
	struct kt_fact_def *defs; /* sorted by name once read */
	size_t n;
	size_t *seen; /* while reading: hash slot -> entry + 1, 0 = empty */
	size_t nseen;
};

static const char *const stage_names[] = {"report", "binary", "source"};
static const unsigned stage_bits[] = {KT_ORIGIN_REPORT, KT_ORIGIN_VMLINUX, KT_ORIGIN_SOURCE};
static const char *const scope_names[] = {"access", "report"};
static const unsigned scope_bits[] = {KT_SCOPE_ACCESS, KT_SCOPE_REPORT};
static const char *const type_names[] = {"bool", "int", "string", "list"};
static const enum kt_fact_type type_vals[] = {KT_FACT_BOOL, KT_FACT_INT, KT_FACT_STR,
					      KT_FACT_STRLIST};
/* What a rule writes before a fact name to choose the side. */
static const char *const side_prefixes[] = {"a.", "b.", "x.", "y.", "either.", "both."};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *kt_catalogue_stage_name(enum kt_fact_origin o)
{
	for (size_t i = 0; i < COUNT(stage_bits); i++)
		if (stage_bits[i] == o)
			return stage_names[i];
	return "?";
}

const char *kt_catalogue_type_name(enum kt_fact_type t)
{
	for (size_t i = 0; i < COUNT(type_vals); i++)
		if (type_vals[i] == t)
			return type_names[i];
	return "?";
}

/* "a,b,c" of words among names[]: the OR of their bits; 0 when a word is
 * not one of them or is repeated. */
static unsigned word_set(const char *s, const char *const *names, const unsigned *bits, size_t n)
{
	unsigned set = 0;

	for (;;) {
		size_t len = strcspn(s, ","), i;

		for (i = 0; i < n; i++)
			if (strlen(names[i]) == len && strncmp(s, names[i], len) == 0)
				break;
		if (i == n || (set & bits[i]))
			return 0;
		set |= bits[i];
		if (!s[len])
			return set;
		s += len + 1;
	}
}

static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || s[0] == '.' || s[n - 1] == '.' || strstr(s, ".."))
		return false;
	for (const char *c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' ||
		      *c == '.'))
			return false;
	for (size_t i = 0; i < COUNT(side_prefixes); i++)
		if (kt_str_startswith(s, side_prefixes[i]))
			return false;
	return true;
}

static size_t hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

/* The entry named name among those read so far, or c->n. */
static size_t seen(const struct kt_catalogue *c, const char *name)
{
	for (size_t i = c->nseen ? hash(name) & (c->nseen - 1) : 0; c->nseen && c->seen[i];
	     i = (i + 1) & (c->nseen - 1))
		if (strcmp(c->defs[c->seen[i] - 1].name, name) == 0)
			return c->seen[i] - 1;
	return c->n;
}

/* Index entry k, growing the index to keep it at most half full. */
static void remember(struct kt_catalogue *c, size_t k)
{
	if (2 * (k + 1) > c->nseen) {
		free(c->seen);
		c->nseen = c->nseen ? 2 * c->nseen : 64;
		c->seen = kt_xcalloc(c->nseen, sizeof(*c->seen));
		for (size_t i = 0; i < k; i++)
			remember(c, i);
	}
	size_t i = hash(c->defs[k].name) & (c->nseen - 1);

	while (c->seen[i])
		i = (i + 1) & (c->nseen - 1);
	c->seen[i] = k + 1;
}

/* NAME SCOPE TYPE STAGES "MEANING" */
static struct kt_error *fact_line(void *ctx, const struct kt_table_line *l)
{
	struct kt_catalogue *c = ctx;
	struct kt_fact_def d = {.line = l->line};
	size_t t;

	if (l->n != 5)
		return kt_table_bad(l, "fact lines are: NAME SCOPE TYPE STAGES \"MEANING\"");
	if (!valid_name(l->f[0]))
		return kt_table_bad(l,
				    "bad fact name '%s' (lower-case letters, digits, '_' and '.', "
				    "no side prefix)",
				    l->f[0]);
	if ((t = seen(c, l->f[0])) < c->n)
		return kt_table_bad(l, "fact '%s' is already listed at line %ld", l->f[0],
				    c->defs[t].line);
	if (!(d.scopes = word_set(l->f[1], scope_names, scope_bits, COUNT(scope_bits))))
		return kt_table_bad(l, "bad scope '%s' (access, report or access,report)", l->f[1]);
	for (t = 0; t < COUNT(type_names); t++)
		if (strcmp(l->f[2], type_names[t]) == 0)
			break;
	if (t == COUNT(type_names))
		return kt_table_bad(l, "bad type '%s' (bool, int, string or list)", l->f[2]);
	d.type = type_vals[t];
	if (!(d.stages = word_set(l->f[3], stage_names, stage_bits, COUNT(stage_bits))))
		return kt_table_bad(l, "bad stages '%s' (report, binary, source, comma-separated)",
				    l->f[3]);
	if (!l->f[4][0])
		return kt_table_bad(l, "the meaning is empty");
	d.name = kt_xstrdup(l->f[0]);
	d.meaning = kt_xstrdup(l->f[4]);
	if (c->n % 32 == 0)
		c->defs = kt_xrealloc(c->defs, (c->n + 32) * sizeof(*c->defs));
	c->defs[c->n++] = d;
	remember(c, c->n - 1);
	return NULL;
}

static int cmp_def(const void *a, const void *b)
{
	return strcmp(((const struct kt_fact_def *)a)->name, ((const struct kt_fact_def *)b)->name);
}

/* Reads text (path NULL) or the file at path; name is used in errors. */
static struct kt_error *read_catalogue(const char *name, const char *path, const char *text,
				       size_t len, struct kt_catalogue **out)
{
	struct kt_catalogue *c = kt_xcalloc(1, sizeof(*c));
	struct kt_error *err;

	*out = NULL;
	c->path = kt_xstrdup(name);
	err = path ? kt_table_read(path, fact_line, c)
		   : kt_table_parse(name, text, len, fact_line, c);
	free(c->seen);
	c->seen = NULL;
	c->nseen = 0;
	if (!err && c->n == 0)
		err = kt_error_new(KT_ERR_PARSE, name, 0, "the catalogue lists no fact");
	if (err) {
		kt_catalogue_free(c);
		return err;
	}
	qsort(c->defs, c->n, sizeof(*c->defs), cmp_def);
	*out = c;
	return NULL;
}

struct kt_error *kt_catalogue_parse(const char *name, const char *text, size_t len,
				    struct kt_catalogue **out)
{
	return read_catalogue(name, NULL, text, len, out);
}

struct kt_error *kt_catalogue_load(const char *path, struct kt_catalogue **out)
{
	return read_catalogue(path, path, NULL, 0, out);
}

void kt_catalogue_free(struct kt_catalogue *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free((char *)c->defs[i].name);
		free((char *)c->defs[i].meaning);
	}
	free(c->defs);
	free(c->path);
	free(c);
}

const char *kt_catalogue_path(const struct kt_catalogue *c)
{
	return c->path;
}

size_t kt_catalogue_count(const struct kt_catalogue *c)
{
	return c->n;
}

const struct kt_fact_def *kt_catalogue_at(const struct kt_catalogue *c, size_t i)
{
	return i < c->n ? &c->defs[i] : NULL;
}

const struct kt_fact_def *kt_catalogue_lookup(const struct kt_catalogue *c, const char *name,
					      enum kt_fact_scope scope)
{
	struct kt_fact_def key = {.name = name};
	const struct kt_fact_def *d = bsearch(&key, c->defs, c->n, sizeof(*c->defs), cmp_def);

	return d && (d->scopes & scope) ? d : NULL;
}

const struct kt_fact_def *kt_catalogue_find(const struct kt_catalogue *c, const char *stored)
{
	if ((stored[0] == 'a' || stored[0] == 'b') && stored[1] == '.')
		return kt_catalogue_lookup(c, stored + 2, KT_SCOPE_ACCESS);
	return kt_catalogue_lookup(c, stored, KT_SCOPE_REPORT);
}
