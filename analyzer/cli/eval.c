// SPDX-License-Identifier: Apache-2.0
/*
 * --eval: classify every report of a labeled corpus, print one line per
 * report, the confusion matrix, and the figures of eval_figures.c.
 */
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "kcsan/strbuf.h"

struct eval_state {
	int matrix[2][3]; /* label benign/harmful x verdict benign/harmful/unknown */
	int high_benign_on_harmful;
	int missing;
	struct kt_eval_row *rows;
	size_t nrows;
};

static int label_index(const char *s)
{
	if (strcmp(s, "benign") == 0)
		return 0;
	if (strcmp(s, "harmful") == 0)
		return 1;
	return -1;
}

static int verdict_col(enum kt_verdict v)
{
	return v == KT_VERDICT_BENIGN ? 0 : v == KT_VERDICT_HARMFUL ? 1 : 2;
}

/* Split a TSV line in place; returns the number of fields. */
static int split_tab(char *line, char **fields, int max)
{
	int n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	fields[n++] = line;
	for (char *p = line; *p && n < max; p++) {
		if (*p == '\t') {
			*p = '\0';
			fields[n++] = p + 1;
		}
	}
	return n;
}

/* The tree a line names: its last path component. */
static const char *tree_base(const char *dir)
{
	const char *end = dir + strlen(dir), *p;

	while (end > dir + 1 && end[-1] == '/')
		end--;
	for (p = end; p > dir && p[-1] != '/'; p--)
		;
	return p;
}

static void print_row(FILE *out, const struct kt_eval_row *r, const char *tree)
{
	const char *lean = "-";

	if (!r->error && r->verdict == KT_VERDICT_UNKNOWN && r->lean != KT_VERDICT_UNKNOWN)
		lean = r->lean == KT_VERDICT_BENIGN ? "lean-benign" : "lean-harmful";
	fprintf(out, "%-12s %-8s %-8s %-6s %-32s %s %-14s %-12s", r->id,
		r->label ? "harmful" : "benign", r->error ? "error" : kt_verdict_name(r->verdict),
		r->error ? "-" : kt_confidence_name(r->confidence), r->rule ? r->rule : "-",
		r->half ? "B" : "A", r->subsystem, lean);
	if (tree) {
		const char *b = tree_base(tree);
		size_t n = strlen(b);

		while (n > 1 && b[n - 1] == '/')
			n--;
		fprintf(out, " %.*s", (int)n, b);
	}
	fputc('\n', out);
}

static struct kt_eval_row *new_row(struct eval_state *st, const char *id, int label)
{
	struct kt_eval_row *r;

	st->rows = kt_xrealloc(st->rows, (st->nrows + 1) * sizeof(*st->rows));
	r = &st->rows[st->nrows++];
	memset(r, 0, sizeof(*r));
	r->id = kt_xstrdup(id);
	r->label = label;
	r->half = kt_eval_half(id);
	return r;
}

static void classify_one(struct kt_triage *t, struct eval_state *st, const char *path,
			 const char *id, int label, const char *kernel, FILE *out)
{
	FILE *fp = fopen(path, "rb");
	struct kt_reader *rd = NULL;
	struct kt_report *rep = NULL;
	struct kt_triage_result *res = NULL;
	struct kt_error *err;
	struct kt_eval_row *r;

	if (!fp) {
		fprintf(stderr, "kcsan-triage: %s: cannot open\n", path);
		st->missing++;
		return;
	}
	r = new_row(st, id, label);
	err = kt_reader_new(fp, path, &rd);
	if (!err)
		err = kt_reader_next(rd, &rep);
	if (!err && !rep)
		err = kt_error_new(KT_ERR_PARSE, path, 0, "no KCSAN report found");
	if (!err)
		err = kt_triage_classify_with(t, rep, kernel, &res);
	if (err) {
		char *m = kt_error_format(err);
		fprintf(stderr, "kcsan-triage: %s\n", m);
		free(m);
		kt_error_free(err);
		/* Unreadable counts as undecided: it got no verdict. */
		r->error = true;
		r->verdict = KT_VERDICT_UNKNOWN;
		r->subsystem = kt_xstrdup("?");
		st->matrix[label][2]++;
		print_row(out, r, NULL);
	} else {
		enum kt_verdict v = res->rules.verdict;

		r->verdict = v;
		r->confidence = res->rules.confidence;
		r->lean = v == KT_VERDICT_UNKNOWN ? res->rules.lean : KT_VERDICT_UNKNOWN;
		r->rule = res->rules.rule_id ? kt_xstrdup(res->rules.rule_id) : NULL;
		r->subsystem = kt_eval_subsystem(res->facts);
		st->matrix[label][verdict_col(v)]++;
		if (label == 1 && v == KT_VERDICT_BENIGN && res->rules.confidence == KT_CONF_HIGH)
			st->high_benign_on_harmful++;
		print_row(out, r, res->source_dir);
	}
	kt_triage_result_free(res);
	kt_report_free(rep);
	kt_reader_free(rd);
	fclose(fp);
}

/* The old per-rule block: right, wrong, and unknown by label. */
static void print_rule_hits(FILE *out, const struct eval_state *st)
{
	const char **seen = kt_xcalloc(st->nrows + 1, sizeof(char *));
	size_t nseen = 0;

	fprintf(out, "\nper rule: %-32s %6s %6s %10s\n", "rule", "right", "wrong", "unknown b/h");
	for (size_t i = 0; i < st->nrows; i++) {
		const char *id = st->rows[i].rule;
		int right = 0, wrong = 0, unk[2] = {0, 0};
		bool dup = false;

		if (!id)
			continue;
		for (size_t k = 0; k < nseen && !dup; k++)
			dup = strcmp(seen[k], id) == 0;
		if (dup)
			continue;
		seen[nseen++] = id;
		for (size_t j = i; j < st->nrows; j++) {
			const struct kt_eval_row *r = &st->rows[j];
			if (!r->rule || strcmp(r->rule, id) != 0)
				continue;
			if (r->verdict == KT_VERDICT_UNKNOWN)
				unk[r->label]++;
			else if (verdict_col(r->verdict) == r->label)
				right++;
			else
				wrong++;
		}
		fprintf(out, "          %-32s %6d %6d %5d/%-4d\n", id, right, wrong, unk[0],
			unk[1]);
	}
	free(seen);
}

static void print_summary(FILE *out, const struct eval_state *st)
{
	int total = 0, decided = 0, right = 0;

	for (int l = 0; l < 2; l++)
		for (int c = 0; c < 3; c++) {
			total += st->matrix[l][c];
			if (c < 2)
				decided += st->matrix[l][c];
			if (c == l)
				right += st->matrix[l][c];
		}
	fprintf(out, "\nconfusion matrix (rows: label, columns: verdict)\n");
	fprintf(out, "%-10s %8s %8s %8s\n", "", "benign", "harmful", "unknown");
	fprintf(out, "%-10s %8d %8d %8d\n", "benign", st->matrix[0][0], st->matrix[0][1],
		st->matrix[0][2]);
	fprintf(out, "%-10s %8d %8d %8d\n", "harmful", st->matrix[1][0], st->matrix[1][1],
		st->matrix[1][2]);
	fprintf(out, "reports: %d (missing %d)\n", total, st->missing);
	fprintf(out, "decided: %d of %d (%.1f%%)\n", decided, total,
		total ? 100.0 * decided / total : 0.0);
	fprintf(out, "accuracy of decided: %d of %d (%.1f%%)\n", right, decided,
		decided ? 100.0 * right / decided : 0.0);
	fprintf(out, "high-confidence benign on harmful-labeled: %d\n", st->high_benign_on_harmful);
}

static char *reports_dir_for(const char *labels, const char *reports_dir)
{
	const char *slash = strrchr(labels, '/');
	struct kt_strbuf sb;

	if (reports_dir)
		return kt_xstrdup(reports_dir);
	kt_strbuf_init(&sb);
	if (slash)
		kt_strbuf_add(&sb, labels, (size_t)(slash - labels + 1));
	kt_strbuf_adds(&sb, "reports");
	return kt_strbuf_detach(&sb);
}

int kt_cli_eval(struct kt_triage *t, const char *labels, const char *reports_dir, FILE *out)
{
	FILE *fp = fopen(labels, "r");
	struct eval_state st;
	char *line = NULL, *dir;
	size_t cap = 0;
	int id_col = -1, label_col = -1, kernel_col = -1, lineno = 0, rc = 0;

	if (!fp) {
		fprintf(stderr, "kcsan-triage: %s: cannot open\n", labels);
		return 2;
	}
	memset(&st, 0, sizeof(st));
	dir = reports_dir_for(labels, reports_dir);
	fprintf(out, "%-12s %-8s %-8s %-6s %-32s %s %-14s %-12s %s\n", "id", "label", "verdict",
		"conf", "rule", "half", "subsystem", "lean", "tree");
	while (getline(&line, &cap, fp) > 0) {
		char *f[32];
		int n = split_tab(line, f, 32);
		lineno++;
		if (lineno == 1) {
			for (int i = 0; i < n; i++) {
				if (strcmp(f[i], "id") == 0)
					id_col = i;
				else if (strcmp(f[i], "label") == 0)
					label_col = i;
				else if (strcmp(f[i], "kernel_version_or_commit") == 0 ||
					 strcmp(f[i], "kernel") == 0)
					kernel_col = i;
			}
			if (id_col < 0 || label_col < 0) {
				fprintf(stderr,
					"kcsan-triage: %s:1: the header needs 'id' and 'label' "
					"columns\n",
					labels);
				rc = 2;
				break;
			}
			continue;
		}
		if (n <= id_col || n <= label_col || !*f[id_col])
			continue;
		int label = label_index(f[label_col]);
		if (label < 0) {
			fprintf(stderr,
				"kcsan-triage: %s:%d: label '%s' is not benign or harmful\n",
				labels, lineno, f[label_col]);
			rc = 2;
			continue;
		}
		struct kt_strbuf p;
		kt_strbuf_init(&p);
		kt_strbuf_addf(&p, "%s/%s.txt", dir, f[id_col]);
		classify_one(t, &st, p.buf, f[id_col], label,
			     kernel_col >= 0 && n > kernel_col ? f[kernel_col] : NULL, out);
		kt_strbuf_fini(&p);
	}
	free(line);
	fclose(fp);
	free(dir);

	print_summary(out, &st);
	print_rule_hits(out, &st);
	kt_eval_print_figures(out, st.rows, st.nrows);
	for (size_t i = 0; i < st.nrows; i++) {
		free(st.rows[i].id);
		free(st.rows[i].rule);
		free(st.rows[i].subsystem);
	}
	free(st.rows);
	return rc;
}
