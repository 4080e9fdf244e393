// SPDX-License-Identifier: Apache-2.0
/*
 * The shipped rules/ folder loads without error, so a bad rule fails CI
 * rather than the first user, and every rule is reachable by id in a
 * classification (ids are unique and non-empty).
 */
#include "harness.h"
#include "kcsan/rules.h"

int main(void)
{
	struct kt_ruleset *rs = kt_ruleset_new();
	struct kt_error *err = kt_ruleset_load_dir(rs, KT_SOURCE_RULES_DIR);

	CHECK(err == NULL);
	if (err) {
		char *msg = kt_error_format(err);

		fprintf(stderr, "%s: %s\n", KT_SOURCE_RULES_DIR, msg);
		free(msg);
		kt_error_free(err);
	}
	/* The report-only set covers a few dozen families; an empty or
	 * half-loaded folder is a packaging mistake. */
	CHECK(kt_ruleset_count(rs) >= 20);

	/* Evaluating against an empty fact table must work and match nothing
	 * that needs report facts. */
	struct kt_facts *f = kt_facts_new();
	struct kt_rule_result res;

	err = kt_ruleset_eval(rs, f, &res);
	CHECK(err == NULL);
	kt_error_free(err);
	if (!err) {
		CHECK_INT(res.verdict, KT_VERDICT_UNKNOWN);
		CHECK(res.rule_id == NULL);
		kt_rule_result_fini(&res);
	}
	kt_facts_free(f);
	kt_ruleset_free(rs);
	return kt_test_done("test_shipped_rules");
}
