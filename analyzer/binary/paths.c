// SPDX-License-Identifier: Apache-2.0
/*
 * Source paths as the kernel tree names them (see kt_path_relative in
 * symz.h): the comp_dir prefix and "." components go, as addr2line's paths
 * are cleaned by syzbot.
 */
#include <stdlib.h>
#include <string.h>

#include "kcsan/strbuf.h"
#include "symz.h"

/* Lexical clean-up: "." components dropped. ".." and doubled slashes are
 * kept, as addr2line and syzbot print them ("arch/x86/events/amd/../perf_event.h"). */
static char *path_clean(const char *path)
{
	size_t n = strlen(path);
	char *out = kt_xcalloc(n + 2, 1);
	size_t o = 0;
	const char *p = path;
	bool first = true;

	if (*p == '/') {
		out[o++] = '/';
		p++;
	}
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);

		/* "." goes; an empty component (a doubled slash) stays, as
		 * addr2line prints "asm/trace//hyperv.h". */
		if (!(len == 1 && p[0] == '.')) {
			if (!first)
				out[o++] = '/';
			memcpy(out + o, p, len);
			o += len;
			first = false;
		}
		if (!slash)
			break;
		p = slash + 1;
	}
	out[o] = 0;
	if (o == 0) {
		free(out);
		return kt_xstrdup(path);
	}
	return out;
}

/* path with prefix dir/ removed, or NULL when it is not under dir. */
static const char *under(const char *path, const char *dir, size_t dl)
{
	if (dl > 1 && strncmp(path, dir, dl) == 0 && path[dl] == '/' && path[dl + 1])
		return path + dl + 1;
	return NULL;
}

char *kt_path_relative(const char *path, const char *comp_dir)
{
	char *p = path_clean(path), *c, *r;
	const char *rel;

	if (!comp_dir)
		return p;
	c = path_clean(comp_dir);
	/* Relative names (-fdebug-prefix-map builds) are under a relative
	 * comp_dir the same way. */
	rel = under(p, c, strlen(c));
	if (!rel && p[0] != '/') {
		free(c);
		return p;
	}
	/* Out-of-tree builds (make O=DIR inside the tree, as distributions
	 * do) compile in DIR: the tree is then an ancestor of DIR, up to
	 * three levels up and never a top-level directory. */
	for (int up = 0; !rel && up < 3; up++) {
		char *slash = strrchr(c, '/');

		if (!slash || slash == c)
			break;
		*slash = 0;
		if (!strchr(c + 1, '/'))
			break; /* "/build": too close to the root to be a tree */
		rel = under(p, c, strlen(c));
	}
	r = kt_xstrdup(rel ? rel : p);
	free(p);
	free(c);
	return r;
}
