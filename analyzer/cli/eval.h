/* SPDX-License-Identifier: Apache-2.0 */
/* --eval: run a labeled corpus and print the confusion matrix and figures. */
#ifndef KT_CLI_EVAL_H
#define KT_CLI_EVAL_H

#include <stdint.h>
#include <stdio.h>

#include "kcsan/triage.h"

/* labels: TSV with a header naming at least `id` and `label` columns (and
 * optionally `kernel_version_or_commit`, used to choose among several trees
 * when a report names no kernel); each report is read from
 * reports_dir/<id>.txt (default: reports/ beside the labels). Returns the
 * exit status. */
int kt_cli_eval(struct kt_triage *t, const char *labels, const char *reports_dir, FILE *out);

/* What --eval keeps of one labeled report, for the figures (eval_figures.c). */
struct kt_eval_row {
	char *id;
	int label;  /* 0 benign, 1 harmful */
	int half;   /* 0: A, the half rules may be read and written against; 1: B, held out */
	bool error; /* could not be read or classified: counted as unknown */
	enum kt_verdict verdict;
	enum kt_confidence confidence;
	enum kt_verdict lean;
	char *rule;	 /* deciding rule, "conflict", or NULL */
	char *subsystem; /* "fs/ext4", "net/ipv4", "mm"; "?" when no file is known */
};

/* The fixed split of a corpus: FNV-1a (32 bits) of the id; even is half A. */
uint32_t kt_eval_fnv1a(const char *s);
int kt_eval_half(const char *id);
/* The subsystem of a report from its access stacks' files (the first two
 * directories of the first .c file of side a, then b); caller frees. */
char *kt_eval_subsystem(const struct kt_facts *facts);
/* The figures by set (all, half A, half B) and by rule. */
void kt_eval_print_figures(FILE *out, const struct kt_eval_row *rows, size_t n);

#endif
