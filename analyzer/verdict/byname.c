// SPDX-License-Identifier: Apache-2.0
/*
 * Reports printed without file:line (a console log with no symbolizer
 * run, `func+0x1c/0x80` alone) and no vmlinux to symbolize them: the
 * tree's census index knows where each function is defined, which is what
 * the source stage needs to read a frame by name and body.
 */
#include <stdlib.h>
#include <string.h>

#include "byname.h"
#include "kcsan/strbuf.h"

struct defs {
	char **files;
	size_t n;
};

static void defs_free(struct defs *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < d[i].n; k++)
			free(d[i].files[k]);
		free(d[i].files);
	}
	free(d);
}

static bool defines(const struct defs *d, const char *file)
{
	for (size_t k = 0; k < d->n; k++)
		if (strcmp(d->files[k], file) == 0)
			return true;
	return false;
}

/* The one file of d[i] that a neighbouring frame's function is also
 * defined in (or defined alone in), else NULL. */
static const char *pick(const struct defs *d, size_t n, size_t i)
{
	const char *got = NULL;

	if (d[i].n == 1)
		return d[i].files[0];
	for (size_t k = 0; k < d[i].n; k++) {
		const char *f = d[i].files[k];
		bool near =
		    (i > 0 && defines(&d[i - 1], f)) || (i + 1 < n && defines(&d[i + 1], f));

		if (!near)
			continue;
		if (got)
			return NULL;
		got = f;
	}
	return got;
}

size_t kt_frames_by_name(const struct kt_census_index *ix, const struct kt_access *a,
			 struct kt_frame **out, size_t *nout)
{
	size_t n = a->nframes, given = 0;
	struct defs *d;

	*out = NULL;
	*nout = 0;
	if (!ix || n == 0)
		return 0;
	d = kt_xcalloc(n, sizeof(*d));
	for (size_t i = 0; i < n; i++) {
		const struct kt_frame *f = &a->frames[i];
		char *base;

		if (f->file || !f->func)
			continue;
		base = kt_xstrndup(f->func, strcspn(f->func, "."));
		d[i].n = kt_census_function_files(ix, base, &d[i].files);
		free(base);
	}
	*out = kt_xcalloc(n, sizeof(**out));
	for (size_t i = 0; i < n; i++) {
		const char *file = d[i].n ? pick(d, n, i) : NULL;

		kt_frame_copy(&(*out)[i], &a->frames[i]);
		if (file) {
			(*out)[i].file = kt_xstrdup(file);
			(*out)[i].line = 0;
			given++;
		}
	}
	*nout = n;
	defs_free(d, n);
	if (!given) {
		kt_frames_free(*out, n);
		*out = NULL;
		*nout = 0;
	}
	return given;
}
