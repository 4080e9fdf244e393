// SPDX-License-Identifier: Apache-2.0
/*
 * The test program's entry, an ordinary unit. Its function names are long
 * enough for the compiler to put them in .debug_str (DW_FORM_strp), which
 * the test turns into dwz's supplementary-file form.
 */
int nt_noline(int v);
int nt_nodebug_entry(int v);
int nt_split(int v);
volatile int nt_result;

__attribute__((noinline)) int nt_ordinary_function_with_a_long_name(int v)
{
	nt_result = v;
	return nt_result + 1;
}

void nt_start(void)
{
	nt_result = nt_noline(1) + nt_nodebug_entry(2) + nt_split(3) +
		    nt_ordinary_function_with_a_long_name(4);
	for (;;)
		nt_result++;
}
