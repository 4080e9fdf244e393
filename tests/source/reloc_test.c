// SPDX-License-Identifier: Apache-2.0
/*
 * The source stage against a tree that is not the report's kernel
 * (tests/source/reloc/rl.c): a function that moved by some lines, a
 * statement that moved inside its function, a caller whose call site moved,
 * a function that is gone, and a one-sided guess. Asserts the relocated
 * expression, the lockset read up to the moved call, and the src.* facts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "kcsan/facts.h"
#include "kcsan/report.h"
#include "kcsan/source.h"
#include "kcsan/strbuf.h"

#define TREE KT_SOURCE_DIR "/tests/source/reloc"
#define F "rl.c"
#define LOCK "struct rl_dev::lock (exclusive)"

/* The line of this tree marked "RL:marker". */
static int marker_line(const char *marker)
{
	char buf[512], want[128];
	FILE *fp = fopen(TREE "/" F, "r");
	int ln = 0, found = 0;

	snprintf(want, sizeof(want), "RL:%s */", marker);
	if (!fp)
		return 0;
	while (fgets(buf, sizeof(buf), fp)) {
		ln++;
		if (strstr(buf, want)) {
			found = ln;
			break;
		}
	}
	fclose(fp);
	if (!found)
		fprintf(stderr, "marker %s not found\n", marker);
	return found;
}

/* A frame at marker's line moved by delta (the report's kernel had it
 * delta lines earlier: delta > 0). */
struct fr {
	const char *func, *marker;
	int delta;
};

static void set_access(struct kt_access *a, struct kt_frame *frames, const struct fr *f, size_t n,
		       enum kt_access_op op, uint64_t size)
{
	memset(a, 0, sizeof(*a));
	a->op = op;
	a->size = size;
	a->task = 1;
	for (size_t i = 0; i < n; i++) {
		memset(&frames[i], 0, sizeof(frames[i]));
		frames[i].func = (char *)f[i].func;
		frames[i].file = (char *)F;
		frames[i].line = marker_line(f[i].marker) - f[i].delta;
	}
	a->frames = frames;
	a->nframes = n;
}

static struct kt_facts *run(struct kt_source *src, const struct fr *fa, size_t na,
			    enum kt_access_op opa, const struct fr *fb, size_t nb,
			    enum kt_access_op opb, uint64_t size)
{
	struct kt_report rep;
	struct kt_frame fra[4], frb[4];
	const struct kt_frame *st[2] = {fra, frb};
	size_t nf[2] = {na, nb};
	struct kt_facts *facts = kt_facts_new();
	struct kt_error *err;

	memset(&rep, 0, sizeof(rep));
	rep.kind = fb ? KT_KIND_DATA_RACE : KT_KIND_ASSERT;
	rep.naccess = fb ? 2 : 1;
	set_access(&rep.access[0], fra, fa, na, opa, size);
	if (fb)
		set_access(&rep.access[1], frb, fb, nb, opb, size);
	err = kt_source_add_facts(src, &rep, st, nf, facts);
	CHECK(err == NULL);
	kt_error_free(err);
	return facts;
}

static const char *str(struct kt_facts *f, const char *name)
{
	const struct kt_fact *x = kt_facts_get(f, name);

	return x && x->type == KT_FACT_STR ? x->s : NULL;
}

static long long num(struct kt_facts *f, const char *name, long long absent)
{
	const struct kt_fact *x = kt_facts_get(f, name);

	return x && x->type == KT_FACT_INT ? (long long)x->i : absent;
}

static char *list(struct kt_facts *f, const char *name)
{
	const struct kt_fact *x = kt_facts_get(f, name);
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	kt_strbuf_adds(&sb, "");
	for (size_t i = 0; x && i < x->nlist; i++)
		kt_strbuf_addf(&sb, "%s%s", i ? "; " : "", x->list[i]);
	return kt_strbuf_detach(&sb);
}

int main(void)
{
	struct kt_source_opts o = {.src_dir = TREE, .rules_dir = KT_SOURCE_RULES_DIR};
	struct kt_source *src;
	struct kt_error *err = kt_source_open(&o, &src);
	struct kt_facts *x;
	char *l;

	CHECK(err == NULL);
	if (err) {
		kt_error_free(err);
		return kt_test_done("source_reloc");
	}
	{
		/* the tree as the report's kernel: everything at its line */
		struct fr w[] = {{"rl_set_state", "set_state", 0}, {"rl_update", "call_set", 0}};
		struct fr r[] = {{"rl_read_state", "read_state", 0}};

		x = run(src, w, 2, KT_OP_WRITE, r, 1, KT_OP_READ, 4);
		CHECK_STR(str(x, "object"), "struct rl_dev::state");
		CHECK_STR(str(x, "a.src.located"), "line");
		CHECK_STR(str(x, "b.src.located"), "line");
		CHECK(num(x, "a.src.shift", -999) == -999);
		CHECK_STR(str(x, "src.tree"), "matches");
		l = list(x, "a.locks");
		CHECK_STR(l, LOCK);
		free(l);
		kt_facts_free(x);
	}
	{
		/* rl_set_state and rl_update moved down 14 lines (the reported
		 * lines are in rl_pad_one and at the end of rl_pad_two), the
		 * reader's return 3 lines (its reported line is blank here) */
		struct fr w[] = {{"rl_set_state", "set_state", 14}, {"rl_update", "call_set", 14}};
		struct fr r[] = {{"rl_read_state", "read_state", 3}};

		x = run(src, w, 2, KT_OP_WRITE, r, 1, KT_OP_READ, 4);
		CHECK_STR(str(x, "a.expr.text"), "d->state");
		CHECK_STR(str(x, "a.expr.field"), "struct rl_dev::state");
		CHECK_STR(str(x, "b.expr.field"), "struct rl_dev::state");
		CHECK_STR(str(x, "object"), "struct rl_dev::state");
		CHECK_STR(str(x, "a.src.located"), "relocated");
		CHECK(num(x, "a.src.shift", 0) == 14);
		CHECK_STR(str(x, "b.src.located"), "relocated");
		CHECK(num(x, "b.src.shift", 0) == 3);
		CHECK_STR(str(x, "src.tree"), "drifted");
		/* the walk read rl_update up to its call to rl_set_state */
		l = list(x, "a.locks");
		CHECK_STR(l, LOCK);
		free(l);
		CHECK_STR(str(x, "locks.relation"), "writer-locked-reader-lockless");
		kt_facts_free(x);
	}
	{
		/* only the caller's call moved: the reported line is before the
		 * spin_lock, the call after it */
		struct fr w[] = {{"rl_set_state", "set_state", 0}, {"rl_update", "call_set", 3}};
		struct fr r[] = {{"rl_read_state", "read_state", 0}};

		x = run(src, w, 2, KT_OP_WRITE, r, 1, KT_OP_READ, 4);
		CHECK_STR(str(x, "a.src.located"), "line");
		CHECK_STR(str(x, "src.tree"), "drifted");
		l = list(x, "a.locks");
		CHECK_STR(l, LOCK);
		free(l);
		kt_facts_free(x);
	}
	{
		/* a function this tree does not have */
		struct fr w[] = {{"rl_gone", "set_state", 14}};
		struct fr r[] = {{"rl_read_state", "read_state", 0}};

		x = run(src, w, 1, KT_OP_WRITE, r, 1, KT_OP_READ, 4);
		CHECK_STR(str(x, "a.src.located"), "not-found");
		CHECK(kt_facts_get(x, "a.expr.field") == NULL);
		CHECK_STR(str(x, "b.src.located"), "line");
		CHECK_STR(str(x, "src.tree"), "too-far");
		kt_facts_free(x);
	}
	{
		/* one side only, moved: the only object of the body that fits is
		 * taken, but nothing confirms it, so the tree is too far */
		struct fr r[] = {{"rl_read_count", "read_count", 14}};

		x = run(src, r, 1, KT_OP_READ, NULL, 0, KT_OP_READ, 8);
		CHECK_STR(str(x, "a.expr.field"), "struct rl_dev::count");
		CHECK_STR(str(x, "a.src.located"), "relocated");
		CHECK(num(x, "a.src.shift", 0) == 14);
		CHECK_STR(str(x, "src.tree"), "too-far");
		kt_facts_free(x);
	}
	kt_source_close(src);
	return kt_test_done("source_reloc");
}
