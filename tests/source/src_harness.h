/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Harness shared by the source stage's tests on a tree of their own
 * (tests/source/locking_test.c, tests/source/reloc_test.c): frames placed
 * at the "TAG:marker" comments of the tree, a report of one or two accesses
 * through kt_source_add_facts, and the facts read back. Header-only so that
 * its CHECKs count in the including test (harness.h keeps its counts per
 * file).
 */
#ifndef KT_TEST_SRC_HARNESS_H
#define KT_TEST_SRC_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "kcsan/facts.h"
#include "kcsan/report.h"
#include "kcsan/source.h"
#include "kcsan/strbuf.h"

/* The tree the frames' lines are read from, and its markers' tag ("LK"). */
struct src_tree {
	const char *dir, *tag;
};

/* A frame of func in file at the line of marker, moved by delta (the
 * report's kernel had it delta lines earlier: delta > 0); file NULL, or
 * marker NULL, gives a frame without a line. */
struct src_fr {
	const char *func, *file, *marker;
	bool inlined;
	int delta;
};

#define SRC_MAX_FRAMES 16

/* The line of the "TAG:marker" comment in the tree's file of that base
 * name; 0 when absent. */
static inline int src_marker_line(const struct src_tree *t, const char *file, const char *marker)
{
	char path[512], buf[512], want[128];
	FILE *fp;
	int ln = 0, found = 0;
	const char *b = strrchr(file, '/');

	snprintf(path, sizeof(path), "%s/%s", t->dir, b ? b + 1 : file);
	snprintf(want, sizeof(want), "%s:%s */", t->tag, marker);
	fp = fopen(path, "r");
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
		fprintf(stderr, "marker %s not found in %s\n", marker, path);
	return found;
}

static inline void src_set_access(const struct src_tree *t, struct kt_access *a,
				  struct kt_frame *frames, const struct src_fr *f, size_t n,
				  enum kt_access_op op, uint64_t size)
{
	memset(a, 0, sizeof(*a));
	a->op = op;
	a->size = size;
	a->task = 1;
	a->cpu = 0;
	for (size_t i = 0; i < n; i++) {
		memset(&frames[i], 0, sizeof(frames[i]));
		frames[i].func = (char *)f[i].func;
		frames[i].file = (char *)f[i].file;
		/* no file or no marker: a frame printed without file:line */
		frames[i].line = f[i].file && f[i].marker
				     ? src_marker_line(t, f[i].file, f[i].marker) - f[i].delta
				     : 0;
		frames[i].inlined = f[i].inlined;
	}
	a->frames = frames;
	a->nframes = n;
}

/*
 * A report through the source stage, adding to facts (returned): a data race
 * of side a (fa) and side b (fb, by an interrupt when b_irq), or, fb NULL, an
 * assertion of side a alone.
 */
static inline struct kt_facts *src_run(const struct src_tree *t, struct kt_source *src,
				       const struct src_fr *fa, size_t na, enum kt_access_op opa,
				       const struct src_fr *fb, size_t nb, enum kt_access_op opb,
				       uint64_t size, bool b_irq, struct kt_facts *facts)
{
	struct kt_report rep;
	struct kt_frame fra[SRC_MAX_FRAMES], frb[SRC_MAX_FRAMES];
	const struct kt_frame *st[2] = {fra, fb ? frb : NULL};
	size_t nf[2] = {na, fb ? nb : 0};
	struct kt_error *err;

	if (na > SRC_MAX_FRAMES || (fb && nb > SRC_MAX_FRAMES)) {
		fprintf(stderr, "src_run: more than %d frames\n", SRC_MAX_FRAMES);
		abort();
	}
	memset(&rep, 0, sizeof(rep));
	rep.kind = fb ? KT_KIND_DATA_RACE : KT_KIND_ASSERT;
	rep.naccess = fb ? 2 : 1;
	src_set_access(t, &rep.access[0], fra, fa, na, opa, size);
	if (fb) {
		src_set_access(t, &rep.access[1], frb, fb, nb, opb, size);
		rep.access[1].by_interrupt = b_irq;
	}
	err = kt_source_add_facts(src, &rep, st, nf, facts);
	CHECK(err == NULL);
	kt_error_free(err);
	return facts;
}

static inline const char *src_str(struct kt_facts *f, const char *name)
{
	const struct kt_fact *x = kt_facts_get(f, name);

	return x && x->type == KT_FACT_STR ? x->s : NULL;
}

static inline bool src_flag(struct kt_facts *f, const char *name)
{
	const struct kt_fact *x = kt_facts_get(f, name);

	return x && x->type == KT_FACT_BOOL && x->b;
}

static inline long long src_num(struct kt_facts *f, const char *name, long long absent)
{
	const struct kt_fact *x = kt_facts_get(f, name);

	return x && x->type == KT_FACT_INT ? (long long)x->i : absent;
}

/* The list as "x; y" (free it), or "" when absent. */
static inline char *src_list(struct kt_facts *f, const char *name)
{
	const struct kt_fact *x = kt_facts_get(f, name);
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	kt_strbuf_adds(&sb, "");
	for (size_t i = 0; x && i < x->nlist; i++)
		kt_strbuf_addf(&sb, "%s%s", i ? "; " : "", x->list[i]);
	return kt_strbuf_detach(&sb);
}

/* Does one of f's notes contain text? On a miss the notes go to stderr. */
static inline bool src_note_has(struct kt_facts *f, const char *text)
{
	char *l = src_list(f, "note");
	bool ok = strstr(l, text) != NULL;

	if (!ok)
		fprintf(stderr, "no note with \"%s\" in: %s\n", text, l);
	free(l);
	return ok;
}

#endif
