// SPDX-License-Identifier: Apache-2.0
/*
 * The census on the mini tree (testdata/census/tree): every
 * testdata/census/cases/NAME.census is one object and its expected census,
 *
 *   # what the case shows (any number of comment lines)
 *   object: struct port::mtu
 *   <a blank line>
 *   the census as kt-census --sites prints it
 *
 * and the JSON form of each census must parse and agree with the text.
 * Arguments: case files; none means every case.
 */
#include <dirent.h>

#include "harness.h"
#include "kcsan/census.h"
#include "kcsan/json.h"
#include "kcsan/strbuf.h"

#define TREE  KT_TESTDATA "/census/tree"
#define CASES KT_TESTDATA "/census/cases"

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	struct kt_strbuf sb;
	char buf[4096];
	size_t n;

	if (!fp)
		return NULL;
	kt_strbuf_init(&sb);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		kt_strbuf_add(&sb, buf, n);
	fclose(fp);
	return kt_strbuf_detach(&sb);
}

/* The first line where a and b differ, for the failure message. */
static void show_diff(const char *name, const char *want, const char *got)
{
	int line = 1;

	while (*want && *want == *got) {
		line += *want == '\n';
		want++;
		got++;
	}
	const char *we = strchr(want, '\n'), *ge = strchr(got, '\n');

	fprintf(stderr, "%s: census differs at line %d\n  want: %.*s\n  got:  %.*s\n", name, line,
		we ? (int)(we - want) : (int)strlen(want), want,
		ge ? (int)(ge - got) : (int)strlen(got), got);
}

static void check_json(const char *name, const struct kt_census_result *r)
{
	struct kt_strbuf sb;
	struct kt_json *j = NULL;
	struct kt_error *e;

	kt_strbuf_init(&sb);
	kt_census_result_json(r, &sb);
	e = kt_json_parse(sb.buf, sb.len, name, &j);
	CHECK(e == NULL);
	if (!e) {
		const struct kt_json *o = kt_json_get(j, "object"), *n = kt_json_get(j, "sites"),
				     *l = kt_json_get(j, "site_list"),
				     *d = kt_json_get(j, "deviants");

		CHECK(o && o->type == KT_JSON_STRING && strcmp(o->str, r->object) == 0);
		CHECK(n && n->type == KT_JSON_NUMBER && (size_t)n->num == r->nsites);
		CHECK(l && l->type == KT_JSON_ARRAY && l->len == r->nsites);
		CHECK(d && d->type == KT_JSON_ARRAY && d->len == r->ndeviants);
	}
	kt_error_free(e);
	kt_json_free(j);
	kt_strbuf_fini(&sb);
}

static void run_case(struct kt_census_index *ix, const char *path)
{
	char *text = slurp(path), *p, *object = NULL;
	struct kt_census_result *r = NULL;
	struct kt_error *e;
	struct kt_strbuf got;

	CHECK(text != NULL);
	if (!text)
		return;
	p = text;
	while (*p && *p != '\n') { /* the header, to a blank line */
		char *eol = strchr(p, '\n');

		if (!eol)
			break;
		*eol = 0;
		if (strncmp(p, "object: ", 8) == 0)
			object = p + 8;
		p = eol + 1;
	}
	if (*p == '\n')
		p++;
	CHECK(object != NULL);
	if (!object) {
		fprintf(stderr, "%s: no object line\n", path);
		free(text);
		return;
	}
	e = kt_census_query_object(ix, object, &r);
	if (e) {
		char *m = kt_error_format(e);

		fprintf(stderr, "%s: %s\n", path, m);
		free(m);
		kt_error_free(e);
		CHECK(e == NULL);
		free(text);
		return;
	}
	kt_strbuf_init(&got);
	kt_census_result_text(r, true, &got);
	if (strcmp(got.buf, p) != 0) {
		show_diff(path, p, got.buf);
		CHECK(strcmp(got.buf, p) == 0);
	} else {
		CHECK(true);
	}
	check_json(path, r);
	kt_strbuf_fini(&got);
	kt_census_result_free(r);
	free(text);
}

/* Bad table lines are refused with their file and line; bad trees too. */
static void bad_inputs(void)
{
	static const struct {
		const char *f[7];
		size_t n;
		const char *why;
	} lines[] = {
	    {{"frobnicate", "x"}, 2, "unknown kind"},
	    {{"alloc"}, 1, "a kind and a name"},
	    {{"alloc", "k malloc"}, 2, "C identifier"},
	    {{"free", "kfree"}, 2, "KIND NAME ARG"},
	    {{"free", "kfree", "99"}, 3, "0..16"},
	    {{"container", "container_of", "-"}, 3, "0..16"},
	    {{"skip", "/usr"}, 2, "relative"},
	    {{"skip", "a/../b"}, 2, "relative"},
	    {{"marking", "READ_ONCE"}, 2, "marking lines"},
	    {{"marking", "READ_ONCE", "x", "sometimes"}, 4, "rmw, write, bittest"},
	    {{"acquire", "spin_lock", "exclusive", "zero", "-"}, 5, "0..16"},
	    {{"acquire", "rcu_read_lock", "rcu", "-", "-"}, 5, "LOCK-NAME"},
	    {{"class", "spinlock"}, 2, "class lines"},
	};
	struct kt_census_vocab *v = kt_census_vocab_new();
	struct kt_census_index *ix = NULL;
	struct kt_error *e;

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		e = kt_census_vocab_add(v, lines[i].f, lines[i].n, "census.tbl", (long)i + 1);
		CHECK(e && e->line == (long)i + 1 && e->file && strstr(e->msg, lines[i].why));
		if (e && !strstr(e->msg, lines[i].why))
			fprintf(stderr, "line %zu: %s\n", i, e->msg);
		kt_error_free(e);
	}
	e = kt_census_index_open(KT_TESTDATA "/census/no-such-tree", "", v, &ix);
	CHECK(e && ix == NULL && e->file && strstr(e->file, "no-such-tree"));
	kt_error_free(e);
	e = kt_census_index_open(KT_TESTDATA "/census/patterns.tsv", "", v, &ix);
	CHECK(e && ix == NULL);
	kt_error_free(e);
	e = kt_census_index_open(KT_TESTDATA "/census/cases", "", v, &ix); /* no C file */
	CHECK(e && ix == NULL);
	kt_error_free(e);
	kt_census_vocab_free(v);
}

int main(int argc, char **argv)
{
	struct kt_census_vocab *v = NULL;
	struct kt_census_index *ix = NULL;
	struct kt_error *e;

	bad_inputs();
	e = kt_census_vocab_load(KT_SOURCE_RULES_DIR, &v);
	CHECK(e == NULL);
	if (e)
		return kt_test_done("test_census");
	e = kt_census_index_open(TREE, "", v, &ix);
	CHECK(e == NULL);
	if (!e) {
		if (argc > 1) {
			for (int i = 1; i < argc; i++)
				run_case(ix, argv[i]);
		} else {
			struct dirent **ents;
			int n = scandir(CASES, &ents, NULL, alphasort);

			CHECK(n > 0);
			for (int i = 0; i < n; i++) {
				char path[1024];

				if (kt_str_endswith(ents[i]->d_name, ".census")) {
					snprintf(path, sizeof(path), "%s/%s", CASES,
						 ents[i]->d_name);
					run_case(ix, path);
				}
				free(ents[i]);
			}
			free(ents);
		}
		/* Objects that are not in the tree are errors, not empty censuses. */
		static const char *const bad[] = {"struct nosuch::f",
						  "struct port::nosuch",
						  "struct port::mtu.x",
						  "struct port::",
						  "9lives",
						  "struct port::stats..tx_dropped"};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			struct kt_census_result *r = NULL;
			struct kt_error *qe = kt_census_query_object(ix, bad[i], &r);

			CHECK(qe != NULL && r == NULL);
			kt_error_free(qe);
		}
		kt_census_index_close(ix);
	}
	kt_error_free(e);
	kt_census_vocab_free(v);
	return kt_test_done("test_census");
}
