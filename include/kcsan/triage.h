/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stage 5, verdict: runs the optional layers over one report, collects their
 * facts, evaluates the rules, and gives one result per report. This is the
 * library entry point; the CLI is a thin shell around it.
 */
#ifndef KCSAN_TRIAGE_H
#define KCSAN_TRIAGE_H

#include <stdbool.h>
#include <stdio.h>

#include "kcsan/error.h"
#include "kcsan/facts.h"
#include "kcsan/report.h"
#include "kcsan/rules.h"

struct kt_triage_opts {
	const char *rules_dir;        /* NULL: the installed/shipped rules */
	const char *vmlinux;          /* NULL: no binary layer */
	const char *src_dir;          /* NULL: no source layer */
	const char *compile_commands; /* NULL: <src_dir>/compile_commands.json if present */
	const char *cache_dir;        /* NULL: $XDG_CACHE_HOME/kcsan-triage */
	bool no_cache;
	/* Check mode (tests): a stage writing a fact that the fact catalogue
	 * (facts.tbl of the rule directory) does not list fails the report's
	 * classification with an error naming the fact. */
	bool check_facts;
};

/* What one layer said about one report that the user should know
 * (a mismatch, a fallback, a parse failure), kept in the result. */
struct kt_note {
	char *stage;  /* "report", "vmlinux", "source", "rules" */
	char *text;
};

struct kt_triage_result {
	const struct kt_report *report; /* borrowed */
	struct kt_facts *facts;
	struct kt_rule_result rules;
	unsigned inputs;              /* OR of enum kt_fact_origin actually used */
	struct kt_note *notes;
	size_t nnotes;
	/* Set by a caller that applies a baseline of accepted races: why this
	 * one is accepted and by whom (borrowed); NULL otherwise. */
	const char *baseline_reason;
	const char *baseline_by;
};

struct kt_triage;

struct kt_error *kt_triage_new(const struct kt_triage_opts *opts, struct kt_triage **out);
void kt_triage_free(struct kt_triage *t);
/* Classify one report. The report must outlive the result. */
struct kt_error *kt_triage_classify(struct kt_triage *t, const struct kt_report *rep,
				    struct kt_triage_result **out);
void kt_triage_result_free(struct kt_triage_result *res);

/* Fill the report-only facts (stage 1's contribution). Exposed for tests. */
void kt_report_facts(const struct kt_report *rep, struct kt_facts *facts);

#endif
