/* SPDX-License-Identifier: Apache-2.0 */
/* --llm: cross-check LLM verdicts against kcsan-triage's. */
#ifndef KT_CLI_LLM_MODE_H
#define KT_CLI_LLM_MODE_H

#include <stdbool.h>

#include "kcsan/triage.h"

/* llm: one verdict file or a directory of them; inputs: report files whose
 * reports are matched to the verdicts by title. Returns the exit status. */
int kt_cli_llm(struct kt_triage *t, const char *llm, char **inputs, int ninputs, bool json);

#endif
