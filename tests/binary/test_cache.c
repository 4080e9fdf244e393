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

/* What every case needs: the mini kernel, its frames, the answer without a
 * cache, both sets of options and the entry's file. */
struct cache_run {
	const char *bin, *dir, *text;
	const char *ref;
	struct kt_vmlinux_opts off, on;
	char file[2048];
};

/* The only entry of the cache directory (not a temporary dot file). */
static void find_entry(struct cache_run *c)
{
	DIR *d = opendir(c->dir);
	struct dirent *de;

	while ((de = readdir(d)))
		if (strstr(de->d_name, ".idx") && de->d_name[0] != '.')
			snprintf(c->file, sizeof(c->file), "%s/%s", c->dir, de->d_name);
	closedir(d);
}

/* Tamper with a byte of the payload: detected, ignored, rebuilt. */
static void tampered_byte(struct cache_run *c)
{
	bool loaded = true;
	char *third, *fourth;
	FILE *fp;
	long len;

	find_entry(c);
	fp = fopen(c->file, "r+b");
	CHECK(fp != NULL);
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	fseek(fp, len - 3, SEEK_SET);
	int ch = fgetc(fp);

	fseek(fp, len - 3, SEEK_SET);
	fputc(ch ^ 0x5a, fp);
	fclose(fp);
	third = cf_symbolize(c->bin, &c->on, c->text, &loaded);
	CHECK(!loaded);
	CHECK_STR(third, c->ref);
	fourth = cf_symbolize(c->bin, &c->on, c->text, &loaded);
	CHECK(loaded); /* rewritten good by the third run */
	CHECK_STR(fourth, c->ref);
	free(third);
	free(fourth);
}

/* Garbage and truncation: same. */
static void garbage_entry(const struct cache_run *c)
{
	FILE *fp = fopen(c->file, "wb");
	bool loaded = true;
	char *fifth;
	int dots;

	fputs("KTIDX003 but not really", fp);
	fclose(fp);
	fifth = cf_symbolize(c->bin, &c->on, c->text, &loaded);
	CHECK(!loaded);
	CHECK_STR(fifth, c->ref);
	CHECK_INT(count_files(c->dir, ".idx", &dots), 1);
	CHECK_INT(dots, 0);
	free(fifth);
}

/* A file that verifies but holds wrong CU offsets (an older format,
 * say): the answer must not change. */
static void wrong_cu_offsets(const struct cache_run *c)
{
	bool loaded = true;
	char *again = cf_symbolize(c->bin, &c->on, c->text, &loaded); /* rewrite a good one */
	FILE *fp = fopen(c->file, "r+b");
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
	for (uint64_t i = 0; tag == 1 && i < count && CF_HDR + 12 + i * 24 + 24 <= (uint64_t)len;
	     i++) {
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

/* A fresh PC set through the damaged ranges of wrong_cu_offsets: the same
 * answer as without the cache. */
static void fresh_pc_through_damage(const struct cache_run *c)
{
	char t2[512];
	uint64_t addr, size, offs[8];
	size_t n;
	bool loaded = true;

	CHECK(mk_sym(c->bin, "mk_read_alone", 0, &addr, &size));
	n = mk_calls(c->bin, addr, size, "", offs, 8);
	CHECK(n > 0);
	snprintf(t2, sizeof(t2), " mk_read_alone+0x%llx/0x%llx\n",
		 (unsigned long long)(n ? offs[0] : 1),
		 (unsigned long long)mk_kallsyms_size(c->bin, addr));
	char *want = cf_symbolize(c->bin, &c->off, t2, NULL);
	char *got = cf_symbolize(c->bin, &c->on, t2, &loaded);

	CHECK_STR(got, want);
	CHECK(strstr(got, "mk_inode.c:") != NULL);
	free(want);
	free(got);
}

/* Default location: $XDG_CACHE_HOME/kcsan-triage; --no-cache: nothing read
 * or written there. */
static void default_location(const struct cache_run *c)
{
	char xdg[1100], sub[1200];
	struct kt_vmlinux_opts def = {0};
	bool loaded = true;
	int dots;

	snprintf(xdg, sizeof(xdg), "%s/xdg", c->dir);
	setenv("XDG_CACHE_HOME", xdg, 1);
	char *s = cf_symbolize(c->bin, &def, c->text, &loaded);

	CHECK_STR(s, c->ref);
	snprintf(sub, sizeof(sub), "%s/kcsan-triage", xdg);
	CHECK_INT(count_files(sub, ".idx", &dots), 1);
	free(s);
	/* --no-cache: nothing read or written there */
	char xdg2[1100], sub2[1200];
	struct kt_vmlinux_opts none = {.no_cache = true};

	snprintf(xdg2, sizeof(xdg2), "%s/xdg2", c->dir);
	setenv("XDG_CACHE_HOME", xdg2, 1);
	s = cf_symbolize(c->bin, &none, c->text, &loaded);
	CHECK_STR(s, c->ref);
	CHECK(!loaded);
	snprintf(sub2, sizeof(sub2), "%s/kcsan-triage", xdg2);
	CHECK_INT(count_files(sub2, ".idx", &dots), -1); /* not even created */
	free(s);
	unsetenv("XDG_CACHE_HOME");
}

int main(void)
{
	/* A stack of frames of the mini kernel. */
	static const char *const funcs[] = {"mk_mark_dirty", "mk_lru_add", "mk_tick", "mk_syscall"};
	struct cache_fixture fx;
	int dots;

	if (!cf_setup(&fx, "cache", "cache-test", funcs, sizeof(funcs) / sizeof(funcs[0])))
		return 77;

	struct cache_run c = {.bin = fx.b.bin,
			      .dir = fx.dir,
			      .text = fx.text,
			      .off = {.no_cache = true},
			      .on = {.cache_dir = fx.dir}};
	bool loaded = true;
	char *ref = cf_symbolize(c.bin, &c.off, c.text, NULL);
	char *first, *second;

	c.ref = ref;
	CHECK(ref && strstr(ref, "mk_inode.c:") != NULL);
	CHECK_INT(count_files(c.dir, ".idx", &dots), 0);

	/* First run: nothing to load, a file written. */
	first = cf_symbolize(c.bin, &c.on, c.text, &loaded);
	CHECK(!loaded);
	CHECK_STR(first, ref);
	CHECK_INT(count_files(c.dir, ".idx", &dots), 1);
	CHECK_INT(dots, 0);

	/* Second run: loaded, same answer. */
	second = cf_symbolize(c.bin, &c.on, c.text, &loaded);
	CHECK(loaded);
	CHECK_STR(second, ref);

	tampered_byte(&c);
	garbage_entry(&c);
	wrong_cu_offsets(&c);
	fresh_pc_through_damage(&c);
	default_location(&c);
	free(ref);
	free(first);
	free(second);
	cf_cleanup(&fx);
	return kt_test_done("test_cache");
}
