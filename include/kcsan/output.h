/* SPDX-License-Identifier: Apache-2.0 */
/* Stage 6, output: text (syzbot assessment layout) and JSON Lines. */
#ifndef KCSAN_OUTPUT_H
#define KCSAN_OUTPUT_H

#include <stdio.h>

#include "kcsan/triage.h"

void kt_output_text(FILE *out, const struct kt_triage_result *res);
/* One JSON object on one line; schema in README.md. */
void kt_output_json(FILE *out, const struct kt_triage_result *res);

#endif
