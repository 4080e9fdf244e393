// SPDX-License-Identifier: Apache-2.0
/*
 * Golden tests in full mode: every testdata/golden-full/NAME.txt is a report
 * printed by the fixture kernel (fixtures/kcsan-6.1 in the shared folder),
 * classified with that kernel's vmlinux and source, and NAME.expect says what
 * the shipped rules must conclude:
 *
 *   title: KCSAN: data-race in A / B
 *   verdict: benign|harmful|unknown
 *   confidence: high|medium|low
 *   lean: benign|harmful|none (optional: the lean of an unknown verdict)
 *   rule: RULE-ID             ("-" when no rule may match)
 *   object: TEXT              (the `object` fact; "-" when it must be absent)
 *   inputs: report vmlinux source   (every input named must have been used)
 *   explain-contains: TEXT    (repeatable; a substring of the explanation)
 *   source: / note:           (provenance and reasoning, not checked)
 *
 * The fixture's vmlinux.xz and source archive are unpacked once into
 * KT_BUILD_DIR/golden-full (`test_golden_full --setup`, run by ctest as the
 * golden-full/setup fixture). Without the shared folder the test exits 77
 * (skipped) and says why.
 *
 * Arguments: NAME.txt paths; none means every case of the folder.
 */
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include "golden_cases.h"
#include "harness.h"
#include "kcsan/report.h"
#include "kcsan/rules.h"
#include "kcsan/strbuf.h"
#include "kcsan/triage.h"

#define FIXTURE	     KT_SHARED_DIR "/fixtures/kcsan-6.1"
#define WORK	     KT_BUILD_DIR "/golden-full"
#define VMLINUX	     WORK "/vmlinux"
#define SRC	     WORK "/src"
#define SRC_STAMP    WORK "/src.unpacked"
#define MAX_CONTAINS 16

struct expect {
	char *key_val[8][2]; /* title verdict confidence rule object inputs lean */
	char *contains[MAX_CONTAINS];
	size_t ncontains;
};

static const char *const keys[] = {"title",  "verdict", "confidence", "rule",
				   "object", "inputs",  "lean"};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static int run(const char *cmd)
{
	int rc = system(cmd);

	if (rc != 0)
		fprintf(stderr, "golden-full: command failed (%d): %s\n", rc, cmd);
	return rc;
}

/* Unpacks the vmlinux and the source once; 0 on success. */
static int setup(void)
{
	char cmd[4096];

	if (mkdir(WORK, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "golden-full: cannot create %s: %s\n", WORK, strerror(errno));
		return 1;
	}
	if (!exists(VMLINUX)) {
		snprintf(cmd, sizeof(cmd),
			 "xz -dc '%s/vmlinux.xz' > '%s.part' && mv '%s.part' '%s'", FIXTURE,
			 VMLINUX, VMLINUX, VMLINUX);
		if (run(cmd) != 0)
			return 1;
	}
	if (!exists(SRC_STAMP)) {
		/* A half-unpacked tree from an interrupted run is redone. */
		snprintf(cmd, sizeof(cmd),
			 "rm -rf '%s' && '%s/unpack-source.sh' '%s' >/dev/null && touch '%s'", SRC,
			 FIXTURE, SRC, SRC_STAMP);
		if (run(cmd) != 0)
			return 1;
	}
	return 0;
}

static void expect_fini(struct expect *e)
{
	for (size_t i = 0; i < NKEYS; i++)
		free(e->key_val[i][1]);
	for (size_t i = 0; i < e->ncontains; i++)
		free(e->contains[i]);
	memset(e, 0, sizeof(*e));
}

static const char *expect_get(const struct expect *e, const char *key)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i], key) == 0)
			return e->key_val[i][1];
	return NULL;
}

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
		bool known = false;

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
		for (size_t i = 0; i < NKEYS; i++) {
			if (strcmp(key, keys[i]) == 0 && !e->key_val[i][1]) {
				e->key_val[i][1] = kt_xstrdup(val);
				known = true;
			}
		}
		if (known)
			continue;
		if (strcmp(key, "explain-contains") == 0 && e->ncontains < MAX_CONTAINS)
			e->contains[e->ncontains++] = kt_xstrdup(val);
		else if (strcmp(key, "source") != 0 && strcmp(key, "note") != 0) {
			fprintf(stderr, "%s:%ld: unknown or repeated key '%s'\n", path, lineno,
				key);
			rc = -1;
		}
	}
	fclose(fp);
	for (size_t i = 0; i < NKEYS; i++) {
		if (!e->key_val[i][1] && strcmp(keys[i], "lean") != 0) {
			fprintf(stderr, "%s: key '%s' is required\n", path, keys[i]);
			rc = -1;
		}
	}
	return rc;
}

static int mismatch(const char *name, const char *key, const char *want, const char *got)
{
	kt_test_checks++;
	if (strcmp(want, got) == 0)
		return 0;
	fprintf(stderr, "%s: %s: expected \"%s\", got \"%s\"\n", name, key, want, got);
	return 1;
}

/* Every word of `want` ("report vmlinux source") must be an input used. */
static int check_inputs(const char *name, const char *want, unsigned used)
{
	static const struct {
		const char *word;
		unsigned bit;
	} words[] = {{"report", KT_ORIGIN_REPORT},
		     {"vmlinux", KT_ORIGIN_VMLINUX},
		     {"source", KT_ORIGIN_SOURCE}};
	int bad = 0;

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (!strstr(want, words[i].word))
			continue;
		kt_test_checks++;
		if (!(used & words[i].bit)) {
			fprintf(stderr, "%s: inputs: %s was not used\n", name, words[i].word);
			bad++;
		}
	}
	return bad;
}

static int check_case(struct kt_triage *t, const char *txt)
{
	const char *name = base_name(txt);
	size_t n = strlen(txt);
	char *exp_path;
	struct expect e;
	FILE *fp;
	struct kt_reader *rd = NULL;
	struct kt_report *rep = NULL;
	struct kt_triage_result *res = NULL;
	struct kt_error *err;
	const struct kt_fact *obj;
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

	fp = fopen(txt, "r");
	if (!fp) {
		fprintf(stderr, "%s: cannot open: %s\n", txt, strerror(errno));
		expect_fini(&e);
		return 1;
	}
	err = kt_reader_new(fp, txt, &rd);
	if (!err)
		err = kt_reader_next(rd, &rep);
	kt_reader_free(rd);
	fclose(fp);
	if (!err && rep)
		err = kt_triage_classify(t, rep, &res);
	if (err || !rep) {
		char *msg = err ? kt_error_format(err) : kt_xstrdup("no KCSAN report found");

		fprintf(stderr, "%s: %s\n", name, msg);
		free(msg);
		kt_error_free(err);
		kt_report_free(rep);
		expect_fini(&e);
		return 1;
	}

	obj = kt_facts_get(res->facts, "object");
	bad += mismatch(name, "title", expect_get(&e, "title"), rep->title ? rep->title : "(none)");
	bad += mismatch(name, "verdict", expect_get(&e, "verdict"),
			kt_verdict_name(res->rules.verdict));
	bad += mismatch(name, "confidence", expect_get(&e, "confidence"),
			kt_confidence_name(res->rules.confidence));
	if (expect_get(&e, "lean"))
		bad += mismatch(name, "lean", expect_get(&e, "lean"), kt_lean_name(&res->rules));
	bad += mismatch(name, "rule", expect_get(&e, "rule"),
			res->rules.rule_id ? res->rules.rule_id : "-");
	bad += mismatch(name, "object", expect_get(&e, "object"),
			obj && obj->type == KT_FACT_STR ? obj->s : "-");
	bad += check_inputs(name, expect_get(&e, "inputs"), res->inputs);
	for (size_t i = 0; i < e.ncontains; i++) {
		kt_test_checks++;
		if (!res->rules.explanation || !strstr(res->rules.explanation, e.contains[i])) {
			fprintf(stderr, "%s: explain-contains: \"%s\" not in the explanation\n",
				name, e.contains[i]);
			bad++;
		}
	}
	if (bad) {
		fprintf(stderr, "%s:   explanation: %s\n", name,
			res->rules.explanation ? res->rules.explanation : "");
		if (res->rules.selection)
			fprintf(stderr, "%s:   selection: %s\n", name, res->rules.selection);
		for (size_t i = 0; i < res->nnotes; i++)
			fprintf(stderr, "%s:   note (%s): %s\n", name, res->notes[i].stage,
				res->notes[i].text);
	}
	kt_triage_result_free(res);
	kt_report_free(rep);
	expect_fini(&e);
	return bad;
}

int main(int argc, char **argv)
{
	struct kt_triage_opts opts = {
	    .rules_dir = KT_SOURCE_RULES_DIR,
	    .vmlinux = VMLINUX,
	    .src_dir = SRC,
	    .cache_dir = WORK "/cache",
	    .check_facts = true,
	};
	struct kt_triage *t = NULL;
	struct kt_error *err;
	char **cases = NULL;
	size_t ncases = 0, nfailed = 0;
	bool only_setup = argc > 1 && strcmp(argv[1], "--setup") == 0;

	if (!exists(FIXTURE "/vmlinux.xz") || !exists(FIXTURE "/unpack-source.sh")) {
		printf("golden-full: skipped: the fixture kernel %s is absent\n", FIXTURE);
		return 77;
	}
	if (setup() != 0)
		return 1;
	if (only_setup) {
		printf("golden-full: %s and %s are ready\n", VMLINUX, SRC);
		return 0;
	}
	err = kt_triage_new(&opts, &t);
	if (err) {
		char *msg = kt_error_format(err);

		fprintf(stderr, "golden-full: cannot set up the triage: %s\n", msg);
		free(msg);
		kt_error_free(err);
		return 1;
	}
	if (argc > 1) {
		cases = kt_xcalloc((size_t)argc, sizeof(*cases));
		for (int i = 1; i < argc; i++)
			cases[ncases++] = kt_xstrdup(argv[i]);
	} else {
		ncases = list_cases(KT_TESTDATA "/golden-full", &cases);
	}
	kt_test_checks++;
	if (ncases == 0) {
		fprintf(stderr, "no golden-full cases found\n");
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
		printf("golden-full: %zu cases, %zu failed\n", ncases, nfailed);
	return kt_test_done("test_golden_full");
}
