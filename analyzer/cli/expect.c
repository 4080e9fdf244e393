// SPDX-License-Identifier: Apache-2.0
/*
 * --expect: classify reports whose verdicts are known by construction (a
 * fixture kernel's race workloads) and compare, per title, the verdict and
 * the object with the expectation.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "expect.h"
#include "kcsan/strbuf.h"

struct want {
	char *title; /* "KCSAN: data-race in A / B" */
	enum kt_verdict verdict;
	char *object;	      /* or NULL */
	int reports, right;   /* right: decided as expected at medium or high */
	int by_verdict[3][3]; /* verdict x confidence */
	char *got_object;     /* of the first report, or NULL */
	bool object_ok;	      /* every report named the expected object */
};

struct expect_run {
	struct want *w;
	size_t n;
	char **unexpected; /* titles no row names */
	size_t nunexpected;
	bool input_error;
};

/* ---- objects ---- */

/* s without its parenthesized parts, blanks squeezed at the ends. */
static char *strip_parens(const char *s)
{
	struct kt_strbuf sb;
	int depth = 0;

	kt_strbuf_init(&sb);
	for (const char *p = s; *p; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth > 0)
			depth--;
		else if (depth == 0)
			kt_strbuf_addc(&sb, *p);
	}
	while (sb.len && sb.buf[sb.len - 1] == ' ')
		sb.buf[--sb.len] = '\0';
	return kt_strbuf_detach(&sb);
}

static bool ends_name(char c)
{
	return c == '\0' || c == '.' || c == '[' || c == ' ' || c == ':';
}

/* One alternative of each side, parentheses removed. */
static bool alt_matches(const char *exp, size_t elen, const char *got, size_t glen)
{
	const char *colons = memmem(exp, elen, "::", 2);
	size_t n = elen;

	if (!colons && elen > 7 && strncmp(exp, "struct ", 7) == 0) {
		/* "struct S bitfield byte": any member of struct S */
		const char *sp = memchr(exp + 7, ' ', elen - 7);
		n = sp ? (size_t)(sp - exp) : elen;
	}
	if (glen < n || strncmp(got, exp, n) != 0)
		return false;
	if (colons)
		return glen == n || got[n] == '.' || got[n] == '[' || got[n] == ' ';
	return glen == n || ends_name(got[n]);
}

bool kt_expect_object_matches(const char *expected, const char *got)
{
	char *e, *g;
	bool ok = false;

	if (!expected || !got)
		return false;
	e = strip_parens(expected);
	g = strip_parens(got);
	for (const char *ep = e; *ep && !ok;) {
		const char *eend = strstr(ep, " / ");
		size_t elen = eend ? (size_t)(eend - ep) : strlen(ep);

		for (const char *gp = g; *gp && !ok;) {
			const char *gend = strstr(gp, " / ");
			size_t glen = gend ? (size_t)(gend - gp) : strlen(gp);

			ok = alt_matches(ep, elen, gp, glen);
			gp = gend ? gend + 3 : gp + glen;
		}
		ep = eend ? eend + 3 : ep + elen;
	}
	free(e);
	free(g);
	return ok;
}

/* ---- the expect file ---- */

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

static const char *strip_bug(const char *title)
{
	return kt_str_startswith(title, "BUG: ") ? title + 5 : title;
}

static int find_col(char **f, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(f[i], name) == 0)
			return i;
	return -1;
}

static bool parse_verdict(const char *s, enum kt_verdict *v)
{
	if (strcmp(s, "benign") == 0)
		*v = KT_VERDICT_BENIGN;
	else if (strcmp(s, "harmful") == 0)
		*v = KT_VERDICT_HARMFUL;
	else if (strcmp(s, "unknown") == 0)
		*v = KT_VERDICT_UNKNOWN;
	else
		return false;
	return true;
}

static int load_expect(const char *path, struct expect_run *run)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, title = -1, f1 = -1, f2 = -1, verdict = -1, object = -1;

	if (!fp) {
		fprintf(stderr, "kcsan-triage: %s: %s\n", path, strerror(errno));
		return 2;
	}
	while (getline(&line, &cap, fp) > 0) {
		char *f[32];
		int n = split_tab(line, f, 32);
		enum kt_verdict v;

		lineno++;
		if (lineno == 1) {
			title = find_col(f, n, "title");
			f1 = find_col(f, n, "func1");
			f2 = find_col(f, n, "func2");
			verdict = find_col(f, n, "verdict");
			object = find_col(f, n, "object");
			if (verdict < 0 || (title < 0 && (f1 < 0 || f2 < 0))) {
				fprintf(stderr,
					"kcsan-triage: %s:1: the header needs 'verdict' and "
					"'title' or 'func1' and 'func2' columns\n",
					path);
				break;
			}
			continue;
		}
		if (n == 1 && !*f[0])
			continue;
		if (n <= verdict || (title >= 0 ? n <= title : n <= f1 || n <= f2) ||
		    !parse_verdict(f[verdict], &v)) {
			fprintf(stderr,
				"kcsan-triage: %s:%d: a row needs a title and a verdict (benign, "
				"harmful or unknown)\n",
				path, lineno);
			free(line);
			fclose(fp);
			return 2;
		}
		run->w = kt_xrealloc(run->w, (run->n + 1) * sizeof(*run->w));
		struct want *w = &run->w[run->n++];
		struct kt_strbuf sb;

		memset(w, 0, sizeof(*w));
		kt_strbuf_init(&sb);
		if (title >= 0)
			kt_strbuf_adds(&sb, strip_bug(f[title]));
		else
			kt_strbuf_addf(&sb, "KCSAN: data-race in %s / %s", f[f1], f[f2]);
		w->title = kt_strbuf_detach(&sb);
		w->verdict = v;
		w->object = object >= 0 && n > object && *f[object] ? kt_xstrdup(f[object]) : NULL;
		w->object_ok = true;
	}
	free(line);
	fclose(fp);
	if (lineno == 0 || verdict < 0 || (title < 0 && (f1 < 0 || f2 < 0))) {
		if (lineno == 0)
			fprintf(stderr, "kcsan-triage: %s: empty\n", path);
		return 2;
	}
	return 0;
}

/* ---- the reports ---- */

static const char *object_of(const struct kt_triage_result *res);

static void score(struct expect_run *run, const struct kt_report *rep,
		  const struct kt_triage_result *res)
{
	const char *got = object_of(res);
	const char *title = rep->title ? strip_bug(rep->title) : "";
	enum kt_verdict v = res->rules.verdict;
	enum kt_confidence c = res->rules.confidence;

	for (size_t i = 0; i < run->n; i++) {
		struct want *w = &run->w[i];

		if (strcmp(w->title, title) != 0)
			continue;
		w->reports++;
		w->by_verdict[v][c]++;
		if (v == w->verdict && v != KT_VERDICT_UNKNOWN && c >= KT_CONF_MEDIUM)
			w->right++;
		if (!w->got_object && got)
			w->got_object = kt_xstrdup(got);
		if (w->object && !kt_expect_object_matches(w->object, got))
			w->object_ok = false;
		return;
	}
	for (size_t i = 0; i < run->nunexpected; i++)
		if (strcmp(run->unexpected[i], title) == 0)
			return;
	run->unexpected =
	    kt_xrealloc(run->unexpected, (run->nunexpected + 1) * sizeof(*run->unexpected));
	run->unexpected[run->nunexpected++] = kt_xstrdup(title);
}

static void print_err(struct expect_run *run, struct kt_error *err)
{
	char *m = kt_error_format(err);

	fprintf(stderr, "kcsan-triage: %s\n", m);
	free(m);
	kt_error_free(err);
	run->input_error = true;
}

/* The object as the output names it: the source stage's, else the binary's. */
static const char *object_of(const struct kt_triage_result *res)
{
	static const char *const names[2] = {"object", "obj.name"};

	for (int i = 0; i < 2; i++) {
		const struct kt_fact *f = kt_facts_get(res->facts, names[i]);
		if (f && f->type == KT_FACT_STR && f->s && *f->s)
			return f->s;
	}
	return NULL;
}

static void read_file(struct kt_triage *t, struct expect_run *run, const char *path)
{
	FILE *fp = fopen(path, "rb");
	struct kt_reader *rd;
	struct kt_error *err;

	if (!fp) {
		fprintf(stderr, "kcsan-triage: %s: %s\n", path, strerror(errno));
		run->input_error = true;
		return;
	}
	err = kt_reader_new(fp, path, &rd);
	if (err) {
		print_err(run, err);
		fclose(fp);
		return;
	}
	for (;;) {
		struct kt_report *rep = NULL;
		struct kt_triage_result *res = NULL;

		err = kt_reader_next(rd, &rep);
		if (err) {
			/* one unreadable report; the next may be fine */
			print_err(run, err);
			continue;
		}
		if (!rep)
			break;
		err = kt_triage_classify(t, rep, &res);
		if (err)
			print_err(run, err);
		else
			score(run, rep, res);
		kt_triage_result_free(res);
		kt_report_free(rep);
	}
	kt_reader_free(rd);
	fclose(fp);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void read_path(struct kt_triage *t, struct expect_run *run, const char *path, int depth)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "kcsan-triage: %s: %s\n", path, strerror(errno));
		run->input_error = true;
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (S_ISREG(st.st_mode) || depth == 0)
			read_file(t, run, path);
		return;
	}
	if (depth > 16 || !(d = opendir(path))) {
		fprintf(stderr, "kcsan-triage: %s: cannot read the directory\n", path);
		run->input_error = true;
		return;
	}
	while ((de = readdir(d))) {
		struct kt_strbuf sb;

		if (de->d_name[0] == '.')
			continue;
		kt_strbuf_init(&sb);
		kt_strbuf_addf(&sb, "%s/%s", path, de->d_name);
		names = kt_xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = kt_strbuf_detach(&sb);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		read_path(t, run, names[i], depth + 1);
		free(names[i]);
	}
	free(names);
}

/* ---- the table ---- */

static void print_verdicts(FILE *out, const struct want *w)
{
	bool first = true;

	for (int v = 0; v < 3; v++)
		for (int c = 2; c >= 0; c--) {
			if (!w->by_verdict[v][c])
				continue;
			fprintf(out, "%s%s/%s:%d", first ? "" : ",", kt_verdict_name(v),
				kt_confidence_name(c), w->by_verdict[v][c]);
			first = false;
		}
	if (first)
		fputs("-", out);
}

static void print_table(FILE *out, const struct expect_run *run)
{
	int titles = 0, seen = 0, titles_right = 0, reports = 0, right = 0, objects = 0,
	    objects_ok = 0;

	fprintf(out, "%-56s %7s %-8s %6s %-7s  %s\n", "title", "reports", "expected", "right",
		"object", "verdicts; object named");
	for (size_t i = 0; i < run->n; i++) {
		const struct want *w = &run->w[i];
		const char *ob = !w->object	? "-"
				 : !w->reports	? "-"
				 : w->object_ok ? "ok"
						: "wrong";

		titles++;
		reports += w->reports;
		right += w->right;
		if (w->reports) {
			seen++;
			titles_right += w->right == w->reports;
			if (w->object) {
				objects++;
				objects_ok += w->object_ok;
			}
		}
		fprintf(out, "%-56s %7d %-8s %6d %-7s  ", w->title, w->reports,
			kt_verdict_name(w->verdict), w->right, ob);
		print_verdicts(out, w);
		fprintf(out, "; %s\n", w->got_object ? w->got_object : "(none)");
	}
	fprintf(out, "\ntitles right at medium+ (every report of the title): %d of %d (%d seen)\n",
		titles_right, titles, seen);
	fprintf(out, "reports right at medium+: %d of %d (%.1f%%)\n", right, reports,
		reports ? 100.0 * right / reports : 0.0);
	fprintf(out, "objects right (every report of the title): %d of %d\n", objects_ok, objects);
	for (size_t i = 0; i < run->nunexpected; i++)
		fprintf(out, "title not in the expect file: %s\n", run->unexpected[i]);
}

int kt_cli_expect(struct kt_triage *t, const char *expect, char **inputs, int ninputs, FILE *out)
{
	struct expect_run run;
	int rc;

	memset(&run, 0, sizeof(run));
	rc = load_expect(expect, &run);
	if (rc == 0 && ninputs == 0) {
		fputs("kcsan-triage: --expect needs the reports to classify (files or "
		      "directories)\n",
		      stderr);
		rc = 2;
	}
	if (rc == 0) {
		for (int i = 0; i < ninputs; i++)
			read_path(t, &run, inputs[i], 0);
		print_table(out, &run);
		if (run.input_error)
			rc = 2;
	}
	for (size_t i = 0; i < run.n; i++) {
		free(run.w[i].title);
		free(run.w[i].object);
		free(run.w[i].got_object);
	}
	free(run.w);
	for (size_t i = 0; i < run.nunexpected; i++)
		free(run.unexpected[i]);
	free(run.unexpected);
	return rc;
}
