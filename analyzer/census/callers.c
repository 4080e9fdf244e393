// SPDX-License-Identifier: Apache-2.0
/*
 * The locks a static function's callers hold (ana.h): a helper such as
 * `static void d_lru_add(struct dentry *d)` writes under the lock its
 * callers took. A static function is called from its own file only (or
 * through a pointer, then no call is seen and nothing is concluded), so
 * every call in its file is looked at; a call from another static function
 * without the lock counts when that function's own calls hold it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ana.h"

#define MAX_CALLS 64
#define MAX_DEPTH 2 /* its callers, and their callers */

/* The units of file fi in segment s: units are in file order. */
static void file_units(const struct seg *s, uint32_t fi, size_t *lo, size_t *hi)
{
	size_t a = 0, b = SEG_N(s, S_UNITS);

	while (a < b) {
		size_t mid = a + (b - a) / 2;

		if (SEG_REC(s, S_UNITS, struct rec_unit, mid)->file < fi)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	while (b < SEG_N(s, S_UNITS) && SEG_REC(s, S_UNITS, struct rec_unit, b)->file == fi)
		b++;
	*hi = b;
}

static bool counts(const struct held *h)
{
	return strcmp(h->mode, "exclusive") == 0 || strcmp(h->mode, "shared") == 0;
}

static int calls_holding(struct kt_census_index *ix, const char *file, const char *func,
			 const char *lock, char *mode, size_t cap, int depth);

/* The calls of func in one unit: -1 when one does not hold the lock (and
 * the unit is not itself a static function all of whose calls do). */
static int unit_calls(struct kt_census_index *ix, struct fn *f, const char *func, const char *lock,
		      char *mode, size_t cap, int depth)
{
	size_t n = strlen(func);
	int calls = 0;

	for (size_t i = f->body; i + 1 < f->n && calls < MAX_CALLS; i++) {
		struct held h[32];
		size_t nh;
		bool ok = false;

		if (f->t[i].kind != CT_IDENT || f->t[i].len != n ||
		    memcmp(f->buf + f->t[i].off, func, n) != 0 || !ct_is(&f->t[i + 1], '(') ||
		    ct_is(&f->t[i - 1], '.') || ct_is(&f->t[i - 1], P2('-', '>')))
			continue;
		fn_prepare_locks(f);
		nh = fn_held(f, i, h, 32);
		for (size_t k = 0; k < nh && !ok; k++)
			if (counts(&h[k]) && strcmp(h[k].name, lock) == 0) {
				ok = true;
				snprintf(mode, cap, "%s", h[k].mode);
			}
		/* else its own callers may hold it: one level further up */
		if (!ok && (!f->is_static || depth + 1 >= MAX_DEPTH ||
			    calls_holding(ix, f->file, f->name, lock, mode, cap, depth + 1) <= 0))
			return -1;
		calls++;
	}
	return calls;
}

/* Calls of func in file, all holding lock: their number; 0 when none is
 * seen; -1 when one does not hold it. */
static int calls_holding(struct kt_census_index *ix, const char *file, const char *func,
			 const char *lock, char *mode, size_t cap, int depth)
{
	int calls = 0;

	for (int k = 0; k < 2 && calls >= 0; k++) {
		const struct seg *s = &ix->seg[k];
		long fi;
		size_t lo, hi;
		struct cf_file *fd;

		if (!ix->have[k] || (fi = seg_file_find(s, file)) < 0 ||
		    !ix_live(ix, k, (uint32_t)fi))
			continue;
		file_units(s, (uint32_t)fi, &lo, &hi);
		fd = census_open_src(ix, file);
		if (!fd)
			return -1;
		for (size_t i = lo; i < hi && calls >= 0; i++) {
			const struct rec_unit *u = SEG_REC(s, S_UNITS, struct rec_unit, i);
			size_t len = 0;
			char *buf;
			struct fn f;

			if (strcmp(seg_str(s, u->name), func) == 0)
				continue; /* its own recursion says nothing */
			buf = census_read_unit(ix, fd, u, &len);
			if (!buf)
				continue;
			if (memmem(buf, len, func, strlen(func))) {
				if (fn_open(&f, ix, k, u, buf, len, u->start)) {
					int c;

					f.file = file;
					f.name = seg_str(s, u->name);
					c = unit_calls(ix, &f, func, lock, mode, cap, depth);
					calls = c < 0 ? -1 : calls + c;
				}
				fn_close(&f);
			}
			free(buf);
		}
		census_close_src(ix, fd);
	}
	return calls;
}

bool callers_hold(struct kt_census_index *ix, const char *file, const char *func, const char *lock,
		  char *mode, size_t cap)
{
	return calls_holding(ix, file, func, lock, mode, cap, 0) > 0;
}
