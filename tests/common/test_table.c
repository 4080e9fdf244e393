// SPDX-License-Identifier: Apache-2.0
/*
 * The table reader (kcsan/table.h): fields, quotes and comments, every bad
 * line reported as file:line in order, and the rules-directory resolver.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "kcsan/strbuf.h"
#include "kcsan/table.h"

/* Records every line as "N:f1|f2|..."; a first field "bad" is refused. */
static struct kt_error *record(void *ctx, const struct kt_table_line *l)
{
	struct kt_strbuf *sb = ctx;

	if (strcmp(l->f[0], "bad") == 0)
		return kt_table_bad(l, "refused '%s'", l->n > 1 ? l->f[1] : "");
	kt_strbuf_addf(sb, "%ld:", l->line);
	for (size_t i = 0; i < l->n; i++)
		kt_strbuf_addf(sb, "%s%s", i ? "|" : "", l->f[i]);
	kt_strbuf_addc(sb, ';');
	return NULL;
}

/* Parses text; the recorded lines in *got (caller frees), the error chain
 * formatted one error a line in *errs (caller frees). */
static void parse(const char *text, size_t len, char **got, char **errs)
{
	struct kt_strbuf sb, eb;
	struct kt_error *err;

	kt_strbuf_init(&sb);
	kt_strbuf_init(&eb);
	err = kt_table_parse("t.tbl", text, len, record, &sb);
	for (const struct kt_error *e = err; e; e = e->next) {
		char *m = kt_error_format(e);

		kt_strbuf_addf(&eb, "%s\n", m);
		free(m);
	}
	kt_error_free(err);
	*got = kt_strbuf_detach(&sb);
	*errs = kt_strbuf_detach(&eb);
}

static void check_parse(const char *text, const char *want, const char *want_errs)
{
	char *got, *errs;

	parse(text, strlen(text), &got, &errs);
	CHECK_STR(got, want);
	CHECK_STR(errs, want_errs);
	free(got);
	free(errs);
}

static void fields(void)
{
	/* blanks, tabs, comments (also indented), CRLF, no final newline */
	check_parse("# comment \"with a quote\n\n  a  b\tc\r\n\t# indented\nd", "3:a|b|c;5:d;", "");
	/* a quoted field keeps its spaces; an empty one is a field */
	check_parse("copy x k \"page cache data\" \"\"\n", "1:copy|x|k|page cache data|;", "");
	/* '#' inside a line is text */
	check_parse("a #b\n", "1:a|#b;", "");
	/* eight fields are fine, nine are not */
	check_parse("1 2 3 4 5 6 7 8\n1 2 3 4 5 6 7 8 9\n", "1:1|2|3|4|5|6|7|8;",
		    "t.tbl:2: more than 8 fields\n");
}

static void bad_lines(void)
{
	/* every bad line is reported, in order, and the good ones are read */
	check_parse("a\nbad one\nb\nbad two\n", "1:a;3:b;",
		    "t.tbl:2: refused 'one'\nt.tbl:4: refused 'two'\n");
	check_parse("x \"open\n", "", "t.tbl:1: unterminated quote\n");
	check_parse("x \"a\"b\n", "", "t.tbl:1: text right after a closing quote\n");
	check_parse("x a\"b\n", "", "t.tbl:1: a quote inside a field (quote the whole field)\n");
	check_parse("x \x01\n", "", "t.tbl:1: control character\n");
	check_parse("x \xff\n", "", "t.tbl:1: not UTF-8\n");
	check_parse("x caf\xc3\xa9\n", "1:x|caf\xc3\xa9;", "");

	/* a NUL byte in the text is a bad line, not the end of the table */
	char *got, *errs;
	parse("a\nb\0c\nd\n", 8, &got, &errs);
	CHECK_STR(got, "1:a;3:d;");
	CHECK_STR(errs, "t.tbl:2: NUL byte\n");
	free(got);
	free(errs);

	/* after KT_TABLE_MAX_ERRORS bad lines the rest is not read */
	struct kt_strbuf sb;
	kt_strbuf_init(&sb);
	for (int i = 0; i < KT_TABLE_MAX_ERRORS + 5; i++)
		kt_strbuf_adds(&sb, "bad x\n");
	parse(sb.buf, sb.len, &got, &errs);
	size_t n = 0;
	for (const char *p = errs; (p = strchr(p, '\n')); p++)
		n++;
	CHECK_INT(n, KT_TABLE_MAX_ERRORS + 1);
	CHECK(strstr(errs, "t.tbl:21: 20 bad lines: the rest is not read") != NULL);
	free(got);
	free(errs);
	kt_strbuf_fini(&sb);
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	CHECK(fp != NULL);
	if (fp) {
		fputs(text, fp);
		fclose(fp);
	}
}

static void files_and_dirs(void)
{
	char dir[512], path[600];
	struct kt_strbuf sb;
	struct kt_error *err;
	char *p, *shipped;

	/* a file that is not there is an I/O error naming it */
	kt_strbuf_init(&sb);
	err = kt_table_read(KT_BUILD_DIR "/no-such-table.tbl", record, &sb);
	CHECK(err && err->code == KT_ERR_IO && err->line == 0 &&
	      strstr(err->file, "no-such-table.tbl"));
	kt_error_free(err);

	/* the shipped rules of a program in the build tree are the source's */
	shipped = kt_rules_dir_default();
	CHECK_STR(shipped, KT_SOURCE_RULES_DIR);
	free(shipped);

	/* a table of the given directory, else the shipped one, else none */
	snprintf(dir, sizeof(dir), "%s/table-test-rules", KT_BUILD_DIR);
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/locks.tbl", dir);
	write_file(path, "acquire x exclusive 0 -\n");
	p = kt_rules_path(dir, "locks.tbl");
	CHECK_STR(p, path);
	free(p);
	p = kt_rules_path(dir, "types.tbl");
	CHECK_STR(p, KT_SOURCE_RULES_DIR "/types.tbl");
	free(p);
	p = kt_rules_path(NULL, "access.tbl");
	CHECK_STR(p, KT_SOURCE_RULES_DIR "/access.tbl");
	free(p);
	CHECK(kt_rules_path(dir, "no-such.tbl") == NULL);
	/* a directory named like a table is not one */
	snprintf(path, sizeof(path), "%s/access.tbl", dir);
	mkdir(path, 0755);
	p = kt_rules_path(dir, "access.tbl");
	CHECK_STR(p, KT_SOURCE_RULES_DIR "/access.tbl");
	free(p);
	rmdir(path);

	/* a file read the same as its text */
	snprintf(path, sizeof(path), "%s/locks.tbl", dir);
	write_file(path, "a b\n\nbad c\n");
	err = kt_table_read(path, record, &sb);
	CHECK_STR(sb.buf, "1:a|b;");
	CHECK(err && err->line == 3 && strcmp(err->file, path) == 0 && !err->next);
	kt_error_free(err);
	kt_strbuf_fini(&sb);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	fields();
	bad_lines();
	files_and_dirs();
	return kt_test_done("test_table");
}
