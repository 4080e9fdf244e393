// SPDX-License-Identifier: Apache-2.0
/*
 * kt-census: the census of objects across a kernel tree, by hand.
 *
 *   kt-census --src DIR [--rev REV] [--rules DIR] [--cache-dir DIR | --no-cache]
 *             [--format text|json] [--sites] [--stats] OBJECT...
 *   kt-census --src DIR --defines FUNCTION...
 *
 * OBJECT is `struct S::f`, `struct S::a.b`, `union U::f`, `T::f` (a typedef)
 * or a global (`jiffies`, `rcu_state.gp_seq`). With --rev, DIR is a git
 * repository's work tree read at REV from its object store. Text by default (--sites adds
 * every site), or one JSON object per line. --defines prints, for each
 * function name, the files of the tree that define it. --stats prints the index and
 * the CPU time of the open and of each census on standard error. Exit 0,
 * or 2 when an input cannot be read or an object is not in the tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "kcsan/census.h"

static double cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static int usage(void)
{
	fputs(
	    "usage: kt-census --src DIR [--rev REV] [--rules DIR] [--cache-dir DIR | --no-cache]\n"
	    "                 [--format text|json] [--sites] [--stats] OBJECT...\n"
	    "       kt-census --src DIR [--rev REV] --defines FUNCTION...\n",
	    stderr);
	return 2;
}

static int fail(struct kt_error *e)
{
	char *m = kt_error_format(e);

	fprintf(stderr, "kt-census: %s\n", m);
	free(m);
	kt_error_free(e);
	return 2;
}

/* "name: file..." or "name: not defined in the tree". */
static void print_defines(const struct kt_census_index *ix, const char *name)
{
	char **files = NULL;
	size_t n = kt_census_function_files(ix, name, &files);

	printf("%s:", name);
	for (size_t k = 0; k < n; k++) {
		printf(" %s", files[k]);
		free(files[k]);
	}
	printf("%s\n", n ? "" : " not defined in the tree");
	free(files);
}

int main(int argc, char **argv)
{
	const char *src = NULL, *rules = NULL, *cache = NULL, *rev = NULL;
	bool json = false, sites = false, stats = false, defines = false;
	struct kt_census_vocab *v = NULL;
	struct kt_census_index *ix = NULL;
	struct kt_error *e;
	int first = 0, rc = 0;
	double t0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--src") == 0 && i + 1 < argc)
			src = argv[++i];
		else if (strcmp(argv[i], "--rev") == 0 && i + 1 < argc)
			rev = argv[++i];
		else if (strcmp(argv[i], "--rules") == 0 && i + 1 < argc)
			rules = argv[++i];
		else if (strcmp(argv[i], "--cache-dir") == 0 && i + 1 < argc)
			cache = argv[++i];
		else if (strcmp(argv[i], "--no-cache") == 0)
			cache = "";
		else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			json = strcmp(argv[++i], "json") == 0;
			if (!json && strcmp(argv[i], "text") != 0)
				return usage();
		} else if (strcmp(argv[i], "--sites") == 0)
			sites = true;
		else if (strcmp(argv[i], "--stats") == 0)
			stats = true;
		else if (strcmp(argv[i], "--defines") == 0)
			defines = true;
		else if (argv[i][0] == '-' && argv[i][1])
			return usage();
		else if (!first)
			first = i;
	}
	if (!src || !first)
		return usage();
	if ((e = kt_census_vocab_load(rules, &v)))
		return fail(e);
	t0 = cpu_ms();
	e = rev ? kt_census_index_open_rev(src, rev, cache, v, &ix)
		: kt_census_index_open(src, cache, v, &ix);
	if (e) {
		kt_census_vocab_free(v);
		return fail(e);
	}
	if (stats) {
		struct kt_census_index_info in;

		kt_census_index_info(ix, &in);
		fprintf(stderr,
			"index: %zu files, %zu units, %zu structs, %zu bytes, %s, %zu files read "
			"(%.2f s), open %.0f ms CPU%s%s%s%s",
			in.files, in.units, in.structs, in.bytes,
			in.from_cache ? "from the cache" : "built", in.reindexed, in.build_seconds,
			cpu_ms() - t0, in.path ? ", " : "", in.path ? in.path : "",
			in.rev ? ", revision " : "", in.rev ? in.rev : "");
		if (in.rev)
			fprintf(stderr, " (%zu files read from the work tree)", in.worktree_reads);
		fputc('\n', stderr);
	}
	for (int i = first; i < argc; i++) {
		struct kt_census_result *r = NULL;
		struct kt_strbuf sb;

		if (argv[i][0] == '-' && argv[i][1]) {
			if (strcmp(argv[i], "--sites") && strcmp(argv[i], "--stats") &&
			    strcmp(argv[i], "--no-cache") && strcmp(argv[i], "--defines"))
				i++; /* an option's value */
			continue;
		}
		if (defines) {
			print_defines(ix, argv[i]);
			continue;
		}
		t0 = cpu_ms();
		if ((e = kt_census_query_object(ix, argv[i], &r))) {
			rc = fail(e);
			continue;
		}
		kt_strbuf_init(&sb);
		if (json)
			kt_census_result_json(r, &sb);
		else
			kt_census_result_text(r, sites, &sb);
		if (stats)
			fprintf(stderr, "census %s: %.0f ms CPU, %zu functions read\n", argv[i],
				cpu_ms() - t0, r->units_scanned);
		printf("%s%s", sb.buf ? sb.buf : "", json ? "\n" : "");
		kt_strbuf_fini(&sb);
		kt_census_result_free(r);
	}
	kt_census_index_close(ix);
	kt_census_vocab_free(v);
	return rc;
}
