// SPDX-License-Identifier: Apache-2.0
/*
 * The source stage: for each access of a report, the access expression at the
 * innermost frame and the locks held along its stack, then the two sides
 * related (same object? which locks in common?). Everything found becomes a
 * fact (origin source); soft problems become "note" facts.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clang.h"
#include "facts.h"
#include "frames.h"
#include "kcsan/source.h"
#include "kcsan/table.h"
#include "lockwalk.h"
#include "memo.h"
#include "place.h"
#include "relation.h"
#include "relocate.h"
#include "revtree.h"
#include "side.h"
#include "tu.h"

static char *default_cache_dir(void)
{
	const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	if (x && *x == '/')
		kt_strbuf_addf(&sb, "%s/kcsan-triage", x);
	else if (h && *h)
		kt_strbuf_addf(&sb, "%s/.cache/kcsan-triage", h);
	else
		return NULL;
	return kt_strbuf_detach(&sb);
}

/* The persistent cache of a tree on disk, keyed by the tree and the
 * options; the tables and the compile database are read for every report. */
static void open_memo(struct kt_source *s, const struct kt_source_opts *opts)
{
	char *dir = opts->cache_dir ? kt_xstrdup(opts->cache_dir) : default_cache_dir();
	char real[PATH_MAX];
	struct kt_strbuf salt, db;
	const struct kt_source_limits *l = &s->budget.lim;
	static const char *const tables[] = {"locks.tbl", "access.tbl"};

	if (!dir)
		return;
	kt_strbuf_init(&salt);
	kt_memo_put_str(&salt, realpath(s->src_dir, real) ? real : "");
	kt_memo_put_str(&salt, s->src_dir);
	kt_memo_put_str(&salt, opts->compile_commands);
	kt_memo_put_num(&salt, opts->exact);
	kt_strbuf_addf(&salt, "%u %u %u %u %u %u ", l->full_parses, l->light_parses, l->files_read,
		       l->tree_searches, l->ms, l->rss_mb);
	s->memo = kt_memo_new(dir, s->src_dir, salt.buf, s->rt, s->db);
	kt_strbuf_fini(&salt);
	free(dir);
	if (!s->memo)
		return;
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char *p = kt_rules_path(opts->rules_dir, tables[i]);

		if (p)
			kt_memo_dep_file(s->memo, p, NULL, 0, true);
		free(p);
	}
	kt_strbuf_init(&db);
	if (opts->compile_commands)
		kt_strbuf_adds(&db, opts->compile_commands);
	else
		kt_strbuf_addf(&db, "%s/compile_commands.json", s->src_dir);
	kt_memo_dep_file(s->memo, db.buf, NULL, 0, true);
	kt_strbuf_fini(&db);
	kt_revtree_set_memo(s->rt, s->memo);
	kt_tu_cache_set_memo(s->cache, s->memo);
}

struct kt_error *kt_source_open(const struct kt_source_opts *opts, struct kt_source **out)
{
	struct kt_source *s;
	struct kt_error *err;
	struct stat st;

	*out = NULL;
	if (!opts || !opts->src_dir)
		return kt_error_new(KT_ERR_USAGE, NULL, 0,
				    "the source stage needs a kernel tree (--src)");
	if (stat(opts->src_dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return kt_error_new(KT_ERR_IO, opts->src_dir, 0, "kernel source tree not found");
	s = kt_xcalloc(1, sizeof(*s));
	s->src_dir = kt_xstrdup(opts->src_dir);
	while (strlen(s->src_dir) > 1 && kt_str_endswith(s->src_dir, "/"))
		s->src_dir[strlen(s->src_dir) - 1] = 0;
	if ((err = kt_tables_load(opts->rules_dir, &s->tables))) {
		free(s->src_dir);
		free(s);
		return err;
	}
	if ((err = kt_compdb_open(s->src_dir, opts->compile_commands, &s->db))) {
		kt_tables_free(&s->tables);
		free(s->src_dir);
		free(s);
		return err;
	}
	if (access(kt_clang_library_path(), R_OK) != 0 && (err = kt_clang_load())) {
		/* the library the build found is gone: say so now, not per report */
		kt_compdb_close(s->db);
		kt_tables_free(&s->tables);
		free(s->src_dir);
		free(s);
		return err;
	}
	kt_budget_init(&s->budget, opts->limits);
	s->rt = kt_revtree_new(s->src_dir, opts->rev);
	s->exact = opts->exact;
	s->cache = kt_tu_cache_new(s->db, s->src_dir, &s->tables, s->rt, &s->budget);
	if (opts->cache && !opts->rev)
		open_memo(s, opts);
	*out = s;
	return NULL;
}

void kt_source_close(struct kt_source *s)
{
	if (!s)
		return;
	kt_tu_cache_free(s->cache);
	kt_memo_free(s->memo);
	kt_revtree_free(s->rt);
	kt_compdb_close(s->db);
	kt_tables_free(&s->tables);
	for (size_t i = 0; i < s->nhm; i++) {
		free(s->hm[i].header);
		free(s->hm[i].c_file);
	}
	free(s->hm);
	for (size_t i = 0; i < s->nfiles; i++)
		free(s->files[i]);
	free(s->files);
	free(s->src_dir);
	kt_budget_fini(&s->budget);
	free(s);
}

unsigned kt_source_parses(const struct kt_source *s)
{
	return kt_tu_cache_parses(s->cache);
}

double kt_source_parse_ms(const struct kt_source *s)
{
	return kt_tu_cache_parse_ms(s->cache);
}

void kt_source_cache_counts(const struct kt_source *s, unsigned *hits, unsigned *stores)
{
	kt_memo_counts(s->memo, hits, stores);
}

void kt_source_usage(const struct kt_source *s, struct kt_source_usage *out)
{
	kt_budget_usage(&s->budget, out);
}

/*
 * How a side's access is placed in the tree, in order. Each strategy places
 * what the ones before it left unplaced (the pairing ones may also replace
 * a placement the other side's accesses do not corroborate); a side names
 * the last strategy that placed it (SIDE.src.strategy). The drift ones look
 * for code that moved since the report's kernel: not on its own revision.
 */
static const struct {
	const char *name;
	void (*place)(struct kt_placing *pl);
	bool drift;
} strategies[] = {
    {"copy", kt_place_copies, false},			 /* a copy helper's frame: the copy */
    {"line", kt_place_lines, false},			 /* the access on its reported line */
    {"line-other-object", kt_place_prefer_other, false}, /* ... the one the other side names */
    {"body", kt_reloc_body, true},			 /* the function found by name: its body */
    {"callees", kt_reloc_callees, true},		 /* ... and the helpers it calls */
    {"corroborated", kt_reloc_corroborate, true},	 /* replaced by what both sides touch */
};

static void place_sides(struct kt_placing *pl)
{
	for (size_t k = 0; k < sizeof(strategies) / sizeof(strategies[0]); k++) {
		unsigned before[2] = {0, 0};

		if (strategies[k].drift && pl->src->exact)
			continue;
		for (size_t i = 0; i < pl->ns; i++)
			before[i] = pl->s[i].placements;
		strategies[k].place(pl);
		for (size_t i = 0; i < pl->ns; i++)
			if (pl->s[i].placements != before[i] && pl->s[i].ex.found)
				pl->s[i].strategy = strategies[k].name;
	}
	for (size_t i = 0; i < 2; i++)
		kt_cand_list_fini(&pl->body[i]);
}

static void sides_fini(struct side *s, size_t ns)
{
	for (size_t i = 0; i < ns; i++) {
		kt_access_info_fini(&s[i].ex);
		kt_lockset_fini(&s[i].ls);
		free(s[i].tu_rel);
		for (size_t k = 0; k < s[i].nown; k++)
			free(s[i].own[k].file);
		free(s[i].own);
	}
}

struct kt_error *kt_source_add_facts(struct kt_source *src, const struct kt_report *rep,
				     const struct kt_frame *const stacks[2],
				     const size_t nframes[2], struct kt_facts *facts)
{
	struct side s[2];
	struct kt_placing pl;
	size_t ns;
	const char *full_rels[2] = {NULL, NULL};

	if (!src || !rep || !facts)
		return kt_error_new(KT_ERR_USAGE, NULL, 0, "kt_source_add_facts: missing argument");
	kt_tu_cache_trim(src->cache);
	kt_budget_begin(&src->budget);
	kt_memo_begin(src->memo, rep, stacks, nframes, facts);
	if (kt_memo_replay(src->memo, facts))
		return NULL;
	ns = rep->naccess < 2 ? rep->naccess : 2;
	memset(s, 0, sizeof(s));
	kt_frames_setup(src, s, ns, rep, stacks, nframes, full_rels, facts);
	memset(&pl, 0, sizeof(pl));
	pl.src = src;
	pl.s = s;
	pl.ns = ns;
	pl.facts = facts;
	place_sides(&pl);
	for (size_t i = 0; i < ns; i++) {
		if (s[i].n)
			kt_lockwalk_stack(src, &s[i], full_rels, facts);
		kt_relation_recheck(src, &s[i], facts);
		if (ns == 2)
			kt_relation_calls_other(&s[i], &s[1 - i], facts);
		kt_relation_context(src, &s[i]);
		kt_src_side_facts(&s[i], facts);
	}
	kt_relation_object(s, ns, facts);
	kt_relation_locks(s, ns, facts);
	{
		const struct kt_fact *same = kt_facts_get(facts, "object.same");

		kt_src_tree_fact(s, ns, same && same->type == KT_FACT_BOOL && same->b, facts);
	}
	kt_budget_end(&src->budget, facts);
	sides_fini(s, ns);
	/* a report cut short by a bound of time or memory is not kept */
	if (!kt_facts_get(facts, "src.incomplete"))
		kt_memo_store(src->memo, facts);
	return NULL;
}
