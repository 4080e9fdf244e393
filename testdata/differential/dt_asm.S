/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An assembler unit, as the kernel has (entry code, head_64.S): assembled
 * with -g it is the only unit clang describes in .debug_aranges.
 */
	.text
	.globl	dt_asm_twice
	.type	dt_asm_twice, @function
dt_asm_twice:
	lea	(%rdi,%rdi), %rax
	ret
	.size	dt_asm_twice, .-dt_asm_twice
	.section .note.GNU-stack, "", @progbits
