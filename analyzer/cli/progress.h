/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The progress line of a batch on a terminal: reports done and the estimated
 * total (from the bytes of the inputs read so far), the rate and the time
 * left, redrawn on standard error at most twice a second.
 */
#ifndef KT_CLI_PROGRESS_H
#define KT_CLI_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

struct kt_progress {
	FILE *out; /* NULL: no progress line */
	double start, last;
	long long total_bytes; /* of the regular-file inputs; 0 unknown */
	long long done_bytes;  /* of the inputs finished */
	FILE *cur;	       /* the input being read */
	bool drawn;
};

/* out is where to draw, or NULL for no progress line. */
void kt_progress_init(struct kt_progress *p, FILE *out);
/* Count the size of an input (a file, or a directory's files) in the total. */
void kt_progress_add_input(struct kt_progress *p, const char *path);
void kt_progress_begin_file(struct kt_progress *p, FILE *fp);
void kt_progress_end_file(struct kt_progress *p);
/* After each report; redraws when the last line is old enough. */
void kt_progress_tick(struct kt_progress *p, long reports);
/* Erase the line before the summary. */
void kt_progress_clear(struct kt_progress *p);

#endif
