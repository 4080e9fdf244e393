// SPDX-License-Identifier: Apache-2.0
/*
 * The source stage's persistent cache (kt_source_opts.cache) on a copy of
 * the relocation test's tree: a second stage over the same report parses
 * nothing and gives the facts the first one did; after each change to what
 * the stage read (a file's contents, a header, the compile flags, a file
 * it looked for and did not find) it parses again and gives what a stage
 * without the cache gives on the changed tree; a file touched but unchanged
 * is still a hit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <utime.h>

#include "harness.h"
#include "kcsan/facts.h"
#include "kcsan/report.h"
#include "kcsan/source.h"
#include "kcsan/strbuf.h"
#include "src_harness.h"

#define ORIG  KT_SOURCE_DIR "/tests/source/reloc"
#define WORK  KT_BUILD_DIR "/tests/source/memo-work"
#define TREE  WORK "/tree"
#define CACHE WORK "/cache"

static const struct src_tree tree = {TREE, "RL"};

/* As in budget_test.c: side a writes in rl.c; side b's inner frame is in
 * gone.c, a file the tree lacks (the stage searches the tree for it). */
static const struct src_fr w[] = {{"rl_set_state", "rl.c", "set_state", false, 0},
				  {"rl_update", "rl.c", "call_set", false, 0}};
static const struct src_fr moved[] = {{"rl_moved_reset", "gone.c", NULL, false, 0},
				      {"rl_read_state", "rl.c", "read_state", false, 0},
				      {"rp_xmit", "rp.c", NULL, false, 0}};

static char *dump(const struct kt_facts *f)
{
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	kt_strbuf_adds(&sb, "");
	for (size_t i = 0; i < kt_facts_count(f); i++) {
		const struct kt_fact *x = kt_facts_at(f, i);
		char *v;

		if (!x)
			continue;
		v = kt_fact_value_text(x);
		kt_strbuf_addf(&sb, "%s/%d=%s\n", x->name, (int)x->origin, v);
		free(v);
	}
	return kt_strbuf_detach(&sb);
}

struct run {
	char *facts;
	unsigned parses, hits, stores;
};

/* The report through a new stage on the tree, with or without the cache. */
static struct run run(bool cache)
{
	struct kt_source_opts o = {
	    .src_dir = TREE, .rules_dir = KT_SOURCE_RULES_DIR, .cache = cache, .cache_dir = CACHE};
	struct kt_source *src = NULL;
	struct kt_error *err = kt_source_open(&o, &src);
	struct run r = {0};
	struct kt_facts *f;

	CHECK(err == NULL);
	kt_error_free(err);
	if (!src)
		exit(kt_test_done("source_memo"));
	f = kt_facts_new();
	/* a fact of an earlier stage, replaced by nothing */
	kt_facts_set_str(f, "a.obj.name", "rl_dev", KT_ORIGIN_VMLINUX);
	src_run(&tree, src, w, 2, KT_OP_WRITE, moved, 3, KT_OP_WRITE, 4, false, f);
	r.facts = dump(f);
	r.parses = kt_source_parses(src);
	kt_source_cache_counts(src, &r.hits, &r.stores);
	kt_facts_free(f);
	kt_source_close(src);
	return r;
}

/* Side b read where its line is: it parses rl.c, as side a does. */
static const struct src_fr r[] = {{"rl_read_state", "rl.c", "read_state", false, 0}};

/* Two reports in one stage (with_first; else the second alone): the second
 * uses the translation units the first parsed. Returns the second's parses. */
static unsigned run_batch(bool with_first)
{
	struct kt_source_opts o = {
	    .src_dir = TREE, .rules_dir = KT_SOURCE_RULES_DIR, .cache = true, .cache_dir = CACHE};
	struct kt_source *src = NULL;
	struct kt_error *err = kt_source_open(&o, &src);
	unsigned before, parses;
	struct kt_facts *f;

	CHECK(err == NULL);
	kt_error_free(err);
	if (!src)
		exit(kt_test_done("source_memo"));
	if (with_first)
		kt_facts_free(src_run(&tree, src, w, 2, KT_OP_WRITE, r, 1, KT_OP_READ, 4, false,
				      kt_facts_new()));
	before = kt_source_parses(src);
	f = kt_facts_new();
	kt_facts_set_str(f, "a.obj.name", "rl_dev", KT_ORIGIN_VMLINUX); /* as run() */
	kt_facts_free(src_run(&tree, src, w, 2, KT_OP_WRITE, moved, 3, KT_OP_WRITE, 4, false, f));
	parses = kt_source_parses(src) - before;
	kt_source_close(src);
	return parses;
}

static void sh(const char *cmd)
{
	int rc = system(cmd);

	CHECK(rc == 0);
	if (rc != 0)
		fprintf(stderr, "failed: %s\n", cmd);
}

/* After a change: the cached stage parses again, stores, and agrees with a
 * stage without the cache; then a third stage hits. what: the change. */
static void check_miss(const char *what)
{
	struct run c = run(true), plain = run(false), again = run(true);

	fprintf(stderr, "%s: %u parses, %u hits, %u stores\n", what, c.parses, c.hits, c.stores);
	CHECK(c.hits == 0);
	CHECK(c.parses > 0);
	CHECK(c.stores == 1);
	CHECK(strcmp(c.facts, plain.facts) == 0);
	CHECK(again.hits == 1 && again.parses == 0);
	CHECK(strcmp(again.facts, c.facts) == 0);
	free(c.facts);
	free(plain.facts);
	free(again.facts);
}

/* Replaces the first from in TREE/rel by to. */
static void edit(const char *rel, const char *from, const char *to)
{
	char path[512], *buf, *at;
	FILE *fp;
	long n;

	snprintf(path, sizeof(path), "%s/%s", TREE, rel);
	fp = fopen(path, "rb");
	CHECK(fp != NULL);
	if (!fp)
		return;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = kt_xcalloc((size_t)n + 1, 1);
	CHECK(fread(buf, 1, (size_t)n, fp) == (size_t)n);
	fclose(fp);
	at = strstr(buf, from);
	CHECK(at != NULL);
	if (at && (fp = fopen(path, "wb"))) {
		fwrite(buf, 1, (size_t)(at - buf), fp);
		fputs(to, fp);
		fputs(at + strlen(from), fp);
		fclose(fp);
	}
	free(buf);
}

static void compile_commands(const char *define)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/compile_commands.json", TREE);
	fp = fopen(path, "w");
	CHECK(fp != NULL);
	if (!fp)
		return;
	fprintf(
	    fp,
	    "[{\"directory\": \"%s\", \"file\": \"rl.c\", \"arguments\": [\"cc\", \"-c\", "
	    "\"-I%s\", \"-D%s\", \"rl.c\"]},\n"
	    " {\"directory\": \"%s\", \"file\": \"rl_moved.c\", \"arguments\": [\"cc\", \"-c\", "
	    "\"-I%s\", \"-D%s\", \"rl_moved.c\"]}]\n",
	    TREE, TREE, define, TREE, TREE, define);
	fclose(fp);
}

int main(void)
{
	struct run cold, warm, plain;
	unsigned alone;

	sh("rm -rf '" WORK "' && mkdir -p '" WORK "' && cp -r '" ORIG "' '" TREE "'");

	/* the first stage parses and stores; a second parses nothing and gives
	 * the same facts, those of a stage without the cache */
	cold = run(true);
	warm = run(true);
	plain = run(false);
	fprintf(stderr, "cold: %u parses, %u stores; warm: %u parses, %u hits\n", cold.parses,
		cold.stores, warm.parses, warm.hits);
	CHECK(cold.parses > 0 && cold.stores == 1 && cold.hits == 0);
	CHECK(warm.parses == 0 && warm.hits == 1 && warm.stores == 0);
	CHECK(strcmp(cold.facts, warm.facts) == 0);
	CHECK(strcmp(cold.facts, plain.facts) == 0);
	CHECK(strstr(warm.facts, "a.obj.name/2=rl_dev\n") != NULL);
	free(warm.facts);
	free(plain.facts);

	/* touched, same contents: still a hit */
	CHECK(utime(TREE "/rl.c", NULL) == 0);
	CHECK(utime(TREE "/include/rl_wrap.h", NULL) == 0);
	warm = run(true);
	CHECK(warm.parses == 0 && warm.hits == 1);
	CHECK(strcmp(cold.facts, warm.facts) == 0);
	free(warm.facts);

	/* the access's own line edited: a write becomes a read-modify-write */
	edit("rl.c", "d->state = v; /* RL:set_state */", "d->state += v; /* RL:set_state */");
	check_miss("rl.c edited");
	warm = run(true);
	CHECK(strcmp(cold.facts, warm.facts) != 0);
	free(warm.facts);

	/* a header the translation unit includes */
	edit("include/rl_wrap.h", "struct rl_dev;", "struct rl_dev;\nstruct rl_other;");
	check_miss("header edited");

	/* a compile database appears, then its flags change */
	compile_commands("RL_ONE=1");
	check_miss("compile database added");
	compile_commands("RL_ONE=2");
	check_miss("flags changed");

	/* the file the stage looked for and did not find */
	sh("cp '" TREE "/rl_moved.c' '" TREE "/gone.c'");
	check_miss("gone.c added");

	/* a record written by the second report of a batch depends on the
	 * headers of the unit the first one parsed */
	sh("rm -rf '" CACHE "'");
	alone = run_batch(false);
	sh("rm -rf '" CACHE "'");
	CHECK(run_batch(true) < alone); /* it read what the first one parsed */
	warm = run(true);
	CHECK(warm.hits == 1 && warm.parses == 0);
	free(warm.facts);
	edit("include/rl_wrap.h", "struct rl_other;", "struct rl_other2;");
	check_miss("header of a unit parsed for an earlier report edited");

	/* a record that is not whole is not used */
	sh("for f in '" CACHE "'/source/*.memo; do head -c 100 \"$f\" >\"$f.t\" && "
	   "mv \"$f.t\" \"$f\"; done");
	check_miss("records truncated");

	free(cold.facts);
	return kt_test_done("source_memo");
}
