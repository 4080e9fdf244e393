// SPDX-License-Identifier: Apache-2.0
/*
 * Where the tree defines a function, from the index: a function's
 * definition is a unit (not a macro's) named after it; a scan of the unit
 * records for the name's string id, in both segments.
 */
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "kcsan/strbuf.h"

static bool have_file(char **files, size_t n, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(files[i], path) == 0)
			return true;
	return false;
}

size_t kt_census_function_files(const struct kt_census_index *ix, const char *name, char ***files)
{
	size_t n = 0;

	*files = NULL;
	if (!ix || !name || !*name)
		return 0;
	for (int k = 0; k < 2; k++) {
		const struct seg *s = &ix->seg[k];
		uint32_t id;

		if (!ix->have[k] || (id = seg_find(s, name, strlen(name))) == SEG_NONE)
			continue;
		for (size_t i = 0; i < SEG_N(s, S_UNITS); i++) {
			const struct rec_unit *un = SEG_REC(s, S_UNITS, struct rec_unit, i);
			const char *path;

			if (un->name != id || (un->flags & UNIT_MACRO) || !ix_live(ix, k, un->file))
				continue;
			path = ix_file_path(ix, k, un->file);
			if (!path || !strcmp(path, "?") || have_file(*files, n, path))
				continue;
			*files = kt_xrealloc(*files, (n + 1) * sizeof(**files));
			(*files)[n++] = kt_xstrdup(path);
		}
	}
	return n;
}
