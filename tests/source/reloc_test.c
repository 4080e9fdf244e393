// SPDX-License-Identifier: Apache-2.0
/*
 * The source stage against a tree that is not the report's kernel
 * (tests/source/reloc/rl.c): a function that moved by some lines, a
 * statement that moved inside its function, a caller whose call site moved,
 * a function that is gone, a one-sided guess, and a side whose reported line
 * holds another object (rp.c). Asserts the relocated
 * expression, the lockset read up to the moved call, and the src.* facts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "kcsan/facts.h"
#include "kcsan/report.h"
#include "kcsan/source.h"
#include "src_harness.h"

#define TREE KT_SOURCE_DIR "/tests/source/reloc"
#define F    "rl.c"
#define LOCK "struct rl_dev::lock (exclusive)"

static const struct src_tree rl_tree = {TREE, "RL"};

static const struct src_tree rp_tree = {TREE, "RP"};

/*
 * Something else sits at a reported line (tests/source/reloc/rp.c): a
 * placement the other side's accesses do not name gives way to the one
 * object both sides' functions touch; one they name is kept; with two such
 * objects nothing is chosen.
 */
static void pair_cases(struct kt_source *src)
{
	struct kt_facts *x;

	{
		/* the write's line calls a helper writing rt->rflags, which the
		 * reader's function never reads: both on dev->headroom */
		struct src_fr r[] = {{"rp_xmit", "rp.c", "xmit_read", false, 0}};
		struct src_fr w[] = {{"rp_xmit", "rp.c", "xmit_write", false, 0}};

		x = src_run(&rp_tree, src, r, 1, KT_OP_READ, w, 1, KT_OP_WRITE, 2, false,
			    kt_facts_new());
		CHECK_STR(src_str(x, "object"), "struct rp_dev::headroom");
		CHECK_STR(src_str(x, "a.expr.field"), "struct rp_dev::headroom");
		CHECK_STR(src_str(x, "b.expr.field"), "struct rp_dev::headroom");
		CHECK_STR(src_str(x, "a.src.located"), "relocated");
		CHECK_STR(src_str(x, "a.src.strategy"), "corroborated");
		CHECK_STR(src_str(x, "b.src.located"), "relocated");
		CHECK_STR(src_str(x, "b.src.strategy"), "corroborated");
		CHECK_STR(src_str(x, "src.tree"), "drifted");
		CHECK(src_note_has(
		    x, "b: the first placement, rt->rflags, is not what the other side's "
		       "accesses touch: replaced"));
		kt_facts_free(x);
	}
	{
		/* the same with two objects both functions touch: none chosen */
		struct src_fr r[] = {{"rp_xmit_two", "rp.c", "two_read", false, 0}};
		struct src_fr w[] = {{"rp_xmit_two", "rp.c", "two_write", false, 0}};

		x = src_run(&rp_tree, src, r, 1, KT_OP_READ, w, 1, KT_OP_WRITE, 2, false,
			    kt_facts_new());
		CHECK(src_str(x, "object") == NULL);
		CHECK_STR(src_str(x, "a.src.located"), "not-found");
		CHECK(src_str(x, "a.src.strategy") == NULL);
		CHECK_STR(src_str(x, "src.tree"), "too-far");
		CHECK(src_note_has(
		    x, "the two sides disagree and 2 objects both sides' functions touch "
		       "fit the report: none chosen"));
		kt_facts_free(x);
	}
	{
		/* two functions, two objects both touch: the writer stores
		 * headroom in its own body, tailroom in a helper: headroom */
		struct src_fr r[] = {{"rp_room_check", "rp.c", "room_read", false, 0}};
		struct src_fr w[] = {{"rp_room_set", "rp.c", "room_write", false, 0}};

		x = src_run(&rp_tree, src, r, 1, KT_OP_READ, w, 1, KT_OP_WRITE, 2, false,
			    kt_facts_new());
		CHECK_STR(src_str(x, "object"), "struct rp_dev::headroom");
		CHECK_STR(src_str(x, "a.expr.text"),
			  "dev->headroom (in rp_head, called by rp_room_check)");
		CHECK_STR(src_str(x, "b.expr.text"), "dev->headroom");
		CHECK_STR(src_str(x, "a.src.located"), "relocated");
		CHECK_STR(src_str(x, "a.src.strategy"), "callees");
		CHECK_STR(src_str(x, "src.tree"), "drifted");
		CHECK(src_note_has(x, "in its reported function's own body"));
		kt_facts_free(x);
	}
	{
		/* the read at its line (*last) is what the writer's function
		 * stores, the write's line is blank here: the read is kept and
		 * the write placed on *last, not on the only member written */
		struct src_fr r[] = {{"rp_stamp", "rp.c", "stamp_read", false, 0}};
		struct src_fr w[] = {{"rp_stamp", "rp.c", "stamp_read", false, -2}};

		x = src_run(&rp_tree, src, r, 1, KT_OP_READ, w, 1, KT_OP_WRITE, 8, false,
			    kt_facts_new());
		CHECK_STR(src_str(x, "object"), "*last (parameter of rp_stamp)");
		CHECK_STR(src_str(x, "a.src.located"), "line");
		CHECK_STR(src_str(x, "a.src.strategy"), "line");
		CHECK_STR(src_str(x, "b.src.located"), "relocated");
		CHECK_STR(src_str(x, "b.src.strategy"), "corroborated");
		CHECK_STR(src_str(x, "b.expr.text"), "*last");
		CHECK(src_flag(x, "b.expr.rmw") == false);
		CHECK_STR(src_str(x, "src.tree"), "drifted");
		CHECK(src_note_has(x, "a: *last is what the other side's function touches: kept"));
		kt_facts_free(x);
	}
}

/* A data race of sides a and b, or (fb NULL) an assertion of side a. */
static struct kt_facts *run(struct kt_source *src, const struct src_fr *fa, size_t na,
			    enum kt_access_op opa, const struct src_fr *fb, size_t nb,
			    enum kt_access_op opb, uint64_t size)
{
	return src_run(&rl_tree, src, fa, na, opa, fb, nb, opb, size, false, kt_facts_new());
}

/* The tree as the report's kernel: everything at its line */
static void tree_matches(struct kt_source *src)
{
	struct src_fr w[] = {{"rl_set_state", F, "set_state", false, 0},
			     {"rl_update", F, "call_set", false, 0}};
	struct src_fr r[] = {{"rl_read_state", F, "read_state", false, 0}};
	struct kt_facts *x;
	char *l;

	x = run(src, w, 2, KT_OP_WRITE, r, 1, KT_OP_READ, 4);
	CHECK_STR(src_str(x, "object"), "struct rl_dev::state");
	CHECK_STR(src_str(x, "a.src.located"), "line");
	CHECK_STR(src_str(x, "a.src.strategy"), "line");
	CHECK_STR(src_str(x, "b.src.located"), "line");
	CHECK_STR(src_str(x, "b.src.strategy"), "line");
	CHECK(src_num(x, "a.src.shift", -999) == -999);
	CHECK_STR(src_str(x, "src.tree"), "matches");
	l = src_list(x, "a.locks");
	CHECK_STR(l, LOCK);
	free(l);
	kt_facts_free(x);
}

/* rl_set_state and rl_update moved down 14 lines (the reported
 * lines are in rl_pad_one and at the end of rl_pad_two), the
 * reader's return 3 lines (its reported line is blank here) */
static void functions_moved(struct kt_source *src)
{
	struct src_fr w[] = {{"rl_set_state", F, "set_state", false, 14},
			     {"rl_update", F, "call_set", false, 14}};
	struct src_fr r[] = {{"rl_read_state", F, "read_state", false, 3}};
	struct kt_facts *x;
	char *l;

	x = run(src, w, 2, KT_OP_WRITE, r, 1, KT_OP_READ, 4);
	CHECK_STR(src_str(x, "a.expr.text"), "d->state");
	CHECK_STR(src_str(x, "a.expr.field"), "struct rl_dev::state");
	CHECK_STR(src_str(x, "b.expr.field"), "struct rl_dev::state");
	CHECK_STR(src_str(x, "object"), "struct rl_dev::state");
	CHECK_STR(src_str(x, "a.src.located"), "relocated");
	CHECK_STR(src_str(x, "a.src.strategy"), "body");
	CHECK(src_num(x, "a.src.shift", 0) == 14);
	CHECK_STR(src_str(x, "b.src.located"), "relocated");
	CHECK_STR(src_str(x, "b.src.strategy"), "body");
	CHECK(src_num(x, "b.src.shift", 0) == 3);
	CHECK_STR(src_str(x, "src.tree"), "drifted");
	/* the walk read rl_update up to its call to rl_set_state */
	l = src_list(x, "a.locks");
	CHECK_STR(l, LOCK);
	free(l);
	CHECK_STR(src_str(x, "locks.relation"), "writer-locked-reader-lockless");
	kt_facts_free(x);
}

/* One function, moved down 30 lines, reads and writes both a and
 * b: the reported read and write are 4 lines apart, as only a's
 * are in the tree; 2 lines apart, as only b's are */
static void pair_in_one_function(struct kt_source *src)
{
	struct src_fr r[] = {{"rl_pair_step", F, "pair_read_a", false, 30}};
	struct src_fr w[] = {{"rl_pair_step", F, "pair_write_a", false, 30}};
	struct src_fr rb[] = {{"rl_pair_step", F, "pair_read_b", false, 30}};
	struct src_fr wb[] = {{"rl_pair_step", F, "pair_write_b", false, 30}};
	struct src_fr wfar[] = {{"rl_pair_step", F, "pair_write_a", false, 31}};
	struct kt_facts *x;

	x = run(src, r, 1, KT_OP_READ, w, 1, KT_OP_WRITE, 4);
	CHECK_STR(src_str(x, "object"), "struct rl_pair::a");
	CHECK_STR(src_str(x, "a.src.located"), "relocated");
	CHECK_STR(src_str(x, "a.src.strategy"), "body");
	CHECK_STR(src_str(x, "src.tree"), "drifted");
	kt_facts_free(x);
	x = run(src, rb, 1, KT_OP_READ, wb, 1, KT_OP_WRITE, 4);
	CHECK_STR(src_str(x, "object"), "struct rl_pair::b");
	kt_facts_free(x);
	/* at a distance no pair of the tree has: no object is chosen */
	x = run(src, r, 1, KT_OP_READ, wfar, 1, KT_OP_WRITE, 4);
	CHECK(src_str(x, "object") == NULL);
	CHECK_STR(src_str(x, "b.src.located"), "not-found");
	CHECK(src_str(x, "b.src.strategy") == NULL);
	kt_facts_free(x);
}

/* The access frame is inlined into a frame without file:line (a
 * module's function whose inline chain alone was symbolized): no
 * translation unit for side a, a note; side b is still read */
static void inlined_into_frame_without_line(struct kt_source *src)
{
	struct src_fr w[] = {{"rl_set_state", F, "set_state", true, 0},
			     {"rl_update", NULL, NULL, false, 0}};
	struct src_fr r[] = {{"rl_read_state", F, "read_state", false, 0}};
	struct kt_facts *x;

	x = run(src, w, 2, KT_OP_WRITE, r, 1, KT_OP_READ, 4);
	CHECK(src_str(x, "a.expr.text") == NULL);
	CHECK_STR(src_str(x, "b.expr.field"), "struct rl_dev::state");
	CHECK(src_note_has(x, "a: rl_set_state is inlined into rl_update, which has no "
			      "file:line in the report"));
	kt_facts_free(x);
}

/* The read is in a helper of a helper (no inline frames in the
 * report), both functions moved 30 lines: the helpers' bodies are
 * searched, and the lock the middle one takes is held */
static void helper_of_helper(struct kt_source *src)
{
	struct src_fr r[] = {{"rl_poll", F, "poll_call", false, 30}};
	struct src_fr w[] = {{"rl_set_flags", F, "set_flags", false, 30}};
	struct kt_facts *x;
	char *l;

	x = run(src, r, 1, KT_OP_READ, w, 1, KT_OP_WRITE, 8);
	CHECK_STR(src_str(x, "object"), "struct rl_dev::flags");
	CHECK_STR(src_str(x, "a.expr.text"), "d->flags (in rl_flag_on, called by rl_locked_peek)");
	CHECK_STR(src_str(x, "a.src.located"), "relocated");
	CHECK_STR(src_str(x, "a.src.strategy"), "callees");
	CHECK_STR(src_str(x, "src.tree"), "drifted");
	l = src_list(x, "a.locks");
	CHECK_STR(l, LOCK);
	free(l);
	kt_facts_free(x);
}

/* Double-checked locking: the writer rechecks under the lock it
 * takes, and the reader's function calls it */
static void double_checked_locking(struct kt_source *src)
{
	struct src_fr r[] = {{"rl_once_get", F, "once_fast", false, 0}};
	struct src_fr w[] = {{"rl_once_init", F, "once_store", false, 0}};
	struct src_fr w2[] = {{"rl_asserted_store", F, "asserted_store", false, 0}};
	struct src_fr r2[] = {{"rl_read_state", F, "read_state", false, 0}};
	struct kt_facts *x;

	x = run(src, r, 1, KT_OP_READ, w, 1, KT_OP_WRITE, 4);
	CHECK_STR(src_str(x, "object"), "struct rl_once::ready");
	CHECK(src_flag(x, "b.expr.recheck"));
	CHECK_STR(src_str(x, "b.expr.recheck_lock"), "struct rl_once::lock");
	CHECK(src_flag(x, "a.calls_other"));
	CHECK(!src_flag(x, "b.calls_other") && kt_facts_get(x, "b.calls_other") != NULL);
	kt_facts_free(x);
	/* the writer's test runs under a lock only asserted: no recheck */
	x = run(src, r2, 1, KT_OP_READ, w2, 1, KT_OP_WRITE, 4);
	CHECK_STR(src_str(x, "object"), "struct rl_dev::state");
	CHECK(!src_flag(x, "b.expr.recheck"));
	CHECK(src_str(x, "b.expr.recheck") == NULL && kt_facts_get(x, "b.expr.recheck") != NULL);
	CHECK(!src_flag(x, "a.calls_other") && kt_facts_get(x, "a.calls_other") != NULL);
	kt_facts_free(x);
}

/* An instrumentation wrapper as the innermost frame (access.tbl
 * instrumentation): the access is written in its caller */
static void instrumentation_wrapper(struct kt_source *src)
{
	struct src_fr w[] = {
	    {"instrument_write", "include/linux/instrumented.h", "none", true, -41},
	    {"rl_set_state", F, "set_state", false, 0},
	    {"rl_update", F, "call_set", false, 0}};
	struct src_fr r[] = {{"rl_read_state", F, "read_state", false, 0}};
	struct kt_facts *x;
	char *l;

	x = run(src, w, 3, KT_OP_WRITE, r, 1, KT_OP_READ, 4);
	CHECK_STR(src_str(x, "a.expr.text"), "d->state");
	CHECK_STR(src_str(x, "a.src.located"), "line");
	CHECK_STR(src_str(x, "a.src.strategy"), "line");
	CHECK_STR(src_str(x, "object"), "struct rl_dev::state");
	l = src_list(x, "a.locks");
	CHECK_STR(l, LOCK);
	free(l);
	kt_facts_free(x);
}

/* The file moved since the report's kernel: the one file of the
 * tree with its name is read; a name two files share is not
 * mapped */
static void file_moved(struct kt_source *src)
{
	struct src_fr w[] = {{"rl_set_state", "drivers/old/rl.c", "set_state", false, 0},
			     {"rl_update", "drivers/old/rl.c", "call_set", false, 0}};
	struct src_fr r[] = {{"rl_read_state", F, "read_state", false, 0}};
	struct src_fr d[] = {{"rl_dup_a", "old/rl_dup.c", "none", false, -3}};
	struct kt_facts *x;

	x = run(src, w, 2, KT_OP_WRITE, r, 1, KT_OP_READ, 4);
	CHECK_STR(src_str(x, "object"), "struct rl_dev::state");
	CHECK_STR(src_str(x, "a.src.located"), "line");
	CHECK_STR(src_str(x, "a.src.strategy"), "line");
	CHECK(src_note_has(x, "a: drivers/old/rl.c is not in the tree; the one file of that "
			      "name, rl.c, is read instead"));
	kt_facts_free(x);
	x = run(src, d, 1, KT_OP_READ, r, 1, KT_OP_READ, 4);
	CHECK(src_str(x, "a.expr.text") == NULL);
	CHECK(src_note_has(x, "old/rl_dup.c: not in the source tree"));
	kt_facts_free(x);
}

/* The function moved to another file of its directory: the one
 * file there defining it is read */
static void function_moved_to_sibling_file(struct kt_source *src)
{
	struct src_fr w[] = {{"rl_moved_reset", F, "read_count", false, 0}};
	struct src_fr r[] = {{"rl_read_count", F, "read_count", false, 0}};
	struct kt_facts *x;

	x = run(src, w, 1, KT_OP_WRITE, r, 1, KT_OP_READ, 8);
	CHECK_STR(src_str(x, "a.expr.text"), "d->count");
	CHECK_STR(src_str(x, "object"), "struct rl_dev::count");
	CHECK_STR(src_str(x, "src.tree"), "drifted");
	CHECK(src_note_has(x, "function rl_moved_reset is not in rl.c: the one file of its "
			      "directory defining it, rl_moved.c, is read"));
	CHECK(src_num(x, "a.src.shift", 12345) == 12345); /* lines of two files */
	kt_facts_free(x);
}

/* Only the caller's call moved: the reported line is before the
 * spin_lock, the call after it */
static void call_site_moved(struct kt_source *src)
{
	struct src_fr w[] = {{"rl_set_state", F, "set_state", false, 0},
			     {"rl_update", F, "call_set", false, 3}};
	struct src_fr r[] = {{"rl_read_state", F, "read_state", false, 0}};
	struct kt_facts *x;
	char *l;

	x = run(src, w, 2, KT_OP_WRITE, r, 1, KT_OP_READ, 4);
	CHECK_STR(src_str(x, "a.src.located"), "line");
	CHECK_STR(src_str(x, "a.src.strategy"), "line");
	CHECK_STR(src_str(x, "src.tree"), "drifted");
	l = src_list(x, "a.locks");
	CHECK_STR(l, LOCK);
	free(l);
	kt_facts_free(x);
}

/* A function this tree does not have */
static void function_gone(struct kt_source *src)
{
	struct src_fr w[] = {{"rl_gone", F, "set_state", false, 14}};
	struct src_fr r[] = {{"rl_read_state", F, "read_state", false, 0}};
	struct kt_facts *x;

	x = run(src, w, 1, KT_OP_WRITE, r, 1, KT_OP_READ, 4);
	CHECK_STR(src_str(x, "a.src.located"), "not-found");
	CHECK(src_str(x, "a.src.strategy") == NULL);
	CHECK(kt_facts_get(x, "a.expr.field") == NULL);
	CHECK(src_note_has(x, "a: function rl_gone is not found by name in rl.c of this tree "
			      "nor in another file of its directory"));
	CHECK_STR(src_str(x, "b.src.located"), "line");
	CHECK_STR(src_str(x, "b.src.strategy"), "line");
	CHECK_STR(src_str(x, "src.tree"), "too-far");
	kt_facts_free(x);
}

/* One side only, moved: the only object of the body that fits is
 * taken, but nothing confirms it, so the tree is too far */
static void one_side_moved(struct kt_source *src)
{
	struct src_fr r[] = {{"rl_read_count", F, "read_count", false, 14}};
	struct kt_facts *x;

	x = run(src, r, 1, KT_OP_READ, NULL, 0, KT_OP_READ, 8);
	CHECK_STR(src_str(x, "a.expr.field"), "struct rl_dev::count");
	CHECK_STR(src_str(x, "a.src.located"), "relocated");
	CHECK_STR(src_str(x, "a.src.strategy"), "body");
	CHECK(src_num(x, "a.src.shift", 0) == 14);
	CHECK_STR(src_str(x, "src.tree"), "too-far");
	kt_facts_free(x);
}

/* The frames' file is gone from the tree and no file has its
 * name: each function is read from the one file of the
 * directory defining it, by name (the reported lines were of
 * the old file); the caller is walked up to its first call */
static void file_gone(struct kt_source *src)
{
	struct src_fr w[] = {{"rl_set_state", "rl_old.c", "none", false, -36},
			     {"rl_update", "rl_old.c", "none", false, -45}};
	struct src_fr r[] = {{"rl_read_state", F, "read_state", false, 0}};
	struct src_fr sys[] = {{"__do_sys_rl_reset", "rl_sys.c", "none", false, -12}};
	struct kt_facts *x, *x2;
	char *l;

	x = run(src, w, 2, KT_OP_WRITE, r, 1, KT_OP_READ, 4);
	CHECK_STR(src_str(x, "a.expr.text"), "d->state");
	CHECK_STR(src_str(x, "object"), "struct rl_dev::state");
	CHECK_STR(src_str(x, "a.src.located"), "relocated");
	CHECK_STR(src_str(x, "a.src.strategy"), "body");
	CHECK(src_num(x, "a.src.shift", 12345) == 12345);
	CHECK_STR(src_str(x, "src.tree"), "drifted");
	l = src_list(x, "a.locks");
	CHECK_STR(l, LOCK);
	free(l);
	CHECK(src_note_has(x, "a: rl_old.c is not in the tree; rl.c, the one file of its "
			      "directory defining rl_set_state, is read"));
	CHECK(src_note_has(x, "rl_update has no line in the report; read up to its first "
			      "call to the inner frame"));
	kt_facts_free(x);
	{
		/* a deep stack in the gone file: the directory is searched
		 * for the 8 innermost frames of the side, no more */
		struct src_fr deep[12];

		deep[0] = w[0];
		for (size_t k = 1; k < 12; k++)
			deep[k] = w[1];
		x2 = run(src, deep, 12, KT_OP_WRITE, r, 1, KT_OP_READ, 4);
		CHECK_STR(src_str(x2, "a.expr.text"), "d->state");
		CHECK(src_note_has(x2,
				   "a: rl_old.c is not in the tree; rl_update is not looked for "
				   "in its directory (at most 8 directory searches a report)"));
		kt_facts_free(x2);
	}
	/* a system call's frame: its SYSCALL_DEFINEn(NAME, ...) is found */
	x = run(src, sys, 1, KT_OP_WRITE, r, 1, KT_OP_READ, 4);
	CHECK_STR(src_str(x, "a.expr.text"), "d->state");
	CHECK_STR(src_str(x, "object"), "struct rl_dev::state");
	CHECK(src_note_has(x, "rl_moved.c, the one file of its directory defining "
			      "__do_sys_rl_reset"));
	kt_facts_free(x);
	/* its __se_sys_ wrapper too: both are generated by the macro */
	sys[0].func = "__se_sys_rl_reset";
	x = run(src, sys, 1, KT_OP_WRITE, r, 1, KT_OP_READ, 4);
	CHECK(strstr(src_str(x, "a.expr.text") ? src_str(x, "a.expr.text") : "", "d->state") !=
	      NULL);
	CHECK(src_note_has(x, "rl_moved.c, the one file of its directory defining "
			      "__se_sys_rl_reset"));
	kt_facts_free(x);
}

/* The function left rl.c for an inline of a header rl.c
 * includes, which only forwards to its new name, itself a
 * forwarder: the body at the end of the chain is read */
static void forwarders(struct kt_source *src)
{
	struct src_fr w[] = {{"rl_old_kick", F, "kick_write", false, -2}};
	struct src_fr st[] = {{"rl_old_stamp", F, "kick_write", false, -2}};
	struct kt_facts *x;

	x = run(src, w, 1, KT_OP_WRITE, NULL, 0, KT_OP_READ, 8);
	CHECK_STR(src_str(x, "a.expr.text"), "d->flags");
	CHECK_STR(src_str(x, "a.expr.field"), "struct rl_dev::flags");
	CHECK_STR(src_str(x, "a.src.located"), "relocated");
	CHECK_STR(src_str(x, "a.src.strategy"), "body");
	CHECK(src_note_has(x, "a: function rl_old_kick is not in rl.c: the definition its "
			      "translation unit includes, in include/rl_wrap.h, is read"));
	CHECK(src_note_has(x, "a: rl_old_kick only calls rl_kick: its body is read"));
	CHECK(src_note_has(x, "a: rl_kick only calls __rl_kick: its body is read"));
	kt_facts_free(x);
	/* one with two statements is no forwarder: its own body is read,
	 * and the store found in the function it calls */
	x = run(src, st, 1, KT_OP_WRITE, NULL, 0, KT_OP_READ, 8);
	CHECK_STR(src_str(x, "a.expr.text"), "d->flags (in rl_stamp, called by rl_old_stamp)");
	CHECK(src_note_has(x, "in include/rl_wrap.h, is read"));
	CHECK(!src_note_has(x, "only calls"));
	kt_facts_free(x);
}

/* The writer's frame printed without file:line: the reader's
 * stack names the same function with its file, which is read;
 * the store is placed by name and body, under the lock taken
 * before it, with no line to shift from */
static void frame_without_line(struct kt_source *src)
{
	struct src_fr r[] = {{"rl_peek_count", F, "peek_count", true, 0},
			     {"rl_bump", F, "call_peek", false, 0}};
	struct src_fr w[] = {{"rl_bump", NULL, NULL, false, 0}};
	struct src_fr lone[] = {{"rl_bump", NULL, NULL, false, 0}};
	struct kt_facts *x;
	char *l;

	x = run(src, r, 2, KT_OP_READ, w, 1, KT_OP_WRITE, 8);
	CHECK_STR(src_str(x, "b.expr.text"), "d->count");
	CHECK_STR(src_str(x, "object"), "struct rl_dev::count");
	CHECK_STR(src_str(x, "b.src.located"), "relocated");
	CHECK_STR(src_str(x, "b.src.strategy"), "body");
	CHECK(src_num(x, "b.src.shift", 12345) == 12345);
	l = src_list(x, "b.locks");
	CHECK_STR(l, LOCK);
	free(l);
	CHECK(src_note_has(x, "b: rl_bump has no file:line in the report; rl.c, where another "
			      "frame of the report places it, is read"));
	kt_facts_free(x);
	/* no frame gives it a file: nothing is read */
	x = run(src, lone, 1, KT_OP_WRITE, NULL, 0, KT_OP_READ, 8);
	CHECK(src_str(x, "a.expr.text") == NULL);
	CHECK(src_note_has(x, "a: the access frame has no file:line"));
	kt_facts_free(x);
}

/* The caller, 7 lines earlier in the report's kernel, now calls
 * the inner frame through a helper of its file that takes the
 * lock: the walk reads the caller up to its call of the helper,
 * then the helper up to the inner call */
static void caller_through_helper(struct kt_source *src)
{
	struct src_fr w[] = {{"rl_set_flags", F, "set_flags", false, 0},
			     {"rl_tick", F, "tick_call", false, -7}};
	struct kt_facts *x;
	char *l;

	x = run(src, w, 2, KT_OP_WRITE, NULL, 0, KT_OP_READ, 8);
	CHECK_STR(src_str(x, "a.expr.text"), "d->flags");
	l = src_list(x, "a.locks");
	CHECK_STR(l, LOCK);
	free(l);
	CHECK(src_note_has(x, "lock walk: rl_tick calls rl_set_flags through "
			      "rl_tick_locked in this tree; read up to that call"));
	kt_facts_free(x);
}

int main(void)
{
	struct kt_source_opts o = {.src_dir = TREE, .rules_dir = KT_SOURCE_RULES_DIR};
	struct kt_source *src;
	struct kt_error *err = kt_source_open(&o, &src);

	CHECK(err == NULL);
	if (err) {
		kt_error_free(err);
		return kt_test_done("source_reloc");
	}
	tree_matches(src);
	functions_moved(src);
	pair_in_one_function(src);
	pair_cases(src);
	inlined_into_frame_without_line(src);
	helper_of_helper(src);
	double_checked_locking(src);
	instrumentation_wrapper(src);
	file_moved(src);
	function_moved_to_sibling_file(src);
	call_site_moved(src);
	function_gone(src);
	one_side_moved(src);
	file_gone(src);
	forwarders(src);
	frame_without_line(src);
	caller_through_helper(src);
	kt_source_close(src);
	return kt_test_done("source_reloc");
}
