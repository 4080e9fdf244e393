// SPDX-License-Identifier: Apache-2.0
/*
 * The JSON output names the strategy that placed each access in the tree
 * (SIDE.src.strategy), null for an access no strategy placed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "kcsan/output.h"
#include "kcsan/triage.h"

static struct kt_frame fa[] = {{.func = "writer_fn", .file = "w.c", .line = 3}};
static struct kt_frame fb[] = {{.func = "reader_fn", .file = "r.c", .line = 7}};

/* The JSON line of a report whose side a was placed by strategy (NULL:
 * no fact). */
static char *render(const char *strategy)
{
	struct kt_report rep;
	struct kt_triage_result res;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	memset(&rep, 0, sizeof(rep));
	memset(&res, 0, sizeof(res));
	rep.kind = KT_KIND_DATA_RACE;
	rep.title = "KCSAN: data-race in reader_fn / writer_fn";
	rep.naccess = 2;
	rep.access[0] = (struct kt_access){
	    .op = KT_OP_WRITE, .size = 8, .task = 1, .cpu = 0, .frames = fa, .nframes = 1};
	rep.access[1] = (struct kt_access){
	    .op = KT_OP_READ, .size = 8, .task = 2, .cpu = 1, .frames = fb, .nframes = 1};
	res.report = &rep;
	res.facts = kt_facts_new();
	if (strategy)
		kt_facts_set_str(res.facts, "a.src.strategy", strategy, KT_ORIGIN_SOURCE);
	kt_output_json(out, &res);
	fclose(out);
	kt_facts_free(res.facts);
	return buf;
}

/* The text of access i's object in the JSON line (caller frees). */
static char *access_json(const char *line, int i)
{
	const char *p = strstr(line, "\"accesses\":[");
	const char *end;

	for (int k = 0; p && k <= i; k++)
		p = strchr(p + 1, '{');
	end = p ? strchr(p, '}') : NULL;
	return end ? strndup(p, (size_t)(end - p + 1)) : strdup("");
}

int main(void)
{
	char *t = render("body"), *a = access_json(t, 0), *b = access_json(t, 1);

	CHECK(strstr(a, "\"placement\":\"body\"") != NULL);
	CHECK(strstr(b, "\"placement\":null") != NULL);
	free(a);
	free(b);
	free(t);
	t = render(NULL);
	a = access_json(t, 0);
	CHECK(strstr(a, "\"placement\":null") != NULL);
	free(a);
	free(t);
	return kt_test_done("test_output_placement");
}
