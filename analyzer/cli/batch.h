/* SPDX-License-Identifier: Apache-2.0 */
/*
 * -j N: classify reports on N worker threads, each with its own triage
 * context (rules, vmlinux handle, source cache), and hand the results back to
 * the caller's thread in input order.
 */
#ifndef KT_CLI_BATCH_H
#define KT_CLI_BATCH_H

#include "kcsan/triage.h"

/* Called on a worker thread right after a report was classified (not when it
 * failed): renders what emit will print, so that formatting runs in parallel
 * too. It may annotate res, must only read state shared between threads,
 * and returns a malloc'ed text (or NULL, then emit formats itself). */
typedef char *(*kt_batch_render_fn)(void *ctx, struct kt_triage_result *res, size_t *len);

/* Called on the submitting thread, in submission order. It owns rep and
 * err; res (NULL and err set when classification failed) and text, what
 * render returned (NULL without one), stay the batch's, which frees them
 * afterwards on the worker thread that made them. */
typedef void (*kt_batch_emit_fn)(void *ctx, struct kt_report *rep, struct kt_triage_result *res,
				 struct kt_error *err, char *text, size_t len);

struct kt_batch;

struct kt_error *kt_batch_new(int nworkers, const struct kt_triage_opts *opts,
			      kt_batch_render_fn render, kt_batch_emit_fn emit, void *ctx,
			      struct kt_batch **out);
/* Takes ownership of rep; may block while the window of reports in flight is full. */
void kt_batch_submit(struct kt_batch *b, struct kt_report *rep);
/* Wait for every submitted report and emit the rest. */
void kt_batch_finish(struct kt_batch *b);
void kt_batch_free(struct kt_batch *b);

#endif
