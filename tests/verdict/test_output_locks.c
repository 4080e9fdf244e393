// SPDX-License-Identifier: Apache-2.0
/*
 * The text output's lockset lines: a lockset from a walk that could not read
 * every frame is never printed as "no lock held".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "kcsan/output.h"
#include "kcsan/triage.h"

static struct kt_frame fa[] = {{.func = "writer_fn", .file = "w.c", .line = 3}};
static struct kt_frame fb[] = {{.func = "reader_fn", .file = "r.c", .line = 7}};

/* The text output of a report with these lock facts on side a. */
static char *render(bool known, bool have_complete, bool complete, const char *lock)
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
	kt_facts_set_bool(res.facts, "a.locks.known", known, KT_ORIGIN_SOURCE);
	if (have_complete)
		kt_facts_set_bool(res.facts, "a.locks.complete", complete, KT_ORIGIN_SOURCE);
	if (lock)
		kt_facts_add_str(res.facts, "a.locks", lock, KT_ORIGIN_SOURCE);
	kt_output_text(out, &res);
	fclose(out);
	kt_facts_free(res.facts);
	return buf;
}

static bool has(const char *text, const char *want)
{
	if (text && strstr(text, want))
		return true;
	fprintf(stderr, "no \"%s\" in:\n%s\n", want, text ? text : "(null)");
	return false;
}

int main(void)
{
	char *t;

	t = render(true, true, true, NULL);
	CHECK(has(t, "  A (writer_fn): no lock held\n"));
	free(t);
	/* no complete fact (an older fact producer): as complete */
	t = render(true, false, false, NULL);
	CHECK(has(t, "  A (writer_fn): no lock held\n"));
	free(t);
	t = render(true, true, false, NULL);
	CHECK(has(t, "  A (writer_fn): none found, but some frames could not be read\n"));
	CHECK(!strstr(t, "A (writer_fn): no lock held"));
	free(t);
	t = render(true, true, false, "struct d::lock (exclusive)");
	CHECK(has(t, "  A (writer_fn): struct d::lock (exclusive) (maybe more: some frames "
		     "could not be read)\n"));
	free(t);
	t = render(true, true, true, "struct d::lock (exclusive)");
	CHECK(has(t, "  A (writer_fn): struct d::lock (exclusive)\n"));
	free(t);
	t = render(false, false, false, NULL);
	CHECK(has(t, "  A (writer_fn): not computed"));
	free(t);
	return kt_test_done("test_output_locks");
}
