// SPDX-License-Identifier: Apache-2.0
/*
 * The lean of an unknown verdict and the minimum confidence for a decision,
 * on the rule sets of data/lean-rules (each case's rules match only when
 * a.func names the case).
 */
#include "harness.h"
#include "kcsan/rules.h"
#include "kcsan/strbuf.h"

#define RULES KT_EVAL_DATA "/lean-rules"

struct run {
	struct kt_ruleset *rs;
	struct kt_facts *facts;
	struct kt_rule_result res;
};

static void run(struct run *r, const char *which, enum kt_confidence min)
{
	struct kt_error *err;

	memset(r, 0, sizeof(*r));
	r->rs = kt_ruleset_new();
	err = kt_ruleset_load_dir(r->rs, RULES);
	CHECK(err == NULL);
	kt_error_free(err);
	kt_ruleset_set_min_confidence(r->rs, min);
	r->facts = kt_facts_new();
	kt_facts_set_str(r->facts, "a.func", which, KT_ORIGIN_REPORT);
	kt_facts_set_str(r->facts, "b.func", "other", KT_ORIGIN_REPORT);
	err = kt_ruleset_eval(r->rs, r->facts, &r->res);
	CHECK(err == NULL);
	kt_error_free(err);
}

static void done(struct run *r)
{
	kt_rule_result_fini(&r->res);
	kt_ruleset_free(r->rs);
	kt_facts_free(r->facts);
}

/* reason i starts with prefix and contains part */
static void check_reason(const struct run *r, size_t i, const char *prefix, const char *part)
{
	CHECK(i < r->res.nlean_reasons);
	if (i >= r->res.nlean_reasons)
		return;
	CHECK(kt_str_startswith(r->res.lean_reasons[i], prefix));
	if (!strstr(r->res.lean_reasons[i], part))
		fprintf(stderr, "reason %zu: '%s' lacks '%s'\n", i, r->res.lean_reasons[i], part);
	CHECK(strstr(r->res.lean_reasons[i], part) != NULL);
}

/* The default needs medium; with the minimum set to low, a low-confidence
 * rule decides. */
static void test_default_keeps_low(void)
{
	struct run r;
	struct kt_ruleset *fresh = kt_ruleset_new();

	CHECK_INT(kt_ruleset_min_confidence(fresh), KT_CONF_MEDIUM);
	kt_ruleset_free(fresh);
	run(&r, "low_benign", KT_CONF_LOW);
	CHECK_INT(r.res.verdict, KT_VERDICT_BENIGN);
	CHECK_INT(r.res.confidence, KT_CONF_LOW);
	CHECK_STR(r.res.rule_id, "lb");
	CHECK_INT(r.res.lean, KT_VERDICT_UNKNOWN);
	CHECK_INT(r.res.nlean_reasons, 0);
	done(&r);
}

/* Below the minimum: unknown, the rule still named, leaning its way. */
static void test_min_medium(void)
{
	struct run r;

	run(&r, "low_benign", KT_CONF_MEDIUM);
	CHECK_INT(r.res.verdict, KT_VERDICT_UNKNOWN);
	CHECK_INT(r.res.confidence, KT_CONF_LOW);
	CHECK_STR(r.res.rule_id, "lb");
	CHECK_INT(r.res.lean, KT_VERDICT_BENIGN);
	CHECK_INT(r.res.nlean_reasons, 1);
	check_reason(&r, 0, "lb (benign, low, priority 40) ", "below the minimum");
	CHECK(strstr(r.res.selection, "below the minimum for a decision (medium)") != NULL);
	done(&r);

	/* At the minimum, the decision stands. */
	run(&r, "medium_benign", KT_CONF_MEDIUM);
	CHECK_INT(r.res.verdict, KT_VERDICT_BENIGN);
	CHECK_INT(r.res.confidence, KT_CONF_MEDIUM);
	CHECK_INT(r.res.nlean_reasons, 0);
	done(&r);

	run(&r, "medium_harmful", KT_CONF_HIGH);
	CHECK_INT(r.res.verdict, KT_VERDICT_UNKNOWN);
	CHECK_INT(r.res.lean, KT_VERDICT_HARMFUL);
	CHECK_STR(r.res.rule_id, "mh");
	done(&r);
}

/* A confidence lowered by an opposite rule counts, lowered. */
static void test_lowered_below_min(void)
{
	struct run r;

	run(&r, "lowered", KT_CONF_LOW);
	CHECK_INT(r.res.verdict, KT_VERDICT_BENIGN);
	CHECK_INT(r.res.confidence, KT_CONF_LOW);
	done(&r);
	run(&r, "lowered", KT_CONF_MEDIUM);
	CHECK_INT(r.res.verdict, KT_VERDICT_UNKNOWN);
	CHECK_INT(r.res.lean, KT_VERDICT_BENIGN);
	CHECK_INT(r.res.nlean_reasons, 2);
	check_reason(&r, 0, "lw-benign (benign, medium, priority 60) ",
		     "decided at low confidence, below the minimum for a decision (medium)");
	check_reason(&r, 1, "lw-harmful (harmful, high, priority 30) ",
		     "matched below lw-benign (benign, priority 60)");
	done(&r);
}

/* An unknown rule above a decisive one: the lean is the decisive one's. */
static void test_unknown_above(void)
{
	struct run r;

	run(&r, "unknown_above", KT_CONF_LOW);
	CHECK_INT(r.res.verdict, KT_VERDICT_UNKNOWN);
	CHECK_STR(r.res.rule_id, "ua-unknown");
	CHECK_INT(r.res.lean, KT_VERDICT_BENIGN);
	CHECK_INT(r.res.nlean_reasons, 1);
	check_reason(&r, 0, "ua-benign (benign, high, priority 40) ",
		     "matched below ua-unknown (unknown, priority 90)");
	done(&r);

	/* Two decisive rules below it: the higher priority sets the lean. */
	run(&r, "unknown_two", KT_CONF_LOW);
	CHECK_INT(r.res.verdict, KT_VERDICT_UNKNOWN);
	CHECK_INT(r.res.lean, KT_VERDICT_HARMFUL);
	CHECK_INT(r.res.nlean_reasons, 2);
	check_reason(&r, 0, "u2-harmful (harmful, medium, priority 50) ", "matched below");
	check_reason(&r, 1, "u2-benign (benign, high, priority 40) ", "matched below");
	done(&r);

	/* Tied at that priority with different verdicts: no lean. */
	run(&r, "unknown_tie", KT_CONF_LOW);
	CHECK_INT(r.res.verdict, KT_VERDICT_UNKNOWN);
	CHECK_INT(r.res.lean, KT_VERDICT_UNKNOWN);
	CHECK_INT(r.res.nlean_reasons, 2);
	done(&r);
}

static void test_conflicts(void)
{
	struct run r;

	run(&r, "conflict", KT_CONF_LOW);
	CHECK_STR(r.res.rule_id, "conflict");
	CHECK_INT(r.res.verdict, KT_VERDICT_UNKNOWN);
	CHECK_INT(r.res.lean, KT_VERDICT_UNKNOWN);
	CHECK_INT(r.res.nlean_reasons, 2);
	check_reason(&r, 0, "cf-benign (benign, high, priority 60) ", "a conflict");
	check_reason(&r, 1, "cf-harmful (harmful, medium, priority 60) ", "a conflict");
	done(&r);

	/* An unknown rule tied with a benign one: a conflict leaning benign. */
	run(&r, "unknown_conflict", KT_CONF_LOW);
	CHECK_STR(r.res.rule_id, "conflict");
	CHECK_INT(r.res.lean, KT_VERDICT_BENIGN);
	CHECK_INT(r.res.nlean_reasons, 1);
	check_reason(&r, 0, "uc-benign (benign, medium, priority 70) ", "a conflict");
	done(&r);
}

static void test_no_match(void)
{
	struct run r;

	run(&r, "nothing", KT_CONF_HIGH);
	CHECK_INT(r.res.verdict, KT_VERDICT_UNKNOWN);
	CHECK(r.res.rule_id == NULL);
	CHECK_INT(r.res.lean, KT_VERDICT_UNKNOWN);
	CHECK_INT(r.res.nlean_reasons, 0);
	done(&r);
}

int main(void)
{
	test_default_keeps_low();
	test_min_medium();
	test_lowered_below_min();
	test_unknown_above();
	test_conflicts();
	test_no_match();
	return kt_test_done("test_lean");
}
