// SPDX-License-Identifier: Apache-2.0
/*
 * The census index on disk: built once and reused; an edited, added or
 * deleted file is read again (also an edit that keeps the size and puts the
 * old mtime back); a damaged, foreign or untrusted index file is rebuilt;
 * an index whose checksum verifies but whose records are hostile gives
 * answers, never a crash. Works on a copy of testdata/census/tree.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "kcsan/census.h"
#include "seg.h"

#define TREE KT_TESTDATA "/census/tree"

static char work[512], tree[600], cache[600];
static struct kt_census_vocab *vocab;
static long sites_in; /* of the last census, in net/core/netdev.c */

static int sh(const char *fmt, const char *a, const char *b)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), fmt, a, b);
	return system(cmd);
}

/* Opens the index, runs one census; -1 when the object is not there. */
static long census(const char *object, struct kt_census_index_info *info)
{
	struct kt_census_index *ix = NULL;
	struct kt_census_result *r = NULL;
	struct kt_error *e = kt_census_index_open(tree, cache, vocab, &ix);
	long n = -1;

	CHECK(e == NULL);
	if (e) {
		kt_error_free(e);
		return -2;
	}
	if (info)
		kt_census_index_info(ix, info);
	e = kt_census_query_object(ix, object, &r);
	sites_in = 0;
	if (!e) {
		n = (long)r->nsites;
		for (size_t i = 0; i < r->nsites; i++)
			sites_in += strcmp(r->sites[i].file, "net/core/netdev.c") == 0;
	}
	kt_error_free(e);
	kt_census_result_free(r);
	kt_census_index_close(ix);
	return n;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *b;
	long n;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	b = malloc((size_t)n + 1);
	*len = fread(b, 1, (size_t)n, fp);
	fclose(fp);
	return b;
}

static void write_all(const char *path, const void *b, size_t len, mode_t mode)
{
	FILE *fp;

	unlink(path);
	fp = fopen(path, "wb");
	if (!fp)
		return;
	fwrite(b, 1, len, fp);
	fclose(fp);
	chmod(path, mode);
}

/* Replaces the first `from` with `to` (same length) and puts back the
 * file's mtime: only its content says it changed. */
static void edit_same_size(const char *path, const char *from, const char *to)
{
	struct stat st;
	struct timespec ts[2];
	size_t len;
	char *b = read_all(path, &len), *p;

	CHECK(b && strlen(from) == strlen(to) && stat(path, &st) == 0);
	p = b ? strstr(b, from) : NULL;
	CHECK(p != NULL);
	if (p) {
		memcpy(p, to, strlen(to));
		write_all(path, b, len, 0644);
		ts[0] = st.st_atim;
		ts[1] = st.st_mtim;
		utimensat(AT_FDCWD, path, ts, 0);
	}
	free(b);
}

static void edits(const char *idx)
{
	struct kt_census_index_info in;
	char path[800];
	long base, n;

	base = census("struct port::mtu", &in);
	CHECK(base > 10 && !in.from_cache && in.reindexed == in.files && !in.rebuilt);
	n = census("struct port::mtu", &in);
	CHECK(n == base && in.from_cache && in.reindexed == 0);
	CHECK(access(idx, F_OK) == 0);

	/* A function appended: the file is read again, alone. */
	snprintf(path, sizeof(path), "%s/drivers/port/port.c", tree);
	CHECK(sh("printf 'void more(struct port *q) { q->mtu = 7; }\\n' >> %s%s", path, "") == 0);
	n = census("struct port::mtu", &in);
	CHECK_INT(n, base + 1);
	CHECK(in.from_cache && in.reindexed == 1);
	n = census("struct port::mtu", &in);
	CHECK(n == base + 1 && in.reindexed == 0);

	/* Same size, same mtime: the content hash tells. */
	edit_same_size(path, "port->mtu = mtu;", "port->mtx = mtu;");
	n = census("struct port::mtu", &in);
	CHECK_INT(n, base);
	CHECK(in.reindexed >= 1);

	/* A file added, a file deleted. */
	snprintf(path, sizeof(path), "%s/fs/added.c", tree);
	CHECK(sh("printf 'void added(struct port *q)\\n{\\n\\tq->mtu = 8;\\n}\\n' > %s%s", path,
		 "") == 0);
	n = census("struct port::mtu", &in);
	CHECK_INT(n, base + 1);
	CHECK(census("struct netdev::mtu", NULL) == 1);
	snprintf(path, sizeof(path), "%s/net/core/netdev.c", tree);
	CHECK(unlink(path) == 0);
	CHECK_INT(census("struct netdev::mtu", &in), -1); /* its struct went with it */
	CHECK(in.from_cache);
	/* Its netdev_port_mtu() went too; and with struct netdev gone, mtu is
	 * a member of struct port only: the port_mtu() macro's site is now
	 * placed by the member's name. */
	n = census("struct port::mtu", NULL);
	CHECK_INT(n, base + 1);
	CHECK_INT(sites_in, 0);
}

static void damaged(const char *idx, long want)
{
	struct kt_census_index_info in;
	size_t len = 0;
	char *good = read_all(idx, &len), junk[4096];

	CHECK(good != NULL && len > 1000);
	if (!good)
		return;
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (char)(i * 7919 % 251);

	struct {
		const char *what;
		const void *buf;
		size_t len;
		mode_t mode;
	} cases[] = {
	    {"truncated", good, 100, 0600},
	    {"cut in the middle", good, len / 2, 0600},
	    {"empty", good, 0, 0600},
	    {"garbage", junk, sizeof(junk), 0600},
	    {"writable by the group", good, len, 0660},
	};
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		write_all(idx, cases[c].buf, cases[c].len, cases[c].mode);
		CHECK_INT(census("struct port::mtu", &in), want);
		if (!in.rebuilt || in.from_cache)
			fprintf(stderr, "index %s: not rebuilt\n", cases[c].what);
		CHECK(in.rebuilt && !in.from_cache);
	}
	/* One flipped byte anywhere: the checksum catches it. */
	for (size_t k = 1; k < 8; k++) {
		char *b = read_all(idx, &len);

		if (!b)
			break;
		b[len * k / 8] ^= 0x20;
		write_all(idx, b, len, 0600);
		free(b);
		CHECK_INT(census("struct port::mtu", &in), want);
		CHECK(in.rebuilt);
	}
	/* A directory where the index should be. */
	unlink(idx);
	CHECK(mkdir(idx, 0700) == 0);
	CHECK_INT(census("struct port::mtu", &in), want);
	rmdir(idx);
	free(good);
}

/* Records overwritten at random with a checksum that verifies: the index
 * is used, and nothing it says may crash a census. */
static void hostile(const char *idx)
{
	size_t len = 0;
	char *good;
	uint32_t rnd = 12345;
	static const char *const objects[] = {"struct port::mtu", "struct port_ctl::up",
					      "struct port::stats.tx_dropped", "ticks",
					      "struct port::flags"};

	census("struct port::mtu", NULL); /* a good index to start from */
	good = read_all(idx, &len);
	CHECK(good != NULL);
	if (!good)
		return;
	for (int iter = 0; iter < 300; iter++) {
		char *b = malloc(len);
		struct seg s;
		const char *why;
		struct seg_hdr h;

		memcpy(b, good, len);
		CHECK(seg_open((const uint8_t *)b, len, &s, &why));
		for (int k = 0; k < 1 + iter % 8; k++) {
			/* A record section other than files and strings. */
			int sect = S_UNITS + (int)((rnd = rnd * 1103515245 + 12345) >> 8) %
						 (S_NSECT - S_UNITS);
			struct seg_dir d;
			uint32_t v = (rnd = rnd * 1103515245 + 12345);

			memcpy(&d, b + sizeof(h) + (size_t)sect * sizeof(d), sizeof(d));
			if (d.count * d.recsize < 4)
				continue;
			size_t at = d.off + (rnd >> 4) % (d.count * d.recsize - 3);

			if (iter % 3 == 0)
				v = 0xffffffffu - (v & 0xff);
			memcpy(b + at, &v, 4);
		}
		memcpy(&h, b, sizeof(h));
		h.checksum = seg_checksum((const uint8_t *)b + sizeof(h), len - sizeof(h));
		memcpy(b, &h, sizeof(h));
		write_all(idx, b, len, 0600);
		free(b);
		census(objects[iter % 5], NULL);
	}
	write_all(idx, good, len, 0600);
	free(good);
}

int main(void)
{
	struct kt_error *e = kt_census_vocab_load(KT_SOURCE_RULES_DIR, &vocab);
	char idx[900];
	struct kt_census_index *ix = NULL;
	struct kt_census_index_info in;
	long want;

	CHECK(e == NULL);
	snprintf(work, sizeof(work), "%s/census-index-XXXXXX", KT_BUILD_DIR);
	if (e || !mkdtemp(work)) {
		kt_error_free(e);
		return kt_test_done("test_census_index");
	}
	snprintf(tree, sizeof(tree), "%s/tree", work);
	snprintf(cache, sizeof(cache), "%s/cache", work);
	CHECK(sh("cp -R '%s' '%s'", TREE, tree) == 0);

	/* The index's file name, from a first open. */
	e = kt_census_index_open(tree, cache, vocab, &ix);
	CHECK(e == NULL && ix);
	if (!ix)
		goto out;
	kt_census_index_info(ix, &in);
	snprintf(idx, sizeof(idx), "%s", in.path ? in.path : "");
	kt_census_index_close(ix);
	CHECK(idx[0] != 0);
	unlink(idx);

	edits(idx);
	want = census("struct port::mtu", NULL);
	damaged(idx, want);
	hostile(idx);
	CHECK_INT(census("struct port::mtu", NULL), want);

	/* No cache at all: the same census from memory. */
	{
		char saved[600];

		snprintf(saved, sizeof(saved), "%s", cache);
		cache[0] = 0;
		CHECK_INT(census("struct port::mtu", &in), want);
		CHECK(in.path == NULL && !in.from_cache);
		snprintf(cache, sizeof(cache), "%s", saved);
	}
out:
	sh("rm -rf '%s'%s", work, "");
	kt_census_vocab_free(vocab);
	return kt_test_done("test_census_index");
}
