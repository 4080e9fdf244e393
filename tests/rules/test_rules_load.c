// SPDX-License-Identifier: Apache-2.0
/* Rule file loading: every error names file:line and the reason, a bad file
 * leaves the rule set unchanged, directories load in name order. */
#include <unistd.h>

#include "harness.h"
#include "kcsan/rules.h"

#define BAD KT_TESTDATA "/rules/bad/"

/* Load path into rs; return "file:line: msg" or NULL (caller frees). */
static char *load_file_err(struct kt_ruleset *rs, const char *path)
{
	struct kt_error *err = kt_ruleset_load_file(rs, path);
	char *s = NULL;

	if (err) {
		s = kt_error_format(err);
		kt_error_free(err);
	}
	return s;
}

static char *load_str_err(const char *text)
{
	struct kt_ruleset *rs = kt_ruleset_new();
	struct kt_error *err = kt_ruleset_load_string(rs, text, "t.rules");
	char *s = NULL;

	if (err) {
		s = kt_error_format(err);
		kt_error_free(err);
	}
	CHECK(kt_ruleset_count(rs) == 0 || !s);
	kt_ruleset_free(rs);
	return s;
}

/* The error must start with "FILE:LINE: " and contain every needle. */
static void expect_err(const char *got, const char *file, int line, const char *n1, const char *n2)
{
	char prefix[512];

	snprintf(prefix, sizeof(prefix), "%s:%d: ", file, line);
	CHECK(got != NULL);
	if (!got)
		return;
	if (strncmp(got, prefix, strlen(prefix)) != 0 || (n1 && !strstr(got, n1)) ||
	    (n2 && !strstr(got, n2))) {
		kt_test_failures++;
		fprintf(stderr, "unexpected error:\n  got:  %s\n  want: %s... %s ... %s\n", got,
			prefix, n1 ? n1 : "", n2 ? n2 : "");
	}
	kt_test_checks++;
}

static const struct {
	const char *file;
	int line;
	const char *n1, *n2;
} bad_files[] = {
    {"unknown-key.rules", 3, "unknown key 'severity'", "expected verdict"},
    {"missing-key.rules", 2, "rule 'no-action'", "missing required key 'action'"},
    {"missing-when.rules", 1, "rule 'no-when'", "missing required key 'when'"},
    {"bad-verdict.rules", 2, "bad verdict 'maybe'", "benign, harmful or unknown"},
    {"bad-confidence.rules", 3, "bad confidence 'very'", "high, medium or low"},
    {"bad-priority.rules", 4, "bad priority '2000'", "0..1000"},
    {"bad-condition.rules", 5, "column 22: bad 'when'", "expected a value"},
    {"bad-condition-continued.rules", 6, "column 21: bad 'when'", "expected an operator"},
    {"bad-regex.rules", 6, "PCRE2 rejects /^(foo|bar$/", "missing closing parenthesis"},
    {"bad-type.rules", 5, "column 21", "operator '<' needs an integer value"},
    {"dup-id.rules", 9, "duplicate rule id 'twice'", "dup-id.rules:1)"},
    {"unbalanced-open.rules", 7, "column 20", "unbalanced '{'"},
    {"unbalanced-close.rules", 7, "column 30", "unbalanced '}'"},
    {"key-outside.rules", 2, "key 'verdict' outside a stanza", NULL},
    {"stray-continuation.rules", 2, "continuation line", "no 'key = value' before it"},
    {"dup-key.rules", 4, "key 'verdict' given twice", "first at line 2"},
    {"bad-id.rules", 1, "column 5: bad rule id", "' ' is not allowed"},
    {"garbage-line.rules", 3, "column 6: expected '=' after 'this'", NULL},
    {"half-good.rules", 16, "bad family 'not a word'", NULL},
};

static void test_bad_files(void)
{
	for (size_t i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
		struct kt_ruleset *rs = kt_ruleset_new();
		char path[512];
		char *err;

		snprintf(path, sizeof(path), BAD "%s", bad_files[i].file);
		err = load_file_err(rs, path);
		expect_err(err, path, bad_files[i].line, bad_files[i].n1, bad_files[i].n2);
		CHECK_INT(kt_ruleset_count(rs), 0);
		free(err);
		kt_ruleset_free(rs);
	}
}

/* PCRE2's message and the offset in the pattern. */
static void test_regex_error_offset(void)
{
	char *e = load_str_err("[r]\nverdict = benign\nconfidence = high\npriority = 1\n"
			       "when = a.func ~ /ab[c/\nexplain = e\naction = a\n");

	expect_err(e, "t.rules", 5, "column 22", "missing terminating ] for character class");
	CHECK(e && strstr(e, "(at offset 4)"));
	free(e);
	/* A long pattern is shown around the offset, with the whole message. */
	e = load_str_err("[r]\nverdict = benign\nconfidence = high\npriority = 1\n"
			 "when = a.func ~ /^(alpha|beta|gamma|delta|epsilon|zeta|eta|theta|iota|"
			 "kappa|lambda|mu|nu|xi|omicron|pi|rho|sigma|tau|upsilon|phi|chi|psi|"
			 "omega[a-/\nexplain = e\naction = a\n");
	expect_err(e, "t.rules", 5, "PCRE2 rejects /...",
		   "missing terminating ] for character class");
	CHECK(e && strstr(e, "|omega[a-...") == NULL && strstr(e, "|omega[a-/"));
	free(e);
}

/* Condition errors that the bad files do not cover, one line each. */
static const struct {
	const char *cond;
	const char *n1, *n2;
} bad_conds[] = {
    {"a.size < \"4\"", "column 8", "needs an integer value"},
    {"a.size >= true", "column 8", "needs an integer value"},
    {"a.func ~ foo", "column 8", "needs a /regex/ value"},
    {"a.func == /foo/", "column 8", "use ~ or !~"},
    {"a.func ~ /foo", "column 10", "unterminated regular expression"},
    {"a.func ~ /foo/g", "column 15", "unknown regular expression flag 'g'"},
    {"a.func ~ //", "column 10", "empty regular expression"},
    {"a.func == \"foo", "column 11", "unterminated string"},
    {"a.size == 12ab", "column 11", "bad integer '12ab'"},
    {"a.size == 99999999999999999999", "column 11", "out of range"},
    {"a.size ==", "column 10", "expected a value"},
    {"x.size == 4 x.write", "column 13", "expected '||' or the end"},
    {"x.write || ", "column 11", "expected a test, found the end"},
    {"|| x.write", "column 1", "expected a test, found '||'"},
    {"either", "column 1", "side 'either' needs a fact name"},
    {"x.", "column 1", "bad fact name 'x.'"},
    {"a..b", "column 1", "bad fact name"},
    {"5 == 4", "column 1", "expected a fact name, found '5'"},
    {"not a.size == 4", "column 1", "'not' takes a fact alone"},
    {"missing a.size > 1", "column 1", "'missing' takes a fact alone"},
    {"a.frames.func[2:1]", "column 14", "ends before it starts"},
    {"a.frames.func[1]", "column 16", "expected ':' in slice"},
    {"a.frames.func[-1:]", "column 15", "expected ':' in slice"},
    {"a.frames.func[0:2", "column 18", "expected ']'"},
    {"a.frames.func[0:9999999]", "column 17", "slice bound too large"},
    {"a.size = 4", "column 8", "expected an operator"},
    {"x.func != both.func", "column 11", "must be one fact (a., b., x. or y.), not both."},
    {"x.size < either.size", "column 10", "not either."},
    {"x.func ~ y.func", "column 8", "needs a /regex/ value"},
    {"x.size < y.size[0:", "column 19", "expected ']'"},
    {"a.size & foo", "column 8", "operator '&' needs an integer value or a fact"},
    {"x.expr.mask !& value.diff", "column 13", "a report-level fact goes on the left"},
    {"a.size & \"4\"", "column 8", "needs an integer value"},
    {"a.size !& true", "column 8", "needs an integer value"},
    {"a.func & /foo/", "column 8", "needs an integer value"},
    {"a.size &", "column 9", "expected a value"},
    {"not a.size & 1", "column 1", "'not' takes a fact alone"},
    {"x.size !& either.size", "column 11", "not either."},
};

static void test_bad_conditions(void)
{
	for (size_t i = 0; i < sizeof(bad_conds) / sizeof(bad_conds[0]); i++) {
		char text[512];
		char *e;

		/* "when = " is 7 columns: column 8 is the condition's first byte. */
		snprintf(text, sizeof(text),
			 "[r]\nverdict = benign\nconfidence = high\npriority = 1\nwhen = %s\n"
			 "explain = e\naction = a\n",
			 bad_conds[i].cond);
		e = load_str_err(text);
		/* Columns in the table count from the condition's first byte. */
		char want[64];
		int col = atoi(bad_conds[i].n1 + strlen("column ")) + 7;
		snprintf(want, sizeof(want), "column %d:", col);
		if (!e)
			fprintf(stderr, "condition accepted: %s\n", bad_conds[i].cond);
		expect_err(e, "t.rules", 5, want, bad_conds[i].n2);
		free(e);
	}
}

static void test_bad_templates(void)
{
	static const struct {
		const char *tmpl;
		const char *n1, *n2;
	} cases[] = {
	    {"{x.func", "column 11", "unbalanced '{'"},
	    {"{x.func {y.func}", "column 11", "unbalanced '{'"},
	    {"a } b", "column 13", "unbalanced '}'"},
	    {"{either.func}", "column 11", "not either."},
	    {"{}", "column 12", "expected a fact name"},
	    {"{x.func extra}", "column 11", "bad fact reference '{x.func extra}'"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[512];
		char *e;

		snprintf(text, sizeof(text),
			 "[r]\nverdict = benign\nconfidence = high\npriority = 1\nwhen = a.write\n"
			 "explain = %s\naction = a\n",
			 cases[i].tmpl);
		e = load_str_err(text);
		expect_err(e, "t.rules", 6, cases[i].n1, cases[i].n2);
		free(e);
	}
}

static void test_misc_errors(void)
{
	char *e;

	e = load_str_err("[r]\nverdict = benign\nconfidence = high\npriority = 1\nwhen = a.write\n"
			 "explain = caf\xc3\n");
	expect_err(e, "t.rules", 6, "invalid UTF-8", NULL);
	free(e);
	e = load_str_err("[r]\nverdict =\n");
	expect_err(e, "t.rules", 2, "empty value for 'verdict'", NULL);
	free(e);
	e = load_str_err("[r]\nverdict = benign\npriority = -1\n");
	expect_err(e, "t.rules", 3, "bad priority '-1'", NULL);
	free(e);
	e = load_str_err("[r]\nVerdict = benign\n");
	expect_err(e, "t.rules", 2, "unknown key 'Verdict'", NULL);
	free(e);
	e = load_str_err("[r]\nwhen: x.write\n");
	expect_err(e, "t.rules", 2, "column 5: expected '=' after 'when'", NULL);
	free(e);
	e = load_str_err("[r]\nverdict benign\n");
	expect_err(e, "t.rules", 2, "column 9: expected '=' after 'verdict'", NULL);
	free(e);
	e = load_str_err("[r]\n= benign\n");
	expect_err(e, "t.rules", 2, "expected '[rule-id]', 'key = value' or an indented", NULL);
	free(e);
	e = load_str_err("[]\n");
	expect_err(e, "t.rules", 1, "bad stanza header", NULL);
	free(e);
	e = load_str_err("[r] trailing\n");
	expect_err(e, "t.rules", 1, "unexpected text after '[r]'", NULL);
	free(e);
	e = load_str_err("[r]\nverdict = benign\nconfidence = high\npriority = 1\nwhen = a.write\n"
			 "explain = e\naction = a\n\n[r2]\nverdict = benign\n");
	expect_err(e, "t.rules", 9, "rule 'r2': missing required key 'confidence'", NULL);
	free(e);

	/* Nonexistent file. */
	struct kt_ruleset *rs = kt_ruleset_new();
	struct kt_error *err = kt_ruleset_load_file(rs, BAD "does-not-exist.rules");
	CHECK(err && err->code == KT_ERR_IO);
	CHECK(err && strstr(err->msg, "cannot open rule file"));
	kt_error_free(err);
	kt_ruleset_free(rs);
}

/* A good file, then a file whose first stanza is fine and second is not:
 * nothing of the second file may be kept. */
static void test_transactional(void)
{
	struct kt_ruleset *rs = kt_ruleset_new();
	struct kt_error *err;
	char *e;

	err = kt_ruleset_load_file(rs, KT_TESTDATA "/rules/good/10-base.rules");
	CHECK(err == NULL);
	kt_error_free(err);
	CHECK_INT(kt_ruleset_count(rs), 2);
	e = load_file_err(rs, BAD "half-good.rules");
	CHECK(e != NULL);
	free(e);
	CHECK_INT(kt_ruleset_count(rs), 2);
	/* The good stanza of the refused file was not kept: its id is free. */
	err = kt_ruleset_load_string(rs,
				     "[half-good-ok]\nverdict = benign\nconfidence = high\n"
				     "priority = 1\nwhen = a.write\nexplain = e\naction = a\n",
				     "again.rules");
	CHECK(err == NULL);
	kt_error_free(err);
	CHECK_INT(kt_ruleset_count(rs), 3);
	/* A duplicate of an already loaded id is refused and changes nothing. */
	err =
	    kt_ruleset_load_string(rs,
				   "[fresh]\nverdict = benign\nconfidence = high\npriority = 1\n"
				   "when = a.write\nexplain = e\naction = a\n\n"
				   "[base-one]\nverdict = benign\nconfidence = high\npriority = 1\n"
				   "when = a.write\nexplain = e\naction = a\n",
				   "dup.rules");
	CHECK(err != NULL);
	if (err) {
		e = kt_error_format(err);
		expect_err(e, "dup.rules", 9, "duplicate rule id 'base-one'", "10-base.rules:2)");
		free(e);
	}
	kt_error_free(err);
	CHECK_INT(kt_ruleset_count(rs), 3);
	CHECK(kt_ruleset_family(rs, "fresh") == NULL);
	CHECK_STR(kt_ruleset_family(rs, "base-one"), "test-family");
	kt_ruleset_free(rs);
}

static void test_dirs(void)
{
	struct kt_ruleset *rs = kt_ruleset_new();
	struct kt_error *err = kt_ruleset_load_dir(rs, KT_TESTDATA "/rules/good");
	struct kt_facts *f = kt_facts_new();
	struct kt_rule_result res;
	char *e;

	CHECK(err == NULL);
	kt_error_free(err);
	CHECK_INT(kt_ruleset_count(rs), 3);
	/* Name order: base-one (10-) before more-one (20-); base-two needs
	 * report.kind, which is absent. */
	kt_facts_set_bool(f, "b.write", true, KT_ORIGIN_REPORT);
	kt_facts_set_str(f, "a.func", "foo", KT_ORIGIN_REPORT);
	err = kt_ruleset_eval(rs, f, &res);
	CHECK(err == NULL);
	CHECK_INT(res.nmatches, 2);
	CHECK_STR(res.rule_id, "base-one");
	CHECK_STR(res.matches[1].id, "more-one");
	kt_rule_result_fini(&res);
	kt_facts_free(f);
	kt_ruleset_free(rs);

	/* Duplicate id across two files: the second file's line, the first's
	 * place, and nothing of the directory kept. */
	rs = kt_ruleset_new();
	err = kt_ruleset_load_dir(rs, KT_TESTDATA "/rules/dupdir");
	CHECK(err != NULL);
	if (err) {
		e = kt_error_format(err);
		expect_err(e, KT_TESTDATA "/rules/dupdir/b.rules", 11,
			   "duplicate rule id 'shared-id'",
			   "(first defined at " KT_TESTDATA "/rules/dupdir/a.rules:1)");
		free(e);
	}
	kt_error_free(err);
	CHECK_INT(kt_ruleset_count(rs), 0);
	kt_ruleset_free(rs);

	rs = kt_ruleset_new();
	err = kt_ruleset_load_dir(rs, KT_TESTDATA "/rules/does-not-exist");
	CHECK(err && err->code == KT_ERR_IO && strstr(err->msg, "cannot open rules directory"));
	kt_error_free(err);
	err = kt_ruleset_load_dir(rs, KT_TESTDATA "/rules/empty");
	CHECK(err && strstr(err->msg, "no rules found"));
	kt_error_free(err);
	/* A directory of bad files: the first in name order is reported. */
	err = kt_ruleset_load_dir(rs, KT_TESTDATA "/rules/bad");
	CHECK(err && err->file && strstr(err->file, "bad-condition-continued.rules"));
	kt_error_free(err);
	CHECK_INT(kt_ruleset_count(rs), 0);
	kt_ruleset_free(rs);

	/* A dangling link among the files is reported, and nothing is kept. */
	char tmpl[] = "/tmp/kt-rules-XXXXXX";
	char *d = mkdtemp(tmpl);
	CHECK(d != NULL);
	if (d) {
		char a[256], l[256];
		FILE *fp;

		snprintf(a, sizeof(a), "%s/10-ok.rules", d);
		snprintf(l, sizeof(l), "%s/20-gone.rules", d);
		fp = fopen(a, "w");
		CHECK(fp != NULL);
		if (fp) {
			fputs("[ok]\nverdict = benign\nconfidence = high\npriority = 1\n"
			      "when = a.write\nexplain = e\naction = a\n",
			      fp);
			fclose(fp);
		}
		CHECK(symlink("/nonexistent/kt-rules-target", l) == 0);
		rs = kt_ruleset_new();
		err = kt_ruleset_load_dir(rs, d);
		CHECK(err && err->code == KT_ERR_IO && err->file &&
		      strstr(err->file, "20-gone.rules"));
		kt_error_free(err);
		CHECK_INT(kt_ruleset_count(rs), 0);
		kt_ruleset_free(rs);
		unlink(l);
		unlink(a);
		rmdir(d);
	}
}

static void test_good_syntax(void)
{
	struct kt_ruleset *rs = kt_ruleset_new();
	struct kt_error *err = kt_ruleset_load_string(
	    rs,
	    "# comment\n"
	    "\n"
	    "[ok.rule_1-a]\r\n"
	    "verdict=benign\n"
	    "confidence   =   high   \n"
	    "priority = 1000\n"
	    "  # an indented comment inside a stanza\n"
	    "when = a.func ~ /^x/ || b.func ~ /^(?i)Y/\n"
	    "when = not a.marked\n"
	    "unless = missing a.size\n"
	    "explain = wrapped\n"
	    "\n"
	    "          over lines\n"
	    "action = a\n"
	    "[second]\n"
	    "verdict = harmful\n"
	    "confidence = low\n"
	    "priority = 0\n"
	    "when = report.kind == \"data race\" || value.old == 0x10 || value.step == -3\n"
	    "explain = e\n"
	    "action = a\n",
	    "good.rules");
	CHECK(err == NULL);
	if (err) {
		char *e = kt_error_format(err);
		fprintf(stderr, "%s\n", e);
		free(e);
	}
	kt_error_free(err);
	CHECK_INT(kt_ruleset_count(rs), 2);
	kt_ruleset_free(rs);
}

int main(void)
{
	test_bad_files();
	test_regex_error_offset();
	test_bad_conditions();
	test_bad_templates();
	test_misc_errors();
	test_transactional();
	test_dirs();
	test_good_syntax();
	return kt_test_done("test_rules_load");
}
