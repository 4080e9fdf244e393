// SPDX-License-Identifier: Apache-2.0
/*
 * Translation units parsed with libclang and kept for the batch. A full parse
 * uses the compile flags and gives types; a light parse reads only the main
 * file (no includes) and gives its tokens, for the stack walk through frames
 * whose types are not needed and for the fallback when a full parse fails.
 * The cache is bounded (least recently used goes first) because a kernel TU
 * with its headers takes tens of megabytes.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "budget.h"
#include "clang.h"
#include "func.h"
#include "internal.h"
#include "memo.h"
#include "revtree.h"
#include "tu.h"

#define KT_TU_MAX_FULL	6
#define KT_TU_MAX_LIGHT 48

struct slot {
	struct kt_tu t;
	unsigned long long used;
};

struct kt_tu_cache {
	CXIndex idx;
	struct kt_compdb *db;
	const struct kt_tables *tables;
	struct kt_budget *budget;
	char *src_dir;
	struct kt_revtree *rt;
	struct slot **s;
	size_t n, cap;
	unsigned long long clock;
	unsigned parses;
	double parse_ms;
	struct kt_memo *memo; /* records what each parse read */
};

struct kt_tu_cache *kt_tu_cache_new(struct kt_compdb *db, const char *src_dir,
				    const struct kt_tables *tables, struct kt_revtree *rt,
				    struct kt_budget *budget)
{
	struct kt_tu_cache *c = kt_xcalloc(1, sizeof(*c));

	c->rt = rt;
	c->budget = budget;
	c->tables = tables;
	c->db = db;
	c->src_dir = kt_xstrdup(src_dir);
	return c;
}

static void tu_fini(struct kt_tu *t)
{
	kt_tu_index_free(t->index);
	if (t->tu)
		clang_disposeTranslationUnit(t->tu);
	free(t->rel);
	free(t->first_error);
	free(t->deps);
}

void kt_tu_cache_free(struct kt_tu_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		tu_fini(&c->s[i]->t);
		free(c->s[i]);
	}
	free(c->s);
	if (c->idx)
		clang_disposeIndex(c->idx);
	free(c->src_dir);
	free(c);
}

void kt_tu_cache_set_memo(struct kt_tu_cache *c, struct kt_memo *memo)
{
	c->memo = memo;
}

unsigned kt_tu_cache_parses(const struct kt_tu_cache *c)
{
	return c->parses;
}

double kt_tu_cache_parse_ms(const struct kt_tu_cache *c)
{
	return c->parse_ms;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static bool evict(struct kt_tu_cache *c, bool full)
{
	size_t count = 0, victim = (size_t)-1;

	for (size_t i = 0; i < c->n; i++) {
		if (c->s[i]->t.full != full)
			continue;
		count++;
		if (victim == (size_t)-1 || c->s[i]->used < c->s[victim]->used)
			victim = i;
	}
	if (count <= (full ? KT_TU_MAX_FULL : KT_TU_MAX_LIGHT) || victim == (size_t)-1)
		return false;
	tu_fini(&c->s[victim]->t);
	free(c->s[victim]);
	c->s[victim] = c->s[--c->n];
	return true;
}

void kt_tu_cache_trim(struct kt_tu_cache *c)
{
	while (evict(c, true))
		;
	while (evict(c, false))
		;
}

static void tu_dep(struct kt_tu *t, size_t dep)
{
	if (dep == (size_t)-1)
		return;
	if ((t->ndeps & (t->ndeps - 1)) == 0)
		t->deps = kt_xrealloc(t->deps, (t->ndeps ? t->ndeps * 2 : 1) * sizeof(*t->deps));
	t->deps[t->ndeps++] = dep;
}

static void record_inclusion(CXFile f, CXSourceLocation *stack, unsigned depth, CXClientData data)
{
	struct kt_tu *t = data;
	CXString name = clang_getFileName(f);
	size_t len = 0;
	const char *text = clang_getFileContents(t->tu, f, &len);

	(void)stack;
	(void)depth;
	tu_dep(t, kt_memo_dep_parsed(t->memo, clang_getCString(name), text, len, text != NULL));
	clang_disposeString(name);
}

/* What the parse read, for the persistent cache: every file, with the
 * contents libclang parsed, and a full parse's arguments. */
static void record_parse(struct kt_memo *memo, struct kt_tu *t, const char *rel, char **argv,
			 int argc, bool from_db)
{
	if (!memo)
		return;
	t->memo = memo;
	if (t->full)
		tu_dep(t, kt_memo_dep_args(memo, rel, argv, argc, from_db));
	clang_getInclusions(t->tu, record_inclusion, t);
	t->memo = NULL;
}

/* A light parse: no headers; the kernel's attribute macros become nothing so
 * that function definitions still parse. */
/* clang-format off */
static const char *const light_args[] = {
	"-nostdinc", "-w", "-ferror-limit=0", "-D__always_inline=inline", "-Dnoinline=",
	"-D__init=", "-D__exit=", "-D__cold=", "-D__must_check=", "-Dnotrace=", "-D__sched=",
	"-D__user=", "-D__rcu=", "-D__iomem=", "-D__percpu=", "-D__force=", "-D__visible=",
	"-Dasmlinkage=", "-D__attribute_const__=", "-D__noreturn=", "-Dnoinstr=",
	"-D__always_unused=", "-D__maybe_unused=", "-D__latent_entropy=", "-D__read_mostly=",
	"-D__releases(x)=", "-D__acquires(x)=", "-D__must_hold(x)=", "-D__cacheline_aligned=",
	"-Dunlikely(x)=(x)", "-Dlikely(x)=(x)", "-D__ro_after_init=", "-D__weak=",
};
/* clang-format on */

struct kt_tu *kt_tu_get(struct kt_tu_cache *c, const char *rel, bool full)
{
	struct kt_strbuf path;
	struct kt_tu t = {0};
	char **argv = NULL;
	int argc = 0;
	bool from_db = false;
	double t0;
	enum CXErrorCode ec;
	struct CXUnsavedFile *uv = NULL;
	size_t nuv;

	enum kt_budget_kind kind = full ? KT_BUDGET_FULL_PARSE : KT_BUDGET_LIGHT_PARSE;

	/* a request is served by a parse of its own kind only: a full parse
	 * left by an earlier report would answer a light request differently
	 * (bodies a light parse loses), and a report's facts must not depend
	 * on which reports came before it (-j sends them to other workers);
	 * a TU parsed for an earlier report costs this one what parsing it
	 * would */
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->s[i]->t.rel, rel) == 0 && c->s[i]->t.full == full) {
			if (c->budget && !kt_budget_take_once(c->budget, kind, rel))
				return NULL;
			c->s[i]->used = ++c->clock;
			kt_memo_mark(c->memo, c->s[i]->t.deps, c->s[i]->t.ndeps);
			return &c->s[i]->t;
		}
	if (!c->idx) {
		/* the first parse loads libclang (clang.h) */
		struct kt_error *err = kt_clang_load();

		if (err) {
			kt_error_free(err);
			return NULL;
		}
		c->idx = clang_createIndex(0, 0);
	}
	kt_strbuf_init(&path);
	kt_strbuf_addf(&path, "%s/%s", c->src_dir, rel);
	if (kt_revtree_kind(c->rt, rel) != KT_GIT_FILE ||
	    (c->budget && !kt_budget_take_once(c->budget, kind, rel))) {
		kt_strbuf_fini(&path);
		return NULL;
	}
	if (full) {
		kt_compdb_args(c->db, rel, &argv, &argc, &from_db);
	} else {
		argv = kt_xcalloc(sizeof(light_args) / sizeof(light_args[0]), sizeof(char *));
		for (size_t i = 0; i < sizeof(light_args) / sizeof(light_args[0]); i++)
			argv[argc++] = kt_xstrdup(light_args[i]);
	}
	t0 = now_ms();
	nuv = kt_revtree_unsaved(c->rt, rel, argv, argc, full, &uv);
	ec = clang_parseTranslationUnit2(
	    c->idx, path.buf, (const char *const *)argv, argc, uv, (unsigned)nuv,
	    CXTranslationUnit_KeepGoing | (full ? 0 : CXTranslationUnit_SingleFileParse), &t.tu);
	t.ms = now_ms() - t0;
	c->parses++;
	c->parse_ms += t.ms;
	t.full = full;
	if (ec == CXError_Success && t.tu)
		record_parse(c->memo, &t, rel, argv, argc, from_db);
	else if (c->memo && full)
		kt_memo_dep_args(c->memo, rel, argv, argc, from_db);
	kt_args_free(argv, argc);
	kt_strbuf_fini(&path);
	if (ec != CXError_Success || !t.tu)
		return NULL;
	t.rel = kt_xstrdup(rel);
	t.tables = c->tables;
	{
		unsigned nd = clang_getNumDiagnostics(t.tu);

		for (unsigned i = 0; i < nd; i++) {
			CXDiagnostic d = clang_getDiagnostic(t.tu, i);
			enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);

			if (sev >= CXDiagnostic_Error) {
				t.nerrors++;
				if (!t.first_error)
					t.first_error = kt_cx_str(clang_formatDiagnostic(
					    d, CXDiagnostic_DisplaySourceLocation));
			}
			clang_disposeDiagnostic(d);
		}
		t.errors = t.nerrors > 0;
	}
	/* a file may have a light and a full entry: each serves its kind */
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 8;
		c->s = kt_xrealloc(c->s, c->cap * sizeof(*c->s));
	}
	c->s[c->n] = kt_xcalloc(1, sizeof(struct slot));
	c->s[c->n]->t = t;
	c->s[c->n]->used = ++c->clock;
	return &c->s[c->n++]->t;
}
