// SPDX-License-Identifier: Apache-2.0
/*
 * The parts of --eval and --expect that are plain functions: the fixed
 * split of a corpus (FNV-1a of the id), the subsystem of a report, and
 * whether the object named is the one expected.
 */
#include "eval.h"
#include "expect.h"
#include "harness.h"

static void test_fnv1a(void)
{
	/* The published FNV-1a 32-bit test vectors. */
	CHECK_INT(kt_eval_fnv1a(""), 0x811c9dc5u);
	CHECK_INT(kt_eval_fnv1a("a"), 0xe40c292cu);
	CHECK_INT(kt_eval_fnv1a("foobar"), 0xbf9cf968u);
	/* The split is the hash's low bit: even is A (0), odd is B (1). */
	CHECK_INT(kt_eval_half("a"), 0);
	CHECK_INT(kt_eval_half(""), 1);
	CHECK_INT(kt_eval_half("foobar"), 0);
	CHECK_INT(kt_eval_half("kcsan-0063"), (int)(kt_eval_fnv1a("kcsan-0063") & 1));
}

static void check_subsystem(const char *a_files, const char *b_files, const char *want)
{
	struct kt_facts *f = kt_facts_new();
	char buf[512];
	char *got;

	for (int side = 0; side < 2; side++) {
		const char *files = side ? b_files : a_files;

		if (!files)
			continue;
		snprintf(buf, sizeof(buf), "%s", files);
		for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ","))
			kt_facts_add_str(f, side ? "b.frames.file" : "a.frames.file", tok,
					 KT_ORIGIN_REPORT);
	}
	got = kt_eval_subsystem(f);
	CHECK_STR(got, want);
	free(got);
	kt_facts_free(f);
}

static void test_subsystem(void)
{
	check_subsystem("fs/ext4/inode.c,fs/read_write.c", NULL, "fs/ext4");
	check_subsystem("mm/shmem.c", "fs/ext4/file.c", "mm");
	check_subsystem("./net/ipv4/tcp.c", NULL, "net/ipv4");
	check_subsystem("drivers/net/wireguard/send.c", NULL, "drivers/net");
	/* Headers hold inline helpers, not the code that races. */
	check_subsystem("include/linux/list.h,arch/x86/include/asm/atomic.h,kernel/sched/core.c",
			NULL, "kernel/sched");
	/* Only headers: the first of them. */
	check_subsystem("include/linux/list.h", NULL, "include/linux");
	/* Side a has no file: side b's. */
	check_subsystem(NULL, "sound/core/pcm_native.c", "sound/core");
	check_subsystem(NULL, NULL, "?");
	check_subsystem("vmlinux.c", NULL, "?");
}

static void test_object(void)
{
	CHECK(kt_expect_object_matches("struct rp_port::mtu (u32)", "struct rp_port::mtu"));
	CHECK(kt_expect_object_matches("struct rp_netdev::stats.tx_dropped (unsigned long)",
				       "struct rp_netdev::stats.tx_dropped"));
	CHECK(kt_expect_object_matches("struct rp_netdev::stats", "struct rp_netdev::stats.rx"));
	CHECK(!kt_expect_object_matches("struct rp_port::mtu (u32)", "struct rp_port::mtu_max"));
	CHECK(!kt_expect_object_matches("struct rp_port::mtu (u32)", "struct rp_portx::mtu"));
	CHECK(!kt_expect_object_matches("struct rp_port::mtu (u32)", NULL));
	/* A description of storage: any member of the struct. */
	CHECK(kt_expect_object_matches("struct rp_ctl bitfield byte (enabled:1, paused:1)",
				       "struct rp_ctl::paused"));
	CHECK(kt_expect_object_matches("struct rp_ctl bitfield byte (enabled:1, paused:1)",
				       "struct rp_ctl::enabled / paused (same storage)"));
	CHECK(!kt_expect_object_matches("struct rp_ctl bitfield byte (enabled:1, paused:1)",
					"struct rp_ctl_ops::fn"));
	/* Alternatives on either side. */
	CHECK(kt_expect_object_matches(
	    "struct rp_list::head / struct rp_entry::node (list_head prev pointers)",
	    "struct rp_entry::node.prev"));
	CHECK(kt_expect_object_matches("struct rp_list::head / struct rp_entry::node",
				       "struct list_head::next / struct rp_list::head"));
	CHECK(!kt_expect_object_matches("struct rp_list::head / struct rp_entry::node",
					"struct list_head::prev"));
	/* A global. */
	CHECK(kt_expect_object_matches("jiffies", "jiffies"));
	CHECK(!kt_expect_object_matches("jiffies", "jiffies_64"));
}

int main(void)
{
	test_fnv1a();
	test_subsystem();
	test_object();
	return kt_test_done("test_eval_parts");
}
