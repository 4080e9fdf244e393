// SPDX-License-Identifier: Apache-2.0
/*
 * The source stage on the mini kernel's lock idioms
 * (testdata/minikernel/locking): access expression, marking, object and the
 * locks held, for stacks built by hand. Golden values are written here next
 * to each idiom; lines are found by their "LK:" markers. No compilation
 * database: the flags are derived from the tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "kcsan/facts.h"
#include "kcsan/report.h"
#include "kcsan/source.h"
#include "src_harness.h"

#define TREE KT_TESTDATA "/minikernel/locking"

static const struct src_tree lk_tree = {TREE, "LK"};

/* One access (report with one side) through the source stage, adding to
 * facts. */
static struct kt_facts *run1f(struct kt_source *src, const struct src_fr *f, size_t n,
			      enum kt_access_op op, uint64_t size, struct kt_facts *facts)
{
	return src_run(&lk_tree, src, f, n, op, NULL, 0, KT_OP_READ, size, false, facts);
}

static struct kt_facts *run1(struct kt_source *src, const struct src_fr *f, size_t n,
			     enum kt_access_op op, uint64_t size)
{
	return run1f(src, f, n, op, size, kt_facts_new());
}

static struct kt_facts *run2(struct kt_source *src, const struct src_fr *fa, size_t na,
			     enum kt_access_op opa, const struct src_fr *fb, size_t nb,
			     enum kt_access_op opb, uint64_t size, bool b_irq)
{
	return src_run(&lk_tree, src, fa, na, opa, fb, nb, opb, size, b_irq, kt_facts_new());
}

#define C     "lk_idioms.c"
#define LOCK  "struct lk_obj::lock (exclusive)"
#define MUTEX "struct lk_obj::mutex (exclusive)"

/* One idiom: access in func at marker; expected field, marking and locks. */
static void idiom(struct kt_source *src, const char *func, const char *marker, enum kt_access_op op,
		  uint64_t size, const char *field, const char *marking, const char *locks)
{
	struct src_fr f[] = {{func, C, marker, false, 0}};
	struct kt_facts *x = run1(src, f, 1, op, size);
	char *l = src_list(x, "a.locks");

	char *n = src_list(x, "note");

	if (*n)
		fprintf(stderr, "%s: %s\n", marker, n);
	CHECK(*n == 0); /* the mini kernel parses cleanly: no note */
	free(n);
	CHECK_STR(src_str(x, "a.expr.field"), field);
	CHECK_STR(src_str(x, "a.expr.marking"), marking);
	CHECK_STR(l, locks);
	CHECK(src_flag(x, "a.locks.known"));
	CHECK_STR(src_str(x, "object"), field);
	free(l);
	kt_facts_free(x);
}

/* Write text to dir/name and open the source stage on rules dir: an error
 * naming that file and line, whose message holds why, and no source. */
static void bad_table(struct kt_source_opts *o, const char *dir, const char *name, const char *text,
		      long line, const char *why)
{
	char path[600];
	struct kt_source *src = NULL;
	struct kt_error *err;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	CHECK(fp != NULL);
	if (!fp)
		return;
	fputs(text, fp);
	fclose(fp);
	o->rules_dir = dir;
	err = kt_source_open(o, &src);
	CHECK(err != NULL);
	CHECK(src == NULL);
	if (err) {
		CHECK(err->file && strstr(err->file, name) != NULL);
		CHECK_INT(err->line, line);
		CHECK(strstr(err->msg, why) != NULL);
		kt_error_free(err);
	}
}

/* Bad inputs are errors naming the file and line, never crashes. */
static void bad_inputs(void)
{
	static const struct {
		const char *file, *text, *why;
		long line;
	} cases[] = {
	    {"locks.tbl", "acquire spin_lock exclusive 0 -\nfrobnicate x y 0 -\n", "unknown kind",
	     2},
	    {"locks.tbl", "# c\nacquire spin_lock exclusive\n", "lock lines are", 2},
	    {"locks.tbl", "acquire spin_lock exclusive 99 -\n", "argument index", 1},
	    {"locks.tbl", "acquire rcu_read_lock rcu - -\n", "LOCK-NAME", 1},
	    {"locks.tbl", "acquire \"unterminated exclusive 0 -\n", "unterminated quote", 1},
	    /* a clock line names one source */
	    {"access.tbl", "clock jiffies\nclock ktime_get ns\n", "clock lines are", 2},
	    /* a defer line names one function */
	    {"access.tbl", "defer schedule_work\ndefer\n", "defer lines are", 2},
	    /* a generated line names a prefix and a macro */
	    {"access.tbl", "generated __do_sys_ SYSCALL_DEFINE\ngenerated __se_sys_\n",
	     "generated lines are", 2},
	};
	char dir[512], path[600];
	struct kt_source *src = NULL;
	struct kt_source_opts o = {.src_dir = TREE};
	struct kt_error *err;
	FILE *fp;

	snprintf(dir, sizeof(dir), "%s/source-bad-tables", KT_BUILD_DIR);
	snprintf(path, sizeof(path), "mkdir -p '%s'", dir);
	CHECK(system(path) == 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* the other table is good: the error is the bad one's */
		const char *good = strcmp(cases[i].file, "locks.tbl") == 0
				       ? "marking READ_ONCE READ_ONCE\n"
				       : "acquire spin_lock exclusive 0 -\n";

		snprintf(path, sizeof(path), "%s/%s", dir,
			 strcmp(cases[i].file, "locks.tbl") == 0 ? "access.tbl" : "locks.tbl");
		fp = fopen(path, "w");
		CHECK(fp != NULL);
		if (!fp)
			return;
		fputs(good, fp);
		fclose(fp);
		bad_table(&o, dir, cases[i].file, cases[i].text, cases[i].line, cases[i].why);
	}
	/* a tree that is not there, a database that is not there */
	o.rules_dir = KT_SOURCE_RULES_DIR;
	o.src_dir = KT_BUILD_DIR "/no-such-tree";
	err = kt_source_open(&o, &src);
	CHECK(err != NULL && err->file && strstr(err->file, "no-such-tree"));
	kt_error_free(err);
	o.src_dir = TREE;
	o.compile_commands = KT_BUILD_DIR "/no-such-dir/compile_commands.json";
	err = kt_source_open(&o, &src);
	CHECK(err != NULL && err->code == KT_ERR_IO);
	kt_error_free(err);
}

/* How the value loaded at marker is used: expected expr.compare_only and
 * expr.reload_use (both present), and the expression's text. */
static void use(struct kt_source *src, const char *func, const char *marker, int delta,
		enum kt_access_op op, const char *text, bool compare_only, bool reload_use)
{
	struct src_fr f[] = {{func, C, marker, false, delta}};
	struct kt_facts *x = run1(src, f, 1, op, 8);

	CHECK_STR(src_str(x, "a.expr.text"), text);
	CHECK(kt_facts_get(x, "a.expr.compare_only") != NULL);
	CHECK(kt_facts_get(x, "a.expr.reload_use") != NULL);
	if (src_flag(x, "a.expr.compare_only") != compare_only ||
	    src_flag(x, "a.expr.reload_use") != reload_use)
		fprintf(stderr, "%s: compare_only %d reload_use %d\n", marker,
			src_flag(x, "a.expr.compare_only"), src_flag(x, "a.expr.reload_use"));
	CHECK(src_flag(x, "a.expr.compare_only") == compare_only);
	CHECK(src_flag(x, "a.expr.reload_use") == reload_use);
	kt_facts_free(x);
}

/* expr.use_after_check (present) for the load at the marker's line - delta
 * (delta -1: the line after the marker). */
static void after_check(struct kt_source *src, const char *func, const char *marker, int delta,
			const char *text, bool want)
{
	struct src_fr f[] = {{func, C, marker, false, delta}};
	struct kt_facts *x = run1(src, f, 1, KT_OP_READ, 8);

	CHECK_STR(src_str(x, "a.expr.text"), text);
	CHECK(kt_facts_get(x, "a.expr.use_after_check") != NULL);
	if (src_flag(x, "a.expr.use_after_check") != want)
		fprintf(stderr, "%s%+d: use_after_check %d\n", marker, delta, !want);
	CHECK(src_flag(x, "a.expr.use_after_check") == want);
	kt_facts_free(x);
}

/* What a store at marker writes: expr.stored (NULL: absent, then
 * expr.stored_clock too) and whether it reads a clock. */
static void stored(struct kt_source *src, const char *func, const char *marker,
		   enum kt_access_op op, uint64_t size, const char *text, const char *value,
		   bool clock)
{
	struct src_fr f[] = {{func, C, marker, false, 0}};
	struct kt_facts *x = run1(src, f, 1, op, size);

	CHECK_STR(src_str(x, "a.expr.text"), text);
	if (!value) {
		CHECK(kt_facts_get(x, "a.expr.stored") == NULL);
		CHECK(kt_facts_get(x, "a.expr.stored_clock") == NULL);
	} else {
		CHECK_STR(src_str(x, "a.expr.stored"), value);
		CHECK(kt_facts_get(x, "a.expr.stored_clock") != NULL);
		if (src_flag(x, "a.expr.stored_clock") != clock)
			fprintf(stderr, "%s: stored_clock %d\n", marker,
				src_flag(x, "a.expr.stored_clock"));
		CHECK(src_flag(x, "a.expr.stored_clock") == clock);
	}
	kt_facts_free(x);
}

/* The calls an if whose condition holds the load at marker only makes:
 * expr.guards joined by "; ", NULL when absent; and whether they all queue
 * deferred work (expr.guards_defer, present with them). */
static void guards(struct kt_source *src, const char *func, const char *marker, const char *want,
		   bool defer)
{
	struct src_fr f[] = {{func, C, marker, false, 0}};
	struct kt_facts *x = run1(src, f, 1, KT_OP_READ, 4);
	char *l = src_list(x, "a.expr.guards");

	CHECK_STR(src_str(x, "a.expr.text"), "p->nr_free");
	CHECK(src_flag(x, "a.expr.branch"));
	if (want) {
		CHECK_STR(l, want);
		CHECK(kt_facts_get(x, "a.expr.guards_defer") != NULL);
		CHECK(src_flag(x, "a.expr.guards_defer") == defer);
	} else {
		CHECK(kt_facts_get(x, "a.expr.guards") == NULL);
		CHECK(kt_facts_get(x, "a.expr.guards_defer") == NULL);
	}
	free(l);
	kt_facts_free(x);
}

/* A mode a caller's callee left in force (path_init() in locks.tbl), until
 * an inner frame leaves it (complete_walk()). */
static void modes(struct kt_source *src)
{
	struct kt_facts *x;
	struct src_fr kept[] = {{"lk_mode_kept", C, "mode_kept", false, 0},
				{"lk_mode_walk", C, "mode_call_kept", false, 0}};
	struct src_fr left[] = {{"lk_mode_left", C, "mode_left", false, 0},
				{"lk_mode_walk", C, "mode_call_left", false, 0}};
	char *l;

	x = run1(src, kept, 2, KT_OP_WRITE, 4);
	l = src_list(x, "a.locks");
	CHECK_STR(l, "rcu (path walk in RCU mode) (rcu)");
	free(l);
	kt_facts_free(x);
	x = run1(src, left, 2, KT_OP_WRITE, 4);
	l = src_list(x, "a.locks");
	CHECK_STR(l, "");
	free(l);
	kt_facts_free(x);
}

/* Locks held at an access: each idiom of the lock tables. */
static void lock_idioms(struct kt_source *src)
{
	idiom(src, "lk_guarded_count", "guard_count", KT_OP_READ_WRITE, 8, "struct lk_obj::stats",
	      "plain", LOCK);
	idiom(src, "lk_scoped", "scoped_in", KT_OP_WRITE, 4, "struct lk_obj::state", "plain",
	      MUTEX);
	idiom(src, "lk_cond_scoped", "cond_scoped", KT_OP_WRITE, 4, "struct lk_obj::state", "plain",
	      MUTEX);
	idiom(src, "lk_annotated", "annotated_in", KT_OP_WRITE, 4, "struct lk_obj::state", "plain",
	      LOCK);
	idiom(src, "lk_annotated", "annotated_after", KT_OP_WRITE, 4, "struct lk_obj::state",
	      "plain", "");
	idiom(src, "lk_scoped", "scoped_after", KT_OP_WRITE, 4, "struct lk_obj::state", "plain",
	      "");
	idiom(src, "lk_trylock", "trylock_after", KT_OP_READ_WRITE, 8, "struct lk_obj::flags",
	      "plain", LOCK);
	idiom(src, "lk_trylock_if", "trylock_in", KT_OP_WRITE, 4, "struct lk_obj::state", "plain",
	      MUTEX);
	idiom(src, "lk_trylock_if", "trylock_outside", KT_OP_WRITE, 4, "struct lk_obj::state",
	      "plain", "");
	idiom(src, "lk_goto_unlock", "goto_body", KT_OP_WRITE, 4, "struct lk_obj::state", "plain",
	      LOCK);
	idiom(src, "lk_goto_unlock", "goto_after", KT_OP_READ, 4, "struct lk_obj::state", "plain",
	      "");
	idiom(src, "lk_early_return", "early_return", KT_OP_WRITE, 4, "struct lk_obj::state",
	      "plain", MUTEX);
	/* an unlock in a block whose return is conditional: not held after */
	idiom(src, "lk_cond_exit", "cond_exit", KT_OP_WRITE, 4, "struct lk_obj::state", "plain",
	      "");
	idiom(src, "lk_asserted", "assert", KT_OP_READ_WRITE, 4, "struct lk_obj::state", "plain",
	      LOCK);
	idiom(src, "lk_must_hold", "must_hold", KT_OP_WRITE, 4, "struct lk_obj::state", "plain",
	      LOCK);
	idiom(src, "lk_read_once", "read_once", KT_OP_READ, 4, "struct lk_obj::state", "READ_ONCE",
	      "");
	idiom(src, "lk_write_once", "write_once", KT_OP_WRITE, 4, "struct lk_obj::state",
	      "WRITE_ONCE", "");
	idiom(src, "lk_data_race", "data_race", KT_OP_READ, 8, "struct lk_obj::stats", "data_race",
	      "");
	idiom(src, "lk_counter", "atomic_inc", KT_OP_READ_WRITE, 4, "struct lk_obj::refs", "atomic",
	      "");
	idiom(src, "lk_irqsave", "irqsave", KT_OP_WRITE, 4, "struct lk_obj::state", "plain",
	      LOCK "; irqs-disabled (irq)");
	idiom(src, "lk_rcu", "rcu", KT_OP_READ, 8, "struct lk_obj::item", "rcu", "rcu (rcu)");
	idiom(src, "lk_rwsem_read", "rwsem_read", KT_OP_READ, 4, "struct lk_obj::state", "plain",
	      "struct lk_obj::sem (shared)");
	idiom(src, "lk_inode_mode", "inode_mode", KT_OP_WRITE, 2, "struct inode::i_mode", "plain",
	      "struct inode::i_rwsem (exclusive)");
	idiom(src, "lk_global", "global", KT_OP_READ, 8, "lk_jiffies", "plain", "");
	idiom(src, "lk_xas_add", "xas_locked", KT_OP_READ_WRITE, 8, "struct lk_obj::nrpages",
	      "plain", "struct xa_state::xa->xa_lock (exclusive); irqs-disabled (irq)");
	idiom(src, "lk_xas_add", "xas_unlocked", KT_OP_READ_WRITE, 8, "struct lk_obj::nrpages",
	      "plain", "");
}

/* Helpers that update a target: only the target is marked and written */
static void update_helpers(struct kt_source *src)
{
	struct kt_facts *x;

	idiom(src, "lk_atomic_add_from", "atomic_add_from", KT_OP_READ_WRITE, 4,
	      "struct lk_obj::refs", "atomic", "");
	idiom(src, "lk_atomic_add_from", "atomic_add_from", KT_OP_READ, 4, "struct lk_obj::state",
	      "plain", "");
	{
		struct src_fr f[] = {{"lk_write_once_from", C, "write_once_from", false, 0}};

		x = run1(src, f, 1, KT_OP_WRITE, 8);
		CHECK_STR(src_str(x, "a.expr.text"), "obj->stats");
		CHECK_STR(src_str(x, "a.expr.marking"), "WRITE_ONCE");
		CHECK(!src_flag(x, "a.expr.rmw"));
		kt_facts_free(x);
		x = run1(src, f, 1, KT_OP_READ, 8);
		CHECK_STR(src_str(x, "a.expr.text"), "other->stats");
		CHECK_STR(src_str(x, "a.expr.marking"), "plain");
		kt_facts_free(x);
	}
}

/* A local pointer into a member names the member; a statement
 * expression in a condition is in the condition, and its sizeof()
 * type check is not an access */
static void member_through_local(struct kt_source *src)
{
	struct kt_facts *x;

	{
		struct src_fr f[] = {{"lk_hist_seen", C, "alias_array", false, 0}};

		x = run1(src, f, 1, KT_OP_READ, 4);
		CHECK_STR(src_str(x, "a.expr.field"), "struct lk_hist::slots[]");
		CHECK_STR(src_str(x, "a.expr.text"), "h[i] (via hh->slots)");
		/* markings come from the macro names as written */
		CHECK_STR(src_str(x, "a.expr.marking"), "plain");
		CHECK(src_flag(x, "a.expr.branch"));
		kt_facts_free(x);
	}
	{
		struct src_fr f[] = {{"lk_hist_clear", C, "alias_deref", false, 0}};

		x = run1(src, f, 1, KT_OP_WRITE, 8);
		CHECK_STR(src_str(x, "a.expr.field"), "struct lk_hist::word");
		CHECK_STR(src_str(x, "a.expr.text"), "*w (via hh->word)");
		CHECK(!src_flag(x, "a.expr.branch"));
		kt_facts_free(x);
	}
}

/* The value of a READ_ONCE(), and a value followed through a local */
static void value_through_local(struct kt_source *src)
{
	struct kt_facts *x;

	{
		struct src_fr f[] = {{"lk_marked_null_test", C, "marked_null_test", false, 0}};

		x = run1(src, f, 1, KT_OP_READ, 8);
		CHECK_STR(src_str(x, "a.expr.marking"), "READ_ONCE");
		CHECK(src_flag(x, "a.expr.compare_only"));
		CHECK(!src_flag(x, "a.expr.deref"));
		CHECK(src_flag(x, "a.expr.branch"));
		kt_facts_free(x);
	}
	{
		struct src_fr f[] = {{"lk_local_deref", C, "local_deref", false, 0}};

		x = run1(src, f, 1, KT_OP_READ, 8);
		CHECK_STR(src_str(x, "a.expr.text"), "obj->item");
		CHECK(src_flag(x, "a.expr.deref"));
		CHECK(!src_flag(x, "a.expr.compare_only"));
		kt_facts_free(x);
	}
	{
		struct src_fr f[] = {{"lk_local_compare", C, "local_compare", false, 0}};

		x = run1(src, f, 1, KT_OP_READ, 8);
		CHECK_STR(src_str(x, "a.expr.text"), "obj->item");
		CHECK(!src_flag(x, "a.expr.deref"));
		kt_facts_free(x);
	}
}

/* Expression details: bit tests, read-modify-write, kind and type, the
 * function the value is passed to. */
static void expression_details(struct kt_source *src)
{
	struct kt_facts *x;

	{
		struct src_fr f[] = {{"lk_warn_bit", C, "warn_bit", false, 0}};

		x = run1(src, f, 1, KT_OP_READ, 8);
		CHECK_STR(src_str(x, "a.expr.field"), "struct lk_obj::flags");
		CHECK(src_flag(x, "a.expr.bittest"));
		kt_facts_free(x);
	}
	{
		struct src_fr f[] = {{"lk_counter", C, "counter", false, 0}};

		x = run1(src, f, 1, KT_OP_READ_WRITE, 8);
		CHECK(src_flag(x, "a.expr.rmw"));
		CHECK_STR(src_str(x, "a.expr.text"), "obj->stats");
		CHECK_STR(src_str(x, "a.expr.kind"), "member");
		CHECK_STR(src_str(x, "a.expr.type"), "long");
		kt_facts_free(x);
	}
	{
		struct src_fr f[] = {{"lk_free", C, "kfree", false, 0}};
		char *p;

		x = run1(src, f, 1, KT_OP_READ, 8);
		p = src_list(x, "a.expr.passed_to");
		CHECK_STR(p, "kfree");
		CHECK_STR(src_str(x, "a.expr.field"), "struct lk_obj::buf");
		free(p);
		kt_facts_free(x);
	}
	{
		struct src_fr f[] = {{"lk_bit", C, "bittest", false, 0}};

		x = run1(src, f, 1, KT_OP_READ, 8);
		CHECK(src_flag(x, "a.expr.bittest"));
		CHECK(src_flag(x, "a.expr.branch"));
		kt_facts_free(x);
	}
	{
		struct src_fr f[] = {{"lk_bit", C, "test_bit", false, 0}};

		x = run1(src, f, 1, KT_OP_READ, 8);
		CHECK_STR(src_str(x, "a.expr.marking"), "bitop");
		CHECK(src_flag(x, "a.expr.bittest"));
		kt_facts_free(x);
	}
}

/* The access expression: marking, writes, masks, members through locals, values. */
static void expressions(struct kt_source *src)
{
	update_helpers(src);
	member_through_local(src);
	value_through_local(src);
	expression_details(src);
}

/* The access expression: the word a write stores, the mask a test uses. */
static void expression_values(struct kt_source *src)
{
	struct kt_facts *x;

	/* expr.write: the flags word stored by a compound assignment */
	{
		struct src_fr f[] = {{"lk_trylock", C, "trylock_after", false, 0}};

		x = run1(src, f, 1, KT_OP_READ_WRITE, 8);
		CHECK(src_flag(x, "a.expr.write"));
		CHECK(src_flag(x, "a.expr.rmw"));
		kt_facts_free(x);
	}
	/* expr.mask: the constant the value is tested against, evaluated by
	 * libclang; for a bit-test helper the bit within the accessed word */
	{
		static const struct {
			const char *func, *marker;
			uint64_t size;
			long long mask; /* -1: absent */
		} masks[] = {
		    {"lk_bit", "bittest", 8, 0x4},
		    {"lk_bit", "test_bit", 8, 0x8},
		    {"lk_warn_bit", "warn_bit", 8, 0x4},
		    {"lk_mask", "mask_not", 8, 0x4},
		    {"lk_mask", "mask_or", 8, 0x14},
		    {"lk_mask", "mask_once", 8, 0x24},
		    {"lk_mask", "mask_narrow", 4, 0xfffffffe}, /* ~1 within an int */
		    {"lk_mask", "mask_word", 8, 0x8},	       /* bit 67: bit 3 of words[1] */
		    {"lk_mask", "mask_bit", 8, 1LL << 35},
		    {"lk_mask_var", "mask_var", 8, -1},
		    {"lk_mask_var", "mask_const_var", 8, -1},
		    {"lk_mask_var", "mask_var_bit", 8, -1},
		    {"lk_mask_two", "mask_two", 8, -1},		  /* two loads, two masks */
		    {"lk_mask_bitfield", "mask_bitfield", 4, -1}, /* value bits, not word bits */
		};

		for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
			struct src_fr f[] = {{masks[i].func, C, masks[i].marker, false, 0}};

			x = run1(src, f, 1, KT_OP_READ, masks[i].size);
			if (!src_flag(x, "a.expr.bittest"))
				fprintf(stderr, "%s: no bit test\n", masks[i].marker);
			CHECK(src_flag(x, "a.expr.bittest"));
			CHECK(kt_facts_get(x, "a.expr.write") && !src_flag(x, "a.expr.write"));
			if (src_num(x, "a.expr.mask", -1) != masks[i].mask)
				fprintf(stderr, "%s: mask %llx\n", masks[i].marker,
					src_num(x, "a.expr.mask", -1));
			CHECK_INT(src_num(x, "a.expr.mask", -1), masks[i].mask);
			kt_facts_free(x);
		}
	}
	{
		struct src_fr f[] = {{"lk_deref", C, "deref", false, 0}};

		x = run1(src, f, 1, KT_OP_READ, 8);
		CHECK_STR(src_str(x, "a.expr.field"), "struct lk_obj::item");
		CHECK(src_flag(x, "a.expr.deref"));
		kt_facts_free(x);
	}
	{
		struct src_fr f[] = {{"lk_racy_field", C, "racy_field", false, 0}};

		x = run1(src, f, 1, KT_OP_READ, 8);
		CHECK(src_flag(x, "a.expr.data_racy"));
		kt_facts_free(x);
	}
	{
		/* *_locked naming is weak evidence, kept apart */
		struct src_fr f[] = {{"lk_update_locked", C, "named_locked", false, 0}};
		char *l;

		x = run1(src, f, 1, KT_OP_WRITE, 4);
		l = src_list(x, "a.locks");
		CHECK_STR(l, "");
		free(l);
		l = src_list(x, "a.locks.weak");
		CHECK(strstr(l, "_locked") != NULL);
		free(l);
		kt_facts_free(x);
	}
	{
		/* list_add under a lock: inline frames in the header, lock in the caller */
		struct src_fr f[] = {{"__list_add", "lk.h", "list_add_prev", true, 0},
				     {"list_add", "lk.h", "list_add_call", true, 0},
				     {"lk_list_add_locked", C, "list_add_site", false, 0}};
		char *l;

		x = run1(src, f, 3, KT_OP_WRITE, 8);
		CHECK_STR(src_str(x, "a.expr.field"), "struct list_head::prev");
		l = src_list(x, "a.locks");
		CHECK_STR(l, LOCK);
		free(l);
		kt_facts_free(x);
	}
	{
		/* a caller's lock held at the call site */
		struct src_fr f[] = {{"lk_set_state", C, "callee", false, 0},
				     {"lk_caller", C, "caller", false, 0}};
		char *l;

		x = run1(src, f, 2, KT_OP_WRITE, 4);
		l = src_list(x, "a.locks");
		CHECK_STR(l, MUTEX);
		free(l);
		kt_facts_free(x);
	}
}

/* Two sides: the relation of their objects and locks. */
static void relations(struct kt_source *src)
{
	struct kt_facts *x;

	/* two sides: relations */
	{
		struct src_fr w[] = {{"lk_guarded_count", C, "guard_count", false, 0}};
		struct src_fr r[] = {{"lk_data_race", C, "data_race", false, 0}};

		x = run2(src, w, 1, KT_OP_READ_WRITE, r, 1, KT_OP_READ, 8, false);
		CHECK_STR(src_str(x, "object"), "struct lk_obj::stats");
		CHECK_STR(src_str(x, "locks.relation"), "writer-locked-reader-lockless");
		kt_facts_free(x);
	}
	{
		/* the reader's line is not in its function (another kernel version):
		 * matched by the one object both sides touch */
		struct src_fr w[] = {{"lk_guarded_count", C, "guard_count", false, 0}};
		struct src_fr r[] = {{"lk_data_race", C, "global", false, 0}};
		char *n;

		x = run2(src, w, 1, KT_OP_READ_WRITE, r, 1, KT_OP_READ, 8, false);
		CHECK_STR(src_str(x, "object"), "struct lk_obj::stats");
		CHECK_STR(src_str(x, "b.expr.marking"), "data_race");
		CHECK(src_flag(x, "b.locks.known"));
		CHECK_STR(src_str(x, "b.src.located"), "relocated");
		CHECK_STR(src_str(x, "a.src.located"), "line");
		CHECK_STR(src_str(x, "src.tree"), "drifted");
		n = src_list(x, "note");
		CHECK(strstr(n, "found in lk_data_race by name and body, the object the other side "
				"touches") != NULL);
		free(n);
		kt_facts_free(x);
	}
	{
		/* one lock, named through the embedding struct and by its own type */
		struct src_fr w[] = {{"lk_wake", C, "wake", false, 0},
				     {"lk_pipe_wake", C, "pipe_wake", false, 0}};
		struct src_fr r[] = {{"lk_pipe_read", C, "pipe_read", false, 0}};
		char *l;

		x = run2(src, w, 2, KT_OP_WRITE, r, 1, KT_OP_READ, 4, false);
		l = src_list(x, "b.locks");
		CHECK_STR(l, "struct lk_pipe::rd_wait.lock (exclusive)");
		free(l);
		l = src_list(x, "a.locks");
		CHECK_STR(l, "struct lk_waitq::lock (exclusive)");
		free(l);
		l = src_list(x, "locks.maybe_common");
		CHECK_STR(l, "struct lk_waitq::lock = struct lk_pipe::rd_wait.lock");
		free(l);
		CHECK(kt_facts_get(x, "locks.common") == NULL);
		/* the helper's object is named through the caller's argument */
		CHECK_STR(src_str(x, "object"), "struct lk_pipe::rd_wait.woken");
		CHECK_STR(src_str(x, "a.expr.text"), "q->woken (via &p->rd_wait)");
		kt_facts_free(x);
	}
	{
		struct src_fr w[] = {{"lk_goto_unlock", C, "goto_body", false, 0}};
		struct src_fr r[] = {{"lk_must_hold", C, "must_hold", false, 0}};
		char *l;

		x = run2(src, w, 1, KT_OP_WRITE, r, 1, KT_OP_WRITE, 4, false);
		CHECK_STR(src_str(x, "locks.relation"), "common-lock");
		l = src_list(x, "locks.common");
		CHECK_STR(l, "struct lk_obj::lock");
		free(l);
		kt_facts_free(x);
	}
	{
		struct src_fr w[] = {{"lk_scoped", C, "scoped_after", false, 0}};
		struct src_fr r[] = {{"lk_read_once", C, "read_once", false, 0}};

		x = run2(src, w, 1, KT_OP_WRITE, r, 1, KT_OP_READ, 4, false);
		CHECK_STR(src_str(x, "locks.relation"), "both-lockless");
		CHECK_STR(src_str(x, "b.expr.marking"), "READ_ONCE");
		kt_facts_free(x);
		x = run2(src, w, 1, KT_OP_WRITE, r, 1, KT_OP_READ, 4, true);
		CHECK_STR(src_str(x, "locks.relation"), "irq-vs-task");
		CHECK_STR(src_str(x, "b.context"), "irq");
		kt_facts_free(x);
	}
}

/* Where the tree does not say it all: token fallbacks, paths, frames outside the tree. */
static void fallbacks(struct kt_source *src)
{
	struct kt_facts *x;

	{
		/* two reads of one size on a line: the first without a hint, the
		 * vmlinux's member at the address with one; the binary stage's
		 * object stays, ours goes to object.source */
		struct src_fr f[] = {{"lk_two_reads", C, "two_reads", false, 0}};

		x = run1(src, f, 1, KT_OP_READ, 4);
		CHECK_STR(src_str(x, "a.expr.field"), "struct lk_obj::state");
		kt_facts_free(x);
		x = kt_facts_new();
		kt_facts_set_str(x, "a.obj.member", "refs.counter", KT_ORIGIN_VMLINUX);
		kt_facts_set_str(x, "object", "lk_root.refs.counter", KT_ORIGIN_VMLINUX);
		x = run1f(src, f, 1, KT_OP_READ, 4, x);
		CHECK_STR(src_str(x, "a.expr.field"), "struct lk_obj::refs.counter");
		CHECK_STR(src_str(x, "object"), "lk_root.refs.counter");
		CHECK_STR(src_str(x, "object.source"), "struct lk_obj::refs.counter");
		kt_facts_free(x);
	}
	{
		/* a TU that does not parse: token fallback, said in a note */
		struct src_fr f[] = {{"lk_broken", "lk_broken.c", "broken_count", false, 0}};
		char *l, *n;

		x = run1(src, f, 1, KT_OP_READ_WRITE, 4);
		CHECK_STR(src_str(x, "a.expr.field"), "struct lk_thing::count");
		CHECK_STR(src_str(x, "a.expr.text"), "t->count");
		CHECK(src_flag(x, "a.expr.rmw"));
		l = src_list(x, "a.locks");
		CHECK_STR(l, "struct lk_thing::lock (exclusive)");
		n = src_list(x, "note");
		CHECK(strstr(n, "did not parse") != NULL);
		CHECK(strstr(n, "token fallback") != NULL);
		free(l);
		free(n);
		kt_facts_free(x);
	}
	{
		/* the token fallback sees a bit test but not its mask */
		struct src_fr f[] = {{"lk_broken_bit", "lk_broken.c", "broken_mask", false, 0}};

		x = run1(src, f, 1, KT_OP_READ, 4);
		CHECK_STR(src_str(x, "a.expr.text"), "t->flags");
		CHECK(src_flag(x, "a.expr.bittest"));
		CHECK(kt_facts_get(x, "a.expr.mask") == NULL);
		kt_facts_free(x);
	}
	{
		/* a build machine's absolute path maps onto the tree; ".." does not
		 * leave it */
		struct src_fr f[] = {
		    {"lk_scoped", "/usr/src/linux-source-6.1/" C, "scoped_in", false, 0}};
		struct src_fr g[] = {{"lk_scoped", "../locking/" C, "scoped_in", false, 0}};

		f[0].marker = "scoped_in";
		x = run1(src, f, 1, KT_OP_WRITE, 4);
		CHECK_STR(src_str(x, "a.expr.field"), "struct lk_obj::state");
		kt_facts_free(x);
		x = run1(src, g, 1, KT_OP_WRITE, 4);
		CHECK(kt_facts_get(x, "a.expr.field") == NULL);
		CHECK(kt_facts_get(x, "note") != NULL);
		kt_facts_free(x);
	}
	{
		/* a frame outside the tree: a note, not an error */
		struct src_fr f[] = {{"nowhere", "no/such/file.c", "callee", false, 0}};

		x = run1(src, f, 1, KT_OP_READ, 4);
		CHECK(kt_facts_get(x, "note") != NULL);
		CHECK(kt_facts_get(x, "a.expr.field") == NULL);
		kt_facts_free(x);
	}
}

/* What the code does with a loaded value or a stored one. */
static void value_use(struct kt_source *src)
{
	/* how a loaded pointer is used: only compared, or tested and loaded
	 * again to be followed (check-then-use) */
	use(src, "lk_tctx_check_thread", "cmp_current", 0, KT_OP_READ, "t->thread", true, false);
	use(src, "lk_tctx_idle", "cmp_null", 0, KT_OP_READ, "t->io_wq", true, false);
	use(src, "lk_tctx_owned", "cmp_owner", 0, KT_OP_READ, "t->owner", true, false);
	use(src, "lk_tctx_owned", "truth", 0, KT_OP_READ, "t->spare", true, false);
	use(src, "lk_tctx_nr", "reload_deref", 0, KT_OP_READ, "t->io_wq", true, true);
	use(src, "lk_tctx_cancel", "reload_pass", 0, KT_OP_READ, "t->io_wq", true, true);
	/* the same found by name and body (the report's line has moved): the
	 * whole body's accesses give the later load */
	use(src, "lk_tctx_cancel", "reload_pass", 2, KT_OP_READ, "t->io_wq", true, true);
	/* read once into a local: the local is followed, not a reload */
	use(src, "lk_tctx_once", "load_once", 0, KT_OP_READ, "t->io_wq", false, false);
	/* the function stores the pointer itself before loading it again */
	use(src, "lk_tctx_install", "own_store", 0, KT_OP_READ, "t->spare", true, false);
	/* passed to a call, and the later load is only returned */
	use(src, "lk_tctx_get", "passed_first", 0, KT_OP_READ, "t->spare", false, false);
	/* loaded again only after a lock is taken: the test repeated under it */
	use(src, "lk_tctx_park", "cmp_then_lock", 0, KT_OP_READ, "t->thread", true, false);
	/* a store is neither */
	use(src, "lk_tctx_install", "own_store", -1, KT_OP_WRITE, "t->spare", false, false);
	/* the same pattern seen from the second load: the use after the test */
	after_check(src, "lk_tctx_cancel", "reload_pass", -1, "t->io_wq", true);
	after_check(src, "lk_tctx_cancel", "reload_pass", 0, "t->io_wq", false);
	/* the function stored the pointer itself between the test and the use */
	after_check(src, "lk_tctx_install", "own_store", -2, "t->spare", false);
	/* returned, not followed; and no earlier test */
	after_check(src, "lk_tctx_get", "passed_first", -1, "t->spare", false);
	after_check(src, "lk_tctx_get", "passed_first", 0, "t->spare", false);
	/* tested and used under the lock: the pair after the lock counts, the
	 * test before the lock does not reach across it */
	after_check(src, "lk_tctx_park", "cmp_then_lock", -3, "t->thread", true);
	/* the value a store writes: a local followed to its initializer or
	 * its last assignment before the store, WRITE_ONCE()'s value argument,
	 * clock sources from access.tbl (a member named like one is not) */
	stored(src, "lk_stamp_local", "stamp_local", KT_OP_WRITE, 8, "*var", "jiffies", true);
	stored(src, "lk_stamp_direct", "stamp_direct", KT_OP_WRITE, 8, "st->last_used",
	       "jiffies + 1", true);
	stored(src, "lk_stamp_once", "stamp_once", KT_OP_WRITE, 8, "st->ns", "ktime_get_ns()",
	       true);
	stored(src, "lk_stamp_not_clock", "stamp_reassigned", KT_OP_WRITE, 8, "st->last_used", "v",
	       false);
	stored(src, "lk_stamp_not_clock", "stamp_member", KT_OP_WRITE, 8, "st->ns", "st->jiffies",
	       false);
	stored(src, "lk_write_once", "write_once", KT_OP_WRITE, 4, "obj->state", "6", false);
	stored(src, "lk_write_once_from", "write_once_from", KT_OP_WRITE, 8, "obj->stats",
	       "other->stats", false);
	/* a load stores nothing */
	guards(src, "lk_pool_alloc", "kick_direct", "schedule_work", true);
	guards(src, "lk_pool_alloc", "kick_helper", "queue_work", true);
	guards(src, "lk_pool_alloc", "kick_and_log", "lk_log; schedule_work", false);
	guards(src, "lk_pool_alloc", "kick_else", NULL, false);
	guards(src, "lk_pool_alloc", "kick_store", NULL, false);
	stored(src, "lk_stamp_age", "stamp_age", KT_OP_READ, 8, "st->last_used", NULL, false);
}

int main(void)
{
	struct kt_source_opts o = {.src_dir = TREE, .rules_dir = KT_SOURCE_RULES_DIR};
	struct kt_source *src;
	struct kt_error *err = kt_source_open(&o, &src);

	CHECK(err == NULL);
	if (err) {
		char *m = kt_error_format(err);

		fprintf(stderr, "%s\n", m);
		free(m);
		kt_error_free(err);
		return kt_test_done("source_locking");
	}
	lock_idioms(src);
	modes(src);
	expressions(src);
	expression_values(src);
	relations(src);
	fallbacks(src);
	value_use(src);
	kt_source_close(src);
	bad_inputs();
	return kt_test_done("source_locking");
}
