// SPDX-License-Identifier: Apache-2.0
/* Report-only facts computed from a hand-built report. */
#include "harness.h"
#include "kcsan/triage.h"

static struct kt_frame frames_a[] = {
	{.func = "copy_page_from_iter_atomic", .off = 0x282, .size = 0xaa0, .has_offset = true},
	{.func = "generic_perform_write", .off = 0x15c, .size = 0x2e0, .has_offset = true},
};
static struct kt_frame frames_b[] = {
	{.func = "shmem_get_folio_gfp.constprop.0", .off = 0x30d, .size = 0xa10, .has_offset = true,
	 .file = "mm/shmem.c", .line = 12},
};

static const struct kt_fact *get(struct kt_facts *f, const char *n)
{
	const struct kt_fact *x = kt_facts_get(f, n);
	if (!x)
		fprintf(stderr, "missing fact %s\n", n);
	return x;
}

int main(void)
{
	struct kt_report rep;
	struct kt_facts *f = kt_facts_new();
	const struct kt_fact *x;

	memset(&rep, 0, sizeof(rep));
	rep.kind = KT_KIND_DATA_RACE;
	rep.title = "KCSAN: data-race in a / b";
	rep.naccess = 2;
	rep.access[0] = (struct kt_access){.op = KT_OP_READ_WRITE, .marked = false, .addr = 0x1000,
					   .size = 8, .task = 53, .cpu = 1, .frames = frames_a,
					   .nframes = 2};
	rep.access[1] = (struct kt_access){.op = KT_OP_READ, .marked = true, .addr = 0x1004,
					   .size = 4, .by_interrupt = true, .task = -1, .cpu = 0,
					   .frames = frames_b, .nframes = 1};
	rep.value = (struct kt_value_change){.present = true, .old_val = 0x10, .new_val = 0xf,
					     .width = 8};
	kt_report_facts(&rep, f);

	CHECK_STR(get(f, "report.kind")->s, "data-race");
	CHECK_STR(get(f, "a.op")->s, "read-write");
	CHECK(get(f, "a.rmw")->b && get(f, "a.write")->b);
	CHECK(!get(f, "b.write")->b && get(f, "b.marked")->b);
	CHECK(get(f, "b.interrupt")->b);
	CHECK(kt_facts_get(f, "b.task") == NULL);
	CHECK_INT(get(f, "a.task")->i, 53);
	CHECK_STR(get(f, "b.func")->s, "shmem_get_folio_gfp");
	CHECK_STR(get(f, "b.file")->s, "mm/shmem.c");
	x = get(f, "a.frames.func");
	CHECK(x && x->nlist == 2);
	CHECK(kt_facts_get(f, "a.file") == NULL);
	CHECK(!get(f, "same.func")->b);
	CHECK_INT(get(f, "overlap")->i, 4);
	CHECK_INT(get(f, "value.step")->i, -1);
	CHECK_INT(get(f, "value.bits")->i, 5);
	CHECK_INT(get(f, "value.diff")->i, 0x1f);
	CHECK(!get(f, "value.bool")->b);
	CHECK(!get(f, "value.old_ptr")->b);
	kt_facts_free(f);

	/* A 4-byte counter wrapping, a pointer cleared, an unknown-origin report. */
	f = kt_facts_new();
	rep.value = (struct kt_value_change){.present = true, .old_val = 0xffffffff,
					     .new_val = 0, .width = 8};
	kt_report_facts(&rep, f);
	CHECK_INT(get(f, "value.step")->i, 1);
	CHECK_INT(get(f, "value.diff")->i, 0xffffffff);
	CHECK(get(f, "value.to_zero")->b);
	kt_facts_free(f);

	/* No value change printed: no diff. */
	f = kt_facts_new();
	rep.value = (struct kt_value_change){.present = false};
	kt_report_facts(&rep, f);
	CHECK(!get(f, "value.changed")->b);
	CHECK(kt_facts_get(f, "value.diff") == NULL);
	kt_facts_free(f);

	f = kt_facts_new();
	rep.value = (struct kt_value_change){.present = true, .old_val = 0xffff888012345678ULL,
					     .new_val = 0, .width = 16};
	rep.naccess = 1;
	rep.kind = KT_KIND_UNKNOWN_ORIGIN;
	kt_report_facts(&rep, f);
	CHECK(get(f, "value.old_ptr")->b);
	CHECK(!get(f, "value.new_ptr")->b);
	/* an 8-byte value: the whole 64-bit pattern */
	CHECK_INT(get(f, "value.diff")->i, (long long)0xffff888012345678ULL);
	CHECK_STR(get(f, "report.kind")->s, "unknown-origin");
	CHECK(kt_facts_get(f, "b.op") == NULL);
	CHECK(kt_facts_get(f, "same.func") == NULL);
	kt_facts_free(f);
	return kt_test_done("test_report_facts");
}
