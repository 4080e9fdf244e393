// SPDX-License-Identifier: Apache-2.0
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "kcsan/strbuf.h"

enum slot_state { SLOT_PENDING, SLOT_RUNNING, SLOT_DONE };

struct slot {
	enum slot_state state;
	struct kt_report *rep;
	struct kt_triage_result *res;
	struct kt_error *err;
	char *text; /* what render made of res */
	size_t len;
};

struct worker {
	struct kt_batch *b;
	struct kt_triage *t;
	pthread_t thread;
	bool started;
};

struct kt_batch {
	pthread_mutex_t mu;
	pthread_mutex_t binary_lock; /* the workers' binary stages, one at a time */
	pthread_cond_t work_cv, done_cv;
	struct slot *ring;
	size_t window;
	size_t head, next, tail; /* emitted < head <= next (taken) <= tail (submitted) */
	bool stop;
	struct worker *w;
	int nworkers;
	kt_batch_render_fn render;
	kt_batch_emit_fn emit;
	void *ctx;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct kt_batch *b = w->b;

	pthread_mutex_lock(&b->mu);
	for (;;) {
		while (b->next == b->tail && !b->stop)
			pthread_cond_wait(&b->work_cv, &b->mu);
		if (b->next == b->tail && b->stop)
			break;
		struct slot *s = &b->ring[b->next++ % b->window];
		s->state = SLOT_RUNNING;
		pthread_mutex_unlock(&b->mu);
		struct kt_triage_result *res = NULL;
		struct kt_error *err = kt_triage_classify(w->t, s->rep, &res);
		size_t len = 0;
		char *text = !err && b->render ? b->render(b->ctx, res, &len) : NULL;
		pthread_mutex_lock(&b->mu);
		s->res = res;
		s->err = err;
		s->text = text;
		s->len = len;
		s->state = SLOT_DONE;
		pthread_cond_broadcast(&b->done_cv);
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

struct kt_error *kt_batch_new(int nworkers, const struct kt_triage_opts *opts,
			      kt_batch_render_fn render, kt_batch_emit_fn emit, void *ctx,
			      struct kt_batch **out)
{
	struct kt_batch *b = kt_xcalloc(1, sizeof(*b));
	struct kt_error *err = NULL;

	*out = NULL;
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->work_cv, NULL);
	pthread_cond_init(&b->done_cv, NULL);
	b->nworkers = nworkers;
	b->window = (size_t)nworkers * 16;
	b->ring = kt_xcalloc(b->window, sizeof(*b->ring));
	b->w = kt_xcalloc((size_t)nworkers, sizeof(*b->w));
	b->render = render;
	b->emit = emit;
	b->ctx = ctx;
	pthread_mutex_init(&b->binary_lock, NULL);
	for (int i = 0; i < nworkers && !err; i++) {
		struct kt_triage_opts wo = *opts;

		wo.binary_lock = nworkers > 1 ? &b->binary_lock : NULL;
		b->w[i].b = b;
		err = kt_triage_new(&wo, &b->w[i].t);
	}
	for (int i = 0; i < nworkers && !err; i++) {
		if (pthread_create(&b->w[i].thread, NULL, worker_main, &b->w[i]) != 0)
			err =
			    kt_error_new(KT_ERR_NOMEM, NULL, 0, "cannot start worker thread %d", i);
		else
			b->w[i].started = true;
	}
	if (err) {
		kt_batch_free(b);
		return err;
	}
	*out = b;
	return NULL;
}

/* Emit finished reports from the head, in order. Called with the lock held;
 * drops it around the callback. */
static void drain(struct kt_batch *b)
{
	while (b->head < b->next && b->ring[b->head % b->window].state == SLOT_DONE) {
		struct slot s = b->ring[b->head % b->window];
		memset(&b->ring[b->head % b->window], 0, sizeof(s));
		b->head++;
		pthread_mutex_unlock(&b->mu);
		b->emit(b->ctx, s.rep, s.res, s.err, s.text, s.len);
		pthread_mutex_lock(&b->mu);
	}
}

void kt_batch_submit(struct kt_batch *b, struct kt_report *rep)
{
	pthread_mutex_lock(&b->mu);
	drain(b);
	while (b->tail - b->head == b->window) {
		pthread_cond_wait(&b->done_cv, &b->mu);
		drain(b);
	}
	struct slot *s = &b->ring[b->tail++ % b->window];
	s->state = SLOT_PENDING;
	s->rep = rep;
	pthread_cond_signal(&b->work_cv);
	pthread_mutex_unlock(&b->mu);
}

void kt_batch_finish(struct kt_batch *b)
{
	pthread_mutex_lock(&b->mu);
	while (b->head < b->tail) {
		drain(b);
		if (b->head < b->tail)
			pthread_cond_wait(&b->done_cv, &b->mu);
	}
	pthread_mutex_unlock(&b->mu);
}

void kt_batch_free(struct kt_batch *b)
{
	if (!b)
		return;
	pthread_mutex_lock(&b->mu);
	b->stop = true;
	pthread_cond_broadcast(&b->work_cv);
	pthread_mutex_unlock(&b->mu);
	for (int i = 0; i < b->nworkers; i++) {
		if (b->w[i].started)
			pthread_join(b->w[i].thread, NULL);
		kt_triage_free(b->w[i].t);
	}
	/* Reports never emitted (finish not called) are freed here. */
	for (size_t i = b->head; i < b->tail; i++) {
		struct slot *s = &b->ring[i % b->window];
		kt_report_free(s->rep);
		kt_triage_result_free(s->res);
		kt_error_free(s->err);
		free(s->text);
	}
	free(b->ring);
	free(b->w);
	pthread_cond_destroy(&b->work_cv);
	pthread_cond_destroy(&b->done_cv);
	pthread_mutex_destroy(&b->mu);
	pthread_mutex_destroy(&b->binary_lock);
	free(b);
}
