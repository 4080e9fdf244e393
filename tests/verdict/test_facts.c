// SPDX-License-Identifier: Apache-2.0
/* The fact table: types, replacement, lists, removal, many names. */
#include <stdio.h>

#include "harness.h"
#include "kcsan/facts.h"

int main(void)
{
	struct kt_facts *f = kt_facts_new();
	const struct kt_fact *x;
	char name[32];

	kt_facts_set_bool(f, "a.marked", true, KT_ORIGIN_REPORT);
	kt_facts_set_int(f, "a.size", 8, KT_ORIGIN_REPORT);
	kt_facts_set_str(f, "a.func", "foo", KT_ORIGIN_REPORT);
	kt_facts_add_str(f, "a.frames.func", "foo", KT_ORIGIN_REPORT);
	kt_facts_add_str(f, "a.frames.func", "bar", KT_ORIGIN_REPORT);

	x = kt_facts_get(f, "a.marked");
	CHECK(x && x->type == KT_FACT_BOOL && x->b);
	x = kt_facts_get(f, "a.size");
	CHECK(x && x->type == KT_FACT_INT && x->i == 8);
	x = kt_facts_get(f, "a.func");
	CHECK(x && x->type == KT_FACT_STR);
	CHECK_STR(x->s, "foo");
	x = kt_facts_get(f, "a.frames.func");
	CHECK(x && x->type == KT_FACT_STRLIST && x->nlist == 2);
	CHECK_STR(x->list[1], "bar");
	CHECK(kt_facts_get(f, "b.func") == NULL);

	/* Replacing a value changes its type and origin. */
	kt_facts_set_str(f, "a.size", "eight", KT_ORIGIN_SOURCE);
	x = kt_facts_get(f, "a.size");
	CHECK(x && x->type == KT_FACT_STR && x->origin == KT_ORIGIN_SOURCE);
	CHECK_STR(x->s, "eight");
	CHECK(kt_facts_origins(f) == (KT_ORIGIN_REPORT | KT_ORIGIN_SOURCE));

	char *t = kt_fact_value_text(kt_facts_get(f, "a.frames.func"));
	CHECK_STR(t, "[foo, bar]");
	free(t);

	kt_facts_remove(f, "a.func");
	CHECK(kt_facts_get(f, "a.func") == NULL);
	kt_facts_set_str(f, "a.func", "again", KT_ORIGIN_REPORT);
	CHECK_STR(kt_facts_get(f, "a.func")->s, "again");

	/* Many names: the index grows and every name stays reachable. */
	for (int i = 0; i < 2000; i++) {
		snprintf(name, sizeof(name), "n.%d", i);
		kt_facts_set_int(f, name, i, KT_ORIGIN_VMLINUX);
	}
	int ok = 1;
	for (int i = 0; i < 2000; i++) {
		snprintf(name, sizeof(name), "n.%d", i);
		x = kt_facts_get(f, name);
		if (!x || x->i != i || x->name == NULL || strcmp(x->name, name) != 0)
			ok = 0;
	}
	CHECK(ok);
	CHECK_STR(kt_facts_get(f, "a.frames.func")->name, "a.frames.func");
	kt_facts_free(f);
	return kt_test_done("test_facts");
}
