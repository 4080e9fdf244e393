// SPDX-License-Identifier: Apache-2.0
/*
 * The index cache facing stale and tampered entries. Stale: an entry written
 * for another file with the same build-id (the same kernel with bytes
 * appended, as a re-packed or re-stripped vmlinux has) must be detected,
 * ignored and rebuilt. Tampered: a payload that verifies (its checksum
 * recomputed) but is hostile in structure — counts past the end, records
 * repeated, chains out of order, strings longer than the file — must be
 * dropped or read within bounds, and never change an answer for a PC it does
 * not cover.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache_fixture.h"
#include "harness.h"

/* A cache file with the header of good (build-id, vmlinux size) around a new
 * payload, its checksum made to verify. */
static void write_payload(const char *path, const unsigned char *good, const unsigned char *payload,
			  size_t plen)
{
	unsigned char *buf = malloc(CF_HDR + plen + 1);
	uint64_t l = plen, sum = cf_fnv1a(payload, plen);

	memcpy(buf, good, CF_HDR);
	memcpy(buf + CF_OFF_PAYLOAD_SIZE, &l, 8);
	memcpy(buf + CF_OFF_CHECKSUM, &sum, 8);
	if (plen)
		memcpy(buf + CF_HDR, payload, plen);
	cf_spit(path, buf, CF_HDR + plen);
	free(buf);
}

struct pb {
	unsigned char b[8192];
	size_t n;
};

static void put32(struct pb *p, uint32_t v)
{
	memcpy(p->b + p->n, &v, 4);
	p->n += 4;
}

static void put64(struct pb *p, uint64_t v)
{
	memcpy(p->b + p->n, &v, 8);
	p->n += 8;
}

static void putstr(struct pb *p, const char *s, uint32_t claimed)
{
	put32(p, claimed);
	memcpy(p->b + p->n, s, strlen(s));
	p->n += strlen(s);
}

/* What every case needs: the mini kernel, its frames, the answer without a
 * cache, the cache directory and the entry's file in it. */
struct hostile {
	const char *bin, *dir, *text;
	const char *ref;
	struct kt_vmlinux_opts on;
	char file[2048];
};

/* The k-th tampered payload of tampered_payloads (an empty one past the
 * last). */
static void tampered_payload(size_t k, struct pb *p)
{
	switch (k) {
	case 0:
		put32(p, 1), put64(p, 1000);
		for (int i = 0; i < 3; i++)
			put64(p, 0x401000);
		break;
	case 1:
		put32(p, 2), put64(p, 1ULL << 61);
		break;
	case 2:
		put32(p, 3), put64(p, 1ULL << 32);
		break;
	case 3:
		put32(p, 3), put64(p, 1), put64(p, 0x10), put32(p, 5000);
		for (int i = 0; i < 300; i++)
			put32(p, 1), putstr(p, "f", 1), put32(p, 0xffffffffu);
		break;
	case 4:
		put32(p, 3), put64(p, 1), put64(p, 0x10), put32(p, 1), put32(p, 7);
		putstr(p, "f", 0x80000000u);
		break;
	case 5:
		put32(p, 3), put64(p, 2);
		put64(p, 0x20), put32(p, 1), put32(p, 1), putstr(p, "f", 1), put32(p, 0xffffffffu);
		put64(p, 0x10), put32(p, 1), put32(p, 1), putstr(p, "g", 1), put32(p, 0xffffffffu);
		break;
	case 6:
		for (int r = 0; r < 3; r++) {
			put32(p, 3), put64(p, 1);
			put64(p, 0x10 + (uint64_t)r), put32(p, 1), put32(p, 1), putstr(p, "f", 1),
			    put32(p, 0xffffffffu);
		}
		break;
	case 7:
		for (int r = 0; r < 2; r++)
			put32(p, 4), put64(p, 1), put64(p, 0x20), putstr(p, "t", 1);
		break;
	case 8:
		put32(p, 99), put64(p, 0);
		break;
	case 9:
		put32(p, 1), put64(p, 2);
		put64(p, 0xffffffffffff0000ULL), put64(p, 0x10), put64(p, 0x7fffffff);
		put64(p, 0), put64(p, UINT64_MAX), put64(p, 0);
		break;
	default:
		break;
	}
}

/* 1. Stale: the same build-id, another file (bytes appended). */
static void stale_entry(const struct hostile *h)
{
	char bigger[1100];
	bool loaded = true;
	char *s;

	printf("stale entry (same build-id, another file):\n");
	{
		size_t vlen = 0;
		unsigned char *img = mk_slurp(h->bin, &vlen);
		unsigned char *more = calloc(1, vlen + 4096);

		memcpy(more, img, vlen);
		snprintf(bigger, sizeof(bigger), "%s/vmlinux-bigger", h->dir);
		cf_spit(bigger, more, vlen + 4096);
		free(img);
		free(more);
	}
	s = cf_symbolize(bigger, &h->on, h->text, &loaded);
	printf("  the bigger file trusted the entry: %s\n", loaded ? "yes" : "no");
	CHECK(!loaded);
	CHECK_STR(s, h->ref);
	free(s);
	s = cf_symbolize(bigger, &h->on, h->text, &loaded); /* rebuilt for the bigger file */
	CHECK(loaded);
	CHECK_STR(s, h->ref);
	free(s);
	s = cf_symbolize(h->bin, &h->on, h->text, &loaded); /* and now stale for the original */
	CHECK(!loaded);
	CHECK_STR(s, h->ref);
	free(s);
	s = cf_symbolize(h->bin, &h->on, h->text, &loaded);
	CHECK(loaded);
	free(s);
}

/* 2. Tampered payloads that verify. Each must leave the answers as
 * they are (the chains here are for PCs nobody asks about, or the
 * whole payload is dropped), and the entry must be rewritten good. */
static void tampered_payloads(const struct hostile *h, const unsigned char *good)
{
	static const char *const what[] = {
	    "ranges count past the end", "globals count 2^61",	   "chains count 2^32",
	    "a chain of 5000 locations", "a string of 2^31 bytes", "chains out of order",
	    "chains repeated",		 "types repeated",	   "unknown record",
	    "ranges with hi < lo",	 "empty payload",
	};
	bool loaded = true;
	char *s;

	printf("tampered payloads with a matching checksum:\n");
	for (size_t k = 0; k < sizeof(what) / sizeof(what[0]); k++) {
		struct pb p = {.n = 0};

		tampered_payload(k, &p);
		write_payload(h->file, good, p.b, p.n);
		s = cf_symbolize(h->bin, &h->on, h->text, &loaded);
		printf("  %s: %s\n", what[k], loaded ? "read" : "dropped");
		CHECK_STR(s, h->ref);
		free(s);
		s = cf_symbolize(h->bin, &h->on, h->text, &loaded);
		CHECK_STR(s, h->ref);
		free(s);
	}
}

/* 3. An entry that is not ours to trust: writable by others, a FIFO
 * (whose open would block), a symlink to a good entry elsewhere. Each
 * is ignored, the answer stays, and a good entry replaces it. */
static void entries_not_ours(const struct hostile *h)
{
	char other[1200];
	static const char *const kinds[] = {"writable by others", "a FIFO", "a symlink"};
	bool loaded = true;
	char *s;

	printf("entries not ours:\n");
	snprintf(other, sizeof(other), "%s/elsewhere.idx", h->dir);
	for (int k = 0; k < 3; k++) {
		struct stat st;

		s = cf_symbolize(h->bin, &h->on, h->text, &loaded); /* a good entry first */
		free(s);
		if (k == 0) {
			CHECK(chmod(h->file, 0666) == 0);
		} else if (k == 1) {
			unlink(h->file);
			CHECK(mkfifo(h->file, 0600) == 0);
		} else {
			CHECK(rename(h->file, other) == 0);
			CHECK(symlink(other, h->file) == 0);
		}
		s = cf_symbolize(h->bin, &h->on, h->text, &loaded);
		printf("  %s: %s\n", kinds[k], loaded ? "TRUSTED" : "ignored");
		CHECK(!loaded);
		CHECK_STR(s, h->ref);
		free(s);
		CHECK(lstat(h->file, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077) == 0);
		s = cf_symbolize(h->bin, &h->on, h->text, &loaded);
		CHECK(loaded);
		CHECK_STR(s, h->ref);
		free(s);
	}
	unlink(other);
}

/* 4. Paths with spaces and bytes that are not UTF-8: the vmlinux and
 * the cache directory both. */
static void odd_paths(const struct hostile *h)
{
	char odd[1200], cdir[1300], missing[1300];
	struct kt_vmlinux_opts oddc = {0};
	struct kt_vmlinux *vm = NULL;
	struct kt_error *e;
	bool loaded = true;
	char *s;

	printf("odd paths:\n");
	snprintf(odd, sizeof(odd), "%s/v m\xfflinux \xc3(", h->dir);
	CHECK(symlink(h->bin, odd) == 0);
	snprintf(cdir, sizeof(cdir), "%s/cache dir \xfe/sub dir", h->dir);
	oddc.cache_dir = cdir;
	s = cf_symbolize(odd, &oddc, h->text, &loaded);
	CHECK(!loaded);
	CHECK_STR(s, h->ref);
	free(s);
	s = cf_symbolize(odd, &oddc, h->text, &loaded);
	printf("  vmlinux and cache under odd names: %s\n",
	       loaded ? "entry written and read back" : "entry not used");
	CHECK(loaded);
	CHECK_STR(s, h->ref);
	free(s);
	snprintf(missing, sizeof(missing), "%s/no such \xff file", h->dir);
	e = kt_vmlinux_open(missing, &oddc, &vm);
	CHECK(e != NULL && vm == NULL);
	if (e) {
		printf("  a missing one: %s\n", e->msg);
		CHECK(e->file && strcmp(e->file, missing) == 0);
		CHECK_INT(e->code, KT_ERR_IO);
	}
	kt_error_free(e);
}

int main(void)
{
	static const char *const funcs[] = {"mk_mark_dirty", "mk_lru_add", "mk_tick"};
	struct cache_fixture fx;

	if (!cf_setup(&fx, "hcache", "hostile-cache", funcs, sizeof(funcs) / sizeof(funcs[0])))
		return 77;

	struct hostile h = {
	    .bin = fx.b.bin, .dir = fx.dir, .text = fx.text, .on = {.cache_dir = fx.dir}};
	struct kt_vmlinux_opts off = {.no_cache = true};
	bool loaded = true;
	char *ref = cf_symbolize(h.bin, &off, h.text, NULL);
	char *s;
	size_t glen = 0;
	unsigned char *good;

	h.ref = ref;
	CHECK(ref && strstr(ref, "mk_inode.c:") != NULL);
	s = cf_symbolize(h.bin, &h.on, h.text, &loaded); /* writes the entry */
	CHECK(!loaded);
	CHECK_STR(s, ref);
	free(s);
	s = cf_symbolize(h.bin, &h.on, h.text, &loaded);
	CHECK(loaded);
	CHECK_STR(s, ref);
	free(s);

	/* The entry's file: the only .idx in the directory, named by build-id. */
	{
		struct kt_vmlinux *vm = NULL;

		kt_error_free(kt_vmlinux_open(h.bin, &h.on, &vm));
		CHECK(vm && vm->cache);
		if (vm && vm->cache)
			snprintf(h.file, sizeof(h.file), "%s", kt_cache_path(vm->cache));
		kt_vmlinux_close(vm);
	}
	good = mk_slurp(h.file, &glen);
	CHECK(good != NULL && glen >= CF_HDR);
	if (!good || glen < CF_HDR)
		return kt_test_done("test_hostile_cache");
	free(good);
	stale_entry(&h);
	good = mk_slurp(h.file, &glen);
	CHECK(good != NULL && glen >= CF_HDR);
	if (!good || glen < CF_HDR)
		return kt_test_done("test_hostile_cache");
	tampered_payloads(&h, good);
	free(good);
	entries_not_ours(&h);
	odd_paths(&h);
	free(ref);
	cf_cleanup(&fx);
	return kt_test_done("test_hostile_cache");
}
