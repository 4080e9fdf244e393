// SPDX-License-Identifier: Apache-2.0
/* Hostile rule text: thousands of deterministic mutations of a valid file.
 * Each must load or be refused with file:line (never crash or hang), a
 * refused load must leave the rule set as it was, and whatever loads must
 * evaluate against hostile fact values. */
#include <stdint.h>

#include "harness.h"
#include "kcsan/rules.h"

static const char base[] =
    "# a comment\n"
    "[fz-one]\n"
    "family     = fz\n"
    "verdict    = benign\n"
    "confidence = high\n"
    "priority   = 80\n"
    "when       = x.frames.func[0:6] ~ /^(copy_to_iter|copy_page_to_iter)$/i\n"
    "when       = y.write || y.size >= 0x8 || not y.marked\n"
    "unless     = either.marked == true\n"
    "unless     = missing report.kind\n"
    "explain    = {x.func} copies while {y.func|someone} writes {{data}}\n"
    "             {x.frames.func[1:3]}\n"
    "action     = none\n"
    "\n"
    "[fz-two]\n"
    "verdict    = harmful\n"
    "confidence = medium\n"
    "priority   = 40\n"
    "when       = both.size != -4 || report.kind == \"data-race\"\n"
    "explain    = e {a.func}\n"
    "action     = a {b.func|x}\n";

static const char alphabet[] = "[]{}|/\\\"=~!<>#: \n\t\rax.y-09(+*)?^$";

static uint64_t next(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

static struct kt_facts *hostile_facts(void)
{
	struct kt_facts *f = kt_facts_new();
	char big[4097];

	memset(big, 'a', 4096);
	big[4096] = 0;
	kt_facts_set_str(f, "a.func", "\xff\xc3(", KT_ORIGIN_REPORT);
	kt_facts_set_str(f, "b.func", big, KT_ORIGIN_REPORT);
	kt_facts_add_str(f, "a.frames.func", "copy_to_iter", KT_ORIGIN_REPORT);
	kt_facts_add_str(f, "a.frames.func", "\x80\x80", KT_ORIGIN_REPORT);
	kt_facts_add_str(f, "b.frames.func", big, KT_ORIGIN_REPORT);
	kt_facts_set_bool(f, "b.write", true, KT_ORIGIN_REPORT);
	kt_facts_set_int(f, "a.size", INT64_MIN, KT_ORIGIN_REPORT);
	kt_facts_set_int(f, "b.size", INT64_MAX, KT_ORIGIN_REPORT);
	/* Types other than the catalogue's. */
	kt_facts_set_str(f, "a.marked", "yes", KT_ORIGIN_REPORT);
	kt_facts_add_str(f, "report.kind", "data-race", KT_ORIGIN_REPORT);
	return f;
}

int main(void)
{
	struct kt_facts *f = hostile_facts();
	struct kt_ruleset *keep = kt_ruleset_new();
	uint64_t seed = 12345;
	char buf[sizeof(base) * 3];
	int loaded = 0, refused = 0;
	struct kt_error *err;

	/* The unmutated text loads and evaluates. */
	err = kt_ruleset_load_string(keep, base, "base.rules");
	CHECK(err == NULL);
	kt_error_free(err);
	CHECK_INT(kt_ruleset_count(keep), 2);

	for (int iter = 0; iter < 4000; iter++) {
		size_t n = sizeof(base) - 1;
		int edits = 1 + (int)(next(&seed) % 4);

		memcpy(buf, base, n + 1);
		for (int e = 0; e < edits; e++) {
			size_t at = next(&seed) % (n + 1);
			switch (next(&seed) % 4) {
			case 0: /* delete */
				if (at < n) {
					memmove(buf + at, buf + at + 1, n - at);
					n--;
				}
				break;
			case 1: /* insert */
				if (n + 2 < sizeof(buf)) {
					memmove(buf + at + 1, buf + at, n - at + 1);
					buf[at] = alphabet[next(&seed) % (sizeof(alphabet) - 1)];
					n++;
				}
				break;
			case 2: /* replace */
				if (at < n)
					buf[at] = (char)(next(&seed) % 2
							     ? alphabet[next(&seed) %
									(sizeof(alphabet) - 1)]
							     : (char)(1 + next(&seed) % 255));
				break;
			default: /* truncate */
				n = at;
				buf[n] = 0;
				break;
			}
		}
		struct kt_ruleset *rs = kt_ruleset_new();
		err = kt_ruleset_load_string(rs, buf, "fz.rules");
		if (err) {
			refused++;
			/* Parse errors name the file and a line within it. */
			CHECK(err->file && strcmp(err->file, "fz.rules") == 0);
			CHECK(err->line >= 1 && err->line <= 40);
			CHECK(kt_ruleset_count(rs) == 0);
			kt_error_free(err);
		} else {
			struct kt_rule_result res;

			loaded++;
			err = kt_ruleset_eval(rs, f, &res);
			CHECK(err == NULL);
			kt_error_free(err);
			CHECK(res.selection != NULL && res.explanation != NULL &&
			      res.action != NULL);
			kt_rule_result_fini(&res);
		}
		kt_ruleset_free(rs);
		/* Loading the mutant on top of a good set is all or nothing. */
		err = kt_ruleset_load_string(keep, buf, "fz.rules");
		if (err) {
			CHECK_INT(kt_ruleset_count(keep), 2);
			kt_error_free(err);
		} else {
			/* Same ids as the base: only a mutant that renamed them all loads. */
			kt_ruleset_free(keep);
			keep = kt_ruleset_new();
			err = kt_ruleset_load_string(keep, base, "base.rules");
			kt_error_free(err);
		}
	}
	printf("mutants: %d loaded, %d refused\n", loaded, refused);
	CHECK(loaded > 0 && refused > 0);
	kt_ruleset_free(keep);
	kt_facts_free(f);
	return kt_test_done("test_rules_fuzz");
}
