// SPDX-License-Identifier: Apache-2.0
/*
 * The binary layer's public API (include/kcsan/binary.h): opening a vmlinux,
 * resolving printed frames, symbolizing stacks and reports, and checking that
 * a report belongs to the vmlinux.
 */
#include <ctype.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "kcsan/strbuf.h"
#include "objects.h"
#include "types.h"
#include "vmlinux_int.h"

struct kt_error *kt_vmlinux_open(const char *path, const struct kt_vmlinux_opts *opts,
				 struct kt_vmlinux **out)
{
	struct kt_vmlinux *vm;
	struct kt_error *e;
	struct kt_vmlinux_opts none = {0};

	*out = NULL;
	if (!path)
		return kt_error_new(KT_ERR_USAGE, NULL, 0, "no vmlinux given");
	if (!opts)
		opts = &none;
	vm = kt_xcalloc(1, sizeof(*vm));
	vm->path = kt_xstrdup(path);
	vm->diag = opts->diag;
	vm->diag_arg = opts->diag_arg;
	e = kt_elf_open(path, &vm->elf);
	if (e)
		goto fail;
	e = kt_dw_open(vm->elf->elf, path, &vm->dw);
	if (e)
		goto fail;
	vm->z = kt_symz_new(vm->elf, vm->dw);
	if (!opts->no_cache) {
		/* A cache that cannot be used costs speed, never the answer. */
		struct kt_error *ce = kt_cache_open(opts->cache_dir, vm->elf, &vm->cache);

		kt_error_free(ce);
	}
	if (vm->cache) {
		struct kt_dw_range *r = NULL;
		size_t n = 0;

		if (kt_cache_get_ranges(vm->cache, &r, &n))
			kt_symz_set_ranges(vm->z, r, n);
	}
	e = kt_error_append(kt_types_load(opts->rules_dir, &vm->types),
			    kt_objects_new(opts->rules_dir, &vm->objects));
	if (e)
		goto fail;
	*out = vm;
	return NULL;
fail:
	kt_vmlinux_close(vm);
	return e;
}

struct kt_error *kt_vmlinux_check_tables(const char *rules_dir)
{
	struct kt_types *t = NULL;
	struct kt_objects *o = NULL;
	struct kt_error *e =
	    kt_error_append(kt_types_load(rules_dir, &t), kt_objects_new(rules_dir, &o));

	kt_types_free(t);
	kt_objects_free(o);
	return e;
}

void kt_vmlinux_close(struct kt_vmlinux *vm)
{
	if (!vm)
		return;
	if (vm->cache) {
		const struct kt_dw_range *r;
		size_t n;

		/* Keep the CU ranges for the next run when they were computed. */
		if (vm->z && kt_symz_ranges(vm->z, &r, &n) == NULL)
			kt_cache_put_ranges(vm->cache, r, n);
		kt_cache_close(vm->cache);
	}
	kt_objects_free(vm->objects);
	kt_types_free(vm->types);
	kt_symz_free(vm->z);
	kt_dw_close(vm->dw);
	kt_elf_close(vm->elf);
	for (size_t i = 0; i < vm->nsaid; i++)
		free(vm->said[i]);
	free(vm->said);
	free(vm->path);
	free(vm);
}

const char *kt_vmlinux_build_id(const struct kt_vmlinux *vm)
{
	return vm->elf->build_id_hex;
}

/* A note of a chain, once per vmlinux opened: "VMLINUX: NOTE". */
static void diagnose(struct kt_vmlinux *vm, const char *note)
{
	char *line = NULL;

	if (asprintf(&line, "%s: %s", vm->path, note) < 0)
		abort();
	for (size_t i = 0; i < vm->nsaid; i++)
		if (strcmp(vm->said[i], line) == 0) {
			free(line);
			return;
		}
	vm->said = kt_xrealloc(vm->said, (vm->nsaid + 1) * sizeof(*vm->said));
	vm->said[vm->nsaid++] = line;
	if (vm->diag)
		vm->diag(vm->diag_arg, line);
	else
		fprintf(stderr, "kcsan-triage: warning: %s\n", line);
}

struct kt_error *kt_vmlinux_pc_chain(struct kt_vmlinux *vm, uint64_t pc, struct kt_loc **out,
				     size_t *n)
{
	struct kt_error *e;

	if (vm->cache && kt_cache_get_chain(vm->cache, pc, out, n))
		return NULL;
	e = kt_symz_pc(vm->z, pc, out, n);
	if (e)
		return e;
	/* A chain with a note is worked out again next time, so that every
	 * run says what is missing. */
	if (*n && (*out)[*n - 1].note)
		diagnose(vm, (*out)[*n - 1].note);
	else if (vm->cache)
		kt_cache_put_chain(vm->cache, pc, *out, *n);
	return NULL;
}

static struct kt_error *mismatch(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static struct kt_error *mismatch(const char *fmt, ...)
{
	struct kt_strbuf sb;
	va_list ap;
	char *msg;
	struct kt_error *e;

	va_start(ap, fmt);
	msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	kt_strbuf_init(&sb);
	kt_strbuf_adds(&sb, "vmlinux does not match this report: ");
	kt_strbuf_adds(&sb, msg ? msg : "?");
	free(msg);
	e = kt_error_new(KT_ERR_MISMATCH, NULL, 0, "%s", sb.buf);
	kt_strbuf_fini(&sb);
	return e;
}

struct kt_error *kt_vmlinux_frame_pc(struct kt_vmlinux *vm, const struct kt_frame *f,
				     struct kt_frame_pc *out, bool *ok)
{
	size_t first, n;
	const struct kt_elf_sym *pick = NULL;
	bool any_text = false;

	*ok = false;
	memset(out, 0, sizeof(*out));
	if (!f->has_offset || f->module || !f->func)
		return NULL;
	kt_elf_find_name(vm->elf, f->func, &first, &n);
	for (size_t i = 0; i < n; i++) {
		const struct kt_elf_sym *s = &vm->elf->syms[vm->elf->by_name[first + i]];
		uint64_t ext;

		if (!s->text)
			continue;
		any_text = true;
		ext = kt_elf_sym_extent(vm->elf, s);
		if (s->size == 0) {
			/* An assembler label: kallsyms sizes it by the next symbol,
			 * which the ELF table does not pin down exactly. */
			if (!pick)
				pick = s;
			continue;
		}
		/* The printed size is kallsyms': up to the next symbol. */
		if ((ext == f->size || kt_elf_sym_next_dist(vm->elf, s) == f->size) &&
		    (!pick || pick->size == 0)) {
			pick = s;
		}
	}
	if (!any_text)
		return mismatch("%s is not a function of this vmlinux", f->func);
	if (!pick) {
		const struct kt_elf_sym *s = &vm->elf->syms[vm->elf->by_name[first]];

		for (size_t i = 0; i < n; i++)
			if (vm->elf->syms[vm->elf->by_name[first + i]].text)
				s = &vm->elf->syms[vm->elf->by_name[first + i]];
		return mismatch("%s+0x%" PRIx64 "/0x%" PRIx64 ": the function is 0x%" PRIx64
				" bytes long in this vmlinux",
				f->func, f->off, f->size, kt_elf_sym_next_dist(vm->elf, s));
	}
	if (pick->size && f->off > f->size)
		return mismatch("%s+0x%" PRIx64 "/0x%" PRIx64
				": offset past the end of the function",
				f->func, f->off, f->size);
	out->sym = pick;
	/* Every KCSAN stack entry is a return address, the access frame too
	 * (it returns from the __tsan_* call): look up the call instruction. */
	out->pc = pick->addr + f->off - (f->off > 0 ? 1 : 0);
	*ok = pick->size != 0;
	return NULL;
}

static void frame_set(struct kt_frame *dst, const char *func, const char *file, int line,
		      bool inlined)
{
	memset(dst, 0, sizeof(*dst));
	dst->func = kt_xstrdup(func ? func : "??");
	dst->file = file ? kt_xstrdup(file) : NULL;
	dst->line = line;
	dst->inlined = inlined;
}

struct kt_error *kt_vmlinux_symbolize_stack(struct kt_vmlinux *vm, const struct kt_access *acc,
					    struct kt_frame **frames_out, size_t *n_out)
{
	struct kt_frame *v = NULL;
	size_t nv = 0, cap = 0, pend = 0;

	*frames_out = NULL;
	*n_out = 0;
	for (size_t i = 0; i < acc->nframes; i++) {
		const struct kt_frame *f = &acc->frames[i];
		struct kt_frame_pc fp;
		struct kt_loc *locs = NULL;
		size_t nl = 0;
		bool ok = false;
		struct kt_error *e;

		if (f->inlined && !f->has_offset) {
			pend++; /* printed inline frames: replaced if the next resolves */
			continue;
		}
		e = kt_vmlinux_frame_pc(vm, f, &fp, &ok);
		if (!e && ok)
			e = kt_vmlinux_pc_chain(vm, fp.pc, &locs, &nl);
		if (e) {
			kt_frames_free(v, nv);
			return e;
		}
		if (nl == 0 || !locs[nl - 1].file) {
			/* Not resolvable here: keep what was printed. */
			kt_locs_free(locs, nl);
			locs = NULL;
			nl = 0;
		}
		size_t need = nl ? nl : pend + 1;

		if (nv + need > cap) {
			cap = (nv + need) * 2;
			v = kt_xrealloc(v, cap * sizeof(*v));
		}
		if (!nl) {
			for (size_t k = i - pend; k <= i; k++)
				kt_frame_copy(&v[nv++], &acc->frames[k]);
		} else {
			for (size_t k = 0; k < nl; k++) {
				struct kt_frame *d = &v[nv++];

				if (k + 1 < nl) {
					frame_set(d, locs[k].func, locs[k].file, locs[k].line,
						  true);
				} else {
					frame_set(d, f->func, locs[k].file, locs[k].line, false);
					d->off = f->off;
					d->size = f->size;
					d->has_offset = true;
				}
			}
		}
		pend = 0;
		kt_locs_free(locs, nl);
	}
	/* Trailing printed inline frames without an outer frame: keep them. */
	if (pend) {
		v = kt_xrealloc(v, (nv + pend + 1) * sizeof(*v));
		for (size_t k = acc->nframes - pend; k < acc->nframes; k++)
			kt_frame_copy(&v[nv++], &acc->frames[k]);
	}
	*frames_out = v;
	*n_out = nv;
	return NULL;
}

static bool same_path(const char *a, const char *b)
{
	size_t la, lb;

	if (!a || !b)
		return !a && !b;
	if (strcmp(a, b) == 0)
		return true;
	la = strlen(a);
	lb = strlen(b);
	/* One tree's relative path against another's absolute one. */
	if (la > lb)
		return a[la - lb - 1] == '/' && strcmp(a + la - lb, b) == 0;
	if (lb > la)
		return b[lb - la - 1] == '/' && strcmp(b + lb - la, a) == 0;
	return false;
}

/* A symbolized report: the printed chain ending at frame i against ours. */
static struct kt_error *check_symbolized(struct kt_vmlinux *vm, const struct kt_access *acc,
					 size_t i, size_t pend, const struct kt_loc *locs,
					 size_t nl)
{
	const struct kt_frame *f = &acc->frames[i];

	if (!f->file)
		return NULL;
	if (!same_path(f->file, locs[nl - 1].file) || f->line != locs[nl - 1].line)
		return mismatch("%s+0x%" PRIx64 "/0x%" PRIx64 " is at %s:%d in this vmlinux, the "
				"report says %s:%d",
				f->func, f->off, f->size,
				locs[nl - 1].file ? locs[nl - 1].file : "??", locs[nl - 1].line,
				f->file, f->line);
	if (pend != nl - 1)
		return mismatch("%s+0x%" PRIx64 "/0x%" PRIx64 " has %zu inlined calls in this "
				"vmlinux, the report prints %zu",
				f->func, f->off, f->size, nl - 1, pend);
	for (size_t k = 0; k < pend; k++) {
		const struct kt_frame *p = &acc->frames[i - pend + k];

		if (strcmp(p->func, locs[k].func) != 0 ||
		    (p->file && (!same_path(p->file, locs[k].file) || p->line != locs[k].line)))
			return mismatch("inlined %s %s:%d in this vmlinux, the report says "
					"%s %s:%d",
					locs[k].func, locs[k].file ? locs[k].file : "??",
					locs[k].line, p->func, p->file ? p->file : "??", p->line);
	}
	(void)vm;
	return NULL;
}

static struct kt_error *check_access(struct kt_vmlinux *vm, const struct kt_access *acc)
{
	size_t pend = 0;

	for (size_t i = 0; i < acc->nframes; i++) {
		const struct kt_frame *f = &acc->frames[i];
		struct kt_frame_pc fp;
		struct kt_loc *locs = NULL;
		size_t nl = 0;
		bool ok = false;
		struct kt_error *e;

		if (f->inlined && !f->has_offset) {
			pend++;
			continue;
		}
		e = kt_vmlinux_frame_pc(vm, f, &fp, &ok);
		if (!e && ok && f->file)
			e = kt_vmlinux_pc_chain(vm, fp.pc, &locs, &nl);
		if (!e && nl > 0 && locs[nl - 1].file)
			e = check_symbolized(vm, acc, i, pend, locs, nl);
		kt_locs_free(locs, nl);
		pend = 0;
		if (e)
			return e;
	}
	if (acc->reordered_to) {
		struct kt_frame_pc fp;
		bool ok;

		return kt_vmlinux_frame_pc(vm, acc->reordered_to, &fp, &ok);
	}
	return NULL;
}

struct kt_error *kt_vmlinux_check_report(struct kt_vmlinux *vm, const struct kt_report *rep)
{
	for (size_t a = 0; a < rep->naccess && a < 2; a++) {
		struct kt_error *e = check_access(vm, &rep->access[a]);

		if (e)
			return e;
	}
	return NULL;
}

/* " func+0xOFF/0xSIZE" (optionally " [module]"), nothing after. */
bool kt_frame_line_parse(const char *line, size_t len, struct kt_frame *f, size_t *indent)
{
	size_t i = 0, j;
	char *end;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i == 0)
		return false;
	*indent = i;
	j = i;
	while (j < len && (isalnum((unsigned char)line[j]) || line[j] == '_' || line[j] == '.' ||
			   line[j] == '$'))
		j++;
	if (j == i || j + 3 >= len || strncmp(line + j, "+0x", 3) != 0)
		return false;
	memset(f, 0, sizeof(*f));
	f->func = kt_xstrndup(line + i, j - i);
	j += 3;
	f->off = strtoull(line + j, &end, 16);
	if (end == line + j || (size_t)(end - line) + 3 > len || strncmp(end, "/0x", 3) != 0)
		goto no;
	j = (size_t)(end - line) + 3;
	f->size = strtoull(line + j, &end, 16);
	if (end == line + j)
		goto no;
	j = (size_t)(end - line);
	if (j + 2 < len && line[j] == ' ' && line[j + 1] == '[') {
		const char *close = memchr(line + j, ']', len - j);

		if (!close)
			goto no;
		f->module = kt_xstrndup(line + j + 2, (size_t)(close - line) - j - 2);
		j = (size_t)(close - line) + 1;
	}
	while (j < len && (line[j] == ' ' || line[j] == '\t' || line[j] == '\r'))
		j++;
	if (j != len)
		goto no;
	f->has_offset = true;
	return true;
no:
	free(f->func);
	free(f->module);
	memset(f, 0, sizeof(*f));
	return false;
}

/* The lines of one frame's chain in syzbot's layout; its note at the end. */
static void print_chain(FILE *out, const char *line, size_t indent, const struct kt_frame *f,
			const struct kt_loc *locs, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		char ln[16] = "?"; /* line 0: addr2line's "?" */
		const char *file = locs[k].file ? locs[k].file : "??";

		if (locs[k].line)
			snprintf(ln, sizeof(ln), "%d", locs[k].line);
		fwrite(line, 1, indent, out);
		if (k + 1 < n)
			fprintf(out, "%s %s:%s [inline]\n", locs[k].func, file, ln);
		else if (locs[k].note)
			fprintf(out, "%s+0x%" PRIx64 "/0x%" PRIx64 " %s:%s (%s)\n", f->func, f->off,
				f->size, file, ln, locs[k].note);
		else
			fprintf(out, "%s+0x%" PRIx64 "/0x%" PRIx64 " %s:%s\n", f->func, f->off,
				f->size, file, ln);
	}
}

static struct kt_error *symbolize_lines(struct kt_vmlinux *vm, const char *text, FILE *out)
{
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		struct kt_frame f;
		size_t indent = 0;
		bool done = false;

		if (kt_frame_line_parse(p, len, &f, &indent)) {
			struct kt_frame_pc fp;
			struct kt_loc *locs = NULL;
			size_t n = 0;
			bool ok = false;
			struct kt_error *e = kt_vmlinux_frame_pc(vm, &f, &fp, &ok);

			if (!e && ok)
				e = kt_vmlinux_pc_chain(vm, fp.pc, &locs, &n);
			if (e) {
				free(f.func);
				free(f.module);
				return e;
			}
			if (n > 0 && (locs[n - 1].file || locs[n - 1].note)) {
				print_chain(out, p, indent, &f, locs, n);
				done = true;
			}
			kt_locs_free(locs, n);
			free(f.func);
			free(f.module);
		}
		if (!done) {
			fwrite(p, 1, len, out);
			fputc('\n', out);
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return NULL;
}

struct kt_error *kt_vmlinux_symbolize_text(struct kt_vmlinux *vm, const char *text, FILE *out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mf = open_memstream(&buf, &len);
	struct kt_error *e;

	if (!mf)
		return kt_error_new(KT_ERR_NOMEM, NULL, 0, "out of memory");
	/* All or nothing: a report whose frames do not all belong to this
	 * vmlinux (or whose DWARF is broken) is printed as it came, and the
	 * error says why, rather than half symbolized. */
	e = symbolize_lines(vm, text, mf);
	fclose(mf);
	if (e) {
		size_t tl = strlen(text);

		fwrite(text, 1, tl, out);
		if (tl && text[tl - 1] != '\n')
			fputc('\n', out);
	} else {
		fwrite(buf, 1, len, out);
	}
	free(buf);
	return e;
}

struct kt_error *kt_vmlinux_print_symbolized(struct kt_vmlinux *vm, const struct kt_report *rep,
					     FILE *out)
{
	if (!rep->text)
		return kt_error_new(KT_ERR_USAGE, rep->input, rep->first_line,
				    "report has no text to symbolize");
	return kt_vmlinux_symbolize_text(vm, rep->text, out);
}
