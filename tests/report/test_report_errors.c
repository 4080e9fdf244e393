// SPDX-License-Identifier: Apache-2.0
/* The report reader on malformed and hostile synthetic input: errors with
 * their line, huge and NUL-holding lines, frame and size limits, streams,
 * a report cut at every line, reports without a trailer. */
#include "parse_helpers.h"

static void test_malformed(void)
{
	char *text = slurp("malformed.log");
	struct run r;

	run_text(text, "malformed.log", &r);
	CHECK_INT(r.n, 10);
	CHECK_INT(r.nreports, 2);
	CHECK_INT(r.nerrors, 8);
	if (r.n == 10) {
		CHECK_ERR(&r.items[0], 8,
			  "malformed.log:8: truncated report (title at line 4, ended by a '=====' "
			  "line): no second access stack");
		CHECK(r.items[1].rep && !strcmp(r.items[1].rep->title_funcs[0], "good_1_a"));
		CHECK(r.items[1].rep && r.items[1].rep->first_line == 10 &&
		      kt_str_startswith(r.items[1].rep->text, "====="));
		CHECK_ERR(&r.items[2], 26, "malformed.log:26: unknown access type 'scribble'");
		CHECK_ERR(&r.items[3], 38, "expected an access line");
		CHECK_ERR(&r.items[3], 38, "got 'this is not an access line at all'");
		CHECK_ERR(&r.items[4], 54, "access 1 has no stack frames");
		CHECK_ERR(&r.items[5], 58, "garbled access line 'read to 0xZZZZ of 8 bytes");
		CHECK_ERR(&r.items[6], 65, "unknown KCSAN bug type in 'BUG: KCSAN: weird-thing");
		CHECK_ERR(&r.items[7], 84,
			  "truncated report (title at line 77, ended by its "
			  "closing line): no second access stack");
		CHECK(r.items[8].rep && !strcmp(r.items[8].rep->title_funcs[1], "good_2_b"));
		CHECK_ERR(&r.items[9], 105,
			  "truncated report (title at line 100, ended by the end "
			  "of input): no second access stack");
		for (size_t i = 0; i < r.n; i++)
			if (r.items[i].err)
				CHECK(r.items[i].err->code == KT_ERR_PARSE);
	}
	run_free(&r);
	free(text);
}

static void test_small_errors(void)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
	    {"BUG: KCSAN: data-race in a / b\n", "no access stack"},
	    {"BUG: KCSAN: data-race in a / b\n\nread to 0x10 of 8 bytes by task 1 on cpu 0:\n",
	     "access 1 has no stack frames"},
	    {"BUG: KCSAN: data-race in a / b\n\nread to 0x10 of 8 bytes by task 1 on cpu 0:\n"
	     " a+0x1/0x2\n\nread to 0x10 of 8 bytes by task 2 on cpu 1:\n",
	     "access 2 has no stack frames"},
	    {"BUG: KCSAN: data-race in a\n\nread to 0x10 of 8 bytes by task 1 on cpu 0:\n"
	     " a+0x1/0x2\n\nread to 0x10 of 8 bytes by task 2 on cpu 1:\n b+0x1/0x2\n",
	     "the title names one function"},
	    {"BUG: KCSAN: data-race in a / b\n\nrace at unknown origin, with read to 0x10 of 8 "
	     "bytes by task 1 on cpu 0:\n a+0x1/0x2\n",
	     "the title names two functions"},
	    {"BUG: KCSAN: data-race in a / b\n\nread to 0x10 of 8 bytes by thread 1 on cpu 0:\n",
	     "garbled access line"},
	    {"BUG: KCSAN: data-race in a / b\n\nread to 0x10 of 8 bytes by task 1 on cpu 0\n",
	     "garbled access line"},
	    {"BUG: KCSAN: data-race in a / b\n\nread (atomic) to 0x10 of 8 bytes by task 1 on "
	     "cpu 0:\n",
	     "unknown access type 'read (atomic)'"},
	    {"BUG: KCSAN: data-race in a / b\n\nwrite to 0x10 of 8 bytes by task 1 on cpu 0:\n"
	     " a+0x1/0x2\n\nvalue changed: 0x1 => 0x2\n",
	     "garbled value-change line"},
	    {"BUG: KCSAN: data-race in a / b\n\nwrite to 0x10 of 8 bytes by task 1 on cpu 0:\n"
	     " a+0x1/0x2\n  |\n  +-> reordered to: nonsense\n",
	     "garbled reordered-to line"},
	    {"BUG: KCSAN: data-race in a / b\n\nwrite to 0x10 of 8 bytes by task 1 on cpu 0:\n"
	     " a+0x1/0x2\n\nread to 0x10 of 8 bytes by task 2 on cpu 0:\n b+0x1/0x2\n\n"
	     "write to 0x10 of 8 bytes by task 3 on cpu 0:\n",
	     "a third access"},
	    {"BUG: KCSAN: data-race in a / b\n\nwrite to 0x12345678901234567 of 8 bytes by task "
	     "1 on cpu 0:\n",
	     "garbled access line"},
	    {"BUG: KCSAN: \n", "unknown KCSAN bug type"},
	    {"BUG: KCSAN: data-races in a / b\n", "unknown KCSAN bug type"},
	    {"BUG: KCSAN: data-race in \n\nread to 0x10 of 8 bytes by task 1 on cpu 0:\n "
	     "a+0x1/0x2\n",
	     "garbled KCSAN title"},
	    {"BUG: KCSAN: data-race in a / b / c\n\nread to 0x10 of 8 bytes by task 1 on cpu 0:\n"
	     " a+0x1/0x2\n",
	     "garbled KCSAN title"},
	    {"BUG: KCSAN: data-race in a / b\n\nvalue changed: 0x1 -> 0x2\n",
	     "value change before any access"},
	    {"BUG: KCSAN: data-race in a / b\n\nwrite to 0x10 of 8 bytes by task 1 on cpu 0:\n"
	     " a+0x1/0x2\n\n bits changed: 0x1 with mask 0x3\n",
	     "garbled bits-changed line"},
	    {"BUG: KCSAN: data-race in a / b\n\nwrite to 0x10 of 8 bytes by task 1 on cpu 0:\n"
	     " a+0x1/0x2\n\nread to 0x10 of 8 bytes by task 2 on cpu 0:\n b+0x1/0x2\n"
	     "  |\n  +-> reordered to: b+0x3/0x4\n  +-> reordered to: b+0x5/0x6\n",
	     "garbled reordered-to line"},
	    {"no report here\nat all\n", "no KCSAN report found"},
	    {"", "no KCSAN report found"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kt_report *rep = NULL;
		struct kt_error *err = kt_report_parse_string(cases[i].text, "case", &rep);
		struct item it = {rep, err};

		CHECK(rep == NULL);
		CHECK_ERR(&it, 0, cases[i].want);
		if (err && cases[i].text[0])
			CHECK(kt_str_startswith(err->file, "case"));
		kt_report_free(rep);
		kt_error_free(err);
	}
}

/* 10 MB lines and NUL bytes: clear errors, and the next report is read. */
static void test_huge_and_nul(void)
{
	const size_t big = 10u * 1024 * 1024;
	char *good = make_variant("", " ", "\n");
	FILE *fp = tmpfile();
	struct run r;
	char *line = kt_xmalloc(big + 1);

	CHECK(fp != NULL);
	if (!fp) {
		free(good);
		free(line);
		return;
	}
	memset(line, 'x', big);
	line[big] = '\0';
	/* 1: a huge line outside any report (ignored) */
	fputs(line, fp);
	fputc('\n', fp);
	/* 2: a report whose stack holds a huge line */
	fputs("BUG: KCSAN: data-race in huge_a / huge_b\n\n"
	      "write to 0x10 of 8 bytes by task 1 on cpu 0:\n huge_b+0x1/0x2\n ",
	      fp);
	fputs(line, fp);
	fputc('\n', fp);
	/* 3: a good one */
	fputs(good, fp);
	/* 4: a huge title */
	fputs("BUG: KCSAN: data-race in ", fp);
	fputs(line, fp);
	fputc('\n', fp);
	/* 5: a NUL byte in a frame line */
	fputs("BUG: KCSAN: data-race in nul_a / nul_b\n\n"
	      "write to 0x10 of 8 bytes by task 1 on cpu 0:\n nul_b+0x1",
	      fp);
	fputc('\0', fp);
	fputs("/0x2\n", fp);
	/* 6: a NUL byte outside a report (ignored), then a good one */
	fputc('\0', fp);
	fputs("noise\n", fp);
	fputs(good, fp);
	rewind(fp);
	run_stream(fp, "huge.log", &r);
	fclose(fp);
	CHECK_INT(r.n, 5);
	CHECK_INT(r.nreports, 2);
	if (r.n == 5) {
		CHECK_ERR(&r.items[0], 6, "huge.log:6: line longer than 65536 bytes in report");
		CHECK(r.items[0].err && r.items[0].err->code == KT_ERR_LIMIT);
		check_base_report(r.items[1].rep, "after a huge line");
		CHECK_ERR(&r.items[2], 0, "report title longer than 65536 bytes");
		CHECK_ERR(&r.items[3], 0, "NUL byte in report");
		check_base_report(r.items[4].rep, "after a NUL byte");
	}
	run_free(&r);
	free(line);
	free(good);
}

/* More than KT_REPORT_MAX_FRAMES frames: the rest are read and dropped. */
static void test_frame_cap(void)
{
	struct kt_strbuf sb;
	struct kt_report *rep;

	kt_strbuf_init(&sb);
	kt_strbuf_adds(&sb, "BUG: KCSAN: data-race in deep / shallow\n\n"
			    "write to 0x10 of 8 bytes by task 1 on cpu 0:\n");
	for (int i = 0; i < KT_REPORT_MAX_FRAMES + 100; i++)
		kt_strbuf_addf(&sb, " deep_%d+0x%x/0x100\n", i, i % 256);
	kt_strbuf_adds(&sb, "\nread to 0x10 of 8 bytes by task 2 on cpu 1:\n shallow+0x1/0x2\n\n"
			    "Reported by Kernel Concurrency Sanitizer on:\n"
			    "CPU: 1 PID: 2 Comm: x Not tainted 6.1.0 #1\n"
			    "==================================================================\n");
	rep = parse1(sb.buf);
	CHECK(rep != NULL);
	if (rep) {
		CHECK_INT(rep->access[0].nframes, KT_REPORT_MAX_FRAMES);
		CHECK_STR(rep->access[0].frames[KT_REPORT_MAX_FRAMES - 1].func, "deep_511");
		CHECK_INT(rep->access[1].nframes, 1);
		CHECK(rep->complete);
	}
	kt_report_free(rep);
	kt_strbuf_fini(&sb);
}

/* Several reports back to back with no "=====" line between them, and a
 * stream read through a pipe. */
static void test_stream(void)
{
	char *one = make_variant("[  1.000000][  T311] ", " ", "\n");
	struct kt_strbuf sb;
	struct run r;
	FILE *fp;
	char path[] = "/tmp/kt-report-test-XXXXXX";
	int fd;

	kt_strbuf_init(&sb);
	for (int i = 0; i < 20; i++)
		kt_strbuf_adds(&sb, one);
	fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd >= 0) {
		char cmd[256];

		CHECK(write(fd, sb.buf, sb.len) == (ssize_t)sb.len);
		close(fd);
		snprintf(cmd, sizeof(cmd), "cat %s", path);
		fp = popen(cmd, "r");
		CHECK(fp != NULL);
		if (fp) {
			run_stream(fp, "<stdin>", &r);
			pclose(fp);
			CHECK_INT(r.nreports, 20);
			CHECK_INT(r.nerrors, 0);
			if (r.n == 20) {
				CHECK_INT(r.items[19].rep->first_line, 19 * 24 + 4);
				CHECK_STR(r.items[19].rep->input, "<stdin>");
			}
			run_free(&r);
		}
		unlink(path);
	}
	kt_strbuf_fini(&sb);
	free(one);
}

/* A report longer than KT_REPORT_MAX_TEXT keeps a cut text; the reader
 * keeps returning "end" once the input is read; a NUL in a title. */
static void test_limits(void)
{
	struct kt_strbuf sb;
	struct kt_report *rep;
	struct run r;

	kt_strbuf_init(&sb);
	kt_strbuf_adds(&sb, "BUG: KCSAN: data-race in deep / shallow\n\n"
			    "write to 0x10 of 8 bytes by task 1 on cpu 0:\n");
	for (int i = 0; i < 40000; i++)
		kt_strbuf_addf(&sb, " a_rather_long_function_name_number_%06d+0x1/0x100\n", i);
	/* The blank line closes the second stack: a report that stops inside a
	 * stack is truncated, one that stops after it is only missing its footer. */
	kt_strbuf_adds(&sb, "\nread to 0x10 of 8 bytes by task 2 on cpu 1:\n shallow+0x1/0x2\n\n");
	CHECK(sb.len > KT_REPORT_MAX_TEXT);
	rep = parse1(sb.buf);
	CHECK(rep != NULL);
	if (rep) {
		CHECK(strlen(rep->text) <= KT_REPORT_MAX_TEXT);
		CHECK(strlen(rep->text) > KT_REPORT_MAX_TEXT - 100);
		CHECK_INT(rep->access[0].nframes, KT_REPORT_MAX_FRAMES);
		CHECK_INT(rep->access[1].nframes, 1);
		CHECK(!rep->complete);
		CHECK_INT(rep->last_line, 40000 + 7);
	}
	kt_report_free(rep);
	kt_strbuf_fini(&sb);

	{
		static const char text[] = "x\nBUG: KCSAN: data-race in a\0b / c\nmore\n";
		FILE *fp = fmemopen((void *)text, sizeof(text) - 1, "r");
		struct kt_reader *rd;
		struct kt_error *err;

		CHECK(fp != NULL);
		if (fp && !kt_reader_new(fp, "nul.log", &rd)) {
			err = kt_reader_next(rd, &rep);
			{
				struct item it = {rep, err};

				CHECK_ERR(&it, 2, "nul.log:2: NUL byte in report title");
			}
			kt_error_free(err);
			for (int i = 0; i < 3; i++) {
				err = kt_reader_next(rd, &rep);
				CHECK(err == NULL && rep == NULL);
				kt_error_free(err);
				kt_report_free(rep);
			}
			kt_reader_free(rd);
		}
		if (fp)
			fclose(fp);
	}
	run_text("", "empty.log", &r);
	CHECK_INT(r.n, 0);
	run_free(&r);
}

/* The base report cut after each of its lines: a truncation error until the
 * second stack has a frame, then a report, complete only with its closing
 * line; a stack the cut may have shortened (no section read after it) is
 * elided. */
static void test_every_cut(void)
{
	for (size_t k = 0; k <= NBASE; k++) {
		struct kt_strbuf sb;
		struct run r;

		kt_strbuf_init(&sb);
		kt_strbuf_adds(&sb, "[    1.000000] boot\n");
		for (size_t i = 0; i < k; i++) {
			kt_strbuf_adds(&sb, base_lines[i]);
			kt_strbuf_addc(&sb, '\n');
		}
		run_text(sb.buf, "cut.log", &r);
		if (k < 2) {
			CHECK_INT(r.n, 0);
		} else if (k < 12) {
			CHECK_INT(r.nerrors, 1);
			CHECK_INT(r.nreports, 0);
			if (r.n == 1) {
				CHECK_ERR(&r.items[0], (long)k + 1,
					  "truncated report (title at line 3");
				CHECK_ERR(&r.items[0], 0, "ended by the end of input");
			}
		} else {
			CHECK_INT(r.nerrors, 0);
			CHECK_INT(r.nreports, 1);
			if (r.n == 1 && r.items[0].rep) {
				const struct kt_report *rep = r.items[0].rep;

				CHECK_INT(rep->complete, k == NBASE);
				CHECK_INT(rep->value.present, k >= 16);
				CHECK_INT(rep->env.pid, k >= 19 ? 311 : -1);
				CHECK_INT(rep->last_line, (long)k + 1);
				CHECK_INT(rep->access[1].nframes, k < 14 ? k - 11 : 3);
				CHECK(!rep->access[0].elided);
				CHECK_INT(rep->access[1].elided, k < 16);
			}
		}
		run_free(&r);
		kt_strbuf_fini(&sb);
	}
}

/* A copy that lost its "Reported by" line still has its footer read. */
static void test_no_reported_by(void)
{
	char *text = slurp("no-reported-by.txt");
	struct kt_report *rep = parse1(text);

	CHECK(rep != NULL);
	if (rep) {
		CHECK(!rep->complete);
		CHECK_INT(rep->naccess, 2);
		CHECK_INT(rep->env.cpu, 1);
		CHECK_INT(rep->env.pid, 2);
		CHECK_STR(rep->env.comm, "t");
		CHECK_STR(rep->env.kernel, "6.1.0");
		CHECK_STR(rep->env.hardware, "QEMU");
	}
	kt_report_free(rep);
	free(text);
}

/* syzbot's mails name the commit tested before the report ("HEAD commit:");
 * the reader keeps it for the reports after it, quoted or not, until a new
 * mail of the mbox or a HEAD commit line naming no commit. */
static void test_head_commit(void)
{
	char *text = slurp("syzbot-mails.mbox");
	struct run r;
	static const char *const want[][2] = {
	    {"f1", "480e035fc4c7"}, {"f7", NULL}, {"f3", NULL}, {"f5", "b401b621758e"}};

	run_text(text, "syzbot-mails.mbox", &r);
	CHECK_INT(r.nreports, 4);
	CHECK_INT(r.nerrors, 0);
	for (size_t i = 0; i < r.n && i < 4; i++) {
		const struct kt_report *rep = r.items[i].rep;

		CHECK(rep != NULL);
		if (!rep)
			continue;
		CHECK_STR(rep->title_funcs[0], want[i][0]);
		if (want[i][1])
			CHECK_STR(rep->env.commit, want[i][1]);
		else
			CHECK(rep->env.commit == NULL);
	}
	CHECK_STR(r.n > 0 && r.items[0].rep ? r.items[0].rep->env.kernel : NULL,
		  "6.8.0-syzkaller-08073-g480e035fc4c7");
	run_free(&r);
	free(text);
}

int main(void)
{
	test_malformed();
	test_small_errors();
	test_huge_and_nul();
	test_frame_cap();
	test_stream();
	test_limits();
	test_no_reported_by();
	test_head_commit();
	test_every_cut();
	return kt_test_done("test_report_errors");
}
