// SPDX-License-Identifier: Apache-2.0
/*
 * One report assembled from its lines: each line goes through a list of
 * steps tried in order (the next report's title, the footer, the access
 * headers, the value change, the stack lines, ...); the first that takes it
 * decides. Then the report is checked (every access it announces, each with
 * a frame) and finished (title, env, elided stacks).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Unrecognized lines tolerated inside one report (lock and IRQ-trace info of
 * CONFIG_KCSAN_VERBOSE, notes of mail copies); more is garbage. */
#define MAX_OTHER_LINES 256

static void access_fini(struct kt_access *a)
{
	kt_frames_free(a->frames, a->nframes);
	if (a->reordered_to) {
		kr_frame_fini(a->reordered_to);
		free(a->reordered_to);
	}
	free(a->type_text);
	memset(a, 0, sizeof(*a));
}

void kt_report_free(struct kt_report *rep)
{
	if (!rep)
		return;
	free(rep->bug_line);
	free(rep->title);
	free(rep->title_funcs[0]);
	free(rep->title_funcs[1]);
	for (size_t i = 0; i < 2; i++)
		access_fini(&rep->access[i]);
	free(rep->value.note);
	free(rep->env.comm);
	free(rep->env.taint);
	free(rep->env.kernel);
	free(rep->env.hardware);
	free(rep->env.commit);
	free(rep->input);
	free(rep->text);
	free(rep);
}

struct kt_error *kr_perr(struct kr_parse *ps, const char *fmt, ...)
{
	struct kt_error *e;
	va_list ap;

	va_start(ap, fmt);
	e = kt_error_newv(KT_ERR_PARSE, ps->rd->name, ps->rd->lineno, fmt, ap);
	va_end(ap);
	return e;
}

static void add_text(struct kr_parse *ps, const char *s)
{
	struct kt_strbuf *t = &ps->text;
	size_t n = strlen(s);

	if (t->len + n + 1 > KT_REPORT_MAX_TEXT)
		return;
	kt_strbuf_add(t, s, n);
	kt_strbuf_addc(t, '\n');
}

/* The current line into text with the blanks it ended with (not its '\r'):
 * text is what the report printed, so re-printing it is byte-exact. */
static void add_line_text(struct kr_parse *ps, const char *content)
{
	struct kt_strbuf *t = &ps->text;
	size_t n = strlen(content), k = strlen(ps->tail);

	if (t->len + n + k + 1 > KT_REPORT_MAX_TEXT)
		return;
	kt_strbuf_add(t, content, n);
	kt_strbuf_add(t, ps->tail, k);
	kt_strbuf_addc(t, '\n');
}

/* f into the current access's stack at pos; false when the stack is full
 * (f is dropped and the stack marked elided). */
static bool add_frame_at(struct kr_parse *ps, size_t pos, struct kt_frame *f)
{
	size_t ai = ps->rep->naccess - 1;
	struct kt_access *a = &ps->rep->access[ai];

	if (a->nframes >= KT_REPORT_MAX_FRAMES) {
		kr_frame_fini(f);
		a->elided = true;
		return false;
	}
	if (a->nframes == ps->cap[ai]) {
		ps->cap[ai] = ps->cap[ai] ? ps->cap[ai] * 2 : 16;
		a->frames = kt_xrealloc(a->frames, ps->cap[ai] * sizeof(*a->frames));
	}
	memmove(&a->frames[pos + 1], &a->frames[pos], (a->nframes - pos) * sizeof(*a->frames));
	a->frames[pos] = *f;
	a->nframes++;
	return true;
}

/* ------------------------------------------------------ the line steps */

enum line_result {
	LR_NOT_MINE, /* the step does not take the line: try the next one */
	LR_TEXT,     /* taken: the line is part of the report */
	LR_END,	     /* the report ends with this line (its closing "=====") */
	LR_END_PUSH, /* the report ended before this line: read it again */
};

/* c: the line's content without its leading blanks; content: with them. */
typedef struct kt_error *line_step(struct kr_parse *ps, const char *c, enum line_result *lr);

static struct kt_error *step_next_title(struct kr_parse *ps, const char *c, enum line_result *lr)
{
	(void)ps;
	if (strncmp(c, "BUG: KCSAN:", 11) == 0)
		*lr = LR_END_PUSH;
	return NULL;
}

/* A key line of the footer wrapped by a mail client: its rest. */
static void footer_continuation(struct kr_parse *ps, const char *c)
{
	struct kt_strbuf *sb = ps->footer_last == 1 ? &ps->cpu_line : &ps->hw_line;

	while (sb->len && sb->buf[sb->len - 1] == ' ')
		sb->buf[--sb->len] = '\0';
	kt_strbuf_addc(sb, ' ');
	kt_strbuf_adds(sb, c);
	ps->footer_cont = true;
}

static struct kt_error *step_footer(struct kr_parse *ps, const char *c, enum line_result *lr)
{
	if (ps->st != KR_ST_FOOTER && ps->rep->naccess && kt_str_startswith(c, "CPU: ") &&
	    strstr(c, " PID: ")) {
		/* a copy that lost the "Reported by" line */
		ps->st = KR_ST_FOOTER;
		ps->after_stacks = true;
	}
	if (ps->st != KR_ST_FOOTER)
		return NULL;
	*lr = LR_TEXT;
	if (!*c)
		return NULL;
	if (kt_str_startswith(c, "CPU: ")) {
		kt_strbuf_reset(&ps->cpu_line);
		kt_strbuf_adds(&ps->cpu_line, c);
		ps->footer_last = 1;
		ps->footer_cont = false;
	} else if (kt_str_startswith(c, "Hardware name: ")) {
		kt_strbuf_reset(&ps->hw_line);
		kt_strbuf_adds(&ps->hw_line, c + strlen("Hardware name: "));
		ps->footer_last = 2;
		ps->footer_cont = false;
	} else if (kr_is_separator(c)) {
		*lr = LR_END;
	} else if (kr_looks_like_key(c)) {
		/* "Workqueue:", "Tainted: [W]=WARN", ... */
		ps->footer_last = 0;
	} else if (ps->footer_last && !ps->footer_cont) {
		footer_continuation(ps, c);
	} else {
		/* not part of the footer: the report ended without "=====" */
		*lr = LR_END_PUSH;
	}
	return NULL;
}

static struct kt_error *step_separator(struct kr_parse *ps, const char *c, enum line_result *lr)
{
	(void)ps;
	/* before the footer: rather the next report's opening line */
	if (kr_is_separator(c))
		*lr = LR_END_PUSH;
	return NULL;
}

static struct kt_error *step_title_wrap(struct kr_parse *ps, const char *c, enum line_result *lr)
{
	if (ps->st != KR_ST_TITLE_WRAP)
		return NULL;
	ps->st = KR_ST_EXPECT;
	if (*c && !strstr(c, " bytes by ") && !kr_is_elision(c)) {
		kt_strbuf_adds(&ps->title, " ");
		kt_strbuf_adds(&ps->title, c);
		*lr = LR_TEXT;
	}
	return NULL;
}

static struct kt_error *step_blank(struct kr_parse *ps, const char *c, enum line_result *lr)
{
	if (*c)
		return NULL;
	if (ps->st == KR_ST_STACK)
		ps->st = KR_ST_EXPECT;
	ps->in_reorder = false;
	*lr = LR_TEXT;
	return NULL;
}

static struct kt_error *step_access(struct kr_parse *ps, const char *c, enum line_result *lr)
{
	bool is_header;
	struct kt_error *err = kr_parse_access_header(ps, c, &is_header);

	if (!err && is_header) {
		ps->st = KR_ST_STACK;
		ps->in_reorder = false;
		*lr = LR_TEXT;
	}
	return err;
}

static struct kt_error *step_value(struct kr_parse *ps, const char *c, enum line_result *lr)
{
	struct kt_error *err = NULL;

	if (kt_str_startswith(c, "value changed: ") ||
	    kt_str_startswith(c, "value changed from ")) {
		if (ps->rep->naccess == 0)
			return kr_perr(ps, "garbled report: value change before any access");
		err = kr_parse_value_change(ps, c);
		ps->st = KR_ST_EXPECT;
		ps->after_stacks = true;
		*lr = LR_TEXT;
	} else if (kt_str_startswith(c, "bits changed")) {
		err = kr_parse_bits_changed(ps, c);
		*lr = LR_TEXT;
	}
	return err;
}

static struct kt_error *step_reported_by(struct kr_parse *ps, const char *c, enum line_result *lr)
{
	if (kt_str_startswith(c, "Reported by Kernel Concurrency Sanitizer")) {
		ps->st = KR_ST_FOOTER;
		ps->after_stacks = true;
		*lr = LR_TEXT;
	}
	return NULL;
}

static struct kt_error *step_elision(struct kr_parse *ps, const char *c, enum line_result *lr)
{
	struct kt_report *rep = ps->rep;

	if (!kr_is_elision(c))
		return NULL;
	/* "[...]", "<snip>": frames or lines left out of a copy */
	if (rep->naccess && !ps->after_stacks)
		rep->access[rep->naccess - 1].elided = true;
	*lr = LR_TEXT;
	return NULL;
}

/* "  |" / "  +-> reordered to: f+0x../0x.." */
static struct kt_error *reordered_to(struct kr_parse *ps, struct kt_access *a, const char *c)
{
	struct kr_frame_line fl;
	enum kr_frame_kind k = kr_parse_frame(c + strlen("+-> reordered to: "), &fl);

	if (k != KR_FRAME || !fl.frame.has_offset || a->reordered_to) {
		char q[KR_QUOTE_MAX + 4];

		if (k != KR_FRAME_NONE)
			kr_frame_fini(&fl.frame);
		kr_quote(q, sizeof(q), c);
		return kr_perr(ps, "garbled reordered-to line '%s'", q);
	}
	a->reordered_to = kt_xmalloc(sizeof(*a->reordered_to));
	*a->reordered_to = fl.frame;
	ps->in_reorder = true;
	return NULL;
}

/* "func at file:line" under a frame (addr2line -i): the frames inlined into
 * it, before it in syzbot's order, then its own line. */
static void addr2line_frame(struct kr_parse *ps, struct kt_access *a, struct kt_frame *f)
{
	struct kt_frame *an;

	ps->rep->symbolized = true;
	if (ps->at_anchor < 0 || (size_t)ps->at_anchor >= a->nframes) {
		add_frame_at(ps, a->nframes, f);
		return;
	}
	an = &a->frames[ps->at_anchor];
	if (strcmp(an->func, f->func) == 0 && !an->file) {
		/* the chain ends at the function itself */
		an->file = f->file;
		an->line = f->line;
		f->file = NULL;
		kr_frame_fini(f);
		ps->at_anchor = -1;
	} else {
		size_t before = a->nframes;

		f->inlined = true;
		add_frame_at(ps, (size_t)ps->at_anchor, f);
		if (a->nframes > before)
			ps->at_anchor++;
	}
}

/* A line of locations that goes on the previous line's frame. */
static bool more_locs(struct kr_parse *ps, struct kt_access *a, const char *c)
{
	long t = ps->loc_target;

	if (t < 0 || (size_t)t >= a->nframes ||
	    !kr_parse_more_locs(c, &a->frames[t], &ps->locs_open))
		return false;
	ps->loc_target_next = t;
	return true;
}

static struct kt_error *step_stack(struct kr_parse *ps, const char *c, enum line_result *lr)
{
	struct kt_access *a;
	struct kr_frame_line fl;
	enum kr_frame_kind k;

	if (ps->st != KR_ST_STACK)
		return NULL;
	a = &ps->rep->access[ps->rep->naccess - 1];
	*lr = LR_TEXT;
	if (strcmp(c, "|") == 0)
		return NULL;
	if (kt_str_startswith(c, "+-> reordered to: "))
		return reordered_to(ps, a, c);
	if (more_locs(ps, a, c))
		return NULL;
	k = kr_parse_frame(c, &fl);
	if (ps->in_reorder && k != KR_FRAME_NONE) {
		/* the rest of the reordered-to trace (5.17+ prints it whole
		 * under "+-> reordered to: f"): not the access's stack */
		kr_frame_fini(&fl.frame);
		return NULL;
	}
	if (k == KR_FRAME) {
		size_t at = a->nframes;

		if (fl.frame.file)
			ps->rep->symbolized = true;
		ps->at_anchor = fl.frame.has_offset && !fl.frame.file ? (long)at : -1;
		if (add_frame_at(ps, at, &fl.frame) && a->frames[at].file) {
			ps->loc_target_next = (long)at;
			ps->locs_open = fl.open;
		}
	} else if (k == KR_FRAME_AT) {
		addr2line_frame(ps, a, &fl.frame);
	} else if (k == KR_FRAME_NONE) {
		*lr = LR_NOT_MINE;
	}
	return NULL;
}

/* Lines a report may hold besides its sections: CONFIG_KCSAN_VERBOSE's
 * lock and IRQ-trace info (lockdep's and irqtrace's own formats), and the
 * context marks of a stack dump. */
static bool verbose_line(const char *c)
{
	static const char *const starts[] = {
	    "no locks held by ",
	    "irq event stamp: ",
	    "hardirqs last ",
	    "softirqs last ",
	    "<IRQ>",
	    "</IRQ>",
	    "<TASK>",
	    "</TASK>",
	    "<NMI>",
	    "</NMI>",
	    "<SOFTIRQ>",
	    "</SOFTIRQ>",
	    "<EOI>",
	};
	const char *p = c;
	long v;

	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
		if (kt_str_startswith(c, starts[i]))
			return true;
	/* "2 locks held by kworker/0:1/12:", " #0: ffff... (&lock){+.+.}, at: f" */
	if (kr_lex_dec(&p, &v) &&
	    (kr_lex_lit(&p, " lock held by ") || kr_lex_lit(&p, " locks held by ")))
		return true;
	p = c;
	return kr_lex_lit(&p, "#") && kr_lex_dec(&p, &v) && kr_lex_lit(&p, ": ");
}

static struct kt_error *step_verbose(struct kr_parse *ps, const char *c, enum line_result *lr)
{
	if (ps->rep->naccess && verbose_line(c))
		*lr = LR_TEXT;
	return NULL;
}

/* Every access the report announces was read, with a frame. */
static bool accesses_read(const struct kr_parse *ps)
{
	const struct kt_report *rep = ps->rep;

	if (rep->naccess == 0 || (rep->naccess < 2 && !rep->unknown_origin))
		return false;
	for (size_t i = 0; i < rep->naccess; i++)
		if (rep->access[i].nframes == 0)
			return false;
	return true;
}

/* Anything else: notes, and the text after a copy of a report. */
static struct kt_error *step_other(struct kr_parse *ps, const char *c, enum line_result *lr)
{
	/* Once every access is read, a line that is none of the report's ends
	 * it: the mail or commit message goes on. In a console log (both the
	 * title and the line with a time or caller), it is rather another
	 * CPU's output in the middle of the report. */
	if (accesses_read(ps) && !(ps->title_console && ps->line_console)) {
		*lr = LR_END_PUSH;
		return NULL;
	}
	if (ps->rep->naccess == 0) {
		char q[KR_QUOTE_MAX + 4];

		kr_quote(q, sizeof(q), c);
		return kr_perr(ps,
			       "garbled report: expected an access line "
			       "('<type> to 0x... of N bytes by ...'), got '%s'",
			       q);
	}
	if (++ps->other_lines > MAX_OTHER_LINES)
		return kr_perr(ps, "garbled report: more than %d unrecognized lines",
			       MAX_OTHER_LINES);
	*lr = LR_TEXT;
	return NULL;
}

static line_step *const line_steps[] = {
    step_next_title, step_footer,      step_separator, step_title_wrap, step_blank, step_access,
    step_value,	     step_reported_by, step_elision,   step_verbose,	step_stack, step_other,
};

/* An access header wrapped onto two lines: the first is kept until the
 * second comes; c is then both joined. */
static bool join_header(struct kr_parse *ps, const char **c, const char *content)
{
	if (ps->pending.len) {
		kt_strbuf_addc(&ps->pending, ' ');
		kt_strbuf_adds(&ps->pending, *c);
		*c = ps->pending.buf;
		return false;
	}
	if (ps->st == KR_ST_TITLE_WRAP || !kr_access_header_partial(*c))
		return false;
	kt_strbuf_adds(&ps->pending, *c);
	add_line_text(ps, content);
	return true;
}

static struct kt_error *report_line(struct kr_parse *ps, const char *content, enum line_result *lr)
{
	const char *c = kr_skip_ws(content);

	*lr = LR_NOT_MINE;
	if (*c && join_header(ps, &c, content)) {
		*lr = LR_TEXT;
		return NULL;
	}
	ps->loc_target_next = -1;
	for (size_t i = 0; i < sizeof(line_steps) / sizeof(line_steps[0]); i++) {
		struct kt_error *err = line_steps[i](ps, c, lr);

		if (err)
			return err;
		if (*lr != LR_NOT_MINE)
			break;
	}
	ps->loc_target = ps->loc_target_next;
	if (ps->loc_target < 0)
		ps->locs_open = false;
	kt_strbuf_reset(&ps->pending);
	if (*lr != LR_END_PUSH)
		add_line_text(ps, content);
	return NULL;
}

/* -------------------------------------------------------- the report */

/* Everything the report announces was read? */
static struct kt_error *check_complete(struct kr_parse *ps, const char *how)
{
	struct kt_report *rep = ps->rep;
	size_t want = rep->unknown_origin ? 1 : 2;

	for (size_t i = 0; i < rep->naccess; i++) {
		if (rep->access[i].nframes == 0)
			return kr_perr(
			    ps,
			    "truncated report (title at line %ld, %s): access %zu has no "
			    "stack frames",
			    rep->first_line, how, i + 1);
	}
	if (rep->naccess == 0)
		return kr_perr(ps, "truncated report (title at line %ld, %s): no access stack",
			       rep->first_line, how);
	if (rep->naccess < want)
		return kr_perr(ps,
			       "truncated report (title at line %ld, %s): no second access stack",
			       rep->first_line, how);
	if (rep->unknown_origin && ps->title_nfuncs == 2)
		return kr_perr(ps, "garbled report: the title names two functions "
				   "but the race is of unknown origin");
	if (!rep->unknown_origin && ps->title_nfuncs == 1)
		return kr_perr(ps, "garbled report: the title names one function "
				   "but the report has two accesses");
	return NULL;
}

/* Stacks that miss frames, or may: one ending in an inline frame lost the
 * frame it was inlined into; the last one of a report that stops without
 * a later section may have been cut (mail quotes drop the trailer). */
static void mark_elided(struct kr_parse *ps)
{
	struct kt_report *rep = ps->rep;

	for (size_t i = 0; i < rep->naccess; i++) {
		struct kt_access *a = &rep->access[i];

		if (a->nframes && a->frames[a->nframes - 1].inlined)
			a->elided = true;
	}
	if (!rep->complete && !ps->after_stacks && rep->naccess)
		rep->access[rep->naccess - 1].elided = true;
}

static void parse_fini(struct kr_parse *ps)
{
	kt_strbuf_fini(&ps->title);
	kt_strbuf_fini(&ps->cpu_line);
	kt_strbuf_fini(&ps->hw_line);
	kt_strbuf_fini(&ps->text);
	kt_strbuf_fini(&ps->pending);
}

/* The report from its title line, before any other line is read. */
static struct kt_error *parse_start(struct kr_parse *ps, struct kt_reader *rd,
				    const struct kr_quoting *q, const struct kr_prefix *tpx,
				    const char *title)
{
	struct kt_report *rep = kt_xcalloc(1, sizeof(*rep));
	const char *bt = kr_skip_ws(kr_skip_ws(title) + strlen("BUG: KCSAN:"));
	const char *t;
	size_t n;

	memset(ps, 0, sizeof(*ps));
	ps->rd = rd;
	ps->rep = rep;
	ps->quoting = *q;
	ps->at_anchor = -1;
	ps->loc_target = -1;
	kt_strbuf_init(&ps->title);
	kt_strbuf_init(&ps->cpu_line);
	kt_strbuf_init(&ps->hw_line);
	kt_strbuf_init(&ps->text);
	kt_strbuf_init(&ps->pending);
	rep->input = kt_xstrdup(rd->name);
	rep->first_line = rd->lineno;
	rep->env.cpu = -1;
	rep->env.pid = -1;
	if (rd->head_commit[0])
		rep->env.commit = kt_xstrdup(rd->head_commit);
	if (!kr_bug_type(&bt, NULL)) {
		char q[KR_QUOTE_MAX + 4];

		kr_quote(q, sizeof(q), kr_skip_ws(title));
		return kr_perr(ps, "unknown KCSAN bug type in '%s'", q);
	}
	ps->title_console = tpx->console;
	if (tpx->caller[0]) {
		ps->has_caller = true;
		memcpy(ps->caller, tpx->caller, sizeof(ps->caller));
	}
	if (rd->prev_sep && strcmp(rd->prev_sep_caller, tpx->caller) == 0)
		add_text(ps, rd->prev_sep_text);
	add_text(ps, title);
	kt_strbuf_adds(&ps->title, kr_skip_ws(title));
	t = ps->title.buf;
	n = ps->title.len;
	if ((n && t[n - 1] == '/') || kt_str_endswith(t, " and") || kt_str_endswith(t, " in"))
		ps->st = KR_ST_TITLE_WRAP;
	else
		ps->st = KR_ST_EXPECT;
	return NULL;
}

/* The lines of the report up to its end; *how says what ended it. */
static struct kt_error *parse_lines(struct kr_parse *ps, const char **how)
{
	struct kt_reader *rd = ps->rd;
	enum line_result lr;
	struct kt_error *err;

	*how = "ended by the end of input";
	while (kr_read_line(rd)) {
		struct kr_prefix px;
		size_t off = kr_strip_prefix(rd->line.buf, &ps->quoting, &px);

		if (ps->has_caller && px.caller[0] && strcmp(px.caller, ps->caller) != 0)
			continue; /* another CPU's or task's output */
		if (rd->has_nul)
			return kr_perr(ps, "NUL byte in report");
		if (rd->too_long)
			return kt_error_new(KT_ERR_LIMIT, rd->name, rd->lineno,
					    "line longer than %d bytes in report",
					    KT_REPORT_MAX_LINE);
		ps->line_console = px.console;
		kr_keep_tail(&rd->line, off, ps->tail, sizeof(ps->tail));
		kr_rtrim(&rd->line);
		if ((err = report_line(ps, rd->line.buf + off, &lr)))
			return err;
		if (lr == LR_END_PUSH) {
			/* the line is the next report's: read it again */
			rd->pushback = true;
			rd->lineno--;
			*how = ps->st == KR_ST_FOOTER ? "ended by a line after the footer"
			       : kr_is_separator(kr_skip_ws(rd->line.buf + off))
				   ? "ended by a '=====' line"
				   : "ended by the next report";
			break;
		}
		if (lr == LR_END) {
			ps->rep->complete = true;
			*how = "ended by its closing line";
			break;
		}
	}
	return rd->read_errno ? kr_read_error(rd) : NULL;
}

static struct kt_error *parse_finish(struct kr_parse *ps, const char *how)
{
	struct kt_report *rep = ps->rep;
	struct kt_error *err;

	rep->last_line = ps->rd->lineno;
	rep->bug_line = kt_strbuf_detach(&ps->title);
	if ((err = kr_parse_title(ps)) || (err = check_complete(ps, how)))
		return err;
	mark_elided(ps);
	rep->title = kt_title_normalize_with(ps->rd->tn, rep->bug_line);
	if (rep->unknown_origin && rep->kind == KT_KIND_DATA_RACE)
		rep->kind = KT_KIND_UNKNOWN_ORIGIN;
	if (ps->cpu_line.len)
		kr_parse_cpu_line(&rep->env, ps->cpu_line.buf);
	if (ps->hw_line.len)
		rep->env.hardware = kt_xstrdup(ps->hw_line.buf);
	rep->text = kt_strbuf_detach(&ps->text);
	return NULL;
}

struct kt_error *kr_parse_report(struct kt_reader *rd, const struct kr_quoting *q,
				 const struct kr_prefix *tpx, const char *title,
				 struct kt_report **out)
{
	struct kr_parse ps;
	const char *how;
	struct kt_error *err = parse_start(&ps, rd, q, tpx, title);

	if (!err)
		err = parse_lines(&ps, &how);
	if (!err)
		err = parse_finish(&ps, how);
	if (err) {
		kt_report_free(ps.rep);
		ps.rep = NULL;
	}
	parse_fini(&ps);
	*out = ps.rep;
	return err;
}
