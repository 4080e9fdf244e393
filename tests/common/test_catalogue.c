// SPDX-License-Identifier: Apache-2.0
/*
 * The fact catalogue: rules/facts.tbl reads, bad lines are refused with
 * file:line, a fact table in check mode refuses unlisted writes, and a rule
 * set with the catalogue refuses rules naming unlisted facts.
 */
#include "harness.h"
#include "kcsan/catalogue.h"
#include "kcsan/rules.h"
#include "kcsan/strbuf.h"

static const char small[] = "# test\n"
			    "func      access         string  report         \"function\"\n"
			    "obj.kind  access,report  string  binary         \"kind\"\n"
			    "note      report         list    source         \"notes\"\n"
			    "object    report         string  binary,source  \"object\"\n";

static struct kt_catalogue *parse_ok(const char *text)
{
	struct kt_catalogue *c = NULL;
	struct kt_error *err = kt_catalogue_parse("f.tbl", text, strlen(text), &c);

	CHECK(err == NULL && c != NULL);
	kt_error_free(err);
	return c;
}

static void shipped(void)
{
	struct kt_catalogue *c = NULL;
	struct kt_error *err = kt_catalogue_load(KT_SOURCE_RULES_DIR "/facts.tbl", &c);
	const struct kt_fact_def *d;

	CHECK(err == NULL && c != NULL);
	kt_error_free(err);
	if (!c)
		return;
	CHECK(kt_catalogue_count(c) > 80);
	d = kt_catalogue_find(c, "a.expr.text");
	CHECK(d && d->type == KT_FACT_STR && d->stages == KT_ORIGIN_SOURCE);
	d = kt_catalogue_find(c, "b.frames.func");
	CHECK(d && d->type == KT_FACT_STRLIST &&
	      d->stages == (KT_ORIGIN_REPORT | KT_ORIGIN_VMLINUX));
	CHECK(kt_catalogue_find(c, "value.old") != NULL);
	/* scopes: a per-access fact is not a report-level one, and back */
	CHECK(kt_catalogue_find(c, "expr.text") == NULL);
	CHECK(kt_catalogue_find(c, "a.value.old") == NULL);
	CHECK(kt_catalogue_find(c, "obj.kind") && kt_catalogue_find(c, "b.obj.kind"));
	/* every entry says what it means */
	for (size_t i = 0; i < kt_catalogue_count(c); i++)
		CHECK(kt_catalogue_at(c, i)->meaning[0] != '\0');
	kt_catalogue_free(c);
}

static void bad_lines(void)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
	    {"func access string report\n", "f.tbl:1: fact lines are"},
	    {"x access string report \"m\"\nfunc accss string report \"m\"\n",
	     "f.tbl:2: bad scope 'accss'"},
	    {"func access text report \"m\"\n", "f.tbl:1: bad type 'text'"},
	    {"func access string vmlinux \"m\"\n", "f.tbl:1: bad stages 'vmlinux'"},
	    {"func access string report,report \"m\"\n", "f.tbl:1: bad stages"},
	    {"func access string report \"\"\n", "f.tbl:1: the meaning is empty"},
	    {"a.func access string report \"m\"\n", "f.tbl:1: bad fact name 'a.func'"},
	    {"Func access string report \"m\"\n", "f.tbl:1: bad fact name"},
	    {"obj..kind access string report \"m\"\n", "f.tbl:1: bad fact name"},
	    {"func access string report \"m\"\n\nfunc report int report \"n\"\n",
	     "f.tbl:3: fact 'func' is already listed at line 1"},
	    {"# nothing\n", "f.tbl: the catalogue lists no fact"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kt_catalogue *c = NULL;
		struct kt_error *err =
		    kt_catalogue_parse("f.tbl", cases[i].text, strlen(cases[i].text), &c);
		char *m = err ? kt_error_format(err) : NULL;

		CHECK(err != NULL && c == NULL);
		if (!m || !strstr(m, cases[i].want)) {
			kt_test_failures++;
			fprintf(stderr, "catalogue case %zu: expected '%s', got '%s'\n", i,
				cases[i].want, m ? m : "(no error)");
		}
		free(m);
		kt_error_free(err);
	}
}

static void check_mode(void)
{
	struct kt_catalogue *c = parse_ok(small);
	struct kt_facts *f = kt_facts_new();

	if (!c)
		return;
	/* without check mode anything is written */
	kt_facts_set_int(f, "a.whatever", 1, KT_ORIGIN_SOURCE);
	CHECK(kt_facts_get(f, "a.whatever") != NULL && kt_facts_refused(f) == NULL);
	kt_facts_check(f, c);
	kt_facts_set_str(f, "a.func", "foo", KT_ORIGIN_REPORT);
	kt_facts_set_str(f, "obj.kind", "heap", KT_ORIGIN_VMLINUX);
	kt_facts_set_str(f, "b.obj.kind", "heap", KT_ORIGIN_VMLINUX);
	kt_facts_add_str(f, "note", "n", KT_ORIGIN_SOURCE);
	kt_facts_set_str(f, "object", "x", KT_ORIGIN_SOURCE);
	CHECK(kt_facts_refused(f) == NULL);
	CHECK_INT(kt_facts_count(f), 6);

	/* an unlisted name is refused and named */
	kt_facts_set_bool(f, "a.expr.nonsense", true, KT_ORIGIN_SOURCE);
	CHECK(kt_facts_get(f, "a.expr.nonsense") == NULL);
	CHECK_STR(kt_facts_refused(f),
		  "the source stage wrote the bool fact 'a.expr.nonsense', which f.tbl does "
		  "not list");
	kt_facts_free(f);

	/* a report-level write of a per-access fact */
	f = kt_facts_new();
	kt_facts_check(f, c);
	kt_facts_set_str(f, "func", "foo", KT_ORIGIN_REPORT);
	CHECK(kt_facts_get(f, "func") == NULL && kt_facts_refused(f) != NULL);
	kt_facts_free(f);

	/* another type than the catalogue's */
	f = kt_facts_new();
	kt_facts_check(f, c);
	kt_facts_set_int(f, "a.func", 3, KT_ORIGIN_REPORT);
	CHECK_STR(kt_facts_refused(f), "the report stage wrote the int fact 'a.func', which "
				       "f.tbl:2 lists as string");
	kt_facts_free(f);

	/* a stage the catalogue does not say writes it */
	f = kt_facts_new();
	kt_facts_check(f, c);
	kt_facts_add_str(f, "note", "n", KT_ORIGIN_VMLINUX);
	CHECK_STR(kt_facts_refused(f), "the binary stage wrote the list fact 'note', which "
				       "f.tbl:4 does not list for that stage");
	kt_facts_free(f);
	kt_catalogue_free(c);
}

/* A one-rule file whose `when` is cond and `explain` is expl. */
static struct kt_error *load_rule(const struct kt_catalogue *c, const char *cond, const char *expl)
{
	struct kt_ruleset *rs = kt_ruleset_new();
	struct kt_strbuf sb;
	struct kt_error *err;

	kt_strbuf_init(&sb);
	kt_strbuf_addf(&sb,
		       "[r]\nverdict = benign\nconfidence = low\npriority = 1\nwhen = %s\n"
		       "explain = %s\naction = none\n",
		       cond, expl);
	kt_ruleset_require_facts(rs, c);
	err = kt_ruleset_load_string(rs, sb.buf, "t.rules");
	kt_strbuf_fini(&sb);
	kt_ruleset_free(rs);
	return err;
}

static void rules(void)
{
	static const struct {
		const char *cond, *expl, *want; /* want NULL: loads */
	} cases[] = {
	    {"either.func ~ /x/", "{x.func} {obj.kind} {a.obj.kind}", NULL},
	    {"x.obj.kind == heap || obj.kind == heap", "text", NULL},
	    {"x.func == y.func", "{object|none}", NULL},
	    {"x.expr.text", "text", "t.rules:5: column 8: unknown fact 'x.expr.text' (f.tbl"},
	    {"func == foo", "text",
	     "t.rules:5: column 8: unknown fact 'func' (f.tbl does not "
	     "list it; it is a per-access fact: name a side)"},
	    {"a.note", "text",
	     "t.rules:5: column 8: unknown fact 'a.note' (f.tbl does not list "
	     "it; it is a report-level fact: no side)"},
	    {"a.func == b.nothing", "text", "t.rules:5: column 18: unknown fact 'b.nothing'"},
	    {"missing x.nothing", "text", "unknown fact 'x.nothing'"},
	    {"a.func", "{y.missing|x}", "t.rules:6: column 12: unknown fact 'y.missing'"},
	};
	struct kt_catalogue *c = parse_ok(small);

	if (!c)
		return;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kt_error *err = load_rule(c, cases[i].cond, cases[i].expl);
		char *m = err ? kt_error_format(err) : NULL;

		kt_test_checks++;
		if (cases[i].want ? !m || !strstr(m, cases[i].want) : m != NULL) {
			kt_test_failures++;
			fprintf(stderr, "rule case %zu: expected %s, got %s\n", i,
				cases[i].want ? cases[i].want : "no error", m ? m : "no error");
		}
		free(m);
		kt_error_free(err);
	}
	/* without a catalogue any name loads */
	CHECK(load_rule(NULL, "x.expr.nonsense", "{y.nothing}") == NULL);
	kt_catalogue_free(c);
}

int main(void)
{
	shipped();
	bad_lines();
	check_mode();
	rules();
	return kt_test_done("test_catalogue");
}
