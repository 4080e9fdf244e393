// SPDX-License-Identifier: Apache-2.0
/*
 * Nothing a compilation database says may load code: the plugin options of
 * gcc and clang, whole (-fplugin=LIB), separate (-load LIB) or passed to cc1
 * in pairs (-Xclang -load -Xclang LIB), are dropped with their values before
 * the arguments reach libclang, and the ordinary flags around them are kept.
 * Every plugin library, name and argument here has "kt_plugin_" in it, which
 * no kept argument has.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../analyzer/source/internal.h"
#include "argv_match.h"
#include "harness.h"

#define MARK "kt_plugin_"

/* The arguments for rel, printed; *argc -1 when the database has none. */
static char **args_for(struct kt_compdb *db, const char *rel, int *argc)
{
	char **argv = NULL;
	bool from_db = false;

	*argc = -1;
	if (!kt_compdb_has(db, rel))
		return NULL;
	kt_compdb_args(db, rel, &argv, argc, &from_db);
	CHECK(from_db);
	for (int i = 0; i < *argc; i++)
		fprintf(stderr, "%s: %s\n", rel, argv[i]);
	return argv;
}

/* None of the plugin options nor their values is left. */
static void check_no_plugin(char **argv, int argc)
{
	static const char *const opts[] = {
	    "-fplugin", "-fpass-plugin", "-load", "-plugin", "-add-plugin", "-Xclang=-",
	};

	CHECK(!argv_has_part(argv, argc, MARK));
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		CHECK(!argv_has_prefix(argv, argc, opts[i]));
}

int main(void)
{
	char dir[512], path[700], lib[600];
	struct kt_compdb *db = NULL;
	struct kt_error *err;
	char **argv;
	int argc, k;
	FILE *fp;

	snprintf(dir, sizeof(dir), "%s/compdb-plugin-XXXXXX", KT_BUILD_DIR);
	CHECK(mkdtemp(dir) != NULL);
	snprintf(lib, sizeof(lib), "%s/lib" MARK "lib.so", dir);
	snprintf(path, sizeof(path), "%s/compile_commands.json", dir);
	fp = fopen(path, "w");
	CHECK(fp != NULL);
	if (!fp)
		return kt_test_done("source_compdb_plugin");
	/* a.c: every form, between ordinary flags; b.c: -Xclang= and a
	 * harmless -Xclang pair that stays; c.c: values missing at the end */
	fprintf(fp,
		"[{\"directory\": \"%s\", \"file\": \"a.c\", \"arguments\": [\"gcc\","
		" \"-Iinclude\", \"-fplugin=%s\", \"-DX=1\", \"-fplugin-arg-" MARK "name-key=v\","
		" \"-fpass-plugin=%s\", \"-Xclang\", \"-load\", \"-Xclang\", \"%s\", \"-nostdinc\","
		" \"-Xclang\", \"-plugin\", \"-Xclang\", \"" MARK "name\","
		" \"-Xclang\", \"-add-plugin\", \"-Xclang\", \"" MARK "added\","
		" \"-Xclang\", \"-plugin-arg-" MARK "name\", \"-Xclang\", \"" MARK "arg\","
		" \"-load\", \"%s\", \"-O2\", \"-c\", \"a.c\"]},\n"
		" {\"directory\": \"%s\", \"file\": \"b.c\", \"arguments\": [\"gcc\","
		" \"-Xclang=-load\", \"-Xclang=%s\", \"-DY=2\", \"-Xclang\", \"-fplugin=%s\","
		" \"-Xclang\", \"-disable-llvm-passes\", \"-c\", \"b.c\"]},\n"
		" {\"directory\": \"%s\", \"file\": \"c.c\", \"arguments\": [\"gcc\", \"-DZ=3\","
		" \"c.c\", \"-Xclang\", \"-load\"]}]\n",
		dir, lib, lib, lib, lib, dir, lib, lib, dir);
	fclose(fp);

	err = kt_compdb_open(dir, path, &db);
	CHECK(err == NULL);
	kt_error_free(err);
	if (!db)
		return kt_test_done("source_compdb_plugin");

	argv = args_for(db, "a.c", &argc);
	CHECK(argc > 0);
	check_no_plugin(argv, argc);
	CHECK(argv_find(argv, argc, "-Xclang") < 0);
	CHECK(argv_find(argv, argc, "-c") < 0 && argv_find(argv, argc, "a.c") < 0);
	snprintf(path, sizeof(path), "-I%s/include", dir);
	CHECK(argv_find(argv, argc, path) >= 0);
	CHECK(argv_find(argv, argc, "-DX=1") >= 0);
	CHECK(argv_find(argv, argc, "-nostdinc") >= 0);
	CHECK(argv_find(argv, argc, "-O2") >= 0);
	CHECK(argv_find(argv, argc, "-Wno-unknown-warning-option") >= 0);
	kt_args_free(argv, argc);

	argv = args_for(db, "b.c", &argc);
	CHECK(argc > 0);
	check_no_plugin(argv, argc);
	CHECK(argv_find(argv, argc, "-DY=2") >= 0);
	k = argv_find(argv, argc, "-Xclang");
	CHECK(k >= 0 && k + 1 < argc && strcmp(argv[k + 1], "-disable-llvm-passes") == 0);
	kt_args_free(argv, argc);

	/* a trailing -Xclang would take the flags added after it: it goes too */
	argv = args_for(db, "c.c", &argc);
	CHECK(argc > 0);
	check_no_plugin(argv, argc);
	CHECK(argv_find(argv, argc, "-DZ=3") >= 0);
	CHECK(argv_find(argv, argc, "-Xclang") < 0);
	kt_args_free(argv, argc);
	kt_compdb_close(db);

	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	CHECK(system(path) == 0);
	return kt_test_done("source_compdb_plugin");
}
