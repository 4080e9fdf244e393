// SPDX-License-Identifier: Apache-2.0
#include <dirent.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "kcsan/strbuf.h"
#include "progress.h"

#define REDRAW_SECONDS 0.5
#define MAX_DEPTH      16

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void kt_progress_init(struct kt_progress *p, FILE *out)
{
	memset(p, 0, sizeof(*p));
	p->out = out;
	p->start = now();
	p->last = 0; /* the first report draws the line */
}

static long long input_bytes(const char *path, int depth)
{
	struct stat st;
	long long n = 0;

	if (depth > MAX_DEPTH || stat(path, &st) != 0)
		return 0;
	if (S_ISREG(st.st_mode))
		return (long long)st.st_size;
	if (!S_ISDIR(st.st_mode))
		return 0;
	DIR *d = opendir(path);
	struct dirent *de;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		struct kt_strbuf sb;

		if (de->d_name[0] == '.')
			continue;
		kt_strbuf_init(&sb);
		kt_strbuf_addf(&sb, "%s/%s", path, de->d_name);
		n += input_bytes(sb.buf, depth + 1);
		kt_strbuf_fini(&sb);
	}
	closedir(d);
	return n;
}

void kt_progress_add_input(struct kt_progress *p, const char *path)
{
	if (p->out && strcmp(path, "-") != 0)
		p->total_bytes += input_bytes(path, 0);
}

void kt_progress_begin_file(struct kt_progress *p, FILE *fp)
{
	p->cur = fp;
}

void kt_progress_end_file(struct kt_progress *p)
{
	struct stat st;

	if (p->cur && fstat(fileno(p->cur), &st) == 0 && S_ISREG(st.st_mode))
		p->done_bytes += (long long)st.st_size;
	p->cur = NULL;
}

static void draw(struct kt_progress *p, long reports, double t)
{
	double secs = t - p->start > 0 ? t - p->start : 1e-9;
	double rate = reports / secs;
	long long done = p->done_bytes;
	long pos = p->cur ? ftell(p->cur) : -1;

	if (pos > 0)
		done += pos;
	fprintf(p->out, "\r\033[Kkcsan-triage: %ld", reports);
	if (p->total_bytes > 0 && done > 0 && done <= p->total_bytes) {
		double frac = (double)done / (double)p->total_bytes;
		double total = reports / frac;

		fprintf(p->out, " / ~%.0f reports (%.0f%%), %.0f/s, ETA %.0f s", total, frac * 100,
			rate, secs / frac - secs);
	} else {
		fprintf(p->out, " reports, %.0f/s", rate);
	}
	fflush(p->out);
	p->drawn = true;
}

void kt_progress_tick(struct kt_progress *p, long reports)
{
	double t;

	if (!p->out)
		return;
	t = now();
	if (t - p->last < REDRAW_SECONDS)
		return;
	p->last = t;
	draw(p, reports, t);
}

void kt_progress_clear(struct kt_progress *p)
{
	if (p->out && p->drawn)
		fputs("\r\033[K", p->out);
	p->drawn = false;
}
