// SPDX-License-Identifier: Apache-2.0
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mk.h"

static const char *const mk_files[] = {"mk.h", "mk_globals.c", "mk_inode.c", "mk_time.c",
				       "mk_tsan.c"};

static bool have_tool(const char *tool)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

bool mk_build(const char *tag, const char *cc, int dwarf, struct mk_build *out)
{
	return mk_build_ld(tag, cc, dwarf, "", out);
}

bool mk_build_ld(const char *tag, const char *cc, int dwarf, const char *ldflags,
		 struct mk_build *out)
{
	char cmd[4096];

	memset(out, 0, sizeof(*out));
	snprintf(out->cc, sizeof(out->cc), "%s", cc);
	out->dwarf = dwarf;
	if (!have_tool(cc)) {
		printf("mini kernel: %s not installed, variant skipped\n", cc);
		return false;
	}
	snprintf(out->dir, sizeof(out->dir), "%s/minikernel-%s-%s-dwarf%d", KT_BUILD_DIR, tag, cc,
		 dwarf);
	snprintf(out->bin, sizeof(out->bin), "%s/vmlinux", out->dir);
	mkdir(out->dir, 0755);
	for (size_t i = 0; i < sizeof(mk_files) / sizeof(mk_files[0]); i++) {
		snprintf(cmd, sizeof(cmd), "cp '%s/minikernel/%s' '%s/'", KT_TESTDATA, mk_files[i],
			 out->dir);
		if (system(cmd) != 0)
			return false;
	}
	/* Like a kernel build: relative file names, compiled in the tree, with
	 * the thread-sanitizer instrumentation KCSAN uses. */
	const char *tsan_params = strcmp(cc, "gcc") == 0
				      ? "--param tsan-instrument-func-entry-exit=0"
				      : "-mllvm -tsan-instrument-func-entry-exit=0 "
					"-Wno-unused-command-line-argument";
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && for f in mk_globals mk_inode mk_time; do "
		 "%s -g -O2 -gdwarf-%d -fsanitize=thread %s -fno-optimize-sibling-calls "
		 "-fno-pie -c $f.c -o $f.o || exit 1; done && "
		 "%s -O2 -fno-pie -c mk_tsan.c -o mk_tsan.o && "
		 "%s %s %s -static -nostdlib -no-pie -Wl,--unique=.data..percpu -Wl,-e,mk_start "
		 "-o vmlinux mk_globals.o mk_inode.o mk_time.o mk_tsan.o",
		 out->dir, cc, dwarf, tsan_params, cc, cc,
		 strcmp(cc, "gcc") == 0 ? "" : "-Wno-unused-command-line-argument", ldflags);
	if (system(cmd) != 0) {
		printf("mini kernel: %s -gdwarf-%d build failed, variant skipped\n", cc, dwarf);
		return false;
	}
	return true;
}

int mk_marker(const char *file, const char *name)
{
	char path[1024], line[1024], want[128];
	FILE *fp;
	int n = 0;

	snprintf(path, sizeof(path), "%s/minikernel/%s", KT_TESTDATA, file);
	snprintf(want, sizeof(want), "MK:%s ", name);
	fp = fopen(path, "r");
	if (!fp)
		return 0;
	while (fgets(line, sizeof(line), fp)) {
		n++;
		if (strstr(line, want)) {
			fclose(fp);
			return n;
		}
	}
	fclose(fp);
	return 0;
}

struct mk_elf {
	int fd;
	Elf *elf;
};

static bool mk_open(const char *bin, struct mk_elf *m)
{
	elf_version(EV_CURRENT);
	m->fd = open(bin, O_RDONLY);
	if (m->fd < 0)
		return false;
	m->elf = elf_begin(m->fd, ELF_C_READ, NULL);
	return m->elf != NULL;
}

static void mk_close(struct mk_elf *m)
{
	elf_end(m->elf);
	close(m->fd);
}

static Elf_Data *symtab(struct mk_elf *m, size_t *strndx, size_t *n)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(m->elf, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB) {
			*strndx = sh.sh_link;
			*n = sh.sh_size / sh.sh_entsize;
			return elf_getdata(scn, NULL);
		}
	return NULL;
}

bool mk_sym(const char *bin, const char *name, int nth, uint64_t *addr, uint64_t *size)
{
	struct mk_elf m;
	size_t strndx, n;
	Elf_Data *d;
	bool ok = false;

	if (!mk_open(bin, &m))
		return false;
	d = symtab(&m, &strndx, &n);
	for (size_t i = 0; d && i < n && !ok; i++) {
		GElf_Sym s;
		const char *nm;

		gelf_getsym(d, (int)i, &s);
		nm = elf_strptr(m.elf, strndx, s.st_name);
		if (nm && strcmp(nm, name) == 0 && nth-- == 0) {
			*addr = s.st_value;
			*size = s.st_size;
			ok = true;
		}
	}
	mk_close(&m);
	return ok;
}

uint64_t mk_kallsyms_size(const char *bin, uint64_t addr)
{
	struct mk_elf m;
	size_t strndx, n;
	Elf_Data *d;
	uint64_t best = 0;

	if (!mk_open(bin, &m))
		return 0;
	d = symtab(&m, &strndx, &n);
	for (size_t i = 0; d && i < n; i++) {
		GElf_Sym s;

		gelf_getsym(d, (int)i, &s);
		if (GELF_ST_TYPE(s.st_info) == STT_FUNC && s.st_value > addr &&
		    (!best || s.st_value < best))
			best = s.st_value;
	}
	mk_close(&m);
	return best ? best - addr : 0;
}

static const char *sym_name_at(struct mk_elf *m, uint64_t addr)
{
	size_t strndx, n;
	Elf_Data *d = symtab(m, &strndx, &n);

	for (size_t i = 0; d && i < n; i++) {
		GElf_Sym s;

		gelf_getsym(d, (int)i, &s);
		if (s.st_value == addr && GELF_ST_TYPE(s.st_info) == STT_FUNC)
			return elf_strptr(m->elf, strndx, s.st_name);
	}
	return NULL;
}

size_t mk_calls(const char *bin, uint64_t func_addr, uint64_t func_size, const char *prefix,
		uint64_t *offs, size_t max)
{
	struct mk_elf m;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	size_t found = 0;

	if (!mk_open(bin, &m))
		return 0;
	while ((scn = elf_nextscn(m.elf, scn))) {
		Elf_Data *d;
		const unsigned char *p;

		if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_EXECINSTR) ||
		    func_addr < sh.sh_addr || func_addr >= sh.sh_addr + sh.sh_size)
			continue;
		d = elf_getdata(scn, NULL);
		p = (const unsigned char *)d->d_buf + (func_addr - sh.sh_addr);
		/* A direct call is e8 rel32; a false match would also need to
		 * land exactly on a symbol with the wanted prefix. */
		for (uint64_t i = 0; i + 5 <= func_size && found < max; i++) {
			if (p[i] != 0xe8)
				continue;
			int32_t rel =
			    (int32_t)((uint32_t)p[i + 1] | (uint32_t)p[i + 2] << 8 |
				      (uint32_t)p[i + 3] << 16 | (uint32_t)p[i + 4] << 24);
			uint64_t target = func_addr + i + 5 + (int64_t)rel;
			const char *nm = sym_name_at(&m, target);

			if (nm && strncmp(nm, prefix, strlen(prefix)) == 0)
				offs[found++] = i + 5;
		}
	}
	mk_close(&m);
	return found;
}

int mk_addr2line(const char *bin, const char *strip_prefix, uint64_t pc, char funcs[][128],
		 char locs[][256], int max)
{
	char cmd[1024], a[512], b[512];
	FILE *fp;
	int n = 0;
	size_t pl = strip_prefix ? strlen(strip_prefix) : 0;

	if (!have_tool("addr2line"))
		return -1;
	snprintf(cmd, sizeof(cmd), "addr2line -f -i -e '%s' 0x%llx", bin, (unsigned long long)pc);
	fp = popen(cmd, "r");
	if (!fp)
		return -1;
	while (n < max && fgets(a, sizeof(a), fp) && fgets(b, sizeof(b), fp)) {
		char *disc;

		a[strcspn(a, "\n")] = 0;
		b[strcspn(b, "\n")] = 0;
		disc = strstr(b, " (discriminator");
		if (disc)
			*disc = 0;
		const char *src = b;

		if (pl && strncmp(b, strip_prefix, pl) == 0 && b[pl] == '/')
			src = b + pl + 1;
		a[127] = 0;
		memcpy(funcs[n], a, strlen(a) + 1);
		size_t sl = strlen(src) < 255 ? strlen(src) : 255;

		memcpy(locs[n], src, sl);
		locs[n][sl] = 0;
		n++;
	}
	pclose(fp);
	return n;
}

unsigned char *mk_slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf;
	long l;

	*len = 0;
	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	l = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = l >= 0 ? malloc((size_t)l + 1) : NULL;
	if (buf) {
		*len = (size_t)l;
		if (fread(buf, 1, *len, fp) != *len) {
			free(buf);
			buf = NULL;
			*len = 0;
		} else {
			buf[*len] = 0;
		}
	}
	fclose(fp);
	return buf;
}

bool mk_call_target(const char *bin, uint64_t ret, char *name, size_t n)
{
	struct mk_elf m;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	bool ok = false;

	if (!mk_open(bin, &m))
		return false;
	while (!ok && (scn = elf_nextscn(m.elf, scn))) {
		Elf_Data *d;
		const unsigned char *p;
		int32_t rel;

		if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_EXECINSTR) ||
		    ret < sh.sh_addr + 5 || ret > sh.sh_addr + sh.sh_size)
			continue;
		d = elf_getdata(scn, NULL);
		p = (const unsigned char *)d->d_buf + (ret - sh.sh_addr) - 5;
		if (p[0] != 0xe8)
			break;
		memcpy(&rel, p + 1, 4);
		const char *nm = sym_name_at(&m, ret + (int64_t)rel);

		if (nm) {
			snprintf(name, n, "%s", nm);
			ok = true;
		}
	}
	mk_close(&m);
	return ok;
}
