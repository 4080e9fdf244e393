// SPDX-License-Identifier: Apache-2.0
/*
 * Stage 1's contribution to the fact table: what the report itself says.
 * Only facts about the report's own fields live here; what functions mean is
 * for the rules to say.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcsan/strbuf.h"
#include "kcsan/triage.h"

#define R KT_ORIGIN_REPORT

/* "foo.constprop.0" -> "foo": compiler clone suffixes are not part of the name. */
static char *base_func(const char *func)
{
	const char *dot = strchr(func, '.');

	return dot ? kt_xstrndup(func, (size_t)(dot - func)) : kt_xstrdup(func);
}

static const char *op_fact(enum kt_access_op op)
{
	switch (op) {
	case KT_OP_READ:
		return "read";
	case KT_OP_WRITE:
		return "write";
	case KT_OP_READ_WRITE:
		return "read-write";
	case KT_OP_ASSERT_NO_WRITES:
		return "assert-no-writes";
	case KT_OP_ASSERT_NO_ACCESSES:
		return "assert-no-accesses";
	}
	return "read";
}

/* "SIDE.LEAF" in buf (names are short: a side is "a" or "b"). */
static const char *side_name(char *buf, size_t size, const char *side, const char *leaf)
{
	size_t ns = strlen(side), nl = strlen(leaf);

	if (ns + 1 + nl >= size)
		nl = size - ns - 2;
	memcpy(buf, side, ns);
	buf[ns] = '.';
	memcpy(buf + ns + 1, leaf, nl);
	buf[ns + 1 + nl] = '\0';
	return buf;
}

static void side_facts(const struct kt_access *a, const char *side, struct kt_facts *f)
{
	char name[64];

#define N(s) side_name(name, sizeof(name), side, s)
	kt_facts_set_str(f, N("op"), op_fact(a->op), R);
	kt_facts_set_bool(f, N("write"), a->op == KT_OP_WRITE || a->op == KT_OP_READ_WRITE, R);
	kt_facts_set_bool(f, N("rmw"), a->op == KT_OP_READ_WRITE, R);
	kt_facts_set_bool(f, N("assert"),
			  a->op == KT_OP_ASSERT_NO_WRITES || a->op == KT_OP_ASSERT_NO_ACCESSES, R);
	kt_facts_set_bool(f, N("marked"), a->marked, R);
	kt_facts_set_bool(f, N("reordered"), a->reordered, R);
	kt_facts_set_int(f, N("size"), (int64_t)a->size, R);
	kt_facts_set_bool(f, N("interrupt"), a->by_interrupt, R);
	if (!a->by_interrupt && a->task >= 0)
		kt_facts_set_int(f, N("task"), a->task, R);
	if (!a->addr_elided)
		kt_facts_set_int(f, N("addr"), (int64_t)a->addr, R);
	/* frames are missing from the stack, or may be: a fact about the
	 * whole stack does not hold */
	kt_facts_set_bool(f, N("elided"), a->elided, R);
	if (a->nframes > 0) {
		char *fn = base_func(a->frames[0].func);
		kt_facts_set_str(f, N("func"), fn, R);
		free(fn);
		if (a->frames[0].file)
			kt_facts_set_str(f, N("file"), a->frames[0].file, R);
	}
	for (size_t i = 0; i < a->nframes; i++) {
		char *fn = base_func(a->frames[i].func);
		kt_facts_add_str(f, N("frames.func"), fn, R);
		free(fn);
		if (a->frames[i].file)
			kt_facts_add_str(f, N("frames.file"), a->frames[i].file, R);
	}
#undef N
}

static int popcount64(uint64_t v)
{
	int n = 0;

	while (v) {
		v &= v - 1;
		n++;
	}
	return n;
}

/* A canonical x86-64 kernel-half address, as KCSAN prints 8-byte values. */
static bool looks_like_kernel_pointer(uint64_t v, int width)
{
	return width >= 16 && (v >> 47) == 0x1ffff && v != ~0ULL;
}

static void value_facts(const struct kt_value_change *v, struct kt_facts *f)
{
	kt_facts_set_bool(f, "value.changed", v->present, R);
	if (!v->present)
		return;
	int bits = v->width > 0 && v->width < 16 ? v->width * 4 : 64;
	uint64_t m = bits == 64 ? ~0ULL : ((1ULL << bits) - 1);
	uint64_t diff = (v->new_val - v->old_val) & m;
	int64_t step;

	/* Sign-extend the difference at the access width. */
	if (bits < 64 && (diff >> (bits - 1)) & 1)
		step = (int64_t)(diff | ~m);
	else
		step = (int64_t)diff;
	kt_facts_set_int(f, "value.old", (int64_t)v->old_val, R);
	kt_facts_set_int(f, "value.new", (int64_t)v->new_val, R);
	kt_facts_set_int(f, "value.bits", popcount64((v->old_val ^ v->new_val) & m), R);
	/* The bits that changed, for rules that test a reader's mask. */
	kt_facts_set_int(f, "value.diff", (int64_t)((v->old_val ^ v->new_val) & m), R);
	kt_facts_set_int(f, "value.step", step, R);
	kt_facts_set_bool(f, "value.bool", v->old_val <= 1 && v->new_val <= 1, R);
	kt_facts_set_bool(f, "value.from_zero", v->old_val == 0, R);
	kt_facts_set_bool(f, "value.to_zero", v->new_val == 0, R);
	kt_facts_set_bool(f, "value.old_ptr", looks_like_kernel_pointer(v->old_val, v->width), R);
	kt_facts_set_bool(f, "value.new_ptr", looks_like_kernel_pointer(v->new_val, v->width), R);
	if (v->has_mask)
		kt_facts_set_int(f, "value.mask", (int64_t)v->mask, R);
}

void kt_report_facts(const struct kt_report *rep, struct kt_facts *f)
{
	static const char *const sides[2] = {"a", "b"};

	switch (rep->kind) {
	case KT_KIND_DATA_RACE:
		kt_facts_set_str(f, "report.kind", "data-race", R);
		break;
	case KT_KIND_ASSERT:
		kt_facts_set_str(f, "report.kind", "assert", R);
		break;
	case KT_KIND_UNKNOWN_ORIGIN:
		kt_facts_set_str(f, "report.kind", "unknown-origin", R);
		break;
	}
	if (rep->title)
		kt_facts_set_str(f, "report.title", rep->title, R);
	kt_facts_set_int(f, "report.accesses", (int64_t)rep->naccess, R);
	kt_facts_set_bool(f, "report.symbolized", rep->symbolized, R);
	for (size_t i = 0; i < rep->naccess && i < 2; i++)
		side_facts(&rep->access[i], sides[i], f);
	if (rep->naccess == 2) {
		const struct kt_access *a = &rep->access[0], *b = &rep->access[1];
		const struct kt_fact *fa = kt_facts_get(f, "a.func");
		const struct kt_fact *fb = kt_facts_get(f, "b.func");
		uint64_t lo = a->addr > b->addr ? a->addr : b->addr;
		uint64_t ea = a->addr + a->size, eb = b->addr + b->size;
		uint64_t hi = ea < eb ? ea : eb;

		if (fa && fb)
			kt_facts_set_bool(f, "same.func", strcmp(fa->s, fb->s) == 0, R);
		if (!a->addr_elided && !b->addr_elided) {
			kt_facts_set_bool(f, "same.addr", a->addr == b->addr, R);
			kt_facts_set_int(f, "overlap", hi > lo ? (int64_t)(hi - lo) : 0, R);
		}
	}
	value_facts(&rep->value, f);
	if (rep->env.kernel)
		kt_facts_set_str(f, "env.kernel", rep->env.kernel, R);
}
