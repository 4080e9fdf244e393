/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The differential test's program (tests/binary/test_differential.c): a few
 * units built with gcc and clang, -O2, DWARF 4 and 5, whose every instruction
 * is symbolized and compared with binutils' addr2line, and whose structs are
 * laid out by the compiler itself (a probe built from the member lines
 * below) and compared with what the DWARF says.
 *
 * Member lines the probe reads: one member per line, "TYPE NAME;",
 * "TYPE NAME : BITS;" or "TYPE NAME[N];", inside "struct NAME {" or
 * "union NAME {" ... "};".
 */
#ifndef DT_H
#define DT_H

struct dt_flags {
	unsigned int ready : 1;
	unsigned int mode : 3;
	unsigned int count : 12;
	unsigned int wide : 17;
	signed int delta : 5;
	unsigned char tail : 7;
};

struct dt_link {
	struct dt_link *next;
	struct dt_link *prev;
};

struct dt_obj {
	long id;
	char tag;
	unsigned char small : 2;
	unsigned short mid : 9;
	struct dt_flags flags;
	unsigned long long big : 40;
	unsigned long long rest : 24;
	int vals[3];
	struct dt_link link;
	struct dt_obj *parent;
	unsigned char last : 1;
};

union dt_word {
	unsigned long raw;
	unsigned int half[2];
	unsigned char nibble : 4;
};

struct dt_pcpu {
	unsigned long hits;
	unsigned int misses : 20;
	unsigned int cpu : 12;
	union dt_word word;
	short pad;
};

extern struct dt_obj dt_global;
extern struct dt_pcpu dt_pcpu[4];
extern volatile int dt_sink;

/* An inline chain three deep, inlined into callers of every unit. */
static inline int dt_leaf(const struct dt_obj *o, int k)
{
	return o->vals[k & 1] + o->flags.count;
}

static inline int dt_mid(const struct dt_obj *o, int k)
{
	if (o->flags.ready)
		return dt_leaf(o, k) * 3;
	return dt_leaf(o, k + 1) - o->small;
}

static inline int dt_top(const struct dt_obj *o, int k)
{
	int r = dt_mid(o, k);

	if (o->parent)
		r += dt_mid(o->parent, k + 2);
	return r;
}

static inline void dt_count(int cpu, unsigned long v)
{
	dt_pcpu[cpu & 3].hits += v;
	if (v > 100)
		dt_pcpu[cpu & 3].misses++;
}

long dt_asm_twice(long v);
int dt_a_walk(struct dt_obj *o, int n);
int dt_a_flags(struct dt_obj *o);
int dt_b_sum(struct dt_obj *o, int n);
void dt_b_link(struct dt_obj *o, struct dt_obj *p);
int dt_c_switch(struct dt_obj *o, int op);
int dt_c_other(struct dt_obj *o);
void dt_c_cold(struct dt_obj *o);

#endif
