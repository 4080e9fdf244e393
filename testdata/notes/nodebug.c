// SPDX-License-Identifier: Apache-2.0
/* A unit built without -g: its functions are in the symbol table only. */
volatile int nt_sink;

__attribute__((noinline)) static int nt_nodebug(int v)
{
	nt_sink = v;
	return v * 3 + nt_sink;
}

int nt_nodebug_entry(int v)
{
	return nt_nodebug(v) + 1;
}
