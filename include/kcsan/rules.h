/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stage 4, rules: a rule set loaded from data files (rules/NAME.rules) and
 * evaluated against a fact table. The language is documented in
 * rules/README.md.
 */
#ifndef KCSAN_RULES_H
#define KCSAN_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "kcsan/error.h"
#include "kcsan/facts.h"

enum kt_verdict { KT_VERDICT_UNKNOWN, KT_VERDICT_BENIGN, KT_VERDICT_HARMFUL };
enum kt_confidence { KT_CONF_LOW, KT_CONF_MEDIUM, KT_CONF_HIGH };

const char *kt_verdict_name(enum kt_verdict v);
const char *kt_confidence_name(enum kt_confidence c);

struct kt_ruleset;
struct kt_catalogue;

struct kt_ruleset *kt_ruleset_new(void);
void kt_ruleset_free(struct kt_ruleset *rs);
/* Load one file. The first problem is returned as file:line: reason, and the
 * rule set is left as it was before the call. */
struct kt_error *kt_ruleset_load_file(struct kt_ruleset *rs, const char *path);
/* Load every *.rules file of a directory, in name order. */
struct kt_error *kt_ruleset_load_dir(struct kt_ruleset *rs, const char *dir);
/* Load from a buffer (tests, fuzzing); name is used in errors. */
struct kt_error *kt_ruleset_load_string(struct kt_ruleset *rs, const char *text, const char *name);
/* From now on, loading refuses a rule naming a fact (in a condition or a
 * template) that cat, the fact catalogue (borrowed), does not list in that
 * scope: "file:line: column N: unknown fact 'x.foo'". --check-rules does. */
void kt_ruleset_require_facts(struct kt_ruleset *rs, const struct kt_catalogue *cat);
size_t kt_ruleset_count(const struct kt_ruleset *rs);
/* Decisions below c become `unknown` with a lean to the verdict they would
 * have given (struct kt_rule_result). The default, KT_CONF_LOW, keeps every
 * decision. Set it before evaluating. */
void kt_ruleset_set_min_confidence(struct kt_ruleset *rs, enum kt_confidence c);
enum kt_confidence kt_ruleset_min_confidence(const struct kt_ruleset *rs);
/* The `family` of rule id, or NULL when the rule has none or does not exist. */
const char *kt_ruleset_family(const struct kt_ruleset *rs, const char *id);

/* One rule that matched. id, binding and rule_id below point into the rule
 * set (or are constants): they stay valid while the rule set lives. The
 * other strings belong to the result. */
struct kt_rule_match {
	const char *id;
	enum kt_verdict verdict;
	enum kt_confidence confidence;
	int priority;
	const char *binding; /* "x=a,y=b", "x=b,y=a", or "" when no side variable was used */
	char **facts_used;   /* names of the facts its conditions read, sides resolved */
	size_t nfacts_used;
};

struct kt_rule_result {
	enum kt_verdict verdict;
	enum kt_confidence confidence;
	const char *rule_id;	       /* winner, "conflict" when the best rules of two verdicts
					* tie (see rules/README.md), or NULL when nothing matched */
	char *explanation;	       /* the winner's template, expanded */
	char *action;		       /* the winner's recommended action, expanded */
	char *selection;	       /* why the winner won (or why unknown) */
	struct kt_rule_match *matches; /* all matches, winner first */
	size_t nmatches;
	/* For an unknown verdict: the verdict the decisive rules that matched
	 * point to (KT_VERDICT_UNKNOWN: none matched, or they disagree), and
	 * one reason per decisive rule that matched, saying why it did not
	 * decide (a conflict, an unknown rule above it, a confidence below the
	 * rule set's minimum). For a decided verdict: unknown and none. */
	enum kt_verdict lean;
	char **lean_reasons;
	size_t nlean_reasons;
};

/* The lean of a result as a word: "benign" or "harmful" for an unknown
 * verdict that leans, "none" otherwise (no lean, or a decided verdict). */
const char *kt_lean_name(const struct kt_rule_result *res);

/* Evaluate every rule; fills res (free with kt_rule_result_fini). The rule
 * set is only read: several threads may evaluate one rule set at once. */
struct kt_error *kt_ruleset_eval(const struct kt_ruleset *rs, const struct kt_facts *facts,
				 struct kt_rule_result *res);
void kt_rule_result_fini(struct kt_rule_result *res);
/* A decided result the caller does not trust enough (reason: why, a clause
 * that reads after "but "): unknown at low confidence, leaning the verdict
 * it had, with reason among the lean reasons and in the selection. An
 * unknown result is left as it is. */
void kt_rule_result_withhold(struct kt_rule_result *res, const char *reason);

#endif
