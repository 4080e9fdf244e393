// SPDX-License-Identifier: Apache-2.0
/*
 * Compile flags for libclang: a database written by a gcc build on another
 * machine loses the flags clang rejects and the ones that would write files,
 * its paths land in the tree we were given, and the parse then works there.
 * Without a database the flags are derived from the tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../analyzer/source/internal.h"
#include "argv_match.h"
#include "harness.h"
#include "kcsan/source.h"

#define TREE KT_TESTDATA "/minikernel/locking"

/* Write a database from the build machine, whose tree is /build/linux, to
 * path. */
static bool write_foreign_db(const char *path)
{
	FILE *fp = fopen(path, "w");

	CHECK(fp != NULL);
	if (!fp)
		return false;
	/* the build machine's tree is /build/linux */
	fputs("[{\"directory\": \"/build/linux\", \"file\": \"/build/linux/lk_idioms.c\",\n"
	      " \"command\": \"gcc -Wp,-MMD,./.lk_idioms.o.d -nostdinc -I./include"
	      " -I /build/linux/arch -include ./lk.h"
	      " -fconserve-stack -fno-allow-store-data-races"
	      " -mfunction-return=thunk-extern -mindirect-branch=thunk-extern"
	      " -mindirect-branch-register -mindirect-branch-cs-prefix -mpreferred-stack-boundary=3"
	      " -ftrivial-auto-var-init=zero -falign-jumps=1 -Werror -Werror=implicit-int"
	      " -fsanitize=thread --param tsan-distinguish-volatile=1 -DKBUILD_MODNAME='\\\"lk\\\"'"
	      " -O2 -c -o lk_idioms.o lk_idioms.c\"}]\n",
	      fp);
	fclose(fp);
	return true;
}

/* The database of another machine: the flags clang rejects or that would
 * write files are dropped, its paths are mapped onto the tree. false when
 * it cannot be opened. */
static bool foreign_db_flags(const char *path)
{
	struct kt_compdb *db = NULL;
	struct kt_error *err;
	char **argv;
	int argc;
	bool from_db;

	err = kt_compdb_open(TREE, path, &db);
	CHECK(err == NULL);
	kt_error_free(err);
	if (!db)
		return false;
	CHECK_STR(kt_compdb_root(db), "/build/linux");
	CHECK(kt_compdb_has(db, "lk_idioms.c"));
	kt_compdb_args(db, "lk_idioms.c", &argv, &argc, &from_db);
	CHECK(from_db);
	for (int i = 0; i < argc; i++)
		fprintf(stderr, "arg: %s\n", argv[i]);
	/* dropped */
	CHECK(!argv_has(argv, argc, "-fconserve-stack"));
	CHECK(!argv_has(argv, argc, "-fno-allow-store-data-races"));
	CHECK(!argv_has_prefix(argv, argc, "-mfunction-return="));
	CHECK(!argv_has_prefix(argv, argc, "-mindirect-branch"));
	CHECK(!argv_has_prefix(argv, argc, "-mpreferred-stack-boundary="));
	CHECK(!argv_has_prefix(argv, argc, "-ftrivial-auto-var-init="));
	CHECK(!argv_has_prefix(argv, argc, "-falign-jumps="));
	CHECK(!argv_has_prefix(argv, argc, "-Werror"));
	CHECK(!argv_has_prefix(argv, argc, "-Wp,"));
	CHECK(!argv_has_prefix(argv, argc, "-fsanitize"));
	CHECK(!argv_has(argv, argc, "--param") &&
	      !argv_has(argv, argc, "tsan-distinguish-volatile=1"));
	CHECK(!argv_has(argv, argc, "-c") && !argv_has(argv, argc, "-o") &&
	      !argv_has(argv, argc, "lk_idioms.o"));
	CHECK(!argv_has(argv, argc, "lk_idioms.c"));
	/* kept, added, mapped onto the tree */
	CHECK(argv_has(argv, argc, "-nostdinc"));
	CHECK(argv_has(argv, argc, "-O2"));
	CHECK(argv_has(argv, argc, "-DKBUILD_MODNAME=\"lk\""));
	CHECK(argv_has(argv, argc, "-Wno-unknown-warning-option"));
	CHECK(argv_has(argv, argc, "-I" TREE "/include"));
	CHECK(argv_has(argv, argc, TREE "/arch"));
	CHECK(argv_has(argv, argc, TREE "/lk.h"));
	kt_args_free(argv, argc);

	/* a file the database lacks gets libclang's command inferred from a
	 * neighbour: still the neighbour's cleaned flags */
	kt_compdb_args(db, "lk_broken.c", &argv, &argc, &from_db);
	CHECK(!argv_has(argv, argc, "-fconserve-stack"));
	CHECK(argv_has(argv, argc, "-Wno-unknown-warning-option"));
	kt_args_free(argv, argc);
	kt_compdb_close(db);
	return true;
}

/* No database: derived flags with kbuild's per-object defines. false when
 * the tree cannot be opened. */
static bool derived_flags(void)
{
	struct kt_compdb *db = NULL;
	struct kt_error *err;
	char **argv;
	int argc;
	bool from_db;

	err = kt_compdb_open(TREE, NULL, &db);
	CHECK(err == NULL);
	kt_error_free(err);
	if (!db)
		return false;
	CHECK(kt_compdb_root(db) == NULL);
	kt_compdb_args(db, "sub/dir/x-y.c", &argv, &argc, &from_db);
	CHECK(!from_db);
	CHECK(argv_has(argv, argc, "-D__KERNEL__"));
	CHECK(argv_has(argv, argc, "-DKBUILD_MODNAME=\"x_y\""));
	CHECK(argv_has(argv, argc, "-DKBUILD_MODFILE=\"sub/dir/x-y\""));
	kt_args_free(argv, argc);
	kt_compdb_close(db);
	return true;
}

/* The line of the LK:guard_count marker in lk_idioms.c. */
static int guard_count_line(void)
{
	char line[512];
	int ln = 0, want = 0;
	FILE *fp;

	snprintf(line, sizeof(line), "%s/lk_idioms.c", TREE);
	fp = fopen(line, "r");
	CHECK(fp != NULL);
	while (fp && fgets(line, sizeof(line), fp)) {
		ln++;
		if (strstr(line, "LK:guard_count */"))
			want = ln;
	}
	if (fp)
		fclose(fp);
	return want;
}

/* End to end: the database of the other machine reads the tree. */
static void end_to_end(const char *path)
{
	struct kt_source_opts o = {
	    .src_dir = TREE, .compile_commands = path, .rules_dir = KT_SOURCE_RULES_DIR};
	struct kt_source *src = NULL;
	struct kt_report rep;
	struct kt_frame fr;
	const struct kt_frame *st[2] = {&fr, NULL};
	size_t nf[2] = {1, 0};
	struct kt_facts *f = kt_facts_new();
	const struct kt_fact *x;
	struct kt_error *err;
	int want = guard_count_line();

	err = kt_source_open(&o, &src);
	CHECK(err == NULL);
	kt_error_free(err);
	memset(&rep, 0, sizeof(rep));
	memset(&fr, 0, sizeof(fr));
	rep.naccess = 1;
	rep.access[0].op = KT_OP_READ_WRITE;
	rep.access[0].size = 8;
	fr.func = "lk_guarded_count";
	fr.file = "/build/linux/lk_idioms.c"; /* the DWARF's path */
	fr.line = want;
	if (src) {
		err = kt_source_add_facts(src, &rep, st, nf, f);
		CHECK(err == NULL);
		kt_error_free(err);
		x = kt_facts_get(f, "a.expr.field");
		CHECK_STR(x ? x->s : NULL, "struct lk_obj::stats");
		x = kt_facts_get(f, "note");
		CHECK(x == NULL); /* parsed cleanly with the mapped flags */
		if (x)
			for (size_t i = 0; i < x->nlist; i++)
				fprintf(stderr, "note: %s\n", x->list[i]);
	}
	kt_facts_free(f);
	kt_source_close(src);
}

int main(void)
{
	char dir[512], path[600];

	snprintf(dir, sizeof(dir), "%s/source-compdb", KT_BUILD_DIR);
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/compile_commands.json", dir);
	if (!write_foreign_db(path) || !foreign_db_flags(path) || !derived_flags())
		return kt_test_done("source_compdb");
	end_to_end(path);
	return kt_test_done("source_compdb");
}
