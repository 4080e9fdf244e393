// SPDX-License-Identifier: Apache-2.0
/*
 * A vmlinux into the binary layer: the input is written to an anonymous
 * memory file and opened by its /proc/self/fd path, the way a user hands us a
 * file. When it opens, a report is written against its own symbols (the first
 * text symbols as frames, a data symbol as the racing address), so the
 * symbolizer, the DWARF readers, the object map and the type layouts all run
 * on whatever the file holds.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kcsan/binary.h"
#include "kcsan/facts.h"
#include "kcsan/report.h"
#include "kcsan/strbuf.h"
#include "vmlinux_int.h"

#define MAX_FRAMES 12

static void write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			abort();
		p += w;
		n -= (size_t)w;
	}
}

/* A two-access report whose frames are this file's first text symbols. */
static char *report_for(struct kt_vmlinux *vm)
{
	const struct kt_elf *e = vm->elf;
	uint64_t data_addr = 0xffff888000001000ULL;
	struct kt_strbuf sb;
	size_t nf = 0;

	for (size_t i = 0; i < e->nsyms; i++)
		if (!e->syms[i].text && e->syms[i].type == STT_OBJECT) {
			data_addr = e->syms[i].addr + e->syms[i].size / 2;
			break;
		}
	kt_strbuf_init(&sb);
	kt_strbuf_adds(&sb, "==================================================================\n"
			    "BUG: KCSAN: data-race in fa / fb\n\n");
	for (int side = 0; side < 2; side++) {
		kt_strbuf_addf(&sb, "%s to 0x%" PRIx64 " of 4 bytes by task %d on cpu %d:\n",
			       side ? "read" : "write", data_addr, side + 1, side);
		nf = 0;
		for (size_t i = 0; i < e->nsyms && nf < MAX_FRAMES; i++) {
			const struct kt_elf_sym *s = &e->syms[i];
			uint64_t sz = kt_elf_sym_next_dist(e, s);

			if (!s->text || !s->name || !*s->name || strpbrk(s->name, " \t\n\r"))
				continue;
			if (!sz)
				sz = s->size ? s->size : 0x10;
			kt_strbuf_addf(&sb, " %s+0x%" PRIx64 "/0x%" PRIx64 "\n", s->name,
				       (uint64_t)(1 + (nf + (size_t)side) % (sz ? sz : 1)), sz);
			nf++;
		}
		if (nf == 0)
			kt_strbuf_adds(&sb, " nothing+0x1/0x10\n");
		kt_strbuf_adds(&sb, "\n");
	}
	kt_strbuf_adds(&sb, "Reported by Kernel Concurrency Sanitizer on:\n"
			    "CPU: 1 PID: 2 Comm: t Not tainted 6.1.0 #1\n"
			    "==================================================================\n");
	return kt_strbuf_detach(&sb);
}

static void exercise(struct kt_vmlinux *vm)
{
	char *text = report_for(vm);
	FILE *in = fmemopen(text, strlen(text), "r");
	FILE *sink = fopen("/dev/null", "w");
	struct kt_reader *rd = NULL;
	struct kt_report *rep = NULL;

	if (!in || !sink)
		abort();
	kt_error_free(kt_vmlinux_symbolize_text(vm, text, sink));
	if (!kt_reader_new(in, "fuzz", &rd)) {
		kt_error_free(kt_reader_next(rd, &rep));
		if (rep) {
			struct kt_facts *f = kt_facts_new();

			kt_error_free(kt_vmlinux_check_report(vm, rep));
			for (size_t a = 0; a < rep->naccess && a < 2; a++) {
				struct kt_frame *fr = NULL;
				size_t n = 0;

				kt_error_free(kt_vmlinux_symbolize_stack(vm, &rep->access[a], &fr, &n));
				kt_frames_free(fr, n);
			}
			kt_error_free(kt_vmlinux_add_facts(vm, rep, f));
			kt_error_free(kt_vmlinux_print_symbolized(vm, rep, sink));
			kt_facts_free(f);
			kt_report_free(rep);
		}
		kt_reader_free(rd);
	}
	fclose(in);
	fclose(sink);
	free(text);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	int fd = memfd_create("fuzz-vmlinux", MFD_CLOEXEC);
	char path[64];
	struct kt_vmlinux *vm = NULL;
	struct kt_vmlinux_opts opts = {.no_cache = true, .rules_dir = KT_SOURCE_RULES_DIR};
	struct kt_error *err;

	if (fd < 0)
		abort();
	write_all(fd, data, size);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	err = kt_vmlinux_open(path, &opts, &vm);
	if (err) {
		/* A refusal must say why. */
		if (!err->msg || !*err->msg)
			abort();
		kt_error_free(err);
	} else {
		(void)kt_vmlinux_build_id(vm);
		exercise(vm);
		kt_vmlinux_close(vm);
	}
	close(fd);
	return 0;
}
