// SPDX-License-Identifier: Apache-2.0
/* Placeholder until the source layer lands: every call says it is not built. */
#include "kcsan/source.h"

struct kt_error *kt_source_open(const struct kt_source_opts *opts, struct kt_source **out)
{
	*out = NULL;
	return kt_error_new(KT_ERR_UNSUPPORTED, opts->src_dir, 0,
			    "the source layer is not built yet");
}

void kt_source_close(struct kt_source *src)
{
}

struct kt_error *kt_source_add_facts(struct kt_source *src, const struct kt_report *rep,
				     const struct kt_frame *const stacks[2],
				     const size_t nframes[2], struct kt_facts *facts)
{
	return kt_error_new(KT_ERR_UNSUPPORTED, NULL, 0, "the source layer is not built yet");
}
