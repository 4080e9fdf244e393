// SPDX-License-Identifier: Apache-2.0
/*
 * kt-symbolize: the binary layer on its own, for tests and bench/.
 *   kt-symbolize [--no-cache] [--cache-dir D] VMLINUX --pcs     < hex PCs, one a line
 *       prints, per PC, what addr2line -a -f -i prints (the address, then
 *       function and file:line per inline level), paths relative to the tree
 *   kt-symbolize [--no-cache] [--cache-dir D] VMLINUX FILE...  (or - for stdin)
 *       prints each file with its frame lines symbolized, syzbot's layout
 *   kt-symbolize VMLINUX --pcs-of [--any-size] FILE...
 *       prints the PC (return address - 1) of every frame line, in hex; with
 *       --any-size, frames of another build of the same kernel are placed in
 *       this one by name (offset clamped to the function), for benchmarks
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcsan/strbuf.h"
#include "vmlinux_int.h"

static char *slurp(FILE *fp)
{
	struct kt_strbuf sb;
	char buf[65536];
	size_t n;

	kt_strbuf_init(&sb);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		kt_strbuf_add(&sb, buf, n);
	return kt_strbuf_detach(&sb);
}

static int fail(struct kt_error *e)
{
	char *m = kt_error_format(e);

	fprintf(stderr, "kt-symbolize: %s\n", m);
	free(m);
	int rc = kt_error_exit_code(e);
	kt_error_free(e);
	return rc;
}

/* A frame of another build of the same kernel, placed in this one by name
 * (offset clamped to the function): for benchmarks on another vmlinux. */
static bool place_by_name(struct kt_vmlinux *vm, const struct kt_frame *f, uint64_t *pc)
{
	size_t first, n;

	kt_elf_find_name(vm->elf, f->func, &first, &n);
	for (size_t k = 0; k < n; k++) {
		const struct kt_elf_sym *s = &vm->elf->syms[vm->elf->by_name[first + k]];

		if (!s->text || !s->size)
			continue;
		uint64_t off = f->off < s->size ? f->off : s->size;

		*pc = s->addr + off - (off ? 1 : 0);
		return true;
	}
	return false;
}

/* --pcs-of: the PC of every frame line of the files. */
static int pcs_of(struct kt_vmlinux *vm, char **files, int nfiles)
{
	bool any = false;

	for (int i = 0; i < nfiles; i++) {
		if (strcmp(files[i], "--any-size") == 0) {
			any = true;
			continue;
		}
		FILE *fp = fopen(files[i], "r");
		char line[4096];

		if (!fp) {
			perror(files[i]);
			return 2;
		}
		while (fgets(line, sizeof(line), fp)) {
			struct kt_frame f;
			size_t ind, len = strcspn(line, "\n");
			struct kt_frame_pc fpc;
			bool ok = false;
			char *p = line;

			while (*p == '[' && strchr(p, ']')) /* console prefixes "[time][caller] " */
				p = strchr(p, ']') + 1;
			if (p != line && *p == ' ')
				p++;
			len -= (size_t)(p - line);
			if (!kt_frame_line_parse(p, len, &f, &ind))
				continue;
			struct kt_error *e = kt_vmlinux_frame_pc(vm, &f, &fpc, &ok);

			if (e && any)
				ok = place_by_name(vm, &f, &fpc.pc);
			kt_error_free(e);
			if (ok)
				printf("%" PRIx64 "\n", fpc.pc);
			free(f.func);
			free(f.module);
		}
		fclose(fp);
	}
	return 0;
}

/* --pcs: what addr2line -a -f -i prints for each PC of standard input. */
static int pcs(struct kt_vmlinux *vm)
{
	char line[256];

	while (fgets(line, sizeof(line), stdin)) {
		uint64_t pc = strtoull(line, NULL, 16);
		struct kt_loc *l = NULL;
		size_t n = 0;
		struct kt_error *e;

		printf("0x%016" PRIx64 "\n", pc); /* as addr2line -a */
		e = kt_vmlinux_pc_chain(vm, pc, &l, &n);
		if (e)
			return fail(e);
		if (n == 0)
			printf("??\n??:0\n"); /* addr2line's words for nothing at all */
		for (size_t k = 0; k < n; k++) {
			printf("%s\n%s:", l[k].func, l[k].file ? l[k].file : "??");
			if (l[k].line)
				printf("%d\n", l[k].line);
			else
				printf("?\n"); /* as addr2line */
		}
		kt_locs_free(l, n);
	}
	return 0;
}

/* Report files (or - for standard input) with their frame lines symbolized. */
static int reports(struct kt_vmlinux *vm, char **files, int nfiles)
{
	int rc = 0;

	for (int i = 0; i < nfiles && !rc; i++) {
		FILE *fp = strcmp(files[i], "-") == 0 ? stdin : fopen(files[i], "r");
		char *text;
		struct kt_error *e;

		if (!fp) {
			perror(files[i]);
			return 2;
		}
		text = slurp(fp);
		if (fp != stdin)
			fclose(fp);
		e = kt_vmlinux_symbolize_text(vm, text, stdout);
		free(text);
		if (e)
			rc = fail(e);
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct kt_vmlinux_opts opts = {0};
	struct kt_vmlinux *vm = NULL;
	struct kt_error *e;
	int i = 1, rc;

	for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		if (strcmp(argv[i], "--no-cache") == 0)
			opts.no_cache = true;
		else if (strcmp(argv[i], "--cache-dir") == 0 && i + 1 < argc)
			opts.cache_dir = argv[++i];
		else if (strcmp(argv[i], "--rules") == 0 && i + 1 < argc)
			opts.rules_dir = argv[++i];
		else {
			fprintf(stderr, "kt-symbolize: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "usage: kt-symbolize [--no-cache] [--cache-dir D] VMLINUX "
				"(--pcs | --pcs-of [--any-size] FILE... | FILE...)\n");
		return 2;
	}
	e = kt_vmlinux_open(argv[i++], &opts, &vm);
	if (e)
		return fail(e);
	if (i < argc && strcmp(argv[i], "--pcs-of") == 0)
		rc = pcs_of(vm, argv + i + 1, argc - i - 1);
	else if (i < argc && strcmp(argv[i], "--pcs") == 0)
		rc = pcs(vm);
	else
		rc = reports(vm, argv + i, argc - i);
	kt_vmlinux_close(vm);
	return rc;
}
