// SPDX-License-Identifier: Apache-2.0
/*
 * Which kernel tree to read a report against when several are given: the
 * one whose version is nearest the report's kernel. Code drifts both ways
 * (a newer tree has moved lines and renamed helpers; an older one lacks the
 * code the report ran and the annotations and fixes that resolved its race),
 * so the measure is the distance in releases with a tree newer than the
 * report counted one release nearer, a tie going to the newer tree: with
 * Debian's 6.1 and 6.12 trees, kernels up to 6.5 read 6.1 and 6.6 on 6.12.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcsan/strbuf.h"
#include "kcsan/triage.h"

/* Minor releases counted per major number: 3.0-3.19, 4.0-4.20, 5.0-5.19. */
#define MINORS_PER_MAJOR 20

static bool read_uint(const char **p, int *out)
{
	long v = 0;
	const char *s = *p;

	if (!isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s)) {
		v = v * 10 + (*s - '0');
		if (v > 100000)
			return false;
		s++;
	}
	*p = s;
	*out = (int)v;
	return true;
}

bool kt_kernel_version_parse(const char *release, int *major, int *minor)
{
	const char *p = release;
	int ma, mi;

	if (!p)
		return false;
	if (*p == 'v')
		p++;
	if (!read_uint(&p, &ma) || *p != '.')
		return false;
	p++;
	if (!read_uint(&p, &mi))
		return false;
	/* "6.8", "6.8.0-rc3", "5.4.0-rc3+", "6.1.111": what follows the minor
	 * number is a separator, not more of a word ("6.8abc" is no version). */
	if (*p && *p != '.' && *p != '-' && *p != '+' && *p != '_' && *p != ' ')
		return false;
	if (ma < 2 || ma > 99)
		return false;
	*major = ma;
	*minor = mi;
	return true;
}

int kt_version_distance(int major1, int minor1, int major2, int minor2)
{
	int d = (major1 * MINORS_PER_MAJOR + minor1) - (major2 * MINORS_PER_MAJOR + minor2);

	return d < 0 ? -d : d;
}

static int version_cmp(const int a[2], const int b[2])
{
	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	return a[1] < b[1] ? -1 : a[1] > b[1];
}

int kt_tree_distance(int tree_major, int tree_minor, int major, int minor)
{
	int d = kt_version_distance(tree_major, tree_minor, major, minor);
	const int tree[2] = {tree_major, tree_minor}, rep[2] = {major, minor};

	return version_cmp(tree, rep) > 0 ? d - 1 : d;
}

size_t kt_tree_nearest(const int (*versions)[2], size_t n, int major, int minor)
{
	size_t best = 0;
	int bestd = 0;

	for (size_t i = 0; i < n; i++) {
		int d = kt_tree_distance(versions[i][0], versions[i][1], major, minor);

		if (i == 0 || d < bestd ||
		    (d == bestd && version_cmp(versions[i], versions[best]) > 0)) {
			best = i;
			bestd = d;
		}
	}
	return best;
}

/* "VERSION = 6" -> 6; -1 when the line is not that variable. */
static int makefile_var(const char *line, const char *name)
{
	size_t n = strlen(name);
	const char *p = line;
	int v;

	if (strncmp(p, name, n) != 0)
		return -1;
	p += n;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '=')
		return -1;
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!read_uint(&p, &v))
		return -1;
	return v;
}

struct kt_error *kt_tree_version_read(const char *dir, int *major, int *minor, int *sublevel)
{
	struct kt_strbuf path;
	char line[512];
	int v[3] = {-1, -1, -1};
	static const char *const names[3] = {"VERSION", "PATCHLEVEL", "SUBLEVEL"};
	long lineno = 0;
	FILE *fp;
	struct kt_error *err = NULL;

	kt_strbuf_init(&path);
	kt_strbuf_addf(&path, "%s/Makefile", dir);
	fp = fopen(path.buf, "r");
	if (!fp) {
		err = kt_error_new(KT_ERR_IO, path.buf, 0,
				   "cannot read the tree's version: %s (each --src of several "
				   "must be a kernel tree with its top Makefile)",
				   strerror(errno));
		kt_strbuf_fini(&path);
		return err;
	}
	/* The variables sit at the top; stop after a few dozen lines. */
	while (lineno < 64 && fgets(line, sizeof(line), fp)) {
		lineno++;
		for (int i = 0; i < 3; i++)
			if (v[i] < 0)
				v[i] = makefile_var(line, names[i]);
	}
	fclose(fp);
	if (v[0] < 0 || v[1] < 0)
		err = kt_error_new(KT_ERR_PARSE, path.buf, 0,
				   "no VERSION and PATCHLEVEL lines: not a kernel tree's top "
				   "Makefile");
	else {
		*major = v[0];
		*minor = v[1];
		*sublevel = v[2] < 0 ? 0 : v[2];
	}
	kt_strbuf_fini(&path);
	return err;
}
