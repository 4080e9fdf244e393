// SPDX-License-Identifier: Apache-2.0
/*
 * The binary layer on the mini kernel, built now with gcc (DWARF 4 and 5)
 * and clang when present: frames, inline chains, objects, members, kinds,
 * mismatches, against golden expectations from the "MK:" source markers and
 * against addr2line -f -i when it is installed.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "kcsan/binary.h"
#include "kcsan/facts.h"
#include "kcsan/report.h"
#include "mk.h"
#include "../../testdata/minikernel/mk.h"

struct hop {
	const char *func;
	const char *file;
	const char *marker;
};

/* Frame text "func+0xOFF/0xSIZE" of the n-th call to prefix in func. */
static bool frame_of(const struct mk_build *b, const char *func, int nth_sym, const char *prefix,
		     int nth_call, char *out, size_t outn, uint64_t *pc)
{
	uint64_t addr, size, offs[64];
	size_t n;

	if (!mk_sym(b->bin, func, nth_sym, &addr, &size))
		return false;
	n = mk_calls(b->bin, addr, size, prefix, offs, 64);
	if ((size_t)nth_call >= n)
		return false;
	snprintf(out, outn, "%s+0x%llx/0x%llx", func, (unsigned long long)offs[nth_call],
		 (unsigned long long)mk_kallsyms_size(b->bin, addr));
	if (pc)
		*pc = addr + offs[nth_call] - 1;
	return true;
}

static char *make_report(const char *acc1, const char *stack1, const char *acc2, const char *stack2)
{
	char *s = NULL;

	if (asprintf(&s,
		     "==================================================================\n"
		     "BUG: KCSAN: data-race in x / y\n\n"
		     "%s\n%s\n%s\n%s\n"
		     "Reported by Kernel Concurrency Sanitizer on:\n"
		     "CPU: 1 PID: 47 Comm: mk Not tainted 6.1.0 #1\n"
		     "==================================================================\n",
		     acc1, stack1, acc2, stack2) < 0)
		abort();
	return s;
}

/* Does some tsan call in func symbolize to exactly this chain? */
static bool chain_somewhere(struct kt_vmlinux *vm, const struct mk_build *b, const char *func,
			    const struct hop *want, size_t nwant)
{
	for (int k = 0; k < 16; k++) {
		char fr[256], text[512];
		struct kt_report *rep = NULL;
		struct kt_frame *out = NULL;
		size_t n = 0;
		bool ok = true;

		if (!frame_of(b, func, 0, "__tsan_", k, fr, sizeof(fr), NULL))
			return false;
		snprintf(text, sizeof(text), " %s", fr);
		char *r = make_report("read to 0x0 of 8 bytes by task 1 on cpu 0:", text,
				      "read to 0x0 of 8 bytes by task 2 on cpu 1:", text);
		struct kt_error *e = kt_report_parse_string(r, "mk", &rep);

		free(r);
		if (e || !rep) {
			kt_error_free(e);
			return false;
		}
		e = kt_vmlinux_symbolize_stack(vm, &rep->access[0], &out, &n);
		if (e || n != nwant)
			ok = false;
		for (size_t i = 0; ok && i < n; i++) {
			int line = mk_marker(want[i].file, want[i].marker);

			if (strcmp(out[i].func, want[i].func) != 0 || !out[i].file ||
			    strcmp(out[i].file, want[i].file) != 0 || out[i].line != line ||
			    out[i].inlined != (i + 1 < n))
				ok = false;
		}
		kt_error_free(e);
		kt_frames_free(out, n);
		kt_report_free(rep);
		if (ok)
			return true;
	}
	return false;
}

/* Every tsan call site and call in the mini kernel against addr2line. */
static void against_addr2line(struct kt_vmlinux *vm, const struct mk_build *b)
{
	static const char *const funcs[] = {"mk_mark_dirty", "mk_read_alone", "mk_lru_add",
					    "mk_stat_inc",   "mk_set_parent", "mk_tick",
					    "mk_read_seq",   "mk_pcpu_add",   "mk_syscall",
					    "mk_set_flag",   "mk_advance"};
	int compared = 0;

	for (size_t f = 0; f < sizeof(funcs) / sizeof(funcs[0]); f++) {
		for (int k = 0; k < 16; k++) {
			char fr[256], text[300], want[4096] = "", got[4096] = "";
			char fn[16][128], loc[16][256];
			uint64_t pc;
			int n;

			if (!frame_of(b, funcs[f], 0, "", k, fr, sizeof(fr), &pc))
				break;
			n = mk_addr2line(b->bin, b->dir, pc, fn, loc, 16);
			if (n < 0) {
				printf("addr2line not installed: comparison skipped\n");
				return;
			}
			/* syzbot layout from addr2line's lines (each bounded by its
			 * array, which gcc cannot tell from the index alone) */
			for (int i = 0; i < n; i++) {
				size_t l = strlen(want);
				int nl = (int)sizeof(loc[i]);

				if (i + 1 < n)
					snprintf(want + l, sizeof(want) - l,
						 " %.*s %.*s [inline]\n", (int)sizeof(fn[i]), fn[i],
						 nl, loc[i]);
				else
					snprintf(want + l, sizeof(want) - l, " %s %.*s\n", fr, nl,
						 loc[i]);
			}
			snprintf(text, sizeof(text), " %s\n", fr);
			FILE *mf = fmemopen(got, sizeof(got) - 1, "w");
			struct kt_error *e = kt_vmlinux_symbolize_text(vm, text, mf);

			fclose(mf);
			CHECK(e == NULL);
			kt_error_free(e);
			/* our text ends with an empty line for the final "\n" */
			size_t gl = strlen(got);
			if (gl >= 2 && got[gl - 1] == '\n' && got[gl - 2] == '\n')
				got[gl - 1] = 0;
			if (strstr(want, "??") == NULL) {
				CHECK_STR(got, want);
				compared++;
			}
		}
	}
	printf("%s dwarf%d: %d call sites identical to addr2line checked\n", b->cc, b->dwarf,
	       compared);
	CHECK(compared > 20);
}

static const char *fact_str(const struct kt_facts *f, const char *name)
{
	const struct kt_fact *x = kt_facts_get(f, name);

	return x && x->type == KT_FACT_STR ? x->s : NULL;
}

static int fact_bool(const struct kt_facts *f, const char *name)
{
	const struct kt_fact *x = kt_facts_get(f, name);

	return x && x->type == KT_FACT_BOOL ? x->b : -1;
}

/* A report on a global address: object, member and kind facts. */
static void object_case(struct kt_vmlinux *vm, const struct mk_build *b, const char *global,
			size_t off, int size, const char *object, const char *kind,
			const char *member_kind, int bitfield, int shared)
{
	uint64_t addr, gsize;
	char acc[256], fr[256], stack[300];
	struct kt_report *rep = NULL;
	struct kt_facts *facts = kt_facts_new();
	struct kt_error *e;

	CHECK(mk_sym(b->bin, global, 0, &addr, &gsize));
	CHECK(frame_of(b, "mk_tick", 0, "__tsan_", 0, fr, sizeof(fr), NULL));
	snprintf(acc, sizeof(acc), "write to 0x%llx of %d bytes by task 1 on cpu 0:",
		 (unsigned long long)(addr + off), size);
	snprintf(stack, sizeof(stack), " %s\n", fr);
	char *r = make_report(acc, stack, acc, stack);

	e = kt_report_parse_string(r, "mk", &rep);
	free(r);
	CHECK(e == NULL && rep);
	if (rep) {
		e = kt_vmlinux_add_facts(vm, rep, facts);
		if (e)
			fprintf(stderr, "add_facts: %s\n", e->msg);
		CHECK(e == NULL);
		kt_error_free(e);
		CHECK_STR(fact_str(facts, "obj.kind"), kind);
		CHECK_STR(fact_str(facts, "obj.name"), global);
		if (object)
			CHECK_STR(fact_str(facts, "object"), object);
		if (member_kind)
			CHECK_STR(fact_str(facts, "obj.member_kind"), member_kind);
		if (bitfield >= 0)
			CHECK_INT(fact_bool(facts, "obj.bitfield"), bitfield);
		if (shared >= 0)
			CHECK_INT(fact_bool(facts, "obj.bitfield_shared"), shared);
		CHECK_STR(fact_str(facts, "a.site.func"), "mk_tick");
		CHECK_STR(fact_str(facts, "a.site.file"), "mk_time.c");
	}
	kt_report_free(rep);
	kt_facts_free(facts);
}

static void range_case(struct kt_vmlinux *vm, const struct mk_build *b, uint64_t addr,
		       const char *kind)
{
	char acc[256], fr[256], stack[300];
	struct kt_report *rep = NULL;
	struct kt_facts *facts = kt_facts_new();

	CHECK(frame_of(b, "mk_tick", 0, "__tsan_", 0, fr, sizeof(fr), NULL));
	snprintf(acc, sizeof(acc),
		 "read to 0x%llx of 8 bytes by task 1 on cpu 0:", (unsigned long long)addr);
	snprintf(stack, sizeof(stack), " %s\n", fr);
	char *r = make_report(acc, stack, acc, stack);
	struct kt_error *e = kt_report_parse_string(r, "mk", &rep);

	free(r);
	CHECK(e == NULL && rep);
	if (rep) {
		e = kt_vmlinux_add_facts(vm, rep, facts);
		CHECK(e == NULL);
		kt_error_free(e);
		CHECK_STR(fact_str(facts, "obj.kind"), kind);
	}
	kt_report_free(rep);
	kt_facts_free(facts);
}

static void mismatch_case(struct kt_vmlinux *vm, const char *frame, const char *needle)
{
	char stack[300];
	struct kt_report *rep = NULL;
	struct kt_facts *facts = kt_facts_new();

	snprintf(stack, sizeof(stack), " %s\n", frame);
	char *r = make_report("read to 0x0 of 8 bytes by task 1 on cpu 0:", stack,
			      "read to 0x0 of 8 bytes by task 2 on cpu 0:", stack);
	struct kt_error *e = kt_report_parse_string(r, "mk", &rep);

	free(r);
	CHECK(e == NULL && rep);
	if (rep) {
		e = kt_vmlinux_check_report(vm, rep);
		CHECK(e != NULL);
		if (e) {
			CHECK_INT(e->code, KT_ERR_MISMATCH);
			CHECK(strstr(e->msg, "vmlinux does not match this report") != NULL);
			CHECK(strstr(e->msg, needle) != NULL);
		}
		kt_error_free(e);
		/* and no facts from a vmlinux that does not belong */
		e = kt_vmlinux_add_facts(vm, rep, facts);
		CHECK(e != NULL);
		CHECK_INT(kt_facts_count(facts), 0);
		kt_error_free(e);
	}
	kt_report_free(rep);
	kt_facts_free(facts);
}

/* Inline chains, from the markers. */
static void inline_chains(struct kt_vmlinux *vm, const struct mk_build *b)
{
	const struct hop dirty[] = {{"mk_inode_set_dirty", "mk_inode.c", "set_dirty"},
				    {"mk_mark_dirty", "mk_inode.c", "call_set_dirty"}};
	CHECK(chain_somewhere(vm, b, "mk_mark_dirty", dirty, 2));
	const struct hop lru[] = {{"__mk_list_add", "mk_inode.c", "list_add_prev"},
				  {"mk_list_add", "mk_inode.c", "call_list_add"},
				  {"mk_lru_add", "mk_inode.c", "call_lru_add"}};
	CHECK(chain_somewhere(vm, b, "mk_lru_add", lru, 3));
	const struct hop tick[] = {{"mk_tick", "mk_time.c", "tick"}};
	CHECK(chain_somewhere(vm, b, "mk_tick", tick, 1));
	const struct hop seq[] = {{"mk_read_seq", "mk_time.c", "read_seq"}};
	CHECK(chain_somewhere(vm, b, "mk_read_seq", seq, 1));
}

/* Duplicate static names: the printed size picks the right one. */
static void duplicate_static_names(struct kt_vmlinux *vm, const struct mk_build *b)
{
	struct kt_error *e;

	for (int nth = 0; nth < 2; nth++) {
		uint64_t addr, size, pc;
		char fr[256], text[300], got[2048] = "";

		CHECK(mk_sym(b->bin, "mk_helper", nth, &addr, &size));
		if (!frame_of(b, "mk_helper", nth, "__tsan_", 0, fr, sizeof(fr), &pc))
			continue;
		snprintf(text, sizeof(text), " %s\n", fr);
		FILE *mf = fmemopen(got, sizeof(got) - 1, "w");
		e = kt_vmlinux_symbolize_text(vm, text, mf);
		fclose(mf);
		CHECK(e == NULL);
		kt_error_free(e);
		uint64_t other_addr, other_size;

		CHECK(mk_sym(b->bin, "mk_helper", 1 - nth, &other_addr, &other_size));
		if (mk_kallsyms_size(b->bin, addr) != mk_kallsyms_size(b->bin, other_addr)) {
			/* the one with the stores to globals is mk_time.c's */
			char acc[64];

			snprintf(acc, sizeof(acc),
				 "%s:", size > other_size ? "mk_time.c" : "mk_inode.c");
			CHECK(strstr(got, acc) != NULL);
		}
	}
}

/* Objects and members (gcc and clang lay the struct out alike). */
static void objects_and_members(struct kt_vmlinux *vm, const struct mk_build *b)
{
	object_case(vm, b, "mk_jiffies", 0, 8, "mk_jiffies", "global", "integer", 0, -1);
	object_case(vm, b, "mk_rcu_state", offsetof(struct mk_rcu_state, expedited_sequence), 8,
		    "mk_rcu_state.expedited_sequence", "global", "integer", 0, -1);
	object_case(vm, b, "mk_root_inode", offsetof(struct mk_inode, i_state), 8,
		    "mk_root_inode.i_state", "global", "integer", 0, -1);
	object_case(vm, b, "mk_root_inode", offsetof(struct mk_inode, i_alone) - 4, 1,
		    "mk_root_inode.i_dirty", "global", "integer", 1, 1);
	object_case(vm, b, "mk_root_inode", offsetof(struct mk_inode, i_alone), 4,
		    "mk_root_inode.i_alone", "global", "integer", 0, -1);
	object_case(vm, b, "mk_root_inode", offsetof(struct mk_inode, i_lru), 8,
		    "mk_root_inode.i_lru.next", "global", "list_head", 0, -1);
	object_case(vm, b, "mk_root_inode", offsetof(struct mk_inode, i_lru), 16,
		    "mk_root_inode.i_lru", "global", "list_head", 0, -1);
	object_case(vm, b, "mk_root_inode", offsetof(struct mk_inode, i_count), 4,
		    "mk_root_inode.i_count.counter", "global", "atomic_t", 0, -1);
	object_case(vm, b, "mk_root_inode", offsetof(struct mk_inode, i_ref), 4,
		    "mk_root_inode.i_ref.refs.counter", "global", "refcount_t", 0, -1);
	object_case(vm, b, "mk_root_inode", offsetof(struct mk_inode, i_lock), 4,
		    "mk_root_inode.i_lock.rlock.val", "global", "spinlock_t", 0, -1);
	object_case(vm, b, "mk_root_inode", offsetof(struct mk_inode, i_parent), 8,
		    "mk_root_inode.i_parent", "global", "pointer", 0, -1);
	object_case(vm, b, "mk_root_inode", offsetof(struct mk_inode, i_dead), 1,
		    "mk_root_inode.i_dead", "global", "bool", 0, -1);
	object_case(vm, b, "mk_root_inode", offsetof(struct mk_inode, i_stats) + 2 * sizeof(long),
		    8, "mk_root_inode.i_stats[2]", "global", "integer", 0, -1);
	object_case(vm, b, "mk_pcpu_counter", 0, 8, "mk_pcpu_counter", "percpu", "integer", 0, -1);
}

/* Layouts of a named type, as the source stage asks for heap objects. */
static void named_type_layouts(struct kt_vmlinux *vm)
{
	struct kt_vmlinux_member m;
	struct kt_error *e;

	e = kt_vmlinux_member_at(vm, "struct mk_inode", offsetof(struct mk_inode, i_lru), 8, &m);
	CHECK(e == NULL);
	kt_error_free(e);
	CHECK_STR(m.path, "i_lru.next");
	CHECK_STR(m.kind, "list_head");
	CHECK_STR(m.type, "struct list_head *");
	CHECK_STR(m.container, "struct mk_inode");
	CHECK_INT(m.offset, offsetof(struct mk_inode, i_lru));
	kt_vmlinux_member_fini(&m);
	e = kt_vmlinux_member_named(vm, "struct mk_inode", "i_new", &m);
	CHECK(e == NULL);
	kt_error_free(e);
	CHECK(m.bitfield);
	CHECK(m.bitfield_shared);
	CHECK_INT(m.bit_size, 1);
	kt_vmlinux_member_fini(&m);
	e = kt_vmlinux_member_named(vm, "struct mk_inode", "i_ref", &m);
	CHECK(e == NULL);
	kt_error_free(e);
	CHECK_STR(m.path, "i_ref");
	CHECK_STR(m.kind, "refcount_t");
	CHECK_INT(m.size, 4);
	kt_vmlinux_member_fini(&m);
	e = kt_vmlinux_member_named(vm, "spinlock_t", "rlock.val", &m);
	CHECK(e == NULL);
	kt_error_free(e);
	CHECK_STR(m.kind, "spinlock_t");
	kt_vmlinux_member_fini(&m);
	e = kt_vmlinux_member_named(vm, "struct mk_inode", "i_nothing", &m);
	CHECK(e != NULL && strstr(e->msg, "i_nothing") != NULL);
	kt_error_free(e);
	e = kt_vmlinux_member_at(vm, "struct no_such_type", 0, 4, &m);
	CHECK(e != NULL && strstr(e->msg, "no_such_type") != NULL);
	kt_error_free(e);
}

/* Address ranges outside the image. */
static void address_ranges(struct kt_vmlinux *vm, const struct mk_build *b)
{
	range_case(vm, b, 0xffff888000a9ceb8ULL, "heap");
	range_case(vm, b, 0xffffc90000123000ULL, "vmalloc");
	range_case(vm, b, 0x00007ffd12345678ULL, "user");
	range_case(vm, b, 0xffffffffa0001000ULL, "module");
}

/* A symbolized report (as syzbot prints it), written from the markers:
 * it checks clean; with a wrong line or a missing inline frame it does
 * not. */
static void symbolized_report_check(struct kt_vmlinux *vm, const struct mk_build *b)
{
	char fr[256], good[1024], bad[1024], noinl[1024];
	int l_in = mk_marker("mk_inode.c", "set_dirty");
	int l_out = mk_marker("mk_inode.c", "call_set_dirty");
	bool found = false;
	struct kt_error *e;

	for (int k = 0; k < 8 && !found; k++) {
		struct kt_frame *fo = NULL;
		size_t nf = 0;

		if (!frame_of(b, "mk_mark_dirty", 0, "__tsan_", k, fr, sizeof(fr), NULL))
			break;
		/* keep a call site whose chain is the two-level one */
		char one[300];
		struct kt_report *r1 = NULL;

		snprintf(one, sizeof(one), " %s\n", fr);
		char *t1 = make_report("write to 0x0 of 1 bytes by task 1 on cpu 0:", one,
				       "write to 0x0 of 1 bytes by task 2 on cpu 1:", one);
		e = kt_report_parse_string(t1, "mk", &r1);
		free(t1);
		kt_error_free(e);
		if (r1) {
			e = kt_vmlinux_symbolize_stack(vm, &r1->access[0], &fo, &nf);
			kt_error_free(e);
			found = nf == 2 && fo[0].line == l_in && fo[1].line == l_out;
			kt_frames_free(fo, nf);
			kt_report_free(r1);
		}
	}
	CHECK(found);
	snprintf(good, sizeof(good),
		 " mk_inode_set_dirty mk_inode.c:%d [inline]\n %s mk_inode.c:%d\n", l_in, fr,
		 l_out);
	snprintf(bad, sizeof(bad),
		 " mk_inode_set_dirty mk_inode.c:%d [inline]\n %s mk_inode.c:%d\n", l_in, fr,
		 l_out + 1);
	snprintf(noinl, sizeof(noinl), " %s mk_inode.c:%d\n", fr, l_out);
	const char *texts[3] = {good, bad, noinl};

	for (int i = 0; i < 3 && found; i++) {
		struct kt_report *rep = NULL;
		char *t = make_report("write to 0x0 of 1 bytes by task 1 on cpu 0:", texts[i],
				      "write to 0x0 of 1 bytes by task 2 on cpu 1:", texts[i]);

		e = kt_report_parse_string(t, "mk", &rep);
		free(t);
		CHECK(e == NULL && rep);
		kt_error_free(e);
		if (!rep)
			continue;
		CHECK(rep->symbolized);
		e = kt_vmlinux_check_report(vm, rep);
		if (i == 0) {
			if (e)
				fprintf(stderr, "symbolized check: %s\n", e->msg);
			CHECK(e == NULL);
		} else {
			CHECK(e != NULL && e->code == KT_ERR_MISMATCH);
		}
		kt_error_free(e);
		kt_report_free(rep);
	}
}

/* A report from another build. */
static void report_from_another_build(struct kt_vmlinux *vm, const struct mk_build *b)
{
	uint64_t addr, size;
	char fr[128];

	mismatch_case(vm, "no_such_function+0x10/0x40", "no_such_function");
	CHECK(mk_sym(b->bin, "mk_tick", 0, &addr, &size));
	snprintf(fr, sizeof(fr), "mk_tick+0x4/0x%llx", (unsigned long long)(size + 0x1000));
	mismatch_case(vm, fr, "mk_tick");
}

/* Every check on the mini kernel built by cc with DWARF version dwarf. */
static void variant(const char *cc, int dwarf)
{
	struct mk_build b;
	struct kt_vmlinux *vm = NULL;
	struct kt_vmlinux_opts opts = {.no_cache = true, .rules_dir = KT_SOURCE_RULES_DIR};
	struct kt_error *e;

	if (!mk_build("mk", cc, dwarf, &b))
		return;
	e = kt_vmlinux_open(b.bin, &opts, &vm);
	if (e)
		fprintf(stderr, "open: %s\n", e->msg);
	CHECK(e == NULL);
	kt_error_free(e);
	if (!vm)
		return;
	inline_chains(vm, &b);
	duplicate_static_names(vm, &b);
	objects_and_members(vm, &b);
	named_type_layouts(vm);
	address_ranges(vm, &b);
	symbolized_report_check(vm, &b);
	report_from_another_build(vm, &b);
	against_addr2line(vm, &b);
	kt_vmlinux_close(vm);
}

/* A relocatable kernel (KASLR possible): image addresses are not named. */
static void relocatable(void)
{
	struct mk_build b;
	struct kt_vmlinux *vm = NULL;
	struct kt_vmlinux_opts opts = {.no_cache = true, .rules_dir = KT_SOURCE_RULES_DIR};
	struct kt_error *e;
	uint64_t addr, size;
	char acc[256], fr[256], stack[300];
	struct kt_report *rep = NULL;
	struct kt_facts *facts = kt_facts_new();

	if (!mk_build_ld("reloc", "gcc", 5, "-Wl,--emit-relocs", &b)) {
		kt_facts_free(facts);
		return;
	}
	e = kt_vmlinux_open(b.bin, &opts, &vm);
	CHECK(e == NULL);
	kt_error_free(e);
	CHECK(mk_sym(b.bin, "mk_jiffies", 0, &addr, &size));
	CHECK(frame_of(&b, "mk_tick", 0, "__tsan_", 0, fr, sizeof(fr), NULL));
	snprintf(acc, sizeof(acc),
		 "write to 0x%llx of 8 bytes by task 1 on cpu 0:", (unsigned long long)addr);
	snprintf(stack, sizeof(stack), " %s\n", fr);
	char *r = make_report(acc, stack, acc, stack);

	e = kt_report_parse_string(r, "mk", &rep);
	free(r);
	CHECK(e == NULL && rep && vm);
	kt_error_free(e);
	if (rep && vm) {
		e = kt_vmlinux_add_facts(vm, rep, facts);
		CHECK(e == NULL);
		kt_error_free(e);
		CHECK_STR(fact_str(facts, "obj.kind"), "image");
		CHECK_INT(fact_bool(facts, "obj.kaslr"), 1);
		CHECK(fact_str(facts, "object") == NULL);
		CHECK(fact_str(facts, "obj.name") == NULL);
		CHECK_STR(fact_str(facts, "a.site.func"), "mk_tick");
	}
	kt_report_free(rep);
	kt_facts_free(facts);
	kt_vmlinux_close(vm);
}

int main(void)
{
	relocatable();
	variant("gcc", 4);
	variant("gcc", 5);
	variant("clang", 4);
	variant("clang", 5);
	return kt_test_done("test_minikernel");
}
