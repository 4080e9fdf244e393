// SPDX-License-Identifier: Apache-2.0
/*
 * Structure-aware fuzzer of the source stage: real reports mutated where the
 * source stage looks (srcmut.h), each classified through the library with
 * the kernel trees given (--src, one batch: the trees' parsed translation
 * units are shared between reports, as in a run over a log). Deterministic:
 * iteration i of seed S is the same mutant of the same report on every run.
 *
 * usage: fuzz_source [--src DIR]... [--rules DIR] [--seed S] [--runs N]
 *                    [--time SECS] [--out DIR] [--report-timeout SECS]
 *                    [--replay] INPUT...
 * INPUT: report files or directories of them (the seeds). --replay
 * classifies the inputs as they are, every report of them in one batch.
 * Before each classification the report is written to OUT/current.txt (the
 * reproducer when the process dies); a report running past the timeout
 * aborts the process. A classification returning an error, or a result
 * without a verdict, aborts too (the library promises neither). Exit 77: a
 * tree is absent. SIGINT or SIGTERM ends the run after the current report,
 * with its figures.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kcsan/strbuf.h"
#include "kcsan/triage.h"
#include "srcmut.h"

struct opts {
	const char *srcs[4];
	size_t nsrcs;
	const char *rules, *out;
	uint64_t seed;
	unsigned long runs;
	double secs;
	unsigned report_timeout;
	bool replay;
};

struct seeds {
	struct kt_report **r;
	size_t n;
};

struct hashset {
	uint64_t *v;
	size_t n, cap;
};

static bool hashset_add(struct hashset *h, uint64_t x)
{
	if (!x)
		x = 1;
	if (2 * (h->n + 1) > h->cap) {
		struct hashset g = {kt_xcalloc(h->cap ? 2 * h->cap : 1024, sizeof(uint64_t)), 0,
				    h->cap ? 2 * h->cap : 1024};

		for (size_t i = 0; i < h->cap; i++)
			if (h->v[i])
				hashset_add(&g, h->v[i]);
		free(h->v);
		*h = g;
	}
	for (size_t i = x % h->cap;; i = (i + 1) % h->cap) {
		if (h->v[i] == x)
			return false;
		if (!h->v[i]) {
			h->v[i] = x;
			h->n++;
			return true;
		}
	}
}

static uint64_t fnv64(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

static void read_file(const char *path, struct seeds *sd)
{
	FILE *fp = fopen(path, "r");
	struct kt_reader *rd;
	struct kt_report *rep;
	struct kt_error *err;

	if (!fp)
		return;
	if ((err = kt_reader_new(fp, path, &rd))) {
		kt_error_free(err);
		fclose(fp);
		return;
	}
	for (;;) {
		err = kt_reader_next(rd, &rep);
		if (err) {
			kt_error_free(err);
			continue;
		}
		if (!rep)
			break;
		if (rep->naccess && rep->text) {
			sd->r = kt_xrealloc(sd->r, (sd->n + 1) * sizeof(*sd->r));
			sd->r[sd->n++] = rep;
		} else {
			kt_report_free(rep);
		}
	}
	kt_reader_free(rd);
	fclose(fp);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A file, or every regular file of a directory (sorted: deterministic). */
static void read_input(const char *path, struct seeds *sd)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;

	if (stat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		read_file(path, sd);
		return;
	}
	if (!(d = opendir(path)))
		return;
	while ((e = readdir(d))) {
		struct kt_strbuf p;

		if (e->d_name[0] == '.')
			continue;
		kt_strbuf_init(&p);
		kt_strbuf_addf(&p, "%s/%s", path, e->d_name);
		if (stat(p.buf, &st) == 0 && S_ISREG(st.st_mode) &&
		    (kt_str_endswith(p.buf, ".txt") || kt_str_endswith(p.buf, ".log"))) {
			names = kt_xrealloc(names, (n + 1) * sizeof(*names));
			names[n++] = kt_strbuf_detach(&p);
		} else {
			kt_strbuf_fini(&p);
		}
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		read_file(names[i], sd);
		free(names[i]);
	}
	free(names);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* SIGINT or SIGTERM: finish the current report, print the figures, exit. */
static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static void on_alarm(int sig)
{
	static const char msg[] = "fuzz_source: a report ran past the timeout (current.txt)\n";

	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	abort();
}

static void save_current(const struct opts *o, const char *text)
{
	struct kt_strbuf p;
	FILE *fp;

	kt_strbuf_init(&p);
	kt_strbuf_addf(&p, "%s/current.txt", o->out);
	fp = fopen(p.buf, "w");
	if (fp) {
		fputs(text, fp);
		fclose(fp);
	}
	kt_strbuf_fini(&p);
}

struct stats {
	unsigned long execs, unparsed, incomplete, with_source, slow;
	double max_s;
	struct hashset distinct;
};

/* Classify one report; aborts on a broken promise of the library. */
static void classify(struct kt_triage *t, const struct opts *o, const struct kt_report *rep,
		     const char *what, struct stats *st)
{
	struct kt_triage_result *res = NULL;
	struct kt_error *err;
	double t0 = now_s(), dt;

	alarm(o->report_timeout);
	err = kt_triage_classify(t, rep, &res);
	alarm(0);
	dt = now_s() - t0;
	st->execs++;
	if (dt > st->max_s)
		st->max_s = dt;
	if (dt > o->report_timeout / 2.0)
		st->slow++;
	if (dt > 20)
		fprintf(stderr, "fuzz_source: execution %lu (%s) took %.1f s\n", st->execs, what,
			dt);
	if (err || !res) {
		char *m = err ? kt_error_format(err) : NULL;

		fprintf(stderr, "fuzz_source: classification failed: %s\n",
			m ? m : "no result and no error");
		abort();
	}
	if (res->rules.verdict != KT_VERDICT_UNKNOWN && res->rules.verdict != KT_VERDICT_BENIGN &&
	    res->rules.verdict != KT_VERDICT_HARMFUL)
		abort();
	if (res->inputs & KT_ORIGIN_SOURCE)
		st->with_source++;
	if (kt_facts_get(res->facts, "src.incomplete"))
		st->incomplete++;
	kt_triage_result_free(res);
}

static int usage(void)
{
	fprintf(stderr, "usage: fuzz_source [--src DIR]... [--rules DIR] [--seed S] [--runs N] "
			"[--time SECS] [--out DIR] [--report-timeout SECS] [--replay] INPUT...\n");
	return 2;
}

static int parse_args(int argc, char **argv, struct opts *o, struct seeds *sd)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--replay") == 0) {
			o->replay = true;
			continue;
		}
		if (a[0] == '-' && a[1] == '-' && !v)
			return usage();
		if (strcmp(a, "--src") == 0 && o->nsrcs < 4)
			o->srcs[o->nsrcs++] = v;
		else if (strcmp(a, "--rules") == 0)
			o->rules = v;
		else if (strcmp(a, "--seed") == 0)
			o->seed = strtoull(v, NULL, 0);
		else if (strcmp(a, "--runs") == 0)
			o->runs = strtoul(v, NULL, 0);
		else if (strcmp(a, "--time") == 0)
			o->secs = strtod(v, NULL);
		else if (strcmp(a, "--out") == 0)
			o->out = v;
		else if (strcmp(a, "--report-timeout") == 0)
			o->report_timeout = (unsigned)strtoul(v, NULL, 0);
		else if (a[0] == '-' && a[1] == '-')
			return usage();
		else {
			read_input(a, sd);
			continue;
		}
		i++;
	}
	return o->nsrcs && sd->n ? 0 : usage();
}

static void run(struct kt_triage *t, const struct opts *o, const struct seeds *sd, struct stats *st)
{
	struct srcmut_pool pool = {0};
	double start = now_s();

	if (o->replay) {
		for (size_t i = 0; i < sd->n && !stop; i++) {
			save_current(o, sd->r[i]->text);
			classify(t, o, sd->r[i], sd->r[i]->input ? sd->r[i]->input : "?", st);
		}
		return;
	}
	for (size_t i = 0; i < sd->n; i++)
		srcmut_pool_add(&pool, sd->r[i]);
	for (unsigned long it = 0; (!o->runs || it < o->runs) && now_s() - start < o->secs && !stop;
	     it++) {
		struct srcmut_rng rng = {o->seed * 0x100000001b3ull + it};
		const struct kt_report *seed = sd->r[srcmut_below(&rng, sd->n)];
		struct kt_report *m = NULL, *back = NULL;
		struct kt_strbuf what, text;
		struct kt_error *err;

		if ((err = kt_report_parse_string(seed->text, seed->input, &m)) || !m) {
			kt_error_free(err);
			continue;
		}
		kt_strbuf_init(&what);
		kt_strbuf_init(&text);
		srcmut_mutate(m, &pool, &rng, &what);
		srcmut_write(m, &text);
		kt_report_free(m);
		hashset_add(&st->distinct, fnv64(text.buf));
		save_current(o, text.buf);
		if ((err = kt_report_parse_string(text.buf, "mutant", &back)) || !back) {
			st->unparsed++;
			kt_error_free(err);
		} else {
			kt_strbuf_addf(&what, " of %s", seed->input ? seed->input : "?");
			classify(t, o, back, what.buf, st);
			kt_report_free(back);
		}
		kt_strbuf_fini(&what);
		kt_strbuf_fini(&text);
	}
	srcmut_pool_fini(&pool);
}

static void seeds_free(struct seeds *sd)
{
	for (size_t i = 0; i < sd->n; i++)
		kt_report_free(sd->r[i]);
	free(sd->r);
}

int main(int argc, char **argv)
{
	struct opts o = {.out = ".", .secs = 60, .report_timeout = 300, .seed = 1};
	struct seeds sd = {0};
	struct kt_triage_opts to = {0};
	struct kt_triage *t = NULL;
	struct kt_error *err;
	struct stats st = {0};
	struct rusage ru;
	double start = now_s();

	if (parse_args(argc, argv, &o, &sd))
		return 2;
	for (size_t i = 0; i < o.nsrcs; i++) {
		struct stat st;

		if (stat(o.srcs[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "fuzz_source: no tree at %s, skipping\n", o.srcs[i]);
			seeds_free(&sd);
			return 77;
		}
	}
	signal(SIGALRM, on_alarm);
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	to.rules_dir = o.rules;
	to.src_dirs = o.srcs;
	to.nsrc_dirs = o.nsrcs;
	to.check_facts = true;
	to.no_cache = true;
	if ((err = kt_triage_new(&to, &t))) {
		char *m = kt_error_format(err);

		fprintf(stderr, "fuzz_source: %s\n", m);
		free(m);
		kt_error_free(err);
		seeds_free(&sd);
		return 2;
	}
	run(t, &o, &sd, &st);
	kt_triage_free(t);
	getrusage(RUSAGE_SELF, &ru);
	printf("fuzz_source: seed %llu, %zu seed reports, %lu executions (%zu distinct mutated "
	       "reports, %lu not parsed back), %lu with the source layer, %lu incomplete, slowest "
	       "%.2f s, %lu past half the timeout, %.0f s, peak RSS %ld MB\n",
	       (unsigned long long)o.seed, sd.n, st.execs, st.distinct.n, st.unparsed,
	       st.with_source, st.incomplete, st.max_s, st.slow, now_s() - start,
	       ru.ru_maxrss / 1024);
	seeds_free(&sd);
	free(st.distinct.v);
	return 0;
}
