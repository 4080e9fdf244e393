// SPDX-License-Identifier: Apache-2.0
/*
 * The source stage on the real fixture (Debian 6.1, reports/symbolized): for
 * the first report of each of the 33 titles, the object and both locksets a
 * reader of that kernel's code finds. The expectations were written from
 * reading the fixture's source along each stack, not from the tool's output.
 * Locks a reader finds but a lexical walk of the stack cannot (taken in a
 * callee that returned and not in locks.tbl, e.g. path_init's rcu_read_lock
 * in RCU walk) are listed in `missed` and printed, not asserted.
 * Skips (77) when the shared fixtures are absent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "harness.h"
#include "kcsan/facts.h"
#include "kcsan/report.h"
#include "kcsan/source.h"

#define FIX  KT_SHARED_DIR "/fixtures/kcsan-6.1"
#define TREE KT_BUILD_DIR "/fixture-src"

#define IR    "struct inode::i_rwsem (exclusive)"
#define PIPE  "struct pipe_inode_info::mutex (exclusive)"
#define TRW_X "struct tty_struct::termios_rwsem (exclusive)"
#define TRW_S "struct tty_struct::termios_rwsem (shared)"
#define OUTL  "struct n_tty_data::output_lock (exclusive)"
#define BUFL  "struct tty_bufhead::lock (exclusive)"
#define AWL   "struct tty_struct::atomic_write_lock (exclusive)"
#define DL    "struct dentry::d_lock (exclusive)"
/* rcu_read_lock() of a path walk in RCU mode, taken in path_init() and
 * still held in the callees until the walk leaves RCU mode (locks.tbl) */
#define RCUW "rcu (path walk in RCU mode) (rcu)"
/* tty_ldisc_ref_wait()/tty_ldisc_ref(): the line discipline reference */
#define LD "struct tty_struct::ldisc_sem (ref)"

struct expect {
	const char *file;
	const char *object;
	const char *locks[2];  /* "; "-separated, "" = none held */
	const char *missed[2]; /* what the lexical walk cannot see */
};

/*
 * The placement strategy (src.strategy) of each side where it is not "line"
 * (the tree is the report's kernel: every other access is on its line).
 */
static const struct {
	const char *file;
	const char *strategy[2];
} placed[] = {
    /* both sides are copy helpers (access.tbl `copy`) */
    {"003-data-race-in-_copy_to_iter-copy_page_from_iter_atomic.txt", {"copy", "copy"}},
    /* relatime_need_update's line reads i_mtime and i_atime: the other
     * side's i_atime picks the one */
    {"011-data-race-in-atime_needs_update-setattr_copy.txt", {"line-other-object", "line"}},
    {"033-data-race-in-atime_needs_update-touch_atime.txt", {"line-other-object", "line"}},
};

static const char *strategy_of(const char *file, int side)
{
	for (size_t i = 0; i < sizeof(placed) / sizeof(placed[0]); i++)
		if (strcmp(placed[i].file, file) == 0)
			return placed[i].strategy[side];
	return "line";
}

static const struct expect ex[] = {
    /* generic_update_time under generic_file_write_iter's inode_lock; the
     * reader is splice_file_to_pipe's shmem read with the pipe locked */
    {"001-data-race-in-atime_needs_update-generic_update_time.txt",
     "struct inode::i_mtime",
     {IR, PIPE},
     {NULL, NULL}},
    /* ->write_begin (shmem_write_begin) returns the page locked until
     * ->write_end; the reader copies after unlocking its folio */
    {"003-data-race-in-_copy_to_iter-copy_page_from_iter_atomic.txt",
     "page cache data of a shmem file",
     {IR "; page lock of ->write_begin (exclusive)", ""},
     {NULL, NULL}},
    /* pipe_write updates the time after __pipe_unlock() */
    {"007-data-race-in-generic_update_time-inode_needs_update_time-part-0.txt",
     "struct inode::i_ctime",
     {"", ""},
     {NULL, NULL}},
    {"008-data-race-in-generic_fillattr-setattr_copy.txt",
     "struct inode::i_mtime",
     {"", IR},
     {NULL, NULL}},
    /* relatime_need_update compares i_mtime with i_atime: the i_atime side races */
    {"011-data-race-in-atime_needs_update-setattr_copy.txt",
     "struct inode::i_atime",
     {"", IR},
     {NULL, NULL}},
    {"012-data-race-in-setattr_copy-vfs_write.txt", "struct inode::i_mode", {IR, ""}, {NULL, NULL}},
    {"014-data-race-in-generic_fillattr-shmem_setattr.txt",
     "struct inode::i_mtime",
     {"", IR},
     {NULL, NULL}},
    {"019-data-race-in-generic_fillattr-generic_update_time.txt",
     "struct inode::i_mtime",
     {"", IR},
     {NULL, NULL}},
    {"020-data-race-in-setattr_copy-touch_atime.txt",
     "struct inode::i_atime",
     {"", IR},
     {NULL, NULL}},
    /* vfs_rename: lock_rename() on the parents, lock_two_nondirectories() */
    {"025-data-race-in-generic_fillattr-shmem_unlink.txt",
     "struct inode::i_ctime",
     {"", IR},
     {NULL, NULL}},
    /* open_last_lookups leaves RCU mode (try_to_unlazy) in its O_CREAT
     * branch; the lexical walk cannot tell that the goto to step_into came
     * from the other branch, and drops the mode */
    {"026-data-race-in-step_into-vfs_rename.txt",
     "struct dentry::d_flags",
     {DL "; " IR, ""},
     {NULL, "rcu_read_lock() of an RCU path walk, taken in path_init()"}},
    {"027-data-race-in-generic_fillattr-shmem_link.txt",
     "struct inode::i_ctime",
     {IR, ""},
     {NULL, NULL}},
    {"030-data-race-in-shmem_get_folio_gfp-constprop-0-shmem_setattr.txt",
     "struct inode::i_size",
     {IR, ""},
     {NULL, NULL}},
    /* __wake_up_common_lock holds the waitqueue lock with irqs off; pipe_write
     * wakes readers after __pipe_unlock() */
    {"031-data-race-in-do_sys_poll-pollwake.txt",
     "struct poll_wqueues::triggered",
     {"", "struct wait_queue_head::lock (exclusive); irqs-disabled (irq)"},
     {NULL, NULL}},
    /* pipe_fcntl holds the pipe mutex, pipe_resize_ring the rd_wait lock */
    {"032-data-race-in-pipe_poll-pipe_resize_ring.txt",
     "struct pipe_inode_info::max_usage",
     {PIPE "; struct pipe_inode_info::rd_wait.lock (exclusive); irqs-disabled (irq)", ""},
     {NULL, NULL}},
    {"033-data-race-in-atime_needs_update-touch_atime.txt",
     "struct inode::i_atime",
     {"", PIPE},
     {NULL, NULL}},
    {"035-data-race-in-atime_needs_update-shmem_unlink.txt",
     "struct inode::i_ctime",
     {"", IR},
     {NULL, NULL}},
    /* __dentry_kill: d_lock, the inode's i_lock, d_seq write section; the
     * dput() in do_renameat2 runs before unlock_rename() */
    {"036-data-race-in-dentry_unlink_inode-step_into.txt",
     "struct dentry::d_inode",
     {DL "; struct inode::i_lock (exclusive); struct dentry::d_seq (seqcount); " IR, RCUW},
     {NULL, NULL}},
    {"037-data-race-in-generic_fillattr-inc_nlink.txt",
     "struct inode::i_nlink",
     {IR, ""},
     {NULL, NULL}},
    {"041-data-race-in-lookup_fast-vfs_rename.txt",
     "struct dentry::d_flags",
     {DL "; " IR, RCUW},
     {NULL, NULL}},
    {"043-data-race-in-may_linkat-setattr_copy.txt",
     "struct inode::i_mode",
     {IR, ""},
     {NULL, NULL}},
    /* input_available_p() reads termios.c_lflag (L_EXTPROC) with only the
     * ldisc reference tty_poll took */
    {"044-data-race-in-n_tty_poll-tty_set_termios.txt",
     "struct tty_struct::termios",
     {LD, LD "; " TRW_X},
     {NULL, NULL}},
    /* both sides hold termios_rwsem for reading: it does not order them */
    {"045-data-race-in-commit_echoes-process_echoes.txt",
     "struct n_tty_data::echo_mark",
     {OUTL "; " TRW_S "; " BUFL "; " LD, TRW_S "; " AWL "; " LD},
     {NULL, NULL}},
    {"047-data-race-in-n_tty_receive_buf_common-process_echoes.txt",
     "struct n_tty_data::echo_commit",
     {OUTL "; " TRW_S "; " AWL "; " LD, TRW_S "; " BUFL "; " LD},
     {NULL, NULL}},
    /* n_tty_write checks L_TOSTOP before down_read(&tty->termios_rwsem) */
    {"051-data-race-in-n_tty_write-tty_set_termios.txt",
     "struct tty_struct::termios",
     {AWL "; " LD, TRW_X "; " LD},
     {NULL, NULL}},
    /* push and icanon are bit-fields of one byte */
    {"053-data-race-in-n_tty_poll-n_tty_set_termios.txt",
     "struct n_tty_data::push / icanon (same storage)",
     {TRW_X "; " LD, LD},
     {NULL, NULL}},
    {"055-data-race-in-n_tty_lookahead_flow_ctrl-tty_set_termios.txt",
     "struct tty_struct::termios",
     {BUFL "; " LD, TRW_X "; " LD},
     {NULL, NULL}},
    {"060-data-race-in-do_faccessat-setattr_copy.txt",
     "struct inode::i_mode",
     {IR, ""},
     {NULL, NULL}},
    {"061-data-race-in-may_open-setattr_copy.txt", "struct inode::i_mode", {IR, ""}, {NULL, NULL}},
    {"063-data-race-in-generic_permission-setattr_copy.txt",
     "struct inode::i_mode",
     {IR, ""},
     {NULL, NULL}},
    {"068-data-race-in-do_dentry_open-setattr_copy.txt",
     "struct inode::i_mode",
     {IR, ""},
     {NULL, NULL}},
    {"071-data-race-in-__fput-setattr_copy.txt", "struct inode::i_mode", {IR, ""}, {NULL, NULL}},
    /* open_last_lookups locks the parent directory, exclusive for O_CREAT and
     * shared otherwise (shmem_create in the stack says O_CREAT; the lexical
     * walk only knows it is one of the two) */
    {"075-data-race-in-generic_fillattr-shmem_mknod.txt",
     "struct inode::i_ctime",
     {"struct inode::i_rwsem (exclusive|shared)", ""},
     {NULL, NULL}},
};

static bool exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted "; "-joined text of a lock list. */
static char *join(const char **v, size_t n)
{
	size_t len = 1;
	char *s;

	qsort(v, n, sizeof(*v), cmp);
	for (size_t i = 0; i < n; i++)
		len += strlen(v[i]) + 2;
	s = calloc(1, len);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(s, "; ");
		strcat(s, v[i]);
	}
	return s;
}

static char *norm(const char *text)
{
	const char *v[32];
	size_t n = 0;
	char *copy = strdup(text), *p = copy, *r;

	while (*p && n < 32) {
		char *e = strstr(p, "; ");

		if (e)
			*e = 0;
		v[n++] = p;
		if (!e)
			break;
		p = e + 2;
	}
	r = join(v, n);
	free(copy);
	return r;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* What the reports found and how much of it was expected. */
struct tally {
	int with_object, with_locks, sides, obj_ok, locks_ok;
	double total; /* ms in the source stage */
};

/* Side k's lockset and placement against what a reader of the code finds. */
static void check_side(const struct kt_facts *f, const struct expect *e, int k, struct tally *t)
{
	char name[32];
	const struct kt_fact *known, *locks, *strategy;
	const char *v[32];
	size_t n = 0;
	char *got, *want;

	t->sides++;
	snprintf(name, sizeof(name), "%c.locks.known", 'a' + k);
	known = kt_facts_get(f, name);
	snprintf(name, sizeof(name), "%c.locks", 'a' + k);
	locks = kt_facts_get(f, name);
	if (known && known->b)
		t->with_locks++;
	for (size_t j = 0; locks && j < locks->nlist && n < 32; j++)
		v[n++] = locks->list[j];
	got = join(v, n);
	want = norm(e->locks[k]);
	if (strcmp(got, want) == 0)
		t->locks_ok++;
	else
		fprintf(stderr, "%s side %c: locks [%s], expected [%s]\n", e->file, 'a' + k, got,
			want);
	CHECK(known && known->b);
	CHECK_STR(got, want);
	snprintf(name, sizeof(name), "%c.src.strategy", 'a' + k);
	strategy = kt_facts_get(f, name);
	CHECK_STR(strategy ? strategy->s : NULL, strategy_of(e->file, k));
	if (e->missed[k])
		printf("%s side %c: also held, beyond a lexical walk: %s\n", e->file, 'a' + k,
		       e->missed[k]);
	free(got);
	free(want);
}

/* The report of e through the source stage: its object, then both sides. */
static void check_report(struct kt_source *src, const struct expect *e, struct tally *t)
{
	char path[512];
	FILE *fp;
	struct kt_reader *rd = NULL;
	struct kt_report *rep = NULL;
	struct kt_facts *f = kt_facts_new();
	const struct kt_frame *st[2];
	size_t nf[2];
	const struct kt_fact *obj;
	struct kt_error *err;
	double t0;

	snprintf(path, sizeof(path), "%s/reports/symbolized/%s", FIX, e->file);
	fp = fopen(path, "r");
	CHECK(fp != NULL);
	if (!fp) {
		kt_facts_free(f);
		return;
	}
	err = kt_reader_new(fp, path, &rd);
	if (!err)
		err = kt_reader_next(rd, &rep);
	CHECK(err == NULL && rep != NULL && rep->naccess == 2);
	if (err || !rep || rep->naccess != 2) {
		kt_error_free(err);
		kt_report_free(rep);
		kt_reader_free(rd);
		fclose(fp);
		kt_facts_free(f);
		return;
	}
	for (int k = 0; k < 2; k++) {
		st[k] = rep->access[k].frames;
		nf[k] = rep->access[k].nframes;
	}
	t0 = now_ms();
	err = kt_source_add_facts(src, rep, st, nf, f);
	t->total += now_ms() - t0;
	CHECK(err == NULL);
	kt_error_free(err);
	obj = kt_facts_get(f, "object");
	if (obj && obj->s)
		t->with_object++;
	if (obj && obj->s && strcmp(obj->s, e->object) == 0) {
		t->obj_ok++;
	} else {
		fprintf(stderr, "%s: object %s, expected %s\n", e->file,
			obj && obj->s ? obj->s : "(none)", e->object);
	}
	CHECK_STR(obj ? obj->s : NULL, e->object);
	for (int k = 0; k < 2; k++)
		check_side(f, e, k, t);
	kt_facts_free(f);
	kt_report_free(rep);
	kt_reader_free(rd);
	fclose(fp);
}

int main(void)
{
	struct kt_source_opts o = {.src_dir = TREE, .rules_dir = KT_SOURCE_RULES_DIR};
	struct kt_source *src;
	struct kt_error *err;
	struct tally t = {0};
	size_t nex = sizeof(ex) / sizeof(ex[0]);

	if (!exists(FIX "/unpack-source.sh")) {
		printf("SKIP: %s is absent\n", FIX);
		return 77;
	}
	if (!exists(TREE "/compile_commands.json")) {
		if (system("'" FIX "/unpack-source.sh' '" TREE "' >/dev/null") != 0) {
			printf("SKIP: cannot unpack the fixture source into %s\n", TREE);
			return 77;
		}
	}
	err = kt_source_open(&o, &src);
	CHECK(err == NULL);
	if (err) {
		kt_error_free(err);
		return kt_test_done("source_fixture");
	}
	CHECK_INT(nex, 33);
	for (size_t i = 0; i < nex; i++)
		check_report(src, &ex[i], &t);
	printf("fixture: %zu reports, object found %d, as expected %d; lockset found %d/%d sides, "
	       "as expected %d; %.0f ms in all (%.0f ms/report, %u TU parses)\n",
	       nex, t.with_object, t.obj_ok, t.with_locks, t.sides, t.locks_ok, t.total,
	       t.total / (double)nex, kt_source_parses(src));
	kt_source_close(src);
	return kt_test_done("source_fixture");
}
