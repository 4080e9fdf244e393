/* SPDX-License-Identifier: Apache-2.0 */
/* --eval: run a labeled corpus and print the confusion matrix. */
#ifndef KT_CLI_EVAL_H
#define KT_CLI_EVAL_H

#include <stdio.h>

#include "kcsan/triage.h"

/* labels: TSV with a header naming at least `id` and `label` columns; each
 * report is read from reports_dir/<id>.txt (default: reports/ beside the
 * labels). Returns the exit status. */
int kt_cli_eval(struct kt_triage *t, const char *labels, const char *reports_dir, FILE *out);

#endif
