// SPDX-License-Identifier: Apache-2.0
/*
 * A .tbl file into the table reader and every table parser built on it. The
 * input is read as text by kt_table_parse() (each line's fields and every
 * error checked against the reader's promises) and as the fact catalogue;
 * then it is written, in a fresh mkdtemp() directory, as each table of the
 * binary and source stages, which read it as they would --rules DIR.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kcsan/binary.h"
#include "kcsan/catalogue.h"
#include "kcsan/source.h"
#include "kcsan/table.h"

static const char *const tables[] = {"locks.tbl", "access.tbl", "types.tbl", "addr-layout.tbl",
				     "symbol-aliases.tbl"};

struct seen {
	long last;
};

/* Every line handed over has 1..8 fields, increasing line numbers. */
static struct kt_error *check_line(void *ctx, const struct kt_table_line *l)
{
	struct seen *s = ctx;

	if (l->n < 1 || l->n > KT_TABLE_MAX_FIELDS || l->line <= s->last || !l->file)
		abort();
	for (size_t i = 0; i < l->n; i++)
		if (!l->f[i] || (!l->f[i][0] && l->f[i][-1] != '"'))
			abort(); /* only a quoted field is empty */
	s->last = l->line;
	/* refuse some lines, as a table's own parser would */
	return l->n == 3 ? kt_table_bad(l, "three fields") : NULL;
}

/* An error chain keeps its promises: a message and a file each, lines in
 * order within a file, at most max errors. */
static void check_errors(struct kt_error *err, size_t max)
{
	const char *file = NULL;
	size_t n = 0;
	long last = 0;

	for (const struct kt_error *e = err; e; e = e->next) {
		if (!e->msg || !*e->msg || !e->file || ++n > max)
			abort();
		if (!file || strcmp(file, e->file) != 0)
			last = 0;
		if (e->line < last)
			abort();
		file = e->file;
		last = e->line;
	}
	kt_error_free(err);
}

/* Every entry is found under the names its scopes give it. */
static void check_catalogue(const struct kt_catalogue *cat)
{
	char name[4096];

	for (size_t i = 0; i < kt_catalogue_count(cat); i++) {
		const struct kt_fact_def *d = kt_catalogue_at(cat, i);

		snprintf(name, sizeof(name), "a.%s", d->name);
		if ((d->scopes & KT_SCOPE_ACCESS) && kt_catalogue_find(cat, name) != d)
			abort();
		if ((d->scopes & KT_SCOPE_REPORT) && kt_catalogue_find(cat, d->name) != d)
			abort();
	}
}

static void write_file(const char *path, const unsigned char *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t done = 0;

	if (fd < 0)
		abort();
	while (done < size) {
		ssize_t w = write(fd, data + done, size - done);

		if (w <= 0)
			abort();
		done += (size_t)w;
	}
	close(fd);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *tmp = getenv("TMPDIR");
	struct seen seen = {0};
	struct kt_catalogue *cat = NULL;
	struct kt_error *err;
	char dir[512], path[600];

	err = kt_table_parse("fuzz.tbl", (const char *)data, size, check_line, &seen);
	check_errors(err, KT_TABLE_MAX_ERRORS + 1);
	err = kt_catalogue_parse("facts.tbl", (const char *)data, size, &cat);
	if ((err != NULL) == (cat != NULL))
		abort(); /* an error and a result, or neither */
	if (cat)
		check_catalogue(cat);
	check_errors(err, KT_TABLE_MAX_ERRORS + 1);
	kt_catalogue_free(cat);

	snprintf(dir, sizeof(dir), "%s/kt-fuzz-tables-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		abort();
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, tables[i]);
		write_file(path, data, size);
	}
	/* two tables a stage: up to twice the reader's bound, plus the I/O */
	check_errors(kt_source_check_tables(dir), 2 * (KT_TABLE_MAX_ERRORS + 1));
	check_errors(kt_vmlinux_check_tables(dir), 3 * (KT_TABLE_MAX_ERRORS + 1));
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, tables[i]);
		unlink(path);
	}
	rmdir(dir);
	return 0;
}
