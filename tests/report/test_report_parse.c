// SPDX-License-Identifier: Apache-2.0
/* The report reader on synthetic inputs: every variant kernel/kcsan/report.c
 * prints, console prefixes, CRLF, wrapped lines, and malformed input. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "kcsan/report.h"
#include "kcsan/strbuf.h"

/* ------------------------------------------------------------ helpers */

static char *slurp(const char *rel)
{
	char path[4096];
	FILE *fp;
	struct kt_strbuf sb;
	char buf[4096];
	size_t n;

	snprintf(path, sizeof(path), "%s/parser/%s", KT_TESTDATA, rel);
	fp = fopen(path, "rb");
	if (!fp) {
		fprintf(stderr, "cannot open %s\n", path);
		exit(1);
	}
	kt_strbuf_init(&sb);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		kt_strbuf_add(&sb, buf, n);
	fclose(fp);
	return kt_strbuf_detach(&sb);
}

/* Results of reading a whole input: reports and errors in order. */
struct item {
	struct kt_report *rep; /* or NULL for an error */
	struct kt_error *err;
};

struct run {
	struct item items[64];
	size_t n;
	size_t nreports, nerrors;
};

static void run_stream(FILE *fp, const char *name, struct run *r)
{
	struct kt_reader *rd;
	struct kt_error *err = kt_reader_new(fp, name, &rd);

	memset(r, 0, sizeof(*r));
	CHECK(err == NULL);
	if (err) {
		kt_error_free(err);
		return;
	}
	for (int guard = 0; guard < 10000; guard++) {
		struct kt_report *rep;

		err = kt_reader_next(rd, &rep);
		if (!err && !rep)
			break;
		if (r->n < 64) {
			r->items[r->n].rep = rep;
			r->items[r->n].err = err;
			r->n++;
		} else {
			kt_report_free(rep);
			kt_error_free(err);
		}
		if (err)
			r->nerrors++;
		else
			r->nreports++;
	}
	kt_reader_free(rd);
}

static void run_text(const char *text, const char *name, struct run *r)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");

	CHECK(fp != NULL);
	if (!fp) {
		memset(r, 0, sizeof(*r));
		return;
	}
	run_stream(fp, name, r);
	fclose(fp);
}

static void run_free(struct run *r)
{
	for (size_t i = 0; i < r->n; i++) {
		kt_report_free(r->items[i].rep);
		kt_error_free(r->items[i].err);
	}
	r->n = 0;
}

/* The error's "file:line: msg" contains want and its line is line. */
static void check_err(const struct item *it, long line, const char *want, int src_line)
{
	char *msg;

	kt_test_checks++;
	if (!it->err) {
		kt_test_failures++;
		fprintf(stderr, "%s:%d: expected an error containing '%s', got a report\n",
			__FILE__, src_line, want);
		return;
	}
	msg = kt_error_format(it->err);
	if (!strstr(msg, want) || (line && it->err->line != line)) {
		kt_test_failures++;
		fprintf(stderr, "%s:%d: error '%s' (line %ld), expected '%s' at line %ld\n",
			__FILE__, src_line, msg, it->err->line, want, line);
	}
	free(msg);
}
#define CHECK_ERR(it, line, want) check_err((it), (line), (want), __LINE__)

static struct kt_report *parse1(const char *text)
{
	struct kt_report *rep = NULL;
	struct kt_error *err = kt_report_parse_string(text, "inline", &rep);

	if (err) {
		char *m = kt_error_format(err);

		fprintf(stderr, "unexpected error: %s\n", m);
		free(m);
		kt_error_free(err);
	}
	return rep;
}

/* A small complete report, lines joined by "\n". */
static const char *const base_lines[] = {
    "==================================================================",
    "BUG: KCSAN: data-race in pipe_poll / pipe_write",
    "",
    "write to 0xffff8880059a3d50 of 4 bytes by task 310 on cpu 1:",
    " pipe_write+0x3c1/0xae0",
    " vfs_write+0x471/0x5c0",
    " ? ksys_write+0x6b/0x130",
    " ksys_write+0xa6/0x130",
    " entry_SYSCALL_64_after_hwframe+0x4b/0xb5",
    "",
    "read to 0xffff8880059a3d50 of 4 bytes by task 311 on cpu 0:",
    " pipe_poll+0xc6/0x220",
    " do_sys_poll+0x3e3/0x7b0",
    " __x64_sys_poll+0x6e/0x1d0",
    "",
    "value changed: 0x00000001 -> 0x00000002",
    "",
    "Reported by Kernel Concurrency Sanitizer on:",
    "CPU: 0 PID: 311 Comm: w-pipe Not tainted 6.1.192 #1",
    "Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014",
    "==================================================================",
};
#define NBASE (sizeof(base_lines) / sizeof(base_lines[0]))

/* base_lines with a per-line prefix, leading spaces changed and line ends. */
static char *make_variant(const char *prefix, const char *frame_indent, const char *eol)
{
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	kt_strbuf_adds(&sb, "[    0.000000] Linux version 6.1.192\r\nunrelated output\n");
	for (size_t i = 0; i < NBASE; i++) {
		const char *l = base_lines[i];

		kt_strbuf_adds(&sb, prefix);
		if (l[0] == ' ') {
			kt_strbuf_adds(&sb, frame_indent);
			l++;
		}
		kt_strbuf_adds(&sb, l);
		kt_strbuf_adds(&sb, eol);
	}
	kt_strbuf_adds(&sb, "after the report\n");
	return kt_strbuf_detach(&sb);
}

static void check_base_report(const struct kt_report *rep, const char *what)
{
	if (!rep) {
		fprintf(stderr, "variant %s: no report\n", what);
		CHECK(rep != NULL);
		return;
	}
	CHECK_INT(rep->kind, KT_KIND_DATA_RACE);
	CHECK_STR(rep->bug_line, "BUG: KCSAN: data-race in pipe_poll / pipe_write");
	CHECK_STR(rep->title, "KCSAN: data-race in pipe_poll / pipe_write");
	CHECK_STR(rep->title_funcs[0], "pipe_poll");
	CHECK_STR(rep->title_funcs[1], "pipe_write");
	CHECK_INT(rep->naccess, 2);
	CHECK(rep->complete);
	CHECK(!rep->symbolized);
	CHECK(!rep->unknown_origin);
	CHECK_INT(rep->last_line - rep->first_line, 19);
	CHECK_INT(rep->access[0].op, KT_OP_WRITE);
	CHECK_INT(rep->access[0].addr, 0xffff8880059a3d50ULL);
	CHECK_INT(rep->access[0].size, 4);
	CHECK_INT(rep->access[0].task, 310);
	CHECK_INT(rep->access[0].cpu, 1);
	CHECK_INT(rep->access[0].line_no - rep->first_line, 2);
	CHECK_INT(rep->access[0].nframes, 4); /* the "? " frame is skipped */
	if (rep->access[0].nframes == 4) {
		CHECK_STR(rep->access[0].frames[0].func, "pipe_write");
		CHECK_INT(rep->access[0].frames[0].off, 0x3c1);
		CHECK_INT(rep->access[0].frames[0].size, 0xae0);
		CHECK(rep->access[0].frames[0].has_offset);
		CHECK_STR(rep->access[0].frames[2].func, "ksys_write");
		CHECK_INT(rep->access[0].frames[2].off, 0xa6);
	}
	CHECK_INT(rep->access[1].op, KT_OP_READ);
	CHECK_INT(rep->access[1].task, 311);
	CHECK_INT(rep->access[1].nframes, 3);
	CHECK(rep->value.present);
	CHECK_INT(rep->value.old_val, 1);
	CHECK_INT(rep->value.new_val, 2);
	CHECK_INT(rep->value.width, 8);
	CHECK(!rep->value.has_mask);
	CHECK_INT(rep->env.cpu, 0);
	CHECK_INT(rep->env.pid, 311);
	CHECK_STR(rep->env.comm, "w-pipe");
	CHECK_STR(rep->env.taint, "Not tainted");
	CHECK_STR(rep->env.kernel, "6.1.192");
	CHECK_STR(rep->env.hardware,
		  "QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014");
	CHECK(rep->text && kt_str_startswith(rep->text + strspn(rep->text, " "), "=====") &&
	      strstr(rep->text, "BUG: KCSAN: data-race in pipe_poll / pipe_write\n") &&
	      kt_str_endswith(rep->text, "=====\n"));
	CHECK(rep->text && !strchr(rep->text, '\r') && !strstr(rep->text, "[    "));
}

/* -------------------------------------------------------------- tests */

static void test_variants(void)
{
	static const struct {
		const char *prefix, *indent, *eol;
	} v[] = {
	    {"", " ", "\n"},
	    {"", " ", "\r\n"},
	    {"", "", "\n"},   /* mail copies strip leading spaces */
	    {"", "  ", "\n"}, /* or have two */
	    {"[   44.377931][    C4] ", " ", "\n"},
	    {"[  472.478762][T19789] ", " ", "\r\n"},
	    {"[   47.811425] ", " ", "\n"},
	    {"<4>[   12.300000] ", " ", "\n"},
	    {"<4>[   12.300000][  T311] ", "", "\r\n"},
	    {" ", " ", "\n"}, /* the whole report indented */
	    {"[  T311] ", " ", "\n"},
	    {"> ", " ", "\n"}, /* quoted in a mail reply */
	    {">> [   12.300000] ", " ", "\n"},
	    {"[Tue Nov 25 03:00:00 2026] ", " ", "\n"},
	    {"Nov 25 03:00:00 vm kernel: ", " ", "\n"},
	    {"Nov  5 03:00:00 vm kernel: [   12.300000] ", " ", "\n"},
	    {"2026-11-25T03:00:00.123456+00:00 vm kernel: ", " ", "\n"},
	};
	char *plain_text = NULL;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char *text = make_variant(v[i].prefix, v[i].indent, v[i].eol);
		struct run r;
		char what[64];

		snprintf(what, sizeof(what), "%zu ('%s')", i, v[i].prefix);
		run_text(text, "variant.log", &r);
		CHECK_INT(r.nreports, 1);
		CHECK_INT(r.nerrors, 0);
		check_base_report(r.n ? r.items[0].rep : NULL, what);
		if (r.n && r.items[0].rep)
			CHECK_INT(r.items[0].rep->first_line, 4);
		/* with the same indent, the prefix-stripped text is the same */
		if (r.n && r.items[0].rep && !strcmp(v[i].indent, " ") && v[i].prefix[0] != ' ') {
			if (!plain_text)
				plain_text = kt_xstrdup(r.items[0].rep->text);
			else
				CHECK_STR(r.items[0].rep->text, plain_text);
		}
		run_free(&r);
		free(text);
	}
	free(plain_text);
}

static void test_access_types(void)
{
	static const struct {
		const char *text;
		enum kt_access_op op;
		bool marked, reordered;
	} want[] = {
	    {"read", KT_OP_READ, false, false},
	    {"read (marked)", KT_OP_READ, true, false},
	    {"read (reordered)", KT_OP_READ, false, true},
	    {"read (marked, reordered)", KT_OP_READ, true, true},
	    {"write", KT_OP_WRITE, false, false},
	    {"write (marked)", KT_OP_WRITE, true, false},
	    {"write (reordered)", KT_OP_WRITE, false, true},
	    {"write (marked, reordered)", KT_OP_WRITE, true, true},
	    {"read-write", KT_OP_READ_WRITE, false, false},
	    {"read-write (marked)", KT_OP_READ_WRITE, true, false},
	    {"read-write (reordered)", KT_OP_READ_WRITE, false, true},
	    {"read-write (marked, reordered)", KT_OP_READ_WRITE, true, true},
	};
	static const struct {
		const char *text;
		enum kt_access_op op;
		bool reordered;
	} asserts[] = {
	    {"assert no writes", KT_OP_ASSERT_NO_WRITES, false},
	    {"assert no writes (reordered)", KT_OP_ASSERT_NO_WRITES, true},
	    {"assert no accesses", KT_OP_ASSERT_NO_ACCESSES, false},
	    {"assert no accesses (reordered)", KT_OP_ASSERT_NO_ACCESSES, true},
	};
	char *text = slurp("access-types.log");
	struct run r;

	run_text(text, "access-types.log", &r);
	CHECK_INT(r.nreports, 10);
	CHECK_INT(r.nerrors, 0);
	for (size_t i = 0; i < 6 && i < r.n; i++) {
		const struct kt_report *rep = r.items[i].rep;
		char f0[32], f1[32];

		if (!rep)
			continue;
		CHECK_INT(rep->kind, KT_KIND_DATA_RACE);
		CHECK_INT(rep->naccess, 2);
		snprintf(f0, sizeof(f0), "alpha_%zu", i);
		snprintf(f1, sizeof(f1), "beta_%zu", i);
		CHECK_STR(rep->title_funcs[0], f0);
		CHECK_STR(rep->title_funcs[1], f1);
		for (size_t k = 0; k < 2; k++) {
			const struct kt_access *a = &rep->access[k];

			CHECK_STR(a->type_text, want[2 * i + k].text);
			CHECK_INT(a->op, want[2 * i + k].op);
			CHECK_INT(a->marked, want[2 * i + k].marked);
			CHECK_INT(a->reordered, want[2 * i + k].reordered);
			CHECK_INT(a->size, 8);
			CHECK_INT(a->task, (long)(k ? 200 : 100) + (long)i);
			CHECK_INT(a->cpu, (int)k);
			CHECK(!a->by_interrupt);
			CHECK_INT(a->nframes, k ? 3 : 4);
			CHECK_INT(kt_access_is_write(a), want[2 * i + k].op != KT_OP_READ);
		}
		CHECK(!rep->value.present);
	}
	for (size_t i = 0; i < 4 && 6 + i < r.n; i++) {
		const struct kt_report *rep = r.items[6 + i].rep;
		char t[64];

		if (!rep)
			continue;
		CHECK_INT(rep->kind, KT_KIND_ASSERT);
		CHECK(!rep->unknown_origin);
		CHECK_INT(rep->naccess, 2);
		snprintf(t, sizeof(t), "KCSAN: assert: race in checker_%zu / mutator", i);
		CHECK_STR(rep->title, t);
		CHECK_INT(rep->access[0].op, i < 2 ? KT_OP_WRITE : KT_OP_READ);
		CHECK_STR(rep->access[1].type_text, asserts[i].text);
		CHECK_INT(rep->access[1].op, asserts[i].op);
		CHECK_INT(rep->access[1].reordered, asserts[i].reordered);
		CHECK(!rep->access[1].marked);
		CHECK(!kt_access_is_write(&rep->access[1]));
		CHECK_INT(rep->access[1].addr, 0xffffffff82a1c000ULL + 0x10 * i);
	}
	run_free(&r);
	free(text);

	CHECK_STR(kt_access_op_name(KT_OP_READ), "read");
	CHECK_STR(kt_access_op_name(KT_OP_WRITE), "write");
	CHECK_STR(kt_access_op_name(KT_OP_READ_WRITE), "read-write");
	CHECK_STR(kt_access_op_name(KT_OP_ASSERT_NO_WRITES), "assert no writes");
	CHECK_STR(kt_access_op_name(KT_OP_ASSERT_NO_ACCESSES), "assert no accesses");
}

static void test_unknown_origin(void)
{
	char *text = slurp("unknown-origin.log");
	struct run r;
	const struct kt_report *rep;

	run_text(text, "unknown-origin.log", &r);
	CHECK_INT(r.nreports, 2);
	CHECK_INT(r.nerrors, 0);
	if (r.n >= 2 && r.items[0].rep && r.items[1].rep) {
		rep = r.items[0].rep;
		CHECK_INT(rep->kind, KT_KIND_UNKNOWN_ORIGIN);
		CHECK(rep->unknown_origin);
		CHECK_INT(rep->naccess, 1);
		CHECK_STR(rep->title, "KCSAN: data-race in e1000_clean_rx_irq");
		CHECK_STR(rep->title_funcs[0], "e1000_clean_rx_irq");
		CHECK(rep->title_funcs[1] == NULL);
		CHECK_STR(rep->access[0].type_text, "read");
		CHECK(rep->access[0].by_interrupt);
		CHECK_INT(rep->access[0].task, -1);
		CHECK_INT(rep->access[0].cpu, 0);
		CHECK_INT(rep->access[0].size, 1);
		CHECK_INT(rep->access[0].nframes, 4);
		CHECK(rep->value.present);
		CHECK_INT(rep->value.width, 2);
		CHECK_INT(rep->value.new_val, 1);

		rep = r.items[1].rep;
		CHECK_INT(rep->kind, KT_KIND_ASSERT);
		CHECK(rep->unknown_origin);
		CHECK_INT(rep->naccess, 1);
		CHECK_STR(rep->title, "KCSAN: assert: race in dequeue_task");
		CHECK_STR(rep->access[0].type_text, "assert no accesses (reordered)");
		CHECK_INT(rep->access[0].op, KT_OP_ASSERT_NO_ACCESSES);
		CHECK(rep->access[0].reordered);
		CHECK_INT(rep->access[0].task, 4926);
		CHECK_INT(rep->access[0].cpu, 3);
		CHECK(!rep->value.present);
	}
	run_free(&r);
	free(text);
}

static void test_reordered_bits(void)
{
	char *text = slurp("reordered-bits.txt");
	struct kt_report *rep = parse1(text);

	CHECK(rep != NULL);
	if (rep) {
		const struct kt_frame *ro = rep->access[0].reordered_to;

		CHECK_INT(rep->naccess, 2);
		CHECK_STR(rep->access[0].type_text, "write (marked, reordered)");
		CHECK(rep->access[0].marked && rep->access[0].reordered);
		CHECK_INT(rep->access[0].nframes, 3);
		CHECK(ro != NULL);
		if (ro) {
			CHECK_STR(ro->func, "ring_produce");
			CHECK_INT(ro->off, 0x61);
			CHECK_INT(ro->size, 0xa0);
		}
		CHECK(rep->access[1].reordered_to == NULL);
		CHECK(rep->access[1].by_interrupt);
		CHECK_INT(rep->access[1].task, -1);
		CHECK_INT(rep->access[1].nframes, 3);
		CHECK(rep->value.present);
		CHECK_INT(rep->value.old_val, 0xff);
		CHECK_INT(rep->value.new_val, 0x1ff);
		CHECK_INT(rep->value.width, 16);
		CHECK(rep->value.has_mask);
		CHECK_INT(rep->value.bits, 0x100);
		CHECK_INT(rep->value.mask, 0xf00);
		CHECK(strstr(rep->text, "\n  |\n  +-> reordered to: ring_produce+0x61/0xa0\n") !=
		      NULL);
	}
	kt_report_free(rep);
	free(text);
}

static void test_symbolized(void)
{
	char *text = slurp("symbolized.txt");
	struct kt_report *rep = parse1(text);

	CHECK(rep != NULL);
	if (rep) {
		const struct kt_access *a = &rep->access[0], *b = &rep->access[1];

		CHECK(rep->symbolized);
		CHECK_INT(a->nframes, 8);
		CHECK_INT(b->nframes, 6);
		if (a->nframes == 8) {
			CHECK_STR(a->frames[0].func, "i_size_write");
			CHECK(a->frames[0].inlined);
			CHECK(!a->frames[0].has_offset);
			CHECK_STR(a->frames[0].file, "include/linux/fs.h");
			CHECK_INT(a->frames[0].line, 958);
			CHECK_STR(a->frames[1].func, "shmem_write_end");
			CHECK(!a->frames[1].inlined);
			CHECK(a->frames[1].has_offset);
			CHECK_INT(a->frames[1].off, 0x13d);
			CHECK_STR(a->frames[1].file, "mm/shmem.c");
			CHECK_INT(a->frames[1].line, 2698);
			CHECK_STR(a->frames[4].func, "reclaim_high.constprop.0");
			CHECK_STR(a->frames[5].func, "loop_process_work");
			CHECK_STR(a->frames[5].module, "loop");
			CHECK_STR(a->frames[5].file, "drivers/block/loop.c");
			CHECK_INT(a->frames[5].line, 0); /* ":-1" */
			CHECK_STR(a->frames[6].func, "swapgs_restore_regs_and_return_to_usermode");
			CHECK_INT(a->frames[6].off, 0);
			CHECK_INT(a->frames[6].size, 0x40);
			CHECK(a->frames[6].has_offset);
			CHECK(a->frames[6].file == NULL);
			CHECK_STR(a->frames[7].func, "entry_SYSCALL_64_after_hwframe");
		}
		if (b->nframes == 6) {
			CHECK(b->frames[2].file == NULL);
			CHECK_STR(b->frames[3].file,
				  "arch/x86/include/generated/asm/syscalls_64.h");
			CHECK(b->frames[4].inlined);
		}
		CHECK_INT(rep->env.cpu, 0);
		CHECK_INT(rep->env.pid, 13855);
		CHECK_STR(rep->env.comm, "syz.1.2788");
		CHECK_STR(rep->env.taint, "Not tainted");
		CHECK_STR(rep->env.kernel, "syzkaller");
		CHECK_STR(rep->title, "KCSAN: data-race in shmem_file_read_iter / shmem_write_end");

		/* kt_frame_copy is deep */
		{
			struct kt_frame c;

			kt_frame_copy(&c, &a->frames[5]);
			CHECK_STR(c.func, "loop_process_work");
			CHECK(c.func != a->frames[5].func);
			CHECK_STR(c.module, "loop");
			CHECK_STR(c.file, "drivers/block/loop.c");
			CHECK_INT(c.off, 0x5f7);
			free(c.func);
			free(c.module);
			free(c.file);
		}
	}
	kt_report_free(rep);
	free(text);
}

/* addr2line -i ("func at file:line", "(inlined by) ...") and
 * decode_stacktrace.sh ("func (file:line file:line)") stacks. */
static void test_decoded_stacks(void)
{
	const char *text =
	    " BUG: KCSAN: data-race in ext4_write_end [ext4] / ext4_writepages [ext4]\n"
	    "\n"
	    " write to 0xffff91c6713b00f8 of 8 bytes by task 49268 on cpu 127:\n"
	    "  ext4_write_end+0x4e3/0x750 [ext4]\n"
	    "  ext4_update_i_disksize at fs/ext4/ext4.h:3032\n"
	    "  (inlined by) ext4_update_inode_size at fs/ext4/ext4.h:3046\n"
	    "  (inlined by) ext4_write_end at fs/ext4/inode.c:1287\n"
	    "  generic_perform_write+0x208/0x2a0\n"
	    "\n"
	    " read to 0xffff91c6713b00f8 of 8 bytes by task 24872 on cpu 37:\n"
	    "  process_one_work (kernel/workqueue.c:2598)\n"
	    "  worker_thread (./include/linux/list.h:292 kernel/workqueue.c:2752)\n"
	    "\n"
	    " Reported by Kernel Concurrency Sanitizer on:\n"
	    " CPU: 37 PID: 24872 Comm: kworker/u261:2 Tainted: G        W  O L "
	    "5.5.0-next-20200204+ #5\n"
	    " Hardware name: HPE ProLiant DL385 Gen10/ProLiant DL385 Gen10, BIOS A40 07/10/2019\n";
	struct kt_report *rep = parse1(text);

	CHECK(rep != NULL);
	if (!rep)
		return;
	CHECK(!rep->complete); /* no closing line: everything needed was read */
	CHECK(rep->symbolized);
	CHECK_STR(rep->title, "KCSAN: data-race in ext4_write_end [ext4] / ext4_writepages [ext4]");
	CHECK_STR(rep->title_funcs[0], "ext4_write_end");
	CHECK_STR(rep->title_funcs[1], "ext4_writepages");
	CHECK_INT(rep->access[0].nframes, 4);
	if (rep->access[0].nframes == 4) {
		const struct kt_frame *f = rep->access[0].frames;

		CHECK_STR(f[0].func, "ext4_update_i_disksize");
		CHECK(f[0].inlined);
		CHECK_INT(f[0].line, 3032);
		CHECK_STR(f[1].func, "ext4_update_inode_size");
		CHECK(f[1].inlined);
		CHECK_STR(f[2].func, "ext4_write_end");
		CHECK(!f[2].inlined && f[2].has_offset);
		CHECK_STR(f[2].module, "ext4");
		CHECK_STR(f[2].file, "fs/ext4/inode.c");
		CHECK_INT(f[2].line, 1287);
		CHECK_STR(f[3].func, "generic_perform_write");
	}
	CHECK_INT(rep->access[1].nframes, 2);
	if (rep->access[1].nframes == 2) {
		CHECK_STR(rep->access[1].frames[1].func, "worker_thread");
		CHECK(!rep->access[1].frames[1].has_offset);
		CHECK_STR(rep->access[1].frames[1].file, "kernel/workqueue.c");
		CHECK_INT(rep->access[1].frames[1].line, 2752);
	}
	CHECK_INT(rep->env.cpu, 37);
	CHECK_STR(rep->env.comm, "kworker/u261:2");
	CHECK_STR(rep->env.taint, "Tainted: G W O L");
	CHECK_STR(rep->env.kernel, "5.5.0-next-20200204+");
	kt_report_free(rep);
}

static void test_wrapped(void)
{
	/* mail clients wrap the title, the CPU line and the hardware name */
	const char *a =
	    "[   47.811425] BUG: KCSAN: data-race in tick_nohz_next_event /\n"
	    "tick_nohz_stop_tick\n"
	    "[   47.818738]\n"
	    "[   47.820239] write to 0xffffffffa4cbe920 of 4 bytes by task 0 on cpu 2:\n"
	    "[   47.826766]  tick_nohz_stop_tick+0x8b/0x310\n"
	    "[   47.851531]\n"
	    "[   47.853034] read to 0xffffffffa4cbe920 of 4 bytes by task 0 on cpu 3:\n"
	    "[   47.859473]  tick_nohz_next_event+0x165/0x1e0\n"
	    "[   47.891743]\n"
	    "[   47.893234] Reported by Kernel Concurrency Sanitizer on:\n"
	    "[   47.898541] CPU: 3 PID: 0 Comm: swapper/3 Not tainted\n"
	    "5.10.0-rc6-next-20201201 #2\n"
	    "[   47.906017] Hardware name: Supermicro SYS-5019S-ML/X11SSH-F, BIOS\n";
	const char *b =
	    "==================================================================\n"
	    "BUG: KCSAN: data-race in mem_cgroup_select_victim_node /  \r\n"
	    "mem_cgroup_select_victim_node\r\n"
	    "\r\n"
	    "write to 0xffff88809fade9b0 of 4 bytes by task 8603 on cpu 0:\r\n"
	    "  mem_cgroup_select_victim_node+0xb5/0x3d0 mm/memcontrol.c:1686\r\n"
	    "\r\n"
	    "read to 0xffff88809fade9b0 of 4 bytes by task 7290 on cpu 1:\r\n"
	    "  mem_cgroup_select_victim_node+0x92/0x3d0 mm/memcontrol.c:1675\r\n"
	    "\r\n"
	    "Reported by Kernel Concurrency Sanitizer on:\r\n"
	    "CPU: 1 PID: 7290 Comm: syz-executor.1 Not tainted 5.4.0-rc3+ #0\r\n"
	    "Hardware name: Google Google Compute Engine/Google Compute Engine, BIOS  \r\n"
	    "Google 01/01/2011\r\n"
	    "==================================================================\r\n";
	struct kt_report *rep = parse1(a);

	CHECK(rep != NULL);
	if (rep) {
		CHECK_STR(rep->title,
			  "KCSAN: data-race in tick_nohz_next_event / tick_nohz_stop_tick");
		CHECK_STR(rep->bug_line,
			  "BUG: KCSAN: data-race in tick_nohz_next_event / tick_nohz_stop_tick");
		CHECK_STR(rep->title_funcs[1], "tick_nohz_stop_tick");
		CHECK_INT(rep->naccess, 2);
		CHECK_STR(rep->env.kernel, "5.10.0-rc6-next-20201201");
		CHECK_STR(rep->env.hardware, "Supermicro SYS-5019S-ML/X11SSH-F, BIOS");
		CHECK(!rep->complete);
		CHECK_INT(rep->first_line, 1);
		CHECK_INT(rep->last_line, 13);
		CHECK(strstr(rep->text, "tick_nohz_next_event /\ntick_nohz_stop_tick\n") != NULL);
	}
	kt_report_free(rep);

	rep = parse1(b);
	CHECK(rep != NULL);
	if (rep) {
		CHECK_STR(rep->title, "KCSAN: data-race in mem_cgroup_select_victim_node / "
				      "mem_cgroup_select_victim_node");
		CHECK_STR(rep->env.hardware, "Google Google Compute Engine/Google Compute Engine, "
					     "BIOS Google 01/01/2011");
		CHECK_STR(rep->env.comm, "syz-executor.1");
		CHECK(rep->complete);
		CHECK(rep->symbolized);
	}
	kt_report_free(rep);
}

static void test_old_format_and_extras(void)
{
	/* 5.3-era title with offsets and "and"; verbose lock/IRQ info; a
	 * newer footer with a taint legend and a workqueue */
	const char *t =
	    "[    0.239431] BUG: KCSAN: data-race in multi_cpu_stop+0xa8/0x198 and "
	    "set_state+0x80/0xb0\n"
	    "[    0.241189] \n"
	    "[    0.241606] write to 0xffff00001003bd00 of 4 bytes by task 24 on cpu 3:\n"
	    "[    0.243435]  set_state+0x80/0xb0\n"
	    "[    0.244328]  multi_cpu_stop+0x16c/0x198\n"
	    "[    0.249589] \n"
	    "[    0.250006] read to 0xffff00001003bd00 of 4 bytes by task 14 on cpu 1:\n"
	    "[    0.251804]  multi_cpu_stop+0xa8/0x198\n"
	    "[    0.252851]  <snip>\n"
	    "[    0.256027]\n"
	    "[  611.742058] no locks held by irq_work/8/88.\n"
	    "[  611.742063] irq event stamp: 200272\n"
	    "[  611.742066] hardirqs last  enabled at (200272): [<ffffffffb0f56121>] "
	    "finish_task_switch+0x131/0x320\n"
	    "[  611.742112] softirqs last disabled at (0): [<0000000000000000>] 0x0\n"
	    "[    0.257036] \n"
	    "[    0.257449] Reported by Kernel Concurrency Sanitizer on:\n"
	    "[    0.258918] CPU: 1 UID: 0 PID: 14 Comm: migration/1 Tainted: G        W  "
	    "        6.15.0-rc1 #3 PREEMPT(full) \n"
	    "[    0.258919] Tainted: [W]=WARN\n"
	    "[    0.261241] Hardware name: linux,dummy-virt (DT)\n"
	    "[    0.261242] Workqueue: events linkwatch_event\n"
	    "[    0.262517] ==================================================================\n";
	struct kt_report *rep = parse1(t);

	CHECK(rep != NULL);
	if (!rep)
		return;
	CHECK_STR(rep->title, "KCSAN: data-race in multi_cpu_stop and set_state");
	CHECK_STR(rep->title_funcs[0], "multi_cpu_stop");
	CHECK_STR(rep->title_funcs[1], "set_state");
	CHECK_INT(rep->access[0].nframes, 2);
	CHECK_INT(rep->access[1].nframes, 1);
	CHECK_INT(rep->env.cpu, 1);
	CHECK_INT(rep->env.pid, 14);
	CHECK_STR(rep->env.taint, "Tainted: G W");
	CHECK_STR(rep->env.kernel, "6.15.0-rc1");
	CHECK_STR(rep->env.hardware, "linux,dummy-virt (DT)");
	CHECK(rep->complete);
	CHECK(strstr(rep->text, "irq event stamp: 200272\n") != NULL);
	kt_report_free(rep);
}

/* Lines of another CPU interleaved inside a report are left out. */
static void test_interleaved(void)
{
	const char *t =
	    "[   67.053553][ T4926] ===========================================\n"
	    "[   67.061656][ T4926] BUG: KCSAN: data-race in foo / bar\n"
	    "[   67.068875][ T4926]\n"
	    "[   67.071200][ T4926] write to 0xffff8881001cb1e8 of 4 bytes by task 4926 on "
	    "cpu 0:\n"
	    "[   67.082412][ T4926]  bar+0x6df/0x760\n"
	    "[   67.082413][    C1] random: crng reseeded on system resumption\n"
	    "[   67.082414][    C1]  intruder+0x1/0x10\n"
	    "[   67.087294][ T4926]  baz+0x7d/0x410\n"
	    "[   67.164576][ T4926]\n"
	    "[   67.171200][ T4926] read to 0xffff8881001cb1e8 of 4 bytes by task 4927 on "
	    "cpu 1:\n"
	    "[   67.182412][ T4926]  foo+0x6df/0x760\n"
	    "[   67.181139][ T4926] \n"
	    "[   67.181139][ T4926] Reported by Kernel Concurrency Sanitizer on:\n"
	    "[   67.181139][ T4926] CPU: 1 PID: 4927 Comm: t Not tainted 6.12.0 #0\n"
	    "[   67.202164][ T4926] ===========================================\n";
	struct kt_report *rep = parse1(t);

	CHECK(rep != NULL);
	if (!rep)
		return;
	CHECK_INT(rep->access[0].nframes, 2);
	if (rep->access[0].nframes == 2)
		CHECK_STR(rep->access[0].frames[1].func, "baz");
	CHECK(strstr(rep->text, "intruder") == NULL && strstr(rep->text, "crng") == NULL);
	CHECK(rep->complete);
	CHECK_INT(rep->last_line, 15);
	kt_report_free(rep);
}

static void test_malformed(void)
{
	char *text = slurp("malformed.log");
	struct run r;

	run_text(text, "malformed.log", &r);
	CHECK_INT(r.n, 10);
	CHECK_INT(r.nreports, 2);
	CHECK_INT(r.nerrors, 8);
	if (r.n == 10) {
		CHECK_ERR(&r.items[0], 8,
			  "malformed.log:8: truncated report (title at line 4, ended by a '=====' "
			  "line): no second access stack");
		CHECK(r.items[1].rep && !strcmp(r.items[1].rep->title_funcs[0], "good_1_a"));
		CHECK(r.items[1].rep && r.items[1].rep->first_line == 10 &&
		      kt_str_startswith(r.items[1].rep->text, "====="));
		CHECK_ERR(&r.items[2], 26, "malformed.log:26: unknown access type 'scribble'");
		CHECK_ERR(&r.items[3], 38, "expected an access line");
		CHECK_ERR(&r.items[3], 38, "got 'this is not an access line at all'");
		CHECK_ERR(&r.items[4], 54, "access 1 has no stack frames");
		CHECK_ERR(&r.items[5], 58, "garbled access line 'read to 0xZZZZ of 8 bytes");
		CHECK_ERR(&r.items[6], 65, "unknown KCSAN bug type in 'BUG: KCSAN: weird-thing");
		CHECK_ERR(&r.items[7], 84,
			  "truncated report (title at line 77, ended by its "
			  "closing line): no second access stack");
		CHECK(r.items[8].rep && !strcmp(r.items[8].rep->title_funcs[1], "good_2_b"));
		CHECK_ERR(&r.items[9], 105,
			  "truncated report (title at line 100, ended by the end "
			  "of input): no second access stack");
		for (size_t i = 0; i < r.n; i++)
			if (r.items[i].err)
				CHECK(r.items[i].err->code == KT_ERR_PARSE);
	}
	run_free(&r);
	free(text);
}

static void test_small_errors(void)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
	    {"BUG: KCSAN: data-race in a / b\n", "no access stack"},
	    {"BUG: KCSAN: data-race in a / b\n\nread to 0x10 of 8 bytes by task 1 on cpu 0:\n",
	     "access 1 has no stack frames"},
	    {"BUG: KCSAN: data-race in a / b\n\nread to 0x10 of 8 bytes by task 1 on cpu 0:\n"
	     " a+0x1/0x2\n\nread to 0x10 of 8 bytes by task 2 on cpu 1:\n",
	     "access 2 has no stack frames"},
	    {"BUG: KCSAN: data-race in a\n\nread to 0x10 of 8 bytes by task 1 on cpu 0:\n"
	     " a+0x1/0x2\n\nread to 0x10 of 8 bytes by task 2 on cpu 1:\n b+0x1/0x2\n",
	     "the title names one function"},
	    {"BUG: KCSAN: data-race in a / b\n\nrace at unknown origin, with read to 0x10 of 8 "
	     "bytes by task 1 on cpu 0:\n a+0x1/0x2\n",
	     "the title names two functions"},
	    {"BUG: KCSAN: data-race in a / b\n\nread to 0x10 of 8 bytes by thread 1 on cpu 0:\n",
	     "garbled access line"},
	    {"BUG: KCSAN: data-race in a / b\n\nread to 0x10 of 8 bytes by task 1 on cpu 0\n",
	     "garbled access line"},
	    {"BUG: KCSAN: data-race in a / b\n\nread (atomic) to 0x10 of 8 bytes by task 1 on "
	     "cpu 0:\n",
	     "unknown access type 'read (atomic)'"},
	    {"BUG: KCSAN: data-race in a / b\n\nwrite to 0x10 of 8 bytes by task 1 on cpu 0:\n"
	     " a+0x1/0x2\n\nvalue changed: 0x1 => 0x2\n",
	     "garbled value-change line"},
	    {"BUG: KCSAN: data-race in a / b\n\nwrite to 0x10 of 8 bytes by task 1 on cpu 0:\n"
	     " a+0x1/0x2\n  |\n  +-> reordered to: nonsense\n",
	     "garbled reordered-to line"},
	    {"BUG: KCSAN: data-race in a / b\n\nwrite to 0x10 of 8 bytes by task 1 on cpu 0:\n"
	     " a+0x1/0x2\n\nread to 0x10 of 8 bytes by task 2 on cpu 0:\n b+0x1/0x2\n\n"
	     "write to 0x10 of 8 bytes by task 3 on cpu 0:\n",
	     "a third access"},
	    {"BUG: KCSAN: data-race in a / b\n\nwrite to 0x12345678901234567 of 8 bytes by task "
	     "1 on cpu 0:\n",
	     "garbled access line"},
	    {"BUG: KCSAN: \n", "unknown KCSAN bug type"},
	    {"BUG: KCSAN: data-races in a / b\n", "unknown KCSAN bug type"},
	    {"BUG: KCSAN: data-race in \n\nread to 0x10 of 8 bytes by task 1 on cpu 0:\n "
	     "a+0x1/0x2\n",
	     "garbled KCSAN title"},
	    {"BUG: KCSAN: data-race in a / b / c\n\nread to 0x10 of 8 bytes by task 1 on cpu 0:\n"
	     " a+0x1/0x2\n",
	     "garbled KCSAN title"},
	    {"BUG: KCSAN: data-race in a / b\n\nvalue changed: 0x1 -> 0x2\n",
	     "value change before any access"},
	    {"BUG: KCSAN: data-race in a / b\n\nwrite to 0x10 of 8 bytes by task 1 on cpu 0:\n"
	     " a+0x1/0x2\n\n bits changed: 0x1 with mask 0x3\n",
	     "garbled bits-changed line"},
	    {"BUG: KCSAN: data-race in a / b\n\nwrite to 0x10 of 8 bytes by task 1 on cpu 0:\n"
	     " a+0x1/0x2\n\nread to 0x10 of 8 bytes by task 2 on cpu 0:\n b+0x1/0x2\n"
	     "  |\n  +-> reordered to: b+0x3/0x4\n  +-> reordered to: b+0x5/0x6\n",
	     "garbled reordered-to line"},
	    {"no report here\nat all\n", "no KCSAN report found"},
	    {"", "no KCSAN report found"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kt_report *rep = NULL;
		struct kt_error *err = kt_report_parse_string(cases[i].text, "case", &rep);
		struct item it = {rep, err};

		CHECK(rep == NULL);
		CHECK_ERR(&it, 0, cases[i].want);
		if (err && cases[i].text[0])
			CHECK(kt_str_startswith(err->file, "case"));
		kt_report_free(rep);
		kt_error_free(err);
	}
}

/* 10 MB lines and NUL bytes: clear errors, and the next report is read. */
static void test_huge_and_nul(void)
{
	const size_t big = 10u * 1024 * 1024;
	char *good = make_variant("", " ", "\n");
	FILE *fp = tmpfile();
	struct run r;
	char *line = kt_xmalloc(big + 1);

	CHECK(fp != NULL);
	if (!fp) {
		free(good);
		free(line);
		return;
	}
	memset(line, 'x', big);
	line[big] = '\0';
	/* 1: a huge line outside any report (ignored) */
	fputs(line, fp);
	fputc('\n', fp);
	/* 2: a report whose stack holds a huge line */
	fputs("BUG: KCSAN: data-race in huge_a / huge_b\n\n"
	      "write to 0x10 of 8 bytes by task 1 on cpu 0:\n huge_b+0x1/0x2\n ",
	      fp);
	fputs(line, fp);
	fputc('\n', fp);
	/* 3: a good one */
	fputs(good, fp);
	/* 4: a huge title */
	fputs("BUG: KCSAN: data-race in ", fp);
	fputs(line, fp);
	fputc('\n', fp);
	/* 5: a NUL byte in a frame line */
	fputs("BUG: KCSAN: data-race in nul_a / nul_b\n\n"
	      "write to 0x10 of 8 bytes by task 1 on cpu 0:\n nul_b+0x1",
	      fp);
	fputc('\0', fp);
	fputs("/0x2\n", fp);
	/* 6: a NUL byte outside a report (ignored), then a good one */
	fputc('\0', fp);
	fputs("noise\n", fp);
	fputs(good, fp);
	rewind(fp);
	run_stream(fp, "huge.log", &r);
	fclose(fp);
	CHECK_INT(r.n, 5);
	CHECK_INT(r.nreports, 2);
	if (r.n == 5) {
		CHECK_ERR(&r.items[0], 6, "huge.log:6: line longer than 65536 bytes in report");
		CHECK(r.items[0].err && r.items[0].err->code == KT_ERR_LIMIT);
		check_base_report(r.items[1].rep, "after a huge line");
		CHECK_ERR(&r.items[2], 0, "report title longer than 65536 bytes");
		CHECK_ERR(&r.items[3], 0, "NUL byte in report");
		check_base_report(r.items[4].rep, "after a NUL byte");
	}
	run_free(&r);
	free(line);
	free(good);
}

/* More than KT_REPORT_MAX_FRAMES frames: the rest are read and dropped. */
static void test_frame_cap(void)
{
	struct kt_strbuf sb;
	struct kt_report *rep;

	kt_strbuf_init(&sb);
	kt_strbuf_adds(&sb, "BUG: KCSAN: data-race in deep / shallow\n\n"
			    "write to 0x10 of 8 bytes by task 1 on cpu 0:\n");
	for (int i = 0; i < KT_REPORT_MAX_FRAMES + 100; i++)
		kt_strbuf_addf(&sb, " deep_%d+0x%x/0x100\n", i, i % 256);
	kt_strbuf_adds(&sb, "\nread to 0x10 of 8 bytes by task 2 on cpu 1:\n shallow+0x1/0x2\n\n"
			    "Reported by Kernel Concurrency Sanitizer on:\n"
			    "CPU: 1 PID: 2 Comm: x Not tainted 6.1.0 #1\n"
			    "==================================================================\n");
	rep = parse1(sb.buf);
	CHECK(rep != NULL);
	if (rep) {
		CHECK_INT(rep->access[0].nframes, KT_REPORT_MAX_FRAMES);
		CHECK_STR(rep->access[0].frames[KT_REPORT_MAX_FRAMES - 1].func, "deep_511");
		CHECK_INT(rep->access[1].nframes, 1);
		CHECK(rep->complete);
	}
	kt_report_free(rep);
	kt_strbuf_fini(&sb);
}

/* Several reports back to back with no "=====" line between them, and a
 * stream read through a pipe. */
static void test_stream(void)
{
	char *one = make_variant("[  1.000000][  T311] ", " ", "\n");
	struct kt_strbuf sb;
	struct run r;
	FILE *fp;
	char path[] = "/tmp/kt-report-test-XXXXXX";
	int fd;

	kt_strbuf_init(&sb);
	for (int i = 0; i < 20; i++)
		kt_strbuf_adds(&sb, one);
	fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd >= 0) {
		char cmd[256];

		CHECK(write(fd, sb.buf, sb.len) == (ssize_t)sb.len);
		close(fd);
		snprintf(cmd, sizeof(cmd), "cat %s", path);
		fp = popen(cmd, "r");
		CHECK(fp != NULL);
		if (fp) {
			run_stream(fp, "<stdin>", &r);
			pclose(fp);
			CHECK_INT(r.nreports, 20);
			CHECK_INT(r.nerrors, 0);
			if (r.n == 20) {
				CHECK_INT(r.items[19].rep->first_line, 19 * 24 + 4);
				CHECK_STR(r.items[19].rep->input, "<stdin>");
			}
			run_free(&r);
		}
		unlink(path);
	}
	kt_strbuf_fini(&sb);
	free(one);
}

/* A report longer than KT_REPORT_MAX_TEXT keeps a cut text; the reader
 * keeps returning "end" once the input is read; a NUL in a title. */
static void test_limits(void)
{
	struct kt_strbuf sb;
	struct kt_report *rep;
	struct run r;

	kt_strbuf_init(&sb);
	kt_strbuf_adds(&sb, "BUG: KCSAN: data-race in deep / shallow\n\n"
			    "write to 0x10 of 8 bytes by task 1 on cpu 0:\n");
	for (int i = 0; i < 40000; i++)
		kt_strbuf_addf(&sb, " a_rather_long_function_name_number_%06d+0x1/0x100\n", i);
	/* The blank line closes the second stack: a report that stops inside a
	 * stack is truncated, one that stops after it is only missing its footer. */
	kt_strbuf_adds(&sb, "\nread to 0x10 of 8 bytes by task 2 on cpu 1:\n shallow+0x1/0x2\n\n");
	CHECK(sb.len > KT_REPORT_MAX_TEXT);
	rep = parse1(sb.buf);
	CHECK(rep != NULL);
	if (rep) {
		CHECK(strlen(rep->text) <= KT_REPORT_MAX_TEXT);
		CHECK(strlen(rep->text) > KT_REPORT_MAX_TEXT - 100);
		CHECK_INT(rep->access[0].nframes, KT_REPORT_MAX_FRAMES);
		CHECK_INT(rep->access[1].nframes, 1);
		CHECK(!rep->complete);
		CHECK_INT(rep->last_line, 40000 + 7);
	}
	kt_report_free(rep);
	kt_strbuf_fini(&sb);

	{
		static const char text[] = "x\nBUG: KCSAN: data-race in a\0b / c\nmore\n";
		FILE *fp = fmemopen((void *)text, sizeof(text) - 1, "r");
		struct kt_reader *rd;
		struct kt_error *err;

		CHECK(fp != NULL);
		if (fp && !kt_reader_new(fp, "nul.log", &rd)) {
			err = kt_reader_next(rd, &rep);
			{
				struct item it = {rep, err};

				CHECK_ERR(&it, 2, "nul.log:2: NUL byte in report title");
			}
			kt_error_free(err);
			for (int i = 0; i < 3; i++) {
				err = kt_reader_next(rd, &rep);
				CHECK(err == NULL && rep == NULL);
				kt_error_free(err);
				kt_report_free(rep);
			}
			kt_reader_free(rd);
		}
		if (fp)
			fclose(fp);
	}
	run_text("", "empty.log", &r);
	CHECK_INT(r.n, 0);
	run_free(&r);
}

/* The base report cut after each of its lines: a truncation error until the
 * second stack has a frame, then a report, complete only with its closing
 * line; a stack the cut may have shortened (no section read after it) is
 * elided. */
static void test_every_cut(void)
{
	for (size_t k = 0; k <= NBASE; k++) {
		struct kt_strbuf sb;
		struct run r;

		kt_strbuf_init(&sb);
		kt_strbuf_adds(&sb, "[    1.000000] boot\n");
		for (size_t i = 0; i < k; i++) {
			kt_strbuf_adds(&sb, base_lines[i]);
			kt_strbuf_addc(&sb, '\n');
		}
		run_text(sb.buf, "cut.log", &r);
		if (k < 2) {
			CHECK_INT(r.n, 0);
		} else if (k < 12) {
			CHECK_INT(r.nerrors, 1);
			CHECK_INT(r.nreports, 0);
			if (r.n == 1) {
				CHECK_ERR(&r.items[0], (long)k + 1,
					  "truncated report (title at line 3");
				CHECK_ERR(&r.items[0], 0, "ended by the end of input");
			}
		} else {
			CHECK_INT(r.nerrors, 0);
			CHECK_INT(r.nreports, 1);
			if (r.n == 1 && r.items[0].rep) {
				const struct kt_report *rep = r.items[0].rep;

				CHECK_INT(rep->complete, k == NBASE);
				CHECK_INT(rep->value.present, k >= 16);
				CHECK_INT(rep->env.pid, k >= 19 ? 311 : -1);
				CHECK_INT(rep->last_line, (long)k + 1);
				CHECK_INT(rep->access[1].nframes, k < 14 ? k - 11 : 3);
				CHECK(!rep->access[0].elided);
				CHECK_INT(rep->access[1].elided, k < 16);
			}
		}
		run_free(&r);
		kt_strbuf_fini(&sb);
	}
}

/* A copy that lost its "Reported by" line still has its footer read. */
static void test_no_reported_by(void)
{
	char *text = slurp("no-reported-by.txt");
	struct kt_report *rep = parse1(text);

	CHECK(rep != NULL);
	if (rep) {
		CHECK(!rep->complete);
		CHECK_INT(rep->naccess, 2);
		CHECK_INT(rep->env.cpu, 1);
		CHECK_INT(rep->env.pid, 2);
		CHECK_STR(rep->env.comm, "t");
		CHECK_STR(rep->env.kernel, "6.1.0");
		CHECK_STR(rep->env.hardware, "QEMU");
	}
	kt_report_free(rep);
	free(text);
}

/* syzbot's mails name the commit tested before the report ("HEAD commit:");
 * the reader keeps it for the reports after it, quoted or not, until a new
 * mail of the mbox or a HEAD commit line naming no commit. */
static void test_head_commit(void)
{
	char *text = slurp("syzbot-mails.mbox");
	struct run r;
	static const char *const want[][2] = {
	    {"f1", "480e035fc4c7"}, {"f7", NULL}, {"f3", NULL}, {"f5", "b401b621758e"}};

	run_text(text, "syzbot-mails.mbox", &r);
	CHECK_INT(r.nreports, 4);
	CHECK_INT(r.nerrors, 0);
	for (size_t i = 0; i < r.n && i < 4; i++) {
		const struct kt_report *rep = r.items[i].rep;

		CHECK(rep != NULL);
		if (!rep)
			continue;
		CHECK_STR(rep->title_funcs[0], want[i][0]);
		if (want[i][1])
			CHECK_STR(rep->env.commit, want[i][1]);
		else
			CHECK(rep->env.commit == NULL);
	}
	CHECK_STR(r.n > 0 && r.items[0].rep ? r.items[0].rep->env.kernel : NULL,
		  "6.8.0-syzkaller-08073-g480e035fc4c7");
	run_free(&r);
	free(text);
}

int main(void)
{
	test_variants();
	test_access_types();
	test_unknown_origin();
	test_reordered_bits();
	test_symbolized();
	test_decoded_stacks();
	test_wrapped();
	test_old_format_and_extras();
	test_interleaved();
	test_malformed();
	test_small_errors();
	test_huge_and_nul();
	test_frame_cap();
	test_stream();
	test_limits();
	test_no_reported_by();
	test_head_commit();
	test_every_cut();
	return kt_test_done("test_report_parse");
}
