/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared by the files of the report stage only: lexing (lex.c), console and
 * quoting prefixes (prefix.c), stack lines (frame.c), access headers, value
 * changes and titles (access.c), the report being assembled (report.c) and
 * the line input (reader.c).
 */
#ifndef KT_REPORT_INTERNAL_H
#define KT_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kcsan/report.h"
#include "kcsan/strbuf.h"

/* Quoted input in error messages is cut at this many bytes. */
#define KR_QUOTE_MAX 60

/* ------------------------------------------------------------ lex.c */

static inline bool kr_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool kr_is_hex(char c)
{
	return kr_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Characters of a symbol name as the kernel prints it (clone suffixes included). */
static inline bool kr_is_sym_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || kr_is_digit(c) || c == '_' ||
	       c == '.' || c == '$';
}

/* "0x" and 1..16 hex digits at *p: advances *p; digits (may be NULL) counts them. */
bool kr_lex_hex(const char **p, uint64_t *v, int *digits);
/* A decimal of at most 12 digits, optionally negative. */
bool kr_lex_dec(const char **p, long *v);
/* The literal lit at *p: advances past it. */
bool kr_lex_lit(const char **p, const char *lit);
const char *kr_skip_ws(const char *s);
/* s for an error message: at most n - 1 bytes, control bytes as '?', "..." when cut. */
void kr_quote(char *dst, size_t n, const char *s);
/* "=====..." (ten or more). */
bool kr_is_separator(const char *c);
/* "Word word: value": key lines of dump_stack_print_info() and friends. */
bool kr_looks_like_key(const char *c);
/* A mark where a copy left lines out: "...", "[...]", "<snip>", ... */
bool kr_is_elision(const char *c);

/* ---------------------------------------------------------- prefix.c */

/* What a line's console prefix said about it. */
struct kr_prefix {
	char caller[16]; /* printk caller id: "T47", "C4" or "" */
	bool console;	 /* a time, a caller id or a syslog head was there */
};

/* How a report is quoted: the marks ('>' mail, '|' commit messages) before
 * its title line's content, in order, at any depth ("> > ", ">  | "). */
struct kr_quoting {
	char marks[16];
	size_t n;
};

/* The quoting of a title (or any) line. */
void kr_quoting_of(const char *s, struct kr_quoting *q);
/* Offset of the content of s after the report's quoting q and the console
 * prefix: a syslog head, a log level, a time, a caller id. */
size_t kr_strip_prefix(const char *s, const struct kr_quoting *q, struct kr_prefix *px);

/* ----------------------------------------------------------- frame.c */

enum kr_frame_kind {
	KR_FRAME_NONE,	       /* not a frame */
	KR_FRAME_QUESTIONABLE, /* "? func+0x..": skipped */
	KR_FRAME,	       /* func+0x../0x.. [mod] [file:line], func file:line [inline], ... */
	KR_FRAME_AT,	       /* addr2line: "func at file:line", "(inlined by) func at ..." */
};

struct kr_frame_line {
	struct kt_frame frame; /* owned by the caller for KR_FRAME, KR_FRAME_AT */
	bool open;	       /* a decode_stacktrace.sh list going on on the next line */
};

/* One stack line. */
enum kr_frame_kind kr_parse_frame(const char *c, struct kr_frame_line *fl);
/* A line of locations only, under frame f: the rest of an open list
 * (*open: it may close with ')') or the outer lines of a symbolized frame
 * ("\t\t net/unix/af_unix.c:1761"). Added to f when true. */
bool kr_parse_more_locs(const char *c, struct kt_frame *f, bool *open);
void kr_frame_fini(struct kt_frame *f);

/* --------------------------------------------------------- report.c */

enum kr_state {
	KR_ST_TITLE_WRAP, /* the title line ended in "/": the next line may finish it */
	KR_ST_EXPECT,	  /* between sections: blank lines, headers, value change */
	KR_ST_STACK,	  /* frames of the current access */
	KR_ST_FOOTER,	  /* after "Reported by ...": CPU:, Hardware name: */
};

/* The input a report is read from (reader.c owns it). */
struct kt_reader {
	FILE *fp;
	char *name;
	char *ibuf;
	size_t ipos, ilen;
	bool eof;
	int read_errno;

	/* current line */
	struct kt_strbuf line;
	long lineno;
	bool too_long;
	bool has_nul;
	bool pushback; /* the current line is to be read again */

	/* the "=====" line just before a title, for kt_report.text */
	bool prev_sep;
	char prev_sep_caller[16];
	char prev_sep_text[72];

	/* the commit of the last "HEAD commit:" line (syzbot's mails), or "" */
	char head_commit[41];

	struct kt_title_normalizer *tn;
};

/* The report being read. */
struct kr_parse {
	struct kt_reader *rd;
	struct kt_report *rep;
	enum kr_state st;
	struct kr_quoting quoting;
	bool has_caller;
	char caller[16];
	size_t other_lines;
	size_t title_nfuncs;
	long at_anchor;		/* index of the frame an addr2line chain belongs to, or -1 */
	long loc_target;	/* the frame the previous line gave, which a line of
				 * locations may go on, or -1 */
	long loc_target_next;	/* loc_target for the next line */
	bool locs_open;		/* loc_target's list is open: "func (a.h:12" */
	bool in_reorder;	/* after "+-> reordered to:", in its trace */
	struct kt_strbuf title; /* joined bug line */
	struct kt_strbuf text;	/* kt_report.text being built */
	struct kt_strbuf cpu_line, hw_line;
	int footer_last;	  /* 1 = CPU line, 2 = Hardware name, 0 = other */
	bool footer_cont;	  /* the last key line already got its continuation */
	size_t cap[2];		  /* frames[] capacities */
	bool after_stacks;	  /* a section after the last stack read (value change, footer) */
	bool title_console;	  /* the title had a console time, caller or syslog head */
	bool line_console;	  /* so has the current line */
	struct kt_strbuf pending; /* an access header wrapped onto the next line */
	char tail[32];		  /* the current line's trailing blanks, kept in text */
};

/* reader.c: the next line into rd->line (without '\n' and '\r'), cut at
 * KT_REPORT_MAX_LINE; false at the end of the input. */
bool kr_read_line(struct kt_reader *rd);
/* The blanks line l ends with (before its '\r', after offset min), at most n - 1. */
void kr_keep_tail(const struct kt_strbuf *l, size_t min, char *tail, size_t n);
/* Trailing blanks and '\r' off l. */
void kr_rtrim(struct kt_strbuf *l);
/* The read error the input stopped on. */
struct kt_error *kr_read_error(struct kt_reader *rd);

/* A parse error at the current line of the input. */
struct kt_error *kr_perr(struct kr_parse *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Read one report whose title (prefix stripped) is the current line. */
struct kt_error *kr_parse_report(struct kt_reader *rd, const struct kr_quoting *q,
				 const struct kr_prefix *tpx, const char *title,
				 struct kt_report **out);

/* ---------------------------------------------------------- access.c */

/* "<type> to 0x.. of N bytes by task N|interrupt on cpu N:" into the next
 * access; *is_header says whether the line has that shape at all. */
struct kt_error *kr_parse_access_header(struct kr_parse *ps, const char *c, bool *is_header);
/* The start of an access header a copy wrapped onto the next line
 * ("race at unknown origin, with read to 0x.. of 1 bytes"). */
bool kr_access_header_partial(const char *c);
/* "value changed: 0x.. -> 0x.." */
struct kt_error *kr_parse_value_change(struct kr_parse *ps, const char *c);
/* " bits changed: 0x.. with mask 0x.." */
struct kt_error *kr_parse_bits_changed(struct kr_parse *ps, const char *c);
/* "data-race in" or "assert: race in" at *p, then a blank or the end. */
bool kr_bug_type(const char **p, enum kt_report_kind *kind);
/* The functions of rep->bug_line into title_funcs[]. */
struct kt_error *kr_parse_title(struct kr_parse *ps);
/* "CPU: 1 [UID: 0 ]PID: 52 Comm: w-prw Not tainted 6.1.192 #1" into env. */
void kr_parse_cpu_line(struct kt_report_env *env, const char *s);

#endif
