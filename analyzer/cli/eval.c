// SPDX-License-Identifier: Apache-2.0
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "kcsan/strbuf.h"

#define MAX_RULES 256

struct rule_stat {
	char *id;
	int right, wrong, unknown_on[2];
};

struct eval_state {
	int matrix[2][3]; /* label benign/harmful x verdict benign/harmful/unknown */
	int high_benign_on_harmful;
	int missing;
	struct rule_stat rules[MAX_RULES];
	int nrules;
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

static struct rule_stat *rule_stat(struct eval_state *st, const char *id)
{
	for (int i = 0; i < st->nrules; i++)
		if (strcmp(st->rules[i].id, id) == 0)
			return &st->rules[i];
	if (st->nrules == MAX_RULES)
		return NULL;
	st->rules[st->nrules].id = kt_xstrdup(id);
	return &st->rules[st->nrules++];
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

static void classify_one(struct kt_triage *t, struct eval_state *st, const char *path,
			 const char *id, int label, FILE *out)
{
	FILE *fp = fopen(path, "rb");
	struct kt_reader *rd = NULL;
	struct kt_report *rep = NULL;
	struct kt_triage_result *res = NULL;
	struct kt_error *err;

	if (!fp) {
		fprintf(stderr, "kcsan-triage: %s: cannot open\n", path);
		st->missing++;
		return;
	}
	err = kt_reader_new(fp, path, &rd);
	if (!err)
		err = kt_reader_next(rd, &rep);
	if (!err && !rep)
		err = kt_error_new(KT_ERR_PARSE, path, 0, "no KCSAN report found");
	if (!err)
		err = kt_triage_classify(t, rep, &res);
	if (err) {
		char *m = kt_error_format(err);
		fprintf(stderr, "kcsan-triage: %s\n", m);
		free(m);
		kt_error_free(err);
		/* Unreadable counts as undecided: it got no verdict. */
		st->matrix[label][2]++;
		fprintf(out, "%-12s %-8s %-8s %-6s %s\n", id, label ? "harmful" : "benign", "error",
			"-", "-");
	} else {
		enum kt_verdict v = res->rules.verdict;
		int col = verdict_col(v);
		st->matrix[label][col]++;
		if (label == 1 && v == KT_VERDICT_BENIGN && res->rules.confidence == KT_CONF_HIGH)
			st->high_benign_on_harmful++;
		if (res->rules.rule_id) {
			struct rule_stat *rs = rule_stat(st, res->rules.rule_id);
			if (rs) {
				if (col == 2)
					rs->unknown_on[label]++;
				else if (col == label)
					rs->right++;
				else
					rs->wrong++;
			}
		}
		fprintf(out, "%-12s %-8s %-8s %-6s %s\n", id, label ? "harmful" : "benign",
			kt_verdict_name(v), kt_confidence_name(res->rules.confidence),
			res->rules.rule_id ? res->rules.rule_id : "-");
	}
	kt_triage_result_free(res);
	kt_report_free(rep);
	kt_reader_free(rd);
	fclose(fp);
}

int kt_cli_eval(struct kt_triage *t, const char *labels, const char *reports_dir, FILE *out)
{
	FILE *fp = fopen(labels, "r");
	struct eval_state st;
	char *line = NULL, *dir = NULL;
	size_t cap = 0;
	int id_col = -1, label_col = -1, lineno = 0, rc = 0;

	if (!fp) {
		fprintf(stderr, "kcsan-triage: %s: cannot open\n", labels);
		return 2;
	}
	memset(&st, 0, sizeof(st));
	if (reports_dir) {
		dir = kt_xstrdup(reports_dir);
	} else {
		const char *slash = strrchr(labels, '/');
		struct kt_strbuf sb;
		kt_strbuf_init(&sb);
		if (slash)
			kt_strbuf_add(&sb, labels, (size_t)(slash - labels + 1));
		kt_strbuf_adds(&sb, "reports");
		dir = kt_strbuf_detach(&sb);
	}
	fprintf(out, "%-12s %-8s %-8s %-6s %s\n", "id", "label", "verdict", "conf", "rule");
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
		classify_one(t, &st, p.buf, f[id_col], label, out);
		kt_strbuf_fini(&p);
	}
	free(line);
	fclose(fp);
	free(dir);

	int total = 0, decided = 0, right = 0;
	for (int l = 0; l < 2; l++)
		for (int c = 0; c < 3; c++) {
			total += st.matrix[l][c];
			if (c < 2)
				decided += st.matrix[l][c];
			if (c == l)
				right += st.matrix[l][c];
		}
	fprintf(out, "\nconfusion matrix (rows: label, columns: verdict)\n");
	fprintf(out, "%-10s %8s %8s %8s\n", "", "benign", "harmful", "unknown");
	fprintf(out, "%-10s %8d %8d %8d\n", "benign", st.matrix[0][0], st.matrix[0][1],
		st.matrix[0][2]);
	fprintf(out, "%-10s %8d %8d %8d\n", "harmful", st.matrix[1][0], st.matrix[1][1],
		st.matrix[1][2]);
	fprintf(out, "reports: %d (missing %d)\n", total, st.missing);
	fprintf(out, "decided: %d of %d (%.1f%%)\n", decided, total,
		total ? 100.0 * decided / total : 0.0);
	fprintf(out, "accuracy of decided: %d of %d (%.1f%%)\n", right, decided,
		decided ? 100.0 * right / decided : 0.0);
	fprintf(out, "high-confidence benign on harmful-labeled: %d\n", st.high_benign_on_harmful);
	fprintf(out, "\nper rule: %-32s %6s %6s %10s\n", "rule", "right", "wrong", "unknown b/h");
	for (int i = 0; i < st.nrules; i++) {
		fprintf(out, "          %-32s %6d %6d %5d/%-4d\n", st.rules[i].id,
			st.rules[i].right, st.rules[i].wrong, st.rules[i].unknown_on[0],
			st.rules[i].unknown_on[1]);
		free(st.rules[i].id);
	}
	return rc;
}
