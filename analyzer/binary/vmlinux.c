// SPDX-License-Identifier: Apache-2.0
/* Placeholder until the binary layer lands: every call says it is not built. */
#include "kcsan/binary.h"

struct kt_error *kt_vmlinux_open(const char *path, const struct kt_vmlinux_opts *opts,
				 struct kt_vmlinux **out)
{
	*out = NULL;
	return kt_error_new(KT_ERR_UNSUPPORTED, path, 0, "the binary layer is not built yet");
}

void kt_vmlinux_close(struct kt_vmlinux *vm)
{
}

struct kt_error *kt_vmlinux_check_report(struct kt_vmlinux *vm, const struct kt_report *rep)
{
	return kt_error_new(KT_ERR_UNSUPPORTED, NULL, 0, "the binary layer is not built yet");
}

struct kt_error *kt_vmlinux_symbolize_stack(struct kt_vmlinux *vm, const struct kt_access *acc,
					    struct kt_frame **frames_out, size_t *n_out)
{
	*frames_out = NULL;
	*n_out = 0;
	return kt_error_new(KT_ERR_UNSUPPORTED, NULL, 0, "the binary layer is not built yet");
}

struct kt_error *kt_vmlinux_add_facts(struct kt_vmlinux *vm, const struct kt_report *rep,
				      struct kt_facts *facts)
{
	return kt_error_new(KT_ERR_UNSUPPORTED, NULL, 0, "the binary layer is not built yet");
}

struct kt_error *kt_vmlinux_print_symbolized(struct kt_vmlinux *vm, const struct kt_report *rep,
					     FILE *out)
{
	return kt_error_new(KT_ERR_UNSUPPORTED, NULL, 0, "the binary layer is not built yet");
}
