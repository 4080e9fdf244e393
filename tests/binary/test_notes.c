// SPDX-License-Identifier: Apache-2.0
/*
 * Never silent: where the DWARF cannot answer for a frame, the frame says so
 * and the caller hears it once, naming the file and the unit. testdata/notes
 * is built now with gcc and clang (each skipped, saying so, when absent):
 *  - noline.S: a unit with a function but no line table;
 *  - nodebug.c: built without -g (the symbol table only);
 *  - split.c: built with -gsplit-dwarf (its functions are in a .dwo);
 *  - start.c: an ordinary unit, which must carry no note; a copy of the
 *    program where its DW_AT_name forms are turned into dwz's
 *    supplementary-file form must say that it cannot read them.
 */
#include <fcntl.h>
#include <gelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "kcsan/binary.h"
#include "kcsan/strbuf.h"
#include "mk.h"

struct diag {
	char *lines[32];
	int n;
};

static void collect(void *arg, const char *line)
{
	struct diag *d = arg;

	if (d->n < 32)
		d->lines[d->n++] = kt_xstrdup(line);
}

static void diag_clear(struct diag *d)
{
	for (int i = 0; i < d->n; i++)
		free(d->lines[i]);
	d->n = 0;
}

static bool run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static bool run(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd) == 0;
}

static bool build(const char *cc, char *dir, size_t n)
{
	const char *quiet = strcmp(cc, "clang") == 0 ? "-Wno-unused-command-line-argument" : "";

	snprintf(dir, n, "%s/notes-%s", KT_BUILD_DIR, cc);
	return run("rm -rf '%s' && mkdir -p '%s' && cp '%s/notes/'* '%s/' && cd '%s' && "
		   "%s -c noline.S -o noline.o && %s -O2 -g0 -c nodebug.c -o nodebug.o && "
		   "%s -O2 -g -gdwarf-5 -gsplit-dwarf -c split.c -o split.o && "
		   "%s -O2 -g -gdwarf-%d -c start.c -o start.o && "
		   "%s %s -static -nostdlib -no-pie -Wl,-e,nt_start -o prog start.o noline.o "
		   "nodebug.o split.o",
		   dir, dir, KT_TESTDATA, dir, dir, cc, cc, cc, cc,
		   /* clang's DWARF 5 names are DW_FORM_strx (.debug_str_offsets):
		    * only its DWARF 4 has the DW_FORM_strp the test rewrites */
		   strcmp(cc, "clang") == 0 ? 4 : 5, cc, quiet);
}

/* The symbolized line of a frame 2 bytes into func. */
static char *symbolize(struct kt_vmlinux *vm, const char *bin, const char *func)
{
	uint64_t addr = 0, size = 0;
	char text[256], *out = NULL;
	size_t len = 0;
	FILE *mf;
	struct kt_error *e;

	if (!mk_sym(bin, func, 0, &addr, &size))
		return kt_xstrdup("(no such symbol)");
	uint64_t ksize = mk_kallsyms_size(bin, addr);

	/* the last function has no next symbol: its own size then */
	snprintf(text, sizeof(text), " %s+0x2/0x%llx\n", func,
		 (unsigned long long)(ksize ? ksize : size));
	mf = open_memstream(&out, &len);
	e = kt_vmlinux_symbolize_text(vm, text, mf);
	fclose(mf);
	CHECK(e == NULL);
	kt_error_free(e);
	return out;
}

/* The frame carries the note (in parentheses), and the caller heard it
 * exactly once, naming the file and what note says; twice symbolized, still
 * once. */
static void expect_note(struct kt_vmlinux *vm, struct diag *d, const char *bin, const char *func,
			const char *note)
{
	for (int round = 0; round < 2; round++) {
		char *line = symbolize(vm, bin, func);
		const char *paren = strchr(line, '(');

		if (!paren || !strstr(paren, note))
			fprintf(stderr, "%s: no note \"%s\" in: %s", func, note, line);
		CHECK(paren && strstr(paren, note));
		free(line);
	}
	int heard = 0;

	for (int i = 0; i < d->n; i++)
		if (strstr(d->lines[i], note) && strncmp(d->lines[i], bin, strlen(bin)) == 0)
			heard++;
	if (heard != 1)
		fprintf(stderr, "%s: heard \"%s\" %d times\n", func, note, heard);
	else
		printf("  %s: %s\n", func, note);
	CHECK_INT(heard, 1);
}

/* Turns every DW_AT_name in DW_FORM_strp of .debug_abbrev into
 * DW_FORM_strp_sup (same size: an offset into dwz's supplementary file).
 * Returns how many were changed. */
static int dwz_names(const char *src, const char *dst)
{
	size_t len = 0;
	unsigned char *buf = mk_slurp(src, &len);
	int fd = open(src, O_RDONLY), changed = 0;
	Elf *elf;
	Elf_Scn *scn = NULL;
	size_t shstr;

	if (!buf || fd < 0)
		return 0;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	elf_getshdrstrndx(elf, &shstr);
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh) ||
		    strcmp(elf_strptr(elf, shstr, sh.sh_name), ".debug_abbrev") != 0)
			continue;
		unsigned char *p = buf + sh.sh_offset, *end = p + sh.sh_size;

		/* entries: code, tag, children, (attr, form)... (0, 0); 0 ends a unit */
		while (p < end) {
			if (*p == 0) {
				p++;
				continue;
			}
			while (p < end && (*p++ & 0x80)) /* code */
				;
			while (p < end && (*p++ & 0x80)) /* tag */
				;
			p++; /* children */
			while (p + 1 < end && (p[0] || p[1])) {
				unsigned char *at = p;

				while (p < end && (*p++ & 0x80))
					;
				unsigned char *form = p;

				while (p < end && (*p++ & 0x80))
					;
				if (at[0] == 0x03 && form[0] == 0x0e) { /* name, strp */
					form[0] = 0x1d;			/* strp_sup */
					changed++;
				}
				if (form[0] == 0x21) /* implicit_const: its value */
					while (p < end && (*p++ & 0x80))
						;
			}
			p += 2;
		}
	}
	elf_end(elf);
	close(fd);
	FILE *fp = fopen(dst, "wb");

	if (!fp || fwrite(buf, 1, len, fp) != len)
		changed = 0;
	if (fp)
		fclose(fp);
	free(buf);
	return changed;
}

static void one_compiler(const char *cc)
{
	char dir[512], bin[600], dwz[600];
	struct diag d = {0};
	struct kt_vmlinux_opts o = {
	    .no_cache = true, .rules_dir = KT_SOURCE_RULES_DIR, .diag = collect, .diag_arg = &d};
	struct kt_vmlinux *vm = NULL;
	struct kt_error *e;

	if (!build(cc, dir, sizeof(dir))) {
		printf("%s: the notes program does not build\n", cc);
		CHECK(false);
		return;
	}
	snprintf(bin, sizeof(bin), "%s/prog", dir);
	e = kt_vmlinux_open(bin, &o, &vm);
	CHECK(e == NULL);
	kt_error_free(e);
	if (!vm)
		return;
	printf("%s:\n", cc);
	/* an ordinary frame: a file and a line, no note, nothing heard */
	char *line = symbolize(vm, bin, "nt_ordinary_function_with_a_long_name");

	CHECK(strstr(line, "start.c:") && !strchr(line, '('));
	CHECK_INT(d.n, 0);
	free(line);
	expect_note(vm, &d, bin, "nt_noline", "unit noline.c has no line table");
	expect_note(vm, &d, bin, "nt_nodebug", "no DWARF unit describes nt_nodebug of nodebug.c");
	expect_note(vm, &d, bin, "nt_split", "unit split.dwo is split DWARF");
	kt_vmlinux_close(vm);
	diag_clear(&d);

	snprintf(dwz, sizeof(dwz), "%s/prog-dwz", dir);
	int changed = dwz_names(bin, dwz);

	CHECK(changed > 0);
	vm = NULL;
	e = kt_vmlinux_open(dwz, &o, &vm);
	CHECK(e == NULL);
	kt_error_free(e);
	if (vm) {
		/* the name comes from the symbol table, the note says why */
		line = symbolize(vm, dwz, "nt_ordinary_function_with_a_long_name");
		CHECK(strstr(line, " nt_ordinary_function_with_a_long_name+0x2/") != NULL);
		free(line);
		expect_note(vm, &d, dwz, "nt_ordinary_function_with_a_long_name",
			    "names a function in DW_FORM_strp_sup");
		kt_vmlinux_close(vm);
	}
	diag_clear(&d);
}

int main(void)
{
	static const char *const ccs[] = {"gcc", "clang"};
	int compilers = 0;

	for (size_t c = 0; c < 2; c++) {
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", ccs[c]);
		if (system(cmd) != 0) {
			printf("%s not installed: skipped\n", ccs[c]);
			continue;
		}
		compilers++;
		one_compiler(ccs[c]);
	}
	if (!compilers) {
		printf("SKIP: neither gcc nor clang is installed\n");
		return 77;
	}
	return kt_test_done("test_notes");
}
