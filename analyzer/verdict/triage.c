// SPDX-License-Identifier: Apache-2.0
/*
 * The verdict stage: runs the layers that were given over one report, in the
 * order of the data flow (report -> binary -> source), collects their facts
 * and evaluates the rules. A layer that cannot help with a report (vmlinux of
 * another build, a source file that does not parse) leaves a note and the
 * report is classified with what is left.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byname.h"
#include "census_facts.h"
#include "kcsan/binary.h"
#include "kcsan/catalogue.h"
#include "kcsan/source.h"
#include "kcsan/strbuf.h"
#include "kcsan/table.h"
#include "kcsan/triage.h"
#include "revision.h"

/* How many of a side's innermost frames frames.decide looks at: a check's
 * helpers (the owner compared, the mode tested) are a few calls deep. */
#define DECIDE_FRAMES 8

/* One kernel tree given with --src. */
struct tree {
	char *dir;
	int version[2]; /* major, minor; {0, 0} when unknown (a single tree) */
	int sublevel;
	struct kt_source *src;	      /* the tree on disk */
	struct kt_revsrcs *revs;      /* a git work tree: its revisions; else NULL */
	struct kt_census_set *census; /* its indexes, from its first census */
};

struct kt_triage {
	struct kt_ruleset *rules;
	struct kt_vmlinux *vm;
	struct tree *trees;
	size_t ntrees;
	int (*versions)[2];	       /* of the trees, for kt_tree_nearest */
	struct kt_catalogue *facts;    /* check_facts: what the stages may write */
	char *rev;		       /* --rev, or NULL */
	pthread_mutex_t *binary_lock;  /* opts->binary_lock */
	pthread_mutex_t *census_lock;  /* opts->census_lock */
	struct kt_census_vocab *vocab; /* census.tbl and the tables it reads */
	bool census_on;		       /* with --src, unless no_census */
	char *census_cache;	       /* cache dir of the census index ("" none) */
};

static struct kt_error *load_catalogue(const char *dir, struct kt_catalogue **out)
{
	char *path = kt_rules_path(dir, "facts.tbl");
	struct kt_error *err;

	if (!path)
		return kt_error_new(KT_ERR_IO, dir, 0, "no facts.tbl to check the facts against");
	err = kt_catalogue_load(path, out);
	free(path);
	return err;
}

/* Opens every --src tree. With several, each needs a version to be chosen
 * by; a single tree is read whatever its Makefile says. */
static struct kt_error *open_trees(struct kt_triage *t, const struct kt_triage_opts *opts,
				   const char *tables)
{
	const char *const *dirs = opts->nsrc_dirs ? opts->src_dirs : &opts->src_dir;
	size_t n = opts->nsrc_dirs ? opts->nsrc_dirs : opts->src_dir ? 1 : 0;

	if (n == 0)
		return NULL;
	t->trees = kt_xcalloc(n, sizeof(*t->trees));
	t->versions = kt_xcalloc(n, sizeof(*t->versions));
	for (size_t i = 0; i < n; i++) {
		struct tree *tr = &t->trees[t->ntrees];
		struct kt_source_opts so = {.src_dir = dirs[i],
					    .compile_commands =
						i == 0 ? opts->compile_commands : NULL,
					    .rules_dir = tables,
					    .cache = !opts->no_cache,
					    .cache_dir = opts->cache_dir};
		struct kt_error *err =
		    kt_tree_version_read(dirs[i], &tr->version[0], &tr->version[1], &tr->sublevel);

		if (err && n == 1) {
			kt_error_free(err);
			err = NULL;
			tr->version[0] = tr->version[1] = tr->sublevel = 0;
		}
		if (!err)
			err = kt_source_open(&so, &tr->src);
		if (!err &&
		    (err = kt_revsrcs_new(dirs[i], so.compile_commands, tables, &tr->revs))) {
			kt_source_close(tr->src);
			tr->src = NULL;
		}
		if (err)
			return err;
		tr->dir = kt_xstrdup(dirs[i]);
		t->versions[t->ntrees][0] = tr->version[0];
		t->versions[t->ntrees][1] = tr->version[1];
		t->ntrees++;
	}
	for (size_t i = 0; opts->rev && i < t->ntrees; i++)
		if (t->trees[i].revs) {
			t->rev = kt_xstrdup(opts->rev);
			return NULL;
		}
	if (opts->rev)
		return kt_error_new(KT_ERR_USAGE, NULL, 0,
				    "--rev needs a --src that is a git repository's work tree");
	return NULL;
}

struct kt_error *kt_triage_new(const struct kt_triage_opts *opts, struct kt_triage **out)
{
	struct kt_triage *t = kt_xcalloc(1, sizeof(*t));
	char *shipped = opts->rules_dir ? NULL : kt_rules_dir_default();
	const char *dir = opts->rules_dir ? opts->rules_dir : shipped;
	struct kt_error *err;

	*out = NULL;
	t->rules = kt_ruleset_new();
	t->binary_lock = opts->binary_lock;
	t->census_lock = opts->census_lock;
	if (!dir) {
		err =
		    kt_error_new(KT_ERR_USAGE, NULL, 0,
				 "no rule directory found (not installed?): name one with --rules");
		goto fail;
	}
	err = kt_ruleset_load_dir(t->rules, dir);
	if (!err && opts->check_facts)
		err = load_catalogue(dir, &t->facts);
	if (err)
		goto fail;
	/* The stages read their tables from dir, or from the shipped rules
	 * when dir does not have them (kt_rules_path()). */
	if (opts->vmlinux) {
		struct kt_vmlinux_opts vo = {
		    .cache_dir = opts->cache_dir, .no_cache = opts->no_cache, .rules_dir = dir};
		err = kt_vmlinux_open(opts->vmlinux, &vo, &t->vm);
		if (err)
			goto fail;
	}
	if (opts->min_confidence_set)
		kt_ruleset_set_min_confidence(t->rules, opts->min_confidence);
	err = open_trees(t, opts, dir);
	/* the vocabulary serves the report's facts too (frames.decide) */
	if (!err)
		err = kt_census_vocab_load(dir, &t->vocab);
	if (!err && t->ntrees && !opts->no_census) {
		t->census_on = true;
		if (opts->no_cache || opts->cache_dir)
			t->census_cache = kt_xstrdup(opts->no_cache ? "" : opts->cache_dir);
	}
	if (err)
		goto fail;
	free(shipped);
	*out = t;
	return NULL;
fail:
	free(shipped);
	kt_triage_free(t);
	return err;
}

void kt_triage_free(struct kt_triage *t)
{
	if (!t)
		return;
	kt_ruleset_free(t->rules);
	kt_vmlinux_close(t->vm);
	for (size_t i = 0; i < t->ntrees; i++) {
		kt_source_close(t->trees[i].src);
		kt_revsrcs_free(t->trees[i].revs);
		kt_census_set_free(t->trees[i].census);
		free(t->trees[i].dir);
	}
	free(t->trees);
	free(t->versions);
	kt_catalogue_free(t->facts);
	free(t->rev);
	kt_census_vocab_free(t->vocab);
	free(t->census_cache);
	free(t);
}

static void add_note(struct kt_triage_result *res, const char *stage, const char *text)
{
	res->notes = kt_xrealloc(res->notes, (res->nnotes + 1) * sizeof(*res->notes));
	res->notes[res->nnotes].stage = kt_xstrdup(stage);
	res->notes[res->nnotes].text = kt_xstrdup(text);
	res->nnotes++;
}

static void add_error_note(struct kt_triage_result *res, const char *stage, struct kt_error *err)
{
	char *msg = kt_error_format(err);

	add_note(res, stage, msg);
	free(msg);
	kt_error_free(err);
}

/* Binary and source stages may leave soft notes as "note" facts. */
static void collect_fact_notes(struct kt_triage_result *res)
{
	const struct kt_fact *n = kt_facts_get(res->facts, "note");

	if (!n || n->type != KT_FACT_STRLIST)
		return;
	for (size_t i = 0; i < n->nlist; i++)
		add_note(res,
			 n->origin == KT_ORIGIN_SOURCE	  ? "source"
			 : n->origin == KT_ORIGIN_VMLINUX ? "vmlinux"
							  : "report",
			 n->list[i]);
}

/* Does the report carry what the source stage needs without a vmlinux? */
static bool report_has_lines(const struct kt_access *a)
{
	for (size_t i = 0; i < a->nframes; i++)
		if (a->frames[i].file && a->frames[i].line > 0)
			return true;
	return false;
}

static void tree_name(struct kt_strbuf *sb, const struct tree *tr)
{
	if (tr->version[0])
		kt_strbuf_addf(sb, "%d.%d.%d", tr->version[0], tr->version[1], tr->sublevel);
	else
		kt_strbuf_adds(sb, "version unknown");
}

/* The tree to read rep against; *why says why that one (caller frees). */
static const struct tree *choose_tree(const struct kt_triage *t, const struct kt_report *rep,
				      const char *kernel, char **why)
{
	const char *release = NULL, *whose = NULL;
	int ma = 0, mi = 0;
	struct kt_strbuf sb;
	size_t best = 0;

	*why = NULL;
	if (t->ntrees == 0)
		return NULL;
	if (kt_kernel_version_parse(rep->env.kernel, &ma, &mi)) {
		release = rep->env.kernel;
		whose = "the report's kernel";
	} else if (kt_kernel_version_parse(kernel, &ma, &mi)) {
		release = kernel;
		whose = "the kernel the report is labeled with";
	}
	kt_strbuf_init(&sb);
	if (t->ntrees == 1) {
		kt_strbuf_adds(&sb, "the only tree given (");
		tree_name(&sb, &t->trees[0]);
		kt_strbuf_adds(&sb, ")");
		if (release)
			kt_strbuf_addf(&sb, "; %s: %s", whose, release);
	} else if (!release) {
		kt_strbuf_adds(&sb, "the report names no kernel version: the first tree given (");
		tree_name(&sb, &t->trees[0]);
		kt_strbuf_adds(&sb, ")");
	} else {
		best = kt_tree_nearest((const int(*)[2])t->versions, t->ntrees, ma, mi);
		kt_strbuf_addf(&sb, "nearest %s %s (", whose, release);
		for (size_t i = 0; i < t->ntrees; i++) {
			const struct tree *tr = &t->trees[i];
			int d = kt_tree_distance(tr->version[0], tr->version[1], ma, mi);

			if (i)
				kt_strbuf_adds(&sb, ", ");
			tree_name(&sb, tr);
			kt_strbuf_addf(&sb, ": %d release%s away", d, d == 1 ? "" : "s");
		}
		kt_strbuf_adds(&sb, ")");
	}
	*why = kt_strbuf_detach(&sb);
	return &t->trees[best];
}

/* The source stage to read rep with: a git work tree at the report's
 * revision, else (with a note saying why) the tree on disk. */
static struct kt_source *source_of(struct kt_triage *t, const struct tree *tree,
				   const struct kt_report *rep, const char *kernel,
				   struct kt_triage_result *res)
{
	const char *releases[2] = {rep->env.kernel, kernel};
	struct kt_rev_ref refs[KT_REV_REFS_MAX];
	struct kt_revsrcs_choice c;
	struct kt_error *err;
	size_t n;

	if (!tree->revs)
		return tree->src;
	n = kt_rev_refs(rep->env.commit, releases, 2, refs);
	if ((err = kt_revsrcs_pick(tree->revs, t->rev, refs, n, &c))) {
		add_error_note(res, "source", err);
		return NULL;
	}
	if (!c.src) {
		add_note(res, "source", c.why);
		free(c.why);
		return tree->src;
	}
	res->source_rev = kt_xstrdup(c.commit);
	res->source_rev_from = c.from;
	return c.src;
}

/* Tree tr's census index at revision rev (NULL: the tree on disk),
 * opened (built the first time, then read from the cache) at its first
 * use; NULL (with a note the first time) when there is none. */
static struct kt_census_index *tree_census(struct kt_triage *t, struct tree *tr, const char *rev,
					   struct kt_triage_result *res)
{
	struct kt_census_index *ix = NULL;
	struct kt_error *err;

	if (!t->census_on)
		return NULL;
	if (!tr->census)
		tr->census = kt_census_set_new(tr->dir, t->census_cache, t->vocab);
	if (t->census_lock)
		pthread_mutex_lock(t->census_lock);
	err = kt_census_set_get(tr->census, rev, &ix);
	if (t->census_lock)
		pthread_mutex_unlock(t->census_lock);
	if (err)
		add_error_note(res, "census", err);
	return ix;
}

/* The census of the object the stages named, in tree tr at the revision
 * the source stage read (or on disk): its facts, and the result kept for
 * the output. */
static void census_layer(struct kt_triage *t, struct tree *tr, struct kt_triage_result *res)
{
	char *object = kt_census_object_of(res->facts);
	struct kt_census_index *ix;
	struct kt_error *err;

	if (!object || !(ix = tree_census(t, tr, res->source_rev, res))) {
		free(object);
		return;
	}
	err = kt_census_facts(ix, object, res->facts, &res->census);
	if (err)
		add_error_note(res, "census", err);
	free(object);
}

/* Frames of access a without file:line and no vmlinux: the files the
 * tree's index says define their functions (see byname.h), with a note. */
static size_t frames_by_name(struct kt_triage *t, struct tree *tr, const struct kt_access *a,
			     const char *side, struct kt_frame **out, size_t *nout,
			     struct kt_triage_result *res)
{
	struct kt_census_index *ix = tree_census(t, tr, NULL, res);
	size_t given = ix ? kt_frames_by_name(ix, a, out, nout) : 0;
	struct kt_strbuf sb;

	if (!given)
		return 0;
	kt_strbuf_init(&sb);
	kt_strbuf_addf(&sb,
		       "%s: the report has no file:line; %zu of %zu frames are read in the file "
		       "of the tree that defines their function, placed by name and body",
		       side, given, a->nframes);
	add_note(res, "source", sb.buf);
	kt_strbuf_fini(&sb);
	return given;
}

static void run_layers(struct kt_triage *t, const struct kt_report *rep, const char *kernel,
		       struct kt_triage_result *res)
{
	const struct tree *tree = choose_tree(t, rep, kernel, &res->source_choice);
	struct kt_frame *sym[2] = {NULL, NULL}, *byn[2] = {NULL, NULL};
	size_t nsym[2] = {0, 0}, nbyn[2] = {0, 0}, given[2] = {0, 0};
	bool have_sym = false;
	struct kt_error *err;

	if (t->vm && t->binary_lock)
		pthread_mutex_lock(t->binary_lock);
	if (t->vm) {
		err = kt_vmlinux_check_report(t->vm, rep);
		if (err) {
			add_error_note(res, "vmlinux", err);
			add_note(res, "vmlinux", "classified as if no vmlinux had been given");
		} else {
			have_sym = true;
			for (size_t i = 0; i < rep->naccess && i < 2; i++) {
				err = kt_vmlinux_symbolize_stack(t->vm, &rep->access[i], &sym[i],
								 &nsym[i]);
				if (err) {
					add_error_note(res, "vmlinux", err);
					have_sym = false;
				}
			}
			err = kt_vmlinux_add_facts(t->vm, rep, res->facts);
			if (err)
				add_error_note(res, "vmlinux", err);
			else
				res->inputs |= KT_ORIGIN_VMLINUX;
		}
	}
	if (t->vm && t->binary_lock)
		pthread_mutex_unlock(t->binary_lock);
	if (tree) {
		const struct kt_frame *stacks[2] = {NULL, NULL};
		size_t n[2] = {0, 0};
		bool usable = true;

		for (size_t i = 0; i < rep->naccess && i < 2; i++) {
			if (have_sym) {
				stacks[i] = sym[i];
				n[i] = nsym[i];
			} else if (report_has_lines(&rep->access[i])) {
				stacks[i] = rep->access[i].frames;
				n[i] = rep->access[i].nframes;
			} else if ((given[i] = frames_by_name(t, &t->trees[tree - t->trees],
							      &rep->access[i], i ? "b" : "a",
							      &byn[i], &nbyn[i], res))) {
				stacks[i] = byn[i];
				n[i] = nbyn[i];
			} else {
				usable = false;
			}
		}
		if (!usable) {
			free(res->source_choice);
			res->source_choice = NULL;
			add_note(res, "source",
				 "the report has no file:line and no matching vmlinux was given: "
				 "the source layer needs one of them");
		} else {
			struct kt_source *src = source_of(t, tree, rep, kernel, res);

			res->source_dir = tree->dir;
			err = src ? kt_source_add_facts(src, rep, stacks, n, res->facts) : NULL;
			if (err) {
				add_error_note(res, "source", err);
			} else if (src) {
				res->inputs |= KT_ORIGIN_SOURCE;
				for (int i = 0; i < 2; i++)
					if (given[i])
						kt_facts_set_int(
						    res->facts,
						    i ? "b.src.by_name" : "a.src.by_name",
						    (int64_t)given[i], KT_ORIGIN_SOURCE);
				if (res->source_rev) {
					kt_facts_set_str(res->facts, "src.rev", res->source_rev,
							 KT_ORIGIN_SOURCE);
					kt_facts_set_str(res->facts, "src.rev_from",
							 res->source_rev_from, KT_ORIGIN_SOURCE);
				}
				census_layer(t, &t->trees[tree - t->trees], res);
			}
		}
	}
	for (int i = 0; i < 2; i++) {
		kt_frames_free(sym[i], nsym[i]);
		kt_frames_free(byn[i], nbyn[i]);
	}
}

/* A decision that reads what the source stage found in frames placed by
 * their function's name only (no line to check the access against: it
 * may be another access of the function) is withheld: unknown, with its
 * lean, until a vmlinux or a symbolized report places them. The rules
 * then decide without the source facts when they can (what the report
 * alone says stands), the withheld lean given as a note. */
static struct kt_error *withhold_by_name(const struct kt_triage *t, struct kt_triage_result *res)
{
	const struct kt_rule_match *w = res->rules.nmatches ? &res->rules.matches[0] : NULL;
	bool reads_source = false;
	struct kt_rule_result alt;
	struct kt_facts *rf;
	struct kt_error *err;
	struct kt_strbuf sb;

	if (!w || (!kt_facts_get(res->facts, "a.src.by_name") &&
		   !kt_facts_get(res->facts, "b.src.by_name")))
		return NULL;
	for (size_t i = 0; i < w->nfacts_used && !reads_source; i++) {
		const struct kt_fact *f = kt_facts_get(res->facts, w->facts_used[i]);

		reads_source = f && f->origin == KT_ORIGIN_SOURCE;
	}
	if (!reads_source)
		return NULL;
	rf = kt_facts_copy_except(res->facts, KT_ORIGIN_SOURCE);
	memset(&alt, 0, sizeof(alt));
	err = kt_ruleset_eval(t->rules, rf, &alt);
	kt_facts_free(rf);
	if (err)
		return err;
	if (alt.verdict == KT_VERDICT_UNKNOWN) {
		kt_rule_result_fini(&alt);
		kt_rule_result_withhold(
		    &res->rules, "it reads what the source stage found in frames the report gave "
				 "no file:line for, placed by their function's name only: give the "
				 "vmlinux (--vmlinux) or a symbolized report to decide");
		return NULL;
	}
	kt_strbuf_init(&sb);
	kt_strbuf_addf(&sb,
		       "decided from the report's facts alone; with what the source stage found "
		       "in frames placed by their function's name only, %s %s %s",
		       res->rules.rule_id ? res->rules.rule_id : "the rules",
		       res->rules.verdict != KT_VERDICT_UNKNOWN ? "decided" : "leaned",
		       res->rules.verdict != KT_VERDICT_UNKNOWN
			   ? kt_verdict_name(res->rules.verdict)
			   : kt_lean_name(&res->rules));
	add_note(res, "source", sb.buf);
	kt_strbuf_fini(&sb);
	kt_rule_result_fini(&res->rules);
	res->rules = alt;
	return NULL;
}

/* Nothing matched: say which inputs would tell more. */
static void add_missing_inputs_hint(struct kt_triage_result *res)
{
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	kt_strbuf_adds(&sb, res->rules.explanation ? res->rules.explanation : "");
	if (!(res->inputs & KT_ORIGIN_VMLINUX))
		kt_strbuf_adds(&sb, " With --vmlinux the object raced on (global, struct member, "
				    "type layout) would be known.");
	if (!(res->inputs & KT_ORIGIN_SOURCE))
		kt_strbuf_adds(&sb, " With --src the access expressions and the locks held on "
				    "both sides would be known.");
	free(res->rules.explanation);
	res->rules.explanation = kt_strbuf_detach(&sb);
}

struct kt_error *kt_triage_classify(struct kt_triage *t, const struct kt_report *rep,
				    struct kt_triage_result **out)
{
	return kt_triage_classify_with(t, rep, NULL, out);
}

/* SIDE.frames.decide: one of the side's innermost frames (as the stages
 * left frames.func: printed or symbolized) is a function census.tbl lists as
 * taking a permission or security decision, so the access is made inside
 * such a check. */
static void decide_facts(const struct kt_triage *t, struct kt_facts *facts)
{
	static const char *const sides[2] = {"a", "b"};
	char name[32];

	for (size_t s = 0; s < 2; s++) {
		const struct kt_fact *fr;
		bool decides = false;

		snprintf(name, sizeof(name), "%s.frames.func", sides[s]);
		fr = kt_facts_get(facts, name);
		if (!fr || fr->type != KT_FACT_STRLIST)
			continue;
		for (size_t i = 0; i < fr->nlist && i < DECIDE_FRAMES && !decides; i++)
			decides = kt_census_vocab_decides(t->vocab, fr->list[i]);
		snprintf(name, sizeof(name), "%s.frames.decide", sides[s]);
		kt_facts_set_bool(facts, name, decides, fr->origin);
	}
}

struct kt_error *kt_triage_classify_with(struct kt_triage *t, const struct kt_report *rep,
					 const char *kernel, struct kt_triage_result **out)
{
	struct kt_triage_result *res = kt_xcalloc(1, sizeof(*res));
	struct kt_error *err;

	res->report = rep;
	res->facts = kt_facts_new();
	if (t->facts)
		kt_facts_check(res->facts, t->facts);
	res->inputs = KT_ORIGIN_REPORT;
	kt_report_facts(rep, res->facts);
	run_layers(t, rep, kernel, res);
	decide_facts(t, res->facts);
	collect_fact_notes(res);
	if (kt_facts_refused(res->facts))
		err = kt_error_new(KT_ERR_PARSE, rep->input, rep->first_line, "%s",
				   kt_facts_refused(res->facts));
	else
		err = kt_ruleset_eval(t->rules, res->facts, &res->rules);
	if (err) {
		kt_triage_result_free(res);
		*out = NULL;
		return err;
	}
	err = withhold_by_name(t, res);
	if (err) {
		kt_triage_result_free(res);
		*out = NULL;
		return err;
	}
	if (!res->rules.rule_id && (res->inputs & (KT_ORIGIN_VMLINUX | KT_ORIGIN_SOURCE)) !=
				       (KT_ORIGIN_VMLINUX | KT_ORIGIN_SOURCE))
		add_missing_inputs_hint(res);
	*out = res;
	return NULL;
}

void kt_triage_result_free(struct kt_triage_result *res)
{
	if (!res)
		return;
	kt_facts_free(res->facts);
	kt_rule_result_fini(&res->rules);
	for (size_t i = 0; i < res->nnotes; i++) {
		free(res->notes[i].stage);
		free(res->notes[i].text);
	}
	free(res->notes);
	free(res->source_choice);
	free(res->source_rev);
	kt_census_result_free(res->census);
	free(res);
}
