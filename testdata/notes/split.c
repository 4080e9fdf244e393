// SPDX-License-Identifier: Apache-2.0
/* A unit built with -gsplit-dwarf: its functions are in split.dwo. */
volatile int nt_split_sink;

static inline int nt_split_inner(int v)
{
	nt_split_sink = v;
	return v + nt_split_sink;
}

__attribute__((noinline)) int nt_split(int v)
{
	return nt_split_inner(v) * 2;
}
