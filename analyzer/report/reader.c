// SPDX-License-Identifier: Apache-2.0
/*
 * The line input of the report reader, and the scan for report titles
 * between reports: everything that is not a report is skipped.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define READ_CHUNK (64 * 1024)

/* Next line into rd->line (without '\n' and '\r'), cut at KT_REPORT_MAX_LINE.
 * Returns false at the end of the input. */
bool kr_read_line(struct kt_reader *rd)
{
	struct kt_strbuf *l = &rd->line;
	bool got = false;

	if (rd->pushback) {
		rd->pushback = false;
		rd->lineno++;
		return true;
	}
	kt_strbuf_reset(l);
	kt_strbuf_add(l, "", 0);
	rd->too_long = false;
	rd->has_nul = false;
	for (;;) {
		char *nl;
		size_t n, take;

		if (rd->ipos == rd->ilen) {
			if (rd->eof)
				break;
			rd->ilen = fread(rd->ibuf, 1, READ_CHUNK, rd->fp);
			rd->ipos = 0;
			if (rd->ilen == 0) {
				rd->eof = true;
				if (ferror(rd->fp))
					rd->read_errno = errno ? errno : EIO;
				break;
			}
		}
		got = true;
		nl = memchr(rd->ibuf + rd->ipos, '\n', rd->ilen - rd->ipos);
		n = nl ? (size_t)(nl - (rd->ibuf + rd->ipos)) : rd->ilen - rd->ipos;
		take = n;
		if (l->len + take > KT_REPORT_MAX_LINE) {
			take = KT_REPORT_MAX_LINE - l->len;
			rd->too_long = true;
		}
		if (take && memchr(rd->ibuf + rd->ipos, '\0', take))
			rd->has_nul = true;
		kt_strbuf_add(l, rd->ibuf + rd->ipos, take);
		rd->ipos += n;
		if (nl) {
			rd->ipos++;
			break;
		}
	}
	if (!got)
		return false;
	rd->lineno++;
	if (l->len && l->buf[l->len - 1] == '\r')
		l->buf[--l->len] = '\0';
	if (rd->has_nul) {
		/* keep the text printable up to the NUL for the error message */
		l->len = strlen(l->buf);
	}
	return true;
}

/* Save the blanks a line ends with (before its '\r'), up to n - 1 of them. */
void kr_keep_tail(const struct kt_strbuf *l, size_t min, char *tail, size_t n)
{
	size_t end = l->len, start;

	if (end && l->buf[end - 1] == '\r')
		end--;
	if (end < min)
		end = min;
	start = end;
	while (start > min && end - start < n - 1 &&
	       (l->buf[start - 1] == ' ' || l->buf[start - 1] == '\t'))
		start--;
	memcpy(tail, l->buf + start, end - start);
	tail[end - start] = '\0';
}

void kr_rtrim(struct kt_strbuf *l)
{
	while (l->len && (l->buf[l->len - 1] == ' ' || l->buf[l->len - 1] == '\t' ||
			  l->buf[l->len - 1] == '\r'))
		l->buf[--l->len] = '\0';
}

struct kt_error *kt_reader_new(FILE *fp, const char *name, struct kt_reader **out)
{
	struct kt_reader *rd;
	struct kt_error *err;

	*out = NULL;
	if (!fp)
		return kt_error_new(KT_ERR_USAGE, name, 0, "kt_reader_new: no input stream");
	rd = kt_xcalloc(1, sizeof(*rd));
	rd->fp = fp;
	rd->name = kt_xstrdup(name ? name : "<input>");
	rd->ibuf = kt_xmalloc(READ_CHUNK);
	kt_strbuf_init(&rd->line);
	if ((err = kt_title_normalizer_new(&rd->tn))) {
		kt_reader_free(rd);
		return err;
	}
	*out = rd;
	return NULL;
}

void kt_reader_free(struct kt_reader *rd)
{
	if (!rd)
		return;
	kt_title_normalizer_free(rd->tn);
	kt_strbuf_fini(&rd->line);
	free(rd->ibuf);
	free(rd->name);
	free(rd);
}

struct kt_error *kr_read_error(struct kt_reader *rd)
{
	struct kt_error *e = kt_error_new(KT_ERR_IO, rd->name, rd->lineno, "read error: %s",
					  strerror(rd->read_errno));

	rd->read_errno = 0;
	return e;
}

/* syzbot's mails name the kernel they tested before the report:
 * "HEAD commit:    480e035fc4c7 Merge tag ..."; a new mail in an mbox
 * ("From " at the start of a line) forgets it. */
static void head_commit(struct kt_reader *rd)
{
	struct kr_quoting q;
	struct kr_prefix px;
	const char *c;
	size_t n = 0;

	if (strncmp(rd->line.buf, "From ", 5) == 0) {
		rd->head_commit[0] = '\0';
		return;
	}
	kr_quoting_of(rd->line.buf, &q);
	c = kr_skip_ws(rd->line.buf + kr_strip_prefix(rd->line.buf, &q, &px));
	if (!kr_lex_lit(&c, "HEAD commit:"))
		return;
	c = kr_skip_ws(c);
	rd->head_commit[0] = '\0'; /* a line naming no commit forgets the last */
	while (n <= 40 && kr_is_hex(c[n]))
		n++;
	if (n < 7 || n > 40 || (c[n] && c[n] != ' ' && c[n] != '\t'))
		return;
	memcpy(rd->head_commit, c, n);
	rd->head_commit[n] = '\0';
}

struct kt_error *kt_reader_next(struct kt_reader *rd, struct kt_report **out)
{
	*out = NULL;
	if (!rd)
		return kt_error_new(KT_ERR_USAGE, NULL, 0, "kt_reader_next: no reader");
	while (kr_read_line(rd)) {
		struct kr_prefix px;
		struct kr_quoting q;
		const char *c;
		size_t off;

		if (!memmem(rd->line.buf, rd->line.len, "KCSAN:", 6) &&
		    !memmem(rd->line.buf, rd->line.len, "=====", 5)) {
			if (rd->line.buf[0] == 'F' ||
			    memmem(rd->line.buf, rd->line.len, "HEAD commit:", 12))
				head_commit(rd);
			rd->prev_sep = false;
			continue;
		}
		kr_quoting_of(rd->line.buf, &q);
		off = kr_strip_prefix(rd->line.buf, &q, &px);
		kr_rtrim(&rd->line);
		c = kr_skip_ws(rd->line.buf + off);
		if (kr_is_separator(c)) {
			size_t n = strlen(rd->line.buf + off);

			rd->prev_sep = true;
			memcpy(rd->prev_sep_caller, px.caller, sizeof(px.caller));
			if (n >= sizeof(rd->prev_sep_text))
				n = sizeof(rd->prev_sep_text) - 1;
			memcpy(rd->prev_sep_text, rd->line.buf + off, n);
			rd->prev_sep_text[n] = '\0';
			continue;
		}
		if (strncmp(c, "BUG: KCSAN:", 11) != 0) {
			rd->prev_sep = false;
			continue;
		}
		if (rd->has_nul || rd->too_long) {
			struct kt_error *e = rd->has_nul
						 ? kt_error_new(KT_ERR_PARSE, rd->name, rd->lineno,
								"NUL byte in report title")
						 : kt_error_new(KT_ERR_LIMIT, rd->name, rd->lineno,
								"report title longer than %d bytes",
								KT_REPORT_MAX_LINE);
			rd->prev_sep = false;
			return e;
		}
		{
			char *title = kt_xstrdup(rd->line.buf + off);
			struct kt_error *err = kr_parse_report(rd, &q, &px, title, out);

			free(title);
			rd->prev_sep = false;
			return err;
		}
	}
	if (rd->read_errno)
		return kr_read_error(rd);
	return NULL;
}

struct kt_error *kt_report_parse_string(const char *text, const char *name, struct kt_report **out)
{
	struct kt_reader *rd;
	struct kt_error *err;
	FILE *fp;

	*out = NULL;
	if (!text)
		return kt_error_new(KT_ERR_USAGE, name, 0, "no text to parse");
	if (!*text)
		return kt_error_new(KT_ERR_PARSE, name, 0, "no KCSAN report found");
	fp = fmemopen((void *)text, strlen(text), "r");
	if (!fp)
		return kt_error_new(KT_ERR_IO, name, 0, "fmemopen: %s", strerror(errno));
	err = kt_reader_new(fp, name, &rd);
	if (!err) {
		err = kt_reader_next(rd, out);
		if (!err && !*out)
			err = kt_error_new(KT_ERR_PARSE, name, 0, "no KCSAN report found");
		kt_reader_free(rd);
	}
	fclose(fp);
	return err;
}
