/* SPDX-License-Identifier: Apache-2.0 */
/* A minimal unit-test harness: CHECK records a failure and goes on, the
 * program exits 1 if anything failed. One executable per test file. */
#ifndef KT_TEST_HARNESS_H
#define KT_TEST_HARNESS_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int kt_test_failures;
static int kt_test_checks;

#define CHECK(cond)                                                                    \
	do {                                                                           \
		kt_test_checks++;                                                      \
		if (!(cond)) {                                                         \
			kt_test_failures++;                                            \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                      \
	} while (0)

#define CHECK_STR(a, b)                                                                \
	do {                                                                           \
		const char *a_ = (a), *b_ = (b);                                       \
		kt_test_checks++;                                                      \
		if (!a_ || !b_ || strcmp(a_, b_) != 0) {                               \
			kt_test_failures++;                                            \
			fprintf(stderr, "%s:%d: CHECK_STR failed: %s = \"%s\", expected \"%s\"\n", \
				__FILE__, __LINE__, #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
		}                                                                      \
	} while (0)

#define CHECK_INT(a, b)                                                                \
	do {                                                                           \
		long long a_ = (long long)(a), b_ = (long long)(b);                    \
		kt_test_checks++;                                                      \
		if (a_ != b_) {                                                        \
			kt_test_failures++;                                            \
			fprintf(stderr, "%s:%d: CHECK_INT failed: %s = %lld, expected %lld\n", \
				__FILE__, __LINE__, #a, a_, b_);                       \
		}                                                                      \
	} while (0)

static inline int kt_test_done(const char *name)
{
	if (kt_test_checks == 0) {
		fprintf(stderr, "%s: no checks ran\n", name);
		return 1;
	}
	printf("%s: %d checks, %d failed\n", name, kt_test_checks, kt_test_failures);
	return kt_test_failures ? 1 : 0;
}

#endif
