// SPDX-License-Identifier: Apache-2.0
/* Winner selection: priority, load order, confidence lowering, conflicts,
 * unknown verdicts, no match, and the selection sentence. */
#include "harness.h"
#include "kcsan/rules.h"

struct fixture {
	char text[8192];
	struct kt_ruleset *rs;
	struct kt_facts *facts;
	struct kt_rule_result res;
};

/* Append a rule; "always" is a condition that holds for the facts below. */
static void rule(struct fixture *fx, const char *id, const char *verdict, const char *conf,
		 int prio, const char *cond)
{
	size_t n = strlen(fx->text);

	snprintf(fx->text + n, sizeof(fx->text) - n,
		 "[%s]\nverdict = %s\nconfidence = %s\npriority = %d\nwhen = %s\n"
		 "explain = %s says {x.func}\naction = act-%s\n\n",
		 id, verdict, conf, prio, strcmp(cond, "always") ? cond : "either.write", id, id);
}

static void run(struct fixture *fx)
{
	struct kt_error *err;

	fx->rs = kt_ruleset_new();
	/* the selection itself, low-confidence decisions included */
	kt_ruleset_set_min_confidence(fx->rs, KT_CONF_LOW);
	fx->facts = kt_facts_new();
	kt_facts_set_str(fx->facts, "a.func", "foo", KT_ORIGIN_REPORT);
	kt_facts_set_str(fx->facts, "b.func", "bar", KT_ORIGIN_REPORT);
	kt_facts_set_bool(fx->facts, "b.write", true, KT_ORIGIN_REPORT);
	err = kt_ruleset_load_string(fx->rs, fx->text, "sel.rules");
	CHECK(err == NULL);
	if (err) {
		char *e = kt_error_format(err);
		fprintf(stderr, "%s\n", e);
		free(e);
	}
	kt_error_free(err);
	err = kt_ruleset_eval(fx->rs, fx->facts, &fx->res);
	CHECK(err == NULL);
	kt_error_free(err);
}

static void done(struct fixture *fx)
{
	kt_rule_result_fini(&fx->res);
	kt_ruleset_free(fx->rs);
	kt_facts_free(fx->facts);
	memset(fx, 0, sizeof(*fx));
}

static void test_no_match(void)
{
	static struct fixture fx;

	rule(&fx, "never", "harmful", "high", 100, "a.write");
	run(&fx);
	CHECK_INT(fx.res.verdict, KT_VERDICT_UNKNOWN);
	CHECK_INT(fx.res.confidence, KT_CONF_LOW);
	CHECK(fx.res.rule_id == NULL);
	CHECK_INT(fx.res.nmatches, 0);
	CHECK_STR(fx.res.selection, "no rule matched");
	CHECK(fx.res.explanation && *fx.res.explanation);
	CHECK(fx.res.action && *fx.res.action);
	done(&fx);
}

static void test_single(void)
{
	static struct fixture fx;

	rule(&fx, "never", "harmful", "high", 100, "a.write");
	rule(&fx, "only", "benign", "medium", 5, "always");
	run(&fx);
	CHECK_INT(fx.res.verdict, KT_VERDICT_BENIGN);
	CHECK_INT(fx.res.confidence, KT_CONF_MEDIUM);
	CHECK_STR(fx.res.rule_id, "only");
	CHECK_STR(fx.res.selection, "only (priority 5) was the only rule that matched");
	CHECK_STR(fx.res.explanation, "only says foo");
	CHECK_STR(fx.res.action, "act-only");
	CHECK_INT(fx.res.nmatches, 1);
	done(&fx);
}

/* Highest priority wins whatever the load order; same verdict below does
 * not lower the confidence. */
static void test_priority(void)
{
	static struct fixture fx;

	rule(&fx, "stats-read", "benign", "medium", 40, "always");
	rule(&fx, "file-data-copy", "benign", "high", 80, "always");
	run(&fx);
	CHECK_INT(fx.res.verdict, KT_VERDICT_BENIGN);
	CHECK_INT(fx.res.confidence, KT_CONF_HIGH);
	CHECK_STR(fx.res.rule_id, "file-data-copy");
	CHECK_STR(fx.res.selection,
		  "file-data-copy (priority 80) won over stats-read (priority 40, "
		  "benign)");
	CHECK_INT(fx.res.nmatches, 2);
	if (fx.res.nmatches == 2) {
		CHECK_STR(fx.res.matches[0].id, "file-data-copy");
		CHECK_INT(fx.res.matches[0].priority, 80);
		CHECK_STR(fx.res.matches[1].id, "stats-read");
		CHECK_INT(fx.res.matches[1].confidence, KT_CONF_MEDIUM);
	}
	done(&fx);
}

/* Equal priority, same verdict: the first loaded wins. */
static void test_tie_same_verdict(void)
{
	static struct fixture fx;

	rule(&fx, "first", "harmful", "medium", 50, "always");
	rule(&fx, "second", "harmful", "high", 50, "always");
	run(&fx);
	CHECK_INT(fx.res.verdict, KT_VERDICT_HARMFUL);
	CHECK_INT(fx.res.confidence, KT_CONF_MEDIUM);
	CHECK_STR(fx.res.rule_id, "first");
	CHECK_STR(fx.res.selection, "first (priority 50) won over second (priority 50, harmful) "
				    "(same priority, loaded later)");
	done(&fx);
}

/* Another verdict matched lower: the winner's confidence drops one step. */
static void test_lowering(void)
{
	static const struct {
		const char *conf;
		enum kt_confidence want;
		bool lowered;
	} c[] = {
	    {"high", KT_CONF_MEDIUM, true},
	    {"medium", KT_CONF_LOW, true},
	    {"low", KT_CONF_LOW, false},
	};

	for (size_t i = 0; i < 3; i++) {
		static struct fixture fx;

		rule(&fx, "win", "benign", c[i].conf, 80, "always");
		rule(&fx, "lose", "harmful", "high", 40, "always");
		rule(&fx, "same", "benign", "high", 10, "always");
		run(&fx);
		CHECK_INT(fx.res.verdict, KT_VERDICT_BENIGN);
		CHECK_INT(fx.res.confidence, c[i].want);
		CHECK_STR(fx.res.rule_id, "win");
		CHECK(strstr(fx.res.selection,
			     "win (priority 80) won over lose (priority 40, "
			     "harmful), same (priority 10, benign)") == fx.res.selection);
		CHECK((strstr(fx.res.selection, "confidence lowered from") != NULL) ==
		      c[i].lowered);
		if (i == 0)
			CHECK(strstr(fx.res.selection,
				     "; confidence lowered from high to medium "
				     "because a rule with the opposite verdict matched"));
		CHECK_INT(fx.res.nmatches, 3);
		done(&fx);
	}
}

/* Best rules of two verdicts at the same priority: unknown, low, both
 * reasons, rule id "conflict". */
static void test_conflict(void)
{
	static struct fixture fx;

	rule(&fx, "low-prio", "benign", "high", 10, "always");
	rule(&fx, "ben", "benign", "high", 60, "always");
	rule(&fx, "ben2", "benign", "high", 60, "always");
	rule(&fx, "harm", "harmful", "high", 60, "x.func == bar");
	run(&fx);
	CHECK_INT(fx.res.verdict, KT_VERDICT_UNKNOWN);
	CHECK_INT(fx.res.confidence, KT_CONF_LOW);
	CHECK_STR(fx.res.rule_id, "conflict");
	/* Each reason expanded with its own binding: ben has x=a, harm x=b. */
	CHECK_STR(fx.res.explanation,
		  "benign by ben: ben says foo; harmful by harm: harm says bar");
	CHECK_STR(fx.res.action, "benign by ben: act-ben; harmful by harm: act-harm");
	CHECK_STR(fx.res.selection, "conflict: ben (priority 60, benign), ben2 (priority 60, "
				    "benign) and harm (priority 60, harmful) matched with the "
				    "same priority and different verdicts");
	CHECK_INT(fx.res.nmatches, 4);
	if (fx.res.nmatches == 4) {
		CHECK_STR(fx.res.matches[0].id, "ben");
		CHECK_STR(fx.res.matches[1].id, "ben2");
		CHECK_STR(fx.res.matches[2].id, "harm");
		CHECK_STR(fx.res.matches[2].binding, "x=b,y=a");
		CHECK_STR(fx.res.matches[0].binding, "x=a,y=b");
		CHECK_STR(fx.res.matches[3].id, "low-prio");
	}
	done(&fx);
}

/* A rule of verdict unknown wins like any other, and ties with others. */
static void test_unknown_verdict(void)
{
	static struct fixture fx;

	rule(&fx, "ben", "benign", "high", 10, "always");
	rule(&fx, "unsure", "unknown", "high", 90, "always");
	run(&fx);
	CHECK_INT(fx.res.verdict, KT_VERDICT_UNKNOWN);
	CHECK_INT(fx.res.confidence, KT_CONF_MEDIUM);
	CHECK_STR(fx.res.rule_id, "unsure");
	CHECK_STR(fx.res.explanation, "unsure says foo");
	done(&fx);

	/* Below a decisive winner, an unknown rule abstains: no lowering. */
	rule(&fx, "ben", "benign", "high", 90, "always");
	rule(&fx, "unsure", "unknown", "high", 10, "always");
	run(&fx);
	CHECK_INT(fx.res.verdict, KT_VERDICT_BENIGN);
	CHECK_INT(fx.res.confidence, KT_CONF_HIGH);
	CHECK(strstr(fx.res.selection, "lowered") == NULL);
	done(&fx);

	rule(&fx, "ben", "benign", "high", 90, "always");
	rule(&fx, "unsure", "unknown", "high", 90, "always");
	run(&fx);
	CHECK_STR(fx.res.rule_id, "conflict");
	CHECK_STR(fx.res.explanation, "benign by ben: ben says foo; unknown by unsure: unsure says "
				      "foo");
	done(&fx);
}

static void test_names(void)
{
	CHECK_STR(kt_verdict_name(KT_VERDICT_BENIGN), "benign");
	CHECK_STR(kt_verdict_name(KT_VERDICT_HARMFUL), "harmful");
	CHECK_STR(kt_verdict_name(KT_VERDICT_UNKNOWN), "unknown");
	CHECK_STR(kt_confidence_name(KT_CONF_HIGH), "high");
	CHECK_STR(kt_confidence_name(KT_CONF_MEDIUM), "medium");
	CHECK_STR(kt_confidence_name(KT_CONF_LOW), "low");
}

/* NULL arguments are refused, not crashed on; fini is safe twice. */
static void test_api_misuse(void)
{
	struct kt_rule_result res;
	struct kt_facts *f = kt_facts_new();
	struct kt_error *err = kt_ruleset_eval(NULL, f, &res);

	CHECK(err && err->code == KT_ERR_USAGE);
	kt_error_free(err);
	kt_rule_result_fini(&res);
	kt_rule_result_fini(&res);
	err = kt_ruleset_load_string(NULL, "", "x");
	CHECK(err && err->code == KT_ERR_USAGE);
	kt_error_free(err);
	CHECK_INT(kt_ruleset_count(NULL), 0);
	kt_facts_free(f);
}

int main(void)
{
	test_no_match();
	test_single();
	test_priority();
	test_tie_same_verdict();
	test_lowering();
	test_conflict();
	test_unknown_verdict();
	test_names();
	test_api_misuse();
	return kt_test_done("test_rules_select");
}
