// SPDX-License-Identifier: Apache-2.0
/*
 * The rules on fact cases written as data (testdata/facts, format in its
 * README.md): each NAME.facts file gives the facts the stages would write and
 * the verdict and rule the shipped rules must give, as smatch's validation
 * files carry their expected output. Facts are typed by the fact catalogue
 * (rules/facts.tbl), which also says which stage writes each one.
 *
 * For every case two things are checked:
 *  - with only the facts the report stage writes, no full-mode rule (the
 *    rules/ files named *-full-*.rules) matches: a rule whose facts are
 *    absent never matches;
 *  - with all its facts, evaluated with the whole shipped rule set, the
 *    case's expectations hold, so priorities against the other rules are
 *    tested too.
 *
 * usage: test_fact_cases [--must-fail] [FILE|DIR...]
 * Without a file, every case of testdata/facts/full and testdata/facts/report.
 * --must-fail inverts the verdict: each file must read cleanly and fail at
 * least one expectation (how the runner itself is tested).
 */
#include <dirent.h>
#include <errno.h>

#include "harness.h"
#include "kcsan/catalogue.h"
#include "kcsan/rules.h"
#include "kcsan/strbuf.h"
#include "kcsan/table.h"

#define MAXLIST 8

struct fcase {
	const char *path;
	const struct kt_catalogue *cat;
	struct kt_facts *facts;
	char *rule, *verdict, *confidence, *not_verdict, *lean;
	char *not_rule[MAXLIST], *unmatched[MAXLIST];
	size_t nnot_rule, nunmatched;
};

static void fcase_fini(struct fcase *c)
{
	kt_facts_free(c->facts);
	free(c->rule);
	free(c->verdict);
	free(c->confidence);
	free(c->lean);
	free(c->not_verdict);
	for (size_t i = 0; i < c->nnot_rule; i++)
		free(c->not_rule[i]);
	for (size_t i = 0; i < c->nunmatched; i++)
		free(c->unmatched[i]);
}

/* The stage a fact is written by (the first of the catalogue's). */
static enum kt_fact_origin origin_of(const struct kt_fact_def *d)
{
	if (d->stages & KT_ORIGIN_REPORT)
		return KT_ORIGIN_REPORT;
	return d->stages & KT_ORIGIN_VMLINUX ? KT_ORIGIN_VMLINUX : KT_ORIGIN_SOURCE;
}

/* Decimal with an optional '-', or 0x and up to 16 hex digits (a 64-bit
 * pattern, as rules write addresses). */
static bool parse_int(const char *s, int64_t *out)
{
	char *end;

	errno = 0;
	if (s[0] == '0' && s[1] == 'x') {
		if (!s[2] || strlen(s + 2) > 16 ||
		    strspn(s + 2, "0123456789abcdefABCDEF") != strlen(s + 2))
			return false;
		*out = (int64_t)strtoull(s + 2, &end, 16);
		return true;
	}
	*out = strtoll(s, &end, 10);
	return !errno && end != s && !*end && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9'));
}

/* fact NAME VALUE...: typed by the catalogue; a list's lines append. */
static struct kt_error *fact_line(struct fcase *c, const struct kt_table_line *l)
{
	const char *name = l->f[1];
	const struct kt_fact_def *d;
	enum kt_fact_origin o;
	int64_t i;

	if (l->n < 3)
		return kt_table_bad(l, "fact lines are: fact NAME VALUE...");
	if (!(d = kt_catalogue_find(c->cat, name)))
		return kt_table_bad(l, "unknown fact '%s' (not in %s)", name,
				    kt_catalogue_path(c->cat));
	o = origin_of(d);
	if (d->type != KT_FACT_STRLIST && kt_facts_get(c->facts, name))
		return kt_table_bad(l, "fact '%s' given twice", name);
	if (d->type != KT_FACT_STRLIST && l->n != 3)
		return kt_table_bad(l, "a %s fact takes one value (quote text with spaces)",
				    kt_catalogue_type_name(d->type));
	switch (d->type) {
	case KT_FACT_BOOL:
		if (strcmp(l->f[2], "true") != 0 && strcmp(l->f[2], "false") != 0)
			return kt_table_bad(l, "'%s' is not true or false", l->f[2]);
		kt_facts_set_bool(c->facts, name, l->f[2][0] == 't', o);
		break;
	case KT_FACT_INT:
		if (!parse_int(l->f[2], &i))
			return kt_table_bad(l, "'%s' is not an integer", l->f[2]);
		kt_facts_set_int(c->facts, name, i, o);
		break;
	case KT_FACT_STR:
		kt_facts_set_str(c->facts, name, l->f[2], o);
		break;
	case KT_FACT_STRLIST:
		for (size_t k = 2; k < l->n; k++)
			kt_facts_add_str(c->facts, name, l->f[k], o);
		break;
	}
	return NULL;
}

static bool one_of(const char *s, const char *a, const char *b, const char *c)
{
	return strcmp(s, a) == 0 || strcmp(s, b) == 0 || strcmp(s, c) == 0;
}

/* expect KEY VALUE */
static struct kt_error *expect_line(struct fcase *c, const struct kt_table_line *l)
{
	const char *key = l->f[1], *v = l->f[2];
	char **one = NULL;

	if (l->n != 3)
		return kt_table_bad(l, "expect lines are: expect KEY VALUE");
	if (strcmp(key, "rule") == 0) {
		one = &c->rule;
	} else if (strcmp(key, "verdict") == 0 || strcmp(key, "not-verdict") == 0) {
		if (!one_of(v, "benign", "harmful", "unknown"))
			return kt_table_bad(l, "'%s' is not benign, harmful or unknown", v);
		one = key[0] == 'v' ? &c->verdict : &c->not_verdict;
	} else if (strcmp(key, "lean") == 0) {
		if (!one_of(v, "benign", "harmful", "none"))
			return kt_table_bad(l, "'%s' is not benign, harmful or none", v);
		one = &c->lean;
	} else if (strcmp(key, "confidence") == 0) {
		if (!one_of(v, "high", "medium", "low"))
			return kt_table_bad(l, "'%s' is not high, medium or low", v);
		one = &c->confidence;
	} else if (strcmp(key, "not-rule") == 0 && c->nnot_rule < MAXLIST) {
		c->not_rule[c->nnot_rule++] = kt_xstrdup(v);
		return NULL;
	} else if (strcmp(key, "unmatched") == 0 && c->nunmatched < MAXLIST) {
		c->unmatched[c->nunmatched++] = kt_xstrdup(v);
		return NULL;
	} else {
		return kt_table_bad(l,
				    "unknown expectation '%s' (rule, verdict, confidence, lean, "
				    "not-rule, unmatched, not-verdict)",
				    key);
	}
	if (*one)
		return kt_table_bad(l, "'expect %s' given twice", key);
	*one = kt_xstrdup(v);
	return NULL;
}

static struct kt_error *case_line(void *ctx, const struct kt_table_line *l)
{
	if (strcmp(l->f[0], "fact") == 0)
		return fact_line(ctx, l);
	if (strcmp(l->f[0], "expect") == 0)
		return expect_line(ctx, l);
	return kt_table_bad(l, "lines are 'fact NAME VALUE...' or 'expect KEY VALUE'");
}

/* Reads a case; false after printing every problem of the file. */
static bool read_case(const char *path, const struct kt_catalogue *cat, struct fcase *c)
{
	struct kt_error *err;

	memset(c, 0, sizeof(*c));
	c->path = path;
	c->cat = cat;
	c->facts = kt_facts_new();
	kt_facts_check(c->facts, cat);
	err = kt_table_read(path, case_line, c);
	if (!err && !c->rule && !c->verdict && !c->confidence && !c->lean && !c->not_verdict &&
	    !c->nnot_rule &&
	    !c->nunmatched)
		err = kt_error_new(KT_ERR_PARSE, path, 0, "the case expects nothing");
	for (const struct kt_error *e = err; e; e = e->next) {
		char *m = kt_error_format(e);

		fprintf(stderr, "%s\n", m);
		free(m);
	}
	kt_error_free(err);
	return err == NULL;
}

/* The case's facts a report alone gives. */
static struct kt_facts *report_only(const struct kt_facts *f)
{
	struct kt_facts *r = kt_facts_new();

	for (size_t i = 0; i < kt_facts_count(f); i++) {
		const struct kt_fact *x = kt_facts_at(f, i);

		if (!x || x->origin != KT_ORIGIN_REPORT)
			continue;
		if (x->type == KT_FACT_BOOL)
			kt_facts_set_bool(r, x->name, x->b, x->origin);
		else if (x->type == KT_FACT_INT)
			kt_facts_set_int(r, x->name, x->i, x->origin);
		else if (x->type == KT_FACT_STR)
			kt_facts_set_str(r, x->name, x->s, x->origin);
		else
			for (size_t k = 0; k < x->nlist; k++)
				kt_facts_add_str(r, x->name, x->list[k], x->origin);
	}
	return r;
}

/* One expectation; false (and why, on stderr) when it does not hold. */
static bool expect(const struct fcase *c, bool ok, const char *what, const char *want,
		   const char *got, const struct kt_rule_result *res)
{
	kt_test_checks++;
	if (!ok)
		fprintf(stderr, "%s: %s: expected %s, got %s (%s)\n", c->path, what, want, got,
			res->selection ? res->selection : "");
	return ok;
}

/* The number of failed checks of one case. */
static int run_case(const struct fcase *c, const struct kt_ruleset *all,
		    const struct kt_ruleset *full)
{
	struct kt_facts *ro = report_only(c->facts);
	struct kt_rule_result res, rres;
	struct kt_error *err;
	const char *rule, *verdict, *conf;
	int bad = 0;

	err = kt_ruleset_eval(full, ro, &rres);
	CHECK(err == NULL);
	kt_error_free(err);
	bad += !expect(c, rres.nmatches == 0, "with the report's facts alone", "no full-mode rule",
		       rres.nmatches ? rres.matches[0].id : "-", &rres);
	kt_rule_result_fini(&rres);
	kt_facts_free(ro);

	err = kt_ruleset_eval(all, c->facts, &res);
	CHECK(err == NULL);
	kt_error_free(err);
	rule = res.rule_id ? res.rule_id : "-";
	verdict = kt_verdict_name(res.verdict);
	conf = kt_confidence_name(res.confidence);
	if (c->rule)
		bad += !expect(c, strcmp(rule, c->rule) == 0, "rule", c->rule, rule, &res);
	if (c->verdict)
		bad += !expect(c, strcmp(verdict, c->verdict) == 0, "verdict", c->verdict, verdict,
			       &res);
	if (c->confidence)
		bad += !expect(c, strcmp(conf, c->confidence) == 0, "confidence", c->confidence,
			       conf, &res);
	if (c->lean) {
		const char *lean = kt_lean_name(&res);

		bad += !expect(c, strcmp(lean, c->lean) == 0, "lean", c->lean, lean, &res);
	}
	if (c->not_verdict)
		bad += !expect(c, strcmp(verdict, c->not_verdict) != 0, "verdict",
			       "anything but that", verdict, &res);
	for (size_t i = 0; i < c->nnot_rule; i++)
		bad += !expect(c, strcmp(rule, c->not_rule[i]) != 0, "winner", "anything but that",
			       rule, &res);
	for (size_t i = 0; i < c->nunmatched; i++) {
		bool matched = false;

		for (size_t m = 0; m < res.nmatches; m++)
			matched |= strcmp(res.matches[m].id, c->unmatched[i]) == 0;
		bad += !expect(c, !matched, c->unmatched[i], "no match", "a match", &res);
	}
	kt_rule_result_fini(&res);
	return bad;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* path, or the .facts files of the directory path, in name order. */
static size_t list_files(const char *path, bool facts_only, char ***out)
{
	DIR *d = opendir(path);
	struct dirent *de;
	size_t n = 0;

	*out = NULL;
	if (!d) {
		*out = kt_xcalloc(1, sizeof(char *));
		(*out)[0] = kt_xstrdup(path);
		return 1;
	}
	while ((de = readdir(d))) {
		struct kt_strbuf sb;

		if (de->d_name[0] == '.' || (facts_only && !kt_str_endswith(de->d_name, ".facts")))
			continue;
		*out = kt_xrealloc(*out, (n + 1) * sizeof(char *));
		kt_strbuf_init(&sb);
		kt_strbuf_addf(&sb, "%s/%s", path, de->d_name);
		(*out)[n++] = kt_strbuf_detach(&sb);
	}
	closedir(d);
	qsort(*out, n, sizeof(char *), cmp_str);
	return n;
}

/* The shipped rules (all), and those of the full-mode files. */
static bool load_rules(struct kt_ruleset *all, struct kt_ruleset *full)
{
	struct kt_error *err = kt_ruleset_load_dir(all, KT_SOURCE_RULES_DIR);
	char **files;
	size_t n = list_files(KT_SOURCE_RULES_DIR, false, &files), nfull = 0;

	for (size_t i = 0; i < n; i++) {
		if (!err && strstr(files[i], "-full-") && kt_str_endswith(files[i], ".rules")) {
			err = kt_ruleset_load_file(full, files[i]);
			nfull++;
		}
		free(files[i]);
	}
	free(files);
	if (!err && nfull == 0)
		err = kt_error_new(KT_ERR_IO, KT_SOURCE_RULES_DIR, 0, "no *-full-*.rules file");
	if (err) {
		char *m = kt_error_format(err);

		fprintf(stderr, "%s\n", m);
		free(m);
		kt_error_free(err);
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	bool must_fail = argc > 1 && strcmp(argv[1], "--must-fail") == 0;
	struct kt_ruleset *all = kt_ruleset_new(), *full = kt_ruleset_new();
	struct kt_catalogue *cat = NULL;
	struct kt_error *err = kt_catalogue_load(KT_SOURCE_RULES_DIR "/facts.tbl", &cat);
	size_t ncases = 0;

	CHECK(err == NULL && load_rules(all, full));
	kt_error_free(err);
	static const char *const dirs[] = {KT_TESTDATA "/facts/full", KT_TESTDATA "/facts/report"};
	int first = 1 + must_fail;
	int nargs = argc > first ? argc - first : 2;

	for (int a = 0; cat && a < nargs; a++) {
		char **files;
		size_t n = list_files(argc > first ? argv[first + a] : dirs[a], true, &files);

		for (size_t i = 0; i < n; i++) {
			struct fcase c;
			bool read = read_case(files[i], cat, &c);
			int bad = read ? run_case(&c, all, full) : 1;

			ncases++;
			if (must_fail) {
				/* the runner saw the changed expectation */
				kt_test_checks++;
				if (!read || bad == 0) {
					kt_test_failures++;
					fprintf(stderr, "%s: %s\n", files[i],
						read ? "every expectation held" : "unreadable");
				} else {
					printf("%s: failed as it must\n", files[i]);
				}
			} else {
				kt_test_failures += bad;
			}
			fcase_fini(&c);
			free(files[i]);
		}
		free(files);
	}
	kt_test_checks++;
	if (ncases == 0) {
		fprintf(stderr, "no fact cases found\n");
		kt_test_failures++;
	}
	kt_catalogue_free(cat);
	kt_ruleset_free(all);
	kt_ruleset_free(full);
	return kt_test_done("test_fact_cases");
}
