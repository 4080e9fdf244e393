/* SPDX-License-Identifier: Apache-2.0 */
/* A file of testdata/parser, whole, for the report reader's tests; exits
 * the test with a message when it cannot be read. Header-only. */
#ifndef KT_TEST_REPORT_PARSER_FILE_H
#define KT_TEST_REPORT_PARSER_FILE_H

#include <stdio.h>
#include <stdlib.h>

#include "kcsan/strbuf.h"

static inline char *slurp(const char *rel)
{
	char path[8192];
	FILE *fp;
	struct kt_strbuf sb;
	char buf[4096];
	size_t n;

	snprintf(path, sizeof(path), "%s/parser/%s", KT_TESTDATA, rel);
	fp = fopen(path, "rb");
	if (!fp) {
		fprintf(stderr, "cannot open %s\n", path);
		exit(1);
	}
	kt_strbuf_init(&sb);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		kt_strbuf_add(&sb, buf, n);
	fclose(fp);
	return kt_strbuf_detach(&sb);
}

#endif
