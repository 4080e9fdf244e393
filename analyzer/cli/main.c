// SPDX-License-Identifier: Apache-2.0
/*
 * kcsan-triage: classify KCSAN data-race reports. A thin shell over the
 * library: read inputs, classify each report, print, and gate.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kcsan/binary.h"
#include "kcsan/catalogue.h"
#include "kcsan/output.h"
#include "kcsan/rules.h"
#include "kcsan/source.h"
#include "kcsan/strbuf.h"
#include "kcsan/table.h"
#include "kcsan/triage.h"

#include "baseline.h"
#include "batch.h"
#include "progress.h"
#include "eval.h"
#include "expect.h"
#include "llm_mode.h"

enum gate { GATE_NEVER, GATE_HARMFUL, GATE_UNKNOWN };
#define KT_MAX_TREES 16
enum format { FMT_TEXT, FMT_JSON, FMT_SARIF, FMT_FACTS };

struct cli {
	struct kt_triage_opts topts;
	enum format format;
	enum gate gate;
	bool symbolize;
	bool check_rules;
	const char *check_dir;
	const char *eval_labels;
	const char *eval_reports;
	const char *llm;
	const char *expect;
	const char *src_dirs[KT_MAX_TREES];
	const char *baseline_path;
	struct kt_baseline baseline;
	struct kt_sarif *sarif;
	int jobs;
	struct kt_batch *batch;
	bool quiet;
	struct kt_progress progress;
	long baselined;
	/* run state */
	struct kt_triage *triage;
	struct kt_vmlinux *vm; /* --symbolize only */
	long reports;
	long gated;
	long bad_reports;
	bool input_error;
	long by_verdict[3];
};

static void usage(FILE *out)
{
	fputs("usage: kcsan-triage [OPTIONS] [INPUT...]\n"
	      "Classify Linux KCSAN data-race reports as benign, harmful or unknown.\n"
	      "INPUT is a report, a console log with any number of reports, or a\n"
	      "directory of them; none or '-' reads standard input.\n"
	      "\n"
	      "  --format text|json|sarif|facts\n"
	      "                          output layout (default text; json = JSON Lines;\n"
	      "                          sarif = one SARIF 2.1.0 log for the run;\n"
	      "                          facts = every fact the stages wrote)\n"
	      "  --rules DIR             rule directory (default: the shipped rules)\n"
	      "  --vmlinux FILE          vmlinux of the build that printed the reports\n"
	      "  --src DIR               kernel source tree of that build; given several\n"
	      "                          times, each report is read against the tree\n"
	      "                          nearest its kernel version; a git work tree is\n"
	      "                          read at each report's own commit\n"
	      "  --rev REV               read a git --src at REV (default: the report's)\n"
	      "  --min-confidence low|medium|high\n"
	      "                          decisions below it become unknown, with a lean\n"
	      "                          (default medium: a low-confidence decision\n"
	      "                          is unknown, with its lean)\n"
	      "  --compile-commands FILE compilation database (default DIR/compile_commands.json)\n"
	      "  --cache-dir DIR         index cache (default $XDG_CACHE_HOME/kcsan-triage)\n"
	      "  --no-cache              do not read or write the index cache\n"
	      "  --no-census             with --src, no census of the object across the tree\n"
	      "  --fail-on harmful|unknown|never\n"
	      "                          exit 1 when a report is harmful (or not benign)\n"
	      "  --baseline FILE         accepted races (title, object or *, reason, who;\n"
	      "                          tab-separated): they never trip the gate\n"
	      "  -j, --jobs N            classify on N threads (output stays in input order)\n"
	      "  -q, --quiet             no progress line on a terminal\n"
	      "  --symbolize             print the reports symbolized (needs --vmlinux)\n"
	      "  --check-rules [DIR]     validate a rule directory and exit\n"
	      "  --eval LABELS.tsv       classify a labeled corpus (reports/ID.txt beside it,\n"
	      "                          or --eval-reports DIR) and print the confusion matrix\n"
	      "  --expect FILE           classify the inputs and compare each title's\n"
	      "                          verdict and object with FILE (tab-separated)\n"
	      "  --llm FILE|DIR          cross-check syzbot LLM verdicts (page text or JSON)\n"
	      "                          against kcsan-triage's on the same reports\n"
	      "  -h, --help              this text\n"
	      "  --version               print the version\n"
	      "\n"
	      "Exit status: 0 no report reached the gate, 1 one did, 2 usage error or\n"
	      "unreadable input (diagnostics on standard error).\n",
	      out);
}

/* err and the errors chained behind it (every bad line of a table). */
static void print_error(const struct kt_error *err)
{
	for (; err; err = err->next) {
		char *m = kt_error_format(err);

		fprintf(stderr, "kcsan-triage: %s\n", m);
		free(m);
	}
}

static bool gate_hit(const struct cli *c, enum kt_verdict v)
{
	switch (c->gate) {
	case GATE_HARMFUL:
		return v == KT_VERDICT_HARMFUL;
	case GATE_UNKNOWN:
		return v != KT_VERDICT_BENIGN;
	default:
		return false;
	}
}

/* Record a --baseline acceptance in res; thread-safe (reads the baseline). */
static const struct kt_baseline_entry *mark_baseline(const struct cli *c,
						     struct kt_triage_result *res)
{
	const struct kt_baseline_entry *be = kt_baseline_match(&c->baseline, res);

	if (be) {
		res->baseline_reason = be->reason;
		res->baseline_by = be->who;
	}
	return be;
}

/* Under -j, on a worker thread: the text or JSON of one result, rendered
 * into memory so that the submitting thread only writes it out. */
static char *render(void *ctx, struct kt_triage_result *res, size_t *len)
{
	const struct cli *c = ctx;
	char *buf = NULL;
	FILE *fp;

	if (c->format != FMT_JSON && c->format != FMT_TEXT)
		return NULL;
	if (!(fp = open_memstream(&buf, len)))
		return NULL;
	mark_baseline(c, res);
	if (c->format == FMT_JSON)
		kt_output_json(fp, res);
	else
		kt_output_text(fp, res);
	if (fclose(fp) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Print one classified report and count it; called in input order. Frees
 * the report and the error; the result and text (the result already
 * rendered, or NULL) stay the caller's. */
static void emit(void *ctx, struct kt_report *rep, struct kt_triage_result *res,
		 struct kt_error *err, char *text, size_t len)
{
	struct cli *c = ctx;

	if (err) {
		print_error(err);
		kt_error_free(err);
		c->input_error = true;
		kt_report_free(rep);
		return;
	}
	const struct kt_baseline_entry *be = mark_baseline(c, res);
	if (be)
		c->baselined++;
	if (text)
		fwrite(text, 1, len, stdout);
	else if (c->format == FMT_JSON)
		kt_output_json(stdout, res);
	else if (c->format == FMT_SARIF)
		kt_sarif_add(c->sarif, res, res->baseline_reason, res->baseline_by);
	else if (c->format == FMT_FACTS)
		kt_output_facts(stdout, res);
	else
		kt_output_text(stdout, res);
	c->by_verdict[res->rules.verdict]++;
	/* An accepted race never trips the gate. */
	if (!be && gate_hit(c, res->rules.verdict))
		c->gated++;
	kt_report_free(rep);
	kt_progress_tick(&c->progress, c->reports);
}

/* Takes ownership of rep. */
static void handle_report(struct cli *c, struct kt_report *rep)
{
	struct kt_error *err;

	c->reports++;
	if (c->symbolize) {
		err = kt_vmlinux_print_symbolized(c->vm, rep, stdout);
		if (err) {
			print_error(err);
			kt_error_free(err);
			c->input_error = true;
		}
		kt_report_free(rep);
		return;
	}
	if (c->batch) {
		kt_batch_submit(c->batch, rep);
		return;
	}
	struct kt_triage_result *res = NULL;
	err = kt_triage_classify(c->triage, rep, &res);
	emit(c, rep, res, err, NULL, 0);
	kt_triage_result_free(res);
}

static void read_stream(struct cli *c, FILE *fp, const char *name)
{
	struct kt_reader *rd;
	struct kt_error *err = kt_reader_new(fp, name, &rd);
	long found = 0;

	if (err) {
		print_error(err);
		kt_error_free(err);
		c->input_error = true;
		return;
	}
	for (;;) {
		struct kt_report *rep = NULL;
		err = kt_reader_next(rd, &rep);
		if (err) {
			/* A report we could not read gets no verdict; go on. */
			print_error(err);
			kt_error_free(err);
			c->bad_reports++;
			continue;
		}
		if (!rep)
			break;
		found++;
		handle_report(c, rep);
	}
	kt_reader_free(rd);
	if (found == 0)
		fprintf(stderr, "kcsan-triage: %s: no KCSAN report found\n", name);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void read_path(struct cli *c, const char *path, int depth)
{
	struct stat st;

	if (strcmp(path, "-") == 0) {
		read_stream(c, stdin, "<stdin>");
		return;
	}
	if (stat(path, &st) != 0) {
		fprintf(stderr, "kcsan-triage: %s: %s\n", path, strerror(errno));
		c->input_error = true;
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *de;
		char **names = NULL;
		size_t n = 0;

		if (!d || depth > 16) {
			fprintf(stderr, "kcsan-triage: %s: %s\n", path,
				d ? "directories nested too deep" : strerror(errno));
			if (d)
				closedir(d);
			c->input_error = true;
			return;
		}
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			names = kt_xrealloc(names, (n + 1) * sizeof(char *));
			struct kt_strbuf sb;
			kt_strbuf_init(&sb);
			kt_strbuf_addf(&sb, "%s/%s", path, de->d_name);
			names[n++] = kt_strbuf_detach(&sb);
		}
		closedir(d);
		qsort(names, n, sizeof(char *), cmp_str);
		for (size_t i = 0; i < n; i++) {
			read_path(c, names[i], depth + 1);
			free(names[i]);
		}
		free(names);
		return;
	}
	/* Named on the command line, a pipe is an input like any other; found
	 * in a directory, a FIFO or a device would block or never end. */
	if (depth > 0 && !S_ISREG(st.st_mode)) {
		fprintf(stderr, "kcsan-triage: %s: not a regular file, skipped\n", path);
		c->input_error = true;
		return;
	}
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		fprintf(stderr, "kcsan-triage: %s: %s\n", path, strerror(errno));
		c->input_error = true;
		return;
	}
	kt_progress_begin_file(&c->progress, fp);
	read_stream(c, fp, path);
	kt_progress_end_file(&c->progress);
	if (ferror(fp)) {
		fprintf(stderr, "kcsan-triage: %s: read error\n", path);
		c->input_error = true;
	}
	fclose(fp);
}

/* --check-rules: the rules, checked against the fact catalogue, and every
 * table the stages read, as a run with --rules dir would read them. */
static int check_rules(const char *dir)
{
	static const char *const tables[] = {"locks.tbl", "access.tbl", "types.tbl",
					     "addr-layout.tbl", "symbol-aliases.tbl"};
	struct kt_ruleset *rs = kt_ruleset_new();
	struct kt_catalogue *cat = NULL;
	char *path = kt_rules_path(dir, "facts.tbl");
	struct kt_error *err;

	if (path)
		err = kt_catalogue_load(path, &cat);
	else
		err = kt_error_new(KT_ERR_IO, dir, 0,
				   "no facts.tbl here nor in the shipped rules: facts not checked");
	kt_ruleset_require_facts(rs, cat);
	err = kt_error_append(err, kt_ruleset_load_dir(rs, dir));
	err = kt_error_append(err, kt_vmlinux_check_tables(dir));
	err = kt_error_append(err, kt_source_check_tables(dir));
	if (!err) {
		printf("%s: %zu rules, all valid\n", dir, kt_ruleset_count(rs));
		printf("%s: %zu facts, valid\n", path, kt_catalogue_count(cat));
		for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
			char *t = kt_rules_path(dir, tables[i]);

			if (t)
				printf("%s: valid\n", t);
			free(t);
		}
	}
	int rc = err ? 2 : 0;

	print_error(err);
	kt_error_free(err);
	kt_ruleset_free(rs);
	kt_catalogue_free(cat);
	free(path);
	return rc;
}

enum {
	OPT_FORMAT = 256,
	OPT_RULES,
	OPT_VMLINUX,
	OPT_SRC,
	OPT_REV,
	OPT_CC,
	OPT_CACHE_DIR,
	OPT_NO_CACHE,
	OPT_NO_CENSUS,
	OPT_FAIL_ON,
	OPT_SYMBOLIZE,
	OPT_CHECK_RULES,
	OPT_VERSION,
	OPT_EVAL,
	OPT_EVAL_REPORTS,
	OPT_LLM,
	OPT_BASELINE,
	OPT_MIN_CONFIDENCE,
	OPT_EXPECT,
	OPT_JOBS,
};

/* One word among names[] (the option's values); -1 after saying so. */
static int choice(const char *opt, const char *arg, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(arg, names[i]) == 0)
			return i;
	fprintf(stderr, "kcsan-triage: %s: '%s' is not %s", opt, arg, names[0]);
	for (int i = 1; i < n; i++)
		fprintf(stderr, "%s%s", i == n - 1 ? " or " : ", ", names[i]);
	fputc('\n', stderr);
	return -1;
}

/* One option of the command line; -1 to go on, else the exit status. */
static int take_option(struct cli *c, int opt, int argc, char **argv)
{
	static const char *const formats[] = {"text", "json", "sarif", "facts"};
	static const char *const gates[] = {"harmful", "unknown", "never"};
	static const enum gate gate_of[] = {GATE_HARMFUL, GATE_UNKNOWN, GATE_NEVER};
	static const char *const confidences[] = {"low", "medium", "high"};
	static const enum kt_confidence conf_of[] = {KT_CONF_LOW, KT_CONF_MEDIUM, KT_CONF_HIGH};
	int i;

	switch (opt) {
	case OPT_FORMAT:
		if ((i = choice("--format", optarg, formats, 4)) < 0)
			return 2;
		c->format = (enum format)i;
		break;
	case OPT_FAIL_ON:
		if ((i = choice("--fail-on", optarg, gates, 3)) < 0)
			return 2;
		c->gate = gate_of[i];
		break;
	case OPT_RULES:
		c->topts.rules_dir = optarg;
		break;
	case OPT_VMLINUX:
		c->topts.vmlinux = optarg;
		break;
	case OPT_SRC:
		if (c->topts.nsrc_dirs == KT_MAX_TREES) {
			fprintf(stderr, "kcsan-triage: --src: at most %d trees\n", KT_MAX_TREES);
			return 2;
		}
		c->src_dirs[c->topts.nsrc_dirs++] = optarg;
		c->topts.src_dirs = c->src_dirs;
		c->topts.src_dir = c->src_dirs[0];
		break;
	case OPT_REV:
		c->topts.rev = optarg;
		break;
	case OPT_MIN_CONFIDENCE:
		if ((i = choice("--min-confidence", optarg, confidences, 3)) < 0)
			return 2;
		c->topts.min_confidence = conf_of[i];
		c->topts.min_confidence_set = true;
		break;
	case OPT_EXPECT:
		c->expect = optarg;
		break;
	case OPT_CC:
		c->topts.compile_commands = optarg;
		break;
	case OPT_CACHE_DIR:
		c->topts.cache_dir = optarg;
		break;
	case OPT_NO_CACHE:
		c->topts.no_cache = true;
		break;
	case OPT_NO_CENSUS:
		c->topts.no_census = true;
		break;
	case OPT_SYMBOLIZE:
		c->symbolize = true;
		break;
	case OPT_CHECK_RULES:
		c->check_rules = true;
		c->check_dir = optarg;
		if (!c->check_dir && optind < argc && argv[optind][0] != '-')
			c->check_dir = argv[optind++];
		break;
	case OPT_EVAL:
		c->eval_labels = optarg;
		break;
	case OPT_EVAL_REPORTS:
		c->eval_reports = optarg;
		break;
	case 'q':
		c->quiet = true;
		break;
	case 'j': {
		char *end;
		long n = strtol(optarg, &end, 10);

		if (*end || n < 1 || n > 256) {
			fprintf(stderr, "kcsan-triage: -j: '%s' is not a number from 1 to 256\n",
				optarg);
			return 2;
		}
		c->jobs = (int)n;
		break;
	}
	case OPT_BASELINE:
		c->baseline_path = optarg;
		break;
	case OPT_LLM:
		c->llm = optarg;
		break;
	case 'h':
		usage(stdout);
		return 0;
	case OPT_VERSION:
		printf("kcsan-triage %s\n", KT_VERSION);
		return 0;
	default:
		usage(stderr);
		return 2;
	}
	return -1;
}

/* The command line into c; -1 to go on, else the exit status. */
static int parse_args(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {"rules", required_argument, NULL, OPT_RULES},
	    {"vmlinux", required_argument, NULL, OPT_VMLINUX},
	    {"src", required_argument, NULL, OPT_SRC},
	    {"rev", required_argument, NULL, OPT_REV},
	    {"compile-commands", required_argument, NULL, OPT_CC},
	    {"cache-dir", required_argument, NULL, OPT_CACHE_DIR},
	    {"no-cache", no_argument, NULL, OPT_NO_CACHE},
	    {"no-census", no_argument, NULL, OPT_NO_CENSUS},
	    {"fail-on", required_argument, NULL, OPT_FAIL_ON},
	    {"symbolize", no_argument, NULL, OPT_SYMBOLIZE},
	    {"check-rules", optional_argument, NULL, OPT_CHECK_RULES},
	    {"eval", required_argument, NULL, OPT_EVAL},
	    {"eval-reports", required_argument, NULL, OPT_EVAL_REPORTS},
	    {"llm", required_argument, NULL, OPT_LLM},
	    {"baseline", required_argument, NULL, OPT_BASELINE},
	    {"min-confidence", required_argument, NULL, OPT_MIN_CONFIDENCE},
	    {"expect", required_argument, NULL, OPT_EXPECT},
	    {"jobs", required_argument, NULL, 'j'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, OPT_VERSION},
	    {NULL, 0, NULL, 0},
	};
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "hj:q", longopts, NULL)) != -1)
		if ((rc = take_option(c, opt, argc, argv)) >= 0)
			return rc;
	return -1;
}

/* --check-rules [DIR]: DIR, else --rules, else the shipped rules. */
static int check_rules_cmd(const struct cli *c)
{
	char *shipped = NULL;
	const char *dir = c->check_dir ? c->check_dir : c->topts.rules_dir;
	int rc;

	if (!dir)
		dir = shipped = kt_rules_dir_default();
	if (!dir) {
		fputs("kcsan-triage: --check-rules: no rule directory found; name one\n", stderr);
		return 2;
	}
	rc = check_rules(dir);
	free(shipped);
	return rc;
}

/* The stages the options ask for, the baseline, the output and the
 * threads; 0, or the exit status after saying why not. */
static int open_run(struct cli *c)
{
	struct kt_error *err;

	if (c->symbolize) {
		if (!c->topts.vmlinux) {
			fputs("kcsan-triage: --symbolize needs --vmlinux FILE\n", stderr);
			return 2;
		}
		struct kt_vmlinux_opts vo = {.cache_dir = c->topts.cache_dir,
					     .no_cache = c->topts.no_cache,
					     .rules_dir = c->topts.rules_dir};
		err = kt_vmlinux_open(c->topts.vmlinux, &vo, &c->vm);
	} else {
		err = kt_triage_new(&c->topts, &c->triage);
	}
	if (!err && c->baseline_path)
		err = kt_baseline_load(c->baseline_path, &c->baseline);
	if (err)
		goto fail;
	if (c->format == FMT_SARIF)
		c->sarif = kt_sarif_new();
	kt_progress_init(&c->progress,
			 isatty(STDERR_FILENO) && !c->symbolize && !c->quiet ? stderr : NULL);
	if (c->jobs > 1 && !c->symbolize && !c->eval_labels && !c->llm && !c->expect &&
	    (err = kt_batch_new(c->jobs, &c->topts, render, emit, c, &c->batch)))
		goto fail;
	return 0;
fail:
	print_error(err);
	kt_error_free(err);
	kt_sarif_free(c->sarif);
	kt_baseline_fini(&c->baseline);
	kt_triage_free(c->triage);
	kt_vmlinux_close(c->vm);
	return 2;
}

/* After the inputs: the summary, the SARIF log, and the exit status. */
static int finish_run(struct cli *c)
{
	if (c->batch) {
		kt_batch_finish(c->batch);
		kt_batch_free(c->batch);
	}
	kt_progress_clear(&c->progress);
	if (!c->symbolize && c->reports + c->bad_reports > 1)
		fprintf(stderr,
			"kcsan-triage: %ld reports: %ld benign, %ld harmful, %ld unknown; %ld "
			"unreadable\n",
			c->reports, c->by_verdict[KT_VERDICT_BENIGN],
			c->by_verdict[KT_VERDICT_HARMFUL], c->by_verdict[KT_VERDICT_UNKNOWN],
			c->bad_reports);
	if (c->sarif) {
		kt_sarif_write(c->sarif, stdout, KT_VERSION);
		kt_sarif_free(c->sarif);
	}
	if (c->baselined)
		fprintf(stderr, "kcsan-triage: %ld reports matched the baseline\n", c->baselined);
	kt_baseline_fini(&c->baseline);
	kt_triage_free(c->triage);
	kt_vmlinux_close(c->vm);
	if (c->input_error || c->bad_reports)
		return 2;
	return c->gated ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct cli c;
	int rc;

	memset(&c, 0, sizeof(c));
	if ((rc = parse_args(&c, argc, argv)) >= 0)
		return rc;
	if (c.check_rules)
		return check_rules_cmd(&c);
	if ((rc = open_run(&c)) != 0)
		return rc;
	if (c.eval_labels) {
		rc = kt_cli_eval(c.triage, c.eval_labels, c.eval_reports, stdout);
		kt_triage_free(c.triage);
		return rc;
	}
	if (c.expect) {
		rc = kt_cli_expect(c.triage, c.expect, argv + optind, argc - optind, stdout);
		kt_triage_free(c.triage);
		return rc;
	}
	if (c.llm) {
		rc =
		    kt_cli_llm(c.triage, c.llm, argv + optind, argc - optind, c.format == FMT_JSON);
		kt_triage_free(c.triage);
		return rc;
	}
	for (int i = optind; i < argc; i++)
		kt_progress_add_input(&c.progress, argv[i]);
	if (optind >= argc)
		read_path(&c, "-", 0);
	for (int i = optind; i < argc; i++)
		read_path(&c, argv[i], 0);
	return finish_run(&c);
}
