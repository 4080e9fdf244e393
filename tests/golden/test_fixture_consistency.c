// SPDX-License-Identifier: Apache-2.0
/*
 * The report-only verdict is a property of the race, not of how the report
 * was printed or which occurrence was caught: for every report of the 6.1
 * fixture, the raw console text and syzbot's symbolized form (with inline
 * frames) must get the same verdict and rule, and all occurrences of one
 * title must agree. Skips (77) when the shared fixtures are absent.
 */
#include <dirent.h>
#include <errno.h>

#include "harness.h"
#include "kcsan/strbuf.h"
#include "kcsan/triage.h"

#define FIXTURE KT_SHARED_DIR "/fixtures/kcsan-6.1/reports"

struct outcome {
	char *title;
	char *verdict;
	char *rule;
};

static void outcome_fini(struct outcome *o)
{
	free(o->title);
	free(o->verdict);
	free(o->rule);
	memset(o, 0, sizeof(*o));
}

/* Classifies the single report of path; returns false after printing why. */
static bool classify_file(struct kt_triage *t, const char *path, struct outcome *o)
{
	FILE *fp = fopen(path, "r");
	struct kt_reader *rd = NULL;
	struct kt_report *rep = NULL;
	struct kt_triage_result *res = NULL;
	struct kt_error *err;

	memset(o, 0, sizeof(*o));
	if (!fp) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return false;
	}
	err = kt_reader_new(fp, path, &rd);
	if (!err)
		err = kt_reader_next(rd, &rep);
	if (!err && rep)
		err = kt_triage_classify(t, rep, &res);
	if (err || !rep) {
		char *msg = err ? kt_error_format(err) : kt_xstrdup("no report");

		fprintf(stderr, "%s: %s\n", path, msg);
		free(msg);
		kt_error_free(err);
		kt_report_free(rep);
		kt_reader_free(rd);
		fclose(fp);
		return false;
	}
	o->title = kt_xstrdup(rep->title ? rep->title : "");
	o->verdict = kt_xstrdup(kt_verdict_name(res->rules.verdict));
	o->rule = kt_xstrdup(res->rules.rule_id ? res->rules.rule_id : "-");
	kt_triage_result_free(res);
	kt_report_free(rep);
	kt_reader_free(rd);
	fclose(fp);
	return true;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	struct kt_triage_opts opts = {
	    .rules_dir = KT_SOURCE_RULES_DIR, .no_cache = true, .check_facts = true};
	struct kt_triage *t = NULL;
	DIR *d = opendir(FIXTURE "/raw");
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct outcome *seen;
	struct kt_error *err;

	if (!d) {
		fprintf(stderr, "skipped: %s/raw not found\n", FIXTURE);
		return 77;
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len < 5 || strcmp(de->d_name + len - 4, ".txt") != 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 128;
			names = kt_xrealloc(names, cap * sizeof(*names));
		}
		names[n++] = kt_xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	err = kt_triage_new(&opts, &t);
	CHECK(err == NULL);
	if (err) {
		kt_error_free(err);
		return kt_test_done("test_fixture_consistency");
	}
	CHECK(n > 0);
	seen = kt_xcalloc(n ? n : 1, sizeof(*seen));
	for (size_t i = 0; i < n; i++) {
		char raw[4096], sym[4096];
		struct outcome r, s;

		snprintf(raw, sizeof(raw), "%s/raw/%s", FIXTURE, names[i]);
		snprintf(sym, sizeof(sym), "%s/symbolized/%s", FIXTURE, names[i]);
		kt_test_checks++;
		if (!classify_file(t, raw, &r)) {
			kt_test_failures++;
			continue;
		}
		if (classify_file(t, sym, &s)) {
			kt_test_checks++;
			if (strcmp(r.title, s.title) || strcmp(r.verdict, s.verdict) ||
			    strcmp(r.rule, s.rule)) {
				kt_test_failures++;
				fprintf(stderr, "%s: raw %s by %s, symbolized %s by %s\n", names[i],
					r.verdict, r.rule, s.verdict, s.rule);
			}
			outcome_fini(&s);
		}
		/* Same title as an earlier report: same outcome. */
		for (size_t j = 0; j < i; j++) {
			if (!seen[j].title || strcmp(seen[j].title, r.title) != 0)
				continue;
			kt_test_checks++;
			if (strcmp(seen[j].verdict, r.verdict) || strcmp(seen[j].rule, r.rule)) {
				kt_test_failures++;
				fprintf(stderr, "%s: %s by %s, but %s got %s by %s for the same title\n",
					names[i], r.verdict, r.rule, names[j], seen[j].verdict,
					seen[j].rule);
			}
			break;
		}
		seen[i] = r;
	}
	for (size_t i = 0; i < n; i++) {
		outcome_fini(&seen[i]);
		free(names[i]);
	}
	free(seen);
	free(names);
	kt_triage_free(t);
	return kt_test_done("test_fixture_consistency");
}
