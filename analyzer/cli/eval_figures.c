// SPDX-License-Identifier: Apache-2.0
/*
 * The figures --eval prints, to judge rule work by: by set (every report,
 * and the two fixed halves of the corpus), how many reports the rules decide
 * at each confidence and how many of those are right; by rule, its right and
 * wrong verdicts by confidence, its precision, and the subsystems of the
 * reports it decided. A rule that decided reports of fewer than two known
 * subsystems is listed as suspect: it may have learned one subsystem's
 * reports rather than the kernel.
 */
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "kcsan/strbuf.h"

uint32_t kt_eval_fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		h ^= *p;
		h *= 16777619u;
	}
	return h;
}

int kt_eval_half(const char *id)
{
	return (int)(kt_eval_fnv1a(id) & 1u);
}

static bool is_header(const char *file)
{
	size_t n = strlen(file);

	return (n > 2 && strcmp(file + n - 2, ".h") == 0) || kt_str_startswith(file, "include/") ||
	       strstr(file, "/include/") != NULL;
}

/* "fs/ext4/inode.c" -> "fs/ext4", "mm/shmem.c" -> "mm"; NULL for a file in
 * no directory. */
static char *dir_prefix(const char *file)
{
	const char *p = file, *first, *second, *last;

	while (kt_str_startswith(p, "./"))
		p += 2;
	last = strrchr(p, '/');
	if (!last)
		return NULL;
	first = strchr(p, '/');
	if (first == last)
		return kt_xstrndup(p, (size_t)(first - p));
	second = strchr(first + 1, '/');
	return kt_xstrndup(p, (size_t)(second - p));
}

char *kt_eval_subsystem(const struct kt_facts *facts)
{
	static const char *const lists[2] = {"a.frames.file", "b.frames.file"};
	const char *fallback = NULL;

	for (int s = 0; s < 2; s++) {
		const struct kt_fact *f = kt_facts_get(facts, lists[s]);

		if (!f || f->type != KT_FACT_STRLIST)
			continue;
		for (size_t i = 0; i < f->nlist; i++) {
			const char *file = f->list[i];
			char *d;

			if (!file || !*file)
				continue;
			if (is_header(file)) {
				if (!fallback)
					fallback = file;
				continue;
			}
			d = dir_prefix(file);
			if (d)
				return d;
		}
	}
	if (fallback) {
		char *d = dir_prefix(fallback);
		if (d)
			return d;
	}
	return kt_xstrdup("?");
}

/* ---- by set ---- */

struct set_fig {
	int reports, harmful;
	int decided[3], right[3]; /* at confidence >= low, medium, high */
	int harmful_benign;	  /* harmful-labeled called benign at medium+ */
	int leaning, lean_right;  /* unknown with a lean, and the lean as labeled */
};

static bool decided(const struct kt_eval_row *r)
{
	return !r->error && r->verdict != KT_VERDICT_UNKNOWN;
}

static bool right(const struct kt_eval_row *r)
{
	return decided(r) && (r->verdict == KT_VERDICT_HARMFUL) == (r->label == 1);
}

static void set_add(struct set_fig *s, const struct kt_eval_row *r)
{
	s->reports++;
	s->harmful += r->label == 1;
	if (decided(r)) {
		for (int c = 0; c <= (int)r->confidence && c < 3; c++) {
			s->decided[c]++;
			s->right[c] += right(r);
		}
		if (r->label == 1 && r->verdict == KT_VERDICT_BENIGN &&
		    r->confidence >= KT_CONF_MEDIUM)
			s->harmful_benign++;
	} else if (!r->error && r->lean != KT_VERDICT_UNKNOWN) {
		s->leaning++;
		s->lean_right += (r->lean == KT_VERDICT_HARMFUL) == (r->label == 1);
	}
}

static double pct(int a, int b)
{
	return b ? 100.0 * a / b : 0.0;
}

static void set_line(FILE *out, const char *name, const struct set_fig *s)
{
	fprintf(out, "%-13s %7d", name, s->reports);
	for (int c = 0; c < 3; c++)
		fprintf(out, " | %4d %5.1f%% %4d %5.1f%%", s->decided[c],
			pct(s->decided[c], s->reports), s->right[c],
			pct(s->right[c], s->decided[c]));
	fprintf(out, " | %3d of %3d %5.1f%%\n", s->harmful_benign, s->harmful,
		pct(s->harmful_benign, s->harmful));
}

static void print_sets(FILE *out, const struct kt_eval_row *rows, size_t n)
{
	struct set_fig sets[3];
	static const char *const names[3] = {"all", "A (rules)", "B (held out)"};

	memset(sets, 0, sizeof(sets));
	for (size_t i = 0; i < n; i++) {
		set_add(&sets[0], &rows[i]);
		set_add(&sets[1 + rows[i].half], &rows[i]);
	}
	fputs("\nfigures by set (decided: benign or harmful, % of the set's reports; right: as "
	      "labeled, % of decided)\n",
	      out);
	fprintf(out, "%-13s %7s | %-23s | %-23s | %-23s | %s\n", "set", "reports",
		"any: decided, right", "medium+: decided, right", "high: decided, right",
		"harmful called benign at medium+");
	for (int i = 0; i < 3; i++)
		set_line(out, names[i], &sets[i]);
	fputs("split: FNV-1a (32 bits) of the report id; an even hash is half A, the reports "
	      "rules may be read and written against; odd is half B, held out\n",
	      out);
	fprintf(out, "unknown with a lean: all %d (lean as labeled %d), A %d (%d), B %d (%d)\n",
		sets[0].leaning, sets[0].lean_right, sets[1].leaning, sets[1].lean_right,
		sets[2].leaning, sets[2].lean_right);
}

/* ---- by rule ---- */

struct subsys_count {
	const char *name;
	int n;
};

struct rule_fig {
	const char *id;
	int right[3], wrong[3]; /* by confidence */
	int unknown[2];		/* by label */
	int held_right, held_wrong;
	struct subsys_count *subsys;
	size_t nsubsys;
};

static struct rule_fig *rule_get(struct rule_fig **rules, size_t *n, const char *id)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*rules)[i].id, id) == 0)
			return &(*rules)[i];
	*rules = kt_xrealloc(*rules, (*n + 1) * sizeof(**rules));
	memset(&(*rules)[*n], 0, sizeof(**rules));
	(*rules)[*n].id = id;
	return &(*rules)[(*n)++];
}

static void subsys_add(struct rule_fig *rf, const char *name)
{
	for (size_t i = 0; i < rf->nsubsys; i++)
		if (strcmp(rf->subsys[i].name, name) == 0) {
			rf->subsys[i].n++;
			return;
		}
	rf->subsys = kt_xrealloc(rf->subsys, (rf->nsubsys + 1) * sizeof(*rf->subsys));
	rf->subsys[rf->nsubsys++] = (struct subsys_count){.name = name, .n = 1};
}

static int cmp_subsys(const void *pa, const void *pb)
{
	const struct subsys_count *a = pa, *b = pb;

	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int known_subsystems(const struct rule_fig *rf)
{
	int k = 0;

	for (size_t i = 0; i < rf->nsubsys; i++)
		k += strcmp(rf->subsys[i].name, "?") != 0;
	return k;
}

static int sum3(const int v[3])
{
	return v[0] + v[1] + v[2];
}

static void rule_line(FILE *out, struct rule_fig *rf)
{
	int r = sum3(rf->right), w = sum3(rf->wrong);
	char prec[16], held[16];

	if (r + w)
		snprintf(prec, sizeof(prec), "%.1f%%", pct(r, r + w));
	else
		snprintf(prec, sizeof(prec), "-");
	snprintf(held, sizeof(held), "%d/%d", rf->held_right, rf->held_wrong);
	fprintf(out, "          %-32s %4d/%-4d %4d/%-4d %4d/%-4d %4d/%-4d %9s %8s  ", rf->id,
		rf->right[2], rf->wrong[2], rf->right[1], rf->wrong[1], rf->right[0], rf->wrong[0],
		rf->unknown[0], rf->unknown[1], prec, held);
	if (rf->nsubsys > 1)
		qsort(rf->subsys, rf->nsubsys, sizeof(*rf->subsys), cmp_subsys);
	for (size_t i = 0; i < rf->nsubsys; i++)
		fprintf(out, "%s%s:%d", i ? " " : "", rf->subsys[i].name, rf->subsys[i].n);
	if (!rf->nsubsys)
		fputs("-", out);
	fputc('\n', out);
}

static void print_rules(FILE *out, const struct kt_eval_row *rows, size_t n)
{
	struct rule_fig *rules = NULL;
	size_t nrules = 0;
	int nsuspect = 0;

	for (size_t i = 0; i < n; i++) {
		const struct kt_eval_row *row = &rows[i];
		struct rule_fig *rf;

		if (!row->rule)
			continue;
		rf = rule_get(&rules, &nrules, row->rule);
		if (!decided(row)) {
			rf->unknown[row->label]++;
			continue;
		}
		if (right(row))
			rf->right[row->confidence]++;
		else
			rf->wrong[row->confidence]++;
		if (row->half == 1) {
			rf->held_right += right(row);
			rf->held_wrong += !right(row);
		}
		subsys_add(rf, row->subsystem);
	}
	fputs("\nby rule: right/wrong by the confidence of the verdict; unknown by label "
	      "(benign/harmful); precision = right / decided; held out = right/wrong on half B; "
	      "the subsystems of the reports it decided\n",
	      out);
	fprintf(out, "          %-32s %9s %9s %9s %9s %9s %8s  %s\n", "rule", "high", "medium",
		"low", "unknown", "precision", "held out", "subsystems");
	for (size_t i = 0; i < nrules; i++)
		rule_line(out, &rules[i]);
	fputs("suspect rules (decided reports of fewer than two known subsystems):", out);
	for (size_t i = 0; i < nrules; i++) {
		const struct rule_fig *rf = &rules[i];

		if (rf->nsubsys == 0 || known_subsystems(rf) >= 2)
			continue;
		fprintf(out, "%s %s", nsuspect ? "," : "", rf->id);
		nsuspect++;
	}
	fprintf(out, "%s\n", nsuspect ? "" : " none");
	for (size_t i = 0; i < nrules; i++)
		free(rules[i].subsys);
	free(rules);
}

void kt_eval_print_figures(FILE *out, const struct kt_eval_row *rows, size_t n)
{
	print_sets(out, rows, n);
	print_rules(out, rows, n);
}
