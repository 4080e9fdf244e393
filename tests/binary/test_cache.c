// SPDX-License-Identifier: Apache-2.0
/*
 * The index cache on the mini kernel: written on the first run, used on the
 * second with the same answers, a tampered file detected and rebuilt, the
 * default location under $XDG_CACHE_HOME, --no-cache writing nothing, and no
 * temporary file left behind.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache_fixture.h"
#include "harness.h"

static int count_files(const char *dir, const char *suffix, int *dotfiles)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	*dotfiles = 0;
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (de->d_name[0] == '.' && strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			(*dotfiles)++;
		else if (l > strlen(suffix) && strcmp(de->d_name + l - strlen(suffix), suffix) == 0)
			n++;
	}
	closedir(d);
	return n;
}

int main(void)
{
	/* A stack of frames of the mini kernel. */
	static const char *const funcs[] = {"mk_mark_dirty", "mk_lru_add", "mk_tick", "mk_syscall"};
	struct cache_fixture fx;
	char file[2048];
	int dots;

	if (!cf_setup(&fx, "cache", "cache-test", funcs, sizeof(funcs) / sizeof(funcs[0])))
		return 77;

	const char *bin = fx.b.bin, *dir = fx.dir, *text = fx.text;
	struct kt_vmlinux_opts off = {.no_cache = true};
	struct kt_vmlinux_opts on = {.cache_dir = dir};
	bool loaded = true;
	char *ref = cf_symbolize(bin, &off, text, NULL);

	CHECK(ref && strstr(ref, "mk_inode.c:") != NULL);
	CHECK_INT(count_files(dir, ".idx", &dots), 0);

	/* First run: nothing to load, a file written. */
	char *first = cf_symbolize(bin, &on, text, &loaded);

	CHECK(!loaded);
	CHECK_STR(first, ref);
	CHECK_INT(count_files(dir, ".idx", &dots), 1);
	CHECK_INT(dots, 0);

	/* Second run: loaded, same answer. */
	char *second = cf_symbolize(bin, &on, text, &loaded);

	CHECK(loaded);
	CHECK_STR(second, ref);

	/* Tamper with a byte of the payload: detected, ignored, rebuilt. */
	DIR *d = opendir(dir);
	struct dirent *de;

	while ((de = readdir(d)))
		if (strstr(de->d_name, ".idx") && de->d_name[0] != '.')
			snprintf(file, sizeof(file), "%s/%s", dir, de->d_name);
	closedir(d);
	{
		FILE *fp = fopen(file, "r+b");
		long len;

		CHECK(fp != NULL);
		fseek(fp, 0, SEEK_END);
		len = ftell(fp);
		fseek(fp, len - 3, SEEK_SET);
		int ch = fgetc(fp);

		fseek(fp, len - 3, SEEK_SET);
		fputc(ch ^ 0x5a, fp);
		fclose(fp);
	}
	char *third = cf_symbolize(bin, &on, text, &loaded);

	CHECK(!loaded);
	CHECK_STR(third, ref);
	char *fourth = cf_symbolize(bin, &on, text, &loaded);

	CHECK(loaded); /* rewritten good by the third run */
	CHECK_STR(fourth, ref);

	/* Garbage and truncation: same. */
	{
		FILE *fp = fopen(file, "wb");

		fputs("KTIDX003 but not really", fp);
		fclose(fp);
	}
	char *fifth = cf_symbolize(bin, &on, text, &loaded);

	CHECK(!loaded);
	CHECK_STR(fifth, ref);
	CHECK_INT(count_files(dir, ".idx", &dots), 1);
	CHECK_INT(dots, 0);

	/* A file that verifies but holds wrong CU offsets (an older format,
	 * say): the answer must not change. */
	{
		char *again = cf_symbolize(bin, &on, text, &loaded); /* rewrite a good one */
		FILE *fp = fopen(file, "r+b");
		unsigned char *buf;
		long len;

		free(again);
		CHECK(fp != NULL);
		fseek(fp, 0, SEEK_END);
		len = ftell(fp);
		fseek(fp, 0, SEEK_SET);
		buf = malloc((size_t)len);
		CHECK(fread(buf, 1, (size_t)len, fp) == (size_t)len);
		uint32_t tag;
		uint64_t count;

		memcpy(&tag, buf + CF_HDR, 4);
		memcpy(&count, buf + CF_HDR + 4, 8);
		CHECK_INT(tag, 1);
		for (uint64_t i = 0;
		     tag == 1 && i < count && CF_HDR + 12 + i * 24 + 24 <= (uint64_t)len; i++) {
			uint64_t bogus = 0x7ffffff0ULL + i;

			memcpy(buf + CF_HDR + 12 + i * 24 + 16, &bogus, 8);
		}
		uint64_t h = cf_fnv1a(buf + CF_HDR, (size_t)(len - CF_HDR));

		memcpy(buf + CF_OFF_CHECKSUM, &h, 8);
		fseek(fp, 0, SEEK_SET);
		CHECK(fwrite(buf, 1, (size_t)len, fp) == (size_t)len);
		fclose(fp);
		free(buf);
	}
	{
		/* a fresh PC set through the damaged ranges */
		char t2[512];
		uint64_t addr, size, offs[8];
		size_t n;

		CHECK(mk_sym(bin, "mk_read_alone", 0, &addr, &size));
		n = mk_calls(bin, addr, size, "", offs, 8);
		CHECK(n > 0);
		snprintf(t2, sizeof(t2), " mk_read_alone+0x%llx/0x%llx\n",
			 (unsigned long long)(n ? offs[0] : 1),
			 (unsigned long long)mk_kallsyms_size(bin, addr));
		char *want = cf_symbolize(bin, &off, t2, NULL);
		char *got = cf_symbolize(bin, &on, t2, &loaded);

		CHECK_STR(got, want);
		CHECK(strstr(got, "mk_inode.c:") != NULL);
		free(want);
		free(got);
	}

	/* Default location: $XDG_CACHE_HOME/kcsan-triage. */
	{
		char xdg[1100], sub[1200];
		struct kt_vmlinux_opts def = {0};

		snprintf(xdg, sizeof(xdg), "%s/xdg", dir);
		setenv("XDG_CACHE_HOME", xdg, 1);
		char *s = cf_symbolize(bin, &def, text, &loaded);

		CHECK_STR(s, ref);
		snprintf(sub, sizeof(sub), "%s/kcsan-triage", xdg);
		CHECK_INT(count_files(sub, ".idx", &dots), 1);
		free(s);
		/* --no-cache: nothing read or written there */
		char xdg2[1100], sub2[1200];
		struct kt_vmlinux_opts none = {.no_cache = true};

		snprintf(xdg2, sizeof(xdg2), "%s/xdg2", dir);
		setenv("XDG_CACHE_HOME", xdg2, 1);
		s = cf_symbolize(bin, &none, text, &loaded);
		CHECK_STR(s, ref);
		CHECK(!loaded);
		snprintf(sub2, sizeof(sub2), "%s/kcsan-triage", xdg2);
		CHECK_INT(count_files(sub2, ".idx", &dots), -1); /* not even created */
		free(s);
		unsetenv("XDG_CACHE_HOME");
	}
	free(ref);
	free(first);
	free(second);
	free(third);
	free(fourth);
	free(fifth);
	cf_cleanup(&fx);
	return kt_test_done("test_cache");
}
