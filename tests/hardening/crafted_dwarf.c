// SPDX-License-Identifier: Apache-2.0
/*
 * A small ELF with hand-written DWARF that no compiler would emit: type
 * cycles (two typedefs naming each other, a struct holding itself, a pointer
 * to itself, an inlined subroutine that is its own origin) and nesting far
 * deeper than any kernel (structs inside structs, lexical blocks, inlined
 * calls). Written as assembly and built with the system compiler.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crafted_dwarf.h"

static void abbrevs(FILE *s)
{
	/* code, tag, children, then (attribute, form) pairs, 0 0 */
	static const unsigned char a[] = {
	    1,  0x11, 1, 0x25, 0x08, 0x13, 0x0b, 0x03, 0x08, 0x1b, 0x08, 0x11, 0x01, 0x12, 0x07,
	    0x10, 0x17, 0, 0,                                         /* compile_unit */
	    2,  0x24, 0, 0x03, 0x08, 0x0b, 0x0b, 0x3e, 0x0b, 0, 0,    /* base_type */
	    3,  0x16, 0, 0x03, 0x08, 0x49, 0x13, 0, 0,                /* typedef */
	    4,  0x13, 1, 0x03, 0x08, 0x0b, 0x06, 0, 0,                /* structure_type */
	    5,  0x0d, 0, 0x03, 0x08, 0x49, 0x13, 0x38, 0x06, 0, 0,    /* member */
	    6,  0x34, 0, 0x03, 0x08, 0x49, 0x13, 0x3f, 0x19, 0x02, 0x18, 0, 0, /* variable */
	    7,  0x2e, 1, 0x03, 0x08, 0x3f, 0x19, 0x11, 0x01, 0x12, 0x07, 0, 0, /* subprogram */
	    8,  0x0b, 1, 0x11, 0x01, 0x12, 0x07, 0, 0,                /* lexical_block */
	    9,  0x34, 0, 0x03, 0x08, 0x49, 0x13, 0, 0,                /* local variable */
	    10, 0x0f, 0, 0x0b, 0x0b, 0x49, 0x13, 0, 0,                /* pointer_type */
	    11, 0x1d, 1, 0x31, 0x13, 0x11, 0x01, 0x12, 0x07, 0x58, 0x0b, 0x59, 0x0b, 0,
	    0,                                                        /* inlined_subroutine */
	    12, 0x2e, 0, 0x03, 0x08, 0x20, 0x0b, 0, 0,                /* abstract subprogram */
	    0};

	fprintf(s, "\t.section .debug_abbrev,\"\",@progbits\n.Labbrev:\n");
	for (size_t i = 0; i < sizeof(a); i++)
		fprintf(s, "\t.byte %u\n", a[i]);
}

/* The function body: one .loc per instruction so there is a line table. */
static void text(FILE *s)
{
	fprintf(s, "\t.text\n\t.file 1 \"crafted.c\"\n");
	static const char *const fns[] = {"crafted_deep_fn", "crafted_cyc_fn", "crafted_start"};

	for (size_t f = 0; f < 3; f++) {
		fprintf(s, "\t.globl %s\n\t.type %s,@function\n%s:\n", fns[f], fns[f], fns[f]);
		for (int i = 0; i < 31; i++)
			fprintf(s, "\t.loc 1 %zu\n\tnop\n", 10 + f * 100 + (size_t)i);
		fprintf(s, "\t.loc 1 %zu\n\tret\n", 50 + f * 100);
		fprintf(s, "\t.size %s, .-%s\n", fns[f], fns[f]);
	}
	fprintf(s, "\t.data\n");
	static const char *const vars[] = {"crafted_cyc_var", "crafted_self_var", "crafted_deep_var",
					   "crafted_ptr_var"};

	for (size_t v = 0; v < 4; v++)
		fprintf(s, "\t.globl %s\n\t.type %s,@object\n\t.size %s, 8\n%s:\n\t.quad 0\n",
			vars[v], vars[v], vars[v], vars[v]);
}

static void var(FILE *s, const char *name, const char *type_label)
{
	fprintf(s, "\t.uleb128 6\n\t.asciz \"%s\"\n\t.long %s - .Lcu\n"
		   "\t.uleb128 9\n\t.byte 3\n\t.quad %s\n",
		name, type_label, name);
}

static void info(FILE *s, int depth)
{
	fprintf(s, "\t.section .debug_info,\"\",@progbits\n.Lcu:\n"
		   "\t.long .Lcu_end - .Lcu_ver\n.Lcu_ver:\n\t.short 4\n\t.long .Labbrev\n"
		   "\t.byte 8\n");
	/* compile unit: [crafted_deep_fn, end of text) */
	fprintf(s, "\t.uleb128 1\n\t.asciz \"crafted\"\n\t.byte 0x0c\n\t.asciz \"crafted.c\"\n"
		   "\t.asciz \"/build\"\n\t.quad crafted_deep_fn\n"
		   "\t.quad crafted_start + 32 - crafted_deep_fn\n\t.long 0\n");
	fprintf(s, ".Lint:\n\t.uleb128 2\n\t.asciz \"int\"\n\t.byte 4\n\t.byte 5\n");
	/* typedef cycle */
	fprintf(s, ".Lcyc_a:\n\t.uleb128 3\n\t.asciz \"cyc_a\"\n\t.long .Lcyc_b - .Lcu\n");
	fprintf(s, ".Lcyc_b:\n\t.uleb128 3\n\t.asciz \"cyc_b\"\n\t.long .Lcyc_a - .Lcu\n");
	/* struct self { struct self m; } */
	fprintf(s, ".Lself:\n\t.uleb128 4\n\t.asciz \"self\"\n\t.long 8\n"
		   "\t.uleb128 5\n\t.asciz \"m\"\n\t.long .Lself - .Lcu\n\t.long 0\n\t.byte 0\n");
	/* a pointer to itself */
	fprintf(s, ".Lptr:\n\t.uleb128 10\n\t.byte 8\n\t.long .Lptr - .Lcu\n");
	/* structs nested depth deep, each member the next one, at offset 0 */
	fprintf(s, ".Ldeep:\n\t.rept %d\n"
		   "1:\t.uleb128 4\n\t.asciz \"deep\"\n\t.long 8\n"
		   "\t.uleb128 5\n\t.asciz \"m\"\n\t.long 1f - .Lcu\n\t.long 0\n"
		   "\t.endr\n"
		   "1:\t.uleb128 2\n\t.asciz \"leaf\"\n\t.byte 8\n\t.byte 7\n"
		   "\t.rept %d\n\t.byte 0\n\t.endr\n",
		depth, depth);
	var(s, "crafted_cyc_var", ".Lcyc_a");
	var(s, "crafted_self_var", ".Lself");
	var(s, "crafted_deep_var", ".Ldeep");
	var(s, "crafted_ptr_var", ".Lptr");
	/* an abstract inline function for the deep chain of inlined calls */
	fprintf(s, ".Linl:\n\t.uleb128 12\n\t.asciz \"crafted_inl\"\n\t.byte 3\n");
	/* crafted_deep_fn: lexical blocks depth deep, then inlined calls depth
	 * deep, all covering the whole function, then a cyclic local */
	fprintf(s, "\t.uleb128 7\n\t.asciz \"crafted_deep_fn\"\n\t.quad crafted_deep_fn\n"
		   "\t.quad 32\n"
		   "\t.rept %d\n\t.uleb128 8\n\t.quad crafted_deep_fn\n\t.quad 32\n\t.endr\n"
		   "\t.rept %d\n\t.uleb128 11\n\t.long .Linl - .Lcu\n\t.quad crafted_deep_fn\n"
		   "\t.quad 32\n\t.byte 1\n\t.byte 20\n\t.endr\n"
		   "\t.uleb128 9\n\t.asciz \"x\"\n\t.long .Lcyc_a - .Lcu\n"
		   "\t.rept %d\n\t.byte 0\n\t.endr\n\t.byte 0\n",
		depth, depth, 2 * depth);
	/* crafted_cyc_fn: an inlined call that is its own origin */
	fprintf(s, "\t.uleb128 7\n\t.asciz \"crafted_cyc_fn\"\n\t.quad crafted_cyc_fn\n"
		   "\t.quad 32\n"
		   ".Lself_inl:\n\t.uleb128 11\n\t.long .Lself_inl - .Lcu\n\t.quad crafted_cyc_fn\n"
		   "\t.quad 32\n\t.byte 1\n\t.byte 30\n"
		   "\t.byte 0\n\t.byte 0\n");
	fprintf(s, "\t.byte 0\n.Lcu_end:\n");
}

bool crafted_dwarf_build(const char *dir, int depth, char *bin, size_t n)
{
	char src[1024], cmd[4096];
	FILE *s;

	snprintf(src, sizeof(src), "%s/crafted.s", dir);
	snprintf(bin, n, "%s/crafted.elf", dir);
	s = fopen(src, "w");
	if (!s)
		return false;
	abbrevs(s);
	text(s);
	info(s, depth);
	fclose(s);
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && gcc -c crafted.s -o crafted.o && "
		 "gcc -static -nostdlib -no-pie -Wl,--build-id -Wl,-e,crafted_start "
		 "-o '%s' crafted.o",
		 dir, bin);
	return system(cmd) == 0;
}

#ifdef KT_CRAFTED_MAIN
/* fuzz/run.sh builds this to seed the vmlinux harness: crafted DIR DEPTH */
int main(int argc, char **argv)
{
	char bin[1024];

	if (argc != 3)
		return 2;
	return crafted_dwarf_build(argv[1], atoi(argv[2]), bin, sizeof(bin)) ? 0 : 1;
}
#endif
