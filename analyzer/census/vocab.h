/* SPDX-License-Identifier: Apache-2.0 */
/* The census vocabulary, as the analysis looks it up (internal). */
#ifndef KT_CENSUS_VOCAB_H
#define KT_CENSUS_VOCAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kcsan/census.h"

enum cv_class {
	CV_MARK,
	CV_LOCK,
	CV_GUARDCLASS,
	CV_ALLOC,
	CV_FREE,
	CV_PUBLISH,
	CV_OUTPUT,
	CV_TEST,
	CV_DECIDE,
	CV_TRANSPARENT,
	CV_SIZE,
	CV_CONTAINER,
	CV_INIT,
	CV_EXIT,
	CV_NOACCESS,
	CV_SKIP,
	CV_NCLASS
};

enum cv_lockop { CV_ACQUIRE, CV_RELEASE, CV_TRYLOCK, CV_ASSERT, CV_GUARD, CV_SCOPED };

struct cv_entry {
	enum cv_class cls;
	char *name;
	size_t nlen;
	bool prefix; /* NAME* */
	/* marking */
	char *marking;
	bool marked; /* a marking other than plain* */
	bool rmw, write, bittest;
	/* lock lines (and guard classes: mode, field, lockname) */
	enum cv_lockop op;
	char *mode;
	int arg; /* also for free, size, container; -1 none */
	char *field;
	char *lockname;
};

/* The first entry of cls matching the identifier s[0..n), in table order. */
const struct cv_entry *cv_find(const struct kt_census_vocab *v, enum cv_class cls, const char *s,
			       size_t n);
/* Every lock entry of the name (spin_lock_irqsave: the lock and irqs). */
size_t cv_find_locks(const struct kt_census_vocab *v, const char *s, size_t n,
		     const struct cv_entry **out, size_t max);
/* The skip lines (directories not indexed), and a hash of them. */
size_t cv_skips(const struct kt_census_vocab *v, const char *const **out);
uint64_t cv_skips_key(const struct kt_census_vocab *v);

#endif
