/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Lookups in an argument vector, for the compilation-database tests: the
 * index of an exact argument, and whether one contains or starts with a
 * given text.
 */
#ifndef KT_TESTS_ARGV_MATCH_H
#define KT_TESTS_ARGV_MATCH_H

#include <stdbool.h>
#include <string.h>

#include "kcsan/strbuf.h"

static inline int argv_find(char **argv, int argc, const char *s)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], s) == 0)
			return i;
	return -1;
}

static inline bool argv_has(char **argv, int argc, const char *s)
{
	return argv_find(argv, argc, s) >= 0;
}

static inline bool argv_has_part(char **argv, int argc, const char *part)
{
	for (int i = 0; i < argc; i++)
		if (strstr(argv[i], part))
			return true;
	return false;
}

static inline bool argv_has_prefix(char **argv, int argc, const char *p)
{
	for (int i = 0; i < argc; i++)
		if (kt_str_startswith(argv[i], p))
			return true;
	return false;
}

#endif
