/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Structure-aware mutation of KCSAN reports where the source stage looks:
 * the frames' functions, files, lines, modules and inline chains, the
 * stacks' order and length, the report's kernel release. A mutated report
 * is written back in syzbot's symbolized layout (srcmut_write) and read again
 * by the report parser, so that what is classified is exactly the text kept
 * as a reproducer.
 */
#ifndef KT_FUZZ_SRCMUT_H
#define KT_FUZZ_SRCMUT_H

#include <stddef.h>
#include <stdint.h>

#include "kcsan/report.h"
#include "kcsan/strbuf.h"

/* splitmix64: deterministic from its seed */
struct srcmut_rng {
	uint64_t s;
};

uint64_t srcmut_next(struct srcmut_rng *r);
/* uniform in [0, n) (n > 0) */
size_t srcmut_below(struct srcmut_rng *r, size_t n);

/* What the mutations draw from: every function, file and module name of the
 * seed reports. */
struct srcmut_pool {
	char **funcs, **files, **headers, **modules;
	size_t nfuncs, nfiles, nheaders, nmodules;
};

void srcmut_pool_add(struct srcmut_pool *p, const struct kt_report *rep);
void srcmut_pool_fini(struct srcmut_pool *p);

/* Applies 1 to 4 mutations to rep (its frames, owned by rep); names the
 * mutations applied in what (comma-separated). */
void srcmut_mutate(struct kt_report *rep, const struct srcmut_pool *p, struct srcmut_rng *r,
		   struct kt_strbuf *what);

/* rep as a symbolized report (title, accesses, value change, trailer). */
void srcmut_write(const struct kt_report *rep, struct kt_strbuf *out);

#endif
