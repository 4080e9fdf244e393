/* SPDX-License-Identifier: Apache-2.0 */
/* The shared KCSAN 6.1 fixture: its vmlinux, unpacked once into the build
 * directory, and its reports. */
#ifndef KT_TEST_FIXTURE_H
#define KT_TEST_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

/* Path of the unpacked vmlinux (KT_BUILD_DIR/kcsan-6.1-vmlinux), unpacking
 * it when missing. NULL (with the reason printed) when the fixture or xz is
 * absent. */
const char *fixture_vmlinux(char *buf, size_t n);
/* Directory of the fixture's reports (KT_SHARED_DIR/fixtures/kcsan-6.1/reports). */
const char *fixture_reports(char *buf, size_t n);
/* Whole file, NUL-terminated; NULL on error. */
char *fixture_slurp(const char *path);
/* Console prefixes "[  6.207078][   T47] " removed from every line. */
char *fixture_strip_prefixes(const char *text);

#endif
