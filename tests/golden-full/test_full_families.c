// SPDX-License-Identifier: Apache-2.0
/*
 * The full-mode rules (rules/6*-*.rules, rules/7*-*.rules) on hand-built
 * facts: one case per family with the facts the binary and source stages
 * write, and the exclusions that keep a rule from deciding where the kernel
 * semantics differ (an RCU reader, a statistics counter, a show path, a
 * writer without the attribute's lock, a tree that differs from the
 * report's kernel). Most of these families (the harmful ones above all)
 * have no real report in the fixture, so this is where they are pinned.
 *
 * Two properties hold for every case as well:
 *  - with only the report's facts (origin report), none of the full-mode
 *    rules matches: rules whose facts are absent never match;
 *  - evaluated with the whole shipped rule set, the case gets the expected
 *    rule and verdict, so the priorities against the report-only rules are
 *    tested too.
 *
 * A fact is written "name=value": true/false is a bool, a decimal or 0x
 * number an integer, "[a|b|c]" a list, anything else a string. Facts whose
 * name starts with obj., site., expr., locks, object, context or note (on
 * either side) get the binary or source origin; the others the report's.
 */
#include <ctype.h>

#include "harness.h"
#include "kcsan/rules.h"

#define MAXFACTS 40

struct fcase {
	const char *name;
	const char *facts[MAXFACTS];
	const char *want_rule;	  /* NULL: the winner must not be not_rule */
	const char *want_verdict; /* NULL: not checked */
	const char *want_conf;	  /* NULL: not checked */
	const char *not_rule;	  /* must not win; with want_rule set, must not match at all */
};

static bool is_int(const char *v)
{
	const char *p = v;

	if (*p == '-')
		p++;
	if (p[0] == '0' && p[1] == 'x') {
		p += 2;
		if (!*p)
			return false;
		for (; *p; p++)
			if (!isxdigit((unsigned char)*p))
				return false;
		return true;
	}
	if (!*p)
		return false;
	for (; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	return true;
}

static enum kt_fact_origin origin_of(const char *name)
{
	static const char *const later[] = {"obj.",   "site.",	 "expr.", "locks",
					    "object", "context", "note",  "src."};
	const char *n = name;

	if ((n[0] == 'a' || n[0] == 'b') && n[1] == '.')
		n += 2;
	for (size_t i = 0; i < sizeof(later) / sizeof(later[0]); i++) {
		if (strncmp(n, later[i], strlen(later[i])) == 0)
			return strncmp(n, "obj.", 4) == 0 || strncmp(n, "site.", 5) == 0
				   ? KT_ORIGIN_VMLINUX
				   : KT_ORIGIN_SOURCE;
	}
	return KT_ORIGIN_REPORT;
}

/* Builds the facts of a case; with report_only, only the report's. */
static struct kt_facts *build(const struct fcase *c, bool report_only)
{
	struct kt_facts *f = kt_facts_new();

	for (size_t i = 0; i < MAXFACTS && c->facts[i]; i++) {
		char buf[512], *eq, *name, *val;
		enum kt_fact_origin o;

		snprintf(buf, sizeof(buf), "%s", c->facts[i]);
		eq = strchr(buf, '=');
		if (!eq) {
			fprintf(stderr, "%s: bad fact '%s'\n", c->name, c->facts[i]);
			kt_test_failures++;
			continue;
		}
		*eq = '\0';
		name = buf;
		val = eq + 1;
		o = origin_of(name);
		if (report_only && o != KT_ORIGIN_REPORT)
			continue;
		if (strcmp(val, "true") == 0 || strcmp(val, "false") == 0) {
			kt_facts_set_bool(f, name, val[0] == 't', o);
		} else if (is_int(val)) {
			kt_facts_set_int(f, name, (int64_t)strtoull(val, NULL, 0), o);
		} else if (val[0] == '[') {
			char *p = val + 1, *end = strchr(p, ']');

			if (end)
				*end = '\0';
			while (p && *p) {
				char *bar = strchr(p, '|');

				if (bar)
					*bar = '\0';
				kt_facts_add_str(f, name, p, o);
				p = bar ? bar + 1 : NULL;
			}
		} else {
			kt_facts_set_str(f, name, val, o);
		}
	}
	return f;
}

/* The report facts every case shares: a read (a) against a write (b). */
#define READ_A                                                                                     \
	"report.kind=data-race", "report.accesses=2", "a.op=read", "a.write=false", "a.rmw=false", \
	    "a.marked=false", "a.assert=false"
#define WRITE_B "b.op=write", "b.write=true", "b.rmw=false", "b.marked=false", "b.assert=false"
#define READ_B "b.op=read", "b.write=false", "b.rmw=false", "b.marked=false", "b.assert=false"
#define WRITE_A                                                                                    \
	"report.kind=data-race", "report.accesses=2", "a.op=write", "a.write=true", "a.rmw=false", \
	    "a.marked=false", "a.assert=false"
#define RMW_A                                                                                      \
	"report.kind=data-race", "report.accesses=2", "a.op=read-write", "a.write=true",           \
	    "a.rmw=true", "a.marked=false", "a.assert=false"

static const struct fcase cases[] = {
    /* --- pointers and lifecycle --- */
    {"pointer cleared while the reader dereferences it",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_xmit", "b.func=foo_detach",
      "same.func=false", "value.old_ptr=true", "value.new_ptr=false", "value.to_zero=true",
      "a.expr.text=priv->ops", "a.expr.deref=true", "a.expr.marking=plain", "b.expr.text=priv->ops",
      "a.locks.known=true", "b.locks=[struct foo::lock (exclusive)]",
      "locks.relation=writer-locked-reader-lockless"},
     "racy-pointer-deref-cleared",
     "harmful",
     "high",
     NULL},
    {"pointer switched while the reader dereferences it",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_rx", "b.func=foo_reconfig",
      "same.func=false", "a.expr.text=dev->cfg", "a.expr.deref=true", "a.expr.marking=plain",
      "locks.relation=both-lockless"},
     "racy-pointer-deref",
     "harmful",
     "medium",
     NULL},
    {"an RCU reader dereferencing a switched pointer is not decided by the deref rule",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_rx", "b.func=foo_reconfig",
      "same.func=false", "a.expr.text=dev->cfg", "a.expr.deref=true", "a.expr.marking=plain",
      "a.locks=[rcu (rcu)]", "locks.relation=both-lockless"},
     NULL,
     NULL,
     NULL,
     "racy-pointer-deref"},
    {"an operation table switched under a lock while a reader calls through it",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_recvmsg", "b.func=foo_setsockopt",
      "same.func=false", "value.old_ptr=true", "value.new_ptr=true", "value.to_zero=false",
      "value.from_zero=false", "a.expr.text=sk->sk_prot", "a.expr.deref=true",
      "a.expr.marking=plain", "a.expr.type=struct proto *", "b.locks=[rtnl_mutex (exclusive)]",
      "locks.relation=writer-locked-reader-lockless"},
     "ops-pointer-switch",
     "benign",
     "medium",
     NULL},
    {"an operation table pointer cleared to NULL under the reader",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_recvmsg", "b.func=foo_detach",
      "same.func=false", "value.old_ptr=true", "value.new_ptr=false", "value.to_zero=true",
      "value.from_zero=false", "a.expr.text=dev->ops", "a.expr.deref=true", "a.expr.marking=plain",
      "a.expr.type=const struct foo_ops *", "b.locks=[struct foo::lock (exclusive)]",
      "locks.relation=writer-locked-reader-lockless"},
     "racy-pointer-deref-cleared",
     "harmful",
     "high",
     NULL},
    {"the racy value is freed",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_close", "b.func=foo_replace",
      "same.func=false", "a.expr.text=ctx->buf", "a.expr.passed_to=[kfree]",
      "locks.relation=both-lockless"},
     "racy-value-freed-or-unlinked",
     "harmful",
     "high",
     NULL},
    {"a reference count decremented with a plain --",
     {RMW_A, "b.op=read-write", "b.write=true", "b.rmw=true", "b.marked=false", "b.assert=false",
      "a.size=4", "b.size=4", "a.func=foo_put", "b.func=foo_get", "same.func=false",
      "a.expr.text=obj->refcnt", "a.expr.field=struct foo::refcnt", "a.expr.rmw=true",
      "a.expr.marking=plain", "locks.relation=both-lockless"},
     "refcount-plain-rmw-src",
     "harmful",
     "high",
     NULL},
    {"a plain store to a field whose name ends in _usage is not a reference count",
     {WRITE_A, "b.op=read", "b.write=false", "b.rmw=false", "b.marked=false", "b.assert=false",
      "a.size=4", "b.size=4", "a.func=pipe_resize_ring", "b.func=pipe_poll", "same.func=false",
      "a.expr.text=pipe->max_usage", "a.expr.field=struct pipe_inode_info::max_usage",
      "a.expr.rmw=false", "a.expr.marking=plain", "locks.relation=writer-locked-reader-lockless"},
     NULL,
     NULL,
     NULL,
     "refcount-plain-rmw-src"},

    /* --- lost updates --- */
    {"plain += against another writer, no common lock",
     {RMW_A, WRITE_B, "a.size=4", "b.size=4", "a.func=foo_alloc_id", "b.func=foo_reset",
      "same.func=false", "a.expr.text=tbl->next_id", "a.expr.field=struct foo_tbl::next_id",
      "a.expr.rmw=true", "a.expr.marking=plain", "a.locks=[struct foo_tbl::lock (exclusive)]",
      "locks.relation=one-side-locked"},
     "rmw-writers-no-common-lock",
     "harmful",
     "high",
     NULL},
    {"a statistics counter is left to the statistics rules",
     {RMW_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_rx", "b.func=foo_clear",
      "same.func=false", "a.expr.text=st->rx_packets", "a.expr.field=struct foo_stats::rx_packets",
      "a.expr.rmw=true", "a.expr.marking=plain", "locks.relation=both-lockless"},
     NULL,
     NULL,
     NULL,
     "rmw-writers-no-common-lock"},
    {"task-context += against an interrupt handler's write",
     {RMW_A, WRITE_B, "a.size=4", "b.size=4", "a.func=foo_submit", "b.func=foo_irq",
      "same.func=false", "a.expr.text=q->pending", "a.expr.field=struct foo_q::pending",
      "a.expr.rmw=true", "a.expr.marking=plain", "a.context=task", "b.context=irq",
      "a.locks.known=true", "locks.relation=irq-vs-task"},
     "rmw-task-vs-irq-writer",
     "harmful",
     "high",
     NULL},
    {"the task side with interrupts disabled does not lose the handler's update",
     {RMW_A, WRITE_B, "a.size=4", "b.size=4", "a.func=foo_submit", "b.func=foo_irq",
      "same.func=false", "a.expr.text=q->pending", "a.expr.field=struct foo_q::pending",
      "a.expr.rmw=true", "a.expr.marking=plain", "a.context=task", "b.context=irq",
      "a.locks.known=true", "a.locks=[irqs-disabled (irq)]", "locks.relation=irq-vs-task"},
     NULL,
     NULL,
     NULL,
     "rmw-task-vs-irq-writer"},

    {"task-context += with bottom halves disabled against a softirq writer",
     {RMW_A, WRITE_B, "a.size=4", "b.size=4", "a.func=foo_submit", "b.func=foo_rx_action",
      "same.func=false", "a.expr.text=q->pending", "a.expr.field=struct foo_q::pending",
      "a.expr.rmw=true", "a.expr.marking=plain", "a.context=task", "b.context=softirq",
      "a.locks.known=true", "a.locks=[bh-disabled (bh)]", "locks.relation=irq-vs-task"},
     NULL,
     NULL,
     NULL,
     "rmw-task-vs-softirq-writer"},
    {"task-context += with only bottom halves disabled against a hardirq writer",
     {RMW_A, WRITE_B, "a.size=4", "b.size=4", "a.func=foo_submit", "b.func=foo_irq",
      "same.func=false", "a.expr.text=q->pending", "a.expr.field=struct foo_q::pending",
      "a.expr.rmw=true", "a.expr.marking=plain", "a.context=task", "b.context=irq",
      "a.locks.known=true", "a.locks=[bh-disabled (bh)]", "locks.relation=irq-vs-task"},
     "rmw-task-vs-irq-writer",
     "harmful",
     "high",
     NULL},
    {"task-context += against a softirq writer, nothing disabled",
     {RMW_A, WRITE_B, "a.size=4", "b.size=4", "a.func=foo_submit", "b.func=foo_rx_action",
      "same.func=false", "a.expr.text=q->pending", "a.expr.field=struct foo_q::pending",
      "a.expr.rmw=true", "a.expr.marking=plain", "a.context=task", "b.context=softirq",
      "a.locks.known=true", "locks.relation=irq-vs-task"},
     "rmw-task-vs-softirq-writer",
     "harmful",
     "high",
     NULL},
    {"an RCU-deferred free of the old value is not a double free",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_lookup", "b.func=foo_replace",
      "same.func=false", "b.expr.text=p->cfg", "b.expr.passed_to=[kfree_rcu]",
      "locks.relation=writer-locked-reader-lockless"},
     NULL,
     NULL,
     NULL,
     "racy-value-freed-or-unlinked"},

    {"a timer's plain -- against a task's store of the same retransmit count",
     {RMW_A, WRITE_B, "a.size=1", "b.size=1", "a.func=foo_timer_expire", "b.func=foo_event",
      "same.func=false", "a.expr.text=in_dev->mr_ifc_count",
      "a.expr.field=struct foo_dev::mr_ifc_count", "a.expr.rmw=true", "a.expr.marking=plain",
      "a.context=softirq", "b.context=task", "locks.relation=irq-vs-task"},
     "rmw-writers-across-contexts",
     "harmful",
     "high",
     NULL},
    {"a member of a stats struct is a statistic",
     {RMW_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_rx", "b.func=foo_clear",
      "same.func=false", "a.expr.text=dev->stats.rx_missed",
      "a.expr.field=struct foo_dev::stats.rx_missed", "a.expr.rmw=true", "a.expr.marking=plain",
      "locks.relation=both-lockless"},
     NULL,
     NULL,
     NULL,
     "rmw-writers-no-common-lock"},
    {"contexts that share a lock do not lose updates",
     {RMW_A, WRITE_B, "a.size=4", "b.size=4", "a.func=foo_timer_expire", "b.func=foo_event",
      "same.func=false", "a.expr.text=q->count", "a.expr.field=struct foo_q::count",
      "a.expr.rmw=true", "a.expr.marking=plain", "a.context=softirq", "b.context=task",
      "locks.common=[struct foo_q::lock (exclusive)]", "locks.relation=irq-vs-task"},
     NULL,
     NULL,
     NULL,
     "rmw-writers-across-contexts"},

    /* --- bitfields --- */
    {"two writers of neighbouring bitfields without a common lock",
     {WRITE_A, WRITE_B, "a.size=1", "b.size=1", "a.func=foo_set_a", "b.func=foo_set_b",
      "same.func=false", "object=struct foo::a / b (same storage)",
      "locks.relation=disjoint-locks"},
     "bitfield-clobber-src",
     "harmful",
     "high",
     NULL},
    {"a neighbouring bitfield read against a locked writer",
     {READ_A, WRITE_B, "a.size=1", "b.size=1", "a.func=foo_check", "b.func=foo_set_a",
      "same.func=false", "object=struct foo::a / b (same storage)", "a.expr.field=struct foo::b",
      "b.expr.field=struct foo::a", "b.locks=[struct foo::lock (exclusive)]",
      "locks.relation=writer-locked-reader-lockless"},
     "bitfield-neighbour-read",
     "benign",
     "medium",
     NULL},

    /* --- linked structures --- */
    {"a list link followed by a lockless walker",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_find", "b.func=foo_remove",
      "same.func=false", "a.expr.text=pos->node_list.next",
      "a.expr.field=struct foo::node_list.next", "a.expr.deref=true", "a.expr.marking=plain",
      "a.locks=[rcu (rcu)]", "b.locks=[struct foo::lock (exclusive)]",
      "locks.relation=writer-locked-reader-lockless"},
     "linked-structure-src",
     "harmful",
     "high",
     NULL},

    /* --- control flow --- */
    {"unlocked check-then-install of a pointer",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_get_stats", "b.func=foo_get_stats",
      "same.func=true", "a.expr.text=sig->stats", "a.expr.branch=true",
      "a.expr.type=struct foo_stats *", "b.expr.text=sig->stats", "b.expr.type=struct foo_stats *",
      "locks.relation=both-lockless"},
     "check-then-install-pointer",
     "harmful",
     "medium",
     NULL},
    {"a state field tested without the writer's lock",
     {READ_A, WRITE_B, "a.size=4", "b.size=4", "a.func=foo_resolve", "b.func=foo_work",
      "same.func=false", "a.expr.text=id->state", "a.expr.field=struct foo_id::state",
      "a.expr.branch=true", "b.locks=[struct foo_id::lock (exclusive)]",
      "locks.relation=writer-locked-reader-lockless"},
     "state-test-lockless",
     "harmful",
     "low",
     NULL},
    {"a state field shown in /proc is not a state-machine test",
     {READ_A, WRITE_B, "a.size=4", "b.size=4", "a.func=foo_seq_show", "b.func=foo_work",
      "a.frames.func=[foo_seq_show|seq_read_iter]", "same.func=false", "a.expr.text=id->state",
      "a.expr.field=struct foo_id::state", "a.expr.branch=true",
      "b.locks=[struct foo_id::lock (exclusive)]", "locks.relation=writer-locked-reader-lockless"},
     NULL,
     NULL,
     NULL,
     "state-test-lockless"},

    /* --- benign: inode attributes --- */
    {"i_mode read by a permission check, written under i_rwsem",
     {READ_A, WRITE_B, "a.size=2", "b.size=2", "a.func=generic_permission", "b.func=setattr_copy",
      "same.func=false", "object=struct inode::i_mode", "a.expr.text=inode->i_mode",
      "a.expr.branch=true", "a.expr.deref=false", "a.expr.rmw=false",
      "b.locks=[struct inode::i_rwsem (exclusive)]",
      "locks.relation=writer-locked-reader-lockless"},
     "inode-attr-locked-writer",
     "benign",
     "high",
     NULL},
    {"an inode attribute written without i_rwsem is not vouched for by the lock",
     {READ_A, WRITE_B, "a.size=2", "b.size=2", "a.func=foo_check", "b.func=foo_fixup",
      "same.func=false", "object=struct inode::i_mode", "a.expr.text=inode->i_mode",
      "locks.relation=both-lockless"},
     NULL,
     NULL,
     NULL,
     "inode-attr-locked-writer"},
    {"i_size read by a size check, written under i_rwsem",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_get_folio", "b.func=foo_setattr",
      "same.func=false", "object=struct inode::i_size", "a.expr.text=inode->i_size",
      "b.locks=[struct inode::i_rwsem (exclusive)]",
      "locks.relation=writer-locked-reader-lockless"},
     "inode-size-locked-writer",
     "benign",
     "medium",
     NULL},
    {"two timestamp stores without the inode lock",
     {WRITE_A, WRITE_B, "a.size=16", "b.size=16", "a.func=touch_atime", "b.func=foo_update_time",
      "same.func=false", "object=struct inode::i_atime", "a.expr.text=inode->i_atime",
      "a.expr.rmw=false", "b.expr.rmw=false", "locks.relation=one-side-locked"},
     "inode-timestamp-race",
     "benign",
     "high",
     NULL},

    /* --- benign: diagnostics, hints, settings --- */
    {"a scalar printed by a seq_file show function",
     {READ_A, WRITE_B, "a.size=4", "b.size=4", "a.func=foo_seq_show", "b.func=foo_update",
      "a.frames.func=[foo_seq_show|seq_read_iter]", "same.func=false", "a.expr.text=st->depth",
      "a.expr.deref=false", "a.expr.rmw=false", "a.expr.branch=false", "a.expr.type=unsigned int",
      "locks.relation=writer-locked-reader-lockless"},
     "diag-read-scalar-src",
     "benign",
     "high",
     NULL},
    {"a pointer followed by a show function is not a diagnostic read",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_seq_show", "b.func=foo_update",
      "a.frames.func=[foo_seq_show|seq_read_iter]", "same.func=false", "a.expr.text=st->owner",
      "a.expr.deref=true", "a.expr.marking=plain", "a.expr.type=struct task_struct *",
      "locks.relation=writer-locked-reader-lockless"},
     "racy-pointer-deref",
     "harmful",
     NULL,
     NULL},
    {"a poll mask computed from a scalar",
     {READ_A, WRITE_B, "a.size=4", "b.size=4", "a.func=foo_poll", "b.func=foo_resize",
      "a.frames.func=[foo_poll|vfs_poll|do_sys_poll]", "same.func=false", "a.expr.text=q->max",
      "a.expr.deref=false", "a.expr.type=unsigned int", "b.locks=[struct foo_q::mutex (exclusive)]",
      "locks.relation=writer-locked-reader-lockless"},
     "poll-readiness-src",
     "benign",
     "high",
     NULL},
    {"a heuristic reading a value its writer updates under a lock",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_might_be_idle",
      "a.frames.func=[foo_might_be_idle|foo_sync]", "b.func=foo_gp_end", "same.func=false",
      "a.expr.text=sp->last_end", "a.expr.deref=false", "b.locks=[struct foo_sp::lock (exclusive)]",
      "locks.relation=writer-locked-reader-lockless"},
     "heuristic-read-locked-writer",
     "benign",
     "high",
     NULL},
/* --- a lockless test whose if only queues deferred work --- */
#define KICK_CASE                                                                                  \
	READ_A, WRITE_B, "a.size=4", "b.size=4", "same.func=false", "object.same=true",            \
	    "a.expr.type=int", "a.expr.branch=true", "a.expr.deref=false", "a.expr.rmw=false"
    {"a lockless threshold test whose if only queues deferred work",
     {KICK_CASE, "a.func=foo_alloc", "b.func=foo_free_area", "object=foo_nr_free",
      "a.expr.text=foo_nr_free", "a.expr.guards=[schedule_work]", "a.expr.guards_defer=true",
      "b.locks=[foo_lock (exclusive)]", "src.tree=matches", "a.src.located=line",
      "b.src.located=line"},
     "work-kick-test",
     "benign",
     "medium",
     NULL},
    {"the same placed by name and body in a drifted tree",
     {KICK_CASE, "a.func=foo_alloc", "b.func=foo_free_area", "object=foo_nr_free",
      "a.expr.text=foo_nr_free", "a.expr.guards=[schedule_work]", "a.expr.guards_defer=true",
      "src.tree=drifted", "a.src.located=relocated", "b.src.located=relocated"},
     "work-kick-test-drifted",
     "benign",
     "low",
     NULL},
    {"a lockless test before a wake-up is not a work kick (a stale test loses the wake-up)",
     {KICK_CASE, "a.func=foo_done", "b.func=foo_wait", "object=struct foo::waiters",
      "a.expr.text=f->waiters", "a.expr.guards=[__wake_up]", "a.expr.guards_defer=false",
      "src.tree=matches", "a.src.located=line", "b.src.located=line"},
     NULL,
     NULL,
     NULL,
     "work-kick-test"},
#undef KICK_CASE
    {"a pointer tested before queueing work is left to the pointer rules",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "same.func=false", "object.same=true",
      "a.expr.branch=true", "a.expr.deref=false", "a.expr.rmw=false", "a.func=foo_flush",
      "b.func=foo_attach", "object=struct foo::wq", "a.expr.text=f->wq",
      "a.expr.type=struct workqueue_struct *", "a.expr.guards=[queue_work]",
      "a.expr.guards_defer=true", "src.tree=matches", "a.src.located=line", "b.src.located=line"},
     NULL,
     NULL,
     NULL,
     "work-kick-test"},
    {"a setting written under the configuration lock, read on a fast path",
     {READ_A, WRITE_B, "a.size=4", "b.size=4", "a.func=foo_xmit", "b.func=foo_setsockopt",
      "b.frames.func=[foo_setsockopt|__sys_setsockopt]", "same.func=false", "a.expr.text=fo->mtu",
      "a.expr.type=unsigned int", "a.expr.deref=false",
      "b.locks=[struct sock::sk_lock (exclusive)]", "locks.relation=writer-locked-reader-lockless"},
     "setting-locked-writer-src",
     "benign",
     "medium",
     NULL},
    {"a flags bit tested with a mask against a locked writer",
     {READ_A, WRITE_B, "a.size=4", "b.size=4", "a.func=foo_complete", "b.func=foo_fail",
      "same.func=false", "a.expr.text=obj->flags & FOO_F_DONE", "a.expr.bittest=true",
      "a.expr.field=struct foo_req::flags", "b.expr.rmw=true",
      "b.locks=[struct foo_ctx::lock (exclusive)]", "locks.relation=writer-locked-reader-lockless"},
     "flag-test-locked-writer",
     "benign",
     "medium",
     NULL},
    {"RCU path walk against a dentry writer in its d_seq section",
     {READ_A, WRITE_B, "a.size=4", "b.size=4", "a.func=step_into", "b.func=foo_rename",
      "a.frames.func=[step_into|walk_component|link_path_walk|path_lookupat]", "same.func=false",
      "object=struct dentry::d_flags", "a.expr.text=dentry->d_flags",
      "b.locks=[struct dentry::d_lock (exclusive)]",
      "locks.relation=writer-locked-reader-lockless"},
     "path-walk-dentry-seqcount",
     "benign",
     "high",
     NULL},

    {"a per-cpu counter read by another CPU",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_sum", "b.func=foo_account",
      "same.func=false", "a.interrupt=false", "b.interrupt=false", "obj.kind=percpu",
      "obj.name=foo_pcpu", "object=foo_pcpu.events", "a.expr.text=p->events", "a.expr.deref=false"},
     "percpu-remote-read",
     "benign",
     "medium",
     NULL},
    {"a per-cpu pointer is not a remote statistic",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_drain", "b.func=foo_refill",
      "same.func=false", "a.interrupt=false", "b.interrupt=false", "obj.kind=percpu",
      "obj.name=foo_pcpu", "value.old_ptr=true", "value.new_ptr=false", "value.to_zero=true",
      "a.expr.text=s->cached", "a.expr.deref=true", "a.expr.marking=plain",
      "locks.relation=both-lockless"},
     "racy-pointer-deref-cleared",
     "harmful",
     "high",
     NULL},
    {"a field declared __data_racy",
     {READ_A, WRITE_B, "a.size=4", "b.size=4", "a.func=foo_peek", "b.func=foo_set",
      "same.func=false", "a.expr.text=f->hint", "a.expr.data_racy=true"},
     "declared-data-racy",
     "benign",
     "high",
     NULL},

    {"a mask test against a locked |= wins over the report-only lost-update doubt",
     {READ_A, "b.op=read-write", "b.write=true", "b.rmw=true", "b.marked=false", "b.assert=false",
      "a.size=4", "b.size=4", "a.func=foo_complete", "b.func=foo_fail", "same.func=false",
      "a.expr.text=obj->flags & FOO_F_DONE", "a.expr.bittest=true",
      "a.expr.field=struct foo_req::flags", "b.expr.rmw=true",
      "b.locks=[struct foo_ctx::lock (exclusive)]", "locks.relation=writer-locked-reader-lockless"},
     "flag-test-locked-writer",
     "benign",
     NULL,
     NULL},
    {"socket state read on a fast path is not a state-machine test",
     {READ_A, WRITE_B, "a.size=1", "b.size=1", "a.func=foo_sendmsg", "b.func=foo_set_state",
      "same.func=false", "a.expr.text=sk->sk_state",
      "a.expr.field=struct sock::__sk_common.skc_state", "a.expr.branch=true",
      "b.locks=[struct sock::sk_lock (exclusive)]", "locks.relation=writer-locked-reader-lockless"},
     NULL,
     NULL,
     NULL,
     "state-test-lockless"},
    {"a READ_ONCE() pointer load is not decided by the deref rule",
     {"report.kind=data-race", "report.accesses=2", "a.op=read", "a.write=false", "a.rmw=false",
      "a.marked=true", "a.assert=false", WRITE_B, "a.size=8", "b.size=8", "a.func=foo_rx",
      "b.func=foo_reconfig", "same.func=false", "a.expr.text=dev->cfg", "a.expr.deref=true",
      "a.expr.marking=plain", "locks.relation=both-lockless"},
     NULL,
     NULL,
     NULL,
     "racy-pointer-deref"},

    {"RCU path walk following d_inode while it is cleared stays benign",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=step_into", "b.func=dentry_unlink_inode",
      "a.frames.func=[step_into|walk_component|link_path_walk|path_lookupat]",
      "b.frames.func=[dentry_unlink_inode|__dentry_kill|dput]", "same.func=false",
      "value.old_ptr=true", "value.new_ptr=false", "value.to_zero=true",
      "object=struct dentry::d_inode", "a.expr.text=dentry->d_inode", "a.expr.deref=true",
      "a.expr.marking=plain",
      "b.locks=[struct dentry::d_lock (exclusive)|struct dentry::d_seq (seqcount)]",
      "locks.relation=writer-locked-reader-lockless"},
     "path-walk-dentry-seqcount",
     "benign",
     NULL,
     NULL},

    {"a plain load that seeds a cmpxchg loop",
     {READ_A, WRITE_B, "a.size=4", "b.size=4", "a.func=foo_dec_if_positive", "b.func=foo_reset",
      "same.func=false", "a.expr.text=v->count", "a.expr.passed_to=[atomic_try_cmpxchg]",
      "a.expr.deref=false", "locks.relation=both-lockless"},
     "cmpxchg-expected-value",
     "benign",
     NULL,
     NULL},
    {"a lockless stack pop that dereferences the head before the cmpxchg is not a harmless reload",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_pop", "b.func=foo_pop", "same.func=true",
      "a.expr.text=stack->head", "a.expr.passed_to=[cmpxchg]", "a.expr.deref=true",
      "a.expr.marking=plain", "locks.relation=both-lockless"},
     "racy-pointer-deref",
     "harmful",
     NULL,
     NULL},

    {"a setting updated with a locked |= against a fast-path read",
     {READ_A, "b.op=read-write", "b.write=true", "b.rmw=true", "b.marked=false", "b.assert=false",
      "a.size=4", "b.size=4", "a.func=foo_xmit", "b.func=foo_setsockopt",
      "b.frames.func=[foo_setsockopt|__sys_setsockopt]", "same.func=false", "a.expr.text=fo->opts",
      "a.expr.type=unsigned int", "a.expr.deref=false", "b.expr.rmw=true",
      "b.locks=[struct sock::sk_lock (exclusive)]", "locks.relation=writer-locked-reader-lockless"},
     "setting-locked-writer-src",
     "benign",
     NULL,
     NULL},

    /* --- drift --- */
    {"facts from a tree that differs from the report's kernel decide nothing",
     {READ_A, WRITE_B, "a.size=2", "b.size=2", "a.func=generic_permission", "b.func=setattr_copy",
      "same.func=false", "object=struct inode::i_mode", "a.expr.text=inode->i_mode",
      "b.locks=[struct inode::i_rwsem (exclusive)]", "locks.relation=writer-locked-reader-lockless",
      "a.src.located=not-found", "b.src.located=line", "src.tree=too-far"},
     NULL,
     NULL,
     NULL,
     "inode-attr-locked-writer"},
    {"an access read as tokens only decides nothing",
     {READ_A, WRITE_B, "a.size=2", "b.size=2", "a.func=generic_permission", "b.func=setattr_copy",
      "same.func=false", "object=struct inode::i_mode", "a.expr.text=inode->i_mode",
      "b.locks=[struct inode::i_rwsem (exclusive)]", "locks.relation=writer-locked-reader-lockless",
      "a.src.located=tokens", "b.src.located=line", "src.tree=drifted"},
     NULL,
     NULL,
     NULL,
     "inode-attr-locked-writer"},
    {"an access relocated by a guess (no object both sides agree on) decides nothing",
     {READ_A, WRITE_B, "a.size=2", "b.size=2", "a.func=generic_permission", "b.func=setattr_copy",
      "same.func=false", "object=struct inode::i_mode", "a.expr.text=inode->i_mode",
      "b.locks=[struct inode::i_rwsem (exclusive)]", "locks.relation=writer-locked-reader-lockless",
      "a.src.located=relocated", "a.src.shift=-40", "b.src.located=line", "src.tree=too-far"},
     NULL,
     NULL,
     NULL,
     "inode-attr-locked-writer"},
    {"an access relocated by name and body whose object both sides touch is used",
     {READ_A, WRITE_B, "a.size=2", "b.size=2", "a.func=generic_permission", "b.func=setattr_copy",
      "same.func=false", "object=struct inode::i_mode", "object.same=true",
      "a.expr.text=inode->i_mode", "b.locks=[struct inode::i_rwsem (exclusive)]",
      "locks.relation=writer-locked-reader-lockless", "a.src.located=relocated", "a.src.shift=-40",
      "b.src.located=line", "src.tree=drifted"},
     "inode-attr-locked-writer",
     "benign",
     NULL,
     NULL},
    {"a tree too far from the report's kernel is said so when nothing else matched",
     {READ_A, WRITE_B, "a.size=4", "b.size=4", "a.func=foo_a", "b.func=foo_b", "same.func=false",
      "env.kernel=5.4.0-rc1", "b.src.located=not-found", "src.tree=too-far"},
     "source-too-far",
     "unknown",
     "low",
     NULL},

    /* --- annotated since the report's kernel --- */
    {"both accesses marked in a newer tree: annotated since",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_recvmsg", "b.func=foo_recvmsg",
      "same.func=true", "object=struct foo_sock::max_len", "object.same=true",
      "a.expr.text=fs->max_len", "a.expr.type=size_t", "a.expr.marking=READ_ONCE",
      "b.expr.marking=WRITE_ONCE", "a.src.located=relocated", "b.src.located=relocated",
      "src.tree=drifted"},
     "annotated-in-tree",
     "benign",
     "medium",
     NULL},
    {"a lockless read marked in a newer tree against a plain store",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_poll", "b.func=foo_set",
      "same.func=false", "object=struct foo::limit", "object.same=true", "a.expr.text=f->limit",
      "a.expr.type=unsigned long", "a.expr.marking=READ_ONCE", "b.expr.marking=plain",
      "b.expr.rmw=false", "a.src.located=relocated", "b.src.located=line", "src.tree=drifted"},
     "annotated-read-in-tree",
     "benign",
     "medium",
     NULL},
    {"marked in a tree that matches the report decides nothing by itself",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_recvmsg", "b.func=foo_recvmsg",
      "same.func=true", "object=struct foo_sock::max_len", "object.same=true",
      "a.expr.marking=READ_ONCE", "b.expr.marking=WRITE_ONCE", "a.src.located=line",
      "b.src.located=line", "src.tree=matches"},
     NULL,
     NULL,
     NULL,
     "annotated-in-tree"},
    {"a counter made atomic since is a fix of lost updates, not an annotation",
     {READ_A, WRITE_B, "a.size=4", "b.size=4", "a.func=foo_show", "b.func=foo_get",
      "same.func=false", "object=struct foo::users", "object.same=true", "a.expr.marking=atomic",
      "b.expr.marking=atomic", "b.expr.rmw=true", "src.tree=drifted"},
     NULL,
     NULL,
     NULL,
     "annotated-in-tree"},
    {"a pointer read once since is how a check-then-use is fixed: not decided as annotated",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_flush", "b.func=foo_drain",
      "same.func=false", "object=struct foo_stock::cached", "object.same=true",
      "a.expr.type=struct foo_cg *", "a.expr.marking=READ_ONCE", "b.expr.marking=WRITE_ONCE",
      "src.tree=drifted"},
     NULL,
     NULL,
     NULL,
     "annotated-in-tree"},
    {"a read-modify-write marked with READ_ONCE/WRITE_ONCE pairs is not an annotation",
     {READ_A, "b.op=read-write", "b.write=true", "b.rmw=true", "b.marked=false", "b.assert=false",
      "a.size=4", "b.size=4", "a.func=foo_gen", "b.func=foo_gen", "same.func=true",
      "object=struct foo::gen", "object.same=true", "a.expr.marking=READ_ONCE",
      "b.expr.marking=WRITE_ONCE", "b.expr.rmw=true", "src.tree=drifted"},
     NULL,
     NULL,
     NULL,
     "annotated-read-in-tree"},

    {"a pointer tested, then loaded again and passed on (check-then-use)",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_cancel", "b.func=foo_stop",
      "same.func=false", "a.expr.text=tctx->wq", "a.expr.type=struct foo_wq *",
      "a.expr.compare_only=true", "a.expr.reload_use=true", "a.expr.deref=false",
      "a.expr.marking=plain", "b.expr.text=tctx->wq", "locks.relation=both-lockless"},
     "check-then-use-pointer",
     "harmful",
     "medium",
     NULL},
    {"a check-then-use of a pointer the writer clears is not only compared",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_cancel", "b.func=foo_park",
      "same.func=false", "value.old_ptr=true", "value.new_ptr=false", "value.to_zero=true",
      "a.expr.text=tctx->wq", "a.expr.type=struct foo_wq *", "a.expr.compare_only=true",
      "a.expr.reload_use=true", "a.expr.marking=plain", "locks.relation=both-lockless"},
     "check-then-use-pointer",
     "harmful",
     NULL,
     NULL},
    {"an operation table loaded twice is left to the ops rules",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_recvmsg", "b.func=foo_setsockopt",
      "same.func=false", "a.expr.text=sk->sk_prot", "a.expr.type=struct proto *",
      "a.expr.reload_use=true", "a.expr.marking=plain", "locks.relation=both-lockless"},
     NULL,
     NULL,
     NULL,
     "check-then-use-pointer"},
    {"the use of a pointer tested by an earlier load of the function (check-then-use, the second "
     "load)",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_try_cancel", "b.func=foo_clean",
      "same.func=false", "a.expr.text=tctx->wq", "a.expr.type=struct foo_wq *",
      "a.expr.compare_only=false", "a.expr.reload_use=false", "a.expr.use_after_check=true",
      "a.expr.deref=false", "a.expr.marking=plain", "b.expr.text=tctx->wq",
      "a.locks=[struct foo_ctx::lock (exclusive)]", "locks.relation=reader-locked-writer-lockless"},
     "use-after-check-pointer",
     "harmful",
     "medium",
     NULL},
    {"a use after a check, of an operation table, is left to the ops rules",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_recvmsg", "b.func=foo_setsockopt",
      "same.func=false", "a.expr.text=sk->sk_prot", "a.expr.type=struct proto *",
      "a.expr.use_after_check=true", "a.expr.marking=plain", "locks.relation=both-lockless"},
     NULL,
     NULL,
     NULL,
     "use-after-check-pointer"},
    {"a use after a check under a lock both sides hold is not decided by use-after-check",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_try_cancel", "b.func=foo_clean",
      "same.func=false", "a.expr.text=tctx->wq", "a.expr.type=struct foo_wq *",
      "a.expr.use_after_check=true", "a.expr.marking=plain",
      "locks.common=[struct foo::lock (exclusive)]", "locks.relation=common-lock"},
     NULL,
     NULL,
     NULL,
     "use-after-check-pointer"},
    {"a use after a check of a plain integer is not a pointer hazard",
     {READ_A, WRITE_B, "a.size=4", "b.size=4", "a.func=foo_try_cancel", "b.func=foo_clean",
      "same.func=false", "a.expr.text=tctx->nr", "a.expr.type=unsigned int",
      "a.expr.use_after_check=true", "a.expr.marking=plain", "locks.relation=both-lockless"},
     NULL,
     NULL,
     NULL,
     "use-after-check-pointer"},
    {"a use after a check on a tree too far from the report's kernel decides nothing",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_try_cancel", "b.func=foo_clean",
      "same.func=false", "a.expr.text=tctx->wq", "a.expr.type=struct foo_wq *",
      "a.expr.use_after_check=true", "a.expr.marking=plain", "locks.relation=both-lockless",
      "src.tree=too-far"},
     NULL,
     NULL,
     NULL,
     "use-after-check-pointer"},
    {"a reload of a pointer under a lock both sides hold is not decided by check-then-use",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_cancel", "b.func=foo_stop",
      "same.func=false", "a.expr.text=tctx->wq", "a.expr.type=struct foo_wq *",
      "a.expr.reload_use=true", "a.expr.marking=plain",
      "locks.common=[struct foo::lock (exclusive)]", "locks.relation=common-lock"},
     NULL,
     NULL,
     NULL,
     "check-then-use-pointer"},
    {"a pointer only compared with current while the writer clears it",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_sq_check", "b.func=foo_sq_park",
      "same.func=false", "value.old_ptr=true", "value.new_ptr=false", "value.to_zero=true",
      "a.expr.text=sqd->thread", "a.expr.type=struct task_struct *", "a.expr.compare_only=true",
      "a.expr.reload_use=false", "a.expr.deref=false", "a.expr.marking=plain",
      "locks.relation=both-lockless"},
     "pointer-compare-only",
     "benign",
     "medium",
     NULL},
    {"a pointer only compared, while the other side hands the value to a free helper",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_owner_check", "b.func=foo_put",
      "same.func=false", "a.expr.text=p->owner", "a.expr.type=struct foo *",
      "a.expr.compare_only=true", "a.expr.reload_use=false", "b.expr.passed_to=[kfree_rcu]",
      "locks.relation=both-lockless"},
     NULL,
     NULL,
     NULL,
     "pointer-compare-only"},
    {"a pointer compared and then loaded again to be followed is not only compared",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_cancel", "b.func=foo_stop",
      "same.func=false", "a.expr.text=tctx->wq", "a.expr.type=struct foo_wq *",
      "a.expr.compare_only=true", "a.expr.reload_use=true", "locks.relation=both-lockless"},
     NULL,
     NULL,
     NULL,
     "pointer-compare-only"},
    {"a compared pointer cleared on a teardown path stays harmful",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_poll_owner", "b.func=foo_release",
      "b.frames.func=[foo_release|__fput]", "same.func=false", "value.old_ptr=true",
      "value.new_ptr=false", "value.to_zero=true", "a.expr.text=q->owner",
      "a.expr.type=struct foo *", "a.expr.compare_only=true", "a.expr.reload_use=false",
      "locks.relation=both-lockless"},
     "pointer-cleared-teardown",
     "harmful",
     "low",
     NULL},

    /* --- what the newer tree shows was fixed --- */
    {"a pointer published with release/acquire since: the ordering was the fix",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_stats_get", "b.func=foo_stats_get",
      "same.func=true", "object=struct foo_sig::stats", "object.same=true",
      "a.expr.type=struct foo_stats *", "a.expr.marking=acquire", "b.expr.marking=release",
      "a.src.located=relocated", "b.src.located=relocated", "src.tree=drifted"},
     "publication-ordered-since",
     "harmful",
     "medium",
     NULL},
    {"an acquire on a scalar since may be a redesign: not the publication rule",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_tick", "b.func=foo_tick",
      "same.func=true", "object=foo_next_period", "object.same=true", "a.expr.type=ktime_t",
      "a.expr.marking=acquire", "b.expr.marking=release", "src.tree=drifted"},
     NULL,
     NULL,
     NULL,
     "publication-ordered-since"},
    {"release/acquire in a tree that matches the report decides nothing by itself",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_get", "b.func=foo_set",
      "same.func=false", "object=struct foo::p", "object.same=true", "a.expr.type=struct bar *",
      "a.expr.marking=acquire", "src.tree=matches"},
     NULL,
     NULL,
     NULL,
     "publication-ordered-since"},
    {"a pointer store that became rcu_assign_pointer since",
     {WRITE_A, "b.op=read", "b.write=false", "b.rmw=false", "b.marked=false", "b.assert=false",
      "a.size=8", "b.size=8", "a.func=foo_attach", "b.func=foo_rx", "same.func=false",
      "object=struct foo::cfg", "object.same=true", "a.expr.type=struct foo_cfg *",
      "a.expr.marking=rcu", "b.expr.marking=rcu", "src.tree=drifted"},
     "publication-rcu-assigned-since",
     "harmful",
     "medium",
     NULL},
    {"both sides under a lock in a newer tree: the lock was added since",
     {READ_A, WRITE_B, "a.size=4", "b.size=4", "a.func=foo_connect", "b.func=foo_bind",
      "same.func=false", "object=struct foo_sock::saddr", "object.same=true",
      "a.locks=[struct sock::sk_lock (exclusive)]", "b.locks=[struct sock::sk_lock (exclusive)]",
      "locks.common=[struct sock::sk_lock]", "locks.relation=common-lock", "a.src.located=line",
      "b.src.located=relocated", "src.tree=drifted"},
     "serialized-since",
     "harmful",
     "medium",
     NULL},
    {"a common lock in a tree that matches the report is a walk error, not a fix",
     {READ_A, WRITE_B, "a.size=4", "b.size=4", "a.func=foo_connect", "b.func=foo_bind",
      "same.func=false", "object=struct foo_sock::saddr", "object.same=true",
      "locks.common=[struct sock::sk_lock]", "locks.relation=common-lock", "a.src.located=line",
      "b.src.located=line", "src.tree=matches"},
     NULL,
     NULL,
     NULL,
     "serialized-since"},

    /* --- double-checked locking --- */
    {"a lockless fast-path test whose slow path rechecks under the writer's lock",
     {READ_A, WRITE_B, "a.size=1", "b.size=1", "a.func=foo_revalidate", "b.func=foo_init_once",
      "same.func=false", "object=struct foo_sec::initialized", "object.same=true",
      "a.expr.text=sec->initialized", "a.expr.type=unsigned char", "a.expr.branch=true",
      "a.calls_other=true", "b.expr.recheck=true", "b.expr.recheck_lock=struct foo_sec::lock",
      "b.locks=[struct foo_sec::lock (exclusive)]", "locks.relation=writer-locked-reader-lockless",
      "src.tree=matches"},
     "recheck-under-lock",
     "benign",
     "low",
     NULL},
    {"a lockless state test that does not lead to the writer is not double-checked locking",
     {READ_A, WRITE_B, "a.size=1", "b.size=1", "a.func=foo_show", "b.func=foo_register",
      "same.func=false", "object=struct foo_dev::reg_state", "object.same=true",
      "a.expr.text=dev->reg_state", "a.expr.type=u8", "a.expr.branch=true", "a.calls_other=false",
      "b.expr.recheck=true", "b.locks=[rtnl_mutex (exclusive)]",
      "locks.relation=writer-locked-reader-lockless", "src.tree=matches"},
     NULL,
     NULL,
     NULL,
     "recheck-under-lock"},
    {"a writer that stores without testing again under its lock is not double-checked locking",
     {READ_A, WRITE_B, "a.size=1", "b.size=1", "a.func=foo_fast", "b.func=foo_fast",
      "same.func=true", "object=struct foo::ready", "object.same=true", "a.expr.text=f->ready",
      "a.expr.type=int", "a.expr.branch=true", "b.expr.recheck=false",
      "b.locks=[struct foo::lock (exclusive)]", "locks.relation=writer-locked-reader-lockless",
      "src.tree=matches"},
     NULL,
     NULL,
     NULL,
     "recheck-under-lock"},

/* --- a flags reader whose mask the write did not change --- */
#define MASK_CASE                                                                                  \
	WRITE_A, READ_B, "b.size=8", "a.size=8", "b.func=foo_put", "a.func=foo_fail",              \
	    "same.func=false", "same.addr=true", "value.changed=true", "value.old=0x802c2058",     \
	    "value.new=0x806c2118", "value.diff=0x400140", "value.bits=3", "value.old_ptr=false",  \
	    "value.new_ptr=false", "b.expr.text=obj->flags", "b.expr.bittest=true",                \
	    "b.expr.branch=true", "b.expr.rmw=false", "b.expr.deref=false", "b.expr.size=4"
    {"a reader testing a bit the write did not change, in the report's tree",
     {MASK_CASE, "b.expr.mask=0x80000", "b.src.located=line", "a.src.located=line",
      "src.tree=matches"},
     "flag-mask-untouched",
     "benign",
     "medium",
     NULL},
    {"a reader printed first: the value change was the writer's watchpoint's, maybe a third CPU's",
     {READ_A,
      WRITE_B,
      "a.size=8",
      "b.size=8",
      "a.func=foo_put",
      "b.func=foo_fail",
      "same.func=false",
      "same.addr=true",
      "value.changed=true",
      "value.diff=0x400140",
      "value.bits=3",
      "value.old_ptr=false",
      "value.new_ptr=false",
      "a.expr.text=obj->flags",
      "a.expr.bittest=true",
      "a.expr.branch=true",
      "a.expr.rmw=false",
      "a.expr.deref=false",
      "a.expr.size=4",
      "a.expr.mask=0x80000",
      "a.src.located=line",
      "b.src.located=line",
      "src.tree=matches"},
     NULL,
     NULL,
     NULL,
     "flag-mask-untouched"},
    {"the same with the writer not placed in another version's tree",
     {MASK_CASE, "b.expr.mask=0x80000", "b.src.located=line", "a.src.located=not-found",
      "src.tree=too-far"},
     "flag-mask-untouched-other-tree",
     "benign",
     "low",
     NULL},
    {"the same with the reader relocated in a drifted tree",
     {MASK_CASE, "b.expr.mask=0x80000", "b.src.located=relocated", "src.tree=drifted"},
     "flag-mask-untouched-other-tree",
     "benign",
     "low",
     NULL},
    {"a reader testing a bit the write changed is not decided by its mask",
     {MASK_CASE, "b.expr.mask=0x100", "b.src.located=line", "src.tree=matches"},
     NULL,
     NULL,
     NULL,
     "flag-mask-untouched"},
    {"a reader testing a bit the write changed, other tree",
     {MASK_CASE, "b.expr.mask=0x400000", "b.src.located=line", "src.tree=too-far"},
     NULL,
     NULL,
     NULL,
     "flag-mask-untouched-other-tree"},
    {"a reader read as tokens has no placement to trust",
     {MASK_CASE, "b.expr.mask=0x80000", "b.src.located=tokens", "src.tree=drifted"},
     NULL,
     NULL,
     NULL,
     "flag-mask-untouched-other-tree"},
    {"a reader not found in the tree",
     {MASK_CASE, "b.expr.mask=0x80000", "b.src.located=not-found", "src.tree=too-far"},
     NULL,
     NULL,
     NULL,
     "flag-mask-untouched-other-tree"},
    {"a mask bit outside the reported access is not covered by the printed value",
     {READ_B,
      WRITE_A,
      "b.size=2",
      "a.size=2",
      "b.func=foo_put",
      "a.func=foo_fail",
      "same.func=false",
      "same.addr=true",
      "value.changed=true",
      "value.diff=0x0140",
      "value.bits=2",
      "value.old_ptr=false",
      "value.new_ptr=false",
      "b.expr.text=obj->flags",
      "b.expr.bittest=true",
      "b.expr.rmw=false",
      "b.expr.deref=false",
      "b.expr.mask=0x80000",
      "b.src.located=line",
      "src.tree=matches"},
     NULL,
     NULL,
     NULL,
     "flag-mask-untouched"},
    {"no value change printed: nothing says which bits changed",
     {WRITE_A, READ_B, "b.size=8", "a.size=8", "b.func=foo_put", "a.func=foo_fail",
      "same.func=false", "same.addr=true", "value.changed=false", "b.expr.text=obj->flags",
      "b.expr.bittest=true", "b.expr.rmw=false", "b.expr.deref=false", "b.expr.mask=0x80000",
      "b.src.located=line", "src.tree=matches"},
     NULL,
     NULL,
     NULL,
     "flag-mask-untouched"},
    {"accesses at different addresses: the value's bits do not line up with the mask",
     {READ_B,
      WRITE_A,
      "b.size=8",
      "a.size=8",
      "b.func=foo_put",
      "a.func=foo_fail",
      "same.func=false",
      "same.addr=false",
      "overlap=4",
      "value.changed=true",
      "value.diff=0x400140",
      "value.bits=3",
      "value.old_ptr=false",
      "value.new_ptr=false",
      "b.expr.text=obj->flags",
      "b.expr.bittest=true",
      "b.expr.rmw=false",
      "b.expr.deref=false",
      "b.expr.mask=0x80000",
      "b.src.located=line",
      "src.tree=matches"},
     NULL,
     NULL,
     NULL,
     "flag-mask-untouched"},
    {"a writer placed in the tree on code that only reads: the tree is not the report's code",
     {MASK_CASE, "b.expr.mask=0x80000", "b.src.located=line", "a.src.located=line",
      "a.expr.write=false", "a.expr.bittest=true", "src.tree=drifted"},
     NULL,
     NULL,
     NULL,
     "flag-mask-untouched-other-tree"},
    {"a writer placed on a store in the tree keeps the rule",
     {MASK_CASE, "b.expr.mask=0x80000", "b.src.located=line", "a.src.located=line",
      "a.expr.write=true", "a.expr.rmw=true", "src.tree=matches"},
     "flag-mask-untouched",
     "benign",
     "medium",
     NULL},
    {"two readers: no write changed the word",
     {READ_B,
      "a.op=read",
      "a.write=false",
      "a.rmw=false",
      "a.marked=false",
      "a.assert=false",
      "b.size=8",
      "a.size=8",
      "b.func=foo_put",
      "a.func=foo_peek",
      "same.func=false",
      "same.addr=true",
      "value.changed=true",
      "value.diff=0x400140",
      "value.bits=3",
      "value.old_ptr=false",
      "value.new_ptr=false",
      "b.expr.text=obj->flags",
      "b.expr.bittest=true",
      "b.expr.rmw=false",
      "b.expr.deref=false",
      "b.expr.mask=0x80000",
      "b.src.located=line",
      "a.expr.bittest=true",
      "a.expr.mask=0x80000",
      "a.src.located=line",
      "src.tree=matches"},
     NULL,
     NULL,
     NULL,
     "flag-mask-untouched"},
    {"the writer's plain read-modify-write is left to rmw-one-side",
     {READ_B,
      "a.op=read-write",
      "a.write=true",
      "a.rmw=true",
      "a.marked=false",
      "a.assert=false",
      "b.size=8",
      "a.size=8",
      "b.func=foo_put",
      "a.func=foo_fail",
      "same.func=false",
      "same.addr=true",
      "value.changed=true",
      "value.diff=0x400140",
      "value.bits=3",
      "value.old_ptr=false",
      "value.new_ptr=false",
      "b.expr.text=obj->flags",
      "b.expr.bittest=true",
      "b.expr.rmw=false",
      "b.expr.deref=false",
      "b.expr.mask=0x80000",
      "b.src.located=line",
      "src.tree=matches"},
     "rmw-one-side",
     "harmful",
     "low",
     NULL},
#undef MASK_CASE

/* --- timestamps of the last activity --- */
#define STAMP_R                                                                                    \
	READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_recent_wait", "b.func=foo_mark_wait", \
	    "same.func=false", "object=struct foo_wb::last_wait", "a.expr.text=wb->last_wait",     \
	    "a.expr.type=unsigned long", "a.expr.compare_only=true", "a.expr.deref=false",         \
	    "a.expr.marking=plain", "b.expr.text=*var", "b.expr.type=unsigned long",               \
	    "locks.relation=both-lockless", "a.src.located=line"
    {"a reader compares a field its writer sets to the current time",
     {STAMP_R, "b.expr.stored=jiffies", "b.expr.stored_clock=true", "object.same=true",
      "b.src.located=line", "src.tree=matches"},
     "timestamp-clock-store",
     "benign",
     "medium",
     NULL},
    {"a timestamp in a tree placed by name and body is less certain",
     {STAMP_R, "b.expr.stored=jiffies", "b.expr.stored_clock=true", "object.same=true",
      "b.src.located=relocated", "src.tree=drifted"},
     "timestamp-clock-store-drifted",
     "benign",
     "low",
     NULL},
    {"two writers both store the current time",
     {WRITE_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_touch", "b.func=foo_touch",
      "same.func=true", "object=struct foo_conn::last_used", "object.same=true",
      "a.expr.text=c->last_used", "b.expr.text=c->last_used", "a.expr.stored=jiffies",
      "b.expr.stored=jiffies", "a.expr.stored_clock=true", "b.expr.stored_clock=true",
      "a.expr.type=unsigned long", "b.expr.type=unsigned long", "src.tree=matches"},
     "timestamp-clock-store",
     "benign",
     "medium",
     NULL},
    {"a stored value that is not a clock is not a timestamp",
     {STAMP_R, "b.expr.stored=limit", "b.expr.stored_clock=false", "object.same=true",
      "b.src.located=line", "src.tree=matches"},
     NULL,
     NULL,
     NULL,
     "timestamp-clock-store"},
    {"a writer that does not store the time against another writer",
     {WRITE_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_reset", "b.func=foo_touch",
      "same.func=false", "object=struct foo_conn::last_used", "object.same=true",
      "a.expr.text=c->last_used", "b.expr.text=c->last_used", "a.expr.stored=0",
      "b.expr.stored=jiffies", "a.expr.stored_clock=false", "b.expr.stored_clock=true",
      "a.expr.type=unsigned long", "src.tree=matches"},
     NULL,
     NULL,
     NULL,
     "timestamp-clock-store"},
    {"a reader that follows the value is not computing an age",
     {STAMP_R, "b.expr.stored=jiffies", "b.expr.stored_clock=true", "object.same=true",
      "b.src.located=line", "src.tree=matches", "a.expr.deref=true"},
     "racy-pointer-deref",
     "harmful",
     "medium",
     "timestamp-clock-store"},
    {"a reader that frees the value is not computing an age",
     {STAMP_R, "b.expr.stored=jiffies", "b.expr.stored_clock=true", "object.same=true",
      "b.src.located=line", "src.tree=matches", "a.expr.passed_to=[kfree]"},
     "racy-value-freed-or-unlinked",
     "harmful",
     "high",
     "timestamp-clock-store"},
    {"a timestamp in a tree too far from the report decides nothing",
     {STAMP_R, "b.expr.stored=jiffies", "b.expr.stored_clock=true", "object.same=true",
      "b.src.located=relocated", "src.tree=too-far"},
     "source-too-far",
     "unknown",
     NULL,
     NULL},
    {"a side not placed in the tree decides nothing, even drifted",
     {STAMP_R, "b.expr.stored=jiffies", "b.expr.stored_clock=true", "object.same=true",
      "b.src.located=not-found", "src.tree=drifted"},
     NULL,
     NULL,
     NULL,
     "timestamp-clock-store-drifted"},
    {"a read-modify-write writer is not a timestamp store",
     {READ_A, "b.op=read-write", "b.write=true", "b.rmw=true", "b.marked=false", "b.assert=false",
      "a.size=8", "b.size=8", "a.func=foo_recent_wait", "b.func=foo_mark_wait", "same.func=false",
      "object=struct foo_wb::last_wait", "a.expr.compare_only=true", "a.expr.type=unsigned long",
      "b.expr.stored=jiffies", "b.expr.stored_clock=true", "object.same=true", "src.tree=matches"},
     "rmw-one-side",
     "harmful",
     "low",
     "timestamp-clock-store"},
    {"a store the source reads as a read-modify-write is not a timestamp store",
     {STAMP_R, "b.expr.stored=jiffies", "b.expr.stored_clock=true", "b.expr.rmw=true",
      "object.same=true", "b.src.located=line", "src.tree=matches"},
     NULL,
     NULL,
     NULL,
     "timestamp-clock-store"},
    {"values that look like kernel addresses are not times",
     {STAMP_R, "b.expr.stored=jiffies", "b.expr.stored_clock=true", "object.same=true",
      "b.src.located=line", "src.tree=matches", "value.old_ptr=true", "value.new_ptr=true"},
     NULL,
     NULL,
     NULL,
     "timestamp-clock-store"},
    {"a pointer is not a timestamp",
     {STAMP_R, "b.expr.stored=jiffies", "b.expr.stored_clock=true", "object.same=true",
      "b.src.located=line", "src.tree=matches", "b.expr.type=unsigned long *"},
     NULL,
     NULL,
     NULL,
     "timestamp-clock-store"},
    {"a 16-byte time may tear: left to the torn-object rules",
     {READ_A, WRITE_B, "a.size=16", "b.size=16", "a.func=foo_recent_wait", "b.func=foo_mark_wait",
      "same.func=false", "object=struct foo_wb::last_ts", "a.expr.type=struct timespec64",
      "b.expr.stored=ktime_get_real_ts()", "b.expr.stored_clock=true", "object.same=true",
      "src.tree=matches"},
     NULL,
     NULL,
     NULL,
     "timestamp-clock-store"},
    {"two expressions on different memory are not one timestamp",
     {STAMP_R, "b.expr.stored=jiffies", "b.expr.stored_clock=true", "object.same=false",
      "b.src.located=line", "src.tree=matches"},
     NULL,
     NULL,
     NULL,
     "timestamp-clock-store"},
    {"a heuristic reader against a locked timestamp writer keeps the rule that says more",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_might_sleep", "b.func=foo_gp_end",
      "a.frames.func=[foo_might_sleep|foo_poll]", "same.func=false",
      "object=struct foo_sp::last_gp_end", "object.same=true", "a.expr.text=sp->last_gp_end",
      "a.expr.type=u64", "b.expr.stored=ktime_get_mono_fast_ns()", "b.expr.stored_clock=true",
      "b.locks=[struct foo_sp::lock (exclusive)]", "locks.relation=writer-locked-reader-lockless",
      "src.tree=matches"},
     "heuristic-read-locked-writer",
     "benign",
     "high",
     NULL},
#undef STAMP_R

    {"expressions naming memory that does not overlap decide nothing",
     {READ_A, WRITE_B, "a.size=8", "b.size=8", "a.func=foo_rx", "b.func=foo_close",
      "same.func=false", "value.old_ptr=true", "value.new_ptr=false", "value.to_zero=true",
      "object.same=false", "object.differs=struct foo::ops / struct foo::nr",
      "a.expr.text=priv->ops", "a.expr.deref=true", "a.expr.marking=plain",
      "locks.relation=both-lockless"},
     NULL,
     NULL,
     NULL,
     "racy-pointer-deref-cleared"},
};

static struct kt_ruleset *load(const char *const *files)
{
	struct kt_ruleset *rs = kt_ruleset_new();

	for (size_t i = 0; files[i]; i++) {
		struct kt_error *err = kt_ruleset_load_file(rs, files[i]);

		if (err) {
			char *msg = kt_error_format(err);

			fprintf(stderr, "%s: %s\n", files[i], msg);
			free(msg);
			kt_error_free(err);
			kt_ruleset_free(rs);
			return NULL;
		}
	}
	return rs;
}

int main(void)
{
	static const char *const full_files[] = {KT_SOURCE_RULES_DIR "/60-full-benign.rules",
						 KT_SOURCE_RULES_DIR "/70-full-harmful.rules",
						 KT_SOURCE_RULES_DIR "/75-full-fixed-since.rules",
						 KT_SOURCE_RULES_DIR "/79-full-undecided.rules",
						 NULL};
	struct kt_ruleset *full = load(full_files);
	struct kt_ruleset *all = kt_ruleset_new();
	struct kt_error *err = kt_ruleset_load_dir(all, KT_SOURCE_RULES_DIR);

	CHECK(full != NULL);
	CHECK(err == NULL);
	kt_error_free(err);
	if (!full || err) {
		kt_ruleset_free(full);
		kt_ruleset_free(all);
		return kt_test_done("test_full_families");
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct fcase *c = &cases[i];
		struct kt_facts *f = build(c, false), *ro = build(c, true);
		struct kt_rule_result res, rres;
		const char *rule;

		/* Report facts alone: no full-mode rule may match. */
		err = kt_ruleset_eval(full, ro, &rres);
		CHECK(err == NULL);
		kt_error_free(err);
		kt_test_checks++;
		if (rres.nmatches) {
			kt_test_failures++;
			fprintf(stderr,
				"%s: full-mode rule %s matched on the report's facts alone\n",
				c->name, rres.matches[0].id);
		}
		kt_rule_result_fini(&rres);

		err = kt_ruleset_eval(all, f, &res);
		CHECK(err == NULL);
		kt_error_free(err);
		rule = res.rule_id ? res.rule_id : "-";
		kt_test_checks++;
		if (c->want_rule ? strcmp(rule, c->want_rule) != 0
				 : c->not_rule && strcmp(rule, c->not_rule) == 0) {
			kt_test_failures++;
			fprintf(stderr, "%s: rule: expected %s%s, got %s (%s)\n", c->name,
				c->want_rule ? "" : "anything but ",
				c->want_rule ? c->want_rule : c->not_rule, rule, res.selection);
		}
		if (c->want_rule && c->not_rule) {
			/* an exclusion pinned where a stronger rule wins anyway */
			kt_test_checks++;
			for (size_t m = 0; m < res.nmatches; m++)
				if (strcmp(res.matches[m].id, c->not_rule) == 0) {
					kt_test_failures++;
					fprintf(stderr, "%s: %s matched (under %s)\n", c->name,
						c->not_rule, rule);
				}
		}
		if (c->want_verdict) {
			kt_test_checks++;
			if (strcmp(kt_verdict_name(res.verdict), c->want_verdict) != 0) {
				kt_test_failures++;
				fprintf(stderr, "%s: verdict: expected %s, got %s\n", c->name,
					c->want_verdict, kt_verdict_name(res.verdict));
			}
		}
		if (c->want_conf) {
			kt_test_checks++;
			if (strcmp(kt_confidence_name(res.confidence), c->want_conf) != 0) {
				kt_test_failures++;
				fprintf(stderr, "%s: confidence: expected %s, got %s (%s)\n",
					c->name, c->want_conf, kt_confidence_name(res.confidence),
					res.selection);
			}
		}
		/* Every full-mode rule that matched must have used a fact only a
		 * later stage gives; checked through the report-only pass above. */
		kt_rule_result_fini(&res);
		kt_facts_free(f);
		kt_facts_free(ro);
	}
	kt_ruleset_free(full);
	kt_ruleset_free(all);
	return kt_test_done("test_full_families");
}
