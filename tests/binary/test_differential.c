// SPDX-License-Identifier: Apache-2.0
/*
 * The differential test: testdata/differential (four C units: static inline
 * chains, a static function inlined into several callers, code in a second
 * section, a cold function, structs and a union with bitfields, a global
 * and an array of per-cpu-like structs; and an assembler unit, the only one
 * clang puts in .debug_aranges, as in a kernel) built now with gcc and clang, -O2,
 * -gdwarf-4 and -gdwarf-5, with and without compressed debug sections.
 *
 * Oracles, none of them this project's code:
 *  - binutils addr2line -f -i, run here on every instruction address that
 *    objdump -d lists: every frame (function, file, line, the inline chain)
 *    must be the same. binutils 2.40 does not read DW_FORM_rnglistx (clang's
 *    DWARF 5 inlined subroutines with several ranges) and then drops those
 *    inline levels; such a PC counts as equal only when llvm-symbolizer gives
 *    exactly our chain and addr2line's answer is that chain with the inline
 *    levels missing. Each such PC is counted and printed.
 *  - the compiler itself: a probe program generated from the member lines of
 *    include/dt.h prints offsetof/sizeof of every member and, for a
 *    bitfield, the bits it sets; every member of every struct and union, and
 *    every member of a nested struct by path, must have that offset, size,
 *    bit offset and bit size in the DWARF.
 *  - the ELF symbol table: every scalar member of the global and of each
 *    element of the array is named from its address.
 * A compiler that is not installed is skipped, saying so; with neither, or
 * without binutils, the test skips (77).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "kcsan/binary.h"
#include "kcsan/strbuf.h"
#include "objects.h"
#include "vmlinux_int.h"

#define MAXPCS 4096
#define MAXMEM 128

struct variant {
	const char *cc;
	int dwarf;
	bool compress;
	char dir[512];
	char bin[600];
};

static bool have(const char *tool)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
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

/* Copies the sources and builds them as a kernel is built: in the tree,
 * relative file names, headers under include/. */
static bool build(struct variant *v)
{
	static const char *const units[] = {"dt_a.c", "dt_b.c", "dt_c.c", "dt_start.c", "dt_asm.S"};
	const char *quiet = strcmp(v->cc, "clang") == 0 ? "-Wno-unused-command-line-argument" : "";
	struct kt_strbuf objs;
	bool ok = true;

	snprintf(v->dir, sizeof(v->dir), "%s/differential-%s-dwarf%d%s", KT_BUILD_DIR, v->cc,
		 v->dwarf, v->compress ? "-z" : "");
	snprintf(v->bin, sizeof(v->bin), "%s/prog", v->dir);
	if (!run("rm -rf '%s' && mkdir -p '%s' && cp -R '%s/differential/.' '%s/'", v->dir, v->dir,
		 KT_TESTDATA, v->dir))
		return false;
	kt_strbuf_init(&objs);
	for (size_t i = 0; ok && i < sizeof(units) / sizeof(units[0]); i++) {
		int stem = (int)strlen(units[i]) - 2;

		ok = run(
		    "cd '%s' && %s -O2 -g -gdwarf-%d %s -Iinclude -fno-pie -Wall -c %s -o %.*s.o",
		    v->dir, v->cc, v->dwarf, v->compress ? "-gz=zlib" : "", units[i], stem,
		    units[i]);
		kt_strbuf_addf(&objs, " %.*s.o", stem, units[i]);
	}
	if (ok)
		ok = run("cd '%s' && %s %s -static -nostdlib -no-pie %s -Wl,-e,dt_start -o prog%s",
			 v->dir, v->cc, quiet,
			 v->compress ? "-Wl,--compress-debug-sections=zlib" : "", objs.buf);
	kt_strbuf_fini(&objs);
	return ok;
}

/* Every instruction address objdump -d lists. */
static size_t insns(const struct variant *v, uint64_t *pcs, size_t max)
{
	char path[700], line[512];
	size_t n = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/insns.txt", v->dir);
	if (!run("objdump -d --no-show-raw-insn '%s' > '%s'", v->bin, path))
		return 0;
	fp = fopen(path, "r");
	while (fp && fgets(line, sizeof(line), fp) && n < max) {
		char *end;
		uint64_t a;

		if (line[0] != ' ')
			continue;
		a = strtoull(line, &end, 16);
		if (end != line && *end == ':' && end[1] == '\t')
			pcs[n++] = a;
	}
	if (fp)
		fclose(fp);
	return n;
}

/* One PC's answer: "func\nfile:line\n" per level, innermost first, with
 * what only the tool adds taken away (the tree prefix, discriminators,
 * columns). No file at all is "??:?", also when the tool prints an empty
 * STT_FILE name. */
static void clean_loc(const char *dir, char *loc)
{
	size_t dl = strlen(dir);
	char *d = strstr(loc, " (discriminator");

	if (d)
		*d = 0;
	if (strncmp(loc, dir, dl) == 0 && loc[dl] == '/')
		memmove(loc, loc + dl + 1, strlen(loc + dl + 1) + 1);
	char *colon = strrchr(loc, ':');

	if (colon && strcmp(colon, ":0") == 0)
		strcpy(colon, ":?"); /* llvm-symbolizer's "no line" */
	if (loc[0] == ':')
		memmove(loc + 2, loc, strlen(loc) + 1), loc[0] = '?', loc[1] = '?';
}

/* Splits a tool's output (addr2line -a style: an address line, then pairs)
 * into one string per PC. */
static char **blocks(const char *dir, const char *path, size_t npcs)
{
	char **out = calloc(npcs + 1, sizeof(*out));
	char line[1024];
	FILE *fp = fopen(path, "r");
	long cur = -1;
	int odd = 0;
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	while (fp && fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = 0;
		/* an address line (a function name never starts with a digit) */
		if (strncmp(line, "0x", 2) == 0 && line[2] &&
		    strspn(line + 2, "0123456789abcdef") == strlen(line + 2)) {
			if (cur >= 0 && (size_t)cur < npcs)
				out[cur] = kt_strbuf_detach(&sb);
			kt_strbuf_init(&sb);
			cur++;
			odd = 0;
			continue;
		}
		if (line[0] == 0)
			continue;
		if (odd)
			clean_loc(dir, line);
		kt_strbuf_addf(&sb, "%s\n", line);
		odd = !odd;
	}
	if (cur >= 0 && (size_t)cur < npcs)
		out[cur] = kt_strbuf_detach(&sb);
	kt_strbuf_fini(&sb);
	if (fp)
		fclose(fp);
	for (size_t i = 0; i < npcs; i++)
		if (!out[i])
			out[i] = kt_xstrdup("(nothing)\n");
	return out;
}

static void blocks_free(char **b, size_t n)
{
	for (size_t i = 0; b && i < n; i++)
		free(b[i]);
	free(b);
}

static char *ours(struct kt_vmlinux *vm, uint64_t pc)
{
	struct kt_loc *l = NULL;
	size_t n = 0;
	struct kt_strbuf sb;
	struct kt_error *e = kt_vmlinux_pc_chain(vm, pc, &l, &n);

	kt_strbuf_init(&sb);
	if (e) {
		kt_strbuf_addf(&sb, "error: %s\n", e->msg);
		kt_error_free(e);
	}
	if (n == 0 && !sb.len)
		kt_strbuf_adds(&sb, "??\n??:?\n");
	for (size_t k = 0; k < n; k++) {
		kt_strbuf_addf(&sb, "%s\n%s:", l[k].func, l[k].file ? l[k].file : "??");
		if (l[k].line)
			kt_strbuf_addf(&sb, "%d\n", l[k].line);
		else
			kt_strbuf_adds(&sb, "?\n");
	}
	kt_locs_free(l, n);
	return kt_strbuf_detach(&sb);
}

static size_t levels(const char *b)
{
	size_t n = 0;

	for (; *b; b++)
		n += *b == '\n';
	return n / 2;
}

/* addr2line without the inline levels it cannot place: its one level is our
 * innermost line under our outermost function. */
static bool dropped_inlines(const char *a2l, const char *us)
{
	size_t nu = levels(us);
	const char *first_nl = strchr(us, '\n'), *loc_end;
	const char *last = us;
	struct kt_strbuf sb;
	bool same;

	if (levels(a2l) != 1 || nu < 2 || !first_nl)
		return false;
	loc_end = strchr(first_nl + 1, '\n');
	for (size_t k = 0; k + 1 < nu; k++)
		last = strchr(strchr(last, '\n') + 1, '\n') + 1;
	kt_strbuf_init(&sb);
	kt_strbuf_add(&sb, last, (size_t)(strchr(last, '\n') - last) + 1);
	kt_strbuf_add(&sb, first_nl + 1, (size_t)(loc_end - first_nl));
	same = strcmp(sb.buf, a2l) == 0;
	kt_strbuf_fini(&sb);
	return same;
}

/* Every instruction address against addr2line -f -i. */
static void compare_frames(struct kt_vmlinux *vm, const struct variant *v)
{
	static uint64_t pcs[MAXPCS];
	char pcpath[700], a2lpath[700], llvmpath[700];
	size_t n = insns(v, pcs, MAXPCS), same = 0, settled = 0, levels_total = 0;
	FILE *fp;

	CHECK(n > 100);
	snprintf(pcpath, sizeof(pcpath), "%s/pcs.txt", v->dir);
	snprintf(a2lpath, sizeof(a2lpath), "%s/addr2line.txt", v->dir);
	snprintf(llvmpath, sizeof(llvmpath), "%s/llvm-symbolizer.txt", v->dir);
	fp = fopen(pcpath, "w");
	for (size_t i = 0; fp && i < n; i++)
		fprintf(fp, "0x%llx\n", (unsigned long long)pcs[i]);
	if (fp)
		fclose(fp);
	CHECK(run("addr2line -a -f -i -e '%s' < '%s' > '%s'", v->bin, pcpath, a2lpath));
	bool llvm = have("llvm-symbolizer") &&
		    run("llvm-symbolizer --obj='%s' --inlining --output-style=GNU -a < '%s' > '%s'",
			v->bin, pcpath, llvmpath);
	char **a2l = blocks(v->dir, a2lpath, n);
	char **alt = llvm ? blocks(v->dir, llvmpath, n) : NULL;
	int shown = 0;

	for (size_t i = 0; i < n; i++) {
		char *us = ours(vm, pcs[i]);

		levels_total += levels(us);
		if (strcmp(us, a2l[i]) == 0) {
			same++;
		} else if (alt && strcmp(us, alt[i]) == 0 && dropped_inlines(a2l[i], us)) {
			same++;
			settled++;
		} else if (shown++ < 5) {
			fprintf(stderr, "%s -gdwarf-%d%s: 0x%llx differs\nours:\n%saddr2line:\n%s",
				v->cc, v->dwarf, v->compress ? " (compressed)" : "",
				(unsigned long long)pcs[i], us, a2l[i]);
		}
		free(us);
	}
	printf("%-5s -gdwarf-%d%-13s %4zu PCs (%zu frames): %zu same as addr2line -fi", v->cc,
	       v->dwarf, v->compress ? " compressed" : "", n, levels_total, same - settled);
	if (settled)
		printf(", %zu where addr2line drops DW_FORM_rnglistx inline levels and "
		       "llvm-symbolizer gives ours",
		       settled);
	printf(", %zu differ\n", n - same);
	CHECK_INT(same, n);
	blocks_free(a2l, n);
	blocks_free(alt, n);
}

/* A member line of include/dt.h. */
struct member {
	char container[160]; /* "struct dt_obj" */
	char name[64];
	char type[160]; /* "unsigned int", "struct dt_flags" */
	bool bitfield, array, aggregate, pointer;
	/* from the probe */
	uint64_t off, size, bit, bits;
	bool probed;
};

static size_t read_members(const char *header, struct member *m, size_t max)
{
	FILE *fp = fopen(header, "r");
	char line[512], container[160] = "";
	size_t n = 0;

	while (fp && fgets(line, sizeof(line), fp) && n < max) {
		char a[64], b[64];
		int bits;

		if (sscanf(line, "%63s %63s {", a, b) == 2 && strchr(line, '{') &&
		    (strcmp(a, "struct") == 0 || strcmp(a, "union") == 0) && !strchr(line, '(')) {
			snprintf(container, sizeof(container), "%s %s", a, b);
			continue;
		}
		if (strncmp(line, "};", 2) == 0) {
			container[0] = 0;
			continue;
		}
		if (!container[0] || line[0] != '\t' || !strchr(line, ';'))
			continue;
		struct member *x = &m[n];
		char *semi = strchr(line, ';'), *name, *colon = strchr(line, ':');

		memset(x, 0, sizeof(*x));
		snprintf(x->container, sizeof(x->container), "%s", container);
		*semi = 0;
		bits = 0;
		if (colon) {
			bits = atoi(colon + 1);
			*colon = 0;
		}
		char *end = line + strlen(line);

		while (end > line && end[-1] == ' ')
			*--end = 0;
		name = strrchr(line, ' ');
		if (!name)
			continue;
		*name++ = 0;
		x->pointer = *name == '*';
		while (*name == '*')
			name++;
		x->array = strchr(name, '[') != NULL;
		if (x->array)
			*strchr(name, '[') = 0;
		snprintf(x->name, sizeof(x->name), "%.63s", name);
		snprintf(x->type, sizeof(x->type), "%.159s", line + 1);
		x->bitfield = bits > 0;
		x->aggregate = !x->pointer && (strncmp(x->type, "struct ", 7) == 0 ||
					       strncmp(x->type, "union ", 6) == 0);
		n++;
	}
	if (fp)
		fclose(fp);
	return n;
}

/* Writes, builds and runs the probe; fills the members' layouts. */
static bool probe(const struct variant *v, struct member *m, size_t n)
{
	char path[700], out[700], line[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/probe.c", v->dir);
	snprintf(out, sizeof(out), "%s/probe.txt", v->dir);
	fp = fopen(path, "w");
	if (!fp)
		return false;
	fprintf(fp, "#include <stddef.h>\n#include <stdio.h>\n#include <string.h>\n"
		    "#include \"dt.h\"\nstruct dt_obj dt_global;\nstruct dt_pcpu dt_pcpu[4];\n"
		    "volatile int dt_sink;\nstatic volatile long long ones = -1;\n"
		    "static void bits(const unsigned char *p, size_t size, const char *c, "
		    "const char *m)\n{\n\tsize_t lo = (size_t)-1, k = 0;\n"
		    "\tfor (size_t i = 0; i < size * 8; i++)\n"
		    "\t\tif (p[i / 8] >> (i %% 8) & 1) {\n\t\t\tif (lo == (size_t)-1)\n"
		    "\t\t\t\tlo = i;\n\t\t\tk++;\n\t\t}\n"
		    "\tprintf(\"%%s|%%s|bits|%%zu|%%zu\\n\", c, m, lo, k);\n}\n"
		    "int main(void)\n{\n");
	for (size_t i = 0; i < n; i++) {
		if (m[i].bitfield)
			fprintf(fp,
				"\t{\n\t\t%s s;\n\t\tmemset(&s, 0, sizeof(s));\n\t\ts.%s = ones;\n"
				"\t\tbits((const unsigned char *)&s, sizeof(s), \"%s\", \"%s\");\n"
				"\t}\n",
				m[i].container, m[i].name, m[i].container, m[i].name);
		else
			fprintf(fp,
				"\tprintf(\"%%s|%%s|plain|%%zu|%%zu\\n\", \"%s\", \"%s\", "
				"offsetof(%s, %s), sizeof(((%s *)0)->%s));\n",
				m[i].container, m[i].name, m[i].container, m[i].name,
				m[i].container, m[i].name);
	}
	fprintf(fp, "\treturn 0;\n}\n");
	fclose(fp);
	if (!run("cd '%s' && %s -w -Iinclude probe.c -o probe && ./probe > '%s'", v->dir, v->cc,
		 out))
		return false;
	fp = fopen(out, "r");
	while (fp && fgets(line, sizeof(line), fp)) {
		char *f[5], *p = line;

		for (int k = 0; k < 5; k++)
			f[k] = strsep(&p, "|\n");
		if (!f[4])
			continue;
		for (size_t i = 0; i < n; i++)
			if (strcmp(m[i].container, f[0]) == 0 && strcmp(m[i].name, f[1]) == 0) {
				uint64_t a = strtoull(f[3], NULL, 10), b = strtoull(f[4], NULL, 10);

				m[i].probed = true;
				if (strcmp(f[2], "bits") == 0)
					m[i].bit = a, m[i].bits = b;
				else
					m[i].off = a, m[i].size = b, m[i].bit = a * 8,
					m[i].bits = b * 8;
			}
	}
	if (fp)
		fclose(fp);
	return true;
}

/* One member (or member path) of a type against the probe's layout. */
static bool member_ok(struct kt_vmlinux *vm, const char *type, const char *path,
		      const struct member *want, uint64_t base_bit)
{
	struct kt_vmlinux_member got;
	struct kt_error *e = kt_vmlinux_member_named(vm, type, path, &got);
	bool ok;

	if (e) {
		fprintf(stderr, "%s::%s: %s\n", type, path, e->msg);
		kt_error_free(e);
		return false;
	}
	if (want->bitfield)
		ok = got.bitfield && got.bit_offset == base_bit + want->bit &&
		     got.bit_size == want->bits;
	else
		ok = !got.bitfield && got.offset * 8 == base_bit + want->bit &&
		     got.size == want->size;
	if (!ok)
		fprintf(stderr,
			"%s::%s: DWARF says offset %llu size %llu bit %llu+%llu%s, the "
			"compiler %llu bits at bit %llu\n",
			type, path, (unsigned long long)got.offset, (unsigned long long)got.size,
			(unsigned long long)got.bit_offset, (unsigned long long)got.bit_size,
			got.bitfield ? " (bitfield)" : "", (unsigned long long)want->bits,
			(unsigned long long)(base_bit + want->bit));
	kt_vmlinux_member_fini(&got);
	return ok;
}

static const struct member *find_member(const struct member *m, size_t n, const char *container,
					const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(m[i].container, container) == 0 && strcmp(m[i].name, name) == 0)
			return &m[i];
	return NULL;
}

/* The member of type whose own type is x's container (one level of nesting). */
static const struct member *find_outer(const struct member *m, size_t n, const char *type,
				       const struct member *x)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(m[i].container, type) == 0 && m[i].aggregate && !m[i].array &&
		    strcmp(m[i].type, x->container) == 0)
			return &m[i];
	return NULL;
}

/* The object named at addr: exactly want; for a bitfield (bit >= 0), a
 * bitfield of prefix whose bits overlap the byte at addr. */
static bool object_ok(struct kt_vmlinux *vm, uint64_t addr, uint64_t size, const char *want,
		      long long bit)
{
	struct kt_object_info oi;
	struct kt_error *e = kt_objects_lookup(vm, addr, size, &oi);
	bool ok;

	if (e) {
		fprintf(stderr, "object at %s: %s\n", want, e->msg);
		kt_error_free(e);
		return false;
	}
	if (bit < 0) {
		ok = oi.object && strcmp(oi.object, want) == 0;
	} else {
		uint64_t byte = (uint64_t)bit / 8 * 8; /* from the start of the variable */

		ok = oi.object && strncmp(oi.object, want, strlen(want)) == 0 && oi.has_member &&
		     oi.member.bitfield && oi.member.bit_offset < byte + 8 &&
		     oi.member.bit_offset + oi.member.bit_size > byte;
	}
	ok = ok && strcmp(oi.kind, "global") == 0;
	if (!ok)
		fprintf(stderr, "object at %s: got %s (%s)\n", want,
			oi.object ? oi.object : "(none)", oi.kind);
	kt_object_info_fini(&oi);
	return ok;
}

/* Every scalar member (and every scalar member of a nested struct) of each
 * element of a global, named from its address. */
static size_t objects_ok(struct kt_vmlinux *vm, const char *global, uint64_t stride, int count,
			 const char *type, const struct member *m, size_t n, size_t *checked)
{
	size_t first, nsym, good = 0;

	kt_elf_find_name(vm->elf, global, &first, &nsym);
	CHECK(nsym == 1);
	if (nsym != 1)
		return 0;
	uint64_t base = vm->elf->syms[vm->elf->by_name[first]].addr;

	for (int k = 0; k < count; k++)
		for (size_t i = 0; i < n; i++) {
			char name[200], want[512];
			const struct member *x = &m[i], *outer = NULL;

			if (strcmp(x->container, type) != 0 && !(outer = find_outer(m, n, type, x)))
				continue;
			if (x->aggregate || x->array || !x->probed)
				continue;
			if (count > 1)
				snprintf(name, sizeof(name), "%s[%d]", global, k);
			else
				snprintf(name, sizeof(name), "%s", global);
			if (outer)
				snprintf(want, sizeof(want), "%s.%s.%s", name, outer->name,
					 x->name);
			else
				snprintf(want, sizeof(want), "%s.%s", name, x->name);
			uint64_t bit = (uint64_t)k * stride * 8 + (outer ? outer->bit : 0) + x->bit;

			(*checked)++;
			if (outer && strncmp(outer->type, "union ", 6) == 0) {
				/* the members of a union share its bytes: the union
				 * is the innermost member that surely holds them */
				*strrchr(want, '.') = 0;
				good += object_ok(vm, base + bit / 8, x->bitfield ? 1 : x->size,
						  want, -1);
			} else if (x->bitfield)
				good += object_ok(vm, base + bit / 8, 1, name, (long long)bit);
			else
				good += object_ok(vm, base + bit / 8, x->size, want, -1);
		}
	return good;
}

static void compare_layouts(struct kt_vmlinux *vm, const struct variant *v)
{
	static struct member m[MAXMEM];
	char header[700];
	size_t n, checked = 0, good = 0, ochecked = 0, ogood = 0;

	snprintf(header, sizeof(header), "%s/include/dt.h", v->dir);
	n = read_members(header, m, MAXMEM);
	CHECK(n >= 25);
	CHECK(probe(v, m, n));
	for (size_t i = 0; i < n; i++) {
		CHECK(m[i].probed);
		checked++;
		good += member_ok(vm, m[i].container, m[i].name, &m[i], 0);
		if (!m[i].aggregate || m[i].array)
			continue;
		/* Members of a nested struct, by path from the outer one. */
		for (size_t j = 0; j < n; j++) {
			char path[160];

			if (strcmp(m[j].container, m[i].type) != 0)
				continue;
			snprintf(path, sizeof(path), "%s.%s", m[i].name, m[j].name);
			checked++;
			good += member_ok(vm, m[i].container, path, &m[j], m[i].bit);
		}
	}
	const struct member *pc = find_member(m, n, "struct dt_pcpu", "pad");
	uint64_t stride = pc ? (pc->off + pc->size + 7) / 8 * 8 : 0;

	ogood += objects_ok(vm, "dt_global", 0, 1, "struct dt_obj", m, n, &ochecked);
	ogood += objects_ok(vm, "dt_pcpu", stride, 4, "struct dt_pcpu", m, n, &ochecked);
	printf("%-5s -gdwarf-%d%-13s %4zu members and paths: %zu as the compiler lays them "
	       "out; %zu of %zu member addresses of the global and the array named\n",
	       v->cc, v->dwarf, v->compress ? " compressed" : "", checked, good, ogood, ochecked);
	CHECK_INT(good, checked);
	CHECK_INT(ogood, ochecked);
	CHECK(ochecked >= 40);
}

int main(void)
{
	static const char *const ccs[] = {"gcc", "clang"};
	int compilers = 0;

	if (!have("addr2line") || !have("objdump")) {
		printf("SKIP: binutils (addr2line, objdump) not installed\n");
		return 77;
	}
	if (!have("llvm-symbolizer"))
		printf("llvm-symbolizer not installed: no second oracle where addr2line "
		       "cannot read clang's DWARF 5 range lists\n");
	for (size_t c = 0; c < 2; c++) {
		if (!have(ccs[c])) {
			printf("%s not installed: its four variants skipped\n", ccs[c]);
			continue;
		}
		compilers++;
		for (int d = 4; d <= 5; d++)
			for (int z = 0; z < 2; z++) {
				struct variant v = {.cc = ccs[c], .dwarf = d, .compress = z};
				struct kt_vmlinux *vm = NULL;
				struct kt_vmlinux_opts o = {.no_cache = true,
							    .rules_dir = KT_SOURCE_RULES_DIR};
				struct kt_error *e;

				if (!build(&v)) {
					printf("%s -gdwarf-%d%s: build failed\n", v.cc, d,
					       z ? " -gz" : "");
					CHECK(false);
					continue;
				}
				e = kt_vmlinux_open(v.bin, &o, &vm);
				CHECK(e == NULL);
				if (e) {
					fprintf(stderr, "%s\n", e->msg);
					kt_error_free(e);
					continue;
				}
				compare_frames(vm, &v);
				compare_layouts(vm, &v);
				kt_vmlinux_close(vm);
			}
	}
	if (!compilers) {
		printf("SKIP: neither gcc nor clang is installed\n");
		return 77;
	}
	return kt_test_done("test_differential");
}
