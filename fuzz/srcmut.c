// SPDX-License-Identifier: Apache-2.0
/* Structure-aware mutations of KCSAN reports for the source stage (srcmut.h). */
#include "srcmut.h"

#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

uint64_t srcmut_next(struct srcmut_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

size_t srcmut_below(struct srcmut_rng *r, size_t n)
{
	return n ? (size_t)(srcmut_next(r) % n) : 0;
}

static void push_unique(char ***v, size_t *n, const char *s)
{
	if (!s || !*s)
		return;
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0)
			return;
	*v = kt_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = kt_xstrdup(s);
}

void srcmut_pool_add(struct srcmut_pool *p, const struct kt_report *rep)
{
	for (size_t a = 0; a < rep->naccess; a++)
		for (size_t k = 0; k < rep->access[a].nframes; k++) {
			const struct kt_frame *f = &rep->access[a].frames[k];

			push_unique(&p->funcs, &p->nfuncs, f->func);
			push_unique(&p->modules, &p->nmodules, f->module);
			if (f->file && kt_str_endswith(f->file, ".h"))
				push_unique(&p->headers, &p->nheaders, f->file);
			else
				push_unique(&p->files, &p->nfiles, f->file);
		}
}

static void free_vec(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void srcmut_pool_fini(struct srcmut_pool *p)
{
	free_vec(p->funcs, p->nfuncs);
	free_vec(p->files, p->nfiles);
	free_vec(p->headers, p->nheaders);
	free_vec(p->modules, p->nmodules);
	memset(p, 0, sizeof(*p));
}

static const char *pick(struct srcmut_rng *r, char *const *v, size_t n, const char *dflt)
{
	return n ? v[srcmut_below(r, n)] : dflt;
}

static void set_str(char **dst, const char *v)
{
	char *c = v ? kt_xstrdup(v) : NULL;

	free(*dst);
	*dst = c;
}

/* A frame of rep chosen at random (NULL when it has none). */
static struct kt_frame *any_frame(struct kt_report *rep, struct srcmut_rng *r, size_t *acc)
{
	size_t a = srcmut_below(r, rep->naccess ? rep->naccess : 1);

	if (!rep->naccess || !rep->access[a].nframes)
		return NULL;
	if (acc)
		*acc = a;
	return &rep->access[a].frames[srcmut_below(r, rep->access[a].nframes)];
}

static void drop_frame(struct kt_access *acc, size_t k)
{
	free(acc->frames[k].func);
	free(acc->frames[k].file);
	free(acc->frames[k].module);
	for (size_t i = 0; i < acc->frames[k].ninl; i++)
		free(acc->frames[k].inl[i].file);
	free(acc->frames[k].inl);
	memmove(&acc->frames[k], &acc->frames[k + 1],
		(acc->nframes - k - 1) * sizeof(*acc->frames));
	acc->nframes--;
}

/* Out-of-range, degenerate and near lines. */
static int odd_line(struct srcmut_rng *r, int line)
{
	static const int lines[] = {0, 1, 2, INT_MAX, INT_MAX - 1, 65535, 100000, 999999999};

	switch (srcmut_below(r, 3)) {
	case 0:
		return lines[srcmut_below(r, sizeof(lines) / sizeof(lines[0]))];
	case 1:
		return line + (int)srcmut_below(r, 41) - 20 > 0
			   ? line + (int)srcmut_below(r, 41) - 20
			   : 1;
	default:
		return (int)srcmut_below(r, 20000) + 1;
	}
}

/* The directory part of file ("mm" for "mm/shmem.c"), "" for none. */
static char *dir_of(const char *file)
{
	const char *s = file ? strrchr(file, '/') : NULL;

	return s ? kt_xstrndup(file, (size_t)(s - file)) : kt_xstrdup("");
}

static void mutate_file(struct kt_frame *f, const struct srcmut_pool *p, struct srcmut_rng *r,
			struct kt_strbuf *what)
{
	struct kt_strbuf b;
	char *d = dir_of(f->file);

	kt_strbuf_init(&b);
	switch (srcmut_below(r, 9)) {
	case 0:
		kt_strbuf_adds(what, "file-moved,");
		set_str(&f->file, pick(r, p->files, p->nfiles, "mm/shmem.c"));
		break;
	case 1:
		kt_strbuf_adds(what, "file-deleted,");
		set_str(&f->file, NULL);
		break;
	case 2:
		kt_strbuf_adds(what, "file-header,");
		set_str(&f->file, pick(r, p->headers, p->nheaders, "include/linux/list.h"));
		break;
	case 3:
		kt_strbuf_adds(what, "file-directory,");
		kt_strbuf_addf(&b, "%s%s", *d ? d : ".", srcmut_below(r, 2) ? "/" : "");
		set_str(&f->file, b.buf);
		break;
	case 4:
		kt_strbuf_adds(what, "file-gone,");
		kt_strbuf_addf(&b, "%s%sgone_%u.c", d, *d ? "/" : "", (unsigned)srcmut_below(r, 4));
		set_str(&f->file, b.buf);
		break;
	case 5:
		kt_strbuf_adds(what, "file-absolute,");
		kt_strbuf_addf(&b, "%s%s",
			       srcmut_below(r, 2) ? "/syzkaller/managers/ci/kernel/" : "/",
			       f->file ? f->file : "x.c");
		set_str(&f->file, b.buf);
		break;
	case 6: {
		static const char *const odd[] = {"../../etc/passwd.c",
						  "./mm/../mm/shmem.c",
						  "/",
						  ".",
						  "include",
						  "a.c",
						  "Makefile",
						  "kernel/sched/sched.h",
						  "include/linux/compiler.h",
						  "arch/x86/entry/entry_64.S"};

		kt_strbuf_adds(what, "file-odd,");
		set_str(&f->file, odd[srcmut_below(r, sizeof(odd) / sizeof(odd[0]))]);
		break;
	}
	case 7:
		kt_strbuf_adds(what, "file-other-dir,");
		{
			const char *o = pick(r, p->files, p->nfiles, "fs/inode.c");
			const char *base = f->file && strrchr(f->file, '/')
					       ? strrchr(f->file, '/') + 1
					       : "inode.c";
			char *od = dir_of(o);

			kt_strbuf_addf(&b, "%s/%s", od, base);
			free(od);
			set_str(&f->file, b.buf);
		}
		break;
	default:
		kt_strbuf_adds(what, "file-renamed-ext,");
		kt_strbuf_addf(&b, "%s", f->file ? f->file : "mm/shmem.c");
		if (b.len > 2)
			b.buf[b.len - 1] = b.buf[b.len - 1] == 'c' ? 'h' : 'c';
		set_str(&f->file, b.buf);
		break;
	}
	if (f->file && !f->line && srcmut_below(r, 2))
		f->line = (int)srcmut_below(r, 3000) + 1;
	kt_strbuf_fini(&b);
	free(d);
}

static void mutate_func(struct kt_frame *f, const struct srcmut_pool *p, struct srcmut_rng *r,
			struct kt_strbuf *what)
{
	struct kt_strbuf b;
	const char *fn = f->func ? f->func : "f";

	kt_strbuf_init(&b);
	switch (srcmut_below(r, 5)) {
	case 0:
		kt_strbuf_adds(what, "func-swapped,");
		set_str(&f->func, pick(r, p->funcs, p->nfuncs, "kfree"));
		break;
	case 1: {
		static const char *const sfx[] = {".isra.0", ".constprop.0", ".part.0", ".cold",
						  ".llvm.123456"};

		kt_strbuf_adds(what, "func-suffix,");
		kt_strbuf_addf(&b, "%s%s", fn, sfx[srcmut_below(r, 5)]);
		set_str(&f->func, b.buf);
		break;
	}
	case 2:
		kt_strbuf_adds(what, "func-syscall,");
		kt_strbuf_addf(&b, "__do_sys_%s", fn);
		set_str(&f->func, b.buf);
		break;
	case 3:
		kt_strbuf_adds(what, "func-cut,");
		kt_strbuf_add(&b, fn, strlen(fn) > 1 ? srcmut_below(r, strlen(fn)) + 1 : 1);
		set_str(&f->func, b.buf);
		break;
	default:
		kt_strbuf_adds(what, "func-long,");
		for (int i = 0; i < 40; i++)
			kt_strbuf_adds(&b, fn);
		set_str(&f->func, b.buf);
		break;
	}
	kt_strbuf_fini(&b);
}

/* Frames k..k+n-1 of acc in reverse order (an inline chain reordered). */
static void reverse_run(struct kt_access *acc, size_t k, size_t n)
{
	for (size_t i = 0; i < n / 2; i++) {
		struct kt_frame t = acc->frames[k + i];

		acc->frames[k + i] = acc->frames[k + n - 1 - i];
		acc->frames[k + n - 1 - i] = t;
	}
}

static void mutate_stack(struct kt_report *rep, struct srcmut_rng *r, struct kt_strbuf *what)
{
	size_t a = srcmut_below(r, rep->naccess);
	struct kt_access *acc = &rep->access[a];

	if (!acc->nframes)
		return;
	switch (srcmut_below(r, 6)) {
	case 0:
		kt_strbuf_adds(what, "frame-dropped,");
		drop_frame(acc, srcmut_below(r, acc->nframes));
		break;
	case 1:
		kt_strbuf_adds(what, "stack-cut,");
		while (acc->nframes > 1 + srcmut_below(r, 3))
			drop_frame(acc, acc->nframes - 1);
		break;
	case 2: {
		size_t k = srcmut_below(r, acc->nframes), n = 2 + srcmut_below(r, 4);

		kt_strbuf_adds(what, "inline-reordered,");
		if (k + n > acc->nframes)
			n = acc->nframes - k;
		reverse_run(acc, k, n);
		break;
	}
	case 3:
		kt_strbuf_adds(what, "inline-toggled,");
		for (size_t k = 0; k < acc->nframes; k++)
			if (srcmut_below(r, 3) == 0)
				acc->frames[k].inlined = !acc->frames[k].inlined;
		break;
	case 4:
		kt_strbuf_adds(what, "all-inline,");
		for (size_t k = 0; k < acc->nframes; k++)
			acc->frames[k].inlined = true;
		break;
	default:
		if (rep->naccess == 2) {
			struct kt_frame *t = rep->access[0].frames;
			size_t tn = rep->access[0].nframes;

			kt_strbuf_adds(what, "stacks-swapped,");
			rep->access[0].frames = rep->access[1].frames;
			rep->access[0].nframes = rep->access[1].nframes;
			rep->access[1].frames = t;
			rep->access[1].nframes = tn;
		}
		break;
	}
}

static void mutate_one(struct kt_report *rep, const struct srcmut_pool *p, struct srcmut_rng *r,
		       struct kt_strbuf *what)
{
	struct kt_frame *f = any_frame(rep, r, NULL);

	switch (srcmut_below(r, 8)) {
	case 0:
	case 1:
		if (f)
			mutate_file(f, p, r, what);
		break;
	case 2:
		if (f)
			mutate_func(f, p, r, what);
		break;
	case 3:
		if (f) {
			kt_strbuf_adds(what, "line-odd,");
			f->line = odd_line(r, f->line);
		}
		break;
	case 4:
		if (f) {
			kt_strbuf_adds(what, "module,");
			set_str(&f->module, srcmut_below(r, 3)
						? pick(r, p->modules, p->nmodules, "ext4")
						: NULL);
		}
		break;
	case 5: {
		static const char *const rel[] = {"5.4.0-rc3+", "6.1.0", "6.12.0-syzkaller",
						  "4.19.0",	"7.0.0", "syzkaller",
						  "6.6.0-rc1"};

		kt_strbuf_adds(what, "kernel,");
		set_str(&rep->env.kernel, rel[srcmut_below(r, sizeof(rel) / sizeof(rel[0]))]);
		break;
	}
	case 6: {
		struct kt_access *acc = &rep->access[srcmut_below(r, rep->naccess)];
		static const uint64_t sizes[] = {1, 2, 4, 8, 16, 0, 4096, 1u << 20};

		kt_strbuf_adds(what, "access,");
		acc->op = (enum kt_access_op)srcmut_below(r, 3);
		acc->size = sizes[srcmut_below(r, 8)];
		acc->marked = srcmut_below(r, 4) == 0;
		break;
	}
	default:
		mutate_stack(rep, r, what);
		break;
	}
}

void srcmut_mutate(struct kt_report *rep, const struct srcmut_pool *p, struct srcmut_rng *r,
		   struct kt_strbuf *what)
{
	size_t n = 1 + srcmut_below(r, 4);

	if (!rep->naccess)
		return;
	for (size_t i = 0; i < n; i++)
		mutate_one(rep, p, r, what);
	if (what->len && what->buf[what->len - 1] == ',')
		what->buf[--what->len] = 0;
}

static void write_frame(const struct kt_frame *f, struct kt_strbuf *out)
{
	kt_strbuf_addf(out, " %s", f->func && *f->func ? f->func : "?");
	if (!f->inlined)
		kt_strbuf_addf(out, "+0x%" PRIx64 "/0x%" PRIx64, f->has_offset ? f->off : 0x10,
			       f->has_offset && f->size ? f->size : 0x100);
	if (f->file) {
		kt_strbuf_addf(out, " %s", f->file);
		if (f->line > 0)
			kt_strbuf_addf(out, ":%d", f->line);
	}
	if (f->inlined)
		kt_strbuf_adds(out, " [inline]");
	if (f->module)
		kt_strbuf_addf(out, " [%s]", f->module);
	kt_strbuf_addc(out, '\n');
}

static const char *func_of(const struct kt_access *a)
{
	for (size_t k = 0; k < a->nframes; k++)
		if (!a->frames[k].inlined && a->frames[k].func && *a->frames[k].func)
			return a->frames[k].func;
	return a->nframes && a->frames[0].func && *a->frames[0].func ? a->frames[0].func : "x";
}

void srcmut_write(const struct kt_report *rep, struct kt_strbuf *out)
{
	kt_strbuf_adds(out, "==================================================================\n");
	if (rep->kind == KT_KIND_DATA_RACE && rep->naccess == 2)
		kt_strbuf_addf(out, "BUG: KCSAN: data-race in %s / %s\n\n",
			       func_of(&rep->access[0]), func_of(&rep->access[1]));
	else
		kt_strbuf_addf(out, "%s\n\n",
			       rep->bug_line ? rep->bug_line : "BUG: KCSAN: data-race");
	for (size_t a = 0; a < rep->naccess; a++) {
		const struct kt_access *acc = &rep->access[a];
		const char *ty = kt_access_op_name(acc->op);

		kt_strbuf_addf(out, "%s%s to 0x%016" PRIx64 " of %" PRIu64 " bytes by ", ty,
			       acc->marked ? " (marked)" : "",
			       acc->addr ? acc->addr : (uint64_t)0xffff888100000000ull, acc->size);
		if (acc->by_interrupt)
			kt_strbuf_adds(out, "interrupt");
		else
			kt_strbuf_addf(out, "task %ld", acc->task >= 0 ? acc->task : 1);
		kt_strbuf_addf(out, " on cpu %d:\n", acc->cpu >= 0 ? acc->cpu : 0);
		for (size_t k = 0; k < acc->nframes; k++)
			write_frame(&acc->frames[k], out);
		kt_strbuf_addc(out, '\n');
	}
	if (rep->value.present)
		kt_strbuf_addf(
		    out, "value changed: 0x%0*" PRIx64 " -> 0x%0*" PRIx64 "\n\n",
		    rep->value.width > 0 && rep->value.width <= 16 ? rep->value.width : 8,
		    rep->value.old_val,
		    rep->value.width > 0 && rep->value.width <= 16 ? rep->value.width : 8,
		    rep->value.new_val);
	kt_strbuf_adds(out, "Reported by Kernel Concurrency Sanitizer on:\n");
	if (rep->env.kernel)
		kt_strbuf_addf(out, "CPU: 0 PID: 1 Comm: syz-executor Not tainted %s #0\n",
			       rep->env.kernel);
	kt_strbuf_adds(out, "==================================================================\n");
}
