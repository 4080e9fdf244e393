// SPDX-License-Identifier: Apache-2.0
/* An LLM verdict file (assessment page text or JSON) into kt_llm_read: the
 * input is written to an anonymous memory file and read by its /proc path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kcsan/crosscheck.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	int fd = memfd_create("fuzz-llm", MFD_CLOEXEC);
	char path[64];
	struct kt_llm_verdict *v = NULL;
	struct kt_error *err;
	size_t done = 0;

	if (fd < 0)
		abort();
	while (done < size) {
		ssize_t w = write(fd, data + done, size - done);

		if (w <= 0)
			abort();
		done += (size_t)w;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	err = kt_llm_read(path, &v);
	if (err) {
		if (v || !err->msg || !*err->msg)
			abort();
		kt_error_free(err);
	} else {
		/* Whatever was kept is a string that ends. */
		size_t n = strlen(v->path);

		if (v->explanation)
			n += strlen(v->explanation);
		if (v->title)
			n += strlen(v->title);
		if (v->report_text)
			n += strlen(v->report_text);
		if (v->confident < -1 || v->confident > 1 || n == 0)
			abort();
		kt_llm_verdict_free(v);
	}
	close(fd);
	return 0;
}
