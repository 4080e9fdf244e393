// SPDX-License-Identifier: Apache-2.0
/*
 * The source stage: for each access of a report, the access expression at the
 * innermost frame and the locks held along its stack, then the two sides
 * related (same object? which locks in common?). Everything found becomes a
 * fact (origin source); soft problems become "note" facts.
 */
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>

#include "internal.h"
#include "kcsan/source.h"

#define KT_MAX_WALK_FRAMES 32

struct hmap {
	char *header, *c_file; /* c_file NULL: no includer found */
};

struct kt_source {
	char *src_dir;
	struct hmap *hm; /* headers with function bodies -> the .c including them */
	size_t nhm;
	CXIndex idx;
	struct kt_compdb *db;
	struct kt_tu_cache *cache;
	struct kt_tables tables;
	char **files; /* the tree's .c and .h files (relative), built on first need */
	size_t nfiles;
	bool indexed;
};

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
	s->idx = clang_createIndex(0, 0);
	s->cache = kt_tu_cache_new(s->idx, s->db, s->src_dir, &s->tables);
	*out = s;
	return NULL;
}

void kt_source_close(struct kt_source *s)
{
	if (!s)
		return;
	kt_tu_cache_free(s->cache);
	if (s->idx)
		clang_disposeIndex(s->idx);
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

/* ---- per side ---- */

/* An access found in a helper the frame's function calls: walk fn[0] up to
 * at[0] (the access, or its call of fn[1]), then fn[1] up to at[1]. */
struct cand_via {
	struct kt_func fn[2];
	unsigned at[2];
	int n;
};

struct side {
	const char *p; /* "a" or "b" */
	const struct kt_access *acc;
	const struct kt_frame *fr;
	struct kt_frame *own; /* frames with paths made relative to the tree */
	size_t n;
	struct kt_access_info ex;
	bool have_ai;
	bool is_copy;
	struct kt_lockset ls;
	bool ls_known, ls_complete;
	bool drift;		 /* the access line is not in its function here */
	struct kt_func drift_fn; /* ... which is found elsewhere in the file */
	struct kt_tu *drift_tu;
	bool drift_found;     /* an access was matched by field */
	bool drift_elsewhere; /* ... in another file than the frame's (it moved) */
	bool line_ok;	      /* found at its line: that function */
	struct kt_func line_fn;
	struct kt_tu *line_tu;
	unsigned drift_at;   /* and its offset */
	const char *located; /* line, relocated, tokens, not-found (NULL: copies) */
	long shift;	     /* relocated: lines from the reported line */
	unsigned walk_moved; /* caller frames whose call site was found by name */
	const char *context;
	char *tu_rel;	       /* the TU of the access frame */
	struct cand_via *vias; /* per candidate of this side's list: the helpers it is in */
	size_t nvias;
	struct cand_via *via; /* the chosen candidate's, or NULL */
	size_t nown;	      /* frames in own (fr may start after instrumentation) */
	unsigned taken;	      /* placements made by take_candidate() */
};

static void note(struct kt_facts *f, const char *side, const char *fmt, const char *a,
		 const char *b, long n)
{
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	if (side)
		kt_strbuf_addf(&sb, "%s: ", side);
	kt_strbuf_addf(&sb, fmt, a ? a : "", b ? b : "", n);
	kt_facts_add_str(f, "note", sb.buf, KT_ORIGIN_SOURCE);
	kt_strbuf_fini(&sb);
}

/*
 * A frame's file relative to the tree: as printed when relative; an absolute
 * path under --src or under the database's tree (the build machine's) loses
 * that prefix; another absolute path keeps its longest tail that exists in
 * the tree. Paths with ".." are not followed out of the tree. NULL when none.
 */
static char *tree_path(struct kt_source *src, const char *f)
{
	struct kt_strbuf p;
	const char *root;

	if (!f || !*f || strstr(f, "..") || strlen(f) > 4096)
		return NULL;
	if (f[0] != '/') {
		while (kt_str_startswith(f, "./"))
			f += 2;
		return kt_xstrdup(f);
	}
	root = kt_compdb_root(src->db);
	if (kt_str_startswith(f, src->src_dir) && f[strlen(src->src_dir)] == '/')
		return kt_xstrdup(f + strlen(src->src_dir) + 1);
	if (root && kt_str_startswith(f, root) && f[strlen(root)] == '/')
		return kt_xstrdup(f + strlen(root) + 1);
	kt_strbuf_init(&p);
	for (const char *t = strchr(f + 1, '/'); t; t = strchr(t + 1, '/')) {
		struct stat st;

		kt_strbuf_reset(&p);
		kt_strbuf_addf(&p, "%s%s", src->src_dir, t);
		if (stat(p.buf, &st) == 0 && S_ISREG(st.st_mode)) {
			kt_strbuf_fini(&p);
			return kt_xstrdup(t + 1);
		}
	}
	kt_strbuf_fini(&p);
	return kt_xstrdup(f);
}

#define KT_MAX_TREE_FILES 400000
#define KT_MAX_TREE_DIRS  100000
#define KT_MAX_TREE_DEPTH 24

/* Every .c and .h file under the tree (no hidden directories, no symbolic
 * links), relative to it; at most 400000 files, 100000 directories, 24
 * levels. */
static void index_tree(struct kt_source *src)
{
	char **stack = NULL;
	int *depth = NULL;
	size_t n = 0, cap = 0, dirs = 0;

	src->indexed = true;
	stack = kt_xrealloc(stack, sizeof(*stack));
	depth = kt_xrealloc(depth, sizeof(*depth));
	stack[0] = kt_xstrdup("");
	depth[0] = 0;
	n = cap = 1;
	while (n && src->nfiles < KT_MAX_TREE_FILES && dirs++ < KT_MAX_TREE_DIRS) {
		char *rel = stack[--n];
		int d = depth[n];
		struct kt_strbuf p;
		DIR *dir;
		struct dirent *e;

		kt_strbuf_init(&p);
		kt_strbuf_addf(&p, "%s/%s", src->src_dir, rel);
		dir = opendir(p.buf);
		kt_strbuf_fini(&p);
		while (dir && (e = readdir(dir)) != NULL) {
			struct kt_strbuf r;
			size_t l = strlen(e->d_name);
			unsigned char t = e->d_type;

			if (e->d_name[0] == '.')
				continue;
			kt_strbuf_init(&r);
			kt_strbuf_addf(&r, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
			if (t == DT_UNKNOWN) {
				struct kt_strbuf full;
				struct stat st;

				kt_strbuf_init(&full);
				kt_strbuf_addf(&full, "%s/%s", src->src_dir, r.buf);
				t = lstat(full.buf, &st) != 0 ? DT_UNKNOWN
				    : S_ISDIR(st.st_mode)     ? DT_DIR
				    : S_ISREG(st.st_mode)     ? DT_REG
							      : DT_UNKNOWN;
				kt_strbuf_fini(&full);
			}
			if (t == DT_DIR && d < KT_MAX_TREE_DEPTH) {
				if (n == cap) {
					cap *= 2;
					stack = kt_xrealloc(stack, cap * sizeof(*stack));
					depth = kt_xrealloc(depth, cap * sizeof(*depth));
				}
				stack[n] = kt_strbuf_detach(&r);
				depth[n++] = d + 1;
				continue;
			}
			if (t == DT_REG && l > 2 && e->d_name[l - 2] == '.' &&
			    (e->d_name[l - 1] == 'c' || e->d_name[l - 1] == 'h') &&
			    src->nfiles < KT_MAX_TREE_FILES) {
				src->files = kt_xrealloc(src->files,
							 (src->nfiles + 1) * sizeof(*src->files));
				src->files[src->nfiles++] = kt_strbuf_detach(&r);
				continue;
			}
			kt_strbuf_fini(&r);
		}
		if (dir)
			closedir(dir);
		free(rel);
	}
	while (n)
		free(stack[--n]);
	free(stack);
	free(depth);
}

/*
 * A frame's file that is not in the tree (moved since the report's kernel:
 * fs/io_uring.c is io_uring/io_uring.c in 6.1): the one file of the tree
 * with the same name, if exactly one; NULL otherwise.
 */
/* Is rel (relative to the tree) there? */
static bool in_tree(const struct kt_source *src, const char *rel)
{
	struct kt_strbuf p;
	struct stat st;
	bool r;

	kt_strbuf_init(&p);
	kt_strbuf_addf(&p, "%s/%s", src->src_dir, rel);
	r = stat(p.buf, &st) == 0;
	kt_strbuf_fini(&p);
	return r;
}

static char *moved_file(struct kt_source *src, const char *rel)
{
	const char *base, *b2;
	char *found = NULL;
	int n = 0;

	if (!rel || rel[0] == '/' || in_tree(src, rel))
		return NULL;
	base = strrchr(rel, '/');
	base = base ? base + 1 : rel;
	if (!kt_str_endswith(base, ".c") && !kt_str_endswith(base, ".h"))
		return NULL;
	if (!src->indexed)
		index_tree(src);
	for (size_t i = 0; i < src->nfiles && n < 2; i++) {
		b2 = strrchr(src->files[i], '/');
		b2 = b2 ? b2 + 1 : src->files[i];
		if (strcmp(b2, base) == 0) {
			found = src->files[i];
			n++;
		}
	}
	return n == 1 ? kt_xstrdup(found) : NULL;
}

/* Does text define the generated function whose macro is MACRO (without
 * its argument count) and whose written name is gen: a line starting
 * MACROn(gen, or MACRO0(gen)? (`SYSCALL_DEFINE3(rl_reset, ...`) */
static bool defines_generated(const char *text, const char *macro, const char *gen)
{
	size_t l = strlen(gen), ml = strlen(macro);

	if (!ml || !l)
		return false;
	for (const char *p = strstr(text, macro); p; p = strstr(p + 1, macro)) {
		const char *q = p + ml;

		if (p > text && p[-1] != '\n')
			continue;
		if (*q < '0' || *q > '9' || q[1] != '(')
			continue;
		q += 2;
		while (*q == ' ' || *q == '\t')
			q++;
		if (strncmp(q, gen, l) == 0 && (q[l] == ',' || q[l] == ')' || q[l] == ' '))
			return true;
	}
	return false;
}

/* Does text define NAME at top level: NAME( at the start of a line, or
 * after a return type on a line that starts in column 0, followed by a
 * '{' before any ';'? A function a macro generates (access.tbl
 * `generated`: __do_sys_NAME) is found as that macro (SYSCALL_DEFINEn). */
static bool defines(const struct kt_tables *t, const char *text, const char *name)
{
	size_t l = strlen(name);
	const char *gen = NULL;
	const char *macro = kt_tables_generated(t, name, &gen);

	if (macro && defines_generated(text, macro, gen))
		return true;

	for (const char *p = strstr(text, name); p; p = strstr(p + 1, name)) {
		const char *ls = p, *q = p + l;

		if (p > text && (p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') ||
				 (p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= '0' && p[-1] <= '9')))
			continue;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q != '(')
			continue;
		while (ls > text && ls[-1] != '\n')
			ls--;
		if (*ls == ' ' || *ls == '\t' || *ls == '#' || *ls == '/' || *ls == '*')
			continue;
		for (; *q && *q != ';' && *q != '{'; q++)
			;
		if (*q == '{')
			return true;
	}
	return false;
}

#define KT_MAX_SIBLING_BYTES (4u << 20)	 /* one file */
#define KT_MAX_SIBLING_TOTAL (64u << 20) /* one directory */
#define KT_MAX_SIBLING_FILES 4000

/*
 * A function that is not in its frame's file any more may have moved to
 * another file of the same directory (io_uring_clean_tctx went from
 * io_uring/io_uring.c to io_uring/tctx.c), also when the file itself is
 * gone (net/unix/scm.c): the one .c or .h file there that defines it,
 * relative to the tree; NULL if none or several. Bounded: at
 * most 4000 files and 64 MB of a directory are read, 4 MB a file.
 */
static char *moved_function(struct kt_source *src, const char *rel, const char *func)
{
	const char *slash = strrchr(rel, '/');
	char *dir, *found = NULL, *base = kt_func_base_name(func);
	struct kt_strbuf p;
	DIR *d;
	struct dirent *e;
	int n = 0, files = 0;
	size_t total = 0;

	if (!*base) {
		free(base);
		return NULL;
	}
	dir = slash ? kt_xstrndup(rel, (size_t)(slash - rel)) : kt_xstrdup("");
	kt_strbuf_init(&p);
	kt_strbuf_addf(&p, "%s%s%s", src->src_dir, *dir ? "/" : "", dir);
	d = opendir(p.buf);
	while (d && n < 2 && files < KT_MAX_SIBLING_FILES && total < KT_MAX_SIBLING_TOTAL &&
	       (e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		struct kt_strbuf f;
		FILE *fp;
		char *text;
		size_t got;
		struct stat st;

		if (e->d_name[0] == '.' || l < 3 || e->d_name[l - 2] != '.' ||
		    (e->d_name[l - 1] != 'c' && e->d_name[l - 1] != 'h') ||
		    strcmp(e->d_name, slash ? slash + 1 : rel) == 0)
			continue;
		kt_strbuf_init(&f);
		kt_strbuf_addf(&f, "%s/%s", p.buf, e->d_name);
		if (lstat(f.buf, &st) != 0 || !S_ISREG(st.st_mode) ||
		    (size_t)st.st_size > KT_MAX_SIBLING_BYTES || !(fp = fopen(f.buf, "r"))) {
			kt_strbuf_fini(&f);
			continue;
		}
		files++;
		total += (size_t)st.st_size;
		text = kt_xcalloc((size_t)st.st_size + 1, 1);
		got = fread(text, 1, (size_t)st.st_size, fp);
		text[got] = 0;
		fclose(fp);
		if (defines(&src->tables, text, base)) {
			n++;
			free(found);
			found = kt_xstrdup(f.buf + strlen(src->src_dir) + 1);
		}
		free(text);
		kt_strbuf_fini(&f);
	}
	if (d)
		closedir(d);
	kt_strbuf_fini(&p);
	free(dir);
	free(base);
	if (n != 1) {
		free(found);
		return NULL;
	}
	return found;
}

/*
 * Frame k of s (its file made relative to the tree) when that file is not in
 * the tree: the one file of the tree with its name (moved_file), else the one
 * file of its directory that defines the frame's function (moved_function).
 * In the second case the reported line belongs to the other file: it is
 * dropped (0), and the function is placed by name alone. printed: the
 * frames as the report prints them (one note for a run of frames in the
 * same moved file).
 */
/* Directory searches for frames whose file is gone, per side of a report: each may
 * read up to KT_MAX_SIBLING_TOTAL, and a deep stack in a restructured directory
 * would read it once a frame. The innermost frames come first, and they
 * are the ones the access and the lock walk need most. */
#define MAX_DIR_SEARCHES 8

static void map_frame_file(struct kt_source *src, struct side *s, size_t k,
			   const struct kt_frame *printed, int *searches, struct kt_facts *facts)
{
	struct kt_frame *f = &s->own[k];
	char *moved = moved_file(src, f->file);

	if (moved) {
		if (k == 0 || !printed[k - 1].file || !printed[k].file ||
		    strcmp(printed[k - 1].file, printed[k].file) != 0)
			note(
			    facts, s->p,
			    "%s is not in the tree; the one file of that name, %s, is read instead",
			    f->file, moved, 0);
		free(f->file);
		f->file = moved;
		return;
	}
	if (!f->file || f->file[0] == '/' || !f->func || in_tree(src, f->file))
		return;
	if (*searches >= MAX_DIR_SEARCHES) {
		note(facts, s->p,
		     "%s is not in the tree; %s is not looked for in its directory (at most "
		     "%ld directory searches a report)",
		     f->file, f->func, MAX_DIR_SEARCHES);
		return;
	}
	(*searches)++;
	moved = moved_function(src, f->file, f->func);
	if (moved) {
		struct kt_strbuf m;

		kt_strbuf_init(&m);
		kt_strbuf_addf(&m,
			       "%s is not in the tree; %s, the one file of its directory defining "
			       "%s, is read (the reported line %d is not compared)",
			       f->file, moved, f->func, f->line);
		note(facts, s->p, "%s", m.buf, NULL, 0);
		kt_strbuf_fini(&m);
		free(f->file);
		f->file = moved;
		f->line = 0;
	}
}

/*
 * Frames printed without a file (syzbot prints `func+0x13e/0x640` alone for
 * some): when frames of the report with the same function name (either
 * stack) give it a file, and all give the same, that file is read; the line
 * stays unknown (0), so the function is placed by its name and body.
 */
static void borrow_files(struct side *s, size_t ns, struct kt_facts *facts)
{
	for (size_t i = 0; i < ns; i++)
		for (size_t k = 0; k < s[i].nown; k++) {
			struct kt_frame *f = &s[i].own[k];
			char *base;
			const char *file = NULL;
			bool clash = false;

			if (f->file || !f->func)
				continue;
			base = kt_func_base_name(f->func);
			for (size_t j = 0; j < ns && !clash; j++)
				for (size_t m = 0; m < s[j].nown && !clash; m++) {
					const struct kt_frame *g = &s[j].own[m];
					char *gb;

					if (!g->file || !g->func)
						continue;
					gb = kt_func_base_name(g->func);
					if (strcmp(gb, base) == 0) {
						clash = file && strcmp(file, g->file) != 0;
						file = g->file;
					}
					free(gb);
				}
			if (file && !clash && *base) {
				note(facts, s[i].p,
				     "%s has no file:line in the report; %s, where another frame "
				     "of the report places it, is read",
				     base, file, 0);
				f->file = kt_xstrdup(file);
				f->line = 0;
			}
			free(base);
		}
}

static bool is_header(const char *f)
{
	return kt_str_endswith(f, ".h");
}

/* Does the file say #include "name"? */
static bool includes(const char *path, const char *name)
{
	FILE *fp = fopen(path, "r");
	char line[512];
	bool r = false;

	if (!fp)
		return false;
	while (!r && fgets(line, sizeof(line), fp)) {
		const char *p = line;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '#')
			continue;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "include", 7) != 0)
			continue;
		p = strchr(p, '"');
		r = p && strncmp(p + 1, name, strlen(name)) == 0 && p[1 + strlen(name)] == '"';
	}
	fclose(fp);
	return r;
}

/* A function compiled from a header (kernel/rcu/tree_plugin.h) is parsed
 * through the .c file of its directory that includes it. */
static const char *header_includer(struct kt_source *src, const char *rel)
{
	const char *slash = strrchr(rel, '/');
	struct kt_strbuf dir;
	DIR *d;
	struct dirent *de;
	char *found = NULL;

	for (size_t i = 0; i < src->nhm; i++)
		if (strcmp(src->hm[i].header, rel) == 0)
			return src->hm[i].c_file;
	kt_strbuf_init(&dir);
	kt_strbuf_addf(&dir, "%s/%.*s", src->src_dir, slash ? (int)(slash - rel) : 0, rel);
	d = opendir(dir.buf);
	while (d && !found && (de = readdir(d))) {
		struct kt_strbuf p;

		if (!kt_str_endswith(de->d_name, ".c"))
			continue;
		kt_strbuf_init(&p);
		kt_strbuf_addf(&p, "%s/%s", dir.buf, de->d_name);
		if (includes(p.buf, slash ? slash + 1 : rel)) {
			kt_strbuf_reset(&p);
			kt_strbuf_addf(&p, "%.*s%s", slash ? (int)(slash - rel + 1) : 0, rel,
				       de->d_name);
			found = kt_strbuf_detach(&p);
		} else {
			kt_strbuf_fini(&p);
		}
	}
	if (d)
		closedir(d);
	kt_strbuf_fini(&dir);
	src->hm = kt_xrealloc(src->hm, (src->nhm + 1) * sizeof(*src->hm));
	src->hm[src->nhm].header = kt_xstrdup(rel);
	src->hm[src->nhm].c_file = found;
	return src->hm[src->nhm++].c_file;
}

/* The compiled file a frame's code lives in: the first non-inline frame at or
 * after i (inline frames are inside it). */
static const char *frame_tu_of(struct kt_source *src, const struct side *s, size_t i)
{
	const char *f = s->fr[i].file;

	for (size_t j = i; j < s->n; j++)
		if (!s->fr[j].inlined) {
			f = s->fr[j].file;
			break;
		}
	if (f && is_header(f)) {
		const char *c = header_includer(src, f);

		if (c)
			return c;
	}
	return f;
}

/* The TU to read frame i from: the full parse when it is one of the report's
 * access TUs (deterministic per report), else a light parse of its own file. */
static struct kt_tu *tu_for_frame(struct kt_source *src, const struct side *s, size_t i,
				  const char *const full_rels[2])
{
	const char *rel = frame_tu_of(src, s, i);

	if (rel && !is_header(rel))
		for (int k = 0; k < 2; k++)
			if (full_rels[k] && strcmp(full_rels[k], rel) == 0) {
				struct kt_tu *tu = kt_tu_get(src->cache, rel, true);

				if (tu)
					return tu;
			}
	return s->fr[i].file ? kt_tu_get(src->cache, s->fr[i].file, false) : NULL;
}

/*
 * A function gone from its file may now be an inline of a header the file
 * includes (a function turned into a wrapper of its new name, or moved
 * out to be shared): the definition the file's own translation unit
 * sees, when it is in a header of the tree.
 */
static void header_function(struct kt_source *src, struct side *s, struct kt_tu *tu,
			    const struct kt_frame *f0, struct kt_facts *facts, bool quiet)
{
	char *base = kt_func_base_name(f0->func);
	char *path;
	size_t dl = strlen(src->src_dir);
	CXCursor c;
	struct kt_func fn;

	if (!kt_tu_lookup(tu, CXCursor_FunctionDecl, base, &c) || !kt_func_from_cursor(c, &fn)) {
		free(base);
		return;
	}
	free(base);
	path = kt_cx_str(clang_getFileName(fn.file));
	if (path && strncmp(path, src->src_dir, dl) == 0 && path[dl] == '/' &&
	    is_header(path + dl + 1) && strcmp(path + dl + 1, f0->file) != 0) {
		s->drift = true;
		s->drift_tu = tu;
		s->drift_fn = fn;
		s->drift_elsewhere = true;
		if (!quiet) {
			struct kt_strbuf m;

			kt_strbuf_init(&m);
			kt_strbuf_addf(&m,
				       "function %s is not in %s: the definition its translation "
				       "unit includes, in %s, is read",
				       f0->func, f0->file, path + dl + 1);
			note(facts, s->p, "%s", m.buf, NULL, 0);
			kt_strbuf_fini(&m);
		}
	}
	free(path);
}

/* A placed function that only forwards to another (an old name kept as a
 * wrapper) has its code in the function it calls: follow such calls, at
 * most 4. */
static void unwrap_forwarders(struct side *s, struct kt_facts *facts, bool quiet)
{
	struct kt_func next;

	for (int i = 0; i < 4 && kt_func_forwarded(&s->drift_fn, &next); i++) {
		if (!quiet)
			note(facts, s->p, "%s only calls %s: its body is read instead",
			     s->drift_fn.name, next.name, 0);
		s->drift_fn = next;
	}
}

static void find_access(struct kt_source *src, struct side *s, const char *prefer, int pick,
			struct kt_facts *facts, bool quiet)
{
	const struct kt_frame *f0 = &s->fr[0];
	const char *rel = frame_tu_of(src, s, 0);
	struct kt_tu *tu;
	struct kt_func fn;
	struct kt_access_query q = {0};
	bool light = false;

	if (s->have_ai)
		kt_access_info_fini(&s->ex);
	s->have_ai = false;
	if (!f0->file || !rel) {
		if (!quiet)
			note(facts, s->p, "the access frame has no file:line%s%s", NULL, NULL, 0);
		return;
	}
	tu = kt_tu_get(src->cache, rel, true);
	if (!tu) {
		if (!quiet)
			note(facts, s->p, "%s: not in the source tree%s", rel, NULL, 0);
		return;
	}
	if (tu->errors && !quiet)
		note(facts, s->p,
		     "%s did not parse cleanly (%s); reading what libclang recovered, tokens where "
		     "types are missing",
		     rel, tu->first_error, 0);
	s->drift = false;
	s->line_ok = false;
	s->located = "not-found";
	/* no line (none printed, or it belonged to another file): the
	 * function is placed by its name and body alone */
	if (f0->line <= 0 ||
	    !kt_func_find(tu, src->src_dir, f0->file, (unsigned)f0->line, f0->func, &fn) ||
	    !fn.by_name) {
		struct kt_tu *lt = kt_tu_get(src->cache, f0->file, false);

		/* the function may still be in its file, at other lines: its
		 * definition by name (with types when the full parse has it) */
		if (kt_func_find_named(tu, src->src_dir, f0->file, f0->func, &s->drift_fn) &&
		    !s->drift_fn.by_tokens) {
			s->drift = true;
			s->drift_tu = tu;
		} else if (lt &&
			   kt_func_find_named(lt, src->src_dir, f0->file, f0->func, &s->drift_fn) &&
			   !s->drift_fn.by_tokens) {
			s->drift = true;
			s->drift_tu = lt;
		} else {
			/* moved to another file of its directory */
			char *mrel = moved_function(src, f0->file, f0->func);
			struct kt_tu *mt = mrel ? kt_tu_get(src->cache, mrel, true) : NULL;

			if (mt &&
			    kt_func_find_named(mt, src->src_dir, mrel, f0->func, &s->drift_fn) &&
			    !s->drift_fn.by_tokens) {
				s->drift = true;
				s->drift_tu = mt;
				s->drift_elsewhere = true;
				if (!quiet) {
					struct kt_strbuf m;

					kt_strbuf_init(&m);
					kt_strbuf_addf(&m,
						       "function %s is not in %s: the one file of "
						       "its directory defining it, %s, is read",
						       f0->func, f0->file, mrel);
					note(facts, s->p, "%s", m.buf, NULL, 0);
					kt_strbuf_fini(&m);
				}
			}
			free(mrel);
		}
		if (!s->drift)
			header_function(src, s, tu, f0, facts, quiet);
		if (s->drift)
			unwrap_forwarders(s, facts, quiet);
		if (s->drift || f0->line <= 0 || !lt ||
		    !kt_func_find(lt, src->src_dir, f0->file, (unsigned)f0->line, f0->func, &fn) ||
		    !fn.by_name) {
			if (quiet)
				return;
			if (!s->drift)
				note(facts, s->p,
				     "function %s is not found by name in %s of this tree nor in "
				     "another file of its directory: renamed or removed since the "
				     "report's kernel, or under a configuration option",
				     f0->func, f0->file, 0);
			else if (f0->line > 0)
				note(facts, s->p,
				     "function %s not found at %s:%ld: the source differs from the "
				     "report's kernel",
				     f0->func, f0->file, f0->line);
			return;
		}
		if (!quiet)
			note(facts, s->p,
			     "function %s not found at %s with the compile flags; token-level "
			     "reading of the file",
			     f0->func, f0->file, 0);
		tu = lt;
		light = true;
	}
	s->located = light ? "tokens" : "line";
	s->line_ok = !light && !fn.by_tokens;
	s->line_fn = fn;
	s->line_tu = tu;
	q.func = f0->func;
	q.line = (unsigned)f0->line;
	q.want_write = kt_access_is_write(s->acc);
	q.want_rmw = s->acc->op == KT_OP_READ_WRITE;
	q.size = (long long)s->acc->size;
	q.prefer = prefer;
	q.pick = pick;
	{
		char nm[64];
		const struct kt_fact *g, *m;

		snprintf(nm, sizeof(nm), "%s.obj.name", s->p);
		g = kt_facts_get(facts, nm);
		snprintf(nm, sizeof(nm), "%s.obj.member", s->p);
		m = kt_facts_get(facts, nm);
		q.global = g && g->type == KT_FACT_STR ? g->s : NULL;
		q.member = m && m->type == KT_FACT_STR ? m->s : NULL;
	}
	kt_access_find(&src->tables, tu, &fn, &q, &s->ex);
	s->have_ai = true;
	if (!s->ex.found && !light && !fn.by_tokens) {
		/* the function is here but its reported line holds no access
		 * that fits: the line has moved inside the body */
		s->drift = true;
		s->drift_tu = tu;
		s->drift_fn = fn;
		s->located = "not-found";
		if (!quiet)
			note(facts, s->p, "no access fitting the report at %s%s:%ld in this tree",
			     f0->file, NULL, f0->line);
		return;
	}
	if (light && !quiet)
		note(facts, s->p, "the access at %s was read without types (token fallback)%s",
		     f0->file, NULL, 0);
	/* a helper working on its parameter: name the caller's object when the
	 * caller passed &x->member (inline or not, when the caller is in this TU) */
	if (s->ex.found && s->ex.param_index >= 0 && s->n > 1 && s->fr[1].file &&
	    s->fr[1].line > 0) {
		struct kt_func cf;

		if (kt_func_find(tu, src->src_dir, s->fr[1].file, (unsigned)s->fr[1].line,
				 s->fr[1].func, &cf))
			kt_access_from_arg(tu, &cf, (unsigned)s->fr[1].line, f0->func,
					   s->ex.param_index, &s->ex);
	}
}

static void copy_access(struct kt_source *src, struct side *s)
{
	const struct kt_copy_entry *c = NULL;
	size_t i;

	for (i = 0; i < s->n && i < 4 && !c; i++) {
		char *b = kt_func_base_name(s->fr[i].func ? s->fr[i].func : "");

		c = kt_tables_copy(&src->tables, "copy", b);
		free(b);
	}
	if (!c)
		return;
	s->is_copy = true;
	memset(&s->ex, 0, sizeof(s->ex));
	s->ex.param_index = -1;
	s->ex.rec_off = -1;
	s->have_ai = true;
	s->ex.found = true;
	s->ex.kind = kt_xstrdup(c->kind);
	s->ex.text = kt_xstrdup(s->fr[i - 1].func);
	s->ex.marking = kt_xstrdup("plain");
	s->ex.size = (long long)s->acc->size;
	s->ex.write = kt_access_is_write(s->acc);
	for (size_t j = i; j < s->n; j++) {
		char *b = kt_func_base_name(s->fr[j].func ? s->fr[j].func : "");
		const struct kt_copy_entry *bf = kt_tables_copy(&src->tables, "buffer", b);

		free(b);
		if (bf) {
			s->ex.buffer = kt_xstrdup(bf->kind);
			s->ex.buffer_desc = kt_xstrdup(bf->desc);
			s->ex.field = kt_xstrdup(bf->desc);
			break;
		}
	}
	if (!s->ex.buffer) {
		s->ex.buffer = kt_xstrdup("unknown");
		s->ex.field = kt_xstrdup(c->desc);
	}
}

/* The call to callee (by name) in fn's body: *on_line when one spans line
 * (its name to its closing parenthesis), else the one nearest line; its
 * offset in *at. False when the body names no call to callee. */
static bool call_site(struct kt_tu *tu, const struct kt_func *fn, const char *callee, unsigned line,
		      unsigned *at, bool *on_line)
{
	struct kt_toks tk;
	char *base = kt_func_base_name(callee ? callee : "");
	bool ok = false;
	unsigned bd = 0;

	*on_line = false;
	kt_toks_range(tu->tu, fn->file, fn->body_off, fn->end_off, &tk);
	for (size_t i = 0; i + 1 < tk.n && !*on_line; i++) {
		unsigned l0 = tk.t[i].line, l1 = l0, d;
		int depth = 0;

		if (tk.t[i].kind != CXToken_Identifier || strcmp(tk.t[i].text, base) != 0 ||
		    strcmp(tk.t[i + 1].text, "(") != 0)
			continue;
		for (size_t j = i + 1; j < tk.n; j++) {
			if (!strcmp(tk.t[j].text, "("))
				depth++;
			else if (!strcmp(tk.t[j].text, ")") && --depth == 0) {
				l1 = tk.t[j].line;
				break;
			}
		}
		if (l0 <= line && line <= l1) {
			*at = tk.t[i].off;
			*on_line = ok = true;
			break;
		}
		d = l0 > line ? l0 - line : line - l1;
		if (!ok || d < bd) {
			*at = tk.t[i].off;
			bd = d;
			ok = true;
		}
	}
	kt_toks_free(&tk);
	free(base);
	return ok;
}

static bool call_via_callee(struct kt_tu *tu, const struct kt_func *fn, const char *inner,
			    struct kt_func *mid, unsigned *at_fn, unsigned *at_mid);

static void walk_locks(struct kt_source *src, struct side *s, const char *const full_rels[2],
		       struct kt_facts *facts)
{
	size_t i;
	bool first = false, all = true;

	for (i = 0; i < s->n && i < KT_MAX_WALK_FRAMES; i++) {
		const struct kt_frame *f = &s->fr[i];
		char *base = kt_func_base_name(f->func ? f->func : "");
		bool stop = kt_tables_in(src->tables.entry, src->tables.nentry, base);
		struct kt_tu *tu, *full;
		struct kt_func fn, mid;
		unsigned at, at_mid = 0;
		bool on_line0, via_mid = false;

		if (stop) {
			free(base);
			break;
		}
		/* a frame without a line is read by name: the access's own
		 * frame where it was placed, a caller up to its first call to
		 * the inner frame */
		if (!f->file || (f->line <= 0 && i == 0 && !s->drift_found)) {
			free(base);
			all = false;
			continue;
		}
		tu = tu_for_frame(src, s, i, full_rels);
		if (i == 0 && s->drift_found) {
			/* the access was matched elsewhere in its function */
			tu = s->drift_tu;
			fn = s->drift_fn;
			at = s->drift_at;
			free(base);
		} else if (tu && f->line > 0 &&
			   kt_func_find(tu, src->src_dir, f->file, (unsigned)f->line, base, &fn) &&
			   fn.by_name && kt_line_offset(tu->tu, fn.file, (unsigned)f->line, &at)) {
			unsigned cat;
			bool on_line;

			/* the line is in the function, but the call to the inner
			 * frame may have moved inside it */
			if (i > 0 && !fn.by_tokens &&
			    call_site(tu, &fn, s->fr[i - 1].func, (unsigned)f->line, &cat,
				      &on_line) &&
			    !on_line) {
				at = cat;
				s->walk_moved++;
				note(facts, s->p,
				     "lock walk: the call in %s%s is not at line %ld of this tree; "
				     "read up to its call to the inner frame",
				     base, NULL, f->line);
			}
			free(base);
		} else if (tu && i > 0 &&
			   kt_func_find_named(tu, src->src_dir, f->file, base, &fn) &&
			   call_site(tu, &fn, s->fr[i - 1].func,
				     f->line > 0 ? (unsigned)f->line : 0, &at, &on_line0)) {
			s->walk_moved++;
			/* the line has drifted: the call to the inner frame anchors the walk */
			if (f->line > 0)
				note(facts, s->p,
				     "lock walk: %s%s is not at line %ld of this tree; read up to "
				     "its call to the inner frame",
				     base, NULL, f->line);
			else
				note(facts, s->p,
				     "lock walk: %s%s has no line in the report; read up to its "
				     "first call to the inner frame",
				     base, NULL, 0);
			free(base);
		} else if (tu && i > 0 &&
			   kt_func_find_named(tu, src->src_dir, f->file, base, &fn) &&
			   !fn.by_tokens &&
			   call_via_callee(tu, &fn, s->fr[i - 1].func, &mid, &at, &at_mid)) {
			struct kt_strbuf m;

			/* split since the report's kernel (or a forwarder): the
			 * call to the inner frame is in a function it calls */
			s->walk_moved++;
			via_mid = true;
			kt_strbuf_init(&m);
			kt_strbuf_addf(&m,
				       "lock walk: %s calls %s through %s in this tree; read up to "
				       "that call",
				       base, s->fr[i - 1].func, mid.name);
			note(facts, s->p, "%s", m.buf, NULL, 0);
			kt_strbuf_fini(&m);
			free(base);
		} else {
			note(facts, s->p,
			     "lock walk: function %s not found at %s:%ld; its locks are unknown",
			     base, f->file, f->line);
			free(base);
			all = false;
			continue;
		}
		/* the access's translation unit, read whole, for the walks */
		full = full_rels[0]
			   ? kt_tu_get(src->cache, s->tu_rel ? s->tu_rel : full_rels[0], true)
			   : NULL;
		kt_lockset_walk(&src->tables, tu, &fn, at, full, &s->ls);
		if (via_mid)
			kt_lockset_walk(&src->tables, tu, &mid, at_mid, full, &s->ls);
		/* an access in a helper: the locks the helper takes before it */
		for (int v = 0; i == 0 && s->drift_found && s->via && v < s->via->n; v++)
			kt_lockset_walk(&src->tables, tu, &s->via->fn[v], s->via->at[v], full,
					&s->ls);
		if (i == 0)
			first = true;
	}
	/* known: the access's own function was read; complete: every frame */
	s->ls_known = first;
	s->ls_complete = first && all;
}

/*
 * Double-checked locking on the writing side: before its store, the
 * writer's function reads the same member in a condition while holding a
 * lock it still holds at the store (spin_lock(&x->lock); if (x->inited)
 * goto out; ...; x->inited = 1). Sets SIDE.expr.recheck (and
 * SIDE.expr.recheck_lock) when the function was read; absent otherwise.
 */
static void recheck(struct kt_source *src, struct side *s, struct kt_facts *facts)
{
	struct kt_tu *tu;
	const struct kt_func *fn;
	unsigned at;
	struct kt_access_query q = {0};
	struct kt_cand_list l;
	struct kt_lockset at_w = {0};
	bool found = false;
	char nm[96];

	if (!kt_access_is_write(s->acc) || !s->have_ai || !s->ex.found || !s->ex.field ||
	    s->is_copy || s->via)
		return;
	if (s->drift_found) {
		tu = s->drift_tu;
		fn = &s->drift_fn;
		at = s->drift_at;
	} else if (s->line_ok && s->located && strcmp(s->located, "line") == 0 && s->line_tu) {
		tu = s->line_tu;
		fn = &s->line_fn;
		if (!kt_line_offset(tu->tu, fn->file, (unsigned)s->fr[0].line, &at))
			return;
	} else {
		return;
	}
	if (fn->by_tokens)
		return;
	q.want_write = false;
	q.size = (long long)s->acc->size;
	kt_access_all(&src->tables, tu, fn, &q, &l);
	kt_lockset_walk(&src->tables, tu, fn, at, NULL, &at_w);
	for (size_t k = 0; k < l.n && !found; k++) {
		struct kt_lockset at_r = {0};

		if (l.off[k] >= at || !l.v[k].branch || !l.v[k].field ||
		    strcmp(l.v[k].field, s->ex.field) != 0)
			continue;
		kt_lockset_walk(&src->tables, tu, fn, l.off[k], NULL, &at_r);
		for (size_t a = 0; a < at_r.n && !found; a++) {
			/* taken here, not asserted as held by every caller */
			if (strcmp(at_r.h[a].mode, "exclusive") != 0 || at_r.h[a].weak ||
			    !at_r.h[a].how ||
			    !(strcmp(at_r.h[a].how, "acquired") == 0 ||
			      strcmp(at_r.h[a].how, "guard") == 0 ||
			      strcmp(at_r.h[a].how, "scoped_guard") == 0 ||
			      strcmp(at_r.h[a].how, "trylock") == 0))
				continue;
			for (size_t b = 0; b < at_w.n; b++)
				if (strcmp(at_w.h[b].lock, at_r.h[a].lock) == 0 &&
				    strcmp(at_w.h[b].mode, "exclusive") == 0) {
					snprintf(nm, sizeof(nm), "%s.expr.recheck_lock", s->p);
					kt_facts_set_str(facts, nm, at_r.h[a].lock,
							 KT_ORIGIN_SOURCE);
					found = true;
					break;
				}
		}
		kt_lockset_fini(&at_r);
	}
	snprintf(nm, sizeof(nm), "%s.expr.recheck", s->p);
	kt_facts_set_bool(facts, nm, found, KT_ORIGIN_SOURCE);
	kt_lockset_fini(&at_w);
	kt_cand_list_fini(&l);
}

/*
 * Does the function holding x's access call y's access function (a fast
 * path that falls back to the other side's code)? Sets
 * SIDE.calls_other when x's function was read.
 */
static void calls_other(struct side *x, const struct side *y, struct kt_facts *facts)
{
	const struct kt_func *fn = x->drift_found ? &x->drift_fn : x->line_ok ? &x->line_fn : NULL;
	struct kt_tu *tu = x->drift_found ? x->drift_tu : x->line_tu;
	struct kt_toks tk;
	char *name, nm[64];
	bool found = false;

	if (!fn || !tu || fn->by_tokens || !x->have_ai || !x->ex.found || !y->fr || !y->n ||
	    !y->fr[0].func)
		return;
	name = kt_func_base_name(y->fr[0].func);
	kt_toks_range(tu->tu, fn->file, fn->body_off, fn->end_off, &tk);
	for (size_t i = 0; i + 1 < tk.n && !found; i++)
		found = tk.t[i].kind == CXToken_Identifier && strcmp(tk.t[i].text, name) == 0 &&
			strcmp(tk.t[i + 1].text, "(") == 0;
	kt_toks_free(&tk);
	free(name);
	snprintf(nm, sizeof(nm), "%s.calls_other", x->p);
	kt_facts_set_bool(facts, nm, found, KT_ORIGIN_SOURCE);
}

static void context_of(struct kt_source *src, struct side *s)
{
	s->context = "task";
	if (s->acc->by_interrupt)
		s->context = "irq";
	for (size_t i = 0; i < s->n; i++) {
		char *b = kt_func_base_name(s->fr[i].func ? s->fr[i].func : "");

		for (size_t k = 0; k < src->tables.nirq; k++)
			if (strcmp(src->tables.irq[k], b) == 0) {
				s->context = src->tables.irqkind[k];
				break;
			}
		free(b);
	}
}

static void fname(char *buf, size_t n, const char *side, const char *name)
{
	snprintf(buf, n, "%s.%s", side, name);
}

static void side_facts(struct side *s, struct kt_facts *f)
{
	char nm[96];

	if (s->have_ai && s->ex.found) {
		struct kt_access_info *a = &s->ex;

		fname(nm, sizeof(nm), s->p, "expr.text");
		kt_facts_set_str(f, nm, a->text ? a->text : "", KT_ORIGIN_SOURCE);
		fname(nm, sizeof(nm), s->p, "expr.kind");
		kt_facts_set_str(f, nm, a->kind, KT_ORIGIN_SOURCE);
		if (a->field) {
			fname(nm, sizeof(nm), s->p, "expr.field");
			kt_facts_set_str(f, nm, a->field, KT_ORIGIN_SOURCE);
		}
		if (a->type) {
			fname(nm, sizeof(nm), s->p, "expr.type");
			kt_facts_set_str(f, nm, a->type, KT_ORIGIN_SOURCE);
		}
		fname(nm, sizeof(nm), s->p, "expr.marking");
		kt_facts_set_str(f, nm, a->marking ? a->marking : "plain", KT_ORIGIN_SOURCE);
		fname(nm, sizeof(nm), s->p, "expr.write");
		kt_facts_set_bool(f, nm, a->write, KT_ORIGIN_SOURCE);
		fname(nm, sizeof(nm), s->p, "expr.rmw");
		kt_facts_set_bool(f, nm, a->rmw, KT_ORIGIN_SOURCE);
		fname(nm, sizeof(nm), s->p, "expr.bittest");
		kt_facts_set_bool(f, nm, a->bittest, KT_ORIGIN_SOURCE);
		if (a->bittest && a->has_mask) {
			fname(nm, sizeof(nm), s->p, "expr.mask");
			kt_facts_set_int(f, nm, (int64_t)a->mask, KT_ORIGIN_SOURCE);
		}
		fname(nm, sizeof(nm), s->p, "expr.branch");
		kt_facts_set_bool(f, nm, a->branch, KT_ORIGIN_SOURCE);
		fname(nm, sizeof(nm), s->p, "expr.deref");
		kt_facts_set_bool(f, nm, a->deref, KT_ORIGIN_SOURCE);
		if (a->use_known) {
			fname(nm, sizeof(nm), s->p, "expr.compare_only");
			kt_facts_set_bool(f, nm, a->compare_only, KT_ORIGIN_SOURCE);
			fname(nm, sizeof(nm), s->p, "expr.reload_use");
			kt_facts_set_bool(f, nm, a->reload_use, KT_ORIGIN_SOURCE);
			fname(nm, sizeof(nm), s->p, "expr.use_after_check");
			kt_facts_set_bool(f, nm, a->use_after_check, KT_ORIGIN_SOURCE);
		}
		if (a->stored) {
			fname(nm, sizeof(nm), s->p, "expr.stored");
			kt_facts_set_str(f, nm, a->stored, KT_ORIGIN_SOURCE);
			fname(nm, sizeof(nm), s->p, "expr.stored_clock");
			kt_facts_set_bool(f, nm, a->stored_clock, KT_ORIGIN_SOURCE);
		}
		fname(nm, sizeof(nm), s->p, "expr.data_racy");
		kt_facts_set_bool(f, nm, a->data_racy, KT_ORIGIN_SOURCE);
		fname(nm, sizeof(nm), s->p, "expr.passed_to");
		for (size_t i = 0; i < a->npassed; i++)
			kt_facts_add_str(f, nm, a->passed_to[i], KT_ORIGIN_SOURCE);
		fname(nm, sizeof(nm), s->p, "expr.guards");
		for (size_t i = 0; i < a->nguards; i++)
			kt_facts_add_str(f, nm, a->guards[i], KT_ORIGIN_SOURCE);
		if (a->nguards) {
			fname(nm, sizeof(nm), s->p, "expr.guards_defer");
			kt_facts_set_bool(f, nm, a->guards_defer, KT_ORIGIN_SOURCE);
		}
		if (a->buffer) {
			fname(nm, sizeof(nm), s->p, "expr.buffer");
			kt_facts_set_str(f, nm, a->buffer, KT_ORIGIN_SOURCE);
		}
		if (a->size >= 0) {
			fname(nm, sizeof(nm), s->p, "expr.size");
			kt_facts_set_int(f, nm, a->size, KT_ORIGIN_SOURCE);
		}
		if (a->note)
			note(f, s->p, "%s%s", a->note, NULL, 0);
	} else if (s->have_ai && s->ex.note) {
		note(f, s->p, "%s%s", s->ex.note, NULL, 0);
	}
	if (s->ls_known) {
		struct kt_strbuf sb;

		kt_strbuf_init(&sb);
		fname(nm, sizeof(nm), s->p, "locks.known");
		kt_facts_set_bool(f, nm, true, KT_ORIGIN_SOURCE);
		fname(nm, sizeof(nm), s->p, "locks.complete");
		kt_facts_set_bool(f, nm, s->ls_complete, KT_ORIGIN_SOURCE);
		for (size_t i = 0; i < s->ls.n; i++) {
			kt_strbuf_reset(&sb);
			kt_strbuf_addf(&sb, "%s (%s)", s->ls.h[i].lock, s->ls.h[i].mode);
			fname(nm, sizeof(nm), s->p, s->ls.h[i].weak ? "locks.weak" : "locks");
			kt_facts_add_str(f, nm, sb.buf, KT_ORIGIN_SOURCE);
			kt_strbuf_reset(&sb);
			kt_strbuf_addf(&sb, "%s (%s) in %s", s->ls.h[i].lock, s->ls.h[i].how,
				       s->ls.h[i].func);
			fname(nm, sizeof(nm), s->p, "locks.evidence");
			kt_facts_add_str(f, nm, sb.buf, KT_ORIGIN_SOURCE);
		}
		kt_strbuf_fini(&sb);
	}
	fname(nm, sizeof(nm), s->p, "context");
	kt_facts_set_str(f, nm, s->context, KT_ORIGIN_SOURCE);
	if (s->located) {
		fname(nm, sizeof(nm), s->p, "src.located");
		kt_facts_set_str(f, nm, s->located, KT_ORIGIN_SOURCE);
		if (strcmp(s->located, "relocated") == 0 && !s->drift_elsewhere &&
		    s->fr[0].line > 0) {
			fname(nm, sizeof(nm), s->p, "src.shift");
			kt_facts_set_int(f, nm, s->shift, KT_ORIGIN_SOURCE);
		}
	}
}

/*
 * How far the tree is from the report's kernel: `too-far` when an access was
 * not found, or was relocated without the two sides agreeing on its object;
 * `drifted` when an access or a caller's call site was found by name and body
 * away from its line (or read as tokens); `matches` otherwise.
 */
static void tree_fact(const struct side *s, size_t ns, bool agreed, struct kt_facts *f)
{
	bool far = false, moved = false, any = false;

	for (size_t i = 0; i < ns; i++) {
		moved |= s[i].walk_moved > 0;
		if (!s[i].located)
			continue;
		any = true;
		if (strcmp(s[i].located, "not-found") == 0)
			far = true;
		else if (strcmp(s[i].located, "relocated") == 0) {
			moved = true;
			if (!agreed)
				far = true;
		} else if (strcmp(s[i].located, "tokens") == 0)
			moved = true;
	}
	if (!any && !far)
		return;
	kt_facts_set_str(f, "src.tree",
			 far	 ? "too-far"
			 : moved ? "drifted"
				 : "matches",
			 KT_ORIGIN_SOURCE);
}

/* a is b, or a prefix of b at a member or element boundary. */
static bool prefix_of(const char *a, const char *b)
{
	size_t l = strlen(a);

	return strncmp(a, b, l) == 0 && (b[l] == 0 || b[l] == '.' || b[l] == '[');
}

/* Do the two sides name overlapping memory? *name: the object (caller frees). */
static bool info_overlap(const struct kt_access_info *a, const struct kt_access_info *b,
			 bool copies, char **name)
{

	*name = NULL;
	/* *p of one parameter of one function, on both sides */
	if (!a->field && !b->field && a->deref_key && b->deref_key &&
	    strcmp(a->deref_key, b->deref_key) == 0) {
		*name = kt_xstrdup(a->deref_key);
		return true;
	}
	if (!a->field || !b->field)
		return false;
	if (prefix_of(a->field, b->field)) {
		*name = kt_xstrdup(a->field);
		return true;
	}
	if (prefix_of(b->field, a->field)) {
		*name = kt_xstrdup(b->field);
		return true;
	}
	/* members sharing storage (a union, bit-fields of one byte) */
	if (a->rec && b->rec && strcmp(a->rec, b->rec) == 0 && a->rec_off >= 0 &&
	    a->rec_off == b->rec_off) {
		bool ua = strstr(a->field, "::__") != NULL, ub = strstr(b->field, "::__") != NULL;

		if (ua != ub) {
			*name = kt_xstrdup(ua ? b->field : a->field);
		} else {
			struct kt_strbuf sb;

			kt_strbuf_init(&sb);
			kt_strbuf_addf(&sb, "%s / %s (same storage)", a->field,
				       strstr(b->field, "::") + 2);
			*name = kt_strbuf_detach(&sb);
		}
		return true;
	}
	if (copies) {
		*name = kt_xstrdup(strlen(a->field) >= strlen(b->field) ? a->field : b->field);
		return true;
	}
	return false;
}

static bool same_object(const struct side *x, const struct side *y, char **name)
{
	return info_overlap(&x->ex, &y->ex, x->is_copy && y->is_copy, name);
}

/* Line of a file offset in tu. */
static long off_line(struct kt_tu *tu, CXFile f, unsigned off)
{
	unsigned line = 0;

	clang_getFileLocation(clang_getLocationForOffset(tu->tu, f, off), NULL, &line, NULL, NULL);
	return (long)line;
}

static long labs_l(long v)
{
	return v < 0 ? -v : v;
}

/* Does a field name the binary stage's member or variable at the address? */
static bool fits_binary(const struct kt_access_info *c, const char *global, const char *member)
{
	const char *f = c->field, *m;
	size_t l;

	if (!f)
		return false;
	if (member) {
		m = strstr(f, "::");
		if (!m)
			return false;
		m += 2;
		l = strlen(m);
		return strncmp(member, m, l) == 0 &&
		       (member[l] == 0 || member[l] == '.' || member[l] == '[');
	}
	return global && strcmp(f, global) == 0;
}

static const char *side_fact_str(struct kt_facts *facts, const char *side, const char *name)
{
	char nm[64];
	const struct kt_fact *g;

	snprintf(nm, sizeof(nm), "%s.%s", side, name);
	g = kt_facts_get(facts, nm);
	return g && g->type == KT_FACT_STR ? g->s : NULL;
}

static void take_candidate(struct side *s, struct kt_cand_list *l, size_t k, const char *why,
			   struct kt_facts *facts)
{
	long line;

	if (s->have_ai)
		kt_access_info_fini(&s->ex);
	s->ex = l->v[k];
	memset(&l->v[k], 0, sizeof(l->v[k]));
	s->have_ai = true;
	s->taken++;
	s->drift_found = true;
	s->drift_at = l->off[k];
	s->via = k < s->nvias && s->vias[k].n ? &s->vias[k] : NULL;
	s->located = "relocated";
	line = off_line(s->drift_tu, s->drift_fn.file, l->off[k]);
	s->shift = line - s->fr[0].line;
	{
		struct kt_strbuf sb;

		kt_strbuf_init(&sb);
		kt_strbuf_addf(&sb,
			       "%s: the access was found in %s by name and body, %s, at line %ld",
			       s->p, s->drift_fn.name, why, line);
		if (s->fr[0].line > 0)
			kt_strbuf_addf(&sb, " (reported %ld)", (long)s->fr[0].line);
		else
			kt_strbuf_addf(&sb, " (no line to compare)");
		kt_facts_add_str(facts, "note", sb.buf, KT_ORIGIN_SOURCE);
		kt_strbuf_fini(&sb);
	}
}

/* Of the candidates of l marked in hit, the one nearest the reported line;
 * l->n when none. */
static size_t nearest(struct side *s, struct kt_cand_list *l, const bool *hit)
{
	size_t best = l->n;
	long bd = 0;

	for (size_t k = 0; k < l->n; k++) {
		long d;

		if (!hit[k])
			continue;
		d = labs_l(off_line(s->drift_tu, s->drift_fn.file, l->off[k]) - s->fr[0].line);
		if (best == l->n || d < bd) {
			best = k;
			bd = d;
		}
	}
	return best;
}

/* Count distinct object names: keep the first (*obj takes name), free the
 * others, and add one for each that differs from the first. */
static void tally(char **obj, int *nobj, char *name)
{
	if (!*obj) {
		*obj = name;
		*nobj = 1;
		return;
	}
	if (strcmp(*obj, name) != 0)
		(*nobj)++;
	free(name);
}

/* Both sides were placed in one function of one file of the tree. */
static bool same_body(const struct side *a, const struct side *b)
{
	return a->drift_tu && a->drift_tu == b->drift_tu && a->drift_fn.name[0] &&
	       strcmp(a->drift_fn.name, b->drift_fn.name) == 0 &&
	       a->drift_fn.start_off == b->drift_fn.start_off;
}

/*
 * Both sides in one function, several objects touched by both: edits
 * elsewhere in the function move both reported lines alike, so the pair of
 * accesses whose distance in the tree equals the reported distance (read
 * at line L, write at L + d) names the object, if exactly one object has
 * such a pair.
 */
static bool pair_by_distance(struct side *s, struct kt_cand_list l[2], struct kt_facts *facts,
			     bool say)
{
	long want = (long)s[1].fr[0].line - (long)s[0].fr[0].line;
	size_t ka = l[0].n, kb = l[1].n;
	char *obj = NULL;
	int nobj = 0;

	(void)say;
	if (s[0].fr[0].line <= 0 || s[1].fr[0].line <= 0)
		return false; /* a side without a line: no distance */
	for (size_t a = 0; a < l[0].n; a++)
		for (size_t b = 0; b < l[1].n; b++) {
			char *name;
			long d;

			if (!info_overlap(&l[0].v[a], &l[1].v[b], false, &name))
				continue;
			d = off_line(s[1].drift_tu, s[1].drift_fn.file, l[1].off[b]) -
			    off_line(s[0].drift_tu, s[0].drift_fn.file, l[0].off[a]);
			if (d != want) {
				free(name);
				continue;
			}
			if (!obj) {
				ka = a;
				kb = b;
			}
			tally(&obj, &nobj, name);
		}
	free(obj);
	if (nobj != 1)
		return false;
	take_candidate(&s[0], &l[0], ka,
		       "the one object both sides touch at the reported distance of their lines",
		       facts);
	take_candidate(&s[1], &l[1], kb,
		       "the one object both sides touch at the reported distance of their lines",
		       facts);
	return true;
}

/* Candidate k of side s is in the body of the frame's own function, not in
 * a helper it calls (add_callee_accesses() records a path for those). */
static bool own_body(const struct side *s, size_t k)
{
	return k >= s->nvias || s->vias[k].n == 0;
}

/*
 * The objects both sides' candidates touch: the number of distinct ones,
 * the first one's name in *obj (the caller frees it), and in h0/h1 (when
 * given) the candidates that share one. With own[i], side i's candidates
 * in a helper its function calls are left out.
 */
static int shared_objects(const struct side *s, const struct kt_cand_list l[2],
			  const bool own[2], bool *h0, bool *h1, char **obj)
{
	int nobj = 0;

	*obj = NULL;
	for (size_t a = 0; a < l[0].n; a++) {
		if (own[0] && !own_body(&s[0], a))
			continue;
		for (size_t b = 0; b < l[1].n; b++) {
			char *name;

			if (own[1] && !own_body(&s[1], b))
				continue;
			if (!info_overlap(&l[0].v[a], &l[1].v[b], false, &name))
				continue;
			if (h0)
				h0[a] = true;
			if (h1)
				h1[b] = true;
			tally(obj, &nobj, name);
		}
	}
	return nobj;
}

/*
 * Several objects both sides touch, and no line distance to choose: the
 * report names the function each access is in (a symbolized report prints
 * every inline helper as a frame of its own), so an access written in that
 * function's own body is a better fit than one in a helper it calls. Try
 * own-body candidates on both sides, then on one side: the first
 * restriction that leaves exactly one shared object places both.
 */
static bool pair_by_own_body(struct side *s, struct kt_cand_list l[2], struct kt_facts *facts)
{
	static const bool need[3][2] = {{true, true}, {true, false}, {false, true}};

	for (int r = 0; r < 3; r++) {
		bool *h0 = kt_xcalloc(l[0].n + 1, sizeof(bool));
		bool *h1 = kt_xcalloc(l[1].n + 1, sizeof(bool));
		char *obj;
		int nobj = shared_objects(s, l, need[r], h0, h1, &obj);
		bool ok = false;

		if (nobj == 1) {
			size_t k0 = nearest(&s[0], &l[0], h0), k1 = nearest(&s[1], &l[1], h1);

			if (k0 < l[0].n && k1 < l[1].n) {
				const char *why =
				    r == 0 ? "the one object both functions touch in "
					     "their own bodies (not in a helper)"
					   : "the one object both sides touch with the "
					     "access in its reported function's own body";

				take_candidate(&s[0], &l[0], k0, why, facts);
				take_candidate(&s[1], &l[1], k1, why, facts);
				ok = true;
			}
		}
		free(obj);
		free(h0);
		free(h1);
		if (ok || nobj == 1)
			return ok;
	}
	return false;
}

/* Both sides' candidates: the one object they share, the nearest access to
 * it on each side. */
static bool pair_match(struct side *s, struct kt_cand_list l[2], struct kt_facts *facts, bool say)
{
	static const bool any[2] = {false, false};
	bool ok = false;
	char *obj;
	bool *h0 = kt_xcalloc(l[0].n + 1, sizeof(bool)), *h1 = kt_xcalloc(l[1].n + 1, sizeof(bool));
	int nobj = shared_objects(s, l, any, h0, h1, &obj);

	if (nobj == 1) {
		size_t k0 = nearest(&s[0], &l[0], h0), k1 = nearest(&s[1], &l[1], h1);

		if (k0 < l[0].n && k1 < l[1].n) {
			take_candidate(&s[0], &l[0], k0, "the one object both sides touch", facts);
			take_candidate(&s[1], &l[1], k1, "the one object both sides touch", facts);
			ok = true;
		}
	} else if (nobj > 1 && same_body(&s[0], &s[1])) {
		ok = pair_by_distance(s, l, facts, say) || pair_by_own_body(s, l, facts);
		if (!ok && say)
			note(facts, NULL,
			     "the source differs from the report's kernel and %s%s%ld objects both "
			     "sides touch fit the report, none at the reported distance of the two "
			     "lines: none chosen",
			     NULL, NULL, (long)nobj);
	} else if (nobj > 1 && pair_by_own_body(s, l, facts)) {
		ok = true;
	} else if (nobj > 1 && say) {
		note(facts, NULL,
		     "the source differs from the report's kernel and %s%s%ld objects both sides "
		     "touch fit the report: none chosen",
		     "", "", nobj);
	} else if (say) {
		note(facts, NULL,
		     "both functions were found by name but no object both touch fits the "
		     "report%s%s (%ld candidates)",
		     NULL, NULL, (long)(l[0].n * 1000 + l[1].n));
	}
	free(obj);
	free(h0);
	free(h1);
	return ok;
}

/*
 * A side whose access is not on its reported line in this tree (another
 * kernel version), while its function is in the file: among the accesses of
 * that function's body fitting the report's direction and size, the one
 * object both sides touch (the other side's found access, or its own fitting
 * ones), if there is exactly one; with nothing from the other side, the one
 * object fitting the binary stage's member at the address, or the only
 * candidate. Of several accesses to that object, the nearest to the
 * reported line.
 */
/* Functions called in a body that the translation unit defines (inline
 * helpers mostly), with the offset of their first call. */
#define MAX_CALLEES 48

struct callee_scan {
	CXCursor def[MAX_CALLEES];
	unsigned at[MAX_CALLEES];
	int n;
	unsigned from, to; /* the body's offsets */
	CXFile file;
};

static enum CXChildVisitResult callee_scan_visit(CXCursor c, CXCursor p, CXClientData d)
{
	struct callee_scan *cs = d;
	CXCursor def;
	CXFile f = NULL;
	unsigned off = 0;

	(void)p;
	if (cs->n >= MAX_CALLEES)
		return CXChildVisit_Break;
	if (clang_getCursorKind(c) != CXCursor_CallExpr)
		return CXChildVisit_Recurse;
	def = clang_getCursorDefinition(clang_getCursorReferenced(c));
	if (clang_Cursor_isNull(def) || clang_getCursorKind(def) != CXCursor_FunctionDecl)
		return CXChildVisit_Recurse;
	for (int i = 0; i < cs->n; i++)
		if (clang_equalCursors(cs->def[i], def))
			return CXChildVisit_Recurse;
	clang_getFileLocation(clang_getCursorLocation(c), &f, NULL, NULL, &off);
	if (!f || !clang_File_isEqual(f, cs->file) || off < cs->from || off >= cs->to)
		off = cs->from; /* the call is written inside a macro's body */
	cs->def[cs->n] = def;
	cs->at[cs->n++] = off;
	return CXChildVisit_Recurse;
}

/*
 * The one function fn calls (defined in the translation unit) whose body
 * calls inner: *mid, with the offset of fn's first call to it in *at_fn and
 * of its call to inner in *at_mid. False when none or several do.
 */
static bool call_via_callee(struct kt_tu *tu, const struct kt_func *fn, const char *inner,
			    struct kt_func *mid, unsigned *at_fn, unsigned *at_mid)
{
	struct callee_scan *cs = kt_xcalloc(1, sizeof(*cs));
	int found = 0;

	cs->from = fn->body_off;
	cs->to = fn->end_off;
	cs->file = fn->file;
	clang_visitChildren(fn->cur, callee_scan_visit, cs);
	for (int i = 0; i < cs->n && found < 2; i++) {
		struct kt_func cf;
		unsigned at;
		bool on_line;

		if (!kt_func_from_cursor(cs->def[i], &cf) ||
		    clang_equalCursors(cs->def[i], fn->cur) ||
		    !call_site(tu, &cf, inner, 0, &at, &on_line))
			continue;
		if (!found++) {
			*mid = cf;
			*at_fn = cs->at[i];
			*at_mid = at;
		}
	}
	free(cs);
	return found == 1;
}

/*
 * The accesses fitting q in the functions fn calls that the translation
 * unit defines, and in the ones those call (inline helpers such as
 * timer_pending() -> hlist_unhashed_lockless(), which have no frame of
 * their own in a report when the frame is not symbolized with its inline
 * chain). Each is appended to l at the offset of fn's call that leads to
 * it, its text naming the helper.
 */
static void add_callee_accesses(struct kt_source *src, struct side *sd, struct kt_tu *tu,
				const struct kt_func *fn, const struct kt_access_query *q,
				struct kt_cand_list *l)
{
	struct callee_scan *outer = kt_xcalloc(1, sizeof(*outer));
	struct kt_access_query cq = *q;

	/* a callee's *p is of its own parameter, not comparable across bodies */
	cq.param_derefs = false;
	q = &cq;
	outer->from = fn->body_off;
	outer->to = fn->end_off;
	outer->file = fn->file;
	clang_visitChildren(fn->cur, callee_scan_visit, outer);
	for (int i = 0; i < outer->n; i++) {
		struct callee_scan *inner = kt_xcalloc(1, sizeof(*inner));
		struct kt_func cf;

		if (!kt_func_from_cursor(outer->def[i], &cf) ||
		    clang_equalCursors(outer->def[i], fn->cur)) {
			free(inner);
			continue;
		}
		inner->def[0] = outer->def[i];
		inner->n = 1;
		inner->from = cf.body_off;
		inner->to = cf.end_off;
		inner->file = cf.file;
		clang_visitChildren(cf.cur, callee_scan_visit, inner);
		for (int j = 0; j < inner->n; j++) {
			struct kt_cand_list tmp;
			struct kt_func f2;

			if (!kt_func_from_cursor(inner->def[j], &f2) ||
			    clang_equalCursors(inner->def[j], fn->cur))
				continue;
			kt_access_all(&src->tables, tu, &f2, q, &tmp);
			for (size_t k = 0; k < tmp.n; k++) {
				struct kt_strbuf sb;

				kt_strbuf_init(&sb);
				kt_strbuf_addf(&sb, "%s (in %s, called by %s)",
					       tmp.v[k].text ? tmp.v[k].text : "", f2.name,
					       j ? cf.name : fn->name);
				free(tmp.v[k].text);
				tmp.v[k].text = kt_strbuf_detach(&sb);
				l->v = kt_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
				l->off = kt_xrealloc(l->off, (l->n + 1) * sizeof(*l->off));
				l->v[l->n] = tmp.v[k];
				l->off[l->n] = outer->at[i];
				sd->vias = kt_xrealloc(sd->vias, (l->n + 1) * sizeof(*sd->vias));
				for (size_t z = sd->nvias; z < l->n; z++)
					memset(&sd->vias[z], 0, sizeof(sd->vias[z]));
				sd->nvias = l->n + 1;
				memset(&sd->vias[l->n], 0, sizeof(sd->vias[l->n]));
				sd->vias[l->n].fn[0] = j ? cf : f2;
				sd->vias[l->n].at[0] = j ? inner->at[j] : tmp.off[k];
				if (j) {
					sd->vias[l->n].fn[1] = f2;
					sd->vias[l->n].at[1] = tmp.off[k];
				}
				sd->vias[l->n].n = j ? 2 : 1;
				l->n++;
				memset(&tmp.v[k], 0, sizeof(tmp.v[k]));
			}
			kt_cand_list_fini(&tmp);
		}
		free(inner);
	}
	free(outer);
}

/* Place the drifted sides among their candidates l (see relocate()). */
static void match_sides(struct side *s, size_t ns, struct kt_cand_list l[2], struct kt_facts *facts)
{
	if (ns == 2 && s[0].drift && s[1].drift && !s[0].drift_found && !s[1].drift_found &&
	    !(s[0].have_ai && s[0].ex.found) && !(s[1].have_ai && s[1].ex.found)) {
		pair_match(s, l, facts, true);
	} else {
		for (size_t i = 0; i < ns; i++) {
			struct side *x = &s[i], *y = ns == 2 ? &s[1 - i] : NULL;
			char *obj = NULL;
			int nobj = 0;
			const char *why = NULL;
			const char *g, *m;
			bool *hit;

			if (!x->drift || x->drift_found || (x->have_ai && x->ex.found))
				continue;
			hit = kt_xcalloc(l[i].n + 1, sizeof(bool));
			if (y && y->have_ai && y->ex.found && y->ex.field) {
				/* the member the other side touches */
				for (size_t k = 0; k < l[i].n; k++) {
					char *name;

					if (!info_overlap(&l[i].v[k], &y->ex,
							  x->is_copy && y->is_copy, &name))
						continue;
					hit[k] = true;
					tally(&obj, &nobj, name);
				}
				why = "the object the other side touches";
			} else {
				/* the binary stage's member at the address, else the
				 * only access that fits */
				g = side_fact_str(facts, x->p, "obj.name");
				m = side_fact_str(facts, x->p, "obj.member");
				for (size_t k = 0; k < l[i].n; k++) {
					if ((g || m) && !fits_binary(&l[i].v[k], g, m))
						continue;
					hit[k] = true;
					tally(&obj, &nobj, kt_xstrdup(l[i].v[k].field));
				}
				why = g || m ? "the member at the report's address"
					     : "the only access of the body that fits the report";
			}
			if (nobj == 1) {
				size_t k = nearest(x, &l[i], hit);

				if (k < l[i].n)
					take_candidate(x, &l[i], k, why, facts);
			} else if (nobj > 1) {
				note(facts, x->p,
				     "the function was found by name but %s%s%ld accesses of its "
				     "body fit the report: none chosen",
				     "", "", nobj);
			} else {
				note(facts, x->p,
				     "the function was found by name but no access of its body "
				     "fits the report%s%s (%ld fit its direction and size)",
				     NULL, NULL, (long)l[i].n);
			}
			free(obj);
			free(hit);
		}
	}
}

static void relocate(struct kt_source *src, struct side *s, size_t ns, struct kt_facts *facts)
{
	struct kt_cand_list l[2];
	bool any = false;

	memset(l, 0, sizeof(l));
	for (size_t i = 0; i < ns; i++) {
		if (!s[i].drift || (s[i].have_ai && s[i].ex.found))
			continue;
		{
			struct kt_access_query q = {0};

			q.want_write = kt_access_is_write(s[i].acc);
			q.size = (long long)s[i].acc->size;
			kt_access_all(&src->tables, s[i].drift_tu, &s[i].drift_fn, &q, &l[i]);
			any = true;
		}
	}
	if (!any)
		return;
	match_sides(s, ns, l, facts);
	/* nothing placed: the access may be in an inline helper the function
	 * calls (reports without inline frames) */
	any = false;
	for (size_t i = 0; i < ns; i++) {
		struct kt_access_query q = {0};

		if (!s[i].drift || s[i].drift_found || (s[i].have_ai && s[i].ex.found) ||
		    !s[i].drift_tu || s[i].drift_fn.by_tokens)
			continue;
		q.want_write = kt_access_is_write(s[i].acc);
		q.size = (long long)s[i].acc->size;
		add_callee_accesses(src, &s[i], s[i].drift_tu, &s[i].drift_fn, &q, &l[i]);
		any = true;
	}
	if (any)
		match_sides(s, ns, l, facts);
	for (size_t i = 0; i < 2; i++)
		kt_cand_list_fini(&l[i]);
}

/* Both sides placed, on one object. */
static bool pair_agrees(const struct side *x, const struct side *y)
{
	char *n = NULL;
	bool r = x->have_ai && x->ex.found && y->have_ai && y->ex.found && same_object(x, y, &n);

	free(n);
	return r;
}

/* The function a side is read in (placed in, else found at its line);
 * false without one parsed with types. */
static bool side_body(const struct side *x, struct kt_tu **tu, struct kt_func *fn)
{
	if (x->drift && x->drift_tu && !x->drift_fn.by_tokens && x->drift_fn.name[0]) {
		*tu = x->drift_tu;
		*fn = x->drift_fn;
		return true;
	}
	if (x->line_ok && x->line_tu && !x->line_fn.by_tokens) {
		*tu = x->line_tu;
		*fn = x->line_fn;
		return true;
	}
	return false;
}

/* Drop the candidates that do not name the binary stage's member or
 * variable at the address (when it named one), with their helper paths. */
static void keep_binary_fits(struct side *x, struct kt_cand_list *l, struct kt_facts *facts)
{
	const char *g = side_fact_str(facts, x->p, "obj.name"),
		   *m = side_fact_str(facts, x->p, "obj.member");
	size_t j = 0;

	if (!g && !m)
		return;
	for (size_t k = 0; k < l->n; k++) {
		if (!fits_binary(&l->v[k], g, m)) {
			kt_access_info_fini(&l->v[k]);
			continue;
		}
		l->v[j] = l->v[k];
		l->off[j] = l->off[k];
		if (j < x->nvias)
			x->vias[j] = k < x->nvias ? x->vias[k] : (struct cand_via){0};
		j++;
	}
	l->n = j;
}

/* Does x's placed access fit its report's direction and name an object
 * among the other side's candidates l? */
static bool corroborated(const struct side *x, const struct kt_cand_list *l)
{
	if (!x->have_ai || !x->ex.found || x->ex.write != kt_access_is_write(x->acc))
		return false;
	for (size_t k = 0; k < l->n; k++) {
		char *name;

		if (info_overlap(&x->ex, &l->v[k], false, &name)) {
			free(name);
			return true;
		}
	}
	return false;
}

/*
 * The two sides still disagree (one not found, or two objects) and at least
 * one is not at its reported line in this tree: a placement the other side's
 * accesses do not corroborate may be something else that happens to sit on
 * its line. Each side's candidates are every access fitting its direction
 * and size in its function's body (with *p of a parameter) and in the
 * helpers it calls; a side whose placement the other's candidates name is
 * kept and the other placed on its object; with none such, the one object
 * both candidate sets name (several: the pair at the reported distance of
 * the lines, in one function) places both. Otherwise nothing changes.
 */
static void corroborate(struct kt_source *src, struct side *s, size_t ns, struct kt_facts *facts)
{
	struct kt_cand_list l[2];
	struct kt_tu *tu[2];
	struct kt_func fn[2];
	struct cand_via *old_vias[2];
	size_t old_nvias[2];
	bool cor[2], ok = false;
	char *obj = NULL, *was[2];
	const char *why = NULL;
	unsigned was_taken[2];
	bool was_dir[2];
	int nobj = 0;

	if (ns != 2 || (!s[0].drift && !s[1].drift) || s[0].is_copy || s[1].is_copy ||
	    pair_agrees(&s[0], &s[1]))
		return;
	for (int i = 0; i < 2; i++)
		if (!side_body(&s[i], &tu[i], &fn[i]))
			return;
	memset(l, 0, sizeof(l));
	for (int i = 0; i < 2; i++) {
		struct kt_access_query q = {0};

		q.want_write = kt_access_is_write(s[i].acc);
		q.size = (long long)s[i].acc->size;
		q.param_derefs = true;
		old_vias[i] = s[i].vias;
		old_nvias[i] = s[i].nvias;
		s[i].vias = NULL;
		s[i].nvias = 0;
		kt_access_all(&src->tables, tu[i], &fn[i], &q, &l[i]);
		add_callee_accesses(src, &s[i], tu[i], &fn[i], &q, &l[i]);
		keep_binary_fits(&s[i], &l[i], facts);
	}
	{
		static const bool any[2] = {false, false};

		nobj = shared_objects(s, l, any, NULL, NULL, &obj);
	}
	cor[0] = corroborated(&s[0], &l[1]);
	cor[1] = corroborated(&s[1], &l[0]);
	for (int i = 0; i < 2; i++) {
		s[i].drift_tu = tu[i];
		s[i].drift_fn = fn[i];
		was[i] =
		    s[i].have_ai && s[i].ex.found && s[i].ex.text ? kt_xstrdup(s[i].ex.text) : NULL;
		was_taken[i] = s[i].taken;
		was_dir[i] = s[i].have_ai && s[i].ex.write == kt_access_is_write(s[i].acc);
	}
	if (cor[0] != cor[1]) {
		/* keep the corroborated one, the other on its object */
		struct side *x = &s[cor[0] ? 0 : 1], *y = &s[cor[0] ? 1 : 0];
		struct kt_cand_list *ly = &l[cor[0] ? 1 : 0];
		bool *hit = kt_xcalloc(ly->n + 1, sizeof(bool));
		size_t k;

		for (k = 0; k < ly->n; k++) {
			char *name;

			hit[k] = info_overlap(&ly->v[k], &x->ex, false, &name);
			free(name);
		}
		k = nearest(y, ly, hit);
		if (k < ly->n) {
			take_candidate(y, ly, k, "the object the other side touches", facts);
			note(facts, x->p,
			     "%s%s is what the other side's function touches: kept, the other "
			     "side placed on it",
			     x->ex.text, NULL, 0);
			why = "the object of the other side's placement";
			ok = true;
		}
		free(hit);
	} else if (!cor[0] && nobj >= 1) {
		ok = pair_match(s, l, facts, false);
		why = "the one object both sides' functions touch";
	}
	for (int i = 0; ok && i < 2; i++) {
		struct kt_strbuf sb;

		if (!was[i] || s[i].taken == was_taken[i])
			continue;
		kt_strbuf_init(&sb);
		kt_strbuf_addf(&sb, "the first placement, %s, %s: replaced by %s", was[i],
			       was_dir[i] ? "is not what the other side's accesses touch"
					  : "does not fit the report's direction",
			       why);
		note(facts, s[i].p, "%s%s", sb.buf, NULL, 0);
		kt_strbuf_fini(&sb);
	}
	if (!ok && nobj > 1 && (was[0] || was[1]))
		note(facts, NULL,
		     "the two sides disagree and %s%s%ld objects both sides' functions touch fit "
		     "the report: none chosen",
		     NULL, NULL, (long)nobj);
	free(was[0]);
	free(was[1]);
	for (int i = 0; i < 2; i++) {
		bool in_new = false;

		for (size_t k = 0; s[i].via && k < s[i].nvias && !in_new; k++)
			in_new = s[i].via == &s[i].vias[k];
		if (in_new) {
			/* placed here in a helper: the new paths are its */
			free(old_vias[i]);
		} else {
			free(s[i].vias);
			s[i].vias = old_vias[i];
			s[i].nvias = old_nvias[i];
		}
	}
	free(obj);
	for (int i = 0; i < 2; i++)
		kt_cand_list_fini(&l[i]);
}

static bool overlaps(const struct side *x, const struct side *y)
{
	char *n;
	bool r = same_object(x, y, &n);

	free(n);
	return r;
}

static bool exclusive_mode(const char *m)
{
	return strcmp(m, "exclusive") == 0 || strcmp(m, "shared") == 0 ||
	       strcmp(m, "exclusive|shared") == 0;
}

static void relate(struct side *s, size_t ns, struct kt_facts *f)
{
	const char *rel = NULL;
	bool common_excl = false, common_shared_only = false, any_common = false;

	if (ns < 2 || !s[0].ls_known || !s[1].ls_known)
		return;
	for (size_t i = 0; i < s[0].ls.n; i++) {
		const struct kt_held *h = &s[0].ls.h[i];

		if (h->weak || !exclusive_mode(h->mode))
			continue;
		for (size_t j = 0; j < s[1].ls.n; j++) {
			const struct kt_held *g = &s[1].ls.h[j];

			bool same = strcmp(h->lock, g->lock) == 0;
			/* one side names it by the struct embedding it, the other
			 * (a helper's parameter) by its own type */
			bool alias = !same && ((h->alt && strcmp(h->alt, g->lock) == 0) ||
					       (g->alt && strcmp(g->alt, h->lock) == 0));

			if (g->weak || !(same || alias) || !exclusive_mode(g->mode))
				continue;
			if (alias) {
				/* the same lock only if the helper got that member:
				 * said apart, not counted as common */
				struct kt_strbuf sb;

				kt_strbuf_init(&sb);
				kt_strbuf_addf(&sb, "%s = %s", h->lock, g->lock);
				kt_facts_add_str(f, "locks.maybe_common", sb.buf, KT_ORIGIN_SOURCE);
				kt_strbuf_fini(&sb);
				continue;
			}
			any_common = true;
			kt_facts_add_str(f, "locks.common", h->lock, KT_ORIGIN_SOURCE);
			if (strcmp(h->mode, "exclusive") == 0 || strcmp(g->mode, "exclusive") == 0)
				common_excl = true;
			else
				common_shared_only = true;
		}
	}
	if (!any_common)
		kt_facts_set_bool(f, "locks.common.known", true, KT_ORIGIN_SOURCE);
	{
		size_t la = 0, lb = 0;
		bool wa = kt_access_is_write(s[0].acc), wb = kt_access_is_write(s[1].acc);

		for (size_t i = 0; i < s[0].ls.n; i++)
			la += !s[0].ls.h[i].weak && exclusive_mode(s[0].ls.h[i].mode);
		for (size_t i = 0; i < s[1].ls.n; i++)
			lb += !s[1].ls.h[i].weak && exclusive_mode(s[1].ls.h[i].mode);
		if (strcmp(s[0].context, s[1].context) != 0)
			rel = "irq-vs-task";
		else if (common_excl)
			rel = "common-lock";
		else if (common_shared_only)
			rel = "conflicting-modes";
		else if (!la && !lb)
			rel = "both-lockless";
		else if (la && lb)
			rel = "disjoint-locks";
		else if ((la && wa && !wb) || (lb && wb && !wa))
			rel = "writer-locked-reader-lockless";
		else if ((la && !wa && wb) || (lb && !wb && wa))
			rel = "reader-locked-writer-lockless";
		else
			rel = "one-side-locked";
	}
	kt_facts_set_str(f, "locks.relation", rel, KT_ORIGIN_SOURCE);
	if (common_excl)
		note(f, NULL,
		     "both sides hold a common lock with one side exclusive, which KCSAN's report "
		     "contradicts: the lockset or the object is wrong, or the lock is not held "
		     "where read%s%s",
		     NULL, NULL, 0);
	if (common_shared_only)
		note(f, NULL,
		     "the common lock is held shared on both sides: it does not order a write made "
		     "under the shared mode%s%s",
		     NULL, NULL, 0);
}

/* A frame of a copy helper (instrument_copy_to_user()): kept, copies are
 * recognized by their helper. */
static bool is_copy_frame(struct kt_source *src, const struct kt_frame *f)
{
	char *b = kt_func_base_name(f->func ? f->func : "");
	bool c = kt_tables_copy(&src->tables, "copy", b) != NULL;

	free(b);
	return c;
}

struct kt_error *kt_source_add_facts(struct kt_source *src, const struct kt_report *rep,
				     const struct kt_frame *const stacks[2],
				     const size_t nframes[2], struct kt_facts *facts)
{
	struct side s[2];
	size_t ns;
	const char *full_rels[2] = {NULL, NULL};
	int dir_searches = 0;

	if (!src || !rep || !facts)
		return kt_error_new(KT_ERR_USAGE, NULL, 0, "kt_source_add_facts: missing argument");
	kt_tu_cache_trim(src->cache);
	ns = rep->naccess < 2 ? rep->naccess : 2;
	memset(s, 0, sizeof(s));
	for (size_t i = 0; i < ns; i++) {
		s[i].p = i == 0 ? "a" : "b";
		s[i].acc = &rep->access[i];
		{
			const struct kt_frame *fr =
			    stacks && stacks[i] ? stacks[i] : rep->access[i].frames;
			size_t n = stacks && stacks[i] ? nframes[i] : rep->access[i].nframes;

			if (n > KT_REPORT_MAX_FRAMES)
				n = KT_REPORT_MAX_FRAMES;
			s[i].own = kt_xcalloc(n ? n : 1, sizeof(struct kt_frame));
			dir_searches = 0;
			for (size_t k = 0; k < n; k++) {
				s[i].own[k] = fr[k];
				s[i].own[k].file = tree_path(src, fr[k].file);
				map_frame_file(src, &s[i], k, fr, &dir_searches, facts);
			}
			s[i].fr = s[i].own;
			s[i].n = n;
			s[i].nown = n;
		}
	}
	borrow_files(s, ns, facts);
	for (size_t i = 0; i < ns; i++) {
		{
			/* instrumentation wrappers (instrument_write(), the
			 * instrumented bitops and atomics) only check the access
			 * their caller makes: the access is written there */
			while (
			    s[i].n > 1 && s[i].fr[0].file &&
			    kt_tables_in(src->tables.instr, src->tables.ninstr, s[i].fr[0].file) &&
			    !is_copy_frame(src, &s[i].fr[0])) {
				s[i].fr++;
				s[i].n--;
			}
		}
		if (s[i].n && s[i].fr[0].file) {
			full_rels[i] = frame_tu_of(src, &s[i], 0);
			s[i].tu_rel = kt_xstrdup(full_rels[i]);
		}
	}
	for (size_t i = 0; i < ns; i++) {
		if (!s[i].n) {
			note(facts, s[i].p, "no frames%s%s", NULL, NULL, 0);
			continue;
		}
		copy_access(src, &s[i]);
		if (!s[i].is_copy)
			find_access(src, &s[i], NULL, 0, facts, false);
	}
	/* several candidates: let the other side's field decide */
	if (ns == 2) {
		for (size_t i = 0; i < 2; i++) {
			struct side *x = &s[i], *y = &s[1 - i];
			char *pref;
			int k;

			if (x->is_copy || !x->have_ai || !x->ex.found || x->ex.ncand < 2 ||
			    !y->have_ai || !y->ex.found || !y->ex.field || overlaps(x, y))
				continue;
			pref = kt_xstrdup(y->ex.field);
			find_access(src, x, pref, 0, facts, true);
			/* equally good candidates (a helper's two parameters): take
			 * the one whose object the other side names */
			for (k = 1; k < 8 && x->have_ai && x->ex.found && !overlaps(x, y); k++) {
				int nbest = x->ex.nbest;

				if (k >= nbest)
					break;
				find_access(src, x, pref, k, facts, true);
			}
			if (!x->have_ai || !x->ex.found || !overlaps(x, y))
				find_access(src, x, pref, 0, facts, true);
			free(pref);
		}
	}
	relocate(src, s, ns, facts);
	corroborate(src, s, ns, facts);
	for (size_t i = 0; i < ns; i++) {
		if (s[i].n)
			walk_locks(src, &s[i], full_rels, facts);
		recheck(src, &s[i], facts);
		if (ns == 2)
			calls_other(&s[i], &s[1 - i], facts);
		context_of(src, &s[i]);
		side_facts(&s[i], facts);
	}
	if (ns == 2 && s[0].have_ai && s[1].have_ai && s[0].ex.found && s[1].ex.found) {
		char *name = NULL;

		if (same_object(&s[0], &s[1], &name)) {
			const struct kt_fact *prev = kt_facts_get(facts, "object");

			/* the binary stage names globals from the address
			 * (rcu_state.expedited_sequence): keep it, add ours apart */
			if (prev && prev->origin == KT_ORIGIN_VMLINUX)
				kt_facts_set_str(facts, "object.source", name, KT_ORIGIN_SOURCE);
			else
				kt_facts_set_str(facts, "object", name, KT_ORIGIN_SOURCE);
			kt_facts_set_bool(facts, "object.same", true, KT_ORIGIN_SOURCE);
			free(name);
		} else {
			struct kt_strbuf sb;

			kt_strbuf_init(&sb);
			kt_strbuf_addf(&sb, "%s / %s", s[0].ex.field ? s[0].ex.field : "?",
				       s[1].ex.field ? s[1].ex.field : "?");
			kt_facts_set_str(facts, "object.differs", sb.buf, KT_ORIGIN_SOURCE);
			kt_facts_set_bool(facts, "object.same", false, KT_ORIGIN_SOURCE);
			kt_strbuf_fini(&sb);
		}
	} else if (ns == 1 && s[0].have_ai && s[0].ex.found && s[0].ex.field) {
		const struct kt_fact *prev = kt_facts_get(facts, "object");

		kt_facts_set_str(
		    facts, prev && prev->origin == KT_ORIGIN_VMLINUX ? "object.source" : "object",
		    s[0].ex.field, KT_ORIGIN_SOURCE);
	}
	relate(s, ns, facts);
	{
		const struct kt_fact *same = kt_facts_get(facts, "object.same");

		tree_fact(s, ns, same && same->type == KT_FACT_BOOL && same->b, facts);
	}
	for (size_t i = 0; i < ns; i++) {
		if (s[i].have_ai)
			kt_access_info_fini(&s[i].ex);
		kt_lockset_fini(&s[i].ls);
		free(s[i].tu_rel);
		free(s[i].vias);
		for (size_t k = 0; k < s[i].nown; k++)
			free(s[i].own[k].file);
		free(s[i].own);
	}
	return NULL;
}
