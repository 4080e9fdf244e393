// SPDX-License-Identifier: Apache-2.0
/* Whole console logs into the streaming report reader. */
#include <stdio.h>
#include <stdlib.h>

#include "kcsan/report.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	FILE *fp = fmemopen((void *)data, size ? size : 1, "rb");
	struct kt_reader *rd;
	struct kt_error *err;

	if (!fp)
		return 0;
	if (size == 0) {
		fclose(fp);
		return 0;
	}
	err = kt_reader_new(fp, "fuzz", &rd);
	if (err) {
		kt_error_free(err);
		fclose(fp);
		return 0;
	}
	/* Every call either gives a report, an error, or the end: bounded by
	 * the input, so the loop ends. */
	for (int i = 0; i < 100000; i++) {
		struct kt_report *rep = NULL;
		err = kt_reader_next(rd, &rep);
		if (err) {
			kt_error_free(err);
			continue;
		}
		if (!rep)
			break;
		char *t = kt_title_normalize(rep->bug_line ? rep->bug_line : "");
		free(t);
		kt_report_free(rep);
	}
	kt_reader_free(rd);
	fclose(fp);
	return 0;
}
