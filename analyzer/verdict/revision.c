// SPDX-License-Identifier: Apache-2.0
/*
 * The revision of a kernel git repository a report ran: what the report
 * names, in the order tried. A syzbot mail's HEAD commit line, then the
 * commit in the kernel release (`6.8.0-syzkaller-08073-g480e035fc4c7`,
 * `-dirty` or not), then a linux-next date (`6.12.0-rc3-next-20241015`, the
 * tag next-20241015), then a plain release (`6.8.0` is v6.8, `6.8.0-rc3`
 * v6.8-rc3, `6.1.111` v6.1.111). A release with anything more after it (a
 * distribution's `6.1.0-18-amd64`, `6.8.0-rc3+`) names no revision: its
 * code is not the tag's.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcsan/git.h"
#include "kcsan/source.h"
#include "kcsan/strbuf.h"
#include "kcsan/triage.h"
#include "revision.h"

static size_t hex_run(const char *s)
{
	size_t n = 0;

	while (isxdigit((unsigned char)s[n]) && !isupper((unsigned char)s[n]))
		n++;
	return n;
}

static size_t digit_run(const char *s)
{
	size_t n = 0;

	while (isdigit((unsigned char)s[n]))
		n++;
	return n;
}

static void add(struct kt_rev_ref *out, size_t *n, const char *kind, const char *from,
		const char *name, size_t len)
{
	if (*n >= KT_REV_REFS_MAX || len >= sizeof(out[*n].name))
		return;
	for (size_t i = 0; i < *n; i++)
		if (strncmp(out[i].name, name, len) == 0 && !out[i].name[len])
			return;
	memcpy(out[*n].name, name, len);
	out[*n].name[len] = '\0';
	out[*n].kind = kind;
	out[*n].from = from;
	(*n)++;
}

/* "...-g480e035fc4c7", followed by the end, '-' or '+'. */
static void release_hash(const char *rel, struct kt_rev_ref *out, size_t *n)
{
	for (const char *p = strstr(rel, "-g"); p; p = strstr(p + 1, "-g")) {
		size_t h = hex_run(p + 2);

		if (h >= 7 && h <= 40 && (!p[2 + h] || p[2 + h] == '-' || p[2 + h] == '+'))
			add(out, n, "commit", "report-hash", p + 2, h);
	}
}

/* "...-next-20241015". */
static void next_tag(const char *rel, struct kt_rev_ref *out, size_t *n)
{
	for (const char *p = strstr(rel, "next-"); p; p = strstr(p + 1, "next-")) {
		if (digit_run(p + 5) == 8 && !isalnum((unsigned char)p[13]))
			add(out, n, "tag", "next-tag", p, 13);
	}
}

/* "6.8.0", "6.8", "6.8.0-rc3", "v6.1.111": the release tag. */
static void release_tag(const char *rel, struct kt_rev_ref *out, size_t *n)
{
	const char *p = rel + (rel[0] == 'v');
	size_t a = digit_run(p), b, c = 0, rc = 0;
	char tag[64];
	int len;

	if (!a || a > 2 || p[a] != '.')
		return;
	b = digit_run(p + a + 1);
	if (!b || b > 3)
		return;
	p += a + 1 + b;
	if (*p == '.') {
		c = digit_run(p + 1);
		if (!c || c > 4)
			return;
		p += 1 + c;
	}
	if (strncmp(p, "-rc", 3) == 0) {
		rc = digit_run(p + 3);
		if (!rc || rc > 2)
			return;
		p += 3 + rc;
	}
	if (*p)
		return;
	/* the tag: vMAJOR.MINOR, a stable .SUBLEVEL when not 0, -rcN */
	p = rel + (rel[0] == 'v');
	len = snprintf(tag, sizeof(tag), "v%.*s", (int)(a + 1 + b), p);
	if (c && !(c == 1 && p[a + 1 + b + 1] == '0'))
		len += snprintf(tag + len, sizeof(tag) - (size_t)len, ".%.*s", (int)c,
				p + a + 1 + b + 1);
	if (rc)
		len += snprintf(tag + len, sizeof(tag) - (size_t)len, "-rc%.*s", (int)rc,
				p + a + 1 + b + (c ? 1 + c : 0) + 3);
	add(out, n, "tag", "release-tag", tag, (size_t)len);
}

size_t kt_rev_refs(const char *commit, const char *const *releases, size_t nreleases,
		   struct kt_rev_ref out[KT_REV_REFS_MAX])
{
	size_t n = 0;

	if (commit) {
		size_t h = hex_run(commit);

		if (h >= 7 && h <= 40 && !commit[h])
			add(out, &n, "commit", "head-commit", commit, h);
	}
	for (size_t i = 0; i < nreleases; i++)
		if (releases[i]) {
			release_hash(releases[i], out, &n);
			next_tag(releases[i], out, &n);
			release_tag(releases[i], out, &n);
		}
	return n;
}

/* ---- a git tree's sources, one per revision read ---- */

#define MAX_REVS 2 /* sources kept per repository: each holds parsed TUs */

struct rev_src {
	struct kt_git_tree *gt;
	struct kt_source *src;
	unsigned long used;
};

struct kt_revsrcs {
	struct kt_git *git;
	char *dir, *real, *compile_commands, *rules_dir;
	struct rev_src r[MAX_REVS];
	size_t n;
	unsigned long clock;
};

struct kt_error *kt_revsrcs_new(const char *dir, const char *compile_commands,
				const char *rules_dir, struct kt_revsrcs **out)
{
	struct kt_revsrcs *r;
	struct kt_git *g;
	struct kt_error *err;
	char *real;

	*out = NULL;
	if (!kt_git_is_repo(dir))
		return NULL;
	if ((err = kt_git_open(dir, &g)))
		return err;
	real = realpath(dir, NULL);
	if (!real) {
		kt_git_free(g);
		return kt_error_new(KT_ERR_IO, dir, 0, "cannot resolve the path");
	}
	r = kt_xcalloc(1, sizeof(*r));
	r->git = g;
	r->dir = kt_xstrdup(dir);
	r->real = real;
	r->compile_commands = compile_commands ? kt_xstrdup(compile_commands) : NULL;
	r->rules_dir = rules_dir ? kt_xstrdup(rules_dir) : NULL;
	*out = r;
	return NULL;
}

void kt_revsrcs_free(struct kt_revsrcs *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		kt_source_close(r->r[i].src);
		kt_git_tree_free(r->r[i].gt);
	}
	kt_git_free(r->git);
	free(r->dir);
	free(r->real);
	free(r->compile_commands);
	free(r->rules_dir);
	free(r);
}

/* The source at gt (taken over), opened on first need; the least recently
 * used goes when MAX_REVS are open. */
static struct kt_error *source_at(struct kt_revsrcs *r, struct kt_git_tree *gt, bool exact,
				  struct rev_src **out)
{
	struct kt_source_opts so = {.src_dir = r->real,
				    .compile_commands = r->compile_commands,
				    .rules_dir = r->rules_dir,
				    .rev = gt,
				    .exact = exact};
	struct rev_src *slot = NULL;
	struct kt_error *err;

	for (size_t i = 0; i < r->n; i++)
		if (strcmp(kt_git_tree_commit(r->r[i].gt), kt_git_tree_commit(gt)) == 0) {
			kt_git_tree_free(gt);
			r->r[i].used = ++r->clock;
			*out = &r->r[i];
			return NULL;
		}
	if (r->n < MAX_REVS) {
		slot = &r->r[r->n++];
	} else {
		slot = &r->r[0];
		for (size_t i = 1; i < r->n; i++)
			if (r->r[i].used < slot->used)
				slot = &r->r[i];
		kt_source_close(slot->src);
		kt_git_tree_free(slot->gt);
	}
	memset(slot, 0, sizeof(*slot));
	if ((err = kt_source_open(&so, &slot->src))) {
		kt_git_tree_free(gt);
		*slot = r->r[--r->n];
		return err;
	}
	slot->gt = gt;
	slot->used = ++r->clock;
	*out = slot;
	return NULL;
}

struct kt_error *kt_revsrcs_pick(struct kt_revsrcs *r, const char *opt_rev,
				 const struct kt_rev_ref *refs, size_t nrefs,
				 struct kt_revsrcs_choice *out)
{
	struct kt_rev_ref opt;
	struct kt_strbuf why;

	memset(out, 0, sizeof(*out));
	if (opt_rev) {
		snprintf(opt.name, sizeof(opt.name), "%s", opt_rev);
		opt.kind = "revision";
		opt.from = "option";
		refs = &opt;
		nrefs = 1;
	}
	for (size_t i = 0; i < nrefs; i++) {
		struct kt_git_tree *gt = NULL;
		struct kt_strbuf spec;
		struct kt_error *err;
		struct rev_src *rs;

		kt_strbuf_init(&spec);
		kt_strbuf_addf(&spec, "%s%s", strcmp(refs[i].kind, "tag") == 0 ? "refs/tags/" : "",
			       refs[i].name);
		err = strcmp(refs[i].kind, "tag") == 0 && !kt_git_has_tag(r->git, refs[i].name)
			  ? kt_error_new(KT_ERR_MISMATCH, r->dir, 0, "no tag")
			  : kt_git_tree_open(r->git, spec.buf, &gt);
		kt_strbuf_fini(&spec);
		if (err) {
			kt_error_free(err);
			continue;
		}
		if ((err = source_at(r, gt, !opt_rev, &rs)))
			return err;
		out->src = rs->src;
		out->commit = kt_git_tree_commit(rs->gt);
		out->from = refs[i].from;
		return NULL;
	}
	kt_strbuf_init(&why);
	if (nrefs)
		kt_strbuf_addf(&why,
			       "%s %s not in %s: fetch it, or pass --rev; the work tree is read",
			       refs[0].kind, refs[0].name, r->dir);
	else
		kt_strbuf_addf(&why,
			       "the report names no commit or release: the work tree of %s is "
			       "read (--rev REV reads a revision)",
			       r->dir);
	out->why = kt_strbuf_detach(&why);
	return NULL;
}
