// SPDX-License-Identifier: Apache-2.0
/*
 * Hostile vmlinux files: truncated at pseudo-random offsets (the mini kernel
 * and the real fixture), symbol tables claiming huge counts, and DWARF with
 * cycles and nesting far past anything real. Each must end in a clear error
 * naming the file or in a bounded result: never a crash, a hang, or a stack
 * overflow. The runs that walk DWARF happen in a child process with an alarm,
 * so a crash or a hang is reported as such instead of taking the test down.
 */
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crafted_dwarf.h"
#include "fixture.h"
#include "harness.h"
#include "kcsan/binary.h"
#include "kcsan/report.h"
#include "kcsan/strbuf.h"
#include "mk.h"

static unsigned next_rand(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* The first len bytes of the file behind src, in an anonymous memory file,
 * opened by path as a user's file would be. */
static int truncated_copy(int src, size_t len, char *path, size_t n)
{
	int fd = memfd_create("truncated-vmlinux", MFD_CLOEXEC);
	static const size_t chunk = 1 << 20;
	char *buf = malloc(chunk);
	size_t off = 0;

	if (fd < 0 || !buf) {
		free(buf);
		return -1;
	}
	while (off < len) {
		ssize_t c = pread(src, buf, len - off < chunk ? len - off : chunk, (off_t)off);

		if (c <= 0 || write(fd, buf, (size_t)c) != c) {
			free(buf);
			close(fd);
			return -1;
		}
		off += (size_t)c;
	}
	free(buf);
	snprintf(path, n, "/proc/self/fd/%d", fd);
	return fd;
}

/* Opening must fail with a parse error that names the file and an offset. */
static void expect_truncated_error(const char *path, size_t len, int *shown)
{
	struct kt_vmlinux *vm = NULL;
	struct kt_vmlinux_opts opts = {.no_cache = true, .rules_dir = KT_SOURCE_RULES_DIR};
	struct kt_error *e = kt_vmlinux_open(path, &opts, &vm);

	CHECK(e != NULL);
	CHECK(vm == NULL);
	if (!e) {
		fprintf(stderr, "a vmlinux cut at %zu bytes opened\n", len);
		kt_vmlinux_close(vm);
		return;
	}
	char *msg = kt_error_format(e);

	if ((*shown)++ < 3)
		printf("  cut at %zu: %s\n", len, msg);
	CHECK_INT(e->code, KT_ERR_PARSE);
	CHECK(e->file && strcmp(e->file, path) == 0);
	CHECK(e->offset >= 0);
	CHECK_INT(kt_error_exit_code(e), 2);
	free(msg);
	kt_error_free(e);
}

static void truncations(const char *bin, const char *what, int count, unsigned seed)
{
	int src = open(bin, O_RDONLY | O_CLOEXEC);
	struct stat st;
	int shown = 0;

	CHECK(src >= 0);
	if (src < 0 || fstat(src, &st) != 0)
		return;
	printf("%s truncated at %d offsets:\n", what, count);
	for (int i = 0; i < count; i++) {
		/* the first few cut inside the ELF header, the rest anywhere */
		size_t len = i < 8 ? (size_t)i * 9 : next_rand(&seed) % (size_t)st.st_size;
		char path[64];
		int fd = truncated_copy(src, len, path, sizeof(path));

		CHECK(fd >= 0);
		if (fd < 0)
			break;
		expect_truncated_error(path, len, &shown);
		close(fd);
	}
	close(src);
}


/* File offset of the section header of the first section of this type. */
static size_t shdr_of_type(const unsigned char *img, uint32_t type)
{
	Elf64_Ehdr eh;

	memcpy(&eh, img, sizeof(eh));
	for (unsigned i = 0; i < eh.e_shnum; i++) {
		Elf64_Shdr sh;
		size_t at = eh.e_shoff + (size_t)i * sizeof(sh);

		memcpy(&sh, img + at, sizeof(sh));
		if (sh.sh_type == type)
			return at;
	}
	return 0;
}

/* In a child with an alarm: open, then symbolize and classify a report
 * whose frames are text and whose racing address is addr. Returns the exit
 * status: 0 opened and ran, 1 refused with an error that has a message, 3 an
 * error without one; a signal shows as such. */
/* *lines_out: lines symbolize_text wrote, negated when it gave an error. */
static int run_child(const char *path, const char *frames, uint64_t addr, int *lines_out)
{
	int pfd[2];
	pid_t pid;
	int status = 0;

	if (pipe(pfd) != 0)
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct kt_vmlinux *vm = NULL;
		struct kt_vmlinux_opts opts = {.no_cache = true, .rules_dir = KT_SOURCE_RULES_DIR};
		struct kt_error *e;
		char *buf = NULL;
		size_t blen = 0;
		FILE *out = open_memstream(&buf, &blen);
		int lines = 0, rc = 0;

		close(pfd[0]);
		alarm(120); /* a hang becomes SIGALRM */
		e = kt_vmlinux_open(path, &opts, &vm);
		if (e) {
			rc = e->msg && *e->msg ? 1 : 3;
			kt_error_free(e);
			_exit(rc);
		}
		e = kt_vmlinux_symbolize_text(vm, frames, out);
		fflush(out);
		for (size_t i = 0; i < blen; i++)
			lines += buf[i] == '\n';
		if (e) {
			/* refused: say why, and give the lines as read */
			printf("    symbolizing: %s\n", e->msg);
			fflush(stdout);
			lines = e->msg && *e->msg ? -lines : -100000;
			kt_error_free(e);
		}
		if (write(pfd[1], &lines, sizeof(lines)) != sizeof(lines))
			rc = 4;
		if (addr) {
			char rep[1024];
			FILE *in;
			struct kt_reader *rd = NULL;
			struct kt_report *r = NULL;

			snprintf(rep, sizeof(rep),
				 "==================================================================\n"
				 "BUG: KCSAN: data-race in crafted_deep_fn / crafted_cyc_fn\n\n"
				 "write to 0x%" PRIx64 " of 4 bytes by task 1 on cpu 0:\n%s\n"
				 "read to 0x%" PRIx64 " of 4 bytes by task 2 on cpu 1:\n%s\n"
				 "Reported by Kernel Concurrency Sanitizer on:\n"
				 "CPU: 1 PID: 2 Comm: t Not tainted 6.1.0 #1\n"
				 "==================================================================\n",
				 addr, frames, addr, frames);
			in = fmemopen(rep, strlen(rep), "r");
			if (!kt_reader_new(in, "crafted", &rd)) {
				kt_error_free(kt_reader_next(rd, &r));
				if (r) {
					struct kt_facts *f = kt_facts_new();

					kt_error_free(kt_vmlinux_add_facts(vm, r, f));
					kt_facts_free(f);
					kt_report_free(r);
				}
				kt_reader_free(rd);
			}
			fclose(in);
		}
		fclose(out);
		free(buf);
		kt_vmlinux_close(vm);
		_exit(rc);
	}
	close(pfd[1]);
	*lines_out = -1;
	if (read(pfd[0], lines_out, sizeof(*lines_out)) != sizeof(*lines_out))
		*lines_out = -1;
	close(pfd[0]);
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "  child killed by signal %d\n", WTERMSIG(status));
		return 128 + WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}

static void huge_symbol_counts(const struct mk_build *b)
{
	size_t len = 0;
	unsigned char *good = mk_slurp(b->bin, &len);
	size_t at;
	static const struct {
		const char *what;
		uint64_t size, entsize; /* 0: keep */
	} cases[] = {
	    {"2^60 bytes of symbols", 1ULL << 60, 0},
	    {"2^64-24 bytes of symbols", UINT64_MAX - 23, 0},
	    {"one byte per symbol", 0, 1},
	    {"no entry size", 0, UINT64_MAX},
	    {"a 2^40-byte entry", 0, 1ULL << 40},
	};

	CHECK(good != NULL);
	if (!good)
		return;
	at = shdr_of_type(good, SHT_SYMTAB);
	CHECK(at != 0);
	printf("symbol tables with huge counts:\n");
	for (size_t c = 0; at && c < sizeof(cases) / sizeof(cases[0]); c++) {
		unsigned char *img = malloc(len);
		Elf64_Shdr sh;
		char path[64];
		int fd = memfd_create("symtab", MFD_CLOEXEC), lines = 0;

		memcpy(img, good, len);
		memcpy(&sh, img + at, sizeof(sh));
		if (cases[c].size)
			sh.sh_size = cases[c].size;
		if (cases[c].entsize)
			sh.sh_entsize = cases[c].entsize == UINT64_MAX ? 0 : cases[c].entsize;
		memcpy(img + at, &sh, sizeof(sh));
		CHECK(fd >= 0 && write(fd, img, len) == (ssize_t)len);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		int rc = run_child(path, " mk_tick+0x9/0x40\n", 0, &lines);

		printf("  %s: %s\n", cases[c].what,
		       rc == 1 ? "refused with an error" : rc == 0 ? "opened" : "DIED");
		/* A table that does not fit the file or whose entries are not
		 * ELF64 symbols is refused; nothing may crash. */
		CHECK_INT(rc, 1);
		close(fd);
		free(img);
	}
	free(good);
}

/* In a child with an alarm: member layouts of the crafted types, by offset
 * and by a member path as deep as the nesting. 0 when every call came back
 * (with an answer or an error that has a message); the number of answers in
 * *answered. */
static int members_child(const char *bin, int depth, int *answered)
{
	int pfd[2], status = 0;
	pid_t pid;

	if (pipe(pfd) != 0)
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		static const char *const types[] = {"struct deep", "struct self", "cyc_a", "cyc_b",
						    "deep", "self"};
		struct kt_vmlinux *vm = NULL;
		struct kt_vmlinux_opts opts = {.no_cache = true, .rules_dir = KT_SOURCE_RULES_DIR};
		struct kt_error *e;
		struct kt_strbuf path;
		int n = 0, rc = 0;

		close(pfd[0]);
		alarm(120);
		e = kt_vmlinux_open(bin, &opts, &vm);
		if (e)
			_exit(1);
		kt_strbuf_init(&path);
		kt_strbuf_adds(&path, "m");
		for (int i = 1; i < depth + 8; i++)
			kt_strbuf_adds(&path, ".m");
		for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
			for (int k = 0; k < 2; k++) {
				struct kt_vmlinux_member m;

				memset(&m, 0, sizeof(m));
				e = k == 0 ? kt_vmlinux_member_at(vm, types[t], 0, 4, &m)
					   : kt_vmlinux_member_named(vm, types[t], path.buf, &m);
				if (e) {
					if (!e->msg || !*e->msg)
						rc = 3;
					kt_error_free(e);
				} else {
					n++;
					kt_vmlinux_member_fini(&m);
				}
			}
		}
		kt_strbuf_fini(&path);
		kt_vmlinux_close(vm);
		if (write(pfd[1], &n, sizeof(n)) != sizeof(n))
			rc = 4;
		_exit(rc);
	}
	close(pfd[1]);
	*answered = -1;
	if (read(pfd[0], answered, sizeof(*answered)) != sizeof(*answered))
		*answered = -1;
	close(pfd[0]);
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "  child killed by signal %d\n", WTERMSIG(status));
		return 128 + WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}

/* depth below the reader's nesting bound: the chains come out, cut where a
 * cycle closes; above it: a clear refusal, the frames left as printed. */
static void crafted(const char *dir, int depth, bool deep)
{
	char bin[1100];

	printf("crafted DWARF (cycles, nesting %d deep):\n", depth);
	if (!crafted_dwarf_build(dir, depth, bin, sizeof(bin))) {
		printf("  gcc cannot build it: case skipped\n");
		return;
	}
	uint64_t addrs[4];
	static const char *const vars[] = {"crafted_cyc_var", "crafted_self_var",
					   "crafted_deep_var", "crafted_ptr_var"};

	for (int i = 0; i < 4; i++) {
		uint64_t size = 0;

		addrs[i] = 0;
		CHECK(mk_sym(bin, vars[i], 0, &addrs[i], &size));
	}
	for (int i = 0; i < 4; i++) {
		int lines = 0;
		/* a frame inside each function: the return address of a nop */
		int rc = run_child(bin, " crafted_deep_fn+0x5/0x20\n crafted_cyc_fn+0x7/0x20\n",
				   addrs[i], &lines);

		printf("  %s: %s, %d lines symbolized\n", vars[i],
		       rc == 0 ? "ran" : rc == 1 ? "refused" : "DIED", lines);
		CHECK_INT(rc, 0);
		if (deep) {
			/* refused with a message, both frames copied as printed */
			CHECK_INT(lines, -2);
		} else {
			/* each frame expanded into its inline chain, bounded */
			CHECK(lines > depth);
			CHECK(lines <= 4 * depth + 16);
		}
	}
	int answered = 0;
	int rc = members_child(bin, depth, &answered);

	printf("  member layouts of the cyclic and nested types: %s, %d answers\n",
	       rc == 0 ? "all calls came back" : "DIED", answered);
	CHECK_INT(rc, 0);
	CHECK(answered >= 0);
}

/* A report with thousands of frames per stack, all resolving in the mini
 * kernel: read within the parser's bound, symbolized within a bound. */
static void thousands_of_frames(const struct mk_build *b)
{
	uint64_t addr = 0, size = 0, offs[4];
	size_t nc;
	char line[128];
	struct kt_strbuf sb;

	printf("a report with 5000 frames per stack:\n");
	CHECK(mk_sym(b->bin, "mk_tick", 0, &addr, &size));
	nc = mk_calls(b->bin, addr, size, "", offs, 4);
	CHECK(nc > 0);
	if (!nc)
		return;
	snprintf(line, sizeof(line), " mk_tick+0x%llx/0x%llx\n", (unsigned long long)offs[0],
		 (unsigned long long)mk_kallsyms_size(b->bin, addr));
	kt_strbuf_init(&sb);
	kt_strbuf_adds(&sb, "==================================================================\n"
			    "BUG: KCSAN: data-race in mk_tick / mk_tick\n\n");
	for (int side = 0; side < 2; side++) {
		kt_strbuf_addf(&sb, "%s to 0xffff888000001000 of 4 bytes by task %d on cpu %d:\n",
			       side ? "read" : "write", side + 1, side);
		for (int i = 0; i < 5000; i++)
			kt_strbuf_adds(&sb, line);
		kt_strbuf_adds(&sb, "\n");
	}
	kt_strbuf_adds(&sb, "Reported by Kernel Concurrency Sanitizer on:\n"
			    "CPU: 1 PID: 2 Comm: t Not tainted 6.1.0 #1\n"
			    "==================================================================\n");
	FILE *in = fmemopen(sb.buf, sb.len, "r");
	struct kt_reader *rd = NULL;
	struct kt_report *rep = NULL;
	struct kt_vmlinux *vm = NULL;
	struct kt_vmlinux_opts opts = {.no_cache = true, .rules_dir = KT_SOURCE_RULES_DIR};
	struct kt_error *e = kt_reader_new(in, "deep", &rd);

	CHECK(e == NULL);
	if (!e) {
		struct kt_error *re = kt_reader_next(rd, &rep);

		if (re)
			printf("  reader: %s\n", re->msg);
		kt_error_free(re);
	}
	CHECK(rep != NULL);
	kt_error_free(e);
	e = kt_vmlinux_open(b->bin, &opts, &vm);
	CHECK(e == NULL);
	kt_error_free(e);
	if (rep && vm) {
		printf("  %zu frames read per stack (the parser's bound is %d)\n",
		       rep->access[0].nframes, KT_REPORT_MAX_FRAMES);
		CHECK(rep->access[0].nframes > 0);
		CHECK(rep->access[0].nframes <= KT_REPORT_MAX_FRAMES);
		CHECK(kt_vmlinux_check_report(vm, rep) == NULL);
		struct kt_frame *fr = NULL;
		size_t n = 0;

		e = kt_vmlinux_symbolize_stack(vm, &rep->access[0], &fr, &n);
		CHECK(e == NULL);
		kt_error_free(e);
		printf("  %zu frames symbolized\n", n);
		CHECK(n >= rep->access[0].nframes);
		CHECK(n <= 8 * rep->access[0].nframes);
		kt_frames_free(fr, n);
	}
	kt_vmlinux_close(vm);
	kt_report_free(rep);
	kt_reader_free(rd);
	if (in)
		fclose(in);
	kt_strbuf_fini(&sb);
}

int main(void)
{
	struct mk_build b;
	char dir[1024], vml[1024];

	if (!mk_build("hostile", "gcc", 5, &b)) {
		printf("SKIP: gcc cannot build the mini kernel\n");
		return 77;
	}
	truncations(b.bin, "mini kernel", 400, 0x5eed);
	huge_symbol_counts(&b);
	thousands_of_frames(&b);
	snprintf(dir, sizeof(dir), "%s/crafted-shallow", b.dir);
	mkdir(dir, 0755);
	crafted(dir, 40, false);
	snprintf(dir, sizeof(dir), "%s/crafted-deep", b.dir);
	mkdir(dir, 0755);
	crafted(dir, 20000, true);
	if (fixture_vmlinux(vml, sizeof(vml)))
		truncations(vml, "fixture vmlinux", 24, 0xf1c7);
	else
		printf("fixture vmlinux absent: its truncations skipped\n");
	return kt_test_done("test_hostile_elf");
}
