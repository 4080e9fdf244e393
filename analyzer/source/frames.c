// SPDX-License-Identifier: Apache-2.0
/*
 * Frames and tree paths: a frame's file relative to the tree (moved since
 * the report's kernel: the one file of that name, or the one file of its
 * directory defining the function), frames without a file, headers compiled
 * through the .c file including them, and the translation unit each frame
 * is read in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "frames.h"
#include "tokens.h"

/*
 * A frame's file relative to the tree: as printed when relative; an absolute
 * path under --src or under the database's tree (the build machine's) loses
 * that prefix; another absolute path keeps its longest tail that exists in
 * the tree. Paths with ".." are not followed out of the tree. NULL when none.
 */
static char *tree_path(struct kt_source *src, const char *f)
{
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
	for (const char *t = strchr(f + 1, '/'); t; t = strchr(t + 1, '/'))
		if (kt_revtree_kind(src->rt, t + 1) == KT_GIT_FILE)
			return kt_xstrdup(t + 1);
	return kt_xstrdup(f);
}

#define KT_MAX_TREE_FILES 400000

#define KT_MAX_TREE_DIRS 100000

#define KT_MAX_TREE_DEPTH 24

/* Every .c and .h file under the tree (no hidden directories, no symbolic
 * links), relative to it; at most 400000 files, 100000 directories, 24
 * levels. */
static void index_tree(struct kt_source *src)
{
	char **stack = NULL;
	int *depth = NULL;
	size_t n = 0, cap = 0, dirs = 0, fcap = src->nfiles;

	src->indexed = true;
	stack = kt_xrealloc(stack, sizeof(*stack));
	depth = kt_xrealloc(depth, sizeof(*depth));
	stack[0] = kt_xstrdup("");
	depth[0] = 0;
	n = cap = 1;
	while (n && src->nfiles < KT_MAX_TREE_FILES && dirs++ < KT_MAX_TREE_DIRS) {
		char *rel = stack[--n];
		int d = depth[n];
		char **names;
		enum kt_git_kind *kinds;
		size_t ne = kt_revtree_list(src->rt, rel, &names, &kinds);

		for (size_t k = 0; k < ne; k++) {
			struct kt_strbuf r;
			const char *name = names[k];
			size_t l = strlen(name);
			enum kt_git_kind t = kinds[k];

			kt_strbuf_init(&r);
			kt_strbuf_addf(&r, "%s%s%s", rel, *rel ? "/" : "", name);
			if (t == KT_GIT_DIR && d < KT_MAX_TREE_DEPTH) {
				if (n == cap) {
					cap *= 2;
					stack = kt_xrealloc(stack, cap * sizeof(*stack));
					depth = kt_xrealloc(depth, cap * sizeof(*depth));
				}
				stack[n] = kt_strbuf_detach(&r);
				depth[n++] = d + 1;
				continue;
			}
			if (t == KT_GIT_FILE && l > 2 && name[l - 2] == '.' &&
			    (name[l - 1] == 'c' || name[l - 1] == 'h') &&
			    src->nfiles < KT_MAX_TREE_FILES) {
				/* geometric: a tree has tens of thousands */
				if (src->nfiles == fcap) {
					fcap = fcap ? 2 * fcap : 1024;
					src->files =
					    kt_xrealloc(src->files, fcap * sizeof(*src->files));
				}
				src->files[src->nfiles++] = kt_strbuf_detach(&r);
				continue;
			}
			kt_strbuf_fini(&r);
		}
		for (size_t k = 0; k < ne; k++)
			free(names[k]);
		free(names);
		free(kinds);
		free(rel);
	}
	while (n)
		free(stack[--n]);
	free(stack);
	free(depth);
}

/* Is rel (relative to the tree) there? */
static bool in_tree(const struct kt_source *src, const char *rel)
{
	return kt_revtree_kind(src->rt, rel) != KT_GIT_NONE;
}

/*
 * A frame's file that is not in the tree (moved since the report's kernel:
 * fs/io_uring.c is io_uring/io_uring.c in 6.1): the one file of the tree
 * with the same name, if exactly one; NULL otherwise.
 */
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
	if (!kt_budget_take_once(&src->budget, KT_BUDGET_TREE_SEARCH, rel))
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

#define KT_MAX_SIBLING_BYTES (4u << 20) /* one file */

#define KT_MAX_SIBLING_TOTAL (64u << 20) /* one directory */

#define KT_MAX_SIBLING_FILES 4000

/*
 * A function that is not in its frame's file any more may have moved to
 * another file of the same directory (io_uring_clean_tctx went from
 * io_uring/io_uring.c to io_uring/tctx.c), also when the file itself is
 * gone (net/unix/scm.c): the one .c or .h file there that defines it,
 * relative to the tree; NULL if none or several, or when the report's
 * budget ran out before every file was read. Bounded: at most 4000 files
 * and 64 MB of a directory are read, 4 MB a file.
 */
char *kt_frames_moved_function(struct kt_source *src, const char *rel, const char *func)
{
	const char *slash = strrchr(rel, '/');
	char *dir, *found = NULL, *base = kt_func_base_name(func);
	char **names = NULL;
	enum kt_git_kind *kinds = NULL;
	size_t ne, k;
	int n = 0, files = 0;
	size_t total = 0;
	bool cut = false;

	if (!*base || !kt_budget_take(&src->budget, KT_BUDGET_TREE_SEARCH, rel)) {
		free(base);
		return NULL;
	}
	dir = slash ? kt_xstrndup(rel, (size_t)(slash - rel)) : kt_xstrdup("");
	ne = kt_revtree_list(src->rt, dir, &names, &kinds);
	for (k = 0; k < ne && n < 2 && files < KT_MAX_SIBLING_FILES && total < KT_MAX_SIBLING_TOTAL;
	     k++) {
		const char *name = names[k];
		size_t l = strlen(name), got;
		struct kt_strbuf f;
		char *text;

		if (kinds[k] != KT_GIT_FILE || l < 3 || name[l - 2] != '.' ||
		    (name[l - 1] != 'c' && name[l - 1] != 'h') ||
		    strcmp(name, slash ? slash + 1 : rel) == 0)
			continue;
		kt_strbuf_init(&f);
		kt_strbuf_addf(&f, "%s%s%s", dir, *dir ? "/" : "", name);
		if (!kt_budget_take(&src->budget, KT_BUDGET_FILE_READ, f.buf)) {
			kt_strbuf_fini(&f);
			cut = true;
			break;
		}
		if (!kt_revtree_read(src->rt, f.buf, KT_MAX_SIBLING_BYTES, &text, &got)) {
			kt_strbuf_fini(&f);
			continue;
		}
		files++;
		total += got;
		if (defines(&src->tables, text, base)) {
			n++;
			free(found);
			found = kt_strbuf_detach(&f);
		}
		free(text);
		kt_strbuf_fini(&f);
	}
	for (k = 0; k < ne; k++)
		free(names[k]);
	free(names);
	free(kinds);
	free(dir);
	free(base);
	if (n != 1 || cut) {
		free(found);
		return NULL;
	}
	return found;
}

/* Directory searches for frames whose file is gone, per side of a report: each may
 * read up to KT_MAX_SIBLING_TOTAL, and a deep stack in a restructured directory
 * would read it once a frame. The innermost frames come first, and they
 * are the ones the access and the lock walk need most. */
#define MAX_DIR_SEARCHES 8

/*
 * Frame k of s (its file made relative to the tree) when that file is not in
 * the tree: the one file of the tree with its name (moved_file), else the one
 * file of its directory that defines the frame's function (moved_function).
 * In the second case the reported line belongs to the other file: it is
 * dropped (0), and the function is placed by name alone. printed: the
 * frames as the report prints them (one note for a run of frames in the
 * same moved file).
 */
static void map_frame_file(struct kt_source *src, struct side *s, size_t k,
			   const struct kt_frame *printed, int *searches, struct kt_facts *facts)
{
	struct kt_frame *f = &s->own[k];
	char *moved = moved_file(src, f->file);

	if (moved) {
		if (k == 0 || !printed[k - 1].file || !printed[k].file ||
		    strcmp(printed[k - 1].file, printed[k].file) != 0)
			kt_src_note(
			    facts, s->p,
			    "%s is not in the tree; the one file of that name, %s, is read instead",
			    f->file, moved);
		free(f->file);
		f->file = moved;
		return;
	}
	if (!f->file || f->file[0] == '/' || !f->func || in_tree(src, f->file))
		return;
	if (*searches >= MAX_DIR_SEARCHES) {
		kt_src_note(facts, s->p,
			    "%s is not in the tree; %s is not looked for in its directory (at most "
			    "%d directory searches a report)",
			    f->file, f->func, MAX_DIR_SEARCHES);
		return;
	}
	(*searches)++;
	moved = kt_frames_moved_function(src, f->file, f->func);
	if (moved) {
		kt_src_note(
		    facts, s->p,
		    "%s is not in the tree; %s, the one file of its directory defining %s, is read "
		    "(the reported line %d is not compared)",
		    f->file, moved, f->func, f->line);
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
				kt_src_note(
				    facts, s[i].p,
				    "%s has no file:line in the report; %s, where another frame "
				    "of the report places it, is read",
				    base, file);
				f->file = kt_xstrdup(file);
				f->line = 0;
			}
			free(base);
		}
}

bool kt_frames_is_header(const char *f)
{
	return kt_str_endswith(f, ".h");
}

/* Does the file say #include "name"? */
static bool includes(struct kt_source *src, const char *rel, const char *name)
{
	char *text, *line, *save = NULL;
	size_t len;
	bool r = false;

	if (!kt_revtree_read(src->rt, rel, KT_MAX_SIBLING_BYTES, &text, &len))
		return false;
	for (line = strtok_r(text, "\n", &save); !r && line; line = strtok_r(NULL, "\n", &save)) {
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
	free(text);
	return r;
}

/* A function compiled from a header (kernel/rcu/tree_plugin.h) is parsed
 * through the .c file of its directory that includes it. The answer is kept
 * for the batch, unless the report's budget cut the search short (it would
 * then depend on the reports before). */
static const char *header_includer(struct kt_source *src, const char *rel)
{
	const char *slash = strrchr(rel, '/');
	char *dir, **names = NULL, *found = NULL;
	enum kt_git_kind *kinds = NULL;
	size_t ne;
	bool cut = false;
	unsigned reads = 0;
	bool first = !kt_budget_taken(&src->budget, KT_BUDGET_TREE_SEARCH, rel);

	if (!kt_budget_take_once(&src->budget, KT_BUDGET_TREE_SEARCH, rel))
		return NULL;
	for (size_t i = 0; i < src->nhm; i++)
		if (strcmp(src->hm[i].header, rel) == 0) {
			/* what finding it cost the report that did */
			for (unsigned k = 0; first && k < src->hm[i].reads; k++)
				if (!kt_budget_take(&src->budget, KT_BUDGET_FILE_READ, rel))
					return NULL;
			return src->hm[i].c_file;
		}
	dir = kt_xstrndup(rel, slash ? (size_t)(slash - rel) : 0);
	ne = kt_revtree_list(src->rt, dir, &names, &kinds);
	for (size_t k = 0; k < ne && !found; k++) {
		struct kt_strbuf p;

		if (kinds[k] != KT_GIT_FILE || !kt_str_endswith(names[k], ".c"))
			continue;
		kt_strbuf_init(&p);
		kt_strbuf_addf(&p, "%.*s%s", slash ? (int)(slash - rel + 1) : 0, rel, names[k]);
		if (!kt_budget_take(&src->budget, KT_BUDGET_FILE_READ, p.buf)) {
			kt_strbuf_fini(&p);
			cut = true;
			break;
		}
		reads++;
		if (includes(src, p.buf, slash ? slash + 1 : rel))
			found = kt_strbuf_detach(&p);
		else
			kt_strbuf_fini(&p);
	}
	for (size_t k = 0; k < ne; k++)
		free(names[k]);
	free(names);
	free(kinds);
	free(dir);
	if (cut) {
		free(found);
		return NULL;
	}
	src->hm = kt_xrealloc(src->hm, (src->nhm + 1) * sizeof(*src->hm));
	src->hm[src->nhm].header = kt_xstrdup(rel);
	src->hm[src->nhm].c_file = found;
	src->hm[src->nhm].reads = reads;
	return src->hm[src->nhm++].c_file;
}

/* The frame a frame's code is compiled in: the first non-inline frame at or
 * after i (inline frames are inside it), else frame i. */
const struct kt_frame *kt_frames_compiled(const struct side *s, size_t i)
{
	for (size_t j = i; j < s->n; j++)
		if (!s->fr[j].inlined)
			return &s->fr[j];
	return &s->fr[i];
}

/* The compiled file a frame's code lives in: the file of its compiled frame
 * (NULL when that has none). */
const char *kt_frames_tu_of(struct kt_source *src, const struct side *s, size_t i)
{
	const char *f = kt_frames_compiled(s, i)->file;

	if (f && kt_frames_is_header(f)) {
		const char *c = header_includer(src, f);

		if (c)
			return c;
	}
	return f;
}

/* The TU to read frame i from: the full parse when it is one of the report's
 * access TUs (deterministic per report), else a light parse of its own file. */
struct kt_tu *kt_frames_tu_for(struct kt_source *src, const struct side *s, size_t i,
			       const char *const full_rels[2])
{
	const char *rel = kt_frames_tu_of(src, s, i);

	if (rel && !kt_frames_is_header(rel))
		for (int k = 0; k < 2; k++)
			if (full_rels[k] && strcmp(full_rels[k], rel) == 0) {
				struct kt_tu *tu = kt_tu_get(src->cache, rel, true);

				if (tu)
					return tu;
			}
	return s->fr[i].file ? kt_tu_get(src->cache, s->fr[i].file, false) : NULL;
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

/*
 * The sides of a report: each access's frames (stacks[i], else the
 * report's own) with files made relative to the tree, moved files and
 * functions mapped, frames without a file given the one another frame
 * gives their function, instrumentation wrappers skipped; full_rels[i]: the
 * file compiled for the access frame (NULL when its compiled frame has no
 * file).
 */
void kt_frames_setup(struct kt_source *src, struct side *s, size_t ns, const struct kt_report *rep,
		     const struct kt_frame *const stacks[2], const size_t nframes[2],
		     const char *full_rels[2], struct kt_facts *facts)
{
	int dir_searches = 0;

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
			/* NULL when the compiled frame has no file (a module's
			 * function whose inline chain alone was symbolized) */
			full_rels[i] = kt_frames_tu_of(src, &s[i], 0);
			s[i].tu_rel = full_rels[i] ? kt_xstrdup(full_rels[i]) : NULL;
		}
	}
}
