/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Just enough x86-64 decoding to see which register an access goes through:
 * the memory operand [base + displacement] of a load, store or
 * read-modify-write instruction, and how a sanitizer call was given its
 * address ("lea disp(%base),%rdi" or "mov %base,%rdi" right before it).
 * Nothing is executed; anything not recognized is "not found".
 */
#ifndef KT_BINARY_X86_H
#define KT_BINARY_X86_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A memory operand base + disp. */
struct kt_x86_mem {
	int base; /* machine register number: 0 rax, 1 rcx, ... 8-15 r8-r15 */
	int64_t disp;
	unsigned size; /* bytes the instruction reads or writes there; 0 unknown */
};

/* The memory operand of the instruction that starts at code (len bytes
 * available): true for the moves, arithmetic, compare, test, bit-test and
 * exchange instructions whose operand is [base + disp] with a base other than
 * rsp and no index (not an array element, not the stack, not rip-relative). */
bool kt_x86_mem_operand(const unsigned char *code, size_t len, struct kt_x86_mem *out);

/* How rdi was set just before a call that starts at code + len: true for
 * "lea disp(%base),%rdi" and "mov %base,%rdi" (disp 0) ending exactly
 * there; *back is that instruction's length (it starts at code + len - back). */
bool kt_x86_rdi_from(const unsigned char *code, size_t len, struct kt_x86_mem *out, size_t *back);

/* The DWARF register number (x86-64 psABI) of a machine register. */
int kt_x86_dwarf_reg(int machine_reg);
/* Its name, "rbx", "r12". */
const char *kt_x86_reg_name(int machine_reg);

#endif
