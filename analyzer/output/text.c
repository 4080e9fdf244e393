// SPDX-License-Identifier: Apache-2.0
/* Text output, laid out like syzbot's assessment: summary, synchronization,
 * classification, reasoning, fix, then the evidence behind it. */
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "kcsan/census.h"
#include "kcsan/output.h"
#include "kcsan/strbuf.h"

static const char *origin_name(enum kt_fact_origin o)
{
	switch (o) {
	case KT_ORIGIN_VMLINUX:
		return "vmlinux";
	case KT_ORIGIN_SOURCE:
		return "source";
	default:
		return "report";
	}
}

/* Long lists (whole stacks) are cut to their first entries in the text. */
static char *fact_text_short(const struct kt_fact *f)
{
	struct kt_strbuf sb;

	if (f->type != KT_FACT_STRLIST || f->nlist <= 8)
		return kt_fact_value_text(f);
	kt_strbuf_init(&sb);
	kt_strbuf_addc(&sb, '[');
	for (size_t i = 0; i < 8; i++)
		kt_strbuf_addf(&sb, "%s%s", i ? ", " : "", f->list[i]);
	kt_strbuf_addf(&sb, ", ... %zu more]", f->nlist - 8);
	return kt_strbuf_detach(&sb);
}

static void access_line(FILE *out, const struct kt_triage_result *res, int side)
{
	const struct kt_access *a = &res->report->access[side];
	const struct kt_frame *top = kt_out_top_frame(a);
	const struct kt_fact *expr = kt_out_side_fact(res, side, "expr.text");

	const struct kt_frame *outer = kt_out_outer_frame(a);

	fprintf(out, "  %s: %s of %llu byte%s", side ? "B" : "A",
		a->type_text ? a->type_text : kt_access_op_name(a->op), (unsigned long long)a->size,
		a->size == 1 ? "" : "s");
	if (!a->addr_elided)
		fprintf(out, " at 0x%llx", (unsigned long long)a->addr);
	const struct kt_fact *sfunc = kt_out_side_fact(res, side, "site.func");
	const struct kt_fact *sfile = kt_out_side_fact(res, side, "site.file");
	const struct kt_fact *sline = kt_out_side_fact(res, side, "site.line");
	const struct kt_fact *souter = kt_out_side_fact(res, side, "site.outer");

	if (sfunc && sfunc->type == KT_FACT_STR) {
		/* The binary stage symbolized the access PC: its answer is exact. */
		fprintf(out, " in %s", sfunc->s);
		if (sfile && sfile->type == KT_FACT_STR && sline && sline->type == KT_FACT_INT)
			fprintf(out, " (%s:%lld)", sfile->s, (long long)sline->i);
		if (souter && souter->type == KT_FACT_STR && strcmp(souter->s, sfunc->s) != 0)
			fprintf(out, ", inlined in %s", souter->s);
	} else if (top) {
		fprintf(out, " in %s", top->func);
		if (top->file)
			fprintf(out, " (%s:%d)", top->file, top->line);
		if (outer && outer != top)
			fprintf(out, ", inlined in %s", outer->func);
	}
	if (a->by_interrupt)
		fputs(", by interrupt", out);
	else if (a->task >= 0)
		fprintf(out, ", by task %ld", a->task);
	if (a->cpu >= 0)
		fprintf(out, " on cpu %d", a->cpu);
	fputc('\n', out);
	if (a->elided)
		fputs("     stack: elided (frames are missing or may be)\n", out);
	if (expr && expr->type == KT_FACT_STR)
		fprintf(out, "     expression: %s\n", expr->s);
}

static void lock_line(FILE *out, const struct kt_triage_result *res, int side)
{
	const struct kt_fact *l = kt_out_side_fact(res, side, "locks");
	const struct kt_fact *known = kt_out_side_fact(res, side, "locks.known");
	const struct kt_fact *complete = kt_out_side_fact(res, side, "locks.complete");
	const struct kt_frame *top = kt_out_outer_frame(&res->report->access[side]);
	/* a walk that could not read every frame of the stack */
	bool partial = complete && complete->type == KT_FACT_BOOL && !complete->b;

	fprintf(out, "  %s (%s): ", side ? "B" : "A", top ? top->func : "?");
	if (l && l->type == KT_FACT_STRLIST && l->nlist) {
		for (size_t i = 0; i < l->nlist; i++)
			fprintf(out, "%s%s", i ? ", " : "", l->list[i]);
		fputs(partial ? " (maybe more: some frames could not be read)\n" : "\n", out);
	} else if (known && known->b) {
		fputs(partial ? "none found, but some frames could not be read\n"
			      : "no lock held\n",
		      out);
	} else {
		fputs("not computed (needs --src and a symbolized report or --vmlinux)\n", out);
	}
}

static void wrap(FILE *out, const char *text)
{
	/* Indent by two; keep the template's own words, wrap at ~96 columns. */
	const char *p = text;
	int col = 0;

	fputs("  ", out);
	while (*p) {
		const char *sp = strchr(p, ' ');
		size_t n = sp ? (size_t)(sp - p) : strlen(p);
		if (col > 0 && col + (int)n > 94) {
			fputs("\n  ", out);
			col = 0;
		} else if (col > 0) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, n, out);
		col += (int)n;
		p += n;
		while (*p == ' ')
			p++;
	}
	fputc('\n', out);
}

/* An unknown verdict says where the rules that matched lean, and why none
 * of them decided. */
static void lean_line(FILE *out, const struct kt_rule_result *rr)
{
	fprintf(out, "  Lean: %s",
		rr->lean == KT_VERDICT_UNKNOWN ? "none" : kt_verdict_name(rr->lean));
	if (rr->nlean_reasons == 0) {
		fputs(" (no benign or harmful rule matched)\n", out);
		return;
	}
	if (rr->lean == KT_VERDICT_UNKNOWN)
		fputs(" (the benign and harmful rules that matched disagree)", out);
	fputc('\n', out);
	for (size_t i = 0; i < rr->nlean_reasons; i++)
		fprintf(out, "    %s\n", rr->lean_reasons[i]);
}

void kt_output_text(FILE *out, const struct kt_triage_result *res)
{
	const struct kt_report *rep = res->report;
	const struct kt_rule_result *rr = &res->rules;
	const char *obj = kt_out_object(res);
	const char *inputs[3];
	int ninputs;

	fprintf(out, "%s\n", rep->title ? rep->title : "(untitled KCSAN report)");
	fprintf(out, "  from %s:%ld\n\n", rep->input ? rep->input : "-", rep->first_line);

	fputs("Race summary\n", out);
	if (rep->naccess == 2) {
		const struct kt_frame *a = kt_out_outer_frame(&rep->access[0]);
		const struct kt_frame *b = kt_out_outer_frame(&rep->access[1]);
		fprintf(out, "  %s vs %s on %s\n", a ? a->func : "?", b ? b->func : "?",
			obj ? obj : "an object no input named");
	} else {
		fprintf(out, "  %s against an access of unknown origin on %s\n",
			rep->naccess && rep->access[0].nframes ? rep->access[0].frames[0].func
							       : "?",
			obj ? obj : "an object no input named");
	}
	for (size_t i = 0; i < rep->naccess && i < 2; i++)
		access_line(out, res, (int)i);
	if (rep->value.present)
		fprintf(out, "  value changed: 0x%0*llx -> 0x%0*llx\n", rep->value.width,
			(unsigned long long)rep->value.old_val, rep->value.width,
			(unsigned long long)rep->value.new_val);

	fputs("\nSynchronization context\n", out);
	for (size_t i = 0; i < rep->naccess && i < 2; i++)
		lock_line(out, res, (int)i);
	{
		const struct kt_fact *rel = kt_facts_get(res->facts, "locks.relation");
		if (rel && rel->type == KT_FACT_STR)
			fprintf(out, "  relation: %s\n", rel->s);
	}

	fputs("\nClassification\n", out);
	fprintf(out, "  Verdict: %s\n  Confidence: %s\n  Rule: %s\n", kt_verdict_name(rr->verdict),
		kt_confidence_name(rr->confidence), rr->rule_id ? rr->rule_id : "(none)");
	if (rr->verdict == KT_VERDICT_UNKNOWN)
		lean_line(out, rr);
	if (res->baseline_reason)
		fprintf(out, "  Baselined: %s (accepted by %s)\n", res->baseline_reason,
			res->baseline_by ? res->baseline_by : "unknown");

	fputs("\nReasoning\n", out);
	wrap(out, rr->explanation && *rr->explanation
		      ? rr->explanation
		      : "No rule recognized this race from the inputs given.");

	fputs("\nRecommended annotation or fix\n", out);
	wrap(out, rr->action && *rr->action ? rr->action
					    : "Read both access sites; nothing here decides it.");

	fputs("\nEvidence\n", out);
	kt_out_inputs(res->inputs, inputs, &ninputs);
	fputs("  inputs used:", out);
	for (int i = 0; i < ninputs; i++)
		fprintf(out, " %s", inputs[i]);
	fputc('\n', out);
	{
		const char *t = kt_out_source_tree(res);

		if (res->source_dir)
			fprintf(out, "  source tree read: %s, %s\n", res->source_dir,
				res->source_choice ? res->source_choice : "");
		if (res->source_rev)
			fprintf(out, "  revision read: %s (%s)\n", res->source_rev,
				res->source_rev_from);
		if (t)
			fprintf(out, "  source tree against the report's kernel: %s\n", t);
	}
	if (res->census) {
		struct kt_strbuf sb;

		kt_strbuf_init(&sb);
		kt_census_result_text(res->census, false, &sb);
		for (char *line = sb.buf, *nl; line && *line; line = nl ? nl + 1 : NULL) {
			nl = strchr(line, '\n');
			fprintf(out, "  %.*s\n", nl ? (int)(nl - line) : (int)strlen(line), line);
		}
		kt_strbuf_fini(&sb);
	}
	if (rr->nmatches) {
		const struct kt_rule_match *w = &rr->matches[0];
		fputs("  facts the deciding rule read:\n", out);
		for (size_t i = 0; i < w->nfacts_used; i++) {
			const struct kt_fact *f = kt_facts_get(res->facts, w->facts_used[i]);
			char *v = f ? fact_text_short(f) : NULL;
			fprintf(out, "    %s = %s (%s)\n", w->facts_used[i], v ? v : "(absent)",
				f ? origin_name(f->origin) : "-");
			free(v);
		}
	}
	if (rr->selection)
		fprintf(out, "  rule selection: %s\n", rr->selection);
	for (size_t i = 1; i < rr->nmatches; i++)
		fprintf(out, "  also matched: %s (%s, priority %d)\n", rr->matches[i].id,
			kt_verdict_name(rr->matches[i].verdict), rr->matches[i].priority);
	for (size_t i = 0; i < res->nnotes; i++)
		fprintf(out, "  note (%s): %s\n", res->notes[i].stage, res->notes[i].text);
	fputc('\n', out);
}

void kt_output_facts(FILE *out, const struct kt_triage_result *res)
{
	const struct kt_fact *t = kt_facts_get(res->facts, "report.title");

	fprintf(out, "%s:%ld: %s\n", res->report->input ? res->report->input : "-",
		(long)res->report->first_line, t && t->type == KT_FACT_STR ? t->s : "?");
	for (size_t i = 0; i < kt_facts_count(res->facts); i++) {
		const struct kt_fact *f = kt_facts_at(res->facts, i);
		char *v = kt_fact_value_text(f);

		fprintf(out, "  %s = %s (%s)\n", f->name, v,
			f->origin == KT_ORIGIN_SOURCE	 ? "source"
			: f->origin == KT_ORIGIN_VMLINUX ? "binary"
							 : "report");
		free(v);
	}
	fputc('\n', out);
}
