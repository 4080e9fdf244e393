// SPDX-License-Identifier: Apache-2.0
/* SARIF 2.1.0: one log for a whole run, one result per report. */
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "kcsan/output.h"
#include "kcsan/strbuf.h"

struct kt_sarif {
	struct kt_strbuf results;
	size_t nresults;
	char **rule_ids;
	size_t nrules;
};

struct kt_sarif *kt_sarif_new(void)
{
	struct kt_sarif *s = kt_xcalloc(1, sizeof(*s));

	kt_strbuf_init(&s->results);
	return s;
}

void kt_sarif_free(struct kt_sarif *s)
{
	if (!s)
		return;
	kt_strbuf_fini(&s->results);
	for (size_t i = 0; i < s->nrules; i++)
		free(s->rule_ids[i]);
	free(s->rule_ids);
	free(s);
}

static const char *level(const struct kt_rule_result *rr)
{
	switch (rr->verdict) {
	case KT_VERDICT_HARMFUL:
		return rr->confidence == KT_CONF_HIGH ? "error" : "warning";
	case KT_VERDICT_UNKNOWN:
		return "warning";
	default:
		return "note";
	}
}

/* FNV-1a 64: a stable fingerprint of title and object across runs. */
static unsigned long long fingerprint(const char *title, const char *object)
{
	unsigned long long h = 1469598103934665603ULL;
	const char *parts[2] = {title ? title : "", object ? object : ""};

	for (int i = 0; i < 2; i++) {
		for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++)
			h = (h ^ *p) * 1099511628211ULL;
		h = (h ^ 0xff) * 1099511628211ULL;
	}
	return h;
}

static void note_rule(struct kt_sarif *s, const char *id)
{
	for (size_t i = 0; i < s->nrules; i++)
		if (strcmp(s->rule_ids[i], id) == 0)
			return;
	s->rule_ids = kt_xrealloc(s->rule_ids, (s->nrules + 1) * sizeof(char *));
	s->rule_ids[s->nrules++] = kt_xstrdup(id);
}

static void location(struct kt_strbuf *sb, const struct kt_access *a)
{
	const struct kt_frame *top = kt_out_top_frame(a);

	kt_strbuf_adds(sb, "{");
	if (top && top->file && top->line > 0) {
		kt_strbuf_adds(sb, "\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
		kt_strbuf_add_json_str(sb, top->file);
		kt_strbuf_addf(sb, ",\"uriBaseId\":\"KERNEL_SRC\"},\"region\":{\"startLine\":%d}},",
			       top->line);
	}
	kt_strbuf_adds(sb, "\"logicalLocations\":[{\"kind\":\"function\",\"name\":");
	kt_strbuf_add_json_str(sb, top ? top->func : "unknown");
	kt_strbuf_adds(sb, "}]}");
}

void kt_sarif_add(struct kt_sarif *s, const struct kt_triage_result *res,
		  const char *suppressed_reason, const char *suppressed_by)
{
	const struct kt_rule_result *rr = &res->rules;
	const char *rule = rr->rule_id ? rr->rule_id : "unclassified";
	const char *obj = kt_out_object(res);
	struct kt_strbuf *sb = &s->results;
	struct kt_strbuf msg;

	note_rule(s, rule);
	if (s->nresults++)
		kt_strbuf_addc(sb, ',');
	kt_strbuf_adds(sb, "{\"ruleId\":");
	kt_strbuf_add_json_str(sb, rule);
	kt_strbuf_addf(sb, ",\"level\":\"%s\",\"message\":{\"text\":", level(rr));
	kt_strbuf_init(&msg);
	kt_strbuf_addf(&msg, "%s: %s (%s confidence). %s",
		       res->report->title ? res->report->title : "KCSAN report",
		       kt_verdict_name(rr->verdict), kt_confidence_name(rr->confidence),
		       rr->explanation ? rr->explanation : "No rule recognized this race.");
	if (rr->action && *rr->action)
		kt_strbuf_addf(&msg, " Fix: %s", rr->action);
	kt_strbuf_add_json_str(sb, msg.buf);
	kt_strbuf_fini(&msg);
	kt_strbuf_adds(sb, "},\"locations\":[");
	for (size_t i = 0; i < res->report->naccess && i < 2; i++) {
		if (i)
			kt_strbuf_addc(sb, ',');
		location(sb, &res->report->access[i]);
	}
	kt_strbuf_addf(sb, "],\"partialFingerprints\":{\"kcsanBug/v1\":\"%016llx\"}",
		       fingerprint(res->report->title, obj));
	kt_strbuf_adds(sb, ",\"properties\":{\"title\":");
	kt_strbuf_add_json_str(sb, res->report->title ? res->report->title : "");
	kt_strbuf_addf(sb, ",\"verdict\":\"%s\",\"confidence\":\"%s\",\"object\":",
		       kt_verdict_name(rr->verdict), kt_confidence_name(rr->confidence));
	if (obj)
		kt_strbuf_add_json_str(sb, obj);
	else
		kt_strbuf_adds(sb, "null");
	kt_strbuf_adds(sb, ",\"input\":");
	kt_strbuf_add_json_str(sb, res->report->input ? res->report->input : "-");
	kt_strbuf_addf(sb, ",\"line\":%ld}", res->report->first_line);
	if (suppressed_reason) {
		struct kt_strbuf j;
		kt_strbuf_init(&j);
		kt_strbuf_addf(&j, "%s (accepted by %s)", suppressed_reason,
			       suppressed_by ? suppressed_by : "unknown");
		kt_strbuf_adds(sb,
			       ",\"suppressions\":[{\"kind\":\"external\",\"status\":\"accepted\","
			       "\"justification\":");
		kt_strbuf_add_json_str(sb, j.buf);
		kt_strbuf_adds(sb, "}]");
		kt_strbuf_fini(&j);
	}
	kt_strbuf_addc(sb, '}');
}

void kt_sarif_write(struct kt_sarif *s, FILE *out, const char *version)
{
	fputs(
	    "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
	    "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"kcsan-triage\",",
	    out);
	fprintf(out, "\"version\":\"%s\",\"rules\":[", version);
	for (size_t i = 0; i < s->nrules; i++) {
		struct kt_strbuf r;
		kt_strbuf_init(&r);
		kt_strbuf_adds(&r, i ? ",{\"id\":" : "{\"id\":");
		kt_strbuf_add_json_str(&r, s->rule_ids[i]);
		kt_strbuf_adds(&r, ",\"shortDescription\":{\"text\":");
		struct kt_strbuf d;
		kt_strbuf_init(&d);
		kt_strbuf_addf(&d, "kcsan-triage rule %s (see rules/)", s->rule_ids[i]);
		kt_strbuf_add_json_str(&r, d.buf);
		kt_strbuf_fini(&d);
		kt_strbuf_adds(&r, "}}");
		fwrite(r.buf, 1, r.len, out);
		kt_strbuf_fini(&r);
	}
	fputs("]}},\"originalUriBaseIds\":{\"KERNEL_SRC\":{\"description\":{\"text\":\"the root of "
	      "the kernel tree\"}}},\"results\":[",
	      out);
	if (s->results.len)
		fwrite(s->results.buf, 1, s->results.len, out);
	fputs("]}]}\n", out);
}
