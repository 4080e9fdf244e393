// SPDX-License-Identifier: Apache-2.0
/*
 * The source stage's bounds per report (struct kt_source_limits) on the
 * relocation test's tree: past each bound (parses, files read, tree
 * searches, time, memory) the stage gives up what is left of that kind,
 * never spends more than the bound, and says so (src.incomplete and a note);
 * a report that ran out leaves the next report of the batch exactly as it
 * would have been alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "kcsan/facts.h"
#include "kcsan/report.h"
#include "kcsan/source.h"
#include "kcsan/strbuf.h"
#include "src_harness.h"

#define TREE KT_SOURCE_DIR "/tests/source/reloc"
#define F    "rl.c"

static const struct src_tree rl_tree = {TREE, "RL"};

/* Side a: the writer, at its lines in rl.c. Side b: a frame in a file the
 * tree lacks (gone.c) whose function is defined by another file of the
 * directory (rl_moved.c), called from the reader in rl.c, called from rp.c:
 * the stage searches the tree for gone.c, reads the directory's files,
 * parses rl.c and rl_moved.c, and reads rp.c alone. */
static const struct src_fr w[] = {{"rl_set_state", F, "set_state", false, 0},
				  {"rl_update", F, "call_set", false, 0}};
static const struct src_fr moved[] = {{"rl_moved_reset", "gone.c", NULL, false, 0},
				      {"rl_read_state", F, "read_state", false, 0},
				      {"rp_xmit", "rp.c", NULL, false, 0}};
static const struct src_fr r[] = {{"rl_read_state", F, "read_state", false, 0}};

/* Every fact, in order, one a line: what two runs are compared by. */
static char *dump(const struct kt_facts *f)
{
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	for (size_t i = 0; i < kt_facts_count(f); i++) {
		const struct kt_fact *x = kt_facts_at(f, i);

		kt_strbuf_addf(&sb, "%s=", x->name);
		switch (x->type) {
		case KT_FACT_BOOL:
			kt_strbuf_adds(&sb, x->b ? "true" : "false");
			break;
		case KT_FACT_INT:
			kt_strbuf_addf(&sb, "%lld", (long long)x->i);
			break;
		case KT_FACT_STR:
			kt_strbuf_adds(&sb, x->s);
			break;
		case KT_FACT_STRLIST:
			for (size_t k = 0; k < x->nlist; k++)
				kt_strbuf_addf(&sb, "[%s]", x->list[k]);
			break;
		}
		kt_strbuf_addc(&sb, '\n');
	}
	return kt_strbuf_detach(&sb);
}

static struct kt_source *open_with(const struct kt_source_limits *lim)
{
	struct kt_source_opts o = {
	    .src_dir = TREE, .rules_dir = KT_SOURCE_RULES_DIR, .limits = lim};
	struct kt_source *src = NULL;
	struct kt_error *err = kt_source_open(&o, &src);

	CHECK(err == NULL);
	kt_error_free(err);
	if (!src)
		exit(kt_test_done("source_budget"));
	return src;
}

static struct kt_facts *run_moved(struct kt_source *src)
{
	return src_run(&rl_tree, src, w, 2, KT_OP_WRITE, moved, 3, KT_OP_WRITE, 8, false,
		       kt_facts_new());
}

static struct kt_facts *run_plain(struct kt_source *src)
{
	return src_run(&rl_tree, src, w, 2, KT_OP_WRITE, r, 1, KT_OP_READ, 4, false,
		       kt_facts_new());
}

/* src.incomplete has an entry starting with prefix and containing text. */
static bool incomplete_has(struct kt_facts *f, const char *prefix, const char *text)
{
	const struct kt_fact *x = kt_facts_get(f, "src.incomplete");

	for (size_t i = 0; x && x->type == KT_FACT_STRLIST && i < x->nlist; i++)
		if (kt_str_startswith(x->list[i], prefix) && strstr(x->list[i], text))
			return true;
	return false;
}

/* Unbounded, the moved report takes parses, searches and file reads. */
static void check_unbounded(struct kt_source_usage *u)
{
	struct kt_source *src = open_with(NULL);
	struct kt_facts *x = run_moved(src);

	kt_source_usage(src, u);
	fprintf(stderr, "unbounded: %u full, %u light parses, %u files read, %u tree searches\n",
		u->full_parses, u->light_parses, u->files_read, u->tree_searches);
	CHECK(kt_facts_get(x, "src.incomplete") == NULL);
	CHECK(u->gave_up == 0);
	CHECK(u->full_parses >= 2);
	CHECK(u->light_parses >= 2);
	CHECK(u->tree_searches >= 2); /* gone.c in the tree, rl_moved_reset in its directory */
	CHECK(u->files_read >= 2);    /* the directory's other files */
	CHECK(src_note_has(x, "rl_moved.c, the one file of its directory defining rl_moved_reset"));
	kt_facts_free(x);
	kt_source_close(src);
}

/* Each count bound one below what the report takes: it takes the bound and
 * no more, and says what it gave up. */
static void check_count_bounds(const struct kt_source_usage *u)
{
	struct {
		struct kt_source_limits lim;
		const char *kind;
		unsigned want;
	} cases[] = {
	    {{.tree_searches = 1}, "tree searches", 1},
	    {{.files_read = 1}, "files read", 1},
	    {{.full_parses = 1}, "full parses", 1},
	    {{.light_parses = 1}, "light parses", 1},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kt_source *src = open_with(&cases[i].lim);
		struct kt_facts *x = run_moved(src);
		struct kt_source_usage v;
		unsigned used;

		kt_source_usage(src, &v);
		used = i == 0	? v.tree_searches
		       : i == 1 ? v.files_read
		       : i == 2 ? v.full_parses
				: v.light_parses;
		CHECK(used <= cases[i].want);
		if (!incomplete_has(x, cases[i].kind, "past the bound (1 a report)"))
			fprintf(stderr, "no src.incomplete entry for %s\n", cases[i].kind);
		CHECK(incomplete_has(x, cases[i].kind, "past the bound (1 a report)"));
		CHECK(src_note_has(x, "the source stage is incomplete: "));
		CHECK(v.gave_up > 0);
		kt_facts_free(x);
		kt_source_close(src);
	}
	(void)u;
}

/* Time and memory: past them no parse starts. */
static void check_time_and_memory(void)
{
	struct kt_source_limits t = {.ms = 1}, m = {.rss_mb = 1};
	struct kt_source *src = open_with(&t);
	struct kt_facts *x = run_moved(src);
	struct kt_source_usage v;

	/* the first parse takes more than a millisecond */
	kt_source_usage(src, &v);
	CHECK(v.full_parses + v.light_parses <= 1);
	CHECK(incomplete_has(x, "", "past the time bound (1 ms)"));
	kt_facts_free(x);
	kt_source_close(src);

	src = open_with(&m);
	x = run_moved(src);
	kt_source_usage(src, &v);
	CHECK(v.full_parses + v.light_parses == 0);
	CHECK(incomplete_has(x, "full parses", "past the memory bound (1 MB resident)"));
	CHECK(kt_facts_get(x, "a.expr.text") == NULL);
	kt_facts_free(x);
	kt_source_close(src);
}

/*
 * A batch under a bound the moved report exceeds and the plain one does not:
 * the plain report's facts are the same alone, after the moved one, and
 * after it twice (the moved report's parses left in the cache do not make it
 * cheaper either: a report pays for what it reads).
 */
static void check_batch(void)
{
	struct kt_source_limits lim = {.full_parses = 1, .light_parses = 1, .tree_searches = 1};
	struct kt_source *src = open_with(&lim);
	struct kt_facts *x = run_plain(src);
	char *alone = dump(x), *again, *moved1, *moved2;

	kt_facts_free(x);
	CHECK(strstr(alone, "src.incomplete") == NULL);
	CHECK(strstr(alone, "a.expr.text=d->state") != NULL);
	kt_source_close(src);

	src = open_with(&lim);
	x = run_moved(src);
	moved1 = dump(x);
	CHECK(kt_facts_get(x, "src.incomplete") != NULL);
	kt_facts_free(x);
	x = run_plain(src);
	again = dump(x);
	CHECK_STR(again, alone);
	kt_facts_free(x);
	free(again);
	x = run_moved(src);
	moved2 = dump(x);
	CHECK_STR(moved2, moved1);
	kt_facts_free(x);
	x = run_plain(src);
	again = dump(x);
	CHECK_STR(again, alone);
	kt_facts_free(x);
	kt_source_close(src);
	free(again);
	free(alone);
	free(moved1);
	free(moved2);
}

int main(void)
{
	struct kt_source_usage u;

	check_unbounded(&u);
	check_count_bounds(&u);
	check_time_and_memory();
	check_batch();
	return kt_test_done("source_budget");
}
