// SPDX-License-Identifier: Apache-2.0
/* The report reader on synthetic inputs: every variant kernel/kcsan/report.c
 * prints, console prefixes, CRLF, wrapped lines, symbolized and decoded
 * stacks, interleaved reports (malformed input: test_report_errors.c). */
#include "parse_helpers.h"

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
	return kt_test_done("test_report_parse");
}
