// SPDX-License-Identifier: Apache-2.0
/*
 * The report reader on real inputs from KT_SHARED_DIR: the labeled syzbot
 * corpus (titles against labels.tsv), syzkaller's own parser samples (titles
 * from its test data), the fixture kernel's raw and symbolized reports (frame
 * counts in testdata/parser/fixture-frames.tsv) and its whole console logs
 * (report counts, lines and titles against reports/index.tsv). Skipped when the
 * shared folder is absent.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "kcsan/report.h"
#include "kcsan/strbuf.h"

#define FIXTURE KT_SHARED_DIR "/fixtures/kcsan-6.1"
#define CORPUS	KT_SHARED_DIR "/corpus"

/* Tab-separated columns of one line, in place. */
static size_t split_tabs(char *line, char **cols, size_t max)
{
	size_t n = 0;
	char *p = line;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < max) {
		cols[n++] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p++ = '\0';
	}
	return n;
}

/* All reports of a file; errors are reported and counted. */
static size_t read_all(const char *path, struct kt_report **reps, size_t max, size_t *nerr)
{
	FILE *fp = fopen(path, "r");
	struct kt_reader *rd;
	struct kt_error *err;
	size_t n = 0;

	*nerr = 0;
	if (!fp) {
		fprintf(stderr, "cannot open %s\n", path);
		(*nerr)++;
		return 0;
	}
	err = kt_reader_new(fp, path, &rd);
	CHECK(err == NULL);
	if (err) {
		kt_error_free(err);
		fclose(fp);
		return 0;
	}
	for (;;) {
		struct kt_report *rep;

		err = kt_reader_next(rd, &rep);
		if (err) {
			char *m = kt_error_format(err);

			fprintf(stderr, "unexpected error: %s\n", m);
			free(m);
			kt_error_free(err);
			(*nerr)++;
			continue;
		}
		if (!rep)
			break;
		if (n < max)
			reps[n++] = rep;
		else
			kt_report_free(rep);
	}
	kt_reader_free(rd);
	fclose(fp);
	return n;
}

static void free_all(struct kt_report **reps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		kt_report_free(reps[i]);
}

/* Every labeled report parses, with the title labels.tsv gives it. */
static void test_dev_titles(void)
{
	FILE *fp = fopen(CORPUS "/dev/labels.tsv", "r");
	char line[8192];
	int rows = 0, matched = 0;

	CHECK(fp != NULL);
	if (!fp)
		return;
	if (!fgets(line, sizeof(line), fp)) { /* header */
		fclose(fp);
		CHECK(0);
		return;
	}
	while (fgets(line, sizeof(line), fp)) {
		char *cols[8], path[4096];
		struct kt_report *reps[4];
		size_t nerr, n;
		char *want;

		if (split_tabs(line, cols, 8) < 2)
			continue;
		rows++;
		snprintf(path, sizeof(path), CORPUS "/dev/reports/%s.txt", cols[0]);
		n = read_all(path, reps, 4, &nerr);
		CHECK_INT(nerr, 0);
		CHECK(n >= 1);
		want = kt_title_normalize(cols[1]);
		CHECK(want != NULL);
		if (n >= 1 && want) {
			size_t wl = strlen(want);

			if (wl > 2 && !strcmp(want + wl - 2, " /")) {
				/* the label kept only the first line of a title a mail
				 * client wrapped: the report's joined title extends it */
				kt_test_checks++;
				if (strncmp(reps[0]->title, want, wl) != 0 ||
				    strlen(reps[0]->title) <= wl) {
					kt_test_failures++;
					fprintf(stderr, "%s: title '%s' does not extend '%s'\n",
						cols[0], reps[0]->title, want);
				} else {
					matched++;
				}
			} else {
				CHECK_STR(reps[0]->title, want);
				if (!strcmp(reps[0]->title, want))
					matched++;
			}
			CHECK(reps[0]->naccess == 2 ||
			      (reps[0]->naccess == 1 && reps[0]->unknown_origin));
			for (size_t i = 0; i < reps[0]->naccess; i++)
				CHECK(reps[0]->access[i].nframes > 0);
		}
		free(want);
		free_all(reps, n);
	}
	fclose(fp);
	/* every row of labels.tsv, however many the corpus holds */
	CHECK(rows > 0);
	CHECK_INT(matched, rows);
	printf("dev corpus: %d/%d titles match labels.tsv\n", matched, rows);
}

/* syzkaller's pkg/report/testdata/linux/report/{427,428,449,750} TITLE lines,
 * and every other unlabeled report parses. */
static void test_unlabeled(void)
{
	static const struct {
		const char *file, *title;
		size_t naccess;
	} want[] = {
	    {"syzkaller-testdata-427.txt",
	     "KCSAN: data-race in find_next_bit / rcu_report_exp_cpu_mult", 2},
	    {"syzkaller-testdata-428.txt", "KCSAN: data-race in e1000_clean_rx_irq", 1},
	    {"syzkaller-testdata-449.txt", "KCSAN: data-race in netlink_recvmsg / netlink_recvmsg",
	     2},
	    {"syzkaller-testdata-750.txt", "KCSAN: assert: race in dequeue_entities", 1},
	};
	static const char *const others[] = {
	    "kcsan-0040.txt", "kcsan-0041.txt", "kcsan-0042.txt", "kcsan-0043.txt",
	    "kcsan-0044.txt", "kcsan-0045.txt", "kcsan-0046.txt", "kcsan-0047.txt",
	    "kcsan-0048.txt", "kcsan-0049.txt", "kcsan-0050.txt", "kcsan-0051.txt",
	    "kcsan-0052.txt", "kcsan-0053.txt", "kcsan-0054.txt", "kcsan-0058.txt",
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		char path[4096];
		struct kt_report *reps[4];
		size_t nerr, n;

		snprintf(path, sizeof(path), CORPUS "/unlabeled/%s", want[i].file);
		n = read_all(path, reps, 4, &nerr);
		CHECK_INT(nerr, 0);
		CHECK_INT(n, 1);
		if (n >= 1) {
			CHECK_STR(reps[0]->title, want[i].title);
			CHECK_INT(reps[0]->naccess, want[i].naccess);
			CHECK(reps[0]->complete);
		}
		free_all(reps, n);
	}
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		char path[4096];
		struct kt_report *reps[4];
		size_t nerr, n;

		snprintf(path, sizeof(path), CORPUS "/unlabeled/%s", others[i]);
		n = read_all(path, reps, 4, &nerr);
		CHECK_INT(nerr, 0);
		CHECK_INT(n, 1);
		if (n >= 1) {
			CHECK_INT(reps[0]->naccess, 2);
			CHECK(reps[0]->symbolized);
			CHECK(kt_str_startswith(reps[0]->title, "KCSAN: data-race in "));
		}
		free_all(reps, n);
	}
	/* the wrapped title of kcsan-0053 */
	{
		struct kt_report *reps[2];
		size_t nerr, n = read_all(CORPUS "/unlabeled/kcsan-0053.txt", reps, 2, &nerr);

		if (n == 1)
			CHECK_STR(reps[0]->title,
				  "KCSAN: data-race in mem_cgroup_select_victim_node / "
				  "mem_cgroup_select_victim_node");
		free_all(reps, n);
	}
}

/* The 76 kept fixture reports, raw and symbolized, against the frame counts
 * in fixture-frames.tsv and the titles in index.tsv. */
static void test_fixture_reports(void)
{
	FILE *fp = fopen(KT_TESTDATA "/parser/fixture-frames.tsv", "r");
	char line[4096];
	int files = 0;

	CHECK(fp != NULL);
	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp)) {
		char *cols[8];
		const char *kind[2] = {"raw", "symbolized"};
		char *title[2] = {NULL, NULL};

		if (line[0] == '#' || split_tabs(line, cols, 8) != 7)
			continue;
		files++;
		for (int k = 0; k < 2; k++) {
			char path[4096];
			struct kt_report *reps[2];
			size_t nerr, n;

			snprintf(path, sizeof(path), FIXTURE "/reports/%s/%s", kind[k], cols[0]);
			n = read_all(path, reps, 2, &nerr);
			CHECK_INT(nerr, 0);
			CHECK_INT(n, 1);
			if (n != 1) {
				free_all(reps, n);
				continue;
			}
			CHECK_INT(reps[0]->naccess, atoi(cols[1 + 3 * k]));
			CHECK_INT(reps[0]->access[0].nframes, atoi(cols[2 + 3 * k]));
			CHECK_INT(reps[0]->access[1].nframes, atoi(cols[3 + 3 * k]));
			CHECK_INT(reps[0]->symbolized, k == 1);
			CHECK(reps[0]->complete);
			CHECK_INT(reps[0]->kind, KT_KIND_DATA_RACE);
			CHECK_STR(reps[0]->env.kernel, "6.1.192");
			CHECK_STR(reps[0]->env.taint, "Not tainted");
			title[k] = kt_xstrdup(reps[0]->title);
			free_all(reps, n);
		}
		if (title[0] && title[1])
			CHECK_STR(title[0], title[1]);
		free(title[0]);
		free(title[1]);
	}
	fclose(fp);
	CHECK_INT(files, 76);
}

/* The whole console logs: per log, exactly the reports index.tsv lists, at
 * its lines, with its titles. The logs are xz-compressed; they are read
 * through "xz -dc", a pipe, as a stream. */
static void test_logs(void)
{
	static const char *const logs[] = {
	    "console-boot0.log", "console-boot1.log", "console-boot2.log",
	    "console-boot3.log", "console-boot4.log",
	};
	int total = 0, total_want = 0;

	if (system("xz --version >/dev/null 2>&1") != 0) {
		printf("xz not found: the console logs are not checked\n");
		return;
	}
	for (size_t l = 0; l < sizeof(logs) / sizeof(logs[0]); l++) {
		FILE *idx = fopen(FIXTURE "/reports/index.tsv", "r");
		char cmd[4096], line[8192];
		FILE *pp;
		struct kt_reader *rd;
		struct kt_error *err;
		int n = 0, want = 0, bad = 0;

		CHECK(idx != NULL);
		if (!idx)
			return;
		snprintf(cmd, sizeof(cmd), "xz -dc '%s/logs/%s.xz'", FIXTURE, logs[l]);
		pp = popen(cmd, "r");
		CHECK(pp != NULL);
		if (!pp) {
			fclose(idx);
			return;
		}
		err = kt_reader_new(pp, logs[l], &rd);
		CHECK(err == NULL);
		kt_error_free(err);
		if (!fgets(line, sizeof(line), idx)) /* header */
			line[0] = '\0';
		while (rd) {
			struct kt_report *rep;
			char *cols[10];

			err = kt_reader_next(rd, &rep);
			if (err) {
				char *m = kt_error_format(err);

				fprintf(stderr, "unexpected error: %s\n", m);
				free(m);
				kt_error_free(err);
				CHECK(0);
				continue;
			}
			if (!rep)
				break;
			n++;
			/* the next index row of this log */
			cols[0] = NULL;
			while (fgets(line, sizeof(line), idx)) {
				if (split_tabs(line, cols, 10) == 9 && !strcmp(cols[0], logs[l]))
					break;
				cols[0] = NULL;
			}
			if (!cols[0]) {
				bad++;
			} else {
				want++;
				if (rep->first_line != atol(cols[1]) ||
				    strcmp(rep->bug_line, cols[8]) || !rep->complete ||
				    rep->naccess != 2 || strcmp(rep->env.comm, cols[5])) {
					bad++;
					fprintf(stderr,
						"%s: report %d at line %ld '%s' != index %s '%s'\n",
						logs[l], n, rep->first_line, rep->bug_line, cols[1],
						cols[8]);
				}
			}
			kt_report_free(rep);
		}
		/* rows left in the index for this log */
		while (fgets(line, sizeof(line), idx)) {
			char *cols[10];

			if (split_tabs(line, cols, 10) == 9 && !strcmp(cols[0], logs[l]))
				want++;
		}
		kt_reader_free(rd);
		CHECK_INT(pclose(pp), 0);
		fclose(idx);
		printf("%s: %d reports, index.tsv lists %d\n", logs[l], n, want);
		CHECK_INT(n, want);
		CHECK_INT(bad, 0);
		total += n;
		total_want += want;
	}
	CHECK_INT(total, 364);
	CHECK_INT(total_want, 364);
}

/* The fixture's decode_stacktrace.sh output against its raw and symbolized
 * forms: the same functions as the raw stacks, and each stack's first frame
 * at the line and inline lines syzbot's symbolizer gives (the frames below
 * it are decoded at the return address, one byte after what the symbolizer
 * reads, so their lines may differ). */
static void test_decoded_fixture(void)
{
	const char *dir = KT_SHARED_DIR "/fixtures/kcsan-6.1-patterns/reports";
	DIR *d = opendir(KT_SHARED_DIR "/fixtures/kcsan-6.1-patterns/reports/decoded");
	struct dirent *e;
	char path[8192];
	int files = 0;

	CHECK(d != NULL);
	if (!d)
		return;
	while ((e = readdir(d))) {
		struct kt_report *r[3] = {NULL, NULL, NULL};
		static const char *const kind[3] = {"raw", "symbolized", "decoded"};
		size_t nerr;

		if (e->d_name[0] == '.')
			continue;
		for (int k = 0; k < 3; k++) {
			snprintf(path, sizeof(path), "%s/%s/%s", dir, kind[k], e->d_name);
			if (read_all(path, &r[k], 1, &nerr) != 1 || nerr)
				CHECK(0);
		}
		files++;
		if (r[0] && r[1] && r[2]) {
			CHECK(r[2]->symbolized && r[2]->complete);
			CHECK_STR(r[2]->title, r[0]->title);
			CHECK_INT(r[2]->naccess, r[0]->naccess);
			for (size_t a = 0; a < r[0]->naccess && a < r[2]->naccess; a++) {
				const struct kt_access *raw = &r[0]->access[a],
						       *sym = &r[1]->access[a];
				const struct kt_access *dec = &r[2]->access[a];
				size_t s0 = 0;

				CHECK(!dec->elided);
				CHECK_INT(dec->nframes, raw->nframes);
				for (size_t i = 0; i < raw->nframes && i < dec->nframes; i++)
					CHECK_STR(dec->frames[i].func, raw->frames[i].func);
				/* syzbot's inline frames of the first frame are the
				 * decoded first frame's inline lines */
				while (s0 < sym->nframes && sym->frames[s0].inlined)
					s0++;
				CHECK_INT(dec->frames[0].ninl, s0);
				for (size_t i = 0; i < s0 && i < dec->frames[0].ninl; i++) {
					CHECK_STR(dec->frames[0].inl[i].file, sym->frames[i].file);
					CHECK_INT(dec->frames[0].inl[i].line, sym->frames[i].line);
				}
				if (s0 < sym->nframes) {
					CHECK_STR(dec->frames[0].file, sym->frames[s0].file);
					CHECK_INT(dec->frames[0].line, sym->frames[s0].line);
				}
			}
		}
		for (int k = 0; k < 3; k++)
			kt_report_free(r[k]);
	}
	closedir(d);
	CHECK(files >= 30);
	printf("decoded fixture reports: %d\n", files);
}

static void test_seed_and_llm(void)
{
	struct kt_report *reps[4];
	size_t nerr, n;

	n = read_all(KT_SHARED_DIR "/seeds/000_a3b634c990083f92.txt", reps, 4, &nerr);
	CHECK_INT(nerr, 0);
	CHECK(n >= 1);
	for (size_t i = 0; i < n; i++) {
		CHECK_STR(reps[i]->title,
			  "KCSAN: data-race in _copy_to_iter / copy_folio_from_iter_atomic");
		CHECK(reps[i]->symbolized);
		CHECK_INT(reps[i]->naccess, 2);
	}
	free_all(reps, n);
	n = read_all(CORPUS "/llm/smc_switch_to_fallback__sock_poll_2.report.txt", reps, 4, &nerr);
	CHECK_INT(nerr, 0);
	CHECK_INT(n, 1);
	if (n == 1)
		CHECK_STR(reps[0]->title, "KCSAN: data-race in smc_switch_to_fallback / sock_poll");
	free_all(reps, n);
}

int main(void)
{
	struct stat st;

	if (stat(KT_SHARED_DIR "/corpus/dev/labels.tsv", &st) != 0 ||
	    stat(FIXTURE "/reports/index.tsv", &st) != 0) {
		printf("skipped: shared inputs not found in %s\n", KT_SHARED_DIR);
		return 77;
	}
	test_dev_titles();
	test_unlabeled();
	test_fixture_reports();
	test_logs();
	test_decoded_fixture();
	test_seed_and_llm();
	return kt_test_done("test_report_shared");
}
