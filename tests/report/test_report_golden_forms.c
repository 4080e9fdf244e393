// SPDX-License-Identifier: Apache-2.0
/*
 * Real reports in the forms they circulate in, each as it was published (its
 * source in the header of testdata/parser/forms/NAME.txt), read to what
 * NAME.expect says: the reports and errors of the file, every access and
 * frame. "test_report_golden_forms --dump FILE" prints a .expect; read it
 * against the report before committing it.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "kcsan/report.h"
#include "kcsan/strbuf.h"
#include "parser_file.h"

static struct kt_report *parse(const char *text, const char *what)
{
	struct kt_report *rep = NULL;
	struct kt_error *err = kt_report_parse_string(text, what, &rep);

	if (err) {
		char *m = kt_error_format(err);

		fprintf(stderr, "%s: unexpected error: %s\n", what, m);
		free(m);
		kt_error_free(err);
	}
	CHECK(rep != NULL);
	return rep;
}

static void check_same(const char *what, const char *name, const char *want, const char *got)
{
	kt_test_checks++;
	if (strcmp(want, got) != 0) {
		kt_test_failures++;
		fprintf(stderr, "%s: %s differs\n--- expected:\n%s--- got:\n%s---\n", name, what,
			want, got);
	}
}

/* A report as the lines of a .expect file. */
static void dump_report(struct kt_strbuf *sb, const struct kt_report *rep)
{
	static const char *const kinds[] = {"data-race", "assert", "unknown-origin"};
	const struct kt_value_change *v = &rep->value;

	kt_strbuf_addf(sb, "report line %ld-%ld %s%s%s\n", rep->first_line, rep->last_line,
		       kinds[rep->kind], rep->complete ? " complete" : "",
		       rep->symbolized ? " symbolized" : "");
	kt_strbuf_addf(sb, "title %s\n", rep->title);
	for (size_t a = 0; a < rep->naccess; a++) {
		const struct kt_access *acc = &rep->access[a];

		kt_strbuf_addf(sb, "access %s size %llu", acc->type_text,
			       (unsigned long long)acc->size);
		if (acc->addr_elided)
			kt_strbuf_adds(sb, " addr hidden");
		else
			kt_strbuf_addf(sb, " addr 0x%llx", (unsigned long long)acc->addr);
		if (acc->by_interrupt)
			kt_strbuf_adds(sb, " interrupt");
		else
			kt_strbuf_addf(sb, " task %ld", acc->task);
		kt_strbuf_addf(sb, " cpu %d%s\n", acc->cpu, acc->elided ? " elided" : "");
		for (size_t i = 0; i < acc->nframes; i++) {
			const struct kt_frame *f = &acc->frames[i];

			kt_strbuf_addf(sb, "  %s", f->func);
			if (f->has_offset)
				kt_strbuf_addf(sb, "+0x%llx/0x%llx", (unsigned long long)f->off,
					       (unsigned long long)f->size);
			if (f->module)
				kt_strbuf_addf(sb, " [%s]", f->module);
			if (f->file)
				kt_strbuf_addf(sb, " %s:%d", f->file, f->line);
			if (f->inlined)
				kt_strbuf_adds(sb, " [inline]");
			for (size_t k = 0; k < f->ninl; k++)
				kt_strbuf_addf(sb, " <%s:%d", f->inl[k].file, f->inl[k].line);
			kt_strbuf_addc(sb, '\n');
		}
		if (acc->reordered_to)
			kt_strbuf_addf(sb, "  reordered to %s+0x%llx/0x%llx\n",
				       acc->reordered_to->func,
				       (unsigned long long)acc->reordered_to->off,
				       (unsigned long long)acc->reordered_to->size);
	}
	if (v->present) {
		kt_strbuf_addf(sb, "value 0x%0*llx -> 0x%0*llx", v->width,
			       (unsigned long long)v->old_val, v->width,
			       (unsigned long long)v->new_val);
		if (v->has_mask)
			kt_strbuf_addf(sb, " bits 0x%llx mask 0x%llx", (unsigned long long)v->bits,
				       (unsigned long long)v->mask);
		if (v->note)
			kt_strbuf_addf(sb, " note %s", v->note);
		kt_strbuf_addc(sb, '\n');
	}
	kt_strbuf_addf(sb, "env cpu %d pid %ld comm %s taint %s kernel %s\n", rep->env.cpu,
		       rep->env.pid, rep->env.comm ? rep->env.comm : "-",
		       rep->env.taint ? rep->env.taint : "-",
		       rep->env.kernel ? rep->env.kernel : "-");
}

/* Every report and error of a file, as a .expect file has them. */
static char *dump_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	struct kt_reader *rd;
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	kt_strbuf_adds(&sb, "");
	if (!fp || kt_reader_new(fp, "", &rd)) {
		kt_strbuf_addf(&sb, "cannot read %s\n", path);
		if (fp)
			fclose(fp);
		return kt_strbuf_detach(&sb);
	}
	for (;;) {
		struct kt_report *rep;
		struct kt_error *err = kt_reader_next(rd, &rep);

		if (err) {
			kt_strbuf_addf(&sb, "error line %ld: %s\n", err->line, err->msg);
			kt_error_free(err);
			continue;
		}
		if (!rep)
			break;
		dump_report(&sb, rep);
		kt_report_free(rep);
	}
	kt_reader_free(rd);
	fclose(fp);
	return kt_strbuf_detach(&sb);
}

/* dump_file of a string. */
static char *dump_text(const char *text)
{
	char path[] = "/tmp/kt-forms-XXXXXX";
	int fd = mkstemp(path);
	FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
	char *t;

	CHECK(fp != NULL);
	if (!fp)
		return kt_xstrdup("");
	fputs(text, fp);
	fclose(fp);
	t = dump_file(path);
	unlink(path);
	return t;
}

/* testdata/parser/forms/NAME.txt (a real report as published, its source in
 * the header) against NAME.expect. */
static void test_goldens(void)
{
	char dir[4096];
	DIR *d;
	struct dirent *e;
	int n = 0;

	snprintf(dir, sizeof(dir), "%s/parser/forms", KT_TESTDATA);
	d = opendir(dir);
	CHECK(d != NULL);
	if (!d)
		return;
	while ((e = readdir(d))) {
		char txt[8192], exp[4096], *got, *want;
		size_t len = strlen(e->d_name);

		if (len < 5 || strcmp(e->d_name + len - 4, ".txt") ||
		    kt_str_startswith(e->d_name, "base-"))
			continue;
		snprintf(txt, sizeof(txt), "%s/%s", dir, e->d_name);
		snprintf(exp, sizeof(exp), "forms/%.*s.expect", (int)(len - 4), e->d_name);
		got = dump_file(txt);
		want = slurp(exp);
		check_same("golden parse", e->d_name, want, got);
		free(got);
		free(want);
		n++;
	}
	closedir(d);
	CHECK(n >= 12);
	printf("%d golden forms\n", n);
}

/* Where a copy of a report ends: once every access is read, a line that is
 * none of the report's ends it (the mail goes on), except in a console log,
 * where a timed line is rather another CPU's; lock info, stack-context marks
 * and elision marks belong to the report. */
static void test_copy_end(void)
{
	const char *mail =
	    "> BUG: KCSAN: data-race in a_fn / b_fn\n"
	    ">\n"
	    "> [...]\n"
	    "> write to 0x10 of 8 bytes by task 1 on cpu 0:\n"
	    ">  a_fn+0x1/0x2\n"
	    ">  <IRQ>\n"
	    ">  a_caller+0x1/0x2\n"
	    "I wonder why this happens.\n"
	    ">\n"
	    "> read to 0x10 of 8 bytes by task 2 on cpu 1:\n"
	    ">  b_fn+0x1/0x2\n"
	    ">\n"
	    "> 2 locks held by kworker/0:1/12:\n"
	    ">  #0: ffff888100051548 ((wq_completion)events){+.+.}-{0:0}, at: f+0x1/0x2\n"
	    "> no locks held by t/2.\n"
	    ">\n"
	    "> value changed: 0x01 -> 0x02\n"
	    "\n"
	    "It is benign: value changed: 0x03 -> 0x04 would be too.\n"
	    "BUG: KCSAN: data-race in c_fn / d_fn\n";
	const char *console = "[   12.000001] BUG: KCSAN: data-race in a_fn / b_fn\n"
			      "[   12.000002] \n"
			      "[   12.000003] write to 0x10 of 8 bytes by task 1 on cpu 0:\n"
			      "[   12.000004]  a_fn+0x1/0x2\n"
			      "[   12.000005] \n"
			      "[   12.000006] read to 0x10 of 8 bytes by task 2 on cpu 1:\n"
			      "[   12.000007]  b_fn+0x1/0x2\n"
			      "[   12.000008] random: crng init done\n"
			      "[   12.000009] \n"
			      "[   12.000010] Reported by Kernel Concurrency Sanitizer on:\n"
			      "[   12.000011] CPU: 1 PID: 2 Comm: t Not tainted 6.1.0 #1\n"
			      "[   12.000012] ==================================================\n";
	struct kt_report *rep = parse(mail, "mail.txt");
	char *all = dump_text(mail);

	/* the report, then the next title, with no access */
	CHECK(strstr(all, "report line 1-18 ") == all);
	CHECK(strstr(all, "error line 20: truncated report (title at line 20") != NULL);
	free(all);
	if (rep) {

		CHECK_INT(rep->access[0].nframes, 2);
		CHECK_INT(rep->access[1].nframes, 1);
		CHECK(rep->value.present && rep->value.new_val == 2);
		CHECK(!rep->access[0].elided && !rep->access[1].elided);
		CHECK_INT(rep->last_line, 18); /* the blank line after the value change */
		CHECK(!strstr(rep->text, "benign"));
		CHECK(strstr(rep->text, "locks held by") != NULL);
	}
	kt_report_free(rep);
	rep = parse(console, "console.log");
	if (rep) {
		CHECK(rep->complete);
		CHECK_STR(rep->env.kernel, "6.1.0");
	}
	kt_report_free(rep);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--dump")) {
		char *t = dump_file(argv[2]);

		fputs(t, stdout);
		free(t);
		return 0;
	}
	test_goldens();
	test_copy_end();
	return kt_test_done("test_report_golden_forms");
}
