/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers of the report reader's tests on synthetic inputs
 * (test_report_parse.c, test_report_errors.c): reading a text or stream
 * into reports and errors, and the base report printed in every variant.
 * Header-only so that its CHECKs count in the including test.
 */
#ifndef KT_TEST_REPORT_PARSE_HELPERS_H
#define KT_TEST_REPORT_PARSE_HELPERS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "kcsan/report.h"
#include "kcsan/strbuf.h"
#include "parser_file.h"

/* Results of reading a whole input: reports and errors in order. */
struct item {
	struct kt_report *rep; /* or NULL for an error */
	struct kt_error *err;
};

struct run {
	struct item items[64];
	size_t n;
	size_t nreports, nerrors;
};

static inline void run_stream(FILE *fp, const char *name, struct run *r)
{
	struct kt_reader *rd;
	struct kt_error *err = kt_reader_new(fp, name, &rd);

	memset(r, 0, sizeof(*r));
	CHECK(err == NULL);
	if (err) {
		kt_error_free(err);
		return;
	}
	for (int guard = 0; guard < 10000; guard++) {
		struct kt_report *rep;

		err = kt_reader_next(rd, &rep);
		if (!err && !rep)
			break;
		if (r->n < 64) {
			r->items[r->n].rep = rep;
			r->items[r->n].err = err;
			r->n++;
		} else {
			kt_report_free(rep);
			kt_error_free(err);
		}
		if (err)
			r->nerrors++;
		else
			r->nreports++;
	}
	kt_reader_free(rd);
}

static inline void run_text(const char *text, const char *name, struct run *r)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");

	CHECK(fp != NULL);
	if (!fp) {
		memset(r, 0, sizeof(*r));
		return;
	}
	run_stream(fp, name, r);
	fclose(fp);
}

static inline void run_free(struct run *r)
{
	for (size_t i = 0; i < r->n; i++) {
		kt_report_free(r->items[i].rep);
		kt_error_free(r->items[i].err);
	}
	r->n = 0;
}

/* The error's "file:line: msg" contains want and its line is line. */
static inline void check_err(const struct item *it, long line, const char *want, int src_line)
{
	char *msg;

	kt_test_checks++;
	if (!it->err) {
		kt_test_failures++;
		fprintf(stderr, "%s:%d: expected an error containing '%s', got a report\n",
			__FILE__, src_line, want);
		return;
	}
	msg = kt_error_format(it->err);
	if (!strstr(msg, want) || (line && it->err->line != line)) {
		kt_test_failures++;
		fprintf(stderr, "%s:%d: error '%s' (line %ld), expected '%s' at line %ld\n",
			__FILE__, src_line, msg, it->err->line, want, line);
	}
	free(msg);
}
#define CHECK_ERR(it, line, want) check_err((it), (line), (want), __LINE__)

static inline struct kt_report *parse1(const char *text)
{
	struct kt_report *rep = NULL;
	struct kt_error *err = kt_report_parse_string(text, "inline", &rep);

	if (err) {
		char *m = kt_error_format(err);

		fprintf(stderr, "unexpected error: %s\n", m);
		free(m);
		kt_error_free(err);
	}
	return rep;
}

/* A small complete report, lines joined by "\n". */
static const char *const base_lines[] = {
    "==================================================================",
    "BUG: KCSAN: data-race in pipe_poll / pipe_write",
    "",
    "write to 0xffff8880059a3d50 of 4 bytes by task 310 on cpu 1:",
    " pipe_write+0x3c1/0xae0",
    " vfs_write+0x471/0x5c0",
    " ? ksys_write+0x6b/0x130",
    " ksys_write+0xa6/0x130",
    " entry_SYSCALL_64_after_hwframe+0x4b/0xb5",
    "",
    "read to 0xffff8880059a3d50 of 4 bytes by task 311 on cpu 0:",
    " pipe_poll+0xc6/0x220",
    " do_sys_poll+0x3e3/0x7b0",
    " __x64_sys_poll+0x6e/0x1d0",
    "",
    "value changed: 0x00000001 -> 0x00000002",
    "",
    "Reported by Kernel Concurrency Sanitizer on:",
    "CPU: 0 PID: 311 Comm: w-pipe Not tainted 6.1.192 #1",
    "Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014",
    "==================================================================",
};
#define NBASE (sizeof(base_lines) / sizeof(base_lines[0]))

/* base_lines with a per-line prefix, leading spaces changed and line ends. */
static inline char *make_variant(const char *prefix, const char *frame_indent, const char *eol)
{
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	kt_strbuf_adds(&sb, "[    0.000000] Linux version 6.1.192\r\nunrelated output\n");
	for (size_t i = 0; i < NBASE; i++) {
		const char *l = base_lines[i];

		kt_strbuf_adds(&sb, prefix);
		if (l[0] == ' ') {
			kt_strbuf_adds(&sb, frame_indent);
			l++;
		}
		kt_strbuf_adds(&sb, l);
		kt_strbuf_adds(&sb, eol);
	}
	kt_strbuf_adds(&sb, "after the report\n");
	return kt_strbuf_detach(&sb);
}

static inline void check_base_report(const struct kt_report *rep, const char *what)
{
	if (!rep) {
		fprintf(stderr, "variant %s: no report\n", what);
		CHECK(rep != NULL);
		return;
	}
	CHECK_INT(rep->kind, KT_KIND_DATA_RACE);
	CHECK_STR(rep->bug_line, "BUG: KCSAN: data-race in pipe_poll / pipe_write");
	CHECK_STR(rep->title, "KCSAN: data-race in pipe_poll / pipe_write");
	CHECK_STR(rep->title_funcs[0], "pipe_poll");
	CHECK_STR(rep->title_funcs[1], "pipe_write");
	CHECK_INT(rep->naccess, 2);
	CHECK(rep->complete);
	CHECK(!rep->symbolized);
	CHECK(!rep->unknown_origin);
	CHECK_INT(rep->last_line - rep->first_line, 19);
	CHECK_INT(rep->access[0].op, KT_OP_WRITE);
	CHECK_INT(rep->access[0].addr, 0xffff8880059a3d50ULL);
	CHECK_INT(rep->access[0].size, 4);
	CHECK_INT(rep->access[0].task, 310);
	CHECK_INT(rep->access[0].cpu, 1);
	CHECK_INT(rep->access[0].line_no - rep->first_line, 2);
	CHECK_INT(rep->access[0].nframes, 4); /* the "? " frame is skipped */
	if (rep->access[0].nframes == 4) {
		CHECK_STR(rep->access[0].frames[0].func, "pipe_write");
		CHECK_INT(rep->access[0].frames[0].off, 0x3c1);
		CHECK_INT(rep->access[0].frames[0].size, 0xae0);
		CHECK(rep->access[0].frames[0].has_offset);
		CHECK_STR(rep->access[0].frames[2].func, "ksys_write");
		CHECK_INT(rep->access[0].frames[2].off, 0xa6);
	}
	CHECK_INT(rep->access[1].op, KT_OP_READ);
	CHECK_INT(rep->access[1].task, 311);
	CHECK_INT(rep->access[1].nframes, 3);
	CHECK(rep->value.present);
	CHECK_INT(rep->value.old_val, 1);
	CHECK_INT(rep->value.new_val, 2);
	CHECK_INT(rep->value.width, 8);
	CHECK(!rep->value.has_mask);
	CHECK_INT(rep->env.cpu, 0);
	CHECK_INT(rep->env.pid, 311);
	CHECK_STR(rep->env.comm, "w-pipe");
	CHECK_STR(rep->env.taint, "Not tainted");
	CHECK_STR(rep->env.kernel, "6.1.192");
	CHECK_STR(rep->env.hardware,
		  "QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014");
	CHECK(rep->text && kt_str_startswith(rep->text + strspn(rep->text, " "), "=====") &&
	      strstr(rep->text, "BUG: KCSAN: data-race in pipe_poll / pipe_write\n") &&
	      kt_str_endswith(rep->text, "=====\n"));
	CHECK(rep->text && !strchr(rep->text, '\r') && !strstr(rep->text, "[    "));
}

#endif
