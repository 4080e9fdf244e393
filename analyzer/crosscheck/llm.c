// SPDX-License-Identifier: Apache-2.0
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kcsan/crosscheck.h"
#include "kcsan/json.h"
#include "kcsan/strbuf.h"

#define MAX_LLM_FILE (16 * 1024 * 1024)

static const char CHECK_MARK[] = "\xe2\x9c\x85"; /* U+2705 */
static const char CROSS_MARK[] = "\xe2\x9d\x8c"; /* U+274C */

static struct kt_error *slurp(const char *path, char **out, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	struct kt_strbuf sb;
	char buf[65536];
	size_t n;

	*out = NULL;
	if (!fp)
		return kt_error_new(KT_ERR_IO, path, 0, "cannot open");
	kt_strbuf_init(&sb);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		if (sb.len + n > MAX_LLM_FILE) {
			fclose(fp);
			kt_strbuf_fini(&sb);
			return kt_error_new(KT_ERR_LIMIT, path, 0, "larger than %d MiB",
					    MAX_LLM_FILE >> 20);
		}
		kt_strbuf_add(&sb, buf, n);
	}
	fclose(fp);
	*len = sb.len;
	*out = kt_strbuf_detach(&sb);
	return NULL;
}

/* "... (3)" -> "...": syzbot numbers recurring bugs. */
static void strip_bug_number(char *t)
{
	size_t n = strlen(t);

	while (n && t[n - 1] == ' ')
		t[--n] = '\0';
	if (n >= 3 && t[n - 1] == ')') {
		size_t i = n - 2;
		while (i > 0 && isdigit((unsigned char)t[i]))
			i--;
		if (i + 1 < n - 1 && t[i] == '(' && i > 0 && t[i - 1] == ' ')
			t[i - 1] = '\0';
	}
}

static struct kt_error *from_json(const char *path, const char *text, size_t len,
				  struct kt_llm_verdict *v)
{
	struct kt_json *j;
	struct kt_error *err = kt_json_parse(text, len, path, &j);

	if (err)
		return err;
	const struct kt_json *b = kt_json_get(j, "Benign");
	if (!b || b->type != KT_JSON_BOOL) {
		kt_json_free(j);
		return kt_error_new(KT_ERR_PARSE, path, 1, "no boolean \"Benign\" member");
	}
	v->benign = b->b;
	const struct kt_json *c = kt_json_get(j, "Confident");
	v->confident = c && c->type == KT_JSON_BOOL ? c->b : -1;
	const struct kt_json *e = kt_json_get(j, "Explanation");
	if (e && e->type == KT_JSON_STRING)
		v->explanation = kt_xstrdup(e->str);
	kt_json_free(j);
	/* NAME.llm.json -> NAME.report.txt, NAME.json -> NAME.report.txt */
	struct kt_strbuf sb;
	kt_strbuf_init(&sb);
	size_t stem = strlen(path);
	if (kt_str_endswith(path, ".llm.json"))
		stem -= strlen(".llm.json");
	else if (kt_str_endswith(path, ".json"))
		stem -= strlen(".json");
	kt_strbuf_add(&sb, path, stem);
	kt_strbuf_adds(&sb, ".report.txt");
	/* Only a regular file: opening a FIFO there would block. */
	struct stat st;
	if (stat(sb.buf, &st) == 0 && S_ISREG(st.st_mode) && access(sb.buf, R_OK) == 0) {
		v->report_path = kt_strbuf_detach(&sb);
	} else {
		kt_strbuf_fini(&sb);
	}
	return NULL;
}

static const char *line_end(const char *s)
{
	const char *e = strchr(s, '\n');

	return e ? e : s + strlen(s);
}

/* The value of a "Key: ✅" / "Key:true" marker on a line, or -1. */
static int marker(const char *s, const char *e, const char *key)
{
	size_t kl = strlen(key);

	for (const char *p = s; p + kl <= e; p++) {
		if (strncmp(p, key, kl) != 0)
			continue;
		const char *q = p + kl;
		while (q < e && *q == ' ')
			q++;
		if ((size_t)(e - q) >= 3 && memcmp(q, CHECK_MARK, 3) == 0)
			return 1;
		if ((size_t)(e - q) >= 3 && memcmp(q, CROSS_MARK, 3) == 0)
			return 0;
		if ((size_t)(e - q) >= 4 && memcmp(q, "true", 4) == 0)
			return 1;
		if ((size_t)(e - q) >= 5 && memcmp(q, "false", 5) == 0)
			return 0;
	}
	return -1;
}

static struct kt_error *from_page(const char *path, const char *text, struct kt_llm_verdict *v)
{
	int benign = -1, confident = -1;
	const char *s = text;
	long lineno = 0;

	for (; *s; s = *line_end(s) ? line_end(s) + 1 : line_end(s)) {
		const char *e = line_end(s);
		lineno++;
		if (benign < 0) {
			benign = marker(s, e, "Benign:");
			if (benign >= 0)
				confident = marker(s, e, "Confident:");
		}
		if (!v->title) {
			const char *k = strstr(s, "assessment-kcsan");
			const char *t = k && k < e ? strstr(k, "KCSAN: ") : NULL;
			if (t && t < e) {
				/* The title runs to the first date ("2026/01/16"). */
				const char *q = t;
				while (q + 11 <= e &&
				       !(q[0] == ' ' && isdigit((unsigned char)q[1]) &&
					 isdigit((unsigned char)q[4]) && q[5] == '/'))
					q++;
				v->title = kt_xstrndup(t, (size_t)((q + 11 <= e ? q : e) - t));
				strip_bug_number(v->title);
			}
		}
		if (!v->explanation && strncmp(s, "Explanation:", 12) == 0) {
			const char *start = e + (*e ? 1 : 0);
			const char *stop = strstr(start, "\nCrash report:");
			if (!stop)
				stop = start + strlen(start);
			v->explanation = kt_xstrndup(start, (size_t)(stop - start));
		}
		if (!v->report_text && strncmp(s, "Crash report:", 13) == 0) {
			const char *start = e + (*e ? 1 : 0);
			const char *stop = strstr(start, "\nTrajectory:");
			v->report_text = stop ? kt_xstrndup(start, (size_t)(stop - start + 1))
					      : kt_xstrdup(start);
		}
		if (!*e)
			break;
	}
	if (benign < 0)
		return kt_error_new(KT_ERR_PARSE, path, 0,
				    "no \"Benign:\" verdict found: not an assessment-kcsan page or "
				    "JSON result");
	v->benign = benign == 1;
	v->confident = confident;
	return NULL;
}

struct kt_error *kt_llm_read(const char *path, struct kt_llm_verdict **out)
{
	struct kt_llm_verdict *v;
	struct kt_error *err;
	char *text;
	size_t len;

	*out = NULL;
	err = slurp(path, &text, &len);
	if (err)
		return err;
	if (memchr(text, '\0', len)) {
		free(text);
		return kt_error_new(KT_ERR_PARSE, path, 0, "NUL byte in an LLM verdict file");
	}
	v = kt_xcalloc(1, sizeof(*v));
	v->path = kt_xstrdup(path);
	const char *p = text;
	while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
		p++;
	if (*p == '{')
		err = from_json(path, text, len, v);
	else
		err = from_page(path, text, v);
	free(text);
	if (err) {
		kt_llm_verdict_free(v);
		return err;
	}
	*out = v;
	return NULL;
}

void kt_llm_verdict_free(struct kt_llm_verdict *v)
{
	if (!v)
		return;
	free(v->explanation);
	free(v->title);
	free(v->report_text);
	free(v->report_path);
	free(v->path);
	free(v);
}

const char *kt_agreement_name(enum kt_agreement a)
{
	return a == KT_AGREE ? "agree" : a == KT_DISAGREE ? "disagree" : "undecided";
}

enum kt_agreement kt_llm_compare(const struct kt_llm_verdict *llm,
				 const struct kt_triage_result *res)
{
	switch (res->rules.verdict) {
	case KT_VERDICT_BENIGN:
		return llm->benign ? KT_AGREE : KT_DISAGREE;
	case KT_VERDICT_HARMFUL:
		return llm->benign ? KT_DISAGREE : KT_AGREE;
	default:
		return KT_UNDECIDED;
	}
}

/* The facts the deciding rule read, which are what decides a disagreement. */
static void evidence(struct kt_strbuf *sb, const struct kt_triage_result *res, bool json)
{
	if (!res->rules.nmatches)
		return;
	const struct kt_rule_match *w = &res->rules.matches[0];
	for (size_t i = 0; i < w->nfacts_used; i++) {
		const struct kt_fact *f = kt_facts_get(res->facts, w->facts_used[i]);
		char *val = f ? kt_fact_value_text(f) : kt_xstrdup("(absent)");
		if (json) {
			struct kt_strbuf item;
			kt_strbuf_init(&item);
			kt_strbuf_addf(&item, "%s = %s", w->facts_used[i], val);
			if (i)
				kt_strbuf_addc(sb, ',');
			kt_strbuf_add_json_str(sb, item.buf);
			kt_strbuf_fini(&item);
		} else {
			kt_strbuf_addf(sb, "    %s = %s\n", w->facts_used[i], val);
		}
		free(val);
	}
}

void kt_llm_print(FILE *out, const struct kt_llm_verdict *llm, const struct kt_triage_result *res,
		  bool json)
{
	const struct kt_rule_result *rr = &res->rules;
	enum kt_agreement a = kt_llm_compare(llm, res);
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	if (json) {
		kt_strbuf_adds(&sb, "{\"title\":");
		kt_strbuf_add_json_str(&sb, res->report->title);
		kt_strbuf_adds(&sb, ",\"llm_file\":");
		kt_strbuf_add_json_str(&sb, llm->path);
		kt_strbuf_addf(&sb, ",\"llm\":\"%s\",\"llm_confident\":%s",
			       llm->benign ? "benign" : "harmful",
			       llm->confident < 0 ? "null"
			       : llm->confident	  ? "true"
						  : "false");
		kt_strbuf_addf(&sb, ",\"verdict\":\"%s\",\"confidence\":\"%s\",\"rule\":",
			       kt_verdict_name(rr->verdict), kt_confidence_name(rr->confidence));
		if (rr->rule_id)
			kt_strbuf_add_json_str(&sb, rr->rule_id);
		else
			kt_strbuf_adds(&sb, "null");
		kt_strbuf_addf(&sb, ",\"agreement\":\"%s\",\"explanation\":", kt_agreement_name(a));
		kt_strbuf_add_json_str(&sb, rr->explanation ? rr->explanation : "");
		kt_strbuf_adds(&sb, ",\"evidence\":[");
		evidence(&sb, res, true);
		kt_strbuf_adds(&sb, "]}\n");
	} else {
		kt_strbuf_addf(&sb, "%s\n", res->report->title ? res->report->title : "?");
		kt_strbuf_addf(&sb, "  LLM (%s): %s%s\n", llm->path,
			       llm->benign ? "benign" : "harmful",
			       llm->confident == 1   ? ", confident"
			       : llm->confident == 0 ? ", not confident"
						     : "");
		kt_strbuf_addf(&sb, "  kcsan-triage: %s, %s confidence, rule %s\n",
			       kt_verdict_name(rr->verdict), kt_confidence_name(rr->confidence),
			       rr->rule_id ? rr->rule_id : "(none)");
		kt_strbuf_addf(&sb, "  => %s\n", kt_agreement_name(a));
		if (a != KT_AGREE) {
			kt_strbuf_addf(&sb, "  kcsan-triage's reasoning: %s\n",
				       rr->explanation ? rr->explanation : "no rule decided");
			if (rr->nmatches) {
				kt_strbuf_adds(&sb, "  the evidence that decides it:\n");
				evidence(&sb, res, false);
			}
			if (llm->explanation) {
				const char *e = llm->explanation;
				while (*e == '\n' || *e == ' ')
					e++;
				kt_strbuf_addf(&sb, "  the LLM's reasoning begins: %.300s%s\n", e,
					       strlen(e) > 300 ? "..." : "");
			}
		}
		kt_strbuf_addc(&sb, '\n');
	}
	fwrite(sb.buf, 1, sb.len, out);
	kt_strbuf_fini(&sb);
}
