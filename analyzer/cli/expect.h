/* SPDX-License-Identifier: Apache-2.0 */
/* --expect: compare verdicts and objects with an expectation per title. */
#ifndef KT_CLI_EXPECT_H
#define KT_CLI_EXPECT_H

#include <stdbool.h>
#include <stdio.h>

#include "kcsan/triage.h"

/* expect: TSV with a header naming `verdict` and either `title` or `func1`
 * and `func2` (the title is then "KCSAN: data-race in func1 / func2"), and
 * optionally `object`. inputs: report files or directories of them. Prints
 * per title the reports, how many were decided as expected at medium or high
 * confidence, and whether the object named is the expected one. Returns the
 * exit status (0, or 2 for an unreadable expect file or input). */
int kt_cli_expect(struct kt_triage *t, const char *expect, char **inputs, int ninputs, FILE *out);

/* Whether the object the tool named (got) is the one an expectation
 * describes: "struct S::f (u32)" matches "struct S::f" and its members
 * ("struct S::f.g"); "struct S bitfield byte (a:1, b:1)" matches any member
 * of struct S; either side may list alternatives separated by " / ". */
bool kt_expect_object_matches(const char *expected, const char *got);

#endif
