/* SPDX-License-Identifier: Apache-2.0 */
/* The shared KCSAN fixtures: their vmlinux, unpacked once into the build
 * directory, and their reports. */
#ifndef KT_TEST_FIXTURE_H
#define KT_TEST_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

/* Path of the unpacked vmlinux of fixture NAME ("kcsan-6.1",
 * "kcsan-6.12-clang"): KT_BUILD_DIR/NAME-vmlinux, unpacked when missing.
 * NULL (with the reason printed) when the fixture or xz is absent. */
const char *fixture_vmlinux_of(const char *name, char *buf, size_t n);
/* Directory of its reports (KT_SHARED_DIR/fixtures/NAME/reports). */
const char *fixture_reports_of(const char *name, char *buf, size_t n);
/* The same for kcsan-6.1. */
const char *fixture_vmlinux(char *buf, size_t n);
const char *fixture_reports(char *buf, size_t n);
/* Whole file, NUL-terminated; NULL on error. */
char *fixture_slurp(const char *path);
/* Console prefixes "[  6.207078][   T47] " removed from every line. */
char *fixture_strip_prefixes(const char *text);

#endif
