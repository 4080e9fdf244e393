// SPDX-License-Identifier: Apache-2.0
/*
 * A report in every form it circulates in reads to the same facts as the
 * console report it was made from. Each form is built here from a console
 * report (the text the reader kept of it) the way people and tools make it:
 * indented, quoted in mails and commit messages at any depth, with console
 * times, elided, cut after its stacks, decoded by decode_stacktrace.sh or
 * addr2line, with module names, a hidden address, a wrapped access line, a
 * note after the value change, prose after it. The facts of the report
 * stage (kt_report_facts) and the frames must come out the same, except
 * what the form removes, which is checked for what it must become.
 *
 * The base reports are in testdata/parser/forms: the raw, syzbot-symbolized
 * and decode_stacktrace.sh forms of one report of the race-patterns fixture
 * kernel (6.1, gcc), and testdata/parser/symbolized.txt (a syzbot report
 * with inline and module frames).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "kcsan/facts.h"
#include "kcsan/report.h"
#include "kcsan/strbuf.h"
#include "kcsan/triage.h"
#include "parser_file.h"

static struct kt_report *parse(const char *text, const char *what)
{
	struct kt_report *rep = NULL;
	struct kt_error *err = kt_report_parse_string(text, what, &rep);

	if (err) {
		char *m = kt_error_format(err);

		fprintf(stderr, "form %s: unexpected error: %s\n--- input:\n%s---\n", what, m,
			text);
		free(m);
		kt_error_free(err);
	}
	CHECK(rep != NULL);
	return rep;
}

/* ------------------------------------------------------------ lines */

enum kind { K_OTHER, K_HEADER, K_FRAME, K_VALUE, K_FOOTER };

/* A clean console report (kt_report.text), line by line, each line's kind. */
struct lines {
	char *v[512];
	enum kind k[512];
	int acc[512]; /* access of a header or frame line */
	size_t n;
};

static void lines_split(struct lines *l, const char *text)
{
	int acc = -1;
	bool in_stack = false, footer = false;

	l->n = 0;
	for (const char *p = text; *p && l->n < 512;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *s = kt_xstrndup(p, len);
		enum kind k = K_OTHER;

		if (strstr(s, " bytes by ")) {
			k = K_HEADER;
			acc++;
			in_stack = true;
		} else if (!*s || s[0] != ' ') {
			in_stack = false;
			if (kt_str_startswith(s, "value changed"))
				k = K_VALUE;
			if (kt_str_startswith(s, "Reported by"))
				footer = true;
			if (footer && strncmp(s, "=====", 5) != 0)
				k = K_FOOTER;
		} else if (in_stack) {
			k = K_FRAME;
		}
		l->v[l->n] = s;
		l->k[l->n] = k;
		l->acc[l->n] = acc;
		l->n++;
		p += len + (nl ? 1 : 0);
	}
}

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	l->n = 0;
}

/* ------------------------------------------------------------ forms */

/* A form: the text made from the base's lines. */
typedef void form_fn(const struct lines *l, const void *arg, struct kt_strbuf *out);

/* Every line behind a prefix ("  ", "> ", "| ", "> [  12.3] "). */
static void form_prefixed(const struct lines *l, const void *arg, struct kt_strbuf *out)
{
	const char *prefix = arg;

	kt_strbuf_adds(out, "Some text before the report.\n\n");
	for (size_t i = 0; i < l->n; i++)
		kt_strbuf_addf(out, "%s%s\n", prefix, l->v[i]);
	kt_strbuf_adds(out, "\nThe text after it.\n");
}

/* The report up to its second stack: what mail quotes keep. */
static void form_cut_trailer(const struct lines *l, const void *arg, struct kt_strbuf *out)
{
	size_t last = 0;

	(void)arg;
	for (size_t i = 0; i < l->n; i++)
		if (l->k[i] == K_FRAME)
			last = i;
	for (size_t i = 0; i <= last; i++)
		kt_strbuf_addf(out, "%s\n", l->v[i]);
}

/* Each stack's first two frames, then a mark where the rest was left out. */
static void form_elided(const struct lines *l, const void *arg, struct kt_strbuf *out)
{
	const char *mark = arg;
	int kept = 0;

	for (size_t i = 0; i < l->n; i++) {
		if (l->k[i] == K_HEADER)
			kept = 0;
		if (l->k[i] == K_FRAME && kept >= 2) {
			if (kept++ == 2)
				kt_strbuf_addf(out, " %s\n", mark);
			continue;
		}
		if (l->k[i] == K_FRAME)
			kept++;
		kt_strbuf_addf(out, "%s\n", l->v[i]);
	}
}

/* The frame line's name, offset ("+0x../0x..") and what follows it. */
static void frame_parts(const char *s, struct kt_strbuf *name, struct kt_strbuf *off,
			struct kt_strbuf *rest)
{
	const char *p = s + strspn(s, " "), *e = p;

	while (*e && *e != '+' && *e != ' ')
		e++;
	kt_strbuf_add(name, p, (size_t)(e - p));
	p = e;
	if (*p == '+') {
		while (*e && *e != ' ')
			e++;
		kt_strbuf_add(off, p, (size_t)(e - p));
	}
	kt_strbuf_adds(rest, e);
}

/* The module of a frame's rest, or "". */
static void frame_module(const char *rest, char *mod, size_t size)
{
	const char *m = strchr(rest, '[');

	mod[0] = '\0';
	if (m && !kt_str_startswith(m, "[inline]"))
		snprintf(mod, size, "%.*s", (int)strcspn(m + 1, "] "), m + 1);
}

/* Frames as bare names ("do_exit"), as copies that kept the names print. */
static void form_bare(const struct lines *l, const void *arg, struct kt_strbuf *out)
{
	(void)arg;
	for (size_t i = 0; i < l->n; i++) {
		struct kt_strbuf name, off, rest;
		char mod[64];

		if (l->k[i] != K_FRAME || kt_str_startswith(l->v[i], " ? ")) {
			kt_strbuf_addf(out, "%s\n", l->v[i]);
			continue;
		}
		kt_strbuf_init(&name);
		kt_strbuf_init(&off);
		kt_strbuf_init(&rest);
		frame_parts(l->v[i], &name, &off, &rest);
		frame_module(rest.buf, mod, sizeof(mod));
		kt_strbuf_addf(out, "    %s%s%s%s\n", name.buf, *mod ? " [" : "", mod,
			       *mod ? "]" : "");
		kt_strbuf_fini(&name);
		kt_strbuf_fini(&off);
		kt_strbuf_fini(&rest);
	}
}

/* The address hidden and the task named ("write to ... of 8 bytes by task
 * worker:"), the access line wrapped after its size, a note after the
 * value change. */
static void form_edited(const struct lines *l, const void *arg, struct kt_strbuf *out)
{
	const char *what = arg;

	for (size_t i = 0; i < l->n; i++) {
		const char *s = l->v[i], *to = strstr(s, " to 0x"), *of = strstr(s, " of ");
		const char *by = strstr(s, " bytes by ");

		if (l->k[i] == K_HEADER && !strcmp(what, "hide") && to && of && by &&
		    kt_str_startswith(by, " bytes by task ")) {
			kt_strbuf_add(out, s, (size_t)(to - s));
			kt_strbuf_adds(out, " to ...");
			kt_strbuf_add(out, of, (size_t)(by - of));
			kt_strbuf_addf(out, " bytes by task worker%d:\n", l->acc[i]);
		} else if (l->k[i] == K_HEADER && !strcmp(what, "wrap") && by) {
			kt_strbuf_add(out, s, (size_t)(by - s) + 6);
			kt_strbuf_addf(out, "\n  %s\n", by + 7);
		} else if (l->k[i] == K_VALUE && !strcmp(what, "note")) {
			kt_strbuf_addf(out, "%s --> R5_Overlap\n", s);
		} else {
			kt_strbuf_addf(out, "%s\n", s);
		}
	}
}

/* The location of a symbolized frame's rest ("[mod] file:line [inline]"),
 * its length in *n, with ":-1" as decode_stacktrace.sh's ":?". */
static const char *find_loc(const char *rest, size_t *n)
{
	const char *p = rest + strspn(rest, " ");

	if (*p == '[')
		p = strchr(p, ']') ? strchr(p, ']') + 1 : p + strlen(p);
	p += strspn(p, " ");
	*n = strcspn(p, " ");
	if (!*n || !memchr(p, ':', *n) || *p == '[')
		return NULL;
	return p;
}

static void add_loc(struct kt_strbuf *sb, const char *loc, size_t n)
{
	if (n > 3 && !memcmp(loc + n - 3, ":-1", 3))
		kt_strbuf_addf(sb, "%.*s:?", (int)(n - 3), loc);
	else
		kt_strbuf_add(sb, loc, n);
}

/* decode_stacktrace.sh from a symbolized report: each frame with the lines
 * of the frames inlined into it, "func (a.h:12 b.c:34) mod". */
static void form_decoded(const struct lines *l, const void *arg, struct kt_strbuf *out)
{
	struct kt_strbuf locs;

	(void)arg;
	kt_strbuf_init(&locs);
	kt_strbuf_adds(&locs, "");
	for (size_t i = 0; i < l->n; i++) {
		struct kt_strbuf name, off, rest;
		const char *loc;
		size_t n;
		char mod[64];

		if (l->k[i] != K_FRAME || kt_str_startswith(l->v[i], " ? ")) {
			kt_strbuf_addf(out, "%s\n", l->v[i]);
			continue;
		}
		kt_strbuf_init(&name);
		kt_strbuf_init(&off);
		kt_strbuf_init(&rest);
		frame_parts(l->v[i], &name, &off, &rest);
		loc = find_loc(rest.buf, &n);
		frame_module(rest.buf, mod, sizeof(mod));
		if (loc && strstr(rest.buf, "[inline]")) {
			add_loc(&locs, loc, n);
			kt_strbuf_addc(&locs, ' ');
		} else if (loc) {
			kt_strbuf_addf(out, " %s (%s", name.buf, locs.buf);
			add_loc(out, loc, n);
			kt_strbuf_addf(out, ")%s%s\n", *mod ? " " : "", mod);
			kt_strbuf_reset(&locs);
			kt_strbuf_adds(&locs, "");
		} else {
			kt_strbuf_addf(out, "%s\n", l->v[i]);
		}
		kt_strbuf_fini(&name);
		kt_strbuf_fini(&off);
		kt_strbuf_fini(&rest);
	}
	kt_strbuf_fini(&locs);
}

/* addr2line -i under each raw frame: "f+0x../0x..", then the functions
 * inlined there ("g at a.h:12", "(inlined by) f at b.c:34"). */
static void form_addr2line(const struct lines *l, const void *arg, struct kt_strbuf *out)
{
	struct kt_strbuf chain;

	(void)arg;
	kt_strbuf_init(&chain);
	kt_strbuf_adds(&chain, "");
	for (size_t i = 0; i < l->n; i++) {
		struct kt_strbuf name, off, rest;
		const char *loc;
		size_t n;
		char mod[64];

		if (l->k[i] != K_FRAME || kt_str_startswith(l->v[i], " ? ")) {
			kt_strbuf_addf(out, "%s\n", l->v[i]);
			continue;
		}
		kt_strbuf_init(&name);
		kt_strbuf_init(&off);
		kt_strbuf_init(&rest);
		frame_parts(l->v[i], &name, &off, &rest);
		loc = find_loc(rest.buf, &n);
		frame_module(rest.buf, mod, sizeof(mod));
		if (loc && strstr(rest.buf, "[inline]")) {
			kt_strbuf_addf(&chain, "%s%s at ", chain.len ? " (inlined by) " : " ",
				       name.buf);
			add_loc(&chain, loc, n);
			kt_strbuf_addc(&chain, '\n');
		} else if (loc && off.len) {
			kt_strbuf_addf(out, " %s%s%s%s%s\n%s", name.buf, off.buf, *mod ? " [" : "",
				       mod, *mod ? "]" : "", chain.buf);
			kt_strbuf_addf(out, "%s%s at ", chain.len ? " (inlined by) " : " ",
				       name.buf);
			add_loc(out, loc, n);
			kt_strbuf_addc(out, '\n');
			kt_strbuf_reset(&chain);
			kt_strbuf_adds(&chain, "");
		} else {
			kt_strbuf_addf(out, "%s\n", l->v[i]);
		}
		kt_strbuf_fini(&name);
		kt_strbuf_fini(&off);
		kt_strbuf_fini(&rest);
	}
	kt_strbuf_fini(&chain);
}

/* A form, then text that goes on after it (a commit message). */
static void form_then_prose(const struct lines *l, const void *arg, struct kt_strbuf *out)
{
	(void)arg;
	form_cut_trailer(l, NULL, out);
	kt_strbuf_adds(out, "\nFix this by reading the field once.\n\n");
	for (int i = 0; i < 300; i++)
		kt_strbuf_addf(out, "+\tline %d of the patch that follows\n", i);
	kt_strbuf_adds(out, "Signed-off-by: A Developer <dev@example.org>\n");
}

/* ------------------------------------------------------------ compare */

/* The report stage's facts as "name=value" lines, except names in skip. */
static char *facts_text(const struct kt_report *rep, const char *const *skip)
{
	struct kt_facts *f = kt_facts_new();
	struct kt_strbuf sb;

	kt_report_facts(rep, f);
	kt_strbuf_init(&sb);
	kt_strbuf_adds(&sb, "");
	for (size_t i = 0; i < kt_facts_count(f); i++) {
		const struct kt_fact *fact = kt_facts_at(f, i);
		bool skipped = false;
		char *v;

		for (size_t k = 0; skip && skip[k]; k++)
			skipped |= !strcmp(fact->name, skip[k]);
		if (skipped)
			continue;
		v = kt_fact_value_text(fact);
		kt_strbuf_addf(&sb, "%s=%s\n", fact->name, v);
		free(v);
	}
	kt_facts_free(f);
	return kt_strbuf_detach(&sb);
}

/* One frame as text: what every form keeps (name, module), and with full,
 * what a symbolized form has (location, inline, inline lines). */
static void frame_text(struct kt_strbuf *sb, const struct kt_frame *f, bool full)
{
	kt_strbuf_addf(sb, "  %s [%s]", f->func, f->module ? f->module : "");
	if (full) {
		kt_strbuf_addf(sb, " %s:%d%s", f->file ? f->file : "-", f->line,
			       f->inlined ? " inline" : "");
		for (size_t i = 0; i < f->ninl; i++)
			kt_strbuf_addf(sb, " <%s:%d", f->inl[i].file, f->inl[i].line);
	}
	kt_strbuf_addc(sb, '\n');
}

/* The frames of both stacks: all, or (decoded) the outer ones with the lines
 * of their inline frames folded in, as decode_stacktrace.sh prints them. */
static char *frames_text(const struct kt_report *rep, bool full, bool fold)
{
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	kt_strbuf_adds(&sb, rep->title);
	kt_strbuf_addc(&sb, '\n');
	for (size_t a = 0; a < rep->naccess; a++) {
		const struct kt_access *acc = &rep->access[a];
		size_t first = 0;

		for (size_t i = 0; i < acc->nframes; i++) {
			struct kt_frame f = acc->frames[i];
			struct kt_src_loc inl[64];

			if (fold && f.inlined)
				continue;
			if (fold && i > first && f.file) {
				size_t n = 0;

				for (size_t k = first; k < i && n < 64; k++)
					inl[n++] = (struct kt_src_loc){acc->frames[k].file,
								       acc->frames[k].line};
				f.inl = inl;
				f.ninl = n;
			}
			frame_text(&sb, &f, full);
			first = i + 1;
		}
		kt_strbuf_adds(&sb, "--\n");
	}
	return kt_strbuf_detach(&sb);
}

static void check_same(const char *what, const char *form, const char *base, const char *got)
{
	kt_test_checks++;
	if (strcmp(base, got) != 0) {
		kt_test_failures++;
		fprintf(stderr, "form %s: %s differ\n--- console:\n%s--- form:\n%s---\n", form,
			what, base, got);
	}
}

/* ------------------------------------------------------------ the cases */

#define VALUE_FACTS                                                                                \
	"value.changed", "value.old", "value.new", "value.bits", "value.diff", "value.step",       \
	    "value.bool", "value.from_zero", "value.to_zero", "value.old_ptr", "value.new_ptr"

static const char *const skip_none[] = {NULL};
static const char *const skip_cut[] = {VALUE_FACTS, "env.kernel", "b.elided", NULL};
static const char *const skip_elided[] = {"a.frames.func",
					  "b.frames.func",
					  "a.frames.file",
					  "b.frames.file",
					  "a.elided",
					  "b.elided",
					  NULL};
static const char *const skip_hidden[] = {"a.addr", "b.addr", "same.addr", "overlap",
					  "a.task", "b.task", NULL};
static const char *const skip_located[] = {
    "a.file", "b.file", "a.frames.file", "b.frames.file", "report.symbolized", NULL};

enum {
	F_FRAMES = 1,	   /* the frames are the base's, all fields */
	F_NAMES = 2,	   /* the frames are the base's, names and modules */
	F_FOLD = 4,	   /* the frames are the base's with inline frames folded */
	F_TWO = 8,	   /* each stack keeps its first two frames, elided */
	F_CUT = 16,	   /* no trailer: incomplete, the second stack maybe cut */
	F_COMPLETE = 32,   /* the closing line is there */
	F_NOTE = 64,	   /* the value change has a note */
	F_HIDDEN = 128,	   /* the addresses are hidden */
	F_FACTS_RAW = 256, /* facts compare with the raw console form's */
};

struct form_case {
	const char *name;
	form_fn *fn;
	const void *arg;
	const char *const *skip;
	unsigned flags;
};

static const struct form_case cases[] = {
    {"indented by two", form_prefixed, "  ", skip_none, F_FRAMES | F_COMPLETE},
    {"indented by a tab", form_prefixed, "\t", skip_none, F_FRAMES | F_COMPLETE},
    {"indented by a tab and a space", form_prefixed, "\t ", skip_none, F_FRAMES | F_COMPLETE},
    {"mail quote", form_prefixed, "> ", skip_none, F_FRAMES | F_COMPLETE},
    {"mail quote, depth 2", form_prefixed, ">> ", skip_none, F_FRAMES | F_COMPLETE},
    {"mail quote, depth 3", form_prefixed, "> > > ", skip_none, F_FRAMES | F_COMPLETE},
    {"commit quote", form_prefixed, "| ", skip_none, F_FRAMES | F_COMPLETE},
    {"indented commit quote", form_prefixed, "  | ", skip_none, F_FRAMES | F_COMPLETE},
    {"mail quote of a commit quote", form_prefixed, ">  | ", skip_none, F_FRAMES | F_COMPLETE},
    {"quote and console time", form_prefixed, "> [  12.345678] ", skip_none, F_FRAMES | F_COMPLETE},
    {"indent and console time", form_prefixed, "    [  653.313148] ", skip_none,
     F_FRAMES | F_COMPLETE},
    {"cut after the stacks", form_cut_trailer, NULL, skip_cut, F_FRAMES | F_CUT},
    {"prose after the stacks", form_then_prose, NULL, skip_cut, F_FRAMES | F_CUT},
    {"elided [...]", form_elided, "[...]", skip_elided, F_TWO | F_COMPLETE},
    {"elided <snip>", form_elided, "<snip>", skip_elided, F_TWO | F_COMPLETE},
    {"elided ...", form_elided, "...", skip_elided, F_TWO | F_COMPLETE},
    {"elided [ ... ]", form_elided, "[ ... ]", skip_elided, F_TWO | F_COMPLETE},
    {"bare names", form_bare, NULL, skip_located, F_NAMES | F_COMPLETE},
    {"address hidden, task named", form_edited, "hide", skip_hidden,
     F_FRAMES | F_COMPLETE | F_HIDDEN},
    {"access line wrapped", form_edited, "wrap", skip_none, F_FRAMES | F_COMPLETE},
    {"note after the value change", form_edited, "note", skip_none, F_FRAMES | F_COMPLETE | F_NOTE},
    {"decode_stacktrace.sh", form_decoded, NULL, skip_located, F_FOLD | F_COMPLETE | F_FACTS_RAW},
    {"addr2line -i", form_addr2line, NULL, skip_none, F_FRAMES | F_COMPLETE},
};

/* The checks of what a form removes or changes. */
static void check_losses(const struct form_case *c, const struct kt_report *base,
			 const struct kt_report *rep)
{
	CHECK_INT(rep->complete, (c->flags & F_COMPLETE) != 0);
	CHECK_INT(rep->access[0].elided, (c->flags & F_TWO) != 0);
	CHECK_INT(rep->access[1].elided, (c->flags & (F_TWO | F_CUT)) != 0);
	CHECK_INT(rep->value.present, base->value.present && !(c->flags & F_CUT));
	CHECK_INT(rep->value.note != NULL, (c->flags & F_NOTE) != 0);
	if (rep->value.note)
		CHECK_STR(rep->value.note, "--> R5_Overlap");
	for (size_t i = 0; i < rep->naccess; i++) {
		CHECK_INT(rep->access[i].addr_elided, (c->flags & F_HIDDEN) != 0);
		if (c->flags & F_HIDDEN)
			CHECK_INT(rep->access[i].task, -1);
		if (c->flags & F_TWO) {
			CHECK_INT(rep->access[i].nframes, 2);
			for (size_t k = 0; k < 2 && k < rep->access[i].nframes; k++)
				CHECK_STR(rep->access[i].frames[k].func,
					  base->access[i].frames[k].func);
		}
	}
}

/* Each form of one console report against it. raw: the same report as
 * the console printed it, for the forms that compare with it. */
static void check_forms(const char *base_name, const char *base_text, const char *raw_text)
{
	struct kt_report *base = parse(base_text, base_name);
	struct kt_report *raw = raw_text ? parse(raw_text, "raw") : NULL;
	struct lines l;

	if (!base)
		return;
	lines_split(&l, base->text);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct form_case *c = &cases[i];
		const struct kt_report *fbase = c->flags & F_FACTS_RAW ? raw : base;
		struct kt_strbuf sb;
		struct kt_report *rep;
		char what[256];

		snprintf(what, sizeof(what), "%s of %s", c->name, base_name);
		kt_strbuf_init(&sb);
		c->fn(&l, c->arg, &sb);
		rep = parse(sb.buf, what);
		if (rep) {
			bool full = c->flags & (F_FRAMES | F_FOLD);

			if (fbase) { /* no raw form of a syzbot report: frames only */
				char *f0 = facts_text(fbase, c->skip),
				     *f1 = facts_text(rep, c->skip);

				check_same("facts", what, f0, f1);
				free(f0);
				free(f1);
			}
			CHECK_STR(rep->title, base->title);
			if (c->flags & (F_FRAMES | F_NAMES | F_FOLD)) {
				char *t0 = frames_text(base, full, c->flags & F_FOLD);
				char *t1 = frames_text(rep, full, false);

				check_same("frames", what, t0, t1);
				free(t0);
				free(t1);
			}
			check_losses(c, base, rep);
		}
		kt_report_free(rep);
		kt_strbuf_fini(&sb);
	}
	lines_free(&l);
	kt_report_free(base);
	kt_report_free(raw);
}

/* frames_text cut to the title and each stack's first frame, in place. */
static void first_frames(char *t)
{
	char *w = t;
	bool keep = true;

	for (char *p = t; *p;) {
		char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
		bool sep = !strncmp(p, "--\n", 3);

		if (keep || sep || p == t) {
			memmove(w, p, n);
			w += n;
		}
		keep = sep || p == t;
		p += n;
	}
	*w = '\0';
}

/* The real decode_stacktrace.sh output of the fixture report: the raw
 * form's functions, and each stack's first frame located as the
 * symbolized form locates it (the frames below it are decoded at the return
 * address, not one byte before as syzbot's symbolizer does). */
static void test_real_decoded(void)
{
	char *raw = slurp("forms/base-raw.txt"), *sym = slurp("forms/base-symbolized.txt");
	char *dec = slurp("forms/base-decoded.txt");
	struct kt_report *r = parse(raw, "raw"), *s = parse(sym, "symbolized");
	struct kt_report *d = parse(dec, "decoded");

	if (r && s && d) {
		char *f0 = facts_text(r, skip_located), *f1 = facts_text(d, skip_located);
		char *t0 = frames_text(s, true, true), *t1 = frames_text(d, true, false);

		check_same("facts", "real decoded", f0, f1);
		first_frames(t0);
		first_frames(t1);
		check_same("first frames", "real decoded", t0, t1);
		CHECK(d->symbolized && d->complete);
		CHECK(!d->access[0].elided && !d->access[1].elided);
		free(f0);
		free(f1);
		free(t0);
		free(t1);
	}
	kt_report_free(r);
	kt_report_free(s);
	kt_report_free(d);
	free(raw);
	free(sym);
	free(dec);
}

int main(void)
{
	char *raw = slurp("forms/base-raw.txt"), *sym = slurp("forms/base-symbolized.txt");
	char *syz = slurp("symbolized.txt");

	check_forms("the fixture's raw report", raw, raw);
	check_forms("the fixture's symbolized report", sym, raw);
	check_forms("a syzbot report", syz, NULL);
	test_real_decoded();
	free(raw);
	free(sym);
	free(syz);
	return kt_test_done("test_report_forms");
}
