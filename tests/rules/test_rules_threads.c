// SPDX-License-Identifier: Apache-2.0
/* One rule set evaluated from several threads at once gives every thread the
 * results a lone evaluation gives: the rule set is only read. */
#include <threads.h>

#include "harness.h"
#include "kcsan/rules.h"

#define NTHREADS 4
#define NFACTS	 8
#define ITERS	 300

static const char rules[] = "[copy]\nverdict = benign\nconfidence = high\npriority = 80\n"
			    "when = x.frames.func[0:3] ~ /^copy_(to|from)_iter$/\n"
			    "when = y.write\nunless = either.marked\n"
			    "explain = {x.func} copies, {y.func} writes\naction = none\n\n"
			    "[sized]\nverdict = harmful\nconfidence = medium\npriority = 50\n"
			    "when = x.size < y.size\nwhen = y.write\n"
			    "explain = {x.size} < {y.size}\naction = fix\n\n"
			    "[slow]\nverdict = harmful\nconfidence = high\npriority = 90\n"
			    "when = x.func ~ /^(a+)+$/\nexplain = e\naction = a\n";

struct job {
	const struct kt_ruleset *rs;
	struct kt_facts *facts[NFACTS];
	char *want[NFACTS];
	int bad;
};

/* The parts of a result a thread compares, as one string. */
static char *summary(const struct kt_ruleset *rs, const struct kt_facts *f)
{
	struct kt_rule_result res;
	struct kt_error *err = kt_ruleset_eval(rs, f, &res);
	char *s;
	size_t n;

	if (err) {
		kt_error_free(err);
		return strdup("error");
	}
	n = strlen(res.selection) + strlen(res.explanation) + 64;
	s = malloc(n);
	snprintf(s, n, "%s|%s|%s|%s|%zu", kt_verdict_name(res.verdict),
		 res.rule_id ? res.rule_id : "-", res.explanation, res.selection, res.nmatches);
	kt_rule_result_fini(&res);
	return s;
}

static int worker(void *arg)
{
	struct job *j = arg;

	for (int i = 0; i < ITERS; i++)
		for (int k = 0; k < NFACTS; k++) {
			char *s = summary(j->rs, j->facts[k]);
			if (strcmp(s, j->want[k]) != 0)
				j->bad++;
			free(s);
		}
	return 0;
}

int main(void)
{
	struct kt_ruleset *rs = kt_ruleset_new();
	struct kt_error *err = kt_ruleset_load_string(rs, rules, "threads.rules");
	struct job job = {.rs = rs};
	struct job per[NTHREADS];
	thrd_t th[NTHREADS];
	char aaa[64];

	CHECK(err == NULL);
	kt_error_free(err);
	memset(aaa, 'a', sizeof(aaa) - 2);
	aaa[sizeof(aaa) - 2] = 'b';
	aaa[sizeof(aaa) - 1] = 0;
	for (int k = 0; k < NFACTS; k++) {
		struct kt_facts *f = kt_facts_new();

		kt_facts_set_str(f, "a.func", k % 3 == 2 ? aaa : "copy_to_iter", KT_ORIGIN_REPORT);
		kt_facts_set_str(f, "b.func", "writer", KT_ORIGIN_REPORT);
		kt_facts_add_str(f, k % 2 ? "a.frames.func" : "b.frames.func", "copy_to_iter",
				 KT_ORIGIN_REPORT);
		kt_facts_set_bool(f, k % 2 ? "b.write" : "a.write", true, KT_ORIGIN_REPORT);
		kt_facts_set_int(f, "a.size", k, KT_ORIGIN_REPORT);
		kt_facts_set_int(f, "b.size", 4, KT_ORIGIN_REPORT);
		if (k == 5)
			kt_facts_set_bool(f, "a.marked", true, KT_ORIGIN_REPORT);
		job.facts[k] = f;
		job.want[k] = summary(rs, f);
	}
	/* The facts give different winners: the comparison means something. */
	CHECK(strcmp(job.want[0], job.want[1]) != 0);
	CHECK(strstr(job.want[2], "match limit") != NULL);
	for (int t = 0; t < NTHREADS; t++) {
		per[t] = job;
		CHECK(thrd_create(&th[t], worker, &per[t]) == thrd_success);
	}
	for (int t = 0; t < NTHREADS; t++) {
		thrd_join(th[t], NULL);
		CHECK_INT(per[t].bad, 0);
	}
	for (int k = 0; k < NFACTS; k++) {
		kt_facts_free(job.facts[k]);
		free(job.want[k]);
	}
	kt_ruleset_free(rs);
	return kt_test_done("test_rules_threads");
}
