// SPDX-License-Identifier: Apache-2.0
/* Placeholder: replaced by the title normalizer. */
#include "kcsan/report.h"
#include "kcsan/strbuf.h"

char *kt_title_normalize(const char *bug_line)
{
	return kt_xstrdup(bug_line);
}
