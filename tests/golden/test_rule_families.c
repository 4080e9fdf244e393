// SPDX-License-Identifier: Apache-2.0
/*
 * The shipped rules on the characteristic facts of each family, including
 * the families no real report in testdata/golden exercises (refcounts,
 * read-modify-write on both sides, list operations on both sides, reordered
 * accesses, single-bit flags) and the exclusions that keep a benign rule
 * from firing where the kernel semantics differ (copy *into* a kernel
 * object, NAPI "poll" routines, a marked access against a plain
 * read-modify-write, an init flag that publishes an object).
 *
 * Facts are built directly, as the report stage would write them, so a case
 * states exactly the shape it tests.
 */
#include "harness.h"
#include "kcsan/rules.h"

#define R KT_ORIGIN_REPORT
#define MAXF 8

struct side {
	const char *op; /* read, write, read-write */
	bool marked;
	bool reordered;
	int size;
	long long addr;
	const char *frames[MAXF];
};

struct value {
	bool present;
	uint64_t old_val, new_val;
};

struct fcase {
	const char *name;
	struct side a, b;
	struct value v;
	const char *want_rule;    /* NULL: no rule may match */
	const char *want_verdict; /* checked when non-NULL */
	const char *not_verdict;  /* the verdict must differ from this, when non-NULL */
};

static void put_side(struct kt_facts *f, const char *s, const struct side *d)
{
	char n[64];
	bool w = strcmp(d->op, "read") != 0;

#define N(x) (snprintf(n, sizeof(n), "%s." x, s), n)
	kt_facts_set_str(f, N("op"), d->op, R);
	kt_facts_set_bool(f, N("write"), w, R);
	kt_facts_set_bool(f, N("rmw"), strcmp(d->op, "read-write") == 0, R);
	kt_facts_set_bool(f, N("assert"), false, R);
	kt_facts_set_bool(f, N("marked"), d->marked, R);
	kt_facts_set_bool(f, N("reordered"), d->reordered, R);
	kt_facts_set_int(f, N("size"), d->size, R);
	kt_facts_set_bool(f, N("interrupt"), false, R);
	kt_facts_set_int(f, N("addr"), d->addr, R);
	kt_facts_set_str(f, N("func"), d->frames[0], R);
	for (int i = 0; i < MAXF && d->frames[i]; i++)
		kt_facts_add_str(f, N("frames.func"), d->frames[i], R);
#undef N
}

static int popcount(uint64_t v)
{
	int c = 0;

	for (; v; v &= v - 1)
		c++;
	return c;
}

static bool kptr(uint64_t v)
{
	return (v >> 47) == 0x1ffff && v != ~0ULL;
}

static struct kt_facts *build(const struct fcase *c)
{
	struct kt_facts *f = kt_facts_new();
	long long lo, hi, ea, eb;

	kt_facts_set_str(f, "report.kind", "data-race", R);
	kt_facts_set_int(f, "report.accesses", 2, R);
	put_side(f, "a", &c->a);
	put_side(f, "b", &c->b);
	kt_facts_set_bool(f, "same.func", strcmp(c->a.frames[0], c->b.frames[0]) == 0, R);
	kt_facts_set_bool(f, "same.addr", c->a.addr == c->b.addr, R);
	lo = c->a.addr > c->b.addr ? c->a.addr : c->b.addr;
	ea = c->a.addr + c->a.size;
	eb = c->b.addr + c->b.size;
	hi = ea < eb ? ea : eb;
	kt_facts_set_int(f, "overlap", hi > lo ? hi - lo : 0, R);
	kt_facts_set_bool(f, "value.changed", c->v.present, R);
	if (c->v.present) {
		kt_facts_set_int(f, "value.old", (int64_t)c->v.old_val, R);
		kt_facts_set_int(f, "value.new", (int64_t)c->v.new_val, R);
		kt_facts_set_int(f, "value.bits", popcount(c->v.old_val ^ c->v.new_val), R);
		kt_facts_set_int(f, "value.step", (int64_t)(c->v.new_val - c->v.old_val), R);
		kt_facts_set_bool(f, "value.bool", c->v.old_val <= 1 && c->v.new_val <= 1, R);
		kt_facts_set_bool(f, "value.from_zero", c->v.old_val == 0, R);
		kt_facts_set_bool(f, "value.to_zero", c->v.new_val == 0, R);
		kt_facts_set_bool(f, "value.old_ptr", kptr(c->v.old_val), R);
		kt_facts_set_bool(f, "value.new_ptr", kptr(c->v.new_val), R);
	}
	return f;
}

#define A 0x100000
static const struct fcase cases[] = {
    {"plain refcount decrement",
     {"write", .size = 4, .addr = A, .frames = {"kref_put", "foo_release"}},
     {"read", .size = 4, .addr = A, .frames = {"foo_lookup", "foo_ioctl"}},
     {true, 2, 1}, "refcount-plain-update", "harmful", NULL},
    {"plain read-modify-write on both CPUs",
     {"read-write", .size = 4, .addr = A, .frames = {"foo_enqueue", "foo_xmit"}},
     {"read-write", .size = 4, .addr = A, .frames = {"foo_complete", "foo_irq"}},
     {true, 7, 8}, "rmw-both", "harmful", NULL},
    {"list relinked on both sides",
     {"write", .size = 8, .addr = A, .frames = {"__list_del_entry", "list_del", "foo_remove"}},
     {"write", .size = 8, .addr = A, .frames = {"__list_add", "list_add_tail", "foo_insert"}},
     {false, 0, 0}, "list-ops-both", "harmful", NULL},
    {"list relinked against a lockless emptiness test",
     {"write", .size = 8, .addr = A, .frames = {"__list_add", "list_add_tail", "foo_queue"}},
     {"read", .size = 8, .addr = A, .frames = {"list_empty_careful", "foo_pending", "foo_poll"}},
     {false, 0, 0}, "list-empty-check", "benign", NULL},
    {"an atomic update (unmarked in an old report) against a plain load",
     {"write", .size = 4, .addr = A, .frames = {"atomic_add_return", "foo_snap", "foo_scan"}},
     {"read", .size = 4, .addr = A, .frames = {"foo_enter", "irq_enter"}},
     {false, 0, 0}, "atomic-op-one-side", "benign", NULL},
    {"a plain store against an atomic update may erase it: not the atomic rule",
     {"write", .size = 4, .addr = A, .frames = {"atomic_inc", "foo_get"}},
     {"write", .size = 4, .addr = A, .frames = {"foo_reset", "foo_ioctl"}},
     {false, 0, 0}, NULL, NULL, "benign"},
    {"atomic_set is a store, not an update: not the atomic rule",
     {"write", .size = 4, .addr = A, .frames = {"atomic_set", "foo_init"}},
     {"read", .size = 4, .addr = A, .frames = {"foo_peek"}},
     {false, 0, 0}, NULL, NULL, NULL},
    {"a pointer switched between two objects of the kernel image",
     {"read", .size = 8, .addr = A, .frames = {"foo_recvmsg", "sock_recvmsg"}},
     {"write", .size = 8, .addr = A, .frames = {"foo_setsockopt", "__sys_setsockopt"}},
     {true, 0xffffffff85e0e980ull, 0xffffffff85e01580ull}, "static-object-pointer-switch",
     "benign", NULL},
    {"a pointer switched between heap objects may leave the old one freed",
     {"read", .size = 8, .addr = A, .frames = {"foo_flush", "foo_work"}},
     {"write", .size = 8, .addr = A, .frames = {"foo_drain", "foo_free"}},
     {true, 0xffff8881382d52c0ull, 0xffff888138893740ull}, NULL, NULL, "benign"},
    {"a pointer into module space (unloadable) is not a static object",
     {"read", .size = 8, .addr = A, .frames = {"foo_recvmsg", "sock_recvmsg"}},
     {"write", .size = 8, .addr = A, .frames = {"foo_setsockopt", "__sys_setsockopt"}},
     {true, 0xffffffffc0a01000ull, 0xffffffff85e01580ull}, NULL, NULL, "benign"},
    {"race found only by modelling a reordering",
     {"read", .reordered = true, .size = 4, .addr = A, .frames = {"foo_check"}},
     {"write", .size = 4, .addr = A, .frames = {"foo_request_stop"}},
     {true, 0, 1}, "reordered-access", "unknown", NULL},
    {"one flag of a flags word set",
     {"read", .size = 4, .addr = A, .frames = {"foo_work", "process_one_work"}},
     {"write", .size = 4, .addr = A, .frames = {"foo_mark_dirty", "foo_write"}},
     {true, 0x10, 0x30}, "single-bit-flag", "benign", NULL},
    {"a counter stepping by one is not a flag",
     {"read", .size = 4, .addr = A, .frames = {"foo_work", "process_one_work"}},
     {"write", .size = 4, .addr = A, .frames = {"foo_mark_dirty", "foo_write"}},
     {true, 0x10, 0x11}, "counter-step", "unknown", NULL},
    {"boolean hint set",
     {"read", .size = 1, .addr = A, .frames = {"foo_needs_flush", "foo_write"}},
     {"write", .size = 1, .addr = A, .frames = {"foo_request_flush", "foo_ioctl"}},
     {true, 0, 1}, "bool-set-hint", "benign", NULL},
    {"flag set by an initializer publishes the object",
     {"read", .size = 1, .addr = A, .frames = {"foo_lookup", "foo_open"}},
     {"write", .size = 1, .addr = A, .frames = {"foo_init_one", "foo_probe"}},
     {true, 0, 1}, "init-flag-publish", "unknown", NULL},
    {"marked access against a plain read-modify-write is not just missing marking",
     {"write", .marked = true, .size = 4, .addr = A, .frames = {"foo_set_state"}},
     {"read-write", .size = 4, .addr = A, .frames = {"foo_update", "foo_timer"}},
     {true, 3, 5}, NULL, NULL, "benign"},
    {"copy from user into a kernel object read by the kernel is not file data",
     {"write", .size = 16, .addr = A, .frames = {"_copy_from_user", "foo_setopt"}},
     {"read", .size = 8, .addr = A, .frames = {"foo_xmit", "dev_hard_start_xmit"}},
     {false, 0, 0}, NULL, NULL, "benign"},
    {"copy out to user of a field being written",
     {"read", .size = 64, .addr = A, .frames = {"instrument_copy_to_user", "_copy_to_user", "foo_ioctl"}},
     {"write", .size = 4, .addr = A + 8, .frames = {"foo_update_stats", "foo_irq"}},
     {false, 0, 0}, "copy-out-to-user", "benign", NULL},
    {"a NAPI poll routine is not a readiness check",
     {"read", .size = 4, .addr = A, .frames = {"virtnet_poll", "__napi_poll", "net_rx_action"}},
     {"write", .size = 4, .addr = A, .frames = {"virtnet_set_queues", "virtnet_ioctl"}},
     {true, 4, 9}, NULL, NULL, "benign"},
    {"poll reading a switched pointer is not a readiness hint",
     {"write", .size = 8, .addr = A, .frames = {"foo_switch_to_fallback", "foo_sendmsg"}},
     {"read", .size = 8, .addr = A, .frames = {"sock_poll", "vfs_poll", "do_sys_poll"}},
     {true, 0xffff888100001000ULL, 0xffff888100002000ULL}, "pointer-replaced", "unknown", NULL},
    {"statistics on both sides",
     {"read-write", .size = 8, .addr = A, .frames = {"foo_stats_inc", "foo_rx"}},
     {"read", .size = 8, .addr = A, .frames = {"foo_stats_show", "seq_read_iter"}},
     {true, 41, 42}, "stats-counter", "benign", NULL},
    {"sysfs show of a liveness test",
     {"write", .size = 1, .addr = A, .frames = {"foo_register", "foo_probe"}},
     {"read", .size = 1, .addr = A, .frames = {"foo_is_alive", "foo_show", "dev_attr_show"}},
     {true, 0, 1}, "state-gate-read", "unknown", NULL},
    {"pointer cleared while read",
     {"write", .size = 8, .addr = A, .frames = {"foo_detach", "foo_release"}},
     {"read", .size = 8, .addr = A, .frames = {"foo_xmit"}},
     {true, 0xffff888100001000ULL, 0}, "pointer-cleared-teardown", "harmful", NULL},
    {"pointer cleared outside teardown",
     {"write", .size = 8, .addr = A, .frames = {"foo_stop_polling", "foo_thread"}},
     {"read", .size = 8, .addr = A, .frames = {"foo_park"}},
     {true, 0xffff888100001000ULL, 0}, "pointer-cleared", "unknown", NULL},
    {"a page copied out while the allocator zeroes it is not file data",
     {"read", .size = 4096, .addr = A, .frames = {"_copy_to_iter", "copy_page_to_iter", "filemap_read"}},
     {"write", .size = 4096, .addr = A, .frames = {"clear_page_erms", "prep_new_page", "get_page_from_freelist"}},
     {false, 0, 0}, "memory-reuse", "unknown", NULL},
    {"load and store halves of one counter++ on two CPUs",
     {"read", .size = 4, .addr = A, .frames = {"foo_append", "foo_sendmsg"}},
     {"write", .size = 4, .addr = A, .frames = {"foo_append", "foo_sendmsg"}},
     {true, 0x54d, 0x54e}, "increment-same-code", "harmful", NULL},
    {"field recorded by a trace event",
     {"read", .size = 4, .addr = A, .frames = {"trace_event_raw_event_foo_state", "foo_set_state"}},
     {"write", .size = 4, .addr = A, .frames = {"foo_update", "foo_work"}},
     {true, 3, 9}, "trace-event-read", "benign", NULL},
    {"getsockopt reporting a field",
     {"read", .size = 4, .addr = A, .frames = {"do_ip_getsockopt", "ip_getsockopt", "raw_getsockopt"}},
     {"write", .size = 4, .addr = A, .frames = {"foo_update_mtu", "foo_rcv"}},
     {true, 1500, 1400}, "report-to-user-read", "benign", NULL},
    {"neighbouring bitfield rewritten",
     {"write", .size = 2, .addr = A, .frames = {"foo_set_mode", "foo_ack"}},
     {"read", .size = 1, .addr = A + 1, .frames = {"foo_recvmsg"}},
     {false, 0, 0}, "bitfield-neighbours", "harmful", NULL},
};

int main(void)
{
	struct kt_ruleset *rs = kt_ruleset_new();
	struct kt_error *err = kt_ruleset_load_dir(rs, KT_SOURCE_RULES_DIR);

	CHECK(err == NULL);
	if (err) {
		char *msg = kt_error_format(err);

		fprintf(stderr, "%s\n", msg);
		free(msg);
		kt_error_free(err);
		kt_ruleset_free(rs);
		return kt_test_done("test_rule_families");
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct fcase *c = &cases[i];
		struct kt_facts *f = build(c);
		struct kt_rule_result res;
		const char *rule, *verdict;

		err = kt_ruleset_eval(rs, f, &res);
		CHECK(err == NULL);
		kt_error_free(err);
		rule = res.rule_id ? res.rule_id : "-";
		verdict = kt_verdict_name(res.verdict);
		kt_test_checks++;
		if (c->want_rule ? strcmp(rule, c->want_rule) != 0 : res.rule_id != NULL &&
								     c->not_verdict == NULL) {
			kt_test_failures++;
			fprintf(stderr, "%s: rule: expected %s, got %s (%s)\n", c->name,
				c->want_rule ? c->want_rule : "-", rule, res.selection);
		}
		if (c->want_verdict) {
			kt_test_checks++;
			if (strcmp(verdict, c->want_verdict) != 0) {
				kt_test_failures++;
				fprintf(stderr, "%s: verdict: expected %s, got %s\n", c->name,
					c->want_verdict, verdict);
			}
		}
		if (c->not_verdict) {
			kt_test_checks++;
			if (strcmp(verdict, c->not_verdict) == 0) {
				kt_test_failures++;
				fprintf(stderr, "%s: verdict must not be %s (rule %s: %s)\n", c->name,
					c->not_verdict, rule, res.selection);
			}
		}
		kt_rule_result_fini(&res);
		kt_facts_free(f);
	}
	kt_ruleset_free(rs);
	return kt_test_done("test_rule_families");
}
