// SPDX-License-Identifier: Apache-2.0
/*
 * Golden tests: every testdata/golden/NAME.txt holds one KCSAN report and
 * NAME.expect what the shipped rules must say about it, report only:
 *
 *   title: KCSAN: data-race in A / B
 *   verdict: benign|harmful|unknown
 *   confidence: high|medium|low
 *   lean: benign|harmful|none  (optional: the lean of an unknown verdict)
 *   rule: RULE-ID            ("-" when no rule may match)
 *   explain-contains: TEXT   (repeatable; a substring of the explanation)
 *   source: ...              (provenance, not checked)
 *
 * With arguments, each argument is a NAME.txt path; without, every .txt of
 * the golden folder is checked. Each mismatch is printed as
 * "NAME: key: expected ..., got ...".
 */
#include <dirent.h>
#include <errno.h>

#include "golden_cases.h"
#include "harness.h"
#include "kcsan/rules.h"
#include "kcsan/strbuf.h"
#include "kcsan/triage.h"

#define MAX_CONTAINS 16

struct expect {
	char *title;
	char *verdict;
	char *confidence;
	char *lean;
	char *rule;
	char *contains[MAX_CONTAINS];
	size_t ncontains;
};

static void expect_fini(struct expect *e)
{
	free(e->title);
	free(e->verdict);
	free(e->confidence);
	free(e->lean);
	free(e->rule);
	for (size_t i = 0; i < e->ncontains; i++)
		free(e->contains[i]);
	memset(e, 0, sizeof(*e));
}
/* Reads NAME.expect; returns 0, or -1 after printing why. */
static int read_expect(const char *path, struct expect *e)
{
	FILE *fp = fopen(path, "r");
	char line[4096];
	long lineno = 0;
	int rc = 0;

	memset(e, 0, sizeof(*e));
	if (!fp) {
		fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp)) {
		char *s = trim(line), *colon, *key, *val;

		lineno++;
		if (!*s || *s == '#')
			continue;
		colon = strchr(s, ':');
		if (!colon) {
			fprintf(stderr, "%s:%ld: expected 'key: value'\n", path, lineno);
			rc = -1;
			continue;
		}
		*colon = '\0';
		key = trim(s);
		val = trim(colon + 1);
		if (strcmp(key, "title") == 0 && !e->title) {
			e->title = kt_xstrdup(val);
		} else if (strcmp(key, "verdict") == 0 && !e->verdict) {
			e->verdict = kt_xstrdup(val);
		} else if (strcmp(key, "confidence") == 0 && !e->confidence) {
			e->confidence = kt_xstrdup(val);
		} else if (strcmp(key, "lean") == 0 && !e->lean) {
			e->lean = kt_xstrdup(val);
		} else if (strcmp(key, "rule") == 0 && !e->rule) {
			e->rule = kt_xstrdup(val);
		} else if (strcmp(key, "explain-contains") == 0 && e->ncontains < MAX_CONTAINS) {
			e->contains[e->ncontains++] = kt_xstrdup(val);
		} else if (strcmp(key, "source") == 0 || strcmp(key, "label") == 0 ||
			   strcmp(key, "note") == 0) {
			/* provenance only */
		} else {
			fprintf(stderr, "%s:%ld: unknown or repeated key '%s'\n", path, lineno,
				key);
			rc = -1;
		}
	}
	fclose(fp);
	if (!e->title || !e->verdict || !e->confidence || !e->rule) {
		fprintf(stderr, "%s: title, verdict, confidence and rule are required\n", path);
		rc = -1;
	}
	return rc;
}
/* The one report of a golden file; NULL (after printing why) when it has
 * none. A second report or trailing garbage counts in *bad. */
static struct kt_report *read_report(const char *txt, const char *name, int *bad)
{
	FILE *fp = fopen(txt, "r");
	struct kt_reader *rd = NULL;
	struct kt_report *rep = NULL, *extra = NULL;
	struct kt_error *err;

	if (!fp) {
		fprintf(stderr, "%s: cannot open: %s\n", txt, strerror(errno));
		return NULL;
	}
	err = kt_reader_new(fp, txt, &rd);
	if (!err)
		err = kt_reader_next(rd, &rep);
	if (err || !rep) {
		char *msg = err ? kt_error_format(err) : kt_xstrdup("no KCSAN report found");

		fprintf(stderr, "%s: parse: %s\n", name, msg);
		free(msg);
		kt_error_free(err);
		kt_report_free(rep);
		kt_reader_free(rd);
		fclose(fp);
		return NULL;
	}
	/* One report per golden file: a second one means the file is wrong. */
	err = kt_reader_next(rd, &extra);
	if (err || extra) {
		fprintf(stderr, "%s: more than one report (or trailing garbage) in the file\n",
			name);
		(*bad)++;
	}
	kt_error_free(err);
	kt_report_free(extra);
	kt_reader_free(rd);
	fclose(fp);
	return rep;
}

/* The rules' answer against the expectation; returns the number of
 * mismatches, each printed. */
static int compare_result(const char *name, const struct expect *e, const struct kt_report *rep,
			  const struct kt_triage_result *res)
{
	const char *got_title = rep->title ? rep->title : "(none)";
	const char *got_verdict = kt_verdict_name(res->rules.verdict);
	const char *got_conf = kt_confidence_name(res->rules.confidence);
	const char *got_rule = res->rules.rule_id ? res->rules.rule_id : "-";
	const char *got_explain = res->rules.explanation ? res->rules.explanation : "";
	int bad = 0;

	kt_test_checks++;
	if (strcmp(got_title, e->title) != 0) {
		fprintf(stderr, "%s: title: expected \"%s\", got \"%s\"\n", name, e->title,
			got_title);
		bad++;
	}
	kt_test_checks++;
	if (strcmp(got_verdict, e->verdict) != 0) {
		fprintf(stderr, "%s: verdict: expected %s, got %s\n", name, e->verdict,
			got_verdict);
		bad++;
	}
	kt_test_checks++;
	if (strcmp(got_conf, e->confidence) != 0) {
		fprintf(stderr, "%s: confidence: expected %s, got %s\n", name, e->confidence,
			got_conf);
		bad++;
	}
	if (e->lean) {
		kt_test_checks++;
		if (strcmp(kt_lean_name(&res->rules), e->lean) != 0) {
			fprintf(stderr, "%s: lean: expected %s, got %s\n", name, e->lean,
				kt_lean_name(&res->rules));
			bad++;
		}
	}
	kt_test_checks++;
	if (strcmp(got_rule, e->rule) != 0) {
		fprintf(stderr, "%s: rule: expected %s, got %s\n", name, e->rule, got_rule);
		bad++;
	}
	for (size_t i = 0; i < e->ncontains; i++) {
		kt_test_checks++;
		if (!strstr(got_explain, e->contains[i])) {
			fprintf(stderr, "%s: explain-contains: \"%s\" not in the explanation\n",
				name, e->contains[i]);
			bad++;
		}
	}
	if (bad) {
		fprintf(stderr, "%s:   explanation: %s\n", name, got_explain);
		if (res->rules.selection)
			fprintf(stderr, "%s:   selection: %s\n", name, res->rules.selection);
	}
	return bad;
}

/* One golden case. Returns the number of mismatches (or 1 for a broken case). */
static int check_case(struct kt_triage *t, const char *txt)
{
	const char *name = base_name(txt);
	size_t n = strlen(txt);
	char *exp_path;
	struct expect e;
	struct kt_report *rep;
	struct kt_triage_result *res = NULL;
	struct kt_error *err;
	int bad = 0;

	if (n < 4 || strcmp(txt + n - 4, ".txt") != 0) {
		fprintf(stderr, "%s: not a .txt golden report\n", txt);
		return 1;
	}
	exp_path = kt_xmalloc(n + 4);
	memcpy(exp_path, txt, n - 4);
	strcpy(exp_path + n - 4, ".expect");
	if (read_expect(exp_path, &e) != 0) {
		free(exp_path);
		expect_fini(&e);
		return 1;
	}
	free(exp_path);

	rep = read_report(txt, name, &bad);
	if (!rep) {
		expect_fini(&e);
		return 1;
	}
	err = kt_triage_classify(t, rep, &res);
	if (err) {
		char *msg = kt_error_format(err);

		fprintf(stderr, "%s: classify: %s\n", name, msg);
		free(msg);
		kt_error_free(err);
		kt_report_free(rep);
		expect_fini(&e);
		return 1;
	}
	bad += compare_result(name, &e, rep, res);
	kt_triage_result_free(res);
	kt_report_free(rep);
	expect_fini(&e);
	return bad;
}
int main(int argc, char **argv)
{
	struct kt_triage_opts opts = {
	    .rules_dir = KT_SOURCE_RULES_DIR, .no_cache = true, .check_facts = true};
	struct kt_triage *t = NULL;
	struct kt_error *err = kt_triage_new(&opts, &t);
	char **cases = NULL;
	size_t ncases = 0, nfailed = 0;

	if (err) {
		char *msg = kt_error_format(err);

		fprintf(stderr, "cannot load the shipped rules from %s: %s\n", KT_SOURCE_RULES_DIR,
			msg);
		free(msg);
		kt_error_free(err);
		return 1;
	}
	if (argc > 1) {
		cases = kt_xcalloc((size_t)argc, sizeof(*cases));
		for (int i = 1; i < argc; i++)
			cases[ncases++] = kt_xstrdup(argv[i]);
	} else {
		ncases = list_cases(KT_TESTDATA "/golden", &cases);
	}
	kt_test_checks++;
	if (ncases == 0) {
		fprintf(stderr, "no golden cases found\n");
		kt_test_failures++;
	}
	for (size_t i = 0; i < ncases; i++) {
		int bad = check_case(t, cases[i]);

		if (bad) {
			kt_test_failures += bad;
			nfailed++;
		}
		free(cases[i]);
	}
	free(cases);
	kt_triage_free(t);
	if (ncases > 1)
		printf("golden: %zu cases, %zu failed\n", ncases, nfailed);
	return kt_test_done("test_golden");
}
