// SPDX-License-Identifier: Apache-2.0
/* Throughput of kt_ruleset_eval against a typical fact table: either N
 * synthetic rules shaped like the shipped ones (bench_rules [N [ITERS]]) or
 * a rule directory (bench_rules DIR [ITERS]). Prints evaluations per second. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "kcsan/rules.h"
#include "kcsan/strbuf.h"

int main(int argc, char **argv)
{
	struct stat st;
	const char *dir =
	    argc > 1 && stat(argv[1], &st) == 0 && S_ISDIR(st.st_mode) ? argv[1] : NULL;
	int nrules = argc > 1 && !dir ? atoi(argv[1]) : 100;
	long iters = argc > 2 ? atol(argv[2]) : 100000;
	struct kt_ruleset *rs = kt_ruleset_new();
	struct kt_facts *f = kt_facts_new();
	struct kt_strbuf sb;
	struct kt_error *err;
	struct timespec t0, t1;
	size_t matched = 0;

	kt_strbuf_init(&sb);
	for (int i = 0; i < nrules; i++) {
		kt_strbuf_addf(&sb, "[rule-%d]\nverdict = %s\nconfidence = high\npriority = %d\n",
			       i, i % 3 ? "benign" : "harmful", (i * 37) % 1000);
		switch (i % 4) {
		case 0:
			kt_strbuf_addf(
			    &sb,
			    "when = x.frames.func[0:6] ~ /^(helper_%d|copy_%d_to_iter)$/\n"
			    "when = y.frames.func[0:6] ~ /^(writer_%d|fill_%d)$/\n"
			    "unless = either.marked\n",
			    i, i, i, i);
			break;
		case 1:
			kt_strbuf_addf(&sb,
				       "when = x.write\nwhen = not y.write\nwhen = x.size == %d\n"
				       "when = value.bits == 1 || value.bool\n",
				       i % 40 == 1 ? 8 : 4);
			break;
		case 2:
			kt_strbuf_addf(&sb,
				       "when = report.title ~ /stats_%d|counter/\n"
				       "when = both.func == fn_%d || same.func\n",
				       i, i);
			break;
		default:
			kt_strbuf_addf(&sb,
				       "when = either.frames.func ~ /^lock_%d/i\n"
				       "unless = missing value.old\n",
				       i);
			break;
		}
		kt_strbuf_adds(&sb, "explain = {x.func} and {y.func|?}\naction = none\n\n");
	}
	err =
	    dir ? kt_ruleset_load_dir(rs, dir) : kt_ruleset_load_string(rs, sb.buf, "bench.rules");
	nrules = (int)kt_ruleset_count(rs);
	if (err) {
		char *e = kt_error_format(err);
		fprintf(stderr, "%s\n", e);
		return 1;
	}
	static const char *const fa[] = {"__mod_lruvec_state",
					 "folio_add_lru",
					 "filemap_add_folio",
					 "__filemap_get_folio",
					 "pagecache_get_page",
					 "grab_cache_page_write_begin",
					 "ext4_da_write_begin",
					 "generic_perform_write",
					 "ext4_buffered_write_iter",
					 "vfs_write",
					 "ksys_write",
					 "do_syscall_64"};
	for (size_t i = 0; i < sizeof(fa) / sizeof(fa[0]); i++) {
		kt_facts_add_str(f, "a.frames.func", fa[i], KT_ORIGIN_REPORT);
		kt_facts_add_str(f, "b.frames.func", fa[(i + 3) % 12], KT_ORIGIN_REPORT);
	}
	kt_facts_set_str(f, "a.func", fa[0], KT_ORIGIN_REPORT);
	kt_facts_set_str(f, "b.func", fa[3], KT_ORIGIN_REPORT);
	kt_facts_set_bool(f, "a.write", true, KT_ORIGIN_REPORT);
	kt_facts_set_bool(f, "b.write", false, KT_ORIGIN_REPORT);
	kt_facts_set_int(f, "a.size", 8, KT_ORIGIN_REPORT);
	kt_facts_set_int(f, "b.size", 8, KT_ORIGIN_REPORT);
	kt_facts_set_int(f, "value.bits", 1, KT_ORIGIN_REPORT);
	kt_facts_set_int(f, "value.old", 1, KT_ORIGIN_REPORT);
	kt_facts_set_str(f, "a.op", "write", KT_ORIGIN_REPORT);
	kt_facts_set_str(f, "b.op", "read", KT_ORIGIN_REPORT);
	kt_facts_set_bool(f, "a.marked", false, KT_ORIGIN_REPORT);
	kt_facts_set_bool(f, "b.marked", false, KT_ORIGIN_REPORT);
	kt_facts_set_str(f, "report.kind", "data-race", KT_ORIGIN_REPORT);
	kt_facts_set_bool(f, "value.changed", true, KT_ORIGIN_REPORT);
	kt_facts_set_int(f, "value.new", 0, KT_ORIGIN_REPORT);
	kt_facts_set_int(f, "overlap", 8, KT_ORIGIN_REPORT);
	kt_facts_set_bool(f, "same.addr", true, KT_ORIGIN_REPORT);
	kt_facts_set_bool(f, "same.func", false, KT_ORIGIN_REPORT);
	kt_facts_set_str(f, "report.title", "data-race in __filemap_get_folio / __mod_lruvec_state",
			 KT_ORIGIN_REPORT);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < iters; i++) {
		struct kt_rule_result res;

		err = kt_ruleset_eval(rs, f, &res);
		if (err)
			return 1;
		matched += res.nmatches;
		kt_rule_result_fini(&res);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%d rules x %ld evaluations: %.3f s, %.0f evaluations/s, %.2f us each, %zu "
	       "matches per evaluation\n",
	       nrules, iters, s, (double)iters / s, s * 1e6 / (double)iters,
	       matched / (size_t)(iters ? iters : 1));
	kt_strbuf_fini(&sb);
	kt_facts_free(f);
	kt_ruleset_free(rs);
	return 0;
}
