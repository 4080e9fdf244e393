// SPDX-License-Identifier: Apache-2.0
/* The source stage's budget per report (budget.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "budget.h"
#include "facts.h"
#include "kcsan/strbuf.h"

static const char *const kind_names[KT_BUDGET_NKINDS] = {
    "full parses",
    "light parses",
    "files read",
    "tree searches",
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Resident memory of the process in MB; 0 when it cannot be read. */
static unsigned long rss_mb(void)
{
	FILE *fp = fopen("/proc/self/statm", "r");
	unsigned long size = 0, res = 0;
	long page = sysconf(_SC_PAGESIZE);

	if (!fp)
		return 0;
	if (fscanf(fp, "%lu %lu", &size, &res) != 2)
		res = 0;
	fclose(fp);
	return page > 0 ? res * (unsigned long)page / (1024ul * 1024ul) : 0;
}

static unsigned limit(const struct kt_budget *b, enum kt_budget_kind k)
{
	switch (k) {
	case KT_BUDGET_FULL_PARSE:
		return b->lim.full_parses;
	case KT_BUDGET_LIGHT_PARSE:
		return b->lim.light_parses;
	case KT_BUDGET_FILE_READ:
		return b->lim.files_read;
	case KT_BUDGET_TREE_SEARCH:
	case KT_BUDGET_NKINDS:
		break;
	}
	return b->lim.tree_searches;
}

void kt_budget_init(struct kt_budget *b, const struct kt_source_limits *lim)
{
	static const struct kt_source_limits none;

	*b = (struct kt_budget){0};
	b->lim = lim ? *lim : none;
	if (!b->lim.full_parses)
		b->lim.full_parses = KT_SOURCE_DEFAULT_FULL_PARSES;
	if (!b->lim.light_parses)
		b->lim.light_parses = KT_SOURCE_DEFAULT_LIGHT_PARSES;
	if (!b->lim.files_read)
		b->lim.files_read = KT_SOURCE_DEFAULT_FILES_READ;
	if (!b->lim.tree_searches)
		b->lim.tree_searches = KT_SOURCE_DEFAULT_TREE_SEARCHES;
	if (!b->lim.ms)
		b->lim.ms = KT_SOURCE_DEFAULT_MS;
	if (!b->lim.rss_mb)
		b->lim.rss_mb = KT_SOURCE_DEFAULT_RSS_MB;
	kt_budget_begin(b);
}

void kt_budget_fini(struct kt_budget *b)
{
	for (int k = 0; k < KT_BUDGET_NKINDS; k++) {
		free(b->first_refused[k]);
		b->first_refused[k] = NULL;
	}
	for (size_t i = 0; i < b->ntaken; i++)
		free(b->taken[i]);
	free(b->taken);
	b->taken = NULL;
	b->ntaken = 0;
}

void kt_budget_begin(struct kt_budget *b)
{
	kt_budget_fini(b);
	for (int k = 0; k < KT_BUDGET_NKINDS; k++)
		b->used[k] = b->refused[k] = 0;
	b->out_of_time = b->out_of_memory = false;
	b->start = now_s();
	b->deadline = b->start + b->lim.ms / 1000.0;
	b->seconds = 0;
}

bool kt_budget_take(struct kt_budget *b, enum kt_budget_kind k, const char *what)
{
	bool parse = k == KT_BUDGET_FULL_PARSE || k == KT_BUDGET_LIGHT_PARSE;

	if (!b->out_of_time && now_s() > b->deadline)
		b->out_of_time = true;
	if (parse && !b->out_of_memory && rss_mb() > b->lim.rss_mb)
		b->out_of_memory = true;
	if (b->used[k] < limit(b, k) && !b->out_of_time && !(parse && b->out_of_memory)) {
		b->used[k]++;
		return true;
	}
	if (!b->refused[k]++)
		b->first_refused[k] = kt_xstrdup(what && *what ? what : "?");
	return false;
}

bool kt_budget_taken(const struct kt_budget *b, enum kt_budget_kind k, const char *what)
{
	struct kt_strbuf key;
	bool r = false;

	kt_strbuf_init(&key);
	kt_strbuf_addf(&key, "%d:%s", (int)k, what ? what : "");
	for (size_t i = 0; i < b->ntaken && !r; i++)
		r = strcmp(b->taken[i], key.buf) == 0;
	kt_strbuf_fini(&key);
	return r;
}

bool kt_budget_take_once(struct kt_budget *b, enum kt_budget_kind k, const char *what)
{
	struct kt_strbuf key;

	if (kt_budget_taken(b, k, what))
		return true;
	kt_strbuf_init(&key);
	kt_strbuf_addf(&key, "%d:%s", (int)k, what ? what : "");
	if (!kt_budget_take(b, k, what)) {
		kt_strbuf_fini(&key);
		return false;
	}
	b->taken = kt_xrealloc(b->taken, (b->ntaken + 1) * sizeof(*b->taken));
	b->taken[b->ntaken++] = kt_strbuf_detach(&key);
	return true;
}

void kt_budget_end(struct kt_budget *b, struct kt_facts *facts)
{
	b->seconds = now_s() - b->start;
	if (!facts)
		return;
	for (int k = 0; k < KT_BUDGET_NKINDS; k++) {
		struct kt_strbuf sb;

		if (!b->refused[k])
			continue;
		kt_strbuf_init(&sb);
		if (b->out_of_time)
			kt_strbuf_addf(&sb, "%s: past the time bound (%u ms)", kind_names[k],
				       b->lim.ms);
		else if (b->out_of_memory && k <= KT_BUDGET_LIGHT_PARSE)
			kt_strbuf_addf(&sb, "%s: past the memory bound (%u MB resident)",
				       kind_names[k], b->lim.rss_mb);
		else
			kt_strbuf_addf(&sb, "%s: past the bound (%u a report)", kind_names[k],
				       limit(b, k));
		kt_strbuf_addf(&sb, "; %u given up, the first %s", b->refused[k],
			       b->first_refused[k]);
		kt_facts_add_str(facts, "src.incomplete", sb.buf, KT_ORIGIN_SOURCE);
		kt_src_note(facts, NULL, "the source stage is incomplete: %s", sb.buf);
		kt_strbuf_fini(&sb);
	}
}

void kt_budget_usage(const struct kt_budget *b, struct kt_source_usage *out)
{
	out->full_parses = b->used[KT_BUDGET_FULL_PARSE];
	out->light_parses = b->used[KT_BUDGET_LIGHT_PARSE];
	out->files_read = b->used[KT_BUDGET_FILE_READ];
	out->tree_searches = b->used[KT_BUDGET_TREE_SEARCH];
	out->seconds = b->seconds;
	out->gave_up = 0;
	for (int k = 0; k < KT_BUDGET_NKINDS; k++)
		out->gave_up += b->refused[k];
}
