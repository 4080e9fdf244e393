// SPDX-License-Identifier: Apache-2.0
/*
 * The files the source stage reads: the tree on disk, or a revision of a git
 * repository. At a revision every file comes from the object store, and a
 * file the revision does not carry (a generated header: autoconf.h,
 * asm-offsets.h) from the work tree. libclang reads a parse's files itself,
 * so a full parse at a revision is handed, as unsaved files, the main file
 * and every header its #include lines can reach through the parse's include
 * paths: every directive, whatever #if encloses it, so the set holds all the
 * preprocessor may open (a header named through a macro is the exception: it
 * is read from the work tree). Entries are kept for the stage: a header is
 * read from the object store once per revision.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kcsan/strbuf.h"
#include "memo.h"
#include "revtree.h"

#define MAX_FILE_BYTES (8u << 20) /* a header bigger than this is read from disk */
#define MAX_CLOSURE    20000	  /* files handed to one parse */
#define MAX_DIRS       256	  /* include paths of one parse */

struct inc {
	char *name;
	bool quoted, next;
};

struct ent {
	char *rel, *abs;
	enum kt_git_kind kind;
	bool in_rev; /* a file of the revision */
	bool loaded; /* data read (or found unreadable) */
	char *data;  /* contents: the revision's, else the work tree's */
	size_t len;
	bool scanned;
	struct inc *incs;
	size_t nincs;
	unsigned gen; /* the closure that last visited it */
};

struct kt_revtree {
	char *src_dir;
	const struct kt_git_tree *rev;
	struct ent **tab; /* open addressing on rel */
	size_t cap, n;
	unsigned gen;
	struct CXUnsavedFile *uv;
	size_t nuv, cuv;
	struct kt_memo *memo; /* what is read on disk is recorded there */
};

struct kt_revtree *kt_revtree_new(const char *src_dir, const struct kt_git_tree *rev)
{
	struct kt_revtree *rt = kt_xcalloc(1, sizeof(*rt));

	rt->src_dir = kt_xstrdup(src_dir);
	rt->rev = rev;
	return rt;
}

static void ent_free(struct ent *e)
{
	for (size_t i = 0; i < e->nincs; i++)
		free(e->incs[i].name);
	free(e->incs);
	free(e->data);
	free(e->rel);
	free(e->abs);
	free(e);
}

void kt_revtree_free(struct kt_revtree *rt)
{
	if (!rt)
		return;
	for (size_t i = 0; i < rt->cap; i++)
		if (rt->tab[i])
			ent_free(rt->tab[i]);
	free(rt->tab);
	free(rt->uv);
	free(rt->src_dir);
	free(rt);
}

void kt_revtree_set_memo(struct kt_revtree *rt, struct kt_memo *memo)
{
	rt->memo = memo;
}

const struct kt_git_tree *kt_revtree_rev(const struct kt_revtree *rt)
{
	return rt->rev;
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void grow(struct kt_revtree *rt)
{
	size_t cap = rt->cap ? rt->cap * 2 : 1024;
	struct ent **tab = kt_xcalloc(cap, sizeof(*tab));

	for (size_t i = 0; i < rt->cap; i++) {
		size_t k;

		if (!rt->tab[i])
			continue;
		for (k = hash(rt->tab[i]->rel) & (cap - 1); tab[k]; k = (k + 1) & (cap - 1))
			;
		tab[k] = rt->tab[i];
	}
	free(rt->tab);
	rt->tab = tab;
	rt->cap = cap;
}

static enum kt_git_kind disk_kind(const char *abs)
{
	struct stat st;

	if (stat(abs, &st) != 0)
		return KT_GIT_NONE;
	return S_ISREG(st.st_mode) ? KT_GIT_FILE : S_ISDIR(st.st_mode) ? KT_GIT_DIR : KT_GIT_NONE;
}

/* The entry of rel, made (and its kind found) on first need. */
static struct ent *ent_get(struct kt_revtree *rt, const char *rel)
{
	size_t k;
	struct ent *e;
	struct kt_strbuf a;

	if (rt->n * 2 >= rt->cap)
		grow(rt);
	for (k = hash(rel) & (rt->cap - 1); rt->tab[k]; k = (k + 1) & (rt->cap - 1))
		if (strcmp(rt->tab[k]->rel, rel) == 0)
			return rt->tab[k];
	e = kt_xcalloc(1, sizeof(*e));
	e->rel = kt_xstrdup(rel);
	kt_strbuf_init(&a);
	kt_strbuf_addf(&a, "%s%s%s", rt->src_dir, *rel ? "/" : "", rel);
	e->abs = kt_strbuf_detach(&a);
	e->kind = rt->rev ? kt_git_tree_kind(rt->rev, rel) : KT_GIT_NONE;
	e->in_rev = e->kind == KT_GIT_FILE;
	if (e->kind == KT_GIT_NONE)
		e->kind = disk_kind(e->abs);
	rt->tab[k] = e;
	rt->n++;
	return e;
}

static bool read_disk(const char *abs, size_t max, char **buf, size_t *len)
{
	struct stat st;
	FILE *fp;
	size_t got;

	*buf = NULL;
	*len = 0;
	if (stat(abs, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > max ||
	    !(fp = fopen(abs, "rb")))
		return false;
	*buf = kt_xmalloc((size_t)st.st_size + 1);
	got = fread(*buf, 1, (size_t)st.st_size, fp);
	fclose(fp);
	(*buf)[got] = '\0';
	*len = got;
	return true;
}

static void ent_load(struct kt_revtree *rt, struct ent *e)
{
	if (e->loaded)
		return;
	e->loaded = true;
	if (e->in_rev && kt_git_tree_read(rt->rev, e->rel, MAX_FILE_BYTES, &e->data, &e->len))
		return;
	e->in_rev = false; /* too big for the closure: clang reads the work tree's */
	if (e->kind == KT_GIT_FILE)
		read_disk(e->abs, MAX_FILE_BYTES, &e->data, &e->len);
}

enum kt_git_kind kt_revtree_kind(struct kt_revtree *rt, const char *rel)
{
	if (!rt->rev) {
		struct kt_strbuf a;
		enum kt_git_kind k;

		kt_strbuf_init(&a);
		kt_strbuf_addf(&a, "%s/%s", rt->src_dir, rel);
		k = disk_kind(a.buf);
		kt_strbuf_fini(&a);
		kt_memo_dep_kind(rt->memo, rel, k);
		return k;
	}
	return ent_get(rt, rel)->kind;
}

bool kt_revtree_read(struct kt_revtree *rt, const char *rel, size_t max, char **buf, size_t *len)
{
	struct kt_strbuf a;
	bool ok;

	if (rt->rev && kt_git_tree_read(rt->rev, rel, max, buf, len))
		return true;
	if (rt->rev && kt_git_tree_kind(rt->rev, rel) != KT_GIT_NONE)
		return false; /* the revision's, too big */
	kt_strbuf_init(&a);
	kt_strbuf_addf(&a, "%s/%s", rt->src_dir, rel);
	ok = read_disk(a.buf, max, buf, len);
	if (!rt->rev)
		kt_memo_dep_file(rt->memo, a.buf, ok ? *buf : NULL, ok ? *len : 0, true);
	kt_strbuf_fini(&a);
	return ok;
}

size_t kt_revtree_list(struct kt_revtree *rt, const char *dir, char ***names,
		       enum kt_git_kind **kinds)
{
	struct kt_strbuf p;
	DIR *d;
	struct dirent *de;
	size_t n = 0;

	if (rt->rev) {
		size_t m = kt_git_tree_list(rt->rev, dir, names, kinds);

		/* hidden entries are left out, as on disk */
		for (size_t i = 0; i < m; i++) {
			if ((*names)[i][0] == '.') {
				free((*names)[i]);
				continue;
			}
			(*names)[n] = (*names)[i];
			(*kinds)[n++] = (*kinds)[i];
		}
		return n;
	}
	*names = NULL;
	*kinds = NULL;
	kt_strbuf_init(&p);
	kt_strbuf_addf(&p, "%s%s%s", rt->src_dir, *dir ? "/" : "", dir);
	d = opendir(p.buf);
	while (d && (de = readdir(d)) != NULL) {
		struct kt_strbuf f;
		struct stat st;
		enum kt_git_kind k;

		if (de->d_name[0] == '.')
			continue;
		kt_strbuf_init(&f);
		kt_strbuf_addf(&f, "%s/%s", p.buf, de->d_name);
		k = lstat(f.buf, &st) != 0 ? KT_GIT_NONE
		    : S_ISDIR(st.st_mode)  ? KT_GIT_DIR
		    : S_ISREG(st.st_mode)  ? KT_GIT_FILE
					   : KT_GIT_NONE;
		kt_strbuf_fini(&f);
		*names = kt_xrealloc(*names, (n + 1) * sizeof(**names));
		*kinds = kt_xrealloc(*kinds, (n + 1) * sizeof(**kinds));
		(*names)[n] = kt_xstrdup(de->d_name);
		(*kinds)[n++] = k;
	}
	if (d)
		closedir(d);
	kt_strbuf_fini(&p);
	kt_memo_dep_list(rt->memo, dir, *names, *kinds, n);
	return n;
}

/* ---- the include closure of a parse ---- */

/* The #include and #include_next directives of text, quoted or angled. */
static void scan_includes(struct ent *e)
{
	const char *p = e->data;

	e->scanned = true;
	while (p && *p) {
		const char *nl = strchr(p, '\n'), *q = p, *end;
		bool next = false;
		char close;

		while (*q == ' ' || *q == '\t')
			q++;
		if (*q != '#')
			goto line;
		q++;
		while (*q == ' ' || *q == '\t')
			q++;
		if (strncmp(q, "include_next", 12) == 0) {
			next = true;
			q += 12;
		} else if (strncmp(q, "include", 7) == 0) {
			q += 7;
		} else {
			goto line;
		}
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q != '"' && *q != '<')
			goto line;
		close = *q == '"' ? '"' : '>';
		end = strchr(q + 1, close);
		if (!end || (nl && end > nl) || end == q + 1 || end - q > 1024)
			goto line;
		e->incs = kt_xrealloc(e->incs, (e->nincs + 1) * sizeof(*e->incs));
		e->incs[e->nincs].name = kt_xstrndup(q + 1, (size_t)(end - q - 1));
		e->incs[e->nincs].quoted = close == '"';
		e->incs[e->nincs++].next = next;
	line:
		p = nl ? nl + 1 : NULL;
	}
}

/* dir/name with "." and ".." resolved; NULL when it leaves the tree or is
 * absolute. */
static char *join_rel(const char *dir, const char *name)
{
	struct kt_strbuf in, out;
	char *save = NULL, *tok;

	if (name[0] == '/')
		return NULL;
	kt_strbuf_init(&in);
	kt_strbuf_init(&out);
	kt_strbuf_addf(&in, "%s%s%s", dir, *dir ? "/" : "", name);
	kt_strbuf_adds(&out, "");
	for (tok = strtok_r(in.buf, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0) {
			char *slash = strrchr(out.buf, '/');

			if (!out.len) {
				kt_strbuf_fini(&in);
				kt_strbuf_fini(&out);
				return NULL;
			}
			out.len = slash ? (size_t)(slash - out.buf) : 0;
			out.buf[out.len] = '\0';
			continue;
		}
		if (out.len)
			kt_strbuf_addc(&out, '/');
		kt_strbuf_adds(&out, tok);
	}
	kt_strbuf_fini(&in);
	if (!out.len) {
		kt_strbuf_fini(&out);
		return NULL;
	}
	return kt_strbuf_detach(&out);
}

struct dirs {
	char *quote[MAX_DIRS], *angle[MAX_DIRS], *forced[MAX_DIRS];
	size_t nq, na, nf;
};

/* A path of argv relative to the tree; NULL when outside it. */
static char *arg_rel(const struct kt_revtree *rt, const char *p)
{
	size_t l = strlen(rt->src_dir);

	if (p[0] == '/') {
		if (strncmp(p, rt->src_dir, l) != 0 || (p[l] != '/' && p[l]))
			return NULL;
		p += l;
		while (*p == '/')
			p++;
		return *p ? join_rel("", p) : kt_xstrdup("");
	}
	return join_rel("", p);
}

static void dirs_of(const struct kt_revtree *rt, char *const *argv, int argc, struct dirs *d)
{
	static const struct {
		const char *opt;
		int list; /* 0 quote, 1 angle, 2 forced */
	} opts[] = {{"-iquote", 0}, {"-isystem", 1}, {"-idirafter", 1}, {"-include", 2}, {"-I", 1}};

	memset(d, 0, sizeof(*d));
	for (int i = 0; i < argc; i++)
		for (size_t k = 0; k < sizeof(opts) / sizeof(opts[0]); k++) {
			size_t l = strlen(opts[k].opt);
			const char *v;
			char *r;

			if (strncmp(argv[i], opts[k].opt, l) != 0)
				continue;
			v = argv[i][l] ? argv[i] + l : i + 1 < argc ? argv[++i] : NULL;
			if (v && *v == '=')
				v++;
			r = v ? arg_rel(rt, v) : NULL;
			if (r && opts[k].list == 0 && d->nq < MAX_DIRS)
				d->quote[d->nq++] = r;
			else if (r && opts[k].list == 1 && d->na < MAX_DIRS)
				d->angle[d->na++] = r;
			else if (r && opts[k].list == 2 && d->nf < MAX_DIRS)
				d->forced[d->nf++] = r;
			else
				free(r);
			break;
		}
}

static void dirs_fini(struct dirs *d)
{
	for (size_t i = 0; i < d->nq; i++)
		free(d->quote[i]);
	for (size_t i = 0; i < d->na; i++)
		free(d->angle[i]);
	for (size_t i = 0; i < d->nf; i++)
		free(d->forced[i]);
}

struct closure {
	struct kt_revtree *rt;
	struct ent **q;
	size_t nq, cq;
};

static void visit(struct closure *c, struct ent *e)
{
	if (e->gen == c->rt->gen || e->kind != KT_GIT_FILE || c->nq >= MAX_CLOSURE)
		return;
	e->gen = c->rt->gen;
	if (c->nq == c->cq) {
		c->cq = c->cq ? c->cq * 2 : 256;
		c->q = kt_xrealloc(c->q, c->cq * sizeof(*c->q));
	}
	c->q[c->nq++] = e;
}

/* Try dir/name: visit it when it is a file; true then. */
static bool try_dir(struct closure *c, const char *dir, const char *name, const struct ent *from)
{
	char *r = join_rel(dir, name);
	struct ent *e;

	if (!r)
		return false;
	e = ent_get(c->rt, r);
	free(r);
	if (e->kind != KT_GIT_FILE || e == from)
		return false;
	visit(c, e);
	return true;
}

static void resolve(struct closure *c, const struct dirs *d, const struct ent *from,
		    const struct inc *in)
{
	bool all = in->next; /* include_next: every later match (a superset) */

	if (in->quoted) {
		const char *slash = strrchr(from->rel, '/');
		char *dir =
		    slash ? kt_xstrndup(from->rel, (size_t)(slash - from->rel)) : kt_xstrdup("");
		bool hit = try_dir(c, dir, in->name, from);

		free(dir);
		if (hit && !all)
			return;
		for (size_t i = 0; i < d->nq; i++)
			if (try_dir(c, d->quote[i], in->name, from) && !all)
				return;
	}
	for (size_t i = 0; i < d->na; i++)
		if (try_dir(c, d->angle[i], in->name, from) && !all)
			return;
}

static void push_unsaved(struct kt_revtree *rt, const struct ent *e)
{
	if (rt->nuv == rt->cuv) {
		rt->cuv = rt->cuv ? rt->cuv * 2 : 256;
		rt->uv = kt_xrealloc(rt->uv, rt->cuv * sizeof(*rt->uv));
	}
	rt->uv[rt->nuv].Filename = e->abs;
	rt->uv[rt->nuv].Contents = e->data;
	rt->uv[rt->nuv++].Length = (unsigned long)e->len;
}

size_t kt_revtree_unsaved(struct kt_revtree *rt, const char *rel, char *const *argv, int argc,
			  bool full, struct CXUnsavedFile **out)
{
	struct closure c = {rt, NULL, 0, 0};
	struct dirs d;
	struct ent *main_e;

	*out = NULL;
	rt->nuv = 0;
	if (!rt->rev)
		return 0;
	rt->gen++;
	main_e = ent_get(rt, rel);
	visit(&c, main_e);
	dirs_of(rt, argv, argc, &d);
	if (full)
		for (size_t i = 0; i < d.nf; i++)
			visit(&c, ent_get(rt, d.forced[i]));
	for (size_t i = 0; i < c.nq; i++) {
		struct ent *e = c.q[i];

		ent_load(rt, e);
		if (e->in_rev && e->data)
			push_unsaved(rt, e);
		if (!full)
			break;
		if (!e->scanned)
			scan_includes(e);
		for (size_t k = 0; k < e->nincs; k++)
			resolve(&c, &d, e, &e->incs[k]);
	}
	dirs_fini(&d);
	free(c.q);
	*out = rt->uv;
	return rt->nuv;
}
