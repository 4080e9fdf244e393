// SPDX-License-Identifier: Apache-2.0
/*
 * Index cache files into the cache reader. The input is the payload; the
 * harness puts a header in front whose build-id and size match the image it
 * pretends to open and whose checksum verifies, so every input reaches the
 * record parser (the first input byte, when odd, damages the header
 * instead). The entry is then queried, extended and written back, in a fresh
 * mkdtemp() directory removed afterwards.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void rm_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char p[1024];

	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
			unlink(p);
		}
	if (d)
		closedir(d);
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *tmp = getenv("TMPDIR");
	char dir[512], file[1024];
	struct kt_elf elf;
	struct kt_cache *c = NULL;
	struct kt_error *err;
	unsigned char hdr[100] = {0};
	uint64_t plen = size, sum = fnv1a(data, size);
	uint32_t idlen = 20;
	FILE *fp;

	memset(&elf, 0, sizeof(elf));
	elf.path = "fuzz-vmlinux";
	elf.file_size = 123456789;
	for (int i = 0; i < 20; i++)
		elf.build_id[i] = (unsigned char)(0x11 * (i + 1));
	elf.build_id_len = 20;
	for (int i = 0; i < 20; i++)
		snprintf(elf.build_id_hex + 2 * i, 3, "%02x", elf.build_id[i]);

	snprintf(dir, sizeof(dir), "%s/kt-fuzz-cache-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		abort();
	memcpy(hdr, "KTIDX002", 8);
	memcpy(hdr + 8, &idlen, 4);
	memcpy(hdr + 12, elf.build_id, 20);
	memcpy(hdr + 76, &elf.file_size, 8);
	memcpy(hdr + 84, &plen, 8);
	memcpy(hdr + 92, &sum, 8);
	if (size && (data[0] & 1))
		hdr[8 + (data[0] >> 1) % 92] ^= data[size - 1] | 1;
	snprintf(file, sizeof(file), "%s/%s.idx", dir, elf.build_id_hex);
	fp = fopen(file, "wb");
	if (!fp || fwrite(hdr, 1, sizeof(hdr), fp) != sizeof(hdr) ||
	    (size && fwrite(data, 1, size, fp) != size))
		abort();
	fclose(fp);

	err = kt_cache_open(dir, &elf, &c);
	if (err)
		abort(); /* the directory exists and the image has a build-id */
	{
		struct kt_dw_range *r = NULL;
		struct kt_global *g = NULL;
		struct kt_named_type *t = NULL;
		struct kt_loc *l = NULL, mine[2] = {{"f", "a.c", 1, NULL}, {"g", NULL, 0, NULL}};
		size_t n = 0;

		if (kt_cache_get_ranges(c, &r, &n))
			free(r);
		if (kt_cache_get_globals(c, &g, &n))
			free(g);
		if (kt_cache_get_types(c, &t, &n)) {
			for (size_t i = 0; i < n; i++)
				free(t[i].name);
			free(t);
		}
		for (uint64_t pc = 0; pc < 0x40; pc += 0x10)
			if (kt_cache_get_chain(c, pc, &l, &n)) {
				for (size_t i = 0; i < n; i++)
					if (!l[i].func)
						abort();
				kt_locs_free(l, n);
			}
		kt_cache_put_chain(c, 0x18, mine, 2);
		kt_cache_put_ranges(c, NULL, 0);
	}
	kt_cache_close(c); /* writes the entry back when it changed */

	/* What was written back reads back. */
	err = kt_cache_open(dir, &elf, &c);
	if (err || !kt_cache_was_loaded(c))
		abort();
	kt_cache_close(c);
	rm_dir(dir);
	return 0;
}
