// SPDX-License-Identifier: Apache-2.0
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	struct worker *by; /* the worker that classified it */
};

/* A result and its text after emit, back to the worker whose thread
 * allocated them: freed there, a block returns to its own arena instead of
 * costing the submitting thread a lock on another's. */
struct garbage {
	struct kt_triage_result *res;
	char *text;
};

/* Reports pending before an idle worker is woken (the window is larger);
 * fewer are taken by an idle worker within IDLE_POLL_MS, so that a report
 * followed by a long wait for input (a log being written) is not held. */
#define WAKE_AFTER   8
#define IDLE_POLL_MS 20

/* Frame functions of the reports a worker read last: a report that shares
 * one reads the same translation units, which the worker has parsed. */
#define AFFINITY_NAMES	64
#define AFFINITY_FRAMES 4

struct worker {
	struct kt_batch *b;
	struct kt_triage *t;
	pthread_t thread;
	bool started;
	char *names[AFFINITY_NAMES]; /* a ring; owned */
	size_t nnames;
	struct garbage *trash; /* emitted, to free on this thread */
	size_t ntrash, captrash;
};

/* Frees what emit left for w; called on w's thread without the lock, with
 * the list it took under the lock. */
static void empty_trash(struct garbage *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		kt_triage_result_free(g[i].res);
		free(g[i].text);
	}
	free(g);
}

struct kt_batch {
	pthread_mutex_t mu;
	pthread_mutex_t binary_lock; /* the workers' binary stages, one at a time */
	pthread_mutex_t census_lock; /* the workers' census index opens, one at a time */
	pthread_cond_t work_cv, done_cv;
	struct slot *ring;
	size_t window;
	size_t head, next, tail; /* emitted < head <= next (taken) <= tail (submitted) */
	bool stop;
	int idle;	      /* workers waiting on work_cv */
	bool submitter_waits; /* the submitting thread waits on done_cv */
	struct worker *w;
	int nworkers;
	bool parses; /* a source stage: send reports of the same code to one worker */
	kt_batch_render_fn render;
	kt_batch_emit_fn emit;
	void *ctx;
};

/* How many of the report's innermost frame functions the worker has read. */
static unsigned affinity(const struct worker *w, const struct kt_report *rep)
{
	unsigned score = 0;
	size_t n = w->nnames < AFFINITY_NAMES ? w->nnames : AFFINITY_NAMES;

	for (size_t a = 0; a < rep->naccess && a < 2; a++)
		for (size_t f = 0; f < rep->access[a].nframes && f < AFFINITY_FRAMES; f++)
			for (size_t i = 0; i < n; i++)
				if (rep->access[a].frames[f].func && w->names[i] &&
				    strcmp(w->names[i], rep->access[a].frames[f].func) == 0) {
					score++;
					break;
				}
	return score;
}

static void remember(struct worker *w, const struct kt_report *rep)
{
	for (size_t a = 0; a < rep->naccess && a < 2; a++)
		for (size_t f = 0; f < rep->access[a].nframes && f < AFFINITY_FRAMES; f++) {
			char **slot;

			if (!rep->access[a].frames[f].func)
				continue;
			slot = &w->names[w->nnames++ % AFFINITY_NAMES];
			free(*slot);
			*slot = kt_xstrdup(rep->access[a].frames[f].func);
		}
}

/*
 * The pending report this worker takes: the first one sharing a frame
 * function with what it read last, else the oldest. With more than one
 * worker, reports of the same code go to the worker that parsed it rather
 * than to both. Called with the lock held; next stays the oldest pending.
 */
static struct slot *take(struct kt_batch *b, struct worker *w)
{
	size_t pick = b->next;
	struct slot *s;

	for (size_t i = b->next; b->parses && w->nnames && i < b->tail; i++) {
		struct slot *c = &b->ring[i % b->window];

		if (c->state == SLOT_PENDING && affinity(w, c->rep) > 0) {
			pick = i;
			break;
		}
	}
	s = &b->ring[pick % b->window];
	s->state = SLOT_RUNNING;
	while (b->next < b->tail && b->ring[b->next % b->window].state != SLOT_PENDING)
		b->next++;
	return s;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct kt_batch *b = w->b;

	pthread_mutex_lock(&b->mu);
	for (;;) {
		while (b->next == b->tail && !b->stop) {
			struct timespec until;

			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += IDLE_POLL_MS * 1000000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			b->idle++;
			pthread_cond_timedwait(&b->work_cv, &b->mu, &until);
			b->idle--;
		}
		if (b->next == b->tail && b->stop)
			break;
		struct slot *s = take(b, w);
		struct garbage *g = w->trash;
		size_t ng = w->ntrash;

		w->trash = NULL;
		w->ntrash = w->captrash = 0;
		s->by = w;
		if (b->parses)
			remember(w, s->rep);
		pthread_mutex_unlock(&b->mu);
		empty_trash(g, ng);
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
		/* a wake-up per report would cost more than a report-only
		 * classification: only when the submitter sleeps */
		if (b->submitter_waits)
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
	b->parses = nworkers > 1 && (opts->src_dir || opts->nsrc_dirs);
	b->window = (size_t)nworkers * 16;
	b->ring = kt_xcalloc(b->window, sizeof(*b->ring));
	b->w = kt_xcalloc((size_t)nworkers, sizeof(*b->w));
	b->render = render;
	b->emit = emit;
	b->ctx = ctx;
	pthread_mutex_init(&b->binary_lock, NULL);
	pthread_mutex_init(&b->census_lock, NULL);
	for (int i = 0; i < nworkers && !err; i++) {
		struct kt_triage_opts wo = *opts;

		wo.binary_lock = nworkers > 1 ? &b->binary_lock : NULL;
		wo.census_lock = nworkers > 1 ? &b->census_lock : NULL;
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
		if (s.by && (s.res || s.text)) {
			struct worker *w = s.by;

			if (w->ntrash == w->captrash) {
				w->captrash = w->captrash ? 2 * w->captrash : 64;
				w->trash = kt_xrealloc(w->trash, w->captrash * sizeof(*w->trash));
			}
			w->trash[w->ntrash++] = (struct garbage){s.res, s.text};
		}
	}
}

void kt_batch_submit(struct kt_batch *b, struct kt_report *rep)
{
	pthread_mutex_lock(&b->mu);
	drain(b);
	while (b->tail - b->head == b->window) {
		b->submitter_waits = true;
		pthread_cond_wait(&b->done_cv, &b->mu);
		b->submitter_waits = false;
		drain(b);
	}
	struct slot *s = &b->ring[b->tail++ % b->window];
	s->state = SLOT_PENDING;
	s->rep = rep;
	/* wake an idle worker once a few reports wait, not for each: a
	 * wake-up costs more than classifying a report from its text */
	if (b->idle && b->tail - b->next >= WAKE_AFTER)
		pthread_cond_signal(&b->work_cv);
	pthread_mutex_unlock(&b->mu);
}

void kt_batch_finish(struct kt_batch *b)
{
	pthread_mutex_lock(&b->mu);
	pthread_cond_broadcast(&b->work_cv);
	while (b->head < b->tail) {
		drain(b);
		if (b->head < b->tail) {
			b->submitter_waits = true;
			pthread_cond_wait(&b->done_cv, &b->mu);
			b->submitter_waits = false;
		}
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
		empty_trash(b->w[i].trash, b->w[i].ntrash);
		for (size_t k = 0; k < AFFINITY_NAMES; k++)
			free(b->w[i].names[k]);
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
	pthread_mutex_destroy(&b->census_lock);
	free(b);
}
