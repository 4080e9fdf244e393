// SPDX-License-Identifier: Apache-2.0
/*
 * Choosing among several kernel trees: kernel releases as reports print
 * them, tree versions from a top Makefile, and the nearest tree (plain
 * distance in releases, a tie to the older tree).
 */
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "kcsan/triage.h"

static void check_version(const char *release, int major, int minor)
{
	int ma = -1, mi = -1;
	bool ok = kt_kernel_version_parse(release, &ma, &mi);

	if (!ok || ma != major || mi != minor)
		fprintf(stderr, "'%s': got %d %d.%d, expected %d.%d\n", release, ok, ma, mi, major,
			minor);
	CHECK(ok);
	CHECK_INT(ma, major);
	CHECK_INT(mi, minor);
}

static void check_no_version(const char *release)
{
	int ma = -1, mi = -1;

	if (kt_kernel_version_parse(release, &ma, &mi))
		fprintf(stderr, "'%s' read as %d.%d\n", release ? release : "(null)", ma, mi);
	CHECK(!kt_kernel_version_parse(release, &ma, &mi));
}

static void test_parse(void)
{
	check_version("6.8.0-syzkaller-08073-g480e035fc4c7", 6, 8);
	check_version("5.4.0-rc3+", 5, 4);
	check_version("6.1.111", 6, 1);
	check_version("6.12", 6, 12);
	check_version("v6.15-rc1", 6, 15);
	check_version("5.10.0-rc6-next-20201201", 5, 10);
	check_version("6.3.0-rc7-02330-gca6270c12e20", 6, 3);
	check_no_version("syzkaller");
	check_no_version("#0");
	check_no_version("fix:f0842bb3d388");
	check_no_version("35fd7a637c42");
	check_no_version("upstream");
	check_no_version("6");
	check_no_version("6.x");
	check_no_version("");
	check_no_version(NULL);
}

/* The Debian trees: 6.1 and 6.12. */
static const int debian[2][2] = {{6, 1}, {6, 12}};

static size_t pick(const int (*v)[2], size_t n, const char *release)
{
	int ma = 0, mi = 0;

	CHECK(kt_kernel_version_parse(release, &ma, &mi));
	return kt_tree_nearest(v, n, ma, mi);
}

static void test_nearest(void)
{
	static const int reversed[2][2] = {{6, 12}, {6, 1}};
	static const int tie[2][2] = {{6, 11}, {6, 1}};
	static const int three[3][2] = {{5, 10}, {6, 1}, {6, 12}};

	CHECK_INT(kt_version_distance(5, 19, 6, 0), 1);
	CHECK_INT(kt_version_distance(6, 1, 6, 12), 11);
	CHECK_INT(kt_version_distance(6, 12, 6, 1), 11);
	CHECK_INT(kt_version_distance(5, 4, 6, 1), 17);

	CHECK_INT(pick(debian, 2, "5.4.0-rc3+"), 0);
	CHECK_INT(pick(debian, 2, "5.13.0-syzkaller"), 0);
	CHECK_INT(pick(debian, 2, "6.1.0-rc1-syzkaller"), 0);
	CHECK_INT(pick(debian, 2, "6.5.0-rc6+"), 0);
	/* 6.6 is 5 releases from 6.1 and 6 from 6.12, which is newer: 5 */
	CHECK_INT(kt_tree_distance(6, 12, 6, 6), 5);
	CHECK_INT(kt_tree_distance(6, 1, 6, 6), 5);
	CHECK_INT(kt_tree_distance(6, 1, 6, 1), 0);
	CHECK_INT(pick(debian, 2, "6.6.0"), 1);
	CHECK_INT(pick(debian, 2, "6.7.0"), 1);
	CHECK_INT(pick(debian, 2, "6.8.0-syzkaller-08073-g480e035fc4c7"), 1);
	CHECK_INT(pick(debian, 2, "6.12.0-rc7-syzkaller"), 1);
	CHECK_INT(pick(debian, 2, "6.19.0"), 1);
	/* The order the trees are given in does not matter. */
	CHECK_INT(pick(reversed, 2, "6.5.0"), 1);
	CHECK_INT(pick(reversed, 2, "6.8.0"), 0);
	/* A tie goes to the newer tree, wherever it is in the list: 6.6 is
	 * 5 from 6.1 and 5 from 6.11 (newer), 6.5 is 4 from 6.1 and 5 from 6.11. */
	CHECK_INT(pick(tie, 2, "6.6.0"), 0);
	CHECK_INT(pick(tie, 2, "6.5.0"), 1);
	CHECK_INT(pick(three, 3, "5.4.0"), 0);
	CHECK_INT(pick(three, 3, "5.19.0"), 1);
	CHECK_INT(pick(three, 3, "6.9.0"), 2);
	CHECK_INT(pick(debian, 1, "6.19.0"), 0);
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	CHECK(fp != NULL);
	if (!fp)
		return;
	fputs(text, fp);
	fclose(fp);
}

static void test_makefile(void)
{
	char dir[] = "/tmp/kt-trees.XXXXXX";
	char path[256];
	int ma = 0, mi = 0, sub = -1;
	struct kt_error *err;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/Makefile", dir);

	/* No Makefile: an error naming the file. */
	err = kt_tree_version_read(dir, &ma, &mi, &sub);
	CHECK(err != NULL);
	if (err) {
		char *m = kt_error_format(err);
		CHECK(strstr(m, "/Makefile") != NULL);
		free(m);
		kt_error_free(err);
	}

	write_file(path, "# SPDX-License-Identifier: GPL-2.0\nVERSION = 6\nPATCHLEVEL = 12\n"
			 "SUBLEVEL = 118\nEXTRAVERSION =\nNAME = Baby Opossum Posse\n");
	err = kt_tree_version_read(dir, &ma, &mi, &sub);
	CHECK(err == NULL);
	kt_error_free(err);
	CHECK_INT(ma, 6);
	CHECK_INT(mi, 12);
	CHECK_INT(sub, 118);

	/* A Makefile that is not a kernel's. */
	write_file(path, "all:\n\techo VERSION = 6\nPATCHLEVELS = 3\n");
	err = kt_tree_version_read(dir, &ma, &mi, &sub);
	CHECK(err != NULL);
	if (err) {
		char *m = kt_error_format(err);
		CHECK(strstr(m, "VERSION") != NULL);
		free(m);
		kt_error_free(err);
	}
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	test_parse();
	test_nearest();
	test_makefile();
	return kt_test_done("test_trees");
}
