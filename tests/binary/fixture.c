// SPDX-License-Identifier: Apache-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"

const char *fixture_reports(char *buf, size_t n)
{
	return fixture_reports_of("kcsan-6.1", buf, n);
}

const char *fixture_vmlinux(char *buf, size_t n)
{
	return fixture_vmlinux_of("kcsan-6.1", buf, n);
}

const char *fixture_reports_of(const char *name, char *buf, size_t n)
{
	snprintf(buf, n, "%s/fixtures/%s/reports", KT_SHARED_DIR, name);
	return buf;
}

const char *fixture_vmlinux_of(const char *name, char *buf, size_t n)
{
	char xz[1024], tmp[1100], cmd[3000];
	struct stat st;
	int fd;

	snprintf(xz, sizeof(xz), "%s/fixtures/%s/vmlinux.xz", KT_SHARED_DIR, name);
	struct stat xst;

	snprintf(buf, n, "%s/%s-vmlinux", KT_BUILD_DIR, name);
	if (stat(xz, &xst) != 0) {
		printf("SKIP: %s is absent (the shared fixtures are not here)\n", xz);
		return NULL;
	}
	/* Reuse the copy of an earlier run unless the fixture is newer. */
	if (stat(buf, &st) == 0 && st.st_size > 0 && st.st_mtime >= xst.st_mtime)
		return buf;
	if (system("command -v xz >/dev/null 2>&1") != 0) {
		printf("SKIP: xz is not installed, cannot unpack %s\n", xz);
		return NULL;
	}
	/* Unpack beside the build, under a fresh name, then rename: a test
	 * run in parallel never sees half a file. */
	snprintf(tmp, sizeof(tmp), "%s/%s-vmlinux.XXXXXX", KT_BUILD_DIR, name);
	fd = mkstemp(tmp);
	if (fd < 0) {
		printf("SKIP: cannot create a file in %s\n", KT_BUILD_DIR);
		return NULL;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "xz -dc '%s' > '%s'", xz, tmp);
	if (system(cmd) != 0 || rename(tmp, buf) != 0) {
		unlink(tmp);
		printf("SKIP: unpacking %s failed\n", xz);
		return NULL;
	}
	return buf;
}

char *fixture_slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long len;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)len + 1);
	if (buf && fread(buf, 1, (size_t)len, fp) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[len] = 0;
	fclose(fp);
	return buf;
}

char *fixture_strip_prefixes(const char *text)
{
	size_t n = strlen(text);
	char *out = malloc(n + 1), *o = out;
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
		const char *q = p;

		/* "[ time][ caller] " */
		for (int k = 0; k < 2 && *q == '['; k++) {
			const char *c = memchr(q, ']', len - (size_t)(q - p));

			if (!c)
				break;
			q = c + 1;
		}
		if (q != p && *q == ' ')
			q++;
		memcpy(o, q, len - (size_t)(q - p));
		o += len - (size_t)(q - p);
		p += len;
	}
	*o = 0;
	return out;
}
