/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Set-up shared by the index cache's tests (tests/binary/test_cache.c,
 * tests/hardening/test_hostile_cache.c): the mini kernel built with gcc, a
 * stack of its frames to symbolize, a fresh cache directory beside it, and
 * the means to read, rewrite and re-sign a cache file. Header-only so that
 * its CHECKs count in the including test (harness.h keeps its counts per
 * file); link the test with mk.c.
 */
#ifndef KT_TEST_CACHE_FIXTURE_H
#define KT_TEST_CACHE_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "harness.h"
#include "kcsan/binary.h"
#include "mk.h"
#include "vmlinux_int.h"

/* A cache file: a header of magic 8, build-id length 4, build-id 64,
 * vmlinux size 8, payload size 8 and the payload's FNV-1a checksum 8, then
 * the payload. */
#define CF_HDR		    100
#define CF_OFF_PAYLOAD_SIZE 84
#define CF_OFF_CHECKSUM	    92

struct cache_fixture {
	struct mk_build b;
	char dir[1024];	 /* a fresh cache directory under b.dir */
	char text[4096]; /* " func+0xOFF/0xSIZE" lines, one per function */
};

/*
 * Build the mini kernel (KT_BUILD_DIR/minikernel-TAG-gcc-dwarf5), write into
 * f->text a frame at the first call site of each of funcs, and make a fresh
 * directory b.dir/DIR_PREFIX-XXXXXX. false when gcc cannot build the mini
 * kernel (said on stdout): the test is skipped.
 */
static inline bool cf_setup(struct cache_fixture *f, const char *tag, const char *dir_prefix,
			    const char *const *funcs, size_t nfuncs)
{
	memset(f, 0, sizeof(*f));
	if (!mk_build(tag, "gcc", 5, &f->b)) {
		printf("SKIP: gcc cannot build the mini kernel\n");
		return false;
	}
	for (size_t i = 0; i < nfuncs; i++) {
		uint64_t addr, size, offs[8];
		size_t n, used = strlen(f->text);

		CHECK(mk_sym(f->b.bin, funcs[i], 0, &addr, &size));
		n = mk_calls(f->b.bin, addr, size, "", offs, 8);
		CHECK(n > 0);
		if (n)
			snprintf(f->text + used, sizeof(f->text) - used, " %s+0x%llx/0x%llx\n",
				 funcs[i], (unsigned long long)offs[0],
				 (unsigned long long)mk_kallsyms_size(f->b.bin, addr));
	}
	snprintf(f->dir, sizeof(f->dir), "%s/%s-XXXXXX", f->b.dir, dir_prefix);
	CHECK(mkdtemp(f->dir) != NULL);
	return true;
}

/* Remove the cache directory and all in it. */
static inline void cf_cleanup(const struct cache_fixture *f)
{
	char cmd[1100];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	CHECK(system(cmd) == 0);
}

/* Open bin with opts and symbolize text; the output (free it), NULL when the
 * open failed. *loaded (when asked): whether the cache entry was read. */
static inline char *cf_symbolize(const char *bin, const struct kt_vmlinux_opts *opts,
				 const char *text, bool *loaded)
{
	struct kt_vmlinux *vm = NULL;
	char *out = NULL;
	size_t len = 0;
	struct kt_error *e = kt_vmlinux_open(bin, opts, &vm);
	FILE *mf;

	CHECK(e == NULL);
	kt_error_free(e);
	if (!vm)
		return NULL;
	if (loaded)
		*loaded = vm->cache && kt_cache_was_loaded(vm->cache);
	mf = open_memstream(&out, &len);
	e = kt_vmlinux_symbolize_text(vm, text, mf);
	fclose(mf);
	CHECK(e == NULL);
	kt_error_free(e);
	kt_vmlinux_close(vm);
	return out;
}

/* The checksum a cache file's header holds for its payload. */
static inline uint64_t cf_fnv1a(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}


static inline void cf_spit(const char *path, const unsigned char *buf, size_t len)
{
	FILE *fp = fopen(path, "wb");

	CHECK(fp != NULL);
	if (!fp)
		return;
	CHECK(fwrite(buf, 1, len, fp) == len);
	fclose(fp);
}

#endif
