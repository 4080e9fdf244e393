// SPDX-License-Identifier: Apache-2.0
/*
 * The object a heap access goes through, from the vmlinux alone (access.c):
 *  - the x86-64 operand decoder on encodings written out here (each checked
 *    against what objdump prints for the same bytes);
 *  - the mini kernel built with gcc and clang, DWARF 4 and 5, with the
 *    sanitizer calls KCSAN uses: a report whose address is in the direct map
 *    (a heap object) at a sanitizer call of a function that dereferences its
 *    struct mk_inode parameter must name that struct and the member the
 *    function's source line touches (testdata/minikernel/mk_inode.c); the
 *    other access of the report, at another address of the same object and
 *    in a frame the vmlinux cannot place, gets the same struct; a third
 *    address far from it gets none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "kcsan/binary.h"
#include "kcsan/facts.h"
#include "kcsan/report.h"
#include "mk.h"
#include "x86.h"

static void decode(void)
{
	static const struct {
		const char *what;
		unsigned char code[8];
		size_t len;
		bool ok;
		int base;
		long long disp;
		unsigned size;
	} mem[] = {
	    {"mov 0x58(%rbx),%r12d", {0x44, 0x8b, 0x63, 0x58}, 4, true, 3, 0x58, 4},
	    {"mov %r12d,0x58(%r15)", {0x45, 0x89, 0x67, 0x58}, 4, true, 15, 0x58, 4},
	    {"movzwl 0x0(%r13),%eax", {0x41, 0x0f, 0xb7, 0x45, 0x00}, 5, true, 13, 0, 2},
	    {"testb $0x1,0x115(%r13)",
	     {0x41, 0xf6, 0x85, 0x15, 0x01, 0x00, 0x00, 0x01},
	     8,
	     true,
	     13,
	     0x115,
	     1},
	    {"mov %rbp,0x40(%r15)", {0x49, 0x89, 0x6f, 0x40}, 4, true, 15, 0x40, 8},
	    {"mov (%rbx),%rax", {0x48, 0x8b, 0x03}, 3, true, 3, 0, 8},
	    {"mov -0x8(%rbp),%ax", {0x66, 0x8b, 0x45, 0xf8}, 4, true, 5, -8, 2},
	    {"mov 0x10(%rsp),%rbx (the stack)", {0x48, 0x8b, 0x5c, 0x24, 0x10}, 5, false, 0, 0, 0},
	    {"mov 0x0(%rip),%rax (a global)", {0x48, 0x8b, 0x05, 0, 0, 0, 0}, 7, false, 0, 0, 0},
	    {"mov (%rax,%rcx,8),%rdx (an array)", {0x48, 0x8b, 0x14, 0xc8}, 4, false, 0, 0, 0},
	    {"mov %gs:0x10,%rax (per-cpu)",
	     {0x65, 0x48, 0x8b, 0x04, 0x25, 0x10, 0, 0},
	     8,
	     false,
	     0,
	     0,
	     0},
	    {"lea 0x58(%rbx),%rdi (no access)", {0x48, 0x8d, 0x7b, 0x58}, 4, false, 0, 0, 0},
	    {"cmp %r15,%rbx (registers)", {0x4c, 0x39, 0xfb}, 3, false, 0, 0, 0},
	    {"mov 0x58(%rbx (cut short)", {0x44, 0x8b, 0x63}, 3, false, 0, 0, 0},
	};
	for (size_t i = 0; i < sizeof(mem) / sizeof(mem[0]); i++) {
		struct kt_x86_mem m;
		bool ok = kt_x86_mem_operand(mem[i].code, mem[i].len, &m);

		if (ok != mem[i].ok || (ok && (m.base != mem[i].base || m.disp != mem[i].disp ||
					       m.size != mem[i].size)))
			fprintf(stderr, "%s: decoded %d base %d disp %lld size %u\n", mem[i].what,
				ok, m.base, (long long)m.disp, m.size);
		CHECK(ok == mem[i].ok);
		if (ok && mem[i].ok) {
			CHECK_INT(m.base, mem[i].base);
			CHECK_INT(m.disp, mem[i].disp);
			CHECK_INT(m.size, mem[i].size);
		}
	}
	static const struct {
		const char *what;
		unsigned char code[8];
		size_t len;
		bool ok;
		int base;
		long long disp;
		size_t back;
	} rdi[] = {
	    {"lea 0x5c(%r13),%rdi", {0x49, 0x8d, 0x7d, 0x5c}, 4, true, 13, 0x5c, 4},
	    {"lea 0x20(%rbp),%rdi", {0x48, 0x8d, 0x7d, 0x20}, 4, true, 5, 0x20, 4},
	    {"lea 0x114(%r13),%rdi", {0x49, 0x8d, 0xbd, 0x14, 0x01, 0, 0}, 7, true, 13, 0x114, 7},
	    {"lea 0x8(%r12),%rdi (SIB)", {0x49, 0x8d, 0x7c, 0x24, 0x08}, 5, true, 12, 8, 5},
	    {"mov %r13,%rdi", {0x4c, 0x89, 0xef}, 3, true, 13, 0, 3},
	    {"mov %rsi,%rdi", {0x48, 0x89, 0xf7}, 3, true, 6, 0, 3},
	    {"mov %rbx,%rsi (not rdi)", {0x48, 0x89, 0xde}, 3, false, 0, 0, 0},
	    {"lea 0x8(%rax,%rcx,1),%rdi (indexed)",
	     {0x48, 0x8d, 0x7c, 0x08, 0x08},
	     5,
	     false,
	     0,
	     0,
	     0},
	    {"lea 0x8(%rbx),%r15 (not rdi)", {0x4c, 0x8d, 0x7b, 0x08}, 4, false, 0, 0, 0},
	};
	for (size_t i = 0; i < sizeof(rdi) / sizeof(rdi[0]); i++) {
		struct kt_x86_mem m;
		size_t back = 0;
		bool ok = kt_x86_rdi_from(rdi[i].code, rdi[i].len, &m, &back);

		if (ok != rdi[i].ok)
			fprintf(stderr, "%s: decoded %d base %d disp %lld\n", rdi[i].what, ok,
				m.base, (long long)m.disp);
		CHECK(ok == rdi[i].ok);
		if (ok && rdi[i].ok) {
			CHECK_INT(m.base, rdi[i].base);
			CHECK_INT(m.disp, rdi[i].disp);
			CHECK_INT(back, rdi[i].back);
		}
	}
	CHECK_INT(kt_x86_dwarf_reg(3), 3);   /* rbx */
	CHECK_INT(kt_x86_dwarf_reg(1), 2);   /* rcx */
	CHECK_INT(kt_x86_dwarf_reg(6), 4);   /* rsi */
	CHECK_INT(kt_x86_dwarf_reg(13), 13); /* r13 */
}

static const char *fact_str(const struct kt_facts *f, const char *name)
{
	const struct kt_fact *x = kt_facts_get(f, name);

	return x && x->type == KT_FACT_STR ? x->s : NULL;
}

/* A report: access a at addr_a in func+off, access b at addr_b in a module. */
static struct kt_facts *facts_of(struct kt_vmlinux *vm, const char *frame, unsigned long long a,
				 unsigned asize, unsigned long long b)
{
	char *text = NULL;
	struct kt_report *rep = NULL;
	struct kt_facts *f = kt_facts_new();
	struct kt_error *e;

	if (asprintf(
		&text,
		"==================================================================\n"
		"BUG: KCSAN: data-race in x / y\n\n"
		"write to 0x%llx of %u bytes by task 1 on cpu 0:\n %s\n\n"
		"read to 0x%llx of 4 bytes by task 2 on cpu 1:\n some_module_fn+0x10/0x40 [mod]\n\n"
		"Reported by Kernel Concurrency Sanitizer on:\n"
		"CPU: 1 PID: 2 Comm: mk Not tainted 6.1.0 #1\n"
		"==================================================================\n",
		a, asize, frame, b) < 0)
		abort();
	e = kt_report_parse_string(text, "mk", &rep);
	CHECK(e == NULL && rep);
	kt_error_free(e);
	if (rep) {
		e = kt_vmlinux_add_facts(vm, rep, f);
		if (e)
			fprintf(stderr, "%s: %s\n", frame, e->msg);
		CHECK(e == NULL);
		kt_error_free(e);
	}
	kt_report_free(rep);
	free(text);
	return f;
}

struct expect {
	const char *func;
	const char *member; /* the member its MK: line touches */
	unsigned long long off;
};

/* Some sanitizer call of func names struct mk_inode and the member. */
static bool one_function(struct kt_vmlinux *vm, const struct mk_build *b, const struct expect *x)
{
	uint64_t addr = 0, size = 0, offs[16];
	const unsigned long long heap = 0xffff888000100000ull;
	size_t n;
	bool ok = false;

	CHECK(mk_sym(b->bin, x->func, 0, &addr, &size));
	n = mk_calls(b->bin, addr, size, "__tsan_", offs, 16);
	for (size_t i = 0; i < n && !ok; i++) {
		char frame[128];
		struct kt_facts *f;

		char hook[128];
		unsigned asize;

		/* the size KCSAN prints: the hook's (__tsan_write2: 2) */
		if (!mk_call_target(b->bin, addr + offs[i], hook, sizeof(hook)) ||
		    !(asize = (unsigned)strtoul(hook + strcspn(hook, "0123456789"), NULL, 10)))
			continue;
		snprintf(frame, sizeof(frame), "%s+0x%llx/0x%llx", x->func,
			 (unsigned long long)offs[i],
			 (unsigned long long)mk_kallsyms_size(b->bin, addr));
		f = facts_of(vm, frame, heap + x->off, asize, heap + x->off);
		const char *t = fact_str(f, "a.obj.type"), *m = fact_str(f, "a.obj.member");

		ok = t && m && strcmp(t, "struct mk_inode") == 0 && strcmp(m, x->member) == 0;
		if (ok) {
			/* b, in a module frame, shares the address: the same member */
			CHECK_STR(fact_str(f, "b.obj.type"), "struct mk_inode");
			CHECK_STR(fact_str(f, "b.obj.member"), x->member);
			CHECK(fact_str(f, "b.obj.via") &&
			      strstr(fact_str(f, "b.obj.via"), "the other access"));
			CHECK_STR(fact_str(f, "obj.kind"), "heap");
			/* i_dirty shares its storage unit with i_new and i_mode_bits */
			const struct kt_fact *bf = kt_facts_get(f, "a.obj.bitfield_shared");

			CHECK((strcmp(x->member, "i_dirty") == 0) == (bf && bf->b));
		}
		kt_facts_free(f);
		/* b far away from a's object: nothing said about it */
		f = facts_of(vm, frame, heap + x->off, asize, heap + 0x100000);
		if (ok)
			CHECK(fact_str(f, "b.obj.type") == NULL);
		kt_facts_free(f);
	}
	return ok;
}

static void variant(const char *cc, int dwarf)
{
	struct mk_build b;
	struct kt_vmlinux *vm = NULL;
	struct kt_vmlinux_opts o = {.no_cache = true, .rules_dir = KT_SOURCE_RULES_DIR};
	struct kt_error *e;
	/* offsets in struct mk_inode (x86-64): i_lock 0, i_state 8, the
	 * bitfields 16, i_alone 20, i_lru 24, i_count 40, i_ref 44, i_parent 48 */
	static const struct expect want[] = {
	    {"mk_read_alone", "i_alone", 20}, {"mk_set_parent", "i_parent", 48},
	    {"mk_helper", "i_state", 8},      {"mk_mark_dirty", "i_dirty", 16},
	    {"mk_lru_add", "i_lru.prev", 32},
	};
	int named = 0;

	if (!mk_build("access", cc, dwarf, &b))
		return;
	e = kt_vmlinux_open(b.bin, &o, &vm);
	CHECK(e == NULL);
	kt_error_free(e);
	if (!vm)
		return;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		bool ok = one_function(vm, &b, &want[i]);

		if (!ok)
			fprintf(stderr,
				"%s -gdwarf-%d: %s: no sanitizer call names "
				"struct mk_inode::%s\n",
				cc, dwarf, want[i].func, want[i].member);
		named += ok;
		CHECK(ok);
	}
	printf("%s -gdwarf-%d: %d of %zu heap accesses named from the code and the DWARF\n", cc,
	       dwarf, named, sizeof(want) / sizeof(want[0]));
	kt_vmlinux_close(vm);
}

int main(void)
{
	decode();
	variant("gcc", 4);
	variant("gcc", 5);
	variant("clang", 4);
	variant("clang", 5);
	return kt_test_done("test_access");
}
