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

#include "kcsan/binary.h"
#include "kcsan/catalogue.h"
#include "kcsan/source.h"
#include "kcsan/strbuf.h"
#include "kcsan/table.h"
#include "kcsan/triage.h"

struct kt_triage {
	struct kt_ruleset *rules;
	struct kt_vmlinux *vm;
	struct kt_source *src;
	struct kt_catalogue *facts; /* check_facts: what the stages may write */
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

struct kt_error *kt_triage_new(const struct kt_triage_opts *opts, struct kt_triage **out)
{
	struct kt_triage *t = kt_xcalloc(1, sizeof(*t));
	char *shipped = opts->rules_dir ? NULL : kt_rules_dir_default();
	const char *dir = opts->rules_dir ? opts->rules_dir : shipped;
	struct kt_error *err;

	*out = NULL;
	t->rules = kt_ruleset_new();
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
	if (opts->src_dir) {
		struct kt_source_opts so = {.src_dir = opts->src_dir,
					    .compile_commands = opts->compile_commands,
					    .rules_dir = dir};
		err = kt_source_open(&so, &t->src);
		if (err)
			goto fail;
	}
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
	kt_source_close(t->src);
	kt_catalogue_free(t->facts);
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

static void run_layers(struct kt_triage *t, const struct kt_report *rep,
		       struct kt_triage_result *res)
{
	struct kt_frame *sym[2] = {NULL, NULL};
	size_t nsym[2] = {0, 0};
	bool have_sym = false;
	struct kt_error *err;

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
	if (t->src) {
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
			} else {
				usable = false;
			}
		}
		if (!usable) {
			add_note(res, "source",
				 "the report has no file:line and no matching vmlinux was given: "
				 "the source layer needs one of them");
		} else {
			err = kt_source_add_facts(t->src, rep, stacks, n, res->facts);
			if (err)
				add_error_note(res, "source", err);
			else
				res->inputs |= KT_ORIGIN_SOURCE;
		}
	}
	for (int i = 0; i < 2; i++)
		kt_frames_free(sym[i], nsym[i]);
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
	struct kt_triage_result *res = kt_xcalloc(1, sizeof(*res));
	struct kt_error *err;

	res->report = rep;
	res->facts = kt_facts_new();
	if (t->facts)
		kt_facts_check(res->facts, t->facts);
	res->inputs = KT_ORIGIN_REPORT;
	kt_report_facts(rep, res->facts);
	run_layers(t, rep, res);
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
	free(res);
}
