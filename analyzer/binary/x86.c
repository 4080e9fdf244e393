// SPDX-License-Identifier: Apache-2.0
/*
 * x86-64 memory operands (see x86.h). The encoding (Intel SDM vol. 2,
 * chapter 2): legacy prefixes, an optional REX byte, a one- or two-byte
 * opcode, then ModRM (mod, reg, rm), an optional SIB byte and a
 * displacement of 0, 1 or 4 bytes.
 */
#include <string.h>

#include "x86.h"

enum { RSP = 4, RBP = 5, RDI = 7 };

/* ModRM (and SIB, displacement) at p: the memory operand, when it is
 * [base + disp] with a base that is not rsp and no index. */
static bool modrm_mem(const unsigned char *p, const unsigned char *end, unsigned rex,
		      struct kt_x86_mem *out)
{
	unsigned mod, rm, base;

	if (p >= end)
		return false;
	mod = p[0] >> 6;
	rm = p[0] & 7;
	p++;
	if (mod == 3)
		return false; /* a register, not memory */
	if (rm == 4) {	      /* SIB */
		if (p >= end)
			return false;
		unsigned index = ((p[0] >> 3) & 7) | (rex & 2 ? 8 : 0);

		base = p[0] & 7;
		p++;
		if (index != RSP) /* an index register: an array element */
			return false;
		if (base == RBP && mod == 0)
			return false; /* no base: an absolute address */
	} else if (rm == RBP && mod == 0) {
		return false; /* rip-relative: a global */
	} else {
		base = rm;
	}
	base |= rex & 1 ? 8 : 0;
	if (base == RSP)
		return false; /* the stack */
	out->base = (int)base;
	out->disp = 0;
	if (mod == 1) {
		if (p >= end)
			return false;
		out->disp = (int8_t)p[0];
	} else if (mod == 2) {
		int32_t d;

		if (end - p < 4)
			return false;
		memcpy(&d, p, 4);
		out->disp = d;
	}
	return true;
}

/* Operand size of a one-byte opcode that reads or writes its ModRM memory
 * operand (0: not one of those); full is 2, 4 or 8 by the prefixes. */
static unsigned size_1(unsigned op, unsigned regfield, unsigned full)
{
	if (op <= 0x3b && (op & 7) <= 3) /* add or adc sbb and sub xor cmp */
		return op & 1 ? full : 1;
	switch (op) {
	case 0x63: /* movslq */
		return 4;
	case 0x69:
	case 0x6b: /* imul */
	case 0x81:
	case 0x83:
	case 0x85:
	case 0x87:
	case 0x89:
	case 0x8b:
	case 0xc1:
	case 0xc7:
	case 0xd1:
	case 0xd3:
	case 0xf7:
		return full;
	case 0x80:
	case 0x84:
	case 0x86:
	case 0x88:
	case 0x8a:
	case 0xc0:
	case 0xc6:
	case 0xd0:
	case 0xd2:
	case 0xf6:
		return 1;
	case 0xfe: /* inc, dec */
		return regfield <= 1 ? 1 : 0;
	case 0xff:
		return regfield <= 1 ? full : 0;
	}
	return 0;
}

/* The same for 0x0f-prefixed opcodes. */
static unsigned size_2(unsigned op, unsigned full)
{
	if (op >= 0x40 && op <= 0x4f) /* cmov */
		return full;
	switch (op) {
	case 0xa3:
	case 0xab:
	case 0xb3:
	case 0xbb:
	case 0xba: /* bt, bts, btr, btc */
	case 0xb1: /* cmpxchg */
	case 0xc1: /* xadd */
		return full;
	case 0xb0:
	case 0xc0:
	case 0xb6: /* movzbl */
	case 0xbe: /* movsbl */
		return 1;
	case 0xb7: /* movzwl */
	case 0xbf: /* movswl */
		return 2;
	}
	return 0;
}

bool kt_x86_mem_operand(const unsigned char *code, size_t len, struct kt_x86_mem *out)
{
	const unsigned char *p = code, *end = code + len;
	unsigned rex = 0, full = 4, size;
	bool opsize = false;

	memset(out, 0, sizeof(*out));
	for (; p < end; p++) {
		if (*p == 0x66)
			opsize = true;
		else if (*p == 0x64 || *p == 0x65 || *p == 0x67)
			return false; /* fs/gs (per-cpu), 32-bit addresses */
		else if (*p != 0xf0 && *p != 0xf2 && *p != 0xf3 && *p != 0x2e && *p != 0x3e &&
			 *p != 0x26 && *p != 0x36)
			break;
	}
	if (p < end && (*p & 0xf0) == 0x40)
		rex = *p++ & 0xf;
	if (p >= end)
		return false;
	full = rex & 8 ? 8 : opsize ? 2 : 4;
	if (*p == 0x0f) {
		if (++p >= end)
			return false;
		size = size_2(*p++, full);
	} else {
		unsigned op = *p++;

		size = p < end ? size_1(op, (*p >> 3) & 7, full) : 0;
	}
	if (!size || !modrm_mem(p, end, rex, out))
		return false;
	out->size = size;
	return true;
}

/* "lea disp(%base),%rdi" of exactly n bytes ending at end. */
static bool lea_rdi(const unsigned char *end, size_t avail, size_t n, struct kt_x86_mem *out)
{
	const unsigned char *p = end - n;
	struct kt_x86_mem m = {0};

	if (avail < n || (p[0] & 0xfe) != 0x48 || p[1] != 0x8d) /* REX.W, maybe .B */
		return false;
	if (((p[2] >> 3) & 7) != RDI || (p[2] >> 6) == 0 || (p[2] >> 6) == 3)
		return false;
	/* the ModRM length for this n: 1 + SIB? + disp8 or disp32 */
	size_t want = 3 + ((p[2] & 7) == RSP ? 1 : 0) + ((p[2] >> 6) == 1 ? 1 : 4);

	if (want != n || !modrm_mem(p + 2, end, p[0] & 0xf, &m))
		return false;
	*out = m;
	return true;
}

bool kt_x86_rdi_from(const unsigned char *code, size_t len, struct kt_x86_mem *out, size_t *back)
{
	const unsigned char *end = code + len;

	memset(out, 0, sizeof(*out));
	/* lea with disp8 or disp32, with or without SIB */
	static const size_t leas[] = {4, 5, 7, 8};

	for (size_t i = 0; i < sizeof(leas) / sizeof(leas[0]); i++)
		if (lea_rdi(end, len, leas[i], out)) {
			*back = leas[i];
			return true;
		}
	/* mov %base,%rdi: REX.W 89 /r (base in reg) or REX.W 8b /r (base in rm) */
	if (len >= 3 && (end[-3] & 0xf8) == 0x48 && (end[-1] >> 6) == 3) {
		unsigned rex = end[-3] & 0xf, modrm = end[-1], base;

		if (end[-2] == 0x89 && (modrm & 7) == RDI && !(rex & 1))
			base = ((modrm >> 3) & 7) | (rex & 4 ? 8 : 0);
		else if (end[-2] == 0x8b && ((modrm >> 3) & 7) == RDI && !(rex & 4))
			base = (modrm & 7) | (rex & 1 ? 8 : 0);
		else
			return false;
		if (base == RSP || base == RDI)
			return false;
		out->base = (int)base;
		*back = 3;
		return true;
	}
	return false;
}

int kt_x86_dwarf_reg(int r)
{
	/* psABI: rax rdx rcx rbx rsi rdi rbp rsp r8..r15 */
	static const int map[8] = {0, 2, 1, 3, 7, 6, 4, 5};

	return r >= 0 && r < 8 ? map[r] : r;
}

const char *kt_x86_reg_name(int r)
{
	static const char *const names[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp",
					      "rsi", "rdi", "r8",  "r9",  "r10", "r11",
					      "r12", "r13", "r14", "r15"};

	return r >= 0 && r < 16 ? names[r] : "?";
}
