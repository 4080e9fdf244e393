// SPDX-License-Identifier: Apache-2.0
/* The revisions a report names (kt_rev_refs), in the order they are tried. */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "kcsan/triage.h"

/* refs as "from:name,from:name" */
static void refs_of(const char *commit, const char *rel, const char *rel2, char *buf, size_t n)
{
	const char *rels[2] = {rel, rel2};
	struct kt_rev_ref r[KT_REV_REFS_MAX];
	size_t k = kt_rev_refs(commit, rels, 2, r), len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < k && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s:%s", i ? "," : "", r[i].from,
					r[i].name);
}

int main(void)
{
	static const struct {
		const char *commit, *rel, *rel2, *want;
	} cases[] = {
	    {NULL, "6.8.0-syzkaller-08073-g480e035fc4c7", NULL, "report-hash:480e035fc4c7"},
	    {NULL, "6.1.0-rc1-syzkaller-00010-gbb1a1146467a-dirty", NULL,
	     "report-hash:bb1a1146467a"},
	    {NULL, "6.12.0-rc3-next-20241015", NULL, "next-tag:next-20241015"},
	    {NULL, "6.12.0-rc3-next-20241015-syzkaller-g0123456", NULL,
	     "report-hash:0123456,next-tag:next-20241015"},
	    {NULL, "6.8.0", NULL, "release-tag:v6.8"},
	    {NULL, "6.8.0-rc3", NULL, "release-tag:v6.8-rc3"},
	    {NULL, "6.1.111", NULL, "release-tag:v6.1.111"},
	    {NULL, "v5.10", NULL, "release-tag:v5.10"},
	    /* a distribution's kernel, a modified tree, a name: no revision */
	    {NULL, "6.1.0-18-amd64", NULL, ""},
	    {NULL, "6.8.0-rc3+", NULL, ""},
	    {NULL, "6.8.0-syzkaller", NULL, ""},
	    {NULL, "syzkaller", NULL, ""},
	    {NULL, "6.8.0-gxyz", NULL, ""},
	    {NULL, "6.8.0-g12345", NULL, ""},
	    /* a syzbot mail's HEAD commit first, then the release, then a
	     * corpus's column; a repeated one once */
	    {"480e035fc4c7", "6.8.0-syzkaller-08073-g480e035fc4c7", "6.8.0",
	     "head-commit:480e035fc4c7,release-tag:v6.8"},
	    {"480e035fc4c7", NULL, NULL, "head-commit:480e035fc4c7"},
	    {"xyz", NULL, NULL, ""},
	    {NULL, NULL, "5.4.0-rc3-next-20191017", "next-tag:next-20191017"},
	};
	char buf[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		refs_of(cases[i].commit, cases[i].rel, cases[i].rel2, buf, sizeof(buf));
		if (strcmp(buf, cases[i].want) != 0)
			fprintf(stderr, "case %zu: %s\n", i, cases[i].rel ? cases[i].rel : "-");
		CHECK_STR(buf, cases[i].want);
	}
	return kt_test_done("test_rev_refs");
}
