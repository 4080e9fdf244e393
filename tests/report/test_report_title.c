// SPDX-License-Identifier: Apache-2.0
/* Bug titles: syzkaller's dynamic replacements and sanitizing. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "kcsan/report.h"

static const struct {
	const char *in, *want;
} cases[] = {
    {"BUG: KCSAN: data-race in foo / bar", "KCSAN: data-race in foo / bar"},
    {"data-race in foo / bar", "KCSAN: data-race in foo / bar"},
    {"KCSAN: data-race in foo / bar", "KCSAN: data-race in foo / bar"},
    {"[   44.381969][    C4]  BUG: KCSAN: data-race in e1000_clean_rx_irq+0x551/0xb10",
     "KCSAN: data-race in e1000_clean_rx_irq"},
    {"BUG: KCSAN: data-race in multi_cpu_stop+0xa8/0x198 and set_state+0x80/0xb0",
     "KCSAN: data-race in multi_cpu_stop and set_state"},
    {"BUG: KCSAN: assert: race in dequeue_entities+0x6df/0x760",
     "KCSAN: assert: race in dequeue_entities"},
    /* a one-letter name is too short for the offset pattern */
    {"BUG: KCSAN: assert: race in x+0x1/0x2", "KCSAN: assert: race in x+0x1/0x2"},
    /* wrapped titles read as one line */
    {"BUG: KCSAN: data-race in tick_nohz_next_event /\ntick_nohz_stop_tick",
     "KCSAN: data-race in tick_nohz_next_event / tick_nohz_stop_tick"},
    {"BUG: KCSAN: data-race in a /  \r\n  b", "KCSAN: data-race in a / b"},
    {"BUG: KCSAN: data-race in foo at 0xffff888012345678", "KCSAN: data-race in foo at ADDR"},
    {"BUG: KCSAN: data-race in a 0x1234 / b 00abcdef", "KCSAN: data-race in a 0x1234 / b ADDR"},
    {"BUG: KCSAN: data-race in foo_deadbeef / x", "KCSAN: data-race in foo_ADDR / x"},
    {"BUG: KCSAN: data-race in foo mm/shmem.c:3438 / bar",
     "KCSAN: data-race in foo mm/shmem.c:LINE / bar"},
    {"BUG: KCSAN: data-race in foo 12 / bar 3,4,5",
     "KCSAN: data-race in foo NUM / bar NUM,NUM,NUM"},
    {"BUG: KCSAN: data-race in syz-executor.1 / syzkaller12345:2",
     "KCSAN: data-race in syz-executor / syzkaller"},
    {"BUG: KCSAN: data-race in CPU#3 / nl80211_foo", "KCSAN: data-race in CPU / nl80211_foo"},
    {"BUG: KCSAN: data-race in func12345678 / 10.0.2.15", "KCSAN: data-race in funcNUM / IP"},
    {"BUG: KCSAN: data-race in foo.isra.0+0x1c/0x49 [mod] / bar.constprop.12+0x0/0x10",
     "KCSAN: data-race in foo.isra.NUM [mod] / bar.constprop.NUM"},
    {"BUG: KCSAN: data-race in ext4_write_end [ext4] / ext4_writepages [ext4]",
     "KCSAN: data-race in ext4_write_end [ext4] / ext4_writepages [ext4]"},
    {"BUG: KCSAN: data-race in\ta  /   b   ", "KCSAN: data-race in a / b"},
    /* titles of the forms reports circulate in (testdata/parser/forms) */
    {"BUG: KCSAN: data-race in btrfs_update_delayed_refs_rsv [btrfs] / btrfs_use_block_rsv "
     "[btrfs]",
     "KCSAN: data-race in btrfs_update_delayed_refs_rsv [btrfs] / btrfs_use_block_rsv [btrfs]"},
    {"BUG: KCSAN: data-race in kvm_vcpu_on_spin [kvm] / kvm_vcpu_on_spin [kvm]",
     "KCSAN: data-race in kvm_vcpu_on_spin [kvm] / kvm_vcpu_on_spin [kvm]"},
    {"BUG: KCSAN: data-race in el0_svc_common+0x34/0x25c arch/arm64/kernel/syscall.c:96",
     "KCSAN: data-race in el0_svc_common arch/arm64/kernel/syscall.c:LINE"},
    {"BUG: KCSAN: data-race in drain_all_stock.part.0 / try_charge_memcg",
     "KCSAN: data-race in drain_all_stock.part.NUM / try_charge_memcg"},
    {"BUG: KCSAN: data-race in memcmp+0x45/0xb0", "KCSAN: data-race in memcmp"},
    {"BUG: KCSAN: data-race in fuse_readahead [fuse] / fuse_request_end [fuse]",
     "KCSAN: data-race in fuse_readahead [fuse] / fuse_request_end [fuse]"},
    {"BUG: KCSAN: data-race in a\001b / c\177d", "KCSAN: data-race in ab / cd"},
    /* 120-byte cap */
    {"BUG: KCSAN: data-race in some_really_long_function_name_number_one_that_keeps_going / "
     "some_really_long_function_name_number_two_that_keeps_going_too",
     "KCSAN: data-race in some_really_long_function_name_number_one_that_keeps_going / "
     "some_really_long_function_name_number_t"},
    {"", "KCSAN:"},
};

int main(void)
{
	struct kt_title_normalizer *tn;
	struct kt_error *err = kt_title_normalizer_new(&tn);

	CHECK(err == NULL);
	if (err)
		return kt_test_done("test_report_title");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *a = kt_title_normalize(cases[i].in);
		char *b = kt_title_normalize_with(tn, cases[i].in);

		CHECK_STR(a, cases[i].want);
		CHECK_STR(b, cases[i].want);
		CHECK(strlen(b) <= 120);
		free(a);
		free(b);
	}
	kt_title_normalizer_free(tn);
	kt_title_normalizer_free(NULL);
	return kt_test_done("test_report_title");
}
