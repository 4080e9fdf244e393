/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cross-checking LLM verdicts: reads syzbot's assessment-kcsan result, as the
 * page text or as its JSON ({"Benign": bool, "Explanation": "..."}), and sets
 * it beside kcsan-triage's verdict for the same report.
 */
#ifndef KCSAN_CROSSCHECK_H
#define KCSAN_CROSSCHECK_H

#include <stdbool.h>
#include <stdio.h>

#include "kcsan/error.h"
#include "kcsan/triage.h"

struct kt_llm_verdict {
	bool benign;       /* the LLM's one bit */
	int confident;     /* 1, 0, or -1 when not given */
	char *explanation; /* may be NULL */
	char *title;       /* bug title the page names ("... (3)" suffix removed), or NULL */
	char *report_text; /* the crash report a page embeds, or NULL */
	char *report_path; /* a sibling NAME.report.txt of a JSON verdict, or NULL */
	char *path;
};

/* Read one LLM verdict file (page text or JSON). */
struct kt_error *kt_llm_read(const char *path, struct kt_llm_verdict **out);
void kt_llm_verdict_free(struct kt_llm_verdict *v);

enum kt_agreement { KT_AGREE, KT_DISAGREE, KT_UNDECIDED };
const char *kt_agreement_name(enum kt_agreement a);
/* Undecided when kcsan-triage says unknown. */
enum kt_agreement kt_llm_compare(const struct kt_llm_verdict *llm,
				 const struct kt_triage_result *res);
/* One comparison, as text or as a JSON line. */
void kt_llm_print(FILE *out, const struct kt_llm_verdict *llm, const struct kt_triage_result *res,
		  bool json);

#endif
