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

#include "cache.h"
#include "harness.h"
#include "kcsan/binary.h"
#include "mk.h"
#include "vmlinux_int.h"

static char *symbolize(const char *bin, const struct kt_vmlinux_opts *opts, const char *text,
		       bool *loaded)
{
	struct kt_vmlinux *vm = NULL;
	char *out = NULL;
	size_t len = 0;
	struct kt_error *e = kt_vmlinux_open(bin, opts, &vm);

	CHECK(e == NULL);
	kt_error_free(e);
	if (!vm)
		return NULL;
	if (loaded)
		*loaded = vm->cache && kt_cache_was_loaded(vm->cache);
	FILE *mf = open_memstream(&out, &len);

	e = kt_vmlinux_symbolize_text(vm, text, mf);
	fclose(mf);
	CHECK(e == NULL);
	kt_error_free(e);
	kt_vmlinux_close(vm);
	return out;
}

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
	struct mk_build b;
	char dir[1024], text[4096] = "", file[2048];
	int dots;

	if (!mk_build("cache", "gcc", 5, &b)) {
		printf("SKIP: gcc cannot build the mini kernel\n");
		return 77;
	}
	/* A stack of frames of the mini kernel. */
	{
		static const char *const funcs[] = {"mk_mark_dirty", "mk_lru_add", "mk_tick",
						    "mk_syscall"};

		for (size_t i = 0; i < 4; i++) {
			uint64_t addr, size, offs[8];
			size_t n;

			CHECK(mk_sym(b.bin, funcs[i], 0, &addr, &size));
			n = mk_calls(b.bin, addr, size, "", offs, 8);
			CHECK(n > 0);
			if (n)
				snprintf(text + strlen(text), sizeof(text) - strlen(text),
					 " %s+0x%llx/0x%llx\n", funcs[i],
					 (unsigned long long)offs[0],
					 (unsigned long long)mk_kallsyms_size(b.bin, addr));
		}
	}
	snprintf(dir, sizeof(dir), "%s/cache-test-XXXXXX", b.dir);
	CHECK(mkdtemp(dir) != NULL);

	struct kt_vmlinux_opts off = {.no_cache = true};
	struct kt_vmlinux_opts on = {.cache_dir = dir};
	bool loaded = true;
	char *ref = symbolize(b.bin, &off, text, NULL);

	CHECK(ref && strstr(ref, "mk_inode.c:") != NULL);
	CHECK_INT(count_files(dir, ".idx", &dots), 0);

	/* First run: nothing to load, a file written. */
	char *first = symbolize(b.bin, &on, text, &loaded);

	CHECK(!loaded);
	CHECK_STR(first, ref);
	CHECK_INT(count_files(dir, ".idx", &dots), 1);
	CHECK_INT(dots, 0);

	/* Second run: loaded, same answer. */
	char *second = symbolize(b.bin, &on, text, &loaded);

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
	char *third = symbolize(b.bin, &on, text, &loaded);

	CHECK(!loaded);
	CHECK_STR(third, ref);
	char *fourth = symbolize(b.bin, &on, text, &loaded);

	CHECK(loaded); /* rewritten good by the third run */
	CHECK_STR(fourth, ref);

	/* Garbage and truncation: same. */
	{
		FILE *fp = fopen(file, "wb");

		fputs("KTIDX002 but not really", fp);
		fclose(fp);
	}
	char *fifth = symbolize(b.bin, &on, text, &loaded);

	CHECK(!loaded);
	CHECK_STR(fifth, ref);
	CHECK_INT(count_files(dir, ".idx", &dots), 1);
	CHECK_INT(dots, 0);

	/* A file that verifies but holds wrong CU offsets (an older format,
	 * say): the answer must not change. */
	{
		char *again = symbolize(b.bin, &on, text, &loaded); /* rewrite a good one */
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

		memcpy(&tag, buf + 100, 4);
		memcpy(&count, buf + 104, 8);
		CHECK_INT(tag, 1);
		for (uint64_t i = 0; tag == 1 && i < count && 112 + i * 24 + 24 <= (uint64_t)len;
		     i++) {
			uint64_t bogus = 0x7ffffff0ULL + i;

			memcpy(buf + 112 + i * 24 + 16, &bogus, 8);
		}
		uint64_t h = 0xcbf29ce484222325ULL;

		for (long i = 100; i < len; i++) {
			h ^= buf[i];
			h *= 0x100000001b3ULL;
		}
		memcpy(buf + 92, &h, 8);
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

		CHECK(mk_sym(b.bin, "mk_read_alone", 0, &addr, &size));
		n = mk_calls(b.bin, addr, size, "", offs, 8);
		CHECK(n > 0);
		snprintf(t2, sizeof(t2), " mk_read_alone+0x%llx/0x%llx\n",
			 (unsigned long long)(n ? offs[0] : 1),
			 (unsigned long long)mk_kallsyms_size(b.bin, addr));
		char *want = symbolize(b.bin, &off, t2, NULL);
		char *got = symbolize(b.bin, &on, t2, &loaded);

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
		char *s = symbolize(b.bin, &def, text, &loaded);

		CHECK_STR(s, ref);
		snprintf(sub, sizeof(sub), "%s/kcsan-triage", xdg);
		CHECK_INT(count_files(sub, ".idx", &dots), 1);
		free(s);
		/* --no-cache: nothing read or written there */
		char xdg2[1100], sub2[1200];
		struct kt_vmlinux_opts none = {.no_cache = true};

		snprintf(xdg2, sizeof(xdg2), "%s/xdg2", dir);
		setenv("XDG_CACHE_HOME", xdg2, 1);
		s = symbolize(b.bin, &none, text, &loaded);
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
	snprintf(file, sizeof(file), "rm -rf '%s'", dir);
	CHECK(system(file) == 0);
	return kt_test_done("test_cache");
}
