// SPDX-License-Identifier: Apache-2.0
/* Conditions: every operator, side form, value type, slices, absent facts,
 * x/y binding, templates and bounded regular expressions. */
#include "harness.h"
#include "kcsan/rules.h"

static struct kt_facts *sample_facts(void)
{
	struct kt_facts *f = kt_facts_new();
	const enum kt_fact_origin R = KT_ORIGIN_REPORT;

	kt_facts_set_str(f, "a.func", "foo", R);
	kt_facts_set_str(f, "b.func", "bar", R);
	kt_facts_set_bool(f, "a.write", false, R);
	kt_facts_set_bool(f, "b.write", true, R);
	kt_facts_set_int(f, "a.size", 4, R);
	kt_facts_set_int(f, "b.size", 8, R);
	kt_facts_set_bool(f, "a.marked", true, R); /* b.marked absent */
	kt_facts_set_int(f, "a.addr", (int64_t)0xffffffff81000000ULL, R);
	kt_facts_set_str(f, "a.file", "mm/filemap.c", R);
	kt_facts_add_str(f, "a.frames.func", "f0", R);
	kt_facts_add_str(f, "a.frames.func", "f1", R);
	kt_facts_add_str(f, "a.frames.func", "f2", R);
	kt_facts_add_str(f, "a.frames.func", "f3", R);
	kt_facts_add_str(f, "b.frames.func", "g0", R);
	kt_facts_add_str(f, "b.frames.func", "copy_page_to_iter", R);
	kt_facts_set_str(f, "report.kind", "data-race", R);
	kt_facts_set_str(f, "report.title", "data race in foo / bar", R);
	kt_facts_set_int(f, "value.old", 0, R);
	kt_facts_set_int(f, "value.step", -1, R);
	kt_facts_set_int(f, "value.diff", 0x400140, R);
	kt_facts_set_int(f, "a.mask", 0x80000, R);
	kt_facts_set_int(f, "b.mask", 0x100, R);
	kt_facts_set_str(f, "empty", "", R);
	kt_facts_set_str(f, "bytes", "\xff\xfe\x80 not utf-8", R);
	return f;
}

/* Evaluate one rule made of the given when/unless lines; returns whether it
 * matched, and its binding in *binding (static buffer). */
static int eval_rule(const struct kt_facts *f, const char *lines, char *binding, size_t n)
{
	char text[2048];
	struct kt_ruleset *rs = kt_ruleset_new();
	struct kt_rule_result res;
	struct kt_error *err;
	int matched = -1;

	snprintf(text, sizeof(text),
		 "[t]\nverdict = benign\nconfidence = high\npriority = 1\n%s\nexplain = e\n"
		 "action = a\n",
		 lines);
	err = kt_ruleset_load_string(rs, text, "t.rules");
	if (err) {
		char *e = kt_error_format(err);
		fprintf(stderr, "load failed for '%s': %s\n", lines, e);
		free(e);
		kt_error_free(err);
		kt_ruleset_free(rs);
		return -1;
	}
	err = kt_ruleset_eval(rs, f, &res);
	if (!err) {
		matched = res.nmatches == 1;
		if (binding && matched)
			snprintf(binding, n, "%s", res.matches[0].binding);
	}
	kt_error_free(err);
	kt_rule_result_fini(&res);
	kt_ruleset_free(rs);
	return matched;
}

static int when(const struct kt_facts *f, const char *cond)
{
	char line[1024];

	snprintf(line, sizeof(line), "when = %s", cond);
	return eval_rule(f, line, NULL, 0);
}

static const struct {
	const char *cond;
	int want;
} cases[] = {
    /* truthiness */
    {"a.write", 0},
    {"b.write", 1},
    {"not a.write", 1},
    {"not b.write", 0},
    {"a.size", 1},
    {"value.old", 0},
    {"not value.old", 1},
    {"report.kind", 1},
    {"empty", 0},
    {"not empty", 1},
    {"a.frames.func", 1},
    /* absent facts: every test false, negated or not */
    {"b.marked", 0},
    {"not b.marked", 0},
    {"b.marked == true", 0},
    {"b.marked != true", 0},
    {"b.marked ~ /./", 0},
    {"b.marked !~ /./", 0},
    {"b.marked < 1", 0},
    {"b.marked >= 0", 0},
    {"nosuch.fact", 0},
    {"not nosuch.fact", 0},
    /* missing / present */
    {"missing b.marked", 1},
    {"present b.marked", 0},
    {"missing a.marked", 0},
    {"present a.marked", 1},
    {"missing either.marked", 1},
    {"missing both.marked", 0},
    {"present either.marked", 1},
    {"present both.marked", 0},
    {"present both.func", 1},
    {"missing nosuch.fact", 1},
    /* ~ and !~ on strings */
    {"a.func ~ /^fo+$/", 1},
    {"a.func ~ /^FOO$/", 0},
    {"a.func ~ /^FOO$/i", 1},
    {"a.func !~ /bar/", 1},
    {"a.func !~ /o/", 0},
    {"a.file ~ /^mm\\/filemap\\.c$/", 1},
    {"report.title ~ /foo \\/ bar/", 1},
    {"bytes ~ /^\\xff\\xfe\\x80/", 1},
    {"bytes ~ /not utf-8$/", 1},
    /* ~ and !~ on lists: any element / no element */
    {"a.frames.func ~ /^f2$/", 1},
    {"a.frames.func !~ /^f2$/", 0},
    {"a.frames.func !~ /^zz$/", 1},
    {"b.frames.func ~ /copy_page/", 1},
    /* slices */
    {"a.frames.func[0:2] ~ /^f2$/", 0},
    {"a.frames.func[2:] ~ /^f2$/", 1},
    {"a.frames.func[2:3] ~ /^f2$/", 1},
    {"a.frames.func[:1] ~ /^f0$/", 1},
    {"a.frames.func[:1] ~ /^f1$/", 0},
    {"a.frames.func[ 1 : 2 ] ~ /^f1$/", 1},
    {"a.frames.func[:] ~ /^f3$/", 1},
    {"a.frames.func[10:20] ~ /./", 0},
    {"a.frames.func[10:20] !~ /./", 1},
    {"a.frames.func[10:]", 0},
    {"not a.frames.func[10:]", 1},
    {"a.frames.func[3:4]", 1},
    {"a.frames.func[2:2]", 0},
    {"a.func[0:1]", 0}, /* slice of a non-list: wrong type */
    {"a.func[0:1] ~ /foo/", 0},
    /* == and != */
    {"a.size == 4", 1},
    {"a.size != 4", 0},
    {"a.size == 0x4", 1},
    {"b.size != 4", 1},
    {"value.step == -1", 1},
    {"value.step == 0xffffffffffffffff", 1},
    {"a.addr == 0xffffffff81000000", 1},
    {"a.addr == -2130706432", 1}, /* the same bits */
    {"a.addr == 0x81000000", 0},
    {"a.func == foo", 1},
    {"a.func == \"foo\"", 1},
    {"a.func != \"bar\"", 1},
    {"a.func != foo", 0},
    {"report.kind == data-race", 1},
    {"a.file == \"mm/filemap.c\"", 1},
    {"a.file == mm.filemap.c", 0},
    {"b.func == \"x.bar\"", 0},
    /* fact against fact: both present, same type */
    {"a.func == b.func", 0},
    {"a.func != b.func", 1},
    {"a.func == a.func", 1},
    {"a.size < b.size", 1},
    {"a.size >= b.size", 0},
    {"b.size > a.size", 1},
    {"a.size <= a.size", 1},
    {"a.write != b.write", 1},
    {"a.write == b.write", 0},
    {"a.write < b.write", 0}, /* no order on bools */
    {"a.func < b.func", 0},   /* nor on strings */
    {"a.size == a.func", 0},  /* different types */
    {"a.size != a.func", 0},
    {"a.size != b.nosuch", 0}, /* absent on the right */
    {"a.nosuch != b.size", 0}, /* absent on the left */
    {"a.frames.func == b.frames.func", 0},
    {"both.size <= b.size", 1},
    {"both.size < b.size", 0},
    {"either.size < b.size", 1},
    {"report.title == \"data race in foo / bar\"", 1},
    {"b.write == true", 1},
    {"b.write == false", 0},
    {"a.write != true", 1},
    /* wrong types: false, with == and with != */
    {"b.write == 1", 0},
    {"b.write != 1", 0},
    {"a.size == \"4\"", 0},
    {"a.size != \"4\"", 0},
    {"a.func == 4", 0},
    {"a.frames.func == f0", 0},
    {"a.frames.func != f0", 0},
    {"a.func < 5", 0},
    {"b.write > 0", 0},
    /* < <= > >= */
    {"a.size < 8", 1},
    {"a.size < 4", 0},
    {"a.size <= 4", 1},
    {"a.size > 4", 0},
    {"a.size >= 4", 1},
    {"b.size > 4", 1},
    {"value.step < 0", 1},
    {"value.step >= -1", 1},
    {"a.addr < 0", 1},
    /* & !& : the bitwise AND is non-zero / zero */
    {"value.diff & 0x100", 1},
    {"value.diff & 0x80000", 0},
    {"value.diff !& 0x80000", 1},
    {"value.diff !& 0x100", 0},
    {"value.diff & 0", 0},
    {"value.diff !& 0", 1},
    {"a.addr & 0x8000000000000000", 1}, /* hex is a 64-bit pattern */
    {"a.addr !& 0xffffff", 1},
    {"value.step & -1", 1},
    {"a.size & 4", 1},
    {"a.size & 3", 0},
    {"value.diff & a.mask", 0}, /* a fact as the value */
    {"value.diff !& a.mask", 1},
    {"value.diff & b.mask", 1},
    {"value.diff !& b.mask", 0},
    {"a.size & b.size", 0},
    {"both.size !& 3", 1},
    {"either.size & 8", 1},
    {"both.size & 8", 0},
    /* absent or wrong-typed: false for & and for !& */
    {"a.nosuch & 1", 0},
    {"a.nosuch !& 1", 0},
    {"value.diff & a.nosuch", 0},
    {"value.diff !& a.nosuch", 0},
    {"b.write & 1", 0},
    {"b.write !& 1", 0},
    {"a.func & 1", 0},
    {"a.func !& 1", 0},
    {"a.frames.func !& 1", 0},
    {"a.write !& b.write", 0}, /* bools: no bit test */
    {"a.func !& b.func", 0},
    {"value.diff !& a.func", 0}, /* different types */
    /* either / both: per side, then or / and */
    {"either.write", 1},
    {"both.write", 0},
    {"not either.write", 1},
    {"not both.write", 0},
    {"both.size >= 4", 1},
    {"either.size > 4", 1},
    {"both.size > 4", 0},
    {"either.marked", 1},
    {"both.marked", 0},
    {"not both.marked", 0}, /* b.marked absent */
    {"either.func == bar", 1},
    {"both.func != baz", 1},
    {"either.frames.func[1:2] ~ /^copy_/", 1},
    {"both.frames.func ~ /0$/", 1},
    /* || */
    {"a.write || b.write", 1},
    {"a.write || b.marked", 0},
    {"b.marked || a.marked", 1},
    {"a.size == 1 || a.size == 2 || a.size == 4", 1},
    /* a. and b. without x/y */
    {"a.func == foo", 1},
    {"b.func == foo", 0},
};

static void test_operators(void)
{
	struct kt_facts *f = sample_facts();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = when(f, cases[i].cond);
		kt_test_checks++;
		if (got != cases[i].want) {
			kt_test_failures++;
			fprintf(stderr, "condition '%s': got %d, expected %d\n", cases[i].cond, got,
				cases[i].want);
		}
	}
	kt_facts_free(f);
}

/* when lines are joined by "and"; unless passes when its condition is false
 * (absent included). */
static void test_when_unless(void)
{
	struct kt_facts *f = sample_facts();

	CHECK_INT(eval_rule(f, "when = b.write\nwhen = a.size == 4", NULL, 0), 1);
	CHECK_INT(eval_rule(f, "when = b.write\nwhen = a.size == 8", NULL, 0), 0);
	CHECK_INT(eval_rule(f, "when = b.write\nunless = a.marked", NULL, 0), 0);
	CHECK_INT(eval_rule(f, "when = b.write\nunless = b.marked", NULL, 0), 1);
	CHECK_INT(eval_rule(f, "when = b.write\nunless = not b.marked", NULL, 0), 1);
	CHECK_INT(eval_rule(f, "when = b.write\nunless = either.marked", NULL, 0), 0);
	CHECK_INT(eval_rule(f, "when = b.write\nunless = both.marked", NULL, 0), 1);
	CHECK_INT(eval_rule(f, "unless = both.marked\nwhen = b.write", NULL, 0), 1);
	/* A bit test on an absent fact is false, so as an unless it passes. */
	CHECK_INT(eval_rule(f, "when = b.write\nunless = value.diff & a.nosuch", NULL, 0), 1);
	CHECK_INT(eval_rule(f, "when = b.write\nunless = value.diff & b.mask", NULL, 0), 0);
	kt_facts_free(f);
}

static void test_xy_binding(void)
{
	struct kt_facts *f = sample_facts();
	char b[32];

	/* Only x=a,y=b satisfies. */
	b[0] = 0;
	CHECK_INT(eval_rule(f, "when = x.func == foo", b, sizeof(b)), 1);
	CHECK_STR(b, "x=a,y=b");
	/* Only x=b,y=a satisfies. */
	b[0] = 0;
	CHECK_INT(eval_rule(f, "when = x.write\nwhen = not y.write", b, sizeof(b)), 1);
	CHECK_STR(b, "x=b,y=a");
	/* Both satisfy: the first binding wins. */
	b[0] = 0;
	CHECK_INT(eval_rule(f, "when = x.size >= 4\nwhen = y.size >= 4", b, sizeof(b)), 1);
	CHECK_STR(b, "x=a,y=b");
	/* The unless line decides the binding. */
	b[0] = 0;
	CHECK_INT(eval_rule(f, "when = x.size >= 4\nunless = x.size == 4", b, sizeof(b)), 1);
	CHECK_STR(b, "x=b,y=a");
	/* One binding must satisfy every line: x.write holds only for x=b, and
	 * x.func == foo only for x=a. */
	CHECK_INT(eval_rule(f, "when = x.write\nwhen = x.func == foo", NULL, 0), 0);
	/* Neither binding. */
	CHECK_INT(eval_rule(f, "when = x.marked\nwhen = y.marked", NULL, 0), 0);
	/* No side variable: empty binding. */
	b[0] = 'z';
	b[1] = 0;
	CHECK_INT(eval_rule(f, "when = a.func == foo", b, sizeof(b)), 1);
	CHECK_STR(b, "");
	b[0] = 0;
	CHECK_INT(eval_rule(f, "when = y.frames.func[1:] ~ /^copy_page_to_iter$/", b, sizeof(b)),
		  1);
	CHECK_STR(b, "x=a,y=b");
	/* A bit test against an x. fact: only x=a has a mask disjoint from the
	 * changed bits, only x=b has one that overlaps them. */
	b[0] = 0;
	CHECK_INT(eval_rule(f, "when = value.diff !& x.mask", b, sizeof(b)), 1);
	CHECK_STR(b, "x=a,y=b");
	b[0] = 0;
	CHECK_INT(eval_rule(f, "when = value.diff & x.mask", b, sizeof(b)), 1);
	CHECK_STR(b, "x=b,y=a");
	kt_facts_free(f);
}

/* Load one rule with the given explain/action and a condition; return the
 * expanded explanation (caller frees) and the action in *action. */
static char *expand(const struct kt_facts *f, const char *cond, const char *explain, char **action)
{
	char text[2048];
	struct kt_ruleset *rs = kt_ruleset_new();
	struct kt_rule_result res;
	struct kt_error *err;
	char *out = NULL;

	snprintf(text, sizeof(text),
		 "[t]\nverdict = benign\nconfidence = high\npriority = 1\nwhen = %s\n"
		 "explain = %s\naction = see {a.func|nothing}\n",
		 cond, explain);
	err = kt_ruleset_load_string(rs, text, "t.rules");
	CHECK(err == NULL);
	if (err) {
		char *e = kt_error_format(err);
		fprintf(stderr, "%s\n", e);
		free(e);
		kt_error_free(err);
	} else if (!(err = kt_ruleset_eval(rs, f, &res))) {
		out = res.explanation ? strdup(res.explanation) : NULL;
		if (action)
			*action = res.action ? strdup(res.action) : NULL;
		kt_rule_result_fini(&res);
	}
	kt_error_free(err);
	kt_ruleset_free(rs);
	return out;
}

static void test_templates(void)
{
	struct kt_facts *f = sample_facts();
	char *s, *act = NULL;

	s = expand(f, "a.write || b.write", "{a.func} and {b.func}", &act);
	CHECK_STR(s, "foo and bar");
	CHECK_STR(act, "see foo");
	free(s);
	free(act);
	/* The winning binding is used: here x=b. */
	s = expand(f, "x.write", "{x.func} writes while {y.func} reads; {a.func} is a", NULL);
	CHECK_STR(s, "bar writes while foo reads; foo is a");
	free(s);
	s = expand(f, "x.func == foo", "{x.func}/{y.func}", NULL);
	CHECK_STR(s, "foo/bar");
	free(s);
	s = expand(f, "b.write", "{nosuch.fact|n/a} [{x.marked|}] {nosuch.fact}", NULL);
	CHECK_STR(s, "n/a [true] (nosuch.fact unknown)");
	free(s);
	s = expand(f, "b.write", "{y.marked|not known}", NULL);
	CHECK_STR(s, "not known");
	free(s);
	s = expand(f, "b.write", "{a.frames.func} | {a.frames.func[1:3]} | {a.frames.func[9:]}",
		   NULL);
	CHECK_STR(s, "f0, f1, f2, f3 | f1, f2 | ");
	free(s);
	s = expand(f, "b.write", "{a.size} {b.write} {a.write} {value.step} {empty}.", NULL);
	CHECK_STR(s, "4 true false -1 .");
	free(s);
	s = expand(f, "b.write", "{{literal}} and }}{{ {a.func|x|y}", NULL);
	CHECK_STR(s, "{literal} and }{ foo");
	free(s);
	s = expand(f, "b.write", "{a.func[0:1]|not a list}", NULL);
	CHECK_STR(s, "not a list");
	free(s);
	/* Wrapped explanations are joined with one space. */
	s = expand(f, "b.write", "first\n   second\n\tthird", NULL);
	CHECK_STR(s, "first second third");
	free(s);
	kt_facts_free(f);
}

static void test_facts_used(void)
{
	struct kt_facts *f = sample_facts();
	struct kt_ruleset *rs = kt_ruleset_new();
	struct kt_rule_result res;
	struct kt_error *err = kt_ruleset_load_string(
	    rs,
	    "[u]\nverdict = benign\nconfidence = high\npriority = 1\n"
	    "when = x.write || report.kind == foo\nwhen = y.frames.func[0:2] ~ /f/\n"
	    "unless = either.marked == false\nunless = missing x.write\n"
	    "explain = {x.size}\naction = a\n",
	    "u.rules");

	CHECK(err == NULL);
	kt_error_free(err);
	err = kt_ruleset_eval(rs, f, &res);
	CHECK(err == NULL);
	CHECK_INT(res.nmatches, 1);
	if (res.nmatches == 1) {
		const struct kt_rule_match *m = &res.matches[0];
		CHECK_STR(m->binding, "x=b,y=a");
		CHECK_INT(m->nfacts_used, 5);
		if (m->nfacts_used == 5) {
			CHECK_STR(m->facts_used[0], "b.write");
			CHECK_STR(m->facts_used[1], "report.kind");
			CHECK_STR(m->facts_used[2], "a.frames.func");
			CHECK_STR(m->facts_used[3], "a.marked");
			CHECK_STR(m->facts_used[4], "b.marked");
		}
		CHECK_STR(res.explanation, "8");
	}
	kt_rule_result_fini(&res);
	kt_ruleset_free(rs);
	kt_facts_free(f);
}

/* A pathological pattern against a long string finishes, counts as no
 * match (for ~ and for !~), and the selection says so. */
static void test_catastrophic_regex(void)
{
	struct kt_facts *f = kt_facts_new();
	struct kt_ruleset *rs = kt_ruleset_new();
	struct kt_rule_result res;
	struct kt_error *err;
	char *s = malloc(20002);

	memset(s, 'a', 20000);
	s[20000] = 'X';
	s[20001] = 0;
	kt_facts_set_str(f, "a.func", s, KT_ORIGIN_REPORT);
	kt_facts_add_str(f, "a.frames.func", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaX",
			 KT_ORIGIN_REPORT);
	kt_facts_add_str(f, "a.frames.func", "b", KT_ORIGIN_REPORT);
	free(s);
	err = kt_ruleset_load_string(
	    rs,
	    "[slow]\nverdict = harmful\nconfidence = high\npriority = 9\n"
	    "when = a.func ~ /^(a+)+$/\nexplain = e\naction = a\n\n"
	    "[slow-neg]\nverdict = harmful\nconfidence = high\npriority = 8\n"
	    "when = a.func !~ /^(a|aa)+$/\nexplain = e\naction = a\n\n"
	    "[slow-list]\nverdict = harmful\nconfidence = high\npriority = 7\n"
	    "when = a.frames.func !~ /^(a|a?)+$/\nexplain = e\naction = a\n\n"
	    "[list-any]\nverdict = benign\nconfidence = high\npriority = 1\n"
	    "when = a.frames.func ~ /^(a+)+$|^b$/\nexplain = e\naction = a\n",
	    "slow.rules");
	CHECK(err == NULL);
	kt_error_free(err);
	err = kt_ruleset_eval(rs, f, &res);
	CHECK(err == NULL);
	/* Only list-any matches, through its second element. */
	CHECK_INT(res.nmatches, 1);
	CHECK_STR(res.rule_id, "list-any");
	CHECK(res.selection && strstr(res.selection, "rule slow hit the match limit"));
	kt_rule_result_fini(&res);
	kt_ruleset_free(rs);
	kt_facts_free(f);
}

int main(void)
{
	test_operators();
	test_when_unless();
	test_xy_binding();
	test_templates();
	test_facts_used();
	test_catastrophic_regex();
	return kt_test_done("test_rules_eval");
}
