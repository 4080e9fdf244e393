/* SPDX-License-Identifier: Apache-2.0 */
/* Stage 6, output: text (syzbot assessment layout) and JSON Lines. */
#ifndef KCSAN_OUTPUT_H
#define KCSAN_OUTPUT_H

#include <stdio.h>

#include "kcsan/triage.h"

void kt_output_text(FILE *out, const struct kt_triage_result *res);
/* One JSON object on one line; schema in README.md. */
void kt_output_json(FILE *out, const struct kt_triage_result *res);
/* Every fact the stages wrote, one "NAME = VALUE (STAGE)" per line under
 * the report's title: what a rule can test (--format facts). */
void kt_output_facts(FILE *out, const struct kt_triage_result *res);

/*
 * SARIF 2.1.0: results are collected over a run and written as one log.
 * ruleId is the deciding rule's id; partialFingerprints hold a stable hash of
 * the normalized title and the object; a baselined report carries an
 * external, accepted suppression; level: harmful/high = error, harmful or
 * unknown = warning, benign = note.
 */
struct kt_sarif;
struct kt_sarif *kt_sarif_new(void);
void kt_sarif_free(struct kt_sarif *s);
void kt_sarif_add(struct kt_sarif *s, const struct kt_triage_result *res,
		  const char *suppressed_reason, const char *suppressed_by);
void kt_sarif_write(struct kt_sarif *s, FILE *out, const char *version);

#endif
