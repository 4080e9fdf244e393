// SPDX-License-Identifier: Apache-2.0
/* Placeholder: replaced by the report parser. */
#include <stdlib.h>
#include "kcsan/report.h"

void kt_report_free(struct kt_report *rep)
{
	free(rep);
}

void kt_frames_free(struct kt_frame *frames, size_t n)
{
	free(frames);
}

void kt_frame_copy(struct kt_frame *dst, const struct kt_frame *src)
{
	*dst = *src;
}

const char *kt_access_op_name(enum kt_access_op op)
{
	return "read";
}

bool kt_access_is_write(const struct kt_access *a)
{
	return false;
}

struct kt_error *kt_reader_new(FILE *fp, const char *name, struct kt_reader **out)
{
	*out = NULL;
	return kt_error_new(KT_ERR_UNSUPPORTED, name, 0, "parser not built");
}

void kt_reader_free(struct kt_reader *rd)
{
}

struct kt_error *kt_reader_next(struct kt_reader *rd, struct kt_report **out)
{
	*out = NULL;
	return NULL;
}

struct kt_error *kt_report_parse_string(const char *text, const char *name,
					struct kt_report **out)
{
	*out = NULL;
	return kt_error_new(KT_ERR_UNSUPPORTED, name, 0, "parser not built");
}
