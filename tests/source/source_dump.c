// SPDX-License-Identifier: Apache-2.0
/*
 * source_dump --src DIR [--rules DIR] REPORT...: run the source stage over
 * symbolized reports and print its facts, with the time each report took
 * and what it took of its bounds (used by bench/source.sh and when writing
 * expectations by hand).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kcsan/facts.h"
#include "kcsan/report.h"
#include "kcsan/source.h"

static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	struct kt_source_opts o = {0};
	struct kt_source *src;
	struct kt_error *err;
	int i = 1, rc = 0;
	bool quiet = false;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--src") && i + 1 < argc)
			o.src_dir = argv[++i];
		else if (!strcmp(argv[i], "--rules") && i + 1 < argc)
			o.rules_dir = argv[++i];
		else if (!strcmp(argv[i], "--compile-commands") && i + 1 < argc)
			o.compile_commands = argv[++i];
		else if (!strcmp(argv[i], "-q"))
			quiet = true;
		else {
			fprintf(stderr, "usage: source_dump --src DIR [--rules DIR] [-q] REPORT...\n");
			return 2;
		}
	}
	if ((err = kt_source_open(&o, &src))) {
		char *m = kt_error_format(err);

		fprintf(stderr, "%s\n", m);
		free(m);
		kt_error_free(err);
		return 2;
	}
	for (; i < argc; i++) {
		FILE *fp = fopen(argv[i], "r");
		struct kt_reader *rd = NULL;
		struct kt_report *rep = NULL;
		struct kt_facts *f;
		const struct kt_frame *st[2];
		size_t nf[2];
		double t0, c0;
		struct kt_source_usage u;

		if (!fp || (err = kt_reader_new(fp, argv[i], &rd)) || (err = kt_reader_next(rd, &rep)) ||
		    !rep) {
			fprintf(stderr, "%s: cannot read a report\n", argv[i]);
			if (err)
				kt_error_free(err);
			kt_reader_free(rd);
			if (fp)
				fclose(fp);
			rc = 1;
			continue;
		}
		for (size_t k = 0; k < 2; k++) {
			st[k] = k < rep->naccess ? rep->access[k].frames : NULL;
			nf[k] = k < rep->naccess ? rep->access[k].nframes : 0;
		}
		f = kt_facts_new();
		t0 = now_ms();
		c0 = cpu_ms();
		err = kt_source_add_facts(src, rep, st, nf, f);
		kt_source_usage(src, &u);
		printf("== %s (%.0f ms, %u parses so far, %.0f ms parsing so far, %.0f ms cpu)\n",
		       argv[i], now_ms() - t0, kt_source_parses(src), kt_source_parse_ms(src),
		       cpu_ms() - c0);
		printf("   took: %u full parses, %u light parses, %u files read, %u tree searches, "
		       "%u given up\n",
		       u.full_parses, u.light_parses, u.files_read, u.tree_searches, u.gave_up);
		if (err) {
			char *m = kt_error_format(err);

			printf("error: %s\n", m);
			free(m);
			kt_error_free(err);
			rc = 1;
		}
		for (size_t k = 0; !quiet && k < kt_facts_count(f); k++) {
			const struct kt_fact *x = kt_facts_at(f, k);
			char *v = kt_fact_value_text(x);

			printf("  %s = %s\n", x->name, v);
			free(v);
		}
		kt_facts_free(f);
		kt_report_free(rep);
		kt_reader_free(rd);
		fclose(fp);
	}
	kt_source_close(src);
	return rc;
}
