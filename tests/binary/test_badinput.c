// SPDX-License-Identifier: Apache-2.0
/*
 * Bad vmlinux files: not an ELF, empty, truncated, 32-bit, another machine,
 * no DWARF, no symbols, corrupted DWARF. Each must give a clear error naming
 * the file (and the offset where one applies), never a crash or a hang. The
 * corrupted-DWARF cases run in a child process so a crash is reported as
 * such.
 */
#include <fcntl.h>
#include <gelf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "kcsan/binary.h"
#include "kcsan/facts.h"
#include "kcsan/report.h"
#include "mk.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	*len = (size_t)ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc(*len + 1);
	if (fread(buf, 1, *len, fp) != *len) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	return buf;
}

static void spit(const char *path, const char *buf, size_t len)
{
	FILE *fp = fopen(path, "wb");

	if (!fp)
		abort();
	if (len && fwrite(buf, 1, len, fp) != len)
		abort();
	fclose(fp);
}

/* Open must fail with code and a message holding needle. */
static void expect_open_error(const char *path, enum kt_errcode code, const char *needle,
			      bool want_offset)
{
	struct kt_vmlinux *vm = NULL;
	struct kt_vmlinux_opts opts = {.no_cache = true};
	struct kt_error *e = kt_vmlinux_open(path, &opts, &vm);

	CHECK(e != NULL);
	CHECK(vm == NULL);
	if (!e)
		return;
	char *msg = kt_error_format(e);

	printf("  %s\n", msg);
	CHECK_INT(e->code, code);
	CHECK(strstr(msg, needle) != NULL);
	CHECK(strstr(msg, path) != NULL);
	if (want_offset)
		CHECK(e->offset >= 0);
	CHECK_INT(kt_error_exit_code(e), 2);
	free(msg);
	kt_error_free(e);
}

/* File offset and size of a section. */
static bool section(const char *bin, const char *name, size_t *off, size_t *size)
{
	int fd = open(bin, O_RDONLY);
	Elf *elf;
	Elf_Scn *scn = NULL;
	size_t shstr;
	bool ok = false;

	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	elf_getshdrstrndx(elf, &shstr);
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		gelf_getshdr(scn, &sh);
		const char *n = elf_strptr(elf, shstr, sh.sh_name);

		if (n && strcmp(n, name) == 0) {
			*off = sh.sh_offset;
			*size = sh.sh_size;
			ok = true;
		}
	}
	elf_end(elf);
	close(fd);
	return ok;
}

/* In a child: open and symbolize every frame of the mini kernel; any error is
 * fine, a crash or a hang is not. */
static void survive(const char *path, const char *what, const char *report_text)
{
	pid_t pid = fork();
	int status = 0;

	if (pid == 0) {
		struct kt_vmlinux *vm = NULL;
		struct kt_vmlinux_opts opts = {.no_cache = true, .rules_dir = KT_SOURCE_RULES_DIR};
		struct kt_error *e;
		static const char *const frames =
		    " mk_mark_dirty+0x9/0x20\n mk_lru_add+0x20/0x60\n mk_tick+0x9/0x40\n"
		    " mk_syscall+0x30/0x130\n mk_helper+0x10/0x30\n mk_read_seq+0x8/0x20\n";
		FILE *devnull = fopen("/dev/null", "w");

		alarm(60); /* a hang becomes SIGALRM */
		e = kt_vmlinux_open(path, &opts, &vm);
		if (!e) {
			kt_error_free(kt_vmlinux_symbolize_text(vm, frames, devnull));
			/* and the object side: globals, layouts, named types */
			struct kt_report *rep = NULL;
			struct kt_error *pe = kt_report_parse_string(report_text, "fuzz", &rep);

			if (pe || !rep)
				_exit(3); /* the test's own report must parse */
			struct kt_facts *f = kt_facts_new();
			struct kt_vmlinux_member m;

			kt_error_free(kt_vmlinux_add_facts(vm, rep, f));
			kt_facts_free(f);
			struct kt_error *me =
			    kt_vmlinux_member_named(vm, "struct mk_inode", "i_lru", &m);

			if (!me)
				kt_vmlinux_member_fini(&m);
			kt_error_free(me);
			kt_report_free(rep);
			kt_vmlinux_close(vm);
		}
		kt_error_free(e);
		fclose(devnull);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fprintf(stderr, "%s: the child died (status 0x%x)\n", what, status);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Broken ELF headers: not an ELF, empty, missing, truncated, 32-bit, another
 * machine, a section table past the end. */
static void bad_headers(const struct mk_build *b, const char *good, size_t len)
{
	char path[1024];

	printf("not an ELF:\n");
	snprintf(path, sizeof(path), "%s/bad-text", b->dir);
	spit(path, "this is not a kernel\n", 21);
	expect_open_error(path, KT_ERR_PARSE, "not an ELF", true);

	printf("empty:\n");
	snprintf(path, sizeof(path), "%s/bad-empty", b->dir);
	spit(path, "", 0);
	expect_open_error(path, KT_ERR_PARSE, "not an ELF", true);

	printf("missing:\n");
	snprintf(path, sizeof(path), "%s/bad-missing-file", b->dir);
	unlink(path);
	expect_open_error(path, KT_ERR_IO, "cannot open", false);

	printf("truncated:\n");
	snprintf(path, sizeof(path), "%s/bad-truncated", b->dir);
	spit(path, good, len / 2);
	expect_open_error(path, KT_ERR_PARSE, "truncated", true);
	spit(path, good, 40);
	expect_open_error(path, KT_ERR_PARSE, "", true);

	printf("32-bit:\n");
	{
		char *c = malloc(len);

		memcpy(c, good, len);
		c[EI_CLASS] = ELFCLASS32;
		snprintf(path, sizeof(path), "%s/bad-32bit", b->dir);
		spit(path, c, len);
		expect_open_error(path, KT_ERR_UNSUPPORTED, "32-bit", true);
		free(c);
	}
	printf("other machine:\n");
	{
		char *c = malloc(len);
		uint16_t m = EM_AARCH64;

		memcpy(c, good, len);
		memcpy(c + 18, &m, 2);
		snprintf(path, sizeof(path), "%s/bad-arm64", b->dir);
		spit(path, c, len);
		expect_open_error(path, KT_ERR_UNSUPPORTED, "x86-64", true);
		free(c);
	}
	printf("section table past the end:\n");
	{
		char *c = malloc(len);
		uint64_t shoff = (uint64_t)len + 4096;

		memcpy(c, good, len);
		memcpy(c + 0x28, &shoff, 8);
		snprintf(path, sizeof(path), "%s/bad-shoff", b->dir);
		spit(path, c, len);
		expect_open_error(path, KT_ERR_PARSE, "", true);
		free(c);
	}
}

/* No DWARF, no symbols: objcopy's stripped copies. */
static void stripped(const struct mk_build *b)
{
	char path[1024], cmd[2048];

	printf("no DWARF:\n");
	snprintf(path, sizeof(path), "%s/bad-nodwarf", b->dir);
	snprintf(cmd, sizeof(cmd), "objcopy --strip-debug '%s' '%s'", b->bin, path);
	if (system(cmd) == 0)
		expect_open_error(path, KT_ERR_UNSUPPORTED, "CONFIG_DEBUG_INFO", false);
	else
		printf("  objcopy not installed: case skipped\n");
	printf("no symbols:\n");
	snprintf(path, sizeof(path), "%s/bad-stripped", b->dir);
	snprintf(cmd, sizeof(cmd), "objcopy --strip-all '%s' '%s'", b->bin, path);
	if (system(cmd) == 0) {
		struct kt_vmlinux *vm = NULL;
		struct kt_vmlinux_opts opts = {.no_cache = true};
		struct kt_error *e = kt_vmlinux_open(path, &opts, &vm);

		CHECK(e != NULL);
		if (e)
			printf("  %s\n", e->msg);
		kt_error_free(e);
		kt_vmlinux_close(vm);
	}
}

/* Compressed debug sections are not bad (CONFIG_DEBUG_INFO_COMPRESSED): the
 * frames symbolize as from the plain file. */
static void compressed_debug(const struct mk_build *b)
{
	static const char *const styles[] = {"zlib-gabi", "zlib-gnu"};
	char path[1024], cmd[2048];
	char ref[4096] = "";
	uint64_t addr, size, offs[4];
	char frame[256];

	printf("compressed debug sections (not bad: CONFIG_DEBUG_INFO_COMPRESSED):\n");
	CHECK(mk_sym(b->bin, "mk_tick", 0, &addr, &size));
	CHECK(mk_calls(b->bin, addr, size, "__tsan_", offs, 4) > 0);
	snprintf(frame, sizeof(frame), " mk_tick+0x%llx/0x%llx\n", (unsigned long long)offs[0],
		 (unsigned long long)mk_kallsyms_size(b->bin, addr));
	for (int i = -1; i < 2; i++) {
		char got[4096] = "";
		struct kt_vmlinux *vm = NULL;
		struct kt_vmlinux_opts opts = {.no_cache = true};
		struct kt_error *e;

		if (i >= 0) {
			snprintf(path, sizeof(path), "%s/compressed-%s", b->dir, styles[i]);
			snprintf(cmd, sizeof(cmd),
				 "objcopy --compress-debug-sections=%s '%s' '%s' 2>/dev/null",
				 styles[i], b->bin, path);
			if (system(cmd) != 0) {
				printf("  objcopy cannot write %s: case skipped\n", styles[i]);
				continue;
			}
		} else {
			snprintf(path, sizeof(path), "%s", b->bin);
		}
		e = kt_vmlinux_open(path, &opts, &vm);
		CHECK(e == NULL);
		if (!e) {
			FILE *mf = fmemopen(got, sizeof(got) - 1, "w");

			kt_error_free(kt_vmlinux_symbolize_text(vm, frame, mf));
			fclose(mf);
			kt_vmlinux_close(vm);
		}
		kt_error_free(e);
		if (i < 0)
			memcpy(ref, got, sizeof(ref));
		else
			CHECK_STR(got, ref);
		CHECK(strstr(got, "mk_time.c:") != NULL);
	}
}

/* A report on two globals, with a frame of this build: the object side
 * (globals index, layouts, named types) runs on the damaged DWARF too. */
static void two_globals_report(const struct mk_build *b, char *out, size_t outn)
{
	uint64_t jif = 0, inode = 0, gsz = 0;
	uint64_t a, sz, offs[4];
	char tick[128];

	CHECK(mk_sym(b->bin, "mk_jiffies", 0, &jif, &gsz));
	CHECK(mk_sym(b->bin, "mk_root_inode", 0, &inode, &gsz));
	inode += 16; /* the bitfield word */
	CHECK(mk_sym(b->bin, "mk_tick", 0, &a, &sz));
	CHECK(mk_calls(b->bin, a, sz, "__tsan_", offs, 4) > 0);
	snprintf(tick, sizeof(tick), "mk_tick+0x%llx/0x%llx", (unsigned long long)offs[0],
		 (unsigned long long)mk_kallsyms_size(b->bin, a));
	snprintf(out, outn,
		 "==================================================================\n"
		 "BUG: KCSAN: data-race in mk_tick / mk_tick\n\n"
		 "write to 0x%llx of 8 bytes by task 1 on cpu 0:\n %s\n\n"
		 "read to 0x%llx of 1 bytes by task 2 on cpu 1:\n %s\n\n"
		 "Reported by Kernel Concurrency Sanitizer on:\n"
		 "CPU: 1 PID: 2 Comm: mk Not tainted 6.1.0 #1\n"
		 "==================================================================\n",
		 (unsigned long long)jif, tick, (unsigned long long)inode, tick);
}

/* On the good file first: the report's object is found. */
static void objects_on_good_file(const struct mk_build *b, const char *report_text)
{
	struct kt_vmlinux *vm = NULL;
	struct kt_vmlinux_opts opts = {.no_cache = true, .rules_dir = KT_SOURCE_RULES_DIR};
	struct kt_report *rep = NULL;
	struct kt_facts *f = kt_facts_new();
	struct kt_error *e = kt_vmlinux_open(b->bin, &opts, &vm);

	CHECK(e == NULL);
	kt_error_free(e);
	e = kt_report_parse_string(report_text, "fuzz", &rep);
	CHECK(e == NULL && rep);
	kt_error_free(e);
	if (vm && rep) {
		e = kt_vmlinux_add_facts(vm, rep, f);
		CHECK(e == NULL);
		kt_error_free(e);
		const struct kt_fact *o = kt_facts_get(f, "object");

		CHECK(o && o->s && strcmp(o->s, "mk_jiffies") == 0);
	}
	kt_facts_free(f);
	kt_report_free(rep);
	kt_vmlinux_close(vm);
}

/* Each DWARF section damaged at several places: every file is opened and
 * used in a child, which may fail but neither crash nor hang. */
static void corrupted_dwarf(const struct mk_build *b, const char *good, size_t len,
			    const char *report_text)
{
	static const char *const secs[] = {".debug_info",    ".debug_abbrev", ".debug_line",
					   ".debug_aranges", ".debug_str",    ".debug_rnglists"};
	char path[1024];
	int cases = 0;

	for (size_t s = 0; s < sizeof(secs) / sizeof(secs[0]); s++) {
		size_t off = 0, size = 0;

		if (!section(b->bin, secs[s], &off, &size) || size == 0)
			continue;
		/* Deterministic damage: runs of 0xff, of zeros, and scattered
		 * bytes, at several places of the section. */
		for (int k = 0; k < 6; k++) {
			char *c = malloc(len);
			size_t at = off + (size * (size_t)k) / 6;
			size_t run = size / 8 + 1;
			unsigned seed = (unsigned)(s * 31 + (size_t)k * 7 + 1);

			memcpy(c, good, len);
			for (size_t i = 0; i < run && at + i < off + size; i++) {
				if (k % 3 == 0)
					c[at + i] = (char)0xff;
				else if (k % 3 == 1)
					c[at + i] = 0;
				else if ((seed = seed * 1103515245 + 12345) % 5 == 0)
					c[at + i] = (char)(seed >> 16);
			}
			snprintf(path, sizeof(path), "%s/bad-dwarf-%zu-%d", b->dir, s, k);
			spit(path, c, len);
			char what[128];

			snprintf(what, sizeof(what), "%s damage %d", secs[s], k);
			survive(path, what, report_text);
			cases++;
			free(c);
		}
	}
	printf("  %d corrupted files survived\n", cases);
	CHECK(cases >= 24);
}

int main(void)
{
	struct mk_build b;
	char report_text[1024];
	char *good;
	size_t len;

	if (!mk_build("bad", "gcc", 5, &b)) {
		printf("SKIP: gcc cannot build the mini kernel\n");
		return 77;
	}
	good = slurp(b.bin, &len);
	CHECK(good != NULL);
	if (!good)
		return kt_test_done("test_badinput");
	bad_headers(&b, good, len);
	stripped(&b);
	compressed_debug(&b);
	printf("corrupted DWARF:\n");
	two_globals_report(&b, report_text, sizeof(report_text));
	objects_on_good_file(&b, report_text);
	corrupted_dwarf(&b, good, len, report_text);
	free(good);
	return kt_test_done("test_badinput");
}
