// SPDX-License-Identifier: Apache-2.0
/*
 * The census on the source of the patterns fixture
 * (fixtures/kcsan-6.1-patterns): for each row of its expect.tsv, the census
 * of the row's object must show the property testdata/census/patterns.tsv
 * gives its pattern. The objects and functions come from expect.tsv: nothing
 * here names them. The source is unpacked once into KT_BUILD_DIR, and the
 * test exits 77 (skipped) without the shared fixtures.
 */
#include <errno.h>
#include <sys/stat.h>

#include "harness.h"
#include "kcsan/census.h"

#define FIXTURE KT_SHARED_DIR "/fixtures/kcsan-6.1-patterns"
#define WORK	KT_BUILD_DIR "/census-patterns"
#define SRC	WORK "/src"
#define STAMP	WORK "/src.unpacked"
#define PROPS	KT_TESTDATA "/census/patterns.tsv"

static bool exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

static int setup(void)
{
	char cmd[2048];

	if (mkdir(WORK, 0777) != 0 && errno != EEXIST)
		return 1;
	if (exists(STAMP))
		return 0;
	snprintf(cmd, sizeof(cmd),
		 "rm -rf '%s' && '%s/unpack-source.sh' '%s' >/dev/null && touch '%s'", SRC, FIXTURE,
		 SRC, STAMP);
	return system(cmd) != 0;
}

/* Fields of a tab-separated line, in place. */
static size_t fields(char *line, char **f, size_t max)
{
	size_t n = 0;

	line[strcspn(line, "\r\n")] = 0;
	while (n < max) {
		f[n++] = line;
		line = strchr(line, '\t');
		if (!line)
			break;
		*line++ = 0;
	}
	return n;
}

static const char *property(const char *pattern)
{
	static char prop[64];
	FILE *fp = fopen(PROPS, "r");
	char line[512], *f[4];
	const char *out = NULL;

	while (fp && fgets(line, sizeof(line), fp))
		if (line[0] != '#' && fields(line, f, 4) >= 2 && strcmp(f[0], pattern) == 0) {
			snprintf(prop, sizeof(prop), "%s", f[1]);
			out = prop;
		}
	if (fp)
		fclose(fp);
	return out;
}

static bool lock_counts(const struct kt_census_lock *l)
{
	return strcmp(l->mode, "exclusive") == 0 || strcmp(l->mode, "shared") == 0;
}

static bool holds(const struct kt_census_site *s, const char *lock)
{
	for (size_t i = 0; i < s->nlocks; i++)
		if (lock_counts(&s->locks[i]) && strcmp(s->locks[i].name, lock) == 0)
			return true;
	return false;
}

static bool in_row(const char *func, char *const *f)
{
	return func && (strcmp(func, f[1]) == 0 || strcmp(func, f[2]) == 0);
}

static bool deviant_writer(const struct kt_census_result *r, char *const *f)
{
	bool dev_in_row = false, other_holds = false;

	for (size_t i = 0; i < r->ndeviants; i++) {
		const struct kt_census_deviant *d = &r->deviants[i];
		const struct kt_census_site *s = &r->sites[d->site];

		dev_in_row = dev_in_row || (in_row(s->func, f) && d->k >= 2 && d->k < d->n);
		for (size_t k = 0; k < r->nsites; k++)
			other_holds = other_holds || (in_row(r->sites[k].func, f) &&
						      strcmp(r->sites[k].func, s->func) != 0 &&
						      holds(&r->sites[k], d->lock));
	}
	return dev_in_row && other_holds;
}

static bool writers_locked(const struct kt_census_result *r, char *const *f)
{
	bool recheck = false;

	if (!r->writer_n || !r->nwriter_locks || r->writer_locks[0].k != r->writer_n)
		return false;
	for (size_t i = 0; i < r->nsites; i++) {
		const struct kt_census_site *s = &r->sites[i];

		recheck = recheck || (in_row(s->func, f) && s->access == KT_CA_READ &&
				      (s->use & KT_CU_TEST) && s->recheck_lock &&
				      strcmp(s->recheck_lock, r->writer_locks[0].lock) == 0);
	}
	return recheck;
}

static bool unlocked_rmw(const struct kt_census_result *r)
{
	for (size_t i = 0; i < r->nsites; i++) {
		const struct kt_census_site *s = &r->sites[i];
		bool locked = false;

		for (size_t l = 0; l < s->nlocks; l++)
			locked = locked || lock_counts(&s->locks[l]);
		if (s->access == KT_CA_RMW && s->path == KT_CP_SHARED && !s->marking && !locked)
			return true;
	}
	return false;
}

/* "struct S bitfield byte (a:1, b:1)": the census of S::a must show b as
 * a neighbour written under no common lock. */
static bool bitfield_clobber(struct kt_census_index *ix, const char *object)
{
	char type[128], a[64], b[64];
	struct kt_census_result *r = NULL;
	struct kt_error *e;
	bool ok = false;

	if (sscanf(object, "struct %127s bitfield byte (%63[^:]:%*d, %63[^:]", type, a, b) != 3)
		return false;
	snprintf(type + strlen(type), sizeof(type) - strlen(type), "%s", "");
	char t[160];

	snprintf(t, sizeof(t), "struct %s", type);
	if ((e = kt_census_query(ix, t, a, &r))) {
		kt_error_free(e);
		return false;
	}
	for (size_t i = 0; r->bitfield && i < r->nneighbours; i++)
		ok = ok || (strcmp(r->neighbours[i].member, b) == 0 && r->neighbours[i].clobber);
	kt_census_result_free(r);
	return ok;
}

static void check_row(struct kt_census_index *ix, char **f)
{
	const char *prop = property(f[0]);
	char object[256];
	struct kt_census_result *r = NULL;
	struct kt_error *e;
	bool ok = false;

	CHECK(prop != NULL); /* every pattern has a line in patterns.tsv */
	if (!prop || strcmp(prop, "-") == 0)
		return;
	if (strcmp(prop, "bitfield-clobber") == 0) {
		ok = bitfield_clobber(ix, f[4]);
		if (!ok)
			fprintf(stderr, "%s: %s: no clobber\n", f[0], f[4]);
		CHECK(ok);
		return;
	}
	/* "struct S::path (type)": the object before the type */
	snprintf(object, sizeof(object), "%.*s", (int)strcspn(f[4], " ("), f[4]);
	if (strncmp(f[4], "struct ", 7) == 0)
		snprintf(object, sizeof(object), "struct %.*s", (int)strcspn(f[4] + 7, " ("),
			 f[4] + 7);
	e = kt_census_query_object(ix, object, &r);
	CHECK(e == NULL);
	if (e) {
		char *m = kt_error_format(e);

		fprintf(stderr, "%s: %s: %s\n", f[0], object, m);
		free(m);
		kt_error_free(e);
		return;
	}
	if (strcmp(prop, "deviant-writer") == 0)
		ok = deviant_writer(r, f);
	else if (strcmp(prop, "reads-output") == 0)
		ok = r->noutside_reads > 0 && r->outside_use == KT_CU_OUTPUT;
	else if (strcmp(prop, "set-once") == 0)
		ok = r->set_once && r->nwriters > 0;
	else if (strcmp(prop, "writers-locked") == 0)
		ok = writers_locked(r, f);
	else if (strcmp(prop, "unlocked-rmw") == 0)
		ok = unlocked_rmw(r);
	else
		fprintf(stderr, "%s: unknown property %s\n", f[0], prop);
	if (!ok) {
		struct kt_strbuf sb;

		kt_strbuf_init(&sb);
		kt_census_result_text(r, true, &sb);
		fprintf(stderr, "%s (%s) of %s does not hold:\n%s", prop, f[0], object, sb.buf);
		kt_strbuf_fini(&sb);
	}
	CHECK(ok);
	kt_census_result_free(r);
}

int main(void)
{
	struct kt_census_vocab *v = NULL;
	struct kt_census_index *ix = NULL;
	struct kt_error *e;
	char line[2048], *f[8];
	FILE *fp;
	int rows = 0;

	if (!exists(FIXTURE "/expect.tsv") || !exists(FIXTURE "/unpack-source.sh")) {
		printf("test_census_patterns: skipped, no %s\n", FIXTURE);
		return 77;
	}
	CHECK(setup() == 0);
	e = kt_census_vocab_load(KT_SOURCE_RULES_DIR, &v);
	CHECK(e == NULL);
	if (!e)
		e = kt_census_index_open(SRC, WORK "/cache", v, &ix);
	CHECK(e == NULL);
	fp = fopen(FIXTURE "/expect.tsv", "r");
	CHECK(fp != NULL);
	while (!e && fp && fgets(line, sizeof(line), fp)) {
		if (fields(line, f, 8) < 5 || strcmp(f[0], "pattern") == 0)
			continue;
		check_row(ix, f);
		rows++;
	}
	CHECK(rows >= 11);
	if (fp)
		fclose(fp);
	kt_error_free(e);
	kt_census_index_close(ix);
	kt_census_vocab_free(v);
	return kt_test_done("test_census_patterns");
}
