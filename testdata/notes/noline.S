/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A unit whose DWARF has a function but no line table (no DW_AT_stmt_list),
 * written out by hand; assembled without -g so that the assembler adds none.
 */
	.text
	.globl	nt_noline
	.type	nt_noline, @function
nt_noline:
	lea	1(%rdi), %rax
	ret
.Lend:
	.size	nt_noline, .-nt_noline

	.section .debug_abbrev, "", @progbits
.Labbrev:
	.uleb128 1, 0x11	/* 1: DW_TAG_compile_unit */
	.byte	1		/* with children */
	.uleb128 0x03, 0x08	/* DW_AT_name, DW_FORM_string */
	.uleb128 0x11, 0x01	/* DW_AT_low_pc, DW_FORM_addr */
	.uleb128 0x12, 0x07	/* DW_AT_high_pc, DW_FORM_data8 */
	.byte	0, 0
	.uleb128 2, 0x2e	/* 2: DW_TAG_subprogram */
	.byte	0		/* no children */
	.uleb128 0x03, 0x08
	.uleb128 0x11, 0x01
	.uleb128 0x12, 0x07
	.byte	0, 0
	.byte	0

	.section .debug_info, "", @progbits
	.4byte	.Linfo_end - .Linfo_start	/* unit_length */
.Linfo_start:
	.2byte	4				/* version */
	.4byte	.Labbrev			/* debug_abbrev_offset */
	.byte	8				/* address_size */
	.uleb128 1
	.asciz	"noline.c"
	.8byte	nt_noline
	.8byte	.Lend - nt_noline
	.uleb128 2
	.asciz	"nt_noline"
	.8byte	nt_noline
	.8byte	.Lend - nt_noline
	.byte	0				/* end of children */
.Linfo_end:
	.section .note.GNU-stack, "", @progbits
