// SPDX-License-Identifier: Apache-2.0
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kcsan/crosscheck.h"
#include "kcsan/strbuf.h"
#include "llm_mode.h"

struct rule_row {
	char *rule;
	int n[3];
};

struct state {
	struct kt_report **reps;
	size_t nreps;
	struct rule_row *rows;
	size_t nrows;
	int total[3];
	bool error;
};

static void print_err(struct kt_error *err)
{
	char *m = kt_error_format(err);
	fprintf(stderr, "kcsan-triage: %s\n", m);
	free(m);
	kt_error_free(err);
}

static void read_reports(struct state *st, FILE *fp, const char *name)
{
	struct kt_reader *rd;
	struct kt_error *err = kt_reader_new(fp, name, &rd);

	if (err) {
		print_err(err);
		st->error = true;
		return;
	}
	for (;;) {
		struct kt_report *rep = NULL;
		err = kt_reader_next(rd, &rep);
		if (err) {
			print_err(err);
			st->error = true;
			continue;
		}
		if (!rep)
			break;
		st->reps = kt_xrealloc(st->reps, (st->nreps + 1) * sizeof(*st->reps));
		st->reps[st->nreps++] = rep;
	}
	kt_reader_free(rd);
}

static struct kt_report *first_report(const char *text, const char *name, struct state *st)
{
	struct kt_report *rep = NULL;
	struct kt_error *err = kt_report_parse_string(text, name, &rep);

	if (err) {
		print_err(err);
		st->error = true;
		return NULL;
	}
	return rep;
}

static struct kt_report *report_from_file(const char *path, struct state *st)
{
	FILE *fp = fopen(path, "rb");
	struct kt_report *rep = NULL;
	struct kt_reader *rd;
	struct kt_error *err;

	if (!fp) {
		fprintf(stderr, "kcsan-triage: %s: cannot open\n", path);
		st->error = true;
		return NULL;
	}
	err = kt_reader_new(fp, path, &rd);
	if (!err) {
		err = kt_reader_next(rd, &rep);
		kt_reader_free(rd);
	}
	fclose(fp);
	if (err) {
		print_err(err);
		st->error = true;
	}
	return rep;
}

static void count(struct state *st, const char *rule, enum kt_agreement a)
{
	const char *r = rule ? rule : "(none)";
	size_t i;

	st->total[a]++;
	for (i = 0; i < st->nrows; i++)
		if (strcmp(st->rows[i].rule, r) == 0)
			break;
	if (i == st->nrows) {
		st->rows = kt_xrealloc(st->rows, (st->nrows + 1) * sizeof(*st->rows));
		memset(&st->rows[i], 0, sizeof(st->rows[i]));
		st->rows[i].rule = kt_xstrdup(r);
		st->nrows++;
	}
	st->rows[i].n[a]++;
}

static void one(struct kt_triage *t, struct state *st, const char *path, bool single, bool json)
{
	struct kt_llm_verdict *v;
	struct kt_error *err = kt_llm_read(path, &v);
	struct kt_report *own = NULL;
	const struct kt_report *rep = NULL;

	if (err) {
		print_err(err);
		st->error = true;
		return;
	}
	if (v->report_text)
		rep = own = first_report(v->report_text, path, st);
	else if (v->report_path)
		rep = own = report_from_file(v->report_path, st);
	if (!rep && v->title) {
		for (size_t i = 0; i < st->nreps && !rep; i++)
			if (st->reps[i]->title && strcmp(st->reps[i]->title, v->title) == 0)
				rep = st->reps[i];
	}
	if (!rep && single && st->nreps == 1)
		rep = st->reps[0];
	if (!rep) {
		fprintf(stderr, "kcsan-triage: %s: no report found for this LLM verdict (%s)\n",
			path, v->title ? v->title : "the verdict names no title");
		st->error = true;
		kt_llm_verdict_free(v);
		kt_report_free(own);
		return;
	}
	struct kt_triage_result *res;
	err = kt_triage_classify(t, rep, &res);
	if (err) {
		print_err(err);
		st->error = true;
	} else {
		kt_llm_print(stdout, v, res, json);
		count(st, res->rules.rule_id, kt_llm_compare(v, res));
		kt_triage_result_free(res);
	}
	kt_llm_verdict_free(v);
	kt_report_free(own);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int kt_cli_llm(struct kt_triage *t, const char *llm, char **inputs, int ninputs, bool json)
{
	struct state st;
	struct stat sb;

	memset(&st, 0, sizeof(st));
	for (int i = 0; i < ninputs; i++) {
		FILE *fp = fopen(inputs[i], "rb");
		if (!fp) {
			fprintf(stderr, "kcsan-triage: %s: cannot open\n", inputs[i]);
			st.error = true;
			continue;
		}
		read_reports(&st, fp, inputs[i]);
		fclose(fp);
	}
	if (stat(llm, &sb) != 0) {
		fprintf(stderr, "kcsan-triage: %s: cannot open\n", llm);
		return 2;
	}
	if (S_ISDIR(sb.st_mode)) {
		DIR *d = opendir(llm);
		struct dirent *de;
		char **names = NULL;
		size_t n = 0;
		while (d && (de = readdir(d))) {
			const char *nm = de->d_name;
			if (nm[0] == '.' || kt_str_endswith(nm, ".report.txt") ||
			    !(kt_str_endswith(nm, ".json") || kt_str_endswith(nm, ".txt")))
				continue;
			struct kt_strbuf p;
			kt_strbuf_init(&p);
			size_t dl = strlen(llm);
			while (dl > 1 && llm[dl - 1] == '/')
				dl--;
			kt_strbuf_addf(&p, "%.*s/%s", (int)dl, llm, nm);
			/* a FIFO or a device among the verdicts would block */
			struct stat es;
			if (stat(p.buf, &es) != 0 || !S_ISREG(es.st_mode)) {
				fprintf(stderr, "kcsan-triage: %s: not a regular file, skipped\n",
					p.buf);
				st.error = true;
				kt_strbuf_fini(&p);
				continue;
			}
			names = kt_xrealloc(names, (n + 1) * sizeof(char *));
			names[n++] = kt_strbuf_detach(&p);
		}
		if (d)
			closedir(d);
		qsort(names, n, sizeof(char *), cmp_str);
		for (size_t i = 0; i < n; i++) {
			one(t, &st, names[i], false, json);
			free(names[i]);
		}
		free(names);
	} else {
		one(t, &st, llm, true, json);
	}

	FILE *sum = json ? stderr : stdout;
	fprintf(sum,
		"LLM cross-check: %d agree, %d disagree, %d undecided (kcsan-triage unknown)\n",
		st.total[KT_AGREE], st.total[KT_DISAGREE], st.total[KT_UNDECIDED]);
	fprintf(sum, "%-36s %6s %9s %10s\n", "rule", "agree", "disagree", "undecided");
	for (size_t i = 0; i < st.nrows; i++) {
		fprintf(sum, "%-36s %6d %9d %10d\n", st.rows[i].rule, st.rows[i].n[0],
			st.rows[i].n[1], st.rows[i].n[2]);
		free(st.rows[i].rule);
	}
	free(st.rows);
	for (size_t i = 0; i < st.nreps; i++)
		kt_report_free(st.reps[i]);
	free(st.reps);
	return st.error ? 2 : 0;
}
