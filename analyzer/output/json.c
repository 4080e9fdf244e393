// SPDX-License-Identifier: Apache-2.0
/* JSON Lines: one object per report. The schema is documented in README.md. */
#include <stdlib.h>

#include "common.h"
#include "kcsan/census.h"
#include "kcsan/output.h"
#include "kcsan/strbuf.h"

static void key(struct kt_strbuf *sb, const char *k, bool *first)
{
	if (!*first)
		kt_strbuf_addc(sb, ',');
	*first = false;
	kt_strbuf_add_json_str(sb, k);
	kt_strbuf_addc(sb, ':');
}

static void str_or_null(struct kt_strbuf *sb, const char *s)
{
	if (s)
		kt_strbuf_add_json_str(sb, s);
	else
		kt_strbuf_adds(sb, "null");
}

static void locks(struct kt_strbuf *sb, const struct kt_triage_result *res, int side)
{
	const struct kt_fact *l = kt_out_side_fact(res, side, "locks");
	const struct kt_fact *known = kt_out_side_fact(res, side, "locks.known");

	if (l && l->type == KT_FACT_STRLIST) {
		kt_strbuf_addc(sb, '[');
		for (size_t i = 0; i < l->nlist; i++) {
			if (i)
				kt_strbuf_addc(sb, ',');
			kt_strbuf_add_json_str(sb, l->list[i]);
		}
		kt_strbuf_addc(sb, ']');
	} else if (known && known->b) {
		kt_strbuf_adds(sb, "[]");
	} else {
		/* Not computed: the source layer did not run for this access. */
		kt_strbuf_adds(sb, "null");
	}
}

static void access_obj(struct kt_strbuf *sb, const struct kt_triage_result *res, int side)
{
	const struct kt_access *a = &res->report->access[side];
	const struct kt_frame *top = kt_out_top_frame(a);
	const struct kt_fact *func = kt_out_side_fact(res, side, "site.func");
	const struct kt_fact *file = kt_out_side_fact(res, side, "site.file");
	const struct kt_fact *line = kt_out_side_fact(res, side, "site.line");
	const struct kt_fact *placement = kt_out_side_fact(res, side, "src.strategy");
	bool first = true;

	kt_strbuf_addc(sb, '{');
	key(sb, "function", &first);
	str_or_null(sb, func ? func->s : top ? top->func : NULL);
	key(sb, "file", &first);
	str_or_null(sb, file ? file->s : top ? top->file : NULL);
	key(sb, "line", &first);
	if (line)
		kt_strbuf_addf(sb, "%lld", (long long)line->i);
	else if (top && top->line > 0)
		kt_strbuf_addf(sb, "%d", top->line);
	else
		kt_strbuf_adds(sb, "null");
	key(sb, "type", &first);
	kt_strbuf_add_json_str(sb, a->type_text ? a->type_text : kt_access_op_name(a->op));
	key(sb, "size", &first);
	kt_strbuf_addf(sb, "%llu", (unsigned long long)a->size);
	key(sb, "address", &first);
	if (a->addr_elided)
		kt_strbuf_adds(sb, "null");
	else
		kt_strbuf_addf(sb, "\"0x%016llx\"", (unsigned long long)a->addr);
	key(sb, "marked", &first);
	kt_strbuf_adds(sb, a->marked ? "true" : "false");
	key(sb, "reordered", &first);
	kt_strbuf_adds(sb, a->reordered ? "true" : "false");
	key(sb, "context", &first);
	if (a->by_interrupt)
		kt_strbuf_adds(sb, "\"interrupt\"");
	else if (a->task < 0)
		kt_strbuf_adds(sb, "\"task\"");
	else
		kt_strbuf_addf(sb, "\"task %ld\"", a->task);
	key(sb, "cpu", &first);
	kt_strbuf_addf(sb, "%d", a->cpu);
	key(sb, "elided", &first);
	kt_strbuf_adds(sb, a->elided ? "true" : "false");
	key(sb, "locks", &first);
	locks(sb, res, side);
	key(sb, "placement", &first);
	str_or_null(sb, placement && placement->type == KT_FACT_STR ? placement->s : NULL);
	kt_strbuf_addc(sb, '}');
}

/* The census of the object (or null) and the notes of the stages. */
static void census_and_errors(struct kt_strbuf *sb, const struct kt_triage_result *res, bool *first)
{
	key(sb, "census", first);
	if (res->census)
		kt_census_result_json(res->census, sb);
	else
		kt_strbuf_adds(sb, "null");
	key(sb, "errors", first);
	kt_strbuf_addc(sb, '[');
	for (size_t i = 0; i < res->nnotes; i++) {
		if (i)
			kt_strbuf_addc(sb, ',');
		kt_strbuf_adds(sb, "{\"stage\":");
		kt_strbuf_add_json_str(sb, res->notes[i].stage);
		kt_strbuf_adds(sb, ",\"message\":");
		kt_strbuf_add_json_str(sb, res->notes[i].text);
		kt_strbuf_addc(sb, '}');
	}
	kt_strbuf_addc(sb, ']');
}

void kt_output_json(FILE *out, const struct kt_triage_result *res)
{
	const struct kt_report *rep = res->report;
	const struct kt_rule_result *rr = &res->rules;
	struct kt_strbuf sb;
	bool first = true;
	const char *inputs[3];
	int ninputs;

	kt_strbuf_init(&sb);
	kt_strbuf_addc(&sb, '{');
	key(&sb, "title", &first);
	str_or_null(&sb, rep->title);
	key(&sb, "input", &first);
	str_or_null(&sb, rep->input);
	key(&sb, "line", &first);
	kt_strbuf_addf(&sb, "%ld", rep->first_line);
	key(&sb, "verdict", &first);
	kt_strbuf_add_json_str(&sb, kt_verdict_name(rr->verdict));
	key(&sb, "confidence", &first);
	kt_strbuf_add_json_str(&sb, kt_confidence_name(rr->confidence));
	key(&sb, "rule", &first);
	str_or_null(&sb, rr->rule_id);
	key(&sb, "lean", &first);
	str_or_null(&sb, rr->verdict == KT_VERDICT_UNKNOWN && rr->lean != KT_VERDICT_UNKNOWN
			     ? kt_verdict_name(rr->lean)
			     : NULL);
	key(&sb, "lean_reasons", &first);
	kt_strbuf_addc(&sb, '[');
	for (size_t i = 0; i < rr->nlean_reasons; i++) {
		if (i)
			kt_strbuf_addc(&sb, ',');
		kt_strbuf_add_json_str(&sb, rr->lean_reasons[i]);
	}
	kt_strbuf_addc(&sb, ']');
	key(&sb, "object", &first);
	str_or_null(&sb, kt_out_object(res));
	key(&sb, "accesses", &first);
	kt_strbuf_addc(&sb, '[');
	for (size_t i = 0; i < rep->naccess && i < 2; i++) {
		if (i)
			kt_strbuf_addc(&sb, ',');
		access_obj(&sb, res, (int)i);
	}
	kt_strbuf_addc(&sb, ']');
	key(&sb, "value_change", &first);
	if (rep->value.present) {
		kt_strbuf_addf(&sb, "{\"old\":\"0x%0*llx\",\"new\":\"0x%0*llx\"", rep->value.width,
			       (unsigned long long)rep->value.old_val, rep->value.width,
			       (unsigned long long)rep->value.new_val);
		if (rep->value.has_mask)
			kt_strbuf_addf(&sb, ",\"bits\":\"0x%0*llx\",\"mask\":\"0x%0*llx\"",
				       rep->value.width, (unsigned long long)rep->value.bits,
				       rep->value.width, (unsigned long long)rep->value.mask);
		kt_strbuf_addc(&sb, '}');
	} else {
		kt_strbuf_adds(&sb, "null");
	}
	key(&sb, "explanation", &first);
	str_or_null(&sb, rr->explanation);
	key(&sb, "action", &first);
	str_or_null(&sb, rr->action);
	key(&sb, "selection", &first);
	str_or_null(&sb, rr->selection);
	key(&sb, "matches", &first);
	kt_strbuf_addc(&sb, '[');
	for (size_t i = 0; i < rr->nmatches; i++) {
		const struct kt_rule_match *m = &rr->matches[i];
		if (i)
			kt_strbuf_addc(&sb, ',');
		kt_strbuf_adds(&sb, "{\"rule\":");
		kt_strbuf_add_json_str(&sb, m->id);
		kt_strbuf_adds(&sb, ",\"verdict\":");
		kt_strbuf_add_json_str(&sb, kt_verdict_name(m->verdict));
		kt_strbuf_addf(&sb, ",\"priority\":%d}", m->priority);
	}
	kt_strbuf_addc(&sb, ']');
	key(&sb, "baseline", &first);
	if (res->baseline_reason) {
		kt_strbuf_adds(&sb, "{\"reason\":");
		kt_strbuf_add_json_str(&sb, res->baseline_reason);
		kt_strbuf_adds(&sb, ",\"accepted_by\":");
		str_or_null(&sb, res->baseline_by);
		kt_strbuf_addc(&sb, '}');
	} else {
		kt_strbuf_adds(&sb, "null");
	}
	key(&sb, "inputs", &first);
	kt_out_inputs(res->inputs, inputs, &ninputs);
	kt_strbuf_addc(&sb, '[');
	for (int i = 0; i < ninputs; i++) {
		if (i)
			kt_strbuf_addc(&sb, ',');
		kt_strbuf_add_json_str(&sb, inputs[i]);
	}
	kt_strbuf_addc(&sb, ']');
	key(&sb, "source_tree", &first);
	str_or_null(&sb, kt_out_source_tree(res));
	key(&sb, "source_tree_dir", &first);
	str_or_null(&sb, res->source_dir);
	key(&sb, "source_tree_choice", &first);
	str_or_null(&sb, res->source_choice);
	key(&sb, "rev", &first);
	str_or_null(&sb, res->source_rev);
	key(&sb, "rev_from", &first);
	str_or_null(&sb, res->source_rev_from);
	census_and_errors(&sb, res, &first);
	kt_strbuf_adds(&sb, "}\n");
	fwrite(sb.buf, 1, sb.len, out);
	kt_strbuf_fini(&sb);
}
